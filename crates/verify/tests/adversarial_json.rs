//! About 10 MB of hostile JSON of each shape (SPEC.md §15, v1.1). Each must end in a
//! typed error that names its limit, or in a bounded outcome: the test counts what came
//! out (findings, members, numbers), never the time it took.
//! Native only: the same code runs in WASM, and building 10 MB inputs seven times over in
//! headless Chromium would dominate the test run.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

#[macro_use]
mod common;

use receipt_verify::limits::{MAX_DEPTH, MAX_DOCUMENT_BYTES, MAX_RECEIPTS, MAX_STRING_BYTES};
use receipt_verify::{ids, json, split_items, verify, InputFile, JsonError, Report, RustCryptoBackend};

const TEN_MB: usize = 10 << 20;

fn verify_as_receipts(bytes: Vec<u8>) -> Report {
    verify(common::jwks(), &[InputFile::new("hostile.json", bytes)], None, &RustCryptoBackend)
}

/// The one finding about the hostile input itself. A refused file proves nothing, so the
/// report holds exactly that finding and the failed `verdict.signature` (v1.1 invariant).
fn the_finding(report: &Report) -> &receipt_verify::Check {
    assert_eq!(report.checks.len(), 2, "{:?}", report.checks);
    let verdict: Vec<_> = report.checks.iter().filter(|c| c.id == ids::VERDICT_SIGNATURE).collect();
    assert_eq!(verdict.len(), 1, "{:?}", report.checks);
    assert_eq!(verdict[0].status, receipt_verify::Status::Fail);
    let finding = report.checks.iter().find(|c| c.id != ids::VERDICT_SIGNATURE).unwrap();
    assert_eq!(finding.status, receipt_verify::Status::Fail, "{finding:?}");
    finding
}

/// `item` repeated (comma-separated) inside `[ ]` until the text is about 10 MB.
fn array_of(item: &str) -> (String, usize) {
    let n = TEN_MB / (item.len() + 1);
    let mut s = String::with_capacity(TEN_MB + 2);
    s.push('[');
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        s.push_str(item);
    }
    s.push(']');
    (s, n)
}

#[test]
fn deep_nesting_stops_at_the_depth_limit() {
    for open in ["[", "{\"a\":"] {
        let doc = open.repeat(TEN_MB / open.len());
        assert_eq!(json::parse(doc.as_bytes()), Err(JsonError::TooDeep { limit: MAX_DEPTH }), "{open}");
        let report = verify_as_receipts(doc.into_bytes());
        let finding = the_finding(&report);
        assert!(finding.message.contains("MAX_DEPTH"), "{}", finding.message);
    }
}

#[test]
fn one_huge_string_is_refused_by_the_string_limit() {
    let doc = format!("{{\"batchHead\":\"{}\"}}", "a".repeat(TEN_MB));
    match json::parse(doc.as_bytes()) {
        Err(JsonError::StringTooLong { pointer, bytes, limit }) => {
            assert_eq!((pointer.as_str(), bytes, limit), ("/batchHead", TEN_MB, MAX_STRING_BYTES));
        }
        other => panic!("{other:?}"),
    }
    // Escapes count after unescaping; a huge member name counts too.
    let escaped = format!("[\"{}\"]", "\\u0041".repeat(MAX_STRING_BYTES + 1));
    assert!(matches!(json::parse(escaped.as_bytes()), Err(JsonError::StringTooLong { .. })));
    let name = format!("{{\"{}\":1}}", "k".repeat(TEN_MB));
    assert!(matches!(json::parse(name.as_bytes()), Err(JsonError::StringTooLong { .. })));
    let report = verify_as_receipts(doc.into_bytes());
    assert!(the_finding(&report).message.contains("MAX_STRING_BYTES"));
}

#[test]
fn many_members_make_one_receipt_with_a_bounded_report() {
    // 12 bytes a member is under the value budget (one value per 16 bytes): refused.
    let dense: String = (0..TEN_MB / 12).map(|i| format!(",\"m{i:07}\":0")).collect();
    let dense = format!("{{\"batchHead\":\"x\"{dense}}}");
    assert!(matches!(json::parse(dense.as_bytes()), Err(JsonError::TooManyValues { .. })));
    let finding = the_finding(&verify_as_receipts(dense.into_bytes())).clone();
    assert!(finding.message.contains("MIN_BYTES_PER_VALUE"), "{}", finding.message);
    // A member's name counts as a value too (red team 17: a member builds its name, a
    // B-tree slot and its value, so 64 MiB of them took 11x the input): 20 bytes a member
    // is under the budget's two values a member, and refused (it was read).
    let medium: String = (0..TEN_MB / 20).map(|i| format!(",\"m{i:07}\":\"00000\"")).collect();
    let medium = format!("{{\"batchHead\":\"x\"{medium}}}");
    assert!(matches!(json::parse(medium.as_bytes()), Err(JsonError::TooManyValues { .. })));
    // 34 bytes a member is within it: one receipt.
    let n = TEN_MB / 34;
    let mut doc = String::from("{\"batchHead\":\"x\"");
    for i in 0..n {
        doc.push_str(&format!(",\"m{i:07}\":\"{:020}\"", 0));
    }
    doc.push('}');
    let value = json::parse(doc.as_bytes()).unwrap();
    assert_eq!(value.as_object().unwrap().len(), n + 1);
    let report = verify_as_receipts(doc.into_bytes());
    // One receipt: its field findings, not one per member.
    assert!(report.checks.len() < 20, "{} findings", report.checks.len());
    assert!(report.failures().any(|c| c.id == ids::RECEIPT_FIELDS));
}

#[test]
fn huge_arrays_of_numbers_are_read_once_and_reported_once() {
    let (doc, n) = array_of("0");
    assert!(n > MAX_RECEIPTS);
    // The value budget (v1.1) stops the parse long before MAX_RECEIPTS items are built:
    // 5 million values in 10 MB is over one per 16 bytes.
    let (_, items) = split_items("hostile.json", doc.as_bytes());
    assert_eq!(items.len(), 1);
    assert!(matches!(items[0].value, Err(JsonError::TooManyValues { limit, .. }) if limit == TEN_MB / 16));
    let report = verify_as_receipts(doc.into_bytes());
    let finding = the_finding(&report);
    assert_eq!(finding.id, ids::INPUT_PARSE, "one input.parse finding for the whole file");
    assert!(finding.message.contains("MIN_BYTES_PER_VALUE"), "{}", finding.message);
    // Padded to 16 bytes a value, the same array is read; the items that are not
    // receipts get one input.kind finding, not one each.
    let (padded, n) = array_of("0               ");
    let report = verify_as_receipts(padded.into_bytes());
    let message = &the_finding(&report).message;
    assert!(message.contains(&format!("{n} items, none a receipt or approval")), "{message}");
}

#[test]
fn many_long_numbers_are_checked_in_one_pass() {
    // Every number keeps its value (trailing zeros), so all of them are read and checked.
    let long = format!("1.{}", "0".repeat(997));
    let (doc, n) = array_of(&long);
    let value = json::parse(doc.as_bytes()).unwrap();
    assert_eq!(value.as_array().unwrap().len(), n);
    assert!(value.as_array().unwrap().iter().all(|v| v.as_f64() == Some(1.0)));
    // The same file with one digit changed in the last number is refused at that number.
    let last = doc.rfind(&long).unwrap() + long.len() - 1;
    let mut edited = doc.into_bytes();
    edited[last] = b'1';
    match json::parse(&edited) {
        Err(JsonError::NumberChanged { pointer, canonical, written }) => {
            assert_eq!(pointer, format!("/{}", n - 1));
            assert_eq!(canonical.as_deref(), Some("1"));
            assert!(written.len() < 100, "the text is shortened in the error");
        }
        other => panic!("{other:?}"),
    }
    // One number of 10 MB digits.
    let huge = "9".repeat(TEN_MB);
    assert!(matches!(json::parse(huge.as_bytes()), Err(JsonError::NumberChanged { .. })));
}

#[test]
fn many_json_lines_are_bounded() {
    let line = "{\"seq\":1,\"thisHash\":\"x\"}\n";
    let n = TEN_MB / line.len();
    let text = line.repeat(n);
    // An object (VALUES_PER_OBJECT) and two members (a name and a value each) in 26 bytes
    // is over the value budget, shared by all lines: reading stops at the line that
    // spends it, with one error item.
    let per_line = receipt_verify::limits::VALUES_PER_OBJECT + 4;
    let readable = TEN_MB / receipt_verify::limits::MIN_BYTES_PER_VALUE / per_line;
    let (_, items) = split_items("hostile.jsonl", text.as_bytes());
    assert!(items.len() < n && items.len().abs_diff(readable + 1) <= 1, "{} of {n}, {readable} expected", items.len());
    assert!(matches!(items.last().unwrap().value, Err(JsonError::TooManyValues { .. })));
    assert!(items.iter().rev().skip(1).all(|i| i.value.is_ok()));
    // Given as receipts: one finding, it is shaped as a row export.
    let report = verify_as_receipts(text.clone().into_bytes());
    assert!(the_finding(&report).message.contains("row export"));
    // Given as rows: the rows.* findings are capped and counted.
    let rows = InputFile::new("rows.jsonl", text.into_bytes());
    let report = verify(common::jwks(), &[], Some(&rows), &RustCryptoBackend);
    assert!(report.checks.len() < 400, "{} findings", report.checks.len());
    // Lines of nothing useful: one finding too.
    let junk = "{}\n".repeat(TEN_MB / 3);
    let report = verify_as_receipts(junk.into_bytes());
    the_finding(&report);
}

#[test]
fn a_document_over_the_size_limit_is_refused_before_it_is_read() {
    let over = vec![b'['; MAX_DOCUMENT_BYTES + 1];
    assert_eq!(
        json::parse(&over),
        Err(JsonError::DocumentTooLarge { bytes: MAX_DOCUMENT_BYTES + 1, limit: MAX_DOCUMENT_BYTES })
    );
    let report = verify_as_receipts(over);
    assert!(the_finding(&report).message.contains("MAX_DOCUMENT_BYTES"));
}
