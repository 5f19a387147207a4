//! A [`RangeSummary`] as bytes, so a range read in one WebAssembly instance (a worker) can
//! be joined in another (v1.1). The format is private to one build of the verifier: both
//! sides run the same code. Numbers are LEB128, strings length-prefixed UTF-8, options a
//! tag byte. Check ids are written as text and read back through the known ids
//! ([`crate::ids::ALL`]); an unknown one is refused, never turned into a new string.
//!
//! Reading ([`super::wire_read`]) never panics and never allocates more than the bytes
//! could hold.

use std::collections::HashSet;

use super::Counts;

use super::scan::{Event, RangeSummary};
use crate::classify::Shape;
use crate::error::{Error, RangeError};
use crate::hash::Hash;
use crate::report::{Check, Status, Subject};

/// The first byte: changes whenever the layout does.
pub(super) const VERSION: u8 = 2;

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
        w.byte(u8::from(self.ends_broken) | (u8::from(self.bom_at_start) << 1));
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
        Ok(super::wire_read::read_summary(bytes)?)
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
    fn counts(&mut self, counts: &Counts) {
        self.num(counts.len() as u64);
        for (id, n) in counts.iter() {
            self.str(id);
            self.num(n);
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
        self.byte(u8::from(s.cut_short));
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
            Event::Customer { line, customer } => {
                self.byte(7);
                self.num(*line as u64);
                self.str(customer);
            }
        }
    }
}
