//! Flat objects read in one pass, without building a JSON value.
//!
//! Almost every row of an export and every receipt of a chain is one flat object of ASCII
//! strings and small integers, whose RFC 8785 form is its own members, sorted, with the
//! whitespace taken out. The fast readers of rows (`rows/fast.rs`) and batch receipts
//! (`receipt/fast.rs`) take only such lines; for anything else [`scan`] declines (`None`)
//! and the strict parser reads the line, so every finding still comes from that path.
//!
//! What it takes, exactly:
//! - one object, JSON whitespace around tokens, at most [`MAX_MEMBERS`] members, no key twice;
//! - names and string values of printable ASCII (0x20–0x7E) without `"` or `\`, which
//!   RFC 8785 writes as they are;
//! - integers `-?(0|[1-9][0-9]*)` of at most 15 digits, never `-0` (RFC 8785 writes them
//!   as they are: below 2^53, so exact doubles), and `true`, `false`, `null`.

use std::ops::Range;

/// Members a flat object may have; objects with more take the strict path.
const MAX_MEMBERS: usize = 32;
/// Longest line read here (far below the strict limits on strings and documents).
const MAX_LINE: usize = 16 << 10;
/// Digits of an integer read here: below 2^53, so RFC 8785 writes it as written.
const MAX_DIGITS: usize = 15;

/// A member's name (inside its quotes) and value (as written), as byte ranges of the line.
pub(crate) type Member = (Range<usize>, Range<usize>);

/// Read `line` as a flat object into `members`, sorted in RFC 8785 order (for ASCII names,
/// byte order); `None` when it is not one (see the module docs).
pub(crate) fn scan(line: &[u8], members: &mut Vec<Member>) -> Option<()> {
    if line.len() > MAX_LINE {
        return None;
    }
    members.clear();
    let mut at = skip_space(line, 0);
    if line.get(at) != Some(&b'{') {
        return None;
    }
    at = skip_space(line, at + 1);
    loop {
        let name = string(line, at)?;
        at = skip_space(line, name.end + 1);
        if line.get(at) != Some(&b':') {
            return None;
        }
        let value = value(line, skip_space(line, at + 1))?;
        at = skip_space(line, value.end);
        if members.len() == MAX_MEMBERS {
            return None;
        }
        members.push((name, value));
        match line.get(at) {
            Some(b',') => at = skip_space(line, at + 1),
            Some(b'}') => break,
            _ => return None,
        }
    }
    if skip_space(line, at + 1) != line.len() {
        return None;
    }
    // A name met twice declines. Objects written in this order cost one comparison per
    // member. Insertion sort: at most MAX_MEMBERS members, and a generic sort costs 3 KB of wasm.
    for i in 1..members.len() {
        let mut j = i;
        while j > 0 {
            let (Some(a), Some(b)) = (members.get(j - 1), members.get(j)) else { break };
            match bytes(line, &a.0).cmp(bytes(line, &b.0)) {
                std::cmp::Ordering::Less => break,
                std::cmp::Ordering::Equal => return None,
                std::cmp::Ordering::Greater => members.swap(j - 1, j),
            }
            j -= 1;
        }
    }
    Some(())
}

/// The bytes of `range` in `line`.
pub(crate) fn bytes<'a>(line: &'a [u8], range: &Range<usize>) -> &'a [u8] {
    line.get(range.clone()).unwrap_or_default()
}

/// The RFC 8785 bytes of the object [`scan`] read, without the members named in
/// `left_out`, into `out`.
pub(crate) fn write_canonical(line: &[u8], members: &[Member], left_out: &[&[u8]], out: &mut Vec<u8>) {
    out.clear();
    out.push(b'{');
    for (name, value) in members.iter().filter(|m| !left_out.contains(&bytes(line, &m.0))) {
        if out.len() > 1 {
            out.push(b',');
        }
        out.push(b'"');
        out.extend_from_slice(bytes(line, name));
        out.extend_from_slice(b"\":");
        out.extend_from_slice(bytes(line, value));
    }
    out.push(b'}');
}

/// The text of a string value as written (quotes included), if it is one.
pub(crate) fn string_value(written: &[u8]) -> Option<&str> {
    let inner = written.strip_prefix(b"\"")?.strip_suffix(b"\"")?;
    std::str::from_utf8(inner).ok()
}

/// JSON whitespace (RFC 8259 §2) from `at`.
fn skip_space(line: &[u8], mut at: usize) -> usize {
    while matches!(line.get(at), Some(b' ' | b'\t' | b'\r' | b'\n')) {
        at += 1;
    }
    at
}

/// A string at `at` of plain printable ASCII: the range inside its quotes.
fn string(line: &[u8], at: usize) -> Option<Range<usize>> {
    if line.get(at) != Some(&b'"') {
        return None;
    }
    let rest = line.get(at + 1..)?;
    // The first quote or backslash (SIMD natively), then every byte before it printable.
    let len = memchr::memchr2(b'"', b'\\', rest)?;
    let printable = rest.get(..len)?.iter().all(|b| matches!(b, 0x20..=0x7e));
    (printable && rest.get(len) == Some(&b'"')).then_some(at + 1..at + 1 + len)
}

/// A value at `at` that RFC 8785 writes as written: its range, quotes included.
fn value(line: &[u8], at: usize) -> Option<Range<usize>> {
    match line.get(at)? {
        b'"' => string(line, at).map(|inner| at..inner.end + 1),
        b't' => literal(line, at, b"true"),
        b'f' => literal(line, at, b"false"),
        b'n' => literal(line, at, b"null"),
        _ => integer(line, at),
    }
}

fn literal(line: &[u8], at: usize, word: &[u8]) -> Option<Range<usize>> {
    line.get(at..)?.starts_with(word).then_some(at..at + word.len())
}

/// `-?(0|[1-9][0-9]*)`, at most [`MAX_DIGITS`] digits, not `-0`, not followed by a
/// fraction, an exponent or another digit.
fn integer(line: &[u8], at: usize) -> Option<Range<usize>> {
    let negative = line.get(at) == Some(&b'-');
    let first = at + usize::from(negative);
    let digits = line.get(first..)?.iter().take_while(|b| b.is_ascii_digit()).count();
    let end = first + digits;
    let leading_zero = line.get(first) == Some(&b'0');
    let ok = (1..=MAX_DIGITS).contains(&digits)
        && !(leading_zero && (digits > 1 || negative))
        && !matches!(line.get(end), Some(b'.' | b'e' | b'E'));
    ok.then_some(at..end)
}
