//! Receipt chains (SPEC.md, "Receipt chain").

use crate::findings::Findings;
use crate::ids;
use crate::receipt::BatchReceipt;
use crate::report::{Check, Status, Subject};
use crate::text::q;

/// Chain checks over batch receipts in the order given, into `out` as they are made: a
/// chain of broken links is capped there one finding at a time, never held whole (a 60 MB
/// input of broken links took 532 MB before, red team 2026-12-03).
pub(crate) fn check(receipts: &[BatchReceipt], out: &mut Findings) {
    let Some(first) = receipts.first() else {
        return;
    };
    if let Some(prev) = first.prev_hash {
        out.push(if prev.is_genesis() {
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
    let (mut links, mut orders, mut customers) = (0usize, 0usize, 0usize);
    let (mut link_failed, mut order_failed, mut customer_failed) = (false, false, false);
    let first_customer = first.customer_id.as_deref();
    for pair in receipts.windows(2) {
        let [a, b] = pair else { continue };
        if let (Some(expected), Some(actual)) = (a.this_hash, b.prev_hash) {
            links += 1;
            if expected != actual {
                link_failed = true;
                out.push(
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
            orders += 1;
            if tb <= ta {
                order_failed = true;
                out.push(
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
        if let (Some(expected), Some(actual)) = (first_customer, b.customer_id.as_deref()) {
            customers += 1;
            if expected != actual {
                customer_failed = true;
                out.push(
                    Check::new(
                        ids::CHAIN_CUSTOMER,
                        Status::Fail,
                        b.subject.at("customerId"),
                        "a chain holds one customer's receipts; this one names another customer",
                    )
                    .values(q(expected), q(actual)),
                );
            }
        }
    }
    let subject = Subject { file: first.subject.file.clone(), ..Subject::default() };
    for (id, n, failed, what) in [
        (ids::CHAIN_LINK, links, link_failed, "prevHash links"),
        (ids::CHAIN_ORDER, orders, order_failed, "signedAt steps"),
        (ids::CHAIN_CUSTOMER, customers, customer_failed, "customerId comparisons"),
    ] {
        if n > 0 && !failed {
            out.push(Check::new(
                id,
                Status::Pass,
                subject.clone(),
                format!("{n} {what} checked across {} receipts", receipts.len()),
            ));
        }
    }
}
