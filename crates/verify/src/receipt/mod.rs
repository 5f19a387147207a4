//! Batch receipts: the typed view of one receipt and its signed manifest
//! (SPEC.md, "Batch receipt").

pub(crate) mod fast;

use serde_json::{Map, Value};

use crate::canonical::canonical_without;
use crate::error::{JsonError, ReceiptError};
use crate::fields::FieldReader;
use crate::hash::Hash;
use crate::ids;
use crate::report::{Check, Subject};
use crate::timestamp::Timestamp;

/// Members left out of the manifest `M`: everything else is signed.
pub const UNSIGNED_MEMBERS: [&str; 2] = ["thisHash", "signature"];

/// The exact signed bytes `M = JCS(receipt without "thisHash" and "signature")`.
pub fn manifest(receipt: &Map<String, Value>) -> Result<Vec<u8>, JsonError> {
    canonical_without(receipt, &UNSIGNED_MEMBERS)
}

/// `manifest` for any JSON value, refusing non-objects, and objects that are not batch
/// receipts by their shape (SPEC.md §3): a wave approval's entries each sign their own
/// bytes, and a row's hash covers its `signature` member; `M` of either is signed by no one
/// (red team 8, finding 04).
pub fn manifest_of(value: &Value) -> Result<Vec<u8>, crate::Error> {
    match value {
        Value::Object(o) if o.get("type").and_then(Value::as_str) == Some(crate::approval::WAVE_APPROVAL_TYPE) => {
            Err(ReceiptError::ApprovalHasNoManifest.into())
        }
        Value::Object(o) if crate::classify::is_row(o) => Err(ReceiptError::RowHasNoManifest.into()),
        Value::Object(o) => Ok(manifest(o)?),
        other => Err(ReceiptError::NotAnObject { found: crate::json::type_name(other) }.into()),
    }
}

/// A batch receipt, each member parsed if it could be. A member that failed to parse is
/// `None`, and [`BatchReceipt::parse`] returned a `receipt.fields` finding for it.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchReceipt {
    /// Where the receipt is.
    pub subject: Subject,
    /// `customerId`.
    pub customer_id: Option<String>,
    /// `batchHead`: the `thisHash` of the last row sealed.
    pub batch_head: Option<Hash>,
    /// `prevHash`: the previous receipt's `thisHash`.
    pub prev_hash: Option<Hash>,
    /// `thisHash` as claimed.
    pub this_hash: Option<Hash>,
    /// `signedAt`.
    pub signed_at: Option<Timestamp>,
    /// `kid`.
    pub kid: Option<String>,
    /// `signature`, decoded.
    pub signature: Option<Vec<u8>>,
    /// `wormBlobUri`.
    pub worm_blob_uri: Option<String>,
    /// `immutability`.
    pub immutability: Option<String>,
    /// `alg` as written, if present (checked against the key later).
    pub alg: Option<Value>,
    /// The manifest `M`.
    pub manifest: Result<Vec<u8>, JsonError>,
}

impl BatchReceipt {
    /// A receipt with no member read (each is `None`) and an empty manifest.
    pub(crate) fn empty() -> Self {
        BatchReceipt {
            subject: Subject::default(),
            customer_id: None,
            batch_head: None,
            prev_hash: None,
            this_hash: None,
            signed_at: None,
            kid: None,
            signature: None,
            worm_blob_uri: None,
            immutability: None,
            alg: None,
            manifest: Ok(Vec::new()),
        }
    }

    /// Drop the manifest and the signature once the engine has checked them and holds its
    /// own copy in a signature slot: the chain and row checks that follow need neither,
    /// and a year of receipts (525,600) held them twice, about 450 MB.
    pub(crate) fn release_signed_bytes(&mut self) {
        self.manifest = Ok(Vec::new());
        self.signature = None;
    }

    /// Whether it carries any member the chain and row checks use (`customerId`,
    /// `prevHash`, `thisHash`, `signedAt`, `batchHead`).
    pub(crate) fn has_chain_members(&self) -> bool {
        self.customer_id.is_some()
            || self.prev_hash.is_some()
            || self.this_hash.is_some()
            || self.signed_at.is_some()
            || self.batch_head.is_some()
    }

    /// Read a receipt object; returns the receipt and its `receipt.fields` findings.
    pub fn parse(obj: &Map<String, Value>, subject: Subject) -> (Self, Vec<Check>) {
        Self::parse_counted(obj, subject, false)
    }

    /// [`Self::parse`]; with `counted_only`, its `receipt.fields` findings carry no place
    /// or words (the engine only counts them once it lists no more, SPEC.md §15).
    pub(crate) fn parse_counted(obj: &Map<String, Value>, subject: Subject, counted_only: bool) -> (Self, Vec<Check>) {
        let (mut receipt, findings) = Self::parse_fields(obj, subject, counted_only);
        receipt.manifest = manifest(obj);
        (receipt, findings)
    }

    /// [`Self::parse_counted`] without forming the manifest (left empty): for a reading
    /// that only reports the fields (the engine's second pass, SPEC.md §15).
    pub(crate) fn parse_fields(obj: &Map<String, Value>, subject: Subject, counted_only: bool) -> (Self, Vec<Check>) {
        let mut r = FieldReader::new(obj, &subject, ids::RECEIPT_FIELDS).counted_only(counted_only);
        let receipt = BatchReceipt {
            customer_id: r.string("customerId").map(str::to_string),
            batch_head: r.hash("batchHead"),
            prev_hash: r.hash("prevHash"),
            this_hash: r.hash("thisHash"),
            signed_at: r.time("signedAt"),
            kid: r.string("kid").map(str::to_string),
            signature: r.signature("signature"),
            worm_blob_uri: r.string("wormBlobUri").map(str::to_string),
            immutability: r.string("immutability").map(str::to_string),
            alg: obj.get("alg").cloned(),
            manifest: Ok(Vec::new()),
            subject: subject.clone(),
        };
        (receipt, r.findings)
    }

    /// SHA-256 of the manifest, if it could be formed.
    pub fn computed_hash(&self) -> Option<Hash> {
        self.manifest.as_ref().ok().map(|m| Hash::sha256(m))
    }
}
