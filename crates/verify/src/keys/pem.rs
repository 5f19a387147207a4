//! PEM and DER key files: SubjectPublicKeyInfo, PKCS#1 `RSA PUBLIC KEY` and X.509
//! certificates (RFC 7468 labels).

use super::{cert, KeyFormat, KeyMaterial, PublicKey};
use crate::der;
use crate::error::KeyError;

/// Every PEM block in a file, in order. Non-key blocks are refused, not skipped, so a
/// mistaken file never silently yields fewer keys than it seems to hold.
pub(super) fn parse_pem_file(bytes: &[u8], source: &str) -> Result<Vec<PublicKey>, KeyError> {
    let text = std::str::from_utf8(bytes).map_err(|_| KeyError::Pem("not UTF-8 text".into()))?;
    let mut keys = Vec::new();
    for block in pem_blocks(text) {
        let (label, der) = decode_block(block)?;
        keys.push(parse_labelled(label, &der, source)?);
    }
    if keys.is_empty() {
        return Err(KeyError::Pem("no complete PEM block found".into()));
    }
    Ok(keys)
}

/// One `-----BEGIN label-----` … `-----END label-----` block: its label and contents.
///
/// RFC 7468 §3's lax reading: base64 lines of any width, whitespace and CRLF ignored,
/// since tools wrap at 64 or 76 columns. RFC 1421 headers (`Proc-Type:`) mark encrypted
/// legacy keys and are refused.
fn decode_block(block: &str) -> Result<(&str, Vec<u8>), KeyError> {
    let bad = |why: &str| KeyError::Pem(why.to_string());
    let rest = block.strip_prefix("-----BEGIN ").ok_or_else(|| bad("no BEGIN line"))?;
    let (label, rest) = rest.split_once("-----").ok_or_else(|| bad("the BEGIN line does not end in -----"))?;
    let (body, end) = rest.split_once("-----END ").ok_or_else(|| bad("no END line"))?;
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
    let der = crate::signature::decode_base64(&base64).ok_or_else(|| bad("the contents are not valid base64"))?;
    Ok((label, der))
}

/// Split text into `-----BEGIN …----- … -----END …-----` blocks.
fn pem_blocks(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let Some(after) = rest.get(start..) else { break };
        let Some(end_marker) = after.find("-----END ") else { break };
        let Some(tail) = after.get(end_marker + 9..) else { break };
        let Some(close) = tail.find("-----") else { break };
        let len = end_marker + 9 + close + 5;
        if let Some(block) = after.get(..len) {
            out.push(block);
        }
        rest = after.get(len..).unwrap_or_default();
    }
    out
}

fn parse_labelled(label: &str, der: &[u8], source: &str) -> Result<PublicKey, KeyError> {
    match label {
        "PUBLIC KEY" => Ok(PublicKey::new(KeyMaterial::from_spki_der(der)?, KeyFormat::PemSpki, source)),
        "RSA PUBLIC KEY" => Ok(PublicKey::new(KeyMaterial::from_pkcs1_der(der)?, KeyFormat::PemPkcs1, source)),
        "CERTIFICATE" => cert::from_certificate_der(der, KeyFormat::PemCertificate, source),
        l if l.contains("PRIVATE KEY") => Err(KeyError::PrivateKey),
        other => Err(KeyError::UnsupportedPemLabel { label: other.to_string() }),
    }
}

/// Binary DER: a SubjectPublicKeyInfo or a certificate.
pub(super) fn parse_der(der: &[u8], source: &str) -> Result<Vec<PublicKey>, KeyError> {
    if let Ok(spki) = der::read_spki(der) {
        return Ok(vec![PublicKey::new(KeyMaterial::from_spki(spki)?, KeyFormat::DerSpki, source)]);
    }
    cert::from_certificate_der(der, KeyFormat::DerCertificate, source).map(|k| vec![k])
}
