//! X.509 certificates (RFC 5280 §4.1): the SubjectPublicKeyInfo is taken, and subject,
//! issuer, serial and validity are shown. No chain is built and no CA is trusted: the
//! auditor decides whether the certificate is the vendor's.
//!
//! Only the fields we use are read, by walking the DER elements with one `der` slice
//! reader: a `der` derive (or a full X.509 crate) monomorphises a decoder per nested type,
//! which costs the WASM build 10–50 KB for nothing we show.

use der::asn1::{AnyRef, ObjectIdentifier};
use der::{Decode, Reader, SliceReader, Tag, TagNumber, Tagged};
use serde::Serialize;

use super::{KeyFormat, KeyMaterial, PublicKey};
use crate::error::KeyError;
use crate::timestamp::{Civil, Timestamp};

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

/// The elements of a constructed value, in order.
fn elements(value: AnyRef<'_>, expected: Tag) -> der::Result<Vec<AnyRef<'_>>> {
    value.tag().assert_eq(expected)?;
    let mut reader = SliceReader::new(value.value())?;
    let mut out = Vec::new();
    while !reader.is_finished() {
        out.push(AnyRef::decode(&mut reader)?);
    }
    Ok(out)
}

/// Takes the next element if it has the tag `expected`, else fails naming both tags.
fn next<'a>(items: &mut std::vec::IntoIter<AnyRef<'a>>, expected: Tag) -> der::Result<AnyRef<'a>> {
    let item = items.next().ok_or_else(|| {
        der::Error::from(der::ErrorKind::Incomplete { expected_len: der::Length::ONE, actual_len: der::Length::ZERO })
    })?;
    item.tag().assert_eq(expected)?;
    Ok(item)
}

/// `Time ::= UTCTime | GeneralizedTime` in the forms RFC 5280 §4.1.2.5 allows:
/// `YYMMDDHHMMSSZ` (years 1950–2049) and `YYYYMMDDHHMMSSZ`. Read with [`Timestamp`]'s
/// calendar, not `der`'s date types, which cost the WASM build about 1 KB gzipped; a test
/// compares the two.
fn time(value: AnyRef<'_>) -> der::Result<Option<Timestamp>> {
    let b = value.value();
    let digits = |from: usize, len: usize| -> Option<u32> {
        b.get(from..from + len)?.iter().try_fold(0u32, |n, d| d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0')))
    };
    let (year, rest) = match (value.tag(), b.len()) {
        (Tag::UtcTime, 13) => digits(0, 2).map(|y| (if y >= 50 { 1900 + y } else { 2000 + y }, 2)),
        (Tag::GeneralizedTime, 15) => digits(0, 4).map(|y| (y, 4)),
        (Tag::UtcTime | Tag::GeneralizedTime, _) => None,
        (tag, _) => return Err(tag.unexpected_error(Some(Tag::UtcTime))),
    }
    .ok_or_else(|| der::Error::from(der::ErrorKind::DateTime))?;
    let civil = (|| {
        if b.last() != Some(&b'Z') {
            return None;
        }
        Some(Civil {
            year: i64::from(year),
            month: digits(rest, 2)?,
            day: digits(rest + 2, 2)?,
            hour: digits(rest + 4, 2)?,
            minute: digits(rest + 6, 2)?,
            second: digits(rest + 8, 2)?,
            nanosecond: 0,
        })
    })();
    let t = civil.and_then(Timestamp::from_civil).ok_or_else(|| der::Error::from(der::ErrorKind::DateTime))?;
    Ok(Some(t))
}

pub(super) fn from_certificate_der(der: &[u8], format: KeyFormat, source: &str) -> Result<PublicKey, KeyError> {
    let bad = |e: der::Error| KeyError::Der { what: "X.509 certificate", detail: e.to_string() };
    let (info, spki) = read_certificate(der).map_err(bad)?;
    let mut key = PublicKey::new(KeyMaterial::from_spki_der(&spki)?, format, source)?;
    // The certificate's validity is the key's window (SPEC.md §11).
    key.valid_from = info.not_before;
    key.valid_until = info.not_after;
    key.certificate = Some(info);
    Ok(key)
}

/// `Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signature }`; returns
/// what we show and the SubjectPublicKeyInfo DER.
fn read_certificate(der: &[u8]) -> der::Result<(CertificateInfo, Vec<u8>)> {
    let cert = elements(AnyRef::from_der(der)?, Tag::Sequence)?;
    let [tbs, algorithm, signature] = <[AnyRef<'_>; 3]>::try_from(cert)
        .map_err(|_| der::Error::from(der::ErrorKind::Length { tag: Tag::Sequence }))?;
    algorithm.tag().assert_eq(Tag::Sequence)?;
    signature.tag().assert_eq(Tag::BitString)?;

    let mut tbs = elements(tbs, Tag::Sequence)?.into_iter().peekable();
    // version [0] EXPLICIT is optional (absent means v1).
    let version = Tag::ContextSpecific { constructed: true, number: TagNumber::N0 };
    if tbs.peek().map(|item| item.tag()) == Some(version) {
        tbs.next();
    }
    let mut tbs: std::vec::IntoIter<AnyRef<'_>> = tbs.collect::<Vec<_>>().into_iter();
    let serial = next(&mut tbs, Tag::Integer)?;
    next(&mut tbs, Tag::Sequence)?; // signature algorithm
    let issuer = next(&mut tbs, Tag::Sequence)?;
    let validity = elements(next(&mut tbs, Tag::Sequence)?, Tag::Sequence)?;
    let subject = next(&mut tbs, Tag::Sequence)?;
    let spki = next(&mut tbs, Tag::Sequence)?;
    // issuerUniqueID [1], subjectUniqueID [2] and extensions [3] follow; none is shown.

    let [not_before, not_after] = <[AnyRef<'_>; 2]>::try_from(validity)
        .map_err(|_| der::Error::from(der::ErrorKind::Length { tag: Tag::Sequence }))?;
    let info = CertificateInfo {
        subject: distinguished_name(subject)?,
        issuer: distinguished_name(issuer)?,
        serial: crate::hash::hex_lower(serial.value()),
        not_before: time(not_before)?,
        not_after: time(not_after)?,
    };
    Ok((info, der::Encode::to_der(&spki)?))
}

/// RFC 4514 string of a Name (`SEQUENCE OF SET OF AttributeTypeAndValue`), most specific
/// RDN first. Well-known attributes get their short names; others print as `OID=#hex`.
fn distinguished_name(name: AnyRef<'_>) -> der::Result<String> {
    let mut rdns = Vec::new();
    for set in elements(name, Tag::Sequence)? {
        let mut atvs = Vec::new();
        for atv in elements(set, Tag::Set)? {
            let [oid, value] = <[AnyRef<'_>; 2]>::try_from(elements(atv, Tag::Sequence)?)
                .map_err(|_| der::Error::from(der::ErrorKind::Length { tag: Tag::Sequence }))?;
            atvs.push(attribute(oid.decode_as::<ObjectIdentifier>()?, value));
        }
        rdns.push(atvs.join("+"));
    }
    rdns.reverse();
    Ok(rdns.join(","))
}

fn attribute(oid: ObjectIdentifier, value: AnyRef<'_>) -> String {
    // Shown, not checked: the bytes of the usual string types read as text (TeletexString
    // as Latin-1), anything else as `#hex` below.
    let text = match value.tag() {
        Tag::PrintableString | Tag::Utf8String | Tag::Ia5String => {
            std::str::from_utf8(value.value()).ok().map(str::to_string)
        }
        Tag::TeletexString => Some(value.value().iter().map(|&c| char::from(c)).collect()),
        _ => None,
    };
    match (short_name(&oid.to_string()), text) {
        (Some(key), Some(v)) => format!("{key}={}", escape_rfc4514(&v)),
        _ => format!("{oid}=#{}", crate::hash::hex_lower(&der::Encode::to_der(&value).unwrap_or_default())),
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

    /// The hand-read certificate times agree with `der`'s UTCTime and GeneralizedTime.
    #[test]
    fn times_agree_with_der() {
        use der::asn1::{GeneralizedTime, UtcTime};
        use der::Encode;
        let mut compared = 0;
        for secs in (0u64..4_102_444_800).step_by(7_777_777).chain([0, 946_684_799, 2_524_607_999, 2_524_608_000]) {
            let d = std::time::Duration::from_secs(secs);
            let g = GeneralizedTime::from_unix_duration(d).unwrap().to_der().unwrap();
            let any = AnyRef::from_der(&g).unwrap();
            assert_eq!(time(any).unwrap().map(|t| t.unix_seconds()), Some(secs as i64), "GeneralizedTime {secs}");
            if let Ok(u) = UtcTime::from_unix_duration(d) {
                let u = u.to_der().unwrap();
                let any = AnyRef::from_der(&u).unwrap();
                assert_eq!(time(any).unwrap().map(|t| t.unix_seconds()), Some(secs as i64), "UTCTime {secs}");
                compared += 1;
            }
            compared += 1;
        }
        assert!(compared > 800, "{compared}");
        for bad in [&b"\x17\x0d260230120000Z"[..], b"\x17\x0d260228120000X", b"\x18\x0d260228120000Z"] {
            let any = AnyRef::from_der(bad).unwrap();
            assert!(time(any).is_err(), "{bad:?}");
        }
    }
}
