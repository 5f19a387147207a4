//! The engine's list of findings, bounded whatever the input's size (report v2, SPEC.md
//! §12 and §15):
//!
//! - the passes of one check id are aggregated as they are made into one entry, at the
//!   place of the id's first pass, with their count and the last one's place: a year of
//!   receipts (525,600) is one `receipt.signature` entry, not half a million;
//! - failures, warnings and notes of one id and status are listed up to
//!   [`MAX_LISTED_PER_CHECK`]; further ones are counted, and one summary entry per id and
//!   status carries how many were left out (its `count`) and the first and last of their
//!   places, so nothing is dropped silently, the summary's totals stay true and the
//!   verdict is the same.
//!
//! Without the cap, a file of tiny receipt-shaped items (`{"kid":"k","signature":"AA"}`
//! per line) gave eight failures per 29 bytes, each with a message a hundred times
//! longer: 8.7 MB of input made 902 MB of report.
//!
//! A signature's finding is known only once the backend has answered, so its place holds
//! the signature's slot ([`Findings::push_slot`]; consecutive slots share one mark); the
//! report is assembled from the findings and the signature rounds' results, one at a
//! time, under the same rules ([`Assembly`]).

use std::ops::Range;

use crate::limits::MAX_LISTED_PER_CHECK;
use crate::report::{Check, Status, Subject};

/// Findings in the order they were made, with the places of the signatures' findings.
#[derive(Default)]
pub(crate) struct Findings {
    listing: Listing,
    /// Signature slots `start..end` whose findings come before `listing.checks[at]`.
    slots: Vec<(usize, Range<usize>)>,
}

/// Findings as they are listed: passes aggregated per check id, the others capped per
/// check id and status.
#[derive(Default)]
struct Listing {
    checks: Vec<Check>,
    tallies: Vec<Tally>,
}

/// The findings of one id and status. Passes: `listed` is one more than the index of
/// their entry in `checks` (0 before the first). Failures, warnings and notes: how many
/// are listed and left out, and the places of the first and last left out.
struct Tally {
    id: &'static str,
    status: Status,
    listed: usize,
    left_out: usize,
    first_out: Option<Subject>,
    last_out: Option<Subject>,
}

impl Listing {
    /// A pass into its id's aggregate; any other finding listed unless
    /// [`MAX_LISTED_PER_CHECK`] of its id and status are, and counted either way.
    fn add(&mut self, check: Check) {
        if check.status != Status::Pass {
            match self.count(check.id, check.status) {
                Some(t) => {
                    let at = if t.first_out.is_none() { &mut t.first_out } else { &mut t.last_out };
                    *at = Some(check.subject);
                }
                None => self.checks.push(check),
            }
            return;
        }
        let next = self.checks.len() + 1;
        let Some(t) = tally(&mut self.tallies, check.id, Status::Pass) else { return };
        if t.listed == 0 {
            t.listed = next;
            self.checks.push(Check { count: Some(check.weight()), ..check });
        } else if let Some(first) = self.checks.get_mut(t.listed - 1) {
            // The counts add up; `check`'s last place becomes the last.
            first.count = Some(first.weight().saturating_add(check.weight()));
            first.last = Some(check.last.unwrap_or_else(|| Box::new(check.subject)));
        }
    }

    /// Count one finding of `id` and `status`: `None` when it is listed, else its tally
    /// (over the cap: left out).
    fn count(&mut self, id: &'static str, status: Status) -> Option<&mut Tally> {
        let t = tally(&mut self.tallies, id, status)?;
        if t.listed < MAX_LISTED_PER_CHECK {
            t.listed += 1;
            return None;
        }
        t.left_out = t.left_out.saturating_add(1);
        Some(t)
    }
}

/// The tally of `id` and `status`, added if new.
fn tally<'a>(tallies: &'a mut Vec<Tally>, id: &'static str, status: Status) -> Option<&'a mut Tally> {
    let at = match tallies.iter().position(|t| t.id == id && t.status == status) {
        Some(at) => at,
        None => {
            tallies.push(Tally { id, status, listed: 0, left_out: 0, first_out: None, last_out: None });
            tallies.len() - 1
        }
    };
    tallies.get_mut(at)
}

impl Findings {
    /// Add a finding: a pass into its id's aggregate; any other finding listed unless
    /// [`MAX_LISTED_PER_CHECK`] of its id and status are, and counted either way.
    pub(crate) fn push(&mut self, check: Check) {
        self.listing.add(check);
    }

    /// Add findings one by one, under the same rules.
    pub(crate) fn extend(&mut self, checks: impl IntoIterator<Item = Check>) {
        for c in checks {
            self.push(c);
        }
    }

    /// Hold the place of signature slot `slot`'s finding (slots come in increasing
    /// order). Its finding is aggregated or capped once known ([`Assembly::signature`]); a
    /// slot whose placeholder is a failure counted elsewhere (`key.select`) is also
    /// counted now, as `counted_as`, toward that id's cap, and left out (returns false)
    /// when over it.
    pub(crate) fn push_slot(&mut self, slot: usize, counted_as: Option<(&'static str, Status)>) -> bool {
        let listed = counted_as.is_none_or(|(id, status)| self.listing.count(id, status).is_none());
        if listed {
            let at = self.listing.checks.len();
            match self.slots.last_mut() {
                Some((before, r)) if *before == at && r.end == slot => r.end = slot + 1,
                _ => self.slots.push((at, slot..slot + 1)),
            }
        }
        listed
    }

    /// Whether the next finding of `id` with `status` would only be counted.
    pub(crate) fn is_full(&self, id: &str, status: Status) -> bool {
        status != Status::Pass
            && self.listing.tallies.iter().any(|t| t.id == id && t.status == status && t.listed >= MAX_LISTED_PER_CHECK)
    }

    /// Start assembling the report: the signatures' findings follow, in slot order
    /// ([`Assembly::signature`]), then [`Assembly::finish`].
    pub(crate) fn assemble(self) -> Assembly {
        let mut out = self.listing;
        let checks = std::mem::take(&mut out.checks).into_iter();
        // The listed findings are listed again, with the signatures'; what was left out
        // stays counted, with its places (an id's findings are left out either while
        // pushed or now, as the signatures' are only known now).
        for t in &mut out.tallies {
            t.listed = 0;
        }
        Assembly { out, checks, taken: 0, slots: self.slots.into_iter(), run: 0..0 }
    }

    /// The report's findings at once, the signatures' from `signatures` by slot.
    #[cfg(test)]
    pub(crate) fn into_checks(
        self,
        signatures: impl IntoIterator<Item = Check>,
        closing: impl IntoIterator<Item = Check>,
    ) -> Vec<Check> {
        let mut report = self.assemble();
        for (slot, c) in signatures.into_iter().enumerate() {
            report.signature(slot, c);
        }
        report.finish(closing)
    }
}

/// The report's findings as they are assembled, under the same rules as they were
/// pushed: the listed ones in order, each signature's finding at its slot's place as it
/// is made (so millions of them are never held at once), then one summary per id and
/// status that went over the cap.
pub(crate) struct Assembly {
    out: Listing,
    checks: std::vec::IntoIter<Check>,
    /// How many of the pushed findings are in `out`.
    taken: usize,
    slots: std::vec::IntoIter<(usize, Range<usize>)>,
    /// The run of slots being filled.
    run: Range<usize>,
}

impl Assembly {
    /// Signature slot `slot`'s finding; slots come in increasing order.
    pub(crate) fn signature(&mut self, slot: usize, check: Check) {
        while slot >= self.run.end {
            let Some((before, run)) = self.slots.next() else { return };
            self.take_pushed(before);
            self.run = run;
        }
        // A slot before the run was left out when pushed (over its cap).
        if slot >= self.run.start {
            self.out.add(check);
        }
    }

    /// Move the pushed findings up to index `before` into the report.
    fn take_pushed(&mut self, before: usize) {
        for c in self.checks.by_ref().take(before.saturating_sub(self.taken)) {
            self.out.add(c);
        }
        self.taken = before;
    }

    /// The findings: the rest of the pushed ones, one summary per id and status that went
    /// over the cap, then `closing`.
    pub(crate) fn finish(mut self, closing: impl IntoIterator<Item = Check>) -> Vec<Check> {
        self.take_pushed(usize::MAX);
        let mut out = self.out;
        for t in &out.tallies {
            if t.left_out > 0 {
                out.checks.push(left_out_summary(t));
            }
        }
        for c in closing {
            out.add(c);
        }
        out.checks
    }
}

/// The entry that stands for the findings of one id and status left out of the listing:
/// their count, and the places of the first and last of them.
fn left_out_summary(t: &Tally) -> Check {
    let kind = match t.status {
        Status::Fail => "failures",
        Status::Warn => "warnings",
        _ => "notes",
    };
    let (more, all) = (t.left_out, t.listed.saturating_add(t.left_out));
    Check {
        count: Some(more),
        last: t.last_out.clone().map(Box::new),
        ..Check::new(
            t.id,
            t.status,
            t.first_out.clone().unwrap_or_default(),
            format!("{more} more {} {kind} not listed (the first {} are)", t.id, t.listed),
        )
        .values(format!("at most {MAX_LISTED_PER_CHECK} listed"), format!("{all} in all"))
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

    fn at(id: &'static str, status: Status, index: usize) -> Check {
        Check::new(id, status, Subject { index: Some(index), ..Subject::default() }, format!("m{index}"))
    }

    fn weight(checks: &[Check], id: &str, status: Status) -> usize {
        checks.iter().filter(|c| c.id == id && c.status == status).map(Check::weight).sum()
    }

    #[test]
    fn failures_over_the_cap_are_counted_in_one_summary_and_passes_are_aggregated() {
        let mut f = Findings::default();
        let n = MAX_LISTED_PER_CHECK + 7;
        for i in 0..n {
            f.push(at("receipt.fields", Status::Fail, i));
            f.push(at("receipt.hash", Status::Pass, i));
        }
        f.push(check("worm.uri", Status::Fail));
        assert!(f.is_full("receipt.fields", Status::Fail));
        assert!(!f.is_full("receipt.fields", Status::Warn) && !f.is_full("receipt.hash", Status::Pass));
        assert!(!f.is_full("worm.uri", Status::Fail));
        assert!(f.push_slot(0, None), "a signature's place is kept");
        assert!(
            !f.push_slot(1, Some(("receipt.fields", Status::Fail))),
            "unless it counts toward a full cap (and is counted: 8 more)"
        );
        let signature = check("receipt.signature", Status::Pass);
        let checks = f.into_checks(vec![signature, check("never.listed", Status::Fail)], []);
        assert_eq!(checks.iter().filter(|c| c.id == "receipt.signature").count(), 1);
        assert!(!checks.iter().any(|c| c.id == "never.listed"));
        let fields: Vec<&Check> = checks.iter().filter(|c| c.id == "receipt.fields").collect();
        assert_eq!(fields.len(), MAX_LISTED_PER_CHECK + 1, "the cap, then one summary");
        let summary = fields.last().copied().cloned().unwrap_or_else(|| check("none", Status::Note));
        assert!(summary.message.starts_with("8 more receipt.fields failures not listed"), "{}", summary.message);
        assert_eq!((summary.count, summary.actual.as_deref()), (Some(8), Some(format!("{} in all", n + 1).as_str())));
        let places = (summary.subject.index, summary.last.as_ref().and_then(|s| s.index));
        assert_eq!(places, (Some(MAX_LISTED_PER_CHECK), Some(n - 1)), "the first and last left out");
        assert_eq!(weight(&checks, "receipt.fields", Status::Fail), n + 1, "the true total");
        let hash: Vec<&Check> = checks.iter().filter(|c| c.id == "receipt.hash").collect();
        assert_eq!(hash.len(), 1, "one entry for every pass of an id");
        let hash = hash.first().copied().cloned().unwrap_or_else(|| check("none", Status::Note));
        assert_eq!(hash.count, Some(n));
        assert_eq!((hash.subject.index, hash.message.as_str()), (Some(0), "m0"), "the first pass's place and words");
        assert_eq!(hash.last.and_then(|s| s.index), Some(n - 1), "and the last one's place");
        let position = |id: &str| checks.iter().position(|c| c.id == id);
        assert_eq!(position("receipt.hash"), Some(1), "at the place of its first pass");
        assert_eq!(checks.iter().filter(|c| c.id == "worm.uri").count(), 1);
    }

    #[test]
    fn warnings_and_notes_are_capped_apart_from_failures() {
        let mut f = Findings::default();
        for _ in 0..=MAX_LISTED_PER_CHECK {
            f.push(check("key.select", Status::Note));
        }
        assert!(f.push_slot(0, Some(("key.select", Status::Fail))), "notes do not use up the failures' cap");
        let checks = f.into_checks(vec![check("key.select", Status::Fail)], []);
        assert_eq!(checks.iter().filter(|c| c.status == Status::Note).count(), MAX_LISTED_PER_CHECK + 1);
        assert_eq!(weight(&checks, "key.select", Status::Note), MAX_LISTED_PER_CHECK + 1);
        assert_eq!(checks.iter().filter(|c| c.status == Status::Fail).count(), 1);
    }

    #[test]
    fn signature_failures_over_the_cap_are_counted_not_listed() {
        let mut f = Findings::default();
        let n = MAX_LISTED_PER_CHECK * 3;
        for slot in 0..n {
            f.push(at("receipt.hash", Status::Pass, slot));
            assert!(f.push_slot(slot, None));
        }
        assert!(
            f.listing.checks.len() + f.slots.len() <= 2,
            "the pass and one run of slots, not one entry per receipt"
        );
        let signatures = (0..n).map(|i| at("receipt.signature", if i == 5 { Status::Pass } else { Status::Fail }, i));
        let checks = f.into_checks(signatures, [check("verdict.signature", Status::Fail)]);
        let listed = checks.iter().filter(|c| c.id == "receipt.signature" && c.status == Status::Fail).count();
        assert_eq!(listed, MAX_LISTED_PER_CHECK + 1, "the cap, then one summary");
        assert_eq!(weight(&checks, "receipt.signature", Status::Fail), n - 1, "every failure counted");
        assert_eq!(weight(&checks, "receipt.signature", Status::Pass), 1);
        let first = checks.iter().find(|c| c.status == Status::Fail).map(|c| c.subject.index);
        assert_eq!(first, Some(Some(0)), "the first failures are the ones listed");
        assert_eq!(checks.last().map(|c| c.id), Some("verdict.signature"), "closing findings come last");
    }

    #[test]
    fn signature_passes_are_aggregated_and_unlisted_slots_skipped() {
        let mut f = Findings::default();
        for _ in 0..MAX_LISTED_PER_CHECK {
            f.push(check("key.select", Status::Fail));
        }
        assert!(f.push_slot(0, None));
        assert!(!f.push_slot(1, Some(("key.select", Status::Fail))), "over the cap: counted, not listed");
        f.push(check("worm.uri", Status::Note));
        assert!(f.push_slot(2, None) && f.push_slot(3, None));
        let signatures = (0..4).map(|i| {
            if i == 1 {
                check("never.listed", Status::Fail)
            } else {
                at("receipt.signature", Status::Pass, i)
            }
        });
        let checks = f.into_checks(signatures, [check("verdict.signature", Status::Pass)]);
        assert!(!checks.iter().any(|c| c.id == "never.listed"));
        let sig = checks.iter().find(|c| c.id == "receipt.signature");
        assert_eq!(sig.map(|c| (c.count, c.subject.index)), Some((Some(3), Some(0))));
        assert_eq!(sig.and_then(|c| c.last.as_ref()).and_then(|s| s.index), Some(3));
        assert_eq!(weight(&checks, "key.select", Status::Fail), MAX_LISTED_PER_CHECK + 1);
        let closing = checks.last().map(|c| (c.id, c.count));
        assert_eq!(closing, Some(("verdict.signature", Some(1))), "a closing pass carries its count too");
    }
}
