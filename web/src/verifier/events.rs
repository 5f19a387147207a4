//! The widget's events. They are delegated to the widget root through `data-action`
//! attributes, so re-rendered buttons need no listeners of their own; each event becomes a
//! model change (and, through [`Widget::update`], worker requests and a re-render).

use std::rc::Weak;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DragEvent, Element, Event, EventTarget, HtmlInputElement, HtmlSelectElement};

use super::dom::Js;
use super::files::{file_list, read_all};
use super::model::VerifierModel;
use super::widget::{DemoFile, Inner, Widget};
use super::{chips, share};

type Handler = Box<dyn Fn(&Widget, Event)>;

/// `handler` on `event` at `target`, for as long as the widget lives.
fn on(widget: &Widget, target: &EventTarget, event: &str, handler: Handler) -> Js<()> {
    let weak: Weak<Inner> = widget.weak();
    let listener = Closure::<dyn FnMut(Event)>::new(move |e: Event| {
        if let Some(w) = Widget::upgrade(&weak) {
            handler(&w, e);
        }
    });
    target.add_event_listener_with_callback(event, listener.as_ref().unchecked_ref())?;
    widget.0.listeners.borrow_mut().push(listener);
    Ok(())
}

/// A share link opened in the same tab after load changes only the fragment, so the page
/// is not loaded again: its receipt replaces the earlier link's (red team 14: the first
/// link's *Verified* stayed under a tampered second link). An anchor in the page (no
/// `#receipt=`) leaves the shared file as it is.
pub fn follow_share_links(widget: &Widget) -> Js<()> {
    let Some(window) = web_sys::window() else { return Ok(()) };
    on(
        widget,
        &window,
        "hashchange",
        Box::new(|w, _| match share::current_receipt() {
            Ok(None) => {}
            Ok(Some(bytes)) => w.update(|m| m.follow_link(Ok(bytes))),
            Err(problem) => w.update(|m| m.follow_link(Err(problem))),
        }),
    )
}

/// One delegated listener per event type on the root, plus the drop zone's drag events.
pub fn listen(widget: &Widget) -> Js<()> {
    let parts = &widget.0.parts;
    let on = |target: &Element, event: &str, handler: Handler| on(widget, target, event, handler);
    on(&parts.root, "click", Box::new(|w, e| on_click(w, &e)))?;
    on(&parts.root, "change", Box::new(|w, e| on_input_change(w, &e)))?;
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
            read_all(w, file_list(files));
        }),
    )
}

fn on_click(w: &Widget, event: &Event) {
    let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
    let Ok(Some(button)) = target.closest("[data-action]") else { return };
    let action = button.get_attribute("data-action").unwrap_or_default();
    match action.as_str() {
        "choose" => w.0.parts.file_input.click(),
        "paste" => add_pasted(w),
        "cancel" => w.cancel(),
        "copy" => copy_recipe(w, &button),
        "share" => copy_share_link(w, &button),
        "remove" => {
            let id = button.get_attribute("data-id").and_then(|s| s.parse().ok());
            if let Some(id) = id {
                w.update(|m| m.remove(id));
                // The button is gone; keep keyboard users in the widget.
                let _ = w.0.parts.choose.focus();
            }
        }
        "demo-good" | "demo-tampered" => {
            if let Some(demo) = &w.0.options.demo {
                load_demo(w, if action == "demo-good" { &demo.good } else { &demo.tampered });
            }
        }
        _ => {}
    }
}

fn on_input_change(w: &Widget, event: &Event) {
    let Some(target) = event.target() else { return };
    if let Some(select) = target.dyn_ref::<HtmlSelectElement>() {
        let id = select.get_attribute("data-id").and_then(|s| s.parse().ok());
        if let Some(id) = id {
            let role = chips::role_of(&select.value());
            w.update(|m| m.set_role(id, role));
        }
        return;
    }
    let Some(input) = target.dyn_ref::<HtmlInputElement>() else { return };
    if input.type_() == "file" {
        read_all(w, file_list(input.files()));
        input.set_value("");
    } else if input.type_() == "checkbox" {
        let on = input.checked();
        w.update(|m| m.set_only_my_keys(on));
    }
}

fn load_demo(w: &Widget, files: &[DemoFile]) {
    w.update(|m: &mut VerifierModel| {
        m.clear();
        m.set_only_my_keys(false);
        for (name, bytes) in files {
            m.add(name.clone(), bytes.to_vec());
        }
    });
}

fn add_pasted(w: &Widget) {
    let text = w.0.parts.paste_box.value();
    if text.trim().is_empty() {
        return;
    }
    let n = w.0.pasted.get() + 1;
    w.0.pasted.set(n);
    w.0.parts.paste_box.set_value("");
    w.update(|m| m.add(format!("pasted-{n}.txt"), text.into_bytes()));
}

/// Copy the commands exactly as the panel shows them.
fn copy_recipe(w: &Widget, button: &Element) {
    let shown = w.0.parts.result.query_selector("[data-testid=recipe]").ok().flatten();
    if let (Some(t), Some(window)) = (shown.and_then(|pre| pre.text_content()), web_sys::window()) {
        let _ = window.navigator().clipboard().write_text(&t);
        button.set_text_content(Some("Copied"));
    }
}

/// Copy a link to this page carrying the first receipt, and show it for copying by hand.
/// Only on this explicit action: the address bar and history are never changed.
fn copy_share_link(w: &Widget, button: &Element) {
    let fragment = w.with_model(|m| m.first_receipt().and_then(|f| share::fragment(f.bytes.bytes())));
    let (Some(fragment), Some(window)) = (fragment, web_sys::window()) else { return };
    let location = window.location();
    let link = format!(
        "{}{}{}{fragment}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    let _ = window.navigator().clipboard().write_text(&link);
    button.set_text_content(Some("Share link copied"));
    let dom = &w.0.parts.dom;
    if let (Ok(input), Some(parent)) = (
        dom.el(
            "input",
            &[("type", "text"), ("readonly", ""), ("data-testid", "share-url"), ("aria-label", "Share link")],
        ),
        button.parent_element(),
    ) {
        if let Ok(Some(old)) = parent.query_selector("[data-testid=share-url]") {
            old.remove();
        }
        let _ = input.set_attribute("value", &link);
        let _ = parent.append_child(&input);
    }
}
