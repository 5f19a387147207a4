//! The engine's list of findings, bounded whatever the input's size (report v2, SPEC.md
//! §12 and §15):
//!
//! - the passes of one check id are aggregated as they are made into one entry, at the
//!   place of the id's first pass, with their count and the last one's place: a year of
//!   receipts (525,600) is one `receipt.signature` entry, not half a million;
//! - failures, warnings and notes of one id and status are listed up to
//!   [`MAX_LISTED_PER_CHECK`]; further ones are counted, and one summary entry per id and
//!   status carries how many were left out (its `count`), so nothing is dropped silently,
//!   the summary's totals stay true and the verdict is the same.
//!
//! Without the cap, a file of tiny receipt-shaped items (`{"kid":"k","signature":"AA"}`
//! per line) gave eight failures per 29 bytes, each with a message a hundred times
//! longer: 8.7 MB of input made 902 MB of report.
//!
//! A signature's finding is known only once the backend has answered, so its place holds
//! the signature's slot ([`Findings::push_slot`]; consecutive slots share one entry); the
//! report is assembled from the findings and the signature rounds' results, one at a
//! time, under the same rules ([`Findings::into_checks`]).

use std::ops::Range;

use crate::limits::MAX_LISTED_PER_CHECK;
use crate::report::{Check, Status, Subject};

/// Findings in the order they were made: passes aggregated per check id, the others
/// capped per check id and status.
#[derive(Default)]
pub(crate) struct Findings {
    entries: Vec<Entry>,
    /// Each check id's aggregated pass: its index in `entries`.
    passes: Vec<(&'static str, usize)>,
    /// Per (id, status) of failures, warnings and notes: how many were seen.
    counts: Vec<Tally>,
}

enum Entry {
    Check(Box<Check>),
    /// The findings of signature slots `start..end`, once resolved.
    Signatures(Range<usize>),
}

/// Failures, warnings or notes of one id: how many were seen, or listed and left out,
/// and the places of the first and last left out.
struct Tally {
    id: &'static str,
    status: Status,
    seen: usize,
    left_out: usize,
    first_out: Option<Subject>,
    last_out: Option<Subject>,
}

impl Tally {
    /// Count one finding left out of the listing, at `place`.
    fn leave_out(&mut self, place: Subject) {
        self.left_out = self.left_out.saturating_add(1);
        if self.first_out.is_none() {
            self.first_out = Some(place);
        } else {
            self.last_out = Some(place);
        }
    }
}

/// The tally of `id` and `status` in `tallies`, added if new.
fn tally<'a>(tallies: &'a mut Vec<Tally>, id: &'static str, status: Status) -> Option<&'a mut Tally> {
    match tallies.iter().position(|t| t.id == id && t.status == status) {
        Some(i) => tallies.get_mut(i),
        None => {
            tallies.push(Tally { id, status, seen: 0, left_out: 0, first_out: None, last_out: None });
            tallies.last_mut()
        }
    }
}

/// Fold `next` into `first`, an aggregated pass of the same id: the counts add up, and
/// `next`'s last place becomes the last.
fn merge(first: &mut Check, next: Check) {
    first.count = Some(first.weight().saturating_add(next.weight()));
    first.last = Some(next.last.unwrap_or(next.subject));
}

/// A pass as the first of its id: it carries its count from now on.
fn first_pass(mut check: Check) -> Check {
    check.count = Some(check.weight());
    check
}

impl Findings {
    /// Add a finding: a pass into its id's aggregate; any other finding listed unless
    /// [`MAX_LISTED_PER_CHECK`] of its id and status are, and counted either way.
    pub(crate) fn push(&mut self, check: Check) {
        if check.status == Status::Pass {
            match self.passes.iter().find(|(id, _)| *id == check.id) {
                Some(&(_, at)) => {
                    if let Some(Entry::Check(first)) = self.entries.get_mut(at) {
                        merge(first, check);
                    }
                }
                None => {
                    self.passes.push((check.id, self.entries.len()));
                    self.entries.push(Entry::Check(Box::new(first_pass(check))));
                }
            }
        } else if self.count(check.id, check.status) {
            self.entries.push(Entry::Check(Box::new(check)));
        } else if let Some(t) = tally(&mut self.counts, check.id, check.status) {
            t.leave_out(check.subject);
        }
    }

    /// Count one finding of `id` and `status`; whether it is listed.
    fn count(&mut self, id: &'static str, status: Status) -> bool {
        let Some(t) = tally(&mut self.counts, id, status) else { return false };
        t.seen += 1;
        t.seen <= MAX_LISTED_PER_CHECK
    }

    /// Add findings one by one, under the same rules.
    pub(crate) fn extend(&mut self, checks: impl IntoIterator<Item = Check>) {
        for c in checks {
            self.push(c);
        }
    }

    /// Hold the place of signature slot `slot`'s finding (slots come in increasing
    /// order). Its finding is aggregated or capped once known ([`Self::into_checks`]); a
    /// slot whose placeholder is a failure counted elsewhere (`key.select`) is also
    /// counted now, as `counted_as`, toward that id's cap, and left out (returns false)
    /// when over it.
    pub(crate) fn push_slot(&mut self, slot: usize, counted_as: Option<(&'static str, Status)>) -> bool {
        let listed = counted_as.is_none_or(|(id, status)| self.count(id, status));
        if listed {
            match self.entries.last_mut() {
                Some(Entry::Signatures(r)) if r.end == slot => r.end = slot + 1,
                _ => self.entries.push(Entry::Signatures(slot..slot + 1)),
            }
        }
        listed
    }

    /// Whether the next finding of `id` with `status` would only be counted.
    pub(crate) fn is_full(&self, id: &str, status: Status) -> bool {
        status != Status::Pass
            && self.counts.iter().any(|t| t.id == id && t.status == status && t.seen >= MAX_LISTED_PER_CHECK)
    }

    /// The report's findings: the entries in order, each signature slot's finding taken
    /// from `signatures` (every slot's, in slot order, made one at a time) and aggregated
    /// or capped like any other; then one summary per id and status that went over the
    /// cap; then `closing` (passes aggregated, the rest listed as they are).
    pub(crate) fn into_checks(
        self,
        signatures: impl IntoIterator<Item = Check>,
        closing: impl IntoIterator<Item = Check>,
    ) -> Vec<Check> {
        let mut listing = Listing::default();
        let mut signatures = signatures.into_iter().enumerate();
        for entry in self.entries {
            match entry {
                Entry::Check(c) => listing.add(*c),
                Entry::Signatures(slots) => {
                    for (slot, c) in signatures.by_ref() {
                        // A slot before the range was left out when pushed (over its cap).
                        if slot >= slots.start {
                            listing.add(c);
                        }
                        if slot + 1 >= slots.end {
                            break;
                        }
                    }
                }
            }
        }
        // Left out while pushing, then while listing (signature findings are only known
        // now); an id's findings are left out in one or the other, so the places are kept
        // in that order.
        for t in self.counts {
            let more = t.seen.saturating_sub(MAX_LISTED_PER_CHECK);
            if let Some(l) = tally(&mut listing.tallies, t.id, t.status) {
                l.left_out = l.left_out.saturating_add(more);
                let places = [t.first_out, t.last_out, l.first_out.take(), l.last_out.take()];
                let mut places = places.into_iter().flatten();
                l.first_out = places.next();
                l.last_out = places.last();
            }
        }
        let mut checks = listing.checks;
        for t in listing.tallies.iter().filter(|t| t.left_out > 0) {
            checks.push(left_out_summary(t));
        }
        for c in closing {
            if c.status == Status::Pass {
                match checks.iter_mut().find(|p| p.id == c.id && p.status == Status::Pass) {
                    Some(first) => merge(first, c),
                    None => checks.push(first_pass(c)),
                }
            } else {
                checks.push(c);
            }
        }
        checks
    }
}

/// The report's findings as they are assembled: the same rules as [`Findings::push`],
/// over entries that may be aggregated already.
#[derive(Default)]
struct Listing {
    checks: Vec<Check>,
    passes: Vec<(&'static str, usize)>,
    /// `seen` counts the listed ones here.
    tallies: Vec<Tally>,
}

impl Listing {
    fn add(&mut self, check: Check) {
        if check.status == Status::Pass {
            match self.passes.iter().find(|(id, _)| *id == check.id) {
                Some(&(_, at)) => {
                    if let Some(first) = self.checks.get_mut(at) {
                        merge(first, check);
                    }
                }
                None => {
                    self.passes.push((check.id, self.checks.len()));
                    self.checks.push(first_pass(check));
                }
            }
            return;
        }
        let Some(t) = tally(&mut self.tallies, check.id, check.status) else { return };
        if t.seen < MAX_LISTED_PER_CHECK {
            t.seen += 1;
            self.checks.push(check);
        } else {
            t.leave_out(check.subject);
        }
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
    let (more, all) = (t.left_out, t.seen.saturating_add(t.left_out));
    let mut c = Check::new(
        t.id,
        t.status,
        t.first_out.clone().unwrap_or_default(),
        format!("{more} more {} {kind} not listed (the first {} are)", t.id, t.seen),
    )
    .values(format!("at most {MAX_LISTED_PER_CHECK} listed"), format!("{all} in all"));
    c.count = Some(more);
    c.last = t.last_out.clone();
    c
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
        assert!(f.entries.len() <= 2, "the pass and one run of slots, not one entry per receipt");
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
