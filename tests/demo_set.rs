//! The committed demo set under examples/ is exactly what `receipt demo` writes, and every
//! file in it verifies (or fails) as examples/README.md says.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

mod support;

use support::*;

fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn demo_writes_exactly_the_committed_examples() {
    let tmp = TempDir::new("demo");
    let out = receipt(["demo", "--out", tmp.0.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let written = files_under(&tmp.0);
    let committed = files_under(&examples());
    let rel = |base: &std::path::Path, v: &[std::path::PathBuf]| -> Vec<String> {
        v.iter().map(|p| p.strip_prefix(base).unwrap().display().to_string()).collect()
    };
    assert_eq!(
        rel(&tmp.0, &written),
        rel(&examples(), &committed),
        "file lists differ: run `receipt demo --out examples`"
    );
    for (a, b) in written.iter().zip(&committed) {
        assert!(
            std::fs::read(a).unwrap() == std::fs::read(b).unwrap(),
            "{} differs from the committed copy: run `receipt demo --out examples`",
            b.display()
        );
    }
    // And a second run writes the same bytes again.
    let tmp2 = TempDir::new("demo2");
    receipt(["demo", "--out", tmp2.0.to_str().unwrap()]);
    for (a, b) in files_under(&tmp2.0).iter().zip(&written) {
        assert!(std::fs::read(a).unwrap() == std::fs::read(b).unwrap(), "demo is not deterministic: {}", a.display());
    }
    println!("demo_set: {} files identical to examples/", written.len());
}

#[test]
fn demo_set_verifies_as_documented() {
    let cases: [(&[&str], i32, &[&str]); 6] = [
        (
            &[
                "--key",
                "examples/jwks.json",
                "--rows",
                "examples/rows.jsonl",
                "examples/receipts.jsonl",
                "examples/approvals.json",
            ],
            0,
            &[],
        ),
        (&["--key", "examples/audit-key.pub.pem", "examples/receipts.jsonl"], 0, &[]),
        (
            &["--key", "examples/jwks.json", "examples/tampered/receipt-edited.json"],
            1,
            &["receipt.hash", "receipt.signature", "verdict.signature"],
        ),
        (&["--key", "examples/jwks.json", "examples/tampered/receipts-removed.jsonl"], 1, &["chain.link"]),
        (
            &[
                "--key",
                "examples/jwks.json",
                "--rows",
                "examples/tampered/rows-deleted-rehashed.jsonl",
                "examples/receipts.jsonl",
            ],
            1,
            &["rows.head"],
        ),
        (
            &["--key", "examples/jwks.json", "examples/tampered/approval-self-approved.json"],
            1,
            &["approval.quorum", "approval.separation"],
        ),
    ];
    for (args, want_code, want_fails) in cases {
        let (code, report) = verify_json(args);
        assert_eq!(code, want_code, "{args:?}");
        assert_eq!(failed_ids(&report), want_fails.iter().map(|s| s.to_string()).collect::<Vec<_>>(), "{args:?}");
        assert_eq!(report["verdict"], if want_code == 0 { "verified" } else { "failed" });
    }
}

/// Report v2 (SPEC.md §12) changes how passes are listed, not what the report says: the
/// verdict and the summary of every documented demo case are the ones report v1 gave
/// (measured with the v1 CLI), and each check id's passes are one entry whose count adds
/// up to the summary.
#[test]
fn demo_set_verdict_and_summary_are_those_of_report_v1() {
    let jwks = ["--key", "examples/jwks.json"];
    let with = |rest: &[&'static str]| -> Vec<&'static str> { jwks.iter().chain(rest).copied().collect() };
    // (arguments, verdict, [pass, fail, warn, note] as report v1 counted them, v1 entries)
    let cases: [(Vec<&str>, &str, [u64; 4], usize); 6] = [
        (
            with(&["--rows", "examples/rows.jsonl", "examples/receipts.jsonl", "examples/approvals.json"]),
            "verified",
            [100, 0, 1, 6],
            107,
        ),
        (vec!["--key", "examples/audit-key.pub.pem", "examples/receipts.jsonl"], "verified", [35, 0, 6, 12], 53),
        (with(&["examples/tampered/receipt-edited.json"]), "failed", [7, 3, 0, 2], 12),
        (with(&["examples/tampered/receipts-removed.jsonl"]), "failed", [49, 1, 0, 5], 55),
        (
            with(&["--rows", "examples/tampered/rows-deleted-rehashed.jsonl", "examples/receipts.jsonl"]),
            "failed",
            [67, 4, 1, 6],
            78,
        ),
        (with(&["examples/tampered/approval-self-approved.json"]), "failed", [9, 3, 1, 0], 13),
    ];
    for (args, verdict, [pass, fail, warn, note], v1_entries) in cases {
        let (_, report) = verify_json(&args);
        assert_eq!(report["format"], "receipt-report/v2", "{args:?}");
        assert_eq!(report["verdict"], verdict, "{args:?}");
        let summary = serde_json::json!({"pass": pass, "fail": fail, "warn": warn, "note": note});
        assert_eq!(report["summary"], summary, "{args:?}");
        let checks = report["checks"].as_array().unwrap();
        let passes: Vec<&serde_json::Value> = checks.iter().filter(|c| c["status"] == "pass").collect();
        let mut ids: Vec<&str> = passes.iter().map(|c| c["id"].as_str().unwrap()).collect();
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n, "one pass entry per check id: {args:?}");
        let counted: u64 = passes.iter().map(|c| c["count"].as_u64().unwrap()).sum();
        assert_eq!(counted, pass, "the pass entries' counts add up to the summary: {args:?}");
        // Every entry that is not a pass is one finding here (none is over the cap).
        assert_eq!(checks.len() - n, (fail + warn + note) as usize, "{args:?}");
        assert!(checks.len() <= v1_entries, "{args:?}");
    }
}
