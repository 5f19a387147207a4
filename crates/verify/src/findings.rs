//! The engine's list of findings, with a cap on how many failures, warnings and notes of
//! one check id are listed (SPEC.md §15, [`MAX_LISTED_PER_CHECK`]).
//!
//! Without it, a file of tiny receipt-shaped items (`{"kid":"k","signature":"AA"}` per
//! line) gives eight failures per 29 bytes, each with a message a hundred times longer:
//! 8.7 MB of input made 902 MB of report. Further findings of a capped id are counted,
//! and one summary finding per id and status says how many were left out, so nothing
//! is dropped silently and the verdict is the same. Passes are never capped.
//!
//! A signature's finding is known only once the backend has answered, so its place holds
//! the signature's slot ([`Findings::push_slot`]); the report is assembled from the
//! findings and the signature rounds' results ([`Findings::into_checks`]).

use crate::limits::MAX_LISTED_PER_CHECK;
use crate::report::{Check, Status, Subject};

/// Findings in the order they were made, capped per check id and status.
#[derive(Default)]
pub(crate) struct Findings {
    listed: Vec<Entry>,
    /// Per (id, status): how many were seen, and whether the latest one was listed.
    counts: Vec<Tally>,
}

enum Entry {
    Check(Check),
    /// The finding of signature slot N, once resolved.
    Signature(usize),
}

struct Tally {
    id: &'static str,
    status: Status,
    seen: usize,
}

impl Findings {
    /// Add a finding, unless [`MAX_LISTED_PER_CHECK`] of its id and status are listed.
    pub(crate) fn push(&mut self, check: Check) {
        if check.status == Status::Pass || self.count(check.id, check.status) {
            self.listed.push(Entry::Check(check));
        }
    }

    /// Count one finding of `id` and `status`; whether it is listed.
    fn count(&mut self, id: &'static str, status: Status) -> bool {
        let tally = match self.counts.iter_mut().position(|t| t.id == id && t.status == status) {
            Some(i) => self.counts.get_mut(i),
            None => {
                self.counts.push(Tally { id, status, seen: 0 });
                self.counts.last_mut()
            }
        };
        let Some(tally) = tally else { return false };
        tally.seen += 1;
        tally.seen <= MAX_LISTED_PER_CHECK
    }

    /// Add findings one by one, each under the cap.
    pub(crate) fn extend(&mut self, checks: impl IntoIterator<Item = Check>) {
        for c in checks {
            self.push(c);
        }
    }

    /// Hold the place of signature slot `slot`'s finding. Signature findings are never
    /// capped, except a slot whose placeholder is a failure already counted elsewhere
    /// (`key.select`): `counted_as` counts it toward that id's cap, and it is left out
    /// (returns false) when over it.
    pub(crate) fn push_slot(&mut self, slot: usize, counted_as: Option<(&'static str, Status)>) -> bool {
        let listed = counted_as.is_none_or(|(id, status)| self.count(id, status));
        if listed {
            self.listed.push(Entry::Signature(slot));
        }
        listed
    }

    /// Whether the next finding of `id` with `status` would only be counted.
    pub(crate) fn is_full(&self, id: &str, status: Status) -> bool {
        status != Status::Pass
            && self.counts.iter().any(|t| t.id == id && t.status == status && t.seen >= MAX_LISTED_PER_CHECK)
    }

    /// The listed findings, each signature slot's from `signatures` (by slot), then one
    /// summary per id and status that went over the cap.
    pub(crate) fn into_checks(self, signatures: Vec<Check>) -> Vec<Check> {
        let mut signatures: Vec<Option<Check>> = signatures.into_iter().map(Some).collect();
        let mut checks: Vec<Check> = self
            .listed
            .into_iter()
            .filter_map(|e| match e {
                Entry::Check(c) => Some(c),
                Entry::Signature(slot) => signatures.get_mut(slot).and_then(Option::take),
            })
            .collect();
        for t in self.counts.iter().filter(|t| t.seen > MAX_LISTED_PER_CHECK) {
            let more = t.seen - MAX_LISTED_PER_CHECK;
            let kind = match t.status {
                Status::Fail => "failures",
                Status::Warn => "warnings",
                _ => "notes",
            };
            checks.push(
                Check::new(
                    t.id,
                    t.status,
                    Subject::default(),
                    format!("{more} more {} {kind} not listed (the first {MAX_LISTED_PER_CHECK} are)", t.id),
                )
                .values(format!("at most {MAX_LISTED_PER_CHECK} listed"), format!("{} in all", t.seen)),
            );
        }
        checks
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
        assert!(f.is_full("receipt.fields", Status::Fail));
        assert!(!f.is_full("receipt.fields", Status::Warn) && !f.is_full("receipt.hash", Status::Pass));
        assert!(!f.is_full("worm.uri", Status::Fail));
        assert!(f.push_slot(0, None), "a signature's place is never capped");
        assert!(
            !f.push_slot(1, Some(("receipt.fields", Status::Fail))),
            "unless it counts toward a full cap (and is counted: 8 more)"
        );
        let signature = check("receipt.signature", Status::Pass);
        let checks = f.into_checks(vec![signature, check("never.listed", Status::Fail)]);
        assert_eq!(checks.iter().filter(|c| c.id == "receipt.signature").count(), 1);
        assert!(!checks.iter().any(|c| c.id == "never.listed"));
        let fields: Vec<&Check> = checks.iter().filter(|c| c.id == "receipt.fields").collect();
        assert_eq!(fields.len(), MAX_LISTED_PER_CHECK + 1, "the cap, then one summary");
        let summary = fields.last().map(|c| c.message.as_str()).unwrap_or_default();
        assert!(summary.starts_with("8 more receipt.fields failures not listed"), "{summary}");
        assert_eq!(checks.iter().filter(|c| c.id == "receipt.hash").count(), n, "passes are never capped");
        assert_eq!(checks.iter().filter(|c| c.id == "worm.uri").count(), 1);
    }

    #[test]
    fn warnings_and_notes_are_capped_apart_from_failures() {
        let mut f = Findings::default();
        for _ in 0..=MAX_LISTED_PER_CHECK {
            f.push(check("key.select", Status::Note));
        }
        assert!(f.push_slot(0, Some(("key.select", Status::Fail))), "notes do not use up the failures' cap");
        let checks = f.into_checks(vec![check("key.select", Status::Fail)]);
        assert_eq!(checks.iter().filter(|c| c.status == Status::Note).count(), MAX_LISTED_PER_CHECK + 1);
        assert_eq!(checks.iter().filter(|c| c.status == Status::Fail).count(), 1);
    }
}
