//! Review 2 (issue 9) key findings: skipped copies keep their key's lifetime and withdraw
//! it (F2), Key Vault `enabled: false` (F3), JSON key files with two shapes (F4),
//! duplicate certificate extensions (F5), bounded `key.select` messages (R2), and
//! conflicting approver bindings (F1).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use super::*;
use receipt_verify::{ids, parse_key_file, Approver, KeyFile, Status, Verification};

const DUP_SIGN_FIRST: &str = include_str!("../../../../tests/bad_inputs_gen/cert-dup-keyusage-sign-first.pem");
const DUP_NOSIGN_FIRST: &str = include_str!("../../../../tests/bad_inputs_gen/cert-dup-keyusage-nosign-first.pem");
const CERT_SIGNING: &str = include_str!("../../../../tests/bad_inputs_gen/cert-digital-signature.pem");
const CERT_NO_SIGNING: &str = include_str!("../../../../tests/bad_inputs_gen/cert-no-digital-signature.pem");

/// The demo JWKS with the audit key (entry 0) edited.
pub(super) fn audit_edited(edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> String {
    let mut v: Value = serde_json::from_str(JWKS).unwrap();
    edit(v["keys"][0].as_object_mut().unwrap());
    v.to_string()
}

pub(super) fn load(files: &[(&str, &str)]) -> KeyFile {
    let mut all = KeyFile::default();
    for (name, text) in files {
        all.add(parse_key_file(text.as_bytes(), name).unwrap()).unwrap();
    }
    all
}

fn verify_receipts(all: KeyFile) -> receipt_verify::Report {
    let files = [receipt_verify::InputFile::new("receipts.jsonl", RECEIPTS.as_bytes().to_vec())];
    let mut v = Verification::new(all.keys, &files);
    v.note_skipped_keys(&all.skipped);
    v.finish_with(&receipt_verify::RustCryptoBackend)
}

#[test]
fn a_skipped_copy_keeps_its_revocation_whichever_file_comes_first() {
    let enc_revoked = audit_edited(|k| {
        k.insert("use".into(), json!("enc"));
        k.insert("status".into(), json!("revoked"));
    });
    for order in [
        [("jwks.json", enc_revoked.as_str()), ("pub.pem", PUB_PEM)],
        [("pub.pem", PUB_PEM), ("jwks.json", &enc_revoked)],
    ] {
        let all = load(&order);
        let pem = all.keys.iter().find(|k| k.kid.is_none()).expect("the PEM copy is usable");
        assert_eq!(pem.status, Some(KeyStatus::Revoked), "the skipped copy's status holds for the PEM");
        assert!(pem.restricted.as_deref().is_some_and(|r| r.contains("use")), "{:?}", pem.restricted);
        let report = verify_receipts(all);
        let failed = failed_ids(&report);
        assert!(failed.contains(ids::KEY_STATUS) && failed.contains(ids::KEY_ROLE), "{failed:?}");
    }
}

#[test]
fn a_copy_skipped_for_its_use_withdraws_the_key_and_one_for_its_alg_restricts_its_algorithm() {
    // key_ops without verify: the publisher says the key may not verify.
    let ops = audit_edited(|k| {
        k.remove("use");
        k.insert("key_ops".into(), json!(["encrypt"]));
    });
    let report = verify_receipts(load(&[("jwks.json", &ops), ("pub.pem", PUB_PEM)]));
    assert!(failed_ids(&report).contains(ids::KEY_ROLE));
    assert!(report.checks.iter().any(|c| c.id == ids::KEY_ROLE && c.message.contains("not for signatures")));
    // A window on the skipped copy holds too.
    let old = audit_edited(|k| {
        k.insert("use".into(), json!("enc"));
        k.insert("validUntil".into(), json!("2025-12-31T23:59:59Z"));
        k.insert("validFrom".into(), json!("2025-01-01T00:00:00Z"));
    });
    let report = verify_receipts(load(&[("jwks.json", &old), ("pub.pem", PUB_PEM)]));
    assert!(failed_ids(&report).contains(ids::KEY_VALIDITY));
    // An alg receipts do not use says nothing of the key's use (it is not withdrawn as
    // "not for signatures"), but it is the only algorithm the key is for (v1.1, red team
    // 7): the PEM copy signs no receipt, under receipt.alg, not key.role.
    let oaep = audit_edited(|k| {
        k.remove("use");
        k.insert("alg".into(), json!("RSA-OAEP"));
    });
    let all = load(&[("jwks.json", &oaep), ("pub.pem", PUB_PEM)]);
    assert!(all.keys.iter().all(|k| k.restricted.is_none()));
    let report = verify_receipts(all);
    assert_eq!(failed_ids(&report).into_iter().collect::<Vec<_>>(), [ids::RECEIPT_ALG, ids::VERDICT_SIGNATURE]);
    assert!(report.failures().any(|c| c.message.contains("allows only alg \"RSA-OAEP\"")));
    // Control: the plain demo JWKS and PEM verify.
    assert_eq!(
        verify_receipts(load(&[("jwks.json", JWKS), ("pub.pem", PUB_PEM)])).verdict(),
        receipt_verify::Verdict::Verified
    );
}

#[test]
fn a_certificate_without_digital_signature_withdraws_the_same_key_in_its_file() {
    let both = format!("{CERT_NO_SIGNING}{PUB_PEM}");
    let all = load(&[("keys.pem", &both)]);
    assert_eq!(all.skipped.len(), 1);
    assert!(all.keys[0].restricted.as_deref().is_some_and(|r| r.contains("digitalSignature")));
    assert!(failed_ids(&verify_receipts(all)).contains(ids::KEY_ROLE));
    // Control: the certificate with digitalSignature next to the same PEM verifies.
    let ok = format!("{CERT_SIGNING}{PUB_PEM}");
    assert_eq!(verify_receipts(load(&[("keys.pem", &ok)])).verdict(), receipt_verify::Verdict::Verified);
}

#[test]
fn key_vault_disabled_beats_a_jwk_status_active_and_revoked_stays_revoked() {
    let kv = |status: &str| {
        let mut key = jwk(0);
        key["status"] = json!(status);
        json!({ "key": key, "attributes": { "enabled": false } }).to_string()
    };
    assert_eq!(parse_keys(kv("active").as_bytes(), "kv").unwrap()[0].status, Some(KeyStatus::Retired));
    assert_eq!(parse_keys(kv("revoked").as_bytes(), "kv").unwrap()[0].status, Some(KeyStatus::Revoked));
    let enabled = json!({ "key": jwk(0), "attributes": { "enabled": true } }).to_string();
    assert_eq!(parse_keys(enabled.as_bytes(), "kv").unwrap()[0].status, Some(KeyStatus::Active), "control");
}

#[test]
fn a_json_key_file_with_two_shapes_is_refused_naming_both() {
    let mut jwk_and_jwks = jwk(0);
    jwk_and_jwks["status"] = json!("revoked");
    jwk_and_jwks["keys"] = json!([jwk(0)]);
    let e = err(&jwk_and_jwks.to_string());
    assert!(e.contains("ambiguous") && e.contains("a JWK (") && e.contains("a JWKS (keys)"), "{e}");
    let mut kv_and_kty = json!({ "key": jwk(0), "attributes": { "enabled": false } });
    for m in ["kty", "n", "e"] {
        kv_and_kty[m] = jwk(0)[m].clone();
    }
    let e = err(&kv_and_kty.to_string());
    assert!(e.contains("ambiguous") && e.contains("Key Vault output (key, attributes)") && e.contains("kty"), "{e}");
    let kv_and_keys = json!({ "key": jwk(0), "keys": [jwk(0)] });
    assert!(err(&kv_and_keys.to_string()).contains("a JWKS (keys) and Key Vault output (key)"));
    // A lone JWKS `keys` member with a kid beside it is not two shapes.
    let mut labelled: Value = serde_json::from_str(JWKS).unwrap();
    labelled["kid"] = json!("set-1");
    assert!(parse_keys(labelled.to_string().as_bytes(), "k").is_ok(), "control");
    assert!(parse_keys(jwk(0).to_string().as_bytes(), "k").is_ok(), "control");
}

#[test]
fn a_certificate_with_two_key_usage_extensions_is_refused_in_either_order() {
    for (name, pem) in [("sign first", DUP_SIGN_FIRST), ("no sign first", DUP_NOSIGN_FIRST)] {
        let e = parse_keys(pem.as_bytes(), name).unwrap_err().to_string();
        assert!(e.contains("same OID") && e.contains("keyUsage"), "{name}: {e}");
    }
    assert!(parse_keys(CERT_SIGNING.as_bytes(), "ok").is_ok(), "control: one keyUsage");
}

#[test]
fn key_select_lists_five_kids_whatever_the_key_set() {
    let base = jwk(1);
    let keys: Vec<Value> = (0..200)
        .map(|i| {
            let mut k = base.clone();
            k["kid"] = json!(format!("{i:03}-{}", "x".repeat(1000)));
            k
        })
        .collect();
    let jwks = json!({ "keys": keys }).to_string();
    let report = run_with(&[("many.json", &jwks)], &[("receipts.jsonl", RECEIPTS.to_string())], None);
    let select: Vec<_> = report.checks.iter().filter(|c| c.id == ids::KEY_SELECT && c.status == Status::Fail).collect();
    assert!(!select.is_empty());
    for c in select {
        let text = serde_json::to_string(c).unwrap();
        assert!(text.contains("and 195 more") && text.contains("004-"), "{text}");
        assert!(!text.contains("005-"), "the sixth kid is not listed");
        assert!(text.len() < 3_000, "bounded: {} bytes", text.len());
    }
}

#[test]
fn approver_copies_in_two_spellings_of_one_identity_stay_bound() {
    let copy = |name: &str| {
        let mut k = jwk(1);
        k["kid"] = json!(format!("approvers/{name}/2"));
        k["approver"] = json!(name);
        k.to_string()
    };
    let (upper, mallory) = (copy("ALICE"), copy("mallory"));
    let all = load(&[("jwks.json", JWKS), ("upper.json", &upper)]);
    let alice = all.keys.iter().filter(|k| k.fingerprint == all.keys[1].fingerprint);
    for k in alice {
        assert_eq!(k.approver, Some(Approver::Bound("alice".into())), "one identity, two spellings");
    }
    // A copy bound to mallory makes it a conflict, whatever the order the files come in.
    for order in [[("m.json", mallory.as_str()), ("jwks.json", JWKS)], [("jwks.json", JWKS), ("m.json", &mallory)]] {
        let all = load(&order);
        let fp = all.keys.iter().find(|k| k.kid.as_deref() == Some("approvers/mallory/2")).unwrap().fingerprint;
        for k in all.keys.iter().filter(|k| k.fingerprint == fp) {
            assert_eq!(k.approver.as_ref().map(|a| a.names().len()), Some(2), "{:?}", k.approver);
            assert_eq!(k.approver.as_ref().and_then(Approver::bound), None, "bound to no name");
        }
    }
}

#[test]
fn a_skipped_copy_with_a_malformed_status_is_refused_not_ignored() {
    let bad = audit_edited(|k| {
        k.insert("use".into(), json!("enc"));
        k.insert("status".into(), json!("REVOKED!"));
    });
    let e = parse_key_file(bad.as_bytes(), "jwks.json").unwrap_err().to_string();
    assert!(e.contains("status"), "{e}");
    // Control: a well-formed skipped copy is skipped with a note, not refused.
    let ok = audit_edited(|k| {
        k.insert("use".into(), json!("enc"));
    });
    let file = parse_key_file(ok.as_bytes(), "jwks.json").unwrap();
    assert_eq!(file.skipped.len(), 1);
}
