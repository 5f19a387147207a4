//! Wave-approval rules (SPEC.md, "Wave approval"): freshness, quorum, separation of
//! duties and replay. Signatures are jobs, handled by the engine.

use std::collections::{HashMap, HashSet};

use crate::timestamp::Span;

use crate::approval::WaveApproval;
use crate::identity::{identity_key, IdentityRefusal};
use crate::ids;
use crate::keys::{Approver, PublicKey};
use crate::report::{Check, Status, Subject};
use crate::text::q;
use crate::timestamp::describe;

/// Largest allowed `consumedAt − signedAt`.
pub const MAX_AGE: Span = Span::hours(24);
/// Above this many devices, two distinct approvers are needed.
pub const TWO_APPROVER_THRESHOLD: u64 = 100;

/// Freshness, separation and binding for one approval receipt; quorum waits for the
/// signatures ([`quorum`]).
pub(crate) fn check(a: &WaveApproval, bound: &[Option<Option<&Approver>>]) -> Vec<Check> {
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
    out.extend(separation(a, bound));
    out.extend(binding(a, bound));
    out
}

/// Separation of duties: `requestedBy` against each entry's `approver` and each entry
/// key's bound identity, compared as identities (crate::identity), so case, spacing,
/// invisible characters, full-width forms and look-alike letters do not hide the match.
/// `bound[k]` is `None` when entry `k` selected no key, else the key's bound identity.
fn separation(a: &WaveApproval, bound: &[Option<Option<&Approver>>]) -> Vec<Check> {
    let mut out = Vec::new();
    let Some(requester) = &a.requested_by else { return out };
    let requester_key = match identity_key(requester) {
        Ok(k) => k,
        Err(why) => {
            out.push(refused(ids::APPROVAL_SEPARATION, a.subject.at("requestedBy"), "requestedBy", requester, &why));
            return out;
        }
    };
    let mut clean = true;
    for (k, e) in a.approvals.iter().enumerate() {
        if let Some(approver) = &e.approver {
            match identity_key(approver) {
                Ok(key) if key == requester_key => {
                    clean = false;
                    out.push(
                        Check::new(
                            ids::APPROVAL_SEPARATION,
                            Status::Fail,
                            e.subject.at("approver"),
                            "the requester approved their own change (separation of duties; names are compared as identities, SPEC.md §10)",
                        )
                        .values(format!("an approver other than {}", q(requester)), q(approver)),
                    );
                }
                Ok(_) => {}
                Err(why) => {
                    clean = false;
                    out.push(refused(ids::APPROVAL_SEPARATION, e.subject.at("approver"), "approver", approver, &why));
                }
            }
        }
        // A key whose copies name different approvers belongs to every one of them.
        let Some(owners) = bound.get(k).copied().flatten().flatten() else { continue };
        let owner = owners.names().iter().find(|owner| identity_key(owner).is_ok_and(|key| key == requester_key));
        if let Some(owner) = owner {
            clean = false;
            out.push(
                Check::new(
                    ids::APPROVAL_SEPARATION,
                    Status::Fail,
                    e.subject.at("kid"),
                    "the key that signed this approval belongs to the requester (separation of duties)",
                )
                .values(
                    format!("a key bound to someone other than {}", q(requester)),
                    format!("a key bound to {}", q(owner)),
                ),
            );
        }
    }
    if clean {
        out.push(Check::new(
            ids::APPROVAL_SEPARATION,
            Status::Pass,
            a.subject.at("requestedBy"),
            format!("no approver, and no approver's key, is the requester {}", q(requester)),
        ));
    }
    out
}

/// Approver binding (v1.1): an entry's `approver` must be the identity its key is bound
/// to (JWK `approver`). A key without one cannot be checked: a note says so.
fn binding(a: &WaveApproval, bound: &[Option<Option<&Approver>>]) -> Vec<Check> {
    let mut out = Vec::new();
    for (k, e) in a.approvals.iter().enumerate() {
        let (Some(approver), Some(Some(selected))) = (&e.approver, bound.get(k)) else { continue };
        let at = e.subject.at("approver");
        let Some(owners) = selected else {
            out.push(Check::new(
                ids::APPROVAL_BINDING,
                Status::Note,
                at,
                "the key this entry's kid selects names no approver (JWK \"approver\"), so who signed was not checked",
            ));
            continue;
        };
        let owner = match owners {
            Approver::Bound(owner) => owner,
            Approver::Conflicting(names) => {
                let names = names.iter().map(|n| q(n).to_string()).collect::<Vec<_>>().join(", ");
                out.push(
                    Check::new(
                        ids::APPROVAL_BINDING,
                        Status::Fail,
                        at,
                        format!(
                            "copies of this key are bound to different approvers: {names}; \
                             a key bound to several names proves none of them (SPEC.md §11)"
                        ),
                    )
                    .values("a key bound to one approver", format!("copies bound to {names}")),
                );
                continue;
            }
        };
        out.push(match (identity_key(approver), identity_key(owner)) {
            (Ok(x), Ok(y)) if x == y => Check::new(
                ids::APPROVAL_BINDING,
                Status::Pass,
                at,
                format!("approver {} is the identity the key is bound to", q(approver)),
            ),
            (Ok(_), Ok(_)) => Check::new(
                ids::APPROVAL_BINDING,
                Status::Fail,
                at,
                "the entry names another approver than the one its key belongs to",
            )
            .values(format!("approver {} (the key's JWK approver)", q(owner)), q(approver)),
            // Also reported by separation when a requester is named; binding must fail on its
            // own (no requestedBy, or a later change there), so it says what it could not prove.
            (Err(why), _) => Check::new(
                ids::APPROVAL_BINDING,
                Status::Fail,
                at,
                format!(
                    "approver {} cannot be compared as an identity, so it is not proven to be the key's: {why}",
                    q(approver)
                ),
            )
            .values(format!("approver {} (the key's JWK approver)", q(owner)), q(approver)),
            (_, Err(why)) => refused(ids::APPROVAL_BINDING, at, "the key's approver", owner, &why),
        });
    }
    out
}

fn refused(id: &'static str, at: Subject, what: &str, value: &str, why: &IdentityRefusal) -> Check {
    Check::new(id, Status::Fail, at, format!("{what} {} cannot be compared as an identity: {why}", q(value))).values(
        "one identity: characters of the identity repertoire, one script, precomposed (NFC) (SPEC.md §10)",
        q(value),
    )
}

/// One approval's entries, as quorum needs them once the signatures are verified.
pub(crate) struct QuorumPlan {
    pub subject: Subject,
    pub device_count: u64,
    /// `(signature slot, selected key, approver)` per entry that has a signature job.
    pub entries: Vec<(usize, usize, Option<String>)>,
}

/// Quorum (v1.1): count the distinct keys, by fingerprint, whose approval signature
/// verified, and the distinct identities behind them (each key's bound identity, else
/// the entry's approver). The smaller count is the number of approvers: one key never
/// counts twice whatever names it signs under, and one person never counts twice
/// whatever keys they hold. `verified(slot)` says whether a slot's signature verified.
pub(crate) fn quorum(plan: &QuorumPlan, keys: &[PublicKey], verified: impl Fn(usize) -> bool) -> Check {
    let needed = if plan.device_count > TWO_APPROVER_THRESHOLD { 2 } else { 1 };
    let mut fingerprints = HashSet::new();
    let mut people = HashSet::new();
    let mut names = Vec::new();
    for (slot, key, approver) in &plan.entries {
        let Some(key) = keys.get(*key) else { continue };
        if !verified(*slot) {
            continue;
        }
        // A key whose copies name different approvers proves no one (approval.binding fails).
        let who = match &key.approver {
            Some(Approver::Bound(owner)) => owner.as_str(),
            Some(Approver::Conflicting(_)) => continue,
            None => approver.as_deref().unwrap_or_default(),
        };
        fingerprints.insert(key.fingerprint);
        // A name that cannot be compared (refused by separation or binding) counts as
        // no one: counted as written, two spellings of one person would count twice.
        let Ok(person) = identity_key(who) else { continue };
        if people.insert(person) && names.len() < 10 {
            names.push(q(who).to_string());
        }
    }
    let have = fingerprints.len().min(people.len());
    let count = plan.device_count;
    let at = plan.subject.at("approvals");
    let rule = if needed == 2 {
        format!("deviceCount {count} > {TWO_APPROVER_THRESHOLD} needs two distinct approvers with verified signatures")
    } else {
        format!("deviceCount {count} needs one approver with a verified signature")
    };
    let found = format!(
        "{} distinct keys and {} distinct identities ({})",
        fingerprints.len(),
        people.len(),
        if names.is_empty() { "none".to_string() } else { names.join(", ") }
    );
    if have >= needed {
        Check::new(ids::APPROVAL_QUORUM, Status::Pass, at, format!("{rule}; found {found}"))
    } else {
        Check::new(ids::APPROVAL_QUORUM, Status::Fail, at, format!("{rule}; counted by key fingerprint and identity"))
            .values(format!("≥ {needed} distinct keys and identities"), found)
    }
}

/// Replay: each `(customerId, waveId)` may be consumed once across all approvals given.
/// Both are compared as identities (crate::identity), so a variant spelling of the same
/// wave (case, invisible characters, full-width or look-alike letters) is a replay too.
pub(crate) fn replay(all: &[WaveApproval]) -> Vec<Check> {
    let mut seen: HashMap<(String, String), &WaveApproval> = HashMap::new();
    let mut out = Vec::new();
    for a in all {
        let (Some(c), Some(w)) = (a.customer_id.as_deref(), a.wave_id.as_deref()) else { continue };
        let at = a.subject.at("waveId");
        let replay_key = match (identity_key(c), identity_key(w)) {
            (Ok(ck), Ok(wk)) => (ck, wk),
            (Err(why), _) => {
                out.push(refused(ids::APPROVAL_REPLAY, a.subject.at("customerId"), "customerId", c, &why));
                continue;
            }
            (_, Err(why)) => {
                out.push(refused(ids::APPROVAL_REPLAY, at, "waveId", w, &why));
                continue;
            }
        };
        match seen.get(&replay_key) {
            Some(first) => out.push(
                Check::new(
                    ids::APPROVAL_REPLAY,
                    Status::Fail,
                    at,
                    format!(
                        "wave {} of customer {} was already consumed by the approval at {} (as wave {} of customer {}): an approval is single-use",
                        q(w),
                        q(c),
                        first.subject.receipt_place(),
                        q(first.wave_id.as_deref().unwrap_or_default()),
                        q(first.customer_id.as_deref().unwrap_or_default()),
                    ),
                )
                .values(
                    "consumed once",
                    format!("consumed again at {}", a.consumed_at.map_or("?".into(), |t| t.to_string())),
                ),
            ),
            None => {
                seen.insert(replay_key, a);
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
