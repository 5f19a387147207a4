//! Timestamps: RFC 3339 in UTC (SPEC.md, `signedAt`, `consumedAt`, key windows).
//!
//! The parser, the formatter and the civil-calendar arithmetic are written here rather
//! than taken from `time`: they are ~100 lines, and `time`'s RFC 3339 support cost the
//! WASM build 5.5 KB gzipped (issue 3's size budget). The tests compare every function
//! with `time` over a wide range of instants, so the two cannot drift apart.

use std::fmt;

use serde::{Serialize, Serializer};

mod parse;
#[cfg(test)]
mod tests;

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
