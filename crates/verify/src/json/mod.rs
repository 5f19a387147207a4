//! Strict JSON: RFC 8259 plus the rules receipt format v1 adds before anything is
//! canonicalized (SPEC.md, "Canonical bytes"):
//! - input must be UTF-8 (a leading byte-order mark is skipped);
//! - an object must not repeat a key (RFC 8785 §3.1 leaves this to the parser; we refuse);
//! - a number must keep its value when RFC 8785 writes it (§3.2.2.3 writes doubles), so
//!   no accepted text changes value when canonicalised (v1.1, see `numbers.rs`);
//! - nesting, string length and document size are bounded (`crate::limits`), so
//!   hostile input cannot exhaust the stack or memory.
//!
//! The result is a `serde_json::Value`; nothing downstream re-reads raw bytes.

use std::cell::{Cell, RefCell};
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::error::JsonError;
use crate::limits::{
    MAX_APPROVAL_ENTRIES, MAX_DOCUMENT_BYTES, MAX_STRING_BYTES, MIN_BYTES_PER_VALUE, MIN_NUMBER_WORK, MIN_VALUE_BUDGET,
    NUMBER_WORK_PER_BYTE, VALUES_PER_OBJECT,
};
use crate::numbers::{self, NumberTokens};

/// Deepest nesting accepted (objects and arrays). Receipts need 4.
pub use crate::limits::MAX_DEPTH;
pub use crate::numbers::number_value_preserved;

/// How numbers are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberRule {
    /// Receipt format v1.1: refuse a number whose RFC 8785 form has another value.
    Exact,
    /// Canonicalise only: read numbers as RFC 8785 does, rounding to the nearest double
    /// (for RFC 8785's own test data). Never use it for anything that is verified.
    RoundLikeRfc8785,
}

/// Parse one strict JSON document.
pub fn parse(bytes: &[u8]) -> Result<Value, JsonError> {
    parse_with(bytes, NumberRule::Exact)
}

/// Parse one JSON document with the given number rule; every other strict rule holds.
pub fn parse_with(bytes: &[u8], rule: NumberRule) -> Result<Value, JsonError> {
    let mut budget = ValueBudget::for_input(bytes.len());
    parse_budgeted(bytes, rule, &mut budget)
}

/// How many JSON values some input may still hold (SPEC.md §15, v1.1): one per
/// `MIN_BYTES_PER_VALUE` bytes, or `MIN_VALUE_BUDGET`. A JSON Lines file shares one
/// budget over all its lines, so many small lines cannot add up to more.
#[derive(Clone, Copy, Debug)]
pub struct ValueBudget {
    left: usize,
    limit: usize,
    bytes: usize,
    /// Digit operations the number reader may still spend (`NUMBER_WORK_PER_BYTE`).
    number_work: u64,
}

impl ValueBudget {
    /// The budget of `bytes` bytes of input.
    pub fn for_input(bytes: usize) -> Self {
        let limit = (bytes / MIN_BYTES_PER_VALUE).max(MIN_VALUE_BUDGET);
        let work = u64::try_from(bytes).unwrap_or(u64::MAX).saturating_mul(NUMBER_WORK_PER_BYTE);
        ValueBudget { left: limit, limit, bytes, number_work: work.max(MIN_NUMBER_WORK) }
    }

    fn exceeded(&self) -> JsonError {
        JsonError::TooManyValues {
            limit: self.limit,
            bytes: self.bytes,
            per: MIN_BYTES_PER_VALUE,
            floor: MIN_VALUE_BUDGET,
        }
    }
}

/// Parse one strict JSON document, taking its values from `budget`.
pub fn parse_budgeted(bytes: &[u8], rule: NumberRule, budget: &mut ValueBudget) -> Result<Value, JsonError> {
    // Checked before UTF-8 validation, so an oversized document costs nothing.
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(JsonError::DocumentTooLarge { bytes: bytes.len(), limit: MAX_DOCUMENT_BYTES });
    }
    parse_text(utf8(bytes)?, rule, budget)
}

/// Parse one strict JSON document from text.
pub fn parse_str(text: &str) -> Result<Value, JsonError> {
    parse_with(text.as_bytes(), NumberRule::Exact)
}

fn parse_text(text: &str, rule: NumberRule, budget: &mut ValueBudget) -> Result<Value, JsonError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(JsonError::Empty);
    }
    let large = numbers::large_tokens(text);
    let zeroed;
    let serde_text = if large.is_empty() {
        text
    } else {
        zeroed = numbers::with_zeros(text, &large);
        &zeroed
    };
    let shared = Shared {
        stash: RefCell::new(None),
        failed_at: RefCell::new(None),
        tokens: RefCell::new(NumberTokens::new(text)),
        large: large.iter().map(|r| r.start).collect(),
        rule,
        values_left: Cell::new(budget.left),
        number_work: Cell::new(budget.number_work),
        budget: *budget,
    };
    let mut de = serde_json::Deserializer::from_str(serde_text);
    // Our own depth limit is lower than serde_json's, and reports a typed error.
    let seed = Strict { parent: None, step: Step::Root, depth: 0, shared: &shared };
    let result = seed.deserialize(&mut de).and_then(|v| de.end().map(|()| v));
    budget.left = shared.values_left.get();
    budget.number_work = shared.number_work.get();
    match result {
        Ok(v) => Ok(v),
        Err(e) => Err(match shared.stash.borrow_mut().take() {
            Some(typed) => typed,
            // serde_json refuses a number beyond the doubles before any visitor sees it;
            // it is the next number token not yet handed out.
            None if e.to_string().starts_with("number out of range") => JsonError::NumberChanged {
                pointer: shared.failed_at.borrow_mut().take().unwrap_or_else(|| "/".into()),
                written: shorten(shared.tokens.borrow_mut().next_token().unwrap_or_default()),
                canonical: None,
            },
            None => JsonError::Syntax { line: e.line(), column: e.column(), message: syntax_message(&e) },
        }),
    }
}

/// A number's text, shortened for messages (a number may be megabytes long).
fn shorten(s: &str) -> String {
    match s.get(..40) {
        Some(head) if s.len() > 48 => format!("{head}… ({} characters)", s.len()),
        _ => s.to_string(),
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

/// State every visitor of one document shares.
struct Shared<'t> {
    /// The typed error that stopped the parse, if a visitor raised it.
    stash: RefCell<Option<JsonError>>,
    /// The pointer of the innermost value whose parse failed inside serde_json.
    failed_at: RefCell<Option<String>>,
    tokens: RefCell<NumberTokens<'t>>,
    /// Where the tokens start that serde_json is handed as `0` (`numbers::large_tokens`).
    large: Vec<usize>,
    /// Digit operations the number reader may still spend.
    number_work: Cell<u64>,
    rule: NumberRule,
    /// Values this document may still hold; each is counted before it is built.
    values_left: Cell<usize>,
    budget: ValueBudget,
}

/// How a value is reached from its parent.
#[derive(Clone, Copy)]
enum Step<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

/// The parser's place in the document. The JSON pointer is built only when a message
/// needs it ([`Strict::here`]): building one per value cost a fifth of the time of
/// reading a row.
struct Strict<'p, 's, 't> {
    parent: Option<&'p Strict<'p, 's, 't>>,
    step: Step<'p>,
    depth: usize,
    shared: &'s Shared<'t>,
}

impl<'p, 's, 't> Strict<'p, 's, 't> {
    fn fail<E: de::Error>(&self, err: JsonError) -> E {
        let msg = err.to_string();
        *self.shared.stash.borrow_mut() = Some(err);
        E::custom(msg)
    }

    /// Remember where serde_json failed (the member or element `step`), innermost first.
    fn note_failure(&self, step: Step<'_>) {
        let mut at = self.shared.failed_at.borrow_mut();
        if at.is_none() {
            let mut pointer = self.pointer();
            push_step(&mut pointer, step);
            *at = Some(pointer);
        }
    }

    /// The number serde_json just read, re-read from its text and checked. `same` says
    /// whether serde_json's own reading agrees, a guard against the scan and the parser
    /// ever falling out of step.
    fn number<E: de::Error>(&self, same: impl Fn(&serde_json::Number) -> bool) -> Result<Value, E> {
        let (token, start) = {
            let mut tokens = self.shared.tokens.borrow_mut();
            (tokens.next_token(), tokens.last_start())
        };
        let same = |n: &serde_json::Number| self.shared.large.binary_search(&start).is_ok() || same(n);
        let Some(written) = token else {
            return Err(self.fail(JsonError::NumberChanged {
                pointer: self.here(),
                written: String::new(),
                canonical: None,
            }));
        };
        let mut work = self.shared.number_work.get();
        let reading = numbers::read_budgeted(written, &mut work);
        self.shared.number_work.set(work);
        let Ok(reading) = reading else {
            return Err(self.fail(JsonError::NumbersTooCostly {
                pointer: self.here(),
                per: NUMBER_WORK_PER_BYTE,
                floor: MIN_NUMBER_WORK,
            }));
        };
        match reading {
            Some(r) if !same(&r.number) => Err(self.fail(JsonError::Canonicalize(format!(
                "internal: the number at {} was scanned as {} but parsed differently",
                self.here(),
                shorten(written)
            )))),
            Some(r) if r.preserved || self.shared.rule == NumberRule::RoundLikeRfc8785 => Ok(Value::Number(r.number)),
            reading => Err(self.fail(JsonError::NumberChanged {
                pointer: self.here(),
                written: shorten(written),
                canonical: reading.map(|r| r.canonical),
            })),
        }
    }

    fn string<E: de::Error>(&self, len: usize) -> Result<(), E> {
        if len > MAX_STRING_BYTES {
            return Err(self.fail(JsonError::StringTooLong {
                pointer: self.here(),
                bytes: len,
                limit: MAX_STRING_BYTES,
            }));
        }
        Ok(())
    }

    fn child<'c>(&'c self, step: Step<'c>) -> Result<Strict<'c, 's, 't>, JsonError> {
        if self.depth + 1 > MAX_DEPTH {
            return Err(JsonError::TooDeep { limit: MAX_DEPTH });
        }
        Ok(Strict { parent: Some(self), step, depth: self.depth + 1, shared: self.shared })
    }

    /// This value's JSON pointer (RFC 6901), `""` for the document.
    fn pointer(&self) -> String {
        let mut steps = Vec::with_capacity(self.depth);
        let mut at = Some(self);
        while let Some(s) = at {
            steps.push(s.step);
            at = s.parent;
        }
        let mut out = String::new();
        for step in steps.into_iter().rev() {
            push_step(&mut out, step);
        }
        out
    }

    /// The pointer for messages: `/` for the document.
    fn here(&self) -> String {
        let pointer = self.pointer();
        if pointer.is_empty() {
            "/".to_string()
        } else {
            pointer
        }
    }
}

fn push_step(pointer: &mut String, step: Step<'_>) {
    match step {
        Step::Root => {}
        Step::Key(k) => {
            pointer.push('/');
            pointer.push_str(&pointer_token(k));
        }
        Step::Index(i) => {
            pointer.push('/');
            pointer.push_str(&i.to_string());
        }
    }
}

impl<'de> DeserializeSeed<'de> for Strict<'_, '_, '_> {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        let left = self.shared.values_left.get();
        if left == 0 {
            return Err(self.fail(self.shared.budget.exceeded()));
        }
        self.shared.values_left.set(left - 1);
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict<'_, '_, '_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    // The number's text decides (see `numbers.rs`); serde_json's value only cross-checks it.
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        self.number(|n| n.as_u64() == Some(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        self.number(|n| n.as_i64() == Some(v))
    }

    // serde_json (without `float_roundtrip`) may read a double a unit or two off the
    // nearest; the text decides, and this only guards against falling out of step.
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        self.number(|n| n.as_f64().is_some_and(|ours| (ours - v).abs() <= ours.abs().max(v.abs()) * 1e-12 + 1e-300))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        self.string(v.len())?;
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        self.string(v.len())?;
        Ok(Value::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        // Approval entries are bounded while parsing, so an approval of 64 MiB of entries
        // is refused after the first MAX_APPROVAL_ENTRIES, not after all of them are built.
        let entries = matches!(self.step, Step::Key("approvals"));
        loop {
            let child = match self.child(Step::Index(out.len())) {
                Ok(c) => c,
                Err(e) => return Err(self.fail(e)),
            };
            match seq.next_element_seed(child) {
                Ok(Some(_)) if entries && out.len() == MAX_APPROVAL_ENTRIES => {
                    let limit = MAX_APPROVAL_ENTRIES;
                    return Err(self.fail(JsonError::TooManyEntries { pointer: self.here(), limit }));
                }
                Ok(Some(v)) => out.push(v),
                Ok(None) => break,
                Err(e) => {
                    self.note_failure(Step::Index(out.len()));
                    return Err(e);
                }
            }
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.is_empty() {
                // A non-empty object allocates a B-tree node of about 600 bytes, so it takes
                // VALUES_PER_OBJECT values of the budget (1 was taken for the object already).
                let left = self.shared.values_left.get();
                let extra = VALUES_PER_OBJECT - 1;
                if left < extra {
                    return Err(self.fail(self.shared.budget.exceeded()));
                }
                self.shared.values_left.set(left - extra);
            }
            if key.len() > MAX_STRING_BYTES {
                return Err(self.fail(JsonError::StringTooLong {
                    pointer: self.here(),
                    bytes: key.len(),
                    limit: MAX_STRING_BYTES,
                }));
            }
            if out.contains_key(&key) {
                // The pointer names the repeated member itself (e.g. /meta/a/0/b), v1.1.
                let mut pointer = self.pointer();
                push_step(&mut pointer, Step::Key(&key));
                return Err(self.fail(JsonError::DuplicateKey { key, pointer }));
            }
            let value = {
                let child = match self.child(Step::Key(&key)) {
                    Ok(c) => c,
                    Err(e) => return Err(self.fail(e)),
                };
                map.next_value_seed(child)
            };
            match value {
                Ok(value) => out.insert(key, value),
                Err(e) => {
                    self.note_failure(Step::Key(&key));
                    return Err(e);
                }
            };
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests;
