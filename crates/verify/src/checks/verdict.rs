//! What a verdict rests on (v1.1, SPEC.md §8 and §12): `rows.sealed` and
//! `verdict.signature`. Hashes and hash chains can be computed by anyone; only a
//! signature under a supplied key ties them to the vendor.

use crate::ids;
use crate::report::{Check, Status, Subject};

/// `n` of an export's non-blank lines, `row_objects` of which (of all its lines) read as
/// rows: "rows" only when every line did (red team 8, 03: the nine lines of a PEM key
/// given as an export were "9 rows unproven").
pub(crate) fn export_lines(n: u64, lines: u64, row_objects: u64) -> String {
    if row_objects >= lines {
        format!("{n} rows")
    } else if row_objects == 0 {
        format!("{n} lines (none of the export's lines is a row)")
    } else {
        format!("{n} lines ({} of the export's {lines} lines are not rows)", lines - row_objects)
    }
}

/// `rows.sealed`: of `rows` non-blank lines read from the export at `file`
/// (`row_objects` of them rows), lines `1..=sealed` are sealed by the heads of `heads`
/// batch receipts. `None` when the export held no rows (`rows.parse` already says so).
pub(crate) fn rows_sealed(file: Subject, rows: u64, row_objects: u64, sealed: u64, heads: usize) -> Option<Check> {
    if rows == 0 {
        return None;
    }
    Some(if sealed == 0 {
        Check::new(
            ids::ROWS_SEALED,
            Status::Fail,
            file,
            format!("no batch receipt given seals any of the {}: their hash chain proves nothing by itself; supply the batch receipts whose batchHead is in this export", export_lines(rows, rows, row_objects)),
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
/// supplied key in good standing (v1.1): `counted` of them did; `not_counted` more
/// verified under keys that are revoked, outside their window or without the role.
pub(crate) fn verdict_signature(counted: usize, not_counted: usize) -> Check {
    let aside = if not_counted > 0 {
        format!(" ({not_counted} more verified under keys not in good standing — revoked, outside their validity window or without the role — and do not count)")
    } else {
        String::new()
    };
    if counted == 0 {
        Check::new(
            ids::VERDICT_SIGNATURE,
            Status::Fail,
            Subject::default(),
            format!("no signature verified under a supplied key in good standing, so nothing here is proven to come from the vendor{aside}"),
        )
        .values("at least one receipt or approval signature verified under a key in good standing", "none")
    } else {
        Check::new(
            ids::VERDICT_SIGNATURE,
            Status::Pass,
            Subject::default(),
            format!("{counted} signatures verified under supplied keys in good standing{aside}"),
        )
    }
}
