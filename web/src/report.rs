//! The parts of the core's JSON (`receipt-report/v2`, SPEC.md §12) and of `inspect` that
//! the page shows. Read-only views: the page never decides a verdict itself.

use serde::Deserialize;

/// A verification report.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// `"verified"` or `"not-verified"`.
    pub verdict: String,
    /// Counts per status.
    pub summary: Summary,
    /// Which signature backend ran.
    #[serde(default)]
    pub backend: String,
    /// Every key that was supplied, with how many signatures it verified.
    #[serde(default)]
    pub keys: Vec<KeyReport>,
    /// The checks, in order: one entry per check id for its passes, failures, warnings
    /// and notes up to the core's cap per id, then one counted entry for the rest.
    pub checks: Vec<Check>,
}

impl Report {
    /// Whether everything verified.
    pub fn verified(&self) -> bool {
        self.verdict == "verified"
    }

    /// The keys that verified at least one signature.
    pub fn keys_used(&self) -> impl Iterator<Item = &KeyReport> {
        self.keys.iter().filter(|k| k.verified_signatures > 0)
    }
}

/// Counts per status.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Summary {
    /// Passed checks.
    pub pass: u64,
    /// Failed checks.
    pub fail: u64,
    /// Warnings.
    pub warn: u64,
    /// Notes.
    pub note: u64,
}

/// A key as the report lists it.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct KeyReport {
    /// Its kid, if any.
    #[serde(default)]
    pub kid: Option<String>,
    /// The file (or label) it came from.
    pub source: String,
    /// `"RSA-2048"`, `"EC P-256"`.
    #[serde(default)]
    pub key_type: String,
    /// SPKI SHA-256, hex.
    pub fingerprint: String,
    /// Signatures it verified.
    #[serde(default)]
    pub verified_signatures: u64,
}

/// One check.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Check {
    /// Stable id, e.g. `receipt.signature`.
    pub id: String,
    /// `pass`, `fail`, `warn` or `note`.
    pub status: String,
    /// Where.
    #[serde(default)]
    pub subject: Subject,
    /// What was checked or found.
    pub message: String,
    /// For failures: what was expected.
    #[serde(default)]
    pub expected: Option<String>,
    /// For failures: what was found.
    #[serde(default)]
    pub actual: Option<String>,
    // Report v2's `count` and `last` (an aggregated pass, or the rest of a capped id) are
    // not read: the banner's counts come from `summary`, which holds the true totals, and
    // the embed's size budget (218 KB) has no room for them.
}

/// The place a check is about.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct Subject {
    /// File name.
    #[serde(default)]
    pub file: Option<String>,
    /// Receipt index in the file.
    #[serde(default)]
    pub index: Option<u64>,
    /// Line (JSON Lines and row exports).
    #[serde(default)]
    pub line: Option<u64>,
    /// JSON pointer.
    #[serde(default)]
    pub pointer: Option<String>,
}

impl Subject {
    /// `file:line [receipt i] #/pointer`, as the CLI prints it.
    pub fn place(&self) -> String {
        let mut parts = Vec::new();
        match (&self.file, self.line) {
            (Some(f), Some(l)) => parts.push(format!("{f}:{l}")),
            (Some(f), None) => parts.push(f.clone()),
            (None, Some(l)) => parts.push(format!("line {l}")),
            (None, None) => {}
        }
        if let Some(i) = self.index {
            parts.push(format!("[receipt {i}]"));
        }
        if let Some(p) = &self.pointer {
            parts.push(format!("#{p}"));
        }
        parts.join(" ")
    }
}

/// What `inspect` says about a file.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Inspection {
    /// `receipt`, `receipt-chain`, `approvals`, `receipts-and-approvals`, `row-export`,
    /// `keys` or `unknown`.
    pub kind: String,
    /// Short label for people.
    pub label: String,
    /// Items found.
    #[serde(default)]
    pub count: u64,
    /// Keys, for key files.
    #[serde(default)]
    pub keys: Vec<KeySummary>,
    /// Why it is not recognised.
    #[serde(default)]
    pub reason: Option<String>,
}

/// A key in a key file.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct KeySummary {
    /// Its kid.
    #[serde(default)]
    pub kid: Option<String>,
    /// `"RSA-2048"`, `"EC P-256"`.
    pub key_type: String,
    /// SPKI SHA-256, hex.
    pub fingerprint: String,
}

/// What role a file plays in a verification.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Receipts or approvals.
    Receipts,
    /// Public keys.
    Keys,
    /// A row export.
    Rows,
    /// Not usable.
    Unusable,
}

impl Inspection {
    /// A file the worker could not read at all.
    pub fn unreadable(reason: String) -> Self {
        Inspection {
            kind: "unknown".into(),
            label: "not recognised".into(),
            count: 0,
            keys: Vec::new(),
            reason: Some(reason),
        }
    }

    /// The role this file plays.
    pub fn role(&self) -> Role {
        match self.kind.as_str() {
            "receipt" | "receipt-chain" | "approvals" | "receipts-and-approvals" => Role::Receipts,
            "keys" => Role::Keys,
            "row-export" => Role::Rows,
            _ => Role::Unusable,
        }
    }
}
