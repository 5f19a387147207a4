//! Audit-row exports checked against receipts (SPEC.md, "Rows against receipts").
//!
//! [`RowVerifier`] streams: feed bytes in any chunking with [`RowVerifier::push`] and
//! call [`RowVerifier::finish`]. It keeps only the current partial line, the previous
//! row's hash and seq, and a bounded number of detailed findings, so memory is bounded
//! by the longest line (itself capped at [`MAX_LINE_BYTES`]), not by the export, plus
//! the receipts' heads it was given.
//!
//! Per row: [`row`] checks the line itself, [`heads`] matches it to the sealed heads.

mod heads;
mod row;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use crate::checks::consumed::ConsumptionWatch;
use crate::classify::{misfiled_as_rows, Shape};
use crate::hash::Hash;
use crate::ids;
use crate::report::{Check, Status, Subject};

use heads::Heads;
pub use heads::SealedHead;

/// Longest row line accepted (SPEC.md §15); the name predates `limits`.
pub use crate::limits::MAX_ROW_LINE_BYTES as MAX_LINE_BYTES;
/// Detailed findings kept per check id; the rest are counted in one summary finding.
pub const MAX_DETAILS_PER_CHECK: usize = 50;

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
    heads: Heads,
    last_sealed: Option<(usize, u64)>,
    checked: HashMap<&'static str, u64>,
    failed: HashMap<&'static str, u64>,
    findings: Vec<Check>,
    /// Looks for the rows that record approvals' consumption (v1.1).
    consumption: Option<ConsumptionWatch>,
    /// What the lines are, counted as they stream by: a receipt file given as the row
    /// export is named as such (v1.1, the classifier `inspect` uses).
    shape: Shape,
    /// The first non-blank line is a lone `[` or `{`: a pretty-printed JSON document.
    opens_document: bool,
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
        RowVerifier {
            file: file.to_string(),
            buf: Vec::new(),
            skipping_long_line: false,
            line: 0,
            rows: 0,
            prev: None,
            broken: false,
            heads: Heads::new(heads),
            last_sealed: None,
            checked: HashMap::new(),
            failed: HashMap::new(),
            findings: Vec::new(),
            consumption: None,
            shape: Shape::default(),
            opens_document: false,
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
        if let Some(check) = misfiled_as_rows(&self.file, &self.shape, self.opens_document) {
            // Not a row export: one finding that says what it is, not one per line, and no
            // row count (its lines are not rows, so `rows.sealed` has nothing to count).
            let tally = RowTally { rows: 0, sealed: 0, consumption: self.consumption.take() };
            return (vec![check], tally);
        }
        self.report_heads_never_found();
        let after = self.last_sealed.map_or(0, |(line, _)| line);
        let unsealed = self.rows - self.last_sealed.map_or(0, |(_, n)| n);
        if unsealed > 0 {
            // (v1.1) Say how many rows prove nothing: no check uses an unsealed row as
            // evidence (`approval.consumed` counts only rows up to the last sealed head).
            let msg = if self.heads.is_empty() {
                format!(
                    "{unsealed} rows unproven: they were checked, but no receipt seals them; supply the receipts to prove they were sealed"
                )
            } else if self.heads.any_left() {
                format!(
                    "{unsealed} rows unproven: the rows after line {after} are not sealed by any receipt whose batchHead was found, and nothing in them counts as evidence"
                )
            } else {
                format!(
                    "{unsealed} rows unproven: the rows after line {after} are not sealed by any receipt supplied (a later batch will seal them), and nothing in them counts as evidence"
                )
            };
            let mut c = Check::new(ids::ROWS_UNSEALED, Status::Warn, file_subject.clone(), msg);
            c.actual = Some(format!("{unsealed} unsealed rows, unproven"));
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
}
