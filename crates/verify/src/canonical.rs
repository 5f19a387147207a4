//! Canonical bytes: RFC 8785 (JSON Canonicalization Scheme) of an already strictly
//! parsed value, written in one pass.
//!
//! Hand-written for size and speed, not for want of a crate: `serde_json_canonicalizer`
//! re-reads every member name with a second serde_json reader (to sort it) and buffers
//! each object before writing it: replacing it took 5,096 bytes off the gzipped
//! bindings wasm (196,920 → 191,824, measured 2026-12-02). Numbers are still formatted by `ryu-js`, the ECMAScript writer the
//! crate uses. It stays the reference: `tests/jcs-reference` (its own workspace: the crate turns on serde_json's
//! `float_roundtrip`, which the product does not ship) compares the two on
//! generated values, and `tests/jcs.rs` checks the RFC 8785 data byte for byte.

use serde_json::{Map, Number, Value};

use crate::error::JsonError;

/// RFC 8785 canonical UTF-8 bytes of `value`.
pub fn canonical_bytes(value: &Value) -> Result<Vec<u8>, JsonError> {
    let mut out = Vec::new();
    write_value(&mut out, value)?;
    Ok(out)
}

/// RFC 8785 bytes of an object with some top-level members left out. This is how every
/// signed manifest and row hash in SPEC.md is formed.
/// The object is not copied: a large receipt would otherwise cost its size once more.
pub fn canonical_without(object: &Map<String, Value>, leave_out: &[&str]) -> Result<Vec<u8>, JsonError> {
    let mut out = Vec::new();
    write_object(&mut out, object.iter().filter(|(k, _)| !leave_out.contains(&k.as_str())))?;
    Ok(out)
}

/// RFC 8785's form of one number: the ECMAScript form of its double (§3.2.2.3).
pub(crate) fn canonical_number(number: &Number) -> Result<String, JsonError> {
    let mut out = Vec::new();
    write_number(&mut out, number)?;
    String::from_utf8(out).map_err(|_| JsonError::Canonicalize("a number was written as non-UTF-8".into()))
}

fn write_value(out: &mut Vec<u8>, value: &Value) -> Result<(), JsonError> {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(n) => write_number(out, n)?,
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_value(out, item)?;
            }
            out.push(b']');
        }
        Value::Object(object) => write_object(out, object.iter())?,
    }
    Ok(())
}

/// Members sorted by their names as UTF-16 code units (RFC 8785 §3.2.3).
fn write_object<'a>(
    out: &mut Vec<u8>,
    members: impl Iterator<Item = (&'a String, &'a Value)>,
) -> Result<(), JsonError> {
    let mut sorted: Vec<(&String, &Value)> = members.collect();
    sorted.sort_unstable_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
    out.push(b'{');
    for (i, (name, value)) in sorted.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_string(out, name);
        out.push(b':');
        write_value(out, value)?;
    }
    out.push(b'}');
    Ok(())
}

/// A string as ECMAScript's `JSON.stringify` writes it (RFC 8785 §3.2.2.2): `"` and `\`
/// escaped, the controls below U+0020 as `\b \t \n \f \r` or `\u00xx`, the rest as is.
fn write_string(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let mut plain_from = 0;
    for (at, b) in s.bytes().enumerate() {
        let short: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            b'\t' => b"\\t",
            b'\n' => b"\\n",
            0x0C => b"\\f",
            b'\r' => b"\\r",
            0x00..=0x1F => b"",
            _ => continue,
        };
        out.extend_from_slice(s.as_bytes().get(plain_from..at).unwrap_or_default());
        plain_from = at + 1;
        if short.is_empty() {
            let hex = |nibble: u8| HEX.get(usize::from(nibble)).copied().unwrap_or(b'0');
            out.extend_from_slice(&[b'\\', b'u', b'0', b'0', hex(b >> 4), hex(b & 0x0F)]);
        } else {
            out.extend_from_slice(short);
        }
    }
    out.extend_from_slice(s.as_bytes().get(plain_from..).unwrap_or_default());
    out.push(b'"');
}

/// Integers below 2^53 are doubles exactly and ECMAScript writes them as decimal
/// integers; everything else goes through the double and `ryu-js`.
fn write_number(out: &mut Vec<u8>, number: &Number) -> Result<(), JsonError> {
    const EXACT: u64 = 1 << 53;
    let (negative, magnitude) = match (number.as_u64(), number.as_i64()) {
        (Some(u), _) => (false, Some(u)),
        (None, Some(i)) => (true, Some(i.unsigned_abs())),
        _ => (false, None),
    };
    match magnitude {
        Some(m) if m < EXACT => {
            if negative && m != 0 {
                out.push(b'-');
            }
            write_decimal(out, m);
        }
        _ => {
            let f = number.as_f64().filter(|f| f.is_finite()).ok_or_else(|| {
                JsonError::Canonicalize("NaN and ±Infinity have no JSON form (RFC 8785 §3.2.2.3)".into())
            })?;
            out.extend_from_slice(ryu_js::Buffer::new().format_finite(f).as_bytes());
        }
    }
    Ok(())
}

fn write_decimal(out: &mut Vec<u8>, mut m: u64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        if let Some(d) = digits.get_mut(start) {
            *d = b'0' + (m % 10) as u8;
        }
        m /= 10;
        if m == 0 || start == 0 {
            break;
        }
    }
    out.extend_from_slice(digits.get(start..).unwrap_or_default());
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

    #[test]
    fn names_sort_by_utf16_and_strings_escape_as_ecmascript_does() {
        // U+1F600 (surrogates D83D DE00) sorts before U+E000 in UTF-16, after it in UTF-8.
        let v =
            serde_json::json!({"\u{e000}": 1, "\u{1f600}": 2, "b": "\u{1}\"\\\u{8}\t\n\u{c}\r\u{1f}\u{7f}/", "a": -0});
        let got = String::from_utf8(canonical_bytes(&v).unwrap()).unwrap();
        assert_eq!(
            got,
            "{\"a\":0,\"b\":\"\\u0001\\\"\\\\\\b\\t\\n\\f\\r\\u001f\u{7f}/\",\"\u{1f600}\":2,\"\u{e000}\":1}"
        );
    }

    #[test]
    fn integers_are_written_as_their_doubles() {
        let n = |v: Value| String::from_utf8(canonical_bytes(&v).unwrap()).unwrap();
        assert_eq!(n(serde_json::json!(0)), "0");
        assert_eq!(n(serde_json::json!(-7)), "-7");
        assert_eq!(n(serde_json::json!(9_007_199_254_740_991u64)), "9007199254740991");
        // 2^53 + 1 and beyond: the double's form, as ECMAScript writes it.
        assert_eq!(n(serde_json::json!(9_007_199_254_740_993u64)), "9007199254740992");
        assert_eq!(n(serde_json::json!(u64::MAX)), "18446744073709552000");
        assert_eq!(n(serde_json::json!(i64::MIN)), "-9223372036854776000");
        assert_eq!(n(serde_json::json!(1e21)), "1e+21");
        assert_eq!(n(serde_json::json!(0.1)), "0.1");
    }
}
