//! Issue 9 §1.3 (keys that cannot verify), §1.7 (RSA size), §1.8 (revocation by
//! fingerprint, retirement, Azure vault names, compressed points) and §1.9 (key files as
//! auditors get them).

use anyhow::Result;
use base64ct::{Base64, Encoding};
use receipt_verify::Hash;
use serde_json::{json, Value};

use super::cases_verdict::{window, Kit};
use super::sign::*;
use super::Corpus;

const U: &str = "§1.3 unusable keys";
const RS: &str = "§1.7 RSA size";
const L: &str = "§1.8 key lifetimes";
const F: &str = "§1.9 key files";
const P: &str = "positive control";
/// Self-signed certificates for the demo audit key (made once with `openssl ca -selfsign`,
/// valid 2026–2036): keyUsage keyEncipherment only, and keyUsage digitalSignature.
const CERT_NO_SIGNING: &str = include_str!("cert-no-digital-signature.pem");
const CERT_SIGNING: &str = include_str!("cert-digital-signature.pem");

fn pem(label: &str, der: &[u8]) -> String {
    let b64 = Base64::encode_string(der);
    let body: Vec<&str> = b64.as_bytes().chunks(64).map(|c| std::str::from_utf8(c).unwrap_or_default()).collect();
    format!("-----BEGIN {label}-----\n{}\n-----END {label}-----\n", body.join("\n"))
}

/// `az keyvault key show` output for the audit key, as the CLI prints it.
fn az_show(k: &Kit, attributes: Value, key_ops: Value) -> Result<String> {
    let (n, e) = k.audit.n_e();
    let mut attrs = obj(json!({
        "created": "2026-01-01T00:00:00+00:00", "enabled": true, "expires": null, "exportable": false,
        "hsmPlatform": "2", "notBefore": null, "recoverableDays": 90,
        "recoveryLevel": "Recoverable+Purgeable", "updated": "2026-01-01T00:00:00+00:00",
    }));
    attrs.extend(obj(attributes));
    pretty(&json!({
        "attributes": attrs,
        "key": {
            "crv": null, "d": null, "dp": null, "dq": null, "e": Base64::encode_string(&e), "k": null,
            "keyOps": key_ops, "kid": JWKS_KID, "kty": "RSA-HSM", "n": Base64::encode_string(&n),
            "p": null, "q": null, "qi": null, "t": null, "x": null, "y": null,
        },
        "managed": null, "releasePolicy": null, "tags": null,
    }))
}

pub fn add(c: &mut Corpus, k: &Kit) -> Result<()> {
    unusable(c, k)?;
    rsa_size(c)?;
    lifetimes(c, k)?;
    files(c, k)
}

fn audit_jwk(k: &Kit, extra: Value) -> Value {
    let mut m = obj(k.audit.jwk(JWKS_KID, window()));
    m.extend(obj(extra));
    m.retain(|_, v| !v.is_null());
    Value::Object(m)
}

fn unusable(c: &mut Corpus, k: &Kit) -> Result<()> {
    let alice_enc = k.alice.jwk("approvers/alice/1", json!({ "use": "enc" }))?;
    c.case("key-use-enc-skipped", U, "a JWKS holding an encryption key (use enc) next to the audit key")
        .keys("jwks.json", pretty(&json!({ "keys": [alice_enc, audit_jwk(k, json!({}))] }))?)
        .common("receipts", "receipts.jsonl")
        .expect(0, &[], &["key.skipped", "use"]);
    c.case("key-use-enc-only", U, "the only key has use enc: no usable key")
        .keys("jwks.json", pretty(&json!({ "keys": [audit_jwk(k, json!({ "use": "enc" }))] }))?)
        .common("receipts", "receipts.jsonl")
        .expect(2, &[], &["unusable key file", "use"]);
    c.case("key-ops-without-verify-only", U, "the only key has key_ops [encrypt]")
        .keys("jwks.json", pretty(&json!({ "keys": [audit_jwk(k, json!({ "key_ops": ["encrypt"] }))] }))?)
        .common("receipts", "receipts.jsonl")
        .expect(2, &[], &["unusable key file", "verify"]);
    c.case("positive-key-ops-verify", P, "a JWK with key_ops [verify]")
        .keys("jwks.json", pretty(&json!({ "keys": [audit_jwk(k, json!({ "key_ops": ["verify"] }))] }))?)
        .common("receipts", "receipts.jsonl")
        .expect(0, &[], &[]);
    c.case(
        "cert-without-digital-signature-only",
        U,
        "a certificate whose keyUsage lacks digitalSignature: no usable key",
    )
    .keys("audit-cert.pem", CERT_NO_SIGNING)
    .common("receipts", "receipts.jsonl")
    .expect(2, &[], &["unusable key file", "digitalSignature"]);
    // A key file with no usable key is refused (§1.3), whatever other files hold. Here the
    // unusable certificate sits next to a usable certificate of the same key: the skipped
    // copy still speaks for the key by fingerprint (§11), so the key is withdrawn. A skipped
    // key next to another key is `positive-review-skipped-other-key`.
    c.case(
        "cert-without-digital-signature-skipped",
        U,
        "that certificate next to one with digitalSignature for the same key: the key is withdrawn",
    )
    .keys("keys.pem", format!("{CERT_NO_SIGNING}{CERT_SIGNING}"))
    .common("receipts", "receipts.jsonl")
    .expect(1, &["key.role", "verdict.signature"], &["key.skipped", "digitalSignature", "not for signatures"]);
    c.case("positive-cert-digital-signature", P, "a certificate with keyUsage digitalSignature")
        .keys("audit-cert.pem", CERT_SIGNING)
        .common("receipts", "receipts.jsonl")
        .expect(0, &[], &[]);
    c.case("az-keyops-without-verify", U, "az keyvault output whose keyOps lack verify")
        .keys("az-key.json", az_show(k, json!({}), json!(["encrypt", "decrypt", "wrapKey", "unwrapKey"]))?)
        .common("receipts", "receipts.jsonl")
        .expect(2, &[], &["unusable key file", "verify"]);
    Ok(())
}

fn rsa_size(c: &mut Corpus) -> Result<()> {
    let small = RsaKey::rsa_2047()?;
    c.case("rsa-2047-bit-pem", RS, "a 2047-bit RSA key (SPKI PEM): not RSA-2048")
        .keys("rsa-2047.pub.pem", small.pem()?)
        .common("receipts", "receipts.jsonl")
        .expect(2, &[], &["unusable key file", "2047"]);
    c.case("rsa-2047-bit-jwk", RS, "a 2047-bit RSA key as a JWK")
        .keys("rsa-2047.jwk.json", pretty(&small.jwk(RECEIPT_KID, json!({})))?)
        .common("receipts", "receipts.jsonl")
        .expect(2, &[], &["unusable key file", "2047"]);
    c.case("rsa-2047-bit-der-pkcs1", RS, "a 2047-bit RSA key as binary DER PKCS#1")
        .keys("rsa-2047.der", small.pkcs1_der()?)
        .common("receipts", "receipts.jsonl")
        .expect(2, &[], &["unusable key file", "2047"]);
    Ok(())
}

fn lifetimes(c: &mut Corpus, k: &Kit) -> Result<()> {
    // Revoked under a kid no receipt names, so today the kid-less copy is selected and verifies.
    let revoked =
        pretty(&json!({ "keys": [audit_jwk(k, json!({ "status": "revoked", "kid": "audit-2026-compromised" }))] }))?;
    c.case("revoked-jwk-then-pem", L, "the audit key revoked in a JWKS, given again as a kid-less PEM")
        .keys("revoked.json", revoked.clone())
        .common("keys", "audit-key.pub.pem")
        .common("receipts", "receipts.jsonl")
        .expect(1, &["key.status", "verdict.signature"], &["revoked"]);
    c.case("revoked-pem-then-jwk", L, "the same, with the PEM file first")
        .common("keys", "audit-key.pub.pem")
        .keys("revoked.json", revoked.clone())
        .common("receipts", "receipts.jsonl")
        .expect(1, &["key.status", "verdict.signature"], &["revoked"]);
    c.case("revoked-jwk-then-der", L, "revoked in a JWKS, given again as binary DER PKCS#1")
        .keys("revoked.json", revoked)
        .keys("audit-key.der", k.audit.pkcs1_der()?)
        .common("receipts", "receipts.jsonl")
        .expect(1, &["key.status", "verdict.signature"], &["revoked"]);
    let alice_revoked = k.alice.jwk("approvers/alice-old/1", json!({ "status": "revoked" }))?;
    let a2 = pretty(&Value::Array(k.approvals.get(1).cloned().into_iter().collect()))?;
    c.case("revoked-jwk-then-compressed-pem", L, "alice revoked as a JWK, given again as PEM with a compressed point")
        .keys("revoked.json", pretty(&json!({ "keys": [alice_revoked] }))?)
        .keys("alice-compressed.pem", pem("PUBLIC KEY", &k.alice.compressed_spki_der()))
        .receipts("approval.json", a2.clone())
        .expect(1, &["approval.quorum", "key.status", "verdict.signature"], &["revoked"]);
    let own = Hash::sha256(&k.alice.compressed_spki_der()).to_string();
    let own_hex = own.trim_start_matches("0x").to_string();
    c.case(
        "positive-compressed-ec-point",
        P,
        "alice's key as SPKI PEM with a compressed point: its own SHA-256 is shown",
    )
    .keys("alice-compressed.pem", pem("PUBLIC KEY", &k.alice.compressed_spki_der()))
    .receipts("approval.json", a2)
    .expect(0, &[], &[&own_hex]);
    c.case("retired-without-window", L, "status retired and no window: verified, but with a warning")
        .keys("jwks.json", pretty(&json!({ "keys": [audit_jwk(k, json!({ "status": "retired", "validFrom": null, "validUntil": null }))] }))?)
        .common("receipts", "receipts.jsonl")
        .expect(0, &[], &["retired"]);
    c.case("positive-retired-inside-window", P, "status retired, both receipts inside its window")
        .keys("jwks.json", pretty(&json!({ "keys": [audit_jwk(k, json!({ "status": "retired" }))] }))?)
        .common("receipts", "receipts.jsonl")
        .expect(0, &[], &["retired"]);
    c.case("retired-window-ends-between-receipts", L, "status retired, validUntil between the two receipts")
        .keys("jwks.json", pretty(&json!({ "keys": [audit_jwk(k, json!({ "status": "retired", "validUntil": "2026-03-02T09:01:30Z" }))] }))?)
        .common("receipts", "receipts.jsonl")
        .expect(1, &["key.validity"], &["2026-03-02T09:01:30Z"]);
    c.case("az-disabled-without-expiry", L, "az output with enabled false and no expires: verified, with a warning")
        .keys("az-key.json", az_show(k, json!({ "enabled": false }), json!(["sign", "verify"]))?)
        .common("receipts", "receipts.jsonl")
        .expect(0, &[], &[]);
    c.case("az-expired-between-receipts", L, "az output whose expires falls between the two receipts")
        .keys("az-key.json", az_show(k, json!({ "expires": "2026-03-02T09:01:30+00:00" }), json!(["sign", "verify"]))?)
        .common("receipts", "receipts.jsonl")
        .expect(1, &["key.validity"], &["09:01:30"]);
    c.case("az-not-yet-valid", L, "az output whose notBefore is after both receipts")
        .keys(
            "az-key.json",
            az_show(k, json!({ "notBefore": "2026-03-03T00:00:00+00:00" }), json!(["sign", "verify"]))?,
        )
        .common("receipts", "receipts.jsonl")
        .expect(1, &["key.validity", "verdict.signature"], &["2026-03-03"]);
    let other_vault = audit_jwk(k, json!({ "kid": "https://kv-other.vault.azure.net/keys/audit-2026/2" }));
    c.case("azure-vault-name-mismatch", L, "key URL of vault kv-other, receipt kid names vault kv-premium")
        .keys("jwks.json", pretty(&json!({ "keys": [other_vault] }))?)
        .common("receipts", "receipts.jsonl")
        .expect(1, &["key.select", "verdict.signature"], &["kv-other"]);
    Ok(())
}

fn files(c: &mut Corpus, k: &Kit) -> Result<()> {
    c.case(
        "positive-az-keyvault-show",
        P,
        "real az keyvault key show output: null private members, keyOps, standard base64 n",
    )
    .keys(
        "az-key.json",
        az_show(k, json!({}), json!(["sign", "verify", "wrapKey", "unwrapKey", "encrypt", "decrypt"]))?,
    )
    .common("receipts", "receipts.jsonl")
    .expect(0, &[], &[]);
    c.case("positive-der-pkcs1", P, "the audit key as binary DER PKCS#1 RSAPublicKey")
        .keys("audit-key.der", k.audit.pkcs1_der()?)
        .common("receipts", "receipts.jsonl")
        .expect(0, &[], &[]);
    let preamble =
        format!("Audit key for cust-0042, issued 2026-01-01.\nSubject: kv-premium audit-2026\n\n{}", k.audit.pem()?);
    c.case("positive-pem-with-preamble", P, "PEM with explanatory text before -----BEGIN (RFC 7468 §2)")
        .keys("audit-key.pem", preamble)
        .common("receipts", "receipts.jsonl")
        .expect(0, &[], &[]);
    let full = k.audit.pem()?;
    let cut = full.get(..full.len() / 2).unwrap_or_default().to_string();
    c.case("pem-truncated", F, "a PEM block cut in half, no END line")
        .keys("audit-key.pem", cut.clone())
        .common("receipts", "receipts.jsonl")
        .expect(2, &[], &["unusable key file"]);
    c.case("pem-truncated-trailing-block", F, "a whole PEM block, then a truncated second block")
        .keys("keys.pem", format!("{full}{cut}"))
        .common("receipts", "receipts.jsonl")
        .expect(2, &[], &["unusable key file"]);
    c.case("pem-begin-line-only", F, "a BEGIN line and nothing else")
        .keys("keys.pem", "-----BEGIN PUBLIC KEY-----\n")
        .common("receipts", "receipts.jsonl")
        .expect(2, &[], &["unusable key file"]);
    let ed =
        json!({ "kty": "OKP", "crv": "Ed25519", "kid": "ed-1", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo" });
    c.case("jwks-ed25519-next-to-usable", F, "a JWKS with an Ed25519 key next to the audit key")
        .keys("jwks.json", pretty(&json!({ "keys": [ed.clone(), audit_jwk(k, json!({}))] }))?)
        .common("receipts", "receipts.jsonl")
        .expect(0, &[], &["key.skipped", "Ed25519"]);
    // Another key: an RSA-OAEP copy of the audit key itself leaves it no algorithm
    // (rt7-jwk-alg-oaep-copy).
    let mut oaep = other_rsa_jwk("enc-1", json!({ "alg": "RSA-OAEP" }))?;
    oaep.as_object_mut().map(|m| m.remove("use"));
    c.case("jwks-rsa-oaep-next-to-usable", F, "a JWKS with another RSA key, alg RSA-OAEP, next to the audit key")
        .keys("jwks.json", pretty(&json!({ "keys": [oaep, audit_jwk(k, json!({}))] }))?)
        .common("receipts", "receipts.jsonl")
        .expect(0, &[], &["key.skipped", "RSA-OAEP"]);
    c.case("jwks-only-ed25519", F, "a JWKS holding only an Ed25519 key")
        .keys("jwks.json", pretty(&json!({ "keys": [ed] }))?)
        .common("receipts", "receipts.jsonl")
        .expect(2, &[], &["unusable key file"]);
    for (name, attrs, about) in [
        ("az-exp-as-string", json!({ "exp": "2026-12-31T23:59:59Z" }), "attributes.exp as a string"),
        ("az-exp-in-milliseconds", json!({ "exp": 1_798_761_599_000u64 }), "attributes.exp in milliseconds"),
    ] {
        c.case(name, F, &format!("az output with {about}"))
            .keys("az-key.json", az_show(k, attrs, json!(["sign", "verify"]))?)
            .common("receipts", "receipts.jsonl")
            .expect(2, &[], &["unusable key file", "exp"]);
    }
    c.case("jwk-validuntil-as-number", F, "a JWK whose validUntil is a Unix time number")
        .keys("jwks.json", pretty(&json!({ "keys": [audit_jwk(k, json!({ "validUntil": 1_798_761_599u64 }))] }))?)
        .common("receipts", "receipts.jsonl")
        .expect(2, &[], &["unusable key file", "validUntil"]);
    c.case("jwk-with-private-member", F, "a JWK carrying a private member d")
        .keys("jwks.json", pretty(&json!({ "keys": [audit_jwk(k, json!({ "d": "AQAB" }))] }))?)
        .common("receipts", "receipts.jsonl")
        .expect(2, &[], &["private key"]);
    Ok(())
}
