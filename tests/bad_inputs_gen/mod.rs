//! The bad-input corpus generator (issue 9 §5): writes every case of tests/bad-inputs/
//! and its manifest cases.json, deterministically (fixed keys, deterministic signatures,
//! fixed times). Run `cargo run -p receipt-cli --example bad_inputs` to rewrite it; the
//! test tests/bad_inputs.rs checks that the committed bytes are what this writes.
#![allow(dead_code)]

mod cases_approval;
mod cases_input;
mod cases_keys;
mod cases_ps256;
mod cases_redteam_approval;
mod cases_redteam_input;
mod cases_review_keys;
mod cases_verdict;
mod cases_worm;
pub mod sign;

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};

/// One named case: its files (path relative to tests/bad-inputs, role) and what a
/// verifier must answer.
pub struct Case {
    pub name: String,
    pub class: String,
    pub about: String,
    pub files: Vec<(String, &'static str)>,
    pub exit: i32,
    pub failed: Vec<String>,
    pub keywords: Vec<String>,
    pub forbid: Vec<String>,
}

/// Every file and case of the corpus, in memory until written.
#[derive(Default)]
pub struct Corpus {
    pub files: BTreeMap<String, Vec<u8>>,
    pub cases: Vec<Case>,
}

/// Builds one case; `Corpus::case` starts it and `expect` / `done` record it.
pub struct CaseBuilder<'a> {
    corpus: &'a mut Corpus,
    case: Case,
}

impl Corpus {
    pub fn put(&mut self, path: &str, bytes: impl Into<Vec<u8>>) {
        self.files.insert(path.to_string(), bytes.into());
    }
    pub fn case(&mut self, name: &str, class: &str, about: &str) -> CaseBuilder<'_> {
        let case = Case {
            name: name.into(),
            class: class.into(),
            about: about.into(),
            files: Vec::new(),
            exit: 0,
            failed: Vec::new(),
            keywords: Vec::new(),
            forbid: Vec::new(),
        };
        CaseBuilder { corpus: self, case }
    }
}

impl CaseBuilder<'_> {
    /// A file of this case, written into the case's own folder.
    pub fn file(mut self, role: &'static str, name: &str, bytes: impl Into<Vec<u8>>) -> Self {
        let path = format!("{}/{name}", self.case.name);
        self.corpus.put(&path, bytes);
        self.case.files.push((path, role));
        self
    }
    /// A shared file under common/.
    pub fn common(mut self, role: &'static str, name: &str) -> Self {
        self.case.files.push((format!("common/{name}"), role));
        self
    }
    pub fn receipts(self, name: &str, bytes: impl Into<Vec<u8>>) -> Self {
        self.file("receipts", name, bytes)
    }
    pub fn keys(self, name: &str, bytes: impl Into<Vec<u8>>) -> Self {
        self.file("keys", name, bytes)
    }
    pub fn rows(self, name: &str, bytes: impl Into<Vec<u8>>) -> Self {
        self.file("rows", name, bytes)
    }
    /// The demo-style JWKS (audit key and the approvers alice, bob, carol).
    pub fn jwks(self) -> Self {
        self.common("keys", "jwks.json")
    }
    /// Bytes the human output must never contain (e.g. a raw ESC).
    pub fn forbid(mut self, s: &str) -> Self {
        self.case.forbid.push(s.into());
        self
    }
    /// Exit code, failed check ids (exact set) and message key words.
    pub fn expect(mut self, exit: i32, failed: &[&str], keywords: &[&str]) {
        self.case.exit = exit;
        self.case.failed = failed.iter().map(|s| s.to_string()).collect();
        self.case.failed.sort();
        self.case.keywords = keywords.iter().map(|s| s.to_string()).collect();
        self.corpus.cases.push(self.case);
    }
}

impl Case {
    pub fn verdict(&self) -> Option<&'static str> {
        match self.exit {
            0 => Some("verified"),
            1 => Some("failed"),
            _ => None,
        }
    }
    fn to_json(&self) -> Value {
        json!({
            "name": self.name, "class": self.class, "about": self.about,
            "files": self.files.iter().map(|(p, r)| json!({ "path": p, "role": r })).collect::<Vec<_>>(),
            "expect": {
                "exit": self.exit, "verdict": self.verdict(), "failed": self.failed,
                "keywords": self.keywords, "humanMustNotContain": self.forbid,
            },
        })
    }
}

/// Build the whole corpus in memory.
pub fn build() -> Result<Corpus> {
    let mut c = Corpus::default();
    let kit = cases_verdict::Kit::new(&mut c)?;
    cases_verdict::add(&mut c, &kit)?;
    cases_worm::add(&mut c, &kit)?;
    cases_approval::add(&mut c, &kit)?;
    cases_keys::add(&mut c, &kit)?;
    cases_input::add(&mut c, &kit)?;
    cases_ps256::add(&mut c, &kit)?;
    cases_redteam_input::add(&mut c, &kit)?;
    cases_redteam_approval::add(&mut c, &kit)?;
    cases_review_keys::add(&mut c, &kit)?;
    let mut seen = std::collections::BTreeSet::new();
    for case in &c.cases {
        if !seen.insert(case.name.clone()) {
            bail!("case name {} used twice", case.name);
        }
        for (path, _) in &case.files {
            if !c.files.contains_key(path) {
                bail!("case {} names a missing file {path}", case.name);
            }
        }
    }
    let manifest = json!({
        "format": "receipt-bad-inputs/v1",
        "about": "Issue 9 bad-input corpus. Paths are relative to this folder. Roles: receipts (positional \
                  files), rows (--rows, at most one), keys (--key). exit: 0 verified, 1 not verified, 2 unusable \
                  input (verdict null). failed: the exact set of failed check ids. keywords: case-insensitive \
                  words the output (JSON report or error message) must contain. humanMustNotContain: strings the \
                  human-readable output must not contain.",
        "cases": c.cases.iter().map(Case::to_json).collect::<Vec<_>>(),
    });
    let text = serde_json::to_string_pretty(&manifest)? + "\n";
    c.put("cases.json", text);
    let table = table(&c.cases);
    c.put("README.md", format!("{README_HEAD}{table}"));
    Ok(c)
}

const README_HEAD: &str = "# Bad-input corpus (issue 9 §5)

Written by `cargo run -p receipt-cli --example bad_inputs` (deterministic; `tests/bad_inputs.rs`
checks the committed bytes) from the published demo keys. `cases.json` is the machine-readable
manifest; `pending.txt` lists the cases today's core does not yet answer as the manifest says.
Runners: `tests/bad_inputs.rs` (CLI), `tests/node/bad-inputs.test.mjs` (WASM in Node).

Each entry of `cases` in `cases.json`:

```json
{ \"name\": \"worm-userinfo\", \"class\": \"§1.6 WORM URI\", \"about\": \"…\",
  \"files\": [ { \"path\": \"common/jwks.json\", \"role\": \"keys\" },
             { \"path\": \"worm-userinfo/receipt.json\", \"role\": \"receipts\" } ],
  \"expect\": { \"exit\": 1, \"verdict\": \"failed\", \"failed\": [\"worm.uri\"],
              \"keywords\": [\"wormBlobUri\"], \"humanMustNotContain\": [] } }
```

Paths are relative to this folder. Give `keys` files as `--key` (in order), the `rows` file (at
most one) as `--rows`, and `receipts` files as positional arguments, in order. `exit` 2 means the
input is unusable (the CLI exits 2; `verify` in JS throws) and `verdict` is null. `failed` is the
exact set of failed check ids; `keywords` must appear (case-insensitively) in the report or the
error message, not counting the file names; `humanMustNotContain` must not appear in the CLI's
human-readable output.

";

/// The Markdown table of cases (also in the repository README between markers).
pub fn table(cases: &[Case]) -> String {
    let mut t = String::from("| case | class | exit | verdict | failed check ids |\n| --- | --- | --- | --- | --- |\n");
    for c in cases {
        let ids = if c.failed.is_empty() { "—".to_string() } else { c.failed.join(", ") };
        t.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            c.name,
            c.class,
            c.exit,
            c.verdict().unwrap_or("—"),
            ids
        ));
    }
    t
}

const BEGIN: &str = "<!-- bad-inputs:begin (written by `cargo run -p receipt-cli --example bad_inputs`) -->\n";
const END: &str = "<!-- bad-inputs:end -->";

/// `readme` with the text between the bad-inputs markers replaced by `table`; None when
/// the markers are missing.
pub fn readme_with_table(readme: &str, table: &str) -> Option<String> {
    let start = readme.find(BEGIN)? + BEGIN.len();
    let end = readme.get(start..)?.find(END)? + start;
    Some(format!("{}{table}{}", readme.get(..start)?, readme.get(end..)?))
}

/// Write the corpus into `dir` (normally tests/bad-inputs), leaving other files there alone.
pub fn write(dir: &Path) -> Result<usize> {
    let c = build()?;
    for (path, bytes) in &c.files {
        let p = dir.join(path);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&p, bytes).with_context(|| format!("cannot write {}", p.display()))?;
    }
    Ok(c.cases.len())
}
