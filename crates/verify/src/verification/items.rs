//! Per item: read each parsed item as a batch receipt or a wave approval, run the checks
//! that need no signature, and queue its signature jobs (the engine's `new` drives it).

use serde_json::Value;

use super::rounds::{Named, Placeholder};
use super::Verification;
use crate::alg::Alg;
use crate::approval::{WaveApproval, WAVE_APPROVAL_TYPE};
use crate::checks::approval::QuorumPlan;
use crate::checks::{approval as approval_rules, key_use, worm};
use crate::ids;
use crate::keys::{Approver, KeyRole};
use crate::receipt::BatchReceipt;
use crate::report::{Check, Status, Subject};
use crate::signature::SignedBytes;

impl Verification {
    /// One item of a receipt file (pass 2): its parse, kind and field findings; an
    /// approval is kept, a receipt with nothing to chain or seal is checked now, and one
    /// with chain members is left to pass 3 ([`Self::chain_receipt`]).
    pub(super) fn classify(&mut self, subject: Subject, value: Result<Value, crate::error::JsonError>) {
        let value = match value {
            Ok(v) => v,
            Err(e) => {
                self.checks.push(
                    Check::new(ids::INPUT_PARSE, Status::Fail, subject, e.to_string())
                        .values("strict JSON (SPEC.md §2)", e),
                );
                return;
            }
        };
        let Value::Object(obj) = value else {
            self.checks.push(
                Check::new(ids::INPUT_KIND, Status::Fail, subject, "expected a receipt (a JSON object)")
                    .values("an object", crate::json::type_name(&value)),
            );
            return;
        };
        match obj.get("type") {
            None => {}
            Some(Value::String(t)) if t == WAVE_APPROVAL_TYPE => {
                let (a, findings) = WaveApproval::parse(&obj, subject);
                self.checks.extend(findings);
                self.approvals.push(a);
                return;
            }
            Some(Value::String(t)) if t == "batch" => {}
            Some(other) => {
                self.checks.push(
                    Check::new(ids::INPUT_KIND, Status::Fail, subject.at("type"), "unknown receipt type")
                        .values("absent, \"batch\" or \"wave-approval\"", crate::fields::describe(other)),
                );
                return;
            }
        }
        let counted_only = self.checks.is_full(ids::RECEIPT_FIELDS, Status::Fail);
        let (mut r, findings) = BatchReceipt::parse_fields(&obj, subject, counted_only);
        self.checks.extend(findings);
        if !r.has_chain_members() {
            r.manifest = crate::receipt::manifest(&obj);
            // Nothing to chain or seal (its receipt.fields failures say why): check it now
            // and keep nothing, so a file of tiny receipt-shaped items is not held in memory.
            self.check_batch_receipt(&mut r);
        }
    }

    /// A batch receipt with chain members (pass 3): its own checks, then its link in the
    /// chain and its sealed head.
    pub(super) fn chain_receipt(&mut self, r: &mut BatchReceipt, layout: crate::input::Layout) {
        self.check_batch_receipt(r);
        self.chain.add(r);
        // Not shared before the receipts end (`begin_rows` ends them first).
        if let (Some(hash), Some(heads)) = (r.batch_head, std::sync::Arc::get_mut(&mut self.heads)) {
            heads.add(hash, r.customer_id.as_deref(), &r.subject, layout);
        }
    }

    /// Every check of one batch receipt that needs no other receipt; its signature becomes
    /// a slot, which keeps the signed bytes: the receipt's own copy is dropped here.
    pub(super) fn check_batch_receipt(&mut self, r: &mut BatchReceipt) {
        if let Some(claimed) = r.this_hash {
            match &r.manifest {
                Ok(m) => {
                    let computed = crate::hash::Hash::sha256(m);
                    let at = r.subject.at("thisHash");
                    self.checks.push(if computed != claimed {
                        Check::new(ids::RECEIPT_HASH, Status::Fail, at, "thisHash is not SHA-256 of the manifest: a signed field was changed, added or removed, or thisHash was edited")
                            .values(computed, claimed)
                    } else if !self.checks.reads(ids::RECEIPT_HASH, Status::Pass) {
                        Check::unread(ids::RECEIPT_HASH, Status::Pass, at)
                    } else {
                        Check::new(ids::RECEIPT_HASH, Status::Pass, at, "thisHash is SHA-256 of the manifest (receipt without thisHash and signature)")
                    });
                }
                Err(e) => self.checks.push(
                    Check::new(ids::RECEIPT_HASH, Status::Fail, r.subject.clone(), e.to_string())
                        .values("RFC 8785 bytes", e),
                ),
            }
        }
        if let Some(kid) = &r.kid {
            let mut unknown_alg = false;
            let mut choice =
                key_use::choose(&self.checks, &self.keys, &self.kids, kid, KeyRole::Batch, r.signed_at, &r.subject);
            let standing = choice.in_good_standing();
            let mut select_failure = choice.take_select_failure();
            self.checks.extend(choice.findings);
            let alg = match choice.key.and_then(|k| self.keys.get(k)) {
                Some(key) => {
                    let (alg, check) = key_use::resolve_alg(&self.checks, key, r.alg.as_ref(), &r.subject.at("alg"));
                    self.checks.push(check);
                    alg
                }
                // No key: still refuse an alg we do not know (it must never fall back to
                // RS256), else probe the other keys with the receipt's alg.
                None => match r.alg.as_ref() {
                    None => None,
                    Some(raw) => match raw.as_str().and_then(|s| s.parse::<Alg>().ok()) {
                        Some(alg) => Some(alg),
                        None => {
                            self.checks.push(
                                Check::new(ids::RECEIPT_ALG, Status::Fail, r.subject.at("alg"), "unsupported alg")
                                    .values("RS256, PS256 or ES256", crate::fields::describe(raw)),
                            );
                            unknown_alg = true;
                            None
                        }
                    },
                },
            };
            if let (Some(sig), Ok(m)) = (&r.signature, &r.manifest) {
                let id = if choice.key.is_some() { ids::RECEIPT_SIGNATURE } else { ids::KEY_SELECT };
                if (choice.key.is_none() && !unknown_alg) || alg.is_some() {
                    self.add_slot(
                        id,
                        r.subject.at("signature"),
                        Named { key: choice.key, standing },
                        alg,
                        m.as_slice().into(),
                        sig,
                        select_failure.take(),
                    );
                }
            }
            // No signature to try: the key.select failure stands as it is.
            self.checks.extend(select_failure);
        }
        self.checks.extend(worm::check(&self.checks, r));
        r.release_signed_bytes();
    }

    pub(super) fn check_approval(&mut self, a: &WaveApproval) {
        // Per entry: the key it selected, if any.
        let mut selected: Vec<Option<usize>> = Vec::with_capacity(a.approvals.len());
        let mut plan = QuorumPlan { subject: a.subject.clone(), device_count: 0, entries: Vec::new() };
        for e in &a.approvals {
            let Some(kid) = &e.kid else {
                selected.push(None);
                continue;
            };
            let mut choice =
                key_use::choose(&self.checks, &self.keys, &self.kids, kid, KeyRole::Approval, e.signed_at, &e.subject);
            let standing = choice.in_good_standing();
            let mut select_failure = choice.take_select_failure();
            self.checks.extend(choice.findings);
            let alg = match choice.key.and_then(|k| self.keys.get(k)) {
                Some(key) => key_use::approval_alg(key, &e.subject.at("signature"))
                    .map_err(|failed| self.checks.push(*failed))
                    .ok(),
                None => None,
            };
            // A key whose copies allow no algorithm verifies nothing: its failure stands.
            let signature = e.signature.as_ref().filter(|_| choice.key.is_none() || alg.is_some());
            if let (Some(sig), Ok(m)) = (signature, &e.message) {
                let id = if choice.key.is_some() { ids::APPROVAL_SIGNATURE } else { ids::KEY_SELECT };
                let slot = self.add_slot(
                    id,
                    e.subject.at("signature"),
                    Named { key: choice.key, standing },
                    alg,
                    m.clone(),
                    sig,
                    select_failure.take(),
                );
                if let (Some(key), Some(slot)) = (choice.key, slot) {
                    plan.entries.push((slot, key, e.approver.clone()));
                }
            }
            self.checks.extend(select_failure);
            selected.push(choice.key);
        }
        // Per entry: `None` when it selected no key, else the key's bound identity.
        let bound: Vec<Option<Option<&Approver>>> =
            selected.iter().map(|k| k.map(|k| self.keys.get(k).and_then(|key| key.approver.as_ref()))).collect();
        self.checks.extend(approval_rules::check(a, &bound));
        if let Some(count) = a.device_count {
            plan.device_count = count;
            self.quorum.push(plan);
        }
    }

    /// Register a signature with its placeholder finding: until resolved it reads as
    /// failed, so a report taken without running a backend never passes a signature. When
    /// no key fits the kid, the placeholder is the `key.select` failure, counted toward
    /// that id's cap; `None` when it went over the cap: probing it for another key could
    /// only change a finding nobody sees.
    #[allow(clippy::too_many_arguments)]
    fn add_slot(
        &mut self,
        id: &'static str,
        subject: Subject,
        named: Named,
        alg: Option<Alg>,
        message: SignedBytes,
        signature: &[u8],
        select_failure: Option<Check>,
    ) -> Option<usize> {
        let counted_as = select_failure.as_ref().map(|f| (f.id, f.status));
        let placeholder = match select_failure {
            Some(failure) if counted_as.is_some_and(|(id, status)| self.checks.is_full(id, status)) => {
                self.checks.push(failure);
                if !self.keys.is_empty() {
                    self.sigs.not_held(id);
                }
                return None;
            }
            Some(failure) => Placeholder::Given(failure),
            // Built only if no outcome ever arrives: a year of receipts held 525,600 of them.
            None => Placeholder::NotVerified(subject),
        };
        let slot = self.sigs.add(placeholder, id, named, alg, message, signature);
        self.checks.push_slot(slot, counted_as);
        Some(slot)
    }
}
