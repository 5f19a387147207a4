//! The one-pass receipt reader (`receipt/fast.rs`) against the strict parser, line by
//! line and as whole reports.
//! - Line by line: whatever line the fast reader takes, the strict path must read as a
//!   batch receipt with no `receipt.fields` finding, the same members, the same manifest
//!   and the same cost to the file's value budget. Lines are the demo receipts, mutated at
//!   random, plus named cases each way.
//! - Whole reports: the engine reading receipt files with the fast reader must give,
//!   byte for byte, the report of the engine reading every line strictly: for the demo
//!   set, every bad-input case, mutated chains and a value budget running out at each
//!   place around a receipt.
//!
//! Positive controls: the honest receipts must all be taken (or the fast path would be
//! dead), and the demo chain must verify.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[macro_use]
mod common;

use common::*;
use receipt_verify::{
    fast_receipt_agrees_with_strict as agrees, FileRole, InputFile, PublicKey, RustCryptoBackend, Verdict, Verification,
};

fn taken(line: &str) -> bool {
    agrees(line.as_bytes()).unwrap_or_else(|e| panic!("{line}: {e}"))
}

/// The report of `files` read with the fast reader, as JSON, after checking it equals the
/// report with every line read strictly.
fn both_ways(keys: &[PublicKey], files: &[InputFile]) -> String {
    let fast = Verification::new(keys.to_vec(), files).finish_with(&RustCryptoBackend);
    let strict = Verification::new_read_strictly(keys.to_vec(), files).finish_with(&RustCryptoBackend);
    let (fast, strict) = (serde_json::to_string(&fast).unwrap(), serde_json::to_string(&strict).unwrap());
    if fast != strict {
        let at = fast.bytes().zip(strict.bytes()).take_while(|(a, b)| a == b).count();
        let near = |s: &str| s.get(at.saturating_sub(300)..(at + 300).min(s.len())).unwrap_or_default().to_string();
        panic!(
            "the fast reader changed the report at byte {at}:\nfast   …{}…\nstrict …{}…",
            near(&fast),
            near(&strict)
        );
    }
    fast
}

#[test]
fn every_honest_demo_receipt_is_read_the_fast_way_and_agrees() {
    let lines: Vec<&str> = RECEIPTS.lines().chain(TAMPERED_CHAIN.lines()).collect();
    for line in &lines {
        assert!(taken(line), "declined: {line}");
    }
    say!("fast receipts: {} demo receipts taken, each equal to the strict reading", lines.len());
    assert!(lines.len() >= 10);
    let report = Verification::new(jwks(), &[InputFile::new("receipts.jsonl", RECEIPTS.as_bytes().to_vec())])
        .finish_with(&RustCryptoBackend);
    assert_eq!(report.verdict(), Verdict::Verified, "positive control");
}

/// A demo receipt with `member` set to `value` (as written), added if absent.
fn with(member: &str, value: &str) -> String {
    let line = RECEIPTS.lines().nth(1).unwrap();
    let mut obj: serde_json::Map<String, serde_json::Value> = serde_json::from_str(line).unwrap();
    obj.remove(member);
    let body = serde_json::to_string(&obj).unwrap();
    format!("{{\"{member}\":{value},{}", &body[1..])
}

/// A demo receipt without `member`.
fn without(member: &str) -> String {
    let line = RECEIPTS.lines().nth(1).unwrap();
    let mut obj: serde_json::Map<String, serde_json::Value> = serde_json::from_str(line).unwrap();
    assert!(obj.remove(member).is_some(), "{member}");
    serde_json::to_string(&obj).unwrap()
}

#[test]
fn receipts_rfc_8785_writes_as_written_are_taken() {
    let cases = [
        with("batchSize", "-12"),
        with("batchSize", "123456789012345"),
        with("note", "true"),
        with("note", "null"),
        with("note", "\"a ~/ b\""),
        with("alg", "\"PS256\""),
        without("alg"),
        // Whitespace anywhere JSON allows it, and members in any order.
        RECEIPTS.lines().nth(2).unwrap().replace("\",", "\" ,\t").replace("\":", "\" : ").replace('{', " { "),
    ];
    for line in &cases {
        assert!(taken(line), "declined: {line}");
    }
    say!("fast receipts: {} named receipts taken", cases.len());
}

#[test]
fn anything_else_goes_to_the_strict_path() {
    let mut declined = vec![
        with("type", "\"batch\""),
        with("type", "\"wave-approval\""),
        with("alg", "256"),
        with("alg", "null"),
        with("batchSize", "1.0"),
        with("batchSize", "-0"),
        with("batchSize", "1e3"),
        with("batchSize", "1234567890123456"),
        with("note", "\"caf\u{e9}\""),
        with("note", "\"a\\\"b\""),
        with("note", "[1]"),
        with("note", "{}"),
        with("customerId", "\"\""),
        with("customerId", "42"),
        with("kid", "\"\""),
        with("wormBlobUri", "\"\""),
        with("immutability", "\"\""),
        with("signature", "\"\""),
        with("signature", "\"not base64!\""),
        with("prevHash", "\"0xABC\""),
        with("batchHead", "null"),
        with("thisHash", "\"0X00\""),
        with("signedAt", "\"2026-02-30T00:00:00Z\""),
        with("signedAt", "\"2026-03-02T09:00:00+01:00\""),
        with("signedAt", "1772442000"),
        format!("{},\"kid\":\"again\"}}", with("note", "1").trim_end_matches('}')),
        format!("\u{feff}{}", with("note", "1")),
        format!("{} x", with("note", "1")),
        "{}".into(),
        "[]".into(),
        String::new(),
    ];
    for member in ["customerId", "batchHead", "prevHash", "thisHash", "signedAt", "kid", "signature", "wormBlobUri"] {
        declined.push(without(member));
    }
    declined.push(without("immutability"));
    for line in &declined {
        assert!(!taken(line), "taken: {line}");
    }
    say!("fast receipts: {} named lines declined", declined.len());
}

#[test]
fn mutated_receipts_are_taken_only_when_both_readings_agree() {
    let mut rng = Rng(0x5eed_4ece);
    let lines: Vec<&str> = RECEIPTS.lines().collect();
    let (mut same, mut declined) = (0, 0);
    let cases = if cfg!(target_arch = "wasm32") { 2_000 } else { 20_000 };
    for _ in 0..cases {
        let pick = lines[rng.below(lines.len())];
        let line = mutate(&mut rng, pick);
        match agrees(line.as_bytes()) {
            Ok(true) => same += 1,
            Ok(false) => declined += 1,
            Err(e) => panic!("the readings disagree on {line:?}: {e}"),
        }
    }
    say!("fast receipts: {cases} mutated receipts, {same} taken and equal to the strict reading, {declined} declined");
    // Both ways must be exercised, or the mutations say nothing.
    assert!(same > cases / 40 && declined > cases / 4, "{same} taken, {declined} declined");
}

#[test]
fn chains_with_a_mutated_line_give_the_strict_report() {
    let mut rng = Rng(0xc4a1_4e55);
    let keys = jwks();
    let lines: Vec<&str> = RECEIPTS.lines().collect();
    let cases = if cfg!(target_arch = "wasm32") { 40 } else { 300 };
    let mut verified = 0;
    for _ in 0..cases {
        let mut chain: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        let at = rng.below(chain.len());
        chain[at] = mutate(&mut rng, &chain[at]);
        let file = InputFile::new("receipts.jsonl", chain.join("\n").into_bytes());
        let role = if rng.below(2) == 0 { FileRole::Auto } else { FileRole::Receipts };
        let report = both_ways(&keys, &[file.with_role(role)]);
        verified += usize::from(report.contains("\"verdict\":\"verified\""));
    }
    say!("fast receipts: {cases} chains with one mutated line, each report equal to the strict one ({verified} verified)");
    assert!(verified < cases, "no mutation was caught");
}

/// The file's value budget (SPEC.md §15) runs out before, inside and after a receipt
/// read the fast way: the reading must stop at the same place as the strict parser's.
#[test]
fn a_value_budget_running_out_at_a_receipt_stops_both_readings_alike() {
    let keys = jwks();
    let receipt = RECEIPTS.lines().next().unwrap();
    // A small file has 65,536 values. An array of n zeros takes n + 1 of them, so arrays
    // leave exactly `left` for the receipts, which take 8 and two per member, its name
    // and its value (30 for a demo receipt): every place around the three is tried.
    let lefts: Vec<usize> =
        if cfg!(target_arch = "wasm32") { vec![0, 29, 30, 59, 60, 89, 90, 95] } else { (0..=100).collect() };
    let (mut stopped, mut read) = (0, 0);
    for left in &lefts {
        let mut spent = 65_536 - left;
        let mut text = String::new();
        while spent > 0 {
            let zeros = spent.min(1_000) - 1;
            text.push_str(&format!("[{}]\n", vec!["0"; zeros].join(",")));
            spent -= zeros + 1;
        }
        text.push_str(&[receipt; 3].join("\n"));
        let file = InputFile::new("receipts.jsonl", text.into_bytes()).with_role(FileRole::Receipts);
        let report = both_ways(&keys, &[file]);
        if report.contains("values") && report.contains("input.parse") {
            stopped += 1;
        } else {
            read += 1;
        }
    }
    say!("fast receipts: value budget: {stopped} files stopped, {read} read to the end, alike both ways");
    assert!(stopped > 0 && read > 0, "{stopped} stopped, {read} read: the boundary was not crossed");
}

/// Every bad-input case (tests/bad-inputs/cases.json), with its own keys, rows and
/// receipt files: the same report both ways.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn every_bad_input_case_gives_the_strict_report() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/bad-inputs");
    let cases: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("cases.json")).unwrap()).unwrap();
    let mut n = 0;
    for case in cases["cases"].as_array().unwrap() {
        let (mut keys, mut receipts, mut rows) = (Vec::new(), Vec::new(), None);
        for file in case["files"].as_array().unwrap() {
            let path = file["path"].as_str().unwrap();
            let bytes = std::fs::read(root.join(path)).unwrap();
            match file["role"].as_str().unwrap() {
                "keys" => keys.extend(receipt_verify::parse_keys(&bytes, path).unwrap_or_default()),
                "rows" => rows = Some(InputFile::new(path, bytes)),
                _ => receipts.push(InputFile::new(path, bytes)),
            }
        }
        let verify = |v: Verification| {
            let mut v = v;
            if let Some(rows) = &rows {
                v.begin_rows(&rows.name);
                v.push_rows(&rows.bytes);
                v.end_rows();
            }
            serde_json::to_string(&v.finish_with(&RustCryptoBackend)).unwrap()
        };
        let fast = verify(Verification::new(keys.clone(), &receipts));
        let strict = verify(Verification::new_read_strictly(keys, &receipts));
        assert!(fast == strict, "{}: the fast reader changed the report", case["name"]);
        n += 1;
    }
    say!("fast receipts: {n} bad-input cases, each report equal to the strict one");
    assert!(n >= 273);
}
