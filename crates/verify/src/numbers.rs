//! The number rule (SPEC.md §2, v1.1): a JSON number is accepted only when the value of
//! its RFC 8785 form equals the value of its text as written. RFC 8785 §3.2.2.3 writes
//! numbers as ECMAScript writes IEEE-754 doubles, so `9007199254740993`, `1e-400` or
//! `0.30000000000000001` would otherwise be signed as a different number than the one
//! a person reads, and several texts would share one signature.
//!
//! The comparison is exact and decimal: both texts are reduced to (sign, significant
//! digits, exponent) and compared; no float is compared.

use serde_json::{Number, Value};

/// The exponent is clamped to this magnitude while it is read. Any number whose
/// exponent reaches it is far outside the doubles' range (±1e308, 5e-324), so it can
/// never equal a canonical form, and the clamp keeps the arithmetic from overflowing.
const EXPONENT_CLAMP: i64 = 1 << 40;

/// A decimal value reduced to one spelling: no leading or trailing zero digits, and
/// zero has no sign. `digits × 10^exponent`, negated when `negative`.
#[derive(Debug, PartialEq, Eq)]
struct Decimal {
    negative: bool,
    digits: Vec<u8>,
    exponent: i64,
}

/// The parts of a text that matches the JSON number grammar (RFC 8259 §6).
struct Parts<'t> {
    negative: bool,
    int: &'t [u8],
    frac: &'t [u8],
    exponent: i64,
}

fn digits_at(b: &[u8], from: usize) -> usize {
    b.get(from..).map_or(0, |rest| rest.iter().take_while(|d| d.is_ascii_digit()).count())
}

/// Split `text` by the JSON number grammar; `None` when it does not match.
fn parts(text: &str) -> Option<Parts<'_>> {
    let b = text.as_bytes();
    let negative = b.first() == Some(&b'-');
    let mut at = usize::from(negative);
    let int_len = digits_at(b, at);
    let int = b.get(at..at + int_len)?;
    if int.is_empty() || (int.len() > 1 && int.first() == Some(&b'0')) {
        return None;
    }
    at += int_len;
    let mut frac: &[u8] = &[];
    if b.get(at) == Some(&b'.') {
        let n = digits_at(b, at + 1);
        frac = b.get(at + 1..at + 1 + n)?;
        if frac.is_empty() {
            return None;
        }
        at += 1 + n;
    }
    let mut exponent = 0i64;
    if matches!(b.get(at), Some(b'e' | b'E')) {
        at += 1;
        let sign = match b.get(at) {
            Some(b'-') => -1,
            Some(b'+') => 1,
            _ => 0,
        };
        if sign != 0 {
            at += 1;
        }
        let n = digits_at(b, at);
        if n == 0 {
            return None;
        }
        for d in b.get(at..at + n)? {
            exponent = (exponent * 10 + i64::from(d - b'0')).min(EXPONENT_CLAMP);
        }
        exponent *= if sign < 0 { -1 } else { 1 };
        at += n;
    }
    (at == b.len()).then_some(Parts { negative, int, frac, exponent })
}

impl Decimal {
    fn of(p: &Parts<'_>) -> Decimal {
        let all = p.int.iter().chain(p.frac).copied();
        let mut digits: Vec<u8> = all.skip_while(|d| *d == b'0').collect();
        let trailing = digits.iter().rev().take_while(|d| **d == b'0').count();
        digits.truncate(digits.len() - trailing);
        if digits.is_empty() {
            return Decimal { negative: false, digits, exponent: 0 };
        }
        let frac_len = i64::try_from(p.frac.len()).unwrap_or(EXPONENT_CLAMP);
        let trailing = i64::try_from(trailing).unwrap_or(EXPONENT_CLAMP);
        Decimal { negative: p.negative, digits, exponent: p.exponent - frac_len + trailing }
    }
}

/// The value a number text is read as, and its RFC 8785 form.
pub(crate) struct Reading {
    /// The value to store: an integer when the text is written as one and fits, else a double.
    pub number: Number,
    /// What RFC 8785 writes for it.
    pub canonical: String,
    /// Whether `canonical` has the same decimal value as the text.
    pub preserved: bool,
}

/// Read one number token. `None` when the text is not a JSON number or its value is
/// beyond the doubles (it would canonicalise to nothing: RFC 8785 has no infinity).
pub(crate) fn read(text: &str) -> Option<Reading> {
    read_short_integer(text).or_else(|| read_any(text))
}

fn read_any(text: &str) -> Option<Reading> {
    let p = parts(text)?;
    let integer = p.frac.is_empty() && p.exponent == 0;
    let number = match (integer, text.parse::<u64>(), text.parse::<i64>()) {
        (true, Ok(u), _) => Number::from(u),
        (true, _, Ok(i)) => Number::from(i),
        // serde_json with `float_roundtrip` is correctly rounded (round half to even), as
        // RFC 8785 assumes, and reusing it keeps a second float parser (std's, with its
        // power-of-five tables) out of the WASM build; `Number::from_str` also keeps out
        // serde's error formatting, which would pull in float printing (13 KB gzipped in
        // all). A test checks it against std's parser.
        _ => Number::from_f64(
            text.parse::<serde_json::Number>().ok().and_then(|n| n.as_f64()).filter(|f| f.is_finite())?,
        )?,
    };
    let canonical = serde_json_canonicalizer::to_string(&Value::Number(number.clone())).ok()?;
    let preserved = parts(&canonical).is_some_and(|c| Decimal::of(&c) == Decimal::of(&p));
    Some(Reading { number, canonical, preserved })
}

/// Fast path for the common case: an integer of at most 15 digits is below 2^53, so it
/// is a double exactly and RFC 8785 writes it as written (`-0` as `0`, the same value).
fn read_short_integer(text: &str) -> Option<Reading> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let ok = (1..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits.len() == 1 || !digits.starts_with('0'));
    if !ok {
        return None;
    }
    let number = match text.parse::<u64>() {
        Ok(u) => Number::from(u),
        Err(_) => Number::from(text.parse::<i64>().ok()?),
    };
    // `canonical` is only read when a number is refused, which never happens here.
    Some(Reading { number, canonical: String::new(), preserved: true })
}

/// Whether the JSON number `text` keeps its value when written by RFC 8785: `true` for
/// `0.1`, `1.0`, `1E2`, `-0`; `false` for `9007199254740993`, `1e-400`, `1e400`, and
/// for text that is not a JSON number.
pub fn number_value_preserved(text: &str) -> bool {
    read(text).is_some_and(|r| r.preserved)
}

/// The cursor that hands the number tokens of a document to the visitor in document
/// order. serde_json does not give a visitor the text of a number, and it visits the
/// numbers of a document in the order they are written, so one forward scan that skips
/// strings finds each number's text: linear in the document, with no allocation.
pub(crate) struct NumberTokens<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> NumberTokens<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        NumberTokens { text, at: 0 }
    }

    /// The next number token after the last one returned.
    pub(crate) fn next_token(&mut self) -> Option<&'t str> {
        let b = self.text.as_bytes();
        while let Some(&c) = b.get(self.at) {
            match c {
                b'"' => {
                    self.at += 1;
                    while let Some(&c) = b.get(self.at) {
                        self.at += if c == b'\\' { 2 } else { 1 };
                        if c == b'"' {
                            break;
                        }
                    }
                }
                b'-' | b'0'..=b'9' => {
                    let start = self.at;
                    while matches!(b.get(self.at), Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')) {
                        self.at += 1;
                    }
                    return self.text.get(start..self.at);
                }
                _ => self.at += 1,
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::JsonError;
    use crate::json::{parse, parse_with, NumberRule};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn accepts_numbers_whose_canonical_form_has_the_same_value() {
        for ok in ["0", "-0", "0.1", "1.0", "1E2", "1e+2", "100", "-12.5e-3", "0.000001", "1e21", "1e-7", "5e-324"] {
            assert!(number_value_preserved(ok), "{ok}");
        }
        for ok in ["9007199254740992", "-9007199254740992", "1.7976931348623157e308", "0e99999999999999999999999"] {
            assert!(number_value_preserved(ok), "{ok}");
        }
    }

    #[test]
    fn refuses_numbers_that_canonicalise_to_another_value() {
        let refused = [
            "18446744073709551617",
            "18446744073709551615",
            "9007199254740993",
            "9007199254740993.0",
            "1e-400",
            "1e400",
            "333333333.33333329",
            "0.30000000000000001",
            // Exact as a double, but RFC 8785 writes it 1152921504606847000.
            "1152921504606846976",
            "1e99999999999999999999999",
            "4.9e-324",
        ];
        for bad in refused {
            assert!(!number_value_preserved(bad), "{bad}");
        }
        let r = read("9007199254740993").unwrap();
        assert_eq!((r.canonical.as_str(), r.preserved), ("9007199254740992", false));
    }

    #[test]
    fn huge_exponents_decide_by_value_and_cost_nothing() {
        // Zero, or a value equal to a double, is accepted whatever the exponent says.
        let zeros = ["0e400", "-0e400", "0.0e-99999999999999999999", "0E+99999999999999999999", "0.000e-0"];
        let exact = ["10e-1", "100e-2", "1000000000000000000000e-21", "0.000000000000000000001e21", "25e-1"];
        for ok in zeros.iter().chain(&exact) {
            assert!(number_value_preserved(ok), "{ok}");
            let doc = format!("{{\"x\":{ok}}}");
            assert!(parse(doc.as_bytes()).is_ok(), "{ok}");
        }
        // A nonzero value beyond the doubles is refused, whichever way it points.
        for bad in ["1e-99999999999999999999", "1e99999999999999999999", "-1e-99999999999999999999", "1e-325"] {
            assert!(!number_value_preserved(bad), "{bad}");
            assert!(matches!(parse(format!("[{bad}]").as_bytes()), Err(JsonError::NumberChanged { .. })), "{bad}");
        }
        // Long mantissas and exponents that cancel: 1 written with 100,000 zeros. (Their
        // cost is measured by scripts/hostile-bench.sh, not timed here.)
        let one = format!("1{}e-100000", "0".repeat(100_000));
        assert!(parse(format!("[{one}]").as_bytes()).is_ok());
        let long_exp = format!("[1e-{}]", "9".repeat(100_000));
        assert!(parse(long_exp.as_bytes()).is_err());
        let zero_long_exp = format!("[0e{}]", "9".repeat(100_000));
        assert!(parse(zero_long_exp.as_bytes()).is_ok());
    }

    #[test]
    fn the_short_integer_fast_path_agrees_with_the_full_reading() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut texts =
            vec!["0".to_string(), "-0".to_string(), "999999999999999".to_string(), "-999999999999999".to_string()];
        for _ in 0..2000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let digits = (x % 15 + 1) as u32;
            let n = x % 10u64.pow(digits);
            texts.push(if x & 1 == 0 { n.to_string() } else { format!("-{n}") });
        }
        for t in texts {
            let (fast, full) = (read_short_integer(&t).unwrap(), read_any(&t).unwrap());
            assert_eq!((fast.number, fast.preserved), (full.number, full.preserved), "{t}");
        }
        assert!(read_short_integer("1234567890123456").is_none());
        assert!(read_short_integer("01").is_none());
    }

    /// The reading's float parser (serde_json, `float_roundtrip`) against std's, which is
    /// correctly rounded: hard cases (halfway points, subnormals, the largest double, long
    /// mantissas) and 20,000 generated texts must give the same bits.
    #[test]
    fn the_float_parser_rounds_as_std_does() {
        let mut texts: Vec<String> = [
            "9007199254740993",
            "9007199254740993.0",
            "2.2250738585072011e-308",
            "2.2250738585072012e-308",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "4.9e-324",
            "2.4703282292062328e-324",
            "2.4703282292062327e-324",
            "0.1",
            "0.30000000000000004",
            "123456789016789.125",
            "1.00000000000000011102230246251565404236316680908203125",
            "1.00000000000000011102230246251565404236316680908203124",
            "7.038531e-26",
            "1e23",
            "8.98846567431158e307",
            "333333333.33333329",
            "-0.0",
            "0e400",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let digits = (x % 25 + 1) as usize;
            let mantissa: String = (0..digits).map(|i| char::from(b'0' + ((x >> (i % 60)) % 10) as u8)).collect();
            let mantissa = mantissa.trim_start_matches('0');
            let mantissa = if mantissa.is_empty() { "1" } else { mantissa };
            let exp = (x >> 40) as i64 % 700 - 350;
            let point = (x >> 20) as usize % (mantissa.len() + 1);
            let text = if point == 0 || point == mantissa.len() {
                format!("{mantissa}e{exp}")
            } else {
                format!("{}.{}e{exp}", &mantissa[..point], &mantissa[point..])
            };
            texts.push(text);
        }
        let mut compared = 0;
        for t in &texts {
            let ours = t.parse::<serde_json::Number>().ok().and_then(|n| n.as_f64()).filter(|f| f.is_finite());
            let std = t.parse::<f64>().ok().filter(|f| f.is_finite());
            assert_eq!(ours.map(f64::to_bits), std.map(f64::to_bits), "{t}");
            compared += usize::from(std.is_some());
        }
        assert!(compared > 15_000, "only {compared} finite texts compared");
    }

    #[test]
    fn refuses_text_that_is_not_a_json_number() {
        for bad in ["", "-", "01", "1.", ".5", "+1", "1e", "1e+", "0x10", "1 ", "NaN", "Infinity", "--1", "1.5.2"] {
            assert!(!number_value_preserved(bad), "{bad:?}");
        }
    }

    #[test]
    fn scans_number_tokens_in_order_outside_strings() {
        let text = r#"{"a1":[-1.5e3,"2 \"3\\",true,{"4":0}],"b":7}"#;
        let mut t = NumberTokens::new(text);
        let found: Vec<&str> = std::iter::from_fn(|| t.next_token()).collect();
        assert_eq!(found, ["-1.5e3", "0", "7"]);
    }

    #[test]
    fn refuses_numbers_that_change_value_with_pointer_text_and_canonical_form() {
        assert_eq!(
            parse(br#"{"a":[1,9007199254740993]}"#),
            Err(JsonError::NumberChanged {
                pointer: "/a/1".into(),
                written: "9007199254740993".into(),
                canonical: Some("9007199254740992".into())
            })
        );
        let cases = [
            ("[18446744073709551617]", "18446744073709551617", Some("18446744073709552000")),
            (r#"{"x":9007199254740993.0}"#, "9007199254740993.0", Some("9007199254740992")),
            (r#"{"x":1e-400}"#, "1e-400", Some("0")),
            (r#"{"s":"1e400 ","x":{"y":1e400}}"#, "1e400", None),
            ("1e400", "1e400", None),
            ("[333333333.33333329]", "333333333.33333329", Some("333333333.3333333")),
        ];
        for (doc, written, canonical) in cases {
            match parse(doc.as_bytes()) {
                Err(JsonError::NumberChanged { written: w, canonical: c, .. }) => {
                    assert_eq!((w.as_str(), c.as_deref()), (written, canonical), "{doc}");
                }
                other => panic!("{doc}: {other:?}"),
            }
        }
        assert!(
            matches!(parse(br#"{"x":{"y":1e400}}"#), Err(JsonError::NumberChanged { pointer, .. }) if pointer == "/x/y")
        );
    }

    #[test]
    fn keeps_numbers_whose_value_survives_and_their_integer_form() {
        let v = parse(br#"[0.1, 1.0, 1E2, -0, 9007199254740992, -9007199254740992, 7, "9007199254740993"]"#).unwrap();
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"[0.1,1.0,100.0,0,9007199254740992,-9007199254740992,7,"9007199254740993"]"#
        );
        assert_eq!(v.get(6).and_then(Value::as_u64), Some(7));
        // 1.0 and 1 canonicalise alike; that is allowed, their value is the same.
        let one = crate::canonical_bytes(&parse(b"[1.0,1]").unwrap()).unwrap();
        assert_eq!(one, b"[1,1]");
    }

    #[test]
    fn canonicalise_only_mode_rounds_like_rfc_8785() {
        let v = parse_with(b"[333333333.33333329, 9007199254740993]", NumberRule::RoundLikeRfc8785).unwrap();
        assert_eq!(crate::canonical_bytes(&v).unwrap(), b"[333333333.3333333,9007199254740992]");
        // Still no infinity, even when rounding.
        assert!(parse_with(b"[1e400]", NumberRule::RoundLikeRfc8785).is_err());
    }
}
