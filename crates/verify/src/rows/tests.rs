//! Head matching: linear work (counted in steps, not timed), capped `rows.head` findings,
//! and messages that say what happened.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use serde_json::{json, Map, Value};

use super::{RowVerifier, SealedHead, MAX_DETAILS_PER_CHECK};
use crate::canonical::canonical_without;
use crate::hash::Hash;
use crate::ids;
use crate::report::{Check, Status, Subject};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// `n` linked rows from genesis: each line and its hash.
fn chain(n: u64) -> Vec<(String, Hash)> {
    let mut prev = Hash::GENESIS;
    (1..=n)
        .map(|seq| {
            let mut row: Map<String, Value> = json!({
                "seq": seq, "customerId": "cust-1", "prevHash": prev.to_string(), "action": "x"
            })
            .as_object()
            .unwrap()
            .clone();
            let h = Hash::sha256(&canonical_without(&row, &["thisHash"]).unwrap());
            row.insert("thisHash".into(), Value::String(h.to_string()));
            prev = h;
            (serde_json::to_string(&row).unwrap() + "\n", h)
        })
        .collect()
}

fn head(hash: Hash, index: usize) -> SealedHead {
    SealedHead {
        hash,
        customer_id: Some("cust-1".into()),
        subject: Subject { file: Some("r.jsonl".into()), index: Some(index), ..Subject::default() }.at("batchHead"),
    }
}

fn run(heads: Vec<SealedHead>, lines: &[&str]) -> (Vec<Check>, u64) {
    let mut v = RowVerifier::new("rows.jsonl", heads);
    for l in lines {
        v.push(l.as_bytes());
    }
    let steps = v.head_steps();
    (v.finish(), steps)
}

fn head_findings(findings: &[Check], status: Status) -> Vec<&Check> {
    findings.iter().filter(|c| c.id == ids::ROWS_HEAD && c.status == status).collect()
}

#[test]
fn heads_in_order_all_pass() {
    // Positive control.
    let rows = chain(6);
    let heads = vec![head(rows[1].1, 0), head(rows[3].1, 1), head(rows[3].1, 2), head(rows[5].1, 3)];
    let lines: Vec<&str> = rows.iter().map(|(l, _)| l.as_str()).collect();
    let (findings, _) = run(heads, &lines);
    let passes = head_findings(&findings, Status::Pass);
    assert_eq!(passes.iter().map(|c| c.weight()).sum::<usize>(), 4);
    assert!(findings.iter().all(|c| c.status != Status::Fail), "{findings:#?}");
}

#[test]
fn many_receipts_sealing_one_repeated_head_cost_linear_steps() {
    let n = 3_000usize;
    let rows = chain(1);
    let (line, h) = (&rows[0].0, rows[0].1);
    let heads: Vec<SealedHead> = (0..n).map(|i| head(h, i)).collect();
    let lines: Vec<&str> = (0..n).map(|_| line.as_str()).collect();
    let (findings, steps) = run(heads, &lines);
    // Each row: a binary search over n positions (≤ 13 steps for 3,000), plus one step
    // per receipt sealed. A scan per row would take about n² / 2 = 4,500,000.
    let bound = (n as u64) * (u64::from(n.ilog2()) + 2) + n as u64;
    assert!(steps <= bound, "{steps} steps for {n} rows and {n} heads; bound {bound}");
    let passes = head_findings(&findings, Status::Pass);
    assert_eq!(passes.iter().map(|c| c.weight()).sum::<usize>(), n, "the first row seals every receipt");
    // Red team 6: one entry for them all, as the report lists passes (SPEC.md §12), not
    // one held per receipt until the export ends (1.5 million receipts: 405 MB).
    assert_eq!(passes.len(), 1, "one rows.head pass entry");
    assert_eq!(passes[0].last.as_ref().and_then(|s| s.index), Some(n - 1), "the last receipt sealed");
    assert_eq!(passes[0].subject.index, Some(0), "the first receipt sealed");
    let failed = head_findings(&findings, Status::Fail);
    assert_eq!(failed.len(), MAX_DETAILS_PER_CHECK + 1, "50 detailed, then one summary");
    assert!(failed[0].message.contains("(line 1) appears again"), "{}", failed[0].message);
    let more = n - 1 - MAX_DETAILS_PER_CHECK;
    assert_eq!(failed[MAX_DETAILS_PER_CHECK].message, format!("{more} more rows.head failures not listed"));
}

#[test]
fn first_appearance_after_a_later_head_is_not_called_again() {
    let rows = chain(5);
    // Receipt 0 seals row 4 and receipt 1 seals row 2: the chain order is broken.
    let heads = vec![head(rows[3].1, 0), head(rows[1].1, 1)];
    let lines: Vec<&str> = rows.iter().map(|(l, _)| l.as_str()).collect();
    let (findings, _) = run(heads, &lines);
    let failed = head_findings(&findings, Status::Fail);
    assert_eq!(failed.len(), 2, "{failed:#?}");
    assert!(failed[0].message.contains("not found before line 2"), "{}", failed[0].message);
    assert!(failed[1].message.contains("is on line 4"), "{}", failed[1].message);
    assert!(failed.iter().all(|c| !c.message.contains("again")), "{failed:#?}");
}

#[test]
fn a_repeated_sealed_row_is_called_again() {
    let rows = chain(3);
    let heads = vec![head(rows[1].1, 0)];
    let lines = [rows[0].0.as_str(), &rows[1].0, &rows[1].0, &rows[2].0];
    let (findings, _) = run(heads, &lines);
    let failed = head_findings(&findings, Status::Fail);
    assert_eq!(failed.len(), 1, "{failed:#?}");
    assert!(failed[0].message.contains("(line 2) appears again, out of order, on line 3"), "{}", failed[0].message);
}

#[test]
fn heads_never_found_are_capped_and_counted() {
    let rows = chain(2);
    let n = 200usize;
    let heads: Vec<SealedHead> = (0..n).map(|i| head(Hash::sha256(&i.to_le_bytes()), i)).collect();
    let lines: Vec<&str> = rows.iter().map(|(l, _)| l.as_str()).collect();
    let (findings, _) = run(heads, &lines);
    let failed = head_findings(&findings, Status::Fail);
    assert_eq!(failed.len(), MAX_DETAILS_PER_CHECK + 1);
    assert!(failed[0].message.contains("is not the thisHash of any row"), "{}", failed[0].message);
    assert_eq!(failed[0].subject.index, Some(0));
    let more = n - MAX_DETAILS_PER_CHECK;
    assert_eq!(failed[MAX_DETAILS_PER_CHECK].message, format!("{more} more rows.head failures not listed"));
    assert_eq!(failed[MAX_DETAILS_PER_CHECK].actual.as_deref(), Some(format!("{more} more").as_str()));
}

#[test]
fn a_receipt_file_given_as_rows_is_named_once_and_an_export_with_a_few_receipts_is_still_rows() {
    let receipt = |n: u32| format!("{{\"batchHead\":\"0x{n:064x}\",\"kid\":\"k\",\"signature\":\"s\"}}\n");
    let mut v = RowVerifier::new("receipts.jsonl", Vec::new());
    for n in 0..3 {
        v.push(receipt(n).as_bytes());
    }
    v.push(chain(1)[0].0.as_bytes());
    let (findings, tally) = v.finish_with_tally();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!((findings[0].id, findings[0].status), (ids::INPUT_KIND, Status::Fail));
    assert!(findings[0].message.contains("chain of 3 receipts"), "{}", findings[0].message);
    // Its lines are not rows: nothing is counted for `rows.sealed` (red team 3: a key file
    // given as rows was said to hold "66 rows").
    assert_eq!(tally.rows, 0);
    // Rows that outnumber the receipt-shaped lines: a row export, checked row by row.
    let mut v = RowVerifier::new("rows.jsonl", Vec::new());
    for (line, _) in chain(4) {
        v.push(line.as_bytes());
    }
    v.push(receipt(9).as_bytes());
    let findings = v.finish();
    assert!(findings.iter().all(|c| c.id != ids::INPUT_KIND), "{findings:?}");
    assert!(findings.iter().any(|c| c.id == ids::ROWS_FIELDS && c.status == Status::Fail));
    // A pretty-printed document (first line a lone `[`): one finding that says so.
    let mut v = RowVerifier::new("approvals.json", Vec::new());
    v.push(b"[\n  {\n    \"type\": \"wave-approval\"\n  }\n]\n");
    let findings = v.finish();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert!(findings[0].message.contains("one JSON document"), "{}", findings[0].message);
}

/// (red team 03) A stream joins before the strings its events hold add up: 300
/// `wave.consumed` rows of 100 KB pushed one by one leave about 4 MiB of them unjoined, not
/// all 300 (4,096 rows of 1 MiB were held at once before). Positive control: the findings
/// are the ones of the same rows pushed in one chunk, and the rows verify.
#[test]
fn a_stream_of_large_consumed_rows_joins_by_bytes() {
    let mut prev = Hash::GENESIS;
    let mut lines = Vec::new();
    for seq in 1..=300u64 {
        let mut row: Map<String, Value> = json!({
            "seq": seq, "customerId": "cust-1", "prevHash": prev.to_string(), "action": "wave.consumed",
            "waveId": format!("wave-{seq}-{}", "w".repeat(100_000)), "ts": "2026-03-02T09:02:30Z"
        })
        .as_object()
        .unwrap()
        .clone();
        prev = Hash::sha256(&canonical_without(&row, &["thisHash"]).unwrap());
        row.insert("thisHash".into(), Value::String(prev.to_string()));
        lines.push(serde_json::to_string(&row).unwrap() + "\n");
    }
    let mut v = RowVerifier::new("rows.jsonl", vec![head(prev, 0)]);
    let mut most_held = 0;
    for l in &lines {
        v.push(l.as_bytes());
        most_held = most_held.max(v.held_events());
    }
    assert!(most_held <= 45, "{most_held} events of 100 KB rows held at once");
    let streamed = v.finish();
    let mut whole = RowVerifier::new("rows.jsonl", vec![head(prev, 0)]);
    whole.push(lines.concat().as_bytes());
    assert_eq!(streamed, whole.finish());
    assert!(!streamed.iter().any(|c| c.status == Status::Fail), "{streamed:?}");
    assert_eq!(head_findings(&streamed, Status::Pass).len(), 1, "the last row seals them");
}

/// A row line (seq 1, from genesis) holding `extra` members, with its true `thisHash`.
fn row_with(extra: &str) -> (String, Hash) {
    let body =
        format!("\"seq\":1,\"customerId\":\"cust-1\",\"prevHash\":\"{}\",\"action\":\"x\",{extra}", Hash::GENESIS);
    let obj = match crate::json::parse(format!("{{{body}}}").as_bytes()).unwrap() {
        Value::Object(o) => o,
        other => panic!("{other:?}"),
    };
    let h = Hash::sha256(&canonical_without(&obj, &["thisHash"]).unwrap());
    (format!("{{{body},\"thisHash\":\"{h}\"}}\n"), h)
}

/// (red team 4, finding 01) A row line pays for its numbers with its own bytes
/// (`ROW_NUMBER_WORK_PER_BYTE`, no floor): before, every line got the floor of a whole
/// file (2^26 digit operations), so lines of `1e308` cost about 1,000 times an honest
/// export per byte. The budget depends on the line alone, so a split cannot change it.
#[test]
fn a_row_line_pays_for_its_numbers_with_its_own_bytes() {
    let costly = |findings: &[Check]| {
        findings.iter().filter(|c| c.id == ids::ROWS_PARSE && c.message.contains("digit operations")).count()
    };
    // Positive control: one extreme number and a 17-digit decimal in a row of 300 bytes.
    let pad = "p".repeat(80);
    let (line, h) = row_with(&format!("\"amount\":1e308,\"rate\":0.30000000000000004,\"pad\":\"{pad}\""));
    assert!(line.len() >= 250 && line.len() < 450, "{}", line.len());
    let (findings, _) = run(vec![head(h, 0)], &[&line]);
    assert!(findings.iter().all(|c| c.status != Status::Fail), "{findings:#?}");
    assert_eq!(head_findings(&findings, Status::Pass).len(), 1);
    // The same number in a short row: refused, naming the number and the rule.
    let (short, h) = row_with("\"amount\":1e308");
    assert!(short.len() < 240, "{}", short.len());
    let (findings, _) = run(vec![head(h, 0)], &[&short]);
    assert_eq!(costly(&findings), 1, "{findings:#?}");
    assert!(findings.iter().any(|c| c.message.contains("/amount") && c.message.contains("64 digit operations")));
    // A line of 400 extreme numbers (2.4 KB) was read whole before: now refused.
    let many = vec!["1e308"; 400].join(",");
    let (line, h) = row_with(&format!("\"v\":[{many}]"));
    let (findings, _) = run(vec![head(h, 0)], &[&line]);
    assert_eq!(costly(&findings), 1, "{findings:#?}");
}
