//! The verifier's state, apart from its view: the files, what each one is, the key-set
//! choice, progress and the report. Every change goes through a method here, so the
//! component tests can drive it without a DOM.

use std::sync::Arc;

use crate::report::{Inspection, Report, Role};

/// Where a key came from, as the result states it.
pub const PUBLISHED_PREFIX: &str = "published: ";

/// A file the visitor dropped, chose or pasted.
#[derive(Clone, Debug, PartialEq)]
pub struct DroppedFile {
    /// Stable id (also the inspect request id).
    pub id: u32,
    /// File name, or "pasted-N.txt".
    pub name: String,
    /// The bytes.
    pub bytes: Arc<Vec<u8>>,
    /// What `inspect` said; `None` while the worker is still looking.
    pub inspection: Option<Inspection>,
}

impl DroppedFile {
    /// The role, once inspected.
    pub fn role(&self) -> Option<Role> {
        self.inspection.as_ref().map(Inspection::role)
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
    /// Verification could not run (e.g. an unusable key file).
    Failed(String),
    /// The visitor cancelled.
    Cancelled,
}

/// What to send to the worker.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// Receipt files (name, bytes).
    pub receipts: Vec<(String, Arc<Vec<u8>>)>,
    /// Key files (name, bytes); published keys are named `published: <file>`.
    pub keys: Vec<(String, Arc<Vec<u8>>)>,
    /// A row export.
    pub rows: Option<(String, Arc<Vec<u8>>)>,
    /// Whether the keys are the visitor's own.
    pub own_keys: bool,
}

/// The verifier's whole state.
#[derive(Clone, Debug, PartialEq)]
pub struct VerifierModel {
    /// Files in the order they arrived.
    pub files: Vec<DroppedFile>,
    /// Use only keys the visitor supplied, never the published ones.
    pub only_my_keys: bool,
    /// The vendor's keys, if the page has any.
    pub published: Option<PublishedKeys>,
    /// What the worker says about the published keys (kid, type, fingerprint).
    pub published_inspection: Option<Inspection>,
    /// Where verification stands.
    pub phase: Phase,
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
            published_inspection: None,
            phase: Phase::Cancelled,
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

    /// Add a file; it stays "checking…" until [`Self::inspected`]. Returns its id.
    pub fn add(&mut self, name: impl Into<String>, bytes: Vec<u8>) -> u32 {
        let id = self.next_id();
        self.files.push(DroppedFile { id, name: name.into(), bytes: Arc::new(bytes), inspection: None });
        self.refresh();
        id
    }

    /// Record what a file is.
    pub fn inspected(&mut self, id: u32, inspection: Inspection) {
        if id == PUBLISHED_ID {
            self.published_inspection = Some(inspection);
            return;
        }
        if let Some(f) = self.files.iter_mut().find(|f| f.id == id) {
            f.inspection = Some(inspection);
        }
        self.refresh();
    }

    /// Remove a file.
    pub fn remove(&mut self, id: u32) {
        self.files.retain(|f| f.id != id);
        self.refresh();
    }

    /// Remove every file.
    pub fn clear(&mut self) {
        self.files.clear();
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

    /// What would be verified now, or what is missing. Keys the visitor supplied take
    /// precedence: when there are any, the published keys are not used at all, so a PEM
    /// key without a kid is the key used.
    pub fn plan(&self) -> Result<Plan, String> {
        if self.files.iter().any(|f| f.inspection.is_none()) {
            return Err("Reading the files…".into());
        }
        let pick = |role| {
            self.files.iter().filter(move |f| f.role() == Some(role)).map(|f| (f.name.clone(), Arc::clone(&f.bytes)))
        };
        let receipts: Vec<_> = pick(Role::Receipts).collect();
        let mut rows: Vec<_> = pick(Role::Rows).collect();
        let own: Vec<_> = pick(Role::Keys).collect();
        if receipts.is_empty() {
            return Err(if self.files.is_empty() {
                "Drop a receipt and a key, or try the demo.".into()
            } else {
                "Add a receipt: none of these files is one.".into()
            });
        }
        if rows.len() > 1 {
            return Err("Add one row export at a time.".into());
        }
        let own_keys = !own.is_empty();
        let keys = match (&self.published, own_keys, self.only_my_keys) {
            (_, true, _) => own,
            (Some(p), false, false) => vec![(format!("{PUBLISHED_PREFIX}{}", p.name), Arc::clone(&p.bytes))],
            (Some(_), false, true) => return Err("Add a public key: you chose to use only your own keys.".into()),
            (None, false, _) => return Err("Add a public key: this page publishes none.".into()),
        };
        Ok(Plan { receipts, keys, rows: rows.pop(), own_keys })
    }

    /// Recompute the phase after the inputs changed: any report is now stale.
    fn refresh(&mut self) {
        self.phase = match self.plan() {
            Ok(_) => Phase::Waiting("Ready to verify.".into()),
            Err(why) => Phase::Waiting(why),
        };
    }

    /// The inputs are complete and nothing is running.
    pub fn ready(&self) -> bool {
        matches!(&self.phase, Phase::Waiting(_)) && self.plan().is_ok()
    }

    /// Verification request `id` was sent.
    pub fn started(&mut self, id: u32, total: u64) {
        self.phase = Phase::Running { id, done: 0, total };
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

    /// The first receipt file, for the share link and the "check it yourself" panel.
    /// Only batch receipts count: wave approvals are signed differently (SPEC.md) and
    /// have no `thisHash` to re-compute by hand.
    pub fn first_receipt(&self) -> Option<&DroppedFile> {
        self.files
            .iter()
            .find(|f| f.inspection.as_ref().is_some_and(|i| matches!(i.kind.as_str(), "receipt" | "receipt-chain")))
    }
}

/// Where a key came from, for people: "the vendor's published keys" or "your file x".
pub fn key_origin(source: &str) -> String {
    match source.strip_prefix(PUBLISHED_PREFIX) {
        Some(file) => format!("published by the vendor ({file})"),
        None => format!("your file {source}"),
    }
}
