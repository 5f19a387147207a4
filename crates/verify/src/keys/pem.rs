//! PEM and DER key files: SubjectPublicKeyInfo, PKCS#1 `RSA PUBLIC KEY` and X.509
//! certificates (RFC 7468 labels).

use super::file::{Collector, KeyFile};
use super::{cert, KeyFormat, KeyMaterial, PublicKey};
use crate::der;
use crate::error::KeyError;

const BEGIN: &str = "-----BEGIN ";
const END: &str = "-----END ";

/// Every PEM block in a file, in order. Explanatory text before, between and after
/// blocks is ignored (RFC 7468 §2); a block without its END line is refused, and so are
/// non-key blocks, so a mistaken file never silently yields fewer keys than it seems to
/// hold. Keys that cannot verify (an unsupported algorithm, a certificate without
/// digitalSignature) are skipped when another block is usable.
pub(super) fn parse_pem_file(bytes: &[u8], source: &str) -> Result<KeyFile, KeyError> {
    let text = std::str::from_utf8(bytes).map_err(|_| KeyError::Pem("not UTF-8 text".into()))?;
    let mut found = Collector::new(source);
    let mut any = false;
    for block in pem_blocks(text)? {
        any = true;
        let (label, der) = decode_block(block.text).map_err(|e| at_line(e, block.line))?;
        let outcome = parse_labelled(label, &der, source);
        found.push_read(outcome, None, Some(block.line), None)?;
    }
    if !any {
        return Err(KeyError::Pem("no complete PEM block found".into()));
    }
    found.finish()
}

fn at_line(e: KeyError, line: usize) -> KeyError {
    match e {
        KeyError::Pem(why) => KeyError::Pem(format!("block at line {line}: {why}")),
        other => other,
    }
}

/// One `-----BEGIN label-----` … `-----END label-----` block: its label and contents.
///
/// RFC 7468 §3's lax reading: base64 lines of any width, whitespace and CRLF ignored,
/// since tools wrap at 64 or 76 columns. RFC 1421 headers (`Proc-Type:`) mark encrypted
/// legacy keys and are refused.
fn decode_block(block: &str) -> Result<(&str, Vec<u8>), KeyError> {
    let bad = |why: &str| KeyError::Pem(why.to_string());
    let rest = block.strip_prefix(BEGIN).ok_or_else(|| bad("no BEGIN line"))?;
    let (label, rest) = rest.split_once("-----").ok_or_else(|| bad("the BEGIN line does not end in -----"))?;
    let (body, end) = rest.split_once(END).ok_or_else(|| bad("no END line"))?;
    if end.strip_suffix("-----") != Some(label) {
        return Err(bad(&format!("the END line does not match BEGIN {label}")));
    }
    if body.contains(':') {
        return Err(bad("headers such as Proc-Type (RFC 1421) are not supported; export the key unencrypted"));
    }
    let base64: String = body.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    // The standard alphabet, padded (RFC 4648 §4); `decode_base64` also takes base64url.
    if base64.contains(['-', '_']) || base64.len() % 4 != 0 {
        return Err(bad("the contents are not padded standard base64"));
    }
    let der = crate::encoding::decode_base64(&base64).ok_or_else(|| bad("the contents are not valid base64"))?;
    Ok((label, der))
}

/// A PEM block's text and the 1-based line of its BEGIN.
struct Block<'a> {
    text: &'a str,
    line: usize,
}

/// Split text into `-----BEGIN …----- … -----END …-----` blocks. A BEGIN without an END
/// before the next BEGIN or the end of the file is a truncated block: refused, never
/// dropped. Linear: each byte is searched once and newlines are counted once.
fn pem_blocks(text: &str) -> Result<Vec<Block<'_>>, KeyError> {
    let mut out = Vec::new();
    let mut pos = 0;
    let mut line = 1;
    let mut counted = 0;
    while let Some(start) = text.get(pos..).and_then(|rest| rest.find(BEGIN)).map(|i| pos + i) {
        line += text.get(counted..start).map_or(0, |s| s.matches('\n').count());
        counted = start;
        let truncated = || KeyError::Pem(format!("the block at line {line} has no END line: the file is truncated"));
        let after = text.get(start + BEGIN.len()..).unwrap_or_default();
        let end_marker = after.find(END).ok_or_else(truncated)?;
        if after.get(..end_marker).is_some_and(|body| body.contains(BEGIN)) {
            return Err(truncated());
        }
        let tail = after.get(end_marker + END.len()..).unwrap_or_default();
        let close = tail.find("-----").ok_or_else(truncated)?;
        let end = start + BEGIN.len() + end_marker + END.len() + close + 5;
        let block = text.get(start..end).ok_or_else(truncated)?;
        out.push(Block { text: block, line });
        pos = end;
    }
    Ok(out)
}

/// The block's key, and why it cannot verify when it cannot (a certificate's keyUsage).
fn parse_labelled(label: &str, der: &[u8], source: &str) -> Result<(PublicKey, Option<KeyError>), KeyError> {
    match label {
        "PUBLIC KEY" => {
            Ok((PublicKey::from_file_spki(KeyMaterial::from_spki_der(der)?, KeyFormat::PemSpki, source, der), None))
        }
        "RSA PUBLIC KEY" => Ok((PublicKey::new(KeyMaterial::from_pkcs1_der(der)?, KeyFormat::PemPkcs1, source), None)),
        "CERTIFICATE" => cert::from_certificate_der(der, KeyFormat::PemCertificate, source),
        l if l.contains("PRIVATE KEY") => Err(KeyError::PrivateKey),
        other => Err(KeyError::UnsupportedPemLabel { label: other.to_string() }),
    }
}

/// Binary DER: a SubjectPublicKeyInfo, a PKCS#1 `RSAPublicKey` or a certificate (the
/// three have different shapes, so at most one reading succeeds).
pub(super) fn parse_der(bytes: &[u8], source: &str) -> Result<KeyFile, KeyError> {
    let outcome = match der_shape(bytes) {
        DerShape::Spki => der::read_spki(bytes)
            .map_err(super::material::malformed("SubjectPublicKeyInfo"))
            .and_then(KeyMaterial::from_spki)
            .map(|m| (PublicKey::from_file_spki(m, KeyFormat::DerSpki, source, bytes), None)),
        DerShape::Pkcs1 => {
            KeyMaterial::from_pkcs1_der(bytes).map(|m| (PublicKey::new(m, KeyFormat::DerPkcs1, source), None))
        }
        DerShape::Certificate => cert::from_certificate_der(bytes, KeyFormat::DerCertificate, source),
        DerShape::PrivateKey => Err(KeyError::PrivateKey),
    };
    let mut found = Collector::new(source);
    found.push_read(outcome, None, None, None)?;
    found.finish()
}

/// OCTET STRING, the private key of SEC1 and PKCS#8.
const OCTET_STRING: u8 = 0x04;

/// The structure a binary DER key file holds.
enum DerShape {
    Spki,
    Pkcs1,
    Certificate,
    /// A private key (review 9): PKCS#8 `PrivateKeyInfo`, PKCS#1 `RSAPrivateKey` or SEC1
    /// `ECPrivateKey`, as `openssl pkey -outform DER` writes one by mistake.
    PrivateKey,
}

/// Which structure a DER key file is, by its first tags, so that an error names the
/// structure the file holds (a SubjectPublicKeyInfo with a byte after it used to be
/// reported as a malformed certificate): PKCS#1 `SEQUENCE { INTEGER, … }`, SPKI
/// `SEQUENCE { SEQUENCE { OID, … }, … }`, and a certificate otherwise (its TBSCertificate
/// starts with `[0]` or an INTEGER). The reader chosen then reads the file strictly.
/// (Review 9) A private key starts with an INTEGER too, its version: PKCS#8 and SEC1 go
/// on with an AlgorithmIdentifier or an OCTET STRING, PKCS#1 `RSAPrivateKey` with eight
/// more INTEGERs (an `RSAPublicKey` has two in all), so it is refused as what it is.
fn der_shape(bytes: &[u8]) -> DerShape {
    let outer = der::Reader::new(bytes).next_tlv().ok().flatten();
    let mut children = outer.map(|o| o.children());
    let mut next = || children.as_mut().and_then(|c| c.next_tlv().ok().flatten());
    let (first_child, second) = (next(), next());
    let private = match (&first_child, &second) {
        (Some(f), Some(s)) if f.tag == der::tag::INTEGER => {
            s.tag == der::tag::SEQUENCE
                || s.tag == OCTET_STRING
                || (s.tag == der::tag::INTEGER && (0..7).all(|_| next().is_some_and(|t| t.tag == der::tag::INTEGER)))
        }
        _ => false,
    };
    match first_child {
        _ if private => DerShape::PrivateKey,
        Some(c) if c.tag == der::tag::INTEGER => DerShape::Pkcs1,
        Some(c) if c.children().peek_tag() == Some(der::tag::OID) => DerShape::Spki,
        _ => DerShape::Certificate,
    }
}
