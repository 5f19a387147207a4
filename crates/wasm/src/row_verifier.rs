//! `RowVerifier`: stream a row export in chunks of any size against receipts.

use receipt_verify::Verification;
use wasm_bindgen::prelude::*;

use crate::convert::{files, key_set, to_js};
use crate::driver::Driver;
use crate::fallback_backend;

/// Verifies a row export fed in chunks (`push`), then returns the full report (`finish`).
/// Memory is bounded by the longest line, not by the export.
#[wasm_bindgen]
pub struct RowVerifier {
    inner: Option<Verification>,
}

impl RowVerifier {
    /// A verification whose row export has begun (`Verification.beginRows`).
    pub(crate) fn wrap(v: Verification) -> RowVerifier {
        RowVerifier { inner: Some(v) }
    }
}

#[wasm_bindgen]
impl RowVerifier {
    /// `receipts` and `keys` take the same file values as `verify`; `rowsName` names the
    /// export in the report (default `"rows"`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "FileInput[]")] receipts: JsValue,
        #[wasm_bindgen(unchecked_param_type = "FileInput[]")] keys: JsValue,
        #[wasm_bindgen(js_name = rowsName)] rows_name: Option<String>,
    ) -> Result<RowVerifier, JsError> {
        let receipts = files(&receipts, "receipt")?;
        let keys = key_set(&keys)?;
        let mut v = Verification::new(keys.keys, &receipts);
        v.note_skipped_keys(&keys.skipped);
        v.begin_rows(rows_name.as_deref().unwrap_or("rows"));
        Ok(RowVerifier { inner: Some(v) })
    }

    /// Feed the next bytes. Boundaries may fall anywhere, even inside a UTF-8 sequence.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), JsError> {
        match self.inner.as_mut() {
            Some(v) => {
                v.push_rows(chunk);
                Ok(())
            }
            None => Err(finished()),
        }
    }

    /// Rows read so far, pushed or joined (blank lines excluded), for progress.
    #[wasm_bindgen(js_name = rowsRead)]
    pub fn rows_read(&self) -> f64 {
        self.inner.as_ref().map_or(0.0, |v| v.rows_read() as f64)
    }

    /// Finish the export, verify every signature with the module's own backend
    /// (RustCrypto), and return the report. `finishAsync` (js/webcrypto.js) uses WebCrypto.
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn finish(&mut self) -> Result<JsValue, JsError> {
        let v = self.inner.take().ok_or_else(|| JsError::new("this RowVerifier has already finished"))?;
        to_js(&v.finish_with(&fallback_backend()))
    }

    /// Finish the export and hand its signature jobs over as a `Verification`, for a
    /// backend in JavaScript. The RowVerifier is finished after this.
    #[wasm_bindgen(js_name = intoVerification)]
    pub fn into_verification(&mut self) -> Result<Driver, JsError> {
        let mut v = self.inner.take().ok_or_else(|| JsError::new("this RowVerifier has already finished"))?;
        v.end_rows();
        Ok(Driver::wrap(v))
    }
}

/// Rows on several workers (the `ranges` feature; web/worker.js).
#[cfg(feature = "ranges")]
#[wasm_bindgen]
impl RowVerifier {
    /// The receipts' sealed heads as bytes, for the `RowRangeReader`s of other workers.
    #[wasm_bindgen(js_name = headSet)]
    pub fn head_set(&self) -> Result<Vec<u8>, JsError> {
        let v = self.inner.as_ref().ok_or_else(finished)?;
        Ok(receipt_verify::head_set_to_bytes(&v.row_head_set()))
    }

    /// Join a range read by a `RowRangeReader` (its `takeSummary` or `finish` bytes), after
    /// everything pushed so far. Ranges come in file order; bytes pushed before must end
    /// with a whole line. Throws, changing nothing, on bytes no reader wrote.
    #[wasm_bindgen(js_name = addRange)]
    pub fn add_range(&mut self, summary: &[u8]) -> Result<(), JsError> {
        let range = receipt_verify::RangeSummary::from_bytes(summary).map_err(crate::js_error)?;
        self.inner.as_mut().ok_or_else(finished)?.add_row_range(range);
        Ok(())
    }
}

fn finished() -> JsError {
    JsError::new("this RowVerifier has finished; create a new one")
}
