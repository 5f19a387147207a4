//! Backend parity through the real `receipt` binary: every bad-input corpus case, the demo
//! set (honest and tampered) and a generated big set (10,000 rows, 1,000 receipts, and
//! one flipped byte) run with `--backend native` (OpenSSL, every core) and
//! `--backend rustcrypto`. The reports must be identical apart from the `backend` field;
//! exit codes and error messages too. (The Wycheproof parity is in
//! crates/native-backend/tests/wycheproof_parity.rs.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

mod support;

use serde_json::Value;
use support::*;

/// Run `receipt verify --json` with both backends; `Err` describes any difference.
/// Returns the verdict ("verified", "failed" or "usage" for exit 2).
fn both(args: &[String]) -> Result<String, String> {
    let run = |backend: &str| {
        let mut all: Vec<String> = vec!["verify".into(), "--json".into(), "--backend".into(), backend.into()];
        all.extend_from_slice(args);
        receipt(&all)
    };
    let (native, rust) = (run("native"), run("rustcrypto"));
    if code(&native) != code(&rust) {
        return Err(format!("exit {} (native) vs {} (rustcrypto)", code(&native), code(&rust)));
    }
    if code(&native) == 2 {
        return if stderr(&native) == stderr(&rust) {
            Ok("usage".into())
        } else {
            Err(format!("errors differ: {} vs {}", stderr(&native), stderr(&rust)))
        };
    }
    let parse = |out: &std::process::Output| -> Value {
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stderr(out)))
    };
    let (mut a, mut b) = (parse(&native), parse(&rust));
    if (a["backend"].as_str(), b["backend"].as_str()) != (Some("openssl"), Some("rustcrypto")) {
        return Err(format!("backend fields {} and {}", a["backend"], b["backend"]));
    }
    a.as_object_mut().unwrap().remove("backend");
    b.as_object_mut().unwrap().remove("backend");
    if a != b {
        let (ta, tb) = (serde_json::to_string_pretty(&a).unwrap(), serde_json::to_string_pretty(&b).unwrap());
        let first = ta.lines().zip(tb.lines()).position(|(x, y)| x != y).unwrap_or(0);
        let near = |t: &str| t.lines().skip(first.saturating_sub(3)).take(8).collect::<Vec<_>>().join("\n");
        return Err(format!("reports differ near line {first}:\nnative:\n{}\nrustcrypto:\n{}", near(&ta), near(&tb)));
    }
    Ok(a["verdict"].as_str().unwrap_or("?").to_string())
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

#[test]
fn every_bad_input_case_gives_the_same_report_with_both_backends() {
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("tests/bad-inputs/cases.json")).unwrap()).unwrap();
    let (mut ran, mut verified, mut failed, mut usage) = (0, 0, 0, 0);
    let mut wrong = Vec::new();
    for case in manifest["cases"].as_array().unwrap() {
        let args = case_args(case);
        ran += 1;
        match both(&args).as_deref() {
            Ok("verified") => verified += 1,
            Ok("failed") => failed += 1,
            Ok(_) => usage += 1,
            Err(why) => wrong.push(format!("{}: {why}", case["name"].as_str().unwrap())),
        }
    }
    println!("backend parity, bad inputs: {ran} cases, {verified} verified, {failed} failed, {usage} usage errors");
    assert!(wrong.is_empty(), "{} cases differ:\n{}", wrong.len(), wrong.join("\n"));
    assert!(ran >= 90 && verified > 0 && failed > 0 && usage > 0, "{ran} {verified} {failed} {usage}");
}

#[test]
fn the_demo_set_gives_the_same_report_with_both_backends() {
    let k = "examples/jwks.json";
    let runs: Vec<Vec<&str>> = vec![
        vec!["--key", k, "--rows", "examples/rows.jsonl", "examples/receipts.jsonl", "examples/approvals.json"],
        vec!["--key", k, "examples/receipts.jsonl"],
        vec!["--key", "examples/audit-key.pub.pem", "examples/receipts.jsonl"],
        vec!["--key", k, "examples/approvals.json"],
        vec!["--key", k, "examples/tampered/receipt-edited.json"],
        vec!["--key", k, "examples/tampered/receipts-removed.jsonl"],
        vec!["--key", k, "--rows", "examples/tampered/rows-deleted-rehashed.jsonl", "examples/receipts.jsonl"],
        vec!["--key", k, "examples/tampered/approval-self-approved.json"],
    ];
    let mut verdicts = Vec::new();
    for args in &runs {
        verdicts.push(both(&strings(args)).unwrap_or_else(|why| panic!("{args:?}: {why}")));
    }
    println!("backend parity, demo set: {} runs, verdicts {verdicts:?}", runs.len());
    assert_eq!(verdicts.iter().filter(|v| *v == "verified").count(), 4, "{verdicts:?}");
    assert_eq!(verdicts.iter().filter(|v| *v == "failed").count(), 4, "{verdicts:?}");
}

#[test]
fn a_generated_big_set_gives_the_same_report_with_both_backends() {
    let tmp = TempDir::new("parity-big");
    let dir = tmp.0.to_str().unwrap();
    let out = receipt(["demo", "--out", dir, "--rows", "10000", "--receipts", "1000"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let p = |name: &str| tmp.path(name).display().to_string();
    // One flipped byte in the 700th receipt's signature.
    let mut chain = std::fs::read(tmp.path("receipts.jsonl")).unwrap();
    let line_start: usize = chain.split(|b| *b == b'\n').take(700).map(|l| l.len() + 1).sum();
    let at = line_start + chain[line_start..].windows(13).position(|w| w == b"\"signature\":\"").unwrap() + 20;
    chain[at] = if chain[at] == b'A' { b'B' } else { b'A' };
    let flipped = tmp.write("receipts-flipped.jsonl", chain);
    let runs = [
        vec!["--key".to_string(), p("jwks.json"), p("receipts.jsonl")],
        vec!["--key".to_string(), p("jwks.json"), "--rows".to_string(), p("rows.jsonl"), p("rows-receipts.jsonl")],
        vec!["--key".to_string(), p("jwks.json"), flipped.display().to_string()],
    ];
    let verdicts: Vec<String> = runs.iter().map(|a| both(a).unwrap_or_else(|why| panic!("{a:?}: {why}"))).collect();
    println!("backend parity, big set: {} runs, verdicts {verdicts:?}", runs.len());
    assert_eq!(verdicts, ["verified", "verified", "failed"]);
}
