//! [`for_each_item`](super::for_each_item) over bytes that arrive in pieces: the same
//! items, with the same places and verdicts, for any chunking.
//!
//! JSON Lines is read a line at a time (only the unfinished last line is kept). A file is
//! JSON Lines when its first non-blank line is a document on its own and another
//! non-blank line follows; such a file is never one JSON document as a whole (the first
//! line's document would have content after it), so the verdict can be made on the
//! first two lines. Until then, and for a file that turns out to be one JSON document or
//! array, every byte is kept and the file is read whole at its end.
//!
//! Bounded (red team 5): a line is held only up to `MAX_DOCUMENT_BYTES` (past it, it can
//! only be refused as too large, so it is described, not held), and so is a file read
//! whole (past it, it can only be one item refused as too large). Each byte is looked at
//! a bounded number of times: an unfinished line was searched again for its end at every
//! chunk, quadratic in its length.

use super::{line_value, too_many, Item, Layout, BOM};
use crate::error::JsonError;
use crate::json::{is_blank, ValueBudget};
use crate::limits::MAX_DOCUMENT_BYTES;
use crate::receipt::fast::{read_receipt, Need, Scratch};
use crate::receipt::BatchReceipt;
use crate::report::Subject;
use serde_json::Value;

/// The longest line that can hold a document: one of `MAX_DOCUMENT_BYTES` and its `\r`.
const MAX_LINE_BYTES: usize = MAX_DOCUMENT_BYTES + 1;

/// What a stream hands over: an item, or a batch receipt its fast reader took.
#[derive(Debug)]
pub(crate) enum Read {
    Item(Item),
    /// A JSON Lines line that `receipt/fast.rs` read, with its place; the strict path
    /// would have read the same receipt with no finding.
    Receipt(Box<BatchReceipt>),
}

/// One receipt file's items, from its bytes in pieces.
pub(crate) struct ItemStream {
    base: Subject,
    /// The file's length in bytes (value budgets are the whole file's, SPEC.md §15).
    len: usize,
    /// How many items may still be read.
    budget: usize,
    /// Bytes pushed so far.
    fed: usize,
    state: State,
    /// What JSON Lines lines offered to the fast receipt reader first must give (none: all
    /// are read strictly).
    fast: Option<Need>,
}

enum State {
    /// Not known yet.
    Deciding(Deciding),
    /// JSON Lines.
    Lines(Lines),
    /// Not JSON Lines: read whole at the end.
    Whole(Vec<u8>),
    /// Not JSON Lines, and over `MAX_DOCUMENT_BYTES`: one item, refused as too large.
    TooLarge,
}

/// The start of a file whose layout is not known yet.
#[derive(Default)]
struct Deciding {
    /// Every byte so far, for reading the file whole; dropped past `MAX_DOCUMENT_BYTES`,
    /// where the whole file can only be refused as too large.
    all: Option<Vec<u8>>,
    /// 0-based number of the line being read.
    line: usize,
    /// The first non-blank line, a document: its number and bytes.
    first: Option<(usize, Vec<u8>)>,
    /// The line being read.
    carry: Carry,
}

struct Lines {
    /// The unfinished last line.
    carry: Carry,
    /// 0-based number of the next line, and non-blank lines read.
    line: usize,
    count: usize,
    values: ValueBudget,
    /// The budget of items or values is spent: the rest is not read.
    stopped: bool,
    fast: Option<Need>,
    scratch: Scratch,
}

fn trim_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// A line over [`MAX_LINE_BYTES`], described instead of held: all that reading it needs.
#[derive(Clone, Copy, Debug)]
struct Oversized {
    len: usize,
    blank: bool,
    /// It starts with a byte-order mark.
    bom: bool,
    last: u8,
}

impl Oversized {
    fn of(held: &[u8], more: &[u8]) -> Self {
        let bom = held.iter().chain(more).take(BOM.len()).eq(BOM.iter());
        let last = more.last().or(held.last()).copied().unwrap_or_default();
        Oversized { len: held.len() + more.len(), blank: is_blank(held) && is_blank(more), bom, last }
    }

    fn add(&mut self, more: &[u8]) {
        self.len = self.len.saturating_add(more.len());
        self.blank = self.blank && is_blank(more);
        if let Some(b) = more.last() {
            self.last = *b;
        }
    }

    /// What [`line_value`] says of it as line `n` (0-based), as `\r`-trimmed.
    fn error(&self, n: usize) -> JsonError {
        if n > 0 && self.bom {
            JsonError::MisplacedByteOrderMark { line: n + 1 }
        } else {
            let bytes = self.len - usize::from(self.last == b'\r');
            JsonError::DocumentTooLarge { bytes, limit: MAX_DOCUMENT_BYTES }
        }
    }
}

/// A complete line, without its `\n`.
enum Line<'a> {
    Bytes(&'a [u8]),
    Over(Oversized),
}

impl Line<'_> {
    fn is_blank(&self) -> bool {
        match self {
            Line::Bytes(b) => is_blank(b),
            Line::Over(o) => o.blank,
        }
    }

    /// [`line_value`] of the line as line `n` (0-based), its `\r` end trimmed.
    fn value(&self, n: usize, budget: &mut ValueBudget) -> Result<Value, JsonError> {
        match self {
            Line::Bytes(b) => line_value(n, trim_cr(b), budget),
            Line::Over(o) => Err(o.error(n)),
        }
    }
}

/// The line being read: held up to [`MAX_LINE_BYTES`], described past it.
#[derive(Default)]
struct Carry {
    bytes: Vec<u8>,
    over: Option<Oversized>,
}

impl Carry {
    fn extend(&mut self, part: &[u8]) {
        if let Some(o) = &mut self.over {
            o.add(part);
        } else if self.bytes.len().saturating_add(part.len()) > MAX_LINE_BYTES {
            self.over = Some(Oversized::of(&self.bytes, part));
            self.bytes = Vec::new();
        } else {
            self.bytes.extend_from_slice(part);
        }
    }

    fn line(&self) -> Line<'_> {
        match self.over {
            Some(o) => Line::Over(o),
            None => Line::Bytes(&self.bytes),
        }
    }

    fn clear(&mut self) {
        self.bytes.clear();
        self.over = None;
    }

    fn held(&self) -> usize {
        self.bytes.capacity()
    }
}

impl ItemStream {
    /// A file called `file` of `len` bytes, of which at most `budget` items are read.
    pub(crate) fn new(file: &str, len: usize, budget: usize) -> Self {
        let base = Subject { file: Some(file.to_string()), ..Subject::default() };
        let deciding = Deciding { all: Some(Vec::new()), ..Deciding::default() };
        ItemStream { base, len, budget, fed: 0, state: State::Deciding(deciding), fast: None }
    }

    /// Offer JSON Lines lines to the fast receipt reader first, for what `fast` says.
    pub(crate) fn with_fast_receipts(mut self, fast: Option<Need>) -> Self {
        self.fast = fast;
        self
    }

    /// Bytes held: the unfinished line, or the file so far while its layout is unknown or
    /// when it is read whole.
    pub(crate) fn held_bytes(&self) -> usize {
        match &self.state {
            State::Deciding(d) => {
                d.all.as_ref().map_or(0, Vec::capacity)
                    + d.first.as_ref().map_or(0, |(_, f)| f.capacity())
                    + d.carry.held()
            }
            State::Whole(buf) => buf.capacity(),
            State::Lines(l) => l.carry.held(),
            State::TooLarge => 0,
        }
    }

    /// The next bytes of the file; items found are handed to `f`.
    pub(crate) fn push(&mut self, chunk: &[u8], f: &mut dyn FnMut(Layout, Read)) {
        self.fed = self.fed.saturating_add(chunk.len());
        let too_large = self.fed > MAX_DOCUMENT_BYTES;
        match &mut self.state {
            State::TooLarge => {}
            State::Whole(_) if too_large => self.state = State::TooLarge,
            State::Whole(buf) => buf.extend_from_slice(chunk),
            State::Lines(lines) => lines.push(&self.base, self.budget, chunk, f),
            State::Deciding(d) => {
                match &mut d.all {
                    Some(_) if too_large => d.all = None,
                    Some(all) => all.extend_from_slice(chunk),
                    None => {}
                }
                match d.read(chunk, self.len) {
                    None => {}
                    Some(None) => self.state = d.all.take().map_or(State::TooLarge, State::Whole),
                    Some(Some(rest)) => {
                        let mut lines = Lines {
                            carry: Carry::default(),
                            line: 0,
                            count: 0,
                            values: ValueBudget::for_input(self.len),
                            stopped: false,
                            fast: self.fast,
                            scratch: Scratch::default(),
                        };
                        if let Some((n, first)) = d.first.take() {
                            lines.line = n;
                            lines.line_done(&self.base, self.budget, &Line::Bytes(&first), f);
                        }
                        lines.line = d.line;
                        lines.carry = std::mem::take(&mut d.carry);
                        lines.push(&self.base, self.budget, rest, f);
                        self.state = State::Lines(lines);
                    }
                }
            }
        }
    }

    /// The file's end: the last line, or the whole file, is read.
    pub(crate) fn finish(self, f: &mut dyn FnMut(Layout, Read)) {
        let file = self.base.file.as_deref().unwrap_or_default();
        match self.state {
            State::Deciding(Deciding { all: Some(buf), .. }) | State::Whole(buf) => {
                super::for_each_item(file, &buf, self.budget, &mut |l, item| f(l, Read::Item(item)));
            }
            // What `for_each_item` says of a file over the limit that is not JSON Lines.
            State::Deciding(Deciding { all: None, .. }) | State::TooLarge => {
                let e = JsonError::DocumentTooLarge { bytes: self.fed, limit: MAX_DOCUMENT_BYTES };
                f(Layout::Single, Read::Item(Item { subject: self.base, value: Err(e) }));
            }
            State::Lines(mut lines) => {
                let last = std::mem::take(&mut lines.carry);
                lines.line_done(&self.base, self.budget, &last.line(), f);
            }
        }
    }
}

impl Deciding {
    /// Read `chunk`'s lines until the layout is known: `Some(Some(rest))` for JSON Lines
    /// (`carry` holds the start of the line that decided it, `rest` the bytes after that
    /// start in `chunk`), `Some(None)` for not, `None` for not known yet. Lines before it
    /// are all blank but `first`.
    fn read<'c>(&mut self, mut chunk: &'c [u8], len: usize) -> Option<Option<&'c [u8]>> {
        loop {
            let Some(nl) = chunk.iter().position(|b| *b == b'\n') else {
                self.carry.extend(chunk);
                // Any non-blank line after the first document's decides it.
                return (self.first.is_some() && !self.carry.line().is_blank()).then_some(Some(&[][..]));
            };
            let (head, tail) = chunk.split_at(nl);
            self.carry.extend(head);
            let line = self.carry.line();
            if line.is_blank() {
                self.carry.clear();
                self.line += 1;
                chunk = tail.get(1..).unwrap_or_default();
                continue;
            }
            if self.first.is_some() {
                return Some(Some(tail));
            }
            let mut budget = ValueBudget::for_input(len);
            if line.value(self.line, &mut budget).is_err() {
                return Some(None);
            }
            self.first = Some((self.line, std::mem::take(&mut self.carry.bytes)));
            self.line += 1;
            chunk = tail.get(1..).unwrap_or_default();
        }
    }
}

impl Lines {
    fn push(&mut self, base: &Subject, budget: usize, mut chunk: &[u8], f: &mut dyn FnMut(Layout, Read)) {
        if self.stopped {
            return;
        }
        while let Some(nl) = memchr::memchr(b'\n', chunk) {
            let (head, tail) = chunk.split_at(nl);
            chunk = tail.get(1..).unwrap_or_default();
            if self.carry.bytes.is_empty() && self.carry.over.is_none() {
                self.line_done(base, budget, &Line::Bytes(head), f);
            } else {
                let mut carry = std::mem::take(&mut self.carry);
                carry.extend(head);
                self.line_done(base, budget, &carry.line(), f);
                // Keep the allocation for the next unfinished line.
                carry.clear();
                self.carry = carry;
            }
            if self.stopped {
                return;
            }
        }
        self.carry.extend(chunk);
    }

    /// One whole line (without its `\n`), as `each_line` reads it.
    fn line_done(&mut self, base: &Subject, budget: usize, line: &Line<'_>, f: &mut dyn FnMut(Layout, Read)) {
        let n = self.line;
        self.line += 1;
        if self.stopped || line.is_blank() {
            return;
        }
        let subject = Subject { index: Some(self.count), line: Some(n + 1), ..base.clone() };
        if self.count == budget {
            f(Layout::Lines, Read::Item(too_many(subject)));
            self.stopped = true;
            return;
        }
        self.count += 1;
        if let (Line::Bytes(bytes), Some(need)) = (line, self.fast) {
            if let Some(mut fast) = read_receipt(trim_cr(bytes), &mut self.scratch, need) {
                if self.values.take_flat_object(fast.members) {
                    fast.receipt.subject = subject;
                    f(Layout::Lines, Read::Receipt(Box::new(fast.receipt)));
                    return;
                }
            }
        }
        let value = line.value(n, &mut self.values);
        self.stopped = matches!(value, Err(JsonError::TooManyValues { .. }));
        f(Layout::Lines, Read::Item(Item { subject, value }));
    }
}

// Beside this file, not in stream/: the wasm's panic locations name this file's path,
// and a longer one cost the embed 35 bytes.
#[cfg(test)]
#[path = "stream_tests.rs"]
mod tests;
