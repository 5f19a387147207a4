//! X.509 certificates (RFC 5280 §4.1): the SubjectPublicKeyInfo is taken, and subject,
//! issuer, serial and validity are shown. No chain is built and no CA is trusted: the
//! auditor decides whether the certificate is the vendor's.
//!
//! Only the fields we use are decoded (with `der` derive); extensions are skipped as raw
//! DER. A full X.509 crate would add about 50 KB to the WASM build for nothing we show.

use der::asn1::{
    AnyRef, BitStringRef, GeneralizedTime, Ia5StringRef, ObjectIdentifier, PrintableStringRef, TeletexStringRef,
    UtcTime, Utf8StringRef,
};
use der::{Choice, Decode, Reader, Sequence, SliceReader, Tag, Tagged};
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

#[derive(Sequence)]
struct Certificate<'a> {
    tbs: TbsCertificate<'a>,
    _signature_algorithm: AnyRef<'a>,
    _signature: BitStringRef<'a>,
}

#[derive(Sequence)]
struct TbsCertificate<'a> {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    _version: Option<u8>,
    serial_number: AnyRef<'a>,
    _signature: AnyRef<'a>,
    issuer: AnyRef<'a>,
    validity: Validity,
    subject: AnyRef<'a>,
    subject_public_key_info: AnyRef<'a>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    _issuer_unique_id: Option<BitStringRef<'a>>,
    #[asn1(context_specific = "2", tag_mode = "IMPLICIT", optional = "true")]
    _subject_unique_id: Option<BitStringRef<'a>>,
    #[asn1(context_specific = "3", tag_mode = "EXPLICIT", optional = "true")]
    _extensions: Option<AnyRef<'a>>,
}

#[derive(Sequence)]
struct Validity {
    not_before: Time,
    not_after: Time,
}

#[derive(Choice)]
enum Time {
    #[asn1(type = "UTCTime")]
    Utc(UtcTime),
    #[asn1(type = "GeneralizedTime")]
    General(GeneralizedTime),
}

impl Time {
    fn timestamp(&self) -> Option<Timestamp> {
        let secs = match self {
            Time::Utc(t) => t.to_unix_duration().as_secs(),
            Time::General(t) => t.to_unix_duration().as_secs(),
        };
        Timestamp::from_unix(i64::try_from(secs).ok()?)
    }
}

#[derive(Sequence)]
struct AttributeTypeAndValue<'a> {
    oid: ObjectIdentifier,
    value: AnyRef<'a>,
}

pub(super) fn from_certificate_der(der: &[u8], format: KeyFormat, source: &str) -> Result<PublicKey, KeyError> {
    let bad = |e: der::Error| KeyError::Der { what: "X.509 certificate", detail: e.to_string() };
    let cert = Certificate::from_der(der).map_err(bad)?;
    let tbs = &cert.tbs;
    let spki = der::Encode::to_der(&tbs.subject_public_key_info).map_err(bad)?;
    let info = CertificateInfo {
        subject: distinguished_name(tbs.subject).map_err(bad)?,
        issuer: distinguished_name(tbs.issuer).map_err(bad)?,
        serial: crate::hash::hex_lower(tbs.serial_number.value()),
        not_before: tbs.validity.not_before.timestamp(),
        not_after: tbs.validity.not_after.timestamp(),
    };
    let mut key = PublicKey::new(KeyMaterial::from_spki_der(&spki)?, format, source)?;
    // The certificate's validity is the key's window (SPEC.md §11).
    key.valid_from = info.not_before;
    key.valid_until = info.not_after;
    key.certificate = Some(info);
    Ok(key)
}

/// RFC 4514 string of a Name (`SEQUENCE OF SET OF AttributeTypeAndValue`), most specific
/// RDN first. Well-known attributes get their short names; others print as `OID=#hex`.
fn distinguished_name(name: AnyRef<'_>) -> der::Result<String> {
    if name.tag() != Tag::Sequence {
        return Err(name.tag().unexpected_error(Some(Tag::Sequence)));
    }
    let mut rdns = Vec::new();
    let mut reader = SliceReader::new(name.value())?;
    while !reader.is_finished() {
        let set = AnyRef::decode(&mut reader)?;
        let mut atvs = Vec::new();
        let mut inner = SliceReader::new(set.value())?;
        while !inner.is_finished() {
            let atv = AttributeTypeAndValue::decode(&mut inner)?;
            atvs.push(attribute(&atv));
        }
        rdns.push(atvs.join("+"));
    }
    rdns.reverse();
    Ok(rdns.join(","))
}

fn attribute(atv: &AttributeTypeAndValue<'_>) -> String {
    let value = match atv.value.tag() {
        Tag::PrintableString => atv.value.decode_as::<PrintableStringRef<'_>>().ok().map(|s| s.as_str().to_string()),
        Tag::Utf8String => atv.value.decode_as::<Utf8StringRef<'_>>().ok().map(|s| s.as_str().to_string()),
        Tag::Ia5String => atv.value.decode_as::<Ia5StringRef<'_>>().ok().map(|s| s.as_str().to_string()),
        Tag::TeletexString => atv.value.decode_as::<TeletexStringRef<'_>>().ok().map(|s| s.as_str().to_string()),
        _ => None,
    };
    match (short_name(&atv.oid.to_string()), value) {
        (Some(key), Some(v)) => format!("{key}={}", escape_rfc4514(&v)),
        _ => format!("{}=#{}", atv.oid, crate::hash::hex_lower(&der::Encode::to_der(&atv.value).unwrap_or_default())),
    }
}

fn short_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "2.5.4.3" => "CN",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.9" => "STREET",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.5" => "SERIALNUMBER",
        "0.9.2342.19200300.100.1.25" => "DC",
        "0.9.2342.19200300.100.1.1" => "UID",
        "1.2.840.113549.1.9.1" => "EMAILADDRESS",
        _ => return None,
    })
}

/// Escape a value per RFC 4514 §2.4.
fn escape_rfc4514(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let last = v.chars().count().saturating_sub(1);
    for (i, c) in v.chars().enumerate() {
        match c {
            '#' if i == 0 => out.push_str("\\#"),
            ' ' if i == 0 || i == last => out.push_str("\\ "),
            '"' | '+' | ',' | ';' | '<' | '>' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if u32::from(c) < 0x20 || c == '\x7f' => out.push_str(&format!("\\{:02x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn escapes_per_rfc_4514() {
        assert_eq!(escape_rfc4514(" a,b+c "), "\\ a\\,b\\+c\\ ");
        assert_eq!(escape_rfc4514("#x"), "\\#x");
    }
}
