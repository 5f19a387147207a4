//! One range of whole lines of a row export: each line read as a typed row, checked on
//! its own and against the row before it in the range. What depends on the rows before
//! the range (the first row's link, `seq` and genesis, the walk through the sealed heads,
//! line numbers, caps) is left to the join ([`super::join`]) as events, in line order,
//! with line numbers counted from the range's start.

use std::collections::HashSet;

use super::Counts;
use std::sync::Arc;

use serde_json::Value;

use super::fast::{self, Scratch};
use super::lines::{LineSplitter, Piece};
use super::{MAX_DETAILS_PER_CHECK, MAX_LINE_BYTES};
use crate::canonical::canonical_without;
use crate::checks::consumed::ConsumedRow;
use crate::classify::Shape;
use crate::fields::FieldReader;
use crate::hash::Hash;
use crate::ids;
use crate::report::{Check, Status, Subject};

/// The last readable row: what the next row links to.
#[derive(Clone, Copy, Debug)]
pub(super) struct PrevRow {
    pub line: usize,
    pub seq: Option<u64>,
    pub this_hash: Option<Hash>,
}

/// What the join needs from a range, in line order. Lines are the range's own (1-based).
#[derive(Debug)]
pub(super) enum Event {
    /// A failure of the row itself; its subject's line is the range's.
    Fail(Check),
    /// A byte-order mark opening a line after the file's first (`rows.parse`).
    MisplacedBom { line: usize },
    /// `prevHash` is not the previous row's `thisHash`.
    Link { line: usize, prev_line: usize, expected: Hash, actual: Hash },
    /// `seq` is not one more than the previous row's.
    Seq { line: usize, prev_line: usize, prev: u64, actual: u64 },
    /// The range's first row, with no unreadable row before it in the range: its genesis
    /// or link depends on the rows before the range.
    Lead { line: usize, seq: Option<u64>, prev_hash: Option<Hash> },
    /// A row whose recomputed hash is some receipt's `batchHead`; `row` counts the range's rows.
    Hit { line: usize, row: u64, hash: Hash, customer: Option<String> },
    /// A `wave.consumed` row.
    Consumed { line: usize, row: u64, fields: ConsumedRow },
    /// A row whose `customerId` is not the previous readable row's in the range (or the
    /// range's first such row, or the first after a `Hit`): the join checks every row of
    /// a sealed batch against its receipt's customer (SPEC.md §8.3) from these alone.
    Customer { line: usize, customer: String },
}

/// A finished range, ready to join.
#[derive(Debug)]
pub struct RangeSummary {
    pub(super) lines: usize,
    pub(super) rows: u64,
    pub(super) events: Vec<Event>,
    /// Failures of each id not kept as events (past [`MAX_DETAILS_PER_CHECK`] in the range).
    pub(super) dropped: Counts,
    /// Rows checked, per check id.
    pub(super) checked: Counts,
    /// The last readable row, and whether the range's last row was unreadable.
    pub(super) last: Option<PrevRow>,
    pub(super) ends_broken: bool,
    /// Its line 1 opened with a byte-order mark, taken as the file's (the range was made
    /// at the file's start): the join fails it if lines came before (red team 15).
    pub(super) bom_at_start: bool,
    pub(super) shape: Shape,
    /// Whether the range's first row is a lone `[` or `{`.
    pub(super) opens_document: Option<bool>,
}

impl RangeSummary {
    /// Rows in the range (blank lines excluded).
    pub fn rows(&self) -> u64 {
        self.rows
    }
}

/// Reads one range of whole lines. Start it at a line's first byte; every range but the
/// file's last must end with a `\n`.
pub struct RowRange {
    file: String,
    at_file_start: bool,
    heads: Arc<HashSet<Hash>>,
    splitter: LineSplitter,
    kept: Counts,
    scratch: Scratch,
    out: RangeSummary,
    /// What the uncapped events held may cost: a `Consumed` event counts its whole line,
    /// a `Hit` its customer id plus the event, so a stream can join before they add up
    /// ([`Self::pending_bytes`]).
    held_bytes: usize,
    /// The `customerId` of the rows since the last `Customer` event, if any.
    run_customer: Option<String>,
}

/// The fields of a read row that the checks use.
struct RowFields<'a> {
    seq: Option<u64>,
    customer: Option<&'a str>,
    prev_hash: Option<Hash>,
    this_hash: Option<Hash>,
    computed: Option<Hash>,
}

impl RowRange {
    /// A range of the export `file`; `at_file_start` when it begins at the file's first
    /// byte. `heads` are the receipts' `batchHead`s ([`super::RowJoin::head_set`]).
    pub fn new(file: &str, at_file_start: bool, heads: Arc<HashSet<Hash>>) -> Self {
        RowRange {
            file: file.to_string(),
            at_file_start,
            heads,
            splitter: LineSplitter::default(),
            kept: Counts::default(),
            scratch: Scratch::default(),
            out: empty_summary(),
            held_bytes: 0,
            run_customer: None,
        }
    }

    /// Feed the range's next bytes, in any chunking.
    pub fn push(&mut self, chunk: &[u8]) {
        let mut splitter = std::mem::take(&mut self.splitter);
        splitter.push(chunk, &mut |piece| self.take(piece));
        self.splitter = splitter;
    }

    /// Rows read since the last [`Self::take_summary`] (blank lines excluded).
    pub fn rows_read(&self) -> u64 {
        self.out.rows
    }

    /// Events held, not yet taken by [`Self::take_summary`].
    pub fn pending_events(&self) -> usize {
        self.out.events.len()
    }

    /// Whether the events held, by count or by the bytes they keep alive, are enough that
    /// they should be taken ([`Self::take_summary`]) and joined now: a reader that hands
    /// its summary over whenever this says so holds a bounded amount, whatever the range.
    pub fn wants_hand_over(&self) -> bool {
        self.pending_events() >= super::JOIN_EVERY_EVENTS || self.pending_bytes() >= super::JOIN_EVERY_BYTES
    }

    /// At most the bytes that the events held, not yet taken by [`Self::take_summary`],
    /// keep alive: `wave.consumed` rows and head hits hold strings of their line, which may
    /// be up to [`MAX_LINE_BYTES`] long each, so counting events alone does not bound memory.
    pub fn pending_bytes(&self) -> usize {
        self.held_bytes
    }

    /// The range so far, as if it ended here; the bytes of an unfinished line stay, and
    /// the rest of the stream continues as the next range. Lets one stream be joined in
    /// pieces, so the events held stay few.
    pub fn take_summary(&mut self) -> RangeSummary {
        // Only a line read so far is the file's first: taken before any, the next is.
        if self.out.lines > 0 {
            self.not_at_file_start();
        }
        self.kept.clear();
        self.held_bytes = 0;
        std::mem::replace(&mut self.out, empty_summary())
    }

    /// What comes next is not the file's start (another range was joined before it).
    pub(super) fn not_at_file_start(&mut self) {
        self.at_file_start = false;
    }

    /// Finish the range (its last line may lack `\n`).
    pub fn finish(mut self) -> RangeSummary {
        let mut splitter = std::mem::take(&mut self.splitter);
        splitter.finish(&mut |piece| self.take(piece));
        self.out
    }

    fn take(&mut self, piece: Piece<'_>) {
        self.out.lines += 1;
        let line = self.out.lines;
        match piece {
            Piece::TooLong => {
                self.new_row(false);
                self.out.ends_broken = true;
                self.fail(
                    Check::new(
                        ids::ROWS_PARSE,
                        Status::Fail,
                        self.subject(line, None),
                        format!("line is longer than {MAX_LINE_BYTES} bytes; it was not read"),
                    )
                    .values(format!("at most {MAX_LINE_BYTES} bytes"), "longer"),
                );
            }
            Piece::Line(raw) => self.take_line(raw, line),
        }
    }

    /// Count a row; the range's first row says whether the file is one JSON document.
    fn new_row(&mut self, opens_document: bool) {
        self.out.rows += 1;
        self.out.opens_document.get_or_insert(opens_document);
    }

    fn take_line(&mut self, raw: &[u8], line: usize) {
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if crate::json::is_blank(raw) {
            return;
        }
        self.new_row(matches!(raw.trim_ascii(), b"[" | b"{"));
        // A byte-order mark may open the file, never a later line (SPEC.md §2).
        let first_line_of_file = self.at_file_start && line == 1;
        if raw.starts_with("\u{feff}".as_bytes()) {
            if first_line_of_file {
                self.out.bom_at_start = true;
            } else {
                self.out.ends_broken = true;
                self.event(ids::ROWS_PARSE, Event::MisplacedBom { line });
                return;
            }
        }
        match fast::read_row(raw, &mut self.scratch) {
            Some(row) => {
                self.out.shape.rows += 1;
                let fields = RowFields {
                    seq: Some(row.seq),
                    customer: Some(row.customer),
                    prev_hash: Some(row.prev_hash),
                    this_hash: Some(row.this_hash),
                    computed: Some(row.computed),
                };
                self.check_row(line, fields);
            }
            None => self.take_strict(raw, line),
        }
    }

    /// A line the fast reader declined: read by the strict parser, every finding named.
    fn take_strict(&mut self, raw: &[u8], line: usize) {
        let obj = match crate::json::parse_row_line(raw) {
            Ok(Value::Object(o)) => o,
            Ok(other) => {
                self.out.shape.other += 1;
                self.out.ends_broken = true;
                let t = crate::json::type_name(&other);
                let c =
                    Check::new(ids::ROWS_PARSE, Status::Fail, self.subject(line, None), "a row must be a JSON object");
                self.fail(c.values("an object", t));
                return;
            }
            Err(e) => {
                self.out.ends_broken = true;
                let c = Check::new(ids::ROWS_PARSE, Status::Fail, self.subject(line, None), e.to_string());
                self.fail(c.values("strict JSON (SPEC.md §2)", e.to_string()));
                return;
            }
        };
        self.out.shape.add_object(&obj);
        let row = self.out.rows;
        if let Some(fields) = ConsumedRow::of(&obj) {
            self.held_bytes = self.held_bytes.saturating_add(raw.len());
            self.out.events.push(Event::Consumed { line, row, fields });
        }
        let base = self.subject(line, None);
        let mut r = FieldReader::new(&obj, &base, ids::ROWS_FIELDS);
        let seq = r.integer("seq");
        let customer = r.string("customerId");
        let prev_hash = r.hash("prevHash");
        let this_hash = r.hash("thisHash");
        let field_findings = std::mem::take(&mut r.findings);
        for f in field_findings {
            let mut c = Check::new(ids::ROWS_FIELDS, Status::Fail, f.subject, f.message);
            if let (Some(e), Some(a)) = (f.expected, f.actual) {
                c = c.values(e, a);
            }
            self.fail(c);
        }
        let computed = match canonical_without(&obj, &["thisHash"]) {
            Ok(bytes) => Some(Hash::sha256(&bytes)),
            Err(e) => {
                let c = Check::new(ids::ROWS_HASH, Status::Fail, self.subject(line, None), e.to_string());
                self.fail(c.values("RFC 8785 bytes", e.to_string()));
                None
            }
        };
        self.check_row(line, RowFields { seq, customer, prev_hash, this_hash, computed });
    }

    /// The checks of a read row: its hash, and its link and `seq` against the row before it.
    fn check_row(&mut self, line: usize, row: RowFields<'_>) {
        let RowFields { seq, customer, prev_hash, this_hash, computed } = row;
        if let (Some(claimed), Some(computed)) = (this_hash, computed) {
            self.count(ids::ROWS_HASH);
            if claimed != computed {
                let c = Check::new(
                    ids::ROWS_HASH,
                    Status::Fail,
                    self.subject(line, Some("thisHash")),
                    "thisHash is not SHA-256(JCS(row without thisHash)): the row was edited after it was hashed",
                );
                self.fail(c.values(computed, claimed));
            }
        }
        match (self.out.last, self.out.ends_broken) {
            // Nothing unreadable before it in the range: the join knows what precedes it.
            (None, false) => self.out.events.push(Event::Lead { line, seq, prev_hash }),
            (Some(prev), false) => {
                if let (Some(expected), Some(actual)) = (prev.this_hash, prev_hash) {
                    self.count(ids::ROWS_LINK);
                    if expected != actual {
                        self.event(ids::ROWS_LINK, Event::Link { line, prev_line: prev.line, expected, actual });
                    }
                }
                if let (Some(p), Some(s)) = (prev.seq, seq) {
                    self.count(ids::ROWS_SEQ);
                    if p.checked_add(1) != Some(s) {
                        self.event(ids::ROWS_SEQ, Event::Seq { line, prev_line: prev.line, prev: p, actual: s });
                    }
                }
            }
            // The row before it could not be read: its link cannot be checked.
            (_, true) => {}
        }
        self.out.ends_broken = false;
        if let Some(c) = customer.filter(|c| self.run_customer.as_deref() != Some(*c)) {
            self.held_bytes = self.held_bytes.saturating_add(c.len() + std::mem::size_of::<Event>());
            self.run_customer = Some(c.to_string());
            self.out.events.push(Event::Customer { line, customer: c.to_string() });
        }
        if let Some(hash) = computed.filter(|h| self.heads.contains(h)) {
            // What the event holds: its customer id, plus the event itself.
            let held = customer.map_or(0, str::len) + std::mem::size_of::<Event>();
            self.held_bytes = self.held_bytes.saturating_add(held);
            let customer = customer.map(str::to_string);
            self.out.events.push(Event::Hit { line, row: self.out.rows, hash, customer });
            // The next row may open a batch: the join learns its customer from an event.
            self.run_customer = None;
        }
        self.out.last = Some(PrevRow { line, seq, this_hash: this_hash.or(computed) });
    }

    fn subject(&self, line: usize, pointer: Option<&str>) -> Subject {
        Subject {
            file: Some(self.file.clone()),
            index: None,
            line: Some(line),
            pointer: pointer.map(|p| format!("/{}", crate::json::pointer_token(p))),
        }
    }

    fn fail(&mut self, check: Check) {
        let id = check.id;
        self.event(id, Event::Fail(check));
    }

    /// Keep a failure event, unless [`MAX_DETAILS_PER_CHECK`] of its id are kept already:
    /// then it could never be listed (as many come before it), so it is only counted.
    fn event(&mut self, id: &'static str, event: Event) {
        if self.kept.get(id) < MAX_DETAILS_PER_CHECK as u64 {
            self.kept.add(id, 1);
            self.out.events.push(event);
        } else {
            self.out.dropped.add(id, 1);
        }
    }

    fn count(&mut self, id: &'static str) {
        self.out.checked.add(id, 1);
    }
}

fn empty_summary() -> RangeSummary {
    RangeSummary {
        lines: 0,
        rows: 0,
        events: Vec::new(),
        dropped: Counts::default(),
        checked: Counts::default(),
        last: None,
        ends_broken: false,
        bom_at_start: false,
        shape: Shape::default(),
        opens_document: None,
    }
}
