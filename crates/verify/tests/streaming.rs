//! The row verifier streams: any chunking of the same export gives the same report,
//! including boundaries inside a line and inside a UTF-8 sequence.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

// In WASM builds `#[test]` means `#[wasm_bindgen_test]`: the same tests run natively,
// in Node and in headless Chromium.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[macro_use]
mod common;

use common::*;
use receipt_verify::{ids, InputFile, RustCryptoBackend, Status, Verification, MAX_LINE_BYTES};
use serde_json::json;

fn report_in_chunks(receipts: &str, rows: &[u8], chunk: usize) -> String {
    let mut v = Verification::new(jwks(), &[InputFile::new("receipts.jsonl", receipts.as_bytes().to_vec())]);
    v.begin_rows("rows.jsonl");
    for part in rows.chunks(chunk.max(1)) {
        v.push_rows(part);
    }
    serde_json::to_string(&v.finish_with(&RustCryptoBackend)).unwrap()
}

#[test]
fn every_chunking_gives_the_same_report() {
    let whole = report_in_chunks(RECEIPTS, ROWS.as_bytes(), usize::MAX);
    let mut ran = 0;
    for chunk in [1, 2, 3, 7, 64, 333, 4096] {
        assert_eq!(report_in_chunks(RECEIPTS, ROWS.as_bytes(), chunk), whole, "chunk size {chunk}");
        ran += 1;
    }
    assert!(whole.contains("\"verdict\":\"verified\""));
    say!("streaming: {ran} chunkings matched the whole-file report");
}

#[test]
fn tampered_rows_give_the_same_report_in_any_chunking() {
    let whole = report_in_chunks(RECEIPTS, TAMPERED_ROWS.as_bytes(), usize::MAX);
    assert!(whole.contains("\"verdict\":\"failed\""));
    for chunk in [1, 5, 1000] {
        assert_eq!(report_in_chunks(RECEIPTS, TAMPERED_ROWS.as_bytes(), chunk), whole, "chunk size {chunk}");
    }
}

#[test]
fn multibyte_utf8_split_across_chunks() {
    let mut rows = rows();
    for r in rows.iter_mut().take(20) {
        r.insert("actor".into(), json!("zoë ✓ 🚀 Ω"));
    }
    rehash_rows(&mut rows, 0);
    let text = jsonl(&rows[..20]);
    let no_receipts = |chunk: usize| {
        let mut v = Verification::new(jwks(), &[]);
        v.begin_rows("rows.jsonl");
        for part in text.as_bytes().chunks(chunk) {
            v.push_rows(part);
        }
        v.into_report("none")
    };
    let whole = no_receipts(text.len());
    assert!(
        !whole.failed(ids::ROWS_HASH) && !whole.failed(ids::ROWS_PARSE),
        "{:?}",
        whole.failures().collect::<Vec<_>>()
    );
    assert!(has(&whole, ids::ROWS_HASH, Status::Pass));
    // Unsealed rows are a warning: nothing failed, but nothing was sealed either.
    assert!(has(&whole, ids::ROWS_UNSEALED, Status::Warn));
    for chunk in [1, 2, 3, 5] {
        assert_eq!(no_receipts(chunk), whole, "chunk size {chunk}");
    }
}

#[test]
fn crlf_line_endings_and_missing_final_newline() {
    let text = ROWS.replace('\n', "\r\n");
    let text = text.trim_end();
    let report = run(&[("receipts.jsonl", RECEIPTS.into())], Some(text));
    assert_fails(&report, &[]);
}

#[test]
fn overlong_line_is_refused_without_buffering_it() {
    let mut text = String::new();
    let rows = rows();
    text.push_str(&jsonl(&rows[..3]));
    text.push_str(&format!("{{\"pad\":\"{}\"}}\n", "x".repeat(MAX_LINE_BYTES + 10)));
    text.push_str(&jsonl(&rows[3..5]));
    let mut v = Verification::new(jwks(), &[]);
    v.begin_rows("rows.jsonl");
    for part in text.as_bytes().chunks(64 * 1024) {
        v.push_rows(part);
    }
    let report = v.into_report("none");
    let parse: Vec<_> = report.failures().filter(|c| c.id == ids::ROWS_PARSE).collect();
    assert_eq!(parse.len(), 1, "{parse:?}");
    assert_eq!(parse[0].subject.line, Some(4));
    // The row after the skipped line is not blamed for a broken link.
    assert!(!report.failed(ids::ROWS_LINK));
}

#[test]
fn overlong_line_is_refused_the_same_in_any_chunking() {
    let rows = rows();
    let mut text = jsonl(&rows[..2]);
    text.push_str(&format!("{{\"pad\":\"{}\"}}\n", "y".repeat(MAX_LINE_BYTES)));
    text.push_str(&jsonl(&rows[2..4]));
    let report = |chunk: usize| {
        let mut v = Verification::new(jwks(), &[]);
        v.begin_rows("rows.jsonl");
        for part in text.as_bytes().chunks(chunk) {
            v.push_rows(part);
        }
        serde_json::to_string(&v.into_report("none")).unwrap()
    };
    let whole = report(text.len());
    assert!(whole.contains("longer than"), "{whole}");
    for chunk in [1000, 65_536, MAX_LINE_BYTES / 2, MAX_LINE_BYTES + 3] {
        assert_eq!(report(chunk), whole, "chunk size {chunk}");
    }
}
