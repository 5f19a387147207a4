//! Project Wycheproof vectors (C2SP/wycheproof, read as they are from
//! `../shared/vectors/wycheproof/testvectors_v1/`) through the core's signature layer:
//! each group's key is read from its SPKI DER like any supplied key, and every test
//! becomes a [`SignatureJob`] for the [`RustCryptoBackend`]. `valid` must verify;
//! `invalid` and `acceptable` must be rejected.
//!
//! `acceptable` means upstream allows either outcome (a legacy encoding, flagged). The
//! core is stricter and rejects them (the RSA files' only one is tcId 8, `MissingNull`),
//! so these tests require rejection: a change that starts accepting one fails here and
//! has to be a decision, not an accident. The PSS files have no `acceptable` case.
//!
//! RSA-PSS: receipts name only `PS256`, whose parameters are fixed (SHA-256, MGF1 with
//! SHA-256, a 32-byte salt; RFC 7518 §3.5). A PSS group is run only when its parameters
//! are exactly those; a group with another hash or salt length is counted as skipped by
//! its parameters, not run, because its `valid` signatures are valid under parameters a
//! receipt cannot name (running them under PS256 would only test that they differ). That
//! other salt lengths are refused is tested directly, with signatures made here
//! (`pss_with_another_salt_length_is_refused`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

#[macro_use]
mod common;

// In WASM builds `#[test]` means `#[wasm_bindgen_test]`: the same tests run natively,
// in Node and in headless Chromium.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use std::sync::Arc;

use receipt_verify::{
    prepare_signature, Alg, EcdsaEncoding, KeyFormat, KeyMaterial, PublicKey, RustCryptoBackend, SignatureBackend,
    SignatureJob, SignatureOutcome,
};

/// Whether each raw signature verifies under `key`, the way the engine does it: prepared
/// by the core ([`prepare_signature`]), then answered by the backend. `Unavailable` is
/// never an answer here: RustCrypto checks every key the core accepts.
fn accepted(key: &PublicKey, alg: Alg, cases: &[(Vec<u8>, Vec<u8>)], encoding: EcdsaEncoding) -> Vec<bool> {
    let mut jobs = Vec::new();
    let mut prepared = Vec::new();
    for (message, signature) in cases {
        let raw: Arc<[u8]> = signature.as_slice().into();
        match prepare_signature(&key.material, alg, &raw, encoding) {
            Ok(signature) => {
                prepared.push(true);
                jobs.push(SignatureJob { key: 0, alg, message: message.clone().into(), signature });
            }
            Err(_) => prepared.push(false),
        }
    }
    let outcomes = RustCryptoBackend.verify_batch(std::slice::from_ref(key), &jobs);
    assert_eq!(outcomes.len(), jobs.len());
    assert!(!outcomes.contains(&SignatureOutcome::Unavailable));
    let mut outcomes = outcomes.into_iter();
    prepared.into_iter().map(|ok| ok && outcomes.next() == Some(SignatureOutcome::Valid)).collect()
}
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
    /// PSS only: the mask generation function, its hash and the salt length.
    mgf: Option<String>,
    mgf_sha: Option<String>,
    s_len: Option<usize>,
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
    /// Cases of groups whose parameters are not the algorithm's (PSS only).
    skipped: usize,
}

fn run(name: &str, text: &str, alg: Alg) -> Counts {
    let file: File = serde_json::from_str(text).unwrap();
    let mut counts = Counts::default();
    let mut failures = Vec::new();
    for group in &file.test_groups {
        let encoding = match group.kind.as_str() {
            "EcdsaVerify" => EcdsaEncoding::Der,
            "EcdsaP1363Verify" => EcdsaEncoding::P1363,
            "RsassaPkcs1Verify" => EcdsaEncoding::Auto,
            "RsassaPssVerify" => {
                assert_eq!(alg, Alg::Ps256, "{name}");
                let ps256 = (Some("MGF1"), Some("SHA-256"), Some(32));
                if group.sha != "SHA-256" || (group.mgf.as_deref(), group.mgf_sha.as_deref(), group.s_len) != ps256 {
                    counts.skipped += group.tests.len();
                    continue;
                }
                EcdsaEncoding::Auto
            }
            other => panic!("{name}: unexpected group type {other}"),
        };
        assert_eq!(group.sha, "SHA-256", "{name}");
        let material = KeyMaterial::from_spki_der(&common::hex(&group.public_key_der)).unwrap();
        let key = PublicKey::new(material, KeyFormat::DerSpki, name);
        let cases: Vec<(Vec<u8>, Vec<u8>)> =
            group.tests.iter().map(|t| (common::hex(&t.msg), common::hex(&t.sig))).collect();
        let outcomes = accepted(&key, alg, &cases, encoding);
        assert_eq!(outcomes.len(), cases.len());
        for (t, accepted) in group.tests.iter().zip(outcomes) {
            match t.result {
                Expect::Valid => counts.valid += 1,
                Expect::Invalid => counts.invalid += 1,
                Expect::Acceptable => counts.acceptable += 1,
            }
            if accepted != (t.result == Expect::Valid) {
                failures.push(format!("tcId {} ({:?}, {}): accepted={accepted}", t.tc_id, t.result, t.comment));
            }
        }
    }
    let total = counts.valid + counts.invalid + counts.acceptable;
    say!(
        "wycheproof {name} ({}): {total} cases run: {} valid accepted, {} invalid + {} acceptable rejected; {} skipped by parameters",
        file.algorithm,
        counts.valid,
        counts.invalid,
        counts.acceptable,
        counts.skipped
    );
    assert!(failures.is_empty(), "{name}: {} wrong outcomes:\n{}", failures.len(), failures.join("\n"));
    assert!(total > 0, "{name}: zero cases ran");
    assert_eq!(total + counts.skipped, file.number_of_tests, "{name}: not every case was run or skipped");
    counts
}

// The expected counts are those SOURCES.md records for each file, so a vector file that
// shrinks, or a runner that stops reading part of it, fails here.

#[test]
fn rsa_2048_pkcs1_sha256() {
    let c = run("rsa_signature_2048_sha256_test.json", wycheproof!("rsa_signature_2048_sha256_test.json"), Alg::Rs256);
    assert_eq!((c.valid, c.invalid, c.acceptable, c.skipped), (9, 249, 1, 0));
}

#[test]
fn rsa_3072_pkcs1_sha256() {
    let c = run("rsa_signature_3072_sha256_test.json", wycheproof!("rsa_signature_3072_sha256_test.json"), Alg::Rs256);
    assert_eq!((c.valid, c.invalid, c.acceptable, c.skipped), (8, 250, 1, 0));
}

#[test]
fn ecdsa_p256_sha256_der() {
    let c = run("ecdsa_secp256r1_sha256_test.json", wycheproof!("ecdsa_secp256r1_sha256_test.json"), Alg::Es256);
    assert_eq!((c.valid, c.invalid, c.acceptable, c.skipped), (174, 310, 0, 0));
}

#[test]
fn ecdsa_p256_sha256_p1363() {
    let c = run(
        "ecdsa_secp256r1_sha256_p1363_test.json",
        wycheproof!("ecdsa_secp256r1_sha256_p1363_test.json"),
        Alg::Es256,
    );
    assert_eq!((c.valid, c.invalid, c.acceptable, c.skipped), (173, 89, 0, 0));
}

#[test]
fn rsa_pss_2048_sha256_mgf1_32() {
    let c =
        run("rsa_pss_2048_sha256_mgf1_32_test.json", wycheproof!("rsa_pss_2048_sha256_mgf1_32_test.json"), Alg::Ps256);
    assert_eq!((c.valid, c.invalid, c.acceptable, c.skipped), (63, 45, 0, 0));
}

#[test]
fn rsa_pss_3072_sha256_mgf1_32() {
    let c =
        run("rsa_pss_3072_sha256_mgf1_32_test.json", wycheproof!("rsa_pss_3072_sha256_mgf1_32_test.json"), Alg::Ps256);
    assert_eq!((c.valid, c.invalid, c.acceptable, c.skipped), (63, 45, 0, 0));
}

/// A deterministic RNG for PSS salts (test-only; the salts need not be secret here).
struct CountingRng(u64);

impl rsa::rand_core::RngCore for CountingRng {
    fn next_u32(&mut self) -> u32 {
        self.next_u64() as u32
    }
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for b in dest {
            *b = (self.next_u64() >> 56) as u8;
        }
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rsa::rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

impl rsa::rand_core::CryptoRng for CountingRng {}

/// PS256 fixes the salt at 32 bytes: PSS signatures over SHA-256 with any other salt
/// length, made here with the demo key, are refused; the 32-byte one verifies.
#[test]
fn pss_with_another_salt_length_is_refused() {
    use rsa::pkcs8::DecodePrivateKey;
    use rsa::signature::{RandomizedSigner, SignatureEncoding};
    let private = rsa::RsaPrivateKey::from_pkcs8_pem(common::PRIVATE_PEM).unwrap();
    let key = common::jwks().into_iter().find(|k| matches!(k.material, KeyMaterial::Rsa(_))).unwrap();
    let message = b"receipt format v1 PS256 salt length".to_vec();
    let mut rng = CountingRng(7);
    let mut outcomes = Vec::new();
    for salt in [0, 20, 31, 32, 33, 64, 222] {
        let signer = rsa::pss::SigningKey::<sha2::Sha256>::new_with_salt_len(private.clone(), salt);
        let signature = signer.sign_with_rng(&mut rng, &message).to_vec();
        let outcome = accepted(&key, Alg::Ps256, &[(message.clone(), signature)], EcdsaEncoding::Auto);
        outcomes.push((salt, outcome[0]));
    }
    let accepted: Vec<usize> = outcomes.iter().filter(|(_, ok)| *ok).map(|(s, _)| *s).collect();
    assert_eq!(accepted, [32], "{outcomes:?}");
}
