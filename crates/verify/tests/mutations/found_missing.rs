//! Cases issue 9 found missing: `rows.fields`, `approval.fields`, `rows.genesis`, an unsupported
//! `alg`, and ES256 receipts in r||s and DER form.

// In WASM builds `#[test]` means `#[wasm_bindgen_test]`: the same tests run natively,
// in Node and in headless Chromium.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use super::*;

#[test]
fn row_field_missing() {
    let report = rows_edited_and_resealed(99, |r| {
        r.remove("customerId");
    });
    assert_fails(&report, expect::ROW_FIELD_MISSING);
    let c = report.failures().next().unwrap();
    assert_eq!((c.subject.line, c.subject.pointer.as_deref()), (Some(100), Some("/customerId")));
}

#[test]
fn row_field_of_the_wrong_type() {
    let report = rows_edited_and_resealed(99, |r| {
        r.insert("seq".into(), json!("100"));
    });
    assert_fails(&report, expect::ROW_FIELD_OF_THE_WRONG_TYPE);
    let c = report.failures().next().unwrap();
    assert_eq!((c.subject.line, c.subject.pointer.as_deref()), (Some(100), Some("/seq")));
}

#[test]
fn rows_starting_mid_way_are_a_note() {
    let rows: Vec<_> = rows().into_iter().skip(10).collect();
    let report = rows_report(&rows);
    assert_fails(&report, expect::ROWS_STARTING_MID_WAY_ARE_A_NOTE);
    let c = report.checks.iter().find(|c| c.id == ids::ROWS_GENESIS).unwrap();
    assert_eq!(c.status, Status::Note);
    assert!(c.message.contains("first seq 11"), "{}", c.message);
    // Positive control: the whole export starts at genesis.
    assert!(has(&rows_report(&self::rows()), ids::ROWS_GENESIS, Status::Pass));
}

#[test]
fn rows_at_seq_1_linked_to_a_non_genesis_hash() {
    // Row 1 claims a predecessor; the export and the receipts are re-hashed and re-sealed
    // around it, so only the genesis rule can notice.
    let mut rows = rows();
    rows[0].insert("prevHash".into(), json!(format!("0x{}", "11".repeat(32))));
    let h = receipt_verify::Hash::sha256(&receipt_verify::canonical_without(&rows[0], &["thisHash"]).unwrap());
    rows[0].insert("thisHash".into(), json!(h.to_string()));
    rehash_rows(&mut rows, 1);
    let mut chain = receipts();
    reseal_over(&rows, &mut chain, &HEADS);
    let report = run(&[("receipts.jsonl", jsonl(&chain))], Some(&jsonl(&rows)));
    assert_fails(&report, expect::ROWS_AT_SEQ_1_LINKED_TO_A_NON_GENESIS_HASH);
    // Today this is only a note ("starts mid-chain (first seq 1)").
    let c = report.checks.iter().find(|c| c.id == ids::ROWS_GENESIS).unwrap();
    assert_eq!(c.status, Status::Note, "{c:?}");
    assert!(c.message.contains("first seq 1)"), "{}", c.message);
}

#[test]
fn approval_entry_field_missing() {
    let mut a = approval();
    a["approvals"][1].as_object_mut().unwrap().remove("signedAt");
    let report = approval_report(&[a]);
    assert_fails(&report, expect::APPROVAL_ENTRY_FIELD_MISSING);
    let c = report.failures().find(|c| c.id == ids::APPROVAL_FIELDS).unwrap();
    assert_eq!(c.subject.pointer.as_deref(), Some("/0/approvals/1/signedAt"));
}

#[test]
fn approval_list_not_a_list() {
    let mut a = approval();
    a.insert("approvals".into(), json!({"approver": "alice"}));
    let report = approval_report(&[a]);
    assert_fails(&report, expect::APPROVAL_LIST_NOT_A_LIST);
    assert_eq!(report.failures().next().unwrap().subject.pointer.as_deref(), Some("/0/approvals"));
}

#[test]
fn resigned_unsupported_alg() {
    for alg in ["HS256", "RS512", "none", "rs256"] {
        let mut r = receipt();
        r.insert("alg".into(), json!(alg));
        reseal(&mut r);
        let report = verify_receipt(&r);
        assert_fails(&report, expect::RESIGNED_UNSUPPORTED_ALG);
    }
}

/// A P-256 batch key made for these tests, as a JWK without roles or window.
fn ec_batch_key() -> (p256::ecdsa::SigningKey, String) {
    use base64ct::{Base64UrlUnpadded, Encoding};
    use sha2::Digest;
    let seed = sha2::Sha256::digest(b"receipt test ES256 batch key");
    let key = p256::ecdsa::SigningKey::from_slice(&seed).unwrap();
    let point = key.verifying_key().to_encoded_point(false);
    let jwk = json!({
        "kty": "EC",
        "crv": "P-256",
        "alg": "ES256",
        "use": "sig",
        "kid": "test/batch-ec/1",
        "x": Base64UrlUnpadded::encode_string(point.x().unwrap()),
        "y": Base64UrlUnpadded::encode_string(point.y().unwrap()),
    });
    (key, jwk.to_string())
}

/// The demo receipt re-sealed as ES256 under the test key; `encode` turns the signature
/// into the bytes the receipt carries.
fn es256_receipt(encode: impl FnOnce(p256::ecdsa::Signature) -> Vec<u8>) -> receipt_verify::Report {
    use p256::ecdsa::signature::Signer;
    let (key, jwk) = ec_batch_key();
    let mut r = receipt();
    r.insert("alg".into(), json!("ES256"));
    r.insert("kid".into(), json!("test/batch-ec/1"));
    let m = receipt_verify::manifest(&r).unwrap();
    r.insert("thisHash".into(), json!(receipt_verify::Hash::sha256(&m).to_string()));
    let sig: p256::ecdsa::Signature = key.sign(&m);
    r.insert("signature".into(), json!(<base64ct::Base64 as base64ct::Encoding>::encode_string(&encode(sig))));
    run_with(&[("ec.jwk", &jwk)], &one("receipt.json", &r), None)
}

#[test]
fn es256_receipt_in_r_s_form() {
    let report = es256_receipt(|s| s.to_bytes().to_vec());
    assert_fails(&report, expect::ES256_RECEIPT_IN_R_S_FORM);
    assert!(has(&report, ids::RECEIPT_SIGNATURE, Status::Pass));
}

#[test]
fn es256_receipt_in_der_form() {
    let report = es256_receipt(|s| s.to_der().as_bytes().to_vec());
    assert_fails(&report, expect::ES256_RECEIPT_IN_DER_FORM);
    assert!(has(&report, ids::RECEIPT_SIGNATURE, Status::Pass));
}

#[test]
fn es256_receipt_r_s_bit_flipped() {
    let report = es256_receipt(|s| {
        let mut b = s.to_bytes().to_vec();
        b[40] ^= 0x10;
        b
    });
    assert_fails(&report, expect::ES256_RECEIPT_R_S_BIT_FLIPPED);
}

#[test]
fn es256_receipt_r_s_63_bytes() {
    let report = es256_receipt(|s| s.to_bytes()[..63].to_vec());
    assert_fails(&report, expect::ES256_RECEIPT_R_S_63_BYTES);
}

#[test]
fn retention_end_past_year_9999_is_a_date() {
    let mut r = receipt();
    r.insert("signedAt".into(), json!("9999-03-02T09:03:00Z"));
    let uri = r["wormBlobUri"].as_str().unwrap().replace("/2026/", "/9999/");
    r.insert("wormBlobUri".into(), json!(uri));
    r.insert("immutability".into(), json!("locked-999y"));
    reseal(&mut r);
    let report = verify_receipt(&r);
    assert_fails(&report, expect::RETENTION_END_PAST_YEAR_9999_IS_A_DATE);
    let c = report.checks.iter().find(|c| c.id == ids::WORM_RETENTION).unwrap();
    assert_eq!(c.status, Status::Note);
    assert_eq!(c.actual.as_deref(), Some("+10998-03-02T09:03:00Z"));
    assert!(c.message.contains("retained until +10998-03-02T09:03:00Z"), "{}", c.message);
}
