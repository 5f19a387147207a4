//! Receipt chains (SPEC.md, "Receipt chain").

use crate::findings::Findings;
use crate::hash::Hash;
use crate::ids;
use crate::receipt::BatchReceipt;
use crate::report::{Check, Status, Subject};
use crate::text::q;
use crate::timestamp::Timestamp;

/// Chain checks over batch receipts in the order given, one receipt at a time: only the
/// first receipt's customer and file and the previous receipt's `thisHash`, `signedAt`
/// and place are kept. Findings go into their own capped list, appended to the report
/// after the receipts' own checks: a chain of broken links is capped one finding at a
/// time, never held whole (a 60 MB input of broken links took 532 MB before, red team
/// 2026-12-03).
#[derive(Default)]
pub(crate) struct Chain {
    out: Findings,
    receipts: usize,
    /// The first receipt's `customerId` and file.
    first_customer: Option<String>,
    file: Option<String>,
    prev: Option<Previous>,
    links: Tally,
    orders: Tally,
    customers: Tally,
}

struct Previous {
    this_hash: Option<Hash>,
    signed_at: Option<Timestamp>,
    subject: Subject,
}

/// Comparisons made, and whether one failed.
#[derive(Default, Clone, Copy)]
struct Tally {
    made: usize,
    failed: bool,
}

impl Tally {
    fn compare(&mut self, failed: bool) -> bool {
        self.made += 1;
        self.failed |= failed;
        failed
    }
}

impl Chain {
    /// The next receipt of the chain.
    pub(crate) fn add(&mut self, b: &BatchReceipt) {
        self.receipts += 1;
        let Some(a) = self.prev.take() else {
            self.first(b);
            return;
        };
        if let (Some(expected), Some(actual)) = (a.this_hash, b.prev_hash) {
            if self.links.compare(expected != actual) {
                self.out.push(
                    Check::new(
                        ids::CHAIN_LINK,
                        Status::Fail,
                        b.subject.at("prevHash"),
                        format!(
                            "prevHash does not equal the thisHash of the receipt before it ({}): a receipt was removed, inserted or reordered",
                            a.subject.receipt_place()
                        ),
                    )
                    .values(expected, actual),
                );
            }
        }
        if let (Some(ta), Some(tb)) = (a.signed_at, b.signed_at) {
            if self.orders.compare(tb <= ta) {
                self.out.push(
                    Check::new(
                        ids::CHAIN_ORDER,
                        Status::Fail,
                        b.subject.at("signedAt"),
                        format!("signedAt must be later than the previous receipt's ({})", a.subject.receipt_place()),
                    )
                    .values(format!("> {ta}"), tb),
                );
            }
        }
        if let (Some(expected), Some(actual)) = (self.first_customer.as_deref(), b.customer_id.as_deref()) {
            if self.customers.compare(expected != actual) {
                let c = Check::new(
                    ids::CHAIN_CUSTOMER,
                    Status::Fail,
                    b.subject.at("customerId"),
                    "a chain holds one customer's receipts; this one names another customer",
                )
                .values(q(expected), q(actual));
                self.out.push(c);
            }
        }
        self.prev = Some(previous(b));
    }

    fn first(&mut self, first: &BatchReceipt) {
        if let Some(prev) = first.prev_hash {
            self.out.push(if prev.is_genesis() {
                Check::new(ids::CHAIN_GENESIS, Status::Pass, first.subject.at("prevHash"), "the chain starts at genesis")
            } else {
                let mut c = Check::new(
                    ids::CHAIN_GENESIS,
                    Status::Note,
                    first.subject.at("prevHash"),
                    "the chain starts mid-way: the first receipt's prevHash is not genesis, so earlier receipts were not supplied",
                );
                c.actual = Some(prev.to_string());
                c
            });
        }
        self.first_customer.clone_from(&first.customer_id);
        self.file.clone_from(&first.subject.file);
        self.prev = Some(previous(first));
    }

    /// The chain's findings, with one pass per kind of comparison that never failed.
    pub(crate) fn finish(mut self) -> Findings {
        let subject = Subject { file: self.file.take(), ..Subject::default() };
        for (id, t, what) in [
            (ids::CHAIN_LINK, self.links, "prevHash links"),
            (ids::CHAIN_ORDER, self.orders, "signedAt steps"),
            (ids::CHAIN_CUSTOMER, self.customers, "customerId comparisons"),
        ] {
            if t.made > 0 && !t.failed {
                self.out.push(Check::new(
                    id,
                    Status::Pass,
                    subject.clone(),
                    format!("{} {what} checked across {} receipts", t.made, self.receipts),
                ));
            }
        }
        self.out
    }
}

fn previous(r: &BatchReceipt) -> Previous {
    Previous { this_hash: r.this_hash, signed_at: r.signed_at, subject: r.subject.clone() }
}
