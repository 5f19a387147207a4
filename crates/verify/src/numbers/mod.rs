//! The number rule (SPEC.md §2, v1.1): a JSON number is accepted only when the value of
//! its RFC 8785 form equals the value of its text as written. RFC 8785 §3.2.2.3 writes
//! numbers as ECMAScript writes IEEE-754 doubles, so `9007199254740993`, `1e-400` or
//! `0.30000000000000001` would otherwise be signed as a different number than the one
//! a person reads, and several texts would share one signature.
//!
//! The comparison is exact and decimal: both texts are reduced to (sign, significant
//! digits, exponent) and compared; no float is compared.

use std::ops::Range;

use serde_json::Number;

mod double;

pub(crate) use double::OutOfWork;

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
    let mut unlimited = u64::MAX;
    read_budgeted(text, &mut unlimited).unwrap_or(None)
}

/// [`read`], spending the slow path's digit operations from `work_left` (a document's
/// budget, `limits::NUMBER_WORK_PER_BYTE`).
pub(crate) fn read_budgeted(text: &str, work_left: &mut u64) -> Result<Option<Reading>, OutOfWork> {
    match read_short_integer(text) {
        Some(r) => Ok(Some(r)),
        None => read_any(text, work_left),
    }
}

fn read_any(text: &str, work_left: &mut u64) -> Result<Option<Reading>, OutOfWork> {
    let Some(p) = parts(text) else { return Ok(None) };
    let written = Decimal::of(&p);
    let integer = p.frac.is_empty() && p.exponent == 0;
    let number = match (integer, text.parse::<u64>(), text.parse::<i64>()) {
        (true, Ok(u), _) => Number::from(u),
        (true, _, Ok(i)) => Number::from(i),
        // Correctly rounded (half to even), as RFC 8785 assumes: see `double.rs`.
        _ => {
            let double = double::nearest(p.negative, &written.digits, written.exponent, work_left)?;
            match double.filter(|f| f.is_finite()).and_then(Number::from_f64) {
                Some(n) => n,
                None => return Ok(None),
            }
        }
    };
    let Ok(canonical) = crate::canonical::canonical_number(&number) else { return Ok(None) };
    let preserved = parts(&canonical).is_some_and(|c| Decimal::of(&c) == written);
    Ok(Some(Reading { number, canonical, preserved }))
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
    start: usize,
}

impl<'t> NumberTokens<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        NumberTokens { text, at: 0, start: 0 }
    }

    /// Where the last token returned starts.
    pub(crate) fn last_start(&self) -> usize {
        self.start
    }

    /// The next number token after the last one returned.
    pub(crate) fn next_token(&mut self) -> Option<&'t str> {
        let b = self.text.as_bytes();
        while let Some(&c) = b.get(self.at) {
            match c {
                b'"' => {
                    // Skip the string: jump from escape to escape (memchr2 is SIMD natively;
                    // byte by byte, this scan was a fifth of a receipt's time).
                    self.at += 1;
                    loop {
                        let rest = b.get(self.at..).unwrap_or_default();
                        match memchr::memchr2(b'"', b'\\', rest) {
                            Some(i) if rest.get(i) == Some(&b'\\') => self.at += i + 2,
                            Some(i) => {
                                self.at += i + 1;
                                break;
                            }
                            None => {
                                self.at = b.len();
                                break;
                            }
                        }
                    }
                }
                b'-' | b'0'..=b'9' => {
                    let start = self.at;
                    self.start = start;
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

/// The number tokens of `text` whose value is 1e299 or more in magnitude, at most
/// `MAX_LARGE_TOKENS` of them. serde_json reads numbers before any visitor sees them, and
/// without `float_roundtrip` its reading may overflow for the last few doubles below the
/// largest one, refusing `1.7976931348623157e308`; the parser hands it a `0` there
/// instead, and the visitor reads the token from the text as for every number. Decided
/// by the decimal point's place alone (no reading), so the scan costs one pass.
pub(crate) fn large_tokens(text: &str) -> Vec<Range<usize>> {
    let mut tokens = NumberTokens::new(text);
    let mut found = Vec::new();
    while let Some(token) = tokens.next_token() {
        if token.len() <= 300 && !token.contains(['e', 'E']) {
            continue;
        }
        let large = parts(token).is_some_and(|p| {
            let int = p.int.iter().skip_while(|d| **d == b'0').count();
            i64::try_from(int).unwrap_or(EXPONENT_CLAMP).saturating_add(p.exponent) >= 300
        });
        if large {
            found.push(tokens.last_start()..tokens.last_start() + token.len());
            if found.len() == MAX_LARGE_TOKENS {
                break;
            }
        }
    }
    found
}

/// Large tokens handed to serde_json as `0` (more are read by serde_json as written,
/// which refuses only those within a few units of the largest double: a document with
/// thousands of them is not an honest receipt file).
const MAX_LARGE_TOKENS: usize = 4096;

/// `text` with each range replaced by `0` and spaces to the same length, so serde_json's
/// line and column numbers stay those of the text.
pub(crate) fn with_zeros(text: &str, ranges: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for r in ranges {
        out.push_str(text.get(from..r.start).unwrap_or_default());
        out.push('0');
        out.extend(std::iter::repeat_n(' ', r.len().saturating_sub(1)));
        from = r.end;
    }
    out.push_str(text.get(from..).unwrap_or_default());
    out
}

#[cfg(test)]
mod tests;
