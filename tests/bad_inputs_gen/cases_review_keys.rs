//! Review 2 (issue 9) key findings: conflicting approver bindings (F1), skipped copies
//! that keep their key's lifetime (F2), Key Vault attributes (F3), JWK-and-JWKS files
//! (F4), duplicate certificate extensions (F5; red team 7: a second extensions field),
//! bounded key.select messages (R2), and (red team 7) a JWK's `alg` and `x5c` holding for
//! every copy of its key.

use anyhow::Result;
use serde_json::{json, Value};

use super::cases_verdict::{window, Kit};
use super::sign::*;
use super::Corpus;

const B: &str = "§1.4 approver binding";
const P: &str = "positive control";
const AT: &str = "2026-03-03T08:00:00Z";
const USED: &str = "2026-03-03T08:30:00Z";

const U: &str = "§1.3 unusable keys";
const L: &str = "§1.8 key lifetimes";
const F: &str = "§1.9 key files";
const R: &str = "resources";
/// Certificates for the demo audit key with two keyUsage extensions (review 2, made with
/// openssl): keyEncipherment first then digitalSignature, and the reverse.
const CERT_DUP_NOSIGN_FIRST: &str = include_str!("cert-dup-keyusage-nosign-first.pem");
const CERT_DUP_SIGN_FIRST: &str = include_str!("cert-dup-keyusage-sign-first.pem");
const CERT_NO_SIGNING: &str = include_str!("cert-no-digital-signature.pem");
/// The demo audit key's certificate with keyUsage keyEncipherment, and a second extensions
/// field (keyUsage digitalSignature) appended to its TBSCertificate (red team 7, 01).
const CERT_SECOND_EXTENSIONS: &str = include_str!("cert-second-extensions-field.pem");
const CERT_SIGNING: &str = include_str!("cert-digital-signature.pem");
/// A certificate of another key (a P-256 key, OpenSSL 3.0; crates/verify/tests/fixtures).
const CERT_OTHER_KEY: &str = include_str!("../../crates/verify/tests/fixtures/keys/cert-sign.pem");

pub fn add(c: &mut Corpus, k: &Kit) -> Result<()> {
    conflicting_approvers(c, k)?;
    skipped_copies(c, k)?;
    key_file_shapes(c, k)?;
    duplicate_extensions(c)?;
    copies_say_it_of_the_key(c, k)?;
    bounded_select(c, k)
}

/// The audit key's JWK with `extra` members (a `null` removes one).
fn audit(k: &Kit, kid: &str, extra: Value) -> Value {
    let mut m = obj(k.audit.jwk(kid, window()));
    m.extend(obj(extra));
    m.retain(|_, v| !v.is_null());
    Value::Object(m)
}

/// F2: a copy of a key that is skipped (not for signatures) still says what it says of
/// the key: its status, window and roles, and that the key is not for signatures.
fn skipped_copies(c: &mut Corpus, k: &Kit) -> Result<()> {
    let revoked_enc = audit(k, JWKS_KID, json!({ "use": "enc", "status": "revoked" }));
    let alice = k.alice.jwk("approvers/alice/1", window())?;
    c.case(
        "review-skipped-copy-revoked",
        L,
        "the audit key revoked in a JWK with use enc (skipped), and again as a kid-less PEM",
    )
    .keys("jwks.json", pretty(&json!({ "keys": [revoked_enc, alice.clone()] }))?)
    .common("keys", "audit-key.pub.pem")
    .common("receipts", "receipts.jsonl")
    .expect(1, &["key.role", "key.status", "verdict.signature"], &["revoked", "not for signatures", "key.skipped"]);
    let ops = audit(k, JWKS_KID, json!({ "key_ops": ["encrypt"], "use": null }));
    c.case("review-skipped-copy-key-ops", U, "the audit key with key_ops [encrypt] (skipped), and as a kid-less PEM")
        .keys("jwks.json", pretty(&json!({ "keys": [ops, alice.clone()] }))?)
        .common("keys", "audit-key.pub.pem")
        .common("receipts", "receipts.jsonl")
        .expect(1, &["key.role", "verdict.signature"], &["not for signatures", "verify"]);
    let enc_window = audit(
        k,
        JWKS_KID,
        json!({ "use": "enc", "validFrom": "2025-01-01T00:00:00Z", "validUntil": "2025-12-31T23:59:59Z" }),
    );
    c.case("review-skipped-copy-window", L, "a skipped copy's 2025 window holds for the kid-less PEM copy too")
        .keys("jwks.json", pretty(&json!({ "keys": [enc_window, alice.clone()] }))?)
        .common("keys", "audit-key.pub.pem")
        .common("receipts", "receipts.jsonl")
        .expect(1, &["key.role", "key.validity", "verdict.signature"], &["validity window", "not for signatures"]);
    c.case(
        "review-cert-nosign-plus-spki",
        U,
        "one PEM file: a certificate without digitalSignature and the same key as PUBLIC KEY",
    )
    .keys("keys.pem", format!("{CERT_NO_SIGNING}{}", k.audit.pem()?))
    .common("receipts", "receipts.jsonl")
    .expect(1, &["key.role", "verdict.signature"], &["digitalSignature", "not for signatures"]);
    let alice_enc = k.alice.jwk("approvers/alice/1", json!({ "use": "enc" }))?;
    c.case(
        "positive-review-skipped-other-key",
        P,
        "a skipped copy of another key (alice's, use enc) does not touch the audit key's PEM",
    )
    .keys("jwks.json", pretty(&json!({ "keys": [alice_enc, k.bob.jwk("approvers/bob/1", window())?] }))?)
    .common("keys", "audit-key.pub.pem")
    .common("receipts", "receipts.jsonl")
    .expect(0, &[], &["key.skipped"]);
    Ok(())
}

/// F3, F4: Key Vault `enabled: false` beats a JWK `status: active`; an object with the
/// members of two key-file shapes is refused.
fn key_file_shapes(c: &mut Corpus, k: &Kit) -> Result<()> {
    let active = audit(k, JWKS_KID, json!({ "validFrom": null, "validUntil": null }));
    let kv = json!({ "key": active, "attributes": { "enabled": false } });
    c.case(
        "review-kv-disabled-beats-active",
        L,
        "Key Vault output whose JWK says status active under attributes enabled false",
    )
    .keys("az-key.json", pretty(&kv)?)
    .common("receipts", "receipts.jsonl")
    .expect(0, &[], &["retired or disabled"]);
    let mut both = obj(audit(k, JWKS_KID, json!({})));
    both.insert("key".into(), audit(k, JWKS_KID, json!({})));
    both.insert("attributes".into(), json!({ "enabled": false }));
    c.case("review-kv-with-top-level-kty", F, "Key Vault output that also has a top-level JWK (kty, n, e)")
        .keys("az-key.json", pretty(&Value::Object(both))?)
        .common("receipts", "receipts.jsonl")
        .expect(2, &[], &["ambiguous key file", "Key Vault output", "kty"]);
    let mut jwk_and_jwks = obj(audit(k, JWKS_KID, json!({ "status": "revoked" })));
    jwk_and_jwks.insert("keys".into(), json!([audit(k, JWKS_KID, json!({}))]));
    c.case("review-jwk-and-jwks", F, "a revoked JWK whose object also holds a JWKS \"keys\" member")
        .keys("jwks.json", pretty(&Value::Object(jwk_and_jwks))?)
        .common("receipts", "receipts.jsonl")
        .expect(2, &[], &["ambiguous key file", "a JWK (kty", "a JWKS (keys)"]);
    Ok(())
}

/// F5: two keyUsage extensions, whichever comes first.
fn duplicate_extensions(c: &mut Corpus) -> Result<()> {
    c.case("review-cert-dup-keyusage-sign-first", F, "keyUsage digitalSignature, then keyUsage keyEncipherment")
        .keys("audit-cert.pem", CERT_DUP_SIGN_FIRST)
        .common("receipts", "receipts.jsonl")
        .expect(2, &[], &["unusable key file", "same OID", "keyUsage"]);
    c.case("review-cert-dup-keyusage-nosign-first", F, "keyUsage keyEncipherment, then keyUsage digitalSignature")
        .keys("audit-cert.pem", CERT_DUP_NOSIGN_FIRST)
        .common("receipts", "receipts.jsonl")
        .expect(2, &[], &["unusable key file", "same OID", "keyUsage"]);
    c.case(
        "rt7-cert-second-extensions-field",
        F,
        "keyUsage keyEncipherment, then a second extensions field with keyUsage digitalSignature",
    )
    .keys("audit-cert.pem", CERT_SECOND_EXTENSIONS)
    .common("receipts", "receipts.jsonl")
    .expect(2, &[], &["unusable key file", "bytes after the end of the structure"]);
    Ok(())
}

/// A certificate's base64 DER as a JWK's `x5c` holds it.
fn x5c(pem: &str) -> Value {
    json!([pem.lines().filter(|l| !l.starts_with("-----")).collect::<String>()])
}

/// Red team 7, 02 and 03: a JWK's `alg` and its `x5c` certificate hold for every copy of
/// its key (the kid-less PEM).
fn copies_say_it_of_the_key(c: &mut Corpus, k: &Kit) -> Result<()> {
    // Under a kid no receipt names, so the kid-less PEM is selected.
    let ps256 = audit(k, "audit-2026-ps256", json!({ "alg": "PS256" }));
    c.case("rt7-jwk-alg-holds-for-pem", L, "the audit key's JWK says alg PS256; the RS256 receipts select its PEM")
        .keys("jwks.json", pretty(&json!({ "keys": [ps256.clone()] }))?)
        .common("keys", "audit-key.pub.pem")
        .common("receipts", "receipts.jsonl")
        .expect(1, &["receipt.alg", "verdict.signature"], &["restricted to PS256", "JWK alg of"]);
    let rs256 = audit(k, JWKS_KID, json!({ "alg": "RS256" }));
    c.case("rt7-jwk-algs-disagree", L, "two JWKs of the audit key: alg RS256 (the receipts' kid) and alg PS256")
        .keys("jwks.json", pretty(&json!({ "keys": [rs256.clone(), ps256] }))?)
        .common("receipts", "receipts.jsonl")
        .expect(1, &["receipt.alg", "verdict.signature"], &["allow no algorithm", "only PS256"]);
    let oaep = audit(k, "audit-2026-oaep", json!({ "alg": "RSA-OAEP", "use": null }));
    c.case("rt7-jwk-alg-oaep-copy", L, "the audit key as a JWK with alg RSA-OAEP (skipped), beside its RS256 JWK")
        .keys("jwks.json", pretty(&json!({ "keys": [rs256, oaep] }))?)
        .common("receipts", "receipts.jsonl")
        .expect(1, &["receipt.alg", "verdict.signature"], &["allows only alg", "RSA-OAEP"]);
    let encipher = audit(k, JWKS_KID, json!({ "x5c": x5c(CERT_NO_SIGNING) }));
    let alice = k.alice.jwk("approvers/alice/1", window())?;
    c.case("rt7-x5c-keyusage-enc", U, "the audit JWK's x5c certificate lacks digitalSignature; its PEM is given too")
        .keys("jwks.json", pretty(&json!({ "keys": [encipher, alice] }))?)
        .common("keys", "audit-key.pub.pem")
        .common("receipts", "receipts.jsonl")
        .expect(1, &["key.role", "verdict.signature"], &["x5c", "not for signatures"]);
    let other = audit(k, JWKS_KID, json!({ "x5c": x5c(CERT_OTHER_KEY) }));
    c.case("rt7-x5c-other-key", F, "the audit JWK's x5c certificate holds another key")
        .keys("jwks.json", pretty(&json!({ "keys": [other] }))?)
        .common("receipts", "receipts.jsonl")
        .expect(2, &[], &["unusable key file", "holds another key"]);
    let signing = audit(k, JWKS_KID, json!({ "x5c": x5c(CERT_SIGNING) }));
    c.case("positive-rt7-x5c-signing", P, "the audit JWK with its own certificate (digitalSignature) in x5c")
        .keys("jwks.json", pretty(&json!({ "keys": [signing] }))?)
        .common("receipts", "receipts.jsonl")
        .expect(0, &[], &[]);
    Ok(())
}

/// R2: a key.select failure lists at most five kids and counts the rest.
fn bounded_select(c: &mut Corpus, k: &Kit) -> Result<()> {
    let mut keys = vec![audit(k, "elsewhere/audit", json!({}))];
    for i in 1..=7 {
        keys.push(k.alice.jwk(&format!("approvers/alice/{i}"), window())?);
    }
    c.case("review-select-lists-five-kids", R, "no kid matches; eight kids supplied: five are listed, three counted")
        .keys("jwks.json", pretty(&json!({ "keys": keys }))?)
        .common("receipts", "receipts.jsonl")
        .expect(1, &["key.select", "verdict.signature"], &["and 3 more", "approvers/alice/4"]);
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
