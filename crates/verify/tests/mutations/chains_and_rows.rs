//! Receipt chains, and audit rows against the receipts that seal them.

// In WASM builds `#[test]` means `#[wasm_bindgen_test]`: the same tests run natively,
// in Node and in headless Chromium.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use super::*;

// --- Receipt chains -------------------------------------------------------------------

#[test]
fn chain_receipt_removed() {
    let mut c = receipts();
    c.remove(3);
    assert_fails(&chain_report(&c), expect::CHAIN_RECEIPT_REMOVED);
}

#[test]
fn chain_two_receipts_swapped() {
    let mut c = receipts();
    c.swap(2, 3);
    assert_fails(&chain_report(&c), expect::CHAIN_TWO_RECEIPTS_SWAPPED);
}

#[test]
fn chain_receipt_inserted_twice() {
    let mut c = receipts();
    let dup = c[1].clone();
    c.insert(2, dup);
    assert_fails(&chain_report(&c), expect::CHAIN_RECEIPT_INSERTED_TWICE);
}

#[test]
fn chain_resigned_with_equal_timestamps() {
    let mut c = receipts();
    let t = c[1]["signedAt"].clone();
    let uri = c[1]["wormBlobUri"].clone();
    c[2].insert("signedAt".into(), t);
    c[2].insert("wormBlobUri".into(), uri);
    reseal_chain(&mut c);
    assert_fails(&chain_report(&c), expect::CHAIN_RESIGNED_WITH_EQUAL_TIMESTAMPS);
}

#[test]
fn chain_resigned_with_another_customer() {
    let mut c = receipts();
    let uri = c[4]["wormBlobUri"].as_str().unwrap().replace("cust-0042", "cust-0099");
    c[4].insert("customerId".into(), json!("cust-0099"));
    c[4].insert("wormBlobUri".into(), json!(uri));
    reseal_chain(&mut c);
    assert_fails(&chain_report(&c), expect::CHAIN_RESIGNED_WITH_ANOTHER_CUSTOMER);
}

#[test]
fn chain_starting_mid_way_is_a_note() {
    let mut c = receipts();
    c.remove(0);
    let report = chain_report(&c);
    assert_fails(&report, expect::CHAIN_STARTING_MID_WAY_IS_A_NOTE);
    assert!(has(&report, ids::CHAIN_GENESIS, Status::Note));
}

// --- Rows against receipts ------------------------------------------------------------

#[test]
fn row_edited() {
    let mut rows = rows();
    rows[99].insert("actor".into(), json!("mallory"));
    let report = rows_report(&rows);
    assert_fails(&report, expect::ROW_EDITED);
    let c = report.failures().next().unwrap();
    assert_eq!((c.subject.line, c.subject.pointer.as_deref()), (Some(100), Some("/thisHash")));
}

#[test]
fn sealed_head_row_edited() {
    let mut rows = rows();
    rows[95].insert("action".into(), json!("delete"));
    assert_fails(&rows_report(&rows), expect::SEALED_HEAD_ROW_EDITED);
}

#[test]
fn row_edited_and_its_hash_recomputed() {
    let mut rows = rows();
    rows[99].insert("actor".into(), json!("mallory"));
    let h = receipt_verify::Hash::sha256(&receipt_verify::canonical_without(&rows[99], &["thisHash"]).unwrap());
    rows[99].insert("thisHash".into(), json!(h.to_string()));
    assert_fails(&rows_report(&rows), expect::ROW_EDITED_AND_ITS_HASH_RECOMPUTED);
}

#[test]
fn row_deleted() {
    let mut rows = rows();
    rows.remove(99);
    assert_fails(&rows_report(&rows), expect::ROW_DELETED);
}

#[test]
fn row_inserted() {
    let mut rows = rows();
    let copy = rows[99].clone();
    rows.insert(100, copy);
    assert_fails(&rows_report(&rows), expect::ROW_INSERTED);
}

#[test]
fn rows_reordered() {
    let mut rows = rows();
    rows.swap(99, 100);
    assert_fails(&rows_report(&rows), expect::ROWS_REORDERED);
}

#[test]
fn row_deleted_and_everything_after_renumbered_and_rehashed() {
    let mut rows = rows();
    rows.remove(119);
    for (i, r) in rows.iter_mut().enumerate().skip(119) {
        r.insert("seq".into(), json!(i + 1));
    }
    rehash_rows(&mut rows, 119);
    let report = rows_report(&rows);
    assert_fails(&report, expect::ROW_DELETED_AND_EVERYTHING_AFTER_RENUMBERED_AND_REHASHED);
    // Receipts 2..=5 seal heads that no longer exist.
    assert_eq!(report.failures().count(), 4);
}

#[test]
fn row_deleted_and_everything_after_rehashed() {
    let mut rows = rows();
    rows.remove(119);
    rehash_rows(&mut rows, 119);
    assert_fails(&rows_report(&rows), expect::ROW_DELETED_AND_EVERYTHING_AFTER_REHASHED);
}

#[test]
fn export_truncated_before_the_last_head() {
    let rows: Vec<_> = rows().into_iter().take(250).collect();
    assert_fails(&rows_report(&rows), expect::EXPORT_TRUNCATED_BEFORE_THE_LAST_HEAD);
}

#[test]
fn head_row_of_another_customer_resealed() {
    let mut rows = rows();
    rows[47].insert("customerId".into(), json!("cust-0099"));
    rehash_rows(&mut rows, 47);
    let mut chain = receipts();
    reseal_over(&rows, &mut chain, &HEADS);
    let report = run(&[("receipts.jsonl", jsonl(&chain))], Some(&jsonl(&rows)));
    assert_fails(&report, expect::HEAD_ROW_OF_ANOTHER_CUSTOMER_RESEALED);
}

/// Rows `from..to` (indices) of the demo export given to `customer`, the rows after them
/// re-hashed and the receipts re-sealed over the same heads: only the customers are wrong.
fn customer_changed_and_resealed(from: usize, to: usize, customer: &str) -> receipt_verify::Report {
    let mut rows = rows();
    for row in &mut rows[from..to] {
        row.insert("customerId".into(), json!(customer));
    }
    rehash_rows(&mut rows, from);
    let mut chain = receipts();
    reseal_over(&rows, &mut chain, &HEADS);
    run(&[("receipts.jsonl", jsonl(&chain))], Some(&jsonl(&rows)))
}

#[test]
fn row_inside_a_batch_of_another_customer_resealed() {
    // Red team 8, 02: only the head row's customer was compared, so another customer's
    // row inside a sealed batch counted as sealed evidence.
    let report = customer_changed_and_resealed(20, 21, "cust-0099");
    assert_fails(&report, expect::ROW_INSIDE_A_BATCH_OF_ANOTHER_CUSTOMER_RESEALED);
    let c = report.failures().find(|c| c.id == ids::ROWS_CUSTOMER).unwrap();
    assert_eq!((c.subject.line, c.subject.pointer.as_deref()), (Some(21), Some("/customerId")));
    assert_eq!((c.expected.as_deref(), c.actual.as_deref()), (Some("\"cust-0042\""), Some("\"cust-0099\"")));
    assert!(c.message.contains("head on line 48"), "{}", c.message);
}

#[test]
fn every_row_of_a_later_batch_but_its_head_of_another_customer() {
    // Rows 97..149 of the third batch (head 150): one finding, at the batch's first row.
    let report = customer_changed_and_resealed(96, 149, "cust-0043");
    assert_fails(&report, expect::ROW_INSIDE_A_BATCH_OF_ANOTHER_CUSTOMER_RESEALED);
    let lines: Vec<_> = report.failures().map(|c| c.subject.line).collect();
    assert_eq!(lines, [Some(97)]);
    assert!(report.failures().all(|c| c.message.contains("after line 96 up to its head on line 150")));
}

#[test]
fn rows_of_another_customer_after_the_last_head_are_unsealed_not_failed() {
    // Positive control: rows no receipt seals prove nothing, so their customer is not
    // compared (a warning says so); the sealed batches all match.
    let report = customer_changed_and_resealed(290, 302, "cust-0099");
    assert_fails(&report, &[]);
    assert_eq!(report.verdict(), receipt_verify::Verdict::Verified);
    let pass = report.checks.iter().find(|c| c.id == ids::ROWS_CUSTOMER).unwrap();
    assert_eq!(pass.status, Status::Pass);
    assert!(pass.message.starts_with("6 sealed batches"), "{}", pass.message);
    assert!(report.checks.iter().any(|c| c.id == ids::ROWS_UNSEALED && c.status == Status::Warn));
}

#[test]
fn receipts_resealed_with_heads_out_of_order() {
    let rows = rows();
    let mut chain = receipts();
    reseal_over(&rows, &mut chain, &[48, 150, 96, 201, 247, 290]);
    assert_fails(
        &run(&[("receipts.jsonl", jsonl(&chain))], Some(&jsonl(&rows))),
        expect::RECEIPTS_RESEALED_WITH_HEADS_OUT_OF_ORDER,
    );
}

#[test]
fn malformed_row_line() {
    let mut text = jsonl(&rows());
    text = text.replacen("{\"action\"", "{\"action\" ", 1).replacen("\"seq\":100,", "\"seq\":100,,", 1);
    let report = run(&[("receipts.jsonl", RECEIPTS.into())], Some(&text));
    assert_fails(&report, expect::MALFORMED_ROW_LINE);
    let c = report.failures().find(|c| c.id == ids::ROWS_PARSE).unwrap();
    assert_eq!(c.subject.line, Some(100));
}

#[test]
fn row_with_duplicate_key_is_refused() {
    let text = jsonl(&rows()).replacen("\"seq\":7,", "\"seq\":7,\"seq\":7,", 1);
    let report = run(&[("receipts.jsonl", RECEIPTS.into())], Some(&text));
    assert_fails(&report, expect::ROW_WITH_DUPLICATE_KEY_IS_REFUSED);
    let c = report.failures().find(|c| c.id == ids::ROWS_PARSE).unwrap();
    assert!(c.message.contains("duplicate object key \"seq\""), "{}", c.message);
    assert_eq!(c.subject.line, Some(7));
}
