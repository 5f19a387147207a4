//! Receipt files fed in pieces through the JS `Verification` (SPEC.md §15, "Receipt
//! streaming"): `Verification.start(keys)`, then per file and pass `beginReceiptFile`,
//! `pushReceipts` (answering the pending rounds between chunks), `endReceiptFile`; then
//! `endReceipts`, or `beginRows` for a row export. `verifyFiles` (js/webcrypto.js) drives it
//! from `Blob`s.

use receipt_verify::{FileRole, ReceiptPass, Verification};
use wasm_bindgen::prelude::*;

use crate::convert::key_set;
use crate::driver::Driver;
use crate::row_verifier::RowVerifier;

#[wasm_bindgen(js_class = Verification)]
impl Driver {
    /// A verification whose receipt files are fed in pieces, against `keys` (the key files
    /// `verify` takes). Throws if a key file is unusable.
    #[wasm_bindgen(js_name = start)]
    pub fn start_feed(#[wasm_bindgen(unchecked_param_type = "FileInput[]")] keys: JsValue) -> Result<Driver, JsError> {
        let keys = key_set(&keys)?;
        let mut v = Verification::start(keys.keys);
        v.note_skipped_keys(&keys.skipped);
        Ok(Driver::wrap(v))
    }

    /// Start feeding pass `pass` ("shape", "items" or "chain") of receipt file `name` of
    /// `len` bytes; `role` "receipts" reads it as receipts whatever its shape (it then has
    /// no shape pass). Per file in order: shape (unless `role` is "receipts") and items;
    /// then every file's chain pass, in the same order. Throws when out of that order.
    #[wasm_bindgen(js_name = beginReceiptFile)]
    pub fn begin_receipt_file(
        &mut self,
        name: &str,
        len: f64,
        #[wasm_bindgen(unchecked_param_type = "\"receipts\" | null | undefined")] role: Option<String>,
        #[wasm_bindgen(unchecked_param_type = "\"shape\" | \"items\" | \"chain\"")] pass: &str,
    ) -> Result<(), JsError> {
        let role = match role.as_deref() {
            None => FileRole::Auto,
            Some("receipts") => FileRole::Receipts,
            Some(_) => return Err(JsError::new("a file's role must be \"receipts\" or absent")),
        };
        let pass = match pass {
            "shape" => ReceiptPass::Shape,
            "items" => ReceiptPass::Items,
            "chain" => ReceiptPass::Chain,
            _ => return Err(JsError::new("a pass is \"shape\", \"items\" or \"chain\"")),
        };
        // A file size from JS is a whole number of bytes below 2^53.
        if !(len.is_finite() && len >= 0.0 && len.fract() == 0.0) {
            return Err(JsError::new("a file's length must be a whole number of bytes"));
        }
        let v = self.get_mut()?;
        v.begin_receipt_file(name, len as u64, role, pass).map_err(crate::js_error)
    }

    /// The next bytes of the pass begun (any chunking). Then answer the pending rounds
    /// (`pendingCount`, `jobs`, `submit`) until `isDone`; the next chunk may be pushed while
    /// a round is being answered (its jobs do not change: new windows wait behind it), as
    /// `verifyFiles` does, if every round is answered before the chunk after that, which
    /// keeps memory to a few windows of signatures.
    #[wasm_bindgen(js_name = pushReceipts)]
    pub fn push_receipts(&mut self, chunk: &[u8]) -> Result<(), JsError> {
        self.get_mut()?.push_receipts(chunk);
        Ok(())
    }

    /// End the pass begun. Throws when more or fewer bytes came than `len`, or when no
    /// pass is begun.
    #[wasm_bindgen(js_name = endReceiptFile)]
    pub fn end_receipt_file(&mut self) -> Result<(), JsError> {
        self.get_mut()?.end_receipt_file().map_err(crate::js_error)
    }

    /// Every receipt file is fed: the chain's and the approvals' findings, and the last
    /// window of signatures (answer it as before). `report` does this if not done before.
    /// Throws when a receipt file was not read in full (a pass short, or a file without its
    /// items or chain pass); the report then fails `input.read` whatever comes next.
    #[wasm_bindgen(js_name = endReceipts)]
    pub fn end_receipts(&mut self) -> Result<(), JsError> {
        self.get_mut()?.end_receipts().map_err(crate::js_error)
    }

    /// Items of the receipt files read so far (their items passes), for progress.
    #[wasm_bindgen(js_name = receiptsRead)]
    pub fn receipts_read(&self) -> f64 {
        self.peek().map_or(0.0, |v| v.items_read() as f64)
    }

    /// End the receipts and start a row export called `rowsName` (default "rows"): the
    /// `RowVerifier` it returns goes on (`push`, `finishAsync`, …). Answer this
    /// Verification's pending rounds first: they move over with it. This Verification is
    /// finished after this. Throws as `endReceipts` does when a receipt file was not read
    /// in full.
    #[wasm_bindgen(js_name = beginRows)]
    pub fn begin_rows(
        &mut self,
        #[wasm_bindgen(js_name = rowsName)] rows_name: Option<String>,
    ) -> Result<RowVerifier, JsError> {
        // Refused before it is taken, so `report` still gives the input.read failure.
        self.get_mut()?.end_receipts().map_err(crate::js_error)?;
        let mut v = self.take()?;
        v.begin_rows(rows_name.as_deref().unwrap_or("rows"));
        Ok(RowVerifier::wrap(v))
    }
}
