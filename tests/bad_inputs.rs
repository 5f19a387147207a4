//! The bad-input corpus (issue 9 §5): the committed tests/bad-inputs/ is exactly what the
//! generator writes, the README table matches the manifest, and the real `receipt` binary
//! answers every case as tests/bad-inputs/cases.json says (exit code, verdict, the exact
//! set of failed ids, key words, and no raw control characters in the human output).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

#[path = "bad_inputs_gen/mod.rs"]
mod bad_inputs_gen;
mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;
use support::*;

fn corpus_dir() -> PathBuf {
    root().join("tests/bad-inputs")
}

fn manifest() -> Value {
    let text = std::fs::read_to_string(corpus_dir().join("cases.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn files_under(dir: &Path, base: &Path, out: &mut BTreeSet<String>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files_under(&p, base, out);
        } else {
            out.insert(p.strip_prefix(base).unwrap().display().to_string());
        }
    }
}

/// Cases listed in pending.txt: the rules they need are not in today's core yet.
fn pending() -> BTreeSet<String> {
    let text = std::fs::read_to_string(corpus_dir().join("pending.txt")).unwrap_or_default();
    text.lines().map(|l| l.split('#').next().unwrap_or_default().trim().to_string()).filter(|l| !l.is_empty()).collect()
}

#[test]
fn generator_writes_the_committed_bytes() {
    let corpus = bad_inputs_gen::build().unwrap();
    let dir = corpus_dir();
    let mut on_disk = BTreeSet::new();
    files_under(&dir, &dir, &mut on_disk);
    on_disk.remove("pending.txt");
    let generated: BTreeSet<String> = corpus.files.keys().cloned().collect();
    assert_eq!(on_disk, generated, "file lists differ: run `cargo run -p receipt-cli --example bad_inputs`");
    for (path, bytes) in &corpus.files {
        let committed = std::fs::read(dir.join(path)).unwrap();
        assert!(&committed == bytes, "{path} differs: run `cargo run -p receipt-cli --example bad_inputs`");
    }
    // Deterministic: a second build gives the same bytes.
    let again = bad_inputs_gen::build().unwrap();
    assert!(again.files == corpus.files, "the generator is not deterministic");
    assert!(corpus.cases.len() >= 90, "only {} cases", corpus.cases.len());
    println!(
        "bad_inputs: {} files, {} cases identical to the committed corpus",
        corpus.files.len(),
        corpus.cases.len()
    );
}

/// The README table, rendered from cases.json alone.
fn table_from_manifest(m: &Value) -> String {
    let mut t = String::from("| case | class | exit | verdict | failed check ids |\n| --- | --- | --- | --- | --- |\n");
    for c in m["cases"].as_array().unwrap() {
        let e = &c["expect"];
        let ids: Vec<&str> = e["failed"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        let ids = if ids.is_empty() { "—".to_string() } else { ids.join(", ") };
        t.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            c["name"].as_str().unwrap(),
            c["class"].as_str().unwrap(),
            e["exit"],
            e["verdict"].as_str().unwrap_or("—"),
            ids
        ));
    }
    t
}

#[test]
fn readme_tables_match_the_manifest() {
    let m = manifest();
    let table = table_from_manifest(&m);
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert_eq!(
        bad_inputs_gen::readme_with_table(&readme, &table).as_deref(),
        Some(readme.as_str()),
        "README.md's bad-input table differs from cases.json: run `cargo run -p receipt-cli --example bad_inputs`"
    );
    let own = std::fs::read_to_string(corpus_dir().join("README.md")).unwrap();
    assert!(own.ends_with(&table), "tests/bad-inputs/README.md's table differs from cases.json");
    assert!(table.lines().count() >= 92, "{table}");
}

/// What the CLI answered for one case, or why it differs from the manifest.
fn run_case(case: &Value) -> Result<(), String> {
    let dir = Path::new("tests/bad-inputs");
    let mut args: Vec<String> = vec!["verify".into(), "--json".into()];
    args.extend(case_args(case));
    let out = receipt(&args);
    let e = &case["expect"];
    let want_exit = e["exit"].as_i64().unwrap() as i32;
    let got_exit = code(&out);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    let mut problems = Vec::new();
    if got_exit != want_exit {
        problems.push(format!("exit {got_exit}, expected {want_exit}"));
    }
    let want_failed: Vec<String> = e["failed"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().into()).collect();
    if got_exit != 2 {
        match serde_json::from_str::<Value>(&text) {
            Ok(report) => {
                let verdict = report["verdict"].as_str().unwrap_or("?").to_string();
                if e["verdict"].as_str() != Some(verdict.as_str()) {
                    problems.push(format!("verdict {verdict}, expected {}", e["verdict"]));
                }
                let got = failed_ids(&report);
                if got != want_failed {
                    problems.push(format!("failed {got:?}, expected {want_failed:?}"));
                }
            }
            Err(x) => problems.push(format!("stdout is not a JSON report ({x})")),
        }
    } else if !err.contains("receipt: error:") {
        problems.push(format!("exit 2 without an error message: {err}"));
    }
    // Key words must come from the message, not from a file name that happens to hold them.
    let mut all = format!("{text}\n{err}");
    for f in case["files"].as_array().unwrap() {
        all = all.replace(&dir.join(f["path"].as_str().unwrap()).display().to_string(), "<file>");
    }
    let all = all.to_lowercase();
    for k in e["keywords"].as_array().unwrap() {
        let k = k.as_str().unwrap();
        if !all.contains(&k.to_lowercase()) {
            problems.push(format!("output lacks {k:?}"));
        }
    }
    let forbidden = e["humanMustNotContain"].as_array().unwrap();
    if !forbidden.is_empty() {
        let human_args: Vec<&String> = args.iter().filter(|a| *a != "--json").collect();
        let human = receipt(&human_args);
        let shown = String::from_utf8_lossy(&human.stdout).to_string() + &String::from_utf8_lossy(&human.stderr);
        for f in forbidden {
            if shown.contains(f.as_str().unwrap()) {
                problems.push(format!("human output contains {:?}", f.as_str().unwrap()));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        let detail = if got_exit == 2 { err.trim().to_string() } else { String::new() };
        Err(format!("{} {detail}", problems.join("; ")))
    }
}

const PENDING_HEAD: &str = "\
# Cases today's core does not yet answer as cases.json says: each waits for the issue 9 rule of its
# class. The runners (tests/bad_inputs.rs, tests/node/bad-inputs.test.mjs) fail when a case outside
# this list goes wrong, and when a listed case starts to pass: remove it then. Format: name  # why.
# BAD_INPUTS_WRITE_PENDING=1 cargo test -p receipt-cli --test bad_inputs rewrites this file.

";

#[test]
fn cli_answers_every_case_as_the_manifest_says() {
    let m = manifest();
    let cases = m["cases"].as_array().unwrap();
    let pending = pending();
    let names: BTreeSet<String> = cases.iter().map(|c| c["name"].as_str().unwrap().to_string()).collect();
    let stale: Vec<&String> = pending.iter().filter(|p| !names.contains(*p)).collect();
    assert!(stale.is_empty(), "pending.txt names cases that do not exist: {stale:?}");
    let results: Vec<(&Value, Result<(), String>)> = cases.iter().map(|c| (c, run_case(c))).collect();
    // BAD_INPUTS_WRITE_PENDING=1 rewrites pending.txt to today's differences: run it once
    // after a rule lands, and review the diff (only removals are expected).
    let pending = if std::env::var_os("BAD_INPUTS_WRITE_PENDING").is_some() {
        let mut text = String::from(PENDING_HEAD);
        for (case, result) in &results {
            if let Err(why) = result {
                let why: String = why.split_whitespace().collect::<Vec<_>>().join(" ");
                let short: String = why.chars().take(150).collect();
                text.push_str(&format!(
                    "{}  # {}; today: {short}\n",
                    case["name"].as_str().unwrap(),
                    case["class"].as_str().unwrap()
                ));
            }
        }
        std::fs::write(corpus_dir().join("pending.txt"), text).unwrap();
        self::pending()
    } else {
        pending
    };
    let (mut ran, mut as_expected, mut still_pending) = (0, 0, 0);
    let mut wrong = Vec::new();
    for (case, result) in results {
        let name = case["name"].as_str().unwrap();
        ran += 1;
        match (result, pending.contains(name)) {
            (Ok(()), false) => as_expected += 1,
            (Ok(()), true) => wrong.push(format!("{name}: passes now, remove it from pending.txt")),
            (Err(why), true) => {
                still_pending += 1;
                println!("pending {name}: {why}");
            }
            (Err(why), false) => wrong.push(format!("{name}: {why}")),
        }
    }
    println!("bad_inputs (CLI): {ran} cases ran, {as_expected} as the manifest says, {still_pending} pending");
    assert!(ran >= 90, "only {ran} cases ran");
    assert!(as_expected > 0, "no case answered as expected");
    assert!(wrong.is_empty(), "{} cases answered wrongly:\n{}", wrong.len(), wrong.join("\n"));
}
