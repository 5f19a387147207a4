//! `receipt demo --rows N --receipts M`: big deterministic sets for benchmarks and the
//! smoke tests. The rows have the demo rows' shape and hashing; every receipt is a batch
//! receipt like the demo's, one a minute through 2026 (the audit key's validity), signed
//! on every core by `FastSigner`. Memory stays bounded: rows stream to the file and
//! receipts are signed and written in chunks.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{bail, Context, Result};
use receipt_verify::{manifest, worm_path_suffix, Hash, Timestamp};
use rsa::pkcs8::DecodePrivateKey;
use serde_json::{json, Map, Value};

use super::fast_sign::FastSigner;
use super::{audit_jwk, obj, plain_row, pretty, write_file, AUDIT_KEY_PEM, CUSTOMER, RECEIPT_KID, WORM_BASE};

/// What to write: a row export of `rows` rows (with the receipts sealing it) and/or a
/// chain of `receipts` receipts.
#[derive(Debug, Clone, Copy, Default)]
pub struct BigSet {
    /// Rows in `rows.jsonl`, sealed every `ROWS_PER_RECEIPT` rows by `rows-receipts.jsonl`.
    pub rows: Option<u64>,
    /// Receipts in `receipts.jsonl`, one a minute from 2026-01-01T00:00:00Z.
    pub receipts: Option<u64>,
}

/// A batch receipt seals this many rows.
pub const ROWS_PER_RECEIPT: u64 = 1_000;
/// One receipt a minute for a year.
pub const MINUTES_IN_2026: u64 = 525_600;
/// 2026-01-01T00:00:00Z, when the demo audit key becomes valid.
const YEAR_START: i64 = 1_767_225_600;
/// Receipts signed together: enough to keep every core busy, small enough to bound memory.
const SIGN_CHUNK: usize = 4_096;

/// Write the big set into `dir`: `jwks.json` (the demo audit key), and `rows.jsonl` +
/// `rows-receipts.jsonl` and/or `receipts.jsonl`.
pub fn write_big(dir: &Path, set: BigSet) -> Result<()> {
    if let Some(m) = set.receipts {
        if m > MINUTES_IN_2026 {
            bail!("--receipts {m}: at most {MINUTES_IN_2026} (one a minute while the demo key is valid, in 2026)");
        }
    }
    if let Some(n) = set.rows {
        // Row receipt k is signed at minute k (k >= 1), so one minute fewer than the chain.
        let max = (MINUTES_IN_2026 - 1) * ROWS_PER_RECEIPT;
        if n > max {
            bail!("--rows {n}: at most {max} (one receipt a minute while the demo key is valid, in 2026)");
        }
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let private = rsa::RsaPrivateKey::from_pkcs8_pem(AUDIT_KEY_PEM).map_err(|e| anyhow::anyhow!("demo key: {e}"))?;
    write_file(dir, "jwks.json", &pretty(&json!({ "keys": [audit_jwk(&private.to_public_key())] }))?)?;
    let signer = FastSigner::from_pem(AUDIT_KEY_PEM)?;
    if let Some(n) = set.rows {
        write_rows(dir, n, &signer)?;
    }
    if let Some(m) = set.receipts {
        write_chain(dir, m, &signer)?;
    }
    Ok(())
}

fn create(dir: &Path, name: &str) -> Result<BufWriter<File>> {
    let path = dir.join(name);
    let file = File::create(&path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(BufWriter::with_capacity(1 << 20, file))
}

fn minute(k: u64) -> Result<i64> {
    Ok(YEAR_START + 60 * i64::try_from(k)?)
}

/// Rows 1..=n; row `seq` lies in the minute before the receipt that seals it.
fn write_rows(dir: &Path, n: u64, signer: &FastSigner) -> Result<()> {
    let mut out = create(dir, "rows.jsonl")?;
    let mut chain = ChainWriter::new(create(dir, "rows-receipts.jsonl")?, signer);
    let mut prev = Hash::GENESIS;
    for seq in 1..=n {
        let batch = (seq - 1) / ROWS_PER_RECEIPT;
        let at = minute(batch)? + i64::try_from(seq % 50)?;
        let (row, hash) = plain_row(seq, at, prev)?;
        prev = hash;
        writeln!(out, "{}", Value::Object(row))?;
        if seq % ROWS_PER_RECEIPT == 0 {
            chain.push(hash, minute(batch + 1)?, ROWS_PER_RECEIPT)?;
        }
    }
    out.flush()?;
    chain.finish()
}

/// A chain of m receipts, one a minute; each seals a (notional) batch of rows.
fn write_chain(dir: &Path, m: u64, signer: &FastSigner) -> Result<()> {
    let mut chain = ChainWriter::new(create(dir, "receipts.jsonl")?, signer);
    for k in 0..m {
        let head = Hash::sha256(format!("receipt demo batch {k}").as_bytes());
        chain.push(head, minute(k)?, ROWS_PER_RECEIPT)?;
    }
    chain.finish()
}

/// Builds a receipt chain in order and signs it a chunk at a time on every core.
struct ChainWriter<'a> {
    out: BufWriter<File>,
    signer: &'a FastSigner,
    prev: Hash,
    pending: Vec<Map<String, Value>>,
    manifests: Vec<Vec<u8>>,
}

impl<'a> ChainWriter<'a> {
    fn new(out: BufWriter<File>, signer: &'a FastSigner) -> Self {
        ChainWriter { out, signer, prev: Hash::GENESIS, pending: Vec::new(), manifests: Vec::new() }
    }

    /// The next receipt: the same members as the demo's receipts. thisHash = SHA-256(M)
    /// needs no signature, so the chain is linked now and signed later.
    fn push(&mut self, head: Hash, signed: i64, batch_size: u64) -> Result<()> {
        let t = Timestamp::from_unix(signed).context("demo timestamp")?;
        let mut r = obj(json!({
            "customerId": CUSTOMER,
            "batchHead": head.to_string(),
            "prevHash": self.prev.to_string(),
            "signedAt": t.to_string(),
            "kid": RECEIPT_KID,
            "alg": "RS256",
            "batchSize": batch_size,
            "wormBlobUri": format!("{WORM_BASE}{}", worm_path_suffix(CUSTOMER, t)),
            "immutability": "locked-7y",
        }));
        let m = manifest(&r)?;
        let this = Hash::sha256(&m);
        r.insert("thisHash".into(), Value::String(this.to_string()));
        self.prev = this;
        self.pending.push(r);
        self.manifests.push(m);
        if self.pending.len() >= SIGN_CHUNK {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        let signatures = self.signer.sign_all(&self.manifests)?;
        for (mut r, sig) in self.pending.drain(..).zip(signatures) {
            r.insert("signature".into(), Value::String(sig));
            writeln!(self.out, "{}", Value::Object(r))?;
        }
        self.manifests.clear();
        Ok(())
    }

    fn finish(mut self) -> Result<()> {
        self.flush()?;
        self.out.flush()?;
        Ok(())
    }
}
