//! Reading a row export on every core: the file is cut into one range of whole lines per
//! thread, each range is read by its own `RowRange` (large reads, bounded memory), and the
//! ranges are joined in file order, which gives exactly the report of one pass
//! (`receipt_verify::RowJoin`; tests/rows_split.rs in the core).

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use anyhow::{Context, Result};
use receipt_verify::{RangeSummary, RowRange, Verification};

/// Bytes per read: large, so a 300 MB export takes few system calls.
const READ: usize = 8 << 20;
/// Below this size one thread reads the export: starting threads would cost more.
const PARALLEL_FROM: u64 = 8 << 20;

/// Check the row export at `path` against the receipts of `v`, on up to `threads` threads.
pub fn check(v: &mut Verification, path: &Path, threads: usize) -> Result<()> {
    let name = path.display().to_string();
    let cannot = || format!("cannot read {name}");
    let size = std::fs::metadata(path).with_context(cannot)?.len();
    v.begin_rows(&name);
    let threads = if size < PARALLEL_FROM { 1 } else { threads.max(1) };
    let bounds = line_starts_near(path, size, threads).with_context(cannot)?;
    let heads = v.row_head_set();
    let summaries: Vec<Result<RangeSummary>> = std::thread::scope(|scope| {
        let handles: Vec<_> = bounds
            .iter()
            .zip(bounds.iter().skip(1))
            .map(|(&start, &end)| {
                let (heads, name) = (heads.clone(), name.clone());
                scope.spawn(move || -> Result<RangeSummary> {
                    let mut range = RowRange::new(&name, start == 0, heads);
                    read_range(path, start, end, &mut |chunk| range.push(chunk))
                        .with_context(|| format!("cannot read {name}"))?;
                    Ok(range.finish())
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err(anyhow::anyhow!("a reading thread failed"))))
            .collect()
    });
    for summary in summaries {
        v.add_row_range(summary?);
    }
    v.end_rows();
    Ok(())
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

/// Feed bytes `start..end` of the file to `each`, in large reads.
fn read_range(path: &Path, start: u64, end: u64, each: &mut dyn FnMut(&[u8])) -> std::io::Result<()> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(start))?;
    let mut left = end.saturating_sub(start);
    let mut buf = vec![0u8; READ];
    while left > 0 {
        let want = usize::try_from(left.min(READ as u64)).unwrap_or(READ);
        let n = file.read(buf.get_mut(..want).unwrap_or_default())?;
        if n == 0 {
            break;
        }
        each(buf.get(..n).unwrap_or_default());
        left -= n as u64;
    }
    Ok(())
}
