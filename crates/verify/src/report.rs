//! The report: findings plus the keys that were used. The verdict and the summary are
//! derived from the findings whenever they are read or serialized, never stored.

use std::fmt;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use crate::keys::{CertificateInfo, Fingerprint, KeyFormat, KeyStatus, PublicKey};
use crate::timestamp::Timestamp;

/// The outcome of one check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Checked and fine.
    Pass,
    /// Checked and wrong: the verdict is "failed".
    Fail,
    /// Worth a look, but not a failure (for example, unsealed rows).
    Warn,
    /// Information (for example, a chain that starts mid-way, or a retention end).
    Note,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Warn => "warn",
            Status::Note => "note",
        })
    }
}

/// Where a finding is: file, receipt index in that file, line, and JSON pointer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Subject {
    /// File name as given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// 0-based index of the receipt within its file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
    /// 1-based line (JSON Lines files and row exports).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// RFC 6901 JSON pointer into the file's JSON document (for JSON Lines: the line's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
}

impl Subject {
    /// The same subject with a JSON pointer appended (`member` is a raw key or index).
    pub fn at(&self, member: &str) -> Subject {
        // Written out, not `format!` over a clone: several of these are made per receipt.
        let base = self.pointer.as_deref().unwrap_or("");
        let mut pointer = String::with_capacity(base.len() + 1 + member.len());
        pointer.push_str(base);
        pointer.push('/');
        crate::json::push_pointer_token(&mut pointer, member);
        Subject { file: self.file.clone(), index: self.index, line: self.line, pointer: Some(pointer) }
    }
}

impl Subject {
    /// The same subject without its JSON pointer: "which receipt", for messages.
    pub fn receipt_place(&self) -> String {
        Subject { pointer: None, ..self.clone() }.to_string()
    }
}

impl fmt::Display for Subject {
    /// `receipts.jsonl:4 [receipt 3] #/signedAt`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        match (&self.file, self.line) {
            (Some(file), Some(line)) => parts.push(format!("{file}:{line}")),
            (Some(file), None) => parts.push(file.clone()),
            (None, Some(line)) => parts.push(format!("line {line}")),
            (None, None) => {}
        }
        if let Some(i) = self.index {
            parts.push(format!("[receipt {i}]"));
        }
        if let Some(p) = &self.pointer {
            parts.push(format!("#{p}"));
        }
        if parts.is_empty() {
            f.write_str("(input)")
        } else {
            f.write_str(&parts.join(" "))
        }
    }
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Stable check id from SPEC.md, e.g. `receipt.signature`.
    pub id: &'static str,
    /// Outcome.
    pub status: Status,
    /// Where.
    pub subject: Subject,
    /// What happened, in words.
    pub message: String,
    /// Expected value, where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// Actual value, where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<String>,
    /// How many findings this entry stands for (report v2, SPEC.md §12): on every pass,
    /// which aggregates all passes of its id, and on the summary of the findings of an id
    /// that went over the listing cap. Absent: one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
    /// The place of the last of the aggregated passes, when there are two or more
    /// (`subject` is the first's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last: Option<Box<Subject>>,
}

impl Check {
    /// A finding without expected/actual values.
    pub fn new(id: &'static str, status: Status, subject: Subject, message: impl Into<String>) -> Self {
        Check { id, status, subject, message: message.into(), expected: None, actual: None, count: None, last: None }
    }

    /// A finding nobody will read the words of ([`crate::findings::Findings::reads`]):
    /// only its id, status and place are kept.
    pub(crate) fn unread(id: &'static str, status: Status, subject: Subject) -> Self {
        Check::new(id, status, subject, String::new())
    }

    /// How many findings this entry stands for: its `count`, else one.
    pub fn weight(&self) -> usize {
        self.count.unwrap_or(1)
    }

    /// Add expected and actual values.
    pub fn values(self, expected: impl fmt::Display, actual: impl fmt::Display) -> Self {
        self.with_values(expected.to_string(), actual.to_string())
    }

    /// The body of [`Self::values`], once for every type of value (the WASM size budget).
    #[inline(never)]
    fn with_values(mut self, expected: String, actual: String) -> Self {
        self.expected = Some(clip(expected));
        self.actual = Some(clip(actual));
        self
    }
}

/// Longest expected or actual value a finding keeps, in bytes; a longer one is cut at a
/// character boundary and its length given (a value copied into many findings must not
/// multiply the input).
pub const MAX_VALUE_BYTES: usize = 1024;

fn clip(mut s: String) -> String {
    if s.len() > MAX_VALUE_BYTES {
        let len = s.len();
        let mut at = MAX_VALUE_BYTES;
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        s.truncate(at);
        s.push_str(&format!("… ({len} bytes)"));
    }
    s
}

/// Overall result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// No check failed, and at least one `receipt.signature` or `approval.signature`
    /// passed under a supplied key (SPEC.md §12, v1.1).
    Verified,
    /// A check failed, or no signature verified.
    Failed,
}

/// Counts of findings by status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Passed checks.
    pub pass: usize,
    /// Failed checks.
    pub fail: usize,
    /// Warnings.
    pub warn: usize,
    /// Notes.
    pub note: usize,
}

/// What the report says about a supplied key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyReport {
    /// The key's kid, if it has one.
    pub kid: Option<String>,
    /// The file it came from.
    pub source: String,
    /// Its format.
    pub format: KeyFormat,
    /// `"RSA-2048"`, `"EC P-256"`, …
    pub key_type: String,
    /// SHA-256 of the SPKI DER, hex.
    pub fingerprint: Fingerprint,
    /// SHA-256 of the SPKI DER as the key file encoded it, when that is not canonical (v1.1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_spki_sha256: Option<Fingerprint>,
    /// JWK `alg`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alg: Option<crate::alg::Alg>,
    /// Start of the validity window.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<Timestamp>,
    /// End of the validity window.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<Timestamp>,
    /// JWK status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<KeyStatus>,
    /// Certificate details.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate: Option<CertificateInfo>,
    /// How many signatures this key verified.
    pub verified_signatures: usize,
}

impl KeyReport {
    /// Describe a key; `verified_signatures` starts at 0.
    pub fn from_key(key: &PublicKey) -> Self {
        KeyReport {
            kid: key.kid.clone(),
            source: key.source.clone(),
            format: key.format,
            key_type: key.material.describe(),
            fingerprint: key.fingerprint,
            file_spki_sha256: key.file_spki_sha256,
            alg: key.alg,
            valid_from: key.valid_from,
            valid_until: key.valid_until,
            status: key.status,
            certificate: key.certificate.clone(),
            verified_signatures: 0,
        }
    }
}

/// The report format [`Report`] serializes as (SPEC.md §12).
pub const REPORT_FORMAT: &str = "receipt-report/v2";

/// The full result of a verification.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// The findings, in the order the checks ran: one entry per check id for its passes
    /// (with their count and first and last place), and failures, warnings and notes
    /// listed up to the cap per id, each id's overflow in one counted entry (report v2).
    pub checks: Vec<Check>,
    /// Every supplied key.
    pub keys: Vec<KeyReport>,
    /// Which signature backend ran.
    pub backend: String,
}

impl Report {
    /// `Verified` when nothing failed and at least one signature verified under a
    /// supplied key; a passing hash or chain alone proves nothing, since anyone can
    /// compute one.
    pub fn verdict(&self) -> Verdict {
        let nothing_failed = self.checks.iter().all(|c| c.status != Status::Fail);
        if nothing_failed && self.checks.iter().any(Report::is_passed_signature) {
            Verdict::Verified
        } else {
            Verdict::Failed
        }
    }

    /// Whether a finding is a receipt or approval signature that verified under a
    /// supplied key: what a `verified` verdict rests on.
    pub fn is_passed_signature(check: &Check) -> bool {
        check.status == Status::Pass
            && (check.id == crate::ids::RECEIPT_SIGNATURE || check.id == crate::ids::APPROVAL_SIGNATURE)
    }

    /// Counts by status: the true totals, each entry weighted by its `count` (an
    /// aggregated pass, or the summary of findings left unlisted over the cap).
    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for c in &self.checks {
            let n = c.weight();
            match c.status {
                Status::Pass => s.pass += n,
                Status::Fail => s.fail += n,
                Status::Warn => s.warn += n,
                Status::Note => s.note += n,
            }
        }
        s
    }

    /// The failed checks.
    pub fn failures(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| c.status == Status::Fail)
    }

    /// Whether a check with this id failed.
    pub fn failed(&self, id: &str) -> bool {
        self.failures().any(|c| c.id == id)
    }
}

impl Serialize for Report {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Report", 6)?;
        st.serialize_field("format", REPORT_FORMAT)?;
        st.serialize_field("verdict", &self.verdict())?;
        st.serialize_field("summary", &self.summary())?;
        st.serialize_field("backend", &self.backend)?;
        st.serialize_field("keys", &self.keys)?;
        st.serialize_field("checks", &self.checks)?;
        st.end()
    }
}
