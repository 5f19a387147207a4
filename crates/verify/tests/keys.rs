//! Key files: every accepted shape, and every refusal with a message a user can act on.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

#[macro_use]
mod common;

// In WASM builds `#[test]` means `#[wasm_bindgen_test]`: the same tests run natively,
// in Node and in headless Chromium.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use common::*;
use receipt_verify::{parse_keys, KeyError, KeyFormat, KeyStatus};
use serde_json::{json, Value};

fn jwk(i: usize) -> Value {
    let v: Value = serde_json::from_str(JWKS).unwrap();
    v["keys"][i].clone()
}

/// Demo JWK `i` with one edit, as text.
fn edited(i: usize, edit: impl FnOnce(&mut Value)) -> String {
    let mut k = jwk(i);
    edit(&mut k);
    k.to_string()
}

fn err(text: &str) -> String {
    parse_keys(text.as_bytes(), "k").unwrap_err().to_string()
}

#[test]
fn azure_key_vault_show_output() {
    let mut key = jwk(0);
    let obj = key.as_object_mut().unwrap();
    for m in ["validFrom", "validUntil", "status"] {
        obj.remove(m);
    }
    // `az keyvault key show`: the JWK under "key", Key Vault attributes beside it.
    let shown = json!({
        "attributes": { "enabled": false, "nbf": 1_767_225_600, "exp": 1_798_761_599, "recoveryLevel": "Recoverable" },
        "key": key,
        "tags": {}
    });
    let keys = parse_keys(shown.to_string().as_bytes(), "az.json").unwrap();
    assert_eq!(keys.len(), 1);
    let k = &keys[0];
    assert_eq!(k.kid.as_deref(), Some("https://kv-premium.vault.azure.net/keys/audit-2026/2"));
    assert_eq!(k.valid_from.unwrap().to_string(), "2026-01-01T00:00:00Z");
    assert_eq!(k.valid_until.unwrap().to_string(), "2026-12-31T23:59:59Z");
    assert_eq!(k.status, Some(KeyStatus::Retired));
    assert_eq!(k.format, KeyFormat::Jwk);
    assert_eq!(k.fingerprint.to_string(), "8845f2740bd9ff0c6815f18394c6073fd7d9645e0cbe3e9e5701d67ab1086d17");
}

#[test]
fn one_jwk_and_padded_base64url_members() {
    let mut key = jwk(1);
    let x = key["x"].as_str().unwrap().to_string() + "=";
    key["x"] = json!(x);
    let keys = parse_keys(key.to_string().as_bytes(), "alice.jwk").unwrap();
    assert_eq!(keys[0].kid.as_deref(), Some("approvers/alice/1"));
    assert_eq!(keys[0].material.describe(), "EC P-256");
}

#[test]
fn refusals_say_what_to_do() {
    let cases: Vec<(String, &str)> = vec![
        (edited(1, |k| k["d"] = json!("AAAA")), "this is a private key"),
        (edited(1, |k| k["crv"] = json!("P-384")), "unsupported elliptic curve P-384"),
        (edited(1, |k| k["kty"] = json!("OKP")), "unsupported key algorithm JWK kty \"OKP\""),
        (edited(1, |k| k["alg"] = json!("RS256")), "alg RS256 does not fit this EC key"),
        (edited(1, |k| k["alg"] = json!("HS256")), "unsupported alg \"HS256\""),
        (edited(1, |k| k["status"] = json!("lost")), "unknown status \"lost\""),
        (edited(1, |k| k["validFrom"] = json!("yesterday")), "JWK /validFrom: expected an RFC 3339 timestamp"),
        (edited(1, |k| k["y"] = json!(k["x"].clone())), "the point is not on the curve"),
        (
            edited(1, |k| {
                k.as_object_mut().unwrap().remove("x");
            }),
            "JWK /x: required member is missing",
        ),
        (
            edited(0, |k| {
                k["n"] = json!("__________________________________________________________________________________________________________________________________________________________________________8")
            }),
            "RSA key is 1024 bits; keys under 2048 bits are refused",
        ),
        ("{\"keys\": []}".to_string(), "the JWKS holds no keys"),
        ("{\"keys\": [1]}".to_string(), "JWK /keys/0: must be an object"),
        ("{\"kty\": \"RSA\", \"kty\": \"EC\"}".to_string(), "duplicate object key \"kty\""),
        ("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n".to_string(), "this is a private key"),
        ("-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n".to_string(), "malformed PEM"),
        (
            "-----BEGIN CERTIFICATE REQUEST-----\nMAA=\n-----END CERTIFICATE REQUEST-----\n".to_string(),
            "is not a public key",
        ),
        ("-----BEGIN PUBLIC KEY-----\nMAA=\n-----END PUBLIC KEY-----\n".to_string(), "malformed SubjectPublicKeyInfo"),
        ("hello".to_string(), "not a key file"),
    ];
    let mut ran = 0;
    for (text, needle) in &cases {
        let message = err(text);
        assert!(message.contains(needle), "{text}\n  said: {message}\n  wanted: {needle}");
        ran += 1;
    }
    say!("keys: {ran} refusals checked");
}

#[test]
fn a_pem_file_with_several_blocks_yields_every_key() {
    let two = format!("{PUB_PEM}\n{PUB_PEM}");
    let keys = parse_keys(two.as_bytes(), "two.pem").unwrap();
    assert_eq!(keys.len(), 2);
    assert!(keys.iter().all(|k| k.kid.is_none() && k.format == KeyFormat::PemSpki));
    // A private-key block anywhere refuses the whole file.
    let mixed = format!("{PUB_PEM}\n{PRIVATE_PEM}");
    assert!(matches!(parse_keys(mixed.as_bytes(), "mixed.pem"), Err(KeyError::PrivateKey)));
}

// v1.1: real key files, skipped keys, roles, lifetimes by fingerprint.
#[path = "keys/copies.rs"]
mod copies;
#[path = "keys/files.rs"]
mod files;
#[path = "keys/review.rs"]
mod review;
#[path = "keys/verdicts.rs"]
mod verdicts;
