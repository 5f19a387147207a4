//! The crate's one error type. Each area has a typed sub-enum; messages are short,
//! lowercase and say what to do.

use thiserror::Error;

/// Everything that can go wrong before a check can even run: unreadable JSON, unusable
/// keys, malformed hash strings or timestamps. Verification *failures* are not errors;
/// they are findings in the [`crate::Report`]. Each variant is `transparent`: the message
/// is the inner one, which is not also the `source`, so an error chain prints it once.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Error {
    /// The input is not strict JSON.
    #[error(transparent)]
    Json(#[from] JsonError),
    /// A key file or key entry cannot be used.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// A hash string is not `0x` + 64 lowercase hex digits.
    #[error(transparent)]
    Hash(#[from] HashError),
    /// A timestamp is not RFC 3339 UTC.
    #[error(transparent)]
    Time(#[from] TimeError),
    /// A receipt cannot be interpreted at all (for example, it is not a JSON object).
    #[error(transparent)]
    Receipt(#[from] ReceiptError),
    /// A row range read by another worker came back unreadable (v1.1): a fault of the
    /// verifier, not of the files checked.
    #[error(transparent)]
    Range(#[from] RangeError),
    /// A signature backend answered with a different number of outcomes than it was given
    /// jobs: a bug in the verifier or its backend, not in the files checked.
    #[error("the signature backend returned {outcomes} outcomes for {jobs} signature jobs; this is a fault of the verifier, not of the files checked")]
    Backend {
        /// Jobs pending.
        jobs: usize,
        /// Outcomes given.
        outcomes: usize,
    },
    /// A receipt file's pass begun out of order (v1.1, fed in pieces): a fault of the
    /// caller, not of the files checked.
    #[error("receipt files fed in pieces: {problem}")]
    FeedOrder {
        /// What the order requires.
        problem: &'static str,
    },
    /// A receipt file's pass fed more or fewer bytes than its announced length (v1.1):
    /// the file changed while it was read, or its reader stopped early (`input.read`).
    #[error("receipt file {file} changed while it was read, or its reader stopped early: {expected} bytes announced, {got} fed")]
    FeedLength {
        /// The file's name.
        file: String,
        /// Bytes announced.
        expected: u64,
        /// Bytes fed.
        got: u64,
    },
    /// A receipt file lacked one of its passes when the receipts ended (v1.1, fed in
    /// pieces): its receipts were not all checked, so the report fails (`input.read`).
    #[error(
        "receipt file {file} was not read in full: its {pass} pass was never fed, so its receipts were not checked"
    )]
    FeedMissing {
        /// The file's name.
        file: String,
        /// The pass it lacks ("items" or "chain").
        pass: &'static str,
    },
    /// A receipt file's pass read other than as many items as its first pass (v1.1, fed in
    /// pieces): its passes did not read the same file, so the report fails (`input.read`).
    #[error("receipt file {file} was not read the same in each pass: its {pass} pass read {read} items, its first pass {first}")]
    FeedItems {
        /// The file's name.
        file: String,
        /// The pass that differs.
        pass: &'static str,
        /// Items the file's first pass read.
        first: usize,
        /// Items this pass read.
        read: usize,
    },
}

/// Strict-JSON problems (RFC 8259 + the receipt format's extra rules).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum JsonError {
    /// Bytes that are not UTF-8.
    #[error("invalid UTF-8 at byte offset {offset}; receipts must be UTF-8 encoded")]
    InvalidUtf8 {
        /// Byte offset of the first invalid sequence.
        offset: usize,
    },
    /// A syntax error reported by the JSON parser.
    #[error("invalid JSON at line {line}, column {column}: {message}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// The same key twice in one object; JCS would silently pick one, so it is refused.
    #[error("duplicate object key {} at {}; remove one of them", crate::text::q(key), crate::text::visible(pointer))]
    DuplicateKey {
        /// The repeated key.
        key: String,
        /// JSON pointer of the repeated member (v1.1; it was the object holding it).
        pointer: String,
    },
    /// Nesting deeper than the limit.
    #[error("JSON nested deeper than {limit} levels (MAX_DEPTH)")]
    TooDeep {
        /// The limit.
        limit: usize,
    },
    /// A number whose RFC 8785 form has another value than its text (SPEC.md §2, v1.1).
    #[error(
        "number {written} at {} would be canonicalised (RFC 8785) to {}, another value; write it so that it keeps its value, or send it as a string",
        crate::text::visible(pointer),
        canonical.as_deref().unwrap_or("nothing: it is beyond the range of an IEEE-754 double")
    )]
    NumberChanged {
        /// JSON pointer of the number.
        pointer: String,
        /// The number as written (shortened if long).
        written: String,
        /// What RFC 8785 would write for it; `None` when no double holds it.
        canonical: Option<String>,
    },
    /// A document over `limits::MAX_DOCUMENT_BYTES`.
    #[error("JSON document of {bytes} bytes is over the limit of {limit} bytes (MAX_DOCUMENT_BYTES); split it into JSON Lines")]
    DocumentTooLarge {
        /// Its size.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// More JSON values than the input's size allows (`limits::MIN_BYTES_PER_VALUE`, v1.1).
    #[error("more than {limit} JSON values in {bytes} bytes of input (at most one value per {per} bytes, or {floor} values; MIN_BYTES_PER_VALUE); the rest was not read")]
    TooManyValues {
        /// The budget of this document or JSON Lines file.
        limit: usize,
        /// The size of the document or file.
        bytes: usize,
        /// `limits::MIN_BYTES_PER_VALUE`.
        per: usize,
        /// `limits::MIN_VALUE_BUDGET`.
        floor: usize,
    },
    /// Reading the numbers would take more work than the input's size allows
    /// (`limits::NUMBER_WORK_PER_BYTE`, `ROW_NUMBER_WORK_PER_BYTE`, v1.1).
    #[error("the number at {} is one too many of its kind: numbers with extreme exponents or more than 15 digits may take at most {per} digit operations per byte of input, with a floor of {floor} (SPEC.md §15); the rest was not read", crate::text::visible(pointer))]
    NumbersTooCostly {
        /// JSON pointer of the number that ran out of work.
        pointer: String,
        /// `limits::NUMBER_WORK_PER_BYTE`, or `ROW_NUMBER_WORK_PER_BYTE` for a row line.
        per: u64,
        /// `limits::MIN_NUMBER_WORK`, or 0 for a row line.
        floor: u64,
    },
    /// A string or member name over `limits::MAX_STRING_BYTES`.
    #[error(
        "string of {bytes} bytes at {} is over the limit of {limit} bytes (MAX_STRING_BYTES)",
        crate::text::visible(pointer)
    )]
    StringTooLong {
        /// JSON pointer of the string (of the object, for a member name).
        pointer: String,
        /// Its length after unescaping.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// More elements than `limits::MAX_APPROVAL_ENTRIES` in an array that is the value of
    /// a member named `approvals` (v1.1): refused while parsing, before the rest is built.
    #[error("more than {limit} approval entries at {}: a wave approval holds at most {limit} (MAX_APPROVAL_ENTRIES); the rest was not read", crate::text::visible(pointer))]
    TooManyEntries {
        /// JSON pointer of the array.
        pointer: String,
        /// The limit.
        limit: usize,
    },
    /// More receipts and approvals than `limits::MAX_RECEIPTS` in one verification.
    #[error("more than {limit} receipts and approvals in one verification (MAX_RECEIPTS); the rest were not read; verify them in parts")]
    TooManyReceipts {
        /// The limit.
        limit: usize,
    },
    /// A byte-order mark at the start of a JSON Lines line other than the first.
    #[error("byte-order mark (U+FEFF) at the start of line {line}; it is allowed only at the start of a file")]
    MisplacedByteOrderMark {
        /// The 1-based line.
        line: usize,
    },
    /// Nothing but whitespace.
    #[error("empty input: expected JSON")]
    Empty,
    /// The canonical writer failed (should not happen for parsed input).
    #[error("cannot canonicalize JSON: {0}")]
    Canonicalize(String),
}

/// Problems with a hash string.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HashError {
    /// Not `0x` followed by 64 lowercase hex digits.
    #[error("expected \"0x\" followed by 64 lowercase hex digits, found {}", crate::text::q(found))]
    Format {
        /// The offending text (shortened if long).
        found: String,
    },
}

/// Problems with a timestamp.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TimeError {
    /// Not RFC 3339 at all.
    #[error("expected an RFC 3339 timestamp such as 2026-03-02T09:00:00Z, found {}", crate::text::q(found))]
    Format {
        /// The offending text.
        found: String,
    },
    /// A fraction with a non-zero digit past nanoseconds (v1.1): it cannot be kept exactly.
    #[error(
        "timestamp {} has a fraction finer than a nanosecond; write at most 9 fraction digits",
        crate::text::q(found)
    )]
    FinerThanNanoseconds {
        /// The offending text.
        found: String,
    },
    /// A leap second `23:59:60` with a non-zero fraction (v1.1, red team 10): it is read
    /// as `23:59:59.999999999`, so its fraction cannot be kept.
    #[error(
        "timestamp {} has a fraction on a leap second; 23:59:60 is read as 23:59:59.999999999, so write the leap second without a fraction",
        crate::text::q(found)
    )]
    LeapSecondFraction {
        /// The offending text.
        found: String,
    },
    /// RFC 3339 but not UTC.
    #[error("timestamp {} is not UTC; write it with a \"Z\" suffix", crate::text::q(found))]
    NotUtc {
        /// The offending text.
        found: String,
    },
}

/// A receipt that cannot be interpreted.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReceiptError {
    /// The JSON value is not an object.
    #[error("expected a receipt (a JSON object), found {found}")]
    NotAnObject {
        /// The JSON type found.
        found: &'static str,
    },
    /// The file holds more than one receipt where one was needed.
    #[error("expected exactly one receipt, found {count}")]
    NotExactlyOne {
        /// How many receipts the file holds.
        count: usize,
    },
    /// An index past the end.
    #[error("no receipt at index {index}; the file holds {count}")]
    NoSuchIndex {
        /// The index asked for.
        index: usize,
        /// How many there are.
        count: usize,
    },
    /// No approval at that index.
    #[error("no approval at index {index}; the receipt has {count}")]
    NoSuchApproval {
        /// The index asked for.
        index: usize,
        /// How many there are.
        count: usize,
    },
    /// The receipt is not a wave approval.
    #[error("this receipt is not a wave approval (\"type\": \"wave-approval\")")]
    NotAnApproval,
    /// A wave approval has no `M`: each entry signs its own bytes.
    #[error("this is a wave approval: it has no manifest M; each approval entry signs its own bytes (SPEC.md §10), printed per entry")]
    ApprovalHasNoManifest,
    /// An audit row is not a receipt.
    #[error("this is an audit row (seq, thisHash), not a receipt: nothing signs its M; its thisHash is SHA-256 of JCS(row without thisHash) (SPEC.md §4)")]
    RowHasNoManifest,
}

/// A row range's summary, as handed between workers ([`crate::RangeSummary::to_bytes`]),
/// that cannot be read back. Only a verifier fault (or mixed versions) makes one.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RangeError {
    /// The bytes end inside a value.
    #[error("a row range's summary ends early (at byte {at}); the verifier's workers disagree, reload the page")]
    Truncated {
        /// Where the bytes ran out.
        at: usize,
    },
    /// A value that no summary holds (a bad tag, a bad length, bytes after the end).
    #[error(
        "a row range's summary is malformed at byte {at} ({what}); the verifier's workers disagree, reload the page"
    )]
    Malformed {
        /// Where.
        at: usize,
        /// What was expected there.
        what: &'static str,
    },
    /// A check id this verifier does not know (SPEC.md §13).
    #[error(
        "a row range's summary names an unknown check id {}; the verifier's workers disagree, reload the page",
        crate::text::q(id)
    )]
    UnknownCheckId {
        /// The id as written.
        id: String,
    },
}

/// Why a key cannot be used.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum KeyError {
    /// The file is neither PEM, DER nor JSON.
    #[error("not a key file: expected PEM (PUBLIC KEY, RSA PUBLIC KEY, CERTIFICATE), DER, a JWK or a JWKS")]
    UnknownFormat,
    /// (v1.1) A JSON key file with the members of more than one shape (a JWK's `kty`, `n`…,
    /// a JWKS's `keys`, Key Vault's `key`/`attributes`): which to read is a guess.
    #[error("ambiguous key file: it has the members of {shapes}; a key file must be exactly one of a JWK, a JWKS or Key Vault output")]
    AmbiguousKeyFile {
        /// The shapes found, e.g. `a JWK (kty, n, e) and a JWKS (keys)`.
        shapes: String,
    },
    /// A PEM block that could not be decoded.
    #[error("malformed PEM: {0}")]
    Pem(String),
    /// A PEM label we do not take.
    #[error("PEM block \"{label}\" is not a public key; expected PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE")]
    UnsupportedPemLabel {
        /// The label.
        label: String,
    },
    /// A private key was supplied.
    #[error(
        "this is a private key; give the verifier only the public key (for example: openssl pkey -in key.pem -pubout)"
    )]
    PrivateKey,
    /// DER that does not decode as the named structure.
    #[error("malformed {what}: {detail}")]
    Der {
        /// What was being decoded.
        what: &'static str,
        /// The decoder's message.
        detail: String,
    },
    /// A key algorithm other than RSA or EC P-256.
    #[error("unsupported key algorithm {0}; receipts use RSA (RS256, PS256) or EC P-256 (ES256)")]
    UnsupportedAlgorithm(String),
    /// An EC curve other than P-256.
    #[error("unsupported elliptic curve {0}; only P-256 is used for ES256")]
    UnsupportedCurve(String),
    /// RSA below 2048 bits.
    #[error("RSA key is {bits} bits; keys under 2048 bits are refused (NIST SP 800-131A)")]
    RsaTooSmall {
        /// The modulus size.
        bits: usize,
    },
    /// RSA above the largest accepted modulus (v1.1).
    #[error("RSA key is {bits} bits; keys over {max} bits are refused (SPEC.md §15)")]
    RsaTooLarge {
        /// The modulus's exact bit length.
        bits: usize,
        /// The limit.
        max: usize,
    },
    /// A key that exists but cannot verify signatures: JWK `use`, `key_ops`, certificate
    /// keyUsage, or an algorithm receipts do not use (v1.1). In a file with usable keys
    /// it is skipped with a `key.skipped` note instead.
    #[error("{place}: {reason}")]
    CannotVerify {
        /// Which key (JWK pointer or PEM block).
        place: String,
        /// Why, e.g. `use is "enc", not "sig"`.
        reason: String,
    },
    /// No key in the file can verify signatures (v1.1).
    #[error("no key in this file can verify signatures: {reasons}")]
    NoUsableKey {
        /// Each key's reason, joined.
        reasons: String,
    },
    /// More keys than [`crate::limits::MAX_KEYS`] (v1.1).
    #[error("{count} keys supplied; at most {max} are accepted in one verification (SPEC.md §15): give only the keys that sign these receipts")]
    TooManyKeys {
        /// How many (at least).
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A key file over [`crate::limits::MAX_KEY_FILE_BYTES`] (v1.1).
    #[error("key file is {size} bytes; key files are at most {max} bytes (SPEC.md §15)")]
    KeyFileTooLarge {
        /// Its size (at least).
        size: usize,
        /// The limit.
        max: usize,
    },
    /// Key Vault `attributes` member of the wrong type or unit (v1.1).
    #[error("Key Vault attributes/{member}: {problem}")]
    Attribute {
        /// The member, e.g. `exp`.
        member: String,
        /// What is wrong.
        problem: String,
    },
    /// RSA parameters the RSA implementation refuses.
    #[error("unusable RSA key: {0}")]
    Rsa(String),
    /// EC point not on the curve or malformed.
    #[error("unusable EC P-256 key: the point is not on the curve or is malformed")]
    EcPoint,
    /// A JWK member missing or of the wrong type.
    #[error("JWK {pointer}: {problem}")]
    Jwk {
        /// Where in the JWK/JWKS.
        pointer: String,
        /// What is wrong.
        problem: String,
    },
    /// A JWK/JWKS with no keys.
    #[error("the JWKS holds no keys")]
    EmptyJwks,
    /// A key file whose JSON is not strict.
    #[error("key file is not strict JSON: {0}")]
    Json(JsonError),
}
