//! Typed reading of object members. Every problem becomes a failed finding under the
//! caller's check id, at the member's JSON pointer, with expected and actual values.

use serde_json::{Map, Value};

use crate::encoding::decode_base64;
use crate::hash::Hash;
use crate::json::type_name;
use crate::report::{Check, Status, Subject};
use crate::text::{q, shorten};
use crate::timestamp::Timestamp;

/// Reads members of one object and collects findings for the bad ones.
pub(crate) struct FieldReader<'a> {
    obj: &'a Map<String, Value>,
    subject: &'a Subject,
    id: &'static str,
    /// Findings for missing or malformed members.
    pub findings: Vec<Check>,
    /// Whether findings carry their place and words; without, each is only counted (the
    /// report already lists as many of this check as it will, SPEC.md §15).
    detailed: bool,
}

impl<'a> FieldReader<'a> {
    pub fn new(obj: &'a Map<String, Value>, subject: &'a Subject, id: &'static str) -> Self {
        FieldReader { obj, subject, id, findings: Vec::new(), detailed: true }
    }

    /// Findings without their place and words, for an engine past its listing cap.
    #[must_use]
    pub fn counted_only(mut self, counted_only: bool) -> Self {
        self.detailed = !counted_only;
        self
    }

    fn bad(&mut self, name: &str, expected: &str, actual: String, why: &str) {
        if !self.detailed {
            self.findings.push(Check::new(self.id, Status::Fail, Subject::default(), String::new()));
            return;
        }
        self.findings.push(
            Check::new(self.id, Status::Fail, self.subject.at(name), format!("\"{name}\" {why}"))
                .values(expected, actual),
        );
    }

    /// The raw member, or a "missing" finding.
    pub fn raw(&mut self, name: &str, expected: &str) -> Option<&'a Value> {
        let v = self.obj.get(name);
        if v.is_none() {
            self.bad(name, expected, "missing".into(), "is required but missing");
        }
        v
    }

    /// A required non-empty string.
    pub fn string(&mut self, name: &str) -> Option<&'a str> {
        match self.raw(name, "a non-empty string")? {
            Value::String(s) if !s.is_empty() => Some(s),
            v => {
                let actual = describe(v);
                self.bad(name, "a non-empty string", actual, "must be a non-empty string");
                None
            }
        }
    }

    /// A required hash string.
    pub fn hash(&mut self, name: &str) -> Option<Hash> {
        self.parsed(name, "\"0x\" + 64 lowercase hex digits")
    }

    /// A required RFC 3339 UTC timestamp.
    pub fn time(&mut self, name: &str) -> Option<Timestamp> {
        self.parsed(name, "RFC 3339 UTC, e.g. 2026-03-02T09:00:00Z")
    }

    /// A required string member parsed with `FromStr`.
    fn parsed<T>(&mut self, name: &str, expected: &str) -> Option<T>
    where
        T: std::str::FromStr,
        T::Err: std::fmt::Display,
    {
        let s = match self.raw(name, expected)? {
            Value::String(s) => s,
            v => {
                let actual = describe(v);
                self.bad(name, expected, actual, "must be a string");
                return None;
            }
        };
        match s.parse() {
            Ok(t) => Some(t),
            Err(e) => {
                self.bad(name, expected, q(&shorten(s)).to_string(), &format!("is invalid: {e}"));
                None
            }
        }
    }

    /// A required non-negative integer, written as any number whose value is whole
    /// (`40`, `40.0`, `4E1`): RFC 8785 writes them all as `40`, so they share a signature
    /// (SPEC.md §2, v1.1).
    pub fn integer(&mut self, name: &str) -> Option<u64> {
        const EXPECTED: &str = "a non-negative integer";
        let v = self.raw(name, EXPECTED)?;
        match v.as_u64().or_else(|| whole_double(v)) {
            Some(n) => Some(n),
            None => {
                let actual = describe(v);
                self.bad(name, EXPECTED, actual, "must be a non-negative integer");
                None
            }
        }
    }

    /// A required base64 signature.
    pub fn signature(&mut self, name: &str) -> Option<Vec<u8>> {
        const EXPECTED: &str = "base64 or base64url, padded or not";
        let s = match self.raw(name, EXPECTED)? {
            Value::String(s) if !s.is_empty() => s,
            v => {
                let actual = describe(v);
                self.bad(name, EXPECTED, actual, "must be a base64 string");
                return None;
            }
        };
        match decode_base64(s) {
            Some(b) => Some(b),
            None => {
                self.bad(name, EXPECTED, q(&shorten(s)).to_string(), "is not valid base64");
                None
            }
        }
    }
}

/// A double that is a whole number below 2^53 (so exactly that integer), as a u64.
fn whole_double(v: &Value) -> Option<u64> {
    const EXACT: f64 = 9_007_199_254_740_992.0;
    let f = v.as_f64().filter(|f| (0.0..EXACT).contains(f) && f.fract() == 0.0)?;
    // Whole and below 2^53: the conversion is exact.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Some(f as u64)
}

/// A value, shortened, for an "actual" column.
pub(crate) fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => q(&shorten(s)).to_string(),
        // The RFC 8785 form: how the number is signed (and no second float formatter).
        Value::Number(_) => {
            crate::canonical::canonical_bytes(v).map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default()
        }
        Value::Bool(b) => b.to_string(),
        other => type_name(other).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// `40`, `40.0` and `4E1` are one value with one RFC 8785 form, so an integer field
    /// takes each (red team 3: `deviceCount: 1000.0` was refused); fractions, negatives and
    /// doubles past 2^53 (not exactly that integer) are refused.
    #[test]
    fn integers_may_be_written_as_any_whole_number() {
        let subject = Subject::default();
        let read = |text: &str| {
            let doc = format!("{{\"n\":{text}}}");
            let value = crate::json::parse(doc.as_bytes()).unwrap();
            let obj = value.as_object().unwrap().clone();
            FieldReader::new(&obj, &subject, "t.fields").integer("n")
        };
        for (text, want) in
            [("40", 40), ("40.0", 40), ("4E1", 40), ("4.0e1", 40), ("-0", 0), ("0.0", 0), ("1000.0", 1000)]
        {
            assert_eq!(read(text), Some(want), "{text}");
        }
        for text in ["40.5", "-1", "-1.0", "1e300", "9007199254740992.0", "\"40\"", "true"] {
            assert_eq!(read(text), None, "{text}");
        }
    }
}
