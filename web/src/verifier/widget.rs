//! The verifier widget: renders [`VerifierModel`] into the DOM and turns events into model
//! changes and worker requests. The trust-center page hosts it inside its Leptos app and
//! the embed mounts it alone, so both show the same widget.
//!
//! Rendering is by region: the chips, the status line and the result are rebuilt only when
//! what they show changed (a progress tick moves the bar and nothing else). Events are
//! delegated to the widget root through `data-action` attributes, so re-rendered buttons
//! need no listeners of their own.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::rc::{Rc, Weak};
use std::sync::Arc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DragEvent, Element, Event, File, HtmlElement, HtmlInputElement, HtmlTextAreaElement, Node};

use super::dom::{append, replace, Dom, Js};
use super::model::{key_origin, Phase, PublishedKeys, VerifierModel, PUBLISHED_ID};
use super::worker::VerifyWorker;
use super::{recipe, share};
use crate::protocol::{Request, Response};
use crate::report::{Inspection, Report, Role};

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
    /// The host keeps the current receipt in the URL fragment (the page does, with
    /// [`share`]; an embed does not, the host page owns its URL): the result says so.
    pub share_links: bool,
    /// The demo buttons and their files: built into the page; fetched by the embed from
    /// the host's `data-demo` URLs, so a vendor's embed demonstrates the vendor's receipts.
    pub demo: Option<Demo>,
}

/// The vendor's published keys for the default key set.
pub fn published_keys(file: &str, jwks: &str) -> PublishedKeys {
    PublishedKeys { name: file.to_string(), bytes: Arc::new(jwks.as_bytes().to_vec()) }
}

type Listener = Closure<dyn FnMut(Event)>;
type ChangeHook = Box<dyn Fn(&VerifierModel)>;
type Handler = Box<dyn Fn(&Widget, Event)>;

/// The elements that stay for the widget's lifetime.
struct Parts {
    dom: Dom,
    root: Element,
    dropzone: Element,
    choose: HtmlElement,
    file_input: HtmlInputElement,
    paste_box: HtmlTextAreaElement,
    chips: Element,
    toggle: Option<HtmlInputElement>,
    status: Element,
    result: Element,
}

/// What the regions show now, to skip re-rendering what did not change.
#[derive(Default)]
struct Shown {
    chips: Option<Vec<(u32, bool)>>,
    status: Option<StatusKey>,
    report: Option<usize>,
}

/// What the status line shows: the phase without its progress, which moves only the bar.
#[derive(Clone, PartialEq)]
enum StatusKey {
    Waiting(String),
    Running(u32),
    Cancelled,
    Failed(String),
    Done,
}

struct Inner {
    options: VerifierOptions,
    parts: Parts,
    model: RefCell<VerifierModel>,
    worker: RefCell<Option<VerifyWorker>>,
    /// Ids already sent for inspection, so a re-render does not send them twice.
    inspecting: RefCell<HashSet<u32>>,
    pasted: Cell<u32>,
    shown: RefCell<Shown>,
    on_change: RefCell<Option<ChangeHook>>,
    listeners: RefCell<Vec<Listener>>,
}

/// A mounted verifier. Cheap to clone; the widget lives while a clone does.
#[derive(Clone)]
pub struct Widget(Rc<Inner>);

thread_local! {
    static NEXT_WIDGET: Cell<u32> = const { Cell::new(1) };
}

impl Widget {
    /// Build the widget inside `host` and start its worker.
    pub fn mount(host: &Element, options: VerifierOptions) -> Js<Widget> {
        let dom = Dom::of(host).ok_or_else(|| JsValue::from_str("the host element has no document"))?;
        let parts = build(&dom, host, &options)?;
        let model = VerifierModel::new(options.published.clone());
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
        widget.listen()?;
        let weak = Rc::downgrade(&widget.0);
        match VerifyWorker::start(&widget.0.options.worker_url, move |r| {
            if let Some(inner) = weak.upgrade() {
                Widget(inner).on_response(r);
            }
        }) {
            Ok(w) => {
                // Fingerprints of the published keys come from the core, not the content file.
                if let Some(p) = &widget.0.options.published {
                    w.send(&Request::Inspect { id: PUBLISHED_ID, name: p.name.clone() }, &[p.bytes.as_slice()]);
                }
                *widget.0.worker.borrow_mut() = Some(w);
            }
            Err(e) => {
                let alert = dom_alert(&widget.0.parts, &e)?;
                widget.0.parts.root.insert_before(&alert, widget.0.parts.root.first_child().as_ref())?;
            }
        }
        widget.changed();
        Ok(widget)
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

    fn changed(&self) {
        self.send_due();
        // Rendering fails only if the DOM refuses a node, which leaves the old view up.
        let _ = self.render();
        if let Some(hook) = self.0.on_change.borrow().as_ref() {
            hook(&self.0.model.borrow());
        }
    }

    /// Inspect each new file once; verify whenever the inputs are complete.
    fn send_due(&self) {
        let inner = &self.0;
        let worker = inner.worker.borrow();
        let Some(worker) = worker.as_ref() else { return };
        let pending: Vec<(u32, String, Arc<Vec<u8>>)> = inner
            .model
            .borrow()
            .files
            .iter()
            .filter(|f| f.inspection.is_none())
            .map(|f| (f.id, f.name.clone(), Arc::clone(&f.bytes)))
            .collect();
        for (id, name, bytes) in pending {
            if inner.inspecting.borrow_mut().insert(id) {
                worker.send(&Request::Inspect { id, name }, &[bytes.as_slice()]);
            }
        }
        let mut model = inner.model.borrow_mut();
        if !model.ready() {
            return;
        }
        let Ok(plan) = model.plan() else { return };
        let id = model.next_id();
        let total = plan.rows.as_ref().map_or(0, |(_, b)| b.len() as u64);
        let request = Request::Verify {
            id,
            receipts: plan.receipts.iter().map(|(n, _)| n.clone()).collect(),
            keys: plan.keys.iter().map(|(n, _)| n.clone()).collect(),
            rows: plan.rows.as_ref().map(|(n, _)| n.clone()),
        };
        let bytes: Vec<&[u8]> =
            plan.receipts.iter().chain(plan.keys.iter()).chain(plan.rows.iter()).map(|(_, b)| b.as_slice()).collect();
        worker.send(&request, &bytes);
        model.started(id, total);
    }

    fn on_response(&self, response: Response) {
        match response {
            Response::Ready => {}
            Response::Inspected { id, inspection } => self.update(|m| m.inspected(id, inspection)),
            Response::Progress { id, done, total } => self.update(|m| m.progress(id, done, total)),
            Response::Report { id, report } => self.update(|m| m.finished(id, report)),
            Response::Error { id, message } => self.update(|m| match u32::try_from(id) {
                Ok(id) if m.files.iter().any(|f| f.id == id && f.inspection.is_none()) => {
                    m.inspected(id, Inspection::unreadable(message))
                }
                Ok(id) => m.failed(id, message),
                Err(_) => m.phase = Phase::Failed(message),
            }),
        }
    }

    /// Stop the running verification: a fresh worker, to which files still waiting for
    /// their inspection are sent again.
    fn cancel(&self) {
        if let Some(w) = self.0.worker.borrow().as_ref() {
            let _ = w.restart();
        }
        self.0.inspecting.borrow_mut().clear();
        self.update(VerifierModel::cancel);
    }

    fn load_demo(&self, files: &[DemoFile]) {
        self.update(|m| {
            m.clear();
            m.set_only_my_keys(false);
            for (name, bytes) in files {
                m.add(name.clone(), bytes.to_vec());
            }
        });
    }

    /// Read chosen or dropped files into the model.
    fn add_files(&self, files: Vec<File>) {
        for file in files {
            let weak = Rc::downgrade(&self.0);
            wasm_bindgen_futures::spawn_local(async move {
                let name = file.name();
                let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await;
                let Some(widget) = weak.upgrade().map(Widget) else { return };
                match buffer {
                    Ok(buffer) => {
                        let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                        widget.update(|m| m.add(name, bytes));
                    }
                    Err(_) => widget.update(|m| m.phase = Phase::Failed(format!("cannot read {name}"))),
                }
            });
        }
    }

    fn add_pasted(&self) {
        let text = self.0.parts.paste_box.value();
        if text.trim().is_empty() {
            return;
        }
        let n = self.0.pasted.get() + 1;
        self.0.pasted.set(n);
        self.0.parts.paste_box.set_value("");
        self.update(|m| m.add(format!("pasted-{n}.txt"), text.into_bytes()));
    }

    /// Copy the commands exactly as the panel shows them.
    fn copy_recipe(&self, button: &Element) {
        let shown = self.0.parts.result.query_selector("[data-testid=recipe]").ok().flatten();
        if let (Some(t), Some(w)) = (shown.and_then(|pre| pre.text_content()), web_sys::window()) {
            let _ = w.navigator().clipboard().write_text(&t);
            button.set_text_content(Some("Copied"));
        }
    }

    /// The commands that re-check the first receipt by hand.
    fn recipe(&self) -> Option<String> {
        let m = self.0.model.borrow();
        let file = m.first_receipt()?;
        let fingerprint = match &m.phase {
            Phase::Done(r) => r.keys_used().next().map(|k| k.fingerprint.clone()),
            _ => None,
        };
        Some(recipe::commands(
            &file.name,
            recipe::Layout::of(&file.bytes),
            &first_alg(&file.bytes),
            fingerprint.as_deref(),
        ))
    }

    /// One delegated listener per event type on the root, plus the drop zone's drag events.
    fn listen(&self) -> Js<()> {
        let parts = &self.0.parts;
        let on = |target: &Element, event: &str, handler: Handler| -> Js<()> {
            let weak: Weak<Inner> = Rc::downgrade(&self.0);
            let listener = Closure::<dyn FnMut(Event)>::new(move |e: Event| {
                if let Some(inner) = weak.upgrade() {
                    handler(&Widget(inner), e);
                }
            });
            target.add_event_listener_with_callback(event, listener.as_ref().unchecked_ref())?;
            self.0.listeners.borrow_mut().push(listener);
            Ok(())
        };
        on(&parts.root, "click", Box::new(|w, e| w.on_click(&e)))?;
        on(&parts.root, "change", Box::new(|w, e| w.on_input_change(&e)))?;
        on(
            &parts.dropzone,
            "dragover",
            Box::new(|w, e| {
                e.prevent_default();
                let _ = w.0.parts.dropzone.set_attribute("class", "dropzone over");
            }),
        )?;
        on(
            &parts.dropzone,
            "dragleave",
            Box::new(|w, _| {
                let _ = w.0.parts.dropzone.set_attribute("class", "dropzone");
            }),
        )?;
        on(
            &parts.dropzone,
            "drop",
            Box::new(|w, e| {
                e.prevent_default();
                let _ = w.0.parts.dropzone.set_attribute("class", "dropzone");
                let files = e.dyn_ref::<DragEvent>().and_then(DragEvent::data_transfer).and_then(|d| d.files());
                w.add_files(file_list(files));
            }),
        )
    }

    fn on_click(&self, event: &Event) {
        let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
        let Ok(Some(button)) = target.closest("[data-action]") else { return };
        let action = button.get_attribute("data-action").unwrap_or_default();
        match action.as_str() {
            "choose" => self.0.parts.file_input.click(),
            "paste" => self.add_pasted(),
            "cancel" => self.cancel(),
            "copy" => self.copy_recipe(&button),
            "remove" => {
                let id = button.get_attribute("data-id").and_then(|s| s.parse().ok());
                if let Some(id) = id {
                    self.update(|m| m.remove(id));
                    // The button is gone; keep keyboard users in the widget.
                    let _ = self.0.parts.choose.focus();
                }
            }
            "demo-good" | "demo-tampered" => {
                if let Some(demo) = &self.0.options.demo {
                    self.load_demo(if action == "demo-good" { &demo.good } else { &demo.tampered });
                }
            }
            _ => {}
        }
    }

    fn on_input_change(&self, event: &Event) {
        let Some(input) = event.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else { return };
        if input.type_() == "file" {
            self.add_files(file_list(input.files()));
            input.set_value("");
        } else if input.type_() == "checkbox" {
            let on = input.checked();
            self.update(|m| m.set_only_my_keys(on));
        }
    }

    fn render(&self) -> Js<()> {
        let inner = &self.0;
        let parts = &inner.parts;
        let model = inner.model.borrow();
        let mut shown = inner.shown.borrow_mut();

        let chips: Vec<(u32, bool)> = model.files.iter().map(|f| (f.id, f.inspection.is_some())).collect();
        if shown.chips.as_ref() != Some(&chips) {
            let items = model.files.iter().map(|f| chip(&parts.dom, f)).collect::<Js<Vec<Element>>>()?;
            replace(&parts.chips, &items.iter().map(|e| e as &dyn AsRef<Node>).collect::<Vec<_>>())?;
            shown.chips = Some(chips);
        }
        if let Some(toggle) = &parts.toggle {
            toggle.set_checked(model.only_my_keys);
        }

        let status = match &model.phase {
            Phase::Running { id, .. } => StatusKey::Running(*id),
            Phase::Waiting(why) => StatusKey::Waiting(why.clone()),
            Phase::Cancelled => StatusKey::Cancelled,
            Phase::Failed(m) => StatusKey::Failed(m.clone()),
            Phase::Done(_) => StatusKey::Done,
        };
        if shown.status.as_ref() != Some(&status) {
            replace(&parts.status, &[&status_view(&parts.dom, &model.phase)?])?;
            shown.status = Some(status);
        } else if let Phase::Running { done, total, .. } = model.phase {
            if let Ok(Some(bar)) = parts.status.query_selector("progress") {
                bar.set_attribute("max", &total.max(1).to_string())?;
                bar.set_attribute("value", &done.to_string())?;
            }
        }

        let report = match &model.phase {
            Phase::Done(r) => Some(r),
            _ => None,
        };
        let key = report.map(|r| Arc::as_ptr(r) as usize);
        if shown.report != key {
            match report {
                Some(r) => {
                    let result = result_view(&parts.dom, r)?;
                    let recipe = self.recipe().unwrap_or_default();
                    let note = share_note(&model, inner.options.share_links);
                    let yourself = check_yourself(&parts.dom, &recipe, note.as_deref())?;
                    replace(&parts.result, &[&result, &yourself])?;
                }
                None => replace(&parts.result, &[])?,
            }
            shown.report = key;
        }

        Ok(())
    }
}

/// Build the static part of the widget into `host`.
fn build(dom: &Dom, host: &Element, options: &VerifierOptions) -> Js<Parts> {
    let n = NEXT_WIDGET.with(|c| {
        let n = c.get();
        c.set(n + 1);
        n
    });
    let root = dom.el("div", &[("class", "verifier"), ("data-testid", "verifier")])?;
    if let Some(demo) = options.demo.as_ref().filter(|d| !d.good.is_empty()) {
        let buttons = dom.el("div", &[("class", "demo-buttons")])?;
        let button = |action: &str, label: &str| {
            dom.text("button", &[("type", "button"), ("data-testid", action), ("data-action", action)], label)
        };
        append(&buttons, &[&button("demo-good", "Try the demo")?])?;
        if !demo.tampered.is_empty() {
            append(&buttons, &[&button("demo-tampered", "Try a tampered receipt")?])?;
        }
        append(&root, &[&buttons])?;
    }

    let dropzone = dom.el("div", &[("class", "dropzone"), ("data-testid", "dropzone")])?;
    let hint = dom.el("p", &[("class", "drop-hint")])?;
    append(
        &hint,
        &[
            &dom.text("strong", &[], "Drop receipts, approvals, a row export and public keys here")?,
            &dom.el("br", &[])?,
            &dom.t("Everything is checked on your machine. Nothing is uploaded."),
        ],
    )?;
    let choose: HtmlElement = dom
        .text(
            "button",
            &[("type", "button"), ("class", "primary"), ("data-testid", "choose"), ("data-action", "choose")],
            "Choose files…",
        )?
        .dyn_into()?;
    let file_input: HtmlInputElement = dom
        .el(
            "input",
            &[
                ("type", "file"),
                ("multiple", ""),
                ("class", "visually-hidden"),
                ("tabindex", "-1"),
                ("aria-hidden", "true"),
                ("data-testid", "file-input"),
            ],
        )?
        .dyn_into()?;
    append(&dropzone, &[&hint, &choose, &file_input])?;

    let paste = dom.el("details", &[("class", "paste")])?;
    let paste_id = format!("paste-box-{n}");
    let paste_box: HtmlTextAreaElement =
        dom.el("textarea", &[("id", &paste_id), ("rows", "5"), ("data-testid", "paste-box")])?.dyn_into()?;
    append(
        &paste,
        &[
            &dom.text("summary", &[], "Paste a receipt or key instead")?,
            &dom.text("label", &[("for", &paste_id)], "Receipt JSON, PEM or JWKS")?,
            &paste_box,
            &dom.text(
                "button",
                &[("type", "button"), ("data-testid", "paste-add"), ("data-action", "paste")],
                "Add pasted text",
            )?,
        ],
    )?;

    let chips = dom.el("ul", &[("class", "chips"), ("aria-label", "Files")])?;
    append(&root, &[&dropzone, &paste, &chips])?;

    let toggle = match options.published {
        Some(_) => {
            let label = dom.el("label", &[("class", "toggle")])?;
            let input: HtmlInputElement =
                dom.el("input", &[("type", "checkbox"), ("data-testid", "only-my-keys")])?.dyn_into()?;
            append(&label, &[&input, &dom.t(" Use only keys I provide (ignore the vendor's published keys)")])?;
            append(&root, &[&label])?;
            Some(input)
        }
        None => None,
    };
    let status =
        dom.el("div", &[("class", "status"), ("role", "status"), ("aria-live", "polite"), ("data-testid", "status")])?;
    let result = dom.el("div", &[("class", "result-slot")])?;
    append(&root, &[&status, &result])?;
    host.append_child(&root)?;
    Ok(Parts { dom: dom.clone(), root, dropzone, choose, file_input, paste_box, chips, toggle, status, result })
}

fn dom_alert(parts: &Parts, message: &str) -> Js<Element> {
    parts.dom.text("p", &[("class", "error"), ("role", "alert"), ("data-testid", "failure")], message)
}

/// One chip: name, what `inspect` said, keys, and a remove button.
fn chip(dom: &Dom, f: &super::model::DroppedFile) -> Js<Element> {
    let (label, class, reason) = match &f.inspection {
        None => ("checking…".to_string(), "chip pending", None),
        Some(i) if i.role() == Role::Unusable => (i.label.clone(), "chip bad", i.reason.clone()),
        Some(i) => (i.label.clone(), "chip", None),
    };
    let li = dom.el("li", &[("class", class), ("data-testid", "chip")])?;
    append(
        &li,
        &[
            &dom.text("span", &[("class", "chip-name")], &f.name)?,
            &dom.text("span", &[("class", "chip-label")], &label)?,
        ],
    )?;
    if let Some(r) = reason {
        append(&li, &[&dom.text("span", &[("class", "chip-reason")], &r)?])?;
    }
    for k in f.inspection.iter().flat_map(|i| i.keys.iter().take(4)) {
        let span = dom.el("span", &[("class", "chip-key")])?;
        let kid = k.kid.clone().unwrap_or_else(|| "no kid".into());
        let fp = format!("{}…", k.fingerprint.get(..16).unwrap_or_default());
        append(&span, &[&dom.t(&format!("{kid} · SHA-256 ")), &dom.text("code", &[], &fp)?])?;
        append(&li, &[&span])?;
    }
    let id = f.id.to_string();
    let remove_label = format!("Remove {}", f.name);
    append(
        &li,
        &[&dom.text(
            "button",
            &[
                ("type", "button"),
                ("class", "chip-remove"),
                ("aria-label", &remove_label),
                ("data-action", "remove"),
                ("data-id", &id),
            ],
            "×",
        )?],
    )?;
    Ok(li)
}

/// The status line for a phase.
fn status_view(dom: &Dom, phase: &Phase) -> Js<Element> {
    match phase {
        Phase::Waiting(why) => dom.text("p", &[], why),
        Phase::Running { done, total, .. } => {
            let div = dom.el("div", &[("class", "progress")])?;
            let label = dom.el("label", &[])?;
            let text = if *total > 0 { "Verifying the row export…" } else { "Verifying…" };
            let bar = dom.el("progress", &[("max", &total.max(&1).to_string()), ("value", &done.to_string())])?;
            append(&label, &[&dom.t(text), &bar])?;
            let cancel = dom.text(
                "button",
                &[("type", "button"), ("data-testid", "cancel"), ("data-action", "cancel")],
                "Cancel",
            )?;
            append(&div, &[&label, &cancel])?;
            Ok(div)
        }
        Phase::Cancelled => dom.text("p", &[], "Cancelled. Change the files to verify again."),
        Phase::Failed(message) => {
            dom.text("p", &[("class", "error"), ("data-testid", "failure")], &format!("Could not verify: {message}"))
        }
        Phase::Done(_) => dom.text("p", &[], "Verification finished."),
    }
}

/// The verdict banner, the keys used and every check.
pub fn result_view(dom: &Dom, report: &Report) -> Js<Element> {
    let ok = report.verified();
    let s = &report.summary;
    let section = dom.el("section", &[("class", "result"), ("aria-label", "Verification result")])?;

    let banner = dom.el(
        "div",
        &[("class", if ok { "verdict ok" } else { "verdict bad" }), ("data-testid", "verdict"), ("role", "status")],
    )?;
    let words = dom.el("div", &[])?;
    append(
        &words,
        &[
            &dom.text("strong", &[("class", "verdict-text")], if ok { "Verified" } else { "Not verified" })?,
            &dom.text(
                "span",
                &[("class", "verdict-counts")],
                &format!("{} passed, {} failed, {} warnings, {} notes", s.pass, s.fail, s.warn, s.note),
            )?,
        ],
    )?;
    let mut failing: Vec<&str> = report.checks.iter().filter(|c| c.status == "fail").map(|c| c.id.as_str()).collect();
    failing.dedup();
    if !failing.is_empty() {
        let text = format!("Failed: {}", failing.join(", "));
        append(&words, &[&dom.text("span", &[("class", "verdict-failing"), ("data-testid", "failing")], &text)?])?;
    }
    append(
        &banner,
        &[
            &dom.text("span", &[("class", "verdict-icon"), ("aria-hidden", "true")], if ok { "✔" } else { "✘" })?,
            &words,
        ],
    )?;

    let keys = dom.el("ul", &[("class", "keys-used")])?;
    let mut any_key = false;
    for k in report.keys_used() {
        any_key = true;
        let li = dom.el("li", &[("data-testid", "key-used")])?;
        let name = k.kid.clone().unwrap_or_else(|| "(no kid)".into());
        let fingerprint = dom.el("span", &[("class", "fingerprint")])?;
        append(&fingerprint, &[&dom.t("SPKI SHA-256 "), &dom.text("code", &[], &k.fingerprint)?])?;
        append(
            &li,
            &[
                &dom.text("code", &[], &name)?,
                &dom.t(&format!(" · {} · {}", k.key_type, key_origin(&k.source))),
                &dom.el("br", &[])?,
                &fingerprint,
            ],
        )?;
        append(&keys, &[&li])?;
    }
    // Without a verifying key, say which key each receipt was checked with (key.select).
    if !any_key {
        append(&keys, &[&dom.text("li", &[], "No supplied key verified a signature.")?])?;
        let mut tried: Vec<&str> =
            report.checks.iter().filter(|c| c.id == "key.select").map(|c| c.message.as_str()).collect();
        tried.dedup();
        for m in tried.into_iter().take(3) {
            append(&keys, &[&dom.text("li", &[("data-testid", "key-tried")], &format!("Tried: {m}"))?])?;
        }
    }

    let details = dom.el("details", &[("class", "checks")])?;
    if !ok {
        details.set_attribute("open", "")?;
    }
    let table = dom.el("table", &[])?;
    let head = dom.el("thead", &[])?;
    let head_row = dom.el("tr", &[])?;
    for h in ["Status", "Check", "Where", "Details"] {
        append(&head_row, &[&dom.text("th", &[], h)?])?;
    }
    append(&head, &[&head_row])?;
    let body = dom.el("tbody", &[])?;
    for c in &report.checks {
        let tr = dom.el("tr", &[("class", &format!("check {}", c.status)), ("data-testid", "check")])?;
        let pill = dom.el("td", &[])?;
        append(&pill, &[&dom.text("span", &[("class", &format!("pill {}", c.status))], &c.status.to_uppercase())?])?;
        let id = dom.el("td", &[])?;
        append(&id, &[&dom.text("code", &[], &c.id)?])?;
        let details_cell = dom.el("td", &[])?;
        append(&details_cell, &[&dom.t(&c.message)])?;
        if c.expected.is_some() || c.actual.is_some() {
            let dl = dom.el("dl", &[("class", "values")])?;
            for (term, value) in [("expected", &c.expected), ("actual", &c.actual)] {
                let dd = dom.el("dd", &[])?;
                append(&dd, &[&dom.text("code", &[], value.as_deref().unwrap_or_default())?])?;
                append(&dl, &[&dom.text("dt", &[], term)?, &dd])?;
            }
            append(&details_cell, &[&dl])?;
        }
        append(&tr, &[&pill, &id, &dom.text("td", &[("class", "place")], &c.subject.place())?, &details_cell])?;
        append(&body, &[&tr])?;
    }
    append(&table, &[&head, &body])?;
    let wrap = dom.el(
        "div",
        &[("class", "table-wrap"), ("tabindex", "0"), ("role", "region"), ("aria-label", "Every check table")],
    )?;
    append(&wrap, &[&table])?;
    append(&details, &[&dom.text("summary", &[], &format!("Every check ({})", report.checks.len()))?, &wrap])?;

    append(&section, &[&banner, &dom.text("h4", &[], "Key used")?, &keys, &details])?;
    Ok(section)
}

/// What the share link does for the first receipt, if links are on and there is one.
fn share_note(model: &VerifierModel, share_links: bool) -> Option<String> {
    let f = model.first_receipt().filter(|_| share_links)?;
    Some(if f.bytes.len() <= share::MAX_BYTES {
        "The link in the address bar now carries this receipt (after #, never sent to a server): \
         copy it to share the result."
            .to_string()
    } else {
        "This receipt is too large for a share link.".to_string()
    })
}

/// The exact commands to re-check the first receipt by hand, with a copy button.
fn check_yourself(dom: &Dom, recipe: &str, share_note: Option<&str>) -> Js<Element> {
    let wrap = dom.el("div", &[])?;
    if !recipe.is_empty() {
        let details = dom.el("details", &[("class", "yourself")])?;
        let pre = dom.el("pre", &[("data-testid", "recipe")])?;
        append(&pre, &[&dom.text("code", &[], recipe)?])?;
        append(
            &details,
            &[
                &dom.text("summary", &[], "Check it yourself")?,
                &dom.text("p", &[], "The same hash and signature checks with openssl, sha256sum and python3:")?,
                &pre,
                &dom.text("button", &[("type", "button"), ("data-action", "copy")], "Copy commands")?,
            ],
        )?;
        append(&wrap, &[&details])?;
    }
    if let Some(note) = share_note {
        append(&wrap, &[&dom.text("p", &[("class", "share-note")], note)?])?;
    }
    Ok(wrap)
}

/// The `alg` of the first receipt in a file (default RS256), for the recipe: the first
/// line of JSON Lines, a single receipt, or the first item of an array.
fn first_alg(bytes: &[u8]) -> String {
    /// Only `alg`: reading a whole `serde_json::Value` costs the embed bundle 1 KB more.
    #[derive(serde::Deserialize)]
    struct Alg {
        alg: Option<String>,
    }
    let text = String::from_utf8_lossy(bytes);
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
    serde_json::from_str::<Alg>(first)
        .or_else(|_| serde_json::from_str::<Alg>(&text))
        .map(|a| a.alg)
        .or_else(|_| serde_json::from_str::<Vec<Alg>>(&text).map(|list| list.into_iter().next().and_then(|a| a.alg)))
        .ok()
        .flatten()
        .unwrap_or_else(|| "RS256".into())
}

fn file_list(list: Option<web_sys::FileList>) -> Vec<File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

#[cfg(test)]
mod tests {
    use super::first_alg;

    #[test]
    fn the_recipe_alg_comes_from_the_first_receipt() {
        assert_eq!(first_alg(b"{\"alg\":\"ES256\"}\n{\"alg\":\"PS256\"}\n"), "ES256");
        assert_eq!(first_alg(b"\n{\n  \"alg\": \"PS256\"\n}\n"), "PS256");
        assert_eq!(first_alg(b"[{\"alg\":\"ES256\"},{\"alg\":\"RS256\"}]"), "ES256");
        assert_eq!(first_alg(b"{\"kid\":\"k\"}"), "RS256");
        assert_eq!(first_alg(b"not json"), "RS256");
        assert_eq!(first_alg(b"[]"), "RS256");
    }
}
