//! One answer to "what is this file", shared by [`crate::inspect`] and the engine
//! (SPEC.md §3, v1.1). The answer comes from the file's shape, counted over all of its
//! items, never from one object's members: a row export whose fifth row happens to
//! carry `kid` and `signature` is still a row export.

use serde_json::{Map, Value};

use crate::approval::WAVE_APPROVAL_TYPE;
use crate::ids;
use crate::input::{Item, Layout};
use crate::inspect::FileKind;
use crate::report::{Check, Status, Subject};
use crate::rows::MAX_DETAILS_PER_CHECK;

/// How the caller wants a receipt-file position read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FileRole {
    /// Decide by shape: a file shaped as a row export or a key file is refused with one
    /// `input.kind` finding that says what it is.
    #[default]
    Auto,
    /// Read every item as a receipt or approval, whatever the file looks like (for a
    /// caller that lets people choose a file's role).
    Receipts,
}

/// What one item looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ItemShape {
    Batch,
    Approval,
    Row,
    Other,
}

/// Whether an object has a row's shape (and no other).
pub(crate) fn is_row(o: &Map<String, Value>) -> bool {
    item_shape(o) == ItemShape::Row
}

fn item_shape(o: &Map<String, Value>) -> ItemShape {
    let has = |k: &str| o.contains_key(k);
    match o.get("type") {
        Some(Value::String(t)) if t == WAVE_APPROVAL_TYPE => return ItemShape::Approval,
        Some(Value::String(t)) if t == "batch" => return ItemShape::Batch,
        Some(_) => return ItemShape::Other,
        None => {}
    }
    if has("batchHead") {
        ItemShape::Batch
    } else if has("seq") && has("thisHash") {
        // A row: rows may carry any member, `kid` and `signature` included.
        ItemShape::Row
    } else if has("kid") && has("signature") {
        ItemShape::Batch
    } else {
        ItemShape::Other
    }
}

/// A JSON key file: one object whose top level is a JWK (`kty`), a JWKS (`keys`) or Key
/// Vault output (`key`), and that is not shaped as a receipt or row.
fn is_key_object(o: &Map<String, Value>) -> bool {
    (o.contains_key("kty") || o.contains_key("keys") || o.contains_key("key")) && item_shape(o) == ItemShape::Other
}

/// PEM or DER: a key file that is not JSON.
pub(crate) fn starts_like_pem_or_der(bytes: &[u8]) -> bool {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    let head = bytes.get(start..).unwrap_or_default();
    head.starts_with(b"-----BEGIN") || head.first() == Some(&0x30)
}

/// The counts behind a file's kind.
#[derive(Clone, Debug, Default)]
pub(crate) struct Shape {
    pub batch: usize,
    pub approvals: usize,
    pub rows: usize,
    /// Objects that are none of the above, and non-objects.
    pub other: usize,
    /// Items that are not strict JSON.
    pub unreadable: usize,
    /// The first of them, with its place.
    pub first_unreadable: Option<String>,
    /// The first batch receipt's `customerId`.
    pub customer: Option<String>,
    /// A single JSON object that is a key file.
    pub key_object: bool,
    /// Reading stopped at the file's value budget or item limit (SPEC.md §15): the counts are of the
    /// part before it, and the label says "at least" (red team 6: a 138 MB file was
    /// named "a row export of 432537 rows" when it held 555,128).
    pub cut_short: bool,
}

impl Shape {
    /// Add the counts of another part of the same file (the later part).
    pub(crate) fn merge(&mut self, later: &Shape) {
        self.batch += later.batch;
        self.approvals += later.approvals;
        self.rows += later.rows;
        self.other += later.other;
        self.unreadable += later.unreadable;
        if self.first_unreadable.is_none() {
            self.first_unreadable.clone_from(&later.first_unreadable);
        }
        if self.customer.is_none() {
            self.customer.clone_from(&later.customer);
        }
        self.key_object |= later.key_object;
        self.cut_short |= later.cut_short;
    }

    /// Count one more item.
    pub(crate) fn add(&mut self, layout: Layout, item: &Item) {
        match &item.value {
            Ok(Value::Object(o)) => {
                if layout == Layout::Single && is_key_object(o) {
                    self.key_object = true;
                }
                self.add_object(o);
            }
            Ok(_) => self.other += 1,
            Err(e) => {
                self.unreadable += 1;
                // Either limit stops the reading: the rest of the file is not counted.
                self.cut_short |= matches!(
                    e,
                    crate::error::JsonError::TooManyValues { .. } | crate::error::JsonError::TooManyReceipts { .. }
                );
                if self.first_unreadable.is_none() {
                    self.first_unreadable = Some(match item.subject.line {
                        Some(line) => format!("line {line}: {e}"),
                        None => e.to_string(),
                    });
                }
            }
        }
    }

    /// Count one more object (a row line reads its objects one at a time).
    pub(crate) fn add_object(&mut self, o: &Map<String, Value>) {
        match item_shape(o) {
            ItemShape::Approval => self.approvals += 1,
            ItemShape::Row => self.rows += 1,
            ItemShape::Other => self.other += 1,
            ItemShape::Batch => self.add_batch(o.get("customerId").and_then(Value::as_str)),
        }
    }

    /// Count one more batch receipt, whose `customerId` is `customer` if it is a string.
    pub(crate) fn add_batch(&mut self, customer: Option<&str>) {
        self.batch += 1;
        if self.customer.is_none() {
            self.customer = customer.map(str::to_string);
        }
    }

    /// "at least " before a count when reading stopped at the value budget.
    pub(crate) fn at_least(&self) -> &'static str {
        if self.cut_short {
            "at least "
        } else {
            ""
        }
    }

    /// What the file is, for people: "chain of 6 receipts (cust-0042)", "row export of
    /// 7 rows". `inspect` labels files with it and the engine names misfiled files by it.
    pub(crate) fn label(&self) -> String {
        let (batch, approvals, rows) = (self.batch, self.approvals, self.rows);
        let of = self.customer.as_ref().map(|c| format!(" ({c})")).unwrap_or_default();
        let least = self.at_least();
        match self.kind() {
            FileKind::RowExport => format!("row export of {least}{rows} rows"),
            FileKind::Receipt => format!("receipt{of}"),
            FileKind::ReceiptChain => format!("chain of {least}{batch} receipts{of}"),
            FileKind::Approvals => format!("{least}{approvals} wave approval{}", if approvals == 1 { "" } else { "s" }),
            FileKind::ReceiptsAndApprovals => format!("{least}{batch} receipts and {approvals} approvals{of}"),
            FileKind::Keys => "key file".into(),
            FileKind::Unknown => "not recognised".into(),
        }
    }

    /// Rows inside a file of receipts (v1.1): said the same way by `inspect` and by the
    /// engine, which skips them instead of failing each as a receipt.
    pub(crate) fn stray_rows(&self) -> Option<String> {
        let receipts = self.batch + self.approvals;
        (self.rows > 0 && receipts >= self.rows).then(|| {
            format!("{} item(s) are audit rows (seq, thisHash), not receipts: give rows as the row export", self.rows)
        })
    }

    /// The file's kind: a row export when rows outnumber receipts and approvals together,
    /// so a few stray members on some rows, or a few rows pasted into a receipt file,
    /// never flip the answer; otherwise by which receipts it holds.
    pub(crate) fn kind(&self) -> FileKind {
        let receipts = self.batch + self.approvals;
        if self.key_object {
            FileKind::Keys
        } else if self.rows > receipts {
            FileKind::RowExport
        } else if receipts == 0 {
            FileKind::Unknown
        } else if self.approvals == 0 {
            if self.batch == 1 {
                FileKind::Receipt
            } else {
                FileKind::ReceiptChain
            }
        } else if self.batch == 0 {
            FileKind::Approvals
        } else {
            FileKind::ReceiptsAndApprovals
        }
    }
}

/// Whether an item is shaped as an audit row.
pub(crate) fn is_row_item(item: &Item) -> bool {
    matches!(&item.value, Ok(Value::Object(o)) if item_shape(o) == ItemShape::Row)
}

/// For a file of receipts that also holds rows: one `input.kind` failure naming them;
/// the engine then skips the rows (v1.1).
pub(crate) fn stray_rows_in_receipts(file: &str, shape: &Shape) -> Option<Check> {
    let note = shape.stray_rows()?;
    let subject = Subject { file: Some(file.to_string()), ..Subject::default() };
    let message = format!("{} is a receipt file ({}), but {note}", crate::text::q(file), shape.label());
    Some(
        Check::new(ids::INPUT_KIND, Status::Fail, subject, message)
            .values("batch receipts or wave approvals only", format!("{}{} audit rows", shape.at_least(), shape.rows)),
    )
}

/// For a file given as the row export (v1.1): one `input.kind` failure when its lines are
/// mostly receipts or approvals, naming what the file is.
/// `opens_document`: the first line is a lone `[` or `{`, so a file without a single
/// readable row is one pretty-printed JSON document (a receipt or key file), not rows.
pub(crate) fn misfiled_as_rows(file: &str, shape: &Shape, opens_document: bool) -> Option<Check> {
    let kind = shape.kind();
    let subject = Subject { file: Some(file.to_string()), ..Subject::default() };
    if kind == FileKind::Unknown && opens_document && shape.rows == 0 {
        let message = format!(
            "{} was given as the row export, but it is one JSON document written over several lines (a receipt or key file), not JSON Lines: give receipts as a receipt file and keys as --key",
            crate::text::q(file)
        );
        return Some(
            Check::new(ids::INPUT_KIND, Status::Fail, subject, message)
                .values("a row export (JSON Lines)", "one JSON document over several lines"),
        );
    }
    if matches!(kind, FileKind::RowExport | FileKind::Unknown) {
        return None;
    }
    let label = shape.label();
    let message = format!(
        "{} was given as the row export, but it is not one ({label}): give it as a receipt file",
        crate::text::q(file)
    );
    Some(Check::new(ids::INPUT_KIND, Status::Fail, subject, message).values("a row export", label))
}

/// For a file given as receipts: one `input.kind` failure when its shape says it is
/// something else (a row export or a key file), instead of one failure per item.
/// `shape` counts the file's `items` items (see [`Shape::add`]).
pub(crate) fn misfiled_as_receipts(file: &str, shape: &Shape, items: usize) -> Option<Check> {
    let subject = Subject { file: Some(file.to_string()), ..Subject::default() };
    let name = crate::text::q(file);
    let (actual, message) = match shape.kind() {
        FileKind::RowExport => {
            let what = format!("a row export of {}{} rows", shape.at_least(), shape.rows);
            let message = format!("{name} is {what}, not receipts: give it as the row export, which is checked against the receipts' batch heads");
            (what, message)
        }
        FileKind::Keys => {
            ("a key file".to_string(), format!("{name} is a key file, not receipts: give it as a key file"))
        }
        // Many items and not one receipt: one finding, not one (or several) per item. Up to
        // the usual cap on detailed findings (SPEC.md §15), each item gets its own.
        FileKind::Unknown if items > MAX_DETAILS_PER_CHECK => {
            let what = format!("{}{items} items, none a receipt or approval", shape.at_least());
            let unreadable = match &shape.first_unreadable {
                Some(first) => format!("; {} are not strict JSON, first: {first}", shape.unreadable),
                None => String::new(),
            };
            let message = format!("{name} holds {what}{unreadable}: expected batch receipts (batchHead, kid, signature) or wave approvals");
            (what, message)
        }
        _ => return None,
    };
    Some(Check::new(ids::INPUT_KIND, Status::Fail, subject, message).values("batch receipts or wave approvals", actual))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::JsonError;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// Rows, then an item that is not strict JSON for the given reason.
    fn rows_then(e: JsonError) -> Shape {
        let mut shape = Shape::default();
        let row = serde_json::json!({"seq": 1, "thisHash": "x"});
        for _ in 0..3 {
            shape.add(Layout::Lines, &Item { subject: Subject::default(), value: Ok(row.clone()) });
        }
        shape.add(Layout::Lines, &Item { subject: Subject::default(), value: Err(e) });
        shape
    }

    /// Both limits that stop the reading (red team 6) make the counts "at least"; an item
    /// that is merely not JSON does not, since reading goes on past it.
    #[test]
    fn counts_say_at_least_after_either_limit_and_only_then() {
        let items = rows_then(JsonError::TooManyReceipts { limit: crate::limits::MAX_RECEIPTS });
        assert_eq!(items.label(), "row export of at least 3 rows");
        let values = rows_then(JsonError::TooManyValues { limit: 1, bytes: 16, per: 16, floor: 1 });
        assert_eq!(values.label(), "row export of at least 3 rows");
        let other = rows_then(JsonError::TooDeep { limit: 1 });
        assert_eq!(other.label(), "row export of 3 rows");
    }
}
