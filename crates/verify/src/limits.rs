//! Documented resource limits (SPEC.md §15). They fall on one JSON value, one line or
//! one count, never on a streamed file, so a long export or receipt file in JSON Lines
//! stays verifiable while no single value can exhaust time or memory.

/// Deepest nesting of arrays and objects in one JSON document.
pub const MAX_DEPTH: usize = 64;
/// One JSON document: a whole receipt file that is a single object or array, or one
/// JSON Lines line of a receipt file.
pub const MAX_DOCUMENT_BYTES: usize = 64 << 20;
/// JSON values (v1.1): a document, or all the lines of a JSON Lines file together, holds
/// at most one value per `MIN_BYTES_PER_VALUE` bytes of its text, or `MIN_VALUE_BUDGET`
/// values if that is more. A member's name counts as one besides its value (red team
/// 17: a member also builds its name and a map slot; 64 MiB of `"!":0,` took 11× the
/// input). Counted while parsing, before each value is built, so the parsed values cost a
/// small multiple of the input (about 6.5×, plus a few MiB), not the 30× that a 30 MB
/// array of `0`s costs as `serde_json::Value`s. Honest receipts and approvals use 25 to
/// 30 bytes per value counted so.
pub const MIN_BYTES_PER_VALUE: usize = 16;
/// See [`MIN_BYTES_PER_VALUE`]: the budget of a small document.
pub const MIN_VALUE_BUDGET: usize = 65_536;
/// What one non-empty JSON object counts as in that budget: its B-tree node costs about
/// 600 bytes, so a file of tiny objects (`{"a":0}`) must bring 144 bytes of text for each.
pub const VALUES_PER_OBJECT: usize = 8;
/// Digit operations the exact number reader may spend per byte of a document or JSON
/// Lines file (v1.1), or `MIN_NUMBER_WORK` if that is more. Numbers of at most 15 digits
/// and exponents within ±22 cost none; a 17-digit decimal a few hundred; an extreme
/// exponent (`1e308`, `1e-330`) about 30,000, so a file of nothing else is refused
/// instead of taking minutes (red team 4: 64 MB of `1e308` took 5 minutes of CPU; now
/// refused after 4.5 s, while 36 MB of 17-digit decimals are read in 1.2 s).
pub const NUMBER_WORK_PER_BYTE: u64 = 16;
/// See [`NUMBER_WORK_PER_BYTE`]: about 2,000 extreme numbers in any small document.
pub const MIN_NUMBER_WORK: u64 = 1 << 26;
/// Digit operations the number reader may spend per byte of one row line, with no floor
/// (v1.1): a row is read on its own (as ranges on other threads or workers read it), so a
/// floor per line would let lines of `1e308` cost 1,000 times an honest export per byte
/// (red team 4). 64 per byte holds one extreme number (`1e308` costs about 15,500) in a
/// row of 250 bytes, and a 17-digit decimal (about 75–200) in any row holding it.
pub const ROW_NUMBER_WORK_PER_BYTE: u64 = 64;
/// One row line of a row export.
pub const MAX_ROW_LINE_BYTES: usize = 1 << 20;
/// One JSON string (after unescaping), anywhere.
pub const MAX_STRING_BYTES: usize = 1 << 20;
/// One key file.
pub const MAX_KEY_FILE_BYTES: usize = 1 << 20;
/// Keys in one verification, over all key files.
pub const MAX_KEYS: usize = 256;
/// Receipts and approvals in one verification, over all receipt files.
pub const MAX_RECEIPTS: usize = 2_000_000;
/// Entries in one wave approval's `approvals` array.
pub const MAX_APPROVAL_ENTRIES: usize = 1_000;
/// The entries of one wave approval may sign (hash) at most this many times the bytes
/// they are made of (the canonical wave once, plus each entry's own members), plus
/// [`SIGNED_BYTES_SLACK`]: every entry signs the whole wave, so without it `n` entries
/// under a wave of `W` bytes cost `n × W` (quadratic in the approval's size).
pub const SIGNED_BYTES_FACTOR: usize = 16;
/// See [`SIGNED_BYTES_FACTOR`]; honest approvals (a few entries under a wave of a few
/// hundred bytes) stay far below it.
pub const SIGNED_BYTES_SLACK: usize = 1 << 20;
/// Failed signatures for which round 2 tries every other supplied key; later failures
/// are tried under their named key only, so bad signatures cost receipts × 1.
pub const MAX_PROBED_FAILURES: usize = 50;
/// (v1.1) Signed bytes round 2 may hand to a backend in all, counting a message once per
/// key it is tried under: WebCrypto cannot verify a prehash, so it hashes the message once
/// per key. Without it, one failed signature over a wave of `W` bytes under `k` keys costs
/// `k × W` of hashing (256 keys × 8 MB = 2 GB). Failures past it are not probed.
pub const MAX_PROBE_BYTES: usize = 256 << 20;
/// Smallest RSA modulus accepted, in bits (its exact bit length).
pub const MIN_RSA_BITS: usize = 2048;
/// Largest RSA modulus accepted, in bits.
pub const MAX_RSA_BITS: usize = 4096;
/// Failures, warnings and notes of one check id (each status apart) listed in a report
/// of receipts and approvals, signature findings included; further ones are counted in
/// one summary finding. Passes are one entry per id with their count (report v2, SPEC.md
/// §12). Row findings have their own cap of 50.
pub const MAX_LISTED_PER_CHECK: usize = 1_000;
/// One identity (`requestedBy`, `approver`, a key's `approver`), in UTF-8 bytes; a longer
/// one cannot be compared and is refused.
pub const MAX_IDENTITY_BYTES: usize = 256;
