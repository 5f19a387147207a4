//! The page's side of the verification worker: starts `worker.js` as a module worker,
//! queues requests until it says "ready", transfers file bytes, and restarts it to cancel.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

use super::payload::Payload;
use crate::protocol::{Request, Response};

type Handler = Rc<dyn Fn(Response)>;

/// How long a cancelled request may take to stop before its worker is replaced.
const CANCEL_GRACE_MS: i32 = 1500;
type MessageClosure = Closure<dyn FnMut(MessageEvent)>;
type ErrorClosure = Closure<dyn FnMut(web_sys::Event)>;

struct Inner {
    url: String,
    worker: RefCell<Option<Worker>>,
    ready: Cell<bool>,
    /// The verify request being cancelled, until the worker says it stopped.
    cancelling: Cell<Option<u32>>,
    queue: RefCell<Vec<js_sys::Array>>,
    handler: Handler,
    /// Told when a Cancel that went unanswered replaced the worker: what was sent to the
    /// old one is lost, and the caller must send it again.
    replaced: RefCell<Option<Rc<dyn Fn()>>>,
    // Kept alive as long as the worker it is attached to.
    on_message: RefCell<Option<MessageClosure>>,
    on_error: RefCell<Option<ErrorClosure>>,
}

/// A handle to the verification worker. Cheap to clone.
#[derive(Clone)]
pub struct VerifyWorker(Rc<Inner>);

impl VerifyWorker {
    /// Start the worker at `url` (e.g. `./worker.js`); every response goes to `handler`.
    pub fn start(url: &str, handler: impl Fn(Response) + 'static) -> Result<Self, String> {
        let w = VerifyWorker(Rc::new(Inner {
            url: url.to_string(),
            worker: RefCell::new(None),
            ready: Cell::new(false),
            cancelling: Cell::new(None),
            queue: RefCell::new(Vec::new()),
            handler: Rc::new(handler),
            replaced: RefCell::new(None),
            on_message: RefCell::new(None),
            on_error: RefCell::new(None),
        }));
        w.spawn()?;
        Ok(w)
    }

    fn spawn(&self) -> Result<(), String> {
        let opts = WorkerOptions::new();
        opts.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(&self.0.url, &opts)
            .map_err(|e| format!("cannot start the verification worker: {}", describe(&e)))?;
        let weak = Rc::downgrade(&self.0);
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let Some(inner) = weak.upgrade() else { return };
            let text = event.data().as_string().unwrap_or_default();
            match Response::parse(&text) {
                Ok(Response::Ready) => {
                    inner.ready.set(true);
                    let queued: Vec<js_sys::Array> = inner.queue.borrow_mut().drain(..).collect();
                    if let Some(worker) = inner.worker.borrow().as_ref() {
                        for message in queued {
                            post(worker, &message);
                        }
                    }
                }
                Ok(response) => {
                    if let Response::Cancelled { id } | Response::Report { id, .. } = &response {
                        if inner.cancelling.get() == Some(*id) {
                            inner.cancelling.set(None);
                        }
                    }
                    (inner.handler)(response)
                }
                Err(message) => (inner.handler)(Response::Error { id: -1, message, fatal: false }),
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // A worker that cannot load (missing file, blocked by a CSP) would otherwise leave
        // the widget waiting for ever.
        let weak = Rc::downgrade(&self.0);
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            event.prevent_default();
            let Some(inner) = weak.upgrade() else { return };
            let detail = event.dyn_ref::<web_sys::ErrorEvent>().map(|e| e.message()).unwrap_or_default();
            let message = format!("the verification worker failed ({}): {detail}", inner.url);
            // A worker that had started and then died (e.g. out of memory) is replaced; one
            // that never started would only fail again.
            let fatal = inner.ready.get();
            (inner.handler)(Response::Error { id: -1, message, fatal });
        });
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        *self.0.on_error.borrow_mut() = Some(on_error);
        self.0.ready.set(false);
        *self.0.on_message.borrow_mut() = Some(on_message);
        *self.0.worker.borrow_mut() = Some(worker);
        Ok(())
    }

    /// Send a request with its files: bytes (copied, then transferred) or the browser's
    /// handles on large files (shared, never read here).
    pub fn send(&self, request: &Request, files: &[Payload]) {
        let message = js_sys::Array::new();
        message.push(&JsValue::from_str(&request.header()));
        for file in files {
            message.push(&file.to_js());
        }
        if self.0.ready.get() {
            if let Some(worker) = self.0.worker.borrow().as_ref() {
                post(worker, &message);
            }
        } else {
            self.0.queue.borrow_mut().push(message);
        }
    }

    /// Stop verify request `id`. The worker stops at the next slice of its row export and
    /// stays up, so nothing is loaded again (the page's "no request after load"). A worker
    /// that has not stopped within 1.5 s (`CANCEL_GRACE_MS`) is in one long step (say, reading a
    /// huge receipt file) and is replaced, which loads its script and wasm again.
    pub fn cancel(&self, id: u32) {
        self.0.cancelling.set(Some(id));
        self.send(&Request::Cancel { id }, &[]);
        let weak = Rc::downgrade(&self.0);
        let check = Closure::once_into_js(move || {
            let Some(inner) = weak.upgrade() else { return };
            if inner.cancelling.get() == Some(id) {
                inner.cancelling.set(None);
                let replaced = inner.replaced.borrow().clone();
                let _ = VerifyWorker(inner).restart();
                if let Some(replaced) = replaced {
                    replaced();
                }
            }
        });
        if let Some(window) = web_sys::window() {
            let _ =
                window.set_timeout_with_callback_and_timeout_and_arguments_0(check.unchecked_ref(), CANCEL_GRACE_MS);
        }
    }

    /// Call `f` after a Cancel the worker did not answer in time replaced it (red team 14:
    /// requests sent after the Cancel went with the old worker, and the page waited for ever).
    pub fn on_replaced(&self, f: impl Fn() + 'static) {
        *self.0.replaced.borrow_mut() = Some(Rc::new(f));
    }

    /// Stop whatever the worker is doing by replacing it with a fresh one.
    pub fn restart(&self) -> Result<(), String> {
        if let Some(worker) = self.0.worker.borrow_mut().take() {
            worker.terminate();
        }
        self.0.queue.borrow_mut().clear();
        self.spawn()
    }
}

/// Post `[header, ...bytes]`, transferring the byte buffers instead of copying them again.
fn post(worker: &Worker, message: &js_sys::Array) {
    let transfer = js_sys::Array::new();
    for item in message.iter().skip(1) {
        if let Some(bytes) = item.dyn_ref::<js_sys::Uint8Array>() {
            transfer.push(&bytes.buffer());
        }
    }
    // A failed post (e.g. a detached buffer) shows as a request that never answers; the
    // visitor can cancel it. There is nothing better to do with the error here.
    let _ = worker.post_message_with_transfer(message, &transfer);
}

fn describe(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_else(|| format!("{e:?}"))
}
