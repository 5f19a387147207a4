//! Receipt files read from disk in chunks (SPEC.md §15, "Receipt streaming"): each file
//! is read three times (shape, items, chain; see `Verification::begin_receipt_file`),
//! 4 MiB at a time, and the signature rounds run between chunks, so memory stays bounded
//! by a window of signatures and a line, whatever the file's size. A file that is not a
//! regular file (a pipe, `/dev/stdin`) cannot be read three times: it is read whole
//! into memory once, as before (so is a regular file whose length reads as 0).
//!
//! Each pass hashes the bytes it read (SHA-256); a pass that read other bytes than the
//! file's first pass is refused (exit 2): the passes' findings would otherwise mix two
//! versions of the file (red team 5: items checked in one version, signatures in another
//! that lacks the forged receipt, verified).

use std::fs::File;
use std::io::Read;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use receipt_verify::{FileRole, ReceiptPass, SignatureBackend, Verification};
use sha2::{Digest, Sha256};

/// Bytes read from a receipt file at a time.
const CHUNK_BYTES: usize = 4 << 20;

/// A receipt file: on disk (read again for each pass), or held whole.
enum Source {
    Disk(PathBuf),
    Whole(Vec<u8>),
    /// Tests: a file that reads as the next of these bytes at each pass.
    #[cfg(test)]
    Changing(std::cell::Cell<usize>, Vec<Vec<u8>>),
}

impl Source {
    /// A reader of the file from its start, for one pass.
    fn open(&self, name: &str) -> Result<Box<dyn Read + '_>> {
        Ok(match self {
            Source::Disk(path) => Box::new(File::open(path).with_context(|| format!("cannot read {name}"))?),
            Source::Whole(bytes) => Box::new(bytes.as_slice()),
            #[cfg(test)]
            Source::Changing(next, versions) => {
                let i = next.replace(next.get() + 1);
                Box::new(versions.get(i).map_or(&[][..], Vec::as_slice))
            }
        })
    }
}

struct Receipts {
    name: String,
    len: u64,
    source: Source,
}

/// The SHA-256 of the bytes one pass read.
type PassDigest = [u8; 32];

/// Feed every receipt file to `v` in its three passes, running the signature rounds on
/// `backend` between chunks; then end the receipts.
pub fn feed(v: &mut Verification, files: &[PathBuf], backend: &dyn SignatureBackend) -> Result<()> {
    let mut all = Vec::with_capacity(files.len());
    for p in files {
        let name = p.display().to_string();
        let meta = std::fs::metadata(p).with_context(|| format!("cannot read {name}"))?;
        // A file that says it is empty may not be (`/proc`): read it whole.
        let source = if meta.is_file() && meta.len() > 0 {
            Source::Disk(p.clone())
        } else {
            Source::Whole(std::fs::read(p).with_context(|| format!("cannot read {name}"))?)
        };
        let len = match &source {
            Source::Whole(bytes) => bytes.len() as u64,
            _ => meta.len(),
        };
        all.push(Receipts { name, len, source });
    }
    feed_all(v, &all, backend)
}

fn feed_all(v: &mut Verification, all: &[Receipts], backend: &dyn SignatureBackend) -> Result<()> {
    let mut driver = Driver { backend, broken: false };
    let mut first_read = Vec::with_capacity(all.len());
    for r in all {
        let shape = pass(v, r, ReceiptPass::Shape, &mut driver)?;
        same_bytes(r, shape, pass(v, r, ReceiptPass::Items, &mut driver)?)?;
        first_read.push(shape);
    }
    for (r, shape) in all.iter().zip(first_read) {
        same_bytes(r, shape, pass(v, r, ReceiptPass::Chain, &mut driver)?)?;
    }
    v.end_receipts();
    driver.run(v);
    Ok(())
}

/// Refuse a file whose pass read other bytes than its first pass (same length or not).
fn same_bytes(r: &Receipts, first: PassDigest, now: PassDigest) -> Result<()> {
    if first != now {
        bail!(
            "{} changed while it was read (its passes read different bytes); verify a copy that nothing writes to",
            r.name
        );
    }
    Ok(())
}

/// Runs the pending signature rounds.
struct Driver<'a> {
    backend: &'a dyn SignatureBackend,
    /// The backend broke its contract: the rounds are left to `finish_with`, which
    /// reports it.
    broken: bool,
}

impl Driver<'_> {
    fn run(&mut self, v: &mut Verification) {
        while !self.broken && !v.is_done() {
            let outcomes = self.backend.verify_batch(v.keys(), v.pending_jobs());
            self.broken = v.submit(outcomes).is_err();
        }
    }
}

/// Feed one pass of `r`; returns the SHA-256 of the bytes it read.
fn pass(v: &mut Verification, r: &Receipts, pass: ReceiptPass, driver: &mut Driver<'_>) -> Result<PassDigest> {
    v.begin_receipt_file(&r.name, r.len, FileRole::Auto, pass)?;
    let mut digest = Sha256::new();
    let mut file = r.source.open(&r.name)?;
    let mut buf = vec![0; CHUNK_BYTES];
    loop {
        let n = file.read(&mut buf).with_context(|| format!("cannot read {}", r.name))?;
        let Some(chunk) = buf.get(..n).filter(|c| !c.is_empty()) else { break };
        digest.update(chunk);
        v.push_receipts(chunk);
        driver.run(v);
    }
    v.end_receipt_file().with_context(|| format!("cannot read {}", r.name))?;
    driver.run(v);
    Ok(digest.finalize().into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use receipt_verify::{parse_key_file, RustCryptoBackend, Verdict};

    const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/");

    fn demo(file: &str) -> Vec<u8> {
        std::fs::read(format!("{DEMO}{file}")).unwrap()
    }

    /// The demo chain but its last receipt (f1), and that receipt with `batchSize` edited
    /// after signing (A) or as many spaces (B): with f1, each fails (B: empty input).
    fn versions() -> (Vec<u8>, Vec<u8>, Vec<u8>, Vec<u8>) {
        let text = String::from_utf8(demo("receipts.jsonl")).unwrap();
        let (head, last) = text.trim_end().rsplit_once('\n').unwrap();
        let edited = last.replacen("\"batchSize\":", "\"batchSize\":1", 1);
        assert_ne!(edited, last);
        let b = " ".repeat(edited.len());
        let honest = last.as_bytes().to_vec();
        (format!("{head}\n").into_bytes(), honest, edited.into_bytes(), b.into_bytes())
    }

    /// Verify f1, then a second file read as `versions` in its three passes.
    fn run(f1: &[u8], versions: Vec<Vec<u8>>) -> Result<Verdict> {
        let keys = parse_key_file(&demo("jwks.json"), "jwks.json").unwrap().keys;
        let mut v = Verification::start(keys);
        let len = versions[0].len() as u64;
        let first = Receipts { name: "f1.jsonl".into(), len: f1.len() as u64, source: Source::Whole(f1.to_vec()) };
        let source = Source::Changing(std::cell::Cell::new(0), versions);
        feed_all(&mut v, &[first, Receipts { name: "f2.jsonl".into(), len, source }], &RustCryptoBackend)?;
        Ok(v.finish_with(&RustCryptoBackend).verdict())
    }

    #[test]
    fn a_file_that_changes_between_passes_is_refused() {
        let (f1, honest, a, b) = versions();
        // Alone, neither version verifies; the honest chain does (positive control).
        assert_eq!(run(&f1, vec![a.clone(); 3]).unwrap(), Verdict::Failed);
        assert_eq!(run(&f1, vec![b.clone(); 3]).unwrap(), Verdict::Failed);
        assert_eq!(run(&f1, vec![honest; 3]).unwrap(), Verdict::Verified);
        // Items checked in A, signatures and chain in B: was verified (red team 5).
        for mixed in
            [vec![a.clone(), a.clone(), b.clone()], vec![a.clone(), b.clone(), b.clone()], vec![b, a.clone(), a]]
        {
            let err = run(&f1, mixed).unwrap_err().to_string();
            assert!(err.contains("f2.jsonl changed while it was read"), "{err}");
        }
    }
}
