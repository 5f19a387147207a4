//! Negative tests: each one changes one thing in a passing demo case and names the change.
//! Every test asserts the exact set of failed check ids, so a mutation that is caught by
//! the wrong check (or by none) fails here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

use common::*;
use receipt_verify::{ids, Status};
use serde_json::{json, Value};

mod approvals;
mod chains_and_rows;
mod expect;
mod found_missing;
mod inputs_and_engine;
mod receipts;

/// The third demo receipt, verified alone.
fn receipt() -> serde_json::Map<String, Value> {
    receipts()[2].clone()
}

fn verify_receipt(r: &serde_json::Map<String, Value>) -> receipt_verify::Report {
    run(&one("receipt.json", r), None)
}

fn chain_report(chain: &[serde_json::Map<String, Value>]) -> receipt_verify::Report {
    run(&[("receipts.jsonl", jsonl(chain))], None)
}

fn rows_report(rows: &[serde_json::Map<String, Value>]) -> receipt_verify::Report {
    run(&[("receipts.jsonl", RECEIPTS.into())], Some(&jsonl(rows)))
}

fn approval() -> serde_json::Map<String, Value> {
    approvals()[0].clone()
}

fn approval_report(a: &[serde_json::Map<String, Value>]) -> receipt_verify::Report {
    run(&[("approvals.json", serde_json::to_string(a).unwrap())], None)
}

/// The demo rows with row `index` changed by `edit`, re-hashed from there on, and the
/// demo receipts re-sealed over them, so only the edit itself can be caught.
fn rows_edited_and_resealed(
    index: usize,
    edit: impl FnOnce(&mut serde_json::Map<String, Value>),
) -> receipt_verify::Report {
    let mut rows = rows();
    edit(&mut rows[index]);
    rehash_rows(&mut rows, index);
    let mut chain = receipts();
    reseal_over(&rows, &mut chain, &HEADS);
    run(&[("receipts.jsonl", jsonl(&chain))], Some(&jsonl(&rows)))
}
