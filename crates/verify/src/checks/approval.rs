//! Wave-approval rules (SPEC.md, "Wave approval"): freshness, quorum, separation of
//! duties and replay. Signatures are jobs, handled by the engine.

use std::collections::HashMap;

use crate::timestamp::Span;

use crate::approval::WaveApproval;
use crate::ids;
use crate::report::{Check, Status};
use crate::text::q;
use crate::timestamp::describe;

/// Largest allowed `consumedAt − signedAt`.
pub const MAX_AGE: Span = Span::hours(24);
/// Above this many devices, two distinct approvers are needed.
pub const TWO_APPROVER_THRESHOLD: u64 = 100;

/// Freshness, quorum and separation for one approval receipt.
pub(crate) fn check(a: &WaveApproval) -> Vec<Check> {
    let mut out = Vec::new();
    if let Some(consumed) = a.consumed_at {
        for e in &a.approvals {
            let Some(signed) = e.signed_at else { continue };
            let age = consumed.since(&signed);
            let at = e.subject.at("signedAt");
            out.push(if age.is_negative() || age > MAX_AGE {
                Check::new(
                    ids::APPROVAL_FRESHNESS,
                    Status::Fail,
                    at,
                    if age.is_negative() {
                        format!("consumed at {consumed}, before this approval was signed at {signed}")
                    } else {
                        format!("approval signed at {signed} was stale when consumed at {consumed}")
                    },
                )
                .values("0 ≤ consumedAt − signedAt ≤ 24h", format!("consumedAt − signedAt = {}", describe(age)))
            } else {
                Check::new(
                    ids::APPROVAL_FRESHNESS,
                    Status::Pass,
                    at,
                    format!("consumed {} after signing (limit 24h)", describe(age)),
                )
            });
        }
    }
    if let Some(count) = a.device_count {
        let needed = if count > TWO_APPROVER_THRESHOLD { 2 } else { 1 };
        // A handful of approvers: a linear scan, not a sort (each sort instantiation is
        // ~1 KB of WASM).
        let mut distinct: Vec<&str> = Vec::new();
        for approver in a.approvals.iter().filter_map(|e| e.approver.as_deref()) {
            if !distinct.contains(&approver) {
                distinct.push(approver);
            }
        }
        let have = distinct.len();
        let at = a.subject.at("approvals");
        let rule = if needed == 2 {
            format!("deviceCount {count} > {TWO_APPROVER_THRESHOLD} needs two distinct approvers")
        } else {
            format!("deviceCount {count} needs one approver")
        };
        out.push(if have >= needed {
            Check::new(ids::APPROVAL_QUORUM, Status::Pass, at, format!("{rule}; found {have}"))
        } else {
            Check::new(ids::APPROVAL_QUORUM, Status::Fail, at, rule)
                .values(format!("≥ {needed} distinct approvers"), format!("{have} ({})", distinct.join(", ")))
        });
    }
    if let Some(requester) = &a.requested_by {
        let mut clean = true;
        for e in &a.approvals {
            if e.approver.as_deref() == Some(requester.as_str()) {
                clean = false;
                out.push(
                    Check::new(
                        ids::APPROVAL_SEPARATION,
                        Status::Fail,
                        e.subject.at("approver"),
                        "the requester approved their own change (separation of duties)",
                    )
                    .values(format!("an approver other than {}", q(requester)), q(requester)),
                );
            }
        }
        if clean {
            out.push(Check::new(
                ids::APPROVAL_SEPARATION,
                Status::Pass,
                a.subject.at("requestedBy"),
                format!("no approver is the requester {}", q(requester)),
            ));
        }
    }
    out
}

/// Replay: each `(customerId, waveId)` may be consumed once across all approvals given.
pub(crate) fn replay(all: &[WaveApproval]) -> Vec<Check> {
    let mut seen: HashMap<(&str, &str), &WaveApproval> = HashMap::new();
    let mut out = Vec::new();
    for a in all {
        let (Some(c), Some(w)) = (a.customer_id.as_deref(), a.wave_id.as_deref()) else { continue };
        let at = a.subject.at("waveId");
        match seen.get(&(c, w)) {
            Some(first) => out.push(
                Check::new(
                    ids::APPROVAL_REPLAY,
                    Status::Fail,
                    at,
                    format!(
                        "wave {} of customer {} was already consumed by the approval at {}: an approval is single-use",
                        q(w),
                        q(c),
                        first.subject.receipt_place()
                    ),
                )
                .values(
                    "consumed once",
                    format!("consumed again at {}", a.consumed_at.map_or("?".into(), |t| t.to_string())),
                ),
            ),
            None => {
                seen.insert((c, w), a);
                out.push(Check::new(
                    ids::APPROVAL_REPLAY,
                    Status::Pass,
                    at,
                    format!("wave {} of customer {} is consumed once among the approvals given", q(w), q(c)),
                ));
            }
        }
    }
    out
}
