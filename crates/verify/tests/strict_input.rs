//! The strict-input rules of format v1.1 (SPEC.md §2, §3, §5, §9), end to end through the
//! engine: numbers that would change value when canonicalised, a BOM inside JSON Lines,
//! leap seconds, strict WORM URIs, and one classifier for "what is this file". Each
//! refusal has a positive control next to it, so a verifier that refuses everything fails.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[macro_use]
mod common;

use common::*;
use receipt_verify::{ids, parse_keys, verify, FileRole, InputFile, JsonError, KeyError, RustCryptoBackend, Status};
use serde_json::{json, Value};

fn receipt() -> serde_json::Map<String, Value> {
    receipts()[2].clone()
}

/// The demo receipt re-sealed with `batchSize` set to `value`, as text.
fn sealed_with_batch_size(value: Value) -> String {
    let mut r = receipt();
    r.insert("batchSize".into(), value);
    reseal(&mut r);
    serde_json::to_string(&r).unwrap()
}

fn the_failure<'r>(report: &'r receipt_verify::Report, id: &str) -> &'r receipt_verify::Check {
    report.failures().find(|c| c.id == id).unwrap_or_else(|| panic!("no {id} failure"))
}

// --- Numbers (SPEC.md §2) -------------------------------------------------------------

#[test]
fn a_number_that_canonicalises_to_another_value_is_refused_in_a_receipt() {
    let signed = sealed_with_batch_size(json!(9_007_199_254_740_992_u64));
    assert_fails(&run(&[("r.json", signed.clone())], None), &[]);
    // The same signature over a text that RFC 8785 would round to the signed value.
    for written in ["9007199254740993", "9007199254740992.5", "9007199254740993.0"] {
        let edited = signed.replace("9007199254740992", written);
        let report = run(&[("r.json", edited)], None);
        // Refused at parse, so no signature verified: the verdict invariant fails too.
        assert_fails(&report, &[ids::INPUT_PARSE, ids::VERDICT_SIGNATURE]);
        let c = the_failure(&report, ids::INPUT_PARSE);
        assert!(c.message.contains("/batchSize") && c.message.contains(written), "{}", c.message);
        assert!(c.message.contains("9007199254740992"), "names the canonical value: {}", c.message);
    }
}

#[test]
fn texts_of_the_same_value_share_a_signature() {
    let signed = sealed_with_batch_size(json!(100));
    for same in ["100", "100.0", "1E2", "1e+2", "100.000"] {
        let text = signed.replace("\"batchSize\":100", &format!("\"batchSize\":{same}"));
        assert!(text.contains(same));
        assert_fails(&run(&[("r.json", text)], None), &[]);
    }
}

#[test]
fn the_number_rule_holds_for_rows_approvals_and_keys() {
    // A row: its amount edited to a text that rounds to the same double.
    let rows = ROWS.replacen("\"seq\":1,", "\"amount\":1e-400,\"seq\":1,", 1);
    let report = run(&[("receipts.jsonl", RECEIPTS.into())], Some(&rows));
    let c = the_failure(&report, ids::ROWS_PARSE);
    assert!(c.message.contains("1e-400"), "{}", c.message);
    // Approvals.
    let approvals = APPROVALS.replacen("[", "[{\"n\":18446744073709551617},", 1);
    let report = run(&[("approvals.json", approvals)], None);
    assert!(the_failure(&report, ids::INPUT_PARSE).message.contains("18446744073709551617"));
    assert_fails(&run(&[("approvals.json", APPROVALS.into())], None), &[]);
    // Keys.
    let jwks = JWKS.replacen('{', "{\"x-serial\":1e400,", 1);
    match parse_keys(jwks.as_bytes(), "jwks.json") {
        Err(KeyError::Json(JsonError::NumberChanged { written, canonical: None, .. })) => assert_eq!(written, "1e400"),
        other => panic!("{other:?}"),
    }
    let jwks = JWKS.replacen('{', "{\"x-serial\":1.50,", 1);
    assert!(parse_keys(jwks.as_bytes(), "jwks.json").is_ok());
}

// --- Byte-order marks (SPEC.md §3) ----------------------------------------------------

#[test]
fn a_byte_order_mark_only_at_the_start_of_a_file() {
    assert_fails(&run(&[("receipts.jsonl", format!("\u{feff}{RECEIPTS}"))], None), &[]);
    let mut lines: Vec<&str> = RECEIPTS.lines().collect();
    let second = format!("\u{feff}{}", lines[1]);
    lines[1] = &second;
    let report = run(&[("receipts.jsonl", lines.join("\n"))], None);
    let c = the_failure(&report, ids::INPUT_PARSE);
    assert_eq!(c.subject.line, Some(2));
    assert!(c.message.contains("byte-order mark"), "{}", c.message);
}

// --- Leap seconds (SPEC.md §5) --------------------------------------------------------

#[test]
fn a_leap_second_only_at_the_end_of_june_or_december() {
    let mut r = receipt();
    r.insert("signedAt".into(), json!("2026-03-02T09:03:60Z"));
    reseal(&mut r);
    assert!(failed_ids(&verify_one(&r)).contains(ids::RECEIPT_FIELDS));
    r.insert("signedAt".into(), json!("2026-03-02T23:59:60Z"));
    reseal(&mut r);
    assert!(failed_ids(&verify_one(&r)).contains(ids::RECEIPT_FIELDS));
    let mut leap = receipt();
    leap.insert("signedAt".into(), json!("2026-06-30T23:59:60Z"));
    let uri = leap["wormBlobUri"].as_str().unwrap().replace("2026/03/02/0903Z", "2026/06/30/2359Z");
    leap.insert("wormBlobUri".into(), json!(uri));
    reseal(&mut leap);
    let report = verify_one(&leap);
    assert!(!failed_ids(&report).contains(ids::RECEIPT_FIELDS), "{:?}", failed_ids(&report));
    assert!(has(&report, ids::WORM_URI, Status::Pass));
}

fn verify_one(r: &serde_json::Map<String, Value>) -> receipt_verify::Report {
    run(&one("r.json", r), None)
}

// --- WORM URI (SPEC.md §9) ------------------------------------------------------------

#[test]
fn worm_uris_that_only_look_right_are_refused() {
    const TAIL: &str = "/cust-0042/2026/03/02/0903Z.json";
    let refused = [
        format!("https://evil.example?x={TAIL}"),
        format!("https://evil.example#{TAIL}"),
        format!("https://@{TAIL}"),
        format!("https://evil.example\\@good.example{TAIL}"),
        format!("https://user@good.example{TAIL}"),
        format!("https://good.example/audit/x/..{TAIL}"),
        format!("https://good.example/audit%2F..{TAIL}"),
        format!("https://good.example/a b{TAIL}"),
        format!("https://good.example/\u{1b}[2J\u{1b}[32mVERIFIED{TAIL}"),
        format!("https://10.0.0.1{TAIL}"),
        format!("http://good.example{TAIL}"),
    ];
    for uri in refused {
        let mut r = receipt();
        r.insert("wormBlobUri".into(), json!(uri));
        reseal(&mut r);
        let report = verify_one(&r);
        assert_fails(&report, &[ids::WORM_URI]);
        assert!(the_failure(&report, ids::WORM_URI).message.contains("strict https URL"), "{uri}");
    }
}

#[test]
fn honest_worm_uris_pass() {
    let honest = [
        "https://wormauditprod.blob.core.windows.net/audit/cust-0042/2026/03/02/0903Z.json?versionid=2026-03-02T09:03:00.1234567Z",
        "HTTPS://WormAuditProd.blob.core.windows.net/audit/cust-0042/2026/03/02/0903Z.json",
        "https://s3.eu-west-1.amazonaws.com:443/bucket/cust-0042/2026/03/02/0903Z.json?versionId=3%2Fx",
    ];
    for uri in honest {
        let mut r = receipt();
        r.insert("wormBlobUri".into(), json!(uri));
        reseal(&mut r);
        let report = verify_one(&r);
        assert_fails(&report, &[]);
        assert!(has(&report, ids::WORM_URI, Status::Pass), "{uri}");
    }
}

// --- One classifier (SPEC.md §3) ------------------------------------------------------

#[test]
fn a_row_export_given_as_receipts_is_one_clear_failure() {
    let mut rows = rows();
    rows[4].insert("kid".into(), json!("kv-premium/keys/audit-2026/2"));
    rows[4].insert("signature".into(), json!("AAAA"));
    let text = jsonl(&rows);
    assert_eq!(receipt_verify::inspect(text.as_bytes()).kind, receipt_verify::FileKind::RowExport);
    let report = run(&[("receipts.jsonl", RECEIPTS.into()), ("export.jsonl", text.clone())], None);
    assert_eq!(report.failures().count(), 1, "{:?}", failed_ids(&report));
    let c = the_failure(&report, ids::INPUT_KIND);
    assert_eq!(c.subject.file.as_deref(), Some("export.jsonl"));
    assert!(c.message.contains("export.jsonl") && c.message.contains("row export"), "{}", c.message);
    // Given as the row export, the same file is checked as rows.
    let report = run(&[("receipts.jsonl", RECEIPTS.into())], Some(&text));
    assert!(!failed_ids(&report).contains(ids::INPUT_KIND));
    // A caller may force the receipt reading; then every row is read as a receipt.
    let forced = InputFile::new("export.jsonl", text.into_bytes()).with_role(FileRole::Receipts);
    let report = verify(jwks(), &[forced], None, &RustCryptoBackend);
    let fields = report.failures().filter(|c| c.id == ids::RECEIPT_FIELDS).count();
    assert!(fields >= rows.len(), "{fields}");
}

#[test]
fn a_key_file_given_as_receipts_is_one_clear_failure() {
    let report = run(&[("receipts.jsonl", RECEIPTS.into()), ("jwks.json", JWKS.into())], None);
    assert_fails(&report, &[ids::INPUT_KIND]);
    assert!(the_failure(&report, ids::INPUT_KIND).message.contains("key file"));
}

/// An item with no chain member between two receipts does not hide the link between
/// them: a removed receipt replaced by `{}` still fails `chain.link` (SPEC.md §7, v1.1).
/// Control: `{}` between two consecutive receipts fails only `receipt.fields`.
#[test]
fn an_item_without_chain_members_does_not_hide_a_missing_receipt() {
    let all = receipts();
    let text = |items: &[Value]| items.iter().map(|v| format!("{v}\n")).collect::<String>();
    let removed = text(&[Value::Object(all[0].clone()), json!({}), Value::Object(all[2].clone())]);
    assert_fails(&run(&[("receipts.jsonl", removed)], None), &["receipt.fields", "chain.link"]);
    let consecutive = text(&[Value::Object(all[0].clone()), json!({}), Value::Object(all[1].clone())]);
    assert_fails(&run(&[("receipts.jsonl", consecutive)], None), &["receipt.fields"]);
}

/// A customerId that is not one path segment (`x/y`) has no valid wormBlobUri, even one
/// whose path ends in `/x/y/{date}` (red team 3); control: `x-y` with its own path passes.
#[test]
fn a_customer_id_split_over_path_segments_has_no_worm_uri() {
    for (customer, ok) in [("x/y", false), ("x-y", true)] {
        let mut r = receipt();
        r.insert("customerId".into(), json!(customer));
        let uri = format!("https://wormauditprod.blob.core.windows.net/audit/{customer}/2026/03/02/0903Z.json");
        r.insert("wormBlobUri".into(), json!(uri));
        reseal(&mut r);
        let report = verify_one(&r);
        if ok {
            assert_fails(&report, &[]);
        } else {
            assert_fails(&report, &[ids::WORM_URI]);
            assert!(the_failure(&report, ids::WORM_URI).message.contains("one path segment"));
        }
    }
}

/// Red team 6: a file whose reading stops at its value budget (SPEC.md §15) was named by
/// the counts of the part read as if they were the whole file's ("a row export of 432537
/// rows" for 555,128). The label now says "at least". Positive control: the same kind of
/// file within its budget keeps its exact count and no "at least".
#[test]
fn counts_of_a_file_cut_short_by_its_value_budget_say_at_least() {
    // Receipt-shaped lines, then rows of 200 values each (2 bytes a value): the file's
    // budget (at least 65,536 values) runs out among the rows.
    let receipt_lines = receipts().iter().map(|r| serde_json::to_string(r).unwrap()).collect::<Vec<_>>().join("\n");
    let row = |seq: usize, values: usize| {
        format!("{{\"seq\":{seq},\"thisHash\":\"x\",\"v\":[{}]}}", vec!["1"; values].join(","))
    };
    let file = |rows: usize, values: usize| {
        let rows: Vec<String> = (1..=rows).map(|s| row(s, values)).collect();
        format!("{receipt_lines}\n{}\n", rows.join("\n")).into_bytes()
    };
    let message = |bytes: Vec<u8>| {
        let report = verify(jwks(), &[InputFile::new("mixed.jsonl", bytes.clone())], None, &RustCryptoBackend);
        let kind = the_failure(&report, ids::INPUT_KIND);
        (kind.message.clone(), kind.actual.clone().unwrap_or_default(), receipt_verify::inspect(&bytes).label)
    };
    let (msg, actual, label) = message(file(1_000, 200));
    assert!(msg.contains("is a row export of at least "), "{msg}");
    assert!(actual.starts_with("a row export of at least "), "{actual}");
    assert!(label.contains("at least"), "{label}");
    let counted: usize =
        actual.trim_start_matches("a row export of at least ").trim_end_matches(" rows").parse().unwrap();
    assert!(counted < 1_000, "{counted} rows counted of 1,000: reading stopped before the end");
    // Within the budget: the exact count, no "at least".
    let (msg, actual, label) = message(file(1_000, 2));
    assert!(msg.contains("is a row export of 1000 rows"), "{msg}");
    assert_eq!(actual, "a row export of 1000 rows");
    assert!(!label.contains("at least"), "{label}");
}
