//! The verifier widget: holds [`VerifierModel`], sends what is due to the worker, and
//! renders the model by region. The trust-center page hosts it inside its Leptos app and
//! the embed mounts it alone, so both show the same widget.
//!
//! Where things are: the static DOM in `super::build`, events in `super::events`,
//! file reading in `super::files`, worker messaging in `super::worker`, and the
//! regions' views in `super::chips`, `super::status`, `super::result` and
//! `super::yourself`. A region is rebuilt only when what it shows changed (a progress
//! tick moves the bar and nothing else).

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::rc::{Rc, Weak};
use std::sync::Arc;

use wasm_bindgen::prelude::*;
use web_sys::{Element, Node};

use super::build::{alert, build, Parts};
use super::dom::{replace, Js};
use super::model::{Phase, PublishedKeys, VerifierModel, PUBLISHED_ID};
use super::payload::Payload;
use super::worker::VerifyWorker;
use super::{chips, result, status, yourself};
use crate::protocol::{Request, Response};
use crate::report::Inspection;

/// A demo file: name and bytes.
pub type DemoFile = (String, Arc<Vec<u8>>);

/// The demo buttons' files: a set that verifies and, optionally, one that does not.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Demo {
    /// Loaded by "Try the demo".
    pub good: Vec<DemoFile>,
    /// Loaded by "Try a tampered receipt" (no button when empty).
    pub tampered: Vec<DemoFile>,
}

/// How the widget is set up by the page or the embed.
#[derive(Clone, Debug, PartialEq)]
pub struct VerifierOptions {
    /// URL of `worker.js`.
    pub worker_url: String,
    /// The vendor's published keys (default key set), if any.
    pub published: Option<PublishedKeys>,
    /// Why there are no published keys though the host asked for some (an embed whose
    /// `data-keys` could not be fetched).
    pub published_problem: Option<String>,
    /// The vendor's name, for "is not one of {vendor}'s published keys".
    pub vendor: String,
    /// Offer "Copy share link" (the page does; an embed does not, the host owns its URL).
    pub share_links: bool,
    /// The demo buttons and their files: built into the page; fetched by the embed from
    /// the host's `data-demo` URLs, so a vendor's embed demonstrates the vendor's receipts.
    pub demo: Option<Demo>,
}

/// The vendor's published keys for the default key set.
pub fn published_keys(file: &str, jwks: &str) -> PublishedKeys {
    PublishedKeys { name: file.to_string(), bytes: Arc::new(jwks.as_bytes().to_vec()) }
}

type ChangeHook = Box<dyn Fn(&VerifierModel)>;
type Listener = Closure<dyn FnMut(web_sys::Event)>;

/// What the regions show now, to skip re-rendering what did not change.
#[derive(Default)]
struct Shown {
    notices: Option<(Option<String>, Option<String>)>,
    chips: Option<Vec<chips::ChipKey>>,
    status: Option<status::StatusKey>,
    result: Option<(usize, String)>,
}

pub(crate) struct Inner {
    pub(crate) options: VerifierOptions,
    pub(crate) parts: Parts,
    model: RefCell<VerifierModel>,
    worker: RefCell<Option<VerifyWorker>>,
    /// Ids already sent for inspection, so a re-render does not send them twice.
    inspecting: RefCell<HashSet<u32>>,
    pub(crate) pasted: Cell<u32>,
    shown: RefCell<Shown>,
    on_change: RefCell<Option<ChangeHook>>,
    pub(crate) listeners: RefCell<Vec<Listener>>,
}

/// A mounted verifier. Cheap to clone; the widget lives while a clone does.
#[derive(Clone)]
pub struct Widget(pub(crate) Rc<Inner>);

impl Widget {
    /// Build the widget inside `host` and start its worker.
    pub fn mount(host: &Element, options: VerifierOptions) -> Js<Widget> {
        let dom = super::dom::Dom::of(host).ok_or_else(|| JsValue::from_str("the host element has no document"))?;
        let parts = build(&dom, host, &options)?;
        let mut model = VerifierModel::new(options.published.clone());
        model.published_problem = options.published_problem.clone();
        let widget = Widget(Rc::new(Inner {
            options,
            parts,
            model: RefCell::new(model),
            worker: RefCell::new(None),
            inspecting: RefCell::new(HashSet::new()),
            pasted: Cell::new(0),
            shown: RefCell::new(Shown::default()),
            on_change: RefCell::new(None),
            listeners: RefCell::new(Vec::new()),
        }));
        super::events::listen(&widget)?;
        let weak = widget.weak();
        match VerifyWorker::start(&widget.0.options.worker_url, move |r| {
            if let Some(w) = Widget::upgrade(&weak) {
                w.on_response(r);
            }
        }) {
            Ok(w) => {
                let weak = widget.weak();
                w.on_replaced(move || {
                    if let Some(w) = Widget::upgrade(&weak) {
                        w.replaced();
                        w.changed();
                    }
                });
                *widget.0.worker.borrow_mut() = Some(w);
            }
            Err(e) => {
                let alert = alert(&widget.0.parts.dom, "failure", &e)?;
                widget.0.parts.root.insert_before(&alert, widget.0.parts.root.first_child().as_ref())?;
            }
        }
        widget.changed();
        Ok(widget)
    }

    pub(crate) fn weak(&self) -> Weak<Inner> {
        Rc::downgrade(&self.0)
    }

    pub(crate) fn upgrade(weak: &Weak<Inner>) -> Option<Widget> {
        weak.upgrade().map(Widget)
    }

    /// Call `hook` after every change (the page's published-keys table uses it).
    pub fn on_change(&self, hook: impl Fn(&VerifierModel) + 'static) {
        hook(&self.0.model.borrow());
        *self.0.on_change.borrow_mut() = Some(Box::new(hook));
    }

    /// Change the model, then send what is due to the worker and re-render.
    pub fn update<R>(&self, f: impl FnOnce(&mut VerifierModel) -> R) -> R {
        let r = f(&mut self.0.model.borrow_mut());
        self.changed();
        r
    }

    /// Read the model.
    pub fn with_model<R>(&self, f: impl FnOnce(&VerifierModel) -> R) -> R {
        f(&self.0.model.borrow())
    }

    fn changed(&self) {
        self.send_due();
        // Rendering fails only if the DOM refuses a node, which leaves the old view up.
        let _ = self.render();
        if let Some(hook) = self.0.on_change.borrow().as_ref() {
            hook(&self.0.model.borrow());
        }
    }

    /// Inspect the published keys and each new file once; verify whenever the inputs are
    /// complete.
    fn send_due(&self) {
        let inner = &self.0;
        let worker = inner.worker.borrow();
        let Some(worker) = worker.as_ref() else { return };
        let mut pending: Vec<(u32, String, Payload)> = Vec::new();
        {
            let m = inner.model.borrow();
            if let (Some(p), None) = (&m.published, &m.published_inspection) {
                pending.push((PUBLISHED_ID, p.name.clone(), Payload::Bytes(Arc::clone(&p.bytes))));
            }
            let files = m.files.iter().filter(|f| !f.reading && f.inspection.is_none());
            pending.extend(files.map(|f| (f.id, f.name.clone(), f.bytes.clone())));
        }
        for (id, name, bytes) in pending {
            if inner.inspecting.borrow_mut().insert(id) {
                worker.send(&Request::Inspect { id, name }, &[bytes]);
            }
        }
        let mut model = inner.model.borrow_mut();
        if !model.ready() {
            return;
        }
        let Ok(plan) = model.plan() else { return };
        let id = model.next_id();
        let total = plan.rows.as_ref().map_or(0, |(_, b)| b.len());
        let (request, payloads) = Request::verify(id, &plan);
        worker.send(&request, &payloads);
        model.started(id, total);
    }

    fn on_response(&self, response: Response) {
        match response {
            Response::Ready => {}
            Response::Inspected { id, inspection } => self.update(|m| m.inspected(id, inspection)),
            Response::Progress { id, progress } => self.update(|m| m.progress_of(id, progress)),
            Response::Report { id, report } => self.update(|m| m.finished(id, report)),
            // The model was marked cancelled when the visitor asked.
            Response::Cancelled { .. } => {}
            Response::Error { id, message, fatal } => {
                let apply = move |m: &mut VerifierModel| match u32::try_from(id) {
                    Ok(id) if m.files.iter().any(|f| f.id == id && f.inspection.is_none()) => {
                        m.inspected(id, Inspection::unreadable(message))
                    }
                    Ok(PUBLISHED_ID) => m.published_problem = Some(message),
                    Ok(id) => m.failed(id, message),
                    Err(_) => m.phase = Phase::Failed(message),
                };
                if !fatal {
                    return self.update(apply);
                }
                // A trapped wasm instance answers nothing sensible again. Record the error,
                // then replace the worker in a microtask (this handler runs inside the old
                // worker's message listener) before anything is sent again.
                apply(&mut self.0.model.borrow_mut());
                let weak = self.weak();
                wasm_bindgen_futures::spawn_local(async move {
                    if let Some(w) = Widget::upgrade(&weak) {
                        w.respawn();
                        w.changed();
                    }
                });
            }
        }
    }

    /// A fresh worker; files still waiting for their inspection are sent to it again.
    fn respawn(&self) {
        if let Some(w) = self.0.worker.borrow().as_ref() {
            let _ = w.restart();
        }
        self.replaced();
    }

    /// The worker was replaced: what was sent to the old one is lost. Inspections still due
    /// and a verification still running are sent again (at the next [`Self::changed`]).
    fn replaced(&self) {
        self.0.inspecting.borrow_mut().clear();
        self.0.model.borrow_mut().resend_running();
    }

    /// Stop the running verification, keeping keyboard focus in the widget.
    pub(crate) fn cancel(&self) {
        let running = match self.0.model.borrow().phase {
            Phase::Running { id, .. } => Some(id),
            _ => None,
        };
        match (running, self.0.worker.borrow().as_ref()) {
            (Some(id), Some(worker)) => worker.cancel(id),
            _ => self.respawn(),
        }
        self.update(VerifierModel::cancel);
        let _ = self.0.parts.choose.focus();
    }

    fn render(&self) -> Js<()> {
        let inner = &self.0;
        let parts = &inner.parts;
        let dom = &parts.dom;
        let model = inner.model.borrow();
        let mut shown = inner.shown.borrow_mut();
        let vendor = inner.options.vendor.as_str();

        let notices = (model.link_problem.clone(), model.published_problem.clone());
        if shown.notices.as_ref() != Some(&notices) {
            let mut items = Vec::new();
            if let Some(p) = &notices.0 {
                items.push(alert(dom, "link-refused", p)?);
            }
            if let Some(p) = &notices.1 {
                items.push(alert(dom, "keys-unavailable", &format!("No published keys: {p}."))?);
            }
            replace(&parts.notices, &items.iter().map(|e| e as &dyn AsRef<Node>).collect::<Vec<_>>())?;
            shown.notices = Some(notices);
        }

        let chip_keys: Vec<chips::ChipKey> = model.files.iter().map(chips::key).collect();
        if shown.chips.as_ref() != Some(&chip_keys) {
            let items = model.files.iter().map(|f| chips::chip(dom, f)).collect::<Js<Vec<Element>>>()?;
            replace(&parts.chips, &items.iter().map(|e| e as &dyn AsRef<Node>).collect::<Vec<_>>())?;
            shown.chips = Some(chip_keys);
        }
        if let Some(toggle) = &parts.toggle {
            toggle.set_checked(model.only_my_keys);
        }

        let status_key = status::key(&model, vendor);
        if shown.status.as_ref() != Some(&status_key) {
            replace(&parts.status, &[&status::view(dom, &model, vendor)?])?;
            shown.status = Some(status_key);
        } else if let Phase::Running { done, total, .. } = model.phase {
            if let Ok(Some(bar)) = parts.status.query_selector("progress") {
                bar.set_attribute("max", &total.max(1).to_string())?;
                bar.set_attribute("value", &done.to_string())?;
            }
        }
        // Outside the live region: it changes ten times a second.
        let line = match (&model.phase, &model.progress) {
            (Phase::Running { .. }, Some(p)) => p.line(),
            _ => String::new(),
        };
        if parts.progress.text_content().unwrap_or_default() != line {
            parts.progress.set_text_content(Some(&line));
        }

        let result_key = match &model.phase {
            Phase::Done(r) => Some((Arc::as_ptr(r) as usize, model.published_fingerprints().join(","))),
            // Every refusal and the whole message, not the spoken line, which names three files
            // and clips the message (red team 14: a changed refusal left the list stale).
            Phase::Refused(files) => Some((0, files.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))),
            Phase::Failed(message) => Some((1, message.clone())),
            _ => None,
        };
        if shown.result != result_key {
            match &model.phase {
                Phase::Done(r) => {
                    let published = model.published_fingerprints();
                    let ctx = result::Context {
                        published: &published,
                        vendor,
                        no_published_keys: model.published.is_none(),
                        only_my_keys: model.only_my_keys,
                    };
                    let view = result::result_view(dom, r, &ctx)?;
                    let (recipe, share) = match model.first_receipt() {
                        Some(f) => (
                            yourself::commands(&f.name, f.bytes.bytes(), r),
                            yourself::ShareOffer::of(
                                inner.options.share_links,
                                usize::try_from(f.bytes.len()).unwrap_or(usize::MAX),
                            ),
                        ),
                        None => (String::new(), yourself::ShareOffer::Off),
                    };
                    replace(&parts.result, &[&view, &yourself::view(dom, &recipe, share)?])?;
                }
                Phase::Refused(files) => replace(&parts.result, &[&result::refused_view(dom, files)?])?,
                Phase::Failed(message) => replace(&parts.result, &[&result::failed_view(dom, message)?])?,
                _ => replace(&parts.result, &[])?,
            }
            shown.result = result_key;
        }
        Ok(())
    }
}
