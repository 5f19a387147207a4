//! Canonical bytes: RFC 8785 (JSON Canonicalization Scheme) of an already strictly
//! parsed value. The writer is `serde_json_canonicalizer`, which passes the RFC 8785
//! test data (see `tests/jcs.rs`).

use serde_json::Value;

use crate::error::JsonError;

/// RFC 8785 canonical UTF-8 bytes of `value`.
pub fn canonical_bytes(value: &Value) -> Result<Vec<u8>, JsonError> {
    serde_json_canonicalizer::to_vec(value).map_err(|e| JsonError::Canonicalize(e.to_string()))
}

/// RFC 8785 bytes of an object with some top-level members left out. This is how every
/// signed manifest and row hash in SPEC.md is formed.
pub fn canonical_without(object: &serde_json::Map<String, Value>, leave_out: &[&str]) -> Result<Vec<u8>, JsonError> {
    let mut kept = object.clone();
    for key in leave_out {
        kept.remove(*key);
    }
    canonical_bytes(&Value::Object(kept))
}
