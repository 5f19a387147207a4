//! The little DER (ITU-T X.690 §10) that keys come in: reading SubjectPublicKeyInfo,
//! PKCS#1 `RSAPublicKey`, the fields of an X.509 certificate we show and ECDSA
//! `Ecdsa-Sig-Value`, and writing the canonical SubjectPublicKeyInfo.
//!
//! Why not the `der`/`spki`/`pkcs1` crates: their generic decoders cost the WASM build
//! 18 KB gzipped, an eighth of it, for the four fixed structures above. Those crates stay
//! the reference: `tests/der_reference.rs` reads every Wycheproof key and DER signature,
//! generated keys and thousands of altered encodings with both and requires the same answer.
//!
//! Strict DER only: definite, minimal lengths; one-byte tags; minimal positive INTEGERs.
//! Every read is bounds-checked and fails with the byte offset, never panics.

use std::fmt;

mod write;

pub use write::{p256_spki, rsa_spki};
#[cfg(test)]
pub(crate) use write::{push_positive_integer, push_tlv};

/// Tags we read (X.690 §8; universal class, plus the certificate's `[0]` version).
pub mod tag {
    /// INTEGER.
    pub const INTEGER: u8 = 0x02;
    /// BIT STRING.
    pub const BIT_STRING: u8 = 0x03;
    /// NULL.
    pub const NULL: u8 = 0x05;
    /// OBJECT IDENTIFIER.
    pub const OID: u8 = 0x06;
    /// UTF8String.
    pub const UTF8_STRING: u8 = 0x0c;
    /// PrintableString.
    pub const PRINTABLE_STRING: u8 = 0x13;
    /// TeletexString (T61String).
    pub const TELETEX_STRING: u8 = 0x14;
    /// IA5String.
    pub const IA5_STRING: u8 = 0x16;
    /// UTCTime.
    pub const UTC_TIME: u8 = 0x17;
    /// GeneralizedTime.
    pub const GENERALIZED_TIME: u8 = 0x18;
    /// SEQUENCE (constructed).
    pub const SEQUENCE: u8 = 0x30;
    /// SET (constructed).
    pub const SET: u8 = 0x31;
    /// `[0]` EXPLICIT (context-specific, constructed): the certificate version.
    pub const CONTEXT_0: u8 = 0xa0;
}

/// Object identifiers we compare against, as their DER contents.
pub mod oid {
    /// rsaEncryption, 1.2.840.113549.1.1.1 (RFC 8017 Appendix C).
    pub const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
    /// id-RSASSA-PSS, 1.2.840.113549.1.1.10 (RFC 4055 §1.2): an RSA key for PSS only.
    pub const RSASSA_PSS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];
    /// id-ecPublicKey, 1.2.840.10045.2.1 (RFC 5480 §2.1.1).
    pub const EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
    /// prime256v1 / secp256r1, 1.2.840.10045.3.1.7 (RFC 5480 §2.1.1.1).
    pub const PRIME256V1: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
}

/// Why DER could not be read. Shown after `malformed <structure>: `.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DerError {
    /// Byte offset in the outermost input.
    pub offset: usize,
    /// What is wrong there.
    pub problem: Problem,
}

/// The kinds of malformed DER.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The input ends inside an element.
    Truncated,
    /// A multi-byte tag, which none of our structures uses.
    LongTag,
    /// An indefinite (BER) length.
    IndefiniteLength,
    /// A length in more bytes than needed, or in long form below 128.
    NonMinimalLength,
    /// Bytes after the last element.
    TrailingBytes,
    /// A different element than the structure has there.
    UnexpectedTag {
        /// The tag the structure has there.
        expected: u8,
        /// The tag found.
        actual: u8,
    },
    /// A structure with fewer elements than required.
    MissingElement {
        /// The tag of the element that is missing.
        expected: u8,
    },
    /// An INTEGER that is empty, negative or has a redundant leading byte.
    BadInteger,
    /// A BIT STRING with unused bits where whole bytes belong.
    BadBitString,
    /// An OBJECT IDENTIFIER that does not decode.
    BadOid,
    /// NULL parameters with contents.
    BadNull,
    /// A certificate time that is not `YYMMDDHHMMSSZ`/`YYYYMMDDHHMMSSZ`.
    BadTime,
    /// (v1.1) A certificate extension whose OID an earlier extension has (RFC 5280 §4.2).
    DuplicateExtension,
}

impl fmt::Display for DerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.problem {
            Problem::Truncated => f.write_str("the data ends inside an element")?,
            Problem::LongTag => f.write_str("a multi-byte tag")?,
            Problem::IndefiniteLength => f.write_str("an indefinite length (BER, not DER)")?,
            Problem::NonMinimalLength => f.write_str("a length not in its shortest form (BER, not DER)")?,
            Problem::TrailingBytes => f.write_str("bytes after the end of the structure")?,
            Problem::UnexpectedTag { expected, actual } => {
                write!(f, "expected {} (tag 0x{expected:02x}), found tag 0x{actual:02x}", tag_name(expected))?
            }
            Problem::MissingElement { expected } => {
                write!(f, "the structure ends where {} (tag 0x{expected:02x}) belongs", tag_name(expected))?
            }
            Problem::BadInteger => f.write_str("an INTEGER that is empty, negative or not in its shortest form")?,
            Problem::BadBitString => f.write_str("a BIT STRING with unused bits")?,
            Problem::BadOid => f.write_str("a malformed OBJECT IDENTIFIER")?,
            Problem::BadNull => f.write_str("NULL with contents")?,
            Problem::BadTime => f.write_str("a time that is not YYMMDDHHMMSSZ or YYYYMMDDHHMMSSZ")?,
            Problem::DuplicateExtension => f.write_str(
                "a second extension with the same OID (RFC 5280 §4.2 allows one of each, e.g. one keyUsage)",
            )?,
        }
        write!(f, " at byte {}", self.offset)
    }
}

fn tag_name(tag: u8) -> &'static str {
    match tag {
        tag::INTEGER => "INTEGER",
        tag::BIT_STRING => "BIT STRING",
        tag::NULL => "NULL",
        tag::OID => "OBJECT IDENTIFIER",
        tag::SEQUENCE => "SEQUENCE",
        tag::SET => "SET",
        tag::UTC_TIME | tag::GENERALIZED_TIME => "a time",
        tag::CONTEXT_0 => "[0]",
        _ => "an element",
    }
}

/// One element: tag, contents, and the whole encoding (for re-use and `#hex` display).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tlv<'a> {
    /// The one-byte tag.
    pub tag: u8,
    /// The contents octets.
    pub value: &'a [u8],
    /// Tag, length and contents, as in the input.
    pub raw: &'a [u8],
    /// Offset of the tag in the outermost input.
    pub offset: usize,
    /// Offset of the contents in the outermost input.
    pub value_offset: usize,
}

impl<'a> Tlv<'a> {
    /// Fail unless the tag is `expected`.
    pub fn expect(self, expected: u8) -> Result<Self, DerError> {
        if self.tag == expected {
            Ok(self)
        } else {
            Err(DerError { offset: self.offset, problem: Problem::UnexpectedTag { expected, actual: self.tag } })
        }
    }

    /// A reader over the elements inside this one.
    pub fn children(&self) -> Reader<'a> {
        Reader { data: self.value, pos: 0, base: self.value_offset }
    }

    /// An error at this element.
    pub fn error(&self, problem: Problem) -> DerError {
        DerError { offset: self.offset, problem }
    }

    /// The two's-complement bytes of an INTEGER in minimal DER: not empty, and no leading
    /// byte that only repeats the sign of the next (`00` before a clear top bit, `ff`
    /// before a set one). Certificate serials are read so, as they may be negative.
    pub fn integer(self) -> Result<&'a [u8], DerError> {
        let v = self.expect(tag::INTEGER)?.value;
        match v {
            [] | [0, 0x00..=0x7f, ..] | [0xff, 0x80..=0xff, ..] => Err(self.error(Problem::BadInteger)),
            _ => Ok(v),
        }
    }

    /// The magnitude of a positive INTEGER in minimal DER, without the leading zero byte
    /// that keeps a set high bit positive.
    pub fn positive_integer(self) -> Result<&'a [u8], DerError> {
        match self.integer()? {
            [first, ..] if first & 0x80 != 0 => Err(self.error(Problem::BadInteger)),
            [0, rest @ ..] if !rest.is_empty() => Ok(rest),
            v => Ok(v),
        }
    }

    /// The bytes of a BIT STRING that holds whole bytes (keys and signatures do).
    pub fn bit_string_bytes(self) -> Result<&'a [u8], DerError> {
        match self.expect(tag::BIT_STRING)?.value {
            [0, rest @ ..] => Ok(rest),
            _ => Err(self.error(Problem::BadBitString)),
        }
    }
}

/// Reads consecutive elements from a slice.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    /// Offset of `data` in the outermost input, for messages.
    base: usize,
}

impl<'a> Reader<'a> {
    /// A reader over a whole input.
    pub fn new(data: &'a [u8]) -> Self {
        Reader { data, pos: 0, base: 0 }
    }

    fn error(&self, at: usize, problem: Problem) -> DerError {
        DerError { offset: self.base + at, problem }
    }

    /// Whether every element has been read.
    pub fn is_empty(&self) -> bool {
        self.pos >= self.data.len()
    }

    /// The tag of the next element, if any, without reading it.
    pub fn peek_tag(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    /// The next element, or `None` at the end.
    pub fn next_tlv(&mut self) -> Result<Option<Tlv<'a>>, DerError> {
        let start = self.pos;
        let Some(&tag) = self.data.get(start) else { return Ok(None) };
        if tag & 0x1f == 0x1f {
            return Err(self.error(start, Problem::LongTag));
        }
        let &first = self.data.get(start + 1).ok_or_else(|| self.error(start, Problem::Truncated))?;
        let (len, header) = match first {
            0..=0x7f => (usize::from(first), 2),
            0x80 => return Err(self.error(start + 1, Problem::IndefiniteLength)),
            _ => {
                let n = usize::from(first & 0x7f);
                // Four length bytes cover 4 GiB, far past any input we take.
                if n > 4 {
                    return Err(self.error(start + 1, Problem::Truncated));
                }
                let bytes =
                    self.data.get(start + 2..start + 2 + n).ok_or_else(|| self.error(start, Problem::Truncated))?;
                if bytes.first() == Some(&0) {
                    return Err(self.error(start + 1, Problem::NonMinimalLength));
                }
                let len = bytes.iter().fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
                if len < 0x80 {
                    return Err(self.error(start + 1, Problem::NonMinimalLength));
                }
                (len, 2 + n)
            }
        };
        let end = start
            .checked_add(header)
            .and_then(|h| h.checked_add(len))
            .filter(|&end| end <= self.data.len())
            .ok_or_else(|| self.error(start, Problem::Truncated))?;
        let (Some(value), Some(raw)) = (self.data.get(start + header..end), self.data.get(start..end)) else {
            return Err(self.error(start, Problem::Truncated));
        };
        self.pos = end;
        Ok(Some(Tlv { tag, value, raw, offset: self.base + start, value_offset: self.base + start + header }))
    }

    /// The next element, which must exist and carry `expected`.
    pub fn expect(&mut self, expected: u8) -> Result<Tlv<'a>, DerError> {
        self.required(expected)?.expect(expected)
    }

    /// The next element, whatever its tag; the error names `usual` if there is none.
    pub fn required(&mut self, usual: u8) -> Result<Tlv<'a>, DerError> {
        self.next_tlv()?.ok_or_else(|| self.error(self.pos, Problem::MissingElement { expected: usual }))
    }

    /// Fail if anything is left.
    pub fn finish(&self) -> Result<(), DerError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self.error(self.pos, Problem::TrailingBytes))
        }
    }
}

/// The single element that makes up `data`, with nothing after it.
pub fn single(data: &[u8], expected: u8) -> Result<Tlv<'_>, DerError> {
    let mut reader = Reader::new(data);
    let tlv = reader.expect(expected)?;
    reader.finish()?;
    Ok(tlv)
}

/// The public key inside a SubjectPublicKeyInfo (RFC 5280 §4.1.2.7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpkiKey<'a> {
    /// rsaEncryption: the PKCS#1 `RSAPublicKey` DER.
    Rsa(&'a [u8]),
    /// (Review 9) id-RSASSA-PSS without parameters (RFC 4055 §1.2, as `openssl genpkey
    /// -algorithm RSA-PSS` writes it): the PKCS#1 `RSAPublicKey` DER of a key for PSS only.
    /// With parameters it is [`SpkiKey::OtherAlgorithm`]: they are not compared.
    RsaPss(&'a [u8]),
    /// id-ecPublicKey on prime256v1: the SEC1 point.
    P256(&'a [u8]),
    /// id-ecPublicKey on another curve (dotted OID, or why there is none).
    OtherCurve(String),
    /// Another algorithm (dotted OID).
    OtherAlgorithm(String),
}

/// `SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }`.
pub fn read_spki(data: &[u8]) -> Result<SpkiKey<'_>, DerError> {
    let mut spki = single(data, tag::SEQUENCE)?.children();
    let mut algorithm = spki.expect(tag::SEQUENCE)?.children();
    let key = spki.expect(tag::BIT_STRING)?.bit_string_bytes()?;
    spki.finish()?;
    let oid = algorithm.expect(tag::OID)?;
    let params = algorithm.next_tlv()?;
    algorithm.finish()?;
    if oid.value == oid::RSA_ENCRYPTION {
        // RFC 3279 §2.3.1: the parameters are NULL (some encoders omit them).
        if let Some(p) = params {
            if !p.expect(tag::NULL)?.value.is_empty() {
                return Err(p.error(Problem::BadNull));
            }
        }
        return Ok(SpkiKey::Rsa(key));
    }
    if oid.value == oid::RSASSA_PSS && params.is_none() {
        return Ok(SpkiKey::RsaPss(key));
    }
    if oid.value == oid::EC_PUBLIC_KEY {
        // RFC 5480 §2.1.1: namedCurve; implicit and specified curves are not used.
        let Some(curve) = params.filter(|p| p.tag == tag::OID) else {
            return Ok(SpkiKey::OtherCurve("(missing parameters)".into()));
        };
        if curve.value == oid::PRIME256V1 {
            return Ok(SpkiKey::P256(key));
        }
        return Ok(SpkiKey::OtherCurve(dotted_oid(curve)?));
    }
    Ok(SpkiKey::OtherAlgorithm(format!("OID {}", dotted_oid(oid)?)))
}

/// `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }` (RFC 8017 A.1.1):
/// the big-endian magnitudes of n and e.
pub fn read_rsa_public_key(data: &[u8]) -> Result<(&[u8], &[u8]), DerError> {
    let mut key = single(data, tag::SEQUENCE)?.children();
    let n = key.expect(tag::INTEGER)?.positive_integer()?;
    let e = key.expect(tag::INTEGER)?.positive_integer()?;
    key.finish()?;
    Ok((n, e))
}

/// `Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }` (RFC 3279 §2.2.3) as the
/// fixed-width `r || s` (IEEE P1363) of `width`-byte scalars. `None` for anything else,
/// including values wider than `width`.
pub fn ecdsa_signature_to_fixed(data: &[u8], width: usize) -> Option<Vec<u8>> {
    let mut sig = single(data, tag::SEQUENCE).ok()?.children();
    let r = sig.expect(tag::INTEGER).ok()?.positive_integer().ok()?;
    let s = sig.expect(tag::INTEGER).ok()?.positive_integer().ok()?;
    sig.finish().ok()?;
    let mut out = vec![0u8; 2 * width];
    for (part, half) in [r, s].into_iter().zip(out.chunks_mut(width)) {
        let pad = width.checked_sub(part.len())?;
        half.get_mut(pad..)?.copy_from_slice(part);
    }
    Some(out)
}

/// An OBJECT IDENTIFIER's dotted form (X.690 §8.19), for messages and RFC 4514 `OID=#hex`.
pub fn dotted_oid(oid: Tlv<'_>) -> Result<String, DerError> {
    let bad = || oid.error(Problem::BadOid);
    let mut arcs: Vec<u128> = Vec::new();
    let mut acc: u128 = 0;
    let mut fresh = true;
    for &b in oid.value {
        // A leading 0x80 pads an arc: not minimal, so not DER.
        if fresh && b == 0x80 {
            return Err(bad());
        }
        acc = acc.checked_mul(128).ok_or_else(bad)? | u128::from(b & 0x7f);
        fresh = b & 0x80 == 0;
        if fresh {
            arcs.push(acc);
            acc = 0;
        }
    }
    let (&first, rest) = arcs.split_first().filter(|_| fresh).ok_or_else(bad)?;
    let (a, b) = match first {
        0..=39 => (0, first),
        40..=79 => (1, first - 40),
        _ => (2, first - 80),
    };
    let mut out = format!("{a}.{b}");
    for arc in rest {
        out.push('.');
        out.push_str(&arc.to_string());
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
