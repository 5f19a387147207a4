//! A key's lifetime belongs to the key, not to the entry that names it (SPEC.md §11,
//! "Validity and status"): the same key (same fingerprint) supplied twice, say as a
//! revoked JWK and again as a kid-less PEM, is revoked however a receipt selects it.

use std::collections::BTreeMap;

use super::{KeyStatus, PublicKey};
use crate::hash::Hash;
use crate::timestamp::Timestamp;

/// The strictest lifetime over every entry of each key: the most severe status
/// (revoked over retired over active) and the intersection of the validity windows.
/// Each entry that gained something from another records that entry in
/// [`PublicKey::lifetime_from`]. O(n log n) in the number of keys (a BTreeMap: no
/// hasher code in the WASM build).
pub fn share_lifetimes(keys: &mut [PublicKey]) {
    let mut merged: BTreeMap<Hash, Lifetime> = BTreeMap::new();
    for key in keys.iter() {
        merged.entry(key.fingerprint.0).or_default().absorb(key);
    }
    for key in keys.iter_mut() {
        let Some(life) = merged.get(&key.fingerprint.0) else { continue };
        let mut from = Vec::new();
        if severity(life.status) > severity(key.status) {
            key.status = life.status;
            from.push(life.status_by.clone());
        }
        if life.valid_from.is_some_and(|f| key.valid_from.is_none_or(|own| f > own)) {
            key.valid_from = life.valid_from;
            from.push(life.from_by.clone());
        }
        if life.valid_until.is_some_and(|u| key.valid_until.is_none_or(|own| u < own)) {
            key.valid_until = life.valid_until;
            from.push(life.until_by.clone());
        }
        from.dedup();
        if !from.is_empty() {
            key.lifetime_from = Some(from.join(", "));
        }
    }
}

#[derive(Default)]
struct Lifetime {
    status: Option<KeyStatus>,
    status_by: String,
    valid_from: Option<Timestamp>,
    from_by: String,
    valid_until: Option<Timestamp>,
    until_by: String,
}

impl Lifetime {
    fn absorb(&mut self, key: &PublicKey) {
        let by = || format!("{} in {}", key.label(), key.source);
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
    }
}

fn severity(status: Option<KeyStatus>) -> u8 {
    match status {
        None => 0,
        Some(KeyStatus::Active) => 1,
        Some(KeyStatus::Retired) => 2,
        Some(KeyStatus::Revoked) => 3,
    }
}
