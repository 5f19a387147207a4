//! v1.1 approval rules: quorum by distinct keys, approver binding, identity comparison
//! in separation of duties and replay, and `approval.consumed`. Every rule has an attack
//! that must fail and an honest control that must pass. (Moved from verdicts.rs.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[macro_use]
mod common;
mod verdict_kit;

use common::*;
use receipt_verify::{ids, Approver, Status};
use serde_json::{json, Value};
use verdict_kit::*;

// --- Quorum -------------------------------------------------------------------------------

#[test]
fn one_key_signing_under_two_names_counts_once() {
    let mut a = approvals()[0].clone();
    // Alice's key signs both entries; the second claims to be bob but names alice's kid.
    a["approvals"][1].as_object_mut().unwrap().insert("kid".into(), json!("approvers/alice/1"));
    sign_entry_as(&mut a, 1, "alice");
    let report = run_keys(unbound_jwks(), &[("approvals.json", approvals_text(&[a.clone()]))], None);
    assert_eq!(count(&report, ids::APPROVAL_SIGNATURE, Status::Pass), 2);
    assert_fails(&report, &[ids::APPROVAL_QUORUM]);
    let c = report.failures().next().unwrap();
    assert!(c.actual.as_deref().unwrap().starts_with("1 distinct keys"), "{c:?}");
    // With keys bound to their approvers, the false name also fails the binding.
    let bound = run_keys(bound_jwks(), &[("approvals.json", approvals_text(&[a.clone()]))], None);
    assert_fails(&bound, &[ids::APPROVAL_QUORUM, ids::APPROVAL_BINDING]);
    // The published demo JWKS binds its approver keys, so it catches the false name too.
    let demo = run(&[("approvals.json", approvals_text(&[a]))], None);
    assert_fails(&demo, &[ids::APPROVAL_QUORUM, ids::APPROVAL_BINDING]);
    let c = demo.failures().find(|c| c.id == ids::APPROVAL_BINDING).unwrap();
    assert_eq!(c.subject.pointer.as_deref(), Some("/0/approvals/1/approver"));
    assert_eq!(c.actual.as_deref(), Some("\"bob\""));
}

#[test]
fn one_person_with_two_keys_counts_once() {
    let mut keys = bound_jwks();
    // Bob's key is bound to alice: two keys, one identity.
    for k in &mut keys {
        if k.kid.as_deref() == Some("approvers/bob/1") {
            k.approver = Some(Approver::Bound("Alice".into()));
        }
    }
    let mut a = approvals()[0].clone();
    a["approvals"][1].as_object_mut().unwrap().insert("approver".into(), json!("alice"));
    sign_entry_as(&mut a, 1, "bob");
    let report = run_keys(keys, &[("approvals.json", approvals_text(&[a]))], None);
    assert_fails(&report, &[ids::APPROVAL_QUORUM]);
}

#[test]
fn quorum_needs_verified_signatures_not_names() {
    // Two names, but no key supplied: nothing verified, so no approver counts.
    let report = run_keys(Vec::new(), &[("approvals.json", approvals_text(&approvals()))], None);
    assert!(report.failed(ids::APPROVAL_QUORUM));
    // Control: the honest set passes quorum with two distinct keys.
    let honest = run_keys(bound_jwks(), &[("approvals.json", APPROVALS.into())], None);
    assert_fails(&honest, &[]);
    assert_eq!(count(&honest, ids::APPROVAL_QUORUM, Status::Pass), 2);
    assert_eq!(count(&honest, ids::APPROVAL_BINDING, Status::Pass), 3);
}

#[test]
fn quorum_of_many_entries_is_linear() {
    // 900 entries under one key (below the entry limit): one distinct key, counted with
    // hash sets.
    let mut a = approvals()[0].clone();
    let first = a["approvals"][0].clone();
    a.insert("approvals".into(), Value::Array(vec![first; 900]));
    let report = run(&[("approvals.json", approvals_text(&[a]))], None);
    assert_fails(&report, &[ids::APPROVAL_QUORUM]);
    assert_eq!(count(&report, ids::APPROVAL_SIGNATURE, Status::Pass), 900);
}

// --- Approver binding -------------------------------------------------------------------

#[test]
fn approver_name_other_than_the_keys_identity_fails_binding() {
    let mut a = approvals()[1].clone();
    a["approvals"][0].as_object_mut().unwrap().insert("approver".into(), json!("dave"));
    sign_entry_as(&mut a, 0, "alice");
    let report = run_keys(bound_jwks(), &[("approvals.json", approvals_text(&[a.clone()]))], None);
    assert_fails(&report, &[ids::APPROVAL_BINDING]);
    let c = report.failures().next().unwrap();
    assert_eq!(c.subject.pointer.as_deref(), Some("/0/approvals/0/approver"));
    assert_eq!(c.actual.as_deref(), Some("\"dave\""));
    // Without a bound identity the binding is not checked, and the report says so.
    let unbound = run_keys(unbound_jwks(), &[("approvals.json", approvals_text(&[a.clone()]))], None);
    assert_fails(&unbound, &[]);
    assert!(has(&unbound, ids::APPROVAL_BINDING, Status::Note));
    // The published demo JWKS binds alice's key to "alice": the false name fails there.
    assert_fails(&run(&[("approvals.json", approvals_text(&[a]))], None), &[ids::APPROVAL_BINDING]);
    // Control: a variant spelling of the bound identity is the same identity.
    let mut b = approvals()[1].clone();
    b["approvals"][0].as_object_mut().unwrap().insert("approver".into(), json!(" ALICE\u{200b}"));
    sign_entry_as(&mut b, 0, "alice");
    let variant = run_keys(bound_jwks(), &[("approvals.json", approvals_text(&[b]))], None);
    assert_fails(&variant, &[]);
    assert!(has(&variant, ids::APPROVAL_BINDING, Status::Pass));
}

// --- Separation of duties ------------------------------------------------------------------

#[test]
fn requester_is_caught_under_variants_of_the_name() {
    for requester in [
        "Alice",
        "  alice\t",
        "al\u{200b}ice",
        "\u{2066}alice\u{2069}",
        "ａｌｉｃｅ",
        "𝐚𝐥𝐢𝐜𝐞",
        "a\u{00AD}lice",
        "ⓐⓛⓘⓒⓔ",
    ] {
        let mut a = approvals()[1].clone();
        a.insert("requestedBy".into(), json!(requester));
        resign_approvals(&mut a);
        let report = run(&[("approvals.json", approvals_text(&[a]))], None);
        assert_fails(&report, &[ids::APPROVAL_SEPARATION]);
        assert_eq!(report.failures().next().unwrap().subject.pointer.as_deref(), Some("/0/approvals/0/approver"));
    }
}

#[test]
fn look_alike_letters_from_another_script_are_refused() {
    // Cyrillic а (U+0430) for Latin a: the name mixes scripts.
    let mut a = approvals()[1].clone();
    a.insert("requestedBy".into(), json!("\u{430}lice"));
    resign_approvals(&mut a);
    let report = run(&[("approvals.json", approvals_text(&[a]))], None);
    assert_fails(&report, &[ids::APPROVAL_SEPARATION]);
    let c = report.failures().next().unwrap();
    assert!(c.message.contains("Latin and Cyrillic") || c.message.contains("Cyrillic and Latin"), "{}", c.message);
    // The approver side too: an approver "аlice" (Cyrillic а) is refused.
    let mut b = approvals()[1].clone();
    b["approvals"][0].as_object_mut().unwrap().insert("approver".into(), json!("\u{430}lice"));
    sign_entry_as(&mut b, 0, "alice");
    // With a key bound to no one, only separation can refuse it (binding notes it is
    // unchecked), and the name counts as no one towards quorum (v1.1).
    let report = run_keys(unbound_jwks(), &[("approvals.json", approvals_text(&[b.clone()]))], None);
    assert_fails(&report, &[ids::APPROVAL_SEPARATION, ids::APPROVAL_QUORUM]);
    assert!(has(&report, ids::APPROVAL_BINDING, Status::Note));
    // With the key bound to alice (the demo JWKS), two rules fail, each for its own reason:
    // separation cannot tell the approver from the requester, and binding cannot prove the
    // approver is the key's identity. Binding must not defer to separation, which only runs
    // when a requester is named.
    let report = run(&[("approvals.json", approvals_text(&[b]))], None);
    assert_fails(&report, &[ids::APPROVAL_SEPARATION, ids::APPROVAL_BINDING]);
    let binding = report.failures().find(|c| c.id == ids::APPROVAL_BINDING).unwrap();
    assert_eq!(binding.subject.pointer.as_deref(), Some("/0/approvals/0/approver"));
    assert_eq!(binding.expected.as_deref(), Some("approver \"alice\" (the key's JWK approver)"));
    assert!(binding.message.contains("Cyrillic"), "{}", binding.message);
    let separation = report.failures().find(|c| c.id == ids::APPROVAL_SEPARATION).unwrap();
    assert_ne!(binding.message, separation.message, "each rule says what it could not prove");
}

#[test]
fn requester_who_owns_the_signing_key_is_caught() {
    // The entry says "alice", but the key that signed it is bound to the requester bob.
    let mut keys = bound_jwks();
    for k in &mut keys {
        if k.kid.as_deref() == Some("approvers/alice/1") {
            k.approver = Some(Approver::Bound("bob".into()));
        }
    }
    let a = approvals()[1].clone();
    let report = run_keys(keys, &[("approvals.json", approvals_text(&[a]))], None);
    assert_fails(&report, &[ids::APPROVAL_SEPARATION, ids::APPROVAL_BINDING]);
    assert!(report.failures().any(|c| c.subject.pointer.as_deref() == Some("/0/approvals/0/kid")));
}

#[test]
fn accented_and_other_honest_names_still_pass() {
    for requester in ["joão", "João Silva", "carol@vendor.example", "Дмитрий", "山田"] {
        let mut a = approvals()[1].clone();
        a.insert("requestedBy".into(), json!(requester));
        resign_approvals(&mut a);
        let report = run(&[("approvals.json", approvals_text(&[a]))], None);
        assert_fails(&report, &[]);
        assert!(has(&report, ids::APPROVAL_SEPARATION, Status::Pass), "{requester}");
    }
}

// --- Replay -----------------------------------------------------------------------------

#[test]
fn replay_under_a_variant_wave_id_is_caught() {
    for variant in ["WAVE-0117", "wave-0117\u{200d}", "ｗａｖｅ－０１１７", " wave-0117 ", "w\u{430}ve-0117"] {
        let mut again = approvals()[0].clone();
        again.insert("waveId".into(), json!(variant));
        resign_approvals(&mut again);
        let report = run(&[("approvals.json", approvals_text(&[approvals()[0].clone(), again]))], None);
        assert_fails(&report, &[ids::APPROVAL_REPLAY]);
    }
    // The customer side of the replay key is compared the same way.
    let mut again = approvals()[0].clone();
    again.insert("customerId".into(), json!("CUST\u{2060}-0042"));
    resign_approvals(&mut again);
    let report = run(&[("approvals.json", approvals_text(&[approvals()[0].clone(), again]))], None);
    assert_fails(&report, &[ids::APPROVAL_REPLAY]);
    // Control: another wave is no replay.
    let mut other = approvals()[0].clone();
    other.insert("waveId".into(), json!("wave-0119"));
    resign_approvals(&mut other);
    let report = run(&[("approvals.json", approvals_text(&[approvals()[0].clone(), other]))], None);
    assert_fails(&report, &[]);
}

// --- consumedAt ---------------------------------------------------------------------------

#[test]
fn consumption_proven_by_a_sealed_row() {
    let files = [("receipts.jsonl", RECEIPTS.to_string()), ("approvals.json", APPROVALS.to_string())];
    let report = run(&files, Some(ROWS));
    assert_fails(&report, &[]);
    assert_eq!(count(&report, ids::APPROVAL_CONSUMED, Status::Pass), 2);
    let c = report.checks.iter().find(|c| c.id == ids::APPROVAL_CONSUMED).unwrap();
    assert!(c.message.contains("line 130") && c.message.contains("not signed"), "{}", c.message);
}

#[test]
fn consumption_without_rows_or_without_a_row_is_a_warning() {
    let no_rows = run(&[("approvals.json", APPROVALS.into())], None);
    assert_eq!(count(&no_rows, ids::APPROVAL_CONSUMED, Status::Warn), 2);
    assert!(no_rows.checks.iter().any(|c| c.message.contains("unsigned claim")));
    // consumedAt moved by a second (still fresh): no row records that time.
    let mut a = approvals()[0].clone();
    a.insert("consumedAt".into(), json!("2026-03-02T09:02:31Z"));
    let files = [("receipts.jsonl", RECEIPTS.to_string()), ("approvals.json", approvals_text(&[a]))];
    let moved = run(&files, Some(ROWS));
    assert_fails(&moved, &[]);
    let c = moved.checks.iter().find(|c| c.id == ids::APPROVAL_CONSUMED).unwrap();
    assert_eq!((c.status, c.actual.as_deref()), (Status::Warn, Some("no such row")));
    // The row of another wave does not count.
    let mut b = approvals()[0].clone();
    b.insert("consumedAt".into(), json!("2026-03-02T09:05:10Z"));
    let files = [("receipts.jsonl", RECEIPTS.to_string()), ("approvals.json", approvals_text(&[b]))];
    let other = run(&files, Some(ROWS));
    assert_eq!(count(&other, ids::APPROVAL_CONSUMED, Status::Warn), 1);
}

#[test]
fn consumption_row_after_the_last_sealed_head_is_a_warning() {
    // Only the first five receipts: row 260 (wave-0118) lies after the last sealed head.
    let five: Vec<_> = receipts().into_iter().take(5).collect();
    let files = [("receipts.jsonl", jsonl(&five)), ("approvals.json", APPROVALS.to_string())];
    let report = run(&files, Some(ROWS));
    assert_fails(&report, &[]);
    let consumed: Vec<_> = report.checks.iter().filter(|c| c.id == ids::APPROVAL_CONSUMED).collect();
    assert_eq!(consumed.len(), 2);
    assert_eq!(consumed[0].status, Status::Pass);
    assert_eq!(consumed[1].status, Status::Warn);
    assert_eq!(consumed[1].actual.as_deref(), Some("an unsealed row on line 260"));
}

/// Red team 8, finding 01: both entries signed on 27 February, the approval claims
/// (unsigned) `consumedAt` an hour later, but the sealed row 130 records wave-0117
/// consumed on 2 March at 09:02:30, three days on. The signed record contradicts the
/// unsigned claim: `approval.consumed` fails (it only warned "no row records it").
#[test]
fn a_sealed_row_that_makes_the_approval_stale_fails() {
    let mut a = approvals()[0].clone();
    for e in a["approvals"].as_array_mut().unwrap() {
        e["signedAt"] = json!("2026-02-27T08:00:00Z");
    }
    a.insert("consumedAt".into(), json!("2026-02-27T09:00:00Z"));
    resign_approvals(&mut a);
    let text = approvals_text(&[a]);
    let files = [("receipts.jsonl", RECEIPTS.to_string()), ("approvals.json", text.clone())];
    let report = run(&files, Some(ROWS));
    assert_fails(&report, &[ids::APPROVAL_CONSUMED]);
    let c = report.failures().next().unwrap();
    assert!(c.message.contains("line 130") && c.message.contains("not fresh"), "{}", c.message);
    assert!(has(&report, ids::APPROVAL_FRESHNESS, Status::Pass), "consumedAt itself is fresh");
    // Controls. Unsealed (two receipts seal rows 1-96), the row is no evidence: a warning.
    let two: Vec<_> = receipts().into_iter().take(2).collect();
    let unsealed = run(&[("receipts.jsonl", jsonl(&two)), ("approvals.json", text.clone())], Some(ROWS));
    assert_fails(&unsealed, &[]);
    assert!(has(&unsealed, ids::APPROVAL_CONSUMED, Status::Warn));
    // Without an export, consumedAt is all there is: a warning, as before.
    let no_rows = run(&[("approvals.json", text)], None);
    assert_fails(&no_rows, &[]);
    // The honest approval still passes on the same rows.
    let honest = run(&[("receipts.jsonl", RECEIPTS.into()), ("approvals.json", APPROVALS.into())], Some(ROWS));
    assert_fails(&honest, &[]);
    assert_eq!(count(&honest, ids::APPROVAL_CONSUMED, Status::Pass), 2);
}

/// Red team 9, finding 01: the sealed `wave.consumed` row of wave-0117 is re-written with
/// a `ts` that cannot be read as an RFC 3339 UTC instant, and the chain re-sealed. Its
/// time cannot be compared with `signedAt`, so the signed record cannot show the approval
/// fresh: `approval.consumed` fails. It used to warn "no row records it at consumedAt",
/// so a stale consumption written with an offset verified.
#[test]
fn a_sealed_row_whose_ts_cannot_be_read_fails() {
    let with_ts = |ts: Option<Value>| {
        let mut rows = rows();
        assert_eq!(rows[129]["action"], "wave.consumed");
        match ts {
            Some(ts) => rows[129].insert("ts".into(), ts),
            None => rows[129].remove("ts"),
        };
        rehash_rows(&mut rows, 129);
        let mut chain = receipts();
        reseal_over(&rows, &mut chain, &HEADS);
        let files = [("receipts.jsonl", jsonl(&chain)), ("approvals.json", APPROVALS.to_string())];
        run(&files, Some(&jsonl(&rows)))
    };
    // The same instant as consumedAt (09:02:30Z) written with an offset, nine days later
    // written with an offset, with a space for T, as a number, and missing.
    for ts in [
        Some(json!("2026-03-02T10:02:30+01:00")),
        Some(json!("2026-03-11T10:02:30+01:00")),
        Some(json!("2026-03-02 09:02:30Z")),
        Some(json!(1772442150)),
        None,
    ] {
        let report = with_ts(ts.clone());
        assert_fails(&report, &[ids::APPROVAL_CONSUMED]);
        let c = report.failures().next().unwrap();
        assert!(c.message.contains("line 130") && c.message.contains("cannot be read"), "{ts:?}: {}", c.message);
        assert_eq!(c.subject.pointer.as_deref(), Some("/0/consumedAt"), "{ts:?}");
    }
    // Control: the same re-sealing with the honest ts passes, so only the ts is refused.
    // UTC written as +00:00 is readable and the same instant.
    for ts in ["2026-03-02T09:02:30Z", "2026-03-02T09:02:30+00:00"] {
        let honest = with_ts(Some(json!(ts)));
        assert_fails(&honest, &[]);
        assert_eq!(count(&honest, ids::APPROVAL_CONSUMED, Status::Pass), 2, "{ts}");
    }
}
