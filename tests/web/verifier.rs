//! The verifier widget's state model and view. The model tests run natively and in
//! headless Chromium; the view tests mount the widget in Chromium, directly and through the
//! page's Leptos component (`mount_to`).

#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)] // test helpers: a failed unwrap is a failed test
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::sync::Arc;

use trust_center::report::{Inspection, Report, Role};
use trust_center::verifier::model::{Origin, Phase, PublishedKeys, Verdict, VerifierModel, PUBLISHED_ID};
use trust_center::verifier::{result, yourself};

fn inspection(kind: &str, label: &str) -> Inspection {
    serde_json::from_value(serde_json::json!({ "kind": kind, "label": label, "count": 1, "keys": [] })).unwrap()
}

fn published() -> PublishedKeys {
    PublishedKeys { name: "jwks.json".into(), bytes: Arc::new(b"{\"keys\":[]}".to_vec()) }
}

fn report(verdict: &str, failing: &[&str]) -> Report {
    let mut checks = vec![
        // Report v2: every pass of an id in one entry, with its count and last place.
        serde_json::json!({"id": "receipt.hash", "status": "pass", "count": 1440, "subject": {"file": "r.json"},
                           "last": {"file": "r.json", "index": 1439}, "message": "ok"}),
    ];
    for id in failing {
        checks.push(serde_json::json!({
            "id": id, "status": "fail", "subject": {"file": "r.json", "index": 0, "pointer": "/thisHash"},
            "message": "differs", "expected": "0xaa", "actual": "0xbb"
        }));
    }
    serde_json::from_value(serde_json::json!({
        "verdict": verdict,
        "summary": {"pass": 1440, "fail": failing.len(), "warn": 0, "note": 0},
        "keys": [{"kid": "k1", "source": "published: jwks.json", "keyType": "RSA-2048",
                  "fingerprint": "8845f2740bd9ff0c6815f18394c6073fd7d9645e0cbe3e9e5701d67ab1086d17",
                  "verifiedSignatures": 1}],
        "checks": checks,
    }))
    .unwrap()
}

const FP_PUBLISHED: &str = "8845f2740bd9ff0c6815f18394c6073fd7d9645e0cbe3e9e5701d67ab1086d17";
const FP_OTHER: &str = "1111111111111111111111111111111111111111111111111111111111111111";

fn keys_inspection(fingerprints: &[&str]) -> Inspection {
    let keys: Vec<_> = fingerprints
        .iter()
        .enumerate()
        .map(|(i, f)| serde_json::json!({"kid": format!("k{}", i + 1), "keyType": "RSA-2048", "fingerprint": f}))
        .collect();
    serde_json::from_value(serde_json::json!({ "kind": "keys", "label": "keys", "count": keys.len(), "keys": keys }))
        .unwrap()
}

fn key_names(m: &VerifierModel) -> Vec<String> {
    m.plan().unwrap().keys.into_iter().map(|(n, _)| n).collect()
}

#[test]
fn files_are_added_inspected_and_removed() {
    let mut m = VerifierModel::new(Some(published()));
    assert!(matches!(&m.phase, Phase::Waiting(why) if why.contains("Drop a receipt")));
    let r = m.add("r.json", b"{}".to_vec());
    assert!(!m.ready(), "not ready while a file is still being inspected");
    m.inspected(r, inspection("receipt", "receipt (cust-0042)"));
    assert!(m.ready());
    assert_eq!(key_names(&m), ["published: jwks.json"]);
    assert!(!m.plan().unwrap().own_keys);
    m.remove(r);
    assert!(m.files.is_empty() && !m.ready());
}

#[test]
fn keys_the_visitor_supplies_are_added_to_the_published_ones() {
    let mut m = VerifierModel::new(Some(published()));
    let r = m.add("r.json", b"{}".to_vec());
    let k = m.add("mine.pem", b"pem".to_vec());
    m.inspected(r, inspection("receipt", "receipt"));
    m.inspected(k, inspection("keys", "public key (no kid)"));
    assert_eq!(key_names(&m), ["published: jwks.json", "mine.pem"], "added, not replacing");
    assert!(m.plan().unwrap().own_keys);
    assert!(!m.only_my_keys, "the box says what is in effect");
    m.set_only_my_keys(true);
    assert_eq!(key_names(&m), ["mine.pem"]);
    m.remove(k);
    assert!(m.plan().unwrap_err().message().contains("Add a public key"));
    // A visitor's file named like the published set is not taken for it.
    let fake = m.add("published: jwks.json", b"pem".to_vec());
    m.inspected(fake, inspection("keys", "key"));
    assert_eq!(key_names(&m), ["file published: jwks.json"]);
}

#[test]
fn a_broken_key_file_is_refused_and_never_falls_back_to_the_published_keys() {
    let mut m = VerifierModel::new(Some(published()));
    let r = m.add("receipts.jsonl", b"{}".to_vec());
    let k = m.add("broken.pem", b"-----BEGIN PUBLIC KEY-----\nAAAA\n".to_vec());
    m.inspected(r, inspection("receipt-chain", "chain of 6 receipts"));
    m.inspected(k, Inspection::unreadable("truncated PEM block".into()));
    assert!(!m.ready(), "nothing is verified with a file left out");
    match &m.phase {
        Phase::Refused(files) => {
            assert_eq!(files.len(), 1);
            assert_eq!(files[0].name, "broken.pem");
            assert!(files[0].reason.contains("truncated PEM"), "{:?}", files[0]);
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(m.verdict(), Some(Verdict::Failed));
    // Positive control: without the broken file the receipt is verified with the published keys.
    m.remove(k);
    assert!(m.ready());
    assert_eq!(m.verdict(), None);
}

#[test]
fn junk_and_non_receipts_are_named_not_left_out() {
    let mut m = VerifierModel::new(None);
    let x = m.add("notes.txt", b"hi".to_vec());
    m.inspected(x, inspection("unknown", "not recognised"));
    assert!(matches!(&m.phase, Phase::Refused(f) if f[0].name == "notes.txt"));
    m.remove(x);
    let r = m.add("r.json", b"{}".to_vec());
    m.inspected(r, inspection("receipt", "receipt"));
    assert_eq!(m.plan().unwrap_err().message(), "Add a public key: this page publishes none.");
    m.published_problem = Some("the vendor's keys could not be fetched from /jwks.json (HTTP 404)".into());
    assert!(m.plan().unwrap_err().message().contains("could not be fetched from /jwks.json"));
    for name in ["a.jsonl", "b.jsonl"] {
        let id = m.add(name, Vec::new());
        m.inspected(id, inspection("row-export", "row export"));
    }
    assert!(m.plan().unwrap_err().message().contains("one row export at a time"));
}

#[test]
fn no_verdict_before_every_file_is_read_and_files_keep_drop_order() {
    let mut m = VerifierModel::new(Some(published()));
    let first = m.add_reading("chain-part-1.jsonl", Origin::Visitor);
    let second = m.add_reading("chain-part-2.jsonl", Origin::Visitor);
    let export = m.add_reading("big-export.jsonl", Origin::Visitor);
    assert_eq!(m.files.len(), 3, "a chip per file from the moment it is dropped");
    // The second part finishes reading first.
    m.read(second, b"{}".to_vec());
    m.inspected(second, inspection("receipt-chain", "chain"));
    m.read(first, b"{}".to_vec());
    m.inspected(first, inspection("receipt-chain", "chain"));
    assert!(!m.ready(), "the export is still being read: no verdict yet");
    assert!(matches!(&m.phase, Phase::Waiting(w) if w.contains("Reading")));
    m.inspected(export, inspection("row-export", "rows"));
    assert!(!m.ready(), "an inspection cannot arrive for a file still being read");
    m.read(export, b"{}".to_vec());
    m.inspected(export, inspection("row-export", "rows"));
    let plan = m.plan().unwrap();
    let names: Vec<_> = plan.receipts.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["chain-part-1.jsonl", "chain-part-2.jsonl"], "drop order, not read order");
    assert_eq!(plan.rows.unwrap().0, "big-export.jsonl");
    let bad = m.add_reading("gone.json", Origin::Visitor);
    m.unreadable(bad, "the browser could not read this file".into());
    assert!(matches!(&m.phase, Phase::Refused(f) if f[0].name == "gone.json"));
}

#[test]
fn a_share_link_carries_a_receipt_and_nothing_else() {
    let mut m = VerifierModel::new(Some(published()));
    let l = m.add_from("shared-receipt.json", b"{\"keys\":[]}".to_vec(), Origin::Link);
    m.inspected(l, keys_inspection(&[FP_OTHER]));
    assert!(!m.has_own_keys(), "a link never adds keys");
    assert!(matches!(&m.phase, Phase::Refused(f) if f[0].reason.contains("share link carries a receipt")));
    m.set_role(l, Some(Role::Keys));
    assert!(!m.has_own_keys() && matches!(m.phase, Phase::Refused(_)), "not even by choosing a role");
    // Positive control: a receipt from a link is verified with the published keys only.
    let mut m = VerifierModel::new(Some(published()));
    let l = m.add_from("shared-receipt.json", b"{}".to_vec(), Origin::Link);
    m.inspected(l, inspection("receipt", "receipt"));
    assert_eq!(key_names(&m), ["published: jwks.json"]);
}

#[test]
fn the_visitor_can_change_a_files_role() {
    let mut m = VerifierModel::new(Some(published()));
    let r = m.add("receipts.jsonl", b"{}".to_vec());
    let x = m.add("export.jsonl", b"{}".to_vec());
    m.inspected(r, inspection("receipt-chain", "chain"));
    // An export whose shape made `inspect` take it for receipts.
    m.inspected(x, inspection("receipt-chain", "chain of 1,801"));
    assert!(m.plan().unwrap().rows.is_none());
    m.set_role(x, Some(Role::Rows));
    let plan = m.plan().unwrap();
    assert_eq!(plan.rows.unwrap().0, "export.jsonl");
    assert_eq!(plan.receipts.len(), 1);
    m.set_role(x, None);
    assert_eq!(m.plan().unwrap().receipts.len(), 2);
}

fn report_with_keys(verdict: &str, keys: &[(&str, &str, u64)], checks: serde_json::Value) -> Report {
    let keys: Vec<_> = keys
        .iter()
        .map(|(kid, fp, n)| {
            serde_json::json!({"kid": kid, "source": "x", "keyType": "RSA-2048", "fingerprint": fp,
                               "verifiedSignatures": n})
        })
        .collect();
    serde_json::from_value(serde_json::json!({
        "verdict": verdict, "summary": {"pass": 1, "fail": 0, "warn": 0, "note": 0}, "keys": keys, "checks": checks,
    }))
    .unwrap()
}

#[test]
fn a_pass_under_a_key_that_is_not_published_is_not_a_plain_verified() {
    let published = [FP_PUBLISHED];
    let ok = |keys: &[(&str, &str, u64)]| report_with_keys("verified", keys, serde_json::json!([]));
    assert_eq!(Verdict::of(&ok(&[("k1", FP_PUBLISHED, 3)]), &published), Verdict::Verified);
    // The visitor's copy of a published key counts as published (same fingerprint).
    assert_eq!(Verdict::of(&ok(&[("mine", FP_PUBLISHED, 3)]), &published), Verdict::Verified);
    assert_eq!(
        Verdict::of(&ok(&[("k1", FP_PUBLISHED, 3), ("evil", FP_OTHER, 1)]), &published),
        Verdict::VerifiedUnpublishedKey
    );
    // A supplied key that verified nothing does not matter.
    assert_eq!(Verdict::of(&ok(&[("k1", FP_PUBLISHED, 3), ("x", FP_OTHER, 0)]), &published), Verdict::Verified);
    // An embed without data-keys: every pass is under the visitor's own key.
    assert_eq!(Verdict::of(&ok(&[("k1", FP_PUBLISHED, 3)]), &[]), Verdict::VerifiedUnpublishedKey);
    assert_eq!(Verdict::of(&report_with_keys("not-verified", &[], serde_json::json!([])), &published), Verdict::Failed);
    // "verified" with no verified signature proves nothing.
    assert_eq!(Verdict::of(&ok(&[("k1", FP_PUBLISHED, 0)]), &published), Verdict::Failed);
    assert_eq!(Verdict::VerifiedUnpublishedKey.attr(), "verified-unpublished-key");

    let mut m = VerifierModel::new(Some(published_keys()));
    m.inspected(PUBLISHED_ID, keys_inspection(&[FP_PUBLISHED]));
    let r = m.add("r.json", b"{}".to_vec());
    m.inspected(r, inspection("receipt", "receipt"));
    m.started(9, 0);
    m.finished(9, ok(&[("evil", FP_OTHER, 1)]));
    assert_eq!(m.verdict(), Some(Verdict::VerifiedUnpublishedKey));
}

fn published_keys() -> PublishedKeys {
    published()
}

/// Red team 14, 01: with "use only keys I provide" the core never sees the published
/// entries (revocation, validity, roles), so a visitor's copy of a published key is theirs,
/// not the vendor's: never a plain *Verified*.
#[test]
fn with_only_my_keys_a_copy_of_a_published_key_is_not_vouched_for_by_the_vendor() {
    let ok = report_with_keys("verified", &[("mine", FP_PUBLISHED, 3)], serde_json::json!([]));
    let mut m = VerifierModel::new(Some(published_keys()));
    m.inspected(PUBLISHED_ID, keys_inspection(&[FP_PUBLISHED]));
    let r = m.add("r.json", b"{}".to_vec());
    let k = m.add("audit-key.pub.pem", b"pem".to_vec());
    m.inspected(r, inspection("receipt", "receipt"));
    m.inspected(k, inspection("keys", "public key (no kid)"));
    // Control: the visitor's key added to the published ones, which the core also checks.
    m.started(1, 0);
    m.finished(1, ok.clone());
    assert_eq!(m.published_fingerprints(), [FP_PUBLISHED]);
    assert_eq!(m.verdict(), Some(Verdict::Verified));
    m.set_only_my_keys(true);
    m.started(2, 0);
    m.finished(2, ok);
    assert!(m.published_fingerprints().is_empty());
    assert_eq!(m.verdict(), Some(Verdict::VerifiedUnpublishedKey));
    let spoken = trust_center::verifier::status::spoken(&m, "Northwind Ledger");
    assert!(spoken.contains("keys you provided") && !spoken.starts_with("Verified"), "{spoken}");
}

/// Red team 14, 02: a second share link opened in the same tab (only the fragment
/// changes, so the page is not loaded again) replaces the first link's receipt; one that
/// cannot be read removes it and says why. The visitor's own files stay.
#[test]
fn a_share_link_followed_after_load_replaces_the_earlier_one() {
    let mut m = VerifierModel::new(Some(published()));
    let first = m.add_from("shared-receipt.json", b"{\"a\":1}".to_vec(), Origin::Link);
    m.inspected(first, inspection("receipt", "receipt"));
    let mine = m.add("mine.json", b"{}".to_vec());
    m.follow_link(Ok(b"{\"b\":2}".to_vec()));
    let links: Vec<_> = m.files.iter().filter(|f| f.origin == Origin::Link).collect();
    assert_eq!(links.len(), 1);
    assert_ne!(links[0].id, first, "a new file, read and inspected again");
    assert_eq!(links[0].bytes.bytes(), b"{\"b\":2}");
    assert!(m.files.iter().any(|f| f.id == mine), "the visitor's files stay");
    m.follow_link(Err("not a base64url-encoded receipt".into()));
    assert!(m.files.iter().all(|f| f.origin != Origin::Link));
    assert_eq!(m.link_problem.as_deref(), Some("not a base64url-encoded receipt"));
}

#[test]
fn check_ids_on_the_banner_are_distinct_and_the_recipe_names_the_verifying_key() {
    let checks = serde_json::json!([
        {"id": "chain.link", "status": "fail", "message": "m"}, {"id": "chain.order", "status": "fail", "message": "m"},
        {"id": "chain.link", "status": "fail", "message": "m"}, {"id": "chain.order", "status": "fail", "message": "m"},
        {"id": "rows.unsealed", "status": "warn", "message": "m"}, {"id": "rows.unsealed", "status": "warn", "message": "m"},
    ]);
    let r = report_with_keys("not-verified", &[], checks);
    assert_eq!(result::distinct(&r, "fail"), ["chain.link", "chain.order"]);
    assert_eq!(result::distinct(&r, "warn"), ["rows.unsealed"]);
    let two = report_with_keys("verified", &[("k1", FP_PUBLISHED, 1), ("k2", FP_OTHER, 1)], serde_json::json!([]));
    assert_eq!(yourself::verifying_fingerprint(&two, Some("k2")).as_deref(), Some(FP_OTHER));
    assert_eq!(yourself::verifying_fingerprint(&two, Some("k1")).as_deref(), Some(FP_PUBLISHED));
    assert_eq!(yourself::verifying_fingerprint(&two, None), None, "ambiguous: print none rather than a wrong one");
    assert_eq!(yourself::verifying_fingerprint(&two, Some("k3")), None);
}

#[test]
fn answers_to_old_requests_are_ignored_and_cancel_stops_waiting() {
    let mut m = VerifierModel::new(Some(published()));
    let r = m.add("r.json", b"{}".to_vec());
    m.inspected(r, inspection("receipt", "receipt"));
    m.started(7, 100);
    m.progress(7, 50, 100);
    assert_eq!(m.phase, Phase::Running { id: 7, done: 50, total: 100 });
    m.finished(6, report("verified", &[]));
    assert!(matches!(m.phase, Phase::Running { .. }), "a stale report must not replace the running one");
    m.finished(7, report("not-verified", &["receipt.hash"]));
    assert!(matches!(&m.phase, Phase::Done(rep) if !rep.verified()));
    m.started(8, 0);
    m.cancel();
    assert_eq!(m.phase, Phase::Cancelled);
    m.failed(8, "late".into());
    assert_eq!(m.phase, Phase::Cancelled);
    m.inspected(PUBLISHED_ID, inspection("keys", "4 keys"));
    assert!(m.published_inspection.is_some() && m.files.len() == 1);
}

#[cfg(target_arch = "wasm32")]
#[path = "verifier_view.rs"]
mod view;

/// The "Check it yourself" commands, run as shown against the demo chain (as JSON Lines,
/// also after blank lines, and as a JSON array), with the demo public key saved as key.pem.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn the_check_it_yourself_commands_work_as_shown() {
    use trust_center::verifier::recipe::{commands, Layout};
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let chain = std::fs::read_to_string(root.join("examples/receipts.jsonl")).unwrap();
    let fingerprint = "8845f2740bd9ff0c6815f18394c6073fd7d9645e0cbe3e9e5701d67ab1086d17";
    let array = format!("[{}]", chain.lines().collect::<Vec<_>>().join(","));
    let mut ran = 0;
    let blank_first = format!("\n  \r\n{chain}");
    for (name, text, layout) in [
        ("receipts.jsonl", chain.clone(), Layout::Lines),
        ("blank first.jsonl", blank_first, Layout::Lines),
        ("chain's array.json", array, Layout::Array),
    ] {
        assert_eq!(Layout::of(text.as_bytes()), layout);
        let dir = std::env::temp_dir().join(format!("recipe-{}-{ran}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), &text).unwrap();
        std::fs::copy(root.join("examples/audit-key.pub.pem"), dir.join("key.pem")).unwrap();
        let script = commands(name, layout, "RS256", Some(fingerprint));
        let out = std::process::Command::new("sh").arg("-ec").arg(&script).current_dir(&dir).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{script}\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(lines[0], lines[1], "thisHash by hand: {stdout}");
        assert_eq!(lines[2], "Verified OK", "{stdout}");
        assert!(lines[3].starts_with(fingerprint), "{stdout}");
        std::fs::remove_dir_all(&dir).unwrap();
        ran += 1;
    }
    assert_eq!(ran, 3);
}
