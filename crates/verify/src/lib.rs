#![doc = include_str!("../README.md")]

mod alg;
mod approval;
mod canonical;
mod checks;
mod classify;
pub mod der;
mod encoding;
mod error;
mod fields;
mod findings;
mod identity;
pub mod ids;
mod input;
mod inspect;
pub mod json;
pub mod keys;
pub mod limits;
mod numbers;
mod receipt;
mod report;
mod rows;
mod signature;
mod text;
mod timestamp;
mod verification;

pub mod hash;

pub use alg::{Alg, KeyKind};
pub use approval::{approval_message, approval_message_of, wave_of, ApprovalEntry, WaveApproval, WAVE_APPROVAL_TYPE};
pub use canonical::{canonical_bytes, canonical_without};
pub use checks::approval::{MAX_AGE as APPROVAL_MAX_AGE, TWO_APPROVER_THRESHOLD};
pub use checks::worm::worm_path_suffix;
pub use classify::FileRole;
pub use encoding::decode_base64;
pub use error::{Error, HashError, JsonError, KeyError, RangeError, ReceiptError, TimeError};
pub use hash::Hash;
pub use input::{pick as pick_item, split as split_items, Item, Layout};
pub use inspect::{inspect, inspect_head, FileKind, Inspection, KeySummary, INSPECT_HEAD_BYTES};
pub use keys::{
    parse_key_file, parse_keys, Approver, Fingerprint, KeyFile, KeyFormat, KeyMaterial, KeyRole, KeyStatus, P256Key,
    PublicKey, RsaKey, SkippedKey,
};
#[doc(hidden)]
pub use receipt::fast::agrees_with_strict as fast_receipt_agrees_with_strict;
pub use receipt::{manifest, manifest_of, BatchReceipt};
pub use report::{Check, KeyReport, Report, Status, Subject, Summary, Verdict, MAX_VALUE_BYTES, REPORT_FORMAT};
#[doc(hidden)]
pub use rows::{agrees_with_strict as fast_row_agrees_with_strict, FastReading};
pub use rows::{
    head_set_from_bytes, head_set_to_bytes, RangeSummary, RowJoin, RowRange, RowVerifier, SealedHead, MAX_LINE_BYTES,
};
#[cfg(feature = "rustcrypto")]
pub use signature::RustCryptoBackend;
pub use signature::{
    prepare_signature, EcdsaEncoding, SignatureBackend, SignatureFailure, SignatureJob, SignatureOutcome, SignedBytes,
};
pub use text::{is_invisible, q as quoted, thousands, visible, Quoted, Visible, MAX_QUOTED_CHARS};
pub use timestamp::Timestamp;
pub use verification::{verify, Held, InputFile, ReceiptPass, Verification};
