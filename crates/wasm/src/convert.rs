//! JS values ⇄ core types. Input files are `string | Uint8Array | {name, data, role?}`.

use receipt_verify::{parse_key_file, FileRole, InputFile, KeyFile};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// One file: a string (UTF-8), a `Uint8Array`, or `{name, data}` with either.
pub(crate) fn one_file(value: &JsValue, default_name: &str) -> Result<InputFile, JsError> {
    if let Some(s) = value.as_string() {
        return Ok(InputFile::new(default_name, s.into_bytes()));
    }
    if let Some(bytes) = value.dyn_ref::<js_sys::Uint8Array>() {
        return Ok(InputFile::new(default_name, bytes.to_vec()));
    }
    if value.is_object() {
        let name = js_sys::Reflect::get(value, &"name".into()).ok().and_then(|n| n.as_string());
        let data = js_sys::Reflect::get(value, &"data".into()).unwrap_or(JsValue::UNDEFINED);
        if let (Some(name), false) = (name, data.is_undefined()) {
            if data.is_object() && data.dyn_ref::<js_sys::Uint8Array>().is_none() {
                return Err(JsError::new("a file's data must be a string or a Uint8Array"));
            }
            let role = match js_sys::Reflect::get(value, &"role".into()).ok().filter(|r| !r.is_undefined()) {
                None => FileRole::Auto,
                Some(r) if r.as_string().as_deref() == Some("receipts") => FileRole::Receipts,
                Some(_) => return Err(JsError::new("a file's role must be \"receipts\" or absent")),
            };
            return one_file(&data, &name).map(|f| InputFile::new(name, f.bytes).with_role(role));
        }
    }
    Err(JsError::new("expected a file: a string, a Uint8Array, or {name, data}"))
}

/// A list of files; entries without a name are called `{prefix}-1`, `{prefix}-2`, …
pub(crate) fn files(value: &JsValue, prefix: &str) -> Result<Vec<InputFile>, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(Vec::new());
    }
    if !js_sys::Array::is_array(value) {
        return Err(JsError::new(&format!("expected an array of {prefix} files")));
    }
    js_sys::Array::from(value).iter().enumerate().map(|(i, v)| one_file(&v, &format!("{prefix}-{}", i + 1))).collect()
}

/// Parse every key file; an unusable one, or too many keys, throws, like `receipt
/// verify` exits 2. Keys that cannot verify come back as skipped (`key.skipped` notes).
pub(crate) fn key_set(value: &JsValue) -> Result<KeyFile, JsError> {
    let mut keys = KeyFile::default();
    for f in files(value, "key")? {
        let parsed = parse_key_file(&f.bytes, &f.name)
            .map_err(|e| JsError::new(&format!("unusable key file {}: {e}", f.name)))?;
        keys.add(parsed).map_err(|e| JsError::new(&format!("key file {}: {e}", f.name)))?;
    }
    Ok(keys)
}

/// Serialize to plain JS objects (maps as objects, numbers as numbers), exactly the JSON
/// the CLI prints: the core's serde_json text handed to `JSON.parse`, which keeps the WASM
/// smaller than a second serializer would and cannot differ from `--json`.
pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    let text = serde_json::to_string(value).map_err(|e| JsError::new(&format!("cannot convert the report: {e}")))?;
    js_sys::JSON::parse(&text).map_err(|_| JsError::new("cannot convert the report: JSON.parse refused it"))
}
