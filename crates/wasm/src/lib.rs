//! JavaScript bindings for `receipt-verify`: the only crate that knows about JS.
//!
//! Every function returns plain JS values (the same report `receipt verify --json`
//! prints) or throws a JS `Error` whose message is the core's `Display` text. Nothing
//! here panics on input, and nothing is logged to the console.

mod convert;
mod driver;
mod feed;
#[cfg(feature = "ranges")]
mod row_range;
mod row_verifier;

pub use driver::Driver;
#[cfg(feature = "ranges")]
pub use row_range::RowRangeReader;
pub use row_verifier::RowVerifier;

use receipt_verify::{
    inspect as inspect_file, parse_keys, pick_item, visible, Error, PublicKey, ReceiptError, SignatureBackend,
    SignatureJob, SignatureOutcome, Verification,
};
use wasm_bindgen::prelude::*;

use convert::{files, key_set, one_file, to_js};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("types.d.ts");

/// Verify receipts (and, optionally, a row export) against public keys, synchronously with
/// the module's own backend (RustCrypto). Returns the report `receipt verify --json`
/// prints; throws if a key is unusable. `verifyAsync` (js/webcrypto.js) is the fast path.
#[wasm_bindgen(unchecked_return_type = "Report")]
pub fn verify(#[wasm_bindgen(unchecked_param_type = "VerifyInput")] input: JsValue) -> Result<JsValue, JsError> {
    to_js(&start(&input)?.finish_with(&fallback_backend()))
}

/// Bytes of this instance's WebAssembly memory (`memory.buffer.byteLength`), for the
/// page's record of memory per worker; 0 outside WebAssembly.
#[wasm_bindgen(js_name = wasmMemoryBytes)]
pub fn wasm_memory_bytes() -> f64 {
    #[cfg(target_arch = "wasm32")]
    return (core::arch::wasm32::memory_size(0) as f64) * 65536.0;
    #[cfg(not(target_arch = "wasm32"))]
    return 0.0;
}

/// Whether this build can check signatures without WebCrypto (it holds RustCrypto).
#[wasm_bindgen(js_name = canVerifyWithoutWebCrypto)]
pub fn can_verify_without_webcrypto() -> bool {
    cfg!(feature = "rustcrypto")
}

/// Parse `{receipts, keys, rows?}` and run every check that needs no signature.
pub(crate) fn start(input: &JsValue) -> Result<Verification, JsError> {
    if !input.is_object() {
        return Err(JsError::new("expected { receipts, keys, rows? }"));
    }
    let receipts = files(&js_sys::Reflect::get(input, &"receipts".into()).unwrap_or(JsValue::UNDEFINED), "receipt")?;
    let keys = key_set(&js_sys::Reflect::get(input, &"keys".into()).unwrap_or(JsValue::UNDEFINED))?;
    let rows = js_sys::Reflect::get(input, &"rows".into()).unwrap_or(JsValue::UNDEFINED);
    let rows = if rows.is_undefined() || rows.is_null() { None } else { Some(one_file(&rows, "rows")?) };
    let mut v = Verification::new(keys.keys, &receipts);
    v.note_skipped_keys(&keys.skipped);
    if let Some(rows) = rows {
        v.begin_rows(&rows.name);
        v.push_rows(&rows.bytes);
        v.end_rows();
    }
    Ok(v)
}

/// The backend this module runs by itself: RustCrypto, or in a build without it one that
/// checks nothing, so every signature fails as "not checked" and the report says so.
#[cfg(feature = "rustcrypto")]
pub(crate) fn fallback_backend() -> receipt_verify::RustCryptoBackend {
    receipt_verify::RustCryptoBackend
}

#[cfg(not(feature = "rustcrypto"))]
pub(crate) fn fallback_backend() -> NoBackend {
    NoBackend
}

/// A backend that can check nothing (a build without RustCrypto, where WebCrypto is missing).
pub struct NoBackend;

impl SignatureBackend for NoBackend {
    fn name(&self) -> &'static str {
        "none (no WebCrypto in this browser, and this build has no other)"
    }
    fn verify_batch(&self, _: &[PublicKey], jobs: &[SignatureJob]) -> Vec<SignatureOutcome> {
        vec![SignatureOutcome::Unavailable; jobs.len()]
    }
}

/// The exact signed bytes `M` of a single receipt, as a string.
#[wasm_bindgen]
pub fn manifest(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] receipt: JsValue,
) -> Result<String, JsError> {
    let file = one_file(&receipt, "receipt")?;
    let (count, item) = pick_item(&file.name, &file.bytes, None);
    let item = item.filter(|_| count == 1).ok_or_else(|| js_error(ReceiptError::NotExactlyOne { count }.into()))?;
    let value = item.value.map_err(|e| js_error(e.into()))?;
    let bytes = receipt_verify::manifest_of(&value).map_err(js_error)?;
    String::from_utf8(bytes).map_err(|e| JsError::new(&e.to_string()))
}

/// SPKI SHA-256 fingerprint (hex) of the key in a key file. For a file with several keys,
/// one line per key: `fingerprint  kid`, the kid escaped as the CLI prints it (a kid holding
/// a line break cannot forge another key's line).
#[wasm_bindgen]
pub fn fingerprint(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] key: JsValue,
) -> Result<String, JsError> {
    let file = one_file(&key, "key")?;
    let keys = parse_keys(&file.bytes, &file.name).map_err(|e| js_error(e.into()))?;
    Ok(match keys.as_slice() {
        [only] => only.fingerprint.to_string(),
        many => many
            .iter()
            .map(|k| format!("{}  {}", k.fingerprint, visible(k.kid.as_deref().unwrap_or("(no kid)"))))
            .collect::<Vec<_>>()
            .join("\n"),
    })
}

/// What a file is: a receipt, a chain, approvals, a row export or keys (with kid and
/// fingerprint), or why it is none of those.
#[wasm_bindgen(unchecked_return_type = "Inspection")]
pub fn inspect(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] file: JsValue,
) -> Result<JsValue, JsError> {
    let file = one_file(&file, "file")?;
    to_js(&inspect_file(&file.bytes))
}

/// What a file of `total` bytes is, from its first bytes (`head`, about 64 KiB): counts
/// are estimates and the label says "about". `null` when the head does not tell; then
/// inspect the whole file.
#[wasm_bindgen(js_name = inspectHead, unchecked_return_type = "Inspection | null")]
pub fn inspect_head(head: &[u8], total: f64) -> Result<JsValue, JsError> {
    // A file size from JS is a whole number of bytes below 2^53.
    let total = if total.is_finite() && total >= 0.0 { total as u64 } else { 0 };
    match receipt_verify::inspect_head(head, total) {
        Some(inspection) => to_js(&inspection),
        None => Ok(JsValue::NULL),
    }
}

pub(crate) fn js_error(e: Error) -> JsError {
    JsError::new(&e.to_string())
}

/// SHA-256 of `bytes`: how `verifyFiles` compares its passes over a file (each slice's
/// digest, SPEC.md §15) where WebCrypto is missing.
#[wasm_bindgen]
pub fn sha256(bytes: &[u8]) -> Vec<u8> {
    receipt_verify::Hash::sha256(bytes).0.to_vec()
}
