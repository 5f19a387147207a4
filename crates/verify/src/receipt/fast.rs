//! The common batch receipt read in one pass, without building a JSON value.
//!
//! A receipt file is read three times (`verification/feed.rs`), and through the strict
//! parser each reading built a `serde_json::Value`, re-scanned the text for its numbers,
//! allocated every member and sorted them again to write the manifest: most of the
//! engine's own time per receipt (perf, 50,000 demo receipts, 2026-12-04). A chain's
//! receipts are flat objects of ASCII strings and small integers, which
//! [`crate::json::flat`] reads in one pass. This reader takes only such a line, and only
//! when it is a batch receipt whose every member [`BatchReceipt::parse`] reads is present
//! and well-formed, so that reading it strictly gives no finding at all; for anything
//! else it declines (`None`) and the strict path reads the line, so every finding still
//! comes from that path.
//!
//! It takes, beyond a flat object: no `type` member; `customerId`, `kid`, `wormBlobUri`
//! and `immutability` non-empty strings; `batchHead`, `prevHash` and `thisHash` hashes;
//! `signedAt` an RFC 3339 UTC time; `signature` non-empty valid base64; `alg` absent or a
//! string. Such an object has a batch receipt's shape (it has `batchHead`).
//!
//! [`agrees_with_strict`] compares the two readings; tests and a fuzz target run it.

use serde_json::Value;

use super::{BatchReceipt, UNSIGNED_MEMBERS};
use crate::encoding::decode_base64;
use crate::json::flat::{self, string_value, Member};
use crate::report::Subject;

/// How much of a receipt the pass reading it needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Need {
    /// Only its shape (`verification/feed.rs` pass 1): a flat object with `batchHead` and
    /// no `type` has a batch receipt's shape, whatever its members hold, so the receipt
    /// carries only `customerId`, if that is a string (what the strict pass 1 reads).
    Shape,
    /// Only whether every member is well-formed (pass 2, which only counts receipts): the
    /// receipt it gives is empty.
    Fields,
    /// Every member and the manifest (pass 3).
    Manifest,
}

/// Buffers kept between receipts.
#[derive(Default)]
pub(crate) struct Scratch {
    members: Vec<Member>,
}

/// A receipt read here, and how many members its object has (what the strict parser
/// would take from the file's value budget for it, [`crate::json::ValueBudget`]).
pub(crate) struct FastReceipt {
    pub receipt: BatchReceipt,
    pub members: usize,
}

/// Read `line` (no `\n`, no trailing `\r`) if it is a common batch receipt; `None` sends
/// it to the strict path. What the receipt carries is what `need` says.
pub(crate) fn read_receipt(line: &[u8], scratch: &mut Scratch, need: Need) -> Option<FastReceipt> {
    let members = &mut scratch.members;
    flat::scan(line, members)?;
    let has = |name: &[u8]| members.iter().any(|(n, _)| flat::bytes(line, n) == name);
    let text = |name: &[u8]| -> Option<&str> {
        let (_, value) = members.iter().find(|(n, _)| flat::bytes(line, n) == name)?;
        string_value(flat::bytes(line, value))
    };
    let non_empty = |name: &[u8]| text(name).filter(|s| !s.is_empty());
    if has(b"type") || !has(b"batchHead") {
        return None;
    }
    if need == Need::Shape {
        let receipt = BatchReceipt { customer_id: text(b"customerId").map(str::to_string), ..BatchReceipt::empty() };
        return Some(FastReceipt { receipt, members: members.len() });
    }
    // Every check below is made for `Fields` too, so both passes take the same lines.
    let alg = match members.iter().find(|(n, _)| flat::bytes(line, n) == b"alg") {
        None => None,
        Some((_, v)) => Some(string_value(flat::bytes(line, v))?),
    };
    let signature = decode_base64(text(b"signature").filter(|s| !s.is_empty())?)?;
    let (customer_id, kid) = (non_empty(b"customerId")?, non_empty(b"kid")?);
    let (worm_blob_uri, immutability) = (non_empty(b"wormBlobUri")?, non_empty(b"immutability")?);
    let batch_head = text(b"batchHead")?.parse().ok()?;
    let prev_hash = text(b"prevHash")?.parse().ok()?;
    let this_hash = text(b"thisHash")?.parse().ok()?;
    let signed_at = text(b"signedAt")?.parse().ok()?;
    if need == Need::Fields {
        // Pass 2 only counts the receipts it is given (`verification/feed.rs`).
        return Some(FastReceipt { receipt: BatchReceipt::empty(), members: members.len() });
    }
    let mut manifest = Vec::with_capacity(line.len());
    flat::write_canonical(line, members, &UNSIGNED_MEMBERS.map(str::as_bytes), &mut manifest);
    let receipt = BatchReceipt {
        subject: Subject::default(),
        customer_id: Some(customer_id.to_string()),
        batch_head: Some(batch_head),
        prev_hash: Some(prev_hash),
        this_hash: Some(this_hash),
        signed_at: Some(signed_at),
        kid: Some(kid.to_string()),
        signature: Some(signature),
        worm_blob_uri: Some(worm_blob_uri.to_string()),
        immutability: Some(immutability.to_string()),
        alg: alg.map(|a| Value::String(a.to_string())),
        manifest: Ok(manifest),
    };
    Some(FastReceipt { receipt, members: members.len() })
}

/// Read `line` both ways; `Ok(false)` when the fast reader declined to read it whole,
/// `Ok(true)` when both give the same receipt, `Err` describing a disagreement. A line the
/// fast reader takes for its shape must be, for the strict parser, an object with a batch
/// receipt's shape, the same `customerId` string and the same cost to the file's value
/// budget; one it takes whole must also give no `receipt.fields` finding, the same
/// members read and the same manifest; and the fields pass must take exactly the lines
/// taken whole.
#[doc(hidden)]
pub fn agrees_with_strict(line: &[u8]) -> Result<bool, String> {
    let mut scratch = Scratch::default();
    let full = read_receipt(line, &mut scratch, Need::Manifest);
    let fields = read_receipt(line, &mut scratch, Need::Fields);
    if fields.as_ref().map(|f| f.members) != full.as_ref().map(|f| f.members) {
        return Err("the fields pass and the chain pass take different lines".into());
    }
    let Some(shape) = read_receipt(line, &mut scratch, Need::Shape) else {
        return match full {
            None => Ok(false),
            Some(_) => Err("taken whole, but not for its shape".into()),
        };
    };
    let mut budget = crate::json::ValueBudget::for_input(1 << 20);
    let before = budget.left();
    let obj = match crate::json::parse_budgeted(line, crate::json::NumberRule::Exact, &mut budget) {
        Ok(Value::Object(obj)) => obj,
        other => return Err(format!("taken here, but the strict parser reads {other:?}")),
    };
    let spent = before - budget.left();
    let mut fast_budget = crate::json::ValueBudget::for_input(1 << 20);
    if !fast_budget.take_flat_object(shape.members) || before - fast_budget.left() != spent {
        return Err(format!("the strict parser spent {spent} values, the fast reader {}", shape.members));
    }
    let mut counted = crate::classify::Shape::default();
    counted.add_object(&obj);
    if counted.batch != 1 || counted.customer != shape.receipt.customer_id {
        return Err(format!(
            "taken as a batch receipt of {:?}, but the strict shape is {counted:?}",
            shape.receipt.customer_id
        ));
    }
    let Some(fast) = full else { return Ok(false) };
    let (strict, findings) = BatchReceipt::parse(&obj, Subject::default());
    if !findings.is_empty() || obj.contains_key("type") {
        return Err(format!("taken whole, but the strict reading has {} receipt.fields findings", findings.len()));
    }
    // Every member, the manifest and the place (the default for both readings here).
    if strict == fast.receipt {
        Ok(true)
    } else {
        Err(format!("strict reading {strict:?}; fast {:?}", fast.receipt))
    }
}
