//! Bounded work in the signature rounds (issue 9 §2), shown by counting jobs and message
//! allocations, never by timing: memory does not grow with the number of keys, and bad
//! signatures cost one job each beyond the first `MAX_PROBED_FAILURES`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[macro_use]
mod common;

use std::collections::HashSet;

use common::*;
use receipt_verify::limits::MAX_PROBED_FAILURES;
use receipt_verify::{ids, InputFile, PublicKey, Report, RustCryptoBackend, SignatureBackend, Status, Verification};
use serde_json::{Map, Value};

/// The demo key set, repeated: 24 keys, the RSA audit key first (so a receipt's kid
/// selects index 0).
/// Of the 23 keys a bad signature is probed under, only the 5 other RSA keys get a job:
/// the 18 EC keys refuse a 256-byte signature while it is prepared, before any backend.
const PREPARED_OTHERS: usize = 5;

fn keys_24() -> Vec<PublicKey> {
    let keys: Vec<PublicKey> = (0..6).flat_map(|_| jwks()).collect();
    assert_eq!(keys.len(), 24);
    keys
}

/// The first demo receipt with its signature's first bytes changed: it fails under the
/// key its kid selects, and under every other key.
fn bad_signature_receipt() -> Map<String, Value> {
    let mut r = receipts()[0].clone();
    let sig = r["signature"].as_str().unwrap();
    let first = if sig.starts_with('A') { 'B' } else { 'A' };
    let bad = format!("{first}{}", &sig[1..]);
    r.insert("signature".into(), Value::String(bad));
    r
}

/// Run every round; return the report, the job count of each round, and how many
/// distinct message allocations the jobs referred to.
fn drive(keys: Vec<PublicKey>, receipts: &[Map<String, Value>]) -> (Report, Vec<usize>, usize) {
    let mut v = Verification::new(keys, &[InputFile::new("receipts.jsonl", jsonl(receipts).into_bytes())]);
    let mut per_round = Vec::new();
    let mut messages = HashSet::new();
    while !v.is_done() {
        let jobs = v.pending_jobs();
        per_round.push(jobs.len());
        messages.extend(jobs.iter().map(|j| j.message.as_ptr() as usize));
        let outcomes = RustCryptoBackend.verify_batch(v.keys(), jobs);
        v.submit(outcomes).unwrap();
    }
    (v.into_report("rustcrypto"), per_round, messages.len())
}

#[test]
fn one_bad_signature_under_24_keys_shares_one_message() {
    let (report, per_round, messages) = drive(keys_24(), &[bad_signature_receipt()]);
    assert_eq!(per_round, vec![1, PREPARED_OTHERS], "round 1 under the named key, round 2 under the others");
    assert_eq!(messages, 1, "every job refers to the one copy of the signed bytes");
    assert!(report.failed(ids::RECEIPT_SIGNATURE));
}

#[test]
fn honest_receipt_under_24_keys_needs_one_job() {
    // Positive control: an honest receipt verifies in round 1, and round 2 never runs.
    let (report, per_round, messages) = drive(keys_24(), &receipts()[..1]);
    assert_eq!(per_round, vec![1]);
    assert_eq!(messages, 1);
    assert!(report.checks.iter().any(|c| c.id == ids::RECEIPT_SIGNATURE && c.status == Status::Pass));
    assert!(!report.failed(ids::RECEIPT_SIGNATURE));
}

#[test]
fn round_two_probes_only_the_first_failures() {
    let n = MAX_PROBED_FAILURES + 70;
    let bad: Vec<Map<String, Value>> = (0..n).map(|_| bad_signature_receipt()).collect();
    let (report, per_round, messages) = drive(keys_24(), &bad);
    assert_eq!(per_round, vec![n, MAX_PROBED_FAILURES * PREPARED_OTHERS], "receipts × 1, plus the capped probes");
    assert_eq!(messages, n, "one message per receipt, none per key");
    let failed: Vec<_> =
        report.checks.iter().filter(|c| c.id == ids::RECEIPT_SIGNATURE && c.status == Status::Fail).collect();
    assert_eq!(failed.len(), n);
    let unprobed = failed.iter().filter(|c| c.message.contains("not tried under the other supplied keys")).count();
    assert_eq!(unprobed, 70);
    let note = report.checks.iter().find(|c| c.status == Status::Note && c.id == ids::RECEIPT_SIGNATURE).unwrap();
    assert!(note.message.starts_with("70 failed signatures were not tried"), "{}", note.message);
    assert!(note.message.contains(&format!("first {MAX_PROBED_FAILURES}")), "{}", note.message);
}

#[test]
fn few_failures_are_all_probed_without_a_note() {
    let bad: Vec<Map<String, Value>> = (0..3).map(|_| bad_signature_receipt()).collect();
    let (report, per_round, _) = drive(keys_24(), &bad);
    assert_eq!(per_round, vec![3, 3 * PREPARED_OTHERS]);
    assert!(!report.checks.iter().any(|c| c.message.contains("not tried under the other supplied keys")));
    assert!(!report.checks.iter().any(|c| c.status == Status::Note && c.id == ids::RECEIPT_SIGNATURE));
}

#[test]
fn unselected_signatures_share_the_probe_cap() {
    // A kid no key has: round 1 probes every key. Within the cap the finding names the key
    // the signature verifies under; beyond it, it says it was not tried.
    let mut r = receipts()[0].clone();
    r.insert("kid".into(), Value::String("nobody/keys/unknown/1".into()));
    reseal(&mut r);
    let n = MAX_PROBED_FAILURES + 10;
    let chain: Vec<Map<String, Value>> = (0..n).map(|_| r.clone()).collect();
    let (report, per_round, _) = drive(jwks(), &chain);
    // Four keys, one RSA: the three EC keys refuse the RS256 signature while it is prepared.
    assert_eq!(per_round, vec![MAX_PROBED_FAILURES]);
    let select: Vec<_> = report.checks.iter().filter(|c| c.id == ids::KEY_SELECT && c.status == Status::Fail).collect();
    assert_eq!(select.len(), n);
    let named = select.iter().filter(|c| c.message.contains("the signature does verify under")).count();
    let unprobed = select.iter().filter(|c| c.message.contains("not tried under the other supplied keys")).count();
    assert_eq!((named, unprobed), (MAX_PROBED_FAILURES, 10));
    let note = report.checks.iter().find(|c| c.status == Status::Note && c.id == ids::KEY_SELECT).unwrap();
    assert!(note.message.starts_with("10 failed signatures were not tried"), "{}", note.message);
}

/// A file of tiny receipt-shaped items: each gives seven `receipt.fields` failures and a
/// `key.select` failure. Over `MAX_LISTED_PER_CHECK` of one id they are counted, not
/// listed, so the report stays small; the verdict is the same, and an honest receipt
/// after the junk still gets its own findings (a positive control for the cap's bounds).
#[test]
fn findings_of_one_check_are_listed_up_to_the_cap_then_counted() {
    use receipt_verify::limits::MAX_LISTED_PER_CHECK;
    let n = MAX_LISTED_PER_CHECK + 25;
    let mut text = "{\"kid\":\"k\",\"signature\":\"AA\"}\n".repeat(n);
    text.push_str(&jsonl(&receipts()[..1]));
    let keys = jwks();
    let report =
        receipt_verify::verify(keys, &[InputFile::new("junk.jsonl", text.into_bytes())], None, &RustCryptoBackend);
    let listed = |id: &str| report.checks.iter().filter(|c| c.id == id && c.status == Status::Fail).count();
    assert_eq!(listed(ids::KEY_SELECT), MAX_LISTED_PER_CHECK + 1, "the cap, then one summary");
    let summary = report.checks.iter().rfind(|c| c.id == ids::KEY_SELECT).unwrap();
    assert_eq!(
        summary.message,
        format!("25 more key.select failures not listed (the first {MAX_LISTED_PER_CHECK} are)")
    );
    assert_eq!(summary.actual.as_deref(), Some(format!("{n} in all").as_str()));
    // SPEC §12: the summary names the first and last of the failures it counts. Those over
    // the cap are not held as signatures (`add_slot`), so their places are kept as theirs.
    let place = |i: usize| receipt_verify::Subject {
        file: Some("junk.jsonl".into()),
        index: Some(i),
        line: Some(i + 1),
        pointer: Some("/kid".into()),
    };
    assert_eq!(summary.subject, place(MAX_LISTED_PER_CHECK), "{summary:?}");
    assert_eq!(summary.last.as_deref(), Some(&place(n - 1)), "{summary:?}");
    // The note counts every signature not tried under the other keys: those past the
    // probe cap, and those past the listing cap, which are not held at all (helper 48: it
    // said 950, leaving out the 25).
    let note = report.checks.iter().find(|c| c.status == Status::Note && c.id == ids::KEY_SELECT).unwrap();
    let not_tried = n - MAX_PROBED_FAILURES;
    assert!(note.message.starts_with(&format!("{not_tried} failed signatures were not tried")), "{}", note.message);
    assert!(listed("receipt.fields") <= MAX_LISTED_PER_CHECK + 1);
    assert!(report.checks.len() < 3 * MAX_LISTED_PER_CHECK, "{} findings", report.checks.len());
    // The honest receipt at the end is still checked and its signature verified.
    assert!(report.checks.iter().any(|c| c.id == ids::RECEIPT_SIGNATURE && c.status == Status::Pass));
    assert_eq!(report.verdict(), receipt_verify::Verdict::Failed);
}

#[test]
fn round_two_probes_stop_before_too_many_signed_bytes() {
    // A failed signature over a message of M bytes, tried under k other keys, asks a
    // backend that cannot verify a prehash (WebCrypto) to hash k × M bytes. Failures whose
    // probe would pass MAX_PROBE_BYTES are tried under their named key only; the verdict
    // does not change, only the hint "verifies under another key" is not looked for.
    // 6 MiB of signed bytes, in strings under the 1 MiB limit on one string.
    let padding = Value::Array(vec![Value::String("x".repeat(768 << 10)); 8]);
    let bad: Vec<Map<String, Value>> = (0..2)
        .map(|_| {
            let mut r = bad_signature_receipt();
            r.insert("note".into(), padding.clone());
            reseal(&mut r);
            r.insert("signature".into(), bad_signature_receipt()["signature"].clone());
            r
        })
        .collect();
    let (report, per_round, _) = drive(keys_24(), &bad);
    // 6 MiB × 23 other keys = 138 MiB fits once under 256 MiB, not twice.
    let failed: Vec<String> =
        report.checks.iter().filter(|c| c.status == Status::Fail).map(|c| format!("{} {}", c.id, c.message)).collect();
    assert_eq!(per_round, vec![2, PREPARED_OTHERS], "only the first failure is probed; failed: {failed:?}");
    let unprobed = report
        .checks
        .iter()
        .filter(|c| c.status == Status::Fail && c.message.contains("not tried under the other supplied keys"))
        .count();
    assert_eq!(unprobed, 1);
    let note = report.checks.iter().find(|c| c.status == Status::Note && c.id == ids::RECEIPT_SIGNATURE).unwrap();
    assert!(note.message.starts_with("1 failed signatures were not tried"), "{}", note.message);
    assert!(note.message.contains("256 MiB"), "{}", note.message);
    assert_eq!(report.verdict(), receipt_verify::Verdict::Failed);
}
