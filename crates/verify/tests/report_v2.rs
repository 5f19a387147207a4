//! Report v2 (issue 10 §3, SPEC.md §12): the report stays bounded whatever the number of
//! receipts. Passes are one entry per check id, with their count and first and last
//! places; failures, warnings and notes are listed up to `MAX_LISTED_PER_CHECK` per id,
//! the rest counted. The summary keeps the true totals and the verdict its rule.
//!
//! Native only: the chain of 5,000 receipts is re-signed with the `rsa` crate, which in a
//! debug WASM build runs for minutes and blocks headless Chromium's test page past its
//! webdriver timeout. Report assembly is the same code on every target, and the WASM
//! package's v2 reports are compared with the CLI's in tests/node/parity.test.mjs.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

#[macro_use]
mod common;

use std::sync::OnceLock;

use common::*;
use receipt_verify::limits::MAX_LISTED_PER_CHECK;
use receipt_verify::{
    ids, parse_keys, verify, worm_path_suffix, Check, InputFile, Report, RustCryptoBackend, Status, Timestamp, Verdict,
};
use serde_json::{Map, Value};

/// Receipts in the honest chain built once for every test here.
const N: usize = 5_000;

/// An honest chain of `N` receipts of the demo customer, one a minute, each re-linked
/// and re-signed with the demo audit key.
fn chain() -> &'static [Map<String, Value>] {
    static CHAIN: OnceLock<Vec<Map<String, Value>>> = OnceLock::new();
    CHAIN.get_or_init(|| {
        let template = receipts()[0].clone();
        let mut chain: Vec<Map<String, Value>> = (0..N)
            .map(|i| {
                let mut r = template.clone();
                let (day, minute) = (2 + i / 1440, i % 1440);
                let at = format!("2026-03-{day:02}T{:02}:{:02}:00Z", minute / 60, minute % 60);
                let t: Timestamp = at.parse().unwrap();
                let uri =
                    format!("https://wormauditprod.blob.core.windows.net/audit{}", worm_path_suffix("cust-0042", t));
                r.insert("signedAt".into(), Value::String(at));
                r.insert("wormBlobUri".into(), Value::String(uri));
                r
            })
            .collect();
        reseal_chain(&mut chain);
        chain
    })
}

/// Verify receipts as one JSON Lines file under the demo JWKS (without writing a parity
/// case: the corpus stays small).
fn verify_lines(receipts: &[Map<String, Value>]) -> Report {
    let keys = parse_keys(JWKS.as_bytes(), "jwks.json").unwrap();
    verify(keys, &[InputFile::new("receipts.jsonl", jsonl(receipts).into_bytes())], None, &RustCryptoBackend)
}

fn entries<'a>(report: &'a Report, id: &str, status: Status) -> Vec<&'a Check> {
    report.checks.iter().filter(|c| c.id == id && c.status == status).collect()
}

fn weight(report: &Report, id: &str, status: Status) -> usize {
    entries(report, id, status).iter().map(|c| c.weight()).sum()
}

fn json_len(report: &Report) -> usize {
    serde_json::to_vec(report).unwrap().len()
}

#[test]
fn honest_receipts_give_one_pass_entry_per_check_id_with_count_and_first_and_last_place() {
    let report = verify_lines(chain());
    assert_fails(&report, &[]);
    let passes: Vec<&Check> = report.checks.iter().filter(|c| c.status == Status::Pass).collect();
    let mut ids: Vec<&str> = passes.iter().map(|c| c.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), passes.len(), "one pass entry per check id");
    for id in [ids::RECEIPT_SIGNATURE, ids::RECEIPT_HASH, ids::WORM_URI, ids::WORM_IMMUTABILITY] {
        let e = entries(&report, id, Status::Pass);
        assert_eq!(e.len(), 1, "{id}");
        assert_eq!(e[0].count, Some(N), "{id}: every receipt's pass counted");
        assert_eq!((e[0].subject.index, e[0].subject.line), (Some(0), Some(1)), "{id}: the first place");
        let last = e[0].last.as_ref().unwrap();
        assert_eq!((last.index, last.line), (Some(N - 1), Some(N)), "{id}: the last place");
        assert_eq!(e[0].subject.file.as_deref(), Some("receipts.jsonl"));
    }
    // Later passes and notes over the cap are made without words (nobody reads them), so
    // every listed entry must still carry its first finding's words.
    for c in &report.checks {
        assert!(!c.message.is_empty(), "{} {}: listed without words", c.id, c.status);
    }
    let words = |id: &str| entries(&report, id, Status::Pass)[0].message.clone();
    assert_eq!(
        words(ids::RECEIPT_SIGNATURE),
        "signature verifies (RS256) under kid \"https://kv-premium.vault.azure.net/keys/audit-2026/2\""
    );
    assert_eq!(
        words(ids::KEY_ROLE),
        "kid \"https://kv-premium.vault.azure.net/keys/audit-2026/2\" may sign batch receipts"
    );
    assert_eq!(words(ids::WORM_IMMUTABILITY), "locked for 7 years");
    // A whole-chain check passes once, and its entry says so.
    assert_eq!(entries(&report, ids::CHAIN_LINK, Status::Pass)[0].count, Some(1));
    let s = report.summary();
    assert_eq!(s.pass, passes.iter().map(|c| c.weight()).sum::<usize>(), "the summary counts every pass");
    assert!(s.pass >= 4 * N);
    // One retention note per receipt: the first MAX_LISTED_PER_CHECK listed, the rest counted.
    assert_eq!(weight(&report, ids::WORM_RETENTION, Status::Note), N);
    assert_eq!(entries(&report, ids::WORM_RETENTION, Status::Note).len(), MAX_LISTED_PER_CHECK + 1);
    assert_eq!(report.keys[0].verified_signatures, N, "every signature verified, though listed once");
    // The JSON says it too.
    let json: Value = serde_json::to_value(&report).unwrap();
    assert_eq!(json["format"], "receipt-report/v2");
    let sig = json["checks"].as_array().unwrap().iter().find(|c| c["id"] == ids::RECEIPT_SIGNATURE).unwrap();
    assert_eq!(
        (&sig["count"], &sig["subject"]["index"], &sig["last"]["index"]),
        (&N.into(), &0.into(), &(N - 1).into())
    );
}

#[test]
fn report_size_does_not_grow_with_the_number_of_receipts() {
    let (small, large) = (verify_lines(&chain()[..500]), verify_lines(chain()));
    let mid = verify_lines(&chain()[..MAX_LISTED_PER_CHECK + 500]);
    assert_eq!(
        (small.verdict(), mid.verdict(), large.verdict()),
        (Verdict::Verified, Verdict::Verified, Verdict::Verified)
    );
    // The passes: a few digits more for ten times the receipts.
    let passes = |r: &Report| {
        let p: Vec<&Check> = r.checks.iter().filter(|c| c.status == Status::Pass).collect();
        serde_json::to_vec(&p).unwrap().len()
    };
    let (p_small, p_large) = (passes(&small), passes(&large));
    assert!(p_large.abs_diff(p_small) < 512, "passes: {p_small} bytes for 500 receipts, {p_large} for {N}");
    // The whole report: once the one note per receipt is past its cap, it stays put.
    let (j_mid, j_large) = (json_len(&mid), json_len(&large));
    assert!(
        j_large.abs_diff(j_mid) < 2048,
        "{j_mid} bytes for {} receipts, {j_large} for {N}",
        MAX_LISTED_PER_CHECK + 500
    );
    assert!(j_large < 400 * 1024, "{j_large} bytes");
    assert_eq!(large.checks.len(), mid.checks.len(), "the same entries, with other counts");
    say!(
        "report v2: {} bytes for 500 receipts, {j_mid} for {}, {j_large} for {N}",
        json_len(&small),
        MAX_LISTED_PER_CHECK + 500
    );
}

#[test]
fn signature_failures_over_the_cap_are_counted_not_listed_and_the_verdict_stays_failed() {
    let n = MAX_LISTED_PER_CHECK + 300;
    let mut bad = chain()[..n].to_vec();
    for r in &mut bad {
        // Another valid base64 character: the signature keeps its length and no longer verifies.
        let mut sig = r["signature"].as_str().unwrap().to_string();
        let swap = if sig.starts_with('A') { "B" } else { "A" };
        sig.replace_range(0..1, swap);
        r.insert("signature".into(), Value::String(sig));
    }
    let report = verify_lines(&bad);
    assert_eq!(report.verdict(), Verdict::Failed);
    assert_fails(&report, &[ids::RECEIPT_SIGNATURE, ids::VERDICT_SIGNATURE]);
    let listed = entries(&report, ids::RECEIPT_SIGNATURE, Status::Fail);
    assert_eq!(listed.len(), MAX_LISTED_PER_CHECK + 1, "the cap, then one entry for the rest");
    let rest = listed.last().unwrap();
    assert_eq!(rest.count, Some(300));
    assert!(rest.message.starts_with("300 more receipt.signature failures not listed"), "{}", rest.message);
    assert_eq!(rest.actual.as_deref(), Some(format!("{n} in all").as_str()));
    assert_eq!(listed[0].subject.index, Some(0), "the first failures are the ones listed");
    let places = (rest.subject.index, rest.last.as_ref().and_then(|s| s.index));
    assert_eq!(places, (Some(MAX_LISTED_PER_CHECK), Some(n - 1)), "the rest: its first and last places");
    assert_eq!(weight(&report, ids::RECEIPT_SIGNATURE, Status::Fail), n, "every failure counted");
    assert_eq!(report.summary().fail, n + 1, "and the summary counts them all, with verdict.signature");
    assert!(entries(&report, ids::RECEIPT_SIGNATURE, Status::Pass).is_empty());
    // Positive control: the same receipts with their signatures intact verify.
    assert_eq!(verify_lines(&chain()[..n]).verdict(), Verdict::Verified);
}
