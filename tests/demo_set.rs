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
