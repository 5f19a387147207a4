//! Signature verification as one batched step behind a pluggable backend.
//!
//! Checks never verify a signature themselves. They emit [`SignatureJob`]s (message,
//! signature, key, algorithm); a [`SignatureBackend`] verifies a batch of them and
//! returns one outcome per job. [`RustCryptoBackend`] is the default and works on every
//! target; a WebCrypto or native backend implements the same trait (or drives
//! [`crate::Verification`] by hand when it is asynchronous).

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use base64ct::{Base64UrlUnpadded, Encoding};
use serde::Serialize;
use sha2::Digest;
use sha2::Sha256;
use signature_trait::hazmat::PrehashVerifier;

use crate::keys::{KeyMaterial, PublicKey};

// `signature` is re-exported by `rsa`; naming it here avoids a direct dependency.
use rsa::signature as signature_trait;

mod signed_bytes;

pub use signed_bytes::SignedBytes;

/// The signature algorithms of receipt format v1 (RFC 7518 §3.1 names).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Alg {
    /// RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 §8.2).
    #[serde(rename = "RS256")]
    Rs256,
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt (RFC 8017 §8.1).
    #[serde(rename = "PS256")]
    Ps256,
    /// ECDSA on P-256 with SHA-256 (FIPS 186-5), DER or 64-byte `r||s`.
    #[serde(rename = "ES256")]
    Es256,
}

impl FromStr for Alg {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "RS256" => Ok(Alg::Rs256),
            "PS256" => Ok(Alg::Ps256),
            "ES256" => Ok(Alg::Es256),
            _ => Err(()),
        }
    }
}

impl fmt::Display for Alg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Alg::Rs256 => "RS256",
            Alg::Ps256 => "PS256",
            Alg::Es256 => "ES256",
        })
    }
}

/// How an ECDSA signature is encoded. Receipts use [`EcdsaEncoding::Auto`]; test
/// vectors name their encoding exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EcdsaEncoding {
    /// ASN.1 DER `SEQUENCE { r, s }` if it parses as such, else 64-byte `r||s`.
    Auto,
    /// ASN.1 DER only (RFC 3279 §2.2.3).
    Der,
    /// 64-byte `r||s` only (IEEE P1363, RFC 7518 §3.4).
    P1363,
}

/// One signature to check.
///
/// The message and signature are shared, not owned: the jobs that try one signature
/// under several keys point at the same bytes, so memory does not grow with the number
/// of keys, and the entries of one wave approval share the wave's bytes ([`SignedBytes`]).
/// Build them from a `Vec<u8>` with `.into()`; read the message with
/// [`SignedBytes::parts`] (or [`SignedBytes::to_vec`]) and the signature as `&[u8]`.
#[derive(Clone, Debug)]
pub struct SignatureJob {
    /// Index of the key in the key list given to the backend.
    pub key: usize,
    /// The algorithm.
    pub alg: Alg,
    /// The exact signed bytes, as shared pieces.
    pub message: SignedBytes,
    /// The raw signature bytes (already base64-decoded).
    pub signature: Arc<[u8]>,
    /// ECDSA encoding (ignored for RSA).
    pub ecdsa: EcdsaEncoding,
}

/// Why a signature did not verify.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "reason")]
pub enum SignatureFailure {
    /// The math says no.
    Mismatch,
    /// The signature has the wrong length for the key.
    Length {
        /// Expected length in bytes.
        expected: usize,
        /// Actual length.
        actual: usize,
    },
    /// The bytes are not a well-formed signature of the algorithm.
    Malformed,
    /// The algorithm does not fit the key type.
    WrongKeyType,
    /// The job names a key that is not in the list.
    NoSuchKey,
}

impl fmt::Display for SignatureFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureFailure::Mismatch => f.write_str("signature does not match the signed bytes under this key"),
            SignatureFailure::Length { expected, actual } => {
                write!(f, "signature is {actual} bytes; this key makes {expected}-byte signatures")
            }
            SignatureFailure::Malformed => f.write_str("signature bytes are not a well-formed signature"),
            SignatureFailure::WrongKeyType => f.write_str("algorithm does not fit the key type"),
            SignatureFailure::NoSuchKey => f.write_str("no such key"),
        }
    }
}

/// The result of one job.
pub type SignatureOutcome = Result<(), SignatureFailure>;

/// Verifies batches of signature jobs. Implementations must return exactly one
/// outcome per job, in order, and must not panic on any input.
pub trait SignatureBackend {
    /// A short name for the report, e.g. `"rustcrypto"`.
    fn name(&self) -> &'static str;
    /// Verify every job against `keys`.
    fn verify_batch(&self, keys: &[PublicKey], jobs: &[SignatureJob]) -> Vec<SignatureOutcome>;
}

/// Pure-Rust RustCrypto verification (`rsa`, `p256`). Works natively and in WASM.
#[derive(Clone, Copy, Debug, Default)]
pub struct RustCryptoBackend;

impl SignatureBackend for RustCryptoBackend {
    fn name(&self) -> &'static str {
        "rustcrypto"
    }

    /// (v1.1) Each message is hashed once, not once per key: round 2 tries one message
    /// under every supplied key, and its jobs share the message (the same pieces), so the
    /// last digest is reused while the message is the same. Every algorithm we take
    /// (RS256, PS256, ES256) signs SHA-256 of the message.
    fn verify_batch(&self, keys: &[PublicKey], jobs: &[SignatureJob]) -> Vec<SignatureOutcome> {
        let mut last: Option<(*const (), [u8; 32])> = None;
        jobs.iter()
            .map(|job| {
                let Some(key) = keys.get(job.key) else { return Err(SignatureFailure::NoSuchKey) };
                let digest = match last {
                    Some((message, digest)) if message == job.message.as_ptr() => digest,
                    _ => {
                        let digest: [u8; 32] = job.message.sha256().finalize().into();
                        last = Some((job.message.as_ptr(), digest));
                        digest
                    }
                };
                verify_prehashed(&key.material, job.alg, &digest, &job.signature, job.ecdsa)
            })
            .collect()
    }
}

/// Verify one signature with RustCrypto.
pub fn verify_one(key: &KeyMaterial, alg: Alg, message: &[u8], sig: &[u8], ecdsa: EcdsaEncoding) -> SignatureOutcome {
    let digest: [u8; 32] = Sha256::digest(message).into();
    verify_prehashed(key, alg, &digest, sig, ecdsa)
}

/// Verify one signature over a message whose SHA-256 is `digest` (the RustCrypto
/// `PrehashVerifier` traits: RSASSA-PKCS1-v1_5 and PSS with SHA-256, ECDSA P-256).
pub fn verify_prehashed(
    key: &KeyMaterial,
    alg: Alg,
    digest: &[u8; 32],
    sig: &[u8],
    ecdsa: EcdsaEncoding,
) -> SignatureOutcome {
    let message = digest.as_slice();
    match (key, alg) {
        (KeyMaterial::Rsa(k), Alg::Rs256 | Alg::Ps256) => {
            let expected = rsa::traits::PublicKeyParts::size(k);
            if sig.len() != expected {
                return Err(SignatureFailure::Length { expected, actual: sig.len() });
            }
            if alg == Alg::Rs256 {
                let s = rsa::pkcs1v15::Signature::try_from(sig).map_err(|_| SignatureFailure::Malformed)?;
                rsa::pkcs1v15::VerifyingKey::<Sha256>::new(k.clone())
                    .verify_prehash(message, &s)
                    .map_err(|_| SignatureFailure::Mismatch)
            } else {
                let s = rsa::pss::Signature::try_from(sig).map_err(|_| SignatureFailure::Malformed)?;
                // `new` fixes the salt length to the digest size, 32 bytes.
                rsa::pss::VerifyingKey::<Sha256>::new(k.clone())
                    .verify_prehash(message, &s)
                    .map_err(|_| SignatureFailure::Mismatch)
            }
        }
        (KeyMaterial::P256(k), Alg::Es256) => {
            let from_der = || crate::der::ecdsa_signature_to_fixed(sig, 32);
            let fixed = match ecdsa {
                EcdsaEncoding::Der => from_der(),
                EcdsaEncoding::P1363 => (sig.len() == 64).then(|| sig.to_vec()),
                EcdsaEncoding::Auto => from_der().or_else(|| (sig.len() == 64).then(|| sig.to_vec())),
            };
            // `from_slice` refuses r or s equal to zero or not below the group order.
            let parsed = fixed.and_then(|rs| p256::ecdsa::Signature::from_slice(&rs).ok());
            let s = parsed.ok_or(SignatureFailure::Malformed)?;
            k.verify_prehash(message, &s).map_err(|_| SignatureFailure::Mismatch)
        }
        _ => Err(SignatureFailure::WrongKeyType),
    }
}

/// Decode a receipt's `signature`: standard or URL-safe base64, padded or not
/// (SPEC.md, "Batch receipt"). Whitespace is not accepted.
///
/// One decoder (base64url, unpadded) serves all four forms: the padding is checked here
/// and the standard alphabet is mapped onto the URL-safe one. Each extra `base64ct`
/// alphabet would add its own copy of the decoder to the WASM build.
pub fn decode_base64(s: &str) -> Option<Vec<u8>> {
    let url = s.contains(['-', '_']);
    if url && s.contains(['+', '/']) {
        return None;
    }
    let body = s.trim_end_matches('=');
    let pads = s.len() - body.len();
    if pads > 0 && (pads > 2 || s.len() % 4 != 0) {
        return None;
    }
    if url {
        Base64UrlUnpadded::decode_vec(body).ok()
    } else {
        let mapped: String = body
            .chars()
            .map(|c| match c {
                '+' => '-',
                '/' => '_',
                c => c,
            })
            .collect();
        Base64UrlUnpadded::decode_vec(&mapped).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn base64_alphabets_and_padding() {
        let bytes = [0xfbu8, 0xff, 0xfe, 0x01];
        for s in ["+//+AQ==", "+//+AQ", "-__-AQ==", "-__-AQ"] {
            assert_eq!(decode_base64(s).as_deref(), Some(&bytes[..]), "{s}");
        }
        assert_eq!(decode_base64("+__+AQ"), None, "mixed alphabets");
        assert_eq!(decode_base64("AQ= ="), None);
        assert_eq!(decode_base64("AQ\n"), None);
    }

    /// The single-decoder `decode_base64` accepts exactly what dispatching to base64ct's
    /// four encodings accepts, with the same bytes.
    #[test]
    fn base64_matches_the_four_base64ct_decoders() {
        use base64ct::{Base64, Base64Unpadded, Base64Url};
        let reference = |s: &str| match (s.contains(['-', '_']), s.ends_with('=')) {
            (false, true) => Base64::decode_vec(s).ok(),
            (false, false) => Base64Unpadded::decode_vec(s).ok(),
            (true, true) => Base64Url::decode_vec(s).ok(),
            (true, false) => Base64UrlUnpadded::decode_vec(s).ok(),
        };
        let alphabet = b"AQgw+/-_=z9";
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut compared = 0;
        for len in 0..14 {
            for _ in 0..400 {
                let mut text = String::new();
                for _ in 0..len {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    text.push(char::from(alphabet[usize::try_from(state % 11).unwrap()]));
                }
                assert_eq!(decode_base64(&text), reference(&text), "{text}");
                compared += 1;
            }
        }
        for len in 0..40u8 {
            let bytes: Vec<u8> = (0..len).map(|i| i.wrapping_mul(37) ^ 0xa5).collect();
            for text in [
                Base64::encode_string(&bytes),
                Base64Unpadded::encode_string(&bytes),
                Base64Url::encode_string(&bytes),
                Base64UrlUnpadded::encode_string(&bytes),
            ] {
                assert_eq!(decode_base64(&text).as_deref(), Some(&bytes[..]), "{text}");
                compared += 1;
            }
        }
        assert_eq!(compared, 14 * 400 + 40 * 4);
    }
}
