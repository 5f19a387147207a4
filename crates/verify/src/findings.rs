//! The engine's list of findings, with a cap on how many failures, warnings and notes of
//! one check id are listed (SPEC.md §15, [`MAX_LISTED_PER_CHECK`]).
//!
//! Without it, a file of tiny receipt-shaped items (`{"kid":"k","signature":"AA"}` per
//! line) gives eight failures per 29 bytes, each with a message a hundred times longer:
//! 8.7 MB of input made 902 MB of report. Further findings of a capped id are counted,
//! and one summary finding per id and status says how many were left out, so nothing
//! is dropped silently and the verdict is the same. Passes are never capped, nor are
//! signature slots (they are resolved by index later, see [`Findings::push_slot`]).

use std::ops::{Deref, DerefMut};

use crate::limits::MAX_LISTED_PER_CHECK;
use crate::report::{Check, Status, Subject};

/// Findings in the order they were made, capped per check id and status.
#[derive(Default)]
pub(crate) struct Findings {
    listed: Vec<Check>,
    /// Per (id, status): how many were seen, and whether the latest one was listed.
    counts: Vec<Tally>,
}

struct Tally {
    id: &'static str,
    status: Status,
    seen: usize,
    last_listed: bool,
}

impl Findings {
    /// Add a finding, unless [`MAX_LISTED_PER_CHECK`] of its id and status are listed.
    pub(crate) fn push(&mut self, check: Check) {
        if check.status == Status::Pass {
            self.listed.push(check);
            return;
        }
        let tally = match self.counts.iter_mut().position(|t| t.id == check.id && t.status == check.status) {
            Some(i) => self.counts.get_mut(i),
            None => {
                self.counts.push(Tally { id: check.id, status: check.status, seen: 0, last_listed: false });
                self.counts.last_mut()
            }
        };
        let Some(tally) = tally else { return };
        tally.seen += 1;
        tally.last_listed = tally.seen <= MAX_LISTED_PER_CHECK;
        if tally.last_listed {
            self.listed.push(check);
        }
    }

    /// Add findings one by one, each under the cap.
    pub(crate) fn extend(&mut self, checks: impl IntoIterator<Item = Check>) {
        for c in checks {
            self.push(c);
        }
    }

    /// Add a signature's placeholder finding, never capped; returns its index.
    pub(crate) fn push_slot(&mut self, check: Check) -> usize {
        self.listed.push(check);
        self.listed.len() - 1
    }

    /// Whether the next finding of `id` with `status` would only be counted.
    pub(crate) fn is_full(&self, id: &str, status: Status) -> bool {
        status != Status::Pass
            && self.counts.iter().any(|t| t.id == id && t.status == status && t.seen >= MAX_LISTED_PER_CHECK)
    }

    /// Whether the latest failure of `id` was listed (false when none was seen).
    pub(crate) fn last_failure_listed(&self, id: &str) -> bool {
        self.counts.iter().any(|t| t.id == id && t.status == Status::Fail && t.last_listed)
    }

    /// The listed findings, then one summary per id and status that went over the cap.
    pub(crate) fn into_checks(mut self) -> Vec<Check> {
        for t in self.counts.iter().filter(|t| t.seen > MAX_LISTED_PER_CHECK) {
            let more = t.seen - MAX_LISTED_PER_CHECK;
            let kind = match t.status {
                Status::Fail => "failures",
                Status::Warn => "warnings",
                _ => "notes",
            };
            self.listed.push(
                Check::new(
                    t.id,
                    t.status,
                    Subject::default(),
                    format!("{more} more {} {kind} not listed (the first {MAX_LISTED_PER_CHECK} are)", t.id),
                )
                .values(format!("at most {MAX_LISTED_PER_CHECK} listed"), format!("{} in all", t.seen)),
            );
        }
        self.listed
    }
}

impl Deref for Findings {
    type Target = Vec<Check>;
    fn deref(&self) -> &Vec<Check> {
        &self.listed
    }
}

impl DerefMut for Findings {
    fn deref_mut(&mut self) -> &mut Vec<Check> {
        &mut self.listed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn check(id: &'static str, status: Status) -> Check {
        Check::new(id, status, Subject::default(), "m")
    }

    #[test]
    fn failures_over_the_cap_are_counted_in_one_summary_and_passes_are_kept() {
        let mut f = Findings::default();
        let n = MAX_LISTED_PER_CHECK + 7;
        for _ in 0..n {
            f.push(check("receipt.fields", Status::Fail));
            f.push(check("receipt.hash", Status::Pass));
        }
        f.push(check("worm.uri", Status::Fail));
        assert!(!f.last_failure_listed("receipt.fields"));
        assert!(f.is_full("receipt.fields", Status::Fail));
        assert!(!f.is_full("receipt.fields", Status::Warn) && !f.is_full("receipt.hash", Status::Pass));
        assert!(f.last_failure_listed("worm.uri"));
        let slot = f.push_slot(check("receipt.signature", Status::Fail));
        assert_eq!(f.get(slot).map(|c| c.id), Some("receipt.signature"));
        let checks = f.into_checks();
        let fields: Vec<&Check> = checks.iter().filter(|c| c.id == "receipt.fields").collect();
        assert_eq!(fields.len(), MAX_LISTED_PER_CHECK + 1, "the cap, then one summary");
        let summary = fields.last().map(|c| c.message.as_str()).unwrap_or_default();
        assert!(summary.starts_with("7 more receipt.fields failures not listed"), "{summary}");
        assert_eq!(checks.iter().filter(|c| c.id == "receipt.hash").count(), n, "passes are never capped");
        assert_eq!(checks.iter().filter(|c| c.id == "worm.uri").count(), 1);
    }

    #[test]
    fn warnings_and_notes_are_capped_apart_from_failures() {
        let mut f = Findings::default();
        for _ in 0..=MAX_LISTED_PER_CHECK {
            f.push(check("key.select", Status::Note));
        }
        f.push(check("key.select", Status::Fail));
        assert!(f.last_failure_listed("key.select"), "notes do not use up the failures' cap");
        let checks = f.into_checks();
        assert_eq!(checks.iter().filter(|c| c.status == Status::Note).count(), MAX_LISTED_PER_CHECK + 1);
        assert_eq!(checks.iter().filter(|c| c.status == Status::Fail).count(), 1);
    }
}
