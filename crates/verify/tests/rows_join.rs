//! The join of a row export's ranges (`rows/join.rs`) at its edges: the findings about
//! the whole export (they name the file, and a check id passes only when it ran and never
//! failed), and the listing cap at exactly `MAX_DETAILS_PER_CHECK` failures of one id.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use receipt_verify::{canonical_without, ids, Check, Hash, RowJoin, RowRange, Status};
use serde_json::{json, Map, Value};

/// Linked rows from genesis with the given seqs (one customer, no heads): the export's text.
fn chain(seqs: &[u64]) -> Vec<String> {
    let mut prev = Hash::GENESIS;
    seqs.iter()
        .map(|seq| {
            let mut row: Map<String, Value> =
                json!({"seq": seq, "customerId": "cust-1", "prevHash": prev.to_string(), "action": "x"})
                    .as_object()
                    .unwrap()
                    .clone();
            prev = Hash::sha256(&canonical_without(&row, &["thisHash"]).unwrap());
            row.insert("thisHash".into(), Value::String(prev.to_string()));
            serde_json::to_string(&row).unwrap() + "\n"
        })
        .collect()
}

/// The findings of `ranges`, each read by its own `RowRange` (the first as the file's
/// start) and joined in order, with no receipts.
fn joined(ranges: &[String]) -> Vec<Check> {
    let mut join = RowJoin::new("rows.jsonl", Vec::new());
    for (i, text) in ranges.iter().enumerate() {
        let mut range = RowRange::new("rows.jsonl", i == 0, join.head_set());
        range.push(text.as_bytes());
        join.add(range.finish());
    }
    join.finish()
}

/// The findings about the whole export (no line): id, status, file and message.
fn file_level(findings: &[Check]) -> Vec<(&'static str, Status, Option<&str>, &str)> {
    findings
        .iter()
        .filter(|c| c.subject.line.is_none())
        .map(|c| (c.id, c.status, c.subject.file.as_deref(), c.message.as_str()))
        .collect()
}

/// Row findings listed per check id (`rows::MAX_DETAILS_PER_CHECK`, SPEC.md §15; not exported).
const MAX_DETAILS_PER_CHECK: usize = 50;

const UNSEALED: &str =
    "3 rows unproven: they were checked, but no receipt seals them; supply the receipts to prove they were sealed";

#[test]
fn whole_export_findings_name_the_file_and_pass_only_checks_that_ran_clean() {
    // Positive control: three honest rows. No receipt, so no batch's customerId was
    // checked and `rows.customer` says nothing (it neither ran nor failed).
    let rows = chain(&[1, 2, 3]);
    let honest = joined(&[rows.concat()]);
    let file = Some("rows.jsonl");
    assert_eq!(
        file_level(&honest),
        [
            (ids::ROWS_UNSEALED, Status::Warn, file, UNSEALED),
            (ids::ROWS_HASH, Status::Pass, file, "3 row hashes recomputed, all match"),
            (ids::ROWS_LINK, Status::Pass, file, "2 prevHash links checked, all match"),
            (ids::ROWS_SEQ, Status::Pass, file, "2 seq steps checked, all match"),
        ],
        "{honest:#?}"
    );

    // A seq that skips one: `rows.seq` fails on line 3 and has no pass beside it; the other
    // two checks still pass.
    let skipped = joined(&chain(&[1, 2, 4]));
    let failed: Vec<_> = skipped.iter().filter(|c| c.status == Status::Fail).collect();
    assert_eq!(failed.len(), 1, "{skipped:#?}");
    assert_eq!((failed[0].id, failed[0].subject.line), (ids::ROWS_SEQ, Some(3)));
    assert_eq!(
        file_level(&skipped),
        [
            (ids::ROWS_UNSEALED, Status::Warn, file, UNSEALED),
            (ids::ROWS_HASH, Status::Pass, file, "3 row hashes recomputed, all match"),
            (ids::ROWS_LINK, Status::Pass, file, "2 prevHash links checked, all match"),
        ],
        "{skipped:#?}"
    );

    // No rows at all: one failure, naming the file.
    assert_eq!(file_level(&joined(&[])), [(ids::ROWS_PARSE, Status::Fail, file, "the row export holds no rows")]);
}

/// `n` failures of `rows.seq`: `n + 1` linked rows whose seqs step by two, in two ranges.
fn seq_failures(n: u64) -> Vec<Check> {
    let rows = chain(&(0..=n).map(|k| 1 + 2 * k).collect::<Vec<_>>());
    let mid = rows.len() / 2;
    let findings = joined(&[rows[..mid].concat(), rows[mid..].concat()]);
    findings.into_iter().filter(|c| c.id == ids::ROWS_SEQ && c.status == Status::Fail).collect()
}

#[test]
fn exactly_the_cap_of_failures_are_all_listed_with_no_summary() {
    let cap = MAX_DETAILS_PER_CHECK as u64;
    let at_cap = seq_failures(cap);
    assert_eq!(at_cap.len(), MAX_DETAILS_PER_CHECK, "every failure listed, none summarised");
    assert!(at_cap.iter().all(|c| c.subject.line.is_some()), "{:#?}", at_cap.last());
    // Positive control: one over the cap is listed as the cap plus one summary.
    let over = seq_failures(cap + 1);
    assert_eq!(over.len(), MAX_DETAILS_PER_CHECK + 1);
    assert!(over[..MAX_DETAILS_PER_CHECK].iter().all(|c| c.subject.line.is_some()));
    let summary = &over[MAX_DETAILS_PER_CHECK];
    assert_eq!((summary.subject.line, summary.subject.file.as_deref()), (None, Some("rows.jsonl")));
    assert_eq!(summary.message, "1 more rows.seq failures not listed");
    assert_eq!((summary.expected.as_deref(), summary.actual.as_deref()), (Some("no failures"), Some("1 more")));
}
