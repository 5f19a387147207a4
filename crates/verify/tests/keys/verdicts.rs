//! What keys do to the verdict (v1.1): roles, `key.skipped` notes, and lifetimes that
//! belong to the key by fingerprint.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use super::files::jwks_with;
use super::*;
use receipt_verify::{ids, parse_key_file, KeyFile, Status, Verdict, Verification};

/// Verify the demo receipts and approvals with the given key files (name, text); the
/// skipped keys are reported as `key.skipped` notes.
fn verify_demo(key_files: &[(&str, String)]) -> receipt_verify::Report {
    let mut all = KeyFile::default();
    for (name, t) in key_files {
        all.add(parse_key_file(t.as_bytes(), name).unwrap()).unwrap();
    }
    let files = [
        receipt_verify::InputFile::new("receipts.jsonl", RECEIPTS.as_bytes().to_vec()),
        receipt_verify::InputFile::new("approvals.json", APPROVALS.as_bytes().to_vec()),
    ];
    let mut v = Verification::new(all.keys, &files);
    v.note_skipped_keys(&all.skipped);
    v.finish_with(&receipt_verify::RustCryptoBackend)
}

fn jwks_edited(edit: impl Fn(usize, &mut Value)) -> String {
    let mut v: Value = serde_json::from_str(JWKS).unwrap();
    for (i, k) in v["keys"].as_array_mut().unwrap().iter_mut().enumerate() {
        edit(i, k);
    }
    v.to_string()
}

fn count(report: &receipt_verify::Report, id: &str, status: Status) -> usize {
    report.checks.iter().filter(|c| c.id == id && c.status == status).map(|c| c.weight()).sum()
}

#[test]
fn key_roles_bind_keys_to_the_kind_of_receipt() {
    let (receipts, entries) = (
        objects(RECEIPTS).len(),
        count(&verify_demo(&[("jwks.json", JWKS.into())]), ids::APPROVAL_SIGNATURE, Status::Pass),
    );
    // Honest roles: every key.role passes, and the set verifies.
    let honest = jwks_edited(|i, k| k["receiptRoles"] = if i == 0 { json!(["batch"]) } else { json!(["approval"]) });
    let report = verify_demo(&[("jwks.json", honest)]);
    assert_fails(&report, &[]);
    assert_eq!(count(&report, ids::KEY_ROLE, Status::Pass), receipts + entries);
    // Without roles: verified, with a warning per signature that the role was not checked.
    // (The demo JWKS carries receiptRoles since v1.1, so they are removed here.)
    let roleless = jwks_edited(|_, k| {
        k.as_object_mut().unwrap().remove("receiptRoles");
    });
    let report = verify_demo(&[("jwks.json", roleless)]);
    assert_eq!(report.verdict(), Verdict::Verified);
    assert_eq!(count(&report, ids::KEY_ROLE, Status::Warn), receipts + entries);
    assert!(report.checks.iter().any(|c| c.id == ids::KEY_ROLE && c.message.contains("role not checked")));
    // The audit key limited to approvals cannot seal batches.
    let swapped =
        jwks_edited(|i, k| k["receiptRoles"] = if i == 0 { json!(["approval"]) } else { json!(["batch", "content"]) });
    let report = verify_demo(&[("jwks.json", swapped)]);
    assert_fails(&report, &[ids::KEY_ROLE, ids::APPROVAL_QUORUM, ids::VERDICT_SIGNATURE]);
    assert_eq!(count(&report, ids::KEY_ROLE, Status::Fail), receipts + entries);
    let fail = report.checks.iter().find(|c| c.id == ids::KEY_ROLE && c.status == Status::Fail).unwrap();
    assert_eq!(fail.expected.as_deref(), Some("receiptRoles including \"batch\""));
    assert_eq!(fail.actual.as_deref(), Some("[\"approval\"]"));
    // "content" alone signs neither kind.
    let content = jwks_edited(|_, k| k["receiptRoles"] = json!(["content"]));
    assert_eq!(count(&verify_demo(&[("jwks.json", content)]), ids::KEY_ROLE, Status::Fail), receipts + entries);
    // The demo JWKS as published: its roles fit, so every key.role passes.
    let report = verify_demo(&[("jwks.json", JWKS.into())]);
    assert_fails(&report, &[]);
    assert_eq!(count(&report, ids::KEY_ROLE, Status::Pass), receipts + entries);
}

#[test]
fn skipped_keys_appear_in_the_report_as_notes() {
    let ed = json!({"kty": "OKP", "crv": "Ed25519", "x": "QdF7urI87C40uriZnxg6qpWxSH8KTBeod842-bAdFjg", "kid": "ed"});
    let report = verify_demo(&[("jwks.json", jwks_with(vec![ed]))]);
    assert_eq!(report.verdict(), Verdict::Verified);
    let note = report.checks.iter().find(|c| c.id == ids::KEY_SKIPPED).unwrap();
    assert_eq!(note.status, Status::Note);
    assert_eq!(note.subject.file.as_deref(), Some("jwks.json"));
    assert_eq!(note.subject.pointer.as_deref(), Some("/keys/0"));
    assert!(note.message.contains("kid \"ed\"") && note.message.contains("OKP"), "{}", note.message);
}

#[test]
fn revocation_belongs_to_the_key_whichever_entry_selects_it() {
    let revoked = jwks_edited(|i, k| {
        if i == 0 {
            k["status"] = json!("revoked");
        }
    });
    // A receipt whose kid no JWK has: the kid-less PEM of the same key is selected.
    let mut r = receipts()[0].clone();
    r.insert("kid".into(), json!("vendor-audit-key"));
    reseal(&mut r);
    let files = one("r.json", &r);
    let control = run_with(&[("key.pem", PUB_PEM), ("jwks.json", JWKS)], &files, None);
    assert_fails(&control, &[]);
    let report = run_with(&[("key.pem", PUB_PEM), ("jwks.json", &revoked)], &files, None);
    assert_fails(&report, &[ids::KEY_STATUS, ids::VERDICT_SIGNATURE]);
    let fail = report.failures().next().unwrap();
    assert!(fail.message.contains("revoked") && fail.message.contains("jwks.json"), "{}", fail.message);
    // The order of the files does not matter.
    let report = run_with(&[("jwks.json", &revoked), ("key.pem", PUB_PEM)], &files, None);
    assert_fails(&report, &[ids::KEY_STATUS, ids::VERDICT_SIGNATURE]);
}

#[test]
fn a_retired_key_without_an_end_date_never_gives_an_unqualified_pass() {
    let retired = |until: Option<&str>| {
        jwks_edited(|i, k| {
            if i == 0 {
                k["status"] = json!("retired");
                match until {
                    Some(u) => k["validUntil"] = json!(u),
                    None => {
                        k.as_object_mut().unwrap().remove("validUntil");
                    }
                }
            }
        })
    };
    let receipts = objects(RECEIPTS).len();
    let report = verify_demo(&[("jwks.json", retired(None))]);
    assert_eq!(count(&report, ids::KEY_STATUS, Status::Warn), receipts);
    assert!(report.checks.iter().any(|c| c.id == ids::KEY_STATUS && c.message.contains("no end date")));
    // With its window: a note, and the window is checked.
    let report = verify_demo(&[("jwks.json", retired(Some("2026-12-31T23:59:59Z")))]);
    assert_eq!(
        (count(&report, ids::KEY_STATUS, Status::Warn), count(&report, ids::KEY_STATUS, Status::Note)),
        (0, receipts)
    );
    let report = verify_demo(&[("jwks.json", retired(Some("2026-01-01T00:00:01Z")))]);
    assert!(report.failed(ids::KEY_VALIDITY));
    // The window of the retired entry applies to the same key given as a kid-less PEM.
    let mut r = objects(RECEIPTS)[0].clone();
    r.insert("kid".into(), json!("vendor-audit-key"));
    reseal(&mut r);
    let report = run_with(
        &[("key.pem", PUB_PEM), ("jwks.json", &retired(Some("2026-01-01T00:00:01Z")))],
        &one("r.json", &r),
        None,
    );
    assert_fails(&report, &[ids::KEY_VALIDITY, ids::VERDICT_SIGNATURE]);
}
