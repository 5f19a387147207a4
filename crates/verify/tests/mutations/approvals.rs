//! Wave approvals.

// In WASM builds `#[test]` means `#[wasm_bindgen_test]`: the same tests run natively,
// in Node and in headless Chromium.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use super::*;

// --- Wave approvals -------------------------------------------------------------------

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
    assert_eq!(report.failures().count(), 4);
}

#[test]
fn approval_entry_signed_at_changed() {
    let mut a = approval();
    a["approvals"][0].as_object_mut().unwrap().insert("signedAt".into(), json!("2026-03-01T16:16:00Z"));
    assert_fails(&approval_report(&[a]), expect::APPROVAL_ENTRY_SIGNED_AT_CHANGED);
}

#[test]
fn approval_stale_when_consumed() {
    let mut a = approval();
    // consumedAt is not signed: moving it keeps every signature valid.
    a.insert("consumedAt".into(), json!("2026-03-02T16:15:01Z"));
    let report = approval_report(&[a]);
    assert_fails(&report, expect::APPROVAL_STALE_WHEN_CONSUMED);
    let c = report.failures().next().unwrap();
    assert_eq!(c.actual.as_deref(), Some("consumedAt − signedAt = 24h 0m 1s"));
}

#[test]
fn approval_stale_by_less_than_a_second_says_so() {
    for (consumed, actual) in [
        ("2026-03-02T16:15:00.9Z", "consumedAt − signedAt = 24h 0m 0.9s"),
        ("2026-03-02T16:15:00.000000001Z", "consumedAt − signedAt = 24h 0m 0.000000001s"),
        ("2026-03-01T16:14:59.999999999Z", "consumedAt − signedAt = -0.000000001s"),
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
    a.insert("consumedAt".into(), json!("2026-03-02T16:15:00Z"));
    assert_fails(&approval_report(&[a]), expect::APPROVAL_EXACTLY_24H_OLD_IS_FRESH);
}

#[test]
fn approval_consumed_before_signed() {
    let mut a = approval();
    a.insert("consumedAt".into(), json!("2026-03-02T08:00:00Z"));
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
