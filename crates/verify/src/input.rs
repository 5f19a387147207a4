//! Splitting an input file into JSON documents: one receipt, a JSON array of receipts,
//! or JSON Lines (SPEC.md, "Files").

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

/// [`split`], reading at most `budget` items; past it, one last item carries
/// [`JsonError::TooManyReceipts`]. The engine passes what is left of `MAX_RECEIPTS`
/// after the earlier files.
pub(crate) fn split_capped(file: &str, bytes: &[u8], budget: usize) -> (Layout, Vec<Item>) {
    let base = Subject { file: Some(file.to_string()), ..Subject::default() };
    let whole = json::parse(bytes);
    match whole {
        Ok(Value::Array(items)) => {
            let over = items.len() > budget;
            let mut items: Vec<Item> = items
                .into_iter()
                .take(budget)
                .enumerate()
                .map(|(i, v)| Item {
                    subject: Subject { index: Some(i), pointer: Some(format!("/{i}")), ..base.clone() },
                    value: Ok(v),
                })
                .collect();
            if over {
                items.push(too_many(Subject { index: Some(budget), pointer: Some(format!("/{budget}")), ..base }));
            }
            (Layout::Array, items)
        }
        Ok(_) if budget == 0 => (Layout::Single, vec![too_many(Subject { index: Some(0), ..base })]),
        Ok(v) => (Layout::Single, vec![Item { subject: Subject { index: Some(0), ..base }, value: Ok(v) }]),
        Err(err) => match lines(bytes, &base, budget) {
            Some(items) => (Layout::Lines, items),
            None => (Layout::Single, vec![Item { subject: base, value: Err(err) }]),
        },
    }
}

fn too_many(subject: Subject) -> Item {
    Item { subject, value: Err(JsonError::TooManyReceipts { limit: MAX_RECEIPTS }) }
}

/// UTF-8 of U+FEFF, the byte-order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Every non-blank line as its own document, if the first one parses on its own.
/// A byte-order mark is a file's, so only the first line may start with one.
fn lines(bytes: &[u8], base: &Subject, budget: usize) -> Option<Vec<Item>> {
    let mut items = Vec::new();
    for (n, line) in bytes.split(|b| *b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let subject = Subject { index: Some(items.len()), line: Some(n + 1), ..base.clone() };
        if items.len() == budget {
            items.push(too_many(subject));
            break;
        }
        let value = if n > 0 && line.starts_with(BOM) {
            Err(JsonError::MisplacedByteOrderMark { line: n + 1 })
        } else {
            json::parse(line)
        };
        if items.is_empty() && value.is_err() {
            return None;
        }
        items.push(Item { subject, value });
    }
    (items.len() > 1 || budget == 0).then_some(items)
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
}
