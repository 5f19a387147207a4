//! What a verdict rests on (v1.1, SPEC.md §8 and §12): `rows.sealed` and
//! `verdict.signature`. Hashes and hash chains can be computed by anyone; only a
//! signature under a supplied key ties them to the vendor.

use crate::ids;
use crate::report::{Check, Report, Status, Subject};

/// `rows.sealed`: of `rows` rows read from the export at `file`, rows `1..=sealed` are
/// sealed by the heads of `heads` batch receipts. `None` when the export held no rows
/// (`rows.parse` already says so).
pub(crate) fn rows_sealed(file: Subject, rows: u64, sealed: u64, heads: usize) -> Option<Check> {
    if rows == 0 {
        return None;
    }
    Some(if sealed == 0 {
        Check::new(
            ids::ROWS_SEALED,
            Status::Fail,
            file,
            format!("no batch receipt given seals any of the {rows} rows: their hash chain proves nothing by itself; supply the batch receipts whose batchHead is in this export"),
        )
        .values(
            "at least one row sealed by a batch receipt's batchHead",
            if heads == 0 {
                "no batch receipt with a batchHead was given".to_string()
            } else {
                format!("none of the {heads} batchHeads given is a row of the export")
            },
        )
    } else {
        Check::new(
            ids::ROWS_SEALED,
            Status::Pass,
            file,
            format!("rows 1–{sealed} of {rows} are sealed by batch receipts"),
        )
    })
}

/// `verdict.signature`: at least one receipt or approval signature verified under a
/// supplied key.
pub(crate) fn verdict_signature(checks: &[Check]) -> Check {
    let verified = checks.iter().filter(|c| Report::is_passed_signature(c)).count();
    if verified == 0 {
        Check::new(
            ids::VERDICT_SIGNATURE,
            Status::Fail,
            Subject::default(),
            "no signature verified under a supplied key, so nothing here is proven to come from the vendor",
        )
        .values("at least one receipt or approval signature verified", "none")
    } else {
        Check::new(
            ids::VERDICT_SIGNATURE,
            Status::Pass,
            Subject::default(),
            format!("{verified} signatures verified under supplied keys"),
        )
    }
}
