//! Receipt files read from disk in chunks (SPEC.md §15, "Receipt streaming"): each file
//! is read three times (shape, items, chain; see `Verification::begin_receipt_file`),
//! 4 MiB at a time, and the signature rounds run between chunks, so memory stays bounded
//! by a window of signatures and a line, whatever the file's size. A file that is not a
//! regular file (a pipe, `/dev/stdin`) cannot be read three times: it is read whole
//! into memory once, as before (so is a regular file whose length reads as 0).
//!
//! Pipelined: a round's jobs go to the backend on another thread while the next chunk is
//! read and parsed here. The engine leaves a round's jobs as they are while chunks are
//! pushed (the windows those chunks close wait their turn), so the outcomes still answer
//! exactly the jobs they were made for. At most one round is out, and rounds are answered
//! here while more than one window waits behind it, so memory holds a few windows.

use std::fs::File;
use std::io::Read;
use std::path::PathBuf;
use std::thread::{Scope, ScopedJoinHandle};

use anyhow::{Context, Result};
use receipt_verify::{FileRole, PublicKey, ReceiptPass, SignatureBackend, SignatureOutcome, Verification};

/// Bytes read from a receipt file at a time.
const CHUNK_BYTES: usize = 4 << 20;

/// A backend the driver can run on another thread.
pub type Backend<'a> = &'a (dyn SignatureBackend + Sync);

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
pub fn feed(v: &mut Verification, files: &[PathBuf], backend: Backend<'_>) -> Result<()> {
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
    let keys: Vec<PublicKey> = v.keys().to_vec();
    let mut driver = Driver { backend, keys: &keys, broken: false };
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
    backend: Backend<'a>,
    /// `v.keys()`, which a round on another thread reads while `v` takes the next chunk.
    keys: &'a [PublicKey],
    /// The backend broke its contract: the rounds are left to `finish_with`, which
    /// reports it.
    broken: bool,
}

/// The next chunk of a pass into the buffer; false at the end.
type Chunks<'a> = Box<dyn FnMut(&mut Vec<u8>) -> Result<bool> + 'a>;

/// A round out on another thread.
type Out<'scope> = ScopedJoinHandle<'scope, Vec<SignatureOutcome>>;

impl<'a> Driver<'a> {
    /// Every pending round, here, until none is left.
    fn run(&mut self, v: &mut Verification) {
        while !self.broken && !v.is_done() {
            let outcomes = self.backend.verify_batch(v.keys(), v.pending_jobs());
            self.broken = v.submit(outcomes).is_err();
        }
    }

    /// Take the answers of the round out, if one is.
    fn settle(&mut self, v: &mut Verification, out: Option<Out<'_>>) {
        if let Some(round) = out {
            // A round that panicked answers nothing: `finish_with` reports the engine error.
            let outcomes = round.join().unwrap_or_default();
            self.broken = self.broken || v.submit(outcomes).is_err();
        }
    }

    /// Take the answers of the round out (if any), then send the next pending round out.
    fn turn<'scope>(
        &mut self,
        v: &mut Verification,
        out: Option<Out<'scope>>,
        scope: &'scope Scope<'scope, '_>,
    ) -> Option<Out<'scope>>
    where
        'a: 'scope,
    {
        self.settle(v, out);
        // A chunk can close several windows while one round is out: answer the older ones
        // here, so no more than one waits and memory stays at a few windows.
        while !self.broken && !v.is_done() && v.windows_waiting() > 1 {
            let outcomes = self.backend.verify_batch(v.keys(), v.pending_jobs());
            self.broken = v.submit(outcomes).is_err();
        }
        if self.broken || v.is_done() {
            return None;
        }
        let (backend, keys, jobs) = (self.backend, self.keys, v.pending_jobs().to_vec());
        Some(scope.spawn(move || backend.verify_batch(keys, &jobs)))
    }
}

fn pass(v: &mut Verification, r: &Receipts, pass: ReceiptPass, driver: &mut Driver<'_>) -> Result<()> {
    v.begin_receipt_file(&r.name, r.len, FileRole::Auto, pass)?;
    let mut chunks: Chunks<'_> = match &r.source {
        Source::Whole(bytes) => {
            let mut rest = bytes.chunks(CHUNK_BYTES);
            Box::new(move |buf: &mut Vec<u8>| {
                buf.clear();
                Ok(rest.next().map(|c| buf.extend_from_slice(c)).is_some())
            })
        }
        Source::Disk(path) => {
            let mut file = File::open(path).with_context(|| format!("cannot read {}", r.name))?;
            let name = r.name.clone();
            Box::new(move |buf: &mut Vec<u8>| {
                buf.resize(CHUNK_BYTES, 0);
                let n = file.read(buf).with_context(|| format!("cannot read {name}"))?;
                buf.truncate(n);
                Ok(n > 0)
            })
        }
    };
    let mut buf = Vec::with_capacity(CHUNK_BYTES);
    std::thread::scope(|scope| -> Result<()> {
        let mut out = None;
        let read = loop {
            match chunks(&mut buf) {
                Ok(true) => {}
                done => break done.map(drop),
            }
            v.push_receipts(&buf);
            out = driver.turn(v, out, scope);
        };
        // The round still out is answered before the pass ends.
        driver.settle(v, out);
        read
    })?;
    v.end_receipt_file().with_context(|| format!("cannot read {}", r.name))?;
    driver.run(v);
    Ok(())
}
