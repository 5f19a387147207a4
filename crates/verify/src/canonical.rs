//! Canonical bytes: RFC 8785 (JSON Canonicalization Scheme) of an already strictly
//! parsed value. The writer is `serde_json_canonicalizer`, which passes the RFC 8785
//! test data (see `tests/jcs.rs`).

use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use crate::error::JsonError;

/// RFC 8785 canonical UTF-8 bytes of `value`.
pub fn canonical_bytes(value: &Value) -> Result<Vec<u8>, JsonError> {
    serde_json_canonicalizer::to_vec(value).map_err(|e| JsonError::Canonicalize(e.to_string()))
}

/// RFC 8785 bytes of an object with some top-level members left out. This is how every
/// signed manifest and row hash in SPEC.md is formed.
/// The object is not copied: a large receipt would otherwise cost its size once more.
pub fn canonical_without(object: &Map<String, Value>, leave_out: &[&str]) -> Result<Vec<u8>, JsonError> {
    serde_json_canonicalizer::to_vec(&Without { object, leave_out }).map_err(|e| JsonError::Canonicalize(e.to_string()))
}

/// An object seen without some of its top-level members.
struct Without<'a> {
    object: &'a Map<String, Value>,
    leave_out: &'a [&'a str],
}

impl Serialize for Without<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.object.iter().filter(|(k, _)| !self.leave_out.contains(&k.as_str())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn leaving_members_out_equals_removing_them() {
        let v = crate::json::parse("{\"b\":[1,{\"z\":1,\"a\":2}],\"thisHash\":\"x\",\"a\":\"\u{e9}\",\"signature\":1,\"\u{1f600}\":0,\"\u{e000}\":1}".as_bytes()).unwrap();
        let object = v.as_object().unwrap();
        let mut removed = object.clone();
        removed.remove("thisHash");
        removed.remove("signature");
        let expected = canonical_bytes(&Value::Object(removed)).unwrap();
        assert_eq!(canonical_without(object, &["thisHash", "signature"]).unwrap(), expected);
        assert!(!String::from_utf8(expected).unwrap().contains("thisHash"));
        assert_eq!(canonical_without(object, &[]).unwrap(), canonical_bytes(&v).unwrap());
    }
}
