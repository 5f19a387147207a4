//! Shared test helpers: the committed demo set, re-signing with the published demo keys,
//! and assertions on the exact set of failed check ids.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeSet;

// `say!` and `Rng` need no dependency, so tests/jcs-reference (its own workspace) shares them.
#[macro_use]
mod portable;
pub use portable::Rng;

use base64ct::{Base64, Base64UrlUnpadded, Encoding};
use receipt_verify::{
    approval_message, canonical_without, manifest, parse_keys, verify, wave_of, Hash, InputFile, PublicKey, Report,
    RustCryptoBackend, Status,
};
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// A Wycheproof vector file, read unchanged from `../shared/vectors` and built into the
/// test binary (so the WASM runs have it too).
#[allow(unused_macros)]
macro_rules! wycheproof {
    ($file:literal) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/vectors/wycheproof/testvectors_v1/", $file))
    };
}

/// Bytes from lowercase or uppercase hex (as the vector files write them).
pub fn hex(s: &str) -> Vec<u8> {
    assert!(s.len() % 2 == 0, "odd hex length");
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

macro_rules! example {
    ($name:literal) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/", $name))
    };
}

pub const JWKS: &str = example!("jwks.json");
pub const PUB_PEM: &str = example!("audit-key.pub.pem");
pub const PRIVATE_PEM: &str = example!("audit-key.pem");
pub const ROWS: &str = example!("rows.jsonl");
/// The `seq` of the row each demo receipt seals as its `batchHead`, in chain order.
pub const HEADS: [u64; 6] = [48, 96, 150, 201, 247, 290];
pub const RECEIPTS: &str = example!("receipts.jsonl");
pub const APPROVALS: &str = example!("approvals.json");
pub const TAMPERED_RECEIPT: &str = example!("tampered/receipt-edited.json");
pub const TAMPERED_CHAIN: &str = example!("tampered/receipts-removed.jsonl");
pub const TAMPERED_ROWS: &str = example!("tampered/rows-deleted-rehashed.jsonl");
pub const TAMPERED_APPROVAL: &str = example!("tampered/approval-self-approved.json");

pub fn jwks() -> Vec<PublicKey> {
    parse_keys(JWKS.as_bytes(), "jwks.json").unwrap()
}

pub fn objects(jsonl: &str) -> Vec<Map<String, Value>> {
    jsonl.lines().filter(|l| !l.is_empty()).map(|l| serde_json::from_str(l).unwrap()).collect()
}

pub fn receipts() -> Vec<Map<String, Value>> {
    objects(RECEIPTS)
}

pub fn rows() -> Vec<Map<String, Value>> {
    objects(ROWS)
}

pub fn approvals() -> Vec<Map<String, Value>> {
    serde_json::from_str(APPROVALS).unwrap()
}

pub fn jsonl(items: &[Map<String, Value>]) -> String {
    items.iter().map(|o| serde_json::to_string(o).unwrap() + "\n").collect()
}

/// Verify receipt files (name, text) and optional rows with key files (name, text).
/// With `RECEIPT_PARITY_CORPUS` set (native runs), each case is also written there, so the
/// WASM build can be checked against the CLI on exactly the same inputs.
pub fn run_with(keys: &[(&str, &str)], files: &[(&str, String)], rows: Option<&str>) -> Report {
    let parsed: Vec<PublicKey> = keys.iter().flat_map(|(n, t)| parse_keys(t.as_bytes(), n).unwrap()).collect();
    let inputs: Vec<InputFile> = files.iter().map(|(n, t)| InputFile::new(*n, t.clone().into_bytes())).collect();
    let rows_file = rows.map(|r| InputFile::new("rows.jsonl", r.as_bytes().to_vec()));
    #[cfg(not(target_arch = "wasm32"))]
    record_case(keys, files, rows);
    verify(parsed, &inputs, rows_file.as_ref(), &RustCryptoBackend)
}

pub fn run(files: &[(&str, String)], rows: Option<&str>) -> Report {
    run_with(&[("jwks.json", JWKS)], files, rows)
}

#[cfg(not(target_arch = "wasm32"))]
fn record_case(keys: &[(&str, &str)], files: &[(&str, String)], rows: Option<&str>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let Ok(root) = std::env::var("RECEIPT_PARITY_CORPUS") else { return };
    let test = std::thread::current().name().unwrap_or("case").replace("::", "-");
    let dir = std::path::Path::new(&root).join(format!("{test}-{}", N.fetch_add(1, Ordering::SeqCst)));
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    for (n, t) in keys {
        write(n, t);
    }
    for (n, t) in files {
        write(n, t);
    }
    if let Some(r) = rows {
        write("rows.jsonl", r);
    }
    let case = serde_json::json!({
        "keys": keys.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        "receipts": files.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        "rows": rows.map(|_| "rows.jsonl"),
    });
    write("case.json", &case.to_string());
}

pub fn failed_ids(report: &Report) -> BTreeSet<&'static str> {
    report.failures().map(|c| c.id).collect()
}

/// The failed check ids must be exactly `expected`.
#[track_caller]
pub fn assert_fails(report: &Report, expected: &[&str]) {
    let got = failed_ids(report);
    let want: BTreeSet<&str> = expected.iter().copied().collect();
    if got != want {
        let detail: Vec<String> = report
            .failures()
            .map(|c| format!("  {} {} — {} ({:?} vs {:?})", c.id, c.subject, c.message, c.expected, c.actual))
            .collect();
        panic!("expected failures {want:?}, got {got:?}:\n{}", detail.join("\n"));
    }
    // Every failure names its place and its expected and actual values.
    for c in report.failures() {
        assert!(c.expected.is_some() && c.actual.is_some(), "failure without expected/actual: {c:?}");
        // input.empty and verdict.signature are about the whole input, not one file.
        let whole_input = [receipt_verify::ids::INPUT_EMPTY, receipt_verify::ids::VERDICT_SIGNATURE];
        assert!(whole_input.contains(&c.id) || c.subject.file.is_some(), "failure without a file: {c:?}");
    }
    if expected.is_empty() {
        assert_eq!(report.verdict(), receipt_verify::Verdict::Verified);
    } else {
        assert_eq!(report.verdict(), receipt_verify::Verdict::Failed);
    }
}

pub fn has(report: &Report, id: &str, status: Status) -> bool {
    report.checks.iter().any(|c| c.id == id && c.status == status)
}

/// Re-seal a batch receipt with the demo audit key: thisHash and an RS256 signature.
pub fn reseal(r: &mut Map<String, Value>) {
    let key = rsa::RsaPrivateKey::from_pkcs8_pem(PRIVATE_PEM).unwrap();
    let signer = rsa::pkcs1v15::SigningKey::<Sha256>::new(key);
    let m = manifest(r).unwrap();
    r.insert("thisHash".into(), Value::String(Hash::sha256(&m).to_string()));
    r.insert("signature".into(), Value::String(Base64::encode_string(&signer.sign(&m).to_bytes())));
}

/// Re-link and re-seal a whole chain in order.
pub fn reseal_chain(chain: &mut [Map<String, Value>]) {
    let mut prev = Hash::GENESIS;
    for r in chain.iter_mut() {
        r.insert("prevHash".into(), Value::String(prev.to_string()));
        reseal(r);
        prev = r["thisHash"].as_str().unwrap().parse().unwrap();
    }
}

/// Re-hash rows from `from` (0-based) on, keeping every link intact.
pub fn rehash_rows(rows: &mut [Map<String, Value>], from: usize) {
    let mut prev: Hash =
        if from == 0 { Hash::GENESIS } else { rows[from - 1]["thisHash"].as_str().unwrap().parse().unwrap() };
    for r in rows.iter_mut().skip(from) {
        r.insert("prevHash".into(), Value::String(prev.to_string()));
        let h = Hash::sha256(&canonical_without(r, &["thisHash"]).unwrap());
        r.insert("thisHash".into(), Value::String(h.to_string()));
        prev = h;
    }
}

/// Point each receipt's batchHead at the row with the same seq as before, and re-seal.
pub fn reseal_over(rows: &[Map<String, Value>], chain: &mut [Map<String, Value>], head_seqs: &[u64]) {
    for (r, seq) in chain.iter_mut().zip(head_seqs) {
        let row = rows.iter().find(|row| row["seq"].as_u64() == Some(*seq)).unwrap();
        r.insert("batchHead".into(), row["thisHash"].clone());
    }
    reseal_chain(chain);
}

/// The demo approver signing key for `name` (same derivation as `receipt demo`).
pub fn approver_key(name: &str) -> p256::ecdsa::SigningKey {
    let seed = Sha256::digest(format!("receipt demo approver {name}").as_bytes());
    p256::ecdsa::SigningKey::from_slice(&seed).unwrap()
}

/// Re-sign every approval entry of a wave approval after its wave changed.
pub fn resign_approvals(a: &mut Map<String, Value>) {
    let wave = wave_of(a);
    let entries = a["approvals"].as_array().unwrap().clone();
    let mut out = Vec::new();
    for e in entries {
        let mut e = e.as_object().unwrap().clone();
        let m = approval_message(&wave, &e).unwrap();
        let key = approver_key(e["approver"].as_str().unwrap());
        let sig: p256::ecdsa::Signature = key.sign(&m);
        e.insert("signature".into(), Value::String(Base64UrlUnpadded::encode_string(&sig.to_bytes())));
        out.push(Value::Object(e));
    }
    a.insert("approvals".into(), Value::Array(out));
}

pub fn one(name: &'static str, r: &Map<String, Value>) -> Vec<(&'static str, String)> {
    vec![(name, serde_json::to_string(r).unwrap())]
}

/// Bytes and tokens that change how a line is read.
pub const PIECES: &[&str] = &[
    "\\",
    "\"",
    "\\u00e9",
    "\u{e9}",
    "\u{feff}",
    "\u{7f}",
    "\u{0}",
    "\t",
    " ",
    "\r",
    "\n",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "-",
    "-0",
    "0",
    "00",
    ".",
    "e",
    "E",
    "1e2",
    "0.1",
    "9007199254740993",
    "123456789012345",
    "1234567890123456",
    "true",
    "false",
    "null",
    "x",
    "\"type\":",
    "\"seq\":",
    "\"thisHash\":",
    "\"batchHead\":",
    "\"action\":\"wave.consumed\"",
    "\"seq\":1,",
    "\"customerId\":\"\",",
    "\"alg\":",
    "\"kid\":",
    "\"signature\":",
    "\"signedAt\":",
    "\"wormBlobUri\":",
    "\"type\":\"batch\",",
    "\"2026-02-30T00:00:00Z\"",
    "60Z",
    "=",
    "_",
    "/",
    "+",
    "0x",
    "A",
];

/// `line` with one to three random edits: a piece inserted, a span or a member value
/// replaced by one, or a span deleted (the fast readers' tests).
pub fn mutate(rng: &mut Rng, line: &str) -> String {
    let mut s = line.to_string();
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(s.len() + 1);
        let at = (0..=at).rev().find(|i| s.is_char_boundary(*i)).unwrap_or(0);
        let piece = PIECES[rng.below(PIECES.len())];
        match rng.below(4) {
            0 => s.insert_str(at, piece),
            // A whole member value replaced: numbers, literals and strings as values.
            3 => {
                let colons: Vec<usize> = s.match_indices(':').map(|(i, _)| i + 1).collect();
                if let Some(&from) = colons.get(rng.below(colons.len().max(1))) {
                    let end = s[from..].find([',', '}']).map_or(s.len(), |e| from + e);
                    s.replace_range(from..end, piece);
                }
            }
            1 => {
                let end = (at + 1 + rng.below(4)).min(s.len());
                let end = (end..=s.len()).find(|i| s.is_char_boundary(*i)).unwrap_or(s.len());
                s.replace_range(at..end, piece);
            }
            _ => {
                let end = (at + 1 + rng.below(8)).min(s.len());
                let end = (end..=s.len()).find(|i| s.is_char_boundary(*i)).unwrap_or(s.len());
                s.replace_range(at..end, "");
            }
        }
    }
    s
}
