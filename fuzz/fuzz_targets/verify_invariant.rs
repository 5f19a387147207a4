//! Whole verification with the demo keys over fuzzed inputs, asserting the verdict
//! invariant (issue 9 §1.1): `verified` implies zero failed checks and at least one
//! passed `receipt.signature` or `approval.signature` check.
//!
//! Input: receipt file bytes (always given, even empty), then optionally 0xFF and an
//! approvals file (left out when empty), then optionally 0xFF and a row export. 0xFF
//! never occurs in UTF-8, so seeds made of real files stay exactly those files.
#![no_main]

use libfuzzer_sys::fuzz_target;
use receipt_verify::{ids, verify, InputFile, RustCryptoBackend, Status, Verdict};
use receipt_verify_fuzz::demo;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |b| *b == 0xFF);
    let mut files = vec![InputFile::new("receipts.jsonl", parts.next().unwrap_or_default().to_vec())];
    if let Some(approvals) = parts.next().filter(|a| !a.is_empty()) {
        files.push(InputFile::new("approvals.json", approvals.to_vec()));
    }
    let rows = parts.next().map(|rows| InputFile::new("rows.jsonl", rows.to_vec()));
    let report = verify(demo::keys().to_vec(), &files, rows.as_ref(), &RustCryptoBackend);
    let summary = report.summary();
    let json = serde_json::to_string(&report).unwrap_or_else(|e| panic!("the report must serialise: {e}"));
    if report.verdict() == Verdict::Verified {
        assert_eq!(summary.fail, 0, "verified with failed checks: {json}");
        let signed = report
            .checks
            .iter()
            .any(|c| c.status == Status::Pass && (c.id == ids::RECEIPT_SIGNATURE || c.id == ids::APPROVAL_SIGNATURE));
        assert!(signed, "verified without a passed receipt.signature or approval.signature check: {json}");
    }
});
