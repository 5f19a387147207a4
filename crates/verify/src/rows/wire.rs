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
        let mut r = Reader { bytes, at: 0 };
        if r.byte()? != VERSION {
            return Err(r.malformed("a summary of this verifier's version"));
        }
        let lines = r.usize()?;
        let rows = r.num()?;
        let n = r.len()?;
        let mut events = Vec::with_capacity(n);
        for _ in 0..n {
            events.push(r.event()?);
        }
        let dropped = r.counts()?;
        let checked = r.counts()?;
        let last = match r.byte()? {
            0 => None,
            1 => Some(PrevRow { line: r.usize()?, seq: r.opt_num()?, this_hash: r.opt_hash()? }),
            _ => return Err(r.malformed("an optional row")),
        };
        let ends_broken = r.bool()?;
        let shape = r.shape()?;
        let opens_document = match r.byte()? {
            0 => None,
            1 => Some(false),
            2 => Some(true),
            _ => return Err(r.malformed("an optional flag")),
        };
        if r.at != bytes.len() {
            return Err(r.malformed("the end of the summary"));
        }
        Ok(RangeSummary { lines, rows, events, dropped, checked, last, ends_broken, shape, opens_document })
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

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn malformed(&self, what: &'static str) -> Error {
        RangeError::Malformed { at: self.at, what }.into()
    }
    fn take(&mut self, n: usize) -> Result<&[u8], Error> {
        let end = self.at.checked_add(n).filter(|e| *e <= self.bytes.len());
        let part =
            end.and_then(|e| self.bytes.get(self.at..e)).ok_or(RangeError::Truncated { at: self.bytes.len() })?;
        self.at += n;
        Ok(part)
    }
    fn byte(&mut self) -> Result<u8, Error> {
        Ok(self.take(1)?.first().copied().unwrap_or_default())
    }
    fn bool(&mut self) -> Result<bool, Error> {
        match self.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(self.malformed("a flag")),
        }
    }
    fn num(&mut self) -> Result<u64, Error> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= u64::from(b & 0x7f).checked_shl(shift).unwrap_or(0);
            if b & 0x80 == 0 {
                return Ok(n);
            }
        }
        Err(self.malformed("a number"))
    }
    fn usize(&mut self) -> Result<usize, Error> {
        let n = self.num()?;
        usize::try_from(n).map_err(|_| self.malformed("a count that fits this platform"))
    }
    /// A count of items that follow: each takes at least one byte, so a count larger than
    /// the bytes left is refused before anything is allocated for it.
    fn len(&mut self) -> Result<usize, Error> {
        let n = self.usize()?;
        if n > self.bytes.len().saturating_sub(self.at) {
            return Err(RangeError::Truncated { at: self.bytes.len() }.into());
        }
        Ok(n)
    }
    fn opt<T>(&mut self, read: impl FnOnce(&mut Self) -> Result<T, Error>) -> Result<Option<T>, Error> {
        match self.byte()? {
            0 => Ok(None),
            1 => read(self).map(Some),
            _ => Err(self.malformed("an optional value")),
        }
    }
    fn opt_num(&mut self) -> Result<Option<u64>, Error> {
        self.opt(Self::num)
    }
    fn opt_usize(&mut self) -> Result<Option<usize>, Error> {
        self.opt(Self::usize)
    }
    fn string(&mut self) -> Result<String, Error> {
        let n = self.len()?;
        let at = self.at;
        let raw = self.take(n)?.to_vec();
        String::from_utf8(raw).map_err(|_| RangeError::Malformed { at, what: "UTF-8 text" }.into())
    }
    fn opt_string(&mut self) -> Result<Option<String>, Error> {
        self.opt(Self::string)
    }
    fn hash(&mut self) -> Result<Hash, Error> {
        let raw = self.take(32)?;
        Ok(Hash(<[u8; 32]>::try_from(raw).unwrap_or_default()))
    }
    fn opt_hash(&mut self) -> Result<Option<Hash>, Error> {
        self.opt(Self::hash)
    }
    /// A check id, as one of the known ids: the `&'static str` the checks use.
    fn id(&mut self) -> Result<&'static str, Error> {
        let text = self.string()?;
        ids::ALL.iter().copied().find(|id| *id == text).ok_or_else(|| RangeError::UnknownCheckId { id: text }.into())
    }
    fn counts(&mut self) -> Result<HashMap<&'static str, u64>, Error> {
        let n = self.len()?;
        let mut map = HashMap::with_capacity(n);
        for _ in 0..n {
            let id = self.id()?;
            map.insert(id, self.num()?);
        }
        Ok(map)
    }
    fn subject(&mut self) -> Result<Subject, Error> {
        Ok(Subject {
            file: self.opt_string()?,
            index: self.opt_usize()?,
            line: self.opt_usize()?,
            pointer: self.opt_string()?,
        })
    }
    fn check(&mut self) -> Result<Check, Error> {
        let id = self.id()?;
        let status = match self.byte()? {
            0 => Status::Pass,
            1 => Status::Fail,
            2 => Status::Warn,
            3 => Status::Note,
            _ => return Err(self.malformed("a status")),
        };
        let subject = self.subject()?;
        let mut c = Check::new(id, status, subject, self.string()?);
        c.expected = self.opt_string()?;
        c.actual = self.opt_string()?;
        c.count = self.opt_usize()?;
        c.last = self.opt(Self::subject)?.map(Box::new);
        Ok(c)
    }
    fn shape(&mut self) -> Result<Shape, Error> {
        Ok(Shape {
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
    fn event(&mut self) -> Result<Event, Error> {
        Ok(match self.byte()? {
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
            _ => return Err(self.malformed("an event")),
        })
    }
}
