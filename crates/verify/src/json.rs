//! Strict JSON: RFC 8259 plus the rules receipt format v1 adds before anything is
//! canonicalized (SPEC.md, "Canonical bytes"):
//! - input must be UTF-8 (a leading byte-order mark is skipped);
//! - an object must not repeat a key (RFC 8785 §3.1 leaves this to the parser; we refuse);
//! - an integer must be exactly representable as an IEEE-754 double, because RFC 8785
//!   §3.2.2.3 serializes numbers as doubles and would silently change it;
//! - nesting is bounded, so hostile input cannot exhaust the stack.
//!
//! The result is a `serde_json::Value`; nothing downstream re-reads raw bytes.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::error::JsonError;

/// Deepest nesting accepted (objects and arrays). Receipts need 4.
pub const MAX_DEPTH: usize = 64;

/// Parse one strict JSON document.
pub fn parse(bytes: &[u8]) -> Result<Value, JsonError> {
    let text = utf8(bytes)?;
    parse_str(text)
}

/// Parse one strict JSON document from text.
pub fn parse_str(text: &str) -> Result<Value, JsonError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(JsonError::Empty);
    }
    let stash = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_str(text);
    // Our own depth limit is lower than serde_json's, and reports a typed error.
    let seed = Strict { pointer: String::new(), depth: 0, stash: &stash };
    let result = seed.deserialize(&mut de).and_then(|v| de.end().map(|()| v));
    match result {
        Ok(v) => Ok(v),
        Err(e) => Err(stash.into_inner().unwrap_or_else(|| JsonError::Syntax {
            line: e.line(),
            column: e.column(),
            message: syntax_message(&e),
        })),
    }
}

/// Check that bytes are UTF-8, reporting the offset of the first bad byte.
pub fn utf8(bytes: &[u8]) -> Result<&str, JsonError> {
    std::str::from_utf8(bytes).map_err(|e| JsonError::InvalidUtf8 { offset: e.valid_up_to() })
}

/// The JSON type name of a value, for messages.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Escape one JSON-pointer reference token (RFC 6901 §4).
pub fn pointer_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// serde_json appends " at line L column C"; we report those separately.
fn syntax_message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    match full.rfind(" at line ") {
        Some(i) => full.get(..i).unwrap_or(&full).to_string(),
        None => full,
    }
}

struct Strict<'s> {
    pointer: String,
    depth: usize,
    stash: &'s RefCell<Option<JsonError>>,
}

impl Strict<'_> {
    fn fail<E: de::Error>(&self, err: JsonError) -> E {
        let msg = err.to_string();
        *self.stash.borrow_mut() = Some(err);
        E::custom(msg)
    }

    fn child(&self, token: &str) -> Result<Strict<'_>, JsonError> {
        if self.depth + 1 > MAX_DEPTH {
            return Err(JsonError::TooDeep { limit: MAX_DEPTH });
        }
        Ok(Strict {
            pointer: format!("{}/{}", self.pointer, pointer_token(token)),
            depth: self.depth + 1,
            stash: self.stash,
        })
    }

    fn here(&self) -> String {
        if self.pointer.is_empty() {
            "/".to_string()
        } else {
            self.pointer.clone()
        }
    }
}

impl<'de> DeserializeSeed<'de> for Strict<'_> {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

/// 2^64 as a double: the first value that no longer fits a `u64`.
const TWO_POW_64: f64 = 18_446_744_073_709_551_616.0;
/// 2^63 as a double.
const TWO_POW_63: f64 = 9_223_372_036_854_775_808.0;

impl<'de> Visitor<'de> for Strict<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        // `as` is the point here: we test whether the double round-trips exactly.
        #[allow(clippy::cast_precision_loss)]
        let f = v as f64;
        if f < TWO_POW_64 && f as u64 == v {
            Ok(Value::Number(Number::from(v)))
        } else {
            Err(self.fail(JsonError::UnrepresentableNumber { number: v.to_string(), pointer: self.here() }))
        }
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        #[allow(clippy::cast_precision_loss)]
        let f = v as f64;
        if f < TWO_POW_63 && f as i64 == v {
            Ok(Value::Number(Number::from(v)))
        } else {
            Err(self.fail(JsonError::UnrepresentableNumber { number: v.to_string(), pointer: self.here() }))
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        match Number::from_f64(v) {
            Some(n) => Ok(Value::Number(n)),
            None => Err(self
                .fail(JsonError::UnrepresentableNumber { number: "a non-finite number".into(), pointer: self.here() })),
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        loop {
            let child = match self.child(&out.len().to_string()) {
                Ok(c) => c,
                Err(e) => return Err(self.fail(e)),
            };
            match seq.next_element_seed(child)? {
                Some(v) => out.push(v),
                None => break,
            }
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(self.fail(JsonError::DuplicateKey { key, pointer: self.here() }));
            }
            let child = match self.child(&key) {
                Ok(c) => c,
                Err(e) => return Err(self.fail(e)),
            };
            let value = map.next_value_seed(child)?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn rejects_duplicate_keys_with_pointer() {
        let err = parse(br#"{"a":{"b":1,"b":2}}"#).unwrap_err();
        assert_eq!(err, JsonError::DuplicateKey { key: "b".into(), pointer: "/a".into() });
    }

    #[test]
    fn rejects_inexact_integers_but_keeps_exact_ones() {
        assert!(matches!(
            parse(b"[9007199254740993]"),
            Err(JsonError::UnrepresentableNumber { ref pointer, .. }) if pointer == "/0"
        ));
        assert!(parse(b"[9007199254740992, -9007199254740992, 1152921504606846976]").is_ok());
        assert!(parse(b"18446744073709551615").is_err());
        assert!(parse(b"-9223372036854775807").is_err());
    }

    #[test]
    fn rejects_overflowing_floats_and_bad_utf8() {
        assert!(matches!(parse(b"1e400"), Err(JsonError::Syntax { .. })));
        assert_eq!(parse(b"\"a\xff\""), Err(JsonError::InvalidUtf8 { offset: 2 }));
        assert!(matches!(parse(br#""\ud800""#), Err(JsonError::Syntax { .. })));
    }

    #[test]
    fn bounds_depth_and_rejects_trailing_data() {
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert_eq!(parse(deep.as_bytes()), Err(JsonError::TooDeep { limit: MAX_DEPTH }));
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(ok.as_bytes()).is_ok());
        assert!(matches!(parse(b"{} {}"), Err(JsonError::Syntax { line: 1, .. })));
        assert_eq!(parse(b"  \n"), Err(JsonError::Empty));
    }

    #[test]
    fn skips_a_byte_order_mark() {
        assert_eq!(parse("\u{feff}[1]".as_bytes()), Ok(serde_json::json!([1])));
    }
}
