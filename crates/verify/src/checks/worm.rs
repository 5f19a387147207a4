//! WORM storage fields (SPEC.md, "WORM fields").

use crate::findings::Findings;
use crate::ids;
use crate::receipt::BatchReceipt;
use crate::report::{Check, Status};
use crate::text::q;
use crate::timestamp::Timestamp;

/// `worm.uri`, `worm.immutability` and `worm.retention` for one receipt; findings whose
/// words `seen` would not read are made without them ([`Findings::reads`]).
pub(crate) fn check(seen: &Findings, r: &BatchReceipt) -> Vec<Check> {
    let mut out = Vec::new();
    if let (Some(uri), Some(customer), Some(signed_at)) = (&r.worm_blob_uri, &r.customer_id, r.signed_at) {
        let expected_tail = worm_path_suffix(customer, signed_at);
        let at = r.subject.at("wormBlobUri");
        // The suffix rule is applied to the path exactly as written (SPEC.md §9, v1.1).
        out.push(match super::worm_uri::parse(uri) {
            Err(reason) => Check::new(
                ids::WORM_URI,
                Status::Fail,
                at,
                format!("wormBlobUri is not a strict https URL: {reason}"),
            )
            .values("https://{dns-host}[:port]/{path}[?query]", uri),
            // A customerId that is not one path segment (`/` in it) would let the path
            // end in the right suffix with the customer split over two segments.
            Ok(_) if !super::worm_uri::is_segment(customer) => Check::new(
                ids::WORM_URI,
                Status::Fail,
                at,
                format!("customerId {} cannot be one path segment of wormBlobUri, so no wormBlobUri matches it", q(customer)),
            )
            .values("a customerId of path characters, without / ; % or blanks", q(customer)),
            Ok(u) if u.path.ends_with(&expected_tail) => Check::new(
                ids::WORM_URI,
                Status::Pass,
                at,
                "wormBlobUri is https and its path matches customerId and signedAt",
            ),
            Ok(u) => Check::new(
                ids::WORM_URI,
                Status::Fail,
                at,
                "wormBlobUri path does not end in /{customerId}/{YYYY}/{MM}/{DD}/{HHMM}Z.json for this receipt's customerId and signedAt",
            )
            .values(format!("…{expected_tail}"), u.path),
        });
    }
    if let Some(imm) = &r.immutability {
        let at = r.subject.at("immutability");
        match locked_years(imm) {
            Some(n) => {
                out.push(if seen.reads(ids::WORM_IMMUTABILITY, Status::Pass) {
                    Check::new(ids::WORM_IMMUTABILITY, Status::Pass, at.clone(), format!("locked for {}", years(n)))
                } else {
                    Check::unread(ids::WORM_IMMUTABILITY, Status::Pass, at.clone())
                });
                let end = r.signed_at.and_then(|t| t.plus_years(n));
                if end.is_some() && !seen.reads(ids::WORM_RETENTION, Status::Note) {
                    // Over the cap: counted only.
                    out.push(Check::unread(ids::WORM_RETENTION, Status::Note, at));
                } else if let Some(end) = end {
                    let mut c = Check::new(
                        ids::WORM_RETENTION,
                        Status::Note,
                        at,
                        format!("the WORM copy must be retained until {end} (signedAt + {})", years(n)),
                    );
                    c.actual = Some(end.to_string());
                    out.push(c);
                }
            }
            None => out.push(
                Check::new(
                    ids::WORM_IMMUTABILITY,
                    Status::Fail,
                    at,
                    "immutability must be locked-<N>y with N from 1 to 999",
                )
                .values("locked-<N>y", q(imm)),
            ),
        }
    }
    out
}

/// The path a WORM blob must end with: `/{customerId}/{YYYY}/{MM}/{DD}/{HHMM}Z.json`,
/// with `signedAt` in UTC (SPEC.md §9).
pub fn worm_path_suffix(customer_id: &str, signed_at: Timestamp) -> String {
    let c = signed_at.civil();
    format!("/{customer_id}/{:04}/{:02}/{:02}/{:02}{:02}Z.json", c.year, c.month, c.day, c.hour, c.minute)
}

/// "1 year", "7 years" (made only for a finding someone reads).
fn years(n: u32) -> String {
    if n == 1 {
        "1 year".into()
    } else {
        format!("{n} years")
    }
}

/// `N` of `locked-<N>y`, with N in 1..=999 and no leading zero.
pub(crate) fn locked_years(s: &str) -> Option<u32> {
    let n = s.strip_prefix("locked-")?.strip_suffix('y')?;
    let ok = !n.is_empty() && n.len() <= 3 && !n.starts_with('0') && n.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| n.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn immutability_grammar() {
        assert_eq!(locked_years("locked-7y"), Some(7));
        assert_eq!((years(1).as_str(), years(7).as_str()), ("1 year", "7 years"));
        assert_eq!(locked_years("locked-100y"), Some(100));
        for bad in ["locked-0y", "locked-07y", "locked-7", "locked-y", "unlocked", "locked--7y", "locked-1000y"] {
            assert_eq!(locked_years(bad), None, "{bad}");
        }
    }
}
