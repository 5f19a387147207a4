//! Timestamps: RFC 3339 in UTC (SPEC.md, `signedAt`, `consumedAt`, key windows).
//!
//! The parser, the formatter and the civil-calendar arithmetic are written here rather
//! than taken from `time`: they are ~100 lines, and `time`'s RFC 3339 support cost the
//! WASM build 5.5 KB gzipped (issue 3's size budget). The tests compare every function
//! with `time` over a wide range of instants, so the two cannot drift apart.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

use crate::error::TimeError;
use crate::text::shorten;

const NANOS_PER_SEC: i128 = 1_000_000_000;
const SECS_PER_DAY: i64 = 86_400;

/// A UTC instant: seconds since the Unix epoch and nanoseconds within that second.
/// Ordered by time.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    secs: i64,
    nanos: u32,
}

/// A calendar date and time of day in UTC (proleptic Gregorian calendar).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Civil {
    /// Year, e.g. 2026.
    pub year: i64,
    /// Month, 1–12.
    pub month: u32,
    /// Day of the month, 1–31.
    pub day: u32,
    /// Hour, 0–23.
    pub hour: u32,
    /// Minute, 0–59.
    pub minute: u32,
    /// Second, 0–59.
    pub second: u32,
    /// Nanoseconds, 0–999 999 999.
    pub nanosecond: u32,
}

/// The signed time between two instants (`later.since(&earlier)`), in nanoseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span(i128);

impl Span {
    /// `h` hours.
    pub const fn hours(h: i64) -> Self {
        Span(h as i128 * 3600 * NANOS_PER_SEC)
    }

    /// Whether the span runs backwards.
    pub fn is_negative(&self) -> bool {
        self.0 < 0
    }

    /// Whole seconds, rounded towards zero.
    pub fn whole_seconds(&self) -> i128 {
        self.0 / NANOS_PER_SEC
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-Compatible
/// Low-Level Date Algorithms", `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`]: (year, month, day).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    // Both are in range by construction (1–31 and 1–12).
    let day = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let month = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Far beyond any receipt, and small enough that no arithmetic below can overflow.
const MAX_ABS_SECS: i64 = 1 << 48;

impl Timestamp {
    /// From seconds since the Unix epoch (`None` beyond ±8.9 million years).
    pub fn from_unix(secs: i64) -> Option<Self> {
        (secs.abs() <= MAX_ABS_SECS).then_some(Timestamp { secs, nanos: 0 })
    }

    /// Seconds since the Unix epoch (rounded down).
    pub fn unix_seconds(&self) -> i64 {
        self.secs
    }

    /// From a UTC calendar date and time; `None` if a field is out of range.
    pub fn from_civil(c: Civil) -> Option<Self> {
        let valid = (1..=12).contains(&c.month)
            && (1..=days_in_month(c.year, c.month)).contains(&c.day)
            && c.hour < 24
            && c.minute < 60
            && c.second < 60
            && c.nanosecond < 1_000_000_000
            && c.year.abs() < 1 << 32;
        if !valid {
            return None;
        }
        let secs = days_from_civil(c.year, c.month, c.day) * SECS_PER_DAY
            + i64::from(c.hour * 3600 + c.minute * 60 + c.second);
        Some(Timestamp { secs, nanos: c.nanosecond })
    }

    /// The UTC calendar date and time.
    pub fn civil(&self) -> Civil {
        let days = self.secs.div_euclid(SECS_PER_DAY);
        // 0..86 400, so it fits.
        let in_day = u32::try_from(self.secs.rem_euclid(SECS_PER_DAY)).unwrap_or(0);
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            hour: in_day / 3600,
            minute: in_day % 3600 / 60,
            second: in_day % 60,
            nanosecond: self.nanos,
        }
    }

    /// `self - earlier`.
    pub fn since(&self, earlier: &Timestamp) -> Span {
        let nanos = |t: &Timestamp| i128::from(t.secs) * NANOS_PER_SEC + i128::from(t.nanos);
        Span(nanos(self) - nanos(earlier))
    }

    /// The same calendar date and time `years` later; 29 February maps to 28 February
    /// in a non-leap year (SPEC.md, "Retention end").
    pub fn plus_years(&self, years: u32) -> Option<Timestamp> {
        let mut c = self.civil();
        c.year = c.year.checked_add(i64::from(years))?;
        if c.month == 2 && c.day == 29 && !is_leap(c.year) {
            c.day = 28;
        }
        Timestamp::from_civil(c).filter(|t| t.secs.abs() <= MAX_ABS_SECS)
    }
}

/// Reads RFC 3339 `date-time` (§5.6): `YYYY-MM-DDTHH:MM:SS[.fraction]` and an offset
/// `Z` or `±HH:MM`; `T` and `Z` may be lower case (§5.6, note). Fraction digits past the
/// ninth are read only to be zero (see [`finer_than_nanoseconds`]). A leap second `23:59:60` is accepted only where one can fall: at
/// the end of June 30 or December 31, UTC (IERS; SPEC.md §5, v1.1). It is read as
/// `23:59:59.999999999`.
fn parse_rfc3339(s: &str) -> Option<(Civil, i32)> {
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
    if c.second == 60 {
        let end_of_june_or_december = matches!((c.month, c.day), (6, 30) | (12, 31));
        if !(end_of_june_or_december && c.hour == 23 && c.minute == 59 && offset_minutes == 0) {
            return None;
        }
        c.second = 59;
        c.nanosecond = 999_999_999;
    }
    Some((c, offset_minutes))
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
        let (civil, offset_minutes) = parse_rfc3339(s).ok_or_else(bad)?;
        if finer_than_nanoseconds(s) {
            return Err(TimeError::FinerThanNanoseconds { found: shorten(s) });
        }
        let t = Timestamp::from_civil(civil).ok_or_else(bad)?;
        if offset_minutes != 0 {
            return Err(TimeError::NotUtc { found: shorten(s) });
        }
        Ok(t)
    }
}

impl fmt::Display for Timestamp {
    /// RFC 3339 with `Z`; the fraction only when non-zero, without trailing zeros. Years
    /// outside 0000–9999 have no RFC 3339 form; they print in the ISO 8601 expanded form,
    /// with a sign and at least four digits (`+10998-03-02T09:03:00Z`), so a retention end
    /// far in the future still reads as a date.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = self.civil();
        match c.year {
            0..=9999 => write!(f, "{:04}", c.year)?,
            y if y > 9999 => write!(f, "+{y}")?,
            y => write!(f, "-{:04}", y.unsigned_abs())?,
        }
        write!(f, "-{:02}-{:02}T{:02}:{:02}:{:02}", c.month, c.day, c.hour, c.minute, c.second)?;
        if c.nanosecond != 0 {
            let digits = format!("{:09}", c.nanosecond);
            write!(f, ".{}", digits.trim_end_matches('0'))?;
        }
        f.write_str("Z")
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Human form of a span for messages, e.g. `25h 0m 0s`, `-5m 0s` or `24h 0m 0.9s`.
/// The fraction of a second is kept (trailing zeros dropped), so a span just past a limit
/// never reads as the limit itself, and the sign is kept however small the span.
pub fn describe(d: Span) -> String {
    let neg = d.is_negative();
    let abs = d.0.unsigned_abs();
    let nanos_per_sec = NANOS_PER_SEC.unsigned_abs();
    let (total, frac) = (abs / nanos_per_sec, abs % nanos_per_sec);
    let (h, m, s) = (total / 3600, (total % 3600) / 60, total % 60);
    let secs = if frac == 0 {
        format!("{s}s")
    } else {
        let digits = format!("{frac:09}");
        format!("{s}.{}s", digits.trim_end_matches('0'))
    };
    let body = if h > 0 {
        format!("{h}h {m}m {secs}")
    } else if m > 0 {
        format!("{m}m {secs}")
    } else {
        secs
    };
    if neg {
        format!("-{body}")
    } else {
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn parses_utc_only() {
        assert!("2026-03-02T09:00:00Z".parse::<Timestamp>().is_ok());
        assert!("2026-03-02T09:00:00.123Z".parse::<Timestamp>().is_ok());
        assert!(matches!("2026-03-02T09:00:00+01:00".parse::<Timestamp>(), Err(TimeError::NotUtc { .. })));
        assert!("2026-03-02 09:00".parse::<Timestamp>().is_err());
    }

    #[test]
    fn adds_years_across_leap_days() {
        let t: Timestamp = "2028-02-29T12:00:00Z".parse().unwrap();
        assert_eq!(t.plus_years(7).unwrap().to_string(), "2035-02-28T12:00:00Z");
        let t: Timestamp = "2026-03-02T09:00:00Z".parse().unwrap();
        assert_eq!(t.plus_years(7).unwrap().to_string(), "2033-03-02T09:00:00Z");
    }

    #[test]
    fn describes_durations() {
        assert_eq!(describe(Span::hours(25)), "25h 0m 0s");
        assert_eq!(describe(Span(-300 * NANOS_PER_SEC)), "-5m 0s");
        assert_eq!(describe(Span(0)), "0s");
        // Just past a limit never reads as the limit, and a tiny negative span keeps its sign.
        assert_eq!(describe(Span(Span::hours(24).0 + 900_000_000)), "24h 0m 0.9s");
        assert_eq!(describe(Span(Span::hours(24).0 + 1)), "24h 0m 0.000000001s");
        assert_eq!(describe(Span(-1)), "-0.000000001s");
        assert_eq!(describe(Span(-(61 * NANOS_PER_SEC + 250_000_000))), "-1m 1.25s");
        assert_eq!(describe(Span(59 * NANOS_PER_SEC + 999_999_999)), "59.999999999s");
    }

    #[test]
    fn years_past_9999_print_as_dates() {
        let t: Timestamp = "9999-03-02T09:03:00.5Z".parse().unwrap();
        assert_eq!(t.plus_years(999).unwrap().to_string(), "+10998-03-02T09:03:00.5Z");
        assert_eq!(t.plus_years(1).unwrap().to_string(), "+10000-03-02T09:03:00.5Z");
        let far = Timestamp::from_unix(-62_167_219_201).unwrap(); // one second before year 0
        assert_eq!(far.to_string(), "-0001-12-31T23:59:59Z");
        let last = Timestamp::from_unix(253_402_300_799).unwrap();
        assert_eq!(last.to_string(), "9999-12-31T23:59:59Z");
    }

    /// A deterministic spread of instants from year 0 to 9999, with and without fractions.
    fn instants() -> Vec<(i64, u32)> {
        let lo = -62_167_219_200i64; // 0000-01-01T00:00:00Z
        let hi = 253_402_300_799i64; // 9999-12-31T23:59:59Z
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut out = vec![(lo, 0), (hi, 999_999_999), (0, 0), (951_782_400, 0), (1_709_164_800, 1)];
        for i in 0..20_000u32 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let span = u64::try_from(hi - lo).unwrap();
            let secs = lo + i64::try_from(state % span).unwrap();
            let nanos = match i % 4 {
                0 => 0,
                1 => u32::try_from(state % 1000).unwrap() * 1_000_000,
                _ => u32::try_from(state % 1_000_000_000).unwrap(),
            };
            out.push((secs, nanos));
        }
        out
    }

    fn reference(secs: i64, nanos: u32) -> time::OffsetDateTime {
        time::OffsetDateTime::from_unix_timestamp(secs).unwrap() + time::Duration::nanoseconds(i64::from(nanos))
    }

    #[test]
    fn agrees_with_the_time_crate() {
        use time::format_description::well_known::Rfc3339;
        // Counts the `plus_years` comparisons, which depend on the instant: `time` has no
        // year past 9999, and no 29 February in a non-leap year.
        let (mut plus_years_compared, mut out_of_range) = (0usize, 0usize);
        let all = instants();
        for &(secs, nanos) in &all {
            let ours = Timestamp { secs, nanos };
            let theirs = reference(secs, nanos);
            let text = theirs.format(&Rfc3339).unwrap();
            assert_eq!(ours.to_string(), text, "format of {secs}.{nanos}");
            assert_eq!(text.parse::<Timestamp>().unwrap(), ours, "parse of {text}");
            let c = ours.civil();
            let want = (
                i64::from(theirs.year()),
                u32::from(u8::from(theirs.month())),
                u32::from(theirs.day()),
                u32::from(theirs.hour()),
                u32::from(theirs.minute()),
                u32::from(theirs.second()),
            );
            assert_eq!((c.year, c.month, c.day, c.hour, c.minute, c.second), want, "civil of {text}");
            match theirs.replace_year(theirs.year() + 7) {
                Ok(later) => {
                    assert_eq!(ours.plus_years(7).unwrap().to_string(), later.format(&Rfc3339).unwrap());
                    plus_years_compared += 1;
                }
                _ => out_of_range += 1,
            }
        }
        let expected_out_of_range = all
            .iter()
            .map(|&(secs, nanos)| Timestamp { secs, nanos }.civil())
            .filter(|c| c.year + 7 > 9999 || (c.month == 2 && c.day == 29 && !is_leap(c.year + 7)))
            .count();
        assert_eq!(out_of_range, expected_out_of_range);
        assert_eq!(plus_years_compared + out_of_range, all.len());
        assert!(plus_years_compared > all.len() * 99 / 100, "{plus_years_compared} of {}", all.len());
    }

    #[test]
    fn accepts_and_refuses_what_rfc_3339_says() {
        use time::format_description::well_known::Rfc3339;
        let same_as_time = [
            "2026-03-02T09:00:00Z",
            "2026-03-02t09:00:00z",
            "2026-03-02T09:00:00+00:00",
            "2026-03-02T09:00:00.5Z",
            "2026-03-02T09:00:00.123456789000Z",
            "2024-02-29T00:00:00Z",
            "2026-12-31T23:59:60Z",
            "2026-02-29T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-03-02T24:00:00Z",
            "2026-03-02T09:60:00Z",
            "2026-03-02T09:00:00",
            "2026-03-02T09:00:00.Z",
            "2026-03-02T09:00:00+0000",
            "2026-03-02T09:00:00Z ",
            "26-03-02T09:00:00Z",
            "",
        ];
        for s in same_as_time {
            let theirs = time::OffsetDateTime::parse(s, &Rfc3339).ok().map(|t| t.format(&Rfc3339).unwrap());
            let ours = s.parse::<Timestamp>().ok().map(|t| t.to_string());
            assert_eq!(ours, theirs, "{s:?}");
        }
        // Deliberately stricter than `time`: only `T` separates date and time, and `-00:00`
        // ("offset unknown", RFC 3339 §4.3) is not UTC.
        assert!(matches!("2026-03-02 09:00:00Z".parse::<Timestamp>(), Err(TimeError::Format { .. })));
        assert!(matches!("2026-03-02T09:00:00-00:00".parse::<Timestamp>(), Err(TimeError::NotUtc { .. })));
        assert!(matches!("2026-03-02T09:00:00-05:00".parse::<Timestamp>(), Err(TimeError::NotUtc { .. })));
        // (v1.1) `time` cuts a fraction past nanoseconds; we refuse it unless the cut part is zeros.
        for finer in [
            "2026-03-02T09:00:00.123456789123Z",
            "2026-03-02T09:01:00.1234567890123Z",
            "2026-03-02T09:01:00.000000000000000000000000000000000000001Z",
            "2026-03-02T09:01:00.0000000001+00:00",
        ] {
            assert!(matches!(finer.parse::<Timestamp>(), Err(TimeError::FinerThanNanoseconds { .. })), "{finer}");
        }
        let exact: Timestamp = "2026-03-02T09:01:00.100000000000000000000Z".parse().unwrap();
        assert_eq!(exact.to_string(), "2026-03-02T09:01:00.1Z");
        assert!("2026-03-02T09:01:00.999999999Z".parse::<Timestamp>().is_ok());
    }

    #[test]
    fn a_leap_second_only_where_one_can_fall() {
        for ok in
            ["2016-12-31T23:59:60Z", "2015-06-30T23:59:60Z", "2026-06-30t23:59:60.5z", "2026-12-31T23:59:60+00:00"]
        {
            let t: Timestamp = ok.parse().unwrap_or_else(|e| panic!("{ok}: {e}"));
            let next_day: Timestamp = ok.get(..10).map(|d| format!("{d}T23:59:59Z")).unwrap().parse().unwrap();
            assert!(t > next_day, "{ok} is after 23:59:59");
        }
        let refused = [
            "2026-03-02T23:59:60Z",
            "2026-03-31T23:59:60Z",
            "2026-06-29T23:59:60Z",
            "2026-12-30T23:59:60Z",
            "2026-12-31T23:58:60Z",
            "2026-12-31T22:59:60Z",
            "2026-12-31T18:59:60-05:00",
            "2026-12-31T23:59:61Z",
        ];
        for bad in refused {
            assert!(matches!(bad.parse::<Timestamp>(), Err(TimeError::Format { .. })), "{bad}");
        }
    }
}
