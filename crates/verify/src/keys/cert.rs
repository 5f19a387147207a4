//! X.509 certificates: the SubjectPublicKeyInfo is taken, and subject, issuer and
//! validity are shown. No chain is built and no CA is trusted: the auditor decides
//! whether the certificate is the vendor's.

use der::{Decode, Encode};
use serde::Serialize;

use super::{KeyFormat, KeyMaterial, PublicKey};
use crate::error::KeyError;
use crate::timestamp::Timestamp;

/// What the report shows about a certificate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificateInfo {
    /// Subject DN (RFC 4514 string).
    pub subject: String,
    /// Issuer DN.
    pub issuer: String,
    /// Serial number, hex.
    pub serial: String,
    /// notBefore.
    pub not_before: Option<Timestamp>,
    /// notAfter.
    pub not_after: Option<Timestamp>,
}

pub(super) fn from_certificate_der(der: &[u8], format: KeyFormat, source: &str) -> Result<PublicKey, KeyError> {
    let cert = x509_cert::Certificate::from_der(der)
        .map_err(|e| KeyError::Der { what: "X.509 certificate", detail: e.to_string() })?;
    let tbs = &cert.tbs_certificate;
    let spki = tbs
        .subject_public_key_info
        .to_der()
        .map_err(|e| KeyError::Der { what: "certificate SubjectPublicKeyInfo", detail: e.to_string() })?;
    let to_ts =
        |t: x509_cert::time::Time| i64::try_from(t.to_unix_duration().as_secs()).ok().and_then(Timestamp::from_unix);
    let info = CertificateInfo {
        subject: tbs.subject.to_string(),
        issuer: tbs.issuer.to_string(),
        serial: crate::hash::hex_lower(tbs.serial_number.as_bytes()),
        not_before: to_ts(tbs.validity.not_before),
        not_after: to_ts(tbs.validity.not_after),
    };
    let mut key = PublicKey::new(KeyMaterial::from_spki_der(&spki)?, format, source)?;
    // The certificate's validity is the key's window (SPEC.md, "Key windows").
    key.valid_from = info.not_before;
    key.valid_until = info.not_after;
    key.certificate = Some(info);
    Ok(key)
}
