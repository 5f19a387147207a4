//! The key itself, as raw parts every signature backend can take: RSA `n` and `e`, the
//! P-256 point. The core validates them here, so every backend (RustCrypto, WebCrypto,
//! native) is handed only keys that the RustCrypto types accept, and every build accepts
//! the same keys. `tests/key_material.rs` checks that against `rsa` and `p256`.

use crate::alg::{Alg, KeyKind};
use crate::der;
use crate::error::KeyError;
use crate::limits::{MAX_RSA_BITS, MIN_RSA_BITS};

/// The smallest public exponent RSA keys may have (as the `rsa` crate: odd, so 3).
const MIN_RSA_EXPONENT: u64 = 2;
/// The largest public exponent (2^33 − 1, as the `rsa` crate and BoringSSL).
const MAX_RSA_EXPONENT: u64 = (1 << 33) - 1;

/// An RSA public key: big-endian magnitudes without leading zero bytes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RsaKey {
    n: Vec<u8>,
    e: Vec<u8>,
}

impl RsaKey {
    /// The modulus, big-endian, no leading zero byte.
    pub fn n(&self) -> &[u8] {
        &self.n
    }

    /// The public exponent, big-endian, no leading zero byte.
    pub fn e(&self) -> &[u8] {
        &self.e
    }

    /// The modulus's exact length in bits.
    pub fn bits(&self) -> usize {
        bit_length(&self.n)
    }

    /// The length of the key's signatures in bytes.
    pub fn signature_len(&self) -> usize {
        self.n.len()
    }
}

/// An EC P-256 public key: the uncompressed SEC1 point `04 ‖ x ‖ y`, on the curve.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct P256Key {
    point: [u8; 65],
}

impl P256Key {
    /// The uncompressed SEC1 point (65 bytes).
    pub fn sec1(&self) -> &[u8; 65] {
        &self.point
    }

    /// A key from a SEC1 point, compressed or not; refused when it is not on the curve
    /// (or is the identity). Decompression and the curve check use `p256`'s field
    /// arithmetic, which every build has; the ECDSA verifier is the backend's.
    pub fn from_sec1(bytes: &[u8]) -> Result<Self, KeyError> {
        use p256::elliptic_curve::sec1::ToEncodedPoint;
        let public = p256::PublicKey::from_sec1_bytes(bytes).map_err(|_| KeyError::EcPoint)?;
        let encoded = public.to_encoded_point(false);
        let point: [u8; 65] = encoded.as_bytes().try_into().map_err(|_| KeyError::EcPoint)?;
        Ok(P256Key { point })
    }
}

/// The key itself, ready for a signature backend.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum KeyMaterial {
    /// An RSA public key whose modulus is 2048 to 4096 bits long (exactly).
    Rsa(RsaKey),
    /// An EC P-256 public key.
    P256(P256Key),
}

impl KeyMaterial {
    /// Which kind of key this is.
    pub fn kind(&self) -> KeyKind {
        match self {
            KeyMaterial::Rsa(_) => KeyKind::Rsa,
            KeyMaterial::P256(_) => KeyKind::P256,
        }
    }

    /// `"RSA"` or `"EC"`, as in JWK `kty`.
    pub fn kty(&self) -> &'static str {
        match self {
            KeyMaterial::Rsa(_) => "RSA",
            KeyMaterial::P256(_) => "EC",
        }
    }

    /// `"RSA-2048"`, `"RSA-2047"`, `"EC P-256"`, … for people: RSA by the modulus's exact
    /// bit length, not its byte length.
    pub fn describe(&self) -> String {
        match self {
            KeyMaterial::Rsa(k) => format!("RSA-{}", k.bits()),
            KeyMaterial::P256(_) => "EC P-256".to_string(),
        }
    }

    /// The algorithm a receipt without `alg` uses with this key.
    pub fn default_alg(&self) -> Alg {
        self.kind().default_alg()
    }

    /// Whether `alg` can be used with this key type.
    pub fn supports(&self, alg: Alg) -> bool {
        alg.fits(self.kind())
    }

    /// The canonical SubjectPublicKeyInfo DER (RFC 5280 §4.1.2.7): `rsaEncryption` with
    /// NULL parameters for RSA, `id-ecPublicKey`/`prime256v1` with an uncompressed point
    /// for EC. This is what `openssl pkey -pubin -outform DER` writes.
    pub fn spki_der(&self) -> Vec<u8> {
        match self {
            KeyMaterial::Rsa(k) => der::rsa_spki(&k.n, &k.e),
            KeyMaterial::P256(k) => der::p256_spki(&k.point),
        }
    }

    /// Read SubjectPublicKeyInfo DER, refusing algorithms and sizes we do not take.
    pub fn from_spki_der(spki: &[u8]) -> Result<Self, KeyError> {
        Self::from_spki(der::read_spki(spki).map_err(malformed("SubjectPublicKeyInfo"))?)
    }

    /// The key of an SPKI already read, refusing algorithms and sizes we do not take.
    pub(super) fn from_spki(spki: der::SpkiKey<'_>) -> Result<Self, KeyError> {
        match spki {
            der::SpkiKey::Rsa(pkcs1) | der::SpkiKey::RsaPss(pkcs1) => Self::from_pkcs1_der(pkcs1),
            der::SpkiKey::P256(point) => P256Key::from_sec1(point).map(KeyMaterial::P256),
            der::SpkiKey::OtherCurve(curve) => Err(KeyError::UnsupportedCurve(curve)),
            der::SpkiKey::OtherAlgorithm(oid) => Err(KeyError::UnsupportedAlgorithm(oid)),
        }
    }

    /// Read a PKCS#1 `RSAPublicKey` (RFC 8017 A.1.1), refusing sizes we do not take.
    pub fn from_pkcs1_der(pkcs1: &[u8]) -> Result<Self, KeyError> {
        let (n, e) = der::read_rsa_public_key(pkcs1).map_err(malformed("PKCS#1 RSAPublicKey"))?;
        Self::rsa_from_parts(n, e)
    }

    /// An RSA key from the big-endian magnitudes of n and e. The size is checked on the
    /// modulus's exact bit length before anything else, so a 2041-bit modulus is not
    /// "RSA-2048" and a huge one costs nothing. Then the rules of `rsa::RsaPublicKey::new`:
    /// n odd; e odd, from 3 to 2^33 − 1, and below n.
    pub fn rsa_from_parts(n: &[u8], e: &[u8]) -> Result<Self, KeyError> {
        let (n, e) = (strip_zeros(n), strip_zeros(e));
        let bits = bit_length(n);
        if bits < MIN_RSA_BITS {
            return Err(KeyError::RsaTooSmall { bits });
        }
        if bits > MAX_RSA_BITS {
            return Err(KeyError::RsaTooLarge { bits, max: MAX_RSA_BITS });
        }
        if n.last().is_some_and(|b| b & 1 == 0) {
            return Err(KeyError::Rsa("the modulus is even".into()));
        }
        let exponent = match e.len() {
            0..=8 => e.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)),
            _ => return Err(KeyError::Rsa("the public exponent is larger than 2^33 − 1".into())),
        };
        if exponent & 1 == 0 {
            return Err(KeyError::Rsa(format!("the public exponent {exponent} is even")));
        }
        if exponent < MIN_RSA_EXPONENT {
            return Err(KeyError::Rsa(format!("the public exponent {exponent} is below 3")));
        }
        if exponent > MAX_RSA_EXPONENT {
            return Err(KeyError::Rsa(format!("the public exponent {exponent} is larger than 2^33 − 1")));
        }
        // e < n holds: e has at most 34 bits and n at least 2048.
        Ok(KeyMaterial::Rsa(RsaKey { n: n.to_vec(), e: e.to_vec() }))
    }
}

/// A magnitude without its leading zero bytes.
fn strip_zeros(magnitude: &[u8]) -> &[u8] {
    let skip = magnitude.iter().take_while(|&&b| b == 0).count();
    magnitude.get(skip..).unwrap_or_default()
}

/// The exact bit length of a big-endian magnitude (leading zero bytes and bits ignored).
fn bit_length(magnitude: &[u8]) -> usize {
    match strip_zeros(magnitude) {
        [first, rest @ ..] => rest.len() * 8 + (8 - first.leading_zeros() as usize),
        [] => 0,
    }
}

/// The error for DER that does not read as `what` (a structure name for people).
pub(super) fn malformed(what: &'static str) -> impl Fn(der::DerError) -> KeyError {
    move |e| KeyError::Der { what, detail: e.to_string() }
}
