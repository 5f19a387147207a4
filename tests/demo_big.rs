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

/// The CLI reads receipt files in 4 MiB chunks and sends each window's signatures to the
/// backend on another thread while it parses the next chunk (crates/cli/src/receipts.rs).
/// Over a chain of three chunks, damaged next to the chunk and window edges, its report is
/// exactly the library's for the file given whole, on the same backend.
#[test]
fn a_chain_of_several_chunks_gives_the_whole_file_report_while_rounds_overlap_parsing() {
    const LONG: usize = 12_000;
    let tmp = TempDir::new("big-pipelined");
    let out = receipt(["demo", "--out", tmp.0.to_str().unwrap(), "--receipts", &LONG.to_string()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let (jwks, chain) = (tmp.path("jwks.json"), tmp.path("receipts.jsonl"));
    let text = std::fs::read_to_string(&chain).unwrap();
    assert!(text.len() > 2 * (4 << 20), "{} bytes: not three chunks", text.len());
    // Receipts either side of the first chunk's end and of window edges (4,096), and near
    // the end: a signature changed, a kid no key has, a field edited after signing, a
    // receipt removed (its successor's prevHash breaks).
    let per = text.len() / LONG;
    let at_chunk = (4 << 20) / per;
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for i in [at_chunk - 1, at_chunk, 4_095, 8_192, LONG - 2] {
        // One base64 digit: still 256 bytes, so the backend is asked and says no.
        let at = lines[i].find("\"signature\":\"").unwrap() + 20;
        let digit = if &lines[i][at..=at] == "A" { "B" } else { "A" };
        lines[i].replace_range(at..=at, digit);
    }
    lines[at_chunk + 1] = lines[at_chunk + 1].replacen("\"kid\":\"", "\"kid\":\"other-", 1);
    lines[4_097] = lines[4_097].replacen("\"signedAt\":\"2026", "\"signedAt\":\"2025", 1);
    lines.remove(10_000);
    let damaged = tmp.write("damaged.jsonl", lines.join("\n") + "\n");

    for file in [&chain, &damaged] {
        let name = path(file);
        let (c, cli) = verify_json(&["--key", path(&jwks), name]);
        let keys = receipt_verify::parse_keys(&std::fs::read(&jwks).unwrap(), path(&jwks)).unwrap();
        let whole = receipt_verify::InputFile::new(name, std::fs::read(file).unwrap());
        let report =
            receipt_verify::Verification::new(keys, &[whole]).finish_with(&receipt_native_backend::OpenSslBackend);
        let library = serde_json::to_value(&report).unwrap();
        assert_eq!(cli, library, "{name}: the CLI's report differs from the whole file's");
        let expected = if file == &chain { (0, "verified") } else { (1, "failed") };
        assert_eq!((c, cli["verdict"].as_str().unwrap()), expected, "{name}");
    }
    // The damage is all reported (a verifier that lost a window would miss some).
    let (_, v) = verify_json(&["--key", path(&jwks), path(&damaged)]);
    assert_eq!(passes(&v, "receipt.signature"), LONG - 1 - 5 - 2, "{}", failed_ids(&v).join(","));
    let failed = failed_ids(&v);
    for id in ["receipt.signature", "key.select", "chain.link"] {
        assert!(failed.contains(&id.to_string()), "{id} missing from {failed:?}");
    }
}
