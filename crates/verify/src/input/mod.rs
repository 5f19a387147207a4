//! Splitting an input file into JSON documents: one receipt, a JSON array of receipts,
//! or JSON Lines (SPEC.md, "Files").

pub(crate) mod stream;

use serde_json::Value;

use crate::error::JsonError;
use crate::json;
use crate::limits::MAX_RECEIPTS;
use crate::report::Subject;

/// One JSON item found in a file, with its place.
#[derive(Clone, Debug)]
pub struct Item {
    /// Where the item is (file, index, line, pointer of the item itself).
    pub subject: Subject,
    /// The item, or why it is not strict JSON.
    pub value: Result<Value, JsonError>,
}

/// The layout of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// One JSON value.
    Single,
    /// A JSON array of values.
    Array,
    /// One JSON value per line.
    Lines,
}

/// Split `bytes` into items. A file that is one JSON document is `Single` (or `Array`
/// when it is an array); otherwise, if its first non-blank line is a complete JSON
/// document, it is read as JSON Lines and each line stands alone. At most
/// [`MAX_RECEIPTS`] items are read.
pub fn split(file: &str, bytes: &[u8]) -> (Layout, Vec<Item>) {
    split_capped(file, bytes, MAX_RECEIPTS)
}

/// How many items `bytes` holds, and the one at `index` (the first when `index` is
/// `None`): read one at a time and dropped, so a year of receipts is not held as values to
/// pick one (`receipt manifest` held 3.4 times the file's size).
pub fn pick(file: &str, bytes: &[u8], index: Option<usize>) -> (usize, Option<Item>) {
    let (want, mut count, mut picked) = (index.unwrap_or(0), 0, None);
    for_each_item(file, bytes, MAX_RECEIPTS, &mut |_, item| {
        if count == want {
            picked = Some(item);
        }
        count += 1;
    });
    (count, picked)
}

/// [`split`], reading at most `budget` items; past it, one last item carries
/// [`JsonError::TooManyReceipts`]. The engine passes what is left of `MAX_RECEIPTS`
/// after the earlier files.
pub(crate) fn split_capped(file: &str, bytes: &[u8], budget: usize) -> (Layout, Vec<Item>) {
    let (mut layout, mut items) = (Layout::Single, Vec::new());
    for_each_item(file, bytes, budget, &mut |l, item| {
        layout = l;
        items.push(item);
    });
    (layout, items)
}

/// The items of [`split_capped`], handed to `f` one at a time, so a caller that only
/// counts (`inspect`) never holds a JSON Lines file's items all at once.
pub(crate) fn for_each_item(file: &str, bytes: &[u8], budget: usize, f: &mut dyn FnMut(Layout, Item)) {
    let base = Subject { file: Some(file.to_string()), ..Subject::default() };
    match json::parse(bytes) {
        Ok(Value::Array(items)) => {
            let over = items.len() > budget;
            for (i, v) in items.into_iter().take(budget).enumerate() {
                let subject = Subject { index: Some(i), pointer: Some(format!("/{i}")), ..base.clone() };
                f(Layout::Array, Item { subject, value: Ok(v) });
            }
            if over {
                f(
                    Layout::Array,
                    too_many(Subject { index: Some(budget), pointer: Some(format!("/{budget}")), ..base }),
                );
            }
        }
        Ok(_) if budget == 0 => f(Layout::Single, too_many(Subject { index: Some(0), ..base })),
        Ok(v) => f(Layout::Single, Item { subject: Subject { index: Some(0), ..base }, value: Ok(v) }),
        Err(_) if is_json_lines(bytes) => each_line(bytes, &base, budget, &mut |item| f(Layout::Lines, item)),
        Err(err) => f(Layout::Single, Item { subject: base, value: Err(err) }),
    }
}

fn too_many(subject: Subject) -> Item {
    Item { subject, value: Err(JsonError::TooManyReceipts { limit: MAX_RECEIPTS }) }
}

/// UTF-8 of U+FEFF, the byte-order mark.
pub(crate) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Non-blank lines with their 0-based line numbers, `\r\n` ends trimmed.
fn non_blank_lines(bytes: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    bytes
        .split(|b| *b == b'\n')
        .map(|line| line.strip_suffix(b"\r").unwrap_or(line))
        .enumerate()
        .filter(|(_, line)| !crate::json::is_blank(line))
}

/// JSON Lines: the first non-blank line is a document on its own (a byte-order mark only
/// on the file's first line), and another non-blank line follows.
fn is_json_lines(bytes: &[u8]) -> bool {
    let mut lines = non_blank_lines(bytes);
    let (first, second) = (lines.next(), lines.next());
    // A file of one line is not JSON Lines: that line is the document that just failed,
    // so it is not parsed a second time (red team 17: a 64 MiB object refused at its
    // value budget took twice as long).
    let mut budget = json::ValueBudget::for_input(bytes.len());
    second.is_some() && first.is_some_and(|(n, line)| line_value(n, line, &mut budget).is_ok())
}

/// A byte-order mark is a file's, so only the first line may start with one.
fn line_value(n: usize, line: &[u8], budget: &mut json::ValueBudget) -> Result<Value, JsonError> {
    if n > 0 && line.starts_with(BOM) {
        Err(JsonError::MisplacedByteOrderMark { line: n + 1 })
    } else {
        json::parse_budgeted(line, json::NumberRule::Exact, budget)
    }
}

/// Every non-blank line as its own document, at most `budget` of them.
/// All lines share one value budget, the file's (SPEC.md §15).
fn each_line(bytes: &[u8], base: &Subject, budget: usize, f: &mut dyn FnMut(Item)) {
    let mut values = json::ValueBudget::for_input(bytes.len());
    for (count, (n, line)) in non_blank_lines(bytes).enumerate() {
        let subject = Subject { index: Some(count), line: Some(n + 1), ..base.clone() };
        if count == budget {
            f(too_many(subject));
            return;
        }
        let value = line_value(n, line, &mut values);
        let spent = matches!(value, Err(JsonError::TooManyValues { .. }));
        f(Item { subject, value });
        if spent {
            // The file's budget is spent: the rest is not read (one finding, not one per line).
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn detects_layouts() {
        assert_eq!(split("f", br#"{"a":1}"#).0, Layout::Single);
        assert_eq!(split("f", b"[{\"a\":1},{\"a\":2}]").1.len(), 2);
        let (layout, items) = split("f", b"{\"a\":1}\n\n{\"a\":2}\r\n{bad\n");
        assert_eq!(layout, Layout::Lines);
        assert_eq!(items.len(), 3);
        assert_eq!(items[2].subject.line, Some(4));
        assert!(items[2].value.is_err());
        let (_, items) = split("f", b"{\"a\":\n");
        assert!(matches!(items[0].value, Err(JsonError::Syntax { .. })));
    }

    #[test]
    fn a_byte_order_mark_only_at_the_start_of_the_file() {
        let (layout, items) = split("f", "\u{feff}{\"a\":1}\n{\"a\":2}\n".as_bytes());
        assert_eq!(layout, Layout::Lines);
        assert!(items.iter().all(|i| i.value.is_ok()));
        let (_, items) = split("f", "\u{feff}{\"a\":1}\n\u{feff}{\"a\":2}\n{\"a\":3}".as_bytes());
        assert_eq!(items.len(), 3);
        assert_eq!(items[1].value, Err(JsonError::MisplacedByteOrderMark { line: 2 }));
        assert!(items[0].value.is_ok() && items[2].value.is_ok());
        // A single document: one leading mark, never two.
        assert!(split("f", "\u{feff}[1]".as_bytes()).1.iter().all(|i| i.value.is_ok()));
        assert!(split("f", "\u{feff}\u{feff}[1]".as_bytes()).1[0].value.is_err());
    }

    #[test]
    fn stops_reading_at_the_receipt_budget() {
        let (_, items) = split_capped("f", b"{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n{\"a\":4}\n", 2);
        assert_eq!(items.len(), 3);
        assert!(items[0].value.is_ok() && items[1].value.is_ok());
        assert_eq!(items[2].value, Err(JsonError::TooManyReceipts { limit: MAX_RECEIPTS }));
        assert_eq!(items[2].subject.line, Some(3));
        let (_, items) = split_capped("f", b"[1,2,3]", 2);
        assert_eq!(items.len(), 3);
        assert_eq!(items[2].value, Err(JsonError::TooManyReceipts { limit: MAX_RECEIPTS }));
        let (_, items) = split_capped("f", b"{}", 0);
        assert_eq!(items[0].value, Err(JsonError::TooManyReceipts { limit: MAX_RECEIPTS }));
        // Within the budget nothing is cut.
        assert_eq!(split_capped("f", b"[1,2,3]", 3).1.len(), 3);
    }

    #[test]
    fn pick_counts_every_item_and_keeps_the_one_asked_for() {
        let lines = b"{\"a\":0}\n{\"a\":1}\n{\"a\":2}\n";
        let value = |item: Option<Item>| item.and_then(|i| i.value.ok()).map(|v| v["a"].clone());
        let (count, item) = pick("f", lines, Some(1));
        assert_eq!((count, value(item)), (3, Some(1.into())));
        assert_eq!(value(pick("f", lines, None).1), Some(0.into()), "no index: the first");
        let (count, item) = pick("f", lines, Some(3));
        assert_eq!((count, item.is_none()), (3, true), "past the end: none");
        let (count, item) = pick("f", b"[{\"a\":5},{\"a\":6}]", Some(1));
        assert_eq!((count, item.map(|i| i.subject.pointer)), (2, Some(Some("/1".to_string()))));
        // The same items, in the same places, as split gives.
        let (_, all) = split("f", lines);
        assert_eq!(pick("f", lines, Some(2)).1.map(|i| i.subject), all.get(2).map(|i| i.subject.clone()));
    }
}
