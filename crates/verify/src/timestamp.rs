//! Timestamps: RFC 3339 in UTC (SPEC.md, `signedAt`, `consumedAt`, key windows).

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};
use time::format_description::well_known::Rfc3339;
use time::{Duration, Month, OffsetDateTime, UtcOffset};

use crate::error::TimeError;
use crate::text::shorten;

/// A UTC instant parsed from RFC 3339.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(OffsetDateTime);

impl Timestamp {
    /// Wrap an instant (converted to UTC).
    pub fn from_datetime(dt: OffsetDateTime) -> Self {
        Timestamp(dt.to_offset(UtcOffset::UTC))
    }

    /// From seconds since the Unix epoch.
    pub fn from_unix(secs: i64) -> Option<Self> {
        OffsetDateTime::from_unix_timestamp(secs).ok().map(Timestamp)
    }

    /// The underlying date-time (UTC).
    pub fn datetime(&self) -> OffsetDateTime {
        self.0
    }

    /// `self - earlier`.
    pub fn since(&self, earlier: &Timestamp) -> Duration {
        self.0 - earlier.0
    }

    /// The same calendar date and time `years` later; 29 February maps to 28 February
    /// in a non-leap year (SPEC.md, "Retention end").
    pub fn plus_years(&self, years: u32) -> Option<Timestamp> {
        let year = self.0.year().checked_add(i32::try_from(years).ok()?)?;
        let dt = match self.0.replace_year(year) {
            Ok(dt) => dt,
            Err(_) if self.0.month() == Month::February && self.0.day() == 29 => {
                self.0.replace_day(28).ok()?.replace_year(year).ok()?
            }
            Err(_) => return None,
        };
        Some(Timestamp(dt))
    }
}

impl FromStr for Timestamp {
    type Err = TimeError;

    fn from_str(s: &str) -> Result<Self, TimeError> {
        let dt = OffsetDateTime::parse(s, &Rfc3339).map_err(|_| TimeError::Format { found: shorten(s) })?;
        if dt.offset() != UtcOffset::UTC {
            return Err(TimeError::NotUtc { found: shorten(s) });
        }
        Ok(Timestamp(dt))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.format(&Rfc3339) {
            Ok(s) => f.write_str(&s),
            Err(_) => write!(f, "{}", self.0.unix_timestamp()),
        }
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

/// Human form of a duration for messages, e.g. `25h 0m 0s` or `-5m 0s`.
pub fn describe(d: Duration) -> String {
    let neg = d.is_negative();
    let total = d.whole_seconds().unsigned_abs();
    let (h, m, s) = (total / 3600, (total % 3600) / 60, total % 60);
    let body = if h > 0 {
        format!("{h}h {m}m {s}s")
    } else if m > 0 {
        format!("{m}m {s}s")
    } else {
        format!("{s}s")
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
        assert_eq!(describe(Duration::hours(25)), "25h 0m 0s");
        assert_eq!(describe(Duration::seconds(-300)), "-5m 0s");
    }
}
