//! Signing with the published demo keys: the demo RSA audit key (RS256, PKCS#1 v1.5, no
//! randomness), EC P-256 keys from fixed seeds (RFC 6979, no randomness), and a
//! 2047-bit RSA test key. Everything here is a published test key: never trust it.

use anyhow::{Context, Result};
use base64ct::{Base64, Base64UrlUnpadded, Encoding};
use receipt_verify::{approval_message, manifest, wave_of, worm_path_suffix, Hash, Timestamp};
use rsa::pkcs1::EncodeRsaPublicKey;
use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey, LineEnding};
use rsa::signature::{SignatureEncoding, Signer};
use rsa::traits::PublicKeyParts;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

/// The demo audit key (the same published key as `receipt demo`).
const AUDIT_KEY_PEM: &str = include_str!("../../crates/cli/src/demo/audit-key.pem");
/// A published 2047-bit RSA test key, made once with `openssl genpkey`.
const RSA_2047_PEM: &str = include_str!("rsa-2047.pem");
/// A 2049-bit key (8k+1 bits: the PSS encoded message is one octet shorter than the
/// signature), made for the corpus with Python `cryptography` from primes of 1025 and 1024 bits.
const RSA_2049_PEM: &str = include_str!("rsa-2049.pem");

pub const CUSTOMER: &str = "cust-0042";
pub const RECEIPT_KID: &str = "kv-premium/keys/audit-2026/2";
pub const JWKS_KID: &str = "https://kv-premium.vault.azure.net/keys/audit-2026/2";
pub const WORM_BASE: &str = "https://wormauditprod.blob.core.windows.net/audit";
/// 2026-03-02T09:00:00Z.
pub const START: i64 = 1_772_442_000;

/// An RSA signing key with its public half.
pub struct RsaKey {
    pub signer: rsa::pkcs1v15::SigningKey<Sha256>,
    pub public: rsa::RsaPublicKey,
}

impl RsaKey {
    fn from_pem(pem: &str) -> Result<Self> {
        let private = rsa::RsaPrivateKey::from_pkcs8_pem(pem).map_err(|e| anyhow::anyhow!("test key: {e}"))?;
        let public = private.to_public_key();
        Ok(RsaKey { signer: rsa::pkcs1v15::SigningKey::<Sha256>::new(private), public })
    }
    pub fn audit() -> Result<Self> {
        Self::from_pem(AUDIT_KEY_PEM)
    }
    /// The demo audit key's private half, for signers other than RS256 (PS256 cases).
    pub fn audit_private() -> Result<rsa::RsaPrivateKey> {
        rsa::RsaPrivateKey::from_pkcs8_pem(AUDIT_KEY_PEM).map_err(|e| anyhow::anyhow!("test key: {e}"))
    }
    pub fn rsa_2047() -> Result<Self> {
        Self::from_pem(RSA_2047_PEM)
    }
    pub fn rsa_2049_private() -> Result<rsa::RsaPrivateKey> {
        rsa::RsaPrivateKey::from_pkcs8_pem(RSA_2049_PEM).map_err(|e| anyhow::anyhow!("test key: {e}"))
    }
    pub fn sign(&self, m: &[u8]) -> String {
        Base64::encode_string(&self.signer.sign(m).to_bytes())
    }
    pub fn pem(&self) -> Result<String> {
        self.public.to_public_key_pem(LineEnding::LF).map_err(|e| anyhow::anyhow!("pem: {e}"))
    }
    pub fn pkcs1_der(&self) -> Result<Vec<u8>> {
        Ok(self.public.to_pkcs1_der().map_err(|e| anyhow::anyhow!("der: {e}"))?.as_bytes().to_vec())
    }
    pub fn n_e(&self) -> (Vec<u8>, Vec<u8>) {
        (self.public.n().to_bytes_be(), self.public.e().to_bytes_be())
    }
    /// A JWK with base64url `n` and `e` and the given extra members.
    pub fn jwk(&self, kid: &str, extra: Value) -> Value {
        rsa_jwk(&self.public, kid, extra)
    }
}

/// A JWK of an RSA public key with the given extra members.
fn rsa_jwk(public: &rsa::RsaPublicKey, kid: &str, extra: Value) -> Value {
    let (n, e) = (public.n().to_bytes_be(), public.e().to_bytes_be());
    let mut k = obj(json!({ "kty": "RSA", "kid": kid, "alg": "RS256", "use": "sig",
        "n": Base64UrlUnpadded::encode_string(&n), "e": Base64UrlUnpadded::encode_string(&e) }));
    k.extend(obj(extra));
    Value::Object(k)
}

/// An RSA key other than the audit key, as a JWK: the public RSA-3070 test key of the
/// key-file fixtures (made with OpenSSL; its private half was not kept).
pub fn other_rsa_jwk(kid: &str, extra: Value) -> Result<Value> {
    use rsa::pkcs8::DecodePublicKey;
    let pem = include_str!("../../crates/verify/tests/fixtures/keys/rsa3070.pub.pem");
    let public = rsa::RsaPublicKey::from_public_key_pem(pem).map_err(|e| anyhow::anyhow!("rsa3070: {e}"))?;
    Ok(rsa_jwk(&public, kid, extra))
}

/// An EC P-256 key from a fixed seed: `SHA-256("receipt demo approver {name}")`, as the demo.
pub struct EcKey {
    pub name: String,
    pub key: p256::ecdsa::SigningKey,
}

impl EcKey {
    pub fn new(name: &str) -> Result<Self> {
        let seed = Sha256::digest(format!("receipt demo approver {name}").as_bytes());
        let key = p256::ecdsa::SigningKey::from_slice(&seed).map_err(|e| anyhow::anyhow!("seed: {e}"))?;
        Ok(EcKey { name: name.into(), key })
    }
    /// r‖s, base64url without padding.
    pub fn sign_rs(&self, m: &[u8]) -> String {
        let sig: p256::ecdsa::Signature = self.key.sign(m);
        Base64UrlUnpadded::encode_string(&sig.to_bytes())
    }
    /// ASN.1 DER, standard base64.
    pub fn sign_der(&self, m: &[u8]) -> String {
        let sig: p256::ecdsa::Signature = self.key.sign(m);
        Base64::encode_string(sig.to_der().as_bytes())
    }
    pub fn jwk(&self, kid: &str, extra: Value) -> Result<Value> {
        let point = self.key.verifying_key().to_encoded_point(false);
        let mut k = obj(json!({ "kty": "EC", "crv": "P-256", "kid": kid, "alg": "ES256", "use": "sig",
            "x": Base64UrlUnpadded::encode_string(point.x().context("x")?),
            "y": Base64UrlUnpadded::encode_string(point.y().context("y")?) }));
        k.extend(obj(extra));
        Ok(Value::Object(k))
    }
    /// SubjectPublicKeyInfo DER with a compressed point (33 bytes), as some tools write it.
    pub fn compressed_spki_der(&self) -> Vec<u8> {
        let point = self.key.verifying_key().to_encoded_point(true);
        let mut der = vec![
            0x30, 0x39, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48,
            0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x22, 0x00,
        ];
        der.extend_from_slice(point.as_bytes());
        der
    }
}

pub fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

pub fn ts(secs: i64) -> Result<String> {
    Ok(Timestamp::from_unix(secs).context("timestamp")?.to_string())
}

pub fn worm_uri(secs: i64) -> Result<String> {
    let t = Timestamp::from_unix(secs).context("timestamp")?;
    Ok(format!("{WORM_BASE}{}", worm_path_suffix(CUSTOMER, t)))
}

/// Rows 1..=count for CUSTOMER, hash-chained from genesis; `extra(seq)` adds members.
pub fn rows(count: u64, extra: &dyn Fn(u64) -> Value) -> Result<Vec<Map<String, Value>>> {
    let mut out = Vec::new();
    let mut prev = Hash::GENESIS;
    for seq in 1..=count {
        let mut row = obj(json!({
            "seq": seq, "customerId": CUSTOMER, "ts": ts(START + i64::try_from(seq)?)?,
            "actor": "alice@vendor.example", "action": "read", "resource": format!("projects/p-1/items/{seq}"),
            "prevHash": prev.to_string(),
        }));
        row.extend(obj(extra(seq)));
        prev = hash_row(&mut row)?;
        out.push(row);
    }
    Ok(out)
}

/// thisHash = SHA-256(JCS(row without thisHash)).
pub fn hash_row(row: &mut Map<String, Value>) -> Result<Hash> {
    row.remove("thisHash");
    let h = Hash::sha256(&receipt_verify::canonical_without(row, &["thisHash"])?);
    row.insert("thisHash".into(), Value::String(h.to_string()));
    Ok(h)
}

/// An unsealed batch receipt number `k` (signed at START + 60(k+1)) with head `head`.
pub fn receipt(k: i64, head: &str, prev: &str) -> Result<Map<String, Value>> {
    let signed = START + 60 * (k + 1);
    Ok(obj(json!({
        "customerId": CUSTOMER, "batchHead": head, "prevHash": prev, "signedAt": ts(signed)?,
        "kid": RECEIPT_KID, "alg": "RS256", "batchSize": 5, "wormBlobUri": worm_uri(signed)?,
        "immutability": "locked-7y",
    })))
}

/// Set thisHash = SHA-256(M) and the signature over M.
pub fn seal(r: &mut Map<String, Value>, sign: &dyn Fn(&[u8]) -> String) -> Result<()> {
    r.remove("thisHash");
    r.remove("signature");
    let m = manifest(r)?;
    r.insert("thisHash".into(), Value::String(Hash::sha256(&m).to_string()));
    r.insert("signature".into(), Value::String(sign(&m)));
    Ok(())
}

pub fn this_hash(r: &Map<String, Value>) -> String {
    r.get("thisHash").and_then(Value::as_str).unwrap_or_default().to_string()
}

/// Receipts sealing `rows` at each 1-based seq in `heads`, chained from genesis.
pub fn chain(rows: &[Map<String, Value>], heads: &[usize], key: &RsaKey) -> Result<Vec<Map<String, Value>>> {
    let mut out = Vec::new();
    let mut prev = Hash::GENESIS.to_string();
    for (k, head) in heads.iter().enumerate() {
        let row = rows.get(head - 1).context("head row")?;
        let mut r = receipt(i64::try_from(k)?, &this_hash(row), &prev)?;
        seal(&mut r, &|m| key.sign(m))?;
        prev = this_hash(&r);
        out.push(r);
    }
    Ok(out)
}

/// A wave approval: `wave` members, then each (key, kid, approver, signedAt) signs.
pub fn approval(wave: Value, consumed_at: &str, signers: &[(&EcKey, &str, &str, &str)]) -> Result<Value> {
    let wave_map = obj(wave);
    let wave_value = wave_of(&wave_map);
    let mut entries = Vec::new();
    for (key, kid, approver, signed_at) in signers {
        let mut entry = obj(json!({ "approver": approver, "kid": kid, "signedAt": signed_at }));
        let m = approval_message(&wave_value, &entry)?;
        entry.insert("signature".into(), Value::String(key.sign_rs(&m)));
        entries.push(Value::Object(entry));
    }
    let mut full = wave_map;
    full.insert("consumedAt".into(), Value::String(consumed_at.into()));
    full.insert("approvals".into(), Value::Array(entries));
    Ok(Value::Object(full))
}

/// A wave of `devices` devices requested by `requested_by`.
pub fn wave(wave_id: &str, devices: u64, requested_by: &str) -> Value {
    json!({
        "type": "wave-approval", "customerId": CUSTOMER, "waveId": wave_id, "deviceCount": devices,
        "requestedBy": requested_by,
        "manifestHash": Hash::sha256(format!("change manifest {wave_id}").as_bytes()).to_string(),
    })
}

pub fn lines(values: &[Map<String, Value>]) -> String {
    values.iter().map(|v| format!("{}\n", Value::Object(v.clone()))).collect()
}

pub fn pretty(v: &Value) -> Result<String> {
    Ok(serde_json::to_string_pretty(v)? + "\n")
}
