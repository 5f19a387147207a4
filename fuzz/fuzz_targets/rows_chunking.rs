//! The streaming row verifier under random chunkings: whatever the chunk boundaries
//! (inside lines, inside UTF-8 sequences, empty chunks), the findings equal those of
//! one chunk. Heads are the demo receipts' sealed heads.
//!
//! Input: chunk lengths (one byte each, 0 = an empty push, cycled), then 0xFF, then the
//! row export; without 0xFF the whole input is the export and fixed lengths are used.
#![no_main]

use libfuzzer_sys::fuzz_target;
use receipt_verify::{Check, RowVerifier};
use receipt_verify_fuzz::demo;

/// Byte-at-a-time feeding too, for exports up to this size.
const BYTEWISE_MAX: usize = 16 << 10;

fn findings(rows: &[u8], lengths: &mut dyn Iterator<Item = usize>) -> Vec<Check> {
    let mut verifier = RowVerifier::new("rows.jsonl", demo::heads().to_vec());
    let mut rest = rows;
    while !rest.is_empty() {
        let take = lengths.next().unwrap_or(rest.len()).min(rest.len());
        let (chunk, tail) = rest.split_at(take);
        verifier.push(chunk);
        rest = tail;
    }
    verifier.finish()
}

fn same(whole: &[Check], other: &[Check], how: &str) {
    if whole != other {
        let at = whole.iter().zip(other).position(|(a, b)| a != b).unwrap_or(whole.len().min(other.len()));
        panic!(
            "findings differ when fed {how}: {} vs {} findings; first difference at {at}: {:?} vs {:?}",
            whole.len(),
            other.len(),
            whole.get(at),
            other.get(at)
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let (control, rows): (&[u8], &[u8]) = match data.iter().position(|b| *b == 0xFF) {
        Some(i) => (data.get(..i).unwrap_or_default(), data.get(i + 1..).unwrap_or_default()),
        None => (&[1, 7, 0, 64, 3, 255, 2], data),
    };
    let whole = findings(rows, &mut std::iter::once(rows.len()));
    let lengths: Vec<usize> =
        if control.is_empty() { vec![1] } else { control.iter().map(|b| usize::from(*b)).collect() };
    // An all-zero cycle would never advance: after a full cycle of empty pushes, take one byte.
    let mut cycle = lengths.iter().copied().cycle().enumerate().map(|(i, n)| {
        if n == 0 && (i + 1) % lengths.len() == 0 && lengths.iter().all(|l| *l == 0) {
            1
        } else {
            n
        }
    });
    same(&whole, &findings(rows, &mut cycle), "in fuzzed chunks");
    if rows.len() <= BYTEWISE_MAX {
        same(&whole, &findings(rows, &mut std::iter::repeat(1)), "one byte at a time");
    }
});
