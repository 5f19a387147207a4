//! `Verification`: the step-by-step driver, for backends that live in JavaScript
//! (WebCrypto, `js/webcrypto.js`). The core prepares every job; JS only answers each with
//! valid, invalid or unavailable, round after round, then takes the report.

use receipt_verify::{Alg, Verification};
use wasm_bindgen::prelude::*;

use crate::{fallback_backend, start, to_js};

/// Most bytes of distinct messages one window of jobs copies out of the module.
const WINDOW_BYTES: usize = 64 << 20;

/// The answers `submit` takes, one byte per job.
const INVALID: u8 = 0;
const VALID: u8 = 1;
const UNAVAILABLE: u8 = 2;

/// A verification whose signature jobs are answered from JavaScript.
#[wasm_bindgen(js_name = Verification)]
pub struct Driver {
    inner: Option<Verification>,
}

impl Driver {
    pub(crate) fn wrap(v: Verification) -> Driver {
        Driver { inner: Some(v) }
    }

    fn get(&self) -> Result<&Verification, JsError> {
        self.inner.as_ref().ok_or_else(finished)
    }

    pub(crate) fn get_mut(&mut self) -> Result<&mut Verification, JsError> {
        self.inner.as_mut().ok_or_else(finished)
    }

    pub(crate) fn peek(&self) -> Option<&Verification> {
        self.inner.as_ref()
    }

    /// The verification, leaving this one finished.
    pub(crate) fn take(&mut self) -> Result<Verification, JsError> {
        self.inner.take().ok_or_else(finished)
    }
}

fn finished() -> JsError {
    JsError::new("this Verification has finished; create a new one")
}

#[wasm_bindgen(js_class = Verification)]
impl Driver {
    /// Parse the receipts, keys and rows (as `verify` takes them) and run every check that
    /// needs no signature. Throws if a key file is unusable.
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(unchecked_param_type = "VerifyInput")] input: JsValue) -> Result<Driver, JsError> {
        start(&input).map(Driver::wrap)
    }

    /// The keys jobs refer to, by index: `{fingerprint, spki}` (SPKI DER, what WebCrypto
    /// imports). Keys with one fingerprint are one key.
    #[wasm_bindgen(unchecked_return_type = "{ fingerprint: string; spki: Uint8Array }[]")]
    pub fn keys(&self) -> Result<js_sys::Array, JsError> {
        let out = js_sys::Array::new();
        for key in self.get()?.keys() {
            let entry = js_sys::Object::new();
            set(&entry, "fingerprint", &key.fingerprint.to_string().into())?;
            set(&entry, "spki", &js_sys::Uint8Array::from(key.spki_der.as_slice()))?;
            out.push(&entry);
        }
        Ok(out)
    }

    /// Whether every round has been answered.
    #[wasm_bindgen(js_name = isDone)]
    pub fn is_done(&self) -> bool {
        self.inner.as_ref().is_none_or(Verification::is_done)
    }

    /// How many jobs the current round has.
    #[wasm_bindgen(js_name = pendingCount)]
    pub fn pending_count(&self) -> usize {
        self.inner.as_ref().map_or(0, |v| v.pending_jobs().len())
    }

    /// Jobs `start..end` of the current round (or fewer: see below), in columns, so a
    /// window of jobs crosses into JS in a few copies: `key` (indices into `keys()`), `alg`
    /// (0 RS256, 1 PS256, 2 ES256), the prepared signatures concatenated with where each
    /// ends, and the signed messages. Jobs that try one signature under several keys share
    /// one message, so such a run of jobs copies it once (`message`, message m ending at
    /// `messageEnd[m]`) and `messageIndex[i]` names job i's. A window stops before a job
    /// whose new message would take it past 64 MiB (`WINDOW_BYTES`), so it always holds at least
    /// one job: the caller goes on from `start + key.length`. ES256 signatures are `r ‖ s`.
    #[wasm_bindgen(unchecked_return_type = "PendingJobs")]
    pub fn jobs(&self, start: usize, end: usize) -> Result<js_sys::Object, JsError> {
        let all = self.get()?.pending_jobs();
        let jobs = all.get(start..end.min(all.len())).unwrap_or_default();
        // Jobs of one signature under several keys come one after another, so comparing
        // with the previous job's message finds every sharing (a map cost 340 bytes of wasm).
        let mut last: Option<(*const (), u32)> = None;
        let (mut keys, mut algs, mut message_index) = (Vec::new(), Vec::new(), Vec::new());
        let (mut messages, mut message_ends) = (Vec::new(), Vec::new());
        let (mut signatures, mut signature_ends) = (Vec::new(), Vec::new());
        let too_large = || JsError::new("jobs too large");
        for job in jobs {
            let index = match last {
                Some((ptr, i)) if ptr == job.message.as_ptr() => i,
                _ => {
                    if !keys.is_empty() && messages.len() + job.message.len() > WINDOW_BYTES {
                        break;
                    }
                    job.message.parts().for_each(|p| messages.extend_from_slice(p));
                    message_ends.push(u32::try_from(messages.len()).map_err(|_| too_large())?);
                    let i = u32::try_from(message_ends.len() - 1).map_err(|_| too_large())?;
                    last = Some((job.message.as_ptr(), i));
                    i
                }
            };
            message_index.push(index);
            keys.push(u32::try_from(job.key).map_err(|_| JsError::new("too many keys"))?);
            algs.push(match job.alg {
                Alg::Rs256 => 0u8,
                Alg::Ps256 => 1,
                Alg::Es256 => 2,
            });
            signatures.extend_from_slice(&job.signature);
            signature_ends.push(u32::try_from(signatures.len()).map_err(|_| too_large())?);
        }
        let out = js_sys::Object::new();
        set(&out, "key", &js_sys::Uint32Array::from(keys.as_slice()))?;
        set(&out, "alg", &js_sys::Uint8Array::from(algs.as_slice()))?;
        set(&out, "message", &js_sys::Uint8Array::from(messages.as_slice()))?;
        set(&out, "messageEnd", &js_sys::Uint32Array::from(message_ends.as_slice()))?;
        set(&out, "messageIndex", &js_sys::Uint32Array::from(message_index.as_slice()))?;
        set(&out, "signature", &js_sys::Uint8Array::from(signatures.as_slice()))?;
        set(&out, "signatureEnd", &js_sys::Uint32Array::from(signature_ends.as_slice()))?;
        Ok(out)
    }

    /// Answer every job of the current round, in order: 0 invalid, 1 valid, 2 the backend
    /// could not check it. Throws, changing nothing, unless there is one answer per job.
    pub fn submit(&mut self, outcomes: &[u8]) -> Result<(), JsError> {
        use receipt_verify::SignatureOutcome::{Invalid, Unavailable, Valid};
        let outcomes = outcomes
            .iter()
            .map(|o| match *o {
                INVALID => Ok(Invalid),
                VALID => Ok(Valid),
                UNAVAILABLE => Ok(Unavailable),
                other => Err(JsError::new(&format!("unknown outcome {other}: use 0 invalid, 1 valid, 2 unavailable"))),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let v = self.inner.as_mut().ok_or_else(finished)?;
        v.submit(outcomes).map_err(crate::js_error)
    }

    /// The report, naming `backend` as the one that answered. Signatures whose rounds were
    /// never answered stay failed. The Verification is finished after this.
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn report(&mut self, backend: &str) -> Result<JsValue, JsError> {
        let v = self.inner.take().ok_or_else(finished)?;
        to_js(&v.into_report(backend))
    }

    /// Answer the pending rounds in this module's RustCrypto, for a fed verification where
    /// WebCrypto is missing. Throws if the backend broke down. Only in builds with RustCrypto.
    #[cfg(feature = "rustcrypto")]
    #[wasm_bindgen(js_name = answerHere)]
    pub fn answer_here(&mut self) -> Result<(), JsError> {
        use receipt_verify::SignatureBackend;
        let v = self.inner.as_mut().ok_or_else(finished)?;
        let backend = fallback_backend();
        while !v.is_done() {
            let outcomes = backend.verify_batch(v.keys(), v.pending_jobs());
            v.submit(outcomes).map_err(crate::js_error)?;
        }
        Ok(())
    }

    /// Answer every round in this module (RustCrypto, where the build has it) and return
    /// the report, synchronously.
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn finish(&mut self) -> Result<JsValue, JsError> {
        let v = self.inner.take().ok_or_else(finished)?;
        to_js(&v.finish_with(&fallback_backend()))
    }
}

fn set(target: &js_sys::Object, name: &str, value: &JsValue) -> Result<(), JsError> {
    js_sys::Reflect::set(target, &name.into(), value).map(drop).map_err(|_| JsError::new("cannot build the job list"))
}
