//! Negative tests: each one changes one thing in a passing demo case and names the change.
//! Every test asserts the exact set of failed check ids, so a mutation that is caught by
//! the wrong check (or by none) fails here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

// In WASM builds `#[test]` means `#[wasm_bindgen_test]`: the same tests run natively,
// in Node and in headless Chromium.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[macro_use]
mod common;

use common::*;
use receipt_verify::{ids, Status};
use serde_json::{json, Value};

/// The exact set of failed check ids of every case in this file, as the core behaves
/// today. One table, so that a rule that adds a finding to many cases (for example
/// "no signature verified ⇒ `verdict.signature` fails") is one reviewable edit here.
mod expect {
    use receipt_verify::ids::*;
    pub type Ids = &'static [&'static str];
    pub const CUSTOMER_ID_CHANGED: Ids = &[RECEIPT_HASH, RECEIPT_SIGNATURE, WORM_URI];
    pub const BATCH_HEAD_CHANGED: Ids = &[RECEIPT_HASH, RECEIPT_SIGNATURE];
    pub const PREV_HASH_CHANGED: Ids = &[RECEIPT_HASH, RECEIPT_SIGNATURE];
    pub const THIS_HASH_CHANGED: Ids = &[RECEIPT_HASH];
    pub const SIGNED_AT_CHANGED: Ids = &[RECEIPT_HASH, RECEIPT_SIGNATURE, WORM_URI];
    pub const KID_CHANGED: Ids = &[RECEIPT_HASH, KEY_SELECT];
    pub const WORM_BLOB_URI_CHANGED: Ids = &[RECEIPT_HASH, RECEIPT_SIGNATURE];
    pub const IMMUTABILITY_CHANGED: Ids = &[RECEIPT_HASH, RECEIPT_SIGNATURE];
    pub const ALG_CHANGED: Ids = &[RECEIPT_HASH, RECEIPT_ALG];
    pub const BATCH_SIZE_CHANGED: Ids = &[RECEIPT_HASH, RECEIPT_SIGNATURE];
    pub const BASELINE_RECEIPT_VERIFIES: Ids = &[];
    pub const BASELINE_DEMO_SET_VERIFIES_WITH_ROWS_AND_APPROVALS: Ids = &[];
    pub const SIGNATURE_BIT_FLIPPED: Ids = &[RECEIPT_SIGNATURE];
    pub const SIGNATURE_TRUNCATED: Ids = &[RECEIPT_SIGNATURE];
    pub const FIELD_ADDED: Ids = &[RECEIPT_HASH, RECEIPT_SIGNATURE];
    pub const SIGNATURE_IN_URL_SAFE_UNPADDED_BASE64_STILL_VERIFIES: Ids = &[];
    pub const UPPERCASE_HASH_IS_MALFORMED: Ids = &[RECEIPT_FIELDS, RECEIPT_HASH, RECEIPT_SIGNATURE];
    pub const RESIGNED_HTTP_WORM_URI: Ids = &[WORM_URI];
    pub const RESIGNED_WORM_PATH_OF_ANOTHER_MINUTE: Ids = &[WORM_URI];
    pub const RESIGNED_BAD_IMMUTABILITY: Ids = &[WORM_IMMUTABILITY];
    pub const RESIGNED_OUTSIDE_KEY_WINDOW: Ids = &[KEY_VALIDITY];
    pub const RESIGNED_ALG_THAT_DOES_NOT_FIT_THE_KEY: Ids = &[RECEIPT_ALG];
    pub const REVOKED_KEY: Ids = &[KEY_STATUS];
    pub const RETIRED_KEY_IS_A_NOTE: Ids = &[];
    pub const PEM_KEY_WITHOUT_KID_IS_USED_AND_KID_NOT_CHECKED: Ids = &[];
    pub const WRONG_KID_NAMED_BUT_ANOTHER_SUPPLIED_KEY_VERIFIES: Ids = &[RECEIPT_SIGNATURE];
    pub const UNKNOWN_KID_BUT_A_SUPPLIED_KEY_VERIFIES: Ids = &[KEY_SELECT];
    pub const CHAIN_RECEIPT_REMOVED: Ids = &[CHAIN_LINK];
    pub const CHAIN_TWO_RECEIPTS_SWAPPED: Ids = &[CHAIN_LINK, CHAIN_ORDER];
    pub const CHAIN_RECEIPT_INSERTED_TWICE: Ids = &[CHAIN_LINK, CHAIN_ORDER];
    pub const CHAIN_RESIGNED_WITH_EQUAL_TIMESTAMPS: Ids = &[CHAIN_ORDER];
    pub const CHAIN_RESIGNED_WITH_ANOTHER_CUSTOMER: Ids = &[CHAIN_CUSTOMER];
    pub const CHAIN_STARTING_MID_WAY_IS_A_NOTE: Ids = &[];
    pub const ROW_EDITED: Ids = &[ROWS_HASH];
    pub const SEALED_HEAD_ROW_EDITED: Ids = &[ROWS_HASH, ROWS_HEAD];
    pub const ROW_EDITED_AND_ITS_HASH_RECOMPUTED: Ids = &[ROWS_LINK];
    pub const ROW_DELETED: Ids = &[ROWS_LINK, ROWS_SEQ];
    pub const ROW_INSERTED: Ids = &[ROWS_LINK, ROWS_SEQ];
    pub const ROWS_REORDERED: Ids = &[ROWS_LINK, ROWS_SEQ];
    pub const ROW_DELETED_AND_EVERYTHING_AFTER_RENUMBERED_AND_REHASHED: Ids = &[ROWS_HEAD];
    pub const ROW_DELETED_AND_EVERYTHING_AFTER_REHASHED: Ids = &[ROWS_HEAD, ROWS_SEQ];
    pub const EXPORT_TRUNCATED_BEFORE_THE_LAST_HEAD: Ids = &[ROWS_HEAD];
    pub const HEAD_ROW_OF_ANOTHER_CUSTOMER_RESEALED: Ids = &[ROWS_CUSTOMER];
    pub const RECEIPTS_RESEALED_WITH_HEADS_OUT_OF_ORDER: Ids = &[ROWS_HEAD];
    pub const APPROVAL_BASELINE: Ids = &[];
    pub const APPROVAL_SIGNATURE_BIT_FLIPPED: Ids = &[APPROVAL_SIGNATURE];
    pub const APPROVAL_WAVE_CHANGED_AFTER_SIGNING: Ids = &[APPROVAL_SIGNATURE];
    pub const APPROVAL_ENTRY_SIGNED_AT_CHANGED: Ids = &[APPROVAL_SIGNATURE];
    pub const APPROVAL_STALE_WHEN_CONSUMED: Ids = &[APPROVAL_FRESHNESS];
    pub const APPROVAL_EXACTLY_24H_OLD_IS_FRESH: Ids = &[];
    pub const APPROVAL_STALE_BY_LESS_THAN_A_SECOND_SAYS_SO: Ids = &[APPROVAL_FRESHNESS];
    pub const APPROVAL_CONSUMED_BEFORE_SIGNED: Ids = &[APPROVAL_FRESHNESS];
    pub const APPROVAL_SECOND_APPROVER_REMOVED: Ids = &[APPROVAL_QUORUM];
    pub const APPROVAL_SAME_APPROVER_TWICE: Ids = &[APPROVAL_QUORUM];
    pub const APPROVAL_101_DEVICES_NEED_TWO_APPROVERS_100_DO_NOT: Ids = &[];
    pub const APPROVAL_101_DEVICES_NEED_TWO_APPROVERS_100_DO_NOT_2: Ids = &[APPROVAL_QUORUM];
    pub const APPROVAL_REQUESTER_APPROVES_OWN_WAVE: Ids = &[APPROVAL_SEPARATION];
    pub const APPROVAL_REPLAYED: Ids = &[APPROVAL_REPLAY];
    pub const APPROVAL_REPLAYED_ACROSS_FILES: Ids = &[APPROVAL_REPLAY];
    pub const APPROVAL_SIGNED_UNDER_ANOTHER_APPROVERS_KID: Ids = &[APPROVAL_SIGNATURE];
    pub const RECEIPT_WITH_DUPLICATE_KEY: Ids = &[INPUT_PARSE];
    pub const RECEIPT_WITH_UNREPRESENTABLE_NUMBER: Ids = &[INPUT_PARSE];
    pub const UNKNOWN_TYPE_AND_NON_OBJECTS: Ids = &[INPUT_KIND];
    pub const NOTHING_TO_VERIFY: Ids = &[INPUT_EMPTY];
    pub const INVALID_UTF8_RECEIPT: Ids = &[INPUT_PARSE];
    pub const TAMPERED_RECEIPT_EDITED: Ids = &[RECEIPT_HASH, RECEIPT_SIGNATURE];
    pub const TAMPERED_RECEIPTS_REMOVED: Ids = &[CHAIN_LINK];
    pub const TAMPERED_ROWS_DELETED_REHASHED: Ids = &[ROWS_HEAD];
    pub const TAMPERED_APPROVAL_SELF_APPROVED: Ids = &[APPROVAL_QUORUM, APPROVAL_SEPARATION];
    pub const A_REPORT_TAKEN_WITHOUT_A_BACKEND_NEVER_PASSES_A_SIGNATURE: Ids = &[RECEIPT_SIGNATURE];
    pub const MISSING_BACKEND_OUTCOMES_COUNT_AS_FAILURES: Ids = &[RECEIPT_SIGNATURE];
    pub const MALFORMED_ROW_LINE: Ids = &[ROWS_PARSE];
    pub const ROW_WITH_DUPLICATE_KEY_IS_REFUSED: Ids = &[ROWS_PARSE];
    pub const REQUIRED_FIELD_REMOVED: &[(&str, Ids)] = &[
        ("customerId", &[RECEIPT_FIELDS, RECEIPT_HASH, RECEIPT_SIGNATURE]),
        ("batchHead", &[RECEIPT_FIELDS, RECEIPT_HASH, RECEIPT_SIGNATURE]),
        ("prevHash", &[RECEIPT_FIELDS, RECEIPT_HASH, RECEIPT_SIGNATURE]),
        ("thisHash", &[RECEIPT_FIELDS]),
        ("signedAt", &[RECEIPT_FIELDS, RECEIPT_HASH, RECEIPT_SIGNATURE]),
        ("kid", &[RECEIPT_FIELDS, RECEIPT_HASH]),
        ("signature", &[RECEIPT_FIELDS]),
        ("wormBlobUri", &[RECEIPT_FIELDS, RECEIPT_HASH, RECEIPT_SIGNATURE]),
        ("immutability", &[RECEIPT_FIELDS, RECEIPT_HASH, RECEIPT_SIGNATURE]),
    ];
    pub const ROW_FIELD_MISSING: Ids = &[ROWS_FIELDS];
    pub const ROW_FIELD_OF_THE_WRONG_TYPE: Ids = &[ROWS_FIELDS];
    pub const ROWS_STARTING_MID_WAY_ARE_A_NOTE: Ids = &[];
    pub const ROWS_AT_SEQ_1_LINKED_TO_A_NON_GENESIS_HASH: Ids = &[];
    pub const APPROVAL_ENTRY_FIELD_MISSING: Ids = &[APPROVAL_FIELDS, APPROVAL_SIGNATURE];
    pub const APPROVAL_LIST_NOT_A_LIST: Ids = &[APPROVAL_FIELDS, APPROVAL_QUORUM];
    pub const RESIGNED_UNSUPPORTED_ALG: Ids = &[RECEIPT_ALG];
    pub const ES256_RECEIPT_IN_R_S_FORM: Ids = &[];
    pub const ES256_RECEIPT_IN_DER_FORM: Ids = &[];
    pub const ES256_RECEIPT_R_S_BIT_FLIPPED: Ids = &[RECEIPT_SIGNATURE];
    pub const ES256_RECEIPT_R_S_63_BYTES: Ids = &[RECEIPT_SIGNATURE];
}

/// The third demo receipt, verified alone.
fn receipt() -> serde_json::Map<String, Value> {
    receipts()[2].clone()
}

fn verify_receipt(r: &serde_json::Map<String, Value>) -> receipt_verify::Report {
    run(&one("receipt.json", r), None)
}

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
    assert_eq!(report.checks.iter().filter(|c| c.id == ids::ROWS_HEAD && c.status == Status::Pass).count(), 6);
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
    let c = report.failures().next().unwrap();
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

// --- Receipt chains -------------------------------------------------------------------

fn chain_report(chain: &[serde_json::Map<String, Value>]) -> receipt_verify::Report {
    run(&[("receipts.jsonl", jsonl(chain))], None)
}

#[test]
fn chain_receipt_removed() {
    let mut c = receipts();
    c.remove(3);
    assert_fails(&chain_report(&c), expect::CHAIN_RECEIPT_REMOVED);
}

#[test]
fn chain_two_receipts_swapped() {
    let mut c = receipts();
    c.swap(2, 3);
    assert_fails(&chain_report(&c), expect::CHAIN_TWO_RECEIPTS_SWAPPED);
}

#[test]
fn chain_receipt_inserted_twice() {
    let mut c = receipts();
    let dup = c[1].clone();
    c.insert(2, dup);
    assert_fails(&chain_report(&c), expect::CHAIN_RECEIPT_INSERTED_TWICE);
}

#[test]
fn chain_resigned_with_equal_timestamps() {
    let mut c = receipts();
    let t = c[1]["signedAt"].clone();
    let uri = c[1]["wormBlobUri"].clone();
    c[2].insert("signedAt".into(), t);
    c[2].insert("wormBlobUri".into(), uri);
    reseal_chain(&mut c);
    assert_fails(&chain_report(&c), expect::CHAIN_RESIGNED_WITH_EQUAL_TIMESTAMPS);
}

#[test]
fn chain_resigned_with_another_customer() {
    let mut c = receipts();
    let uri = c[4]["wormBlobUri"].as_str().unwrap().replace("cust-0042", "cust-0099");
    c[4].insert("customerId".into(), json!("cust-0099"));
    c[4].insert("wormBlobUri".into(), json!(uri));
    reseal_chain(&mut c);
    assert_fails(&chain_report(&c), expect::CHAIN_RESIGNED_WITH_ANOTHER_CUSTOMER);
}

#[test]
fn chain_starting_mid_way_is_a_note() {
    let mut c = receipts();
    c.remove(0);
    let report = chain_report(&c);
    assert_fails(&report, expect::CHAIN_STARTING_MID_WAY_IS_A_NOTE);
    assert!(has(&report, ids::CHAIN_GENESIS, Status::Note));
}

// --- Rows against receipts ------------------------------------------------------------

fn rows_report(rows: &[serde_json::Map<String, Value>]) -> receipt_verify::Report {
    run(&[("receipts.jsonl", RECEIPTS.into())], Some(&jsonl(rows)))
}

const HEADS: [u64; 6] = [48, 96, 150, 201, 247, 290];

#[test]
fn row_edited() {
    let mut rows = rows();
    rows[99].insert("actor".into(), json!("mallory"));
    let report = rows_report(&rows);
    assert_fails(&report, expect::ROW_EDITED);
    let c = report.failures().next().unwrap();
    assert_eq!((c.subject.line, c.subject.pointer.as_deref()), (Some(100), Some("/thisHash")));
}

#[test]
fn sealed_head_row_edited() {
    let mut rows = rows();
    rows[95].insert("action".into(), json!("delete"));
    assert_fails(&rows_report(&rows), expect::SEALED_HEAD_ROW_EDITED);
}

#[test]
fn row_edited_and_its_hash_recomputed() {
    let mut rows = rows();
    rows[99].insert("actor".into(), json!("mallory"));
    let h = receipt_verify::Hash::sha256(&receipt_verify::canonical_without(&rows[99], &["thisHash"]).unwrap());
    rows[99].insert("thisHash".into(), json!(h.to_string()));
    assert_fails(&rows_report(&rows), expect::ROW_EDITED_AND_ITS_HASH_RECOMPUTED);
}

#[test]
fn row_deleted() {
    let mut rows = rows();
    rows.remove(99);
    assert_fails(&rows_report(&rows), expect::ROW_DELETED);
}

#[test]
fn row_inserted() {
    let mut rows = rows();
    let copy = rows[99].clone();
    rows.insert(100, copy);
    assert_fails(&rows_report(&rows), expect::ROW_INSERTED);
}

#[test]
fn rows_reordered() {
    let mut rows = rows();
    rows.swap(99, 100);
    assert_fails(&rows_report(&rows), expect::ROWS_REORDERED);
}

#[test]
fn row_deleted_and_everything_after_renumbered_and_rehashed() {
    let mut rows = rows();
    rows.remove(119);
    for (i, r) in rows.iter_mut().enumerate().skip(119) {
        r.insert("seq".into(), json!(i + 1));
    }
    rehash_rows(&mut rows, 119);
    let report = rows_report(&rows);
    assert_fails(&report, expect::ROW_DELETED_AND_EVERYTHING_AFTER_RENUMBERED_AND_REHASHED);
    // Receipts 2..=5 seal heads that no longer exist.
    assert_eq!(report.failures().count(), 4);
}

#[test]
fn row_deleted_and_everything_after_rehashed() {
    let mut rows = rows();
    rows.remove(119);
    rehash_rows(&mut rows, 119);
    assert_fails(&rows_report(&rows), expect::ROW_DELETED_AND_EVERYTHING_AFTER_REHASHED);
}

#[test]
fn export_truncated_before_the_last_head() {
    let rows: Vec<_> = rows().into_iter().take(250).collect();
    assert_fails(&rows_report(&rows), expect::EXPORT_TRUNCATED_BEFORE_THE_LAST_HEAD);
}

#[test]
fn head_row_of_another_customer_resealed() {
    let mut rows = rows();
    rows[47].insert("customerId".into(), json!("cust-0099"));
    rehash_rows(&mut rows, 47);
    let mut chain = receipts();
    reseal_over(&rows, &mut chain, &HEADS);
    let report = run(&[("receipts.jsonl", jsonl(&chain))], Some(&jsonl(&rows)));
    assert_fails(&report, expect::HEAD_ROW_OF_ANOTHER_CUSTOMER_RESEALED);
}

#[test]
fn receipts_resealed_with_heads_out_of_order() {
    let rows = rows();
    let mut chain = receipts();
    reseal_over(&rows, &mut chain, &[48, 150, 96, 201, 247, 290]);
    assert_fails(
        &run(&[("receipts.jsonl", jsonl(&chain))], Some(&jsonl(&rows))),
        expect::RECEIPTS_RESEALED_WITH_HEADS_OUT_OF_ORDER,
    );
}

#[test]
fn malformed_row_line() {
    let mut text = jsonl(&rows());
    text = text.replacen("{\"action\"", "{\"action\" ", 1).replacen("\"seq\":100,", "\"seq\":100,,", 1);
    let report = run(&[("receipts.jsonl", RECEIPTS.into())], Some(&text));
    assert_fails(&report, expect::MALFORMED_ROW_LINE);
    let c = report.failures().find(|c| c.id == ids::ROWS_PARSE).unwrap();
    assert_eq!(c.subject.line, Some(100));
}

#[test]
fn row_with_duplicate_key_is_refused() {
    let text = jsonl(&rows()).replacen("\"seq\":7,", "\"seq\":7,\"seq\":7,", 1);
    let report = run(&[("receipts.jsonl", RECEIPTS.into())], Some(&text));
    assert_fails(&report, expect::ROW_WITH_DUPLICATE_KEY_IS_REFUSED);
    let c = report.failures().find(|c| c.id == ids::ROWS_PARSE).unwrap();
    assert!(c.message.contains("duplicate object key \"seq\""), "{}", c.message);
    assert_eq!(c.subject.line, Some(7));
}

// --- Wave approvals -------------------------------------------------------------------

fn approval() -> serde_json::Map<String, Value> {
    approvals()[0].clone()
}

fn approval_report(a: &[serde_json::Map<String, Value>]) -> receipt_verify::Report {
    run(&[("approvals.json", serde_json::to_string(a).unwrap())], None)
}

#[test]
fn approval_baseline() {
    let report = approval_report(&approvals());
    assert_fails(&report, expect::APPROVAL_BASELINE);
    for id in [
        ids::APPROVAL_SIGNATURE,
        ids::APPROVAL_FRESHNESS,
        ids::APPROVAL_QUORUM,
        ids::APPROVAL_SEPARATION,
        ids::APPROVAL_REPLAY,
    ] {
        assert!(has(&report, id, Status::Pass), "{id}");
    }
}

#[test]
fn approval_signature_bit_flipped() {
    let mut a = approval();
    let entry = a["approvals"][1].as_object_mut().unwrap();
    let mut sig = receipt_verify::decode_base64(entry["signature"].as_str().unwrap()).unwrap();
    sig[5] ^= 1;
    entry.insert("signature".into(), json!(<base64ct::Base64UrlUnpadded as base64ct::Encoding>::encode_string(&sig)));
    let report = approval_report(&[a]);
    assert_fails(&report, expect::APPROVAL_SIGNATURE_BIT_FLIPPED);
    assert_eq!(report.failures().next().unwrap().subject.pointer.as_deref(), Some("/0/approvals/1/signature"));
}

#[test]
fn approval_wave_changed_after_signing() {
    let mut a = approval();
    a.insert("deviceCount".into(), json!(2500));
    let report = approval_report(&[a]);
    assert_fails(&report, expect::APPROVAL_WAVE_CHANGED_AFTER_SIGNING);
    assert_eq!(report.failures().count(), 2);
}

#[test]
fn approval_entry_signed_at_changed() {
    let mut a = approval();
    a["approvals"][0].as_object_mut().unwrap().insert("signedAt".into(), json!("2026-03-02T10:16:00Z"));
    assert_fails(&approval_report(&[a]), expect::APPROVAL_ENTRY_SIGNED_AT_CHANGED);
}

#[test]
fn approval_stale_when_consumed() {
    let mut a = approval();
    // consumedAt is not signed: moving it keeps every signature valid.
    a.insert("consumedAt".into(), json!("2026-03-03T10:15:01Z"));
    let report = approval_report(&[a]);
    assert_fails(&report, expect::APPROVAL_STALE_WHEN_CONSUMED);
    let c = report.failures().next().unwrap();
    assert_eq!(c.actual.as_deref(), Some("consumedAt − signedAt = 24h 0m 1s"));
}

#[test]
fn approval_stale_by_less_than_a_second_says_so() {
    for (consumed, actual) in [
        ("2026-03-03T10:15:00.9Z", "consumedAt − signedAt = 24h 0m 0.9s"),
        ("2026-03-03T10:15:00.000000001Z", "consumedAt − signedAt = 24h 0m 0.000000001s"),
        ("2026-03-02T10:14:59.999999999Z", "consumedAt − signedAt = -0.000000001s"),
    ] {
        let mut a = approval();
        a.insert("consumedAt".into(), json!(consumed));
        let report = approval_report(&[a]);
        assert_fails(&report, expect::APPROVAL_STALE_BY_LESS_THAN_A_SECOND_SAYS_SO);
        let c = report.failures().next().unwrap();
        assert_eq!(c.actual.as_deref(), Some(actual), "{consumed}");
    }
}

#[test]
fn approval_exactly_24h_old_is_fresh() {
    let mut a = approval();
    a.insert("consumedAt".into(), json!("2026-03-03T10:15:00Z"));
    assert_fails(&approval_report(&[a]), expect::APPROVAL_EXACTLY_24H_OLD_IS_FRESH);
}

#[test]
fn approval_consumed_before_signed() {
    let mut a = approval();
    a.insert("consumedAt".into(), json!("2026-03-02T11:00:00Z"));
    assert_fails(&approval_report(&[a]), expect::APPROVAL_CONSUMED_BEFORE_SIGNED);
}

#[test]
fn approval_second_approver_removed() {
    let mut a = approval();
    a["approvals"].as_array_mut().unwrap().pop();
    assert_fails(&approval_report(&[a]), expect::APPROVAL_SECOND_APPROVER_REMOVED);
}

#[test]
fn approval_same_approver_twice() {
    let mut a = approval();
    let first = a["approvals"][0].clone();
    a["approvals"].as_array_mut().unwrap()[1] = first;
    assert_fails(&approval_report(&[a]), expect::APPROVAL_SAME_APPROVER_TWICE);
}

#[test]
fn approval_101_devices_need_two_approvers_100_do_not() {
    let mut small = approvals()[1].clone();
    small.insert("deviceCount".into(), json!(100));
    resign_approvals(&mut small);
    assert_fails(
        &approval_report(std::slice::from_ref(&small)),
        expect::APPROVAL_101_DEVICES_NEED_TWO_APPROVERS_100_DO_NOT,
    );
    small.insert("deviceCount".into(), json!(101));
    resign_approvals(&mut small);
    assert_fails(&approval_report(&[small]), expect::APPROVAL_101_DEVICES_NEED_TWO_APPROVERS_100_DO_NOT_2);
}

#[test]
fn approval_requester_approves_own_wave() {
    let mut a = approval();
    a.insert("requestedBy".into(), json!("alice"));
    resign_approvals(&mut a);
    let report = approval_report(&[a]);
    assert_fails(&report, expect::APPROVAL_REQUESTER_APPROVES_OWN_WAVE);
    assert_eq!(report.failures().next().unwrap().subject.pointer.as_deref(), Some("/0/approvals/0/approver"));
}

#[test]
fn approval_replayed() {
    let a = approval();
    let report = approval_report(&[a.clone(), a]);
    assert_fails(&report, expect::APPROVAL_REPLAYED);
    let c = report.failures().next().unwrap();
    assert_eq!(c.subject.index, Some(1));
}

#[test]
fn approval_replayed_across_files() {
    let text = serde_json::to_string(&approval()).unwrap();
    let report = run(&[("a.json", text.clone()), ("b.json", text)], None);
    assert_fails(&report, expect::APPROVAL_REPLAYED_ACROSS_FILES);
    assert_eq!(report.failures().next().unwrap().subject.file.as_deref(), Some("b.json"));
}

#[test]
fn approval_signed_under_another_approvers_kid() {
    let mut a = approval();
    // Bob signs, but the entry claims alice's kid: the kid is signed, so no key verifies it.
    let entry = a["approvals"][0].as_object_mut().unwrap();
    entry.insert("kid".into(), json!("approvers/bob/1"));
    let report = approval_report(&[a]);
    assert_fails(&report, expect::APPROVAL_SIGNED_UNDER_ANOTHER_APPROVERS_KID);
}

// --- Input problems -------------------------------------------------------------------

#[test]
fn receipt_with_duplicate_key() {
    let text = serde_json::to_string(&receipt()).unwrap().replacen("{", "{\"kid\":\"x\",", 1);
    let report = run(&[("dup.json", text)], None);
    assert_fails(&report, expect::RECEIPT_WITH_DUPLICATE_KEY);
    assert!(report.failures().next().unwrap().message.contains("duplicate object key \"kid\""));
}

#[test]
fn receipt_with_unrepresentable_number() {
    let mut r = receipt();
    r.insert("batchSize".into(), json!(9_007_199_254_740_993_u64));
    let report = verify_receipt(&r);
    assert_fails(&report, expect::RECEIPT_WITH_UNREPRESENTABLE_NUMBER);
}

#[test]
fn unknown_type_and_non_objects() {
    let report = run(&[("x.json", "[1, {\"type\": \"coupon\"}]".into())], None);
    assert_fails(&report, expect::UNKNOWN_TYPE_AND_NON_OBJECTS);
    assert_eq!(report.failures().count(), 2);
}

#[test]
fn nothing_to_verify() {
    assert_fails(&run(&[], None), expect::NOTHING_TO_VERIFY);
}

#[test]
fn invalid_utf8_receipt() {
    let inputs = [receipt_verify::InputFile::new("bad.json", b"{\"kid\": \"\xff\"}".to_vec())];
    let report = receipt_verify::verify(jwks(), &inputs, None, &receipt_verify::RustCryptoBackend);
    assert_fails(&report, expect::INVALID_UTF8_RECEIPT);
    assert!(report.failures().next().unwrap().message.contains("invalid UTF-8 at byte offset 9"));
}

// --- The committed tampered examples ----------------------------------------------------

#[test]
fn tampered_examples_fail_as_documented_with_places_and_values() {
    type Case<'a> = (&'a [(&'a str, String)], Option<&'a str>, &'a [&'a str]);
    let cases: [Case; 4] = [
        (&[("tampered/receipt-edited.json", TAMPERED_RECEIPT.into())], None, expect::TAMPERED_RECEIPT_EDITED),
        (&[("tampered/receipts-removed.jsonl", TAMPERED_CHAIN.into())], None, expect::TAMPERED_RECEIPTS_REMOVED),
        (&[("receipts.jsonl", RECEIPTS.into())], Some(TAMPERED_ROWS), expect::TAMPERED_ROWS_DELETED_REHASHED),
        (
            &[("tampered/approval-self-approved.json", TAMPERED_APPROVAL.into())],
            None,
            expect::TAMPERED_APPROVAL_SELF_APPROVED,
        ),
    ];
    for (files, rows, expected) in cases {
        let report = run(files, rows);
        assert_fails(&report, expected);
        for c in report.failures() {
            assert!(c.subject.file.is_some() && c.subject.pointer.is_some(), "{c:?}");
            assert!(c.expected.is_some() && c.actual.is_some(), "{c:?}");
        }
    }
}

// --- The engine ---------------------------------------------------------------------------

#[test]
fn a_report_taken_without_a_backend_never_passes_a_signature() {
    let v = receipt_verify::Verification::new(jwks(), &[receipt_verify::InputFile::new("r.jsonl", RECEIPTS.into())]);
    assert!(!v.is_done() && !v.pending_jobs().is_empty());
    let report = v.into_report("none");
    assert_fails(&report, expect::A_REPORT_TAKEN_WITHOUT_A_BACKEND_NEVER_PASSES_A_SIGNATURE);
    assert_eq!(report.failures().count(), 6);
}

#[test]
fn missing_backend_outcomes_count_as_failures() {
    let mut v =
        receipt_verify::Verification::new(jwks(), &[receipt_verify::InputFile::new("r.jsonl", RECEIPTS.into())]);
    let n = v.pending_jobs().len();
    assert_eq!(n, 6);
    // A broken backend that answers only the first job.
    v.submit(vec![Ok(())]);
    while !v.is_done() {
        let k = v.pending_jobs().len();
        v.submit(vec![Err(receipt_verify::SignatureFailure::Mismatch); k]);
    }
    let report = v.into_report("broken");
    assert_fails(&report, expect::MISSING_BACKEND_OUTCOMES_COUNT_AS_FAILURES);
    assert_eq!(report.failures().count(), 5);
}

// --- Cases issue 9 found missing ------------------------------------------------------------

/// The demo rows with row `index` changed by `edit`, re-hashed from there on, and the
/// demo receipts re-sealed over them, so only the edit itself can be caught.
fn rows_edited_and_resealed(
    index: usize,
    edit: impl FnOnce(&mut serde_json::Map<String, Value>),
) -> receipt_verify::Report {
    let mut rows = rows();
    edit(&mut rows[index]);
    rehash_rows(&mut rows, index);
    let mut chain = receipts();
    reseal_over(&rows, &mut chain, &HEADS);
    run(&[("receipts.jsonl", jsonl(&chain))], Some(&jsonl(&rows)))
}

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
