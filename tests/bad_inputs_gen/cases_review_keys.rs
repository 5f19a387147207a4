//! Review 2 (issue 9) key findings: conflicting approver bindings (F1), skipped copies
//! that keep their key's lifetime (F2), Key Vault attributes (F3), JWK-and-JWKS files
//! (F4), duplicate certificate extensions (F5), bounded key.select messages (R2).

use anyhow::Result;
use serde_json::{json, Value};

use super::cases_verdict::{window, Kit};
use super::sign::*;
use super::Corpus;

const B: &str = "§1.4 approver binding";
const P: &str = "positive control";
const AT: &str = "2026-03-03T08:00:00Z";
const USED: &str = "2026-03-03T08:30:00Z";

pub fn add(c: &mut Corpus, k: &Kit) -> Result<()> {
    conflicting_approvers(c, k)?;
    Ok(())
}

/// The approvers' keys, each bound to its name.
fn bound_jwks(k: &Kit) -> Result<Value> {
    let mut keys = vec![k.audit.jwk(JWKS_KID, window())];
    for a in [&k.alice, &k.bob, &k.carol] {
        let mut extra = obj(window());
        extra.insert("approver".into(), json!(a.name));
        keys.push(a.jwk(&format!("approvers/{}/1", a.name), Value::Object(extra))?);
    }
    Ok(json!({ "keys": keys }))
}

/// alice's key again, under another kid and bound to `name`.
fn alice_copy_bound_to(k: &Kit, kid: &str, name: &str) -> Result<String> {
    let mut extra = obj(window());
    extra.insert("approver".into(), json!(name));
    extra.insert("receiptRoles".into(), json!(["approval"]));
    pretty(&json!({ "keys": [k.alice.jwk(kid, Value::Object(extra))?] }))
}

fn one(v: Value) -> Result<String> {
    pretty(&Value::Array(vec![v]))
}

/// F1: copies of one key bound to alice and to mallory bind no name, and the key belongs
/// to both for separation of duties.
fn conflicting_approvers(c: &mut Corpus, k: &Kit) -> Result<()> {
    let mallory = alice_copy_bound_to(k, "approvers/mallory/1", "mallory")?;
    let joined =
        approval(wave("wave-0960", 40, "dave"), USED, &[(&k.alice, "approvers/alice/1", "alice / mallory", AT)])?;
    c.case(
        "review-approver-conflict-joined-name",
        B,
        "alice's key also supplied bound to mallory; the entry names \"alice / mallory\", the text the old merge made",
    )
    .keys("jwks.json", pretty(&bound_jwks(k)?)?)
    .keys("mallory.json", mallory.clone())
    .receipts("approval.json", one(joined)?)
    .expect(1, &["approval.binding", "approval.quorum"], &["different approvers", "alice", "mallory"]);
    let as_mallory =
        approval(wave("wave-0961", 40, "alice"), USED, &[(&k.alice, "approvers/mallory/1", "mallory", AT)])?;
    c.case(
        "review-approver-conflict-hides-requester",
        B,
        "requester alice signs as mallory with her own key under a copy bound to mallory",
    )
    .keys("jwks.json", pretty(&bound_jwks(k)?)?)
    .keys("mallory.json", mallory)
    .receipts("approval.json", one(as_mallory)?)
    .expect(
        1,
        &["approval.binding", "approval.quorum", "approval.separation"],
        &["different approvers", "belongs to the requester"],
    );
    let same = approval(wave("wave-0962", 40, "dave"), USED, &[(&k.alice, "approvers/alice/1", "alice", AT)])?;
    c.case(
        "positive-review-approver-copies-agree",
        P,
        "a second copy of alice's key binds \"ALICE\": the same identity, so the key stays alice's",
    )
    .keys("jwks.json", pretty(&bound_jwks(k)?)?)
    .keys("alice-copy.json", alice_copy_bound_to(k, "approvers/alice/2", "ALICE")?)
    .receipts("approval.json", one(same)?)
    .expect(0, &[], &["is the identity the key is bound to"]);
    Ok(())
}
