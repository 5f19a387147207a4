//! What a verification would send to the worker, or why there is none: every file read
//! and inspected, none unusable, a receipt, at most one row export, and a key set (the
//! published keys plus the visitor's, or the visitor's alone with "use only my keys").

use std::sync::Arc;

use super::model::{DroppedFile, VerifierModel, PUBLISHED_PREFIX};
use super::payload::Payload;
use super::verdict::Refusal;
use crate::report::Role;

/// What to send to the worker.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// Receipt files (name, bytes), in the order they were dropped.
    pub receipts: Vec<(String, Payload)>,
    /// Key files (name, bytes): the published keys (named `published: <file>`) first,
    /// then the visitor's.
    pub keys: Vec<(String, Payload)>,
    /// A row export.
    pub rows: Option<(String, Payload)>,
    /// Whether the visitor supplied keys.
    pub own_keys: bool,
    /// Indices into `receipts` of files the visitor chose to read as receipts on the chip
    /// (the core then reads them as receipts whatever their shape).
    pub chosen_receipts: Vec<usize>,
}

/// Why there is no plan.
#[derive(Clone, Debug, PartialEq)]
pub enum Blocked {
    /// Something is missing or still being read: the text says what.
    Wait(String),
    /// Files that cannot be used: the result is *Not verified*.
    Refuse(Vec<Refusal>),
}

impl Blocked {
    /// For people.
    pub fn message(&self) -> String {
        match self {
            Blocked::Wait(why) => why.clone(),
            Blocked::Refuse(r) => r.iter().map(Refusal::to_string).collect::<Vec<_>>().join("; "),
        }
    }
}

impl VerifierModel {
    /// What would be verified now, or what is missing or refused. The visitor's keys are
    /// added to the published ones; with "use only my keys", they are the only ones.
    pub fn plan(&self) -> Result<Plan, Blocked> {
        if self.files.iter().any(|f| f.reading || f.inspection.is_none()) {
            return Err(Blocked::Wait("Reading the files…".into()));
        }
        let refused: Vec<Refusal> =
            self.files.iter().filter(|f| f.role() == Some(Role::Unusable)).map(DroppedFile::refusal).collect();
        if !refused.is_empty() {
            return Err(Blocked::Refuse(refused));
        }
        let pick =
            |role| self.files.iter().filter(move |f| f.role() == Some(role)).map(|f| (f.name.clone(), f.bytes.clone()));
        let receipts: Vec<_> = pick(Role::Receipts).collect();
        let chosen_receipts = (self.files.iter().filter(|f| f.role() == Some(Role::Receipts)))
            .enumerate()
            .filter(|(_, f)| f.chosen_role == Some(Role::Receipts))
            .map(|(i, _)| i)
            .collect();
        let mut rows: Vec<_> = pick(Role::Rows).collect();
        let own: Vec<_> = pick(Role::Keys).collect();
        if receipts.is_empty() {
            return Err(Blocked::Wait(if self.files.is_empty() {
                "Drop a receipt and a key, or try the demo.".into()
            } else {
                "Add a receipt: none of these files is one.".into()
            }));
        }
        if rows.len() > 1 {
            return Err(Blocked::Wait("Add one row export at a time.".into()));
        }
        let own_keys = !own.is_empty();
        let mut keys = Vec::new();
        if !self.only_my_keys {
            if let Some(p) = &self.published {
                keys.push((format!("{PUBLISHED_PREFIX}{}", p.name), Payload::Bytes(Arc::clone(&p.bytes))));
            }
        }
        keys.extend(own);
        if keys.is_empty() {
            let why = match (&self.published, &self.published_problem) {
                (Some(_), _) => "Add a public key: you chose to use only your own keys.".to_string(),
                (None, Some(problem)) => format!("Add a public key: {problem}."),
                (None, None) => "Add a public key: this page publishes none.".to_string(),
            };
            return Err(Blocked::Wait(why));
        }
        Ok(Plan { receipts, keys, rows: rows.pop(), own_keys, chosen_receipts })
    }
}
