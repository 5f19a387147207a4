//! Splitting an input file into JSON documents: one receipt, a JSON array of receipts,
//! or JSON Lines (SPEC.md, "Files").

use serde_json::Value;

use crate::error::JsonError;
use crate::json;
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
/// document, it is read as JSON Lines and each line stands alone.
pub fn split(file: &str, bytes: &[u8]) -> (Layout, Vec<Item>) {
    let base = Subject { file: Some(file.to_string()), ..Subject::default() };
    let whole = json::parse(bytes);
    match whole {
        Ok(Value::Array(items)) => {
            let items = items
                .into_iter()
                .enumerate()
                .map(|(i, v)| Item {
                    subject: Subject { index: Some(i), pointer: Some(format!("/{i}")), ..base.clone() },
                    value: Ok(v),
                })
                .collect();
            (Layout::Array, items)
        }
        Ok(v) => (Layout::Single, vec![Item { subject: Subject { index: Some(0), ..base }, value: Ok(v) }]),
        Err(err) => match lines(bytes, &base) {
            Some(items) => (Layout::Lines, items),
            None => (Layout::Single, vec![Item { subject: base, value: Err(err) }]),
        },
    }
}

/// Every non-blank line as its own document, if the first one parses on its own.
fn lines(bytes: &[u8], base: &Subject) -> Option<Vec<Item>> {
    let mut items = Vec::new();
    for (n, line) in bytes.split(|b| *b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let value = json::parse(line);
        if items.is_empty() && value.is_err() {
            return None;
        }
        items.push(Item { subject: Subject { index: Some(items.len()), line: Some(n + 1), ..base.clone() }, value });
    }
    (items.len() > 1).then_some(items)
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
}
