//! Signature rounds: which signature jobs to run, and how their outcomes become findings.
//!
//! Round 1 verifies each signature under the key its kid selected. Round 2 runs only for
//! mismatches and for signatures no key was selected for, and tries every other supplied
//! key, so a finding can say "this verifies under another key". Each
//! signature owns a placeholder finding, failed until an outcome arrives; the report
//! takes each signature's finding from here, a window at a time.
//!
//! Signatures are worked through in windows (SPEC.md §15, v1.1): once a window's
//! signatures are all registered, its round 1 and round 2 run, each signature's finding
//! goes to the report ([`Findings::signature`]) and its signed bytes are dropped. A
//! failed or unselected signature is tried under the other keys in round 2 of its window,
//! in slot order, so which ones the probing cap reaches does not depend on the windows.
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

use std::collections::VecDeque;

use crate::alg::Alg;
use crate::findings::Findings;
use crate::ids;
use crate::keys::PublicKey;
use crate::limits::{MAX_PROBED_FAILURES, MAX_PROBE_BYTES};
use crate::report::{Check, KeyReport, Status, Subject};
use crate::signature::{
    prepare_signature, EcdsaEncoding, SignatureFailure, SignatureJob, SignatureOutcome, SignedBytes,
};

mod finding;
mod slot;

pub(crate) use slot::{Named, Placeholder};
use slot::{Outcome, Probe, Slot};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Round {
    Named,
    Others,
    Done,
}

/// A window closes at this many signatures, or at [`WINDOW_BYTES`] of their signed
/// bytes, whichever comes first.
pub(crate) const WINDOW_SIGNATURES: usize = 4_096;
/// See [`WINDOW_SIGNATURES`].
pub(crate) const WINDOW_BYTES: usize = 8 << 20;

/// The signatures of one verification, a window at a time, and the jobs of the current
/// round.
pub(crate) struct SignatureRounds {
    /// The signatures not yet resolved; `slots[0]` is slot number `base`.
    slots: VecDeque<Slot>,
    base: usize,
    /// Where each closed window not yet started ends (slot numbers, exclusive).
    closed: VecDeque<usize>,
    /// Where the window in its rounds ends, if one is.
    current: Option<usize>,
    /// The open window's signed bytes so far.
    open_bytes: usize,
    window: (usize, usize),
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
    /// What resolved windows leave: signatures verified per key, the `(counted, not
    /// counted)` tally, and whether each approval signature counts toward quorum.
    verified_per_key: Vec<usize>,
    counted: (usize, usize),
    approvals: Vec<(usize, bool)>,
}

impl SignatureRounds {
    pub fn new() -> Self {
        SignatureRounds {
            slots: VecDeque::new(),
            base: 0,
            closed: VecDeque::new(),
            current: None,
            open_bytes: 0,
            window: (WINDOW_SIGNATURES, WINDOW_BYTES),
            jobs: Vec::new(),
            owners: Vec::new(),
            round: Round::Done,
            probed: 0,
            probe_bytes: 0,
            capped: 0,
            first_capped: None,
            verified_per_key: Vec::new(),
            counted: (0, 0),
            approvals: Vec::new(),
        }
    }

    /// Close windows at `signatures` signatures (at least 1) or `bytes` signed bytes.
    pub fn set_window(&mut self, signatures: usize, bytes: usize) {
        self.window = (signatures.max(1), bytes);
    }

    /// Slot numbers given so far.
    fn added(&self) -> usize {
        self.base + self.slots.len()
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
        let message = message.into();
        self.open_bytes = self.open_bytes.saturating_add(message.len());
        self.slots.push_back(Slot {
            placeholder,
            id,
            named: named.key,
            alg: alg.unwrap_or(Alg::Rs256),
            message,
            signature: signature.into(),
            named_outcome: None,
            verifies_under: Vec::new(),
            probe: Probe::NotNeeded,
            standing: named.standing,
        });
        let open = self.added() - self.closed.back().copied().or(self.current).unwrap_or(self.base);
        if open >= self.window.0 || self.open_bytes >= self.window.1 {
            self.close_window();
        }
        self.added() - 1
    }

    /// Close the open window: its signatures are all registered.
    pub fn close_window(&mut self) {
        let start = self.closed.back().copied().or(self.current).unwrap_or(self.base);
        if self.added() > start {
            self.closed.push_back(self.added());
        }
        self.open_bytes = 0;
    }

    /// Signatures held (their signed bytes with them), and those bytes: at most the
    /// windows not yet resolved.
    pub fn held(&self) -> (usize, usize) {
        (self.slots.len(), self.slots.iter().map(|s| s.message.len() + s.signature.len()).sum())
    }

    fn slot(&self, slot: usize) -> Option<&Slot> {
        self.slots.get(slot.checked_sub(self.base)?)
    }

    fn slot_mut(&mut self, slot: usize) -> Option<&mut Slot> {
        self.slots.get_mut(slot.checked_sub(self.base)?)
    }

    /// Whether an approval signature (resolved) verified under its named key, in good
    /// standing: what quorum counts.
    pub fn counts(&self, slot: usize) -> bool {
        // Resolved in slot order, so sorted.
        self.approvals
            .binary_search_by_key(&slot, |(s, _)| *s)
            .ok()
            .and_then(|i| self.approvals.get(i))
            .is_some_and(|a| a.1)
    }

    /// `(counted, not counted)`: verified signatures under keys in good standing, and
    /// verified signatures under keys that are not (revoked, outside their window, or
    /// without the role); over the windows resolved.
    pub fn tally(&self) -> (usize, usize) {
        self.counted
    }

    /// Add the signatures each key verified to the key reports.
    pub fn count_keys(&self, reports: &mut [KeyReport]) {
        for (kr, n) in reports.iter_mut().zip(&self.verified_per_key) {
            kr.verified_signatures += n;
        }
    }

    pub fn pending(&self) -> &[SignatureJob] {
        &self.jobs
    }

    /// Closed windows whose rounds have not started.
    pub fn waiting(&self) -> usize {
        self.closed.len()
    }

    /// Whether no signature work is waiting: every closed window is resolved.
    pub fn is_done(&self) -> bool {
        self.current.is_none() && self.closed.is_empty()
    }

    /// Move on: start the next closed window's round 1 when none is running, and resolve
    /// each window whose rounds are over into `findings`, until jobs are pending or no
    /// closed window is left.
    pub fn advance(&mut self, keys: &[PublicKey], findings: &mut Findings) {
        loop {
            if self.current.is_none() {
                let Some(end) = self.closed.pop_front() else { return };
                self.current = Some(end);
                self.round = Round::Named;
                for slot in self.base..end {
                    if let Some(k) = self.slot(slot).and_then(|s| s.named) {
                        let alg = self.slot(slot).map_or(Alg::Rs256, |s| s.alg);
                        self.job(keys, slot, k, alg);
                    }
                }
                // Signatures refused while preparing have their outcome already.
                if self.jobs.is_empty() {
                    self.next_round(keys);
                }
            }
            if self.round != Round::Done {
                return;
            }
            if let Some(end) = self.current.take() {
                self.resolve(keys, end, findings);
            }
        }
    }

    /// Resolve every signature held as it stands (windows never run stay failed).
    pub fn abandon(&mut self, keys: &[PublicKey], findings: &mut Findings) {
        self.jobs.clear();
        self.owners.clear();
        self.round = Round::Done;
        self.current = None;
        self.closed.clear();
        let end = self.added();
        self.resolve(keys, end, findings);
    }

    /// Take the outcomes of [`Self::pending`], in order, and schedule the next round.
    /// Refused, with nothing changed, unless there is exactly one outcome per job: a
    /// missing or surplus outcome is the engine's error, never a verdict on a receipt.
    pub fn submit(
        &mut self,
        keys: &[PublicKey],
        outcomes: Vec<SignatureOutcome>,
        findings: &mut Findings,
    ) -> Result<(), crate::Error> {
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
        self.advance(keys, findings);
        Ok(())
    }

    /// After round 1's outcomes: probe the other keys, in slot order, for each signature
    /// no key was selected for and each mismatch (not for a signature the backend could
    /// not check); or finish.
    fn next_round(&mut self, keys: &[PublicKey]) {
        if self.round == Round::Named {
            self.round = Round::Others;
            for slot in self.base..self.current.unwrap_or(self.base) {
                let Some(s) = self.slot(slot) else { continue };
                let unchecked = matches!(s.named_outcome, Some(Err(SignatureFailure::Unavailable)));
                if s.named.is_none() || (!matches!(s.named_outcome, Some(Ok(()))) && !unchecked) {
                    self.probe_others(keys, slot);
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
        let named_round = self.round == Round::Named;
        let Some(s) = self.slot_mut(slot) else { return };
        if named_round && s.named == Some(key) {
            s.named_outcome = Some(outcome);
        } else if outcome.is_ok() {
            s.verifies_under.push(key);
        }
    }

    /// A signature that selected no key and was not held, its `key.select` failure being
    /// past that id's listing cap (`add_slot`): it is not tried under the other keys
    /// either, and the note counts it with the rest (helper 48: it said 950 of 975).
    pub fn not_held(&mut self, id: &'static str) {
        self.capped += 1;
        self.first_capped.get_or_insert(id);
    }

    /// A note when round 2 stopped probing at [`MAX_PROBED_FAILURES`].
    pub fn capped_note(&self) -> Option<Check> {
        self.first_capped.map(|id| {
            Check::new(
                id,
                Status::Note,
                Subject::default(),
                format!(
                    "{} failed signatures were not tried under the other supplied keys: probing stops after the first {MAX_PROBED_FAILURES}, or before its signed bytes times keys pass {} MiB, and never past the listing cap of key.select (SPEC.md §15), so a wrong kid is only named for those",
                    self.capped,
                    MAX_PROBE_BYTES >> 20
                ),
            )
        })
    }

    /// Give the findings of the signatures before `end` to `findings`, in slot order, and
    /// drop them, keeping only their counts.
    fn resolve(&mut self, keys: &[PublicKey], end: usize, findings: &mut Findings) {
        while self.base < end {
            let Some(s) = self.slots.pop_front() else { return };
            let slot = self.base;
            self.base += 1;
            let verified = matches!(s.named_outcome, Some(Ok(()))) && s.named.is_some();
            if let (true, Some(k)) = (verified, s.named) {
                if self.verified_per_key.len() <= k {
                    self.verified_per_key.resize(k + 1, 0);
                }
                if let Some(n) = self.verified_per_key.get_mut(k) {
                    *n += 1;
                }
                if s.standing {
                    self.counted.0 += 1;
                } else {
                    self.counted.1 += 1;
                }
            }
            if s.id == ids::APPROVAL_SIGNATURE {
                self.approvals.push((slot, verified && s.standing));
            }
            let read = findings.reads_signature_pass(s.id);
            findings.signature(slot, finding::finding(keys, s, read));
        }
    }

    /// A job for `slot` under `key`, prepared; or, when preparing refuses the signature
    /// for this key, its outcome at once.
    fn job(&mut self, keys: &[PublicKey], slot: usize, key: usize, alg: Alg) {
        let (Some(s), Some(k)) = (self.slot(slot), keys.get(key)) else { return };
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
        let (probed, probe_bytes) = (self.probed, self.probe_bytes);
        let Some(s) = self.slot_mut(slot) else { return };
        let (named, alg) = (s.named, s.alg);
        let others = keys.iter().enumerate().filter(|(k, _)| Some(*k) != named).count();
        if others == 0 {
            return;
        }
        let bytes = probe_bytes.saturating_add(s.message.len().saturating_mul(others));
        if probed >= MAX_PROBED_FAILURES || bytes > MAX_PROBE_BYTES {
            s.probe = Probe::Capped;
            let id = s.id;
            self.capped += 1;
            self.first_capped.get_or_insert(id);
            return;
        }
        s.probe = Probe::Probed;
        self.probed += 1;
        self.probe_bytes = bytes;
        for (k, key) in keys.iter().enumerate().filter(|(k, _)| Some(*k) != named) {
            let a = if key.material.supports(alg) { alg } else { key.material.default_alg() };
            // (Review 9) Only with an algorithm the key may verify (SPEC.md §6): not one
            // its copies' JWK alg excludes, and none when they allow none. A "verifies
            // under" that naming the key could not make pass would misdirect the auditor.
            if key.alg_conflict.is_some() || key.alg.is_some_and(|own| own != a) {
                continue;
            }
            self.job(keys, slot, k, a);
        }
    }
}
