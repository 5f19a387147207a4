//! The one-pass RFC 8785 writer (`src/canonical.rs`) against `serde_json_canonicalizer`,
//! the maintained crate it replaced in the build: both must write the same bytes for
//! generated values (names that sort differently in UTF-16 and UTF-8, every control
//! character, integers around 2^53 and u64/i64 limits, doubles from random bits, deep
//! and wide nesting), and for the demo and fixture files.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

#[macro_use]
#[path = "../../../crates/verify/tests/common/portable.rs"]
mod portable;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use portable::Rng;
use receipt_verify::{canonical_bytes, canonical_without};
use serde_json::{Map, Number, Value};

/// Generated JSON values, drawn from the shared xorshift generator.
struct Gen(Rng);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0.next()
    }
    /// In u64, not usize: the WASM runs have a 32-bit usize.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn string(&mut self) -> String {
        const POOL: &str = "abZ0 \"\\/\u{0}\u{1}\u{8}\t\n\u{b}\u{c}\r\u{1f}\u{7f}\u{80}é\u{2028}\u{d7ff}\u{e000}\u{fffd}\u{ffff}\u{10000}\u{1f600}\u{10ffff}€日";
        let pool: Vec<char> = POOL.chars().collect();
        let len = self.below(6);
        (0..len).map(|_| pool[self.below(pool.len() as u64) as usize]).collect()
    }
    fn number(&mut self) -> Number {
        match self.below(6) {
            0 => Number::from(self.below(1000)),
            1 => Number::from((1u64 << 53) - 2 + self.below(5)),
            2 => Number::from(self.next()),
            3 => Number::from(-(self.below(1 << 62) as i64) - 1),
            4 => Number::from_f64(f64::from_bits(self.next())).unwrap_or_else(|| Number::from(0)),
            _ => Number::from_f64((self.below(2_000_001) as f64 - 1e6) / 1000.0).unwrap_or_else(|| Number::from(1)),
        }
    }
    fn value(&mut self, depth: u32) -> Value {
        let kinds = if depth == 0 { 4 } else { 6 };
        match self.below(kinds) {
            0 => Value::Null,
            1 => Value::Bool(self.below(2) == 0),
            2 => Value::Number(self.number()),
            3 => Value::String(self.string()),
            4 => Value::Array((0..self.below(5)).map(|_| self.value(depth - 1)).collect()),
            _ => Value::Object((0..self.below(6)).map(|_| (self.string(), self.value(depth - 1))).collect()),
        }
    }
}

/// Both writers give the same bytes for `value` (shown as text when they differ).
fn assert_same_bytes(value: &Value, what: &str) {
    let ours = canonical_bytes(value).unwrap();
    let reference = serde_json_canonicalizer::to_vec(value).unwrap();
    assert_eq!(String::from_utf8_lossy(&ours), String::from_utf8_lossy(&reference), "{what}");
    assert_eq!(ours, reference, "{what}");
}

#[test]
fn the_writer_agrees_with_serde_json_canonicalizer_on_generated_values() {
    let mut ran = 0;
    for seed in 1..=3000u64 {
        let mut g = Gen(Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1));
        let value = g.value(4);
        assert_same_bytes(&value, &format!("seed {seed}"));
        ran += 1;
    }
    say!("jcs differential: {ran} generated values written identically");
    assert_eq!(ran, 3000);
}

#[test]
fn leaving_members_out_agrees_with_the_reference_on_the_reduced_object() {
    let mut ran = 0;
    for seed in 1..=500u64 {
        let mut g = Gen(Rng(seed.wrapping_mul(0xD1B5_4A32_D192_ED03) | 1));
        let mut object: Map<String, Value> = (0..g.below(8)).map(|_| (g.string(), g.value(2))).collect();
        object.insert("thisHash".into(), Value::String(g.string()));
        object.insert("signature".into(), g.value(1));
        let ours = canonical_without(&object, &["thisHash", "signature"]).unwrap();
        object.remove("thisHash");
        object.remove("signature");
        assert_eq!(ours, serde_json_canonicalizer::to_vec(&Value::Object(object)).unwrap(), "seed {seed}");
        ran += 1;
    }
    say!("jcs differential: {ran} objects with members left out written identically");
    assert_eq!(ran, 500);
}

#[test]
fn the_demo_files_are_written_identically() {
    let mut ran = 0;
    for text in [
        include_str!("../../../examples/receipts.jsonl"),
        include_str!("../../../examples/rows.jsonl"),
        include_str!("../../../examples/approvals.json"),
        include_str!("../../../examples/jwks.json"),
    ] {
        let docs: Vec<Value> = if text.trim_start().starts_with('[') || text.trim_start().starts_with("{\n") {
            vec![serde_json::from_str(text).unwrap()]
        } else {
            text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).unwrap()).collect()
        };
        for doc in docs {
            assert_same_bytes(&doc, "a demo document");
            ran += 1;
        }
    }
    say!("jcs differential: {ran} demo documents written identically");
    assert!(ran > 10, "{ran}");
}
