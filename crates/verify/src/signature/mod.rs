//! Signature jobs and the backends that answer them.
//!
//! Checks never verify a signature themselves. They emit [`SignatureJob`]s (message,
//! signature, key, algorithm), each prepared completely by [`prepare_signature`]: the
//! RSA signature length is checked against the key, an ECDSA signature is converted to
//! `r ‖ s` with both in range. A [`SignatureBackend`] then only answers "valid", "not
//! valid" or "cannot check" per job, so every backend gives the same report by
//! construction. [`RustCryptoBackend`] (feature `rustcrypto`, on by default) works on
//! every target; WebCrypto and native backends implement the same trait, or drive
//! [`crate::Verification`] by hand when they are asynchronous.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use crate::alg::Alg;
use crate::keys::{KeyMaterial, PublicKey};

#[cfg(feature = "rustcrypto")]
mod rustcrypto;
mod signed_bytes;

#[cfg(feature = "rustcrypto")]
pub use rustcrypto::RustCryptoBackend;
pub use signed_bytes::SignedBytes;

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

/// One signature to check, prepared for the backend.
///
/// The message and signature are shared, not owned: the jobs that try one signature
/// under several keys point at the same bytes, so memory does not grow with the number
/// of keys, and the entries of one wave approval share the wave's bytes ([`SignedBytes`]).
#[derive(Clone, Debug)]
pub struct SignatureJob {
    /// Index of the key in the key list given to the backend.
    pub key: usize,
    /// The algorithm; it fits the key's type.
    pub alg: Alg,
    /// The exact signed bytes, as shared pieces.
    pub message: SignedBytes,
    /// The prepared signature: for RSA exactly as long as the modulus; for ES256 the
    /// 64-byte `r ‖ s`, with r and s in 1..n. See [`prepare_signature`].
    pub signature: Arc<[u8]>,
}

/// A backend's answer for one job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureOutcome {
    /// The signature verifies under the key.
    Valid,
    /// It does not.
    Invalid,
    /// The backend could not check it (a key or algorithm it cannot take). Never a
    /// mismatch: the report says the signature was not checked.
    Unavailable,
}

/// Why a signature did not verify, as the report says it.
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
    /// The backend could not check this signature.
    Unavailable,
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
            SignatureFailure::Unavailable => {
                f.write_str("not checked: the signature backend cannot verify this key or algorithm here")
            }
        }
    }
}

/// Verifies batches of prepared signature jobs. Implementations must return exactly one
/// outcome per job, in order, and must not panic on any input.
pub trait SignatureBackend {
    /// A short name for the report, e.g. `"rustcrypto"`.
    fn name(&self) -> &'static str;
    /// Verify every job against `keys`.
    fn verify_batch(&self, keys: &[PublicKey], jobs: &[SignatureJob]) -> Vec<SignatureOutcome>;
}

/// The P-256 group order n (FIPS 186-5 / SEC 2), big-endian.
const P256_ORDER: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xbc, 0xe6, 0xfa,
    0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];

/// Prepare a raw signature for a backend: the checks no backend may answer differently.
///
/// - The algorithm must fit the key ([`SignatureFailure::WrongKeyType`]).
/// - RSA: the signature is exactly as long as the modulus ([`SignatureFailure::Length`]).
/// - ES256: DER or 64-byte `r ‖ s` as `encoding` allows, converted to `r ‖ s`, with r and
///   s from 1 to n − 1 ([`SignatureFailure::Malformed`]).
pub fn prepare_signature(
    key: &KeyMaterial,
    alg: Alg,
    signature: &Arc<[u8]>,
    encoding: EcdsaEncoding,
) -> Result<Arc<[u8]>, SignatureFailure> {
    if !key.supports(alg) {
        return Err(SignatureFailure::WrongKeyType);
    }
    match key {
        KeyMaterial::Rsa(k) => {
            let expected = k.signature_len();
            if signature.len() != expected {
                return Err(SignatureFailure::Length { expected, actual: signature.len() });
            }
            Ok(Arc::clone(signature))
        }
        KeyMaterial::P256(_) => ecdsa_fixed(signature, encoding).map(Arc::from),
    }
}

/// An ES256 signature as `r ‖ s`, refused unless 0 < r, s < n.
fn ecdsa_fixed(sig: &[u8], encoding: EcdsaEncoding) -> Result<Vec<u8>, SignatureFailure> {
    let from_der = || crate::der::ecdsa_signature_to_fixed(sig, 32);
    let fixed = match encoding {
        EcdsaEncoding::Der => from_der(),
        EcdsaEncoding::P1363 => (sig.len() == 64).then(|| sig.to_vec()),
        EcdsaEncoding::Auto => from_der().or_else(|| (sig.len() == 64).then(|| sig.to_vec())),
    };
    let fixed = fixed.ok_or(SignatureFailure::Malformed)?;
    let in_range = |half: &[u8]| half.iter().any(|b| *b != 0) && half < P256_ORDER.as_slice();
    match fixed.split_at_checked(32) {
        Some((r, s)) if in_range(r) && in_range(s) => Ok(fixed),
        _ => Err(SignatureFailure::Malformed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn ecdsa_scalars_must_lie_in_one_to_n_minus_one() {
        let mut n_minus_1 = P256_ORDER;
        n_minus_1[31] -= 1;
        let one = {
            let mut b = [0u8; 32];
            b[31] = 1;
            b
        };
        let join = |r: &[u8; 32], s: &[u8; 32]| [r.as_slice(), s.as_slice()].concat();
        for (r, s, ok) in [
            (one, one, true),
            (n_minus_1, n_minus_1, true),
            (P256_ORDER, one, false),
            (one, P256_ORDER, false),
            ([0; 32], one, false),
            (one, [0; 32], false),
            ([0xff; 32], one, false),
        ] {
            let got = ecdsa_fixed(&join(&r, &s), EcdsaEncoding::P1363);
            assert_eq!(got.is_ok(), ok, "r {r:02x?} s {s:02x?}");
        }
        assert_eq!(ecdsa_fixed(&[1; 63], EcdsaEncoding::Auto), Err(SignatureFailure::Malformed));
        assert_eq!(ecdsa_fixed(&[1; 64], EcdsaEncoding::Der), Err(SignatureFailure::Malformed));
    }
}
