//! Writing DER: minimal definite lengths and positive INTEGERs, and the canonical
//! SubjectPublicKeyInfo of an RSA or P-256 key (as OpenSSL writes it).

use super::{oid, tag};

/// Append one element with a minimal definite length.
pub(crate) fn push_tlv(out: &mut Vec<u8>, tag: u8, value: &[u8]) {
    out.push(tag);
    let len = value.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        let significant = bytes.get(skip..).unwrap_or_default();
        out.push(0x80 | significant.len() as u8);
        out.extend_from_slice(significant);
    }
    out.extend_from_slice(value);
}

/// A positive INTEGER from a big-endian magnitude: leading zeros dropped, one added back
/// when the high bit is set.
pub(crate) fn push_positive_integer(out: &mut Vec<u8>, magnitude: &[u8]) {
    let skip = magnitude.iter().take_while(|&&b| b == 0).count();
    let digits = magnitude.get(skip..).unwrap_or_default();
    let mut value = Vec::with_capacity(digits.len() + 1);
    if digits.first().is_none_or(|&b| b & 0x80 != 0) {
        value.push(0);
    }
    value.extend_from_slice(digits);
    push_tlv(out, tag::INTEGER, &value);
}

/// Wrap `key` in SubjectPublicKeyInfo under `algorithm` (the AlgorithmIdentifier contents).
fn spki(algorithm: &[u8], key: &[u8]) -> Vec<u8> {
    let mut alg = Vec::new();
    push_tlv(&mut alg, tag::SEQUENCE, algorithm);
    let mut bits = Vec::with_capacity(key.len() + 1);
    bits.push(0);
    bits.extend_from_slice(key);
    push_tlv(&mut alg, tag::BIT_STRING, &bits);
    let mut out = Vec::with_capacity(alg.len() + 4);
    push_tlv(&mut out, tag::SEQUENCE, &alg);
    out
}

/// The SubjectPublicKeyInfo of an RSA key, `rsaEncryption` with NULL parameters, exactly
/// as `openssl pkey -pubin -outform DER` writes it.
pub fn rsa_spki(n: &[u8], e: &[u8]) -> Vec<u8> {
    let mut ints = Vec::with_capacity(n.len() + e.len() + 8);
    push_positive_integer(&mut ints, n);
    push_positive_integer(&mut ints, e);
    let mut key = Vec::with_capacity(ints.len() + 4);
    push_tlv(&mut key, tag::SEQUENCE, &ints);
    let mut algorithm = Vec::new();
    push_tlv(&mut algorithm, tag::OID, oid::RSA_ENCRYPTION);
    push_tlv(&mut algorithm, tag::NULL, &[]);
    spki(&algorithm, &key)
}

/// The SubjectPublicKeyInfo of a P-256 key from its SEC1 point (uncompressed, as OpenSSL
/// writes it).
pub fn p256_spki(sec1_point: &[u8]) -> Vec<u8> {
    let mut algorithm = Vec::new();
    push_tlv(&mut algorithm, tag::OID, oid::EC_PUBLIC_KEY);
    push_tlv(&mut algorithm, tag::OID, oid::PRIME256V1);
    spki(&algorithm, sec1_point)
}
