use super::*;
use crate::error::JsonError;
use crate::json::{parse, parse_with, NumberRule};
use serde_json::Value;
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
        let (fast, full) = (read_short_integer(&t).unwrap(), read_any(&t, &mut { u64::MAX }).unwrap().unwrap());
        assert_eq!((fast.number, fast.preserved), (full.number, full.preserved), "{t}");
    }
    assert!(read_short_integer("1234567890123456").is_none());
    assert!(read_short_integer("01").is_none());
}

/// The reading's float parser (`double.rs`) against std's, which is correctly rounded:
/// hard cases (halfway points, subnormals, the largest double, mantissas longer than the
/// 800 digits kept, with and without a nonzero tail) and 20,000 generated texts must
/// give the same bits.
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
    let zeros = "0".repeat(900);
    texts.push(format!("9007199254740993{zeros}e-900"));
    texts.push(format!("9007199254740993{zeros}1e-901"));
    texts.push(format!("9007199254740995{zeros}e-900"));
    texts.push(format!("0.{}", "1".repeat(1000)));
    texts.push(format!("{}e-1000", "9".repeat(1200)));
    texts.push(format!("2.4703282292062327208828439643411068618252990130716238221279284125033775364{zeros}1e-324"));
    texts.push(format!("1.797693134862315807937289714053034150799341327710{zeros}e308"));
    texts.push(format!("1.797693134862315807937289714053034150799341327710{zeros}1e308"));
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
        let ours = read(t).and_then(|r| r.number.as_f64());
        let std = t.parse::<f64>().ok().filter(|f| f.is_finite());
        assert_eq!(ours.map(f64::to_bits), std.map(f64::to_bits), "{t}");
        compared += usize::from(std.is_some());
    }
    assert!(compared > 15_000, "only {compared} finite texts compared");
}

/// 300,000 generated texts, natively (the WASM runs keep the 20,000 above): decimal
/// and exponent forms, 1 to 40 digits, every exponent that reaches a double.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn generated_texts_round_as_std_does() {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut compared = 0;
    for _ in 0..300_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let len = (x % 40 + 1) as usize;
        let mut y = x;
        let digits: String = (0..len)
            .map(|_| {
                y = y.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                char::from(b'0' + ((y >> 33) % 10) as u8)
            })
            .collect();
        let digits = digits.trim_start_matches('0');
        let digits = if digits.is_empty() { "7" } else { digits };
        let text = match (x >> 50) % 3 {
            0 => format!("{digits}e{}", (x >> 20) as i64 % 680 - 340),
            1 => format!("0.{digits}"),
            _ => format!("{}.{}", &digits[..digits.len() / 2 + 1], &digits[digits.len() / 2 + 1..]).replace(".e", "e"),
        };
        let text = text.trim_end_matches('.').to_string();
        let ours = read(&text).and_then(|r| r.number.as_f64());
        let std = text.parse::<f64>().ok().filter(|f| f.is_finite());
        assert_eq!(ours.map(f64::to_bits), std.map(f64::to_bits), "{text}");
        compared += usize::from(std.is_some());
    }
    println!("numbers: {compared} generated texts read to the same double as std");
    assert!(compared > 270_000, "only {compared} finite texts compared");
}

/// Numbers that serde_json without `float_roundtrip` reads as infinite are read from
/// their text: the largest doubles are accepted, the first value beyond them refused.
#[test]
fn the_largest_doubles_parse_and_anything_beyond_is_refused() {
    let v = parse(b"[1.7976931348623157e308, -1.7976931348623157e308, 1.7976931348623155e308, 2, 0.5]").unwrap();
    let got: Vec<f64> = v.as_array().unwrap().iter().filter_map(Value::as_f64).collect();
    assert_eq!(got, [f64::MAX, -f64::MAX, f64::from_bits(f64::MAX.to_bits() - 1), 2.0, 0.5]);
    for beyond in ["[1.7976931348623159e308]", "[1e309]", "[-1.8e308]"] {
        assert!(matches!(parse(beyond.as_bytes()), Err(JsonError::NumberChanged { .. })), "{beyond}");
    }
    // A string that looks like a large number is not touched.
    let v = parse(br#"{"a":"1.7976931348623157e308","b":1.7976931348623157e308}"#).unwrap();
    assert_eq!(v["a"], "1.7976931348623157e308");
    assert_eq!(v["b"].as_f64(), Some(f64::MAX));
}

/// A token is large by where its decimal point falls, whatever its spelling: the
/// largest double written with 20 integer digits and an exponent, or as 309 digits with
/// no exponent (300 characters and more), is read from its text; so is every such token
/// of a document, not only its first (mutation audit: under a mutant of `large_tokens`
/// serde_json reads them and refuses them as infinite; that needs the test build's
/// serde_json to be the product's, without `float_roundtrip`: scripts/test.sh checks it).
#[test]
fn every_large_token_is_read_from_its_text_whatever_its_spelling() {
    let digits = format!("17976931348623157{}", "0".repeat(292));
    assert_eq!(digits.len(), 309);
    for text in ["[17976931348623157000e289]".to_string(), format!("[{digits}]"), format!("[{digits}, -{digits}]")] {
        let v = parse(text.as_bytes()).unwrap_or_else(|e| panic!("{text}: {e:?}"));
        let got: Vec<f64> = v.as_array().unwrap().iter().filter_map(Value::as_f64).collect();
        assert!(!got.is_empty() && got.iter().all(|x| x.abs() == f64::MAX), "{text}: {got:?}");
    }
    // Negative control: one more unit in the 17th digit is beyond the largest double.
    let beyond = format!("[17976931348623159{}]", "0".repeat(292));
    assert!(matches!(parse(beyond.as_bytes()), Err(JsonError::NumberChanged { .. })));
}

/// Red team 4: the exact reader costs about 30,000 digit operations for `1e308`, so a
/// document of nothing else is refused once its budget is spent (64 MB of `1e-330` took
/// 590 s of CPU), while honest numbers (17-digit decimals, a few extreme ones) are read.
#[test]
fn extreme_numbers_are_read_within_a_budget_and_honest_ones_always() {
    let many_extreme = format!("[{}]", vec!["1e308"; 200_000].join(","));
    match parse(many_extreme.as_bytes()) {
        Err(JsonError::NumbersTooCostly { pointer, .. }) => {
            let at: usize = pointer.trim_start_matches('/').parse().unwrap();
            assert!((1_000..10_000).contains(&at), "refused at {pointer}");
        }
        other => panic!("expected NumbersTooCostly, got {other:?}"),
    }
    // Positive controls: a thousand extreme numbers in a small document, and 100,000
    // 17-digit decimals.
    let some_extreme = format!("[{}]", vec!["1e308"; 1_000].join(","));
    assert_eq!(parse(some_extreme.as_bytes()).unwrap().as_array().map(Vec::len), Some(1_000));
    let decimals = format!("[{}]", vec!["0.30000000000000004"; 100_000].join(","));
    assert_eq!(parse(decimals.as_bytes()).unwrap().as_array().map(Vec::len), Some(100_000));
}

/// Large numbers are handed to serde_json as `0` padded with spaces, so a syntax error
/// after them is reported at its own column (red team 4).
#[test]
fn syntax_errors_after_large_numbers_keep_their_column() {
    let at = |text: &str| match parse(text.as_bytes()) {
        Err(JsonError::Syntax { line, column, .. }) => (line, column),
        other => panic!("{text}: {other:?}"),
    };
    assert_eq!(at("[1.7976931348623157e308, 1.7976931348623157e308, x]"), (1, 50));
    assert_eq!(at("{\"a\":1e308,\"b\":2,}"), (1, 18));
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
