//! Signature rounds: which signature jobs to run, and how their outcomes become findings.
//!
//! Round 1 verifies each signature under the key its kid selected (or, when none was
//! selected, under every supplied key). Round 2 runs only for failures and tries every
//! other supplied key, so a finding can say "this verifies under another key". Each
//! signature owns a placeholder finding, failed until an outcome arrives.
//!
//! Bounded work: only the first [`MAX_PROBED_FAILURES`] failed (or unselected) signatures
//! are tried under every other key; later ones cost one job each, so bad signatures cost
//! receipts × 1, not receipts × keys. Jobs share their slot's message and signature
//! (`Arc<[u8]>`), so memory does not grow with the number of keys either.

use std::sync::Arc;

use crate::ids;
use crate::keys::PublicKey;
use crate::limits::MAX_PROBED_FAILURES;
use crate::report::{Check, KeyReport, Status, Subject};
use crate::signature::{Alg, EcdsaEncoding, SignatureFailure, SignatureJob, SignatureOutcome, SignedBytes};

/// The key a signature's kid selected, if any, and whether it is in good standing for
/// that signature (no failed `key.status`, `key.validity` or `key.role`).
#[derive(Clone, Copy)]
pub(crate) struct Named {
    pub key: Option<usize>,
    pub standing: bool,
}

/// Whether a signature was tried under the keys its kid did not select.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Probe {
    /// Not (yet) needed: it verified under its named key, or round 1 is still out.
    NotNeeded,
    /// Tried under every other supplied key.
    Probed,
    /// Not tried: [`MAX_PROBED_FAILURES`] signatures had been probed already.
    Capped,
}

/// One signature to check.
struct Slot {
    /// Index of its finding in the report's checks.
    check: usize,
    /// `receipt.signature`, `approval.signature`, or `key.select` (no key was selected).
    id: &'static str,
    /// The key its kid selected, if any.
    named: Option<usize>,
    alg: Alg,
    /// Shared with every job that tries this signature.
    message: SignedBytes,
    signature: Arc<[u8]>,
    /// Round-1 outcome under the named key.
    named_outcome: Option<SignatureOutcome>,
    /// Other keys under which the signature verifies.
    verifies_under: Vec<usize>,
    probe: Probe,
    /// Whether the named key is in good standing for this signature (no failed
    /// `key.status`, `key.validity` or `key.role`): only then does a verified signature
    /// count toward `verdict.signature` and quorum.
    standing: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Round {
    Named,
    Others,
    Done,
}

/// The signatures of one verification and the jobs of the current round.
pub(crate) struct SignatureRounds {
    slots: Vec<Slot>,
    jobs: Vec<SignatureJob>,
    /// `(slot, key)` for each entry of `jobs`.
    owners: Vec<(usize, usize)>,
    round: Round,
    /// Signatures tried under every other key so far (at most [`MAX_PROBED_FAILURES`]).
    probed: usize,
    /// Signatures not tried under the other keys because the cap was reached.
    capped: usize,
    /// The check id of the first capped signature, for the summary note.
    first_capped: Option<&'static str>,
}

impl SignatureRounds {
    pub fn new() -> Self {
        SignatureRounds {
            slots: Vec::new(),
            jobs: Vec::new(),
            owners: Vec::new(),
            round: Round::Named,
            probed: 0,
            capped: 0,
            first_capped: None,
        }
    }

    /// Register a signature whose finding is `checks[check]`; returns its slot number. The
    /// message and signature go into one shared allocation each; every job refers to it.
    pub fn add(
        &mut self,
        check: usize,
        id: &'static str,
        named: Named,
        alg: Option<Alg>,
        message: impl Into<SignedBytes>,
        signature: impl Into<Arc<[u8]>>,
    ) -> usize {
        self.slots.push(Slot {
            check,
            id,
            named: named.key,
            alg: alg.unwrap_or(Alg::Rs256),
            message: message.into(),
            signature: signature.into(),
            named_outcome: None,
            verifies_under: Vec::new(),
            probe: Probe::NotNeeded,
            standing: named.standing,
        });
        self.slots.len() - 1
    }

    /// The key a slot's signature verified under, when it verified under its named key.
    pub fn verified_by(&self, slot: usize) -> Option<usize> {
        let s = self.slots.get(slot)?;
        if matches!(s.named_outcome, Some(Ok(()))) {
            s.named
        } else {
            None
        }
    }

    /// Whether a slot's signature verified under its named key and that key is in good
    /// standing: what quorum counts.
    pub fn counts(&self, slot: usize) -> bool {
        self.verified_by(slot).is_some() && self.slots.get(slot).is_some_and(|s| s.standing)
    }

    /// `(counted, not counted)`: verified signatures under keys in good standing, and
    /// verified signatures under keys that are not (revoked, outside their window, or
    /// without the role).
    pub fn tally(&self) -> (usize, usize) {
        let verified = (0..self.slots.len()).filter(|s| self.verified_by(*s).is_some());
        let counted = (0..self.slots.len()).filter(|s| self.counts(*s)).count();
        (counted, verified.count() - counted)
    }

    /// Schedule round 1.
    pub fn start(&mut self, keys: &[PublicKey]) {
        for i in 0..self.slots.len() {
            let Some(s) = self.slots.get(i) else { continue };
            match s.named {
                Some(k) => {
                    let alg = s.alg;
                    self.job(i, k, alg);
                }
                None => self.probe_others(keys, i),
            }
        }
        if self.jobs.is_empty() {
            self.round = Round::Done;
        }
    }

    pub fn pending(&self) -> &[SignatureJob] {
        &self.jobs
    }

    pub fn is_done(&self) -> bool {
        self.round == Round::Done
    }

    /// Take the outcomes of [`Self::pending`], in order (a missing one is a failure), and
    /// schedule the next round.
    pub fn submit(&mut self, keys: &[PublicKey], outcomes: Vec<SignatureOutcome>) {
        let mut outcomes = outcomes.into_iter();
        let owners = std::mem::take(&mut self.owners);
        self.jobs.clear();
        for (slot, key) in owners {
            let outcome = outcomes.next().unwrap_or(Err(SignatureFailure::Mismatch));
            let Some(s) = self.slots.get_mut(slot) else { continue };
            if self.round == Round::Named && s.named == Some(key) {
                s.named_outcome = Some(outcome);
            } else if outcome.is_ok() {
                s.verifies_under.push(key);
            }
        }
        if self.round == Round::Named {
            for i in 0..self.slots.len() {
                let Some(s) = self.slots.get(i) else { continue };
                if s.named.is_some() && !matches!(s.named_outcome, Some(Ok(()))) {
                    self.probe_others(keys, i);
                }
            }
            self.round = if self.jobs.is_empty() { Round::Done } else { Round::Others };
        } else {
            self.round = Round::Done;
        }
    }

    /// Write every outcome into its finding, count verified signatures per key, and add
    /// a note when round 2 stopped probing at [`MAX_PROBED_FAILURES`].
    pub fn resolve(self, keys: &[PublicKey], checks: &mut Vec<Check>, reports: &mut [KeyReport]) {
        for s in &self.slots {
            if let (Some(Ok(())), Some(k)) = (&s.named_outcome, s.named) {
                if let Some(kr) = reports.get_mut(k) {
                    kr.verified_signatures += 1;
                }
            }
            if let Some(c) = checks.get_mut(s.check) {
                *c = finding(keys, s, c.clone());
            }
        }
        if let Some(id) = self.first_capped {
            checks.push(Check::new(
                id,
                Status::Note,
                Subject::default(),
                format!(
                    "{} failed signatures were not tried under the other supplied keys: probing stops after the first {MAX_PROBED_FAILURES} (SPEC.md §15), so a wrong kid is only named for those",
                    self.capped
                ),
            ));
        }
    }

    fn job(&mut self, slot: usize, key: usize, alg: Alg) {
        let Some(s) = self.slots.get(slot) else { return };
        self.jobs.push(SignatureJob {
            key,
            alg,
            message: s.message.clone(),
            signature: Arc::clone(&s.signature),
            ecdsa: EcdsaEncoding::Auto,
        });
        self.owners.push((slot, key));
    }

    /// Jobs for every supplied key except the named one, each with the algorithm that key
    /// would use (the slot's algorithm if the key supports it). Only the first
    /// [`MAX_PROBED_FAILURES`] slots that need it are probed.
    fn probe_others(&mut self, keys: &[PublicKey], slot: usize) {
        let Some(s) = self.slots.get_mut(slot) else { return };
        let (named, alg) = (s.named, s.alg);
        if !keys.iter().enumerate().any(|(k, _)| Some(k) != named) {
            return;
        }
        if self.probed >= MAX_PROBED_FAILURES {
            s.probe = Probe::Capped;
            self.capped += 1;
            self.first_capped.get_or_insert(s.id);
            return;
        }
        s.probe = Probe::Probed;
        self.probed += 1;
        for (k, key) in keys.iter().enumerate().filter(|(k, _)| Some(*k) != named) {
            let a = if key.material.supports(alg) { alg } else { key.material.default_alg() };
            self.job(slot, k, a);
        }
    }
}

/// Appended to a failure that round 2 did not probe.
const NOT_PROBED: &str = " (not tried under the other supplied keys: too many failed signatures, SPEC.md §15)";

/// The finding for one signature, given its placeholder.
fn finding(keys: &[PublicKey], s: &Slot, placeholder: Check) -> Check {
    let others: Vec<String> = s
        .verifies_under
        .iter()
        .filter_map(|k| keys.get(*k))
        .map(|k| format!("{} from {} (SPKI SHA-256 {})", k.label(), k.source, k.fingerprint))
        .collect();
    let capped = if s.probe == Probe::Capped { NOT_PROBED } else { "" };
    if s.id == ids::KEY_SELECT {
        let mut c = placeholder;
        if !others.is_empty() {
            c.message = format!("{}; the signature does verify under {}", c.message, others.join(" and "));
        }
        c.message.push_str(capped);
        return c;
    }
    let named = s.named.and_then(|k| keys.get(k));
    let subject: Subject = placeholder.subject.clone();
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
        _ => placeholder,
    }
}
