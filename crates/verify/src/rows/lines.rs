//! The line splitter: bytes in any chunking become whole lines, with memory bounded by
//! [`MAX_LINE_BYTES`] whatever the input.

use super::MAX_LINE_BYTES;

/// What the splitter hands on, in order.
pub(super) enum Piece<'a> {
    /// A whole line, without its `\n`.
    Line(&'a [u8]),
    /// A line longer than [`MAX_LINE_BYTES`]: said once, as soon as it outgrows the limit,
    /// and never buffered.
    TooLong,
}

#[derive(Default)]
pub(super) struct LineSplitter {
    buf: Vec<u8>,
    /// Inside a line already reported as too long, until its `\n`.
    skipping: bool,
}

impl LineSplitter {
    /// Split the next bytes. Boundaries may fall anywhere, even inside a UTF-8 sequence.
    pub(super) fn push(&mut self, chunk: &[u8], each: &mut dyn FnMut(Piece<'_>)) {
        let mut rest = chunk;
        while let Some(nl) = rest.iter().position(|b| *b == b'\n') {
            let (head, tail) = rest.split_at(nl);
            rest = tail.get(1..).unwrap_or_default();
            if self.skipping {
                self.skipping = false;
            } else if self.buf.len() + head.len() > MAX_LINE_BYTES {
                self.buf.clear();
                each(Piece::TooLong);
            } else if self.buf.is_empty() {
                each(Piece::Line(head));
            } else {
                let mut line = std::mem::take(&mut self.buf);
                line.extend_from_slice(head);
                each(Piece::Line(&line));
                line.clear();
                self.buf = line;
            }
        }
        if self.skipping {
            return;
        }
        if self.buf.len() + rest.len() > MAX_LINE_BYTES {
            // Stop buffering: memory stays bounded by the limit, whatever the input.
            self.buf = Vec::new();
            self.skipping = true;
            each(Piece::TooLong);
        } else {
            self.buf.extend_from_slice(rest);
        }
    }

    /// The last line, when the input does not end with `\n`.
    pub(super) fn finish(&mut self, each: &mut dyn FnMut(Piece<'_>)) {
        self.skipping = false;
        if !self.buf.is_empty() {
            let last = std::mem::take(&mut self.buf);
            each(Piece::Line(&last));
        }
    }
}
