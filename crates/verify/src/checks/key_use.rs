//! Which key signs what: `key.select`, `key.validity`, `key.status`, `key.role` and
//! `receipt.alg` (SPEC.md, "Keys" and "Algorithms").

use serde_json::Value;

use crate::alg::Alg;
use crate::findings::Findings;
use crate::ids;
use crate::keys::{KeyFormat, KeyRole, KeyStatus, KidIndex, KidMatch, PublicKey, Selection};
use crate::report::{Check, Status, Subject};
use crate::text::q;
use crate::timestamp::Timestamp;

/// The key chosen for a signature, if one was.
pub(crate) struct KeyChoice {
    /// Index into the key list, if a key fits the kid.
    pub key: Option<usize>,
    /// Findings so far.
    pub findings: Vec<Check>,
}

impl KeyChoice {
    /// Whether the chosen key may count for this signature: none of its status, window
    /// or role findings failed (v1.1: a signature under a revoked key never counts).
    pub fn in_good_standing(&self) -> bool {
        self.key.is_some() && !self.findings.iter().any(|c| c.status == Status::Fail)
    }

    /// When no key fits the kid: take out the `key.select` failure, which becomes the
    /// finding of the signature's slot (round 2 names the key it verifies under, if any).
    pub fn take_select_failure(&mut self) -> Option<Check> {
        if self.key.is_some() {
            return None;
        }
        let at = self.findings.iter().position(|c| c.id == ids::KEY_SELECT && c.status == Status::Fail)?;
        Some(self.findings.remove(at))
    }
}

/// Select the key for `kid` (`kids` indexes `keys`) and check its window and status at
/// `signed_at`, and that it may sign `role` (a batch receipt needs `batch`, an approval
/// entry `approval`). `item` is the receipt's or approval entry's subject; the findings
/// point at its `kid` and `signedAt`. Findings whose words `seen` would not read are made
/// without them ([`Findings::reads`]).
pub(crate) fn choose(
    seen: &Findings,
    keys: &[PublicKey],
    kids: &KidIndex,
    kid: &str,
    role: KeyRole,
    signed_at: Option<Timestamp>,
    item: &Subject,
) -> KeyChoice {
    let (kid_at, signed_at_subject) = (&item.at("kid"), &item.at("signedAt"));
    let mut findings = Vec::new();
    let index = match kids.select(kid) {
        Selection::Found { index, how } => index_with_note(seen, keys, index, how, kid, kid_at, &mut findings),
        // Its words list the supplied kids: made only when read, so a file of receipts
        // naming no supplied key costs the same with 1 key as with 256.
        Selection::NotFound if !seen.reads(ids::KEY_SELECT, Status::Fail) => {
            findings.push(Check::unread(ids::KEY_SELECT, Status::Fail, kid_at.clone()));
            None
        }
        Selection::NotFound => {
            let kids = supplied_kids(keys);
            findings.push(
                Check::new(
                    ids::KEY_SELECT,
                    Status::Fail,
                    kid_at.clone(),
                    format!("no supplied key has kid {}; supply the key this receipt names", q(kid)),
                )
                .values(format!("a key with kid {}", q(kid)), kids),
            );
            None
        }
    };
    let Some(index) = index else {
        return KeyChoice { key: None, findings };
    };
    let Some(key) = keys.get(index) else {
        return KeyChoice { key: None, findings };
    };
    // Passes after their id's first are made without words, and the key's label is written
    // only into words that are read: formatting them for every receipt took about a tenth
    // of the CLI's parsing thread (profile, 2026-12-03).
    if let Some(t) = signed_at {
        if key.valid_from.is_some() || key.valid_until.is_some() {
            let before = key.valid_from.is_some_and(|from| t < from);
            let after = key.valid_until.is_some_and(|until| t > until);
            findings.push(if before || after {
                validity_failed(key, t, before, signed_at_subject)
            } else if seen.reads(ids::KEY_VALIDITY, Status::Pass) {
                Check::new(
                    ids::KEY_VALIDITY,
                    Status::Pass,
                    signed_at_subject.clone(),
                    format!("signedAt is within the validity window of {}", key.label()),
                )
            } else {
                Check::unread(ids::KEY_VALIDITY, Status::Pass, signed_at_subject.clone())
            });
        }
    }
    findings.extend(status_check(seen, key, kid_at));
    findings.push(role_check(seen, key, role, kid_at));
    KeyChoice { key: Some(index), findings }
}

/// How many supplied kids a `key.select` failure lists (v1.1, SPEC.md §11).
const LISTED_KIDS: usize = 5;
/// How many characters of each listed kid it shows.
const LISTED_KID_CHARS: usize = 80;

/// The supplied kids for a `key.select` failure: the first [`LISTED_KIDS`], each cut to
/// [`LISTED_KID_CHARS`] characters, and how many more. Bounded: every failed receipt gets
/// this text, so listing every kid cost receipts × keys × kid length (review 2, R2).
fn supplied_kids(keys: &[PublicKey]) -> String {
    let all = keys.iter().filter_map(|k| k.kid.as_deref());
    let total = all.clone().count();
    if total == 0 {
        return "no keys with a kid".to_string();
    }
    let listed: Vec<String> = all
        .take(LISTED_KIDS)
        .map(|kid| match kid.char_indices().nth(LISTED_KID_CHARS) {
            Some((cut, _)) => format!("{}…", q(kid.get(..cut).unwrap_or_default())),
            None => q(kid).to_string(),
        })
        .collect();
    let more = total - listed.len();
    if more == 0 {
        format!("kids {}", listed.join(", "))
    } else {
        format!("kids {} and {more} more", listed.join(", "))
    }
}

/// `signedAt` `t` is outside the key's window (`before` it, else after): which sources set
/// the window, and an empty window (its sources do not overlap) called empty.
fn validity_failed(key: &PublicKey, t: Timestamp, before: bool, at: &Subject) -> Check {
    let open = |t: Option<Timestamp>| t.map_or("(open)".to_string(), |t| t.to_string());
    let window = format!("{} .. {}", open(key.valid_from), open(key.valid_until));
    let by = key.window_by.as_deref().map_or(String::new(), |by| format!(", as narrowed by {by}"));
    let (message, expected) = match (key.valid_from, key.valid_until) {
        (Some(from), Some(until)) if from > until => (
            format!(
                "the validity window of {} is empty{by}: it starts ({from}) after it ends ({until}), so the key can have signed nothing",
                key.label()
            ),
            format!("a window that is not empty (it is {window})"),
        ),
        _ => (
            format!("signed {} the validity window of {}{by}", if before { "before" } else { "after" }, key.label()),
            format!("signedAt within {window}"),
        ),
    };
    Check::new(ids::KEY_VALIDITY, Status::Fail, at.clone(), message).values(expected, t)
}

/// `key.status`. The status is the key's, by fingerprint (`keys::share_lifetimes`), so
/// the message names the entry it came from when that is another. A retired or disabled
/// key without an end to its window cannot date its signatures: a warning, never a pass.
fn status_check(seen: &Findings, key: &PublicKey, kid_at: &Subject) -> Option<Check> {
    let via = match &key.lifetime_from {
        Some(other) => format!(" (as {other} says of the same key, by SPKI SHA-256)"),
        None => String::new(),
    };
    Some(match key.status? {
        KeyStatus::Revoked => Check::new(
            ids::KEY_STATUS,
            Status::Fail,
            kid_at.clone(),
            format!("{} is revoked{via}: nothing it signed is trusted", key.label()),
        )
        .values("active or retired", "revoked"),
        KeyStatus::Retired if key.valid_until.is_some() => Check::new(
            ids::KEY_STATUS,
            Status::Note,
            kid_at.clone(),
            format!("{} is retired{via}; signatures made inside its validity window stay valid", key.label()),
        ),
        KeyStatus::Retired => Check::new(
            ids::KEY_STATUS,
            Status::Warn,
            kid_at.clone(),
            format!(
                "{} is retired or disabled{via} and states no end date (validUntil, or Key Vault expires): \
                 when it stopped signing is unknown, so this signature alone proves little",
                key.label()
            ),
        )
        .values("a retired key with an end date", "no end date"),
        KeyStatus::Active if !seen.reads(ids::KEY_STATUS, Status::Pass) => {
            Check::unread(ids::KEY_STATUS, Status::Pass, kid_at.clone())
        }
        KeyStatus::Active => {
            Check::new(ids::KEY_STATUS, Status::Pass, kid_at.clone(), format!("{} is active", key.label()))
        }
    })
}

/// `key.role`: the key's `receiptRoles` must include `role`; a key that declares none
/// is used, with a warning that the role was not checked.
fn role_check(seen: &Findings, key: &PublicKey, role: KeyRole, kid_at: &Subject) -> Check {
    // (v1.1) The most restrictive copy wins: a copy skipped as not for signatures (use
    // "enc", keyUsage without digitalSignature…) withdraws the key from every role.
    if let Some(copy) = &key.restricted {
        return Check::new(
            ids::KEY_ROLE,
            Status::Fail,
            kid_at.clone(),
            format!(
                "{} may not sign {role} receipts: a copy of the same key (by SPKI SHA-256) is not for signatures: {copy}",
                key.label()
            ),
        )
        .values(format!("a key every copy of which may sign \"{role}\""), format!("not for signatures: {copy}"));
    }
    let Some(roles) = &key.roles else {
        return Check::new(
            ids::KEY_ROLE,
            Status::Warn,
            kid_at.clone(),
            format!("role not checked: {} declares no receiptRoles, so it may sign anything", key.label()),
        )
        .values(format!("receiptRoles including \"{role}\""), "no receiptRoles");
    };
    if roles.contains(&role) {
        if !seen.reads(ids::KEY_ROLE, Status::Pass) {
            return Check::unread(ids::KEY_ROLE, Status::Pass, kid_at.clone());
        }
        Check::new(ids::KEY_ROLE, Status::Pass, kid_at.clone(), format!("{} may sign {role} receipts", key.label()))
    } else {
        let listed = roles.iter().map(|r| format!("\"{r}\"")).collect::<Vec<_>>().join(", ");
        Check::new(
            ids::KEY_ROLE,
            Status::Fail,
            kid_at.clone(),
            format!("{} may not sign {role} receipts: its receiptRoles are [{listed}]", key.label()),
        )
        .values(format!("receiptRoles including \"{role}\""), format!("[{listed}]"))
    }
}

fn index_with_note(
    seen: &Findings,
    keys: &[PublicKey],
    index: usize,
    how: KidMatch,
    kid: &str,
    kid_at: &Subject,
    findings: &mut Vec<Check>,
) -> Option<usize> {
    let key = keys.get(index)?;
    if how != KidMatch::NotChecked && !seen.reads(ids::KEY_SELECT, Status::Pass) {
        findings.push(Check::unread(ids::KEY_SELECT, Status::Pass, kid_at.clone()));
        return Some(index);
    }
    let fp = key.fingerprint.to_string();
    let check = match how {
        KidMatch::Exact => Check::new(
            ids::KEY_SELECT,
            Status::Pass,
            kid_at.clone(),
            format!("kid matches a key from {} exactly (SPKI SHA-256 {fp})", key.source),
        ),
        KidMatch::AzureKeyUrl => Check::new(
            ids::KEY_SELECT,
            Status::Pass,
            kid_at.clone(),
            format!(
                "kid matched by Azure Key Vault key URL {} from {} (same keys/{{name}}/{{version}}; SPKI SHA-256 {fp})",
                q(key.kid.as_deref().unwrap_or_default()),
                key.source
            ),
        ),
        KidMatch::NotChecked => Check::new(
            ids::KEY_SELECT,
            Status::Note,
            kid_at.clone(),
            format!(
                "kid {} was not checked: the key from {} has no kid and was used as given (SPKI SHA-256 {fp})",
                q(kid),
                key.source
            ),
        ),
    };
    findings.push(check);
    Some(index)
}

/// Resolve the algorithm: the receipt's `alg` (if present) must be supported and fit the
/// key type and the key's own `alg`; without one, the key type's default is used.
pub(crate) fn resolve_alg(seen: &Findings, key: &PublicKey, alg: Option<&Value>, at: &Subject) -> (Option<Alg>, Check) {
    if let Some(why) = &key.alg_conflict {
        return (None, no_alg_allowed(ids::RECEIPT_ALG, key, why, at));
    }
    let Some(raw) = alg else {
        let alg = key.alg.unwrap_or_else(|| key.material.default_alg());
        if !seen.reads(ids::RECEIPT_ALG, Status::Pass) {
            return (Some(alg), Check::unread(ids::RECEIPT_ALG, Status::Pass, at.clone()));
        }
        return (
            Some(alg),
            Check::new(
                ids::RECEIPT_ALG,
                Status::Pass,
                at.clone(),
                format!("no alg given; {alg} is used for a {} key", key.material.describe()),
            ),
        );
    };
    let parsed = raw.as_str().and_then(|s| s.parse::<Alg>().ok());
    let Some(alg) = parsed else {
        return (
            None,
            Check::new(ids::RECEIPT_ALG, Status::Fail, at.clone(), "unsupported alg")
                .values("RS256, PS256 or ES256", crate::fields::describe(raw)),
        );
    };
    let refused = |message: String, expected: String| {
        (None, Check::new(ids::RECEIPT_ALG, Status::Fail, at.clone(), message).values(expected, alg))
    };
    if !key.material.supports(alg) {
        let fits = match key.material.default_alg() {
            Alg::Es256 => "ES256",
            _ => "RS256 or PS256",
        };
        return refused(
            format!("alg {alg} does not fit the {} key {}", key.material.describe(), key.label()),
            fits.into(),
        );
    }
    if let Some(key_alg) = key.alg.filter(|a| *a != alg) {
        let by = match &key.alg_from {
            Some(copy) => format!("the JWK alg of {copy}, a copy of the same key by SPKI SHA-256"),
            // (Review 9) A PEM or DER id-RSASSA-PSS key has no JWK: its key type says it.
            None if !matches!(key.format, KeyFormat::Jwk | KeyFormat::Jwks) => {
                "its id-RSASSA-PSS SubjectPublicKeyInfo (RFC 4055: PSS only)".to_string()
            }
            None => "its JWK alg".to_string(),
        };
        return refused(format!("the key {} is restricted to {key_alg} by {by}", key.label()), key_alg.to_string());
    }
    if !seen.reads(ids::RECEIPT_ALG, Status::Pass) {
        return (Some(alg), Check::unread(ids::RECEIPT_ALG, Status::Pass, at.clone()));
    }
    (
        Some(alg),
        Check::new(
            ids::RECEIPT_ALG,
            Status::Pass,
            at.clone(),
            format!("alg {alg} fits the {} key", key.material.describe()),
        ),
    )
}

/// The algorithm of an approval signature, which names none: the key's (SPEC.md §10), its
/// JWK `alg` (shared by every copy) or its type's default. The `approval.signature`
/// failure when the copies of the key allow no algorithm together (v1.1).
pub(crate) fn approval_alg(key: &PublicKey, at: &Subject) -> Result<Alg, Box<Check>> {
    match &key.alg_conflict {
        Some(why) => Err(Box::new(no_alg_allowed(ids::APPROVAL_SIGNATURE, key, why, at))),
        None => Ok(key.alg.unwrap_or_else(|| key.material.default_alg())),
    }
}

/// The failure for a key whose copies allow no algorithm receipts use together: nothing
/// it signs is verified.
fn no_alg_allowed(id: &'static str, key: &PublicKey, why: &str, at: &Subject) -> Check {
    Check::new(
        id,
        Status::Fail,
        at.clone(),
        format!("not verified: the copies of the key {} allow no algorithm receipts use together ({why})", key.label()),
    )
    .values("one of RS256, PS256 or ES256, allowed by every copy of the key (JWK alg)", why)
}
