//! The common row read in one pass, without building a JSON value.
//!
//! Reading a row through the strict parser ([`crate::json::parse`]) builds a
//! `serde_json::Value`, re-scans the text for its numbers, allocates every member and
//! sorts them again to write RFC 8785: about 60 % of the time of a row (perf, 1,000,000
//! demo rows, 2026-12-03). Almost every row of an export is one flat object of ASCII
//! strings and small integers, whose RFC 8785 form is its own members, sorted, with the
//! whitespace taken out. This reader takes only such rows, and only when every field the
//! row checks read is present and well-formed; for anything else it declines (`None`) and
//! the strict path reads the line, so every finding still comes from that path.
//!
//! What it takes, exactly:
//! - one object, JSON whitespace around tokens, at most [`MAX_MEMBERS`] members, no key twice;
//! - names and string values of printable ASCII (0x20–0x7E) without `"` or `\`, which
//!   RFC 8785 writes as they are;
//! - integers `-?(0|[1-9][0-9]*)` of at most 15 digits, never `-0` (RFC 8785 writes them
//!   as they are: below 2^53, so exact doubles), and `true`, `false`, `null`;
//! - a row's shape (`seq` and `thisHash`, no `type` or `batchHead`), not a
//!   `wave.consumed` row, `seq` a non-negative integer, `customerId` a non-empty string,
//!   `prevHash` and `thisHash` hashes.
//!
//! `agrees_with_strict` compares the two readings; tests and a fuzz target run it.

use std::ops::Range;

use serde_json::Value;

use crate::canonical::canonical_without;
use crate::checks::consumed::CONSUMED_ACTION;
use crate::hash::Hash;

/// Members a fast row may have; rows with more take the strict path.
const MAX_MEMBERS: usize = 32;
/// Longest line read here (far below the strict limits on strings and documents).
const MAX_LINE: usize = 16 << 10;
/// Digits of an integer read here: below 2^53, so RFC 8785 writes it as written.
const MAX_DIGITS: usize = 15;

/// What the row checks need from a row read here.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct FastRow<'a> {
    pub seq: u64,
    pub customer: &'a str,
    pub prev_hash: Hash,
    pub this_hash: Hash,
    /// SHA-256 of the RFC 8785 bytes of the row without `thisHash`.
    pub computed: Hash,
}

/// Buffers kept between rows, so a row costs no allocation.
#[derive(Default)]
pub(crate) struct Scratch {
    /// Each member's name (inside its quotes) and value (as written), as byte ranges.
    members: Vec<(Range<usize>, Range<usize>)>,
    canonical: Vec<u8>,
}

/// Read `line` (no `\n`, no trailing `\r`) if it is a common row; `None` sends it to the
/// strict path.
pub(crate) fn read_row<'a>(line: &'a [u8], scratch: &mut Scratch) -> Option<FastRow<'a>> {
    if line.len() > MAX_LINE {
        return None;
    }
    let members = &mut scratch.members;
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
    let bytes = |r: &Range<usize>| line.get(r.clone()).unwrap_or_default();
    // RFC 8785 order, for ASCII names byte order; a name met twice sends the row to the
    // strict path. Rows written in that order already cost one comparison per member.
    // Insertion sort: at most MAX_MEMBERS members, and a generic sort costs 3 KB of wasm.
    for i in 1..members.len() {
        let mut j = i;
        while j > 0 {
            let (Some(a), Some(b)) = (members.get(j - 1), members.get(j)) else { break };
            match bytes(&a.0).cmp(bytes(&b.0)) {
                std::cmp::Ordering::Less => break,
                std::cmp::Ordering::Equal => return None,
                std::cmp::Ordering::Greater => members.swap(j - 1, j),
            }
            j -= 1;
        }
    }
    let (mut seq, mut customer, mut prev_hash, mut this_hash) = (None, None, None, None);
    for (name, value) in members.iter() {
        let value = bytes(value);
        match bytes(name) {
            b"type" | b"batchHead" => return None,
            b"action" if string_value(value) == Some(CONSUMED_ACTION) => return None,
            b"seq" => seq = Some(value),
            b"customerId" => customer = string_value(value),
            b"prevHash" => prev_hash = string_value(value),
            b"thisHash" => this_hash = string_value(value),
            _ => {}
        }
    }
    // Digits only (a string, a literal or a negative number declines), at most MAX_DIGITS
    // of them: no overflow.
    let seq = seq?.iter().try_fold(0u64, |n, d| d.is_ascii_digit().then(|| n * 10 + u64::from(d - b'0')))?;
    let customer = customer.filter(|c| !c.is_empty())?;
    let prev_hash: Hash = prev_hash?.parse().ok()?;
    let this_hash: Hash = this_hash?.parse().ok()?;

    let out = &mut scratch.canonical;
    out.clear();
    out.push(b'{');
    for (name, value) in members.iter().filter(|m| bytes(&m.0) != b"thisHash") {
        if out.len() > 1 {
            out.push(b',');
        }
        out.push(b'"');
        out.extend_from_slice(bytes(name));
        out.extend_from_slice(b"\":");
        out.extend_from_slice(bytes(value));
    }
    out.push(b'}');
    Some(FastRow { seq, customer, prev_hash, this_hash, computed: Hash::sha256(out) })
}

/// The text of a string value as written (quotes included), if it is one.
fn string_value(written: &[u8]) -> Option<&str> {
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
    let len = rest.iter().position(|b| !matches!(b, 0x20..=0x7e) || *b == b'"' || *b == b'\\')?;
    (rest.get(len) == Some(&b'"')).then_some(at + 1..at + 1 + len)
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

/// How the two readings of one line compare.
#[derive(Debug, PartialEq, Eq)]
pub enum FastReading {
    /// The fast reader declined; the strict path reads the line.
    Declined,
    /// Both readings give the same row.
    Same,
}

/// Read `line` both ways; `Err` describes a disagreement. Every row the fast reader takes
/// must be, for the strict parser, a well-formed row object with the same `seq`,
/// `customerId`, hashes and RFC 8785 hash, and not a `wave.consumed` row.
#[doc(hidden)]
pub fn agrees_with_strict(line: &[u8]) -> Result<FastReading, String> {
    let mut scratch = Scratch::default();
    let Some(fast) = read_row(line, &mut scratch) else {
        return Ok(FastReading::Declined);
    };
    let obj = match crate::json::parse_row_line(line) {
        Ok(Value::Object(obj)) => obj,
        other => return Err(format!("taken here, but the strict parser reads {other:?}")),
    };
    if crate::classify::is_row(&obj) && crate::checks::consumed::ConsumedRow::of(&obj).is_none() {
        let subject = crate::report::Subject::default();
        let mut r = crate::fields::FieldReader::new(&obj, &subject, crate::ids::ROWS_FIELDS);
        let strict = (r.integer("seq"), r.string("customerId"), r.hash("prevHash"), r.hash("thisHash"));
        let computed = canonical_without(&obj, &["thisHash"]).map(|b| Hash::sha256(&b)).map_err(|e| e.to_string())?;
        let fields = (Some(fast.seq), Some(fast.customer), Some(fast.prev_hash), Some(fast.this_hash));
        if r.findings.is_empty() && strict == fields && computed == fast.computed {
            return Ok(FastReading::Same);
        }
        return Err(format!("strict reading {strict:?}, {computed}, findings {}; fast {fast:?}", r.findings.len()));
    }
    Err("taken here, but the strict path does not read it as a plain row".into())
}
