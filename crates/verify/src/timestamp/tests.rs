//! The timestamp tests: formatting and parsing against the `time` crate, leap seconds,
//! fractions, durations.

use super::*;
use crate::error::TimeError;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[test]
fn parses_utc_only() {
    assert!("2026-03-02T09:00:00Z".parse::<Timestamp>().is_ok());
    assert!("2026-03-02T09:00:00.123Z".parse::<Timestamp>().is_ok());
    assert!(matches!("2026-03-02T09:00:00+01:00".parse::<Timestamp>(), Err(TimeError::NotUtc { .. })));
    assert!("2026-03-02 09:00".parse::<Timestamp>().is_err());
}

/// RFC 3339 §5.6: `t` and `z` are `T` and `Z` (SPEC.md §5, letter case); no other letter is.
#[test]
fn t_and_z_in_either_case_are_one_instant() {
    let upper: Timestamp = "2026-03-02T09:00:00.5Z".parse().unwrap();
    for text in
        ["2026-03-02t09:00:00.5Z", "2026-03-02T09:00:00.5z", "2026-03-02t09:00:00.5z", "2026-03-02T09:00:00.5+00:00"]
    {
        assert_eq!(text.parse::<Timestamp>(), Ok(upper), "{text}");
    }
    for text in ["2026-03-02X09:00:00Z", "2026-03-02T09:00:00Y", "2026-03-02T09:00:00", "2026-03-02T09:00:00ZZ"] {
        assert!(text.parse::<Timestamp>().is_err(), "{text}");
    }
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
    for ok in ["2016-12-31T23:59:60Z", "2015-06-30T23:59:60Z", "2026-06-30t23:59:60.000z", "2026-12-31T23:59:60+00:00"]
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
    // Red team 10: a fraction on a leap second would be lost (both read as
    // 23:59:59.999999999), so .1 and .9 would be one instant: refused. Zeros keep the value.
    for bad in [
        "2026-06-30T23:59:60.1Z",
        "2026-06-30T23:59:60.9Z",
        "2026-12-31t23:59:60.000000001z",
        "2026-12-31T23:59:60.5+00:00",
    ] {
        let e = bad.parse::<Timestamp>().unwrap_err();
        assert!(matches!(e, TimeError::LeapSecondFraction { .. }), "{bad}: {e}");
        assert!(e.to_string().contains("leap second"), "{e}");
    }
    let zeros: Timestamp = "2026-06-30T23:59:60.000000000000Z".parse().unwrap();
    assert_eq!(zeros, "2026-06-30T23:59:60Z".parse::<Timestamp>().unwrap());
    // Control: a fraction on 23:59:59 is kept and ordered.
    let a: Timestamp = "2026-06-30T23:59:59.1Z".parse().unwrap();
    let b: Timestamp = "2026-06-30T23:59:59.9Z".parse().unwrap();
    assert!(a < b);
}
