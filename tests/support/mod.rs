//! Helpers for the cross-crate tests: a temporary directory, running the real `receipt`
//! binary, and running the system `openssl`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

pub fn examples() -> PathBuf {
    root().join("examples")
}

/// A directory removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "receipt-test-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Run `receipt` with arguments (no stdin).
pub fn receipt<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    Command::new(env!("CARGO_BIN_EXE_receipt")).args(args).current_dir(root()).stdin(Stdio::null()).output().unwrap()
}

pub fn code(out: &Output) -> i32 {
    out.status.code().unwrap()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// Run `openssl` with arguments; panics with its stderr if it fails. The test command
/// (scripts/test.sh) installs openssl when it is missing.
pub fn openssl<I, S>(args: I) -> Vec<u8>
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let args: Vec<_> = args.into_iter().map(|a| a.as_ref().to_owned()).collect();
    let out = Command::new("openssl")
        .args(&args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run openssl (scripts/test.sh installs it): {e}"));
    assert!(out.status.success(), "openssl {:?} failed: {}", args, String::from_utf8_lossy(&out.stderr));
    out.stdout
}

/// Run a shell pipeline; returns (exit code, stdout).
pub fn sh(script: &str, dir: &Path) -> (i32, String) {
    let out = Command::new("bash")
        .arg("-euo")
        .arg("pipefail")
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

/// The JSON report of `receipt verify --json ...`.
pub fn verify_json(args: &[&str]) -> (i32, serde_json::Value) {
    let mut all = vec!["verify", "--json"];
    all.extend_from_slice(args);
    let out = receipt(&all);
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}{}", stdout(&out), stderr(&out)));
    (code(&out), v)
}

/// Failed check ids of a JSON report, sorted and deduplicated.
pub fn failed_ids(report: &serde_json::Value) -> Vec<String> {
    let mut ids: Vec<String> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "fail")
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// A bad-input case's files (tests/bad-inputs/cases.json) as `receipt verify` arguments:
/// `--key` and `--rows` by role, receipt files last.
pub fn case_args(case: &serde_json::Value) -> Vec<String> {
    let dir = Path::new("tests/bad-inputs");
    let mut args = Vec::new();
    let mut positional = Vec::new();
    for f in case["files"].as_array().unwrap() {
        let path = dir.join(f["path"].as_str().unwrap()).display().to_string();
        match f["role"].as_str().unwrap() {
            "keys" => args.extend(["--key".to_string(), path]),
            "rows" => args.extend(["--rows".to_string(), path]),
            _ => positional.push(path),
        }
    }
    args.extend(positional);
    args
}
