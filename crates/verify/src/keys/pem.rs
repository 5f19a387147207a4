//! PEM and DER key files: SubjectPublicKeyInfo, PKCS#1 `RSA PUBLIC KEY` and X.509
//! certificates (RFC 7468 labels).

use der::Decode;
use pkcs1::DecodeRsaPublicKey;

use super::{cert, KeyFormat, KeyMaterial, PublicKey};
use crate::error::KeyError;

/// Every PEM block in a file, in order. Non-key blocks are refused, not skipped, so a
/// mistaken file never silently yields fewer keys than it seems to hold.
pub(super) fn parse_pem_file(bytes: &[u8], source: &str) -> Result<Vec<PublicKey>, KeyError> {
    let text = std::str::from_utf8(bytes).map_err(|_| KeyError::Pem("not UTF-8 text".into()))?;
    let mut keys = Vec::new();
    for block in pem_blocks(text) {
        let (label, der) = der::pem::decode_vec(block.as_bytes()).map_err(|e| KeyError::Pem(e.to_string()))?;
        keys.push(parse_labelled(label, &der, source)?);
    }
    if keys.is_empty() {
        return Err(KeyError::Pem("no complete PEM block found".into()));
    }
    Ok(keys)
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
        "PUBLIC KEY" => PublicKey::new(KeyMaterial::from_spki_der(der)?, KeyFormat::PemSpki, source),
        "RSA PUBLIC KEY" => {
            let key = rsa::RsaPublicKey::from_pkcs1_der(der)
                .map_err(|e| KeyError::Der { what: "PKCS#1 RSAPublicKey", detail: e.to_string() })?;
            PublicKey::new(KeyMaterial::rsa(key)?, KeyFormat::PemPkcs1, source)
        }
        "CERTIFICATE" => cert::from_certificate_der(der, KeyFormat::PemCertificate, source),
        l if l.contains("PRIVATE KEY") => Err(KeyError::PrivateKey),
        other => Err(KeyError::UnsupportedPemLabel { label: other.to_string() }),
    }
}

/// Binary DER: a SubjectPublicKeyInfo or a certificate.
pub(super) fn parse_der(der: &[u8], source: &str) -> Result<Vec<PublicKey>, KeyError> {
    if spki::SubjectPublicKeyInfoRef::from_der(der).is_ok() {
        return Ok(vec![PublicKey::new(KeyMaterial::from_spki_der(der)?, KeyFormat::DerSpki, source)?]);
    }
    cert::from_certificate_der(der, KeyFormat::DerCertificate, source).map(|k| vec![k])
}
