//! The one-pass row reader (`rows/fast.rs`) against the strict parser: whatever line the
//! fast reader takes, the strict path must read as a plain row with the same `seq`,
//! `customerId`, hashes and RFC 8785 hash. Lines are the demo rows, mutated at random
//! with the bytes and tokens that change how JSON is read (escapes, non-ASCII, numbers
//! RFC 8785 rewrites, duplicate and reserved names, nesting), plus named cases each way.
//! Positive control: the honest rows must all be taken, or the fast path would be dead.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[macro_use]
mod common;

use common::*;
use receipt_verify::{fast_row_agrees_with_strict as agrees, FastReading};

fn reading(line: &str) -> FastReading {
    agrees(line.as_bytes()).unwrap_or_else(|e| panic!("{line}: {e}"))
}

#[test]
fn every_honest_demo_row_is_read_the_fast_way_and_agrees() {
    let (mut n, mut consumed) = (0, 0);
    for line in ROWS.lines() {
        // `wave.consumed` rows are left to the strict path, which records them for approvals.
        if line.contains("\"wave.consumed\"") {
            assert_eq!(reading(line), FastReading::Declined, "{line}");
            consumed += 1;
        } else {
            assert_eq!(reading(line), FastReading::Same, "{line}");
            n += 1;
        }
    }
    say!("fast rows: {n} demo rows taken, each equal to the strict reading; {consumed} consumption rows declined");
    assert!(n >= 10 && consumed >= 1);
}

/// A demo row with `member` set to `value` (as written), added if absent.
fn with(member: &str, value: &str) -> String {
    let row = ROWS.lines().nth(1).unwrap();
    let mut obj: serde_json::Map<String, serde_json::Value> = serde_json::from_str(row).unwrap();
    obj.remove(member);
    let body = serde_json::to_string(&obj).unwrap();
    format!("{{\"{member}\":{value},{}", &body[1..])
}

#[test]
fn rows_rfc_8785_writes_as_written_are_taken() {
    let taken = [
        with("note", "-12"),
        with("note", "0"),
        with("note", "123456789012345"),
        with("note", "true"),
        with("note", "null"),
        with("note", "\"a ~/ b\""),
        with("seq", "0"),
        // Whitespace anywhere JSON allows it, and members in any order.
        ROWS.lines().nth(2).unwrap().replace(',', " ,\t").replace(':', ": ").replace('{', " { "),
    ];
    for line in &taken {
        assert_eq!(reading(line), FastReading::Same, "{line}");
    }
    say!("fast rows: {} named rows taken", taken.len());
}

#[test]
fn anything_else_goes_to_the_strict_path() {
    let declined = [
        with("note", "-0"),
        with("note", "1.0"),
        with("note", "1e2"),
        with("note", "1234567890123456"),
        with("note", "9007199254740993"),
        with("note", "01"),
        with("note", "\"caf\u{e9}\""),
        with("note", "\"a\\\"b\""),
        with("note", "\"\\u0041\""),
        with("note", "\"tab\there\""),
        with("note", "\"\u{7f}\""),
        with("note", "[1]"),
        with("note", "{}"),
        with("note", "tru"),
        with("seq", "-1"),
        with("seq", "1.0"),
        with("seq", "\"7\""),
        with("customerId", "\"\""),
        with("customerId", "7"),
        with("prevHash", "\"0xABC\""),
        with("thisHash", "null"),
        with("type", "\"row\""),
        with("batchHead", "\"x\""),
        with("action", "\"wave.consumed\""),
        with("\u{e9}", "1"),
        format!("{},\"seq\":1}}", with("note", "1").trim_end_matches('}')),
        format!("\u{feff}{}", with("note", "1")),
        format!("{} x", with("note", "1")),
        format!("{},", with("note", "1")),
        with("note", "1").replacen('{', "{\"a\":1,", 1).replace('}', ",}"),
        "{}".into(),
        "[]".into(),
        String::new(),
    ];
    for line in &declined {
        assert_eq!(reading(line), FastReading::Declined, "{line}");
    }
    say!("fast rows: {} named lines declined", declined.len());
}

#[test]
fn mutated_rows_are_taken_only_when_both_readings_agree() {
    let mut rng = Rng(0x5eed_fa57);
    let rows: Vec<&str> = ROWS.lines().collect();
    let (mut same, mut declined) = (0, 0);
    let cases = if cfg!(target_arch = "wasm32") { 3_000 } else { 30_000 };
    for _ in 0..cases {
        let pick = rows[rng.below(rows.len())];
        let line = mutate(&mut rng, pick);
        match agrees(line.as_bytes()) {
            Ok(FastReading::Same) => same += 1,
            Ok(FastReading::Declined) => declined += 1,
            Err(e) => panic!("the readings disagree on {line:?}: {e}"),
        }
    }
    say!("fast rows: {cases} mutated rows, {same} taken and equal to the strict reading, {declined} declined");
    // Both outcomes occur: the comparison ran on rows each way.
    assert!(same >= cases / 20 && declined >= cases / 4, "{same} taken, {declined} declined");
}
