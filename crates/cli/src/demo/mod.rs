//! `receipt demo`: a deterministic demo set. Same bytes on every run and machine: the
//! RSA key is fixed (a published demo key, never use it for anything real), the EC
//! approver keys come from fixed seeds, RS256 (PKCS#1 v1.5) and ES256 (RFC 6979) signing
//! need no randomness, and every timestamp is fixed. `big` writes the large sets for
//! benchmarks (`--rows N --receipts M`), signed on every core by `fast_sign`.

mod big;
mod fast_sign;

use std::path::Path;

use anyhow::{Context, Result};
use base64ct::{Base64, Base64UrlUnpadded, Encoding};
pub use big::{write_big, BigSet};
use receipt_verify::{approval_message, canonical_without, manifest, wave_of, worm_path_suffix, Hash};
use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey, LineEnding};
use rsa::signature::{SignatureEncoding, Signer};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

/// The demo RSA-2048 private key. Public on purpose: it only signs demo receipts.
const AUDIT_KEY_PEM: &str = include_str!("audit-key.pem");
const CUSTOMER: &str = "cust-0042";
const RECEIPT_KID: &str = "kv-premium/keys/audit-2026/2";
const JWKS_KID: &str = "https://kv-premium.vault.azure.net/keys/audit-2026/2";
const WORM_BASE: &str = "https://wormauditprod.blob.core.windows.net/audit";
/// Rows 1..=ROWS; receipts seal up to each of SEALED; the tail stays unsealed.
const ROWS: u64 = 302;
/// The rows that record a wave's consumption (SPEC.md §10): `(seq, waveId)`. Both lie
/// in sealed batches, so the demo approvals' `consumedAt` is proven by signature.
const CONSUMPTIONS: [(u64, &str); 2] = [(130, "wave-0117"), (260, "wave-0118")];
const SEALED: [u64; 6] = [48, 96, 150, 201, 247, 290];
/// 2026-03-02T09:00:00Z.
const START: i64 = 1_772_442_000;

struct Approver {
    name: &'static str,
    kid: &'static str,
    key: p256::ecdsa::SigningKey,
}

fn approver(name: &'static str, kid: &'static str) -> Result<Approver> {
    let seed = Sha256::digest(format!("receipt demo approver {name}").as_bytes());
    let key = p256::ecdsa::SigningKey::from_slice(&seed).map_err(|e| anyhow::anyhow!("demo approver seed: {e}"))?;
    Ok(Approver { name, kid, key })
}

fn ts(secs: i64) -> Result<String> {
    let t = receipt_verify::Timestamp::from_unix(secs).context("demo timestamp")?;
    Ok(t.to_string())
}

fn write_file(dir: &Path, name: &str, text: &str) -> Result<()> {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))
}

fn lines(values: &[Value]) -> String {
    values.iter().map(|v| format!("{v}\n")).collect()
}

fn pretty(v: &Value) -> Result<String> {
    Ok(serde_json::to_string_pretty(v)? + "\n")
}

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// Re-hash a row in place: thisHash = SHA-256(JCS(row without thisHash)).
fn hash_row(row: &mut Map<String, Value>) -> Result<Hash> {
    let h = Hash::sha256(&canonical_without(row, &["thisHash"])?);
    row.insert("thisHash".into(), Value::String(h.to_string()));
    Ok(h)
}

/// The time of row `seq`: rows fall in the minute before the receipt that seals them.
fn row_time(seq: u64) -> Result<i64> {
    let batch = SEALED.iter().position(|s| seq <= *s).unwrap_or(SEALED.len());
    Ok(START + 60 * i64::try_from(batch)? + i64::try_from(seq % 50)?)
}

/// When wave `wave_id` was consumed: the time of the row that records it.
fn consumed_at(wave_id: &str) -> Result<String> {
    let (seq, _) = CONSUMPTIONS.iter().find(|(_, w)| *w == wave_id).context("demo consumption row")?;
    ts(row_time(*seq)?)
}

/// An ordinary audit row `seq` at time `at`, linked to `prev` and hashed.
fn plain_row(seq: u64, at: i64, prev: Hash) -> Result<(Map<String, Value>, Hash)> {
    const ACTORS: [&str; 5] =
        ["alice@vendor.example", "bob@vendor.example", "svc-deploy", "svc-billing", "carol@vendor.example"];
    const ACTIONS: [&str; 6] = ["login", "read", "update", "export", "grant-role", "rotate-secret"];
    let n = usize::try_from(seq)?;
    let mut row = obj(json!({
        "seq": seq,
        "customerId": CUSTOMER,
        "ts": ts(at)?,
        "actor": ACTORS.get(n % ACTORS.len()),
        "action": ACTIONS.get((n * 7) % ACTIONS.len()),
        "resource": format!("projects/p-{}/items/{}", n % 4, n * 13 % 97),
        "prevHash": prev.to_string(),
    }));
    let hash = hash_row(&mut row)?;
    Ok((row, hash))
}

fn make_rows() -> Result<Vec<Map<String, Value>>> {
    let mut rows = Vec::new();
    let mut prev = Hash::GENESIS;
    for seq in 1..=ROWS {
        let at = row_time(seq)?;
        if let Some((_, wave_id)) = CONSUMPTIONS.iter().find(|(s, _)| *s == seq) {
            // The deployment service records that it used the wave's approval.
            let mut row = obj(json!({
                "seq": seq,
                "customerId": CUSTOMER,
                "ts": ts(at)?,
                "actor": "svc-deploy",
                "action": "wave.consumed",
                "waveId": wave_id,
                "resource": format!("waves/{wave_id}"),
                "prevHash": prev.to_string(),
            }));
            prev = hash_row(&mut row)?;
            rows.push(row);
            continue;
        }
        let (row, hash) = plain_row(seq, at, prev)?;
        prev = hash;
        rows.push(row);
    }
    Ok(rows)
}

fn sign_rs256(key: &rsa::pkcs1v15::SigningKey<Sha256>, message: &[u8]) -> String {
    Base64::encode_string(&key.sign(message).to_bytes())
}

/// Seal `rows` with receipts: thisHash = SHA-256(M), signature = RS256 over M.
fn make_receipts(rows: &[Map<String, Value>], key: &rsa::pkcs1v15::SigningKey<Sha256>) -> Result<Vec<Value>> {
    let mut receipts = Vec::new();
    let mut prev = Hash::GENESIS;
    let mut sealed_before = 0u64;
    for (k, head_seq) in SEALED.iter().enumerate() {
        let head =
            rows.get(usize::try_from(*head_seq)? - 1).and_then(|r| r.get("thisHash")).cloned().context("head row")?;
        let signed = START + 60 * (i64::try_from(k)? + 1);
        let t = receipt_verify::Timestamp::from_unix(signed).context("time")?;
        let uri = format!("{WORM_BASE}{}", worm_path_suffix(CUSTOMER, t));
        let mut r = obj(json!({
            "customerId": CUSTOMER,
            "batchHead": head,
            "prevHash": prev.to_string(),
            "signedAt": ts(signed)?,
            "kid": RECEIPT_KID,
            "alg": "RS256",
            "batchSize": head_seq - sealed_before,
            "wormBlobUri": uri,
            "immutability": "locked-7y",
        }));
        sealed_before = *head_seq;
        seal(&mut r, key)?;
        prev = r.get("thisHash").and_then(Value::as_str).context("thisHash")?.parse()?;
        receipts.push(Value::Object(r));
    }
    Ok(receipts)
}

/// Set thisHash and signature from the current members.
fn seal(r: &mut Map<String, Value>, key: &rsa::pkcs1v15::SigningKey<Sha256>) -> Result<()> {
    let m = manifest(r)?;
    r.insert("thisHash".into(), Value::String(Hash::sha256(&m).to_string()));
    r.insert("signature".into(), Value::String(sign_rs256(key, &m)));
    Ok(())
}

fn make_approval(wave: Value, consumed_at: &str, signers: &[(&Approver, &str)]) -> Result<Value> {
    let wave_map = obj(wave);
    let wave_value = wave_of(&wave_map);
    let mut approvals = Vec::new();
    for (a, signed_at) in signers {
        let mut entry = obj(json!({ "approver": a.name, "kid": a.kid, "signedAt": signed_at }));
        let m = approval_message(&wave_value, &entry)?;
        let sig: p256::ecdsa::Signature = a.key.sign(&m);
        entry.insert("signature".into(), Value::String(Base64UrlUnpadded::encode_string(&sig.to_bytes())));
        approvals.push(Value::Object(entry));
    }
    let mut full = wave_map;
    full.insert("consumedAt".into(), Value::String(consumed_at.into()));
    full.insert("approvals".into(), Value::Array(approvals));
    Ok(Value::Object(full))
}

fn jwk_of_ec(a: &Approver) -> Result<Value> {
    let point = a.key.verifying_key().to_encoded_point(false);
    let x = point.x().context("x")?;
    let y = point.y().context("y")?;
    Ok(json!({
        "kty": "EC", "crv": "P-256", "kid": a.kid, "alg": "ES256", "use": "sig",
        "receiptRoles": ["approval"], "approver": a.name,
        "x": Base64UrlUnpadded::encode_string(x), "y": Base64UrlUnpadded::encode_string(y),
        "validFrom": "2026-01-01T00:00:00Z", "validUntil": "2026-12-31T23:59:59Z", "status": "active",
    }))
}

/// The audit key's JWK: Azure Key Vault `RSA-HSM` with a full key-URL kid, valid in 2026.
fn audit_jwk(public: &rsa::RsaPublicKey) -> Value {
    let n = rsa::traits::PublicKeyParts::n(public).to_bytes_be();
    let e = rsa::traits::PublicKeyParts::e(public).to_bytes_be();
    json!({
        "kty": "RSA-HSM", "kid": JWKS_KID, "alg": "RS256", "use": "sig", "receiptRoles": ["batch"],
        "n": Base64UrlUnpadded::encode_string(&n), "e": Base64UrlUnpadded::encode_string(&e),
        "validFrom": "2026-01-01T00:00:00Z", "validUntil": "2026-12-31T23:59:59Z", "status": "active",
    })
}

/// Write the demo set into `dir`.
pub fn write(dir: &Path) -> Result<()> {
    let private = rsa::RsaPrivateKey::from_pkcs8_pem(AUDIT_KEY_PEM).map_err(|e| anyhow::anyhow!("demo key: {e}"))?;
    let public = private.to_public_key();
    let signer = rsa::pkcs1v15::SigningKey::<Sha256>::new(private);
    let alice = approver("alice", "approvers/alice/1")?;
    let bob = approver("bob", "approvers/bob/1")?;
    let carol = approver("carol", "approvers/carol/1")?;

    write_file(dir, "audit-key.pem", AUDIT_KEY_PEM)?;
    let pem = public.to_public_key_pem(LineEnding::LF).map_err(|e| anyhow::anyhow!("demo public key: {e}"))?;
    write_file(dir, "audit-key.pub.pem", &pem)?;
    let jwks = json!({ "keys": [audit_jwk(&public), jwk_of_ec(&alice)?, jwk_of_ec(&bob)?, jwk_of_ec(&carol)?] });
    write_file(dir, "jwks.json", &pretty(&jwks)?)?;

    let rows = make_rows()?;
    let row_values: Vec<Value> = rows.iter().cloned().map(Value::Object).collect();
    write_file(dir, "rows.jsonl", &lines(&row_values))?;
    let receipts = make_receipts(&rows, &signer)?;
    write_file(dir, "receipts.jsonl", &lines(&receipts))?;

    let wave_big = json!({
        "type": "wave-approval", "customerId": CUSTOMER, "waveId": "wave-0117", "deviceCount": 250,
        "requestedBy": "carol", "manifestHash": Hash::sha256(b"demo change manifest wave-0117").to_string(),
    });
    let wave_small = json!({
        "type": "wave-approval", "customerId": CUSTOMER, "waveId": "wave-0118", "deviceCount": 40,
        "requestedBy": "bob", "manifestHash": Hash::sha256(b"demo change manifest wave-0118").to_string(),
    });
    // Signed the evening before and in the morning; consumed at the time of the
    // wave.consumed rows (09:02:30 and 09:05:10), which receipts 3 and 6 seal.
    let a1 = make_approval(
        wave_big.clone(),
        &consumed_at("wave-0117")?,
        &[(&alice, "2026-03-01T16:15:00Z"), (&bob, "2026-03-02T08:40:00Z")],
    )?;
    let a2 = make_approval(wave_small.clone(), &consumed_at("wave-0118")?, &[(&alice, "2026-03-02T08:55:00Z")])?;
    write_file(dir, "approvals.json", &pretty(&json!([a1, a2]))?)?;

    write_tampered(dir, &rows, &receipts, &carol, wave_big)?;
    write_file(dir, "README.md", README)?;
    Ok(())
}

fn write_tampered(
    dir: &Path,
    rows: &[Map<String, Value>],
    receipts: &[Value],
    carol: &Approver,
    wave_big: Value,
) -> Result<()> {
    // Receipt: batchSize changed after signing.
    let mut edited = receipts.get(2).cloned().map(obj).context("receipt 2")?;
    edited.insert("batchSize".into(), json!(40));
    write_file(dir, "tampered/receipt-edited.json", &pretty(&Value::Object(edited))?)?;

    // Chain: the fourth receipt removed.
    let removed: Vec<Value> = receipts.iter().enumerate().filter(|(i, _)| *i != 3).map(|(_, r)| r.clone()).collect();
    write_file(dir, "tampered/receipts-removed.jsonl", &lines(&removed))?;

    // Rows: row 120 deleted, then every later row re-numbered and re-hashed so that the
    // export is internally consistent. Only the signed heads expose it.
    let mut rewritten: Vec<Map<String, Value>> = Vec::new();
    let mut prev = Hash::GENESIS;
    for row in rows.iter().filter(|r| r.get("seq").and_then(Value::as_u64) != Some(120)) {
        let mut r = row.clone();
        let seq = u64::try_from(rewritten.len())? + 1;
        r.insert("seq".into(), json!(seq));
        r.insert("prevHash".into(), Value::String(prev.to_string()));
        prev = hash_row(&mut r)?;
        rewritten.push(r);
    }
    let values: Vec<Value> = rewritten.into_iter().map(Value::Object).collect();
    write_file(dir, "tampered/rows-deleted-rehashed.jsonl", &lines(&values))?;

    // Approval: the requester approves their own 250-device wave, alone.
    let self_approved = make_approval(wave_big, &consumed_at("wave-0117")?, &[(carol, "2026-03-02T08:00:00Z")])?;
    write_file(dir, "tampered/approval-self-approved.json", &pretty(&self_approved)?)?;
    Ok(())
}

const README: &str = include_str!("README.md");
