//! The CLI's default signature backend: the system OpenSSL (libcrypto 3) through the
//! `openssl` crate, on every core (rayon). Native only: the core and the WASM builds never
//! see it. It answers exactly what the RustCrypto backend answers (the parity tests run
//! every Wycheproof vector, the bad-input corpus and the demo sets through both).
//!
//! - RS256: the raw RSA operation `s^e mod n`, then the whole encoded message compared
//!   with `00 01 FF… 00 ‖ DigestInfo(SHA-256) ‖ H` (RFC 8017 §8.2.2, "encode and
//!   compare", as RustCrypto does). It skips the EVP setup per signature, which costs
//!   OpenSSL 3 about a fifth of an RSA-2048 verification.
//! - PS256: EVP with MGF1-SHA-256 and a salt of exactly 32 bytes, as `rsa::pss::VerifyingKey::new`.
//! - ES256: `ECDSA_do_verify` on the prepared `r ‖ s`.
//!
//! Keys are imported once per batch. A key OpenSSL refuses gives `Unavailable` for its
//! jobs, never `Invalid`; so does an error inside OpenSSL, unless its reason code says
//! the signature is wrong (s ≥ n, a bad PSS encoding, an ECDSA sum at infinity).

use openssl::bn::{BigNum, BigNumContext};
use openssl::ec::{EcGroup, EcKey, EcPoint};
use openssl::ecdsa::EcdsaSig;
use openssl::error::ErrorStack;
use openssl::md::Md;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Public};
use openssl::pkey_ctx::PkeyCtx;
use openssl::rsa::{Padding, Rsa};
use openssl::sha::Sha256;
use openssl::sign::RsaPssSaltlen;
use rayon::prelude::*;
use receipt_verify::{Alg, KeyMaterial, PublicKey, SignatureBackend, SignatureJob, SignatureOutcome, SignedBytes};

/// The DER prefix of `DigestInfo { sha256, OCTET STRING (32) }` (RFC 8017 §9.2 note 1).
const SHA256_DIGEST_INFO: [u8; 19] =
    [0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20];
// OpenSSL 3 error codes (openssl/err.h, rsaerr.h, ecerr.h) that report a wrong signature.
const ERR_LIB_RSA: i32 = 4;
const ERR_LIB_EC: i32 = 16;
/// RSA_R_DATA_GREATER_THAN_MOD_LEN, RSA_R_DATA_TOO_LARGE_FOR_MODULUS: s ≥ n.
const RSA_TOO_LARGE: [i32; 2] = [108, 132];
/// s ≥ n, and RSA_R_BAD_SIGNATURE, _DATA_TOO_LARGE, _WRONG_SIGNATURE_LENGTH,
/// _FIRST_OCTET_INVALID, _LAST_OCTET_INVALID, _SLEN_RECOVERY_FAILED, _SLEN_CHECK_FAILED,
/// _INVALID_PADDING: a PSS encoding that does not check out (RFC 8017 §9.1.2).
const PSS_MISMATCH: [i32; 10] = [108, 132, 104, 109, 119, 133, 134, 135, 136, 138];
/// EC_R_POINT_AT_INFINITY.
const EC_R_POINT_AT_INFINITY: i32 = 106;
/// The PSS salt length RustCrypto's `pss::VerifyingKey::new` fixes: the digest's.
const PSS_SALT_BYTES: i32 = 32;
/// Jobs one worker takes at a time: neighbours often share a message (round 2 tries one
/// signature under every key), whose digest is then computed once.
const JOBS_PER_TASK: usize = 64;

/// Verification with the system OpenSSL, on every core.
#[derive(Clone, Copy, Debug, Default)]
pub struct OpenSslBackend;

/// A key as OpenSSL holds it.
enum Imported {
    Rsa { rsa: Rsa<Public>, pkey: PKey<Public> },
    P256(EcKey<Public>),
}

fn import(material: &KeyMaterial) -> Option<Imported> {
    match material {
        KeyMaterial::Rsa(k) => {
            let n = BigNum::from_slice(k.n()).ok()?;
            let e = BigNum::from_slice(k.e()).ok()?;
            let rsa = Rsa::from_public_components(n, e).ok()?;
            let pkey = PKey::from_rsa(rsa.clone()).ok()?;
            Some(Imported::Rsa { rsa, pkey })
        }
        KeyMaterial::P256(k) => {
            let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).ok()?;
            let mut ctx = BigNumContext::new().ok()?;
            let point = EcPoint::from_bytes(&group, k.sec1(), &mut ctx).ok()?;
            let key = EcKey::from_public_key(&group, &point).ok()?;
            key.check_key().ok()?;
            Some(Imported::P256(key))
        }
    }
}

impl SignatureBackend for OpenSslBackend {
    fn name(&self) -> &'static str {
        "openssl"
    }

    fn verify_batch(&self, keys: &[PublicKey], jobs: &[SignatureJob]) -> Vec<SignatureOutcome> {
        // Import only the keys some job names, each once, in parallel.
        let mut used = vec![false; keys.len()];
        for job in jobs {
            if let Some(u) = used.get_mut(job.key) {
                *u = true;
            }
        }
        let imported: Vec<Option<Imported>> =
            keys.par_iter().zip(used).map(|(k, used)| if used { import(&k.material) } else { None }).collect();
        jobs.par_chunks(JOBS_PER_TASK)
            .flat_map_iter(|chunk| {
                let mut last: Option<(*const (), [u8; 32])> = None;
                chunk
                    .iter()
                    .map(|job| {
                        let Some(Some(key)) = imported.get(job.key) else {
                            return SignatureOutcome::Unavailable;
                        };
                        let digest = match last {
                            Some((message, digest)) if message == job.message.as_ptr() => digest,
                            _ => {
                                let digest = sha256(&job.message);
                                last = Some((job.message.as_ptr(), digest));
                                digest
                            }
                        };
                        verify_prehashed(key, job.alg, &digest, &job.signature)
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }
}

fn sha256(message: &SignedBytes) -> [u8; 32] {
    let mut h = Sha256::new();
    message.parts().for_each(|p| h.update(p));
    h.finish()
}

/// One prepared job; `Unavailable` when OpenSSL could not run the check.
fn verify_prehashed(key: &Imported, alg: Alg, digest: &[u8; 32], sig: &[u8]) -> SignatureOutcome {
    let answer = match (key, alg) {
        (Imported::Rsa { rsa, .. }, Alg::Rs256) => rs256(rsa, digest, sig),
        (Imported::Rsa { pkey, .. }, Alg::Ps256) => ps256(pkey, digest, sig),
        (Imported::P256(key), Alg::Es256) => es256(key, digest, sig),
        // `prepare_signature` only makes jobs whose algorithm fits the key.
        _ => None,
    };
    match answer {
        Some(true) => SignatureOutcome::Valid,
        Some(false) => SignatureOutcome::Invalid,
        None => SignatureOutcome::Unavailable,
    }
}

/// RSASSA-PKCS1-v1_5 verification by encode and compare. The raw operation refuses a
/// signature not below n, which is a mismatch (RFC 8017 §5.2.2); any other error means
/// OpenSSL could not check (`None`).
fn rs256(rsa: &Rsa<Public>, digest: &[u8; 32], sig: &[u8]) -> Option<bool> {
    let k = rsa.size() as usize;
    if sig.len() != k {
        return Some(false);
    }
    let mut em = vec![0u8; k];
    match rsa.public_decrypt(sig, &mut em, Padding::NONE) {
        Ok(len) => Some(len == k && em == expected_pkcs1(k, digest)),
        Err(stack) => openssl_said_mismatch(&stack, ERR_LIB_RSA, &RSA_TOO_LARGE).then_some(false),
    }
}

/// `00 01 FF…FF 00 ‖ DigestInfo ‖ H`, k bytes (RFC 8017 §9.2); k ≥ 256 for our keys.
fn expected_pkcs1(k: usize, digest: &[u8; 32]) -> Vec<u8> {
    let t_len = SHA256_DIGEST_INFO.len() + digest.len();
    let mut em = Vec::with_capacity(k);
    em.extend_from_slice(&[0x00, 0x01]);
    em.resize(k.saturating_sub(t_len + 1), 0xff);
    em.push(0x00);
    em.extend_from_slice(&SHA256_DIGEST_INFO);
    em.extend_from_slice(digest);
    em
}

/// RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt; `None` when the setup
/// fails. OpenSSL reports a bad encoding as an error, not as 0: those reasons are a
/// mismatch, any other error means it could not check.
fn ps256(pkey: &PKey<Public>, digest: &[u8; 32], sig: &[u8]) -> Option<bool> {
    let mut ctx = PkeyCtx::new(pkey).ok()?;
    ctx.verify_init().ok()?;
    ctx.set_rsa_padding(Padding::PKCS1_PSS).ok()?;
    ctx.set_signature_md(Md::sha256()).ok()?;
    ctx.set_rsa_mgf1_md(Md::sha256()).ok()?;
    ctx.set_rsa_pss_saltlen(RsaPssSaltlen::custom(PSS_SALT_BYTES)).ok()?;
    match ctx.verify(digest, sig) {
        Ok(valid) => Some(valid),
        Err(stack) => openssl_said_mismatch(&stack, ERR_LIB_RSA, &PSS_MISMATCH).then_some(false),
    }
}

/// ECDSA P-256 over the prepared `r ‖ s` (both already in 1..n); `None` when OpenSSL
/// could not run the check.
fn es256(key: &EcKey<Public>, digest: &[u8; 32], sig: &[u8]) -> Option<bool> {
    let (r, s) = sig.split_at_checked(32)?;
    let sig = EcdsaSig::from_private_components(BigNum::from_slice(r).ok()?, BigNum::from_slice(s).ok()?).ok()?;
    // ECDSA_do_verify answers 1 or 0, or -1 for an error. One error is a verdict:
    // u1·G + u2·Q at infinity, which FIPS 186-5 §6.4.2 rejects (Wycheproof's "point at
    // infinity during verify" cases); any other error means it could not check.
    match sig.verify(digest, key) {
        Ok(valid) => Some(valid),
        Err(stack) => openssl_said_mismatch(&stack, ERR_LIB_EC, &[EC_R_POINT_AT_INFINITY]).then_some(false),
    }
}

/// Whether an OpenSSL error stack says the signature is wrong (one of `reasons` of library
/// `lib`), rather than that OpenSSL could not check it.
fn openssl_said_mismatch(stack: &ErrorStack, lib: i32, reasons: &[i32]) -> bool {
    stack.errors().iter().any(|e| e.library_code() == lib && reasons.contains(&e.reason_code()))
}
