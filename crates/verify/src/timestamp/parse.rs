//! Reading RFC 3339 text into a [`Timestamp`] (SPEC.md §5): the grammar, leap seconds
//! and the nanosecond limit on fractions.

use std::str::FromStr;

use super::{Civil, Timestamp};
use crate::error::TimeError;
use crate::text::shorten;

/// Reads RFC 3339 `date-time` (§5.6): `YYYY-MM-DDTHH:MM:SS[.fraction]` and an offset
/// `Z` or `±HH:MM`; `T` and `Z` may be lower case (§5.6, note). Fraction digits past the
/// ninth are read only to be zero (see [`finer_than_nanoseconds`]). A leap second
/// `23:59:60` is accepted only where one can fall: at the end of June 30 or December 31,
/// UTC (IERS; SPEC.md §5, v1.1). It is read as `23:59:59.999999999`. The flag says a
/// leap second carried a non-zero fraction, which that reading would lose (red team 10).
fn parse_rfc3339(s: &str) -> Option<(Civil, i32, bool)> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<u32> {
        let digits = b.get(from..from + len)?;
        digits.iter().try_fold(0u32, |n, d| d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0')))
    };
    let lit = |at: usize, c: u8| b.get(at).is_some_and(|x| x.eq_ignore_ascii_case(&c));
    if !(lit(4, b'-') && lit(7, b'-') && lit(10, b'T') && lit(13, b':') && lit(16, b':')) {
        return None;
    }
    let mut c = Civil {
        year: i64::from(num(0, 4)?),
        month: num(5, 2)?,
        day: num(8, 2)?,
        hour: num(11, 2)?,
        minute: num(14, 2)?,
        second: num(17, 2)?,
        nanosecond: 0,
    };
    let mut at = 19;
    if lit(at, b'.') {
        at += 1;
        let digits = b.get(at..)?.iter().take_while(|d| d.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        let scale = [100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1];
        for (d, unit) in b.get(at..at + digits.min(9))?.iter().zip(scale) {
            c.nanosecond += u32::from(d - b'0') * unit;
        }
        at += digits;
    }
    let offset_minutes = if lit(at, b'Z') && b.len() == at + 1 {
        0
    } else {
        let sign = match b.get(at)? {
            b'+' => 1,
            b'-' => -1,
            _ => return None,
        };
        if b.len() != at + 6 || !lit(at + 3, b':') {
            return None;
        }
        let (h, m) = (num(at + 1, 2)?, num(at + 4, 2)?);
        if h > 23 || m > 59 {
            return None;
        }
        // `-00:00` means "offset unknown" (RFC 3339 §4.3): not UTC.
        if h == 0 && m == 0 && sign < 0 {
            -1
        } else {
            sign * i32::try_from(h * 60 + m).ok()?
        }
    };
    let mut leap_fraction = false;
    if c.second == 60 {
        let end_of_june_or_december = matches!((c.month, c.day), (6, 30) | (12, 31));
        if !(end_of_june_or_december && c.hour == 23 && c.minute == 59 && offset_minutes == 0) {
            return None;
        }
        leap_fraction = c.nanosecond != 0;
        c.second = 59;
        c.nanosecond = 999_999_999;
    }
    Some((c, offset_minutes, leap_fraction))
}

/// Whether the fraction of an RFC 3339 text has a non-zero digit past the ninth (v1.1):
/// an instant finer than a nanosecond cannot be kept, and cutting it would make two
/// different texts one instant. Trailing zeros keep the value, so they are accepted.
fn finer_than_nanoseconds(s: &str) -> bool {
    let Some(fraction) = s.get(19..).and_then(|f| f.strip_prefix('.')) else { return false };
    fraction.bytes().take_while(u8::is_ascii_digit).skip(9).any(|d| d != b'0')
}

impl FromStr for Timestamp {
    type Err = TimeError;

    fn from_str(s: &str) -> Result<Self, TimeError> {
        let bad = || TimeError::Format { found: shorten(s) };
        let (civil, offset_minutes, leap_fraction) = parse_rfc3339(s).ok_or_else(bad)?;
        if finer_than_nanoseconds(s) {
            return Err(TimeError::FinerThanNanoseconds { found: shorten(s) });
        }
        // 23:59:60.1 and 23:59:60.9 would both be 23:59:59.999999999: one instant for
        // two texts, which let a consumption 0.8 s before signing read as fresh.
        if leap_fraction {
            return Err(TimeError::LeapSecondFraction { found: shorten(s) });
        }
        let t = Timestamp::from_civil(civil).ok_or_else(bad)?;
        if offset_minutes != 0 {
            return Err(TimeError::NotUtc { found: shorten(s) });
        }
        Ok(t)
    }
}
