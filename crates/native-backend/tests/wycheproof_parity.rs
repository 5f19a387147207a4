//! Parity on Project Wycheproof (RSA PKCS#1 v1.5, RSA-PSS, ECDSA P-256; read unchanged
//! from `../shared/vectors/wycheproof/testvectors_v1/`, as crates/verify/tests/wycheproof.rs
//! reads them, with its helpers). Every case is prepared by the core, then answered by
//! both the OpenSSL backend and RustCrypto:
//! - both give the same outcome for every job;
//! - the OpenSSL backend accepts exactly the `valid` cases (`acceptable`, the RSA files'
//!   `MissingNull` tcId 8, is rejected, as the core's own Wycheproof tests require);
//! - it never answers `Unavailable` for a key the core accepts.
//!
//! Counts are printed and checked against SOURCES.md's, so a runner that stops reading
//! part of a file fails.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

#[macro_use]
#[path = "../../verify/tests/common/mod.rs"]
mod common;

use std::sync::Arc;

use receipt_native_backend::OpenSslBackend;
use receipt_verify::{
    prepare_signature, Alg, EcdsaEncoding, KeyFormat, KeyMaterial, PublicKey, RustCryptoBackend, SignatureBackend,
    SignatureJob, SignatureOutcome,
};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct File {
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
    mgf: Option<String>,
    mgf_sha: Option<String>,
    s_len: Option<usize>,
    tests: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Case {
    tc_id: u32,
    msg: String,
    sig: String,
    result: String,
}

/// Outcome per case: `None` when the core refused to prepare the signature.
fn answers(
    backend: &dyn SignatureBackend,
    key: &PublicKey,
    alg: Alg,
    cases: &[(Vec<u8>, Vec<u8>)],
    encoding: EcdsaEncoding,
) -> Vec<Option<SignatureOutcome>> {
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
    let outcomes = backend.verify_batch(std::slice::from_ref(key), &jobs);
    assert_eq!(outcomes.len(), jobs.len(), "{}: one outcome per job", backend.name());
    let mut outcomes = outcomes.into_iter();
    prepared.into_iter().map(|ok| if ok { outcomes.next() } else { None }).collect()
}

/// (valid, invalid, acceptable, skipped by parameters, jobs the backends answered).
fn run(name: &str, text: &str, alg: Alg) -> (usize, usize, usize, usize, usize) {
    let file: File = serde_json::from_str(text).unwrap();
    let (mut valid, mut invalid, mut acceptable, mut skipped, mut jobs) = (0, 0, 0, 0, 0);
    let mut wrong = Vec::new();
    for group in &file.test_groups {
        let encoding = match group.kind.as_str() {
            "EcdsaVerify" => EcdsaEncoding::Der,
            "EcdsaP1363Verify" => EcdsaEncoding::P1363,
            "RsassaPkcs1Verify" => EcdsaEncoding::Auto,
            "RsassaPssVerify" => {
                // Only PS256's parameters are a receipt's (see crates/verify/tests/wycheproof.rs).
                let ps256 = (Some("MGF1"), Some("SHA-256"), Some(32));
                if group.sha != "SHA-256" || (group.mgf.as_deref(), group.mgf_sha.as_deref(), group.s_len) != ps256 {
                    skipped += group.tests.len();
                    continue;
                }
                EcdsaEncoding::Auto
            }
            other => panic!("{name}: unexpected group type {other}"),
        };
        let material = KeyMaterial::from_spki_der(&common::hex(&group.public_key_der)).unwrap();
        let key = PublicKey::new(material, KeyFormat::DerSpki, name);
        let cases: Vec<(Vec<u8>, Vec<u8>)> =
            group.tests.iter().map(|t| (common::hex(&t.msg), common::hex(&t.sig))).collect();
        let native = answers(&OpenSslBackend, &key, alg, &cases, encoding);
        let rust = answers(&RustCryptoBackend, &key, alg, &cases, encoding);
        for ((t, n), r) in group.tests.iter().zip(&native).zip(&rust) {
            match t.result.as_str() {
                "valid" => valid += 1,
                "invalid" => invalid += 1,
                "acceptable" => acceptable += 1,
                other => panic!("{name}: tcId {}: unexpected result {other}", t.tc_id),
            }
            jobs += usize::from(n.is_some());
            if n != r {
                wrong.push(format!("tcId {}: openssl {n:?}, rustcrypto {r:?}", t.tc_id));
            }
            if *n == Some(SignatureOutcome::Unavailable) {
                wrong.push(format!("tcId {}: openssl could not check a key the core accepts", t.tc_id));
            }
            let accepted = *n == Some(SignatureOutcome::Valid);
            if accepted != (t.result == "valid") {
                wrong.push(format!("tcId {} ({}): openssl accepted={accepted}", t.tc_id, t.result));
            }
        }
    }
    let total = valid + invalid + acceptable;
    println!(
        "wycheproof parity {name}: {total} cases through openssl and rustcrypto ({jobs} prepared jobs): \
         {valid} valid, {invalid} invalid, {acceptable} acceptable; {skipped} skipped by parameters"
    );
    assert!(wrong.is_empty(), "{name}: {} differences:\n{}", wrong.len(), wrong.join("\n"));
    assert!(total > 0 && jobs > 0, "{name}: zero cases ran");
    assert_eq!(total + skipped, file.number_of_tests, "{name}: not every case was run or skipped");
    (valid, invalid, acceptable, skipped, jobs)
}

#[test]
fn rsa_2048_pkcs1_sha256() {
    let c = run("rsa_signature_2048_sha256_test.json", wycheproof!("rsa_signature_2048_sha256_test.json"), Alg::Rs256);
    assert_eq!((c.0, c.1, c.2, c.3), (9, 249, 1, 0));
}

#[test]
fn rsa_3072_pkcs1_sha256() {
    let c = run("rsa_signature_3072_sha256_test.json", wycheproof!("rsa_signature_3072_sha256_test.json"), Alg::Rs256);
    assert_eq!((c.0, c.1, c.2, c.3), (8, 250, 1, 0));
}

#[test]
fn ecdsa_p256_sha256_der() {
    let c = run("ecdsa_secp256r1_sha256_test.json", wycheproof!("ecdsa_secp256r1_sha256_test.json"), Alg::Es256);
    assert_eq!((c.0, c.1, c.2, c.3), (174, 310, 0, 0));
}

#[test]
fn ecdsa_p256_sha256_p1363() {
    let c = run(
        "ecdsa_secp256r1_sha256_p1363_test.json",
        wycheproof!("ecdsa_secp256r1_sha256_p1363_test.json"),
        Alg::Es256,
    );
    assert_eq!((c.0, c.1, c.2, c.3), (173, 89, 0, 0));
}

#[test]
fn rsa_pss_2048_sha256_mgf1_32() {
    let c =
        run("rsa_pss_2048_sha256_mgf1_32_test.json", wycheproof!("rsa_pss_2048_sha256_mgf1_32_test.json"), Alg::Ps256);
    assert_eq!((c.0, c.1, c.2, c.3), (63, 45, 0, 0));
}

#[test]
fn rsa_pss_3072_sha256_mgf1_32() {
    let c =
        run("rsa_pss_3072_sha256_mgf1_32_test.json", wycheproof!("rsa_pss_3072_sha256_mgf1_32_test.json"), Alg::Ps256);
    assert_eq!((c.0, c.1, c.2, c.3), (63, 45, 0, 0));
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

/// PS256 fixes the salt at 32 bytes in both backends: PSS signatures with other salt
/// lengths, made here with the demo key, are refused by both; the 32-byte one verifies.
#[test]
fn pss_salt_length_is_32_in_both_backends() {
    use rsa::pkcs8::DecodePrivateKey;
    use rsa::signature::{RandomizedSigner, SignatureEncoding};
    let private = rsa::RsaPrivateKey::from_pkcs8_pem(common::PRIVATE_PEM).unwrap();
    let key = common::jwks().into_iter().find(|k| matches!(k.material, KeyMaterial::Rsa(_))).unwrap();
    let message = b"receipt format v1 PS256 salt length".to_vec();
    let mut rng = CountingRng(7);
    let mut accepted = Vec::new();
    for salt in [0, 20, 31, 32, 33, 64, 222] {
        let signer = rsa::pss::SigningKey::<sha2::Sha256>::new_with_salt_len(private.clone(), salt);
        let cases = [(message.clone(), signer.sign_with_rng(&mut rng, &message).to_vec())];
        let native = answers(&OpenSslBackend, &key, Alg::Ps256, &cases, EcdsaEncoding::Auto);
        let rust = answers(&RustCryptoBackend, &key, Alg::Ps256, &cases, EcdsaEncoding::Auto);
        assert_eq!(native, rust, "salt {salt}");
        if native == [Some(SignatureOutcome::Valid)] {
            accepted.push(salt);
        }
    }
    assert_eq!(accepted, [32]);
}

/// A job naming a key the batch does not hold is not checked (`Unavailable`), never
/// `Invalid`; the other jobs of the batch are answered in order around it.
#[test]
fn a_missing_key_is_unavailable_and_order_is_kept() {
    let keys = common::jwks();
    let receipts = common::receipts();
    let rsa = keys.iter().position(|k| matches!(k.material, KeyMaterial::Rsa(_))).unwrap();
    let mut jobs = Vec::new();
    for r in &receipts {
        let message = receipt_verify::manifest(r).unwrap();
        let sig = receipt_verify::decode_base64(r["signature"].as_str().unwrap()).unwrap();
        let sig: Arc<[u8]> = sig.into();
        let mut tampered = message.clone();
        tampered.push(b' ');
        jobs.push(SignatureJob { key: rsa, alg: Alg::Rs256, message: message.clone().into(), signature: sig.clone() });
        jobs.push(SignatureJob { key: rsa, alg: Alg::Rs256, message: tampered.into(), signature: sig.clone() });
        jobs.push(SignatureJob { key: keys.len() + 3, alg: Alg::Rs256, message: message.into(), signature: sig });
    }
    let got = OpenSslBackend.verify_batch(&keys, &jobs);
    let want: Vec<SignatureOutcome> = receipts
        .iter()
        .flat_map(|_| [SignatureOutcome::Valid, SignatureOutcome::Invalid, SignatureOutcome::Unavailable])
        .collect();
    assert_eq!(got, want);
    assert_eq!(jobs.len(), 3 * receipts.len());
    assert!(receipts.len() >= 6);
}

/// An RSA signature as long as the modulus but not below it (s = n, s = n + 1, all
/// 0xff) is a mismatch in both backends (RFC 8017 §5.2.2), for RS256 and PS256: OpenSSL
/// reports it as an error, which must not read as "could not check".
#[test]
fn a_signature_not_below_n_is_invalid_in_both_backends() {
    let key = common::jwks().into_iter().find(|k| matches!(k.material, KeyMaterial::Rsa(_))).unwrap();
    let KeyMaterial::Rsa(rsa) = &key.material else { unreachable!() };
    let n = rsa.n().to_vec();
    let mut n_plus_1 = n.clone();
    *n_plus_1.last_mut().unwrap() += 1; // n is odd, so no carry
    let cases: Vec<(Vec<u8>, Vec<u8>)> =
        [n.clone(), n_plus_1, vec![0xff; n.len()]].into_iter().map(|s| (b"m".to_vec(), s)).collect();
    for alg in [Alg::Rs256, Alg::Ps256] {
        let native = answers(&OpenSslBackend, &key, alg, &cases, EcdsaEncoding::Auto);
        let rust = answers(&RustCryptoBackend, &key, alg, &cases, EcdsaEncoding::Auto);
        assert_eq!(native, vec![Some(SignatureOutcome::Invalid); 3], "{alg}");
        assert_eq!(native, rust, "{alg}");
    }
}
