//! `receipt_verify::der` against the RustCrypto decoders it replaces in the build
//! (`spki`, `pkcs1` via `rsa`, `p256`'s PKCS#8 and `ecdsa`'s DER signatures): on every
//! Wycheproof key and DER signature, on generated keys, and on every one-byte change and
//! truncation of a few encodings, both must accept the same inputs and read the same key.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

#[macro_use]
mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use p256::pkcs8::{DecodePublicKey as _, EncodePublicKey as _};
use receipt_verify::der::ecdsa_signature_to_fixed;
use receipt_verify::{parse_keys, KeyMaterial, P256Key, RsaKey};
use rsa::pkcs1::{DecodeRsaPublicKey as _, EncodeRsaPublicKey as _};
use rsa::traits::PublicKeyParts as _;
use serde_json::Value;

/// Our key of an `rsa` crate key (the size rules still apply).
fn from_rsa(k: &rsa::RsaPublicKey) -> Option<KeyMaterial> {
    KeyMaterial::rsa_from_parts(&k.n().to_bytes_be(), &k.e().to_bytes_be()).ok()
}

/// Our key of a `p256` key.
fn from_p256(k: &p256::ecdsa::VerifyingKey) -> KeyMaterial {
    KeyMaterial::P256(P256Key::from_sec1(k.to_encoded_point(false).as_bytes()).unwrap())
}

/// The `rsa` crate's key of ours: it must accept every key we accept.
fn to_rsa(k: &RsaKey) -> rsa::RsaPublicKey {
    rsa::RsaPublicKey::new(rsa::BigUint::from_bytes_be(k.n()), rsa::BigUint::from_bytes_be(k.e())).unwrap()
}

/// The `p256` key of ours.
fn to_p256(k: &P256Key) -> p256::ecdsa::VerifyingKey {
    p256::ecdsa::VerifyingKey::from_sec1_bytes(k.sec1()).unwrap()
}

/// What the reference crates read from SubjectPublicKeyInfo DER.
fn reference_spki(der: &[u8]) -> Option<KeyMaterial> {
    if let Ok(k) = rsa::RsaPublicKey::from_public_key_der(der) {
        return from_rsa(&k);
    }
    p256::ecdsa::VerifyingKey::from_public_key_der(der).ok().map(|k| from_p256(&k))
}

/// The reference's canonical SPKI encoding of a key.
fn reference_encoding(key: &KeyMaterial) -> Vec<u8> {
    match key {
        KeyMaterial::Rsa(k) => to_rsa(k).to_public_key_der().unwrap().as_bytes().to_vec(),
        KeyMaterial::P256(k) => to_p256(k).to_public_key_der().unwrap().as_bytes().to_vec(),
    }
}

/// Ours and the reference agree on `der`: both refuse it, or both read the same key, and
/// our encoding of that key is the reference's.
fn same_spki(der: &[u8], what: &str) -> bool {
    let ours = KeyMaterial::from_spki_der(der).ok();
    let theirs = reference_spki(der);
    assert_eq!(ours, theirs, "{what}: {}", receipt_verify::hash::hex_lower(der));
    if let Some(key) = &ours {
        assert_eq!(key.spki_der(), reference_encoding(key), "{what}: encoding");
    }
    ours.is_some()
}

#[test]
fn wycheproof_keys_read_as_the_reference_reads_them() {
    let mut keys = 0;
    for (name, text) in [
        ("rsa 2048", wycheproof!("rsa_signature_2048_sha256_test.json")),
        ("rsa 3072", wycheproof!("rsa_signature_3072_sha256_test.json")),
        ("ecdsa der", wycheproof!("ecdsa_secp256r1_sha256_test.json")),
        ("ecdsa p1363", wycheproof!("ecdsa_secp256r1_sha256_p1363_test.json")),
    ] {
        let file: Value = serde_json::from_str(text).unwrap();
        for group in file["testGroups"].as_array().unwrap() {
            let der = common::hex(group["publicKeyDer"].as_str().unwrap());
            assert!(same_spki(&der, name), "{name}: a Wycheproof key was refused");
            // Wycheproof's DER is canonical, so encoding the key gives it back.
            assert_eq!(KeyMaterial::from_spki_der(&der).unwrap().spki_der(), der, "{name}");
            let pem = group["publicKeyPem"].as_str().unwrap();
            let from_pem = parse_keys(pem.as_bytes(), "wycheproof.pem").unwrap();
            assert_eq!(from_pem[0].spki_der, der, "{name}: PEM");
            keys += 1;
        }
    }
    say!("der reference: {keys} Wycheproof keys read identically from DER and PEM");
    assert!(keys > 0, "no Wycheproof keys ran");
}

#[test]
fn wycheproof_der_signatures_read_as_the_reference_reads_them() {
    let file: Value = serde_json::from_str(wycheproof!("ecdsa_secp256r1_sha256_test.json")).unwrap();
    let (mut accepted, mut refused) = (0, 0);
    for group in file["testGroups"].as_array().unwrap() {
        for case in group["tests"].as_array().unwrap() {
            let sig = common::hex(case["sig"].as_str().unwrap());
            let ours = ecdsa_signature_to_fixed(&sig, 32).and_then(|rs| p256::ecdsa::Signature::from_slice(&rs).ok());
            let theirs = p256::ecdsa::Signature::from_der(&sig).ok();
            assert_eq!(ours, theirs, "tcId {} ({})", case["tcId"], case["comment"]);
            if ours.is_some() {
                accepted += 1;
            } else {
                refused += 1;
            }
        }
    }
    say!("der reference: {} Wycheproof DER signatures: {accepted} read, {refused} refused, as ecdsa::Signature::from_der", accepted + refused);
    assert!(accepted > 0 && refused > 0);
}

/// xorshift64: deterministic test data without an RNG dependency.
struct Xorshift(u64);
impl Xorshift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

/// RSA moduli of 2048–2120 bits (high bit of the first byte set or not, so the INTEGER
/// needs a leading zero or not) and several exponents; P-256 points from random scalars.
fn generated_keys() -> Vec<KeyMaterial> {
    let mut rng = Xorshift(0x2545_f491_4f6c_dd1d);
    let mut keys = Vec::new();
    for i in 0..72usize {
        let bits = 2048 + i;
        let mut n = rng.bytes(bits.div_ceil(8));
        let top = bits % 8;
        n[0] = if top == 0 { n[0] | 0x80 } else { (n[0] & ((1 << top) - 1)) | (1 << (top - 1)) };
        *n.last_mut().unwrap() |= 1;
        let e: &[u8] = match i % 3 {
            0 => &[0x01, 0x00, 0x01],
            1 => &[0x03],
            _ => &[0x00, 0xff, 0xff, 0xff, 0xff],
        };
        let key = rsa::RsaPublicKey::new(rsa::BigUint::from_bytes_be(&n), rsa::BigUint::from_bytes_be(e)).unwrap();
        keys.push(from_rsa(&key).unwrap());
    }
    for _ in 0..72 {
        let scalar = p256::NonZeroScalar::try_from(&rng.bytes(32)[..]).unwrap();
        let public = p256::PublicKey::from_secret_scalar(&scalar);
        keys.push(from_p256(&p256::ecdsa::VerifyingKey::from(&public)));
    }
    keys
}

#[test]
fn generated_keys_encode_and_read_back_as_the_reference_does() {
    let mut compared = 0;
    for key in generated_keys() {
        let der = key.spki_der();
        assert_eq!(der, reference_encoding(&key));
        assert!(same_spki(&der, "generated"));
        if let KeyMaterial::Rsa(k) = &key {
            let pkcs1 = to_rsa(k).to_pkcs1_der().unwrap();
            assert_eq!(KeyMaterial::from_pkcs1_der(pkcs1.as_bytes()).unwrap(), key);
            assert_eq!(rsa::RsaPublicKey::from_pkcs1_der(pkcs1.as_bytes()).unwrap(), to_rsa(k));
        }
        compared += 1;
    }
    say!("der reference: {compared} generated keys encoded and read back identically");
    assert_eq!(compared, 144);
}

/// Every one-byte change (three values per position) and every truncation of an RSA and
/// an EC SubjectPublicKeyInfo: accepted by both or by neither, with the same key.
#[test]
fn every_one_byte_change_is_judged_alike() {
    let keys = generated_keys();
    let mut cases = 0;
    let mut accepted = 0;
    for key in [&keys[0], &keys[1], &keys[100]] {
        let der = key.spki_der();
        for i in 0..der.len() {
            for value in [der[i] ^ 0x01, der[i] ^ 0x80, 0x00] {
                if value == der[i] {
                    continue;
                }
                let mut changed = der.clone();
                changed[i] = value;
                accepted += usize::from(same_spki(&changed, &format!("byte {i} = {value:#04x}")));
                cases += 1;
            }
            accepted += usize::from(same_spki(&der[..i], &format!("first {i} bytes")));
            cases += 1;
        }
    }
    say!("der reference: {cases} changed or truncated SPKI encodings judged alike ({accepted} still keys)");
    assert!(cases > 2000 && accepted > 0, "{cases} {accepted}");
}

#[test]
fn pem_reads_like_the_reference_and_takes_any_line_width() {
    let mut compared = 0;
    for key in generated_keys().iter().step_by(9) {
        let pem = match key {
            KeyMaterial::Rsa(k) => {
                rsa::pkcs8::EncodePublicKey::to_public_key_pem(&to_rsa(k), Default::default()).unwrap()
            }
            KeyMaterial::P256(k) => to_p256(k).to_public_key_pem(Default::default()).unwrap(),
        };
        let crlf = pem.replace('\n', "\r\n");
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect::<Vec<_>>().concat();
        let wide = format!(
            "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
            body.as_bytes().chunks(76).map(|c| std::str::from_utf8(c).unwrap()).collect::<Vec<_>>().join("\n")
        );
        for text in [&pem, &crlf, &wide] {
            assert_eq!(parse_keys(text.as_bytes(), "k.pem").unwrap()[0].material, *key);
            compared += 1;
        }
        assert_eq!(reference_spki(&der::pem::decode_vec(crlf.as_bytes()).unwrap().1).as_ref(), Some(key));
        // Refused by both: a character outside base64, and a mismatched END label.
        let broken = pem.replacen('M', "*", 1);
        assert!(parse_keys(broken.as_bytes(), "k.pem").is_err() && der::pem::decode_vec(broken.as_bytes()).is_err());
        let mismatched = pem.replace("END PUBLIC KEY", "END RSA PUBLIC KEY");
        assert!(
            parse_keys(mismatched.as_bytes(), "k.pem").is_err() && der::pem::decode_vec(mismatched.as_bytes()).is_err()
        );
    }
    say!("der reference: {compared} PEM files (LF, CRLF, 76 columns) read as the reference reads them");
    assert!(compared >= 48);
}
