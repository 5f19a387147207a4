//! A row export split into ranges of whole lines, each read by its own `RowRange` (as the
//! CLI's threads do) and joined in file order: the findings must equal those of one pass,
//! whatever the cuts. Heads are the demo receipts' sealed heads.
//!
//! Input: cut selectors (one byte each), then 0xFF, then the row export; without 0xFF the
//! whole input is the export, cut at every line start. Each selector picks a line start
//! (its value times the number of line starts, over 255), so cuts fall on lines of any
//! export; repeated selectors make empty ranges. The ranges are joined twice: as read, and
//! written with `RangeSummary::to_bytes` and read back with `from_bytes`, as the page's range
//! workers hand them over; both must give the one-pass findings. The input itself is also
//! read as summary bytes, which must be refused or joined without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use receipt_verify::{Check, RangeSummary, RowRange, RowVerifier};
use receipt_verify_fuzz::demo;

fn one_pass(rows: &[u8]) -> Vec<Check> {
    let mut verifier = RowVerifier::new("rows.jsonl", demo::heads().to_vec());
    verifier.push(rows);
    verifier.finish()
}

fn in_ranges(rows: &[u8], cuts: &[usize], as_bytes: bool) -> Vec<Check> {
    let mut verifier = RowVerifier::new("rows.jsonl", demo::heads().to_vec());
    let heads = verifier.head_set();
    let mut from = 0;
    for &to in cuts.iter().chain(std::iter::once(&rows.len())) {
        // At the file's start means at byte 0, as the CLI (`start == 0`) and the page's
        // range workers say it: empty ranges cut at 0 come before it, and are at 0 too.
        let mut range = RowRange::new("rows.jsonl", from == 0, heads.clone());
        range.push(rows.get(from..to).unwrap_or_default());
        let summary = range.finish();
        verifier.add_range(if as_bytes {
            RangeSummary::from_bytes(&summary.to_bytes()).expect("a summary written by to_bytes reads back")
        } else {
            summary
        });
        from = to;
    }
    verifier.finish()
}

fuzz_target!(|data: &[u8]| {
    let (control, rows): (Option<&[u8]>, &[u8]) = match data.iter().position(|b| *b == 0xFF) {
        Some(i) => (data.get(..i), data.get(i + 1..).unwrap_or_default()),
        None => (None, data),
    };
    let starts: Vec<usize> =
        std::iter::once(0).chain(rows.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i + 1)).collect();
    let mut cuts: Vec<usize> = match control {
        Some(selectors) => {
            selectors.iter().filter_map(|s| starts.get(usize::from(*s) * (starts.len() - 1) / 255).copied()).collect()
        }
        None => starts.iter().copied().skip(1).collect(),
    };
    cuts.sort_unstable();
    if let Ok(summary) = RangeSummary::from_bytes(data) {
        let mut verifier = RowVerifier::new("rows.jsonl", demo::heads().to_vec());
        verifier.add_range(summary);
        let _ = verifier.finish();
    }
    let whole = one_pass(rows);
    for as_bytes in [false, true] {
        let split = in_ranges(rows, &cuts, as_bytes);
        same(&whole, &split, &cuts, as_bytes);
    }
});

fn same(whole: &[Check], split: &[Check], cuts: &[usize], as_bytes: bool) {
    if whole != split {
        let at = whole.iter().zip(split).position(|(a, b)| a != b).unwrap_or(whole.len().min(split.len()));
        panic!(
            "cut at {cuts:?} (as bytes: {as_bytes}): {} findings in one pass, {} joined; first difference at {at}: {:?} vs {:?}",
            whole.len(),
            split.len(),
            whole.get(at),
            split.get(at)
        );
    }
}
