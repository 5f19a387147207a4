//! The pure-Rust RustCrypto backend (`rsa`, `p256`): natively and in WASM, and the
//! fallback where no faster backend exists. The only place RustCrypto key types are built.

use sha2::{Digest, Sha256};

use super::{SignatureBackend, SignatureJob, SignatureOutcome};
use crate::alg::Alg;
use crate::keys::{KeyMaterial, PublicKey};

// `signature` is re-exported by `rsa`; naming it here avoids a direct dependency.
use rsa::signature::hazmat::PrehashVerifier;
use rsa::traits::PublicKeyParts;

/// Pure-Rust RustCrypto verification. Works natively and in WASM.
#[derive(Clone, Copy, Debug, Default)]
pub struct RustCryptoBackend;

/// A key as the RustCrypto types hold it; built once per key and batch.
enum Built {
    Rsa(rsa::RsaPublicKey),
    P256(p256::ecdsa::VerifyingKey),
}

fn build(material: &KeyMaterial) -> Option<Built> {
    match material {
        KeyMaterial::Rsa(k) => {
            let n = rsa::BigUint::from_bytes_be(k.n());
            let e = rsa::BigUint::from_bytes_be(k.e());
            rsa::RsaPublicKey::new(n, e).ok().map(Built::Rsa)
        }
        KeyMaterial::P256(k) => p256::ecdsa::VerifyingKey::from_sec1_bytes(k.sec1()).ok().map(Built::P256),
    }
}

impl SignatureBackend for RustCryptoBackend {
    fn name(&self) -> &'static str {
        "rustcrypto"
    }

    /// Each key is built once per batch, and each message hashed once, not once per key:
    /// round 2 tries one message under every supplied key, and its jobs share the message
    /// (the same pieces), so the last digest is reused while the message is the same.
    /// Every algorithm we take (RS256, PS256, ES256) signs SHA-256 of the message.
    fn verify_batch(&self, keys: &[PublicKey], jobs: &[SignatureJob]) -> Vec<SignatureOutcome> {
        let mut built: Vec<Option<Option<Built>>> = Vec::new();
        built.resize_with(keys.len(), || None);
        let mut last: Option<(*const (), [u8; 32])> = None;
        jobs.iter()
            .map(|job| {
                let (Some(key), Some(cache)) = (keys.get(job.key), built.get_mut(job.key)) else {
                    return SignatureOutcome::Unavailable;
                };
                let Some(key) = cache.get_or_insert_with(|| build(&key.material)) else {
                    return SignatureOutcome::Unavailable;
                };
                let digest = match last {
                    Some((message, digest)) if message == job.message.as_ptr() => digest,
                    _ => {
                        let digest: [u8; 32] = job.message.sha256().finalize().into();
                        last = Some((job.message.as_ptr(), digest));
                        digest
                    }
                };
                verify_prehashed(key, job.alg, &digest, &job.signature)
            })
            .collect()
    }
}

/// RSASSA-PSS-VERIFY (RFC 8017 §8.1.2) step 2c: the recovered integer must fit in emLen =
/// ⌈(modBits − 1)/8⌉ octets. With a modulus of 8k+1 bits that is one octet less than the
/// signature, so the signature's leading octet must recover as zero; `rsa` 0.9.10 drops it
/// unchecked (`emsa_pss_verify_digest`), and verified what OpenSSL and WebCrypto refuse
/// (red team 26). Other sizes need no extra work: `rsa` checks the top bits of the first
/// octet it keeps. `s ≥ n` is left to `rsa`, which refuses it.
fn pss_leading_octet_is_zero(key: &rsa::RsaPublicKey, sig: &[u8]) -> bool {
    let bits = key.n().bits();
    if bits % 8 != 1 {
        return true;
    }
    rsa::BigUint::from_bytes_be(sig).modpow(key.e(), key.n()).bits() < bits
}

/// Verify one prepared signature over a message whose SHA-256 is `digest`.
fn verify_prehashed(key: &Built, alg: Alg, digest: &[u8; 32], sig: &[u8]) -> SignatureOutcome {
    let valid = match (key, alg) {
        (Built::Rsa(k), Alg::Rs256) => rsa::pkcs1v15::Signature::try_from(sig)
            .is_ok_and(|s| rsa::pkcs1v15::VerifyingKey::<Sha256>::new(k.clone()).verify_prehash(digest, &s).is_ok()),
        // `new` fixes the salt length to the digest size, 32 bytes.
        (Built::Rsa(k), Alg::Ps256) => {
            pss_leading_octet_is_zero(k, sig)
                && rsa::pss::Signature::try_from(sig)
                    .is_ok_and(|s| rsa::pss::VerifyingKey::<Sha256>::new(k.clone()).verify_prehash(digest, &s).is_ok())
        }
        (Built::P256(k), Alg::Es256) => {
            p256::ecdsa::Signature::from_slice(sig).is_ok_and(|s| k.verify_prehash(digest, &s).is_ok())
        }
        // `prepare_signature` only makes jobs whose algorithm fits the key.
        _ => return SignatureOutcome::Unavailable,
    };
    if valid {
        SignatureOutcome::Valid
    } else {
        SignatureOutcome::Invalid
    }
}
