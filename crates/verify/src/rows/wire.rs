//! A [`RangeSummary`] as bytes, so a range read in one WebAssembly instance (a worker) can
//! be joined in another (v1.1). The format is private to one build of the verifier: both
//! sides run the same code. Numbers are LEB128, strings length-prefixed UTF-8, options a
//! tag byte. Check ids are written as text and read back through the known ids
//! ([`crate::ids::ALL`]); an unknown one is refused, never turned into a new string.
//!
//! Reading never panics and never allocates more than the bytes could hold.

use std::collections::{HashMap, HashSet};

use super::scan::{Event, PrevRow, RangeSummary};
use crate::checks::consumed::ConsumedRow;
use crate::classify::Shape;
use crate::error::{Error, RangeError};
use crate::hash::Hash;
use crate::ids;
use crate::report::{Check, Status, Subject};

/// The first byte: changes whenever the layout does.
const VERSION: u8 = 1;

impl RangeSummary {
    /// The summary as bytes, for [`RangeSummary::from_bytes`] in another instance.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer(Vec::with_capacity(64 + self.events.len() * 48));
        w.byte(VERSION);
        w.num(self.lines as u64);
        w.num(self.rows);
        w.num(self.events.len() as u64);
        for e in &self.events {
            w.event(e);
        }
        w.counts(&self.dropped);
        w.counts(&self.checked);
        match &self.last {
            None => w.byte(0),
            Some(p) => {
                w.byte(1);
                w.num(p.line as u64);
                w.opt_num(p.seq);
                w.opt_hash(p.this_hash.as_ref());
            }
        }
        w.byte(u8::from(self.ends_broken));
        w.shape(&self.shape);
        w.byte(match self.opens_document {
            None => 0,
            Some(false) => 1,
            Some(true) => 2,
        });
        w.0
    }

    /// Read a summary written by [`RangeSummary::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<RangeSummary, Error> {
        let mut r = Reader { bytes, at: 0, problem: None };
        r.summary().ok_or_else(|| r.problem.take().unwrap_or(RangeError::Truncated { at: r.at }).into())
    }
}

/// The receipts' heads as bytes: each hash's 32 bytes, in any order.
pub fn head_set_to_bytes(heads: &HashSet<Hash>) -> Vec<u8> {
    heads.iter().flat_map(|h| h.0).collect()
}

/// Read [`head_set_to_bytes`]'s bytes.
pub fn head_set_from_bytes(bytes: &[u8]) -> Result<HashSet<Hash>, Error> {
    let chunks = bytes.chunks_exact(32);
    if !chunks.remainder().is_empty() {
        return Err(RangeError::Malformed { at: bytes.len(), what: "whole 32-byte hashes" }.into());
    }
    Ok(chunks.map(|c| Hash(<[u8; 32]>::try_from(c).unwrap_or_default())).collect())
}

struct Writer(Vec<u8>);

impl Writer {
    fn byte(&mut self, b: u8) {
        self.0.push(b);
    }
    fn num(&mut self, mut n: u64) {
        while n >= 0x80 {
            self.0.push((n as u8) | 0x80);
            n >>= 7;
        }
        self.0.push(n as u8);
    }
    fn opt_num(&mut self, n: Option<u64>) {
        match n {
            None => self.byte(0),
            Some(n) => {
                self.byte(1);
                self.num(n);
            }
        }
    }
    fn str(&mut self, s: &str) {
        self.num(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }
    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            None => self.byte(0),
            Some(s) => {
                self.byte(1);
                self.str(s);
            }
        }
    }
    fn hash(&mut self, h: &Hash) {
        self.0.extend_from_slice(&h.0);
    }
    fn opt_hash(&mut self, h: Option<&Hash>) {
        match h {
            None => self.byte(0),
            Some(h) => {
                self.byte(1);
                self.hash(h);
            }
        }
    }
    fn counts(&mut self, map: &HashMap<&'static str, u64>) {
        self.num(map.len() as u64);
        for (id, n) in map {
            self.str(id);
            self.num(*n);
        }
    }
    fn subject(&mut self, s: &Subject) {
        self.opt_str(s.file.as_deref());
        self.opt_num(s.index.map(|i| i as u64));
        self.opt_num(s.line.map(|l| l as u64));
        self.opt_str(s.pointer.as_deref());
    }
    fn check(&mut self, c: &Check) {
        self.str(c.id);
        self.byte(match c.status {
            Status::Pass => 0,
            Status::Fail => 1,
            Status::Warn => 2,
            Status::Note => 3,
        });
        self.subject(&c.subject);
        self.str(&c.message);
        self.opt_str(c.expected.as_deref());
        self.opt_str(c.actual.as_deref());
        self.opt_num(c.count.map(|n| n as u64));
        match &c.last {
            None => self.byte(0),
            Some(s) => {
                self.byte(1);
                self.subject(s);
            }
        }
    }
    fn shape(&mut self, s: &Shape) {
        for n in [s.batch, s.approvals, s.rows, s.other, s.unreadable] {
            self.num(n as u64);
        }
        self.opt_str(s.first_unreadable.as_deref());
        self.opt_str(s.customer.as_deref());
        self.byte(u8::from(s.key_object));
    }
    fn event(&mut self, e: &Event) {
        match e {
            Event::Fail(c) => {
                self.byte(0);
                self.check(c);
            }
            Event::MisplacedBom { line } => {
                self.byte(1);
                self.num(*line as u64);
            }
            Event::Link { line, prev_line, expected, actual } => {
                self.byte(2);
                self.num(*line as u64);
                self.num(*prev_line as u64);
                self.hash(expected);
                self.hash(actual);
            }
            Event::Seq { line, prev_line, prev, actual } => {
                self.byte(3);
                self.num(*line as u64);
                self.num(*prev_line as u64);
                self.num(*prev);
                self.num(*actual);
            }
            Event::Lead { line, seq, prev_hash } => {
                self.byte(4);
                self.num(*line as u64);
                self.opt_num(*seq);
                self.opt_hash(prev_hash.as_ref());
            }
            Event::Hit { line, row, hash, customer } => {
                self.byte(5);
                self.num(*line as u64);
                self.num(*row);
                self.hash(hash);
                self.opt_str(customer.as_deref());
            }
            Event::Consumed { line, row, fields } => {
                self.byte(6);
                self.num(*line as u64);
                self.num(*row);
                self.str(&fields.customer_id);
                self.str(&fields.wave_id);
                self.opt_str(fields.ts.as_deref());
            }
        }
    }
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
    fn counts(&mut self) -> Option<HashMap<&'static str, u64>> {
        let n = self.len()?;
        let mut map = HashMap::with_capacity(n);
        for _ in 0..n {
            let id = self.id()?;
            map.insert(id, self.num()?);
        }
        Some(map)
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
        })
    }
    fn event(&mut self) -> Option<Event> {
        Some(match self.byte()? {
            0 => Event::Fail(self.check()?),
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
        let ends_broken = self.bool()?;
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
        Some(RangeSummary { lines, rows, events, dropped, checked, last, ends_broken, shape, opens_document })
    }
}
