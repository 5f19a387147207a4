//! Receipt chains (SPEC.md, "Receipt chain").

use crate::ids;
use crate::receipt::BatchReceipt;
use crate::report::{Check, Status, Subject};
use crate::text::q;

/// Chain checks over batch receipts in the order given.
pub(crate) fn check(receipts: &[BatchReceipt]) -> Vec<Check> {
    let mut out = Vec::new();
    let Some(first) = receipts.first() else {
        return out;
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
    let first_customer = first.customer_id.as_deref();
    for pair in receipts.windows(2) {
        let [a, b] = pair else { continue };
        if let (Some(expected), Some(actual)) = (a.this_hash, b.prev_hash) {
            links += 1;
            if expected != actual {
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
    for (id, n, what) in [
        (ids::CHAIN_LINK, links, "prevHash links"),
        (ids::CHAIN_ORDER, orders, "signedAt steps"),
        (ids::CHAIN_CUSTOMER, customers, "customerId comparisons"),
    ] {
        if n > 0 && !out.iter().any(|c| c.id == id && c.status == Status::Fail) {
            out.push(Check::new(
                id,
                Status::Pass,
                subject.clone(),
                format!("{n} {what} checked across {} receipts", receipts.len()),
            ));
        }
    }
    out
}
