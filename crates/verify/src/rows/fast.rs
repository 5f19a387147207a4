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
//! It takes a line that [`crate::json::flat`] reads as a flat object (see there for
//! exactly which), and only when it has a row's shape (`seq` and `thisHash`, no `type` or
//! `batchHead`), is not a `wave.consumed` row, and its `seq` is a non-negative integer,
//! `customerId` a non-empty string, and `prevHash` and `thisHash` hashes.
//!
//! `agrees_with_strict` compares the two readings; tests and a fuzz target run it.

use serde_json::Value;

use crate::canonical::canonical_without;
use crate::checks::consumed::CONSUMED_ACTION;
use crate::hash::Hash;
use crate::json::flat::{self, string_value, Member};

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
    members: Vec<Member>,
    canonical: Vec<u8>,
}

/// Read `line` (no `\n`, no trailing `\r`) if it is a common row; `None` sends it to the
/// strict path.
pub(crate) fn read_row<'a>(line: &'a [u8], scratch: &mut Scratch) -> Option<FastRow<'a>> {
    let members = &mut scratch.members;
    flat::scan(line, members)?;
    let bytes = |r: &std::ops::Range<usize>| flat::bytes(line, r);
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
    // Digits only (a string, a literal or a negative number declines), at most 15 (flat.rs)
    // of them: no overflow.
    let seq = seq?.iter().try_fold(0u64, |n, d| d.is_ascii_digit().then(|| n * 10 + u64::from(d - b'0')))?;
    let customer = customer.filter(|c| !c.is_empty())?;
    let prev_hash: Hash = prev_hash?.parse().ok()?;
    let this_hash: Hash = this_hash?.parse().ok()?;

    let out = &mut scratch.canonical;
    flat::write_canonical(line, members, &[b"thisHash"], out);
    Some(FastRow { seq, customer, prev_hash, this_hash, computed: Hash::sha256(out) })
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
