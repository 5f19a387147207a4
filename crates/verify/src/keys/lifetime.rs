//! A key's lifetime belongs to the key, not to the entry that names it (SPEC.md §11,
//! "Validity and status"): the same key (same fingerprint) supplied twice, say as a
//! revoked JWK and again as a kid-less PEM, is revoked however a receipt selects it.
//! What the key may sign belongs to it too: its `receiptRoles` and bound `approver`
//! (SPEC.md §11, "Roles and approver") hold for every copy, so a kid-less PEM of a
//! batch-only key cannot sign an approval, and a PEM of alice's key is still alice's.
//! So does its JWK `alg` (SPEC.md §6, v1.1): a PEM of a PS256-only key is PS256-only.

use std::collections::BTreeMap;

use super::{Approver, KeyRole, KeyStatus, PublicKey};
use crate::alg::Alg;
use crate::hash::Hash;
use crate::identity::identity_key;
use crate::timestamp::Timestamp;

/// The strictest lifetime over every entry of each key: the most severe status
/// (revoked over retired over active) and the intersection of the validity windows.
/// Each entry that gained something from another records that entry in
/// [`PublicKey::lifetime_from`]. O(n log n) in the number of keys (a BTreeMap: no
/// hasher code in the WASM build).
pub fn share_lifetimes(keys: &mut [PublicKey]) {
    let mut lifetimes = Lifetimes::default();
    for key in keys.iter() {
        lifetimes.absorb(key);
    }
    lifetimes.apply(keys);
}

/// What the copies of each key say of it, by fingerprint, gathered one copy at a time:
/// key files add their usable keys and their skipped copies (keys that cannot verify, with
/// their status, window, roles, approver and "not for signatures", v1.1) as they are read,
/// so adding a file costs its own keys plus one pass over the usable keys, never a new
/// pass over every copy read so far.
#[derive(Clone, Debug, Default)]
pub(crate) struct Lifetimes(BTreeMap<Hash, Lifetime>);

impl Lifetimes {
    /// Take what one copy says.
    pub(crate) fn absorb(&mut self, key: &PublicKey) {
        self.0.entry(key.fingerprint.0).or_default().absorb(key);
    }

    /// Give every key the strictest of what its copies say.
    pub(crate) fn apply(&self, keys: &mut [PublicKey]) {
        for key in keys.iter_mut() {
            if let Some(life) = self.0.get(&key.fingerprint.0) {
                life.apply(key);
            }
        }
    }
}

impl Lifetime {
    fn apply(&self, key: &mut PublicKey) {
        let life = self;
        let mut from = Vec::new();
        if severity(life.status) > severity(key.status) {
            key.status = life.status;
            from.push(life.status_by.clone());
        }
        if life.valid_from.is_some_and(|f| key.valid_from.is_none_or(|own| f > own)) {
            key.valid_from = life.valid_from;
            key.narrowed_by(&life.from_by);
            from.push(life.from_by.clone());
        }
        if life.valid_until.is_some_and(|u| key.valid_until.is_none_or(|own| u < own)) {
            key.valid_until = life.valid_until;
            key.narrowed_by(&life.until_by);
            from.push(life.until_by.clone());
        }
        if let Some(roles) = &life.roles {
            if key.roles.as_ref() != Some(roles) {
                key.roles = Some(roles.clone());
                from.push(life.roles_by.clone());
            }
        }
        if let Some(approver) = &life.approver {
            if key.approver.as_ref() != Some(approver) {
                key.approver = Some(approver.clone());
                from.push(life.approver_by.clone());
            }
        }
        if key.restricted.is_none() && life.restricted.is_some() {
            key.restricted = life.restricted.clone();
        }
        if key.alg_conflict.is_none() && life.alg_conflict.is_some() {
            key.alg_conflict = life.alg_conflict.clone();
        }
        if let (None, Some(alg)) = (key.alg, life.alg) {
            key.alg = Some(alg);
            key.alg_from = Some(life.alg_by.clone());
            from.push(life.alg_by.clone());
        }
        from.dedup();
        if !from.is_empty() {
            // Sharing again after another file keeps what earlier sharing named.
            let earlier = key.lifetime_from.take().into_iter();
            key.lifetime_from = Some(earlier.chain(from).collect::<Vec<_>>().join(", "));
        }
    }
}

#[derive(Clone, Debug, Default)]
struct Lifetime {
    status: Option<KeyStatus>,
    status_by: String,
    valid_from: Option<Timestamp>,
    from_by: String,
    valid_until: Option<Timestamp>,
    until_by: String,
    /// The roles every copy that declares roles allows (the intersection).
    roles: Option<Vec<KeyRole>>,
    roles_by: String,
    /// The bound identity; copies that bind different identities (compared as identities,
    /// SPEC.md §10) make it [`Approver::Conflicting`]: bound to no name, owned by each.
    approver: Option<Approver>,
    approver_by: String,
    /// The first copy met that is not for signatures (its label, file and reason).
    restricted: Option<String>,
    /// The JWK `alg` the copies agree on, and the first copy that names it.
    alg: Option<Alg>,
    alg_by: String,
    /// Why the copies allow no algorithm receipts use together (SPEC.md §6).
    alg_conflict: Option<String>,
}

impl Lifetime {
    fn absorb(&mut self, key: &PublicKey) {
        let by = || format!("{} in {}", key.label(), key.source);
        if self.restricted.is_none() {
            self.restricted = key.restricted.clone();
        }
        if self.alg_conflict.is_none() {
            if key.alg_conflict.is_some() {
                self.alg_conflict = key.alg_conflict.clone();
            } else if let Some(alg) = key.alg {
                match self.alg {
                    None => (self.alg, self.alg_by) = (Some(alg), by()),
                    Some(own) if own != alg => {
                        self.alg_conflict = Some(format!("{} allows only {own}, {} only {alg}", self.alg_by, by()));
                    }
                    Some(_) => {}
                }
            }
        }
        if severity(key.status) > severity(self.status) {
            self.status = key.status;
            self.status_by = by();
        }
        if key.valid_from.is_some_and(|f| self.valid_from.is_none_or(|own| f > own)) {
            self.valid_from = key.valid_from;
            self.from_by = by();
        }
        if key.valid_until.is_some_and(|u| self.valid_until.is_none_or(|own| u < own)) {
            self.valid_until = key.valid_until;
            self.until_by = by();
        }
        if let Some(roles) = &key.roles {
            let narrowed: Vec<KeyRole> = match &self.roles {
                None => roles.clone(),
                Some(own) => own.iter().copied().filter(|r| roles.contains(r)).collect(),
            };
            if self.roles.as_ref() != Some(&narrowed) {
                self.roles = Some(narrowed);
                self.roles_by = by();
            }
        }
        if let Some(theirs) = &key.approver {
            let joined = match &self.approver {
                None => theirs.clone(),
                Some(own) => join_approvers(own, theirs),
            };
            if self.approver.as_ref() != Some(&joined) {
                self.approver_by = match (&self.approver, self.approver_by.is_empty()) {
                    (Some(_), false) => format!("{} and {}", self.approver_by, by()),
                    _ => by(),
                };
                self.approver = Some(joined);
            }
        }
    }
}

/// How many of a conflicting key's names are kept (and shown).
const MAX_CONFLICTING_NAMES: usize = 8;

/// Every name of `own` and `theirs`, each identity once: one name is [`Approver::Bound`],
/// more are [`Approver::Conflicting`] (the first [`MAX_CONFLICTING_NAMES`]).
fn join_approvers(own: &Approver, theirs: &Approver) -> Approver {
    let mut names: Vec<String> = own.names().to_vec();
    for name in theirs.names() {
        // Bounded: once the key is a conflict, more names change no verdict (binding
        // fails for every entry it signs), so the comparison stays O(copies).
        if names.len() >= MAX_CONFLICTING_NAMES {
            break;
        }
        if !names.iter().any(|n| same_identity(n, name)) {
            names.push(name.clone());
        }
    }
    match <[String; 1]>::try_from(names) {
        Ok([one]) => Approver::Bound(one),
        Err(many) => Approver::Conflicting(many),
    }
}

/// Equal text, or equal as identities; a name that cannot be compared (mixed scripts)
/// equals only itself, so it conflicts with any other spelling.
fn same_identity(a: &str, b: &str) -> bool {
    a == b || matches!((identity_key(a), identity_key(b)), (Ok(x), Ok(y)) if x == y)
}

fn severity(status: Option<KeyStatus>) -> u8 {
    match status {
        None => 0,
        Some(KeyStatus::Active) => 1,
        Some(KeyStatus::Retired) => 2,
        Some(KeyStatus::Revoked) => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{parse_keys, KeyRole};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const JWKS: &str = include_str!("../../../../examples/jwks.json");
    const PEM: &str = include_str!("../../../../examples/audit-key.pub.pem");

    #[test]
    fn a_kid_less_copy_keeps_the_roles_and_approver_of_its_key() {
        let mut keys = parse_keys(JWKS.as_bytes(), "jwks.json").unwrap_or_default();
        let declared = keys.len();
        keys.extend(parse_keys(PEM.as_bytes(), "audit-key.pub.pem").unwrap_or_default());
        assert_eq!(keys.len(), declared + 1, "the PEM copy was read");
        let pem = keys.len() - 1;
        assert_eq!(keys[pem].roles, None, "a PEM declares no roles by itself");
        share_lifetimes(&mut keys);
        let audit = keys.iter().find(|k| k.kid.is_some() && k.fingerprint == keys[pem].fingerprint);
        assert_eq!(keys[pem].roles, audit.and_then(|k| k.roles.clone()));
        assert_eq!(keys[pem].roles, Some(vec![KeyRole::Batch]));
        assert!(keys[pem].lifetime_from.is_some());
    }

    #[test]
    fn copies_that_disagree_narrow_the_roles_and_bind_neither_name() {
        let mut keys = parse_keys(JWKS.as_bytes(), "jwks.json").unwrap_or_default();
        let alice = keys
            .iter()
            .position(|k| k.approver.as_ref().and_then(Approver::bound) == Some("alice"))
            .unwrap_or(usize::MAX);
        let mut copy = keys.get(alice).cloned().expect("the demo JWKS binds a key to alice");
        copy.roles = Some(vec![KeyRole::Batch, KeyRole::Approval]);
        copy.approver = Some(Approver::Bound("mallory".into()));
        copy.kid = None;
        keys.push(copy);
        share_lifetimes(&mut keys);
        let last = keys.last().expect("pushed");
        assert_eq!(last.roles, Some(vec![KeyRole::Approval]), "the intersection, never the union");
        let both = Some(Approver::Conflicting(vec!["alice".into(), "mallory".into()]));
        assert_eq!(keys[alice].approver, both, "a conflict is its own state, not a joined name");
        assert_eq!(last.approver, both);
        assert_eq!(last.approver.as_ref().and_then(Approver::bound), None, "it binds no name");
    }
}
