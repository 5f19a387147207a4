//! RFC 8785 test data (cyberphone/json-canonicalization, read as it is from
//! `../shared/vectors/jcs/`): every input must canonicalize byte-exactly to its output,
//! and the ES6 number samples must serialize as listed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

#[macro_use]
mod common;

// In WASM builds `#[test]` means `#[wasm_bindgen_test]`: the same tests run natively,
// in Node and in headless Chromium.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use receipt_verify::{canonical_bytes, json};

macro_rules! pair {
    ($name:literal) => {
        (
            $name,
            include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/vectors/jcs/input/", $name))
                .as_slice(),
            include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/vectors/jcs/output/", $name))
                .as_slice(),
        )
    };
}

const PAIRS: [(&str, &[u8], &[u8]); 6] = [
    pair!("arrays.json"),
    pair!("french.json"),
    pair!("structures.json"),
    pair!("unicode.json"),
    pair!("values.json"),
    pair!("weird.json"),
];

#[test]
fn input_output_pairs_are_byte_exact() {
    let mut ran = 0;
    for (name, input, output) in PAIRS {
        // Canonicalise-only: RFC 8785 rounds `values.json`'s 333333333.33333329, which
        // the receipt format refuses (SPEC.md §2).
        let value =
            json::parse_with(input, json::NumberRule::RoundLikeRfc8785).unwrap_or_else(|e| panic!("{name}: {e}"));
        let got = canonical_bytes(&value).unwrap();
        assert_eq!(String::from_utf8_lossy(&got), String::from_utf8_lossy(output), "{name}");
        assert_eq!(got, output, "{name}");
        ran += 1;
    }
    say!("jcs: {ran} input/output pairs byte-exact");
    assert_eq!(ran, 6);
}

#[test]
fn the_strict_rule_refuses_what_rfc_8785_would_round() {
    let (_, values, _) = pair!("values.json");
    match json::parse(values) {
        Err(receipt_verify::JsonError::NumberChanged { written, canonical, .. }) => {
            assert_eq!((written.as_str(), canonical.as_deref()), ("333333333.33333329", Some("333333333.3333333")));
        }
        other => panic!("values.json must be refused by the strict rule: {other:?}"),
    }
}

const SAMPLES: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/vectors/jcs/numbers/es6_numbers_sample.csv"));
const INVALID: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/vectors/jcs/numbers/es6_numbers_invalid.csv"));

#[test]
fn es6_number_samples() {
    let mut ran = 0;
    for line in SAMPLES.lines().filter(|l| !l.trim().is_empty()) {
        let (bits, expected) = line.split_once(',').unwrap();
        let f = f64::from_bits(u64::from_str_radix(bits, 16).unwrap());
        let number = serde_json::Number::from_f64(f).unwrap();
        let got = canonical_bytes(&serde_json::Value::Number(number)).unwrap();
        assert_eq!(String::from_utf8(got).unwrap(), expected, "{line}");
        // The same number written the canonical way must parse back to the same double.
        // and, being RFC 8785's own form, keeps its value under the strict rule.
        assert_eq!(json::parse(expected.as_bytes()).unwrap().as_f64(), Some(f), "{line}");
        assert!(json::number_value_preserved(expected), "{line}");
        ran += 1;
    }
    say!("jcs: {ran} ES6 number samples serialized as expected");
    assert!(ran > 0);
}

#[test]
fn es6_numbers_that_must_fail() {
    let mut ran = 0;
    for line in INVALID.lines().filter(|l| !l.trim().is_empty()) {
        let (bits, expected) = line.split_once(',').unwrap();
        assert_eq!(expected, "null", "{line}");
        let f = f64::from_bits(u64::from_str_radix(bits, 16).unwrap());
        // NaN and ±Infinity have no JSON form; the value model refuses them outright.
        assert!(serde_json::Number::from_f64(f).is_none(), "{line}");
        ran += 1;
    }
    say!("jcs: {ran} non-finite numbers refused");
    assert!(ran > 0);
}
