//! OpenSSL interop, both ways, and key formats:
//! - manifests signed by the system `openssl` (RS256, PS256, ES256) verify in the core;
//! - `openssl dgst -verify` accepts what `receipt demo` signs (RS256 receipts, ES256
//!   approvals);
//! - every key format of one key gives the same fingerprint as
//!   `openssl pkey -pubin -outform DER | sha256sum`;
//! - the hand-verification recipe in SPEC.md §14 works as written.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

mod support;

use base64ct::{Base64, Base64UrlUnpadded, Encoding};
use receipt_verify::{manifest, parse_keys, Hash, KeyMaterial};
use serde_json::{json, Map, Value};
use support::*;

/// An openssl-made key pair in `dir`: (private PEM path, public SPKI PEM path).
fn keypair(dir: &TempDir, name: &str, rsa: bool) -> (String, String) {
    let private = dir.path(&format!("{name}.pem")).display().to_string();
    let public = dir.path(&format!("{name}.pub.pem")).display().to_string();
    if rsa {
        openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", &private]);
    } else {
        openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", &private]);
    }
    openssl(["pkey", "-in", &private, "-pubout", "-out", &public]);
    (private, public)
}

/// `openssl req -x509` for 30 days, with any further flags.
fn self_signed(private: &str, subject: &str, more: &[&str], out: &str) {
    let mut args = vec!["req", "-new", "-x509", "-key", private, "-subj", subject, "-days", "30", "-out", out];
    args.extend_from_slice(more);
    openssl(args);
}

fn unsigned_receipt(alg: &str, kid: &str) -> Map<String, Value> {
    let head = Hash::sha256(b"some row").to_string();
    match json!({
        "customerId": "cust-interop",
        "batchHead": head,
        "prevHash": Hash::GENESIS.to_string(),
        "signedAt": "2026-05-04T03:02:00Z",
        "kid": kid,
        "alg": alg,
        "wormBlobUri": "https://worm.example/audit/cust-interop/2026/05/04/0302Z.json",
        "immutability": "locked-10y",
    }) {
        Value::Object(m) => m,
        _ => unreachable!(),
    }
}

/// Sign M with `openssl dgst` and return the finished receipt file.
fn openssl_signed(dir: &TempDir, name: &str, alg: &str, private: &str, extra: &[&str]) -> String {
    let mut r = unsigned_receipt(alg, "interop-key");
    let m = manifest(&r).unwrap();
    let m_path = dir.write(&format!("{name}.manifest"), &m).display().to_string();
    let sig_path = dir.path(&format!("{name}.sig")).display().to_string();
    let mut args = vec!["dgst", "-sha256", "-sign", private];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["-out", &sig_path, &m_path]);
    openssl(&args);
    let sig = std::fs::read(&sig_path).unwrap();
    r.insert("thisHash".into(), json!(Hash::sha256(&m).to_string()));
    r.insert("signature".into(), json!(Base64::encode_string(&sig)));
    dir.write(&format!("{name}.json"), serde_json::to_string(&r).unwrap()).display().to_string()
}

const PSS: [&str; 6] =
    ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32", "-sigopt", "rsa_mgf1_md:sha256"];

#[test]
fn openssl_signed_manifests_verify_in_the_core() {
    let dir = TempDir::new("interop-sign");
    let (rsa_priv, rsa_pub) = keypair(&dir, "rsa", true);
    let (ec_priv, ec_pub) = keypair(&dir, "ec", false);
    let cases = [
        ("RS256", openssl_signed(&dir, "rs256", "RS256", &rsa_priv, &[]), &rsa_pub),
        ("PS256", openssl_signed(&dir, "ps256", "PS256", &rsa_priv, &PSS), &rsa_pub),
        ("ES256", openssl_signed(&dir, "es256", "ES256", &ec_priv, &[]), &ec_pub),
    ];
    for (alg, receipt_file, key) in &cases {
        let (code, report) = verify_json(&["--key", key, receipt_file]);
        assert_eq!(code, 0, "{alg}: {report:#}");
        let sig = report["checks"].as_array().unwrap().iter().find(|c| c["id"] == "receipt.signature").unwrap();
        assert_eq!(sig["status"], "pass", "{alg}");
        assert!(sig["message"].as_str().unwrap().contains(alg), "{alg}: {sig}");
    }
    // The same signatures under the wrong algorithm or key must fail.
    let (code, report) = verify_json(&["--key", &ec_pub, &cases[0].1]);
    assert_eq!(code, 1);
    assert_eq!(failed_ids(&report), vec!["receipt.alg", "verdict.signature"]);
    let mut ps_as_rs: Value = serde_json::from_str(&std::fs::read_to_string(&cases[1].1).unwrap()).unwrap();
    ps_as_rs["alg"] = json!("RS256");
    let m = receipt_verify::manifest_of(&ps_as_rs).unwrap();
    ps_as_rs["thisHash"] = json!(Hash::sha256(&m).to_string());
    let f = dir.write("ps-as-rs.json", ps_as_rs.to_string()).display().to_string();
    let (code, report) = verify_json(&["--key", &rsa_pub, &f]);
    assert_eq!(code, 1);
    assert_eq!(failed_ids(&report), vec!["receipt.signature", "verdict.signature"]);
    println!("openssl → core: RS256, PS256, ES256 verified");
}

#[test]
fn openssl_verifies_what_receipt_demo_signs() {
    let dir = TempDir::new("interop-verify");
    let receipts = std::fs::read_to_string(examples().join("receipts.jsonl")).unwrap();
    let public = examples().join("audit-key.pub.pem").display().to_string();
    let mut verified = 0;
    for (i, line) in receipts.lines().enumerate() {
        let r: Value = serde_json::from_str(line).unwrap();
        let out = receipt(["manifest", "--index", &i.to_string(), "examples/receipts.jsonl"]);
        assert_eq!(code(&out), 0);
        let m = dir.write(&format!("m{i}"), &out.stdout).display().to_string();
        let sig = Base64::decode_vec(r["signature"].as_str().unwrap()).unwrap();
        let s = dir.write(&format!("s{i}"), sig).display().to_string();
        let said = String::from_utf8(openssl(["dgst", "-sha256", "-verify", &public, "-signature", &s, &m])).unwrap();
        assert_eq!(said.trim(), "Verified OK");
        verified += 1;
    }
    // ES256 approvals: the JWKS key as SPKI PEM, the r||s signature as DER.
    let keys = parse_keys(&std::fs::read(examples().join("jwks.json")).unwrap(), "jwks.json").unwrap();
    let approvals: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(examples().join("approvals.json")).unwrap()).unwrap();
    for (i, a) in approvals.iter().enumerate() {
        for (k, entry) in a["approvals"].as_array().unwrap().iter().enumerate() {
            let key = keys.iter().find(|key| key.kid.as_deref() == entry["kid"].as_str()).unwrap();
            let pem = format!(
                "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
                Base64::encode_string(&key.spki_der)
            );
            let pem_path = dir.write(&format!("a{i}{k}.pem"), pem).display().to_string();
            let out = receipt([
                "manifest",
                "--index",
                &i.to_string(),
                "--approval",
                &k.to_string(),
                "examples/approvals.json",
            ]);
            let m = dir.write(&format!("am{i}{k}"), &out.stdout).display().to_string();
            let raw = Base64UrlUnpadded::decode_vec(entry["signature"].as_str().unwrap()).unwrap();
            let der = p256::ecdsa::Signature::from_slice(&raw).unwrap().to_der();
            let s = dir.write(&format!("as{i}{k}"), der.as_bytes()).display().to_string();
            let said =
                String::from_utf8(openssl(["dgst", "-sha256", "-verify", &pem_path, "-signature", &s, &m])).unwrap();
            assert_eq!(said.trim(), "Verified OK");
            verified += 1;
        }
    }
    println!("core → openssl: {verified} demo signatures verified by openssl dgst");
    assert_eq!(verified, 6 + 3);
}

fn openssl_fingerprint(public_pem: &str) -> String {
    let der = openssl(["pkey", "-pubin", "-in", public_pem, "-outform", "DER"]);
    Hash::sha256(&der).to_hex()
}

fn fingerprint_of(path: &str) -> String {
    let out = receipt(["fingerprint", path]);
    assert_eq!(code(&out), 0, "{path}: {}", stderr(&out));
    stdout(&out).trim().to_string()
}

fn jwk_for(public_pem: &str, kty: &str) -> String {
    let key = parse_keys(&std::fs::read(public_pem).unwrap(), "pem").unwrap().remove(0);
    match key.material {
        KeyMaterial::Rsa(k) => {
            json!({"kty": kty, "kid": "k1", "n": Base64UrlUnpadded::encode_string(k.n()), "e": Base64UrlUnpadded::encode_string(k.e())}).to_string()
        }
        KeyMaterial::P256(k) => {
            let (x, y) = k.sec1()[1..].split_at(32);
            json!({"kty": kty, "crv": "P-256", "kid": "k1",
                   "x": Base64UrlUnpadded::encode_string(x), "y": Base64UrlUnpadded::encode_string(y)})
            .to_string()
        }
    }
}

#[test]
fn every_key_format_gives_the_same_fingerprint() {
    let dir = TempDir::new("interop-formats");
    let mut compared = 0;
    for (name, is_rsa) in [("rsa", true), ("ec", false)] {
        let (private, public) = keypair(&dir, name, is_rsa);
        let expected = openssl_fingerprint(&public);
        let p = |f: &str| dir.path(&format!("{name}-{f}")).display().to_string();
        let mut files = vec![public.clone()];
        openssl(["pkey", "-pubin", "-in", &public, "-outform", "DER", "-out", &p("spki.der")]);
        files.push(p("spki.der"));
        self_signed(&private, "/CN=receipt interop/O=Test", &[], &p("cert.pem"));
        files.push(p("cert.pem"));
        openssl(["x509", "-in", &p("cert.pem"), "-outform", "DER", "-out", &p("cert.der")]);
        files.push(p("cert.der"));
        if is_rsa {
            openssl(["rsa", "-pubin", "-in", &public, "-RSAPublicKey_out", "-out", &p("pkcs1.pem")]);
            files.push(p("pkcs1.pem"));
        }
        let (plain, hsm) = if is_rsa { ("RSA", "RSA-HSM") } else { ("EC", "EC-HSM") };
        std::fs::write(p("jwk.json"), jwk_for(&public, plain)).unwrap();
        files.push(p("jwk.json"));
        std::fs::write(p("jwks.json"), format!("{{\"keys\": [{}]}}", jwk_for(&public, hsm))).unwrap();
        files.push(p("jwks.json"));
        for f in &files {
            let got = fingerprint_of(f);
            let got = got.split_whitespace().next().unwrap();
            assert_eq!(got, expected, "{f}");
            compared += 1;
        }
        // Certificates also show their subject.
        let cert = parse_keys(&std::fs::read(p("cert.pem")).unwrap(), "cert.pem").unwrap().remove(0);
        let info = cert.certificate.as_ref().unwrap();
        assert_eq!(info.subject, "O=Test,CN=receipt interop", "RFC 4514 order: most specific first");
        assert_eq!(info.issuer, info.subject, "self-signed");
        let serial = String::from_utf8(openssl(["x509", "-in", &p("cert.pem"), "-noout", "-serial"])).unwrap();
        assert_eq!(format!("serial={}", info.serial.to_uppercase()), serial.trim());
        let (from, until) = (cert.valid_from.unwrap(), cert.valid_until.unwrap());
        // OpenSSL reads the clock once for each end, so a second can tick between them.
        let days = until.unix_seconds() - from.unix_seconds();
        assert!(days == 30 * 86_400 || days == 30 * 86_400 + 1, "-days 30: {days} s");
    }
    println!("key formats: {compared} files, every fingerprint equal to openssl's");
    assert_eq!(compared, 13);
}

/// The serial shown is the one `openssl x509 -serial` prints, for serials whose DER carries
/// a sign byte (about one in 256 of OpenSSL's random 159-bit serials: a zero first byte,
/// then a top bit set) and for negative ones, which RFC 5280 forbids but OpenSSL writes.
#[test]
fn certificate_serials_read_as_openssl_prints_them() {
    let dir = TempDir::new("interop-serials");
    let (private, _) = keypair(&dir, "ec", false);
    let serials = ["0", "1", "128", "256", "-1", "-129", "0xC261F9D6BB6CDDE64ADCD4B1C0EC28AC346D64", "0x7F01"];
    for serial in serials {
        let cert = dir.path("cert.pem").display().to_string();
        self_signed(&private, "/CN=s", &["-set_serial", serial], &cert);
        let printed = String::from_utf8(openssl(["x509", "-in", &cert, "-noout", "-serial"])).unwrap();
        let key = parse_keys(&std::fs::read(&cert).unwrap(), "cert.pem").unwrap().remove(0);
        let shown = key.certificate.unwrap().serial.to_uppercase();
        assert_eq!(format!("serial={shown}"), printed.trim(), "-set_serial {serial}");
    }
    println!("certificate serials: {} compared with openssl x509 -serial", serials.len());
}

#[test]
fn spec_hand_verification_recipe_works_as_written() {
    let spec = std::fs::read_to_string(root().join("SPEC.md")).unwrap();
    let block = spec.split("<!-- recipe:begin -->").nth(1).unwrap().split("<!-- recipe:end -->").next().unwrap();
    let script = block.trim().trim_start_matches("```sh").trim_end_matches("```");
    let dir = TempDir::new("recipe");
    std::os::unix::fs::symlink(examples(), dir.path("examples")).unwrap();
    let (code, out) = sh(script, &dir.0);
    assert_eq!(code, 0, "recipe failed:\n{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert_eq!(lines[0], lines[1], "thisHash by hand differs: {out}");
    assert!(lines[0].starts_with("0x") && lines[0].len() == 66, "{out}");
    assert_eq!(lines[2], "Verified OK");
    assert!(lines[3].starts_with("8845f2740bd9ff0c6815f18394c6073fd7d9645e0cbe3e9e5701d67ab1086d17"), "{out}");
}
