//! Reading a row export on every core: the file is cut into one range of whole lines per
//! thread, each range is read by its own `RowRange` (large reads), and the ranges are
//! joined in file order, which gives exactly the report of one pass
//! (`receipt_verify::RowJoin`; tests/rows_split.rs in the core). A range hands its findings
//! over whenever they add up (`RowRange::wants_hand_over`) through a channel of one
//! summary, and the join takes them as soon as the ranges before it are joined: a range
//! that holds too much waits, so memory stays bounded whatever the export (red team 03).
//! What cannot be cut (a pipe, a small file) or is read on one thread is streamed front
//! to back instead.

use std::fs::File;
use std::io::{ErrorKind, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::mpsc::{sync_channel, Receiver};

use anyhow::{Context, Result};
use receipt_verify::{RangeSummary, RowRange, Verification};

/// Bytes per read: large, so a 300 MB export takes few system calls.
const READ: usize = 8 << 20;
/// Below this size one thread reads the export: starting threads would cost more.
const PARALLEL_FROM: u64 = 8 << 20;
/// The most threads, whatever `--threads` asks: past the cores they only cost memory (a
/// read buffer of up to 8 MiB and a stack each: 512 MiB at 64), and the system may refuse
/// to start them.
const MAX_THREADS: usize = 64;

/// Check the row export at `path` against the receipts of `v`, on up to `threads` threads.
pub fn check(v: &mut Verification, path: &Path, threads: usize) -> Result<()> {
    let name = path.display().to_string();
    let cannot = || format!("cannot read {name}");
    let meta = std::fs::metadata(path).with_context(cannot)?;
    v.begin_rows(&name);
    let parts = ranges_for(meta.is_file().then_some(meta.len()), threads);
    if parts <= 1 {
        // A pipe (its metadata says 0 bytes and it cannot seek), a small file, or one
        // thread: read it to its end, as one stream.
        let mut file = File::open(path).with_context(cannot)?;
        read_to_end(&mut file, u64::MAX, &mut |chunk| {
            v.push_rows(chunk);
            true
        })
        .with_context(cannot)?;
    } else {
        join_ranges(v, path, meta.len(), parts)?;
    }
    v.end_rows();
    Ok(())
}

/// How many ranges to cut an export into: one unless it is a regular file (`Some(size)`) of
/// at least [`PARALLEL_FROM`] bytes; then `threads`, at most [`MAX_THREADS`].
fn ranges_for(regular_file_size: Option<u64>, threads: usize) -> usize {
    match regular_file_size {
        Some(size) if size >= PARALLEL_FROM => threads.clamp(1, MAX_THREADS),
        _ => 1,
    }
}

/// A range being read: on its own thread, its summaries arriving in order, or (the system
/// refused a thread) still to be read, on the joining thread when its turn comes.
enum Reading<'scope> {
    Thread(Receiver<RangeSummary>, std::thread::ScopedJoinHandle<'scope, Result<()>>),
    Here { start: u64, end: u64 },
}

/// Read the `parts` ranges of whole lines of the file at `path` (`size` bytes), each on its
/// own thread, and join them into `v` in file order while they are read.
fn join_ranges(v: &mut Verification, path: &Path, size: u64, parts: usize) -> Result<()> {
    let name = path.display().to_string();
    let bounds = line_starts_near(path, size, parts).with_context(|| format!("cannot read {name}"))?;
    let heads = v.row_head_set();
    let read = |start: u64, end: u64, hand_over: &mut dyn FnMut(RangeSummary) -> bool| -> Result<()> {
        let mut range = RowRange::new(&name, start == 0, heads.clone());
        read_range(path, start, end, &mut |chunk| {
            range.push(chunk);
            !range.wants_hand_over() || hand_over(range.take_summary())
        })
        .with_context(|| format!("cannot read {name}"))?;
        hand_over(range.finish());
        Ok(())
    };
    std::thread::scope(|scope| {
        let readings: Vec<Reading<'_>> = bounds
            .iter()
            .zip(bounds.iter().skip(1))
            .map(|(&start, &end)| {
                // One summary in flight: a range that has more waits until the join takes it.
                let (to_join, joined) = sync_channel(1);
                // A send fails only once the join has given up (an error elsewhere): stop.
                let thread = move || read(start, end, &mut |summary| to_join.send(summary).is_ok());
                match std::thread::Builder::new().spawn_scoped(scope, thread) {
                    Ok(handle) => Reading::Thread(joined, handle),
                    Err(_) => Reading::Here { start, end },
                }
            })
            .collect();
        for reading in readings {
            match reading {
                Reading::Thread(joined, handle) => {
                    for summary in joined {
                        v.add_row_range(summary);
                    }
                    handle.join().unwrap_or_else(|_| Err(anyhow::anyhow!("a reading thread failed")))?;
                }
                Reading::Here { start, end } => read(start, end, &mut |summary| {
                    v.add_row_range(summary);
                    true
                })?,
            }
        }
        Ok(())
    })
}

/// `parts + 1` offsets from 0 to `size`: each inner one is the first line start at or after
/// `k * size / parts`, so the ranges between them hold whole lines and every line once.
fn line_starts_near(path: &Path, size: u64, parts: usize) -> std::io::Result<Vec<u64>> {
    let mut bounds = vec![0u64];
    let mut file = File::open(path)?;
    for k in 1..parts as u64 {
        let target = (size * k / parts as u64).max(*bounds.last().unwrap_or(&0));
        bounds.push(next_line_start(&mut file, target, size)?);
    }
    bounds.push(size);
    Ok(bounds)
}

/// The first offset at or after `at` that starts a line (just after a `\n`), or `size`.
fn next_line_start(file: &mut File, at: u64, size: u64) -> std::io::Result<u64> {
    if at == 0 {
        return Ok(0);
    }
    file.seek(SeekFrom::Start(at - 1))?;
    let mut buf = vec![0u8; 64 << 10];
    let mut pos = at - 1;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(size);
        }
        if let Some(i) = buf.get(..n).and_then(|b| b.iter().position(|c| *c == b'\n')) {
            return Ok(pos + i as u64 + 1);
        }
        pos += n as u64;
    }
}

/// Feed bytes `start..end` of the file to `each`, in large reads, until it returns false.
fn read_range(path: &Path, start: u64, end: u64, each: &mut dyn FnMut(&[u8]) -> bool) -> std::io::Result<()> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(start))?;
    read_to_end(&mut file, end.saturating_sub(start), each)
}

/// Feed at most `limit` bytes of `file`, from where it stands to its end, to `each`, in
/// large reads, until it returns false.
fn read_to_end(file: &mut File, limit: u64, each: &mut dyn FnMut(&[u8]) -> bool) -> std::io::Result<()> {
    let mut left = limit;
    let mut buf = vec![0u8; READ];
    while left > 0 {
        let want = usize::try_from(left.min(READ as u64)).unwrap_or(READ);
        let n = match file.read(buf.get_mut(..want).unwrap_or_default()) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if !each(buf.get(..n).unwrap_or_default()) {
            break;
        }
        left -= n as u64;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (red team 01, 02) One stream unless a regular file is large enough to cut; then no more
    /// ranges than `MAX_THREADS`, whatever `--threads` asks.
    #[test]
    fn ranges_are_bounded_by_the_file_and_the_thread_cap() {
        assert_eq!(ranges_for(None, 8), 1, "a pipe is one stream");
        assert_eq!(ranges_for(Some(PARALLEL_FROM - 1), 8), 1);
        assert_eq!(ranges_for(Some(PARALLEL_FROM), 8), 8, "positive control: a large file is cut");
        assert_eq!(ranges_for(Some(PARALLEL_FROM), 1), 1);
        assert_eq!(ranges_for(Some(PARALLEL_FROM), 64), 64);
        assert_eq!(ranges_for(Some(PARALLEL_FROM), 65_535), MAX_THREADS);
        assert_eq!(ranges_for(Some(1 << 40), 65_535), MAX_THREADS);
        assert_eq!(ranges_for(Some(1 << 40), 0), 1);
    }

    /// This process's resident memory, in bytes: what it holds now (`VmRSS`) and the most
    /// since [`reset_peak`] (`VmHWM`), from /proc (Linux).
    fn resident() -> (u64, u64) {
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let kib = |field: &str| -> u64 {
            let line = status.lines().find(|l| l.starts_with(field)).unwrap();
            line.split_whitespace().nth(1).unwrap().parse::<u64>().unwrap() << 10
        };
        (kib("VmRSS:"), kib("VmHWM:"))
    }

    /// Start a new peak at what is resident now (`clear_refs` "5", Linux 4.0 and later).
    fn reset_peak() {
        std::fs::write("/proc/self/clear_refs", "5").unwrap();
    }

    /// (red team 03) Ranges read on threads hand their findings over as they add up, and a
    /// range waits while the join is busy before it: 128 rows of 1 MB whose strings every
    /// range must keep (`wave.consumed` rows) are never all held. Before, each range held
    /// its half (the whole export at once); the report is the one of a single stream.
    #[test]
    fn ranges_on_threads_hold_a_bounded_amount_whatever_the_export() {
        let dir = std::env::temp_dir().join(format!("receipt-rows-memory-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("consumed.jsonl");
        let wave = "w".repeat(1_000_000);
        let line = format!("{{\"action\":\"wave.consumed\",\"customerId\":\"cust-0042\",\"waveId\":\"{wave}\"}}\n");
        std::fs::write(&path, line.repeat(128)).unwrap();
        let report = |threads: usize| {
            let mut v = Verification::new(Vec::new(), &[]);
            reset_peak();
            let (before, _) = resident();
            check(&mut v, &path, threads).unwrap();
            let most = resident().1.saturating_sub(before);
            (serde_json::to_string(&v.finish_with(&receipt_verify::RustCryptoBackend)).unwrap(), most)
        };
        let (two, most) = report(2);
        let (one, _) = report(1);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(two, one, "two ranges give the report of one stream");
        assert!(
            two.contains("128 lines (none of the export's lines is a row) unproven"),
            "positive control: every row was read: {two}"
        );
        eprintln!("128 MB of consumed rows on 2 threads: at most {} MiB more resident", most >> 20);
        assert!(most < 72 << 20, "{} MiB more resident for a 128 MB export", most >> 20);
    }
}
