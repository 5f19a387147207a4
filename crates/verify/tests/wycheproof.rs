//! Project Wycheproof vectors (C2SP/wycheproof, read as they are from
//! `../shared/vectors/wycheproof/testvectors_v1/`) through the core's signature layer:
//! each group's key is read from its SPKI DER like any supplied key, and every test
//! becomes a [`SignatureJob`] for the [`RustCryptoBackend`]. `valid` must verify;
//! `invalid` and `acceptable` must be rejected.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

#[macro_use]
mod common;

// In WASM builds `#[test]` means `#[wasm_bindgen_test]`: the same tests run natively,
// in Node and in headless Chromium.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use receipt_verify::{
    Alg, EcdsaEncoding, KeyFormat, KeyMaterial, PublicKey, RustCryptoBackend, SignatureBackend, SignatureJob,
};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct File {
    algorithm: String,
    number_of_tests: usize,
    test_groups: Vec<Group>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Group {
    #[serde(rename = "type")]
    kind: String,
    public_key_der: String,
    sha: String,
    tests: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Case {
    tc_id: u32,
    comment: String,
    msg: String,
    sig: String,
    result: Expect,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "lowercase")]
enum Expect {
    Valid,
    Invalid,
    Acceptable,
}

#[derive(Default, Debug)]
struct Counts {
    valid: usize,
    invalid: usize,
    acceptable: usize,
}

fn run(name: &str, text: &str, alg: Alg) -> Counts {
    let file: File = serde_json::from_str(text).unwrap();
    let mut counts = Counts::default();
    let mut failures = Vec::new();
    for group in &file.test_groups {
        assert_eq!(group.sha, "SHA-256", "{name}");
        let encoding = match group.kind.as_str() {
            "EcdsaVerify" => EcdsaEncoding::Der,
            "EcdsaP1363Verify" => EcdsaEncoding::P1363,
            "RsassaPkcs1Verify" => EcdsaEncoding::Auto,
            other => panic!("{name}: unexpected group type {other}"),
        };
        let material = KeyMaterial::from_spki_der(&common::hex(&group.public_key_der)).unwrap();
        let key = PublicKey::new(material, KeyFormat::DerSpki, name);
        let jobs: Vec<SignatureJob> = group
            .tests
            .iter()
            .map(|t| SignatureJob {
                key: 0,
                alg,
                message: common::hex(&t.msg).into(),
                signature: common::hex(&t.sig).into(),
                ecdsa: encoding,
            })
            .collect();
        let outcomes = RustCryptoBackend.verify_batch(std::slice::from_ref(&key), &jobs);
        assert_eq!(outcomes.len(), jobs.len());
        for (t, outcome) in group.tests.iter().zip(outcomes) {
            match t.result {
                Expect::Valid => counts.valid += 1,
                Expect::Invalid => counts.invalid += 1,
                Expect::Acceptable => counts.acceptable += 1,
            }
            let accepted = outcome.is_ok();
            if accepted != (t.result == Expect::Valid) {
                failures.push(format!("tcId {} ({:?}, {}): accepted={accepted}", t.tc_id, t.result, t.comment));
            }
        }
    }
    let total = counts.valid + counts.invalid + counts.acceptable;
    say!(
        "wycheproof {name} ({}): {total} cases run: {} valid accepted, {} invalid + {} acceptable rejected",
        file.algorithm,
        counts.valid,
        counts.invalid,
        counts.acceptable
    );
    assert!(failures.is_empty(), "{name}: {} wrong outcomes:\n{}", failures.len(), failures.join("\n"));
    assert!(total > 0, "{name}: zero cases ran");
    assert_eq!(total, file.number_of_tests, "{name}: not every case ran");
    counts
}

#[test]
fn rsa_2048_pkcs1_sha256() {
    let c = run("rsa_signature_2048_sha256_test.json", wycheproof!("rsa_signature_2048_sha256_test.json"), Alg::Rs256);
    assert!(c.valid > 0 && c.invalid > 0);
}

#[test]
fn rsa_3072_pkcs1_sha256() {
    let c = run("rsa_signature_3072_sha256_test.json", wycheproof!("rsa_signature_3072_sha256_test.json"), Alg::Rs256);
    assert!(c.valid > 0 && c.invalid > 0);
}

#[test]
fn ecdsa_p256_sha256_der() {
    let c = run("ecdsa_secp256r1_sha256_test.json", wycheproof!("ecdsa_secp256r1_sha256_test.json"), Alg::Es256);
    assert!(c.valid > 0 && c.invalid > 0);
}

#[test]
fn ecdsa_p256_sha256_p1363() {
    let c = run(
        "ecdsa_secp256r1_sha256_p1363_test.json",
        wycheproof!("ecdsa_secp256r1_sha256_p1363_test.json"),
        Alg::Es256,
    );
    assert!(c.valid > 0 && c.invalid > 0);
}
