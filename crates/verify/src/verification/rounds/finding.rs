//! The finding for one signature once its rounds are over.

use super::slot::{Probe, Slot};
use crate::ids;
use crate::keys::PublicKey;
use crate::report::{Check, Status, Subject};
use crate::signature::SignatureFailure;

/// Appended to a failure that round 2 did not probe.
const NOT_PROBED: &str =
    " (not tried under the other supplied keys: too many failed signatures, or too many bytes to try, SPEC.md §15)";

/// The finding for one signature, given its placeholder; a pass is made without words
/// unless `read` (false once its id's entry is listed, [`crate::findings::Findings::reads`]).
pub(super) fn finding(keys: &[PublicKey], s: Slot, read: bool) -> Check {
    let passed = matches!(s.named_outcome, Some(Ok(()))) && s.named.and_then(|k| keys.get(k)).is_some();
    if !read && passed && s.id != ids::KEY_SELECT {
        return Check::unread(s.id, Status::Pass, s.placeholder.subject().clone());
    }
    let others: Vec<String> = s
        .verifies_under
        .iter()
        .filter_map(|k| keys.get(*k))
        .map(|k| format!("{} from {} (SPKI SHA-256 {})", k.label(), k.source, k.fingerprint))
        .collect();
    let capped = if s.probe == Probe::Capped { NOT_PROBED } else { "" };
    if s.id == ids::KEY_SELECT {
        let mut c = s.placeholder.into_check(s.id);
        if !others.is_empty() {
            c.message = format!("{}; the signature does verify under {}", c.message, others.join(" and "));
        }
        c.message.push_str(capped);
        return c;
    }
    let named = s.named.and_then(|k| keys.get(k));
    let subject: Subject = s.placeholder.subject().clone();
    let what = if s.id == ids::APPROVAL_SIGNATURE { "approval signature" } else { "signature" };
    match (&s.named_outcome, named) {
        (Some(Ok(())), Some(key)) if s.standing => {
            Check::new(s.id, Status::Pass, subject, format!("{what} verifies ({}) under {}", s.alg, key.label()))
        }
        (Some(Ok(())), Some(key)) => Check::new(
            s.id,
            Status::Pass,
            subject,
            format!(
                "{what} verifies ({}) under {}, but that key is not in good standing for it (see key.status, key.validity, key.role), so it does not count toward the verdict or quorum",
                s.alg,
                key.label()
            ),
        ),
        (Some(Err(SignatureFailure::Unavailable)), Some(key)) => Check::new(
            s.id,
            Status::Fail,
            subject,
            format!(
                "{what} ({}) was not checked under {}: the signature backend cannot verify this key or algorithm here, so it proves nothing",
                s.alg,
                key.label()
            ),
        )
        .values(format!("a valid {} signature by {} (SPKI SHA-256 {})", s.alg, key.label(), key.fingerprint), "not checked"),
        (Some(Err(why)), Some(key)) => {
            let mut c = Check::new(
                s.id,
                Status::Fail,
                subject,
                format!("{what} ({}) does not verify under {}: {why}{capped}", s.alg, key.label()),
            );
            if !others.is_empty() {
                c.message = format!(
                    "{}; it DOES verify under {}: the receipt names the wrong kid, or the key set maps the kid to the wrong key",
                    c.message,
                    others.join(" and ")
                );
            }
            c.values(
                format!("a valid {} signature by {} (SPKI SHA-256 {})", s.alg, key.label(), key.fingerprint),
                format!("{why}"),
            )
        }
        _ => s.placeholder.into_check(s.id),
    }
}
