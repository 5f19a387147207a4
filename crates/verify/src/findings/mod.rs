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
//! the signature's slot ([`Findings::push_slot`]; consecutive slots share one mark), and
//! what is pushed after it waits in a queue until it is known ([`Findings::signature`]):
//! signatures resolved a window at a time keep that queue to a window's findings. The
//! caps count findings as they are pushed, so what is listed never depends on when the
//! signatures were resolved.

use std::collections::VecDeque;
use std::ops::Range;

use crate::limits::MAX_LISTED_PER_CHECK;
use crate::report::{Check, Status, Subject};

/// Findings in the order they were made, with the places of the signatures' findings.
#[derive(Default)]
pub(crate) struct Findings {
    /// Per id and status, the findings pushed (signatures' placeholders counted as
    /// `key.select` included): what the caps and [`Self::is_full`] go by.
    counted: Vec<Tally>,
    /// The findings in their final order, up to the first signature not yet known.
    out: Listing,
    /// What comes after it: signature places and the findings pushed after them.
    queue: VecDeque<Queued>,
    /// How many entries have left the queue (queue indices below are absolute).
    queue_base: usize,
    /// Passes whose aggregate entry is in the queue, and where.
    queued_passes: Vec<(&'static str, usize)>,
}

/// An entry waiting for the signatures before it.
enum Queued {
    Check(Check),
    /// Signature slots `start..end`, whose findings come here.
    Slots(Range<usize>),
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
            match count(&mut self.tallies, check.id, check.status) {
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

    /// Whether passes of `id` have their entry.
    fn has_pass(&self, id: &str) -> bool {
        self.tallies.iter().any(|t| t.id == id && t.status == Status::Pass && t.listed > 0)
    }
}

/// Count one finding of `id` and `status`: `None` when it is listed, else its tally
/// (over the cap: left out).
fn count<'a>(tallies: &'a mut Vec<Tally>, id: &'static str, status: Status) -> Option<&'a mut Tally> {
    let t = tally(tallies, id, status)?;
    if t.listed < MAX_LISTED_PER_CHECK {
        t.listed += 1;
        return None;
    }
    t.left_out = t.left_out.saturating_add(1);
    Some(t)
}

impl Tally {
    fn new(id: &'static str, status: Status) -> Self {
        Tally { id, status, listed: 0, left_out: 0, first_out: None, last_out: None }
    }
}

/// The tally of `id` and `status`, added if new.
fn tally<'a>(tallies: &'a mut Vec<Tally>, id: &'static str, status: Status) -> Option<&'a mut Tally> {
    let at = match tallies.iter().position(|t| t.id == id && t.status == status) {
        Some(at) => at,
        None => {
            tallies.push(Tally::new(id, status));
            tallies.len() - 1
        }
    };
    tallies.get_mut(at)
}

impl Findings {
    /// Add a finding: a pass into its id's aggregate; any other finding listed unless
    /// [`MAX_LISTED_PER_CHECK`] of its id and status are, and counted either way.
    pub(crate) fn push(&mut self, check: Check) {
        if check.status != Status::Pass {
            if let Some(t) = count(&mut self.counted, check.id, check.status) {
                let at = if t.first_out.is_none() { &mut t.first_out } else { &mut t.last_out };
                *at = Some(check.subject);
                return;
            }
            self.emit(check);
            return;
        }
        if self.queue.is_empty() || self.out.has_pass(check.id) {
            // Passes aggregate wherever their entry stands.
            self.out.add(check);
            return;
        }
        let queued = self.queued_passes.iter().find(|(id, _)| *id == check.id).map(|(_, at)| *at);
        match queued.and_then(|at| self.queue.get_mut(at.wrapping_sub(self.queue_base))) {
            Some(Queued::Check(first)) => {
                first.count = Some(first.weight().saturating_add(check.weight()));
                first.last = Some(check.last.unwrap_or_else(|| Box::new(check.subject)));
            }
            _ => {
                self.queued_passes.push((check.id, self.queue_base + self.queue.len()));
                self.queue.push_back(Queued::Check(Check { count: Some(check.weight()), ..check }));
            }
        }
    }

    /// A finding in its final place: listed now, or after the signatures before it.
    fn emit(&mut self, check: Check) {
        if self.queue.is_empty() {
            self.out.add(check);
        } else {
            self.queue.push_back(Queued::Check(check));
        }
    }

    /// Add findings one by one, under the same rules.
    pub(crate) fn extend(&mut self, checks: impl IntoIterator<Item = Check>) {
        for c in checks {
            self.push(c);
        }
    }

    /// Hold the place of signature slot `slot`'s finding (slots come in increasing
    /// order). Its finding is aggregated or capped once known ([`Self::signature`]); a
    /// slot whose placeholder is a failure counted elsewhere (`key.select`) is also
    /// counted now, as `counted_as`, toward that id's cap, and left out (returns false)
    /// when over it.
    pub(crate) fn push_slot(&mut self, slot: usize, counted_as: Option<(&'static str, Status)>) -> bool {
        let listed = counted_as.is_none_or(|(id, status)| count(&mut self.counted, id, status).is_none());
        if listed {
            match self.queue.back_mut() {
                Some(Queued::Slots(r)) if r.end == slot => r.end = slot + 1,
                _ => self.queue.push_back(Queued::Slots(slot..slot + 1)),
            }
        }
        listed
    }

    /// Signature slot `slot`'s finding, once known; slots come in increasing order. It
    /// takes the place [`Self::push_slot`] held (a slot left out then is dropped), and the
    /// findings up to the next signature still unknown move into the listing.
    pub(crate) fn signature(&mut self, slot: usize, check: Check) {
        while let Some(front) = self.queue.front_mut() {
            match front {
                Queued::Slots(r) if slot < r.start => return,
                Queued::Slots(r) if slot + 1 < r.end => {
                    r.start = slot + 1;
                    self.out.add(check);
                    return;
                }
                Queued::Slots(r) if slot < r.end => {
                    self.pop_front();
                    self.out.add(check);
                    self.take_checks();
                    return;
                }
                // A run never resolved: its findings are lost, as ever.
                Queued::Slots(_) => {
                    self.pop_front();
                }
                Queued::Check(_) => self.take_checks(),
            }
        }
    }

    /// Move the findings at the queue's front, up to its first signature, into the listing.
    fn take_checks(&mut self) {
        while matches!(self.queue.front(), Some(Queued::Check(_))) {
            if let Some(Queued::Check(c)) = self.pop_front() {
                self.out.add(c);
            }
        }
    }

    fn pop_front(&mut self) -> Option<Queued> {
        let at = self.queue_base;
        self.queued_passes.retain(|(_, i)| *i != at);
        self.queue_base += 1;
        self.queue.pop_front()
    }

    /// Whether the words of a finding of `id` with `status` pushed now would be read: not
    /// when it is a pass after its id's entry (only its place and count are kept) or a
    /// failure, warning or note over the cap. A caller may then leave its message and
    /// values out ([`Check::unread`]): writing them for every receipt took about a fifth
    /// of the CLI's parsing thread (profile, 2026-12-03).
    pub(crate) fn reads(&self, id: &str, status: Status) -> bool {
        match status {
            Status::Pass => !self.out.has_pass(id) && !self.queued_passes.iter().any(|(queued, _)| *queued == id),
            _ => !self.is_full(id, status),
        }
    }

    /// Whether the words of a passed signature of `id` given now ([`Self::signature`]) would
    /// be read: not after its id's entry is listed.
    pub(crate) fn reads_signature_pass(&self, id: &str) -> bool {
        !self.out.has_pass(id)
    }

    /// Whether the next finding of `id` with `status` would only be counted.
    pub(crate) fn is_full(&self, id: &str, status: Status) -> bool {
        status != Status::Pass
            && self.counted.iter().any(|t| t.id == id && t.status == status && t.listed >= MAX_LISTED_PER_CHECK)
    }

    /// Findings (and signature places) held until the signatures before them are known.
    pub(crate) fn queued(&self) -> usize {
        self.queue.len()
    }

    /// Append `later`, a list without signatures, as if its findings had been pushed here
    /// in its order: the listed ones are pushed, what it left out is counted here.
    pub(crate) fn append(&mut self, later: Findings) {
        let Findings { counted, out, .. } = later;
        for c in out.checks {
            self.push(c);
        }
        for t in counted.iter().filter(|t| t.left_out > 0) {
            if let Some(here) = tally(&mut self.counted, t.id, t.status) {
                *here = merge_out(here, t);
            }
        }
    }

    /// The findings: everything pushed, the signatures' findings given, one summary per
    /// id and status that went over the cap, then `closing`.
    pub(crate) fn finish(mut self, closing: impl IntoIterator<Item = Check>) -> Vec<Check> {
        while let Some(q) = self.pop_front() {
            if let Queued::Check(c) = q {
                self.out.add(c);
            }
        }
        let mut out = self.out;
        // What was left out when pushed comes first, then what was left out as the
        // signatures' findings took their places: one summary per id and status, in the
        // order their first finding was pushed.
        let mut summaries: Vec<Tally> = Vec::new();
        for p in &self.counted {
            let later = out.tallies.iter().find(|t| t.id == p.id && t.status == p.status);
            summaries.push(match later {
                Some(r) => Tally { listed: r.listed, ..merge_out(p, r) },
                None => Tally { listed: 0, ..merge_out(p, &Tally::new(p.id, p.status)) },
            });
        }
        for r in &out.tallies {
            if !self.counted.iter().any(|p| p.id == r.id && p.status == r.status) {
                summaries.push(Tally { listed: r.listed, ..merge_out(&Tally::new(r.id, r.status), r) });
            }
        }
        for t in summaries.iter().filter(|t| t.left_out > 0 && t.status != Status::Pass) {
            out.checks.push(left_out_summary(t));
        }
        for c in closing {
            out.add(c);
        }
        out.checks
    }

    /// The report's findings at once, the signatures' from `signatures` by slot.
    #[cfg(test)]
    pub(crate) fn into_checks(
        mut self,
        signatures: impl IntoIterator<Item = Check>,
        closing: impl IntoIterator<Item = Check>,
    ) -> Vec<Check> {
        for (slot, c) in signatures.into_iter().enumerate() {
            self.signature(slot, c);
        }
        self.finish(closing)
    }
}

/// `first`'s tally followed by `then`'s: their left-out counts add up, and the places
/// are the first and last over both, in that order.
fn merge_out(first: &Tally, then: &Tally) -> Tally {
    let last_out = match (&first.first_out, &then.first_out) {
        (Some(_), Some(t)) => Some(then.last_out.clone().unwrap_or_else(|| t.clone())),
        (Some(_), None) => first.last_out.clone(),
        (None, _) => then.last_out.clone(),
    };
    Tally {
        id: first.id,
        status: first.status,
        listed: first.listed,
        left_out: first.left_out.saturating_add(then.left_out),
        first_out: first.first_out.clone().or_else(|| then.first_out.clone()),
        last_out,
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
mod tests;
