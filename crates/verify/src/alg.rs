//! The algorithm vocabulary: the signature algorithms receipts use, and which key types
//! fit each. Keys and signatures both depend on this module; it depends on neither.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

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

/// The kinds of public key receipts are verified with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyKind {
    /// RSA, 2048 to 4096 bits.
    Rsa,
    /// EC on the P-256 curve.
    P256,
}

impl KeyKind {
    /// The algorithm a receipt without `alg` uses with this kind of key.
    pub fn default_alg(self) -> Alg {
        match self {
            KeyKind::Rsa => Alg::Rs256,
            KeyKind::P256 => Alg::Es256,
        }
    }
}

impl Alg {
    /// Whether this algorithm can be used with a key of `kind`.
    pub fn fits(self, kind: KeyKind) -> bool {
        matches!((self, kind), (Alg::Rs256 | Alg::Ps256, KeyKind::Rsa) | (Alg::Es256, KeyKind::P256))
    }
}
