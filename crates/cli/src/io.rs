//! The commands that touch files and the process: read inputs, call the core, print.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use receipt_native_backend::OpenSslBackend;
use receipt_verify::limits::MAX_KEY_FILE_BYTES;
use receipt_verify::{
    approval_message_of, manifest_of, parse_key_file, pick_item, quoted, visible, KeyError, KeyFile, ReceiptError,
    RustCryptoBackend, Verdict, Verification,
};

/// The largest file `receipt manifest` reads: it holds the file in memory to pick one item
/// (red team 12: `receipt manifest /dev/zero` grew past 2 GB). A year of receipts, one a
/// minute, is about 450 MB.
const MANIFEST_FILE_MAX_BYTES: u64 = 1 << 30;

/// A file of at most `max` bytes, or an error that says so.
fn read_for_manifest(path: &Path, max: u64) -> Result<Vec<u8>> {
    let bytes = read_at_most(path, max.saturating_add(1))?;
    if bytes.len() as u64 > max {
        anyhow::bail!("{} is larger than {} MiB, the most `receipt manifest` reads", path.display(), max >> 20);
    }
    Ok(bytes)
}

/// Read at most `limit` bytes of a file (red team 5: a key file given as a pipe was read
/// whole before it was refused as too large, 1 GB piped in: 981 MB resident).
fn read_at_most(path: &Path, limit: u64) -> Result<Vec<u8>> {
    let cannot = || format!("cannot read {}", path.display());
    let mut bytes = Vec::new();
    std::fs::File::open(path).with_context(cannot)?.take(limit).read_to_end(&mut bytes).with_context(cannot)?;
    Ok(bytes)
}

/// Read every key file; any unusable one, or too many keys, is a usage error (exit 2).
/// Keys a file holds that cannot verify come back as skipped, for `key.skipped` notes.
pub fn load_keys(paths: &[PathBuf]) -> Result<KeyFile> {
    let mut all = KeyFile::default();
    for p in paths {
        let name = p.display().to_string();
        let unusable = || format!("unusable key file {name}");
        // Refuse an oversized key file before reading it into memory.
        let size = std::fs::metadata(p).with_context(|| format!("cannot read {name}"))?.len();
        if size > MAX_KEY_FILE_BYTES as u64 {
            let size = usize::try_from(size).unwrap_or(usize::MAX);
            return Err(KeyError::KeyFileTooLarge { size, max: MAX_KEY_FILE_BYTES }).with_context(unusable);
        }
        // A pipe says 0 bytes: read one byte past the limit at most, and let the parser refuse it.
        let bytes = read_at_most(p, MAX_KEY_FILE_BYTES as u64 + 1)?;
        let file = parse_key_file(&bytes, &name).with_context(unusable)?;
        all.add(file).with_context(|| format!("too many keys with {name}"))?;
    }
    Ok(all)
}

/// How `verify` prints its report.
#[derive(Clone, Copy, Debug)]
pub struct Output {
    /// The full report as JSON.
    pub json: bool,
    /// List every passed check too.
    pub verbose: bool,
}

pub fn verify(
    keys: &[PathBuf],
    rows: Option<&Path>,
    files: &[PathBuf],
    output: Output,
    backend: crate::Backend,
    threads: usize,
) -> Result<ExitCode> {
    let Output { json, verbose } = output;
    let keys = load_keys(keys)?;
    let backend: crate::receipts::Backend<'_> = match backend {
        crate::Backend::Native => &OpenSslBackend,
        crate::Backend::Rustcrypto => &RustCryptoBackend,
    };
    // Read in chunks, with the signatures checked a window at a time as they come.
    let mut v = Verification::start(keys.keys);
    crate::receipts::feed(&mut v, files, backend)?;
    v.note_skipped_keys(&keys.skipped);
    if let Some(path) = rows {
        // On every core, in ranges of whole lines; memory stays bounded by the longest line
        // per thread, whatever the export's size.
        crate::rows::check(&mut v, path, threads)?;
    }
    let report = v.finish_with(backend);
    // Buffered: a report of many findings is otherwise one write(2) per line.
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if json {
        crate::safe_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        crate::human::print(&mut out, &report, verbose)?;
    }
    out.flush()?;
    Ok(match report.verdict() {
        Verdict::Verified => ExitCode::SUCCESS,
        Verdict::Failed => ExitCode::from(1),
    })
}

pub fn manifest(file: &Path, index: Option<usize>, approval: Option<usize>) -> Result<ExitCode> {
    let name = file.display().to_string();
    let (count, picked) = pick_item(&name, &read_for_manifest(file, MANIFEST_FILE_MAX_BYTES)?, index);
    // The core's messages reach JavaScript too, so the hint about the flag is added here.
    let several = || anyhow::anyhow!("{}; pick one with --index N (0-based)", ReceiptError::NotExactlyOne { count });
    let item = match (index, count, picked) {
        (Some(_), _, Some(item)) | (None, 1, Some(item)) => item,
        (Some(i), _, None) => return Err(ReceiptError::NoSuchIndex { index: i, count }.into()),
        (None, _, _) => return Err(several()),
    };
    let value = item.value.with_context(|| format!("{name}: not strict JSON"))?;
    let bytes = match approval {
        Some(k) => approval_message_of(&value, k)?,
        None => manifest_of(&value).map_err(|e| match e {
            receipt_verify::Error::Receipt(ReceiptError::ApprovalHasNoManifest) => {
                anyhow::anyhow!("{e}; pick an entry with --approval K (0-based)")
            }
            e => e.into(),
        })?,
    };
    let mut out = std::io::stdout().lock();
    out.write_all(&bytes)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

pub fn fingerprint(keyfile: &Path) -> Result<ExitCode> {
    let keys = load_keys(&[keyfile.to_path_buf()])?.keys;
    let mut out = std::io::stdout().lock();
    if let [only] = keys.as_slice() {
        writeln!(out, "{}", only.fingerprint)?;
    } else {
        for k in &keys {
            writeln!(out, "{}  {}", k.fingerprint, visible(k.kid.as_deref().unwrap_or("(no kid)")))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn inspect(files: &[PathBuf], json: bool) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let mut all = Vec::new();
    for p in files {
        let found = inspect_one(p)?;
        if json {
            let mut v = serde_json::to_value(&found)?;
            if let Some(o) = v.as_object_mut() {
                o.insert("file".into(), p.display().to_string().into());
            }
            all.push(v);
        } else {
            writeln!(out, "{}: {}", visible(&p.display().to_string()), visible(&found.label))?;
            for k in &found.keys {
                let kid = k.kid.as_deref().map_or("(no kid)".to_string(), |k| quoted(k).to_string());
                writeln!(out, "    {} {kid}  SPKI SHA-256 {}", visible(&k.key_type), k.fingerprint)?;
            }
            if let Some(r) = &found.reason {
                writeln!(out, "    {}", visible(r))?;
            }
        }
    }
    if json {
        crate::safe_json::to_writer_pretty(&mut out, &all)?;
        writeln!(out)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The largest file `inspect` reads whole to name it, as the page does: `inspect` parses
/// every item, and a year of receipts read whole took several GB. A larger file is named
/// from its first whole lines (`inspect_head`; the label says "about").
const INSPECT_WHOLE_MAX: usize = 32 << 20;

fn inspect_one(p: &Path) -> Result<receipt_verify::Inspection> {
    use receipt_verify::{inspect_head, Inspection, INSPECT_HEAD_BYTES};
    let bytes = read_at_most(p, INSPECT_WHOLE_MAX as u64 + 1)?;
    if bytes.len() <= INSPECT_WHOLE_MAX {
        return Ok(receipt_verify::inspect(&bytes));
    }
    // A pipe's length is unknown: its counts are estimated from what was read.
    let total = std::fs::metadata(p).ok().filter(|m| m.is_file()).map_or(bytes.len() as u64, |m| m.len());
    // A first line may be as long as the longest row.
    let longest = receipt_verify::limits::MAX_ROW_LINE_BYTES + INSPECT_HEAD_BYTES;
    for length in [INSPECT_HEAD_BYTES, longest] {
        if let Some(found) = bytes.get(..length).and_then(|head| inspect_head(head, total)) {
            return Ok(found);
        }
    }
    Ok(Inspection::unknown(format!(
        "its first {longest} bytes hold no whole line that names it, and at over {INSPECT_WHOLE_MAX} bytes it is not read whole just to name it; `receipt verify` reads it in full"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Red team 12: `receipt manifest /dev/zero` read without end (2.6 GB after 2 s).
    #[cfg(unix)]
    #[test]
    fn manifest_reads_a_file_only_up_to_its_bound() {
        let refused = read_for_manifest(Path::new("/dev/zero"), 1 << 20).unwrap_err();
        assert!(refused.to_string().contains("larger than 1 MiB"), "{refused}");
        let chain = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/receipts.jsonl"));
        let len = std::fs::metadata(chain).unwrap().len();
        assert_eq!(read_for_manifest(chain, len).unwrap().len() as u64, len, "positive control: exactly the bound");
        assert!(read_for_manifest(chain, len - 1).is_err());
    }

    /// Red team 5: a key file that says 0 bytes (a pipe, a device) was read whole before the
    /// size check; `/dev/zero` never ends, so reading it whole cannot return.
    #[cfg(unix)]
    #[test]
    fn an_endless_key_file_is_refused_after_the_limit() {
        let err = load_keys(&[PathBuf::from("/dev/zero")]).unwrap_err();
        let e = err.downcast_ref::<KeyError>();
        assert!(matches!(e, Some(KeyError::KeyFileTooLarge { .. })), "{err:#}");
        // Positive control: a key file read the same way is used.
        let demo = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/jwks.json"));
        assert_eq!(load_keys(&[demo]).unwrap().keys.len(), 4);
    }

    /// A file over 32 MiB is named from its head, not parsed whole; one whose head names
    /// nothing says why. Positive control: the demo chain, small, is named exactly.
    #[test]
    fn inspect_names_a_large_file_from_its_head() {
        let dir = std::env::temp_dir().join(format!("receipt-inspect-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let chain = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/receipts.jsonl")).unwrap();
        let small = inspect_one(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/receipts.jsonl")));
        let small = small.unwrap();
        assert!(small.count > 0 && !small.label.contains("about"), "{small:?}");
        let big = dir.join("big.jsonl");
        let copies = INSPECT_WHOLE_MAX / chain.len() + 2;
        std::fs::write(&big, chain.repeat(copies)).unwrap();
        let found = inspect_one(&big).unwrap();
        assert!(found.label.contains("about") && found.count > small.count * 1000, "{found:?}");
        let junk = dir.join("junk.bin");
        std::fs::write(&junk, vec![b'x'; INSPECT_WHOLE_MAX + 10]).unwrap();
        let found = inspect_one(&junk).unwrap();
        assert_eq!(found.kind, receipt_verify::FileKind::Unknown);
        assert!(found.reason.as_deref().unwrap_or_default().contains("not read whole"), "{found:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
