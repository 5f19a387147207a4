//! Matching rows to the receipts' sealed heads (SPEC.md §8, items 2 and 3).
//!
//! Linear: the receipts sealing one hash are kept in chain order, and a row finds the
//! first one not yet passed by binary search. Many receipts sealing one head, and rows
//! repeating it, therefore cost `log(receipts)` per row, not `receipts` per row.

use std::collections::HashMap;

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

/// The receipts sharing one `batchHead`.
struct SameHead {
    /// Their positions in the chain, ascending.
    receipts: Vec<usize>,
    /// The line of the first row that sealed one of them.
    sealed_on: Option<usize>,
}

/// The receipts' heads in chain order, and where the walk through them stands.
pub(super) struct Heads {
    list: Vec<SealedHead>,
    by_hash: HashMap<Hash, SameHead>,
    /// The first receipt whose head has not been found yet.
    next: usize,
    /// Positions compared while looking heads up; tests bound it to show the work is
    /// linear.
    pub(super) steps: u64,
}

impl Heads {
    pub(super) fn new(list: Vec<SealedHead>) -> Self {
        let mut by_hash: HashMap<Hash, SameHead> = HashMap::new();
        for (i, h) in list.iter().enumerate() {
            by_hash
                .entry(h.hash)
                .or_insert_with(|| SameHead { receipts: Vec::new(), sealed_on: None })
                .receipts
                .push(i);
        }
        Heads { list, by_hash, next: 0, steps: 0 }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.list.is_empty()
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
                let subject = self.heads.list.get(receipt).map(|hd| hd.subject.clone()).unwrap_or_default();
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
        let pos = same.receipts.partition_point(|i| {
            *steps += 1;
            *i < *next
        });
        match same.receipts.get(pos) {
            Some(&first) => {
                same.sealed_on.get_or_insert(line);
                Found::Ahead { first }
            }
            None => {
                Found::Behind { receipt: same.receipts.first().copied().unwrap_or_default(), sealed_on: same.sealed_on }
            }
        }
    }

    /// Receipts from `next` to `first` (excluded) were skipped; `first` and the receipts
    /// right after it with the same head are sealed by this row.
    fn seal_through(&mut self, first: usize, h: Hash, customer: Option<&str>, line: usize, ordinal: u64) {
        for k in self.heads.next..first {
            self.heads.steps += 1;
            let Some(skipped) = self.heads.list.get(k) else { continue };
            let (subject, hash) = (skipped.subject.clone(), skipped.hash);
            let c = Check::new(
                ids::ROWS_HEAD,
                Status::Fail,
                subject,
                format!("batchHead was not found before line {line}, where a later receipt's head is (rows deleted, edited or reordered?)"),
            );
            self.fail_check(c.values(hash, "no such row before it"));
        }
        let mut k = first;
        while let Some(head) = self.heads.list.get(k).filter(|hd| hd.hash == h) {
            self.heads.steps += 1;
            let mut c = Check::new(
                ids::ROWS_HEAD,
                Status::Pass,
                head.subject.clone(),
                format!("batchHead is the thisHash of the row on line {line} of {}", self.file),
            );
            c.actual = Some(format!("line {line}"));
            let expected_customer = head.customer_id.clone();
            self.findings.push(c);
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

    /// Heads never found: capped and counted like every other `rows.*` failure.
    pub(super) fn report_heads_never_found(&mut self) {
        let after = self.last_sealed.map_or(0, |(line, _)| line);
        for k in self.heads.next..self.heads.list.len() {
            let Some(h) = self.heads.list.get(k) else { continue };
            let (subject, hash) = (h.subject.clone(), h.hash);
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
