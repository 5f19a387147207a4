//! One receipt: baselines, one field changed after signing, and rules that hold even when the vendor signs.

// In WASM builds `#[test]` means `#[wasm_bindgen_test]`: the same tests run natively,
// in Node and in headless Chromium.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use super::*;

// --- Baselines -----------------------------------------------------------------------

#[test]
fn baseline_receipt_verifies() {
    let report = verify_receipt(&receipt());
    assert_fails(&report, expect::BASELINE_RECEIPT_VERIFIES);
    for id in [ids::RECEIPT_HASH, ids::RECEIPT_SIGNATURE, ids::KEY_SELECT, ids::KEY_VALIDITY, ids::WORM_URI] {
        assert!(has(&report, id, Status::Pass), "{id} should pass");
    }
    // Not starting at genesis is a note, not a failure.
    assert!(has(&report, ids::CHAIN_GENESIS, Status::Note));
}

#[test]
fn baseline_demo_set_verifies_with_rows_and_approvals() {
    let report = run(&[("receipts.jsonl", RECEIPTS.into()), ("approvals.json", APPROVALS.into())], Some(ROWS));
    assert_fails(&report, expect::BASELINE_DEMO_SET_VERIFIES_WITH_ROWS_AND_APPROVALS);
    assert!(has(&report, ids::ROWS_UNSEALED, Status::Warn));
    assert!(has(&report, ids::CHAIN_GENESIS, Status::Pass));
    let heads = report.checks.iter().filter(|c| c.id == ids::ROWS_HEAD && c.status == Status::Pass);
    // Report v2: one entry for all six sealed heads, with their count.
    assert_eq!(heads.map(|c| (c.count, c.last.is_some())).collect::<Vec<_>>(), [(Some(6), true)]);
}

// --- One field of a receipt changed after signing -------------------------------------

macro_rules! field_mutation {
    ($name:ident, $field:literal, $value:expr, $expected:expr) => {
        #[test]
        fn $name() {
            let mut r = receipt();
            let before = r.insert($field.to_string(), $value);
            assert!(before.is_some(), "mutation must change an existing field");
            assert_ne!(before, Some($value), "mutation must change the value");
            assert_fails(&verify_receipt(&r), $expected);
        }
    };
}

field_mutation!(customer_id_changed, "customerId", json!("cust-0043"), expect::CUSTOMER_ID_CHANGED);
field_mutation!(batch_head_changed, "batchHead", json!(format!("0x{}", "ab".repeat(32))), expect::BATCH_HEAD_CHANGED);
field_mutation!(prev_hash_changed, "prevHash", json!(format!("0x{}", "cd".repeat(32))), expect::PREV_HASH_CHANGED);
field_mutation!(this_hash_changed, "thisHash", json!(format!("0x{}", "ef".repeat(32))), expect::THIS_HASH_CHANGED);
field_mutation!(signed_at_changed, "signedAt", json!("2026-03-02T09:04:00Z"), expect::SIGNED_AT_CHANGED);
field_mutation!(kid_changed, "kid", json!("kv-premium/keys/audit-2026/3"), expect::KID_CHANGED);
field_mutation!(
    worm_blob_uri_changed,
    "wormBlobUri",
    json!("https://elsewhere.example/audit/cust-0042/2026/03/02/0903Z.json"),
    expect::WORM_BLOB_URI_CHANGED
);
field_mutation!(immutability_changed, "immutability", json!("locked-1y"), expect::IMMUTABILITY_CHANGED);
field_mutation!(alg_changed, "alg", json!("PS256"), expect::ALG_CHANGED);
field_mutation!(batch_size_changed, "batchSize", json!(55), expect::BATCH_SIZE_CHANGED);

#[test]
fn signature_bit_flipped() {
    let mut r = receipt();
    let mut sig = receipt_verify::decode_base64(r["signature"].as_str().unwrap()).unwrap();
    sig[17] ^= 0x08;
    r.insert("signature".into(), json!(<base64ct::Base64 as base64ct::Encoding>::encode_string(&sig)));
    assert_fails(&verify_receipt(&r), expect::SIGNATURE_BIT_FLIPPED);
}

#[test]
fn signature_truncated() {
    let mut r = receipt();
    let sig = receipt_verify::decode_base64(r["signature"].as_str().unwrap()).unwrap();
    r.insert("signature".into(), json!(<base64ct::Base64 as base64ct::Encoding>::encode_string(&sig[..255])));
    let report = verify_receipt(&r);
    assert_fails(&report, expect::SIGNATURE_TRUNCATED);
    let c = report.failures().next().unwrap();
    assert!(c.actual.as_deref().unwrap().contains("255 bytes"), "{c:?}");
}

#[test]
fn field_added() {
    let mut r = receipt();
    r.insert("note".into(), json!("added later"));
    assert_fails(&verify_receipt(&r), expect::FIELD_ADDED);
}

#[test]
fn required_field_removed() {
    for (field, expected) in expect::REQUIRED_FIELD_REMOVED {
        let mut r = receipt();
        assert!(r.remove(*field).is_some(), "{field}");
        let report = verify_receipt(&r);
        assert_fails(&report, expected);
        let c = report.failures().find(|c| c.id == ids::RECEIPT_FIELDS).unwrap();
        assert_eq!(c.subject.pointer.as_deref(), Some(&*format!("/{field}")));
        assert_eq!(c.actual.as_deref(), Some("missing"));
    }
}

#[test]
fn signature_in_url_safe_unpadded_base64_still_verifies() {
    let mut r = receipt();
    let sig = receipt_verify::decode_base64(r["signature"].as_str().unwrap()).unwrap();
    r.insert("signature".into(), json!(<base64ct::Base64UrlUnpadded as base64ct::Encoding>::encode_string(&sig)));
    assert_fails(&verify_receipt(&r), expect::SIGNATURE_IN_URL_SAFE_UNPADDED_BASE64_STILL_VERIFIES);
}

#[test]
fn uppercase_hash_is_malformed() {
    let mut r = receipt();
    let upper = r["batchHead"].as_str().unwrap().to_uppercase().replacen("0X", "0x", 1);
    r.insert("batchHead".into(), json!(upper));
    assert_fails(&verify_receipt(&r), expect::UPPERCASE_HASH_IS_MALFORMED);
}

// --- Rules that hold even when the vendor signs (re-signed mutations) -----------------

#[test]
fn resigned_http_worm_uri() {
    let mut r = receipt();
    let uri = r["wormBlobUri"].as_str().unwrap().replace("https://", "http://");
    r.insert("wormBlobUri".into(), json!(uri));
    reseal(&mut r);
    assert_fails(&verify_receipt(&r), expect::RESIGNED_HTTP_WORM_URI);
}

#[test]
fn resigned_worm_path_of_another_minute() {
    let mut r = receipt();
    let uri = r["wormBlobUri"].as_str().unwrap().replace("0903Z", "0904Z");
    r.insert("wormBlobUri".into(), json!(uri));
    reseal(&mut r);
    let report = verify_receipt(&r);
    assert_fails(&report, expect::RESIGNED_WORM_PATH_OF_ANOTHER_MINUTE);
    let c = report.failures().next().unwrap();
    assert_eq!(c.expected.as_deref(), Some("…/cust-0042/2026/03/02/0903Z.json"));
}

#[test]
fn resigned_bad_immutability() {
    let mut r = receipt();
    r.insert("immutability".into(), json!("locked-forever"));
    reseal(&mut r);
    assert_fails(&verify_receipt(&r), expect::RESIGNED_BAD_IMMUTABILITY);
}

#[test]
fn resigned_outside_key_window() {
    let mut r = receipt();
    r.insert("signedAt".into(), json!("2027-03-02T09:03:00Z"));
    let uri = r["wormBlobUri"].as_str().unwrap().replace("/2026/", "/2027/");
    r.insert("wormBlobUri".into(), json!(uri));
    reseal(&mut r);
    assert_fails(&verify_receipt(&r), expect::RESIGNED_OUTSIDE_KEY_WINDOW);
}

#[test]
fn resigned_alg_that_does_not_fit_the_key() {
    let mut r = receipt();
    r.insert("alg".into(), json!("ES256"));
    reseal(&mut r);
    assert_fails(&verify_receipt(&r), expect::RESIGNED_ALG_THAT_DOES_NOT_FIT_THE_KEY);
}

#[test]
fn revoked_key() {
    let jwks = JWKS.replacen("\"status\": \"active\"", "\"status\": \"revoked\"", 1);
    assert_fails(&run_with(&[("jwks.json", &jwks)], &one("receipt.json", &receipt()), None), expect::REVOKED_KEY);
}

#[test]
fn retired_key_is_a_note() {
    let jwks = JWKS.replacen("\"status\": \"active\"", "\"status\": \"retired\"", 1);
    let report = run_with(&[("jwks.json", &jwks)], &one("receipt.json", &receipt()), None);
    assert_fails(&report, expect::RETIRED_KEY_IS_A_NOTE);
    assert!(has(&report, ids::KEY_STATUS, Status::Note));
}

#[test]
fn pem_key_without_kid_is_used_and_kid_not_checked() {
    let report = run_with(&[("audit-key.pub.pem", PUB_PEM)], &one("receipt.json", &receipt()), None);
    assert_fails(&report, expect::PEM_KEY_WITHOUT_KID_IS_USED_AND_KID_NOT_CHECKED);
    let c = report.checks.iter().find(|c| c.id == ids::KEY_SELECT).unwrap();
    assert_eq!(c.status, Status::Note);
    assert!(c.message.contains("not checked"), "{}", c.message);
}

#[test]
fn azure_url_match_is_reported() {
    let report = verify_receipt(&receipt());
    let c = report.checks.iter().find(|c| c.id == ids::KEY_SELECT).unwrap();
    assert_eq!(c.status, Status::Pass);
    assert!(c.message.contains("Azure Key Vault"), "{}", c.message);
}

#[test]
fn wrong_kid_named_but_another_supplied_key_verifies() {
    let mut r = receipt();
    r.remove("alg");
    r.insert("kid".into(), json!("approvers/alice/1"));
    reseal(&mut r);
    let report = verify_receipt(&r);
    assert_fails(&report, expect::WRONG_KID_NAMED_BUT_ANOTHER_SUPPLIED_KEY_VERIFIES);
    let c = report.failures().find(|c| c.id == ids::RECEIPT_SIGNATURE).unwrap();
    assert!(
        c.message.contains("DOES verify under kid \"https://kv-premium.vault.azure.net/keys/audit-2026/2\""),
        "{}",
        c.message
    );
}

#[test]
fn unknown_kid_but_a_supplied_key_verifies() {
    let mut r = receipt();
    r.insert("kid".into(), json!("kv-premium/keys/audit-2026/9"));
    reseal(&mut r);
    let report = verify_receipt(&r);
    assert_fails(&report, expect::UNKNOWN_KID_BUT_A_SUPPLIED_KEY_VERIFIES);
    let c = report.failures().next().unwrap();
    assert!(c.message.contains("does verify under kid \"https://kv-premium"), "{}", c.message);
}
