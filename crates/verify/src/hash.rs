//! Hash strings: `"0x"` + 64 lowercase hex digits of a SHA-256 (SPEC.md, "Hash strings").

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};
use sha2::{Digest, Sha256};

use crate::error::HashError;
use crate::text::shorten;

/// A SHA-256 value as used in receipts and rows.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Hash(pub [u8; 32]);

impl Hash {
    /// The genesis value: `"0x"` followed by 64 zeros.
    pub const GENESIS: Hash = Hash([0; 32]);

    /// SHA-256 of `bytes`.
    pub fn sha256(bytes: &[u8]) -> Hash {
        Hash(Sha256::digest(bytes).into())
    }

    /// Whether this is the genesis value.
    pub fn is_genesis(&self) -> bool {
        *self == Self::GENESIS
    }

    /// The bare 64 hex digits, without `0x` (what `sha256sum` prints).
    pub fn to_hex(&self) -> String {
        hex_lower(&self.0)
    }
}

/// Lowercase hex of bytes.
pub fn hex_lower(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        for nibble in [b >> 4, b & 0x0f] {
            s.extend(char::from_digit(u32::from(nibble), 16));
        }
    }
    s
}

impl FromStr for Hash {
    type Err = HashError;

    /// Parse strictly: uppercase hex, a missing `0x` or the wrong length are refused,
    /// because the hash string is itself signed and must have one spelling.
    fn from_str(s: &str) -> Result<Self, HashError> {
        let bad = || HashError::Format { found: shorten(s) };
        let hex = s.strip_prefix("0x").ok_or_else(bad)?;
        if hex.len() != 64 {
            return Err(bad());
        }
        let mut out = [0u8; 32];
        for (slot, pair) in out.iter_mut().zip(hex.as_bytes().chunks_exact(2)) {
            let hi = nibble(pair.first().copied()).ok_or_else(bad)?;
            let lo = nibble(pair.get(1).copied()).ok_or_else(bad)?;
            *slot = (hi << 4) | lo;
        }
        Ok(Hash(out))
    }
}

fn nibble(c: Option<u8>) -> Option<u8> {
    match c? {
        c @ b'0'..=b'9' => Some(c - b'0'),
        c @ b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    }
}

impl fmt::Display for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0x{}", self.to_hex())
    }
}

impl fmt::Debug for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Serialize for Hash {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn round_trips_and_is_strict() {
        let s = format!("0x{}", "ab".repeat(32));
        assert_eq!(s.parse::<Hash>().map(|h| h.to_string()), Ok(s.clone()));
        assert!(s.to_uppercase().parse::<Hash>().is_err());
        assert!("ab".repeat(32).parse::<Hash>().is_err());
        assert!(format!("0x{}", "a".repeat(63)).parse::<Hash>().is_err());
        assert!(format!("0x{}é", "a".repeat(62)).parse::<Hash>().is_err());
        assert!(format!("0x{}", "0".repeat(64)).parse::<Hash>().map(|h| h.is_genesis()) == Ok(true));
    }

    #[test]
    fn sha256_of_empty_input() {
        assert_eq!(Hash::sha256(b"").to_hex(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
