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

use serde::de::DeserializeSeed;
use serde_json::Value;

use crate::error::JsonError;
use crate::limits::{
    MAX_DOCUMENT_BYTES, MIN_BYTES_PER_VALUE, MIN_NUMBER_WORK, MIN_VALUE_BUDGET, NUMBER_WORK_PER_BYTE,
    ROW_NUMBER_WORK_PER_BYTE, VALUES_PER_OBJECT,
};
use crate::numbers::{self, NumberTokens};
use strict::{Shared, Step, Strict};

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

/// Parse one row line of a row export: [`parse`], with the number work of the line alone
/// ([`ValueBudget::for_row_line`]), so the same line reads the same wherever it is.
pub fn parse_row_line(bytes: &[u8]) -> Result<Value, JsonError> {
    let mut budget = ValueBudget::for_row_line(bytes.len());
    parse_budgeted(bytes, NumberRule::Exact, &mut budget)
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
    /// The rule that set `number_work`: per byte, and the floor (for the error message).
    pub(crate) work_per_byte: u64,
    pub(crate) work_floor: u64,
}

impl ValueBudget {
    /// The budget of `bytes` bytes of input.
    pub fn for_input(bytes: usize) -> Self {
        let limit = (bytes / MIN_BYTES_PER_VALUE).max(MIN_VALUE_BUDGET);
        let work = u64::try_from(bytes).unwrap_or(u64::MAX).saturating_mul(NUMBER_WORK_PER_BYTE);
        ValueBudget {
            left: limit,
            limit,
            bytes,
            number_work: work.max(MIN_NUMBER_WORK),
            work_per_byte: NUMBER_WORK_PER_BYTE,
            work_floor: MIN_NUMBER_WORK,
        }
    }

    /// The budget of one row line of `bytes` bytes: values as for any input, number work
    /// [`ROW_NUMBER_WORK_PER_BYTE`] per byte of the line itself, with no floor.
    pub fn for_row_line(bytes: usize) -> Self {
        let work = u64::try_from(bytes).unwrap_or(u64::MAX).saturating_mul(ROW_NUMBER_WORK_PER_BYTE);
        ValueBudget {
            number_work: work,
            work_per_byte: ROW_NUMBER_WORK_PER_BYTE,
            work_floor: 0,
            ..Self::for_input(bytes)
        }
    }

    /// What the strict parser takes for one flat object of `members` members
    /// ([`flat`]): the object, [`VALUES_PER_OBJECT`] with its node, and two per member
    /// (its name and its value).
    /// `false`, taking nothing, when fewer are left: the strict parser then reads it and
    /// fails where it runs out.
    pub(crate) fn take_flat_object(&mut self, members: usize) -> bool {
        let cost = VALUES_PER_OBJECT + 2 * members;
        let enough = members > 0 && self.left >= cost;
        if enough {
            self.left -= cost;
        }
        enough
    }

    /// Values left.
    pub(crate) fn left(&self) -> usize {
        self.left
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
    #[cfg(test)]
    PARSES.with(|n| n.set(n.get() + 1));
    // Checked before UTF-8 validation, so an oversized document costs nothing.
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(JsonError::DocumentTooLarge { bytes: bytes.len(), limit: MAX_DOCUMENT_BYTES });
    }
    parse_text(utf8(bytes)?, rule, budget)
}

#[cfg(test)]
thread_local! {
    /// Documents parsed on this thread, for tests that count what a reading costs.
    pub(crate) static PARSES: Cell<usize> = const { Cell::new(0) };
}

/// Parse one strict JSON document from text.
pub fn parse_str(text: &str) -> Result<Value, JsonError> {
    parse_with(text.as_bytes(), NumberRule::Exact)
}

fn parse_text(text: &str, rule: NumberRule, budget: &mut ValueBudget) -> Result<Value, JsonError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if is_blank(text.as_bytes()) {
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

/// Whether a line is blank: JSON whitespace only (RFC 8259 §2: space, tab, CR, LF).
/// Not `u8::is_ascii_whitespace`, which also takes the form feed, so a line of form feeds
/// would pass unread (red team 4).
pub(crate) fn is_blank(line: &[u8]) -> bool {
    line.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
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
    let mut token = String::with_capacity(key.len());
    push_pointer_token(&mut token, key);
    token
}

/// [`pointer_token`] appended to `out`, with no allocation of its own.
pub fn push_pointer_token(out: &mut String, key: &str) {
    for (i, part) in key.split('/').enumerate() {
        if i > 0 {
            out.push_str("~1");
        }
        for (j, piece) in part.split('~').enumerate() {
            if j > 0 {
                out.push_str("~0");
            }
            out.push_str(piece);
        }
    }
}

/// serde_json appends " at line L column C"; we report those separately.
fn syntax_message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    match full.rfind(" at line ") {
        Some(i) => full.get(..i).unwrap_or(&full).to_string(),
        None => full,
    }
}

pub(crate) mod flat;
mod strict;
#[cfg(test)]
mod tests;
