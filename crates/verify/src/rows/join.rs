//! The ordered join of a row export's ranges: renumbers their lines, checks the link
//! between the last row of one range and the first of the next, walks the sealed heads
//! in chain order, applies the caps, and finishes the export (SPEC.md §8). Ranges joined
//! in file order give exactly the findings of one pass over the whole stream, however
//! the export was split (`tests/rows_split.rs`).

use std::collections::HashSet;
use std::sync::Arc;

use super::batch_customers::BatchCustomers;
use super::heads::{HeadBook, Heads};
use super::scan::{Event, PrevRow, RangeSummary};
use super::{SealedHead, MAX_DETAILS_PER_CHECK};
use crate::checks::consumed::ConsumptionWatch;
use crate::checks::verdict::export_lines;
use crate::classify::{misfiled_as_rows, Shape};
use crate::error::JsonError;
use crate::hash::Hash;
use crate::ids;
use crate::report::{Check, Status, Subject};

/// What the engine needs from a finished export besides its findings.
pub(crate) struct RowTally {
    /// Rows read (blank lines excluded; unreadable lines included).
    pub rows: u64,
    /// Of them, the lines that read as row objects.
    pub row_objects: u64,
    /// Rows `1..=sealed` are sealed by a receipt's head.
    pub sealed: u64,
    pub consumption: Option<ConsumptionWatch>,
}

/// Joins the ranges of one row export, in file order.
pub struct RowJoin {
    pub(super) file: String,
    pub(super) heads: Heads,
    head_set: Arc<HashSet<Hash>>,
    /// Lines and rows of the ranges joined so far.
    lines: usize,
    pub(super) rows: u64,
    prev: Option<PrevRow>,
    /// The last row so far could not be read, so the next link cannot be checked.
    broken: bool,
    pub(super) last_sealed: Option<(usize, u64)>,
    checked: super::Counts,
    failed: super::Counts,
    pub(super) findings: Vec<Check>,
    /// Where in `findings` the `rows.head` passes are counted (see `RowJoin::head_sealed`).
    pub(super) head_pass: Option<usize>,
    consumption: Option<ConsumptionWatch>,
    /// The customers of the rows since the last sealed head.
    pub(super) batch_customers: BatchCustomers,
    shape: Shape,
    opens_document: Option<bool>,
}

impl RowJoin {
    /// A join for the export named `file`, checked against `heads` in chain order.
    pub fn new(file: &str, heads: Vec<SealedHead>) -> Self {
        Self::with_book(file, Box::new(heads))
    }

    /// [`Self::new`], reading the heads through `book` (the engine's compact list).
    pub(crate) fn with_book(file: &str, book: Box<dyn HeadBook>) -> Self {
        let heads = Heads::new(book);
        let head_set = Arc::new(heads.hashes().collect());
        RowJoin {
            file: file.to_string(),
            heads,
            head_set,
            lines: 0,
            rows: 0,
            prev: None,
            broken: false,
            last_sealed: None,
            checked: super::Counts::default(),
            failed: super::Counts::default(),
            findings: Vec::new(),
            head_pass: None,
            consumption: None,
            batch_customers: BatchCustomers::default(),
            shape: Shape::default(),
            opens_document: None,
        }
    }

    /// The receipts' heads, for the ranges ([`super::RowRange::new`]).
    pub fn head_set(&self) -> Arc<HashSet<Hash>> {
        Arc::clone(&self.head_set)
    }

    /// Also look for the rows that record approvals' consumption.
    pub(crate) fn watch_consumption(&mut self, watch: ConsumptionWatch) {
        self.consumption = Some(watch);
    }

    /// Join the next range, in file order.
    pub fn add(&mut self, range: RangeSummary) {
        let (line0, row0) = (self.lines, self.rows);
        // A range made as the file's start, joined after other lines (red team 15: its
        // line 1's byte-order mark was taken; one pass fails it).
        if range.bom_at_start && line0 > 0 {
            self.event(Event::MisplacedBom { line: 1 }, line0, row0);
        }
        for event in range.events {
            self.event(event, line0, row0);
        }
        for (id, n) in range.dropped.iter() {
            self.failed.add(id, n);
        }
        for (id, n) in range.checked.iter() {
            self.checked.add(id, n);
        }
        if range.rows > 0 {
            self.opens_document.get_or_insert(range.opens_document.unwrap_or(false));
            if let Some(last) = range.last {
                self.prev = Some(PrevRow { line: last.line + line0, ..last });
            }
            self.broken = range.ends_broken;
        }
        self.shape.merge(&range.shape);
        self.lines += range.lines;
        self.rows += range.rows;
    }

    fn event(&mut self, event: Event, line0: usize, row0: u64) {
        match event {
            Event::Fail(mut c) => {
                c.subject.line = c.subject.line.map(|l| l + line0);
                self.fail_check(c);
            }
            Event::MisplacedBom { line } => {
                let e = JsonError::MisplacedByteOrderMark { line: line + line0 };
                let c = Check::new(ids::ROWS_PARSE, Status::Fail, self.subject(line + line0, None), e.to_string());
                self.fail_check(c.values("strict JSON (SPEC.md §2)", e.to_string()));
            }
            Event::Link { line, prev_line, expected, actual } => {
                self.link_failed(line + line0, prev_line + line0, expected, actual)
            }
            Event::Seq { line, prev_line, prev, actual } => {
                self.seq_failed(line + line0, prev_line + line0, prev, actual)
            }
            Event::Lead { line, seq, prev_hash } => self.lead(line + line0, seq, prev_hash),
            Event::Hit { line, row, hash, customer } => {
                self.match_head(hash, customer.as_deref(), line + line0, row + row0)
            }
            Event::Consumed { line, row, fields } => {
                if let Some(w) = self.consumption.as_mut() {
                    w.row(&fields, line + line0, row + row0);
                }
            }
            Event::Customer { line, customer } => self.batch_customers.row(line + line0, customer),
        }
    }

    /// A range's first row, as one pass would have checked it: against the last row
    /// before the range, or as the export's start.
    fn lead(&mut self, line: usize, seq: Option<u64>, prev_hash: Option<Hash>) {
        match (self.prev, self.broken) {
            (None, false) => {
                if let Some(p) = prev_hash {
                    let at = self.subject(line, Some("prevHash"));
                    let c = if p.is_genesis() {
                        Check::new(ids::ROWS_GENESIS, Status::Pass, at, "the export starts at genesis")
                    } else {
                        let mut c = Check::new(
                            ids::ROWS_GENESIS,
                            Status::Note,
                            at,
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
                        self.link_failed(line, prev.line, expected, actual);
                    }
                }
                if let (Some(p), Some(s)) = (prev.seq, seq) {
                    self.count(ids::ROWS_SEQ);
                    if p.checked_add(1) != Some(s) {
                        self.seq_failed(line, prev.line, p, s);
                    }
                }
            }
            (_, true) => {}
        }
    }

    fn link_failed(&mut self, line: usize, prev_line: usize, expected: Hash, actual: Hash) {
        let c = Check::new(
            ids::ROWS_LINK,
            Status::Fail,
            self.subject(line, Some("prevHash")),
            format!("prevHash does not equal the thisHash of the row on line {prev_line}: a row was deleted, inserted or reordered"),
        );
        self.fail_check(c.values(expected, actual));
    }

    fn seq_failed(&mut self, line: usize, prev_line: usize, prev: u64, actual: u64) {
        let c = Check::new(
            ids::ROWS_SEQ,
            Status::Fail,
            self.subject(line, Some("seq")),
            format!("seq must be one more than on line {prev_line}"),
        );
        self.fail_check(c.values((u128::from(prev) + 1).to_string(), actual.to_string()));
    }

    /// Finish: report heads never found and unsealed rows. Returns every finding.
    pub fn finish(self) -> Vec<Check> {
        self.finish_with_tally().0
    }

    /// [`Self::finish`], with the counts and watch the engine needs.
    pub(crate) fn finish_with_tally(mut self) -> (Vec<Check>, RowTally) {
        let file_subject = Subject { file: Some(self.file.clone()), ..Subject::default() };
        if self.rows == 0 {
            let c = Check::new(ids::ROWS_PARSE, Status::Fail, file_subject.clone(), "the row export holds no rows");
            self.fail_check(c.values("at least one row", "no rows"));
        }
        if let Some(check) = misfiled_as_rows(&self.file, &self.shape, self.opens_document.unwrap_or(false)) {
            // Not a row export: one finding that says what it is, not one per line, and no
            // row count (its lines are not rows, so `rows.sealed` has nothing to count).
            let tally = RowTally { rows: 0, row_objects: 0, sealed: 0, consumption: self.consumption.take() };
            return (vec![check], tally);
        }
        self.report_heads_never_found();
        self.report_unsealed(&file_subject);
        for (id, what) in [
            (ids::ROWS_HASH, "row hashes recomputed"),
            (ids::ROWS_LINK, "prevHash links checked"),
            (ids::ROWS_SEQ, "seq steps checked"),
            (ids::ROWS_CUSTOMER, "sealed batches checked for their receipt's customerId"),
        ] {
            let n = self.checked.get(id);
            let failed = self.failed.get(id);
            if n > 0 && failed == 0 {
                self.findings.push(Check::new(
                    id,
                    Status::Pass,
                    file_subject.clone(),
                    format!("{n} {what}, all match"),
                ));
            }
        }
        // In id order (`Counts` keeps it).
        let hidden: Vec<(&'static str, u64)> = self
            .failed
            .iter()
            .filter(|(_, n)| *n > MAX_DETAILS_PER_CHECK as u64)
            .map(|(id, n)| (id, n - MAX_DETAILS_PER_CHECK as u64))
            .collect();
        for (id, n) in hidden {
            self.findings.push(
                Check::new(id, Status::Fail, file_subject.clone(), format!("{n} more {id} failures not listed"))
                    .values("no failures", format!("{n} more")),
            );
        }
        let tally = RowTally {
            rows: self.rows,
            row_objects: self.shape.rows as u64,
            sealed: self.last_sealed.map_or(0, |(_, n)| n),
            consumption: self.consumption.take(),
        };
        (self.findings, tally)
    }

    /// (v1.1) Say how many rows prove nothing: no check uses an unsealed row as evidence
    /// (`approval.consumed` counts only rows up to the last sealed head).
    fn report_unsealed(&mut self, file_subject: &Subject) {
        let after = self.last_sealed.map_or(0, |(line, _)| line);
        let unsealed = self.rows - self.last_sealed.map_or(0, |(_, n)| n);
        if unsealed == 0 {
            return;
        }
        let counted = export_lines(unsealed, self.rows, self.shape.rows as u64);
        let msg = if self.heads.is_empty() {
            format!(
                "{counted} unproven: they were checked, but no receipt seals them; supply the receipts to prove they were sealed"
            )
        } else if self.last_sealed.is_none() {
            // No head was found: there is no sealed line to count from (it read "after line 0").
            format!(
                "{counted} unproven: no receipt's batchHead is any of them, so none is sealed, and nothing in them counts as evidence"
            )
        } else if self.heads.any_left() {
            format!(
                "{counted} unproven: the rows after line {after} are not sealed by any receipt whose batchHead was found, and nothing in them counts as evidence"
            )
        } else {
            format!(
                "{counted} unproven: the rows after line {after} are not sealed by any receipt supplied (a later batch will seal them), and nothing in them counts as evidence"
            )
        };
        let mut c = Check::new(ids::ROWS_UNSEALED, Status::Warn, file_subject.clone(), msg);
        c.actual = Some(format!("{counted} unsealed, unproven"));
        self.findings.push(c);
    }

    pub(super) fn subject(&self, line: usize, pointer: Option<&str>) -> Subject {
        Subject {
            file: Some(self.file.clone()),
            index: None,
            line: Some(line),
            pointer: pointer.map(|p| format!("/{}", crate::json::pointer_token(p))),
        }
    }

    /// Count a failure; list it while fewer than [`MAX_DETAILS_PER_CHECK`] of its id are.
    pub(super) fn fail_check(&mut self, check: Check) {
        if self.failed.add(check.id, 1) <= MAX_DETAILS_PER_CHECK as u64 {
            self.findings.push(check);
        }
    }

    pub(super) fn count(&mut self, id: &'static str) {
        self.checked.add(id, 1);
    }
}
