//! Input problems, the committed tampered examples, and the engine without a backend.

// In WASM builds `#[test]` means `#[wasm_bindgen_test]`: the same tests run natively,
// in Node and in headless Chromium.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use super::*;

// --- Input problems -------------------------------------------------------------------

#[test]
fn receipt_with_duplicate_key() {
    let text = serde_json::to_string(&receipt()).unwrap().replacen("{", "{\"kid\":\"x\",", 1);
    let report = run(&[("dup.json", text)], None);
    assert_fails(&report, expect::RECEIPT_WITH_DUPLICATE_KEY);
    assert!(report.failures().next().unwrap().message.contains("duplicate object key \"kid\""));
}

#[test]
fn receipt_with_unrepresentable_number() {
    let mut r = receipt();
    r.insert("batchSize".into(), json!(9_007_199_254_740_993_u64));
    let report = verify_receipt(&r);
    assert_fails(&report, expect::RECEIPT_WITH_UNREPRESENTABLE_NUMBER);
}

#[test]
fn unknown_type_and_non_objects() {
    let report = run(&[("x.json", "[1, {\"type\": \"coupon\"}]".into())], None);
    assert_fails(&report, expect::UNKNOWN_TYPE_AND_NON_OBJECTS);
    assert_eq!(report.failures().count(), 3);
}

#[test]
fn nothing_to_verify() {
    assert_fails(&run(&[], None), expect::NOTHING_TO_VERIFY);
}

#[test]
fn invalid_utf8_receipt() {
    let inputs = [receipt_verify::InputFile::new("bad.json", b"{\"kid\": \"\xff\"}".to_vec())];
    let report = receipt_verify::verify(jwks(), &inputs, None, &receipt_verify::RustCryptoBackend);
    assert_fails(&report, expect::INVALID_UTF8_RECEIPT);
    assert!(report.failures().next().unwrap().message.contains("invalid UTF-8 at byte offset 9"));
}

// --- The committed tampered examples ----------------------------------------------------

#[test]
fn tampered_examples_fail_as_documented_with_places_and_values() {
    type Case<'a> = (&'a [(&'a str, String)], Option<&'a str>, &'a [&'a str]);
    let cases: [Case; 4] = [
        (&[("tampered/receipt-edited.json", TAMPERED_RECEIPT.into())], None, expect::TAMPERED_RECEIPT_EDITED),
        (&[("tampered/receipts-removed.jsonl", TAMPERED_CHAIN.into())], None, expect::TAMPERED_RECEIPTS_REMOVED),
        (&[("receipts.jsonl", RECEIPTS.into())], Some(TAMPERED_ROWS), expect::TAMPERED_ROWS_DELETED_REHASHED),
        (
            &[("tampered/approval-self-approved.json", TAMPERED_APPROVAL.into())],
            None,
            expect::TAMPERED_APPROVAL_SELF_APPROVED,
        ),
    ];
    for (files, rows, expected) in cases {
        let report = run(files, rows);
        assert_fails(&report, expected);
        for c in report.failures() {
            // verdict.signature is about the whole input set: it has no file or pointer.
            if c.id == ids::VERDICT_SIGNATURE {
                assert!(c.subject.file.is_none() && c.subject.pointer.is_none(), "{c:?}");
            } else {
                assert!(c.subject.file.is_some() && c.subject.pointer.is_some(), "{c:?}");
            }
            assert!(c.expected.is_some() && c.actual.is_some(), "{c:?}");
        }
    }
}

// --- The engine ---------------------------------------------------------------------------

#[test]
fn a_report_taken_without_a_backend_never_passes_a_signature() {
    let v = receipt_verify::Verification::new(jwks(), &[receipt_verify::InputFile::new("r.jsonl", RECEIPTS.into())]);
    assert!(!v.is_done() && !v.pending_jobs().is_empty());
    let report = v.into_report("none");
    assert_fails(&report, expect::A_REPORT_TAKEN_WITHOUT_A_BACKEND_NEVER_PASSES_A_SIGNATURE);
    assert_eq!(report.failures().count(), 7);
}

#[test]
fn a_missing_or_surplus_backend_outcome_is_refused_and_changes_nothing() {
    use receipt_verify::{
        Error,
        SignatureOutcome::{Invalid, Valid},
    };
    let mut v =
        receipt_verify::Verification::new(jwks(), &[receipt_verify::InputFile::new("r.jsonl", RECEIPTS.into())]);
    let n = v.pending_jobs().len();
    assert_eq!(n, 6);
    // A broken backend that answers only the first job, then one that answers too many.
    assert_eq!(v.submit(vec![Valid]), Err(Error::Backend { jobs: 6, outcomes: 1 }));
    assert_eq!(v.submit(vec![Valid; 7]), Err(Error::Backend { jobs: 6, outcomes: 7 }));
    assert_eq!(v.pending_jobs().len(), 6, "a refused submission changes nothing");
    let mut outcomes = vec![Invalid; 6];
    outcomes[0] = Valid;
    v.submit(outcomes).unwrap();
    while !v.is_done() {
        let k = v.pending_jobs().len();
        v.submit(vec![Invalid; k]).unwrap();
    }
    assert_eq!(v.submit(Vec::new()), Err(Error::Backend { jobs: 0, outcomes: 0 }), "nothing left to answer");
    let report = v.into_report("broken");
    assert_fails(&report, expect::MISSING_BACKEND_OUTCOMES_COUNT_AS_FAILURES);
    assert_eq!(report.failures().count(), 5);
}

/// A synchronous backend that answers the wrong number of jobs.
struct Miscounting(usize);

impl receipt_verify::SignatureBackend for Miscounting {
    fn name(&self) -> &'static str {
        "miscounting"
    }
    fn verify_batch(
        &self,
        _: &[receipt_verify::PublicKey],
        jobs: &[receipt_verify::SignatureJob],
    ) -> Vec<receipt_verify::SignatureOutcome> {
        vec![receipt_verify::SignatureOutcome::Valid; jobs.len() + self.0 - 1]
    }
}

#[test]
fn a_backend_that_miscounts_is_the_engines_failure_not_the_receipts() {
    for (extra, outcomes) in [(0, 5), (2, 7)] {
        let inputs = [receipt_verify::InputFile::new("r.jsonl", RECEIPTS.into())];
        let report = receipt_verify::verify(jwks(), &inputs, None, &Miscounting(extra));
        let engine: Vec<_> = report.failures().filter(|c| c.id == ids::ENGINE_BACKEND).collect();
        assert_eq!(engine.len(), 1, "{extra}");
        assert!(
            engine[0].message.contains(&format!("returned {outcomes} outcomes for 6 signature jobs")),
            "{}",
            engine[0].message
        );
        assert_eq!(report.verdict(), receipt_verify::Verdict::Failed);
        assert!(report
            .failures()
            .any(|c| c.id == ids::RECEIPT_SIGNATURE && c.message.contains("no signature backend ran")));
    }
}

/// A backend that cannot check anything (e.g. WebCrypto missing a key type).
struct Unable;

impl receipt_verify::SignatureBackend for Unable {
    fn name(&self) -> &'static str {
        "unable"
    }
    fn verify_batch(
        &self,
        _: &[receipt_verify::PublicKey],
        jobs: &[receipt_verify::SignatureJob],
    ) -> Vec<receipt_verify::SignatureOutcome> {
        vec![receipt_verify::SignatureOutcome::Unavailable; jobs.len()]
    }
}

#[test]
fn a_signature_the_backend_cannot_check_fails_as_not_checked_never_as_a_mismatch() {
    let inputs = [receipt_verify::InputFile::new("r.jsonl", RECEIPTS.into())];
    let mut v = receipt_verify::Verification::new(jwks(), &inputs);
    let outcomes = vec![receipt_verify::SignatureOutcome::Unavailable; v.pending_jobs().len()];
    v.submit(outcomes).unwrap();
    assert!(v.is_done(), "an unchecked signature is not probed under the other keys as a mismatch would be");
    let report = receipt_verify::verify(jwks(), &inputs, None, &Unable);
    let sigs: Vec<_> = report.checks.iter().filter(|c| c.id == ids::RECEIPT_SIGNATURE).collect();
    assert_eq!(sigs.len(), 6);
    for c in sigs {
        assert_eq!(c.status, Status::Fail);
        assert!(c.message.contains("was not checked") && !c.message.contains("does not verify"), "{}", c.message);
        assert_eq!(c.actual.as_deref(), Some("not checked"));
    }
    assert_eq!(report.verdict(), receipt_verify::Verdict::Failed);
    assert_eq!(report.backend, "unable");
}
