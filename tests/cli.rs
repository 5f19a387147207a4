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

/// Review 9, 03 in the readable summary: a key whose window starts after it ends is shown
/// as empty in the Keys block, as key.validity calls it; an honest window is not.
#[test]
fn an_inverted_key_window_is_shown_as_empty() {
    let tmp = TempDir::new("cli-key-window");
    let jwks: serde_json::Value =
        serde_json::from_slice(&std::fs::read(examples().join("jwks.json")).unwrap()).unwrap();
    let with_window = |from: &str, until: &str| {
        let mut jwks = jwks.clone();
        let key = jwks["keys"].as_array_mut().unwrap().iter_mut().find(|k| k["kty"] != "EC").unwrap();
        key["validFrom"] = serde_json::json!(from);
        key["validUntil"] = serde_json::json!(until);
        tmp.write(&format!("jwks-{from}.json"), serde_json::to_vec(&jwks).unwrap())
    };
    let inverted = with_window("2027-01-01T00:00:00Z", "2026-01-01T00:00:00Z");
    let out = receipt(["verify", "--key", inverted.to_str().unwrap(), "examples/receipts.jsonl"]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    let text = stdout(&out);
    assert!(
        text.contains("valid 2027-01-01T00:00:00Z .. 2026-01-01T00:00:00Z  (empty: the key can have signed nothing)"),
        "{text}"
    );
    assert!(text.contains("FAIL key.validity"), "{text}");
    let honest = with_window("2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z");
    let out = receipt(["verify", "--key", honest.to_str().unwrap(), "examples/receipts.jsonl"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let text = stdout(&out);
    assert!(text.contains("valid 2026-01-01T00:00:00Z .. 2027-01-01T00:00:00Z\n"), "{text}");
    assert!(!text.contains("(empty"), "{text}");
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

/// Red team 8, finding 04: `manifest` printed "M" for a wave approval and for an audit row,
/// bytes nobody signs; it refuses both now (positive control: the receipt case above).
#[test]
fn manifest_refuses_approvals_and_rows() {
    let out = receipt(["manifest", "--index", "0", "examples/approvals.json"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("wave approval") && stderr(&out).contains("--approval K"), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let out = receipt(["manifest", "--index", "0", "examples/rows.jsonl"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("audit row"), "{}", stderr(&out));
    let out = receipt(["manifest", "--index", "2", "examples/receipts.jsonl"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
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
    assert!(text.contains("… and 3 more worm.retention in the report (--verbose shows them)"), "{text}");
    let out = receipt(["verify", "--verbose", "--key", "examples/jwks.json", "examples/receipts.jsonl"]);
    let text = stdout(&out);
    assert_eq!(text.matches("NOTE worm.retention").count(), 6, "{text}");
    assert!(text.contains("ok receipt.signature"), "{text}");
    // Report v2: one line for all passes of an id, with the count and the first and last places.
    let line = "ok receipt.signature  6 passed (first examples/receipts.jsonl:1 [receipt 0] #/signature, last examples/receipts.jsonl:6 [receipt 5] #/signature)";
    assert_eq!(text.matches("ok receipt.signature").count(), 1, "{text}");
    assert!(text.contains(line), "{text}");
    assert!(text.contains("ok chain.link  1 passed (at examples/receipts.jsonl)"), "{text}");
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

/// What a hostile value carries: clear the screen, home the cursor, return to column 0,
/// print a fake verdict, then reverse the rest of the line.
const ATTACK: &str = "\u{1b}[2J\u{1b}[H\rVERIFIED: 9 passed, 0 failed\u{202e}";
/// The same as printed: every control and bidi character made visible.
const ATTACK_SHOWN: &str = "\\u{1b}[2J\\u{1b}[H\\rVERIFIED: 9 passed, 0 failed\\u{202e}";

#[track_caller]
fn assert_no_raw_controls(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for bad in ['\u{1b}', '\r', '\u{202e}', '\u{7f}', '\u{85}', '\u{2066}', '\u{200b}'] {
        assert!(!text.contains(bad), "{what} carries raw U+{:04X}:\n{text}", u32::from(bad));
    }
    assert!(!text.lines().any(|l| l.starts_with("VERIFIED")), "{what} has a fake verdict line:\n{text}");
}

#[test]
fn hostile_values_cannot_repaint_the_terminal() {
    let tmp = TempDir::new("cli-hostile");
    let line = std::fs::read_to_string(examples().join("receipts.jsonl")).unwrap();
    let mut r: serde_json::Map<String, serde_json::Value> = serde_json::from_str(line.lines().nth(2).unwrap()).unwrap();
    r.insert("wormBlobUri".into(), format!("https://worm.example/{ATTACK}/x.json").into());
    r.insert("kid".into(), format!("kid{ATTACK}\u{7f}\u{85}\u{2066}\u{200b}").into());
    // A member name with the attack, holding a duplicate key: its JSON pointer is printed.
    let mut text = serde_json::to_string(&r).unwrap();
    text.insert_str(1, &format!("{}:{{\"a\":1,\"a\":2}},", serde_json::to_string(&format!("m{ATTACK}")).unwrap()));
    let name = format!("receipt{ATTACK}.json");
    let hostile = tmp.write(&name, serde_json::to_string(&r).unwrap());
    let dup = tmp.write(&format!("dup{ATTACK}.json"), text);
    let bad_key = tmp.write(&format!("key{ATTACK}.pem"), "-----BEGIN PUBLIC KEY-----\nnot base64\n");
    let (h, d, k) = (hostile.to_str().unwrap(), dup.to_str().unwrap(), bad_key.to_str().unwrap());

    let out = receipt(["verify", "--verbose", "--key", "examples/jwks.json", h, d]);
    assert_eq!(code(&out), 1);
    assert_no_raw_controls("verify stdout", &out.stdout);
    assert_no_raw_controls("verify stderr", &out.stderr);
    let shown = stdout(&out);
    assert!(shown.starts_with("NOT VERIFIED:"), "{shown}");
    // The values are still there, made visible: the file name, the URI and the pointer.
    assert!(shown.contains(&format!("receipt{ATTACK_SHOWN}.json")), "{shown}");
    assert!(shown.contains(&format!("/{ATTACK_SHOWN}/x.json")), "{shown}");
    assert!(shown.contains(&format!("duplicate object key \"a\" at /m{ATTACK_SHOWN}/a;")), "{shown}");

    let out = receipt(["verify", "--json", "--key", "examples/jwks.json", h, d]);
    assert_eq!(code(&out), 1);
    assert_no_raw_controls("verify --json", &out.stdout);
    // The JSON still holds the exact values (escaped as JSON, not altered).
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["checks"].as_array().unwrap().iter().any(|c| c["subject"]["file"] == h), "{v}");

    for args in [vec!["inspect", h, d, k], vec!["inspect", "--json", h, d, k]] {
        let out = receipt(&args);
        assert_eq!(code(&out), 0);
        assert_no_raw_controls("inspect", &out.stdout);
        assert!(stdout(&out).contains("receipt"), "{}", stdout(&out));
    }

    let out = receipt(["verify", "--key", k, h]);
    assert_eq!(code(&out), 2);
    assert_no_raw_controls("key error", &out.stderr);
    assert!(stderr(&out).contains(&format!("key{ATTACK_SHOWN}.pem")), "{}", stderr(&out));

    let jwk = serde_json::json!({"keys": [{"kty": "EC", "crv": "P-256", "kid": format!("a{ATTACK}"),
        "x": "uoHj_pRkn6arlave1LMyy7hQmHvmIrbJVNlVNGVI3fM", "y": "tSfrH51ffklA0ttIh5_Fq-M9VOLUV0qItG6JtpAwP2E"},
        {"kty": "EC", "crv": "P-256", "kid": "b",
        "x": "ubYMV5wakllz_8t6Drm-gz-xAZvnID0y3pScrWyoWmc", "y": "ix1rkD70enfAmcAkyIQfd0YX7soTGt6MutUK7GjBvng"}]});
    let keys = tmp.write("keys.json", jwk.to_string());
    let out = receipt(["fingerprint", keys.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_no_raw_controls("fingerprint", &out.stdout);
    assert!(stdout(&out).contains(&format!("a{ATTACK_SHOWN}")), "{}", stdout(&out));
}

#[test]
fn several_receipts_without_index_is_one_error_naming_the_flag() {
    for file in ["examples/receipts.jsonl", "examples/approvals.json"] {
        let out = receipt(["manifest", file]);
        assert_eq!(code(&out), 2);
        let err = stderr(&out);
        assert_eq!(err.matches("expected exactly one receipt").count(), 1, "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("pick one with --index N (0-based)"), "{err}");
    }
    // An array holding one non-receipt: the core's error is printed once, not once per
    // layer of the error chain.
    let tmp = TempDir::new("cli-manifest-array");
    let one = tmp.write("one.json", "[1]");
    let out = receipt(["manifest", one.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert_eq!(err.matches("expected a receipt (a JSON object), found").count(), 1, "{err}");
}

#[test]
fn a_pipe_is_read_whole_and_gives_the_report_of_the_file() {
    // A pipe cannot be read three times (shape, items, chain): it is read whole, once.
    let bin = env!("CARGO_BIN_EXE_receipt");
    for file in ["examples/receipts.jsonl", "examples/tampered/receipts-removed.jsonl"] {
        let from_disk = stdout(&receipt(["verify", "--json", "--key", "examples/jwks.json", file]));
        let script = format!("cat {file} | {bin} verify --json --key examples/jwks.json /dev/stdin || true");
        let (_, piped) = sh(&script, &root());
        assert!(from_disk.contains("\"verdict\""), "{from_disk}");
        assert_eq!(piped.replace("/dev/stdin", file), from_disk, "{file}");
    }
}
