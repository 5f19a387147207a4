//! Signature rounds: which signature jobs to run, and how their outcomes become findings.
//!
//! Round 1 verifies each signature under the key its kid selected (or, when none was
//! selected, under every supplied key). Round 2 runs only for mismatches and tries every
//! other supplied key, so a finding can say "this verifies under another key". Each
//! signature owns a placeholder finding, failed until an outcome arrives; the report
//! takes each signature's finding from here ([`SignatureRounds::resolve`]).
//!
//! Every job is prepared here ([`prepare_signature`]) before a backend sees it: what
//! preparation refuses (a wrong length, a malformed ECDSA signature) is an outcome at
//! once, with no job, so backends only ever answer "valid", "not valid" or "cannot check".
//!
//! Bounded work: only the first [`MAX_PROBED_FAILURES`] failed (or unselected) signatures,
//! and only while their messages times the keys stay within [`MAX_PROBE_BYTES`], are
//! tried under every other key; later ones cost one job each, so bad signatures cost
//! receipts × 1, not receipts × keys. Jobs share their slot's message and signature
//! (`Arc<[u8]>`), so memory does not grow with the number of keys either.

use std::sync::Arc;

use crate::alg::Alg;
use crate::findings::Assembly;
use crate::ids;
use crate::keys::PublicKey;
use crate::limits::{MAX_PROBED_FAILURES, MAX_PROBE_BYTES};
use crate::report::{Check, KeyReport, Status, Subject};
use crate::signature::{
    prepare_signature, EcdsaEncoding, SignatureFailure, SignatureJob, SignatureOutcome, SignedBytes,
};

/// What became of one signature under one key.
type Outcome = Result<(), SignatureFailure>;

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

/// A signature's finding until an outcome arrives.
pub(crate) enum Placeholder {
    /// Failed, "not verified", at this place (the finding is built only if needed).
    NotVerified(Subject),
    /// The `key.select` failure, whose message round 2 may extend.
    Given(Check),
}

impl Placeholder {
    fn subject(&self) -> &Subject {
        match self {
            Placeholder::NotVerified(subject) => subject,
            Placeholder::Given(check) => &check.subject,
        }
    }

    fn into_check(self, id: &'static str) -> Check {
        match self {
            Placeholder::NotVerified(subject) => {
                Check::new(id, Status::Fail, subject, "signature was not verified: no signature backend ran")
                    .values("a verified signature", "not verified")
            }
            Placeholder::Given(check) => check,
        }
    }
}

/// One signature to check.
struct Slot {
    placeholder: Placeholder,
    /// `receipt.signature`, `approval.signature`, or `key.select` (no key was selected).
    id: &'static str,
    /// The key its kid selected, if any.
    named: Option<usize>,
    alg: Alg,
    /// Shared with every job that tries this signature.
    message: SignedBytes,
    signature: Arc<[u8]>,
    /// Round-1 outcome under the named key.
    named_outcome: Option<Outcome>,
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
    /// Their message bytes times the keys each was tried under (at most [`MAX_PROBE_BYTES`]).
    probe_bytes: usize,
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
            probe_bytes: 0,
            capped: 0,
            first_capped: None,
        }
    }

    /// Register a signature with its placeholder finding; returns its slot number. The
    /// message and signature go into one shared allocation each; every job refers to it.
    pub fn add(
        &mut self,
        placeholder: Placeholder,
        id: &'static str,
        named: Named,
        alg: Option<Alg>,
        message: impl Into<SignedBytes>,
        signature: impl Into<Arc<[u8]>>,
    ) -> usize {
        self.slots.push(Slot {
            placeholder,
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
                    self.job(keys, i, k, alg);
                }
                None => self.probe_others(keys, i),
            }
        }
        // Signatures refused while preparing have their outcome already.
        if self.jobs.is_empty() {
            self.next_round(keys);
        }
    }

    pub fn pending(&self) -> &[SignatureJob] {
        &self.jobs
    }

    pub fn is_done(&self) -> bool {
        self.round == Round::Done
    }

    /// Take the outcomes of [`Self::pending`], in order, and schedule the next round.
    /// Refused, with nothing changed, unless there is exactly one outcome per job: a
    /// missing or surplus outcome is the engine's error, never a verdict on a receipt.
    pub fn submit(&mut self, keys: &[PublicKey], outcomes: Vec<SignatureOutcome>) -> Result<(), crate::Error> {
        if outcomes.len() != self.jobs.len() || self.round == Round::Done {
            return Err(crate::Error::Backend { jobs: self.jobs.len(), outcomes: outcomes.len() });
        }
        let owners = std::mem::take(&mut self.owners);
        self.jobs.clear();
        for ((slot, key), outcome) in owners.into_iter().zip(outcomes) {
            let outcome = match outcome {
                SignatureOutcome::Valid => Ok(()),
                SignatureOutcome::Invalid => Err(SignatureFailure::Mismatch),
                SignatureOutcome::Unavailable => Err(SignatureFailure::Unavailable),
            };
            self.record(slot, key, outcome);
        }
        self.next_round(keys);
        Ok(())
    }

    /// After round 1's outcomes: probe the other keys for each mismatch (not for a
    /// signature the backend could not check), or finish.
    fn next_round(&mut self, keys: &[PublicKey]) {
        if self.round == Round::Named {
            self.round = Round::Others;
            for i in 0..self.slots.len() {
                let Some(s) = self.slots.get(i) else { continue };
                let unchecked = matches!(s.named_outcome, Some(Err(SignatureFailure::Unavailable)));
                if s.named.is_some() && !matches!(s.named_outcome, Some(Ok(()))) && !unchecked {
                    self.probe_others(keys, i);
                }
            }
            if !self.jobs.is_empty() {
                return;
            }
        }
        self.round = Round::Done;
    }

    /// One signature's outcome under one key.
    fn record(&mut self, slot: usize, key: usize, outcome: Outcome) {
        let Some(s) = self.slots.get_mut(slot) else { return };
        if self.round == Round::Named && s.named == Some(key) {
            s.named_outcome = Some(outcome);
        } else if outcome.is_ok() {
            s.verifies_under.push(key);
        }
    }

    /// A note when round 2 stopped probing at [`MAX_PROBED_FAILURES`].
    pub fn capped_note(&self) -> Option<Check> {
        self.first_capped.map(|id| {
            Check::new(
                id,
                Status::Note,
                Subject::default(),
                format!(
                    "{} failed signatures were not tried under the other supplied keys: probing stops after the first {MAX_PROBED_FAILURES}, or before its signed bytes times keys pass {} MiB (SPEC.md §15), so a wrong kid is only named for those",
                    self.capped,
                    MAX_PROBE_BYTES >> 20
                ),
            )
        })
    }

    /// Give each signature's finding to `report`, by slot, one at a time (so millions of
    /// findings are never held at once); counts verified signatures per key into `reports`.
    pub fn resolve(self, keys: &[PublicKey], reports: &mut [KeyReport], report: &mut Assembly) {
        for (slot, s) in self.slots.into_iter().enumerate() {
            if let (Some(Ok(())), Some(k)) = (&s.named_outcome, s.named) {
                if let Some(kr) = reports.get_mut(k) {
                    kr.verified_signatures += 1;
                }
            }
            report.signature(slot, finding(keys, s));
        }
    }

    /// A job for `slot` under `key`, prepared; or, when preparing refuses the signature
    /// for this key, its outcome at once.
    fn job(&mut self, keys: &[PublicKey], slot: usize, key: usize, alg: Alg) {
        let (Some(s), Some(k)) = (self.slots.get(slot), keys.get(key)) else { return };
        match prepare_signature(&k.material, alg, &s.signature, EcdsaEncoding::Auto) {
            Ok(signature) => {
                self.jobs.push(SignatureJob { key, alg, message: s.message.clone(), signature });
                self.owners.push((slot, key));
            }
            Err(failure) => self.record(slot, key, Err(failure)),
        }
    }

    /// Jobs for every supplied key except the named one, each with the algorithm that key
    /// would use (the slot's algorithm if the key supports it). Only the first
    /// [`MAX_PROBED_FAILURES`] slots that need it are probed.
    fn probe_others(&mut self, keys: &[PublicKey], slot: usize) {
        let Some(s) = self.slots.get_mut(slot) else { return };
        let (named, alg) = (s.named, s.alg);
        let others = keys.iter().enumerate().filter(|(k, _)| Some(*k) != named).count();
        if others == 0 {
            return;
        }
        let bytes = self.probe_bytes.saturating_add(s.message.len().saturating_mul(others));
        if self.probed >= MAX_PROBED_FAILURES || bytes > MAX_PROBE_BYTES {
            s.probe = Probe::Capped;
            self.capped += 1;
            self.first_capped.get_or_insert(s.id);
            return;
        }
        s.probe = Probe::Probed;
        self.probed += 1;
        self.probe_bytes = bytes;
        for (k, key) in keys.iter().enumerate().filter(|(k, _)| Some(*k) != named) {
            let a = if key.material.supports(alg) { alg } else { key.material.default_alg() };
            self.job(keys, slot, k, a);
        }
    }
}

/// Appended to a failure that round 2 did not probe.
const NOT_PROBED: &str =
    " (not tried under the other supplied keys: too many failed signatures, or too many bytes to try, SPEC.md §15)";

/// The finding for one signature, given its placeholder.
fn finding(keys: &[PublicKey], s: Slot) -> Check {
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
