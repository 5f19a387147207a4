//! The edges of rules that a mutation audit (2026-12-04, cargo-mutants on `checks/`; and
//! 2026-12-05 on `verification/items.rs`) found no test of: each rule changed there (`<`
//! for `<=`, `||` for `&&`, a guard dropped) still passed every test. Each case here fails
//! under that change, with its control.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[macro_use]
mod common;
mod verdict_kit;

use common::*;
use receipt_verify::{approval_message, approval_message_of, ids, wave_of, Status};
use serde_json::{json, Map, Value};
use verdict_kit::*;

/// The demo key set with the audit key's window set to `from`..`until` (absent: no bound).
fn audit_key_window(from: Option<&str>, until: Option<&str>) -> String {
    let mut jwks: Value = serde_json::from_str(JWKS).unwrap();
    let key = jwks["keys"][0].as_object_mut().unwrap();
    assert_eq!(key["kid"], "https://kv-premium.vault.azure.net/keys/audit-2026/2");
    for (member, bound) in [("validFrom", from), ("validUntil", until)] {
        match bound {
            Some(t) => key.insert(member.into(), json!(t)),
            None => key.remove(member),
        };
    }
    jwks.to_string()
}

fn chain_with_keys(jwks: &str) -> receipt_verify::Report {
    run_with(&[("jwks.json", jwks)], &[("receipts.jsonl", RECEIPTS.to_string())], None)
}

/// SPEC §11: `validFrom` and `validUntil` bound the window, each on its own, and a
/// `signedAt` outside it fails `key.validity`; on a bound is inside. The demo receipts are
/// signed from 09:01:00 to 09:06:00 on 2 March 2026.
#[test]
fn a_key_window_holds_its_ends_and_each_bound_alone() {
    let (first, last) = ("2026-03-02T09:01:00Z", "2026-03-02T09:06:00Z");
    for (from, until) in [(Some(first), None), (None, Some(last)), (Some(first), Some(last))] {
        let report = chain_with_keys(&audit_key_window(from, until));
        assert_fails(&report, &[]);
        assert_eq!(count(&report, ids::KEY_VALIDITY, Status::Pass), 6, "{from:?}..{until:?}");
    }
    // A nanosecond past either end, with the other bound absent: the receipt at that end
    // fails; a bound in the middle fails the receipts on its other side.
    for (from, until, first, failed) in [
        (Some("2026-03-02T09:01:00.000000001Z"), None, 0, 1),
        (None, Some("2026-03-02T09:05:59.999999999Z"), 5, 1),
        (Some("2026-03-02T09:03:30Z"), None, 0, 3),
        (None, Some("2026-03-02T09:03:30Z"), 3, 3),
    ] {
        let report = chain_with_keys(&audit_key_window(from, until));
        assert_fails(&report, &[ids::KEY_VALIDITY]);
        assert_eq!(report.failures().next().unwrap().subject.index, Some(first), "{from:?}..{until:?}");
        assert_eq!(count(&report, ids::KEY_VALIDITY, Status::Fail), failed, "{from:?}..{until:?}");
    }
}

/// The demo rows with row `seq`'s members changed by `edit`, re-hashed from there, and the
/// chain re-sealed over them; verified with the demo approvals and the first `sealing`
/// receipts.
fn rows_edited(seq: usize, sealing: usize, edit: impl Fn(&mut Map<String, Value>)) -> receipt_verify::Report {
    let mut rows = rows();
    edit(&mut rows[seq - 1]);
    rehash_rows(&mut rows, seq - 1);
    let mut chain = receipts();
    reseal_over(&rows, &mut chain, &HEADS);
    chain.truncate(sealing);
    let files = [("receipts.jsonl", jsonl(&chain)), ("approvals.json", APPROVALS.to_string())];
    run(&files, Some(&jsonl(&rows)))
}

fn consumed(report: &receipt_verify::Report) -> Vec<(Status, Option<String>)> {
    let found = report.checks.iter().filter(|c| c.id == ids::APPROVAL_CONSUMED);
    found.map(|c| (c.status, c.actual.clone())).collect()
}

/// SPEC §10: an export in which no row records the wave's consumption is a warning (the
/// claim is unproven, not contradicted), and so is an unsealed row whose `ts` cannot be
/// read: nothing in an unsealed row is evidence (§8 step 4).
#[test]
fn no_consumption_row_and_an_unreadable_unsealed_one_are_warnings() {
    // Row 130 (wave-0117's wave.consumed, sealed) recorded as another action.
    let report = rows_edited(130, 6, |row| {
        row.insert("action".into(), json!("wave.paused"));
    });
    assert_fails(&report, &[]);
    assert_eq!(consumed(&report)[0], (Status::Warn, Some("no such row".into())));
    assert_eq!(consumed(&report)[1].0, Status::Pass, "wave-0118's row 260 is sealed by the sixth receipt");
    // Row 260 (wave-0118's, unsealed with five receipts) with a ts written with an offset.
    let report = rows_edited(260, 5, |row| {
        row.insert("ts".into(), json!("2026-03-02T10:05:10+01:00"));
    });
    assert_fails(&report, &[]);
    assert_eq!(consumed(&report)[1].0, Status::Warn, "{:?}", consumed(&report));
    // Control: sealed (all six receipts), the same row fails (red team 9).
    let sealed = rows_edited(260, 6, |row| {
        row.insert("ts".into(), json!("2026-03-02T10:05:10+01:00"));
    });
    assert_fails(&sealed, &[ids::APPROVAL_CONSUMED]);
}

/// SPEC §10: a sealed consumption row keeps an entry fresh while `0 ≤ ts − signedAt ≤ 24 h`;
/// at exactly 24 h the approval is fresh (the row is at another time than `consumedAt`:
/// a warning), a nanosecond more and it is stale (a failure).
#[test]
fn a_sealed_consumption_row_at_exactly_24_hours_is_fresh() {
    let with_signed_at = |signed_at: &str| {
        let mut a = approvals()[0].clone();
        for e in a["approvals"].as_array_mut().unwrap() {
            e["signedAt"] = json!(signed_at);
        }
        a.insert("consumedAt".into(), json!("2026-03-01T09:10:00Z"));
        resign_approvals(&mut a);
        let files = [("receipts.jsonl", RECEIPTS.to_string()), ("approvals.json", approvals_text(&[a]))];
        run(&files, Some(ROWS))
    };
    // Row 130 records wave-0117 consumed at 2026-03-02T09:02:30Z.
    let fresh = with_signed_at("2026-03-01T09:02:30Z");
    assert_fails(&fresh, &[]);
    assert_eq!(consumed(&fresh)[0].0, Status::Warn);
    let stale = with_signed_at("2026-03-01T09:02:29.999999999Z");
    assert_fails(&stale, &[ids::APPROVAL_CONSUMED]);
}

/// SPEC §11 rule 3: a key without a kid is used as given, and the report says so for every
/// receipt it is used for (a `key.select` note each), also after receipts whose kid matched
/// a key (their `key.select` passes are one entry; the notes are not folded into it).
#[test]
fn every_receipt_under_a_key_without_a_kid_gets_its_note() {
    let mut chain = receipts();
    for r in chain.iter_mut().skip(3) {
        r.insert("kid".into(), json!("unlisted-kid"));
    }
    reseal_chain(&mut chain);
    let keys = [("jwks.json", JWKS), ("audit-key.pub.pem", PUB_PEM)];
    let report = run_with(&keys, &[("receipts.jsonl", jsonl(&chain))], None);
    assert_fails(&report, &[]);
    assert_eq!(count(&report, ids::KEY_SELECT, Status::Pass), 3, "receipts 0-2 by their kid");
    assert_eq!(count(&report, ids::KEY_SELECT, Status::Note), 3, "one note for each of receipts 3-5");
}

/// SPEC §10: two `wave.consumed` rows of one wave in the sealed rows are a replay, even
/// when one of them is at `consumedAt`.
#[test]
fn two_sealed_consumption_rows_of_one_wave_are_a_replay() {
    let mut rows = rows();
    let mut again = rows[129].clone();
    again.insert("ts".into(), json!("2026-03-02T09:02:40Z"));
    rows.insert(130, again);
    for (i, row) in rows.iter_mut().enumerate().skip(130) {
        row.insert("seq".into(), json!(i + 1));
    }
    rehash_rows(&mut rows, 130);
    let mut chain = receipts();
    let heads: Vec<u64> = HEADS.iter().map(|&h| if h > 130 { h + 1 } else { h }).collect();
    reseal_over(&rows, &mut chain, &heads);
    let files = [("receipts.jsonl", jsonl(&chain)), ("approvals.json", APPROVALS.to_string())];
    let report = run(&files, Some(&jsonl(&rows)));
    assert_fails(&report, &[ids::APPROVAL_CONSUMED]);
    assert_eq!(consumed(&report)[1].0, Status::Pass, "wave-0118 keeps its one row");
}

/// `receipt manifest` for an approval entry gives exactly the bytes its signature covers,
/// and refuses what is not a wave approval or has no such entry.
#[test]
fn an_approval_entrys_manifest_is_its_signed_bytes() {
    let a = approvals()[0].clone();
    let entries = a["approvals"].as_array().unwrap();
    for (i, e) in entries.iter().enumerate() {
        let expected = approval_message(&wave_of(&a), e.as_object().unwrap()).unwrap();
        assert_eq!(approval_message_of(&Value::Object(a.clone()), i).unwrap(), expected);
    }
    assert!(approval_message_of(&Value::Object(a.clone()), entries.len()).is_err());
    let mut not_approval = a.clone();
    not_approval.insert("type".into(), json!("batch"));
    assert!(approval_message_of(&Value::Object(not_approval), 0).is_err());
    assert!(approval_message_of(&json!([a]), 0).is_err());
}

/// SPEC §11: a key's window belongs to the key, by fingerprint, and copies of it narrow it:
/// the latest `validFrom` and the earliest `validUntil` of its copies hold, in whichever
/// file and order they come. The demo key set (2026) is given with a copy of the audit key
/// whose window ends, or starts, at 09:03:30 on the day the receipts were signed.
#[test]
fn copies_of_a_key_narrow_its_window_whatever_their_order() {
    let (demo, mid) =
        (audit_key_window(Some("2026-01-01T00:00:00Z"), Some("2026-12-31T23:59:59Z")), "2026-03-02T09:03:30Z");
    for (from, until, first) in [(None, Some(mid), 3), (Some(mid), None, 0)] {
        let copy = audit_key_window(from, until);
        for keys in [
            [("jwks.json", demo.as_str()), ("copy.json", copy.as_str())],
            [("copy.json", copy.as_str()), ("jwks.json", demo.as_str())],
        ] {
            let report = run_with(&keys, &[("receipts.jsonl", RECEIPTS.to_string())], None);
            assert_fails(&report, &[ids::KEY_VALIDITY]);
            assert_eq!(count(&report, ids::KEY_VALIDITY, Status::Fail), 3, "{from:?}..{until:?}");
            assert_eq!(report.failures().next().unwrap().subject.index, Some(first), "{from:?}..{until:?}");
        }
    }
}

/// SPEC §3: a receipt's `type` is absent, `"batch"` or `"wave-approval"`. A signed
/// `"type": "batch"` is a batch receipt like one without it; any other string, here
/// `"Batch"`, is refused and the item is not checked as a receipt.
#[test]
fn a_receipt_typed_batch_is_checked_and_another_type_is_refused() {
    for (ty, failed) in [(json!("batch"), &[][..]), (json!("Batch"), &[ids::INPUT_KIND, ids::VERDICT_SIGNATURE][..])] {
        let mut r = receipts()[2].clone();
        r.insert("type".into(), ty.clone());
        reseal(&mut r);
        let report = run(&one("receipt.json", &r), None);
        assert_fails(&report, failed);
        let signed = if failed.is_empty() { 1 } else { 0 };
        assert_eq!(count(&report, ids::RECEIPT_SIGNATURE, Status::Pass), signed, "type {ty}");
    }
}

/// Report v2 keeps the words of a passing id's first finding: the entry for the six
/// `receipt.hash` passes of the demo chain says what was checked (the later five are
/// made without words, as nobody reads them).
#[test]
fn the_receipt_hash_entry_keeps_its_words() {
    let report = run(&[("receipts.jsonl", RECEIPTS.to_string())], None);
    assert_fails(&report, &[]);
    let passes: Vec<_> = report.checks.iter().filter(|c| c.id == ids::RECEIPT_HASH).collect();
    assert_eq!(passes.len(), 1);
    assert_eq!((passes[0].status, passes[0].count, passes[0].subject.index), (Status::Pass, Some(6), Some(0)));
    assert_eq!(passes[0].message, "thisHash is SHA-256 of the manifest (receipt without thisHash and signature)");
}

/// A kid no supplied key has, on a receipt with no `alg`: its signature is still tried
/// under the other supplied keys, and the `key.select` failure names the one it verifies
/// under (as with an `alg`, `mutations::receipts::unknown_kid_but_a_supplied_key_verifies`).
#[test]
fn an_unknown_kid_without_alg_still_names_the_key_that_verifies() {
    let named =
        "; the signature does verify under kid \"https://kv-premium.vault.azure.net/keys/audit-2026/2\" from jwks.json";
    for alg in [Some("RS256"), None] {
        let mut r = receipts()[2].clone();
        r.insert("kid".into(), json!("kv-premium/keys/audit-2026/9"));
        match alg {
            Some(a) => r.insert("alg".into(), json!(a)),
            None => r.remove("alg"),
        };
        reseal(&mut r);
        let report = run(&one("receipt.json", &r), None);
        assert_fails(&report, &[ids::KEY_SELECT, ids::VERDICT_SIGNATURE]);
        let select = report.failures().find(|c| c.id == ids::KEY_SELECT).unwrap();
        assert!(
            select.message.starts_with(&format!(
                "no supplied key has kid \"kv-premium/keys/audit-2026/9\"; supply the key this receipt names{named}"
            )),
            "alg {alg:?}: {}",
            select.message
        );
    }
}
