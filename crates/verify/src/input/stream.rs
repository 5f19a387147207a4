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
use crate::report::Subject;
use serde_json::Value;

/// The longest line that can hold a document: one of `MAX_DOCUMENT_BYTES` and its `\r`.
const MAX_LINE_BYTES: usize = MAX_DOCUMENT_BYTES + 1;

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
        ItemStream { base, len, budget, fed: 0, state: State::Deciding(deciding) }
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
    pub(crate) fn push(&mut self, chunk: &[u8], f: &mut dyn FnMut(Layout, Item)) {
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
    pub(crate) fn finish(self, f: &mut dyn FnMut(Layout, Item)) {
        let file = self.base.file.as_deref().unwrap_or_default();
        match self.state {
            State::Deciding(Deciding { all: Some(buf), .. }) | State::Whole(buf) => {
                super::for_each_item(file, &buf, self.budget, f);
            }
            // What `for_each_item` says of a file over the limit that is not JSON Lines.
            State::Deciding(Deciding { all: None, .. }) | State::TooLarge => {
                let e = JsonError::DocumentTooLarge { bytes: self.fed, limit: MAX_DOCUMENT_BYTES };
                f(Layout::Single, Item { subject: self.base, value: Err(e) });
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
    fn push(&mut self, base: &Subject, budget: usize, mut chunk: &[u8], f: &mut dyn FnMut(Layout, Item)) {
        if self.stopped {
            return;
        }
        while let Some(nl) = chunk.iter().position(|b| *b == b'\n') {
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
    fn line_done(&mut self, base: &Subject, budget: usize, line: &Line<'_>, f: &mut dyn FnMut(Layout, Item)) {
        let n = self.line;
        self.line += 1;
        if self.stopped || line.is_blank() {
            return;
        }
        let subject = Subject { index: Some(self.count), line: Some(n + 1), ..base.clone() };
        if self.count == budget {
            f(Layout::Lines, too_many(subject));
            self.stopped = true;
            return;
        }
        self.count += 1;
        let value = line.value(n, &mut self.values);
        self.stopped = matches!(value, Err(JsonError::TooManyValues { .. }));
        f(Layout::Lines, Item { subject, value });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn whole(bytes: &[u8], budget: usize) -> Vec<String> {
        let mut out = Vec::new();
        super::super::for_each_item("f", bytes, budget, &mut |l, i| out.push(format!("{l:?} {i:?}")));
        out
    }

    fn pieces(bytes: &[u8], budget: usize, size: usize) -> Vec<String> {
        let mut out = Vec::new();
        let mut s = ItemStream::new("f", bytes.len(), budget);
        for chunk in bytes.chunks(size.max(1)) {
            s.push(chunk, &mut |l, i| out.push(format!("{l:?} {i:?}")));
        }
        s.finish(&mut |l, i| out.push(format!("{l:?} {i:?}")));
        out
    }

    #[test]
    fn any_chunking_gives_the_whole_file_items() {
        let files: [&[u8]; 24] = [
            b"{\"a\":1}\n\n{\"a\":2}\r\n{bad\n",
            b"{\"a\":1}\n{\"a\":2}",
            b"{\"a\":1}\n   \n",
            b"[{\"a\":1},{\"a\":2}]",
            b"{\n\"a\":1}\n",
            b"\n\n{\"a\":1}\n\xEF\xBB\xBF{\"a\":2}\n",
            "\u{feff}{\"a\":1}\n{\"a\":2}\n".as_bytes(),
            b"\x0c\n{\"a\":1}\n{\"a\":2}\n",
            b"1\n2\n3\n4\n5\n",
            b"",
            b"{\"a\":1}\r\n{\"b\":2}\r\n\r\n",
            b"{\"a\":1} x\n{\"a\":2}\n",
            // Red team 5 (the reader was rewritten to read lines as it goes).
            b"\r\n \r\n{\"a\":1}\r\n\r\n{\"a\":2}",
            b"\xEF\xBB\xBF\n{\"a\":1}\n{\"a\":2}\n",
            b"{\"a\":1}\n\r\n\r",
            b"{\"a\":1}\n\r\r\n{}",
            b"\n\n\n",
            b"{\"a\":1}",
            b"{\"a\":1}\n\n   \t",
            b"[1,\n2]\n",
            b"[1]\n[2]\n\n[3",
            b"\n{\"a\":1}\n\xEF\xBB\xBF",
            b"\t\n{\"a\":\n1}\n{\"a\":2}\n",
            b"{}\n\x0c",
        ];
        let mut compared = 0;
        for bytes in files {
            for budget in [0, 1, 2, 10] {
                let expected = whole(bytes, budget);
                for size in 1..=bytes.len().max(1) {
                    assert_eq!(pieces(bytes, budget, size), expected, "{bytes:?} in pieces of {size}");
                    compared += 1;
                }
            }
        }
        assert!(compared > 500, "{compared}");
    }

    /// Red team 5: random files of the tokens the layouts turn on, in every chunking.
    #[test]
    fn random_files_read_alike_in_pieces() {
        let tokens: [&[u8]; 14] =
            [b"{}", b"{\"a\":1}", b"\n", b"\n", b"\r", b" ", b"\x0c", BOM, b"[", b"]", b",", b"x", b"1", b"\r\n"];
        let mut seed: u64 = 0x5eed;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            usize::try_from(seed >> 33).unwrap_or(0) % n
        };
        let mut compared = 0;
        for _ in 0..3_000 {
            let len = next(12);
            let file: Vec<u8> = (0..len).flat_map(|_| tokens[next(tokens.len())].iter().copied()).collect();
            let budget = [0, 1, 3, 10][next(4)];
            let expected = whole(&file, budget);
            for size in 1..=file.len().max(1) {
                assert_eq!(pieces(&file, budget, size), expected, "{file:?} in pieces of {size}");
                compared += 1;
            }
        }
        assert!(compared > 10_000, "{compared}");
    }

    #[test]
    fn only_the_unfinished_line_is_held() {
        let line = b"{\"a\":1}\n";
        // 5,000 lines stay within the file's value budget (SPEC.md §15).
        let mut s = ItemStream::new("f", line.len() * 5_000, 20_000);
        let mut items = 0;
        for _ in 0..5_000 {
            s.push(line, &mut |_, _| items += 1);
            assert!(s.held_bytes() <= 64, "{}", s.held_bytes());
        }
        s.finish(&mut |_, _| items += 1);
        assert_eq!(items, 5_000);
    }

    /// Files over `MAX_DOCUMENT_BYTES` in every layout the stream must tell apart. Native
    /// only: 13 files of 64 MiB take 44 s in debug WebAssembly, and a test that long
    /// stalls the headless-Chromium runner (its webdriver request times out after 20 s).
    #[cfg(not(target_arch = "wasm32"))]
    fn big_files() -> Vec<(&'static str, Vec<u8>)> {
        let over = MAX_DOCUMENT_BYTES + 1_000;
        let fill = |b: u8| vec![b; over];
        let cat = |parts: &[&[u8]]| parts.concat();
        vec![
            ("one line, no newline", fill(b'x')),
            ("spaces, no newline", fill(b' ')),
            ("an array", cat(&[b"[", &fill(b' '), b"1]"])),
            ("a document, then blank", cat(&[b"{}\n", &fill(b' ')])),
            ("a document, then blank lines", cat(&[b"{}\n", &fill(b'\n')])),
            ("JSON Lines with a long line", cat(&[b"{}\n", &fill(b'x'), b"\n{\"a\":1}\n"])),
            ("JSON Lines with a long line ending in CR", cat(&[b"{}\r\n", &fill(b'x'), b"\r\n{}"])),
            ("JSON Lines with a long blank line", cat(&[b"{}\n", &fill(b' '), b"\n{\"a\":1}\n"])),
            ("JSON Lines after long blank lines", cat(&[&fill(b'\n'), b"{}\n{}\n"])),
            ("JSON Lines after a long blank line", cat(&[&fill(b' '), b"\n{}\n{}\n"])),
            ("a long line with a misplaced mark", cat(&[b"{}\n", BOM, &fill(b'x'), b"\n"])),
            ("a long last line", cat(&[b"{}\n{}\n", &fill(b'x')])),
            ("a long first line, then JSON Lines", cat(&[&fill(b'x'), b"\n{}\n{}\n"])),
        ]
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn files_over_the_document_limit_read_as_whole() {
        for (what, bytes) in big_files() {
            let expected = whole(&bytes, 10);
            assert!(
                expected.iter().any(|i| i.contains("DocumentTooLarge"))
                    || what.contains("blank")
                    || what.contains("mark"),
                "{what}: {expected:?}"
            );
            let size = (4 << 20) + 7;
            assert_eq!(pieces(&bytes, 10, size), expected, "{what} in pieces of {size}");
        }
    }

    /// Red team 5: a line with no end was held whole and searched again at every chunk
    /// (512 MB: 58 s and 513 MB); a file read whole was held past the document limit.
    #[test]
    fn a_long_line_is_held_only_up_to_the_document_limit() {
        let chunk = vec![b'x'; 1 << 20];
        let spaces = vec![b' '; 1 << 20];
        let cases: [(&[u8], &Vec<u8>); 4] = [(b"", &chunk), (b"{}\n", &chunk), (b"[", &spaces), (b"\n\n", &chunk)];
        for (start, fill) in cases {
            let total = start.len() + 80 * chunk.len();
            let mut s = ItemStream::new("f", total, 10);
            let mut items = Vec::new();
            s.push(start, &mut |_, i| items.push(i));
            let mut fed = start.len();
            for _ in 0..80 {
                fed += fill.len();
                s.push(fill, &mut |_, i| items.push(i));
                // Past the limit, nothing of the long line (or of the file read whole) is held.
                let past_limit = fed > MAX_LINE_BYTES + start.len();
                let bound = if past_limit { 1 << 10 } else { 4 * MAX_DOCUMENT_BYTES };
                assert!(s.held_bytes() <= bound, "{start:?} after {fed} bytes: {}", s.held_bytes());
            }
            s.finish(&mut |_, i| items.push(i));
            let last = items.last().map(|i| i.value.clone());
            assert!(matches!(last, Some(Err(JsonError::DocumentTooLarge { .. }))), "{start:?}: {last:?}");
        }
    }
}
