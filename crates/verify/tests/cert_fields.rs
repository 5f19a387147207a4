//! Red team 7: the fields after a certificate's SubjectPublicKeyInfo (RFC 5280 §4.1).
//! A second `extensions [3]` field used to be read after the first, so a certificate
//! whose keyUsage forbids signatures (as OpenSSL reads it) could sign receipts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use receipt_verify::parse_key_file;

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/keys/", $name))
    };
}

/// The example audit key in a certificate with keyUsage keyEncipherment only: refused
/// (its one key is not for signatures).
#[test]
fn encipher_only_certificate_is_refused() {
    let e = parse_key_file(fixture!("cert-encipher-only.pem"), "enc.pem").unwrap_err().to_string();
    assert!(e.contains("keyUsage lacks digitalSignature"), "{e}");
}

/// The same certificate with a second extensions field (keyUsage digitalSignature)
/// appended to the TBSCertificate: OpenSSL cannot read it; it is refused, never read as
/// a signing key.
#[test]
fn a_second_extensions_field_is_refused() {
    let e = parse_key_file(fixture!("cert-two-extensions.pem"), "two.pem").unwrap_err().to_string();
    assert!(e.contains("bytes after the end of the structure"), "{e}");
}

/// Positive control: keyUsage digitalSignature in one extensions field is a usable key.
#[test]
fn a_signing_certificate_is_read() {
    let file = parse_key_file(fixture!("cert-sign-only.pem"), "sign.pem").unwrap();
    assert_eq!(file.keys.len(), 1);
    assert!(file.skipped.is_empty());
}
