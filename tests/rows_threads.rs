//! `receipt verify --rows` reads a large export on every core (crates/cli/src/rows.rs):
//! the report must be the same for any number of threads, byte for byte, on an export
//! large enough to be split (over 8 MiB), with damage near the cuts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

mod support;

use receipt_verify::{canonical_without, Hash};
use serde_json::{json, Map, Value};
use support::*;

/// `n` linked rows from genesis (about 260 bytes each) and their hashes.
fn rows(n: u64) -> (Vec<String>, Vec<Hash>) {
    let mut prev = Hash::GENESIS;
    let (mut lines, mut hashes) = (Vec::new(), Vec::new());
    for seq in 1..=n {
        let mut row: Map<String, Value> = json!({
            "seq": seq, "customerId": "cust-0042", "prevHash": prev.to_string(),
            "ts": "2026-03-02T09:00:00Z", "action": "config.change", "actor": "ops@vendor.example",
            "detail": format!("change {seq} of the export, padded to a realistic row size ........")
        })
        .as_object()
        .unwrap()
        .clone();
        let h = Hash::sha256(&canonical_without(&row, &["thisHash"]).unwrap());
        row.insert("thisHash".into(), Value::String(h.to_string()));
        prev = h;
        lines.push(serde_json::to_string(&row).unwrap());
        hashes.push(h);
    }
    (lines, hashes)
}

#[test]
fn any_number_of_threads_gives_the_same_report() {
    let n = 40_000u64;
    let (mut lines, hashes) = rows(n);
    // Damage spread over the file, so some falls near wherever the cuts land.
    for k in [9_999usize, 19_999, 20_000, 29_999] {
        lines[k] = lines[k].replacen("config.change", "config.chang3", 1);
    }
    lines[15_000] = "{not json".into();
    lines.insert(25_000, String::new());
    let text = lines.join("\n") + "\n";
    assert!(text.len() > 9 << 20, "{} bytes: too small to be split", text.len());
    // Receipts (unsigned: only their heads matter here) sealing rows 5,000, 20,001, 35,000,
    // and one head no row has.
    let sealing = |h: &Hash, i: u32| {
        json!({"customerId": "cust-0042", "batchHead": h.to_string(), "prevHash": Hash::GENESIS.to_string(),
               "thisHash": Hash::sha256(&i.to_be_bytes()).to_string(), "signedAt": "2026-03-02T09:01:00Z",
               "kid": "k", "signature": "AA"})
        .to_string()
    };
    let receipts: Vec<String> = [&hashes[4_999], &hashes[20_000], &hashes[34_999], &Hash::sha256(b"nowhere")]
        .iter()
        .enumerate()
        .map(|(i, h)| sealing(h, i as u32))
        .collect();
    let dir = TempDir::new("rows-threads");
    let rows_path = dir.write("rows.jsonl", &text);
    let receipts_path = dir.write("receipts.jsonl", receipts.join("\n") + "\n");
    let key = examples().join("jwks.json");
    let run = |threads: &str| {
        let out = receipt([
            "verify",
            "--json",
            "--threads",
            threads,
            "--key",
            key.to_str().unwrap(),
            "--rows",
            rows_path.to_str().unwrap(),
            receipts_path.to_str().unwrap(),
        ]);
        assert_eq!(code(&out), 1, "{}", stderr(&out));
        stdout(&out)
    };
    let one = run("1");
    let report: Value = serde_json::from_str(&one).unwrap();
    let checks = report["checks"].as_array().unwrap();
    // Report v2: the passes of one id are one entry with a `count`.
    let count = |id: &str, status: &str| -> u64 {
        let entries = checks.iter().filter(|c| c["id"] == id && c["status"] == status);
        entries.map(|c| c["count"].as_u64().unwrap_or(1)).sum()
    };
    // What one thread finds: the four edited rows, the unreadable line, the sealed heads.
    assert_eq!(count("rows.hash", "fail"), 4, "{one}");
    assert_eq!(count("rows.parse", "fail"), 1);
    assert_eq!(count("rows.head", "pass"), 2, "rows 5,000 and 35,000 seal their receipts");
    assert_eq!(count("rows.head", "fail"), 2, "row 20,001 is edited after its hash; one head is nowhere");
    let mut compared = 0;
    for threads in ["2", "3", "7", "64"] {
        assert_eq!(run(threads), one, "--threads {threads}");
        compared += 1;
    }
    assert_eq!(compared, 4);
}

/// Run `receipt verify --json` on the demo set with the row export given as `rows`, its
/// bytes written to the process's stdin when `stdin` is given (for `--rows /dev/stdin`).
fn verify_demo_rows(rows: &str, extra: &[&str], stdin: Option<Vec<u8>>) -> std::process::Output {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let ex = examples();
    let (key, receipts) = (ex.join("jwks.json"), ex.join("receipts.jsonl"));
    let mut args = vec!["verify", "--json", "--key", key.to_str().unwrap(), "--rows", rows];
    args.extend_from_slice(extra);
    args.push(receipts.to_str().unwrap());
    let mut child = Command::new(env!("CARGO_BIN_EXE_receipt"))
        .args(&args)
        .current_dir(root())
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let writer = stdin.map(|bytes| {
        let mut pipe = child.stdin.take().unwrap();
        // A pipe may fill before the reader starts: write on a thread of its own.
        std::thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        })
    });
    let out = child.wait_with_output().unwrap();
    if let Some(w) = writer {
        w.join().unwrap();
    }
    out
}

/// (red team 02) A row export that arrives through a pipe (`--rows /dev/stdin`, or a shell's
/// `<(…)`) cannot seek and has no size: it is streamed, and gets the report the same file
/// gets (before, "Illegal seek", exit 2).
#[cfg(unix)]
#[test]
fn an_export_read_from_a_pipe_gets_the_files_report() {
    let path = examples().join("rows.jsonl");
    let from_file = verify_demo_rows(path.to_str().unwrap(), &[], None);
    assert_eq!(code(&from_file), 0, "positive control: {}", stderr(&from_file));
    let bytes = std::fs::read(&path).unwrap();
    let from_pipe = verify_demo_rows("/dev/stdin", &[], Some(bytes.clone()));
    assert_eq!(code(&from_pipe), 0, "{}", stderr(&from_pipe));
    let name = |out: &std::process::Output, file: &str| stdout(out).replace(file, "ROWS");
    assert_eq!(name(&from_pipe, "/dev/stdin"), name(&from_file, path.to_str().unwrap()));
    // An edited row read through the pipe still fails.
    let edited = String::from_utf8(bytes).unwrap().replacen("\"read\"", "\"r3ad\"", 1);
    let tampered = verify_demo_rows("/dev/stdin", &[], Some(edited.into_bytes()));
    assert_eq!(code(&tampered), 1, "{}", stdout(&tampered));
    assert!(stdout(&tampered).contains("\"rows.hash\""));
}

/// (red team 01) `--threads` far past the cores: at most `MAX_THREADS` (64) threads, each read on this thread when the system refuses to start one,
/// so the report is the one of `--threads 1`, with no panic (before: 65,535 threads asked
/// for, and "failed to spawn thread" when refused).
#[test]
fn many_more_threads_than_cores_give_the_same_report() {
    let (lines, _) = rows(40_000);
    let text = lines.join("\n") + "\n";
    assert!(text.len() > 9 << 20);
    let dir = TempDir::new("rows-many-threads");
    let rows_path = dir.write("rows.jsonl", &text);
    let rows = rows_path.to_str().unwrap();
    let one = verify_demo_rows(rows, &["--threads", "1"], None);
    let many = verify_demo_rows(rows, &["--threads", "65535"], None);
    assert_eq!(code(&one), 1, "no receipt seals these rows: {}", stdout(&one));
    assert_eq!(code(&many), 1, "{}", stderr(&many));
    assert!(stdout(&one).contains("\"rows.sealed\""), "{}", stdout(&one));
    assert_eq!(stdout(&many), stdout(&one));
}
