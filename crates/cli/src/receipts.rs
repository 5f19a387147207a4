//! Receipt files read from disk in chunks (SPEC.md §15, "Receipt streaming"): each file
//! is read three times (shape, items, chain; see `Verification::begin_receipt_file`),
//! 4 MiB at a time, and the signature rounds run between chunks, so memory stays bounded
//! by a window of signatures and a line, whatever the file's size. A file that is not a
//! regular file (a pipe, `/dev/stdin`) cannot be read three times: it is read whole
//! into memory once, as before (so is a regular file whose length reads as 0).

use std::fs::File;
use std::io::Read;
use std::path::PathBuf;

use anyhow::{Context, Result};
use receipt_verify::{FileRole, ReceiptPass, SignatureBackend, Verification};

/// Bytes read from a receipt file at a time.
const CHUNK_BYTES: usize = 4 << 20;

/// A receipt file: on disk (read again for each pass), or held whole.
enum Source {
    Disk(PathBuf),
    Whole(Vec<u8>),
}

struct Receipts {
    name: String,
    len: u64,
    source: Source,
}

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
            Source::Disk(_) => meta.len(),
            Source::Whole(bytes) => bytes.len() as u64,
        };
        all.push(Receipts { name, len, source });
    }
    let mut driver = Driver { backend, broken: false };
    for r in &all {
        pass(v, r, ReceiptPass::Shape, &mut driver)?;
        pass(v, r, ReceiptPass::Items, &mut driver)?;
    }
    for r in &all {
        pass(v, r, ReceiptPass::Chain, &mut driver)?;
    }
    v.end_receipts();
    driver.run(v);
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

fn pass(v: &mut Verification, r: &Receipts, pass: ReceiptPass, driver: &mut Driver<'_>) -> Result<()> {
    v.begin_receipt_file(&r.name, r.len, FileRole::Auto, pass)?;
    match &r.source {
        Source::Whole(bytes) => {
            for chunk in bytes.chunks(CHUNK_BYTES) {
                v.push_receipts(chunk);
                driver.run(v);
            }
        }
        Source::Disk(path) => {
            let mut file = File::open(path).with_context(|| format!("cannot read {}", r.name))?;
            let mut buf = vec![0; CHUNK_BYTES];
            loop {
                let n = file.read(&mut buf).with_context(|| format!("cannot read {}", r.name))?;
                let Some(chunk) = buf.get(..n).filter(|c| !c.is_empty()) else { break };
                v.push_receipts(chunk);
                driver.run(v);
            }
        }
    }
    v.end_receipt_file().with_context(|| format!("cannot read {}", r.name))?;
    driver.run(v);
    Ok(())
}
