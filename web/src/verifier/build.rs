//! The static part of the widget: demo buttons, drop zone, paste box, and the regions the
//! view fills (notices, chips, key choice, status, result).

use std::cell::Cell;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement};

use super::dom::{append, Dom, Js};
use super::widget::VerifierOptions;

/// The elements that stay for the widget's lifetime.
pub struct Parts {
    pub dom: Dom,
    pub root: Element,
    pub dropzone: Element,
    pub choose: HtmlElement,
    pub file_input: HtmlInputElement,
    pub paste_box: HtmlTextAreaElement,
    /// Refused share links, unreachable published keys.
    pub notices: Element,
    pub chips: Element,
    pub toggle: Option<HtmlInputElement>,
    /// The live region: what is missing, progress, and the verdict's text.
    pub status: Element,
    /// Rows, rate, time left and memory of a running verification: not a live region.
    pub progress: Element,
    pub result: Element,
}

thread_local! {
    static NEXT_WIDGET: Cell<u32> = const { Cell::new(1) };
}

/// Build the static part of the widget into `host`.
pub fn build(dom: &Dom, host: &Element, options: &VerifierOptions) -> Js<Parts> {
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

    let notices = dom.el("div", &[("class", "notices")])?;
    // Bounded in height (verifier.css), so the verdict below stays in view after a drop.
    let chips = dom.el("ul", &[("class", "chips"), ("aria-label", "Files"), ("data-testid", "chips")])?;
    append(&root, &[&dropzone, &paste, &notices, &chips])?;

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
    let progress = dom.el("p", &[("class", "progress-detail"), ("data-testid", "progress-detail")])?;
    let result = dom.el("div", &[("class", "result-slot")])?;
    append(&root, &[&status, &progress, &result])?;
    host.append_child(&root)?;
    Ok(Parts {
        dom: dom.clone(),
        root,
        dropzone,
        choose,
        file_input,
        paste_box,
        notices,
        chips,
        toggle,
        status,
        progress,
        result,
    })
}

/// A visible alert.
pub fn alert(dom: &Dom, testid: &str, message: &str) -> Js<Element> {
    dom.text("p", &[("class", "error"), ("role", "alert"), ("data-testid", testid)], message)
}
