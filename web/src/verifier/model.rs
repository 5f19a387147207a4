//! The verifier's state, apart from its view: the files, what each one is, the key-set
//! choice, progress and the report. Every change goes through a method here, so the
//! component tests can drive it without a DOM.
//!
//! Soundness rules kept here (issue 9 §4): no verification before every file is read and
//! inspected; a file that cannot be used makes the result *Not verified* and is named; the
//! visitor's keys are added to the published ones (unless "use only my keys"); a file from
//! a share link is a receipt or nothing.

use std::sync::Arc;

use super::payload::Payload;
pub use super::plan::{Blocked, Plan};
use super::progress::RowProgress;
pub use super::verdict::{Refusal, Verdict};
use crate::report::{Inspection, Report, Role};

/// Where a key came from, as the worker names it (the view decides "published" by
/// fingerprint, never by this name).
pub const PUBLISHED_PREFIX: &str = "published: ";

/// Where a file came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Dropped, chosen, pasted or a demo file.
    Visitor,
    /// The `#receipt=` fragment of a share link: it may only ever be a receipt.
    Link,
}

/// A file the visitor dropped, chose or pasted.
#[derive(Clone, Debug, PartialEq)]
pub struct DroppedFile {
    /// Stable id (also the inspect request id).
    pub id: u32,
    /// File name, or "pasted-N.txt".
    pub name: String,
    /// The contents: bytes (empty while `reading`), or the browser's handle on a large file.
    pub bytes: Payload,
    /// The browser is still reading the file.
    pub reading: bool,
    /// What `inspect` said; `None` while reading or while the worker is still looking.
    pub inspection: Option<Inspection>,
    /// The role the visitor chose on the chip, over what `inspect` said.
    pub chosen_role: Option<Role>,
    /// Where it came from.
    pub origin: Origin,
}

impl DroppedFile {
    /// The role, once inspected: the visitor's choice first.
    pub fn role(&self) -> Option<Role> {
        let inspected = self.inspection.as_ref().map(Inspection::role)?;
        let role = self.chosen_role.unwrap_or(inspected);
        // A link carries a receipt and nothing else: it can never add keys or rows.
        Some(if self.origin == Origin::Link && role != Role::Receipts { Role::Unusable } else { role })
    }

    /// Why the file is not used, for the refusal.
    pub fn refusal(&self) -> Refusal {
        let inspection = self.inspection.as_ref();
        let reason = match (self.origin, inspection) {
            (Origin::Link, Some(i)) if i.role() != Role::Receipts => {
                format!("a share link carries a receipt and nothing else; this one holds {}", i.label)
            }
            (_, Some(i)) => i.reason.clone().unwrap_or_else(|| i.label.clone()),
            (_, None) => "not read".into(),
        };
        Refusal { name: self.name.clone(), reason }
    }
}

/// The vendor's published key set (the default keys).
#[derive(Clone, Debug, PartialEq)]
pub struct PublishedKeys {
    /// File name it is served as.
    pub name: String,
    /// The JWKS bytes.
    pub bytes: Arc<Vec<u8>>,
}

/// Where verification stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    /// Nothing to verify yet, or waiting for files; the text says what is missing.
    Waiting(String),
    /// The worker is verifying (request id; bytes of the row export done and in all).
    Running {
        /// Request id.
        id: u32,
        /// Row bytes done.
        done: u64,
        /// Row bytes in all (0 without rows).
        total: u64,
    },
    /// The report is in.
    Done(Arc<Report>),
    /// Some files cannot be used: *Not verified*, naming each.
    Refused(Vec<Refusal>),
    /// Verification could not run (e.g. an unusable key file): *Not verified*.
    Failed(String),
    /// The visitor cancelled.
    Cancelled,
}

/// The verifier's whole state.
#[derive(Clone, Debug, PartialEq)]
pub struct VerifierModel {
    /// Files in the order they were dropped or chosen (not the order reads finished).
    pub files: Vec<DroppedFile>,
    /// Use only keys the visitor supplied, never the published ones.
    pub only_my_keys: bool,
    /// The vendor's keys, if the page has any.
    pub published: Option<PublishedKeys>,
    /// Why the vendor's keys are missing (an embed whose `data-keys` could not be fetched).
    pub published_problem: Option<String>,
    /// What the worker says about the published keys (kid, type, fingerprint).
    pub published_inspection: Option<Inspection>,
    /// A share link that was refused, and why.
    pub link_problem: Option<String>,
    /// Where verification stands.
    pub phase: Phase,
    /// The running verification's progress line (rows, rate, time left, memory).
    pub progress: Option<RowProgress>,
    next_id: u32,
}

/// The inspect request id reserved for the published keys.
pub const PUBLISHED_ID: u32 = 0;

impl VerifierModel {
    /// An empty verifier with the vendor's published keys as the default key set.
    pub fn new(published: Option<PublishedKeys>) -> Self {
        let mut m = VerifierModel {
            files: Vec::new(),
            only_my_keys: false,
            published,
            published_problem: None,
            published_inspection: None,
            link_problem: None,
            phase: Phase::Cancelled,
            progress: None,
            next_id: 1,
        };
        m.refresh();
        m
    }

    /// A fresh id (for files and requests).
    pub fn next_id(&mut self) -> u32 {
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1).max(PUBLISHED_ID + 1);
        id
    }

    /// A file the browser starts reading: its "reading…" chip shows now, in drop order.
    pub fn add_reading(&mut self, name: impl Into<String>, origin: Origin) -> u32 {
        let id = self.next_id();
        let mut name: String = name.into();
        // A visitor's file never passes for the vendor's key set by its name.
        if name.starts_with(PUBLISHED_PREFIX) {
            name.insert_str(0, "file ");
        }
        self.files.push(DroppedFile {
            id,
            name,
            bytes: Payload::default(),
            reading: true,
            inspection: None,
            chosen_role: None,
            origin,
        });
        self.refresh();
        id
    }

    /// The bytes of a file that was being read.
    pub fn read(&mut self, id: u32, bytes: impl Into<Payload>) {
        if let Some(f) = self.files.iter_mut().find(|f| f.id == id) {
            f.bytes = bytes.into();
            f.reading = false;
        }
        self.refresh();
    }

    /// A file the browser could not read: unusable, and named in the result.
    pub fn unreadable(&mut self, id: u32, why: String) {
        if let Some(f) = self.files.iter_mut().find(|f| f.id == id) {
            f.reading = false;
            f.inspection = Some(Inspection::unreadable(why));
        }
        self.refresh();
    }

    /// Add a file whose bytes are at hand; it stays "checking…" until [`Self::inspected`].
    pub fn add(&mut self, name: impl Into<String>, bytes: Vec<u8>) -> u32 {
        self.add_from(name, bytes, Origin::Visitor)
    }

    /// Add a file from `origin`.
    pub fn add_from(&mut self, name: impl Into<String>, bytes: Vec<u8>, origin: Origin) -> u32 {
        let id = self.add_reading(name, origin);
        self.read(id, bytes);
        id
    }

    /// Record what a file is.
    pub fn inspected(&mut self, id: u32, inspection: Inspection) {
        if id == PUBLISHED_ID {
            self.published_inspection = Some(inspection);
            self.refresh_if_waiting();
            return;
        }
        if let Some(f) = self.files.iter_mut().find(|f| f.id == id && !f.reading) {
            f.inspection = Some(inspection);
        }
        self.refresh();
    }

    /// The visitor's choice of role for a file (`None`: what `inspect` said).
    pub fn set_role(&mut self, id: u32, role: Option<Role>) {
        if let Some(f) = self.files.iter_mut().find(|f| f.id == id) {
            f.chosen_role = role;
        }
        self.refresh();
    }

    /// Remove a file.
    pub fn remove(&mut self, id: u32) {
        self.files.retain(|f| f.id != id);
        self.refresh();
    }

    /// A share link opened in the same tab after load (only the fragment changed, so the
    /// page was not loaded again): its receipt replaces the earlier link's, or its problem
    /// is shown (red team 14: the first link's verdict stayed under the second link).
    pub fn follow_link(&mut self, link: Result<Vec<u8>, String>) {
        self.files.retain(|f| f.origin != Origin::Link);
        self.link_problem = None;
        match link {
            Ok(bytes) => {
                self.add_from("shared-receipt.json", bytes, Origin::Link);
            }
            Err(problem) => {
                self.link_problem = Some(problem);
                self.refresh();
            }
        }
    }

    /// Remove every file.
    pub fn clear(&mut self) {
        self.files.clear();
        self.link_problem = None;
        self.refresh();
    }

    /// Switch "use only my own keys".
    pub fn set_only_my_keys(&mut self, on: bool) {
        self.only_my_keys = on;
        self.refresh();
    }

    /// The visitor supplied at least one key file.
    pub fn has_own_keys(&self) -> bool {
        self.files.iter().any(|f| f.role() == Some(Role::Keys))
    }

    /// Recompute the phase after the inputs changed: any report is now stale.
    fn refresh(&mut self) {
        self.phase = match self.plan() {
            Ok(_) => Phase::Waiting("Ready to verify.".into()),
            Err(Blocked::Wait(why)) => Phase::Waiting(why),
            Err(Blocked::Refuse(files)) => Phase::Refused(files),
        };
    }

    fn refresh_if_waiting(&mut self) {
        if matches!(self.phase, Phase::Waiting(_)) {
            self.refresh();
        }
    }

    /// The inputs are complete and nothing is running.
    pub fn ready(&self) -> bool {
        matches!(&self.phase, Phase::Waiting(_)) && self.plan().is_ok()
    }

    /// The worker that had the running request was replaced, and the request with it: the
    /// inputs are verified again, under a new id (red team 14).
    pub fn resend_running(&mut self) {
        if matches!(self.phase, Phase::Running { .. }) {
            self.refresh();
        }
    }

    /// Verification request `id` was sent.
    pub fn started(&mut self, id: u32, total: u64) {
        self.phase = Phase::Running { id, done: 0, total };
        self.progress = None;
    }

    /// The workers' progress for request `id`: moves the bar and the progress line.
    pub fn progress_of(&mut self, id: u32, progress: RowProgress) {
        self.progress(id, progress.done, progress.total);
        if matches!(self.phase, Phase::Running { id: current, .. } if current == id) {
            self.progress = Some(progress);
        }
    }

    /// Progress for request `id` (ignored if it is not the current one).
    pub fn progress(&mut self, id: u32, done: u64, total: u64) {
        if let Phase::Running { id: current, .. } = self.phase {
            if current == id {
                self.phase = Phase::Running { id, done, total };
            }
        }
    }

    /// The report for request `id`.
    pub fn finished(&mut self, id: u32, report: Report) {
        if matches!(self.phase, Phase::Running { id: current, .. } if current == id) {
            self.phase = Phase::Done(Arc::new(report));
        }
    }

    /// Request `id` failed.
    pub fn failed(&mut self, id: u32, message: String) {
        if matches!(self.phase, Phase::Running { id: current, .. } if current == id) {
            self.phase = Phase::Failed(message);
        }
    }

    /// The visitor cancelled the running verification.
    pub fn cancel(&mut self) {
        if matches!(self.phase, Phase::Running { .. }) {
            self.phase = Phase::Cancelled;
        }
    }

    /// Fingerprints of the vendor's published keys, as the core computed them. Empty
    /// without published keys, before the worker has read them, and with "use only keys I
    /// provide": the core then never sees the published entries, nor what they say of
    /// revocation, validity and roles, so no verdict rests on them (red team 14: a
    /// visitor's PEM copy of a key the vendor lists as revoked showed "Verified …
    /// published by the vendor").
    pub fn published_fingerprints(&self) -> Vec<&str> {
        match (&self.published, &self.published_inspection) {
            (Some(_), Some(i)) if !self.only_my_keys => i.keys.iter().map(|k| k.fingerprint.as_str()).collect(),
            _ => Vec::new(),
        }
    }

    /// The verdict the banner shows, once there is one.
    pub fn verdict(&self) -> Option<Verdict> {
        match &self.phase {
            Phase::Done(r) => Some(Verdict::of(r, &self.published_fingerprints())),
            Phase::Refused(_) | Phase::Failed(_) => Some(Verdict::Failed),
            _ => None,
        }
    }

    /// The first receipt file, for the share link and the "check it yourself" panel.
    /// Only batch receipts count: wave approvals are signed differently (SPEC.md) and
    /// have no `thisHash` to re-compute by hand.
    pub fn first_receipt(&self) -> Option<&DroppedFile> {
        self.files.iter().find(|f| {
            f.role() == Some(Role::Receipts)
                && f.inspection.as_ref().is_some_and(|i| matches!(i.kind.as_str(), "receipt" | "receipt-chain"))
        })
    }
}
