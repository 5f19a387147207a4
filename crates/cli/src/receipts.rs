//! Receipt files read from disk in chunks (SPEC.md §15, "Receipt streaming"): each file
//! is read three times (shape, items, chain; see `Verification::begin_receipt_file`),
//! 4 MiB at a time, and the signature rounds run between chunks, so memory stays bounded
//! by a window of signatures and a line, whatever the file's size. A file that is not a
//! regular file (a pipe, `/dev/stdin`) cannot be read three times: it is read once, held
//! in memory up to 64 MiB and past that copied to an unnamed temporary file (red team 5:
//! a pipe was held whole, 1 GB piped in took 2 GB), then read from there (so is a
//! regular file whose length reads as 0).
//!
//! Each pass hashes the bytes it read (SHA-256); a pass that read other bytes than the
//! file's first pass is refused (exit 2): the passes' findings would otherwise mix two
//! versions of the file (red team 5: items checked in one version, signatures in another
//! that lacks the forged receipt, verified).
//!
//! Pipelined: the next chunk is read and hashed on another thread while this one parses,
//! and a round's jobs go to the backend on another thread while the next chunk is parsed. The engine leaves a round's jobs as they are while chunks are
//! pushed (the windows those chunks close wait their turn), so the outcomes still answer
//! exactly the jobs they were made for. At most one round is out, and rounds are answered
//! here while more than one window waits behind it, so memory holds a few windows.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread::{Scope, ScopedJoinHandle};

use anyhow::{bail, Context, Result};
use receipt_verify::{FileRole, PublicKey, ReceiptPass, SignatureBackend, SignatureOutcome, Verification};
use sha2::{Digest, Sha256};

/// Bytes read from a receipt file at a time.
const CHUNK_BYTES: usize = 4 << 20;

/// A backend the driver can run on another thread.
pub type Backend<'a> = &'a (dyn SignatureBackend + Sync);
/// Files that cannot be read again (pipes) are held in memory up to this in all; past it,
/// each is copied to an unnamed temporary file (red team 12: 64 MiB per pipe, four pipes
/// held 300 MB).
const HELD_ONCE_BYTES: u64 = 64 << 20;
/// A file that cannot be read again is copied aside up to this (about nine years of
/// receipts at one a minute); past it, it is refused (red team 12: `/dev/zero` filled the
/// disk). A regular file has no such bound: it is read in place.
const SPOOLED_MAX_BYTES: u64 = 4 << 30;

/// A receipt file: a file read again for each pass (the one opened first, whatever its
/// path names later), held whole, or copied aside.
enum Source {
    /// A regular file, or a temporary copy of a stream (already unlinked where the system
    /// allows it).
    Reread(File),
    Whole(Vec<u8>),
    /// Tests: a file that reads as the next of these bytes at each pass.
    #[cfg(test)]
    Changing(std::cell::Cell<usize>, Vec<Vec<u8>>),
}

impl Source {
    /// A reader of the file from its start, for one pass.
    fn open(&self, name: &str) -> Result<Box<dyn Read + Send + '_>> {
        Ok(match self {
            Source::Whole(bytes) => Box::new(bytes.as_slice()),
            Source::Reread(file) => {
                let mut f = file.try_clone().with_context(|| format!("cannot read {name} again"))?;
                f.seek(SeekFrom::Start(0)).with_context(|| format!("cannot read {name} again"))?;
                Box::new(f)
            }
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
pub fn feed(v: &mut Verification, files: &[PathBuf], backend: Backend<'_>) -> Result<()> {
    let mut held = 0;
    let all = files.iter().map(|p| receipts_of(p, &mut held)).collect::<Result<Vec<_>>>()?;
    feed_all(v, &all, backend)
}

/// Open `path` for its passes; `held` counts the bytes of streams held in memory so far.
fn receipts_of(path: &Path, held: &mut u64) -> Result<Receipts> {
    let name = path.display().to_string();
    let cannot = || format!("cannot read {name}");
    // Every pass reads this handle: a path swapped for a FIFO or `/dev/zero` between passes
    // (red team 12: it hung) is never opened again.
    let file = File::open(path).with_context(cannot)?;
    let meta = file.metadata().with_context(cannot)?;
    // A file that says it is empty may not be (`/proc`): read it once.
    let (source, len) = if meta.is_file() && meta.len() > 0 {
        (Source::Reread(file), meta.len())
    } else {
        read_once(file, HELD_ONCE_BYTES.saturating_sub(*held), SPOOLED_MAX_BYTES).with_context(cannot)?
    };
    if let Source::Whole(bytes) = &source {
        *held += bytes.len() as u64;
    }
    Ok(Receipts { name, len, source })
}

/// Read a file that cannot be read again: held in memory up to `held` bytes, else copied
/// to a temporary file up to `spooled` bytes, else refused. Returns it and its length.
fn read_once(mut input: impl Read, held: u64, spooled: u64) -> std::io::Result<(Source, u64)> {
    let mut start = Vec::new();
    input.by_ref().take(held.saturating_add(1)).read_to_end(&mut start)?;
    if start.len() as u64 <= held {
        let len = start.len() as u64;
        return Ok((Source::Whole(start), len));
    }
    let mut spool = temporary_file()?;
    spool.write_all(&start)?;
    drop(start);
    let rest = std::io::copy(&mut input.take(spooled.saturating_sub(held)), &mut spool)?;
    let len = held.saturating_add(1).saturating_add(rest);
    if len > spooled {
        let gib = spooled >> 30;
        return Err(std::io::Error::other(format!(
            "more than {gib} GiB from a stream; save it to a file and verify that"
        )));
    }
    spool.flush()?;
    Ok((Source::Reread(spool), len))
}

/// A new file in the system's temporary folder, readable only by us, unlinked at once
/// where the system allows it (it then goes when the process ends).
fn temporary_file() -> std::io::Result<File> {
    let dir = std::env::temp_dir();
    for n in 0..1000 {
        let path = dir.join(format!("receipt-{}-{n}.tmp", std::process::id()));
        let mut options = std::fs::OpenOptions::new();
        options.read(true).write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(&path) {
            Ok(file) => {
                let _ = std::fs::remove_file(&path);
                return Ok(file);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("no free temporary file name"))
}

fn feed_all(v: &mut Verification, all: &[Receipts], backend: Backend<'_>) -> Result<()> {
    let keys: Vec<PublicKey> = v.keys().to_vec();
    let mut driver = Driver { backend, keys: &keys, broken: false };
    let mut first_read = Vec::with_capacity(all.len());
    for r in all {
        let shape = pass(v, r, ReceiptPass::Shape, &mut driver)?;
        same_bytes(r, shape, pass(v, r, ReceiptPass::Items, &mut driver)?)?;
        first_read.push(shape);
    }
    for (r, shape) in all.iter().zip(first_read) {
        same_bytes(r, shape, pass(v, r, ReceiptPass::Chain, &mut driver)?)?;
    }
    v.end_receipts()?;
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
    backend: Backend<'a>,
    /// `v.keys()`, which a round on another thread reads while `v` takes the next chunk.
    keys: &'a [PublicKey],
    /// The backend broke its contract: the rounds are left to `finish_with`, which
    /// reports it.
    broken: bool,
}

/// A round out on another thread.
type Out<'scope> = ScopedJoinHandle<'scope, Vec<SignatureOutcome>>;

impl<'a> Driver<'a> {
    /// Every pending round, here, until none is left.
    fn run(&mut self, v: &mut Verification) {
        while !self.broken && !v.is_done() {
            self.answer_here(v);
        }
    }

    /// The pending round, answered on this thread.
    fn answer_here(&mut self, v: &mut Verification) {
        let outcomes = self.backend.verify_batch(v.keys(), v.pending_jobs());
        self.broken = v.submit(outcomes).is_err();
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
            self.answer_here(v);
        }
        if self.broken || v.is_done() {
            return None;
        }
        let (backend, keys, jobs) = (self.backend, self.keys, v.pending_jobs().to_vec());
        Some(scope.spawn(move || backend.verify_batch(keys, &jobs)))
    }
}

/// Feed one pass of `r`; returns the SHA-256 of the bytes it read. Another thread reads
/// and hashes the next chunk while this one parses (passes 1 and 2 have no signatures to
/// run, so a core would otherwise idle; perf put reading and hashing at about a quarter
/// of this thread's time).
fn pass(v: &mut Verification, r: &Receipts, pass: ReceiptPass, driver: &mut Driver<'_>) -> Result<PassDigest> {
    v.begin_receipt_file(&r.name, r.len, FileRole::Auto, pass)?;
    // One byte past the length announced at most: a file that grows (or a path that became
    // `/dev/zero`) is refused when the pass ends, instead of read forever.
    let file = Box::new(r.source.open(&r.name)?.take(r.len.saturating_add(1)));
    let digest = std::thread::scope(|scope| -> Result<PassDigest> {
        // The reader hands a chunk over only when this thread takes it, so two chunks are
        // held at most: the one parsed here and the next, read and hashed meanwhile.
        let (full_tx, full_rx) = mpsc::sync_channel(0);
        let (free_tx, free_rx) = mpsc::channel();
        let reader = scope.spawn(move || read_and_hash(file, &full_tx, &free_rx));
        let mut out = None;
        for chunk in full_rx {
            v.push_receipts(&chunk);
            out = driver.turn(v, out, scope);
            // The reader may have ended (an error); the chunk is then dropped here.
            let _ = free_tx.send(chunk);
        }
        // The round still out is answered before the pass ends.
        driver.settle(v, out);
        let read = reader.join().unwrap_or_else(|_| Err(std::io::Error::other("the reading thread panicked")));
        read.with_context(|| format!("cannot read {}", r.name))
    })?;
    v.end_receipt_file().with_context(|| format!("cannot read {}", r.name))?;
    driver.run(v);
    Ok(digest)
}

/// Read `file` to its end in chunks, hashing each and sending it on `full`; chunks come
/// back on `free` to be read into again. Stops early if nobody takes the chunks.
fn read_and_hash(
    mut file: Box<dyn Read + Send + '_>,
    full: &mpsc::SyncSender<Vec<u8>>,
    free: &mpsc::Receiver<Vec<u8>>,
) -> std::io::Result<PassDigest> {
    let mut digest = Sha256::new();
    loop {
        let mut buf = free.try_recv().unwrap_or_default();
        buf.resize(CHUNK_BYTES, 0);
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(digest.finalize().into());
        }
        buf.truncate(n);
        digest.update(&buf);
        if full.send(buf).is_err() {
            return Err(std::io::Error::other("the pass stopped before the file ended"));
        }
    }
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

    /// Red team 12: the path was opened again for each pass, so a path renamed over, or
    /// swapped for a FIFO, between passes was read in its new form (a FIFO hung); and a
    /// file that kept growing was read for as long as it grew.
    #[test]
    fn every_pass_reads_the_file_first_opened_and_no_more_than_its_length() {
        let dir = std::env::temp_dir().join(format!("receipt-reread-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (path, other) = (dir.join("receipts.jsonl"), dir.join("other.jsonl"));
        let chain = demo("receipts.jsonl");
        let keys = || parse_key_file(&demo("jwks.json"), "jwks.json").unwrap().keys;
        let report = |r: Receipts| -> Result<String> {
            let mut v = Verification::start(keys());
            feed_all(&mut v, &[r], &RustCryptoBackend)?;
            Ok(serde_json::to_string(&v.finish_with(&RustCryptoBackend)).unwrap())
        };
        std::fs::write(&path, &chain).unwrap();
        let honest = report(receipts_of(&path, &mut 0).unwrap()).unwrap();
        assert!(honest.contains("\"verdict\":\"verified\""), "positive control: {honest}");
        // Renamed over after opening: the passes read the file opened, not the new one.
        let r = receipts_of(&path, &mut 0).unwrap();
        let text = String::from_utf8(chain.clone()).unwrap();
        std::fs::write(&other, text.replacen("\"batchSize\":", "\"batchSize\":1", 1)).unwrap();
        std::fs::rename(&other, &path).unwrap();
        assert_eq!(report(r).unwrap(), honest);
        assert!(report(receipts_of(&path, &mut 0).unwrap()).unwrap().contains("\"verdict\":\"failed\""));
        // Grown after opening: one byte past the length is read, and the file is refused.
        std::fs::write(&path, &chain).unwrap();
        let r = receipts_of(&path, &mut 0).unwrap();
        std::fs::OpenOptions::new().append(true).open(&path).unwrap().write_all(&chain).unwrap();
        let refused = report(r).unwrap_err();
        assert!(
            format!("{refused:#}").contains(&format!("{} bytes announced, {} fed", chain.len(), chain.len() + 1)),
            "{refused:#}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Red team 12: a stream was copied aside without bound (`/dev/zero` filled the disk).
    #[test]
    fn a_stream_is_copied_aside_only_up_to_a_bound() {
        let bytes = vec![b'x'; 3_000];
        let (source, len) = read_once(bytes.as_slice(), 10, 3_000).unwrap();
        assert!(matches!(source, Source::Reread(_)) && len == 3_000);
        let refused = read_once(bytes.as_slice(), 10, 2_999).err().unwrap();
        assert!(refused.to_string().contains("save it to a file"), "{refused}");
    }

    /// Red team 5: a pipe was held whole in memory (1 GB piped in: 2 GB RSS).
    #[test]
    fn a_file_read_once_is_held_only_up_to_a_bound() {
        let bytes: Vec<u8> = (0..100_000u32).flat_map(u32::to_le_bytes).collect();
        for (held, spooled) in [(1_000, true), (bytes.len() as u64 - 1, true), (bytes.len() as u64, false)] {
            let (source, len) = read_once(bytes.as_slice(), held, u64::MAX).unwrap();
            assert_eq!(len, bytes.len() as u64);
            assert_eq!(matches!(source, Source::Reread(_)), spooled, "held {held}");
            if let Source::Whole(b) = &source {
                assert!(b.len() as u64 <= held);
            }
            // Every pass reads every byte, from the start.
            for _ in 0..3 {
                let mut again = Vec::new();
                source.open("pipe").unwrap().read_to_end(&mut again).unwrap();
                assert!(again == bytes, "held {held}");
            }
        }
        // Through the passes, the report is that of the bytes given whole.
        let chain = demo("receipts.jsonl");
        let keys = || parse_key_file(&demo("jwks.json"), "jwks.json").unwrap().keys;
        let (source, len) = read_once(chain.as_slice(), 100, u64::MAX).unwrap();
        assert!(matches!(source, Source::Reread(_)));
        let mut v = Verification::start(keys());
        feed_all(&mut v, &[Receipts { name: "pipe".into(), len, source }], &RustCryptoBackend).unwrap();
        let spooled = v.finish_with(&RustCryptoBackend);
        let whole =
            receipt_verify::verify(keys(), &[receipt_verify::InputFile::new("pipe", chain)], None, &RustCryptoBackend);
        assert_eq!(spooled.verdict(), Verdict::Verified);
        assert_eq!(serde_json::to_string(&spooled).unwrap(), serde_json::to_string(&whole).unwrap());
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
