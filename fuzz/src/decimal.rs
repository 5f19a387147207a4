//! Exact decimal values of JSON number texts, and the RFC 8785 (ECMAScript) text of a double.

/// Exponents are saturated here: far beyond any double, and far from overflowing `i64`
/// when the digit count (bounded by the input length) is added.
const EXPONENT_CAP: i64 = 1_000_000_000_000;

/// The exact value of a decimal text: zero, or `±digits × 10^exp` where `digits` has
/// no leading and no trailing zero, so equal values have equal representations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Exact {
    /// Zero, whatever its sign, digits or exponent.
    Zero,
    /// A value other than zero.
    NonZero {
        /// Whether it is below zero.
        negative: bool,
        /// Significant digits, ASCII, first and last not `0`.
        digits: Vec<u8>,
        /// Power of ten the digits are multiplied by.
        exp: i64,
    },
}

impl Exact {
    /// Read a text in the JSON number grammar (RFC 8259 §6); `None` if it is not one.
    pub fn parse(text: &str) -> Option<Exact> {
        let b = text.as_bytes();
        let mut i = 0;
        let negative = b.first() == Some(&b'-');
        if negative {
            i += 1;
        }
        let int_start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        let int = b.get(int_start..i)?;
        if int.is_empty() || (int.len() > 1 && int.first() == Some(&b'0')) {
            return None;
        }
        let mut frac: &[u8] = &[];
        if b.get(i) == Some(&b'.') {
            let start = i + 1;
            i = start;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            frac = b.get(start..i)?;
            if frac.is_empty() {
                return None;
            }
        }
        let mut exponent: i64 = 0;
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            let exp_negative = b.get(i) == Some(&b'-');
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            let start = i;
            while let Some(d) = b.get(i).filter(|d| d.is_ascii_digit()) {
                exponent = (exponent * 10 + i64::from(d - b'0')).min(EXPONENT_CAP);
                i += 1;
            }
            if i == start {
                return None;
            }
            if exp_negative {
                exponent = -exponent;
            }
        }
        if i != b.len() {
            return None;
        }
        let all: Vec<u8> = int.iter().chain(frac).copied().collect();
        let Some(first) = all.iter().position(|d| *d != b'0') else {
            return Some(Exact::Zero);
        };
        let last = all.iter().rposition(|d| *d != b'0').unwrap_or(first);
        let trailing = (all.len() - 1 - last) as i64;
        let digits = all.get(first..=last)?.to_vec();
        Some(Exact::NonZero { negative, digits, exp: exponent - frac.len() as i64 + trailing })
    }
}

/// The RFC 8785 text of a finite double: ECMA-262 `Number::toString(x)` (radix 10).
/// Rust's shortest round-trip digits (`{:e}`) are the `s` of that algorithm: as few
/// digits as possible, and of those the closest to `x`.
pub fn es_number(x: f64) -> Option<String> {
    if !x.is_finite() {
        return None;
    }
    if x == 0.0 {
        return Some("0".to_string()); // -0 too
    }
    let sci = format!("{:e}", x.abs());
    let (mantissa, e) = sci.split_once('e')?;
    let e: i64 = e.parse().ok()?;
    let digits = tie_to_even(mantissa.chars().filter(|c| *c != '.').collect(), e, x.abs());
    let k = digits.len() as i64;
    let n = e + 1;
    let body = if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        let (a, b) = digits.split_at(n as usize);
        format!("{a}.{b}")
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let sign = if n - 1 < 0 { '-' } else { '+' };
        let (a, b) = digits.split_at(1);
        let dot = if b.is_empty() { "" } else { "." };
        format!("{a}{dot}{b}e{sign}{}", (n - 1).abs())
    };
    Some(if x < 0.0 { format!("-{body}") } else { body })
}

/// ECMA-262 picks, of two shortest digit strings equally close to `x`, the even one.
/// Rust's shortest digits break that tie the other way (`123456789016789.125` gives
/// `…13`, Node prints `…12`), so look at `x`'s exact decimal expansion: when it lies
/// exactly halfway between `digits` and its neighbour in the last place, take the even one.
fn tie_to_even(digits: String, e: i64, x: f64) -> String {
    let exact = format!("{:.1100e}", x);
    let Some((m, ee)) = exact.split_once('e') else { return digits };
    if ee.parse::<i64>().ok() != Some(e) {
        return digits;
    }
    let exact_digits: String = m.chars().filter(|c| *c != '.').collect();
    let exact_digits = exact_digits.trim_end_matches('0');
    let Some(last) = digits.chars().last().and_then(|c| c.to_digit(10)) else { return digits };
    let stem = &digits[..digits.len() - 1];
    let with_last = |d: u32| format!("{stem}{d}");
    // Halfway below: exact = stem (last-1) 5; halfway above: exact = stem last 5.
    if last >= 1 && (!stem.is_empty() || last >= 2) && exact_digits == format!("{}5", with_last(last - 1)) {
        return if last % 2 == 0 { digits } else { with_last(last - 1) };
    }
    if last <= 8 && exact_digits == format!("{digits}5") {
        return if last % 2 == 0 { digits } else { with_last(last + 1) };
    }
    digits
}

/// Known answers for [`es_number`]: the sample lines of the RFC 8785 number corpus
/// (`../shared/vectors/jcs/numbers/es6_numbers_sample.csv`, IEEE bits → text) and the
/// boundaries of each ECMA-262 branch, every answer as Node's `String(x)` prints it.
/// The number target runs this before fuzzing, so a wrong oracle fails loudly instead
/// of blaming the core.
pub const ES_KNOWN: &[(u64, &str)] = &[
    (0x4340_0000_0000_0000, "9007199254740992"),
    // A tie between two shortest strings: ECMA-262 takes the even one (Node: …12).
    (0x42dc_1221_837c_3548, "123456789016789.12"),
    (0x4340_0000_0000_0001, "9007199254740994"),
    (0x4340_0000_0000_0002, "9007199254740996"),
    (0x4430_0000_0000_0001, "295147905179352900000"),
    (0x44b5_2d02_c7e1_4af6, "1e+23"),
    (0x44b5_2d02_c7e1_4af7, "1.0000000000000001e+23"),
    (0x3eb0_c6f7_a0b5_ed8d, "0.000001"),
    (0x3eb0_c6f7_a0b5_ed8c, "9.999999999999997e-7"),
    (0x0000_0000_0000_0001, "5e-324"),
    (0x8000_0000_0000_0000, "0"),
    (0x7fef_ffff_ffff_ffff, "1.7976931348623157e+308"),
    (0x4059_0000_0000_0000, "100"),
    (0x3fb9_9999_9999_999a, "0.1"),
    (0xbff0_0000_0000_0000, "-1"),
    (0x43c0_0000_0000_0000, "2305843009213694000"),
    (0x444b_1ae4_d6e2_ef50, "1e+21"),
    (0x4415_af1d_78b5_8c40, "100000000000000000000"),
    (0x3ee4_f8b5_88e3_68f1, "0.00001"),
];

/// Check [`es_number`] against [`ES_KNOWN`]; panics naming the first wrong answer.
pub fn check_es_number() {
    for (bits, want) in ES_KNOWN {
        let got = es_number(f64::from_bits(*bits));
        assert_eq!(got.as_deref(), Some(*want), "the fuzz oracle's ES serialisation of {bits:#018x} is wrong");
    }
}

/// A JSON number text for a fuzz input: the input itself when it is one (so seeds and
/// dictionaries stay readable), otherwise one built from its bytes, so no input is wasted.
pub fn number_text(data: &[u8]) -> String {
    if let Ok(text) = std::str::from_utf8(data) {
        if Exact::parse(text).is_some() {
            return text.to_string();
        }
    }
    let mut bytes = data.iter().copied();
    let flags = bytes.next().unwrap_or(0);
    let mut sizes = |modulus: u8| bytes.next().map_or(1, |b| 1 + usize::from(b % modulus));
    let int_len = sizes(24);
    let frac_len = if flags & 2 != 0 { sizes(24) } else { 0 };
    let exp_len = if flags & 4 != 0 { sizes(4) } else { 0 };
    let mut digit = |nonzero: bool| {
        let b = bytes.next().unwrap_or(9);
        char::from(if nonzero { b'1' + b % 9 } else { b'0' + b % 10 })
    };
    let mut text = String::new();
    if flags & 1 != 0 {
        text.push('-');
    }
    if flags & 32 != 0 {
        text.push('0');
    } else {
        text.push(digit(true));
        (1..int_len).for_each(|_| text.push(digit(false)));
    }
    if frac_len > 0 {
        text.push('.');
        (0..frac_len).for_each(|_| text.push(digit(false)));
    }
    if exp_len > 0 {
        text.push(if flags & 8 != 0 { 'E' } else { 'e' });
        if flags & 16 != 0 {
            text.push('-');
        } else if flags & 64 != 0 {
            text.push('+');
        }
        (0..exp_len).for_each(|_| text.push(digit(false)));
    }
    text
}

/// Whether the strict number rule (issue 9, format v1.1) accepts `text`: it must parse
/// to a finite double, and the exact value of that double's RFC 8785 text must equal
/// the exact value of `text` as written. Returns the RFC 8785 text too.
pub fn rule_accepts(text: &str) -> (bool, Option<String>) {
    let Some(exact) = Exact::parse(text) else {
        return (false, None);
    };
    // Rust's float parsing is correctly rounded (round half to even), as RFC 8259 readers must be.
    let canonical = text.parse::<f64>().ok().and_then(es_number);
    let accepts = canonical.as_deref().and_then(Exact::parse).is_some_and(|c| c == exact);
    (accepts, canonical)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn es_number_matches_known_answers() {
        check_es_number();
    }

    #[test]
    fn es_number_matches_the_shared_sample_file() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/vectors/jcs/numbers/es6_numbers_sample.csv");
        let text = std::fs::read_to_string(path).unwrap();
        let mut n = 0;
        for line in text.lines().filter(|l| !l.is_empty()) {
            let (hex, want) = line.split_once(',').unwrap();
            let bits = u64::from_str_radix(hex, 16).unwrap();
            assert_eq!(es_number(f64::from_bits(bits)).as_deref(), Some(want), "{line}");
            n += 1;
        }
        assert_eq!(n, 7);
    }

    #[test]
    fn exact_values() {
        assert_eq!(Exact::parse("1.0"), Exact::parse("1"));
        assert_eq!(Exact::parse("1E2"), Exact::parse("100"));
        assert_eq!(Exact::parse("-0"), Some(Exact::Zero));
        assert_eq!(Exact::parse("0e99999999999999999999"), Some(Exact::Zero));
        assert_ne!(Exact::parse("18446744073709551617"), Exact::parse("18446744073709551616"));
        assert_ne!(Exact::parse("-1"), Exact::parse("1"));
        for bad in ["", "-", "01", "1.", ".5", "1e", "1e+", "+1", "1 ", "0x1", "NaN"] {
            assert_eq!(Exact::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_issue_cases() {
        for ok in ["0.1", "1.0", "1E2", "-0", "1e21", "5e-324", "9007199254740992"] {
            assert!(rule_accepts(ok).0, "{ok}");
        }
        // 2^60 and 2^64 are doubles, but their RFC 8785 forms (…847000, …552000) have other values.
        for refused in [
            "18446744073709551617",
            "18446744073709551616",
            "1152921504606846976",
            "9007199254740993.0",
            "1e-400",
            "1e400",
            "2e-324",
            "333333333.33333329",
        ] {
            assert!(!rule_accepts(refused).0, "{refused}");
        }
    }

    #[test]
    fn built_texts_are_json_numbers() {
        for seed in 0u16..4096 {
            let data = [seed as u8, (seed >> 8) as u8, 7, 200, 3, 1, 4, 1, 5, 9];
            let text = number_text(&data);
            assert!(Exact::parse(&text).is_some(), "{text}");
        }
    }
}
