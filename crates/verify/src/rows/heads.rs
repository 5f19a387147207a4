//! Matching rows to the receipts' sealed heads (SPEC.md §8, items 2 and 3).
//!
//! Linear: the receipts sealing one hash are kept in chain order, and a row finds the
//! first one not yet passed by binary search. Many receipts sealing one head, and rows
//! repeating it, therefore cost `log(receipts)` per row, not `receipts` per row.

use std::collections::HashMap;
use std::sync::Arc;

use super::RowJoin;
use crate::hash::Hash;
use crate::ids;
use crate::report::{Check, Status, Subject};
use crate::text::q;

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

/// The receipts' heads in chain order, as the join reads them: by position. The engine's
/// own list is compact (a place rebuilt only for a finding), so a year of receipts is not
/// expanded into a full [`SealedHead`] each when a row export is read.
pub(crate) trait HeadBook: Send + Sync {
    /// How many heads.
    fn len(&self) -> usize;
    /// Head `k`'s hash.
    fn hash(&self, k: usize) -> Option<Hash>;
    /// Head `k`'s receipt's `customerId`.
    fn customer(&self, k: usize) -> Option<&str>;
    /// Where head `k` is (its receipt's `batchHead` member).
    fn subject(&self, k: usize) -> Subject;
}

impl HeadBook for Vec<SealedHead> {
    fn len(&self) -> usize {
        <[SealedHead]>::len(self)
    }
    fn hash(&self, k: usize) -> Option<Hash> {
        self.get(k).map(|h| h.hash)
    }
    fn customer(&self, k: usize) -> Option<&str> {
        self.get(k).and_then(|h| h.customer_id.as_deref())
    }
    fn subject(&self, k: usize) -> Subject {
        self.get(k).map(|h| h.subject.clone()).unwrap_or_default()
    }
}

impl<T: HeadBook> HeadBook for Arc<T> {
    fn len(&self) -> usize {
        T::len(self)
    }
    fn hash(&self, k: usize) -> Option<Hash> {
        T::hash(self, k)
    }
    fn customer(&self, k: usize) -> Option<&str> {
        T::customer(self, k)
    }
    fn subject(&self, k: usize) -> Subject {
        T::subject(self, k)
    }
}

/// Positions in the chain, ascending: most heads are sealed by one receipt, held without
/// a list of their own.
enum Positions {
    One([usize; 1]),
    Many(Vec<usize>),
}

impl Positions {
    fn as_slice(&self) -> &[usize] {
        match self {
            Positions::One(one) => one,
            Positions::Many(many) => many,
        }
    }

    fn push(&mut self, k: usize) {
        match self {
            Positions::One([first]) => *self = Positions::Many(vec![*first, k]),
            Positions::Many(many) => many.push(k),
        }
    }
}

/// The receipts sharing one `batchHead`.
struct SameHead {
    receipts: Positions,
    /// The line of the first row that sealed one of them.
    sealed_on: Option<usize>,
}

/// The receipts' heads in chain order, and where the walk through them stands.
pub(super) struct Heads {
    list: Box<dyn HeadBook>,
    by_hash: HashMap<Hash, SameHead>,
    /// The first receipt whose head has not been found yet.
    next: usize,
    /// Positions compared while looking heads up; tests bound it to show the work is
    /// linear.
    pub(super) steps: u64,
}

impl Heads {
    pub(super) fn new(list: Box<dyn HeadBook>) -> Self {
        let mut by_hash: HashMap<Hash, SameHead> = HashMap::with_capacity(list.len());
        for i in 0..list.len() {
            let Some(hash) = list.hash(i) else { continue };
            match by_hash.entry(hash) {
                std::collections::hash_map::Entry::Occupied(mut e) => e.get_mut().receipts.push(i),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(SameHead { receipts: Positions::One([i]), sealed_on: None });
                }
            }
        }
        Heads { list, by_hash, next: 0, steps: 0 }
    }

    /// Every head's hash, for the ranges' lookups.
    pub(super) fn hashes(&self) -> impl Iterator<Item = Hash> + '_ {
        self.by_hash.keys().copied()
    }

    pub(super) fn is_empty(&self) -> bool {
        self.list.len() == 0
    }

    /// Whether some receipt's head has not been found yet.
    pub(super) fn any_left(&self) -> bool {
        self.next < self.list.len()
    }
}

/// What one row's hash means for the heads.
enum Found {
    /// Not any receipt's head.
    Nothing,
    /// Every receipt with this head is already passed: the row is out of order, or a
    /// repeat of a row that sealed one (`sealed_on`).
    Behind { receipt: usize, sealed_on: Option<usize> },
    /// Receipt `first` (at or after `next`) and the consecutive ones with the same head.
    Ahead { first: usize },
}

impl RowJoin {
    /// A row whose recomputed hash is a receipt's batchHead seals everything up to it;
    /// `ordinal` counts the export's rows from 1.
    pub(super) fn match_head(&mut self, h: Hash, customer: Option<&str>, line: usize, ordinal: u64) {
        match self.find_head(h, line) {
            Found::Nothing => {}
            Found::Behind { receipt, sealed_on } => {
                let subject = self.heads.list.subject(receipt);
                let (message, actual) = match sealed_on {
                    Some(first) => (
                        format!(
                            "the row sealed by this batchHead (line {first}) appears again, out of order, on line {line} of {}",
                            self.file
                        ),
                        format!("again at line {line}"),
                    ),
                    None => (
                        format!(
                            "the row with this batchHead is on line {line} of {}, only after a later receipt's head (rows reordered?)",
                            self.file
                        ),
                        format!("first at line {line}, after a later head"),
                    ),
                };
                let c = Check::new(ids::ROWS_HEAD, Status::Fail, subject, message);
                self.fail_check(c.values("each sealed head once, in chain order", actual));
            }
            Found::Ahead { first } => self.seal_through(first, h, customer, line, ordinal),
        }
    }

    fn find_head(&mut self, h: Hash, line: usize) -> Found {
        let Heads { by_hash, next, steps, .. } = &mut self.heads;
        let Some(same) = by_hash.get_mut(&h) else { return Found::Nothing };
        let receipts = same.receipts.as_slice();
        let pos = receipts.partition_point(|i| {
            *steps += 1;
            *i < *next
        });
        match receipts.get(pos) {
            Some(&first) => {
                same.sealed_on.get_or_insert(line);
                Found::Ahead { first }
            }
            None => Found::Behind { receipt: receipts.first().copied().unwrap_or_default(), sealed_on: same.sealed_on },
        }
    }

    /// Receipts from `next` to `first` (excluded) were skipped; `first` and the receipts
    /// right after it with the same head are sealed by this row.
    fn seal_through(&mut self, first: usize, h: Hash, customer: Option<&str>, line: usize, ordinal: u64) {
        for k in self.heads.next..first {
            self.heads.steps += 1;
            let Some(hash) = self.heads.list.hash(k) else { continue };
            let subject = self.heads.list.subject(k);
            let c = Check::new(
                ids::ROWS_HEAD,
                Status::Fail,
                subject,
                format!("batchHead was not found before line {line}, where a later receipt's head is (rows deleted, edited or reordered?)"),
            );
            self.fail_check(c.values(hash, "no such row before it"));
        }
        self.batch_sealed(first, line);
        let mut k = first;
        while self.heads.list.hash(k) == Some(h) {
            self.heads.steps += 1;
            self.head_sealed(k, line);
            let expected_customer = self.heads.list.customer(k).map(str::to_string);
            if let (Some(expected), Some(actual)) = (expected_customer.as_deref(), customer) {
                self.count(ids::ROWS_CUSTOMER);
                if expected != actual {
                    let c = Check::new(
                        ids::ROWS_CUSTOMER,
                        Status::Fail,
                        self.subject(line, Some("customerId")),
                        "the row this receipt seals belongs to another customer",
                    );
                    self.fail_check(c.values(q(expected).to_string(), q(actual).to_string()));
                }
            }
            k += 1;
        }
        self.heads.next = k;
        self.last_sealed = Some((line, ordinal));
    }

    /// (v1.1, red team 8) Every row of the batch that receipt `k` seals with the row on
    /// `line` carries `k`'s customer; a mismatch on the head row itself is reported with
    /// the head, below.
    fn batch_sealed(&mut self, k: usize, line: usize) {
        let expected = self.heads.list.customer(k).map(str::to_string);
        let mismatch = self.batch_customers.seal(expected.as_deref());
        let (Some(expected), Some((actual, at))) = (expected, mismatch.filter(|(_, at)| *at != line)) else {
            return;
        };
        let batch = self
            .last_sealed
            .map_or("the rows from the export's start".to_string(), |(l, _)| format!("the rows after line {l}"));
        let c = Check::new(
            ids::ROWS_CUSTOMER,
            Status::Fail,
            self.subject(at, Some("customerId")),
            format!(
                "this row belongs to another customer, but it lies in the batch that the receipt of {} seals ({batch} up to its head on line {line}): a batch holds one customer's rows",
                q(&expected)
            ),
        );
        self.fail_check(c.values(q(&expected).to_string(), q(&actual).to_string()));
    }

    /// A `rows.head` pass for receipt `k`, sealed by the row on `line`. The report keeps
    /// the passes of an id as one entry, the first's with their count and the last one's
    /// place (SPEC.md §12), so they are counted so here too: one `Check` per receipt held
    /// until the export ends took about 230 bytes a receipt (red team 6: 1.5 million
    /// receipts sharing one head, 124 MB, and a one-row export: 405 MB, 57 MB without it).
    fn head_sealed(&mut self, k: usize, line: usize) {
        let subject = self.heads.list.subject(k);
        if let Some(first) = self.head_pass.and_then(|at| self.findings.get_mut(at)) {
            first.count = Some(first.weight().saturating_add(1));
            first.last = Some(Box::new(subject));
            return;
        }
        let mut c = Check::new(
            ids::ROWS_HEAD,
            Status::Pass,
            subject,
            format!("batchHead is the thisHash of the row on line {line} of {}", self.file),
        );
        c.actual = Some(format!("line {line}"));
        self.head_pass = Some(self.findings.len());
        self.findings.push(c);
    }

    /// Heads never found: capped and counted like every other `rows.*` failure.
    pub(super) fn report_heads_never_found(&mut self) {
        let after = self.last_sealed.map_or(0, |(line, _)| line);
        for k in self.heads.next..self.heads.list.len() {
            let Some(hash) = self.heads.list.hash(k) else { continue };
            let subject = self.heads.list.subject(k);
            let message = if after == 0 {
                "batchHead is not the thisHash of any row in the export (rows edited, deleted or re-hashed?)"
                    .to_string()
            } else {
                format!("batchHead is not the thisHash of any row after line {after} of {} (rows edited, deleted, reordered or re-hashed?)", self.file)
            };
            let c = Check::new(ids::ROWS_HEAD, Status::Fail, subject, message);
            self.fail_check(c.values(hash, "no such row"));
        }
    }
}
