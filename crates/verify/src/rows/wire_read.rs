//! Reading a [`RangeSummary`] back from the bytes [`RangeSummary::to_bytes`] wrote
//! ([`super::wire`]): every count is checked against the bytes left before anything is
//! allocated, check ids are read back through [`crate::ids::ALL`], and the first problem
//! is returned as a [`RangeError`].

use super::scan::{Event, PrevRow, RangeSummary};
use super::wire::VERSION;
use crate::checks::consumed::ConsumedRow;
use crate::classify::Shape;
use crate::error::RangeError;
use crate::hash::Hash;
use crate::ids;
use crate::report::{Check, Status, Subject};

/// The summary in `bytes`, or why it cannot be read.
pub(super) fn read_summary(bytes: &[u8]) -> Result<RangeSummary, RangeError> {
    let mut r = Reader { bytes, at: 0, problem: None };
    r.summary().ok_or_else(|| r.problem.take().unwrap_or(RangeError::Truncated { at: r.at }))
}

/// Reads the bytes; each method returns `None` on the first problem, which it records in
/// `problem` (an `Option` keeps the reading code small: the summary is read in every worker).
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    problem: Option<RangeError>,
}

impl Reader<'_> {
    fn malformed<T>(&mut self, what: &'static str) -> Option<T> {
        self.problem.get_or_insert(RangeError::Malformed { at: self.at, what });
        None
    }
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let end = self.at.checked_add(n).filter(|e| *e <= self.bytes.len());
        let Some(end) = end else {
            self.problem.get_or_insert(RangeError::Truncated { at: self.bytes.len() });
            return None;
        };
        let part = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(part)
    }
    fn byte(&mut self) -> Option<u8> {
        self.take(1)?.first().copied()
    }
    fn bool(&mut self) -> Option<bool> {
        match self.byte()? {
            0 => Some(false),
            1 => Some(true),
            _ => self.malformed("a flag"),
        }
    }
    fn num(&mut self) -> Option<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= u64::from(b & 0x7f).checked_shl(shift).unwrap_or(0);
            if b & 0x80 == 0 {
                return Some(n);
            }
        }
        self.malformed("a number")
    }
    fn usize(&mut self) -> Option<usize> {
        let n = self.num()?;
        match usize::try_from(n) {
            Ok(n) => Some(n),
            Err(_) => self.malformed("a count that fits this platform"),
        }
    }
    /// A count of items that follow: each takes at least one byte, so a count larger than
    /// the bytes left is refused before anything is allocated for it.
    fn len(&mut self) -> Option<usize> {
        let n = self.usize()?;
        if n > self.bytes.len().saturating_sub(self.at) {
            self.problem.get_or_insert(RangeError::Truncated { at: self.bytes.len() });
            return None;
        }
        Some(n)
    }
    /// The tag of an optional value: whether it is there.
    fn some(&mut self) -> Option<bool> {
        match self.byte()? {
            0 => Some(false),
            1 => Some(true),
            _ => self.malformed("an optional value"),
        }
    }
    fn opt_num(&mut self) -> Option<Option<u64>> {
        Some(if self.some()? { Some(self.num()?) } else { None })
    }
    fn opt_usize(&mut self) -> Option<Option<usize>> {
        Some(if self.some()? { Some(self.usize()?) } else { None })
    }
    fn string(&mut self) -> Option<String> {
        let n = self.len()?;
        let at = self.at;
        match std::str::from_utf8(self.take(n)?) {
            Ok(s) => Some(s.to_string()),
            Err(_) => {
                self.problem.get_or_insert(RangeError::Malformed { at, what: "UTF-8 text" });
                None
            }
        }
    }
    fn opt_string(&mut self) -> Option<Option<String>> {
        Some(if self.some()? { Some(self.string()?) } else { None })
    }
    fn hash(&mut self) -> Option<Hash> {
        <[u8; 32]>::try_from(self.take(32)?).ok().map(Hash)
    }
    fn opt_hash(&mut self) -> Option<Option<Hash>> {
        Some(if self.some()? { Some(self.hash()?) } else { None })
    }
    /// A check id, as one of the known ids: the `&'static str` the checks use.
    fn id(&mut self) -> Option<&'static str> {
        let text = self.string()?;
        let known = ids::ALL.iter().copied().find(|id| *id == text);
        if known.is_none() {
            self.problem.get_or_insert(RangeError::UnknownCheckId { id: text });
        }
        known
    }
    fn counts(&mut self) -> Option<super::Counts> {
        let n = self.len()?;
        let mut counts = super::Counts::default();
        for _ in 0..n {
            let id = self.id()?;
            counts.add(id, self.num()?);
        }
        Some(counts)
    }
    fn subject(&mut self) -> Option<Subject> {
        Some(Subject {
            file: self.opt_string()?,
            index: self.opt_usize()?,
            line: self.opt_usize()?,
            pointer: self.opt_string()?,
        })
    }
    fn check(&mut self) -> Option<Check> {
        let id = self.id()?;
        let status = match self.byte()? {
            0 => Status::Pass,
            1 => Status::Fail,
            2 => Status::Warn,
            3 => Status::Note,
            _ => return self.malformed("a status"),
        };
        let subject = self.subject()?;
        let mut c = Check::new(id, status, subject, self.string()?);
        c.expected = self.opt_string()?;
        c.actual = self.opt_string()?;
        c.count = self.opt_usize()?;
        c.last = if self.some()? { Some(Box::new(self.subject()?)) } else { None };
        Some(c)
    }
    fn shape(&mut self) -> Option<Shape> {
        Some(Shape {
            batch: self.usize()?,
            approvals: self.usize()?,
            rows: self.usize()?,
            other: self.usize()?,
            unreadable: self.usize()?,
            first_unreadable: self.opt_string()?,
            customer: self.opt_string()?,
            key_object: self.bool()?,
            cut_short: self.bool()?,
        })
    }
    fn event(&mut self) -> Option<Event> {
        Some(match self.byte()? {
            // A reader writes only failures of the row checks (red team 15: a status byte
            // flipped to "pass" turned an edited row's rows.hash into a pass).
            0 => match self.check()? {
                c if c.status == Status::Fail && c.id.starts_with("rows.") => Event::Fail(c),
                _ => return self.malformed("a row check's failure"),
            },
            1 => Event::MisplacedBom { line: self.usize()? },
            2 => Event::Link {
                line: self.usize()?,
                prev_line: self.usize()?,
                expected: self.hash()?,
                actual: self.hash()?,
            },
            3 => Event::Seq { line: self.usize()?, prev_line: self.usize()?, prev: self.num()?, actual: self.num()? },
            4 => Event::Lead { line: self.usize()?, seq: self.opt_num()?, prev_hash: self.opt_hash()? },
            5 => Event::Hit { line: self.usize()?, row: self.num()?, hash: self.hash()?, customer: self.opt_string()? },
            6 => Event::Consumed {
                line: self.usize()?,
                row: self.num()?,
                fields: ConsumedRow { customer_id: self.string()?, wave_id: self.string()?, ts: self.opt_string()? },
            },
            7 => Event::Customer { line: self.usize()?, customer: self.string()? },
            _ => return self.malformed("an event"),
        })
    }
    fn summary(&mut self) -> Option<RangeSummary> {
        if self.byte()? != VERSION {
            return self.malformed("a summary of this verifier's version");
        }
        let lines = self.usize()?;
        let rows = self.num()?;
        let n = self.len()?;
        let mut events = Vec::with_capacity(n);
        for _ in 0..n {
            events.push(self.event()?);
        }
        let dropped = self.counts()?;
        let checked = self.counts()?;
        let last = if self.some()? {
            Some(PrevRow { line: self.usize()?, seq: self.opt_num()?, this_hash: self.opt_hash()? })
        } else {
            None
        };
        let (ends_broken, bom_at_start) = match self.byte()? {
            flags @ 0..=3 => (flags & 1 != 0, flags & 2 != 0),
            _ => return self.malformed("a summary's flags"),
        };
        let shape = self.shape()?;
        let opens_document = match self.byte()? {
            0 => None,
            1 => Some(false),
            2 => Some(true),
            _ => return self.malformed("an optional flag"),
        };
        if self.at != self.bytes.len() {
            return self.malformed("the end of the summary");
        }
        Some(RangeSummary {
            lines,
            rows,
            events,
            dropped,
            checked,
            last,
            ends_broken,
            bom_at_start,
            shape,
            opens_document,
        })
    }
}
