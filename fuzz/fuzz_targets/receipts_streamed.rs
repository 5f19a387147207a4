//! Receipt files fed in pieces (SPEC.md §15, "Receipt streaming") against the file given
//! whole: for any bytes, any chunking, any window of signatures, and with a round left out
//! to the backend while the next chunk is pushed (as the CLI and the page drive it), the
//! report is byte for byte the whole-file report, and that is byte for byte the report of
//! the file read with every line through the strict parser (no fast receipt reader,
//! `receipt/fast.rs`). The demo keys check the signatures.
//!
//! Input: control bytes, then 0xFF, then the receipt file; without 0xFF the whole input is
//! the file and a fixed control is used. Control byte 0: the window (1 + n % 16 signatures);
//! byte 1: bit 0 leaves a round out across a push, bit 1 reads the file as receipts
//! whatever its shape; the rest: chunk lengths, cycled (0 is an empty push).
#![no_main]

use libfuzzer_sys::fuzz_target;
use receipt_verify::{
    verify, FileRole, InputFile, ReceiptPass, Report, RustCryptoBackend, SignatureBackend, SignatureOutcome,
    Verification,
};
use receipt_verify_fuzz::demo;

/// Chunk lengths, cycled; a whole cycle of empty pushes is followed by one byte.
struct Chunks {
    lengths: Vec<usize>,
    at: usize,
}

impl Chunks {
    fn next(&mut self) -> usize {
        let n = self.lengths.get(self.at % self.lengths.len().max(1)).copied().unwrap_or(1);
        self.at += 1;
        if self.at.is_multiple_of(self.lengths.len().max(1)) && self.lengths.iter().all(|l| *l == 0) {
            return 1;
        }
        n
    }
}

fn answer_all(v: &mut Verification) {
    while !v.is_done() {
        let outcomes = RustCryptoBackend.verify_batch(v.keys(), v.pending_jobs());
        v.submit(outcomes).unwrap_or_else(|e| panic!("one outcome per job was refused: {e}"));
    }
}

fn pass(v: &mut Verification, file: &InputFile, pass: ReceiptPass, chunks: &mut Chunks, lag: bool) {
    v.begin_receipt_file(&file.name, file.bytes.len() as u64, file.role, pass)
        .unwrap_or_else(|e| panic!("passes in order were refused: {e}"));
    let mut rest: &[u8] = &file.bytes;
    let mut out: Option<Vec<SignatureOutcome>> = None;
    while !rest.is_empty() {
        let (chunk, tail) = rest.split_at(chunks.next().min(rest.len()));
        v.push_receipts(chunk);
        if lag {
            // The round answered before this push is submitted only now.
            if let Some(outcomes) = out.take() {
                v.submit(outcomes).unwrap_or_else(|e| panic!("a push changed the round that was out: {e}"));
            }
            while !v.is_done() && v.windows_waiting() > 1 {
                let outcomes = RustCryptoBackend.verify_batch(v.keys(), v.pending_jobs());
                v.submit(outcomes).unwrap_or_else(|e| panic!("{e}"));
            }
            if !v.is_done() {
                out = Some(RustCryptoBackend.verify_batch(v.keys(), v.pending_jobs()));
            }
        } else {
            answer_all(v);
        }
        rest = tail;
    }
    if let Some(outcomes) = out {
        v.submit(outcomes).unwrap_or_else(|e| panic!("a push changed the round that was out: {e}"));
    }
    v.end_receipt_file().unwrap_or_else(|e| panic!("a pass of the announced length was refused: {e}"));
    answer_all(v);
}

fn streamed(file: &InputFile, control: &[u8]) -> Report {
    let mut v = Verification::start(demo::keys().to_vec());
    v.set_window(1 + usize::from(control.first().copied().unwrap_or(0) % 16), usize::MAX);
    let flags = control.get(1).copied().unwrap_or(0);
    let lengths: Vec<usize> = control.iter().skip(2).map(|b| usize::from(*b)).collect();
    let mut chunks = Chunks { lengths: if lengths.is_empty() { vec![1] } else { lengths }, at: 0 };
    if file.role == FileRole::Auto {
        pass(&mut v, file, ReceiptPass::Shape, &mut chunks, flags & 1 == 1);
    }
    pass(&mut v, file, ReceiptPass::Items, &mut chunks, flags & 1 == 1);
    pass(&mut v, file, ReceiptPass::Chain, &mut chunks, flags & 1 == 1);
    v.end_receipts().unwrap_or_else(|e| panic!("every pass was fed whole, yet: {e}"));
    v.finish_with(&RustCryptoBackend)
}

fuzz_target!(|data: &[u8]| {
    let (control, bytes): (&[u8], &[u8]) = match data.iter().position(|b| *b == 0xFF) {
        Some(i) => (data.get(..i).unwrap_or_default(), data.get(i + 1..).unwrap_or_default()),
        None => (&[3, 1, 7, 0, 64, 1, 200], data),
    };
    let mut file = InputFile::new("receipts.jsonl", bytes.to_vec());
    if control.get(1).is_some_and(|f| f & 2 == 2) {
        file = file.with_role(FileRole::Receipts);
    }
    let whole = verify(demo::keys().to_vec(), std::slice::from_ref(&file), None, &RustCryptoBackend);
    let strict = Verification::new_read_strictly(demo::keys().to_vec(), std::slice::from_ref(&file))
        .finish_with(&RustCryptoBackend);
    let fed = streamed(&file, control);
    let json = |r: &Report| serde_json::to_string(r).unwrap_or_else(|e| panic!("a report must serialise: {e}"));
    let (whole, strict, fed) = (json(&whole), json(&strict), json(&fed));
    same("the streamed report differs from the whole-file report", &whole, &fed);
    same("the fast receipt reader changed the whole-file report", &strict, &whole);
});

fn same(what: &str, a: &str, b: &str) {
    if a != b {
        let at = a.bytes().zip(b.bytes()).position(|(x, y)| x != y).unwrap_or(0);
        panic!(
            "{what} at byte {at}:\nexpected: …{}\nfound:    …{}",
            a.get(at.saturating_sub(80)..(at + 200).min(a.len())).unwrap_or_default(),
            b.get(at.saturating_sub(80)..(at + 200).min(b.len())).unwrap_or_default()
        );
    }
}
