//! The `receipt` binary: exit codes, the readable summary, `--json`, `manifest` and
//! `fingerprint`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

mod support;

use support::*;

#[test]
fn help_documents_exit_codes() {
    for args in [vec!["--help"], vec!["verify", "--help"]] {
        let out = receipt(&args);
        assert_eq!(code(&out), 0);
        let text = stdout(&out);
        for line in ["0  verified", "1  not verified", "2  usage error"] {
            assert!(text.contains(line), "{args:?} help lacks {line:?}:\n{text}");
        }
    }
}

#[test]
fn verified_is_0_and_prints_the_keys() {
    let out = receipt(["verify", "--key", "examples/jwks.json", "examples/receipts.jsonl"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let text = stdout(&out);
    assert!(text.starts_with("VERIFIED:"), "{text}");
    assert!(text.contains("SPKI SHA-256 8845f2740bd9ff0c6815f18394c6073fd7d9645e0cbe3e9e5701d67ab1086d17"), "{text}");
}

#[test]
fn failures_are_listed_with_place_expected_and_actual() {
    let out = receipt(["verify", "--key", "examples/jwks.json", "examples/tampered/receipt-edited.json"]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(text.starts_with("NOT VERIFIED:"), "{text}");
    assert!(text.contains("FAIL receipt.hash  examples/tampered/receipt-edited.json [receipt 0] #/thisHash"), "{text}");
    assert!(
        text.contains("FAIL receipt.signature  examples/tampered/receipt-edited.json [receipt 0] #/signature"),
        "{text}"
    );
    // No signature verified, so verdict.signature fails too (SPEC §12, v1.1).
    assert!(text.contains("FAIL verdict.signature"), "{text}");
    let fails = text.matches("  FAIL ").count();
    assert_eq!(fails, 3, "{text}");
    assert!(text.matches("      expected: ").count() >= fails, "{text}");
    assert!(
        text.contains("      actual:   0x39daba3854f5fa8b265e6a390008b56e7a885af49ae3fc7c7b95e0c655c0cc05"),
        "{text}"
    );
}

#[test]
fn json_report_has_a_top_level_verdict() {
    let (c, v) = verify_json(&["--key", "examples/jwks.json", "examples/receipts.jsonl"]);
    assert_eq!(c, 0);
    assert_eq!(v["verdict"], "verified");
    assert_eq!(v["keys"][0]["fingerprint"], "8845f2740bd9ff0c6815f18394c6073fd7d9645e0cbe3e9e5701d67ab1086d17");
    assert!(v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["id"].is_string() && c["status"].is_string() && c["subject"].is_object()));
    let (c, v) = verify_json(&["--key", "examples/jwks.json", "examples/tampered/receipts-removed.jsonl"]);
    assert_eq!(c, 1);
    assert_eq!(v["verdict"], "failed");
}

#[test]
fn malformed_receipt_is_not_verified_exit_1() {
    let tmp = TempDir::new("cli-malformed");
    let bad = tmp.write("bad.json", "{\"customerId\": \"x\",}");
    let out = receipt(["verify", "--key", "examples/jwks.json", bad.to_str().unwrap()]);
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).contains("FAIL input.parse"), "{}", stdout(&out));
    assert!(stdout(&out).contains("line 1, column 20"), "{}", stdout(&out));
}

#[test]
fn usage_and_io_errors_exit_2() {
    let tmp = TempDir::new("cli-usage");
    let small_key = tmp.path("small.pem");
    openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", small_key.to_str().unwrap()]);
    let small_pub = tmp.path("small.pub.pem");
    openssl(["pkey", "-in", small_key.to_str().unwrap(), "-pubout", "-out", small_pub.to_str().unwrap()]);
    let not_a_key = tmp.write("notes.txt", "hello");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["verify"], "required"),
        (vec!["verify", "--frobnicate", "x"], "unexpected argument"),
        (vec!["verify", "--key", "missing.pem", "examples/receipts.jsonl"], "cannot read missing.pem"),
        (vec!["verify", "--key", "examples/jwks.json", "missing.jsonl"], "cannot read missing.jsonl"),
        (
            vec!["verify", "--key", "examples/jwks.json", "--rows", "gone.jsonl", "examples/receipts.jsonl"],
            "cannot read gone.jsonl",
        ),
        (
            vec!["verify", "--key", small_pub.to_str().unwrap(), "examples/receipts.jsonl"],
            "RSA key is 1024 bits; keys under 2048 bits are refused",
        ),
        (vec!["verify", "--key", small_key.to_str().unwrap(), "examples/receipts.jsonl"], "this is a private key"),
        (vec!["verify", "--key", "examples/audit-key.pem", "examples/receipts.jsonl"], "this is a private key"),
        (vec!["verify", "--key", not_a_key.to_str().unwrap(), "examples/receipts.jsonl"], "not a key file"),
        (vec!["manifest", "examples/receipts.jsonl"], "expected exactly one receipt, found 6"),
        (vec!["manifest", "--index", "9", "examples/receipts.jsonl"], "no receipt at index 9"),
        (vec!["fingerprint", "examples/receipts.jsonl"], "unusable key file"),
    ];
    for (args, needle) in cases {
        let out = receipt(&args);
        assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(needle), "{args:?}: stderr lacks {needle:?}: {}", stderr(&out));
    }
}

#[test]
fn manifest_prints_the_exact_signed_bytes() {
    let out = receipt(["manifest", "--index", "0", "examples/receipts.jsonl"]);
    assert_eq!(code(&out), 0);
    let line = std::fs::read_to_string(examples().join("receipts.jsonl")).unwrap();
    let first: serde_json::Value = serde_json::from_str(line.lines().next().unwrap()).unwrap();
    let expected = receipt_verify::manifest_of(&first).unwrap();
    assert_eq!(out.stdout, expected);
    assert!(!out.stdout.ends_with(b"\n"));
    let text = stdout(&out);
    assert!(!text.contains("thisHash") && !text.contains("\"signature\""), "{text}");
    // thisHash is SHA-256 of exactly these bytes.
    assert_eq!(receipt_verify::Hash::sha256(&out.stdout).to_string(), first["thisHash"].as_str().unwrap());
}

#[test]
fn manifest_of_an_approval_entry() {
    let out = receipt(["manifest", "--index", "0", "--approval", "1", "examples/approvals.json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with(
            "{\"approver\":\"bob\",\"kid\":\"approvers/bob/1\",\"signedAt\":\"2026-03-02T08:40:00Z\",\"wave\":{"
        ),
        "{text}"
    );
    assert!(!text.contains("consumedAt") && !text.contains("approvals"), "{text}");
    let out = receipt(["manifest", "--approval", "0", "examples/tampered/receipt-edited.json"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("not a wave approval"));
}

#[test]
fn fingerprint_of_pem_and_jwks() {
    let out = receipt(["fingerprint", "examples/audit-key.pub.pem"]);
    assert_eq!(stdout(&out), "8845f2740bd9ff0c6815f18394c6073fd7d9645e0cbe3e9e5701d67ab1086d17\n");
    let out = receipt(["fingerprint", "examples/jwks.json"]);
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 4, "{text}");
    assert!(text.starts_with("8845f2740bd9ff0c6815f18394c6073fd7d9645e0cbe3e9e5701d67ab1086d17  https://kv-premium.vault.azure.net/keys/audit-2026/2\n"), "{text}");
}

#[test]
fn inspect_labels_files() {
    let out = receipt([
        "inspect",
        "examples/receipts.jsonl",
        "examples/jwks.json",
        "examples/README.md",
        "examples/audit-key.pem",
    ]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    assert!(text.contains("examples/receipts.jsonl: chain of 6 receipts (cust-0042)"), "{text}");
    assert!(text.contains("examples/jwks.json: 4 keys"), "{text}");
    assert!(text.contains("examples/README.md: not recognised"), "{text}");
    assert!(text.contains("this is a private key"), "{text}");
    let out = receipt(["inspect", "--json", "examples/rows.jsonl"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["kind"], "row-export");
    assert_eq!(v[0]["count"], 302);
    assert_eq!(v[0]["file"], "examples/rows.jsonl");
}

#[test]
fn notes_are_capped_but_failures_never_are() {
    let out = receipt(["verify", "--key", "examples/jwks.json", "examples/receipts.jsonl"]);
    let text = stdout(&out);
    assert_eq!(text.matches("NOTE worm.retention").count(), 3, "{text}");
    assert!(text.contains("… and 3 more worm.retention (--verbose lists them all)"), "{text}");
    let out = receipt(["verify", "--verbose", "--key", "examples/jwks.json", "examples/receipts.jsonl"]);
    let text = stdout(&out);
    assert_eq!(text.matches("NOTE worm.retention").count(), 6, "{text}");
    assert!(text.contains("ok receipt.signature"), "{text}");
    let out = receipt([
        "verify",
        "--key",
        "examples/jwks.json",
        "--rows",
        "examples/tampered/rows-deleted-rehashed.jsonl",
        "examples/receipts.jsonl",
    ]);
    assert_eq!(code(&out), 1);
    assert_eq!(stdout(&out).matches("FAIL rows.head").count(), 4, "{}", stdout(&out));
}
