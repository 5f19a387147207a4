//! X.509 certificates (RFC 5280 §4.1): the SubjectPublicKeyInfo is taken, and subject,
//! issuer, serial and validity are shown. No chain is built and no CA is trusted: the
//! auditor decides whether the certificate is the vendor's.
//!
//! Only the fields we use are read, by walking the DER elements with [`crate::der`]: a
//! full X.509 crate monomorphises a decoder per nested type, which costs the WASM build
//! 10–50 KB for nothing we show.

use serde::Serialize;

use super::{KeyFormat, KeyMaterial, PublicKey};
use crate::der::{self, tag, DerError, Problem, Tlv};
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
    /// Serial number as `openssl x509 -serial` prints it (lower case here): the hex of its
    /// magnitude in whole bytes, without DER's sign byte, `-` before a negative one.
    pub serial: String,
    /// notBefore.
    pub not_before: Option<Timestamp>,
    /// notAfter.
    pub not_after: Option<Timestamp>,
}

/// `Time ::= UTCTime | GeneralizedTime` in the forms RFC 5280 §4.1.2.5 allows:
/// `YYMMDDHHMMSSZ` (years 1950–2049) and `YYYYMMDDHHMMSSZ`. Read with [`Timestamp`]'s
/// calendar; a test compares it with the `der` crate's date types.
fn time(value: Tlv<'_>) -> Result<Timestamp, DerError> {
    let b = value.value;
    let digits = |from: usize, len: usize| -> Option<u32> {
        b.get(from..from + len)?.iter().try_fold(0u32, |n, d| d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0')))
    };
    let (year, rest) = match (value.tag, b.len()) {
        (tag::UTC_TIME, 13) => digits(0, 2).map(|y| (if y >= 50 { 1900 + y } else { 2000 + y }, 2)),
        (tag::GENERALIZED_TIME, 15) => digits(0, 4).map(|y| (y, 4)),
        (tag::UTC_TIME | tag::GENERALIZED_TIME, _) => None,
        (actual, _) => {
            return Err(value.error(Problem::UnexpectedTag { expected: tag::UTC_TIME, actual }));
        }
    }
    .ok_or_else(|| value.error(Problem::BadTime))?;
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
    civil.and_then(Timestamp::from_civil).ok_or_else(|| value.error(Problem::BadTime))
}

/// The certificate's key, and why it cannot verify when its keyUsage forbids signatures:
/// the key is still read, so that restriction and the certificate's window hold for
/// every other copy of the same key (v1.1).
pub(super) fn from_certificate_der(
    der: &[u8],
    format: KeyFormat,
    source: &str,
) -> Result<(PublicKey, Option<KeyError>), KeyError> {
    let (info, spki, usage) = read_certificate(der).map_err(super::material::malformed("X.509 certificate"))?;
    // RFC 5280 §4.2.1.3: when keyUsage is present, a signature key asserts digitalSignature.
    let unusable = (usage == KeyUsage::WithoutDigitalSignature).then(|| KeyError::CannotVerify {
        place: format!("certificate {}", crate::text::q(&info.subject)),
        reason: "its keyUsage lacks digitalSignature, so its key is not for signatures".into(),
    });
    let material = match KeyMaterial::from_spki_der(spki) {
        Ok(material) => material,
        Err(e) => return Err(unusable.unwrap_or(e)),
    };
    let mut key = PublicKey::from_file_spki(material, format, source, spki);
    // The certificate's validity is the key's window (SPEC.md §11).
    key.valid_from = info.not_before;
    key.valid_until = info.not_after;
    key.certificate = Some(info);
    if let Some(reason) = &unusable {
        super::file::mark_not_for_signatures(&mut key, reason);
    }
    Ok((key, unusable))
}

/// What a certificate's keyUsage extension (2.5.29.15) says about signatures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum KeyUsage {
    /// No keyUsage extension: any use (RFC 5280 §4.2.1.3).
    Absent,
    /// digitalSignature (bit 0) is set.
    DigitalSignature,
    /// The extension is present without digitalSignature.
    WithoutDigitalSignature,
}

/// Tags of the extensions part, beyond those [`der::tag`] names.
const BOOLEAN: u8 = 0x01;
const OCTET_STRING: u8 = 0x04;
/// `[3] EXPLICIT Extensions` in TBSCertificate.
const CONTEXT_3: u8 = 0xa3;
/// id-ce-keyUsage, 2.5.29.15.
const KEY_USAGE_OID: &[u8] = &[0x55, 0x1d, 0x0f];

/// `extensions [3] EXPLICIT SEQUENCE OF Extension` (RFC 5280 §4.1): the keyUsage bits.
/// (v1.1) An OID that appears twice is refused (RFC 5280 §4.2: "MUST NOT include more
/// than one instance of a particular extension"): with two keyUsage extensions, which one
/// holds would depend on the reader.
fn key_usage(extensions: Tlv<'_>) -> Result<KeyUsage, DerError> {
    let mut list = extensions.children().expect(tag::SEQUENCE)?.children();
    let mut seen = std::collections::BTreeSet::new();
    let mut usage = KeyUsage::Absent;
    while let Some(ext) = list.next_tlv()? {
        let at = ext.error(Problem::DuplicateExtension);
        let mut ext = ext.expect(tag::SEQUENCE)?.children();
        let oid = ext.expect(tag::OID)?;
        let mut value = ext.required(OCTET_STRING)?;
        if value.tag == BOOLEAN {
            value = ext.expect(OCTET_STRING)?;
        }
        let value = value.expect(OCTET_STRING)?;
        ext.finish()?;
        if !seen.insert(oid.value) {
            return Err(at);
        }
        if oid.value != KEY_USAGE_OID {
            continue;
        }
        // KeyUsage ::= BIT STRING: first octet is the count of unused bits; bit 0
        // (digitalSignature) is the high bit of the next octet.
        let bits = der::single(value.value, tag::BIT_STRING)?;
        let signs = matches!(bits.value, [unused, first, ..] if *unused < 8 && first & 0x80 != 0);
        usage = if signs { KeyUsage::DigitalSignature } else { KeyUsage::WithoutDigitalSignature };
    }
    Ok(usage)
}

/// `Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signature }`; returns
/// what we show, the SubjectPublicKeyInfo DER and the keyUsage.
fn read_certificate(data: &[u8]) -> Result<(CertificateInfo, &[u8], KeyUsage), DerError> {
    let mut cert = der::single(data, tag::SEQUENCE)?.children();
    let tbs = cert.expect(tag::SEQUENCE)?;
    cert.expect(tag::SEQUENCE)?; // signatureAlgorithm
    cert.expect(tag::BIT_STRING)?; // signature
    cert.finish()?;

    let mut tbs = tbs.children();
    // version [0] EXPLICIT is optional (absent means v1).
    if tbs.peek_tag() == Some(tag::CONTEXT_0) {
        tbs.next_tlv()?;
    }
    let serial = tbs.expect(tag::INTEGER)?;
    tbs.expect(tag::SEQUENCE)?; // signature algorithm
    let issuer = tbs.expect(tag::SEQUENCE)?;
    let mut validity = tbs.expect(tag::SEQUENCE)?.children();
    let subject = tbs.expect(tag::SEQUENCE)?;
    let spki = tbs.expect(tag::SEQUENCE)?;
    // issuerUniqueID [1] and subjectUniqueID [2] may follow; extensions [3] are read for
    // keyUsage and are the last field (RFC 5280 §4.1): a second extensions field used to
    // replace the first one's keyUsage, so a certificate whose keyUsage forbids signatures
    // (as OpenSSL reads it) could sign receipts (red team 7).
    let mut usage = KeyUsage::Absent;
    while let Some(field) = tbs.next_tlv()? {
        if field.tag == CONTEXT_3 {
            usage = key_usage(field)?;
            tbs.finish()?;
        }
    }

    let not_before = time(validity.required(tag::UTC_TIME)?)?;
    let not_after = time(validity.required(tag::UTC_TIME)?)?;
    validity.finish()?;
    let info = CertificateInfo {
        subject: distinguished_name(subject)?,
        issuer: distinguished_name(issuer)?,
        // Minimal DER (red team 12: `00 01` showed as `01` and an empty serial as `00`,
        // where OpenSSL refuses the certificate). Negative serials are kept: RFC 5280
        // forbids them, OpenSSL reads them.
        serial: serial_text(serial.integer()?),
        not_before: Some(not_before),
        not_after: Some(not_after),
    };
    Ok((info, spki.raw, usage))
}

/// The serial as OpenSSL prints it, so an auditor can compare the two: DER adds a `00`
/// byte before a positive number whose top bit is set (`00c2…` is `c2…`), and a negative
/// number (which RFC 5280 forbids, but certificates carry) is shown as `-` and its
/// magnitude. OpenSSL's random 159-bit serials need that byte about once in 256.
fn serial_text(der_integer: &[u8]) -> String {
    let negative = der_integer.first().is_some_and(|b| b & 0x80 != 0);
    let mut magnitude = der_integer.to_vec();
    if negative {
        // Two's complement: invert, then add one from the last byte up.
        magnitude.iter_mut().for_each(|b| *b = !*b);
        for b in magnitude.iter_mut().rev() {
            let (sum, carry) = b.overflowing_add(1);
            *b = sum;
            if !carry {
                break;
            }
        }
    }
    let zeros = magnitude.iter().take_while(|&&b| b == 0).count().min(magnitude.len().saturating_sub(1));
    let hex = crate::hash::hex_lower(magnitude.get(zeros..).unwrap_or_default());
    match (negative, hex.is_empty()) {
        (true, _) => format!("-{hex}"),
        (false, true) => "00".to_owned(),
        (false, false) => hex,
    }
}

/// RFC 4514 string of a Name (`SEQUENCE OF SET OF AttributeTypeAndValue`), most specific
/// RDN first. Well-known attributes get their short names; others print as `OID=#hex`.
fn distinguished_name(name: Tlv<'_>) -> Result<String, DerError> {
    let mut rdns = Vec::new();
    let mut sets = name.children();
    while let Some(set) = sets.next_tlv()? {
        let mut atvs = Vec::new();
        let mut items = set.expect(tag::SET)?.children();
        while let Some(atv) = items.next_tlv()? {
            let mut pair = atv.expect(tag::SEQUENCE)?.children();
            let oid = pair.expect(tag::OID)?;
            let value = pair.required(tag::UTF8_STRING)?;
            pair.finish()?;
            atvs.push(attribute(&der::dotted_oid(oid)?, value));
        }
        rdns.push(atvs.join("+"));
    }
    rdns.reverse();
    Ok(rdns.join(","))
}

fn attribute(oid: &str, value: Tlv<'_>) -> String {
    // Shown, not checked: the bytes of the usual string types read as text (TeletexString
    // as Latin-1), anything else as `#hex` below.
    let text = match value.tag {
        tag::PRINTABLE_STRING | tag::UTF8_STRING | tag::IA5_STRING => {
            std::str::from_utf8(value.value).ok().map(str::to_string)
        }
        tag::TELETEX_STRING => Some(value.value.iter().map(|&c| char::from(c)).collect()),
        _ => None,
    };
    match (short_name(oid), text) {
        (Some(key), Some(v)) => format!("{key}={}", escape_rfc4514(&v)),
        _ => format!("{oid}=#{}", crate::hash::hex_lower(value.raw)),
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

    /// As `openssl x509 -serial` prints each (`-set_serial` 0, 1, 128, 256, -1, -128, -129).
    #[test]
    fn serial_reads_as_openssl_prints_it() {
        let cases: [(&[u8], &str); 8] = [
            (&[0], "00"),
            (&[1], "01"),
            (&[0, 0x80], "80"),
            (&[1, 0], "0100"),
            (&[0xff], "-01"),
            (&[0x80], "-80"),
            (&[0xff, 0x7f], "-81"),
            (&[0, 0xc2, 0x61], "c261"),
        ];
        for (der, shown) in cases {
            assert_eq!(serial_text(der), shown, "{der:02x?}");
            let tlv = [&[tag::INTEGER, der.len() as u8][..], der].concat();
            assert_eq!(der::single(&tlv, tag::INTEGER).unwrap().integer(), Ok(der), "{der:02x?} is DER");
        }
        for bad in [&[][..], &[0, 1], &[0, 0], &[0, 0, 0x80], &[0xff, 0xff, 1], &[0xff, 0x80]] {
            let tlv = [&[tag::INTEGER, bad.len() as u8][..], bad].concat();
            let refused = der::single(&tlv, tag::INTEGER).unwrap().integer().unwrap_err();
            assert_eq!(refused.problem, Problem::BadInteger, "{bad:02x?}");
        }
    }

    /// The hand-read certificate times agree with `der`'s UTCTime and GeneralizedTime.
    #[test]
    fn times_agree_with_der() {
        use ::der::asn1::{GeneralizedTime, UtcTime};
        use ::der::Encode;
        let read = |encoded: &[u8]| time(der::single(encoded, encoded[0]).unwrap()).map(|t| t.unix_seconds());
        let mut compared = 0;
        for secs in (0u64..4_102_444_800).step_by(7_777_777).chain([0, 946_684_799, 2_524_607_999, 2_524_608_000]) {
            let d = std::time::Duration::from_secs(secs);
            let g = GeneralizedTime::from_unix_duration(d).unwrap().to_der().unwrap();
            assert_eq!(read(&g), Ok(secs as i64), "GeneralizedTime {secs}");
            if let Ok(u) = UtcTime::from_unix_duration(d) {
                assert_eq!(read(&u.to_der().unwrap()), Ok(secs as i64), "UTCTime {secs}");
                compared += 1;
            }
            compared += 1;
        }
        assert!(compared > 800, "{compared}");
        for bad in [&b"\x17\x0d260230120000Z"[..], b"\x17\x0d260228120000X", b"\x18\x0d260228120000Z"] {
            assert!(read(bad).is_err(), "{bad:?}");
        }
    }

    /// A certificate built here is read field by field; then every one-byte change and
    /// every truncation is read or refused, never a panic.
    #[test]
    fn a_certificate_is_read_and_damage_never_panics() {
        use crate::der::{p256_spki, push_tlv};
        let tlv = |t: u8, parts: &[&[u8]]| {
            let mut out = Vec::new();
            push_tlv(&mut out, t, &parts.concat());
            out
        };
        let atv = |oid: &[u8], v: &str| {
            let pair = tlv(tag::SEQUENCE, &[&tlv(tag::OID, &[oid]), &tlv(tag::UTF8_STRING, &[v.as_bytes()])]);
            tlv(tag::SET, &[&pair])
        };
        let name = |cn: &str| tlv(tag::SEQUENCE, &[&atv(&[0x55, 4, 10], "Example"), &atv(&[0x55, 4, 3], cn)]);
        // The P-256 generator is a valid public key.
        let hex = |s: &str| {
            (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect::<Vec<u8>>()
        };
        let point = hex(concat!(
            "04",
            "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
            "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"
        ));
        let alg = tlv(tag::SEQUENCE, &[&tlv(tag::OID, &[&[0x2a, 0x86, 0x48, 0xce, 0x3d, 4, 3, 2]])]);
        let validity = tlv(
            tag::SEQUENCE,
            &[&tlv(tag::UTC_TIME, &[b"260101000000Z"]), &tlv(tag::GENERALIZED_TIME, &[b"20270101000000Z"])],
        );
        let tbs = tlv(
            tag::SEQUENCE,
            &[
                &tlv(tag::CONTEXT_0, &[&tlv(tag::INTEGER, &[&[2]])]),
                &tlv(tag::INTEGER, &[&[0x01, 0x02]]),
                &alg,
                &name("Issuer CA"),
                &validity,
                &name("audit, signer"),
                &p256_spki(&point),
            ],
        );
        let cert = tlv(tag::SEQUENCE, &[&tbs, &alg, &tlv(tag::BIT_STRING, &[&[0, 1, 2, 3]])]);
        let (key, unusable) = from_certificate_der(&cert, KeyFormat::DerCertificate, "c.der").unwrap();
        assert!(unusable.is_none(), "no keyUsage: any use");
        let info = key.certificate.clone().unwrap();
        assert_eq!(info.subject, "CN=audit\\, signer,O=Example");
        assert_eq!(info.issuer, "CN=Issuer CA,O=Example");
        assert_eq!(info.serial, "0102");
        assert_eq!(key.valid_from.map(|t| t.unix_seconds()), Some(1_767_225_600));
        assert_eq!(key.valid_until.map(|t| t.unix_seconds()), Some(1_798_761_600));
        assert_eq!(key.spki_der, p256_spki(&point));

        let (mut read, mut refused) = (0, 0);
        let mut judge = |bytes: &[u8]| match from_certificate_der(bytes, KeyFormat::DerCertificate, "c.der") {
            Ok(_) => read += 1,
            Err(e) => {
                assert!(!e.to_string().is_empty());
                refused += 1;
            }
        };
        for i in 0..cert.len() {
            for flip in [0x01, 0x80, 0xff] {
                let mut damaged = cert.clone();
                damaged[i] ^= flip;
                judge(&damaged);
            }
            judge(&cert[..i]);
        }
        assert_eq!(read + refused, cert.len() * 4);
        assert!(read > 0 && refused > 0, "{read} read, {refused} refused");
    }
}
