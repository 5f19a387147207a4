//! v1.1 verdicts and approvals: the verdict invariant (with a property test over
//! generated input sets), `rows.sealed`, quorum by distinct keys, approver binding,
//! identity comparison in separation of duties and replay, `approval.consumed`, and
//! unknown algorithms. Every rule has an attack that must fail and an honest control
//! that must pass.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[macro_use]
mod common;

use base64ct::{Base64UrlUnpadded, Encoding};
use common::*;
use p256::ecdsa::signature::Signer;
use receipt_verify::{
    approval_message, ids, parse_keys, verify, wave_of, Approver, InputFile, PublicKey, Report, RustCryptoBackend,
    Status, Verdict,
};
use serde_json::{json, Map, Value};

fn approvals_text(a: &[Map<String, Value>]) -> String {
    serde_json::to_string(a).unwrap()
}

/// Verify with explicit keys (so a test can bind approvers to keys).
fn run_keys(keys: Vec<PublicKey>, files: &[(&str, String)], rows: Option<&str>) -> Report {
    let inputs: Vec<InputFile> = files.iter().map(|(n, t)| InputFile::new(*n, t.clone().into_bytes())).collect();
    let rows = rows.map(|r| InputFile::new("rows.jsonl", r.as_bytes().to_vec()));
    verify(keys, &inputs, rows.as_ref(), &RustCryptoBackend)
}

/// The demo JWKS with each approver key bound to its approver name.
fn bound_jwks() -> Vec<PublicKey> {
    let mut keys = jwks();
    for k in &mut keys {
        if let Some(name) = k.kid.as_deref().and_then(|kid| kid.strip_prefix("approvers/")) {
            k.approver = Some(Approver::Bound(name.trim_end_matches("/1").to_string()));
        }
    }
    keys
}

/// The demo JWKS with no key bound to an approver (the demo JWKS binds them since v1.1):
/// approver binding cannot be checked with these keys.
fn unbound_jwks() -> Vec<PublicKey> {
    let mut keys = jwks();
    for k in &mut keys {
        k.approver = None;
    }
    keys
}

/// Sign entry `k` of `a` with `signer`'s demo key, whatever name and kid it carries.
fn sign_entry_as(a: &mut Map<String, Value>, k: usize, signer: &str) {
    let wave = wave_of(a);
    let entry = a["approvals"][k].as_object_mut().unwrap();
    entry.remove("signature");
    let m = approval_message(&wave, entry).unwrap();
    let sig: p256::ecdsa::Signature = approver_key(signer).sign(&m);
    entry.insert("signature".into(), json!(Base64UrlUnpadded::encode_string(&sig.to_bytes())));
}

fn count(report: &Report, id: &str, status: Status) -> usize {
    report.checks.iter().filter(|c| c.id == id && c.status == status).count()
}

// --- The verdict invariant -------------------------------------------------------------

#[test]
fn rows_alone_prove_nothing() {
    let report = run(&[], Some(ROWS));
    assert_fails(&report, &[ids::ROWS_SEALED, ids::VERDICT_SIGNATURE]);
    assert_eq!(report.verdict(), Verdict::Failed);
    // Every row hash and link still passes: that alone must not verify.
    assert!(has(&report, ids::ROWS_HASH, Status::Pass) && has(&report, ids::ROWS_LINK, Status::Pass));
}

#[test]
fn rows_with_an_empty_receipt_file_or_only_approvals_are_not_sealed() {
    // An empty file is itself refused (input.parse); an empty array is not.
    let empty = run(&[("receipts.jsonl", String::new())], Some(ROWS));
    assert_fails(&empty, &[ids::INPUT_PARSE, ids::ROWS_SEALED, ids::VERDICT_SIGNATURE]);
    let empty_array = run(&[("receipts.json", "[]".into())], Some(ROWS));
    assert!(empty_array.failed(ids::ROWS_SEALED) && empty_array.failed(ids::VERDICT_SIGNATURE));
    // The approvals verify (a signature passes), but nothing seals the rows.
    let only_approvals = run(&[("approvals.json", APPROVALS.into())], Some(ROWS));
    assert_fails(&only_approvals, &[ids::ROWS_SEALED]);
    assert!(has(&only_approvals, ids::APPROVAL_SIGNATURE, Status::Pass));
    let c = only_approvals.failures().next().unwrap();
    assert_eq!(c.actual.as_deref(), Some("no batch receipt with a batchHead was given"));
}

#[test]
fn rows_whose_heads_are_all_missing_are_not_sealed() {
    // Receipts of another export: every head is missing and no row is sealed.
    let mut other = rows();
    other[0].insert("actor".into(), json!("mallory"));
    rehash_rows(&mut other, 0);
    let report = run(&[("receipts.jsonl", RECEIPTS.into())], Some(&jsonl(&other)));
    assert!(report.failed(ids::ROWS_SEALED) && report.failed(ids::ROWS_HEAD));
}

#[test]
fn sealed_rows_pass_and_the_unsealed_tail_stays_a_warning() {
    let report = run(&[("receipts.jsonl", RECEIPTS.into())], Some(ROWS));
    assert_fails(&report, &[]);
    assert_eq!(report.verdict(), Verdict::Verified);
    let sealed = report.checks.iter().find(|c| c.id == ids::ROWS_SEALED).unwrap();
    assert_eq!(sealed.status, Status::Pass);
    assert!(sealed.message.contains("rows 1–290 of 302"), "{}", sealed.message);
    assert!(has(&report, ids::ROWS_UNSEALED, Status::Warn));
    assert_eq!(count(&report, ids::VERDICT_SIGNATURE, Status::Pass), 1);
}

#[test]
fn receipts_without_any_supplied_key_do_not_verify() {
    // Hashes and the chain all pass, but no key was supplied: nothing is proven.
    let report = run_keys(Vec::new(), &[("receipts.jsonl", RECEIPTS.into())], None);
    assert!(has(&report, ids::RECEIPT_HASH, Status::Pass) && has(&report, ids::CHAIN_LINK, Status::Pass));
    assert_fails(&report, &[ids::KEY_SELECT, ids::VERDICT_SIGNATURE]);
}

#[test]
fn a_report_of_passes_without_a_signature_is_not_verified() {
    // Built by hand: the derived verdict must not trust pass counts alone.
    let mut report = run(&[("receipts.jsonl", RECEIPTS.into())], None);
    assert_eq!(report.verdict(), Verdict::Verified);
    report.checks.retain(|c| !Report::is_passed_signature(c));
    assert_eq!(report.verdict(), Verdict::Failed);
    assert!(report.summary().fail == 0 && report.summary().pass > 0);
}

/// A small deterministic generator (xorshift), so the property test needs no dependency.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// One random edit of a JSON object: drop, change or add a member, or flip a character.
fn mutate(g: &mut Gen, o: &mut Map<String, Value>) {
    let keys: Vec<String> = o.keys().cloned().collect();
    let key = keys[g.below(keys.len())].clone();
    match g.below(4) {
        0 => {
            o.remove(&key);
        }
        1 => {
            let replacement = [json!("x"), json!(1), Value::Null][g.below(3)].clone();
            o.insert(key, replacement);
        }
        2 => {
            o.insert("extra".into(), json!(g.next() % 1000));
        }
        _ => {
            if let Some(Value::String(s)) = o.get_mut(&key) {
                if !s.is_empty() {
                    let i = g.below(s.len());
                    if s.is_char_boundary(i) && s.is_char_boundary(i + 1) {
                        let c = if &s[i..=i] == "a" { "b" } else { "a" };
                        s.replace_range(i..=i, c);
                    }
                }
            }
        }
    }
}

#[test]
fn property_verified_implies_a_passed_signature_and_no_failure() {
    let keysets: [(&str, Vec<PublicKey>); 4] = [
        ("jwks", jwks()),
        ("pem", parse_keys(PUB_PEM.as_bytes(), "audit-key.pub.pem").unwrap()),
        ("bound", bound_jwks()),
        ("none", Vec::new()),
    ];
    let mut g = Gen(0x9e37_79b9_7f4a_7c15);
    let (mut verified, mut failed) = (0, 0);
    // 250 cases: the suite also runs as WASM, where RSA in a debug build is slow.
    for case in 0..250 {
        let mut files: Vec<(&str, String)> = Vec::new();
        if g.chance(70) {
            let mut chain = receipts();
            chain.truncate(1 + g.below(chain.len()));
            if g.chance(40) {
                let i = g.below(chain.len());
                mutate(&mut g, &mut chain[i]);
            }
            files.push(("receipts.jsonl", jsonl(&chain)));
        }
        if g.chance(40) {
            let mut a = approvals();
            if g.chance(40) {
                let i = g.below(a.len());
                mutate(&mut g, &mut a[i]);
            }
            files.push(("approvals.json", approvals_text(&a)));
        }
        if g.chance(10) {
            files.push(("empty.jsonl", String::new()));
        }
        if g.chance(5) {
            files.push(("junk.json", "{\"type\": \"batch\"".into()));
        }
        let rows_text = g.chance(40).then(|| {
            let mut r = rows();
            if g.chance(30) {
                let i = g.below(r.len());
                mutate(&mut g, &mut r[i]);
            }
            jsonl(&r)
        });
        let (_, keys) = &keysets[g.below(keysets.len())];
        let report = run_keys(keys.clone(), &files, rows_text.as_deref());
        let passed_signatures = report.checks.iter().filter(|c| Report::is_passed_signature(c)).count();
        let serialized: Value = serde_json::to_value(&report).unwrap();
        if report.verdict() == Verdict::Verified {
            verified += 1;
            assert!(passed_signatures >= 1, "case {case}: verified without a passed signature");
            assert_eq!(report.summary().fail, 0, "case {case}: verified with a failed check");
            assert!(report.keys.iter().any(|k| k.verified_signatures > 0), "case {case}: no key verified anything");
            assert_eq!(serialized["verdict"], "verified");
        } else {
            failed += 1;
            assert!(passed_signatures == 0 || report.summary().fail > 0, "case {case}: failed for no reason");
            assert_eq!(serialized["verdict"], "failed");
        }
        // The verdict.signature finding agrees with the verdict's second condition.
        let vs = report.checks.iter().filter(|c| c.id == ids::VERDICT_SIGNATURE).collect::<Vec<_>>();
        assert_eq!(vs.len(), 1, "case {case}");
        assert_eq!(vs[0].status == Status::Pass, passed_signatures > 0, "case {case}");
    }
    // The generator must reach both outcomes, or the property says nothing.
    say!("verdict property: {verified} verified and {failed} failed input sets, invariant held for all");
    assert!(verified >= 25 && failed >= 25, "verified {verified}, failed {failed}");
}

// --- Unknown algorithms -------------------------------------------------------------------

#[test]
fn unknown_alg_fails_with_and_without_a_selected_key() {
    let mut r = receipts()[2].clone();
    r.insert("alg".into(), json!("HS256"));
    reseal(&mut r);
    let with_key = run(&one("receipt.json", &r), None);
    assert_fails(&with_key, &[ids::RECEIPT_ALG, ids::VERDICT_SIGNATURE]);
    // No key fits the kid: the alg must still be refused, not replaced by RS256.
    r.insert("kid".into(), json!("kv-premium/keys/audit-2026/9"));
    reseal(&mut r);
    let without_key = run(&one("receipt.json", &r), None);
    assert_fails(&without_key, &[ids::RECEIPT_ALG, ids::KEY_SELECT, ids::VERDICT_SIGNATURE]);
    let c = without_key.failures().find(|c| c.id == ids::RECEIPT_ALG).unwrap();
    assert_eq!(c.actual.as_deref(), Some("\"HS256\""));
    assert_eq!(c.subject.pointer.as_deref(), Some("/alg"));
    // Not even a string.
    r.insert("alg".into(), json!(256));
    reseal(&mut r);
    let number = run(&one("receipt.json", &r), None);
    assert_fails(&number, &[ids::RECEIPT_ALG, ids::KEY_SELECT, ids::VERDICT_SIGNATURE]);
    // Control: a known alg without a key is only a key.select failure.
    r.insert("alg".into(), json!("RS256"));
    reseal(&mut r);
    assert_fails(&run(&one("receipt.json", &r), None), &[ids::KEY_SELECT, ids::VERDICT_SIGNATURE]);
}

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
    // With a key bound to no one, only separation can refuse it (binding notes it is unchecked).
    let report = run_keys(unbound_jwks(), &[("approvals.json", approvals_text(&[b.clone()]))], None);
    assert_fails(&report, &[ids::APPROVAL_SEPARATION]);
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
