//! Receipt files fed in pieces must be read in full (SPEC.md §15, `input.read`, v1.1).
//! Red team 13: a caller of the step-by-step feed that never fed a file's chain pass, or
//! cut one short and went on after the error, got "verified" for receipts that were never
//! checked, one of them tampered. Each case here fails without the rule; the controls show
//! the same files verify when every pass is fed whole, and fail when tampered.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[macro_use]
mod common;

use common::*;
use receipt_verify::{
    ids, Error, FileRole, ReceiptPass, Report, RustCryptoBackend, SignatureBackend, Verdict, Verification,
};

/// How much of a pass is fed.
#[derive(Clone, Copy, PartialEq)]
enum Fed {
    Whole,
    /// Only its first line, and the pass is not ended.
    FirstLineOnly,
    /// Only its first line, then ended (which throws), and the caller goes on.
    FirstLineEnded,
    /// Its first line, then spaces up to the file's length (red team 15): ended, it throws.
    FirstLinePadded,
}

/// The demo chain in two files: receipts 1–3 and 4–6; with `tamper`, receipt 5's
/// `batchSize` is edited after signing.
fn two_files(tamper: bool) -> [(&'static str, String); 2] {
    let mut chain = receipts();
    if tamper {
        let size = chain[4]["batchSize"].as_u64().unwrap();
        chain[4].insert("batchSize".into(), (size + 1).into());
    }
    [("a.jsonl", jsonl(&chain[..3])), ("b.jsonl", jsonl(&chain[3..]))]
}

fn answer(v: &mut Verification) {
    while !v.is_done() {
        let outcomes = RustCryptoBackend.verify_batch(v.keys(), v.pending_jobs());
        v.submit(outcomes).unwrap();
    }
}

/// Feed `plan` (file index, pass, how much) and end the receipts.
fn feed(files: &[(&str, String)], plan: &[(usize, ReceiptPass, Fed)]) -> (Verification, Result<(), Error>) {
    let mut v = Verification::start(jwks());
    for &(i, pass, fed) in plan {
        let (name, text) = &files[i];
        v.begin_receipt_file(name, text.len() as u64, FileRole::Auto, pass).unwrap();
        let first_line = &text[..=text.find('\n').unwrap()];
        v.push_receipts(if fed == Fed::Whole { text.as_bytes() } else { first_line.as_bytes() });
        if fed == Fed::FirstLinePadded {
            v.push_receipts(" ".repeat(text.len() - first_line.len()).as_bytes());
        }
        answer(&mut v);
        match fed {
            Fed::Whole => v.end_receipt_file().unwrap(),
            Fed::FirstLineEnded | Fed::FirstLinePadded => {
                assert!(v.end_receipt_file().is_err(), "a short pass is refused when it ends")
            }
            Fed::FirstLineOnly => {}
        }
    }
    let ended = v.end_receipts();
    answer(&mut v);
    (v, ended)
}

fn every_pass() -> Vec<(usize, ReceiptPass, Fed)> {
    use ReceiptPass::*;
    vec![(0, Shape, Fed::Whole), (0, Items, Fed::Whole), (1, Shape, Fed::Whole), (1, Items, Fed::Whole)]
        .into_iter()
        .chain([(0, Chain, Fed::Whole), (1, Chain, Fed::Whole)])
        .collect()
}

fn report_of(v: Verification) -> Report {
    v.finish_with(&RustCryptoBackend)
}

fn assert_unread(report: &Report, file: &str) {
    assert_eq!(report.verdict(), Verdict::Failed);
    let unread: Vec<_> = report.checks.iter().filter(|c| c.id == ids::INPUT_READ).collect();
    assert_eq!(unread.len(), 1, "{:#?}", report.checks);
    assert_eq!(unread[0].subject.file.as_deref(), Some(file));
    assert!(unread[0].message.contains("was not read in full"), "{}", unread[0].message);
}

/// The second file's chain pass stopped after its first receipt: the tampered receipt 5
/// after it was never read, so only `input.read` tells.
fn assert_receipt_5_unread(v: Verification) -> Report {
    let report = report_of(v);
    assert_unread(&report, "b.jsonl");
    assert!(!failed_ids(&report).contains(ids::RECEIPT_HASH), "receipt 5 was never read");
    report
}

#[test]
fn controls_every_pass_fed_whole() {
    let (v, ended) = feed(&two_files(false), &every_pass());
    assert_eq!(ended, Ok(()));
    let report = report_of(v);
    assert_eq!(report.verdict(), Verdict::Verified, "{:#?}", report.checks);
    let (v, ended) = feed(&two_files(true), &every_pass());
    assert_eq!(ended, Ok(()));
    assert!(failed_ids(&report_of(v)).contains(ids::RECEIPT_HASH), "the tampered receipt is found when it is read");
}

#[test]
fn a_chain_pass_never_fed_fails_input_read() {
    for tamper in [false, true] {
        let mut plan = every_pass();
        plan.pop();
        let (mut v, ended) = feed(&two_files(tamper), &plan);
        let expected = Error::FeedMissing { file: "b.jsonl".into(), pass: "chain" };
        assert_eq!(ended, Err(expected.clone()));
        assert_eq!(v.end_receipts(), Err(expected), "refused every time after");
        assert_unread(&report_of(v), "b.jsonl");
    }
}

#[test]
fn a_chain_pass_cut_short_fails_input_read() {
    for fed in [Fed::FirstLineOnly, Fed::FirstLineEnded] {
        let mut plan = every_pass();
        plan.last_mut().unwrap().2 = fed;
        let files = two_files(true);
        let (v, ended) = feed(&files, &plan);
        let first_line = files[1].1.find('\n').unwrap() as u64 + 1;
        let expected = Error::FeedLength { file: "b.jsonl".into(), expected: files[1].1.len() as u64, got: first_line };
        assert_eq!(ended, Err(expected));
        assert_receipt_5_unread(v);
    }
}

/// Red team 15: the right length is not enough; a pass reads as many items as the first.
#[test]
fn a_chain_pass_padded_to_the_files_length_fails_input_read() {
    let mut plan = every_pass();
    plan.last_mut().unwrap().2 = Fed::FirstLinePadded;
    let (v, ended) = feed(&two_files(true), &plan);
    assert_eq!(ended, Err(Error::FeedItems { file: "b.jsonl".into(), pass: "chain", first: 3, read: 1 }));
    let report = assert_receipt_5_unread(v);
    let unread = report.checks.iter().find(|c| c.id == ids::INPUT_READ).unwrap();
    assert_eq!(unread.actual.as_deref(), Some("3 items, then 1"), "in the order the passes read them");
}

#[test]
fn going_on_to_rows_after_a_short_pass_still_fails() {
    let mut plan = every_pass();
    plan.last_mut().unwrap().2 = Fed::FirstLineEnded;
    let (mut v, ended) = feed(&two_files(false), &plan);
    assert!(ended.is_err());
    v.begin_rows("rows.jsonl");
    v.push_rows(ROWS.as_bytes());
    assert_unread(&report_of(v), "b.jsonl");
}

#[test]
fn a_file_with_only_its_shape_pass_fails_input_read() {
    let (v, ended) = feed(&two_files(false)[..1], &[(0, ReceiptPass::Shape, Fed::Whole)]);
    assert_eq!(ended, Err(Error::FeedMissing { file: "a.jsonl".into(), pass: "items" }));
    assert_unread(&report_of(v), "a.jsonl");
}

/// Review of red team 17's fix (a one-document file that does not parse in its first pass
/// is not parsed again; later passes are given the same failure): a shape pass fed broken
/// bytes, then items and chain passes fed the honest file of the same length, must not
/// verify; the failure is the first pass's `input.parse`. Control: the honest file in
/// every pass verifies.
#[test]
fn a_first_pass_that_does_not_parse_fails_whatever_later_passes_are_fed() {
    let honest = serde_json::to_string(&receipts()).unwrap();
    let broken = format!("{}}}", &honest[..honest.len() - 1]);
    assert_eq!((broken.len(), honest.ends_with(']')), (honest.len(), true));
    let run = |shape: &str| {
        let mut v = Verification::start(jwks());
        for (pass, text) in [(ReceiptPass::Shape, shape), (ReceiptPass::Items, &honest), (ReceiptPass::Chain, &honest)]
        {
            v.begin_receipt_file("a.json", text.len() as u64, FileRole::Auto, pass).unwrap();
            v.push_receipts(text.as_bytes());
            answer(&mut v);
            v.end_receipt_file().unwrap();
        }
        v.end_receipts().unwrap();
        answer(&mut v);
        report_of(v)
    };
    let control = run(&honest);
    assert_eq!(control.verdict(), Verdict::Verified, "{:#?}", control.checks);
    let report = run(&broken);
    assert_eq!(report.verdict(), Verdict::Failed);
    assert!(failed_ids(&report).contains(ids::INPUT_PARSE), "{:?}", failed_ids(&report));
    assert!(!report.checks.iter().any(|c| c.id == ids::RECEIPT_SIGNATURE), "nothing of the file was read as receipts");
}
