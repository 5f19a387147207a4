//! PS256 receipts (SPEC "Algorithms"): RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte
//! salt, nothing else. A PSS signature is randomised; the salt here comes from a fixed
//! counter-mode SHA-256 stream, so the corpus stays byte-for-byte reproducible.

use anyhow::Result;
use base64ct::{Base64, Encoding};
use rsa::pkcs8::{EncodePublicKey, LineEnding};
use rsa::rand_core::{CryptoRng, Error as RandError, RngCore};
use rsa::signature::{RandomizedSigner, SignatureEncoding};
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use rsa::BigUint;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::cases_verdict::{window, Kit};
use super::sign::*;
use super::Corpus;

const A: &str = "PS256 parameters";
const P: &str = "positive control";

/// A deterministic byte stream (SHA-256 of a label and a counter): only for the salts of
/// published test signatures, never for anything secret.
struct FixedSalt {
    label: &'static str,
    counter: u64,
}

impl RngCore for FixedSalt {
    fn next_u32(&mut self) -> u32 {
        let mut b = [0u8; 4];
        self.fill_bytes(&mut b);
        u32::from_le_bytes(b)
    }
    fn next_u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        self.fill_bytes(&mut b);
        u64::from_le_bytes(b)
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for chunk in dest.chunks_mut(32) {
            let block = Sha256::new().chain_update(self.label).chain_update(self.counter.to_be_bytes()).finalize();
            self.counter += 1;
            for (d, b) in chunk.iter_mut().zip(block.iter()) {
                *d = *b;
            }
        }
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), RandError> {
        self.fill_bytes(dest);
        Ok(())
    }
}

impl CryptoRng for FixedSalt {}

/// A PSS signer over the audit key with the given salt length, standard base64.
fn pss_signer(salt_len: usize, label: &'static str) -> Result<impl Fn(&[u8]) -> String> {
    Ok(pss_signer_with(RsaKey::audit_private()?, salt_len, label))
}

/// A PSS signer over `private` with the given salt length, standard base64.
fn pss_signer_with(private: rsa::RsaPrivateKey, salt_len: usize, label: &'static str) -> impl Fn(&[u8]) -> String {
    let key = rsa::pss::SigningKey::<Sha256>::new_with_salt_len(private, salt_len);
    let rng = std::cell::RefCell::new(FixedSalt { label, counter: 0 });
    move |m: &[u8]| Base64::encode_string(&key.sign_with_rng(&mut *rng.borrow_mut(), m).to_bytes())
}

/// Red team 26 (SPEC §6): with a modulus of 8k+1 bits, RFC 8017 §8.1.2 step 2c refuses a
/// PSS signature whose recovered integer does not fit in emLen = k − 1 octets. This signer
/// signs validly, then re-signs the same encoded message with a leading octet of 1: the
/// integer `2^(modBits − 1) + EM` (retrying with the next salt while that is not below n).
/// RustCrypto (`rsa` 0.9.10) verified these; OpenSSL and WebCrypto refuse them.
fn pss_leading_octet_one_signer(key: rsa::RsaPrivateKey) -> impl Fn(&[u8]) -> String {
    let pss = rsa::pss::SigningKey::<Sha256>::new_with_salt_len(key.clone(), 32);
    let rng = std::cell::RefCell::new(FixedSalt { label: "receipt corpus PS256 leading octet", counter: 0 });
    move |m: &[u8]| loop {
        let valid = pss.sign_with_rng(&mut *rng.borrow_mut(), m).to_bytes();
        let (n, bits) = (key.n(), key.n().bits());
        let em = BigUint::from_bytes_be(&valid).modpow(key.e(), n);
        let forged = em + (BigUint::from(1u8) << (bits - 1));
        if forged < *n {
            let s = forged.modpow(key.d(), n).to_bytes_be();
            let mut out = vec![0u8; bits.div_ceil(8) - s.len()];
            out.extend_from_slice(&s);
            return Base64::encode_string(&out);
        }
    }
}

/// The kit's two receipts again, labelled `alg` and sealed by `sign`.
fn resealed(k: &Kit, alg: &str, sign: &dyn Fn(&[u8]) -> String) -> Result<String> {
    let mut prev = receipt_verify::Hash::GENESIS.to_string();
    let mut out: Vec<Map<String, Value>> = Vec::new();
    for r in &k.receipts {
        let mut r = r.clone();
        r.insert("alg".into(), Value::String(alg.into()));
        r.insert("prevHash".into(), Value::String(prev));
        seal(&mut r, sign)?;
        prev = this_hash(&r);
        out.push(r);
    }
    Ok(lines(&out))
}

pub fn add(c: &mut Corpus, k: &Kit) -> Result<()> {
    let pem = k.audit.pem()?;
    let pss32 = pss_signer(32, "receipt corpus PS256 salt")?;
    c.case("positive-ps256-chain", P, "two receipts with alg PS256 (32-byte salt) under the audit key's PEM")
        .receipts("receipts.jsonl", resealed(k, "PS256", &pss32)?)
        .keys("audit.pub.pem", pem.clone())
        .expect(0, &[], &["PS256"]);
    let jwk_ps = k.audit.jwk(JWKS_KID, window());
    let mut jwk_ps = obj(jwk_ps);
    jwk_ps.insert("alg".into(), json!("PS256"));
    c.case("positive-ps256-jwk-alg-ps256", P, "PS256 receipts under a JWK whose alg is PS256")
        .receipts("receipts.jsonl", resealed(k, "PS256", &pss32)?)
        .keys("jwks.json", pretty(&json!({ "keys": [Value::Object(jwk_ps)] }))?)
        .expect(0, &[], &["PS256"]);
    let pss20 = pss_signer(20, "receipt corpus PS256 salt 20")?;
    c.case("ps256-salt-20-bytes", A, "PSS signatures with a 20-byte salt (openssl's old default) labelled PS256")
        .receipts("receipts.jsonl", resealed(k, "PS256", &pss20)?)
        .keys("audit.pub.pem", pem.clone())
        .expect(1, &["receipt.signature", "verdict.signature"], &["signature"]);
    c.case("ps256-signature-labelled-rs256", A, "PSS signatures on receipts whose alg says RS256")
        .receipts("receipts.jsonl", resealed(k, "RS256", &pss32)?)
        .keys("audit.pub.pem", pem.clone())
        .expect(1, &["receipt.signature", "verdict.signature"], &["signature"]);
    c.case("rs256-signature-labelled-ps256", A, "PKCS#1 v1.5 signatures on receipts whose alg says PS256")
        .receipts("receipts.jsonl", resealed(k, "PS256", &|m| k.audit.sign(m))?)
        .keys("audit.pub.pem", pem)
        .expect(1, &["receipt.signature", "verdict.signature"], &["signature"]);
    let key_2049 = RsaKey::rsa_2049_private()?;
    let pem_2049 =
        key_2049.to_public_key().to_public_key_pem(LineEnding::LF).map_err(|e| anyhow::anyhow!("pem: {e}"))?;
    let pss_2049 = pss_signer_with(key_2049.clone(), 32, "receipt corpus PS256 2049-bit salt");
    c.case(
        "positive-ps256-2049-bit-key",
        P,
        "PS256 receipts under a 2049-bit key (8k+1 bits: the encoded message is one octet shorter than the signature)",
    )
    .receipts("receipts.jsonl", resealed(k, "PS256", &pss_2049)?)
    .keys("rsa-2049.pub.pem", pem_2049.clone())
    .expect(0, &[], &["PS256"]);
    c.case("ps256-2049-bit-leading-octet-one", A, "PS256 receipts under a 2049-bit key whose signatures recover to a valid encoded message behind a leading octet of 1, not 0 (RFC 8017 §8.1.2 step 2c; RustCrypto took them, red team 26)")
        .receipts("receipts.jsonl", resealed(k, "PS256", &pss_leading_octet_one_signer(key_2049))?)
        .keys("rsa-2049.pub.pem", pem_2049)
        .expect(1, &["receipt.signature", "verdict.signature"], &["signature"]);
    c.case("ps256-under-jwk-alg-rs256", A, "PS256 receipts under a JWK restricted to RS256 by its alg")
        .receipts("receipts.jsonl", resealed(k, "PS256", &pss32)?)
        .keys("jwks.json", pretty(&json!({ "keys": [k.audit.jwk(JWKS_KID, window())] }))?)
        .expect(1, &["receipt.alg", "verdict.signature"], &["RS256"]);
    Ok(())
}
