//! v1.1 verdicts: the verdict invariant (with a property test over generated input
//! sets), `rows.sealed`, and unknown algorithms; the approval rules are in
//! approval_rules.rs. Every rule has an attack that must fail and an honest control
//! that must pass.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[macro_use]
mod common;
mod verdict_kit;

use common::*;
use receipt_verify::{ids, parse_keys, PublicKey, Report, Status, Verdict};
use serde_json::{json, Map, Value};
use verdict_kit::*;

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

/// Red team 8, finding 03: when no receipt's head is in the export, the `rows.unsealed`
/// warning counted from "line 0", a line that does not exist. Control: with the demo
/// export the warning still names the last sealed line (290).
#[test]
fn unsealed_rows_with_no_head_found_name_no_line_zero() {
    let other: String = ROWS.lines().skip(296).map(|l| format!("{l}\n")).collect();
    let report = run(&[("receipts.jsonl", RECEIPTS.into())], Some(&other));
    assert_fails(&report, &[ids::ROWS_HEAD, ids::ROWS_SEALED]);
    let c = report.checks.iter().find(|c| c.id == ids::ROWS_UNSEALED).unwrap();
    assert!(!c.message.contains("line 0") && c.message.contains("none is sealed"), "{}", c.message);
    let honest = run(&[("receipts.jsonl", RECEIPTS.into())], Some(ROWS));
    let c = honest.checks.iter().find(|c| c.id == ids::ROWS_UNSEALED).unwrap();
    assert!(c.message.contains("after line 290"), "{}", c.message);
}

#[test]
fn lines_that_are_not_rows_are_not_counted_as_rows() {
    // Red team 8, 03: a PEM key given as the export was "9 rows unproven" and "any of the
    // 9 rows"; its lines are not rows.
    let pem = include_str!("../../../examples/audit-key.pub.pem");
    let report = run(&[("receipts.jsonl", RECEIPTS.into())], Some(pem));
    let lines = pem.lines().filter(|l| !l.trim().is_empty()).count();
    let sealed = report.failures().find(|c| c.id == ids::ROWS_SEALED).unwrap();
    let want = format!("any of the {lines} lines (none of the export's lines is a row)");
    assert!(sealed.message.contains(&want), "{}", sealed.message);
    let unsealed = report.checks.iter().find(|c| c.id == ids::ROWS_UNSEALED).unwrap();
    assert!(unsealed.message.starts_with(&format!("{lines} lines (none")), "{}", unsealed.message);
    assert!(!report.checks.iter().any(|c| c.message.contains(" rows unproven")));
    // One broken line among rows: counted as lines, and how many are not rows.
    let mut broken: String = ROWS.lines().skip(290).map(|l| format!("{l}\n")).collect();
    broken.push_str("{not json\n");
    let report = run(&[("receipts.jsonl", RECEIPTS.into())], Some(&broken));
    let unsealed = report.checks.iter().find(|c| c.id == ids::ROWS_UNSEALED).unwrap();
    assert!(unsealed.message.starts_with("13 lines (1 of the export's 13 lines are not rows)"), "{}", unsealed.message);
    // Positive control: an export of rows only still counts rows.
    let honest = run(&[("receipts.jsonl", RECEIPTS.into())], Some(ROWS));
    let unsealed = honest.checks.iter().find(|c| c.id == ids::ROWS_UNSEALED).unwrap();
    assert!(unsealed.message.starts_with("12 rows unproven"), "{}", unsealed.message);
}
