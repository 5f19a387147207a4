//! The strict visitor: builds a `serde_json::Value` while enforcing the format's rules
//! (duplicate keys, the number rule, string and nesting limits, the value budget), and
//! names the JSON pointer of whatever it refuses.

use std::cell::{Cell, RefCell};
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::{push_pointer_token, shorten, NumberRule, ValueBudget};
use crate::error::JsonError;
use crate::limits::{MAX_APPROVAL_ENTRIES, MAX_DEPTH, MAX_STRING_BYTES, VALUES_PER_OBJECT};
use crate::numbers::{self, NumberTokens};

/// State every visitor of one document shares.
pub(super) struct Shared<'t> {
    /// The typed error that stopped the parse, if a visitor raised it.
    pub(super) stash: RefCell<Option<JsonError>>,
    /// The pointer of the innermost value whose parse failed inside serde_json.
    pub(super) failed_at: RefCell<Option<String>>,
    pub(super) tokens: RefCell<NumberTokens<'t>>,
    /// Where the tokens start that serde_json is handed as `0` (`numbers::large_tokens`).
    pub(super) large: Vec<usize>,
    /// Digit operations the number reader may still spend.
    pub(super) number_work: Cell<u64>,
    pub(super) rule: NumberRule,
    /// Values this document may still hold; each is counted before it is built.
    pub(super) values_left: Cell<usize>,
    pub(super) budget: ValueBudget,
}

/// How a value is reached from its parent.
#[derive(Clone, Copy)]
pub(super) enum Step<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

/// The parser's place in the document. The JSON pointer is built only when a message
/// needs it ([`Strict::here`]): building one per value cost a fifth of the time of
/// reading a row.
pub(super) struct Strict<'p, 's, 't> {
    pub(super) parent: Option<&'p Strict<'p, 's, 't>>,
    pub(super) step: Step<'p>,
    pub(super) depth: usize,
    pub(super) shared: &'s Shared<'t>,
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
                per: self.shared.budget.work_per_byte,
                floor: self.shared.budget.work_floor,
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
            push_pointer_token(pointer, k);
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
            // The member's name is a value of the budget too: a member builds its name's
            // string and a B-tree slot besides its value (red team 17: 64 MiB of `"!":0,`
            // members, counted one value each, took 11x the input in memory).
            let left = self.shared.values_left.get();
            if left == 0 {
                return Err(self.fail(self.shared.budget.exceeded()));
            }
            self.shared.values_left.set(left - 1);
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
