//! Receipt files fed in pieces (SPEC.md §15, "Receipt streaming"): for generated and
//! damaged chains, any chunking and any window of signatures gives exactly the report of
//! the files given whole, with keys and without; and what is held does not grow with the
//! number of receipts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[macro_use]
mod common;

use std::sync::OnceLock;

use common::*;
use receipt_verify::{
    verify, FileRole, InputFile, PublicKey, ReceiptPass, Report, RustCryptoBackend, SignatureBackend, SignatureJob,
    SignatureOutcome, Verdict, Verification,
};
use serde_json::{json, Map, Value};

/// The demo chain, four times over, re-linked and re-signed with the demo key: 24 receipts.
fn long_chain() -> &'static Vec<Map<String, Value>> {
    static CHAIN: OnceLock<Vec<Map<String, Value>>> = OnceLock::new();
    CHAIN.get_or_init(|| {
        let demo = receipts();
        let mut chain = Vec::new();
        for round in 0..4 {
            for (i, r) in demo.iter().enumerate() {
                let mut r = r.clone();
                let (day, minute) = (round + 3, round * 10 + i);
                r.insert("signedAt".into(), json!(format!("2026-03-0{day}T10:{minute:02}:00Z")));
                // The WORM path names the customer and the signing minute (SPEC.md §9).
                let uri = r["wormBlobUri"].as_str().unwrap();
                let at = uri.find("/cust-0042/").unwrap();
                let uri = format!("{}/cust-0042/2026/03/0{day}/10{minute:02}Z.json", &uri[..at]);
                r.insert("wormBlobUri".into(), json!(uri));
                chain.push(r);
            }
        }
        reseal_chain(&mut chain);
        chain
    })
}

/// One damaged (or honest, for `kind` 0) receipt file, as text.
fn damaged(rng: &mut Rng, kind: usize) -> String {
    let mut chain = long_chain().clone();
    let at = rng.below(chain.len());
    let mut extra_lines: Vec<String> = Vec::new();
    match kind {
        0 => {}
        1 => {
            chain.remove(at);
        }
        2 => {
            let again = chain[at].clone();
            chain.insert(at, again);
        }
        3 => {
            chain[at].insert("customerId".into(), json!("cust-9999"));
        }
        4 => {
            let sig = chain[at]["signature"].as_str().unwrap().to_string();
            let swap = if sig.starts_with('A') { "B" } else { "A" };
            chain[at].insert("signature".into(), json!(format!("{swap}{}", &sig[1..])));
        }
        5 => {
            chain[at].insert("kid".into(), json!("no-such-kid"));
        }
        6 => {
            for row in rows().iter().take(3) {
                extra_lines.push(serde_json::to_string(row).unwrap());
            }
        }
        7 => extra_lines.push("{not json".into()),
        8 => extra_lines.push(r#"{"kid":"no-such-kid","signature":"AAAA"}"#.into()),
        _ => {
            chain[at].remove("signedAt");
        }
    }
    let mut lines: Vec<String> = chain.iter().map(|r| serde_json::to_string(r).unwrap()).collect();
    for extra in extra_lines {
        let at = rng.below(lines.len() + 1);
        lines.insert(at, extra);
    }
    // Blank lines and CRLF line ends, at random.
    let mut text = String::new();
    let crlf = rng.below(3) == 0;
    for line in lines {
        if rng.below(6) == 0 {
            text.push_str(if crlf { "\r\n" } else { "\n" });
        }
        text.push_str(&line);
        text.push_str(if crlf { "\r\n" } else { "\n" });
    }
    if rng.below(2) == 0 {
        text.pop();
    }
    text
}

/// Chunk sizes: at random between 1 and `max`. With `lag`, each round goes out to the
/// backend while the next chunk is pushed, as the CLI and the page drive it: its jobs are
/// answered from a copy made before the push, and must still be the pending ones after.
fn feed_pass(v: &mut Verification, file: &InputFile, pass: ReceiptPass, rng: &mut Rng, max: usize, lag: bool) {
    v.begin_receipt_file(&file.name, file.bytes.len() as u64, file.role, pass).unwrap();
    let mut rest: &[u8] = &file.bytes;
    let mut out: Option<(Vec<SignatureJob>, Vec<SignatureOutcome>)> = None;
    while !rest.is_empty() {
        let (chunk, tail) = rest.split_at((1 + rng.below(max)).min(rest.len()));
        v.push_receipts(chunk);
        if lag {
            settle(v, out.take());
            while !v.is_done() && v.windows_waiting() > 1 {
                let outcomes = RustCryptoBackend.verify_batch(v.keys(), v.pending_jobs());
                v.submit(outcomes).unwrap();
            }
            if !v.is_done() {
                let jobs = v.pending_jobs().to_vec();
                let outcomes = RustCryptoBackend.verify_batch(v.keys(), &jobs);
                out = Some((jobs, outcomes));
            }
        } else {
            drive(v, &RustCryptoBackend);
        }
        rest = tail;
    }
    settle(v, out);
    v.end_receipt_file().unwrap();
    drive(v, &RustCryptoBackend);
}

/// Submit a round that was out, after checking that pushing did not change its jobs.
fn settle(v: &mut Verification, out: Option<(Vec<SignatureJob>, Vec<SignatureOutcome>)>) {
    let Some((jobs, outcomes)) = out else { return };
    let same = |a: &SignatureJob, b: &SignatureJob| {
        (a.key, a.alg, a.message.to_vec(), &a.signature[..]) == (b.key, b.alg, b.message.to_vec(), &b.signature[..])
    };
    let pending = v.pending_jobs();
    assert!(
        pending.len() == jobs.len() && pending.iter().zip(&jobs).all(|(a, b)| same(a, b)),
        "a push changed the round out"
    );
    v.submit(outcomes).unwrap();
}

fn drive(v: &mut Verification, backend: &dyn SignatureBackend) {
    while !v.is_done() {
        let outcomes = backend.verify_batch(v.keys(), v.pending_jobs());
        v.submit(outcomes).unwrap();
    }
}

fn streamed(keys: Vec<PublicKey>, files: &[InputFile], rows: Option<&str>, rng: &mut Rng) -> Report {
    let mut v = Verification::start(keys);
    v.set_window(1 + rng.below(8), if rng.below(2) == 0 { usize::MAX } else { 1 + rng.below(4096) });
    let max = [1, 7, 64, 1000, 1 << 20][rng.below(5)];
    let lag = rng.below(2) == 0;
    for f in files {
        if f.role == FileRole::Auto {
            feed_pass(&mut v, f, ReceiptPass::Shape, rng, max, lag);
        }
        feed_pass(&mut v, f, ReceiptPass::Items, rng, max, lag);
    }
    for f in files {
        feed_pass(&mut v, f, ReceiptPass::Chain, rng, max, lag);
    }
    v.end_receipts().unwrap();
    drive(&mut v, &RustCryptoBackend);
    if let Some(rows) = rows {
        v.begin_rows("rows.jsonl");
        v.push_rows(rows.as_bytes());
        v.end_rows();
    }
    v.finish_with(&RustCryptoBackend)
}

fn json(report: &Report) -> String {
    serde_json::to_string(report).unwrap()
}

#[test]
fn damaged_chains_give_the_whole_file_report_in_any_chunking_and_window() {
    let mut rng = Rng(0x5eed_cafe);
    let (mut compared, mut failed, mut verified) = (0, 0, 0);
    for case in 0..40 {
        let kind = case % 10;
        let mut files = vec![InputFile::new("receipts.jsonl", damaged(&mut rng, kind).into_bytes())];
        if case % 4 == 1 {
            files.push(InputFile::new("approvals.json", APPROVALS.as_bytes().to_vec()));
        }
        if case % 5 == 2 {
            files.push(InputFile::new("more.jsonl", damaged(&mut rng, 1 + kind % 9).into_bytes()));
        }
        if case % 7 == 3 {
            let forced =
                InputFile::new("forced.jsonl", damaged(&mut rng, 6).into_bytes()).with_role(FileRole::Receipts);
            files.push(forced);
        }
        let rows = (case % 3 == 0).then_some(ROWS);
        for keys in [jwks(), Vec::new()] {
            let rows_file = rows.map(|r| InputFile::new("rows.jsonl", r.as_bytes().to_vec()));
            let whole = verify(keys.clone(), &files, rows_file.as_ref(), &RustCryptoBackend);
            let expected = json(&whole);
            match whole.verdict() {
                Verdict::Verified => verified += 1,
                Verdict::Failed => failed += 1,
            }
            for _ in 0..3 {
                let got = json(&streamed(keys.clone(), &files, rows, &mut rng));
                assert_eq!(got, expected, "case {case} (damage {kind}), keys: {}", !keys.is_empty());
                compared += 1;
            }
        }
    }
    assert_eq!(compared, 240, "40 cases, with keys and without, 3 chunkings and windows each");
    assert!(failed > 40 && verified > 0, "{failed} failed, {verified} verified");
    say!("receipt streaming: {compared} streamed reports matched the whole-file report");
}

#[test]
fn the_honest_demo_set_verifies_in_every_chunking() {
    let files = [
        InputFile::new("receipts.jsonl", RECEIPTS.as_bytes().to_vec()),
        InputFile::new("approvals.json", APPROVALS.as_bytes().to_vec()),
    ];
    let whole = verify(jwks(), &files, None, &RustCryptoBackend);
    assert_eq!(whole.verdict(), Verdict::Verified, "{:?}", whole.failures().collect::<Vec<_>>());
    let mut rng = Rng(7);
    let mut ran = 0;
    for _ in 0..20 {
        let report = streamed(jwks(), &files, Some(ROWS), &mut rng);
        assert_eq!(report.verdict(), Verdict::Verified, "{:?}", report.failures().collect::<Vec<_>>());
        ran += 1;
    }
    assert_eq!(ran, 20);
}

#[test]
fn passes_out_of_order_are_refused() {
    let mut v = Verification::start(jwks());
    let err = v.begin_receipt_file("r.jsonl", 10, FileRole::Auto, ReceiptPass::Items);
    assert!(err.is_err(), "a file read by its shape starts with the shape pass");
    assert!(v.begin_receipt_file("r.jsonl", 10, FileRole::Auto, ReceiptPass::Chain).is_err());
    v.begin_receipt_file("r.jsonl", 0, FileRole::Auto, ReceiptPass::Shape).unwrap();
    v.end_receipt_file().unwrap();
    let next = v.begin_receipt_file("s.jsonl", 0, FileRole::Receipts, ReceiptPass::Items);
    assert!(next.is_err(), "the file before needs its items pass first");
    let mut v = Verification::start(jwks());
    v.begin_receipt_file("r.jsonl", 3, FileRole::Auto, ReceiptPass::Shape).unwrap();
    v.push_receipts(b"{}\n{}");
    let err = v.end_receipt_file().unwrap_err().to_string();
    assert!(err.contains("3 bytes announced, 5 fed"), "{err}");
    // Positive control: in order, every pass is taken.
    let mut v = Verification::start(jwks());
    for pass in [ReceiptPass::Shape, ReceiptPass::Items, ReceiptPass::Chain] {
        v.begin_receipt_file("r.jsonl", 2, FileRole::Auto, pass).unwrap();
        v.push_receipts(b"{}");
        v.end_receipt_file().unwrap();
    }
    assert!(v.begin_receipt_file("r.jsonl", 2, FileRole::Auto, ReceiptPass::Items).is_err(), "chain passes come last");
}

/// A backend that gives every job one answer: the memory test needs no real signatures.
struct Always(SignatureOutcome);

impl SignatureBackend for Always {
    fn name(&self) -> &'static str {
        "always"
    }
    fn verify_batch(&self, _: &[PublicKey], jobs: &[SignatureJob]) -> Vec<SignatureOutcome> {
        vec![self.0; jobs.len()]
    }
}

/// Every signature verifies; none does.
const YES: Always = Always(SignatureOutcome::Valid);
const NO: Always = Always(SignatureOutcome::Invalid);

/// `n` receipt-shaped lines, linked by made-up hashes, signed by nobody.
fn generated(n: usize) -> Vec<u8> {
    let kid = receipts()[0]["kid"].as_str().unwrap().to_string();
    // 256 bytes, as long as the demo key's modulus: a job for the backend.
    let signature = "QUFB".repeat(85) + "QQ==";
    let mut out = String::new();
    for i in 0..n {
        let hash = |k: usize| format!("0x{k:064x}");
        let (day, minute) = (1 + i / 1440, i % 1440);
        let line = json!({
            "batchHead": hash(i + 1_000_000), "customerId": "cust-0042", "kid": kid,
            "prevHash": hash(i), "thisHash": hash(i + 1), "signature": signature,
            "signedAt": format!("2026-01-{day:02}T{:02}:{:02}:00Z", minute / 60, minute % 60),
        });
        out.push_str(&line.to_string());
        out.push('\n');
    }
    out.into_bytes()
}

#[test]
fn memory_held_does_not_grow_with_the_receipt_count() {
    const N: usize = 20_000;
    const WINDOW: usize = 256;
    let bytes = generated(N);
    let file = InputFile::new("year.jsonl", bytes.clone());
    let mut v = Verification::start(jwks());
    v.set_window(WINDOW, usize::MAX);
    let (mut most, mut checked) = (receipt_verify::Held::default(), 0);
    for pass in [ReceiptPass::Shape, ReceiptPass::Items, ReceiptPass::Chain] {
        v.begin_receipt_file(&file.name, bytes.len() as u64, FileRole::Auto, pass).unwrap();
        for chunk in bytes.chunks(64 << 10) {
            v.push_receipts(chunk);
            drive(&mut v, &YES);
            let held = v.held();
            most.signatures = most.signatures.max(held.signatures);
            most.signed_bytes = most.signed_bytes.max(held.signed_bytes);
            most.queued_findings = most.queued_findings.max(held.queued_findings);
            most.buffered_bytes = most.buffered_bytes.max(held.buffered_bytes);
            checked += 1;
        }
        v.end_receipt_file().unwrap();
    }
    assert!(checked > 50, "{checked}");
    assert!(most.signatures < WINDOW, "{most:?}");
    assert!(most.signed_bytes < WINDOW * 1024, "{most:?}");
    assert!(most.queued_findings < WINDOW * 8, "{most:?}");
    assert!(most.buffered_bytes < 4096, "{most:?}");
    let held = v.held();
    assert_eq!((held.heads, held.bytes_per_head), (N, 56), "what stays per receipt: its sealed head");
    v.end_receipts().unwrap();
    drive(&mut v, &YES);
    let report = v.finish_with(&YES);
    // The same report as the file given whole, which holds every signature until the end.
    let whole = Verification::new(jwks(), &[file]);
    assert_eq!(whole.held().signatures, N, "the control: given whole, every signature is held");
    assert_eq!(json(&report), json(&whole.finish_with(&YES)));
    let signatures = report.checks.iter().find(|c| c.id == receipt_verify::ids::RECEIPT_SIGNATURE);
    assert_eq!(signatures.map(|c| (c.status, c.count)), Some((receipt_verify::Status::Pass, Some(N))));
}

#[test]
fn which_failures_are_probed_does_not_depend_on_the_window() {
    // 300 failed signatures, every third under a kid no key has, and two keys: only the
    // first 50 (MAX_PROBED_FAILURES), in receipt order, are tried under the other key.
    let text = String::from_utf8(generated(300)).unwrap();
    let kid = receipts()[0]["kid"].as_str().unwrap().to_string();
    let lines: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| if i % 3 == 1 { l.replace(&kid, "no-such-kid") } else { l.to_string() })
        .collect();
    let bytes = (lines.join("\n") + "\n").into_bytes();
    let mut keys = jwks();
    keys.extend(receipt_verify::parse_keys(PUB_PEM.as_bytes(), "audit-key.pub.pem").unwrap());
    let whole = json(&Verification::new(keys.clone(), &[InputFile::new("r.jsonl", bytes.clone())]).finish_with(&NO));
    assert!(whole.contains("250 failed signatures were not tried"), "the cap is reached");
    let mut compared = 0;
    for window in [1, 2, 7, 64, 299] {
        let mut v = Verification::start(keys.clone());
        v.set_window(window, usize::MAX);
        for pass in [ReceiptPass::Shape, ReceiptPass::Items, ReceiptPass::Chain] {
            v.begin_receipt_file("r.jsonl", bytes.len() as u64, FileRole::Auto, pass).unwrap();
            for chunk in bytes.chunks(999) {
                v.push_receipts(chunk);
                drive(&mut v, &NO);
            }
            v.end_receipt_file().unwrap();
        }
        assert_eq!(json(&v.finish_with(&NO)), whole, "window of {window}");
        compared += 1;
    }
    assert_eq!(compared, 5);
}
