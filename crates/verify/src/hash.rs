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
        // Every row carries two hashes: a table lookup per digit, and one check at the end
        // (an invalid digit maps to 0x10, which no valid one reaches).
        let mut invalid = 0u8;
        for (slot, pair) in out.iter_mut().zip(hex.as_bytes().chunks_exact(2)) {
            let (hi, lo) = match pair {
                [hi, lo] => (nibble(*hi), nibble(*lo)),
                _ => (INVALID, INVALID),
            };
            invalid |= (hi | lo) & INVALID;
            *slot = (hi << 4) | (lo & 0x0f);
        }
        if invalid != 0 {
            return Err(bad());
        }
        Ok(Hash(out))
    }
}

/// Marks a byte that is not a lowercase hex digit in [`NIBBLE`].
const INVALID: u8 = 0x10;

/// A lowercase hex digit's value, or [`INVALID`].
fn nibble(b: u8) -> u8 {
    NIBBLE.get(usize::from(b)).copied().unwrap_or(INVALID)
}

/// The value of each lowercase hex digit; [`INVALID`] for every other byte. Built at
/// compile time, where an index out of range could only fail the build.
#[allow(clippy::indexing_slicing)]
const NIBBLE: [u8; 256] = {
    let mut t = [INVALID; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};

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

    /// The digit table against a reference reading, for every ASCII character at the first
    /// and last digit (and a few non-ASCII ones, which change the length).
    #[test]
    fn every_character_in_every_digit_is_read_as_the_reference_reads_it() {
        let reference = |hex: &str| -> Option<[u8; 32]> {
            if hex.len() != 64 || !hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
                return None;
            }
            let mut out = [0u8; 32];
            for (i, slot) in out.iter_mut().enumerate() {
                *slot = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
            }
            Some(out)
        };
        let mut compared = 0;
        for c in (0u8..128).map(char::from).chain(['é', 'ａ', '٣']) {
            for at in [0, 1, 62, 63] {
                let mut hex: Vec<char> = "0123456789abcdef".repeat(4).chars().collect();
                hex[at] = c;
                let hex: String = hex.into_iter().collect();
                let ours = format!("0x{hex}").parse::<Hash>().ok().map(|h| h.0);
                assert_eq!(ours, reference(&hex), "{hex:?}");
                compared += 1;
            }
        }
        assert_eq!(compared, 131 * 4);
    }

    #[test]
    fn sha256_of_empty_input() {
        assert_eq!(Hash::sha256(b"").to_hex(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
