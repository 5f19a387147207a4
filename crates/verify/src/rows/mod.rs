//! Audit-row exports checked against receipts (SPEC.md, "Rows against receipts").
//!
//! An export is read as ranges of whole lines plus an ordered join, so it can be split
//! over threads or workers:
//! - [`lines`] splits bytes into lines, memory bounded by [`MAX_LINE_BYTES`];
//! - [`fast`] reads the common row in one pass, without a JSON value (the strict parser
//!   reads every other line);
//! - [`scan`] ([`RowRange`]) reads each line as a typed row and checks it on its own and
//!   against the row before it in the range, leaving what depends on earlier ranges as
//!   events ([`RangeSummary`]);
//! - [`join`] ([`RowJoin`]) takes the ranges in file order: it links each range's first
//!   row to the previous range's last, walks the sealed heads ([`heads`]), renumbers the
//!   lines and applies the caps. Any split gives the findings of one pass.
//!
//! [`RowVerifier`] is one stream through both: feed bytes in any chunking with
//! [`RowVerifier::push`], then [`RowVerifier::finish`]. It joins as it goes, so it holds
//! only the current partial line, a bounded number of detailed findings and the
//! receipts' heads, not the export.

mod batch_customers;
mod counts;
mod fast;
mod heads;
mod join;
mod lines;
mod scan;
#[cfg(test)]
mod tests;
mod wire;
mod wire_read;

use crate::checks::consumed::ConsumptionWatch;
use crate::report::Check;

pub(crate) use counts::Counts;
pub use fast::{agrees_with_strict, FastReading};
pub(crate) use heads::HeadBook;
pub use heads::SealedHead;
pub use join::RowJoin;
pub(crate) use join::RowTally;
pub use scan::{RangeSummary, RowRange};
pub use wire::{head_set_from_bytes, head_set_to_bytes};

/// Longest row line accepted (SPEC.md §15); the name predates `limits`.
pub use crate::limits::MAX_ROW_LINE_BYTES as MAX_LINE_BYTES;
/// Detailed findings kept per check id; the rest are counted in one summary finding.
pub const MAX_DETAILS_PER_CHECK: usize = 50;

/// Events a stream holds before it joins them: bounds the memory of one pass.
const JOIN_EVERY_EVENTS: usize = 4096;
/// Bytes of lines behind the events a stream holds before it joins them
/// ([`RowRange::pending_bytes`]): 4,096 `wave.consumed` rows of 1 MiB each would
/// otherwise be held at once, 4 GiB (red team 03).
const JOIN_EVERY_BYTES: usize = 4 << 20;

/// Streaming row-export verifier: one range, joined as it goes.
pub struct RowVerifier {
    join: RowJoin,
    range: RowRange,
}

impl RowVerifier {
    /// A verifier for the export named `file`, checked against `heads` in chain order.
    pub fn new(file: &str, heads: Vec<SealedHead>) -> Self {
        Self::with_book(file, Box::new(heads))
    }

    /// [`Self::new`], reading the heads through `book` (the engine's compact list).
    pub(crate) fn with_book(file: &str, book: Box<dyn heads::HeadBook>) -> Self {
        let join = RowJoin::with_book(file, book);
        let range = RowRange::new(file, true, join.head_set());
        RowVerifier { join, range }
    }

    /// Also look for the rows that record approvals' consumption.
    pub(crate) fn watch_consumption(&mut self, watch: ConsumptionWatch) {
        self.join.watch_consumption(watch);
    }

    /// Feed the next bytes of the export. Boundaries may fall anywhere, including inside
    /// a line or a UTF-8 sequence: lines are only read once their `\n` has arrived.
    pub fn push(&mut self, chunk: &[u8]) {
        self.range.push(chunk);
        if self.range.wants_hand_over() {
            self.join.add(self.range.take_summary());
        }
    }

    /// The receipts' heads, for ranges read elsewhere ([`RowRange::new`]).
    pub fn head_set(&self) -> std::sync::Arc<std::collections::HashSet<crate::hash::Hash>> {
        self.join.head_set()
    }

    /// Rows read so far (blank lines excluded), for progress.
    pub fn rows_read(&self) -> u64 {
        self.join.rows + self.range.rows_read()
    }

    /// Join a range read elsewhere (another thread or worker), after everything pushed so
    /// far. Bytes pushed must have ended with a whole line; ranges come in file order,
    /// the first made with `at_file_start` only if nothing was pushed.
    pub fn add_range(&mut self, range: RangeSummary) {
        self.join.add(self.range.take_summary());
        self.join.add(range);
        // What is pushed next follows the range (red team 15: a byte-order mark on it was
        // taken as the file's).
        self.range.not_at_file_start();
    }

    /// Finish: read a last line without `\n`, then report heads never found and
    /// unsealed rows. Returns every finding.
    pub fn finish(self) -> Vec<Check> {
        self.finish_with_tally().0
    }

    /// [`Self::finish`], with the counts and watch the engine needs.
    pub(crate) fn finish_with_tally(mut self) -> (Vec<Check>, RowTally) {
        self.join.add(self.range.finish());
        self.join.finish_with_tally()
    }

    /// Positions compared while walking the heads (tests bound it to show it is linear).
    #[cfg(test)]
    fn head_steps(&self) -> u64 {
        self.join.heads.steps
    }

    /// Events read but not joined yet (tests bound what a stream holds).
    #[cfg(test)]
    fn held_events(&self) -> usize {
        self.range.pending_events()
    }
}
