//! Issue 9 §1.4 (approver binding, quorum by key, separation of duties under name
//! variants) and §1.5 (replay variants, the unsigned consumedAt). Every signature here
//! verifies, so only the rule under test can fail.

use anyhow::Result;
use serde_json::{json, Value};

use super::cases_verdict::{window, Kit};
use super::sign::*;
use super::Corpus;

const B: &str = "§1.4 approver binding";
const Q: &str = "§1.4 quorum";
const SEP: &str = "§1.4 separation";
const RP: &str = "§1.5 replay";
const CO: &str = "§1.5 consumedAt";
const P: &str = "positive control";
const AT: &str = "2026-03-03T08:00:00Z";
const USED: &str = "2026-03-03T08:30:00Z";

/// A JWKS of the three approver keys bound to `{name}@vendor.example`, plus the audit key.
fn bound_jwks(k: &Kit) -> Result<String> {
    let mut keys = vec![k.audit.jwk(JWKS_KID, window())];
    for a in [&k.alice, &k.bob, &k.carol] {
        let mut extra = super::sign::obj(window());
        extra.insert("approver".into(), json!(format!("{}@vendor.example", a.name)));
        keys.push(a.jwk(&format!("approvers/{}/1", a.name), Value::Object(extra))?);
    }
    pretty(&json!({ "keys": keys }))
}

fn one(v: Value) -> Result<String> {
    pretty(&Value::Array(vec![v]))
}

pub fn add(c: &mut Corpus, k: &Kit) -> Result<()> {
    binding(c, k)?;
    separation(c, k)?;
    replay(c, k)?;
    consumed(c, k)
}

fn binding(c: &mut Corpus, k: &Kit) -> Result<()> {
    let a = approval(
        wave("wave-0500", 40, "dave@vendor.example"),
        USED,
        &[(&k.alice, "approvers/alice/1", "erin@vendor.example", AT)],
    )?;
    c.case("binding-entry-names-another-person", B, "alice's bound key signs an entry naming erin")
        .keys("jwks.json", bound_jwks(k)?)
        .receipts("approval.json", one(a)?)
        .expect(1, &["approval.binding"], &["erin@vendor.example", "alice@vendor.example"]);
    let a = approval(
        wave("wave-0501", 40, "dave@vendor.example"),
        USED,
        &[(&k.alice, "approvers/alice/1", "ALICE@vendor.example", AT)],
    )?;
    // Identities fold case (SPEC.md §10), for binding as for separation of duties: the
    // bound identity in another case is the same person, so binding passes.
    c.case(
        "binding-case-variant-of-bound-name",
        B,
        "the entry names the bound identity in another case: the same identity",
    )
    .keys("jwks.json", bound_jwks(k)?)
    .receipts("approval.json", one(a)?)
    .expect(0, &[], &["ALICE@vendor.example", "approval.binding"]);
    let a = approval(
        wave("wave-0502", 250, "dave@vendor.example"),
        USED,
        &[
            (&k.alice, "approvers/alice/1", "alice@vendor.example", AT),
            (&k.bob, "approvers/bob/1", "bob@vendor.example", AT),
        ],
    )?;
    c.case("positive-binding-matches", P, "two bound keys, each entry naming its key's identity")
        .keys("jwks.json", bound_jwks(k)?)
        .receipts("approval.json", one(a)?)
        .expect(0, &[], &[]);
    // Quorum counts distinct keys whose signature verified.
    let mut two_kids = obj(k.jwks(json!({}), json!({}))?);
    if let Some(Value::Array(keys)) = two_kids.get_mut("keys") {
        keys.push(k.alice.jwk("approvers/alice-2/1", window())?);
    }
    let a = approval(
        wave("wave-0503", 250, "carol"),
        USED,
        &[(&k.alice, "approvers/alice/1", "alice", AT), (&k.alice, "approvers/alice-2/1", "bob", AT)],
    )?;
    c.case("quorum-one-key-under-two-kids", Q, "one key listed under two kids signs as alice and as bob")
        .keys("jwks.json", pretty(&Value::Object(two_kids))?)
        .receipts("approval.json", one(a)?)
        .expect(1, &["approval.quorum"], &["quorum"]);
    let a = approval(
        wave("wave-0504", 250, "carol"),
        USED,
        &[(&k.alice, "approvers/alice/1", "alice", AT), (&k.alice, "approvers/alice/1", "bob", AT)],
    )?;
    c.case("quorum-one-key-two-names", Q, "alice's key and kid sign twice, once under the name bob")
        .jwks()
        .receipts("approval.json", one(a)?)
        .expect(1, &["approval.quorum"], &["quorum"]);
    let a = approval(
        wave("wave-0505", 250, "carol"),
        USED,
        &[
            (&k.alice, "approvers/alice/1", "alice", AT),
            (&k.alice, "approvers/alice/1", "alice", "2026-03-03T08:01:00Z"),
        ],
    )?;
    c.case("quorum-same-approver-twice", Q, "alice approves a 250-device wave twice")
        .jwks()
        .receipts("approval.json", one(a)?)
        .expect(1, &["approval.quorum"], &["quorum"]);
    let mut a = obj(approval(
        wave("wave-0506", 250, "carol"),
        USED,
        &[(&k.alice, "approvers/alice/1", "alice", AT), (&k.bob, "approvers/bob/1", "bob", AT)],
    )?);
    if let Some(Value::Array(entries)) = a.get_mut("approvals") {
        if let Some(Value::Object(e)) = entries.get_mut(1) {
            // bob's entry carries alice's signature: it cannot verify.
            let alice_sig = k.alice.sign_rs(b"not the message");
            e.insert("signature".into(), json!(alice_sig));
        }
    }
    c.case("quorum-counts-verified-signatures-only", Q, "two names, but bob's signature does not verify")
        .jwks()
        .receipts("approval.json", one(Value::Object(a))?)
        .expect(1, &["approval.quorum", "approval.signature"], &["quorum"]);
    Ok(())
}

fn separation(c: &mut Corpus, k: &Kit) -> Result<()> {
    for (name, approver) in [
        ("separation-case", "Carol"),
        ("separation-upper-case", "CAROL"),
        ("separation-surrounding-space", " carol "),
        ("separation-tab-newline", "carol\t\n"),
        ("separation-zero-width-space", "car\u{200b}ol"),
        ("separation-word-joiner", "carol\u{2060}"),
        ("separation-bidi-override", "\u{202e}carol\u{202c}"),
        ("separation-bidi-mark", "\u{200e}carol"),
        ("separation-full-width", "\u{ff43}\u{ff41}\u{ff52}\u{ff4f}\u{ff4c}"),
        ("separation-cyrillic-a", "c\u{430}rol"),
        ("separation-cyrillic-o", "car\u{43e}l"),
    ] {
        let a = approval(wave("wave-0600", 40, "carol"), USED, &[(&k.carol, "approvers/carol/1", approver, AT)])?;
        // A mixed-script name cannot be compared, so it counts as no one towards quorum.
        let failed: &[&str] = if approver.chars().any(|c| ('\u{400}'..='\u{4ff}').contains(&c)) {
            &["approval.quorum", "approval.separation"]
        } else {
            &["approval.separation"]
        };
        c.case(name, SEP, &format!("requestedBy carol, approved by {approver:?} with carol's key"))
            .jwks()
            .receipts("approval.json", one(a)?)
            .expect(1, failed, &["separation"]);
    }
    let a = approval(
        wave("wave-0601", 40, " Carol@Vendor.Example"),
        USED,
        &[(&k.carol, "approvers/carol/1", "carol@vendor.example", AT)],
    )?;
    c.case("separation-via-bound-key", SEP, "requestedBy a variant of the identity carol's key is bound to")
        .keys("jwks.json", bound_jwks(k)?)
        .receipts("approval.json", one(a)?)
        .expect(1, &["approval.separation"], &["separation"]);
    let a = approval(
        wave("wave-0602", 40, "carol@vendor.ex\u{430}mple"),
        USED,
        &[(&k.carol, "approvers/carol/1", "carol@vendor.example", AT)],
    )?;
    c.case("separation-cyrillic-in-requester", SEP, "requestedBy with a Cyrillic а, approver bound to carol")
        .keys("jwks.json", bound_jwks(k)?)
        .receipts("approval.json", one(a)?)
        .expect(1, &["approval.separation"], &["separation"]);
    let a = approval(
        wave("wave-0603", 40, "jo\u{e3}o@vendor.example"),
        USED,
        &[(&k.alice, "approvers/alice/1", "alice", AT)],
    )?;
    c.case("positive-separation-joao-requester", P, "requestedBy joão (Latin with an accent), approved by alice")
        .jwks()
        .receipts("approval.json", one(a)?)
        .expect(0, &[], &[]);
    let a = approval(wave("wave-0604", 40, "bob"), USED, &[(&k.alice, "approvers/alice/1", "jo\u{e3}o", AT)])?;
    c.case("positive-separation-joao-approver", P, "approver joão (Latin with an accent), requested by bob")
        .jwks()
        .receipts("approval.json", one(a)?)
        .expect(0, &[], &[]);
    Ok(())
}

fn replay(c: &mut Corpus, k: &Kit) -> Result<()> {
    let first = approval(wave("wave-0700", 40, "bob"), USED, &[(&k.alice, "approvers/alice/1", "alice", AT)])?;
    let variants: [(&str, &str, &str); 7] = [
        ("replay-exact", "wave-0700", CUSTOMER),
        ("replay-wave-case", "WAVE-0700", CUSTOMER),
        ("replay-wave-space", " wave-0700", CUSTOMER),
        ("replay-wave-zero-width", "wave\u{200b}-0700", CUSTOMER),
        ("replay-wave-full-width", "\u{ff57}\u{ff41}\u{ff56}\u{ff45}-0700", CUSTOMER),
        ("replay-wave-cyrillic", "w\u{430}ve-0700", CUSTOMER),
        ("replay-customer-case", "wave-0700", "CUST-0042"),
    ];
    for (name, wave_id, customer) in variants {
        let mut w = obj(wave(wave_id, 40, "bob"));
        w.insert("customerId".into(), json!(customer));
        let second = approval(
            Value::Object(w),
            "2026-03-03T09:30:00Z",
            &[(&k.alice, "approvers/alice/1", "alice", "2026-03-03T09:00:00Z")],
        )?;
        c.case(name, RP, &format!("wave-0700 consumed, then ({customer:?}, {wave_id:?}) consumed again"))
            .jwks()
            .receipts("approvals.json", pretty(&json!([first, second]))?)
            .expect(1, &["approval.replay"], &["replay"]);
    }
    c.case("replay-same-file-twice", RP, "the same approval file given twice")
        .jwks()
        .receipts("approval.json", one(first.clone())?)
        .receipts("approval-copy.json", one(first)?)
        .expect(1, &["approval.replay"], &["replay"]);
    Ok(())
}

fn consumed(c: &mut Corpus, k: &Kit) -> Result<()> {
    let used = "2026-03-02T09:00:03Z";
    let a = approval(
        wave("wave-0800", 40, "bob"),
        used,
        &[(&k.alice, "approvers/alice/1", "alice", "2026-03-02T08:50:00Z")],
    )?;
    for (name, at_seq, ts, about, warn) in [
        ("positive-consumed-row-sealed", 3u64, used, "the wave.consumed row is sealed by a receipt", false),
        ("consumed-row-unsealed", 12, used, "the wave.consumed row is in the unsealed tail", true),
        (
            "consumed-row-other-time",
            3,
            "2026-03-02T09:00:04Z",
            "the wave.consumed row's ts differs from consumedAt",
            true,
        ),
    ] {
        let rs = rows(12, &|seq| {
            if seq == at_seq {
                json!({ "action": "wave.consumed", "waveId": "wave-0800", "ts": ts })
            } else {
                json!({})
            }
        })?;
        let receipts = chain(&rs, &[5, 10], &k.audit)?;
        c.case(name, if warn { CO } else { P }, about)
            .jwks()
            .rows("rows.jsonl", lines(&rs))
            .receipts("receipts.jsonl", lines(&receipts))
            .receipts("approval.json", one(a.clone())?)
            .expect(0, &[], if warn { &["approval.consumed", "unsigned"] } else { &[] });
    }
    c.case("consumed-no-rows-given", CO, "an approval alone: consumedAt rests on the vendor's unsigned claim")
        .jwks()
        .receipts("approval.json", one(a)?)
        .expect(0, &[], &["consumedAt", "not signed"]);
    Ok(())
}
