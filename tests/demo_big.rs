//! The big-set generator (`receipt demo --rows N --receipts M`) at smoke size: 10,000 rows
//! and 1,000 receipts. Same bytes on every run, every file verifies with `receipt verify`,
//! and one flipped byte in a row or a receipt makes it fail.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

mod support;

use std::path::Path;

use support::*;

const ROWS: usize = 10_000;
const RECEIPTS: usize = 1_000;

fn generate(tag: &str) -> TempDir {
    let tmp = TempDir::new(tag);
    let out = receipt([
        "demo",
        "--out",
        tmp.0.to_str().unwrap(),
        "--rows",
        &ROWS.to_string(),
        "--receipts",
        &RECEIPTS.to_string(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    tmp
}

fn line_count(p: &Path) -> usize {
    std::fs::read_to_string(p).unwrap().lines().count()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Passed checks with this id in a JSON report.
/// Passed checks of `id`: report v2 lists them as one entry with a `count`.
fn passes(report: &serde_json::Value, id: &str) -> usize {
    let entries = report["checks"].as_array().unwrap().iter().filter(|c| c["id"] == id && c["status"] == "pass");
    entries.map(|c| c["count"].as_u64().unwrap_or(1) as usize).sum()
}

/// Copy `file` to `name` in `dir` with one byte changed: the byte `at` places after the
/// first `marker` on line `line` (0-based), replaced by `to` (or `to + 1` if it is `to`).
fn flip(dir: &TempDir, file: &Path, name: &str, line: usize, marker: &str, at: usize, to: u8) -> String {
    let text = std::fs::read(file).unwrap();
    let start: usize = text.split(|b| *b == b'\n').take(line).map(|l| l.len() + 1).sum();
    let end = start + text[start..].iter().position(|b| *b == b'\n').unwrap();
    let found = std::str::from_utf8(&text[start..end]).unwrap().find(marker).expect("marker on the line");
    let mut bytes = text.clone();
    let i = start + found + marker.len() + at;
    // A byte that already is `to` becomes the next one: the flip always changes it.
    bytes[i] = if bytes[i] == to { to + 1 } else { to };
    assert_eq!(bytes.iter().zip(&text).filter(|(a, b)| a != b).count(), 1);
    path(&dir.write(name, bytes)).to_string()
}

#[test]
fn big_demo_set_is_deterministic_and_the_right_size() {
    let a = generate("big-a");
    let b = generate("big-b");
    let files = ["jwks.json", "rows.jsonl", "rows-receipts.jsonl", "receipts.jsonl"];
    for f in files {
        let (x, y) = (std::fs::read(a.path(f)).unwrap(), std::fs::read(b.path(f)).unwrap());
        assert!(!x.is_empty(), "{f} is empty");
        assert!(x == y, "{f} differs between two runs");
    }
    assert_eq!(line_count(&a.path("rows.jsonl")), ROWS);
    assert_eq!(line_count(&a.path("rows-receipts.jsonl")), ROWS / 1_000);
    assert_eq!(line_count(&a.path("receipts.jsonl")), RECEIPTS);
    // The big set's rows have the demo rows' shape.
    let first: serde_json::Value =
        serde_json::from_str(std::fs::read_to_string(a.path("rows.jsonl")).unwrap().lines().next().unwrap()).unwrap();
    for member in ["seq", "customerId", "ts", "actor", "action", "resource", "prevHash", "thisHash"] {
        assert!(first.get(member).is_some(), "row 1 lacks {member}: {first}");
    }
    println!("demo_big: {} files identical across two runs", files.len());
}

#[test]
fn big_demo_set_verifies_and_one_flipped_byte_fails() {
    let dir = generate("big-verify");
    let jwks = dir.path("jwks.json");
    let (rows, sealed, chain) = (dir.path("rows.jsonl"), dir.path("rows-receipts.jsonl"), dir.path("receipts.jsonl"));

    // Positive controls: the chain, and the export with the receipts that seal it.
    let (c, v) = verify_json(&["--key", path(&jwks), path(&chain)]);
    assert_eq!((c, v["verdict"].as_str()), (0, Some("verified")), "{v}");
    assert_eq!(passes(&v, "receipt.signature"), RECEIPTS);
    assert_eq!(v["keys"][0]["verifiedSignatures"], RECEIPTS);
    let (c, v) = verify_json(&["--key", path(&jwks), "--rows", path(&rows), path(&sealed)]);
    assert_eq!((c, v["verdict"].as_str()), (0, Some("verified")), "{v}");
    assert_eq!(passes(&v, "rows.head"), ROWS / 1_000);
    assert_eq!(passes(&v, "rows.hash"), 1);

    // One byte of row 5,000's resource: its hash no longer matches.
    let bad_rows = flip(&dir, &rows, "rows-flipped.jsonl", 4_999, "\"resource\":\"", 0, b'q');
    let (c, v) = verify_json(&["--key", path(&jwks), "--rows", &bad_rows, path(&sealed)]);
    assert_eq!((c, v["verdict"].as_str()), (1, Some("failed")));
    assert!(failed_ids(&v).contains(&"rows.hash".to_string()), "{:?}", failed_ids(&v));

    // One hex digit of receipt 500's batchHead: its hash and signature no longer match.
    let bad_chain = flip(&dir, &chain, "receipts-flipped.jsonl", 500, "\"batchHead\":\"0x", 1, b'0');
    let (c, v) = verify_json(&["--key", path(&jwks), &bad_chain]);
    assert_eq!((c, v["verdict"].as_str()), (1, Some("failed")));
    let failed = failed_ids(&v);
    assert!(failed.contains(&"receipt.signature".to_string()), "{failed:?}");
    assert_eq!(passes(&v, "receipt.signature"), RECEIPTS - 1);

    // One byte of a sealing receipt's signature.
    let bad_sealed = flip(&dir, &sealed, "rows-receipts-flipped.jsonl", 3, "\"signature\":\"", 10, b'A');
    let (c, v) = verify_json(&["--key", path(&jwks), "--rows", path(&rows), &bad_sealed]);
    assert_eq!((c, v["verdict"].as_str()), (1, Some("failed")));
    assert!(failed_ids(&v).contains(&"receipt.signature".to_string()), "{:?}", failed_ids(&v));
}

#[test]
fn big_demo_set_refuses_more_than_a_year_of_receipts() {
    let tmp = TempDir::new("big-cap");
    let out = receipt(["demo", "--out", tmp.0.to_str().unwrap(), "--receipts", "525601"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("at most 525600"), "{}", stderr(&out));
    assert!(!tmp.path("receipts.jsonl").exists());
}
