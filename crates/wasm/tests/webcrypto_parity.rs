//! Every Wycheproof vector (RSA PKCS#1 v1.5, RSA-PSS PS256, ECDSA P-256 in DER and P1363)
//! through both backends of the package: the core prepares each signature, then
//! RustCrypto (in the module) and WebCrypto (`js/webcrypto.js`, the code `verifyAsync`
//! runs) answer. Both must give the same answer on every case, and that answer must be the
//! vector's. Runs in Node and in headless Chromium (scripts/test.sh), so both WebCrypto
//! implementations are held to it.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use std::sync::Arc;

use receipt_verify::{
    prepare_signature, Alg, EcdsaEncoding, KeyFormat, KeyMaterial, PublicKey, RustCryptoBackend, SignatureBackend,
    SignatureJob, SignatureOutcome,
};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::{console_log, wasm_bindgen_test as test};

#[wasm_bindgen(module = "/js/webcrypto.js")]
extern "C" {
    #[wasm_bindgen(js_name = answerJobs)]
    fn answer_jobs(subtle: &JsValue, keys: &JsValue, jobs: &JsValue) -> js_sys::Promise;
}

macro_rules! wycheproof {
    ($file:literal) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/vectors/wycheproof/testvectors_v1/", $file))
    };
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

fn set(o: &js_sys::Object, name: &str, v: &JsValue) {
    js_sys::Reflect::set(o, &name.into(), v).unwrap();
}

/// WebCrypto's answers to `jobs`, all under `key`, through `answerJobs`.
async fn webcrypto(key: &PublicKey, jobs: &[SignatureJob]) -> Vec<u8> {
    let subtle =
        js_sys::Reflect::get(&js_sys::Reflect::get(&js_sys::global(), &"crypto".into()).unwrap(), &"subtle".into())
            .unwrap();
    assert!(subtle.is_object(), "this runtime has no crypto.subtle");
    let entry = js_sys::Object::new();
    set(&entry, "fingerprint", &key.fingerprint.to_string().into());
    set(&entry, "spki", &js_sys::Uint8Array::from(key.spki_der.as_slice()));
    let keys = js_sys::Array::of1(&entry);
    let (mut message, mut message_end, mut signature, mut signature_end, mut algs) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for job in jobs {
        message.extend_from_slice(&job.message.to_vec());
        message_end.push(message.len() as u32);
        signature.extend_from_slice(&job.signature);
        signature_end.push(signature.len() as u32);
        algs.push(match job.alg {
            Alg::Rs256 => 0u8,
            Alg::Ps256 => 1,
            Alg::Es256 => 2,
        });
    }
    let columns = js_sys::Object::new();
    set(&columns, "key", &js_sys::Uint32Array::from(vec![0u32; jobs.len()].as_slice()));
    set(&columns, "alg", &js_sys::Uint8Array::from(algs.as_slice()));
    set(&columns, "message", &js_sys::Uint8Array::from(message.as_slice()));
    set(&columns, "messageEnd", &js_sys::Uint32Array::from(message_end.as_slice()));
    let own: Vec<u32> = (0..jobs.len() as u32).collect();
    set(&columns, "messageIndex", &js_sys::Uint32Array::from(own.as_slice()));
    set(&columns, "signature", &js_sys::Uint8Array::from(signature.as_slice()));
    set(&columns, "signatureEnd", &js_sys::Uint32Array::from(signature_end.as_slice()));
    let answers = wasm_bindgen_futures::JsFuture::from(answer_jobs(&subtle, &keys, &columns)).await.unwrap();
    js_sys::Uint8Array::new(&answers).to_vec()
}

/// Run one vector file through both backends; returns (cases run, of which prepared for a backend).
async fn run(name: &str, text: &str, alg: Alg) -> (usize, usize) {
    let file: Value = serde_json::from_str(text).unwrap();
    let (mut ran, mut prepared_count, mut wrong) = (0, 0, Vec::new());
    for group in file["testGroups"].as_array().unwrap() {
        let encoding = match group["type"].as_str().unwrap() {
            "EcdsaVerify" => EcdsaEncoding::Der,
            "EcdsaP1363Verify" => EcdsaEncoding::P1363,
            "RsassaPkcs1Verify" => EcdsaEncoding::Auto,
            "RsassaPssVerify" => {
                let ps256 = group["sha"] == "SHA-256"
                    && group["mgf"] == "MGF1"
                    && group["mgfSha"] == "SHA-256"
                    && group["sLen"] == 32;
                if !ps256 {
                    continue; // not PS256's parameters: tests/wycheproof.rs counts these as skipped
                }
                EcdsaEncoding::Auto
            }
            other => panic!("{name}: group type {other}"),
        };
        let material = KeyMaterial::from_spki_der(&hex(group["publicKeyDer"].as_str().unwrap())).unwrap();
        let key = PublicKey::new(material, KeyFormat::DerSpki, name);
        let tests = group["tests"].as_array().unwrap();
        let mut jobs = Vec::new();
        let mut prepared = Vec::new();
        for t in tests {
            let raw: Arc<[u8]> = hex(t["sig"].as_str().unwrap()).into();
            match prepare_signature(&key.material, alg, &raw, encoding) {
                Ok(signature) => {
                    prepared.push(true);
                    jobs.push(SignatureJob { key: 0, alg, message: hex(t["msg"].as_str().unwrap()).into(), signature });
                }
                Err(_) => prepared.push(false),
            }
        }
        let rust = RustCryptoBackend.verify_batch(std::slice::from_ref(&key), &jobs);
        let web = webcrypto(&key, &jobs).await;
        assert_eq!((rust.len(), web.len()), (jobs.len(), jobs.len()), "{name}");
        let (mut rust, mut web) = (rust.into_iter(), web.into_iter());
        for (t, was_prepared) in tests.iter().zip(prepared) {
            ran += 1;
            let expected = t["result"] == "valid";
            let (r, w) = if was_prepared {
                prepared_count += 1;
                (rust.next().unwrap() == SignatureOutcome::Valid, web.next().unwrap() == 1)
            } else {
                (false, false)
            };
            if r != w || r != expected {
                wrong.push(format!("tcId {} ({}): rustcrypto {r}, webcrypto {w}", t["tcId"], t["comment"]));
            }
        }
    }
    console_log!("webcrypto parity {name}: {ran} cases, {prepared_count} reached both backends, identical");
    assert!(wrong.is_empty(), "{name}: {} cases differ:\n{}", wrong.len(), wrong.join("\n"));
    assert!(ran > 0 && prepared_count > 0, "{name}: nothing ran");
    (ran, prepared_count)
}

#[test]
async fn rsa_pkcs1_vectors_answer_alike_in_webcrypto_and_rustcrypto() {
    let a = run("rsa_signature_2048_sha256_test.json", wycheproof!("rsa_signature_2048_sha256_test.json"), Alg::Rs256)
        .await;
    let b = run("rsa_signature_3072_sha256_test.json", wycheproof!("rsa_signature_3072_sha256_test.json"), Alg::Rs256)
        .await;
    assert_eq!((a.0, b.0), (259, 259));
}

#[test]
async fn rsa_pss_vectors_answer_alike_in_webcrypto_and_rustcrypto() {
    let a =
        run("rsa_pss_2048_sha256_mgf1_32_test.json", wycheproof!("rsa_pss_2048_sha256_mgf1_32_test.json"), Alg::Ps256)
            .await;
    let b =
        run("rsa_pss_3072_sha256_mgf1_32_test.json", wycheproof!("rsa_pss_3072_sha256_mgf1_32_test.json"), Alg::Ps256)
            .await;
    assert_eq!(a.0 + b.0, 216);
}

#[test]
async fn ecdsa_p256_vectors_answer_alike_in_webcrypto_and_rustcrypto() {
    let a = run("ecdsa_secp256r1_sha256_test.json", wycheproof!("ecdsa_secp256r1_sha256_test.json"), Alg::Es256).await;
    let b = run(
        "ecdsa_secp256r1_sha256_p1363_test.json",
        wycheproof!("ecdsa_secp256r1_sha256_p1363_test.json"),
        Alg::Es256,
    )
    .await;
    assert_eq!((a.0, b.0), (484, 262));
}
