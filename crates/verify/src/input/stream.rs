//! [`for_each_item`](super::for_each_item) over bytes that arrive in pieces: the same
//! items, with the same places and verdicts, for any chunking.
//!
//! JSON Lines is read a line at a time (only the unfinished last line is kept). A file is
//! JSON Lines when its first non-blank line is a document on its own and another
//! non-blank line follows; such a file is never one JSON document as a whole (the first
//! line's document would have content after it), so the verdict can be made on the
//! first two lines. Until then, and for a file that turns out to be one JSON document or
//! array, every byte is kept and the file is read whole at its end.

use super::{line_value, too_many, Item, Layout};
use crate::json::ValueBudget;
use crate::report::Subject;

/// One receipt file's items, from its bytes in pieces.
pub(crate) struct ItemStream {
    base: Subject,
    /// The file's length in bytes (value budgets are the whole file's, SPEC.md §15).
    len: usize,
    /// How many items may still be read.
    budget: usize,
    state: State,
}

enum State {
    /// Not known yet: every byte so far, and how far the lines were looked at.
    Deciding { buf: Vec<u8>, scan: Scan },
    /// JSON Lines; `carry` is the unfinished last line.
    Lines(Lines),
    /// Not JSON Lines: read whole at the end.
    Whole(Vec<u8>),
}

#[derive(Default)]
struct Scan {
    /// Where the next line starts in the buffer, and its 0-based number.
    at: usize,
    line: usize,
    /// Whether the first non-blank line was read, as a document.
    first_read: bool,
}

struct Lines {
    carry: Vec<u8>,
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

impl ItemStream {
    /// A file called `file` of `len` bytes, of which at most `budget` items are read.
    pub(crate) fn new(file: &str, len: usize, budget: usize) -> Self {
        let base = Subject { file: Some(file.to_string()), ..Subject::default() };
        ItemStream { base, len, budget, state: State::Deciding { buf: Vec::new(), scan: Scan::default() } }
    }

    /// Bytes held: the unfinished line, or the file so far while its layout is unknown or
    /// when it is read whole.
    pub(crate) fn held_bytes(&self) -> usize {
        match &self.state {
            State::Deciding { buf, .. } | State::Whole(buf) => buf.capacity(),
            State::Lines(l) => l.carry.capacity(),
        }
    }

    /// The next bytes of the file; items found are handed to `f`.
    pub(crate) fn push(&mut self, chunk: &[u8], f: &mut dyn FnMut(Layout, Item)) {
        match &mut self.state {
            State::Whole(buf) => buf.extend_from_slice(chunk),
            State::Lines(lines) => lines.push(&self.base, self.budget, chunk, f),
            State::Deciding { buf, scan } => {
                buf.extend_from_slice(chunk);
                match decide(buf, scan, self.len) {
                    None => {}
                    Some(false) => self.state = State::Whole(std::mem::take(buf)),
                    Some(true) => {
                        let all = std::mem::take(buf);
                        let mut lines = Lines {
                            carry: Vec::new(),
                            line: 0,
                            count: 0,
                            values: ValueBudget::for_input(self.len),
                            stopped: false,
                        };
                        lines.push(&self.base, self.budget, &all, f);
                        self.state = State::Lines(lines);
                    }
                }
            }
        }
    }

    /// The file's end: the last line, or the whole file, is read.
    pub(crate) fn finish(self, f: &mut dyn FnMut(Layout, Item)) {
        match self.state {
            State::Deciding { buf, .. } | State::Whole(buf) => {
                let file = self.base.file.as_deref().unwrap_or_default();
                super::for_each_item(file, &buf, self.budget, f);
            }
            State::Lines(mut lines) => {
                let last = std::mem::take(&mut lines.carry);
                lines.line_done(&self.base, self.budget, trim_cr(&last), f);
            }
        }
    }
}

/// Whether the bytes so far are JSON Lines (`Some(true)`), are not (`Some(false)`), or
/// cannot tell yet. Looks at each byte once.
fn decide(buf: &[u8], scan: &mut Scan, len: usize) -> Option<bool> {
    loop {
        let rest = buf.get(scan.at..)?;
        if scan.first_read {
            // Any non-blank line after the first document's decides it.
            scan.at = buf.len();
            return if crate::json::is_blank(rest) { None } else { Some(true) };
        }
        let nl = rest.iter().position(|b| *b == b'\n')?;
        let line = trim_cr(rest.get(..nl)?);
        let (n, end) = (scan.line, scan.at + nl + 1);
        scan.line += 1;
        scan.at = end;
        if crate::json::is_blank(line) {
            continue;
        }
        let mut budget = ValueBudget::for_input(len);
        if line_value(n, line, &mut budget).is_err() {
            return Some(false);
        }
        scan.first_read = true;
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
            if self.carry.is_empty() {
                self.line_done(base, budget, trim_cr(head), f);
            } else {
                let mut line = std::mem::take(&mut self.carry);
                line.extend_from_slice(head);
                self.line_done(base, budget, trim_cr(&line), f);
                // Keep the allocation for the next unfinished line.
                line.clear();
                self.carry = line;
            }
            if self.stopped {
                return;
            }
        }
        self.carry.extend_from_slice(chunk);
    }

    /// One whole line (without its end), as `each_line` reads it.
    fn line_done(&mut self, base: &Subject, budget: usize, line: &[u8], f: &mut dyn FnMut(Layout, Item)) {
        let n = self.line;
        self.line += 1;
        if self.stopped || crate::json::is_blank(line) {
            return;
        }
        let subject = Subject { index: Some(self.count), line: Some(n + 1), ..base.clone() };
        if self.count == budget {
            f(Layout::Lines, too_many(subject));
            self.stopped = true;
            return;
        }
        self.count += 1;
        let value = line_value(n, line, &mut self.values);
        self.stopped = matches!(value, Err(crate::error::JsonError::TooManyValues { .. }));
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
        let files: [&[u8]; 12] = [
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
}
