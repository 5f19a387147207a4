//! Red team 7, findings 02 and 03 (v1.1): what one copy of a key says holds for every
//! copy. A JWK's `alg` restricts the key by fingerprint, and a JWK's `x5c` certificate is
//! read as a copy of its key (RFC 7517 §4.7).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use super::review::{audit_edited, load};
use super::*;
use receipt_verify::{ids, parse_key_file, KeyFile, Verdict, Verification};

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/keys/", $name))
    };
}

/// The audit key in certificates (OpenSSL 3.0): keyUsage digitalSignature, valid in 2026;
/// keyEncipherment only; digitalSignature but valid in 2025 only. And another key's.
const SIGNS_2026: &str = fixture!("cert-sign-only.pem");
const ENCIPHERS: &str = fixture!("cert-encipher-only.pem");
const SIGNS_2025: &str = fixture!("cert-2025.pem");
const OTHER_KEY: &str = fixture!("cert-sign.pem");

/// A certificate's base64 DER, as `x5c` holds it: the PEM body on one line.
fn x5c_of(pem: &str) -> String {
    pem.lines().filter(|l| !l.starts_with("-----")).collect()
}

fn verify_demo(all: KeyFile, with_approvals: bool) -> receipt_verify::Report {
    let mut files = vec![receipt_verify::InputFile::new("receipts.jsonl", RECEIPTS.as_bytes().to_vec())];
    if with_approvals {
        files.push(receipt_verify::InputFile::new("approvals.json", APPROVALS.as_bytes().to_vec()));
    }
    let mut v = Verification::new(all.keys, &files);
    v.note_skipped_keys(&all.skipped);
    v.finish_with(&receipt_verify::RustCryptoBackend)
}

/// The demo receipts re-sealed under a kid no JWK has: the kid-less PEM is selected.
fn receipts_for_the_pem() -> String {
    let mut chain = receipts();
    for r in &mut chain {
        r.insert("kid".into(), json!("vendor-audit-key"));
    }
    reseal_chain(&mut chain);
    jsonl(&chain)
}

fn verify_with_pem(jwks: &str) -> receipt_verify::Report {
    let all = load(&[("jwks.json", jwks), ("pub.pem", PUB_PEM)]);
    let files = [receipt_verify::InputFile::new("receipts.jsonl", receipts_for_the_pem().into_bytes())];
    let mut v = Verification::new(all.keys, &files);
    v.note_skipped_keys(&all.skipped);
    v.finish_with(&receipt_verify::RustCryptoBackend)
}

#[test]
fn a_jwk_alg_restricts_a_kid_less_pem_of_the_same_key() {
    // Control: the audit JWK says RS256, the receipts are RS256: the PEM copy verifies.
    let report = verify_with_pem(JWKS);
    assert_eq!(report.verdict(), Verdict::Verified);
    // The JWK says PS256 only: its PEM copy no longer verifies RS256 receipts.
    let ps256 = audit_edited(|k| {
        k.insert("alg".into(), json!("PS256"));
    });
    let report = verify_with_pem(&ps256);
    assert_fails(&report, &[ids::RECEIPT_ALG, ids::VERDICT_SIGNATURE]);
    let fail = report.failures().next().unwrap();
    assert!(fail.message.contains("restricted to PS256 by the JWK alg of kid"), "{}", fail.message);
    assert_eq!(fail.expected.as_deref(), Some("PS256"));
    // In either file order.
    let all = load(&[("pub.pem", PUB_PEM), ("jwks.json", &ps256)]);
    let pem = all.keys[0].fingerprint;
    let audit: Vec<_> = all.keys.iter().filter(|k| k.fingerprint == pem).collect();
    assert_eq!(audit.len(), 2);
    assert!(audit.iter().all(|k| k.alg == Some(receipt_verify::Alg::Ps256)), "every copy is PS256-only");
}

#[test]
fn copies_that_name_different_algs_allow_none() {
    // The same audit key again, kid "other", alg PS256: the receipts select the RS256
    // entry by kid, and fail, because the key's copies disagree.
    let mut other: Value = serde_json::from_str(JWKS).unwrap();
    let mut copy = other["keys"][0].take();
    copy["kid"] = json!("other");
    copy["alg"] = json!("PS256");
    let copy = json!({ "keys": [copy] }).to_string();
    for order in [[("jwks.json", JWKS), ("other.json", &copy)], [("other.json", &copy), ("jwks.json", JWKS)]] {
        let report = verify_demo(load(&order), false);
        assert_fails(&report, &[ids::RECEIPT_ALG, ids::VERDICT_SIGNATURE]);
        let fail = report.failures().next().unwrap();
        assert!(fail.message.contains("allow no algorithm"), "{}", fail.message);
        let actual = fail.actual.as_deref().unwrap_or_default();
        assert!(actual.contains("only RS256") && actual.contains("only PS256"), "{actual}");
    }
    // Control: a second copy that names the same alg changes nothing.
    let mut same: Value = serde_json::from_str(JWKS).unwrap();
    let mut copy = same["keys"][0].take();
    copy["kid"] = json!("other");
    let same = json!({ "keys": [copy] }).to_string();
    assert_eq!(verify_demo(load(&[("jwks.json", JWKS), ("other.json", &same)]), false).verdict(), Verdict::Verified);
}

#[test]
fn an_approval_key_whose_copy_names_another_alg_signs_no_approval() {
    // Alice's P-256 key again, with alg ES384 (not one receipts use): that copy is
    // skipped, and no copy of alice's key may sign ES256 approvals any more.
    let mut v: Value = serde_json::from_str(JWKS).unwrap();
    let mut alice = v["keys"][1].take();
    assert_eq!(alice["approver"], json!("alice"));
    alice["alg"] = json!("ES384");
    alice["kid"] = json!("alice-es384");
    let es384 = json!({ "keys": [alice, v["keys"][0].take()] }).to_string();
    let control = verify_demo(load(&[("jwks.json", JWKS)]), true);
    assert_eq!(control.verdict(), Verdict::Verified);
    let passed = |r: &receipt_verify::Report| count_checks(r, ids::APPROVAL_SIGNATURE, receipt_verify::Status::Pass);
    let report = verify_demo(load(&[("jwks.json", JWKS), ("es384.json", &es384)]), true);
    assert_eq!(report.verdict(), Verdict::Failed);
    let fails: Vec<_> = report.failures().filter(|c| c.id == ids::APPROVAL_SIGNATURE).collect();
    assert!(!fails.is_empty());
    assert!(fails.iter().all(|c| c.message.contains("allows only alg \"ES384\"")), "{:?}", fails[0].message);
    assert_eq!(passed(&report) + fails.len(), passed(&control), "only alice's entries fail");
}

fn count_checks(report: &receipt_verify::Report, id: &str, status: receipt_verify::Status) -> usize {
    report.checks.iter().filter(|c| c.id == id && c.status == status).map(|c| c.weight()).sum()
}

#[test]
fn an_x5c_certificate_whose_key_usage_forbids_signatures_withdraws_the_key() {
    // Control: x5c with a signing certificate of the same key verifies, and the report
    // names the certificate.
    let signs = audit_edited(|k| {
        k.insert("x5c".into(), json!([x5c_of(SIGNS_2026)]));
    });
    let all = load(&[("jwks.json", &signs)]);
    assert!(all.keys[0].certificate.is_some());
    assert_eq!(verify_demo(all, false).verdict(), Verdict::Verified);
    // keyEncipherment only: the JWK is skipped, and its PEM copy is withdrawn too.
    let enciphers = audit_edited(|k| {
        k.insert("x5c".into(), json!([x5c_of(ENCIPHERS)]));
    });
    let all = load(&[("jwks.json", &enciphers)]);
    assert_eq!(all.skipped.len(), 1);
    assert!(all.skipped[0].reason.to_string().contains("/keys/0/x5c/0"), "{}", all.skipped[0].reason);
    let report = verify_with_pem(&enciphers);
    assert_eq!(report.verdict(), Verdict::Failed);
    assert!(report.failed(ids::KEY_ROLE));
    assert!(report.failures().any(|c| c.message.contains("not for signatures")));
}

#[test]
fn an_x5c_certificate_narrows_the_key_window() {
    // Valid in 2025 only: the 2026 receipts fail key.validity.
    let old = audit_edited(|k| {
        k.insert("x5c".into(), json!([x5c_of(SIGNS_2025)]));
    });
    let report = verify_demo(load(&[("jwks.json", &old)]), false);
    assert!(report.failed(ids::KEY_VALIDITY));
    assert_eq!(report.verdict(), Verdict::Failed);
    // Review 9, 03: the JWK says 2026 and the certificate 2025. The failure says the window
    // is empty and what narrowed it, not "signed after" an inverted range.
    let c = report.failures().find(|c| c.id == ids::KEY_VALIDITY).unwrap();
    assert!(
        c.message.contains("is empty, as narrowed by its x5c certificate \"CN=")
            && c.message.contains("can have signed nothing"),
        "{}",
        c.message
    );
    assert!(c.expected.as_deref().unwrap_or_default().starts_with("a window that is not empty"), "{c:?}");
    // A window narrowed by another copy names that copy: a kid-less PEM selected for
    // receipts signed in March, its JWK copy ending in February.
    let february = audit_edited(|k| {
        k.insert("validUntil".into(), json!("2026-02-28T00:00:00Z"));
    });
    let report = verify_with_pem(&february);
    let c = report.failures().find(|c| c.id == ids::KEY_VALIDITY).unwrap();
    assert!(c.message.starts_with("signed after the validity window of pub.pem"), "{}", c.message);
    assert!(c.message.contains(", as narrowed by ") && c.message.contains("jwks.json"), "{}", c.message);
    // Control: the JWK's own window, narrowed by nothing, names no source.
    let own = audit_edited(|k| {
        k.insert("validUntil".into(), json!("2026-02-28T00:00:00Z"));
    });
    let report = verify_demo(load(&[("jwks.json", &own)]), false);
    let c = report.failures().find(|c| c.id == ids::KEY_VALIDITY).unwrap();
    assert!(
        c.message.starts_with("signed after the validity window of kid") && !c.message.contains("narrowed"),
        "{}",
        c.message
    );
    // The certificate never widens the JWK's own window: validUntil in June stays.
    let june = audit_edited(|k| {
        k.insert("validUntil".into(), json!("2026-06-30T00:00:00Z"));
        k.insert("x5c".into(), json!([x5c_of(SIGNS_2026)]));
    });
    let key = &load(&[("jwks.json", &june)]).keys[0];
    assert_eq!(key.valid_until.map(|t| t.to_string()).as_deref(), Some("2026-06-30T00:00:00Z"));
}

#[test]
fn a_malformed_x5c_or_a_certificate_of_another_key_refuses_the_file() {
    let refused = |x5c: Value| {
        let text = audit_edited(|k| {
            k.insert("x5c".into(), x5c);
        });
        parse_key_file(text.as_bytes(), "jwks.json").unwrap_err().to_string()
    };
    let cases = [
        (json!([x5c_of(OTHER_KEY)]), "holds another key"),
        (json!([]), "non-empty array"),
        (json!("MIIB"), "non-empty array"),
        (json!([x5c_of(SIGNS_2026), 7]), "non-empty array"),
        (json!([x5c_of(SIGNS_2026).replace('+', "-").replace('/', "_")]), "base64url"),
        (json!(["not base64!"]), "is not base64"),
        (json!(["AAAA"]), "is not a certificate"),
    ];
    let mut ran = 0;
    for (x5c, needle) in cases {
        let e = refused(x5c.clone());
        assert!(e.contains(needle), "{x5c}: {e}");
        ran += 1;
    }
    assert_eq!(ran, 7);
    // Control: a chain whose first certificate holds the key is read.
    let chain = audit_edited(|k| {
        k.insert("x5c".into(), json!([x5c_of(SIGNS_2026), x5c_of(OTHER_KEY)]));
    });
    assert_eq!(parse_key_file(chain.as_bytes(), "jwks.json").unwrap().keys.len(), 4);
}

/// Review 9: a failed signature is tried under the other keys only with an algorithm each
/// may verify. The receipts (RS256, by the audit key) select a kid-less PEM of another key;
/// the audit key is there too, under another kid, PS256-only: "it DOES verify under kid
/// audit-ps" would send the auditor to a kid that fails `receipt.alg` as well.
#[test]
fn a_failed_signature_is_not_said_to_verify_under_a_key_its_alg_excludes() {
    let other_pem = fixture!("rsa3070.pub.pem");
    let message = |alg: Option<&str>| {
        let jwks = audit_edited(|k| {
            k.insert("kid".into(), json!("audit-ps"));
            match alg {
                Some(alg) => k.insert("alg".into(), json!(alg)),
                None => k.remove("alg"),
            };
        });
        let report = verify_demo(load(&[("jwks.json", &jwks), ("other.pem", other_pem)]), false);
        assert_eq!(report.verdict(), Verdict::Failed);
        let fail = report.failures().find(|c| c.id == ids::RECEIPT_SIGNATURE).expect("the signature fails");
        fail.message.clone()
    };
    let said = "DOES verify under kid \"audit-ps\"";
    // Controls: the audit key says RS256, or names no alg: the probe names it.
    assert!(message(Some("RS256")).contains(said), "{}", message(Some("RS256")));
    assert!(message(None).contains(said), "{}", message(None));
    // PS256-only: the RS256 signature is not said to verify under it.
    let ps256 = message(Some("PS256"));
    assert!(!ps256.contains(said), "{ps256}");
    assert!(ps256.contains("does not verify under"), "{ps256}");
}

/// Review 9, finding 05: an `x5c` certificate whose key is id-RSASSA-PSS (RFC 4055, as
/// `openssl genpkey -algorithm RSA-PSS` makes it) holds the JWK's RSA key, PSS only. It
/// used to refuse the whole key file ("unsupported key algorithm OID 1.2.840.113549.1.1.10").
#[test]
fn an_x5c_certificate_of_a_pss_only_key_holds_a_ps256_jwk() {
    let pss_cert = fixture!("cert-rsa-pss.pem");
    let jwks = fixture!("rsa-pss.jwks.json");
    let with_x5c = |alg: Option<&str>| {
        let mut v: Value = serde_json::from_str(jwks).unwrap();
        v["keys"][0]["x5c"] = json!([x5c_of(pss_cert)]);
        match alg {
            Some(alg) => v["keys"][0]["alg"] = json!(alg),
            None => drop(v["keys"][0].as_object_mut().unwrap().remove("alg")),
        }
        v.to_string()
    };
    // Control: the JWK without x5c is read.
    let plain = parse_key_file(jwks.as_bytes(), "pss.json").unwrap();
    // With its certificate: read, the same key, PS256 only, the certificate shown.
    let read = parse_key_file(with_x5c(Some("PS256")).as_bytes(), "pss.json").unwrap();
    assert_eq!(read.keys[0].fingerprint, plain.keys[0].fingerprint);
    assert_eq!(read.keys[0].alg, Some(receipt_verify::Alg::Ps256));
    assert!(read.keys[0].alg_conflict.is_none());
    assert!(read.keys[0].certificate.is_some());
    // No alg: the certificate makes it PS256-only. RS256: the copies allow nothing.
    let none = parse_key_file(with_x5c(None).as_bytes(), "pss.json").unwrap();
    assert_eq!(none.keys[0].alg, Some(receipt_verify::Alg::Ps256));
    let rs256 = parse_key_file(with_x5c(Some("RS256")).as_bytes(), "pss.json").unwrap();
    assert!(rs256.keys[0].alg_conflict.as_deref().unwrap_or_default().contains("x5c certificate only PS256"));
    // The certificate as a PEM file: the same key, PS256 only, shared with a JWK copy.
    let pem = parse_key_file(pss_cert.as_bytes(), "pss.pem").unwrap();
    assert_eq!(pem.keys[0].fingerprint, plain.keys[0].fingerprint);
    assert_eq!(pem.keys[0].alg, Some(receipt_verify::Alg::Ps256));
}
