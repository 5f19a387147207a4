//! `RowRangeReader`: one byte range of a row export, read in its own worker. Its summary
//! crosses to the worker that holds the `RowVerifier` as bytes (`RowVerifier.addRange`),
//! joined there in file order; any split gives the report of one pass.

use std::sync::Arc;

use receipt_verify::{head_set_from_bytes, RowRange};
use wasm_bindgen::prelude::*;

use crate::js_error;

/// Reads one range of whole lines of a row export (`push`), handing its findings over as
/// bytes (`takeSummary` while it reads, `finish` at the end) for `RowVerifier.addRange`.
#[wasm_bindgen(js_name = RowRangeReader)]
pub struct RowRangeReader {
    inner: Option<RowRange>,
    /// Rows in the summaries already taken.
    rows_taken: u64,
}

#[wasm_bindgen(js_class = RowRangeReader)]
impl RowRangeReader {
    /// A range of the export `rowsName` that starts at a line's first byte;
    /// `atFileStart` when that is the file's first byte. `heads` is
    /// `RowVerifier.headSet()` of the verifier that joins it.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(js_name = rowsName)] rows_name: &str,
        #[wasm_bindgen(js_name = atFileStart)] at_file_start: bool,
        heads: &[u8],
    ) -> Result<RowRangeReader, JsError> {
        let heads = head_set_from_bytes(heads).map_err(js_error)?;
        Ok(RowRangeReader { inner: Some(RowRange::new(rows_name, at_file_start, Arc::new(heads))), rows_taken: 0 })
    }

    /// Feed the range's next bytes, in any chunking.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), JsError> {
        self.get()?.push(chunk);
        Ok(())
    }

    /// Whether the findings held, by count or by the bytes they keep alive (up to a
    /// 1 MiB line each), should be taken now (`takeSummary`): a reader that does so holds
    /// a bounded amount of memory, whatever its range.
    #[wasm_bindgen(js_name = wantsHandOver)]
    pub fn wants_hand_over(&self) -> bool {
        self.inner.as_ref().is_some_and(RowRange::wants_hand_over)
    }

    /// Rows read so far (blank lines excluded).
    #[wasm_bindgen(js_name = rowsRead)]
    pub fn rows_read(&self) -> f64 {
        (self.rows_taken + self.inner.as_ref().map_or(0, RowRange::rows_read)) as f64
    }

    /// The range so far as bytes, for `RowVerifier.addRange`; reading goes on after it
    /// (the bytes of an unfinished line stay here).
    #[wasm_bindgen(js_name = takeSummary)]
    pub fn take_summary(&mut self) -> Result<Vec<u8>, JsError> {
        let summary = self.get()?.take_summary();
        self.rows_taken += summary.rows();
        Ok(summary.to_bytes())
    }

    /// The rest of the range as bytes (its last line may lack `\n`). The reader is
    /// finished after this.
    pub fn finish(&mut self) -> Result<Vec<u8>, JsError> {
        let range = self.inner.take().ok_or_else(finished)?;
        Ok(range.finish().to_bytes())
    }
}

impl RowRangeReader {
    fn get(&mut self) -> Result<&mut RowRange, JsError> {
        self.inner.as_mut().ok_or_else(finished)
    }
}

fn finished() -> JsError {
    JsError::new("this RowRangeReader has finished; create a new one")
}
