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
    assert_fails(&report, &[]);
    for id in [ids::RECEIPT_HASH, ids::RECEIPT_SIGNATURE, ids::KEY_SELECT, ids::KEY_VALIDITY, ids::WORM_URI] {
        assert!(has(&report, id, Status::Pass), "{id} should pass");
    }
    // Not starting at genesis is a note, not a failure.
    assert!(has(&report, ids::CHAIN_GENESIS, Status::Note));
}

#[test]
fn baseline_demo_set_verifies_with_rows_and_approvals() {
    let report = run(&[("receipts.jsonl", RECEIPTS.into()), ("approvals.json", APPROVALS.into())], Some(ROWS));
    assert_fails(&report, &[]);
    assert!(has(&report, ids::ROWS_UNSEALED, Status::Warn));
    assert!(has(&report, ids::CHAIN_GENESIS, Status::Pass));
    assert_eq!(report.checks.iter().filter(|c| c.id == ids::ROWS_HEAD && c.status == Status::Pass).count(), 6);
}

// --- One field of a receipt changed after signing -------------------------------------

macro_rules! field_mutation {
    ($name:ident, $field:literal, $value:expr, [$($id:expr),*]) => {
        #[test]
        fn $name() {
            let mut r = receipt();
            let before = r.insert($field.to_string(), $value);
            assert!(before.is_some(), "mutation must change an existing field");
            assert_ne!(before, Some($value), "mutation must change the value");
            assert_fails(&verify_receipt(&r), &[$($id),*]);
        }
    };
}

field_mutation!(
    customer_id_changed,
    "customerId",
    json!("cust-0043"),
    [ids::RECEIPT_HASH, ids::RECEIPT_SIGNATURE, ids::WORM_URI, ids::VERDICT_SIGNATURE]
);
field_mutation!(
    batch_head_changed,
    "batchHead",
    json!(format!("0x{}", "ab".repeat(32))),
    [ids::RECEIPT_HASH, ids::RECEIPT_SIGNATURE, ids::VERDICT_SIGNATURE]
);
field_mutation!(
    prev_hash_changed,
    "prevHash",
    json!(format!("0x{}", "cd".repeat(32))),
    [ids::RECEIPT_HASH, ids::RECEIPT_SIGNATURE, ids::VERDICT_SIGNATURE]
);
field_mutation!(this_hash_changed, "thisHash", json!(format!("0x{}", "ef".repeat(32))), [ids::RECEIPT_HASH]);
field_mutation!(
    signed_at_changed,
    "signedAt",
    json!("2026-03-02T09:04:00Z"),
    [ids::RECEIPT_HASH, ids::RECEIPT_SIGNATURE, ids::WORM_URI, ids::VERDICT_SIGNATURE]
);
field_mutation!(
    kid_changed,
    "kid",
    json!("kv-premium/keys/audit-2026/3"),
    [ids::RECEIPT_HASH, ids::KEY_SELECT, ids::VERDICT_SIGNATURE]
);
field_mutation!(
    worm_blob_uri_changed,
    "wormBlobUri",
    json!("https://elsewhere.example/audit/cust-0042/2026/03/02/0903Z.json"),
    [ids::RECEIPT_HASH, ids::RECEIPT_SIGNATURE, ids::VERDICT_SIGNATURE]
);
field_mutation!(
    immutability_changed,
    "immutability",
    json!("locked-1y"),
    [ids::RECEIPT_HASH, ids::RECEIPT_SIGNATURE, ids::VERDICT_SIGNATURE]
);
field_mutation!(alg_changed, "alg", json!("PS256"), [ids::RECEIPT_HASH, ids::RECEIPT_ALG, ids::VERDICT_SIGNATURE]);
field_mutation!(
    batch_size_changed,
    "batchSize",
    json!(55),
    [ids::RECEIPT_HASH, ids::RECEIPT_SIGNATURE, ids::VERDICT_SIGNATURE]
);

#[test]
fn signature_bit_flipped() {
    let mut r = receipt();
    let mut sig = receipt_verify::decode_base64(r["signature"].as_str().unwrap()).unwrap();
    sig[17] ^= 0x08;
    r.insert("signature".into(), json!(<base64ct::Base64 as base64ct::Encoding>::encode_string(&sig)));
    assert_fails(&verify_receipt(&r), &[ids::RECEIPT_SIGNATURE, ids::VERDICT_SIGNATURE]);
}

#[test]
fn signature_truncated() {
    let mut r = receipt();
    let sig = receipt_verify::decode_base64(r["signature"].as_str().unwrap()).unwrap();
    r.insert("signature".into(), json!(<base64ct::Base64 as base64ct::Encoding>::encode_string(&sig[..255])));
    let report = verify_receipt(&r);
    assert_fails(&report, &[ids::RECEIPT_SIGNATURE, ids::VERDICT_SIGNATURE]);
    let c = report.failures().next().unwrap();
    assert!(c.actual.as_deref().unwrap().contains("255 bytes"), "{c:?}");
}

#[test]
fn field_added() {
    let mut r = receipt();
    r.insert("note".into(), json!("added later"));
    assert_fails(&verify_receipt(&r), &[ids::RECEIPT_HASH, ids::RECEIPT_SIGNATURE, ids::VERDICT_SIGNATURE]);
}

#[test]
fn required_field_removed() {
    for field in [
        "customerId",
        "batchHead",
        "prevHash",
        "thisHash",
        "signedAt",
        "kid",
        "signature",
        "wormBlobUri",
        "immutability",
    ] {
        let mut r = receipt();
        r.remove(field);
        let report = verify_receipt(&r);
        assert!(report.failed(ids::RECEIPT_FIELDS), "{field}");
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
    assert_fails(&verify_receipt(&r), &[]);
}

#[test]
fn uppercase_hash_is_malformed() {
    let mut r = receipt();
    let upper = r["batchHead"].as_str().unwrap().to_uppercase().replacen("0X", "0x", 1);
    r.insert("batchHead".into(), json!(upper));
    assert_fails(
        &verify_receipt(&r),
        &[ids::RECEIPT_FIELDS, ids::RECEIPT_HASH, ids::RECEIPT_SIGNATURE, ids::VERDICT_SIGNATURE],
    );
}

// --- Rules that hold even when the vendor signs (re-signed mutations) -----------------

#[test]
fn resigned_http_worm_uri() {
    let mut r = receipt();
    let uri = r["wormBlobUri"].as_str().unwrap().replace("https://", "http://");
    r.insert("wormBlobUri".into(), json!(uri));
    reseal(&mut r);
    assert_fails(&verify_receipt(&r), &[ids::WORM_URI]);
}

#[test]
fn resigned_worm_path_of_another_minute() {
    let mut r = receipt();
    let uri = r["wormBlobUri"].as_str().unwrap().replace("0903Z", "0904Z");
    r.insert("wormBlobUri".into(), json!(uri));
    reseal(&mut r);
    let report = verify_receipt(&r);
    assert_fails(&report, &[ids::WORM_URI]);
    let c = report.failures().next().unwrap();
    assert_eq!(c.expected.as_deref(), Some("…/cust-0042/2026/03/02/0903Z.json"));
}

#[test]
fn resigned_bad_immutability() {
    let mut r = receipt();
    r.insert("immutability".into(), json!("locked-forever"));
    reseal(&mut r);
    assert_fails(&verify_receipt(&r), &[ids::WORM_IMMUTABILITY]);
}

#[test]
fn resigned_outside_key_window() {
    let mut r = receipt();
    r.insert("signedAt".into(), json!("2027-03-02T09:03:00Z"));
    let uri = r["wormBlobUri"].as_str().unwrap().replace("/2026/", "/2027/");
    r.insert("wormBlobUri".into(), json!(uri));
    reseal(&mut r);
    assert_fails(&verify_receipt(&r), &[ids::KEY_VALIDITY]);
}

#[test]
fn resigned_alg_that_does_not_fit_the_key() {
    let mut r = receipt();
    r.insert("alg".into(), json!("ES256"));
    reseal(&mut r);
    assert_fails(&verify_receipt(&r), &[ids::RECEIPT_ALG, ids::VERDICT_SIGNATURE]);
}

#[test]
fn revoked_key() {
    let jwks = JWKS.replacen("\"status\": \"active\"", "\"status\": \"revoked\"", 1);
    assert_fails(&run_with(&[("jwks.json", &jwks)], &one("receipt.json", &receipt()), None), &[ids::KEY_STATUS]);
}

#[test]
fn retired_key_is_a_note() {
    let jwks = JWKS.replacen("\"status\": \"active\"", "\"status\": \"retired\"", 1);
    let report = run_with(&[("jwks.json", &jwks)], &one("receipt.json", &receipt()), None);
    assert_fails(&report, &[]);
    assert!(has(&report, ids::KEY_STATUS, Status::Note));
}

#[test]
fn pem_key_without_kid_is_used_and_kid_not_checked() {
    let report = run_with(&[("audit-key.pub.pem", PUB_PEM)], &one("receipt.json", &receipt()), None);
    assert_fails(&report, &[]);
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
    assert_fails(&report, &[ids::RECEIPT_SIGNATURE, ids::VERDICT_SIGNATURE]);
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
    assert_fails(&report, &[ids::KEY_SELECT, ids::VERDICT_SIGNATURE]);
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
    assert_fails(&chain_report(&c), &[ids::CHAIN_LINK]);
}

#[test]
fn chain_two_receipts_swapped() {
    let mut c = receipts();
    c.swap(2, 3);
    assert_fails(&chain_report(&c), &[ids::CHAIN_LINK, ids::CHAIN_ORDER]);
}

#[test]
fn chain_receipt_inserted_twice() {
    let mut c = receipts();
    let dup = c[1].clone();
    c.insert(2, dup);
    assert_fails(&chain_report(&c), &[ids::CHAIN_LINK, ids::CHAIN_ORDER]);
}

#[test]
fn chain_resigned_with_equal_timestamps() {
    let mut c = receipts();
    let t = c[1]["signedAt"].clone();
    let uri = c[1]["wormBlobUri"].clone();
    c[2].insert("signedAt".into(), t);
    c[2].insert("wormBlobUri".into(), uri);
    reseal_chain(&mut c);
    assert_fails(&chain_report(&c), &[ids::CHAIN_ORDER]);
}

#[test]
fn chain_resigned_with_another_customer() {
    let mut c = receipts();
    let uri = c[4]["wormBlobUri"].as_str().unwrap().replace("cust-0042", "cust-0099");
    c[4].insert("customerId".into(), json!("cust-0099"));
    c[4].insert("wormBlobUri".into(), json!(uri));
    reseal_chain(&mut c);
    assert_fails(&chain_report(&c), &[ids::CHAIN_CUSTOMER]);
}

#[test]
fn chain_starting_mid_way_is_a_note() {
    let mut c = receipts();
    c.remove(0);
    let report = chain_report(&c);
    assert_fails(&report, &[]);
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
    assert_fails(&report, &[ids::ROWS_HASH]);
    let c = report.failures().next().unwrap();
    assert_eq!((c.subject.line, c.subject.pointer.as_deref()), (Some(100), Some("/thisHash")));
}

#[test]
fn sealed_head_row_edited() {
    let mut rows = rows();
    rows[95].insert("action".into(), json!("delete"));
    assert_fails(&rows_report(&rows), &[ids::ROWS_HASH, ids::ROWS_HEAD]);
}

#[test]
fn row_edited_and_its_hash_recomputed() {
    let mut rows = rows();
    rows[99].insert("actor".into(), json!("mallory"));
    let h = receipt_verify::Hash::sha256(&receipt_verify::canonical_without(&rows[99], &["thisHash"]).unwrap());
    rows[99].insert("thisHash".into(), json!(h.to_string()));
    assert_fails(&rows_report(&rows), &[ids::ROWS_LINK]);
}

#[test]
fn row_deleted() {
    let mut rows = rows();
    rows.remove(99);
    assert_fails(&rows_report(&rows), &[ids::ROWS_LINK, ids::ROWS_SEQ]);
}

#[test]
fn row_inserted() {
    let mut rows = rows();
    let copy = rows[99].clone();
    rows.insert(100, copy);
    assert_fails(&rows_report(&rows), &[ids::ROWS_LINK, ids::ROWS_SEQ]);
}

#[test]
fn rows_reordered() {
    let mut rows = rows();
    rows.swap(99, 100);
    assert_fails(&rows_report(&rows), &[ids::ROWS_LINK, ids::ROWS_SEQ]);
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
    assert_fails(&report, &[ids::ROWS_HEAD]);
    // Receipts 2..=5 seal heads that no longer exist.
    assert_eq!(report.failures().count(), 4);
}

#[test]
fn row_deleted_and_everything_after_rehashed() {
    let mut rows = rows();
    rows.remove(119);
    rehash_rows(&mut rows, 119);
    assert_fails(&rows_report(&rows), &[ids::ROWS_HEAD, ids::ROWS_SEQ]);
}

#[test]
fn export_truncated_before_the_last_head() {
    let rows: Vec<_> = rows().into_iter().take(250).collect();
    assert_fails(&rows_report(&rows), &[ids::ROWS_HEAD]);
}

#[test]
fn head_row_of_another_customer_resealed() {
    let mut rows = rows();
    rows[47].insert("customerId".into(), json!("cust-0099"));
    rehash_rows(&mut rows, 47);
    let mut chain = receipts();
    reseal_over(&rows, &mut chain, &HEADS);
    let report = run(&[("receipts.jsonl", jsonl(&chain))], Some(&jsonl(&rows)));
    assert_fails(&report, &[ids::ROWS_CUSTOMER]);
}

#[test]
fn receipts_resealed_with_heads_out_of_order() {
    let rows = rows();
    let mut chain = receipts();
    reseal_over(&rows, &mut chain, &[48, 150, 96, 201, 247, 290]);
    assert_fails(&run(&[("receipts.jsonl", jsonl(&chain))], Some(&jsonl(&rows))), &[ids::ROWS_HEAD]);
}

#[test]
fn malformed_row_line() {
    let mut text = jsonl(&rows());
    text = text.replacen("{\"action\"", "{\"action\" ", 1).replacen("\"seq\":100,", "\"seq\":100,,", 1);
    let report = run(&[("receipts.jsonl", RECEIPTS.into())], Some(&text));
    assert!(report.failed(ids::ROWS_PARSE));
    let c = report.failures().find(|c| c.id == ids::ROWS_PARSE).unwrap();
    assert_eq!(c.subject.line, Some(100));
}

#[test]
fn row_with_duplicate_key_is_refused() {
    let text = jsonl(&rows()).replacen("\"seq\":7,", "\"seq\":7,\"seq\":7,", 1);
    let report = run(&[("receipts.jsonl", RECEIPTS.into())], Some(&text));
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
    assert_fails(&report, &[]);
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
    // Bob's signature no longer counts, so the 250-device wave has one approver left.
    assert_fails(&report, &[ids::APPROVAL_SIGNATURE, ids::APPROVAL_QUORUM]);
    assert_eq!(report.failures().next().unwrap().subject.pointer.as_deref(), Some("/0/approvals/1/signature"));
}

#[test]
fn approval_wave_changed_after_signing() {
    let mut a = approval();
    a.insert("deviceCount".into(), json!(2500));
    let report = approval_report(&[a]);
    assert_fails(&report, &[ids::APPROVAL_SIGNATURE, ids::APPROVAL_QUORUM, ids::VERDICT_SIGNATURE]);
    assert_eq!(report.failures().count(), 4);
}

#[test]
fn approval_entry_signed_at_changed() {
    let mut a = approval();
    a["approvals"][0].as_object_mut().unwrap().insert("signedAt".into(), json!("2026-03-01T16:16:00Z"));
    assert_fails(&approval_report(&[a]), &[ids::APPROVAL_SIGNATURE, ids::APPROVAL_QUORUM]);
}

#[test]
fn approval_stale_when_consumed() {
    let mut a = approval();
    // consumedAt is not signed: moving it keeps every signature valid.
    a.insert("consumedAt".into(), json!("2026-03-02T16:15:01Z"));
    let report = approval_report(&[a]);
    assert_fails(&report, &[ids::APPROVAL_FRESHNESS]);
    let c = report.failures().next().unwrap();
    assert_eq!(c.actual.as_deref(), Some("consumedAt − signedAt = 24h 0m 1s"));
}

#[test]
fn approval_exactly_24h_old_is_fresh() {
    let mut a = approval();
    a.insert("consumedAt".into(), json!("2026-03-02T16:15:00Z"));
    assert_fails(&approval_report(&[a]), &[]);
}

#[test]
fn approval_consumed_before_signed() {
    let mut a = approval();
    a.insert("consumedAt".into(), json!("2026-03-02T08:00:00Z"));
    assert_fails(&approval_report(&[a]), &[ids::APPROVAL_FRESHNESS]);
}

#[test]
fn approval_second_approver_removed() {
    let mut a = approval();
    a["approvals"].as_array_mut().unwrap().pop();
    assert_fails(&approval_report(&[a]), &[ids::APPROVAL_QUORUM]);
}

#[test]
fn approval_same_approver_twice() {
    let mut a = approval();
    let first = a["approvals"][0].clone();
    a["approvals"].as_array_mut().unwrap()[1] = first;
    assert_fails(&approval_report(&[a]), &[ids::APPROVAL_QUORUM]);
}

#[test]
fn approval_101_devices_need_two_approvers_100_do_not() {
    let mut small = approvals()[1].clone();
    small.insert("deviceCount".into(), json!(100));
    resign_approvals(&mut small);
    assert_fails(&approval_report(std::slice::from_ref(&small)), &[]);
    small.insert("deviceCount".into(), json!(101));
    resign_approvals(&mut small);
    assert_fails(&approval_report(&[small]), &[ids::APPROVAL_QUORUM]);
}

#[test]
fn approval_requester_approves_own_wave() {
    let mut a = approval();
    a.insert("requestedBy".into(), json!("alice"));
    resign_approvals(&mut a);
    let report = approval_report(&[a]);
    assert_fails(&report, &[ids::APPROVAL_SEPARATION]);
    assert_eq!(report.failures().next().unwrap().subject.pointer.as_deref(), Some("/0/approvals/0/approver"));
}

#[test]
fn approval_replayed() {
    let a = approval();
    let report = approval_report(&[a.clone(), a]);
    assert_fails(&report, &[ids::APPROVAL_REPLAY]);
    let c = report.failures().next().unwrap();
    assert_eq!(c.subject.index, Some(1));
}

#[test]
fn approval_replayed_across_files() {
    let text = serde_json::to_string(&approval()).unwrap();
    let report = run(&[("a.json", text.clone()), ("b.json", text)], None);
    assert_fails(&report, &[ids::APPROVAL_REPLAY]);
    assert_eq!(report.failures().next().unwrap().subject.file.as_deref(), Some("b.json"));
}

#[test]
fn approval_signed_under_another_approvers_kid() {
    let mut a = approval();
    // Bob signs, but the entry claims alice's kid: the kid is signed, so no key verifies it.
    let entry = a["approvals"][0].as_object_mut().unwrap();
    entry.insert("kid".into(), json!("approvers/bob/1"));
    let report = approval_report(&[a]);
    assert_fails(&report, &[ids::APPROVAL_SIGNATURE, ids::APPROVAL_QUORUM]);
}

// --- Input problems -------------------------------------------------------------------

#[test]
fn receipt_with_duplicate_key() {
    let text = serde_json::to_string(&receipt()).unwrap().replacen("{", "{\"kid\":\"x\",", 1);
    let report = run(&[("dup.json", text)], None);
    assert_fails(&report, &[ids::INPUT_PARSE, ids::VERDICT_SIGNATURE]);
    assert!(report.failures().next().unwrap().message.contains("duplicate object key \"kid\""));
}

#[test]
fn receipt_with_unrepresentable_number() {
    let mut r = receipt();
    r.insert("batchSize".into(), json!(9_007_199_254_740_993_u64));
    let report = verify_receipt(&r);
    assert_fails(&report, &[ids::INPUT_PARSE, ids::VERDICT_SIGNATURE]);
}

#[test]
fn unknown_type_and_non_objects() {
    let report = run(&[("x.json", "[1, {\"type\": \"coupon\"}]".into())], None);
    assert_fails(&report, &[ids::INPUT_KIND, ids::VERDICT_SIGNATURE]);
    assert_eq!(report.failures().count(), 3);
}

#[test]
fn nothing_to_verify() {
    assert_fails(&run(&[], None), &[ids::INPUT_EMPTY, ids::VERDICT_SIGNATURE]);
}

#[test]
fn invalid_utf8_receipt() {
    let inputs = [receipt_verify::InputFile::new("bad.json", b"{\"kid\": \"\xff\"}".to_vec())];
    let report = receipt_verify::verify(jwks(), &inputs, None, &receipt_verify::RustCryptoBackend);
    assert_fails(&report, &[ids::INPUT_PARSE, ids::VERDICT_SIGNATURE]);
    assert!(report.failures().next().unwrap().message.contains("invalid UTF-8 at byte offset 9"));
}

// --- The committed tampered examples ----------------------------------------------------

#[test]
fn tampered_examples_fail_as_documented_with_places_and_values() {
    type Case<'a> = (&'a [(&'a str, String)], Option<&'a str>, &'a [&'a str]);
    let cases: [Case; 4] = [
        (
            &[("tampered/receipt-edited.json", TAMPERED_RECEIPT.into())],
            None,
            &[ids::RECEIPT_HASH, ids::RECEIPT_SIGNATURE, ids::VERDICT_SIGNATURE],
        ),
        (&[("tampered/receipts-removed.jsonl", TAMPERED_CHAIN.into())], None, &[ids::CHAIN_LINK]),
        (&[("receipts.jsonl", RECEIPTS.into())], Some(TAMPERED_ROWS), &[ids::ROWS_HEAD]),
        (
            &[("tampered/approval-self-approved.json", TAMPERED_APPROVAL.into())],
            None,
            &[ids::APPROVAL_QUORUM, ids::APPROVAL_SEPARATION],
        ),
    ];
    for (files, rows, expected) in cases {
        let report = run(files, rows);
        assert_fails(&report, expected);
        // verdict.signature is about the whole input: it has no file or pointer.
        for c in report.failures().filter(|c| c.id != ids::VERDICT_SIGNATURE) {
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
    assert_fails(&report, &[ids::RECEIPT_SIGNATURE, ids::VERDICT_SIGNATURE]);
    assert_eq!(report.failures().count(), 7);
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
    assert_fails(&report, &[ids::RECEIPT_SIGNATURE]);
    assert_eq!(report.failures().count(), 5);
}
