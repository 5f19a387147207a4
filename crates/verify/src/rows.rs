//! Audit-row exports checked against receipts (SPEC.md, "Rows against receipts").
//!
//! [`RowVerifier`] streams: feed bytes in any chunking with [`RowVerifier::push`] and
//! call [`RowVerifier::finish`]. It keeps only the current partial line, the previous
//! row's hash and seq, and a bounded number of detailed findings, so memory is bounded
//! by the longest line (itself capped at [`MAX_LINE_BYTES`]), not by the export.

use std::collections::HashMap;

use serde_json::Value;

use crate::canonical::canonical_without;
use crate::checks::consumed::ConsumptionWatch;
use crate::fields::FieldReader;
use crate::hash::Hash;
use crate::ids;
use crate::report::{Check, Status, Subject};
use crate::text::q;

/// Longest row line accepted.
pub const MAX_LINE_BYTES: usize = 1 << 20;
/// Detailed findings kept per check id; the rest are counted in one summary finding.
pub const MAX_DETAILS_PER_CHECK: usize = 50;

/// A receipt's sealed head, as the row verifier needs it.
#[derive(Clone, Debug)]
pub struct SealedHead {
    /// The receipt's `batchHead`.
    pub hash: Hash,
    /// The receipt's `customerId`.
    pub customer_id: Option<String>,
    /// Where the receipt is (its `batchHead` member).
    pub subject: Subject,
}

#[derive(Clone, Copy)]
struct PrevRow {
    line: usize,
    seq: Option<u64>,
    this_hash: Option<Hash>,
}

/// Streaming row-export verifier.
pub struct RowVerifier {
    file: String,
    buf: Vec<u8>,
    skipping_long_line: bool,
    line: usize,
    rows: u64,
    prev: Option<PrevRow>,
    /// The previous line could not be read, so the next link cannot be checked.
    broken: bool,
    heads: Vec<SealedHead>,
    head_lookup: HashMap<Hash, Vec<usize>>,
    next_head: usize,
    last_sealed: Option<(usize, u64)>,
    checked: HashMap<&'static str, u64>,
    failed: HashMap<&'static str, u64>,
    findings: Vec<Check>,
    /// Looks for the rows that record approvals' consumption (v1.1).
    consumption: Option<ConsumptionWatch>,
}

/// What the engine needs from a finished export besides its findings.
pub(crate) struct RowTally {
    /// Rows read (blank lines excluded).
    pub rows: u64,
    /// Rows `1..=sealed` are sealed by a receipt's head.
    pub sealed: u64,
    pub consumption: Option<ConsumptionWatch>,
}

impl RowVerifier {
    /// A verifier for the export named `file`, checked against `heads` in chain order.
    pub fn new(file: &str, heads: Vec<SealedHead>) -> Self {
        let mut head_lookup: HashMap<Hash, Vec<usize>> = HashMap::new();
        for (i, h) in heads.iter().enumerate() {
            head_lookup.entry(h.hash).or_default().push(i);
        }
        RowVerifier {
            file: file.to_string(),
            buf: Vec::new(),
            skipping_long_line: false,
            line: 0,
            rows: 0,
            prev: None,
            broken: false,
            heads,
            head_lookup,
            next_head: 0,
            last_sealed: None,
            checked: HashMap::new(),
            failed: HashMap::new(),
            findings: Vec::new(),
            consumption: None,
        }
    }

    /// Also look for the rows that record approvals' consumption.
    pub(crate) fn watch_consumption(&mut self, watch: ConsumptionWatch) {
        self.consumption = Some(watch);
    }

    /// Feed the next bytes of the export. Boundaries may fall anywhere, including inside
    /// a line or a UTF-8 sequence: lines are only read once their `\n` has arrived.
    pub fn push(&mut self, chunk: &[u8]) {
        let mut rest = chunk;
        while let Some(nl) = rest.iter().position(|b| *b == b'\n') {
            let (head, tail) = rest.split_at(nl);
            rest = tail.get(1..).unwrap_or_default();
            if self.skipping_long_line {
                // Already reported when it outgrew the limit.
                self.skipping_long_line = false;
                self.line += 1;
            } else if self.buf.len() + head.len() > MAX_LINE_BYTES {
                self.buf.clear();
                self.line += 1;
                self.refuse_long_line(self.line);
            } else if self.buf.is_empty() {
                self.take_line(head);
            } else {
                let mut line = std::mem::take(&mut self.buf);
                line.extend_from_slice(head);
                self.take_line(&line);
                line.clear();
                self.buf = line;
            }
        }
        if self.skipping_long_line {
            return;
        }
        if self.buf.len() + rest.len() > MAX_LINE_BYTES {
            // Stop buffering: memory stays bounded by the limit, whatever the input.
            self.buf = Vec::new();
            self.skipping_long_line = true;
            self.refuse_long_line(self.line + 1);
        } else {
            self.buf.extend_from_slice(rest);
        }
    }

    fn refuse_long_line(&mut self, line: usize) {
        self.rows += 1;
        self.broken = true;
        self.fail(
            ids::ROWS_PARSE,
            self.subject(line, None),
            format!("line is longer than {MAX_LINE_BYTES} bytes; it was not read"),
            Some((format!("at most {MAX_LINE_BYTES} bytes"), "longer".into())),
        );
    }

    /// Finish: read a last line without `\n`, then report heads never found and
    /// unsealed rows. Returns every finding.
    pub fn finish(self) -> Vec<Check> {
        self.finish_with_tally().0
    }

    /// [`Self::finish`], with the counts and watch the engine needs.
    pub(crate) fn finish_with_tally(mut self) -> (Vec<Check>, RowTally) {
        if self.skipping_long_line {
            self.line += 1;
        } else if !self.buf.is_empty() {
            let last = std::mem::take(&mut self.buf);
            self.take_line(&last);
        }
        let file_subject = self.subject(0, None);
        let file_subject = Subject { line: None, ..file_subject };
        if self.rows == 0 {
            self.fail(
                ids::ROWS_PARSE,
                file_subject.clone(),
                "the row export holds no rows".into(),
                Some(("at least one row".into(), "no rows".into())),
            );
        }
        let after = self.last_sealed.map_or(0, |(line, _)| line);
        for k in self.next_head..self.heads.len() {
            let Some(h) = self.heads.get(k) else { continue };
            let c = Check::new(
                ids::ROWS_HEAD,
                Status::Fail,
                h.subject.clone(),
                if after == 0 {
                    "batchHead is not the thisHash of any row in the export (rows edited, deleted or re-hashed?)".to_string()
                } else {
                    format!("batchHead is not the thisHash of any row after line {after} of {} (rows edited, deleted, reordered or re-hashed?)", self.file)
                },
            )
            .values(h.hash, "no such row");
            self.findings.push(c);
        }
        let unsealed = self.rows - self.last_sealed.map_or(0, |(_, n)| n);
        if unsealed > 0 {
            let msg = if self.heads.is_empty() {
                format!(
                    "{unsealed} rows checked, but no receipt seals them: supply the receipts to prove they were sealed"
                )
            } else if self.next_head < self.heads.len() {
                format!("{unsealed} rows after line {after} are not sealed by any receipt whose batchHead was found")
            } else {
                format!("{unsealed} rows after line {after} are not sealed by any receipt supplied (a later batch will seal them)")
            };
            let mut c = Check::new(ids::ROWS_UNSEALED, Status::Warn, file_subject.clone(), msg);
            c.actual = Some(format!("{unsealed} unsealed rows"));
            self.findings.push(c);
        }
        for (id, what) in [
            (ids::ROWS_HASH, "row hashes recomputed"),
            (ids::ROWS_LINK, "prevHash links checked"),
            (ids::ROWS_SEQ, "seq steps checked"),
            (ids::ROWS_CUSTOMER, "sealed heads matched to their customer"),
        ] {
            let n = self.checked.get(id).copied().unwrap_or(0);
            let failed = self.failed.get(id).copied().unwrap_or(0);
            if n > 0 && failed == 0 {
                self.findings.push(Check::new(
                    id,
                    Status::Pass,
                    file_subject.clone(),
                    format!("{n} {what}, all match"),
                ));
            }
        }
        let mut hidden: Vec<(&'static str, u64)> = self
            .failed
            .iter()
            .filter(|(_, n)| **n > MAX_DETAILS_PER_CHECK as u64)
            .map(|(id, n)| (*id, *n - MAX_DETAILS_PER_CHECK as u64))
            .collect();
        hidden.sort_unstable();
        for (id, n) in hidden {
            self.findings.push(
                Check::new(id, Status::Fail, file_subject.clone(), format!("{n} more {id} failures not listed"))
                    .values("no failures", format!("{n} more")),
            );
        }
        let tally = RowTally {
            rows: self.rows,
            sealed: self.last_sealed.map_or(0, |(_, n)| n),
            consumption: self.consumption.take(),
        };
        (self.findings, tally)
    }

    fn subject(&self, line: usize, pointer: Option<&str>) -> Subject {
        Subject {
            file: Some(self.file.clone()),
            index: None,
            line: Some(line),
            pointer: pointer.map(|p| format!("/{}", crate::json::pointer_token(p))),
        }
    }

    fn fail(&mut self, id: &'static str, subject: Subject, message: String, values: Option<(String, String)>) {
        let n = self.failed.entry(id).or_default();
        *n += 1;
        if *n <= MAX_DETAILS_PER_CHECK as u64 {
            let mut c = Check::new(id, Status::Fail, subject, message);
            if let Some((e, a)) = values {
                c = c.values(e, a);
            }
            self.findings.push(c);
        }
    }

    fn count(&mut self, id: &'static str) {
        *self.checked.entry(id).or_default() += 1;
    }

    fn take_line(&mut self, raw: &[u8]) {
        self.line += 1;
        let line = self.line;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        self.rows += 1;
        let obj = match crate::json::parse(raw) {
            Ok(Value::Object(o)) => o,
            Ok(other) => {
                self.broken = true;
                let t = crate::json::type_name(&other);
                self.fail(
                    ids::ROWS_PARSE,
                    self.subject(line, None),
                    "a row must be a JSON object".into(),
                    Some(("an object".into(), t.into())),
                );
                return;
            }
            Err(e) => {
                self.broken = true;
                self.fail(
                    ids::ROWS_PARSE,
                    self.subject(line, None),
                    e.to_string(),
                    Some(("strict JSON (SPEC.md §2)".into(), e.to_string())),
                );
                return;
            }
        };
        if let Some(w) = self.consumption.as_mut() {
            w.row(&obj, line, self.rows);
        }
        let base = self.subject(line, None);
        let mut r = FieldReader::new(&obj, &base, ids::ROWS_FIELDS);
        let seq = r.integer("seq");
        let customer = r.string("customerId").map(str::to_string);
        let prev_hash = r.hash("prevHash");
        let this_hash = r.hash("thisHash");
        let field_findings = r.findings;
        for f in field_findings {
            self.fail(ids::ROWS_FIELDS, f.subject, f.message, f.expected.zip(f.actual));
        }
        let computed = match canonical_without(&obj, &["thisHash"]) {
            Ok(bytes) => Some(Hash::sha256(&bytes)),
            Err(e) => {
                self.fail(
                    ids::ROWS_HASH,
                    self.subject(line, None),
                    e.to_string(),
                    Some(("RFC 8785 bytes".into(), e.to_string())),
                );
                None
            }
        };
        if let (Some(claimed), Some(computed)) = (this_hash, computed) {
            self.count(ids::ROWS_HASH);
            if claimed != computed {
                self.fail(
                    ids::ROWS_HASH,
                    self.subject(line, Some("thisHash")),
                    "thisHash is not SHA-256(JCS(row without thisHash)): the row was edited after it was hashed".into(),
                    Some((computed.to_string(), claimed.to_string())),
                );
            }
        }
        match (self.prev, self.broken) {
            (None, false) => {
                if let Some(p) = prev_hash {
                    let c = if p.is_genesis() {
                        Check::new(
                            ids::ROWS_GENESIS,
                            Status::Pass,
                            self.subject(line, Some("prevHash")),
                            "the export starts at genesis",
                        )
                    } else {
                        let mut c = Check::new(
                            ids::ROWS_GENESIS,
                            Status::Note,
                            self.subject(line, Some("prevHash")),
                            format!(
                                "the export starts mid-chain (first seq {}); earlier rows were not supplied",
                                seq.map_or("?".into(), |s| s.to_string())
                            ),
                        );
                        c.actual = Some(p.to_string());
                        c
                    };
                    self.findings.push(c);
                }
            }
            (Some(prev), false) => {
                if let (Some(expected), Some(actual)) = (prev.this_hash, prev_hash) {
                    self.count(ids::ROWS_LINK);
                    if expected != actual {
                        self.fail(
                            ids::ROWS_LINK,
                            self.subject(line, Some("prevHash")),
                            format!("prevHash does not equal the thisHash of the row on line {}: a row was deleted, inserted or reordered", prev.line),
                            Some((expected.to_string(), actual.to_string())),
                        );
                    }
                }
                if let (Some(p), Some(s)) = (prev.seq, seq) {
                    self.count(ids::ROWS_SEQ);
                    if p.checked_add(1) != Some(s) {
                        self.fail(
                            ids::ROWS_SEQ,
                            self.subject(line, Some("seq")),
                            format!("seq must be one more than on line {}", prev.line),
                            Some(((u128::from(p) + 1).to_string(), s.to_string())),
                        );
                    }
                }
            }
            (_, true) => {}
        }
        self.broken = false;
        if let Some(h) = computed {
            self.match_head(h, customer.as_deref(), line);
        }
        self.prev = Some(PrevRow { line, seq, this_hash: this_hash.or(computed) });
    }

    /// A row whose recomputed hash is a receipt's batchHead seals everything up to it.
    fn match_head(&mut self, h: Hash, customer: Option<&str>, line: usize) {
        let Some(indices) = self.head_lookup.get(&h).cloned() else { return };
        let Some(&first_ahead) = indices.iter().find(|i| **i >= self.next_head) else {
            if let Some(&k) = indices.first() {
                let subject = self.heads.get(k).map(|h| h.subject.clone()).unwrap_or_default();
                self.fail(
                    ids::ROWS_HEAD,
                    subject,
                    format!(
                        "the row sealed by this batchHead appears again, out of order, on line {line} of {}",
                        self.file
                    ),
                    Some(("each sealed head once, in chain order".into(), format!("again at line {line}"))),
                );
            }
            return;
        };
        for k in self.next_head..first_ahead {
            let Some(skipped) = self.heads.get(k).cloned() else { continue };
            self.fail(
                ids::ROWS_HEAD,
                skipped.subject,
                format!("batchHead was not found before line {line}, where a later receipt's head is (rows deleted, edited or reordered?)"),
                Some((skipped.hash.to_string(), "no such row before it".into())),
            );
        }
        let mut k = first_ahead;
        while let Some(head) = self.heads.get(k).filter(|hd| hd.hash == h).cloned() {
            let mut c = Check::new(
                ids::ROWS_HEAD,
                Status::Pass,
                head.subject.clone(),
                format!("batchHead is the thisHash of the row on line {line} of {}", self.file),
            );
            c.actual = Some(format!("line {line}"));
            self.findings.push(c);
            if let (Some(expected), Some(actual)) = (head.customer_id.as_deref(), customer) {
                self.count(ids::ROWS_CUSTOMER);
                if expected != actual {
                    self.fail(
                        ids::ROWS_CUSTOMER,
                        self.subject(line, Some("customerId")),
                        "the row this receipt seals belongs to another customer".into(),
                        Some((q(expected).to_string(), q(actual).to_string())),
                    );
                }
            }
            k += 1;
        }
        self.next_head = k;
        self.last_sealed = Some((line, self.rows));
    }
}
