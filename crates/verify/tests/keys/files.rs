//! Key files as auditors get them (v1.1): OpenSSL-made fixtures, Key Vault output, skipped
//! keys, roles and approver, exact RSA sizes and the key-file limits.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use super::*;
use receipt_verify::{ids, parse_key_file, Approver, KeyFile, KeyRole, Status};

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/keys/", $name))
    };
}

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap()
}

#[test]
fn rsa_size_is_the_exact_bit_length_of_the_modulus() {
    // 3070 bits: the byte length says 3072.
    for (bytes, name) in [
        (&fixture!("rsa3070.pub.pem")[..], "rsa3070.pub.pem"),
        (fixture!("rsa3070.spki.der"), "rsa3070.spki.der"),
        (fixture!("rsa3070.pkcs1.der"), "rsa3070.pkcs1.der"),
    ] {
        let keys = parse_keys(bytes, name).unwrap();
        assert_eq!(keys[0].material.describe(), "RSA-3070", "{name}");
    }
    // 2047 bits fits in 256 bytes and passed as "RSA-2048" before v1.1.
    assert!(err(text(fixture!("rsa2047.pub.pem"))).contains("RSA key is 2047 bits; keys under 2048 bits are refused"));
    let big = err(text(fixture!("rsa4097.pkcs1.pem")));
    assert!(big.contains("RSA key is 4097 bits; keys over 4096 bits are refused"), "{big}");
    // Positive control at the edges: the demo key is exactly 2048 bits.
    assert_eq!(jwks()[0].material.describe(), "RSA-2048");
}

#[test]
fn binary_der_pkcs1_and_spki_give_the_same_key() {
    let pkcs1 = parse_keys(fixture!("rsa3070.pkcs1.der"), "k.der").unwrap();
    let spki = parse_keys(fixture!("rsa3070.spki.der"), "k.der").unwrap();
    assert_eq!(pkcs1[0].format, KeyFormat::DerPkcs1);
    assert_eq!(spki[0].format, KeyFormat::DerSpki);
    assert_eq!(pkcs1[0].fingerprint, spki[0].fingerprint);
    assert_eq!(spki[0].fingerprint.to_string(), "89b3bddc6d12827982683515d6acb62a69149810b4a3e55a18d1ef593236634f");
    assert_eq!(spki[0].file_spki_sha256, None, "canonical SPKI: no second hash");
}

#[test]
fn a_non_canonical_spki_keeps_the_fingerprint_and_shows_the_files_own_hash() {
    let canonical = parse_keys(fixture!("ec.pub.pem"), "ec.pub.pem").unwrap();
    for (bytes, name) in
        [(&fixture!("ec-compressed.spki.der")[..], "c.der"), (fixture!("ec-compressed.pub.pem"), "c.pem")]
    {
        let k = &parse_keys(bytes, name).unwrap()[0];
        assert_eq!(k.fingerprint, canonical[0].fingerprint, "{name}: identity is the canonical SPKI");
        assert_eq!(
            k.file_spki_sha256.map(|f| f.to_string()).as_deref(),
            Some("449abb7a7117f526e418bd9a3ac71a812f54854299fae1f38b5eafe8a7ca2860"),
            "{name}: what openssl pkey -pubin -outform DER | sha256sum prints for the file"
        );
    }
    assert_eq!(
        canonical[0].fingerprint.to_string(),
        "a39913bf74574014dc5e2fc8359ac53b0d35a155a19d3c8937b97926c5400f1c"
    );
    let no_null = &parse_keys(fixture!("rsa3070-no-null.spki.der"), "n.der").unwrap()[0];
    assert_eq!(no_null.fingerprint.to_string(), "89b3bddc6d12827982683515d6acb62a69149810b4a3e55a18d1ef593236634f");
    assert_eq!(
        no_null.file_spki_sha256.map(|f| f.to_string()).as_deref(),
        Some("91ae5837dca46bf2756a604af7a4a1061943e7c9c2850dc46accd37f7f7ef192")
    );
    // The report carries it.
    let report = receipt_verify::verify(vec![no_null.clone()], &[], None, &receipt_verify::RustCryptoBackend);
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["keys"][0]["fileSpkiSha256"], "91ae5837dca46bf2756a604af7a4a1061943e7c9c2850dc46accd37f7f7ef192");
}

#[test]
fn pem_with_explanatory_text_is_read_and_a_truncated_block_is_refused() {
    let with_text = text(fixture!("cert-sign-with-text.pem"));
    assert!(with_text.starts_with("Certificate:"));
    let keys = parse_keys(with_text.as_bytes(), "c.pem").unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].format, KeyFormat::PemCertificate);
    assert_eq!(keys[0].certificate.as_ref().unwrap().subject, "CN=audit signer,O=Example Vendor");
    // A BOM before PEM (or JSON) is not a reason to refuse.
    assert_eq!(parse_keys(format!("\u{feff}{PUB_PEM}").as_bytes(), "bom.pem").unwrap().len(), 1);
    assert_eq!(parse_keys(format!("\u{feff}{JWKS}").as_bytes(), "bom.json").unwrap().len(), jwks().len());
    // Two keys, then a third block cut off: refused, never two keys silently.
    let two = format!("{PUB_PEM}\n{}", text(fixture!("ec.pub.pem")));
    assert_eq!(parse_keys(two.as_bytes(), "two.pem").unwrap().len(), 2);
    let ec = text(fixture!("ec.pub.pem"));
    for cut in [ec.len() - 10, ec.len() / 2, 12] {
        let truncated = format!("{two}\n{}", &ec[..cut]);
        let message = err(&truncated);
        assert!(message.contains("has no END line: the file is truncated"), "{cut}: {message}");
    }
    // A block whose END is missing but a later block's END exists.
    let swallowed = format!("{}\n{PUB_PEM}", &ec[..ec.len() / 2]);
    assert!(err(&swallowed).contains("has no END line"));
}

#[test]
fn a_certificate_without_digital_signature_is_skipped_or_refused() {
    let nosign = text(fixture!("cert-nosign.pem"));
    let alone = err(nosign);
    assert!(alone.contains("keyUsage lacks digitalSignature"), "{alone}");
    let mixed = format!("{nosign}{}", text(fixture!("cert-sign.pem")));
    let file = parse_key_file(mixed.as_bytes(), "certs.pem").unwrap();
    assert_eq!(file.keys.len(), 1);
    assert_eq!(file.keys[0].certificate.as_ref().unwrap().subject, "CN=audit signer,O=Example Vendor");
    assert_eq!(file.skipped.len(), 1);
    assert_eq!(file.skipped[0].line, Some(1));
    let note = file.skipped[0].to_check();
    assert_eq!((note.id, note.status), (ids::KEY_SKIPPED, Status::Note));
    assert!(note.message.contains("encryption only") && note.message.contains("digitalSignature"), "{}", note.message);
}

pub(super) fn jwks_with(extra: Vec<Value>) -> String {
    let mut v: Value = serde_json::from_str(JWKS).unwrap();
    let keys = v["keys"].as_array_mut().unwrap();
    for (i, e) in extra.into_iter().enumerate() {
        keys.insert(i, e);
    }
    v.to_string()
}

#[test]
fn keys_that_cannot_verify_are_skipped_next_to_usable_ones() {
    let ed = json!({"kty": "OKP", "crv": "Ed25519", "x": "QdF7urI87C40uriZnxg6qpWxSH8KTBeod842-bAdFjg", "kid": "ed"});
    let oaep = edited(0, |k| {
        k["alg"] = json!("RSA-OAEP");
        k["kid"] = json!("oaep");
    });
    let cases = [
        (ed, "unsupported key algorithm JWK kty \"OKP\""),
        (serde_json::from_str(&oaep).unwrap(), "unsupported alg \"RSA-OAEP\""),
        (serde_json::from_str(&edited(1, |k| k["use"] = json!("enc"))).unwrap(), "use is \"enc\", not \"sig\""),
        (
            serde_json::from_str(&edited(1, |k| k["key_ops"] = json!(["encrypt", "sign"]))).unwrap(),
            "key_ops [\"encrypt\", \"sign\"] lacks \"verify\"",
        ),
        (serde_json::from_str(&edited(1, |k| k["crv"] = json!("P-384"))).unwrap(), "unsupported elliptic curve P-384"),
    ];
    let usable = jwks().len();
    for (extra, why) in cases {
        let file = parse_key_file(jwks_with(vec![extra.clone()]).as_bytes(), "jwks.json").unwrap();
        assert_eq!(file.keys.len(), usable, "{why}: the usable keys stay");
        assert_eq!(file.skipped.len(), 1, "{why}");
        assert_eq!(file.skipped[0].pointer.as_deref(), Some("/keys/0"));
        let note = file.skipped[0].to_check();
        assert!(note.message.contains(why), "{}", note.message);
        // The same key alone is no usable key: refused, with the reason.
        let alone = err(&extra.to_string());
        assert!(alone.contains(why), "{alone}");
    }
    // A JWKS of nothing but unusable keys is refused, naming each.
    let none = json!({"keys": [
        {"kty": "OKP", "crv": "Ed25519", "x": "QdF7urI87C40uriZnxg6qpWxSH8KTBeod842-bAdFjg"},
        serde_json::from_str::<Value>(&edited(1, |k| k["use"] = json!("enc"))).unwrap()
    ]});
    let message = err(&none.to_string());
    assert!(message.contains("no key in this file can verify") && message.contains("/keys/1"), "{message}");
    // Key Vault's spelling is honoured in a plain JWK too.
    assert!(err(&edited(1, |k| k["keyOps"] = json!(["sign"]))).contains("keyOps [\"sign\"] lacks \"verify\""));
    assert!(err(&edited(1, |k| k["key_ops"] = json!("verify"))).contains("JWK /key_ops: must be an array of strings"));
    // `use: sig` and `key_ops` with verify are fine (positive control).
    let ok = edited(1, |k| k["key_ops"] = json!(["verify"]));
    assert_eq!(parse_keys(ok.as_bytes(), "k").unwrap().len(), 1);
    // A Ed25519 PEM next to a usable PEM: skipped too.
    let pems = format!("{}{PUB_PEM}", text(fixture!("ed25519.pub.pem")));
    let file = parse_key_file(pems.as_bytes(), "two.pem").unwrap();
    assert_eq!((file.keys.len(), file.skipped.len()), (1, 1));
}

#[test]
fn receipt_roles_and_approver_are_read_strictly() {
    let k = &parse_keys(edited(1, |k| k["receiptRoles"] = json!(["approval", "content"])).as_bytes(), "k").unwrap()[0];
    assert_eq!(k.roles, Some(vec![KeyRole::Approval, KeyRole::Content]));
    // The demo JWKS publishes its roles (v1.1); a JWK without the member has none.
    assert_eq!(jwks()[0].roles, Some(vec![KeyRole::Batch]));
    assert_eq!(jwks()[1].roles, Some(vec![KeyRole::Approval]));
    assert_eq!(jwks()[1].approver.as_ref().and_then(Approver::bound), Some("alice"));
    let plain = edited(1, |k| {
        k.as_object_mut().unwrap().remove("receiptRoles");
    });
    assert_eq!(parse_keys(plain.as_bytes(), "k").unwrap()[0].roles, None);
    let k = &parse_keys(edited(1, |k| k["approver"] = json!("alice@vendor.example")).as_bytes(), "k").unwrap()[0];
    assert_eq!(k.approver.as_ref().and_then(Approver::bound), Some("alice@vendor.example"));
    // An empty list parses: the key may sign nothing, and every use fails key.role.
    let none = edited(1, |k| k["receiptRoles"] = json!([]));
    assert_eq!(parse_keys(none.as_bytes(), "k").unwrap()[0].roles, Some(vec![]));
    for (edit, needle) in [
        (json!(["signing"]), "JWK /receiptRoles/0: unknown role \"signing\""),
        (json!(["Batch"]), "unknown role \"Batch\""),
        (json!("batch"), "must be an array"),
        (json!([1]), "unknown role"),
    ] {
        let message = err(&edited(1, |k| k["receiptRoles"] = edit.clone()));
        assert!(message.contains(needle), "{edit}: {message}");
    }
    assert!(err(&edited(1, |k| k["approver"] = json!(" "))).contains("JWK /approver: must not be empty"));
    assert!(err(&edited(1, |k| k["approver"] = json!(7))).contains("JWK /approver: must be a string"));
}

#[test]
fn real_az_keyvault_key_show_output_is_read() {
    let keys = parse_keys(fixture!("az-key-show.json"), "az.json").unwrap();
    let k = &keys[0];
    assert_eq!(k.material.describe(), "RSA-3070");
    assert_eq!(k.fingerprint.to_string(), "89b3bddc6d12827982683515d6acb62a69149810b4a3e55a18d1ef593236634f");
    assert_eq!(k.valid_from.unwrap().to_string(), "2026-01-01T00:00:00Z");
    assert_eq!(k.valid_until.unwrap().to_string(), "2027-01-01T00:00:00Z");
    assert_eq!(k.status, None, "enabled: true");
    let rest = &parse_keys(fixture!("kv-rest.json"), "rest.json").unwrap()[0];
    assert_eq!(rest.fingerprint, k.fingerprint);
    assert_eq!(rest.valid_until, k.valid_until);

    let az: Value = serde_json::from_slice(fixture!("az-key-show.json")).unwrap();
    let with = |edit: &dyn Fn(&mut Value)| {
        let mut v = az.clone();
        edit(&mut v);
        v.to_string()
    };
    // Disabled, no expiry: retired.
    let disabled = with(&|v| {
        v["attributes"]["enabled"] = json!(false);
        v["attributes"]["expires"] = Value::Null;
    });
    let d = &parse_keys(disabled.as_bytes(), "az.json").unwrap()[0];
    assert_eq!((d.status, d.valid_until), (Some(KeyStatus::Retired), None));
    // (v1.1) A JWK validUntil never widens Key Vault's expires (2027-01-01): the narrower
    // end wins, whichever says it; control: a narrower JWK end is kept.
    for (own, end) in
        [("2028-01-01T00:00:00Z", "2027-01-01T00:00:00Z"), ("2026-06-01T00:00:00Z", "2026-06-01T00:00:00Z")]
    {
        let edited = with(&|v| v["key"]["validUntil"] = json!(own));
        let k = &parse_keys(edited.as_bytes(), "az.json").unwrap()[0];
        assert_eq!(k.valid_until.map(|t| t.to_string()).as_deref(), Some(end), "JWK validUntil {own}");
    }
    // keyOps without verify: the only key cannot verify.
    assert!(err(&with(&|v| v["key"]["keyOps"] = json!(["encrypt", "decrypt"]))).contains("lacks \"verify\""));
    // A non-null private member is still a private key.
    assert!(err(&with(&|v| v["key"]["d"] = json!("AAAA"))).contains("this is a private key"));
    // Standard base64 is for Key Vault output only: the same n in a plain JWK is refused.
    let mut plain = az["key"].as_object().unwrap().clone();
    plain.retain(|_, v| !v.is_null());
    plain.remove("keyOps");
    let message = err(&Value::Object(plain).to_string());
    assert!(message.contains("JWK /n: must be base64url"), "{message}");
    // Wrong type or unit: refused with the member named.
    for (edit, needle) in [
        (
            with(&|v| v["attributes"]["expires"] = json!(1_798_761_600)),
            "attributes/expires: must be an ISO 8601 string",
        ),
        (with(&|v| v["attributes"]["enabled"] = json!("true")), "attributes/enabled: must be true or false"),
        (with(&|v| v["attributes"]["notBefore"] = json!("next year")), "attributes/notBefore"),
        (with(&|v| v["attributes"] = json!([])), "must be an object"),
    ] {
        let message = err(&edit);
        assert!(message.contains(needle), "{message}");
    }
    let rest_json: Value = serde_json::from_slice(fixture!("kv-rest.json")).unwrap();
    for (value, needle) in [
        (json!("1798761600"), "attributes/exp: must be Unix seconds (a number)"),
        (json!(1_798_761_600_000_i64), "looks like milliseconds"),
        (json!(1_798_761_600.5), "must be whole Unix seconds"),
        (json!(1.7987616e15), "looks like milliseconds"),
    ] {
        let mut v = rest_json.clone();
        v["attributes"]["exp"] = value;
        let message = err(&v.to_string());
        assert!(message.contains(needle), "{message}");
    }
    // Red team 11, 03: a whole value written with a fraction or an exponent is the same
    // number as the integer (SPEC.md §2), so it is read, with the same window.
    let window_of = |exp: &str| {
        let text = rest_json.to_string().replace("\"exp\":1798761600", &format!("\"exp\":{exp}"));
        assert!(text.contains(&format!("\"exp\":{exp}")), "{text}");
        let file = parse_key_file(text.as_bytes(), "kv.json").unwrap_or_else(|e| panic!("{exp}: {e}"));
        file.keys.first().and_then(|k| k.valid_until)
    };
    let integer = window_of("1798761600");
    assert!(integer.is_some());
    for same in ["1798761600.0", "1.7987616E9", "17987616000e-1"] {
        assert_eq!(window_of(same), integer, "{same}");
    }
    let mut both = rest_json.clone();
    both["attributes"]["expires"] = json!("2027-06-01T00:00:00+00:00");
    assert!(err(&both.to_string()).contains("disagrees with attributes/exp"));
}

#[test]
fn key_file_limits_are_enforced() {
    let big = format!("{}{PUB_PEM}", " ".repeat(receipt_verify::limits::MAX_KEY_FILE_BYTES));
    assert!(err(&big).contains("key files are at most 1048576 bytes"));
    let one = jwk(1);
    let many = json!({ "keys": vec![one; receipt_verify::limits::MAX_KEYS + 1] });
    assert!(err(&many.to_string()).contains("at most 256 are accepted"));
    let mut all = KeyFile::default();
    let mut added = 0;
    let result = loop {
        match all.add(parse_key_file(JWKS.as_bytes(), "jwks.json").unwrap()) {
            Ok(()) => added += 1,
            Err(e) => break e,
        }
    };
    assert_eq!(added, receipt_verify::limits::MAX_KEYS / jwks().len());
    assert!(result.to_string().contains("at most 256"));
}

/// Red team 7 remark: a binary DER key file is read by the structure it has, so an error
/// names that structure (a SubjectPublicKeyInfo with a byte after it was called a
/// malformed X.509 certificate).
#[test]
fn der_errors_name_the_structure_the_file_holds() {
    let cert_pem = text(fixture!("cert-sign.pem"));
    let cert_der =
        receipt_verify::decode_base64(&cert_pem.lines().filter(|l| !l.starts_with("-----")).collect::<String>())
            .unwrap();
    let cases: [(&[u8], &str); 3] = [
        (fixture!("rsa3070.spki.der"), "malformed SubjectPublicKeyInfo: bytes after the end"),
        (fixture!("rsa3070.pkcs1.der"), "malformed PKCS#1 RSAPublicKey: bytes after the end"),
        (&cert_der, "malformed X.509 certificate: bytes after the end"),
    ];
    for (der, needle) in cases {
        // Control: the file as made is read.
        assert_eq!(parse_key_file(der, "key.der").unwrap().keys.len(), 1, "{needle}");
        let mut trailing = der.to_vec();
        trailing.push(0);
        let e = parse_key_file(&trailing, "key.der").unwrap_err().to_string();
        assert!(e.contains(needle), "{e}");
    }
}

/// Review 9: a binary DER private key (PKCS#8, PKCS#1 `RSAPrivateKey`, SEC1
/// `ECPrivateKey`) is refused as a private key, as its PEM is, not as a "malformed PKCS#1
/// RSAPublicKey" (what the structure-by-shape reading first called all three).
#[test]
fn a_der_private_key_is_refused_as_a_private_key() {
    use p256::pkcs8::EncodePrivateKey as _;
    use rsa::pkcs1::EncodeRsaPrivateKey as _;
    use rsa::pkcs8::DecodePrivateKey as _;
    let rsa = rsa::RsaPrivateKey::from_pkcs8_pem(PRIVATE_PEM).unwrap();
    let ec = p256::SecretKey::from_slice(&[7; 32]).unwrap();
    let private: [(&str, Vec<u8>); 4] = [
        ("PKCS#8 RSA", rsa::pkcs8::EncodePrivateKey::to_pkcs8_der(&rsa).unwrap().as_bytes().to_vec()),
        ("PKCS#1 RSA", rsa.to_pkcs1_der().unwrap().as_bytes().to_vec()),
        ("PKCS#8 EC", ec.to_pkcs8_der().unwrap().as_bytes().to_vec()),
        ("SEC1 EC", ec.to_sec1_der().unwrap().to_vec()),
    ];
    for (what, der) in private {
        let e = parse_key_file(&der, "key.der").unwrap_err();
        assert!(matches!(e, receipt_verify::KeyError::PrivateKey), "{what}: {e}");
    }
    // Control: the public keys of the same shapes are read.
    for der in [&fixture!("rsa3070.pkcs1.der")[..], fixture!("rsa3070.spki.der"), fixture!("ec-compressed.spki.der")] {
        assert_eq!(parse_key_file(der, "key.der").unwrap().keys.len(), 1);
    }
}
