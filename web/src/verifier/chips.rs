//! One chip per file: name, what `inspect` said (or "reading…"), its keys, a role the
//! visitor can change, and a remove button. Every value from the file is clamped, its
//! hidden characters spelled out, and isolated in a `<bdi>`.

use web_sys::Element;

use super::dom::{append, Dom, Js};
use super::model::{DroppedFile, Origin};
use super::text::{visible, SHORT};
use crate::report::Role;

/// What a chip shows, to skip re-rendering chips that did not change.
pub type ChipKey = (u32, bool, bool, Option<Role>);

/// The key of `f`'s chip.
pub fn key(f: &DroppedFile) -> ChipKey {
    (f.id, f.reading, f.inspection.is_some(), f.chosen_role)
}

/// A value from a file, as `<bdi>` text.
pub fn bdi(dom: &Dom, class: &str, value: &str, max: usize) -> Js<Element> {
    dom.text("bdi", &[("class", class)], &visible(value, max))
}

/// The chip for `f`.
pub fn chip(dom: &Dom, f: &DroppedFile) -> Js<Element> {
    let (label, class, reason) = match (&f.inspection, f.role()) {
        _ if f.reading => ("reading…".to_string(), "chip pending", None),
        (None, _) => ("checking…".to_string(), "chip pending", None),
        (Some(_), Some(Role::Unusable)) => {
            let r = f.refusal();
            (f.inspection.as_ref().map(|i| i.label.clone()).unwrap_or_default(), "chip bad", Some(r.reason))
        }
        (Some(i), _) => (i.label.clone(), "chip", None),
    };
    let li = dom.el("li", &[("class", class), ("data-testid", "chip"), ("data-id", &f.id.to_string())])?;
    append(&li, &[&bdi(dom, "chip-name", &f.name, SHORT)?, &bdi(dom, "chip-label", &label, SHORT)?])?;
    if let Some(r) = reason {
        append(&li, &[&bdi(dom, "chip-reason", &r, SHORT * 3)?])?;
    }
    let keys = f.inspection.iter().flat_map(|i| i.keys.iter());
    for k in keys.clone().take(4) {
        let span = dom.el("span", &[("class", "chip-key")])?;
        let kid = k.kid.as_deref().unwrap_or("no kid");
        let fp = format!("{}…", visible(k.fingerprint.get(..16).unwrap_or_default(), 16));
        append(&span, &[&bdi(dom, "kid", kid, SHORT)?, &dom.t(" · SHA-256 "), &dom.text("code", &[], &fp)?])?;
        append(&li, &[&span])?;
    }
    let more = keys.count().saturating_sub(4);
    if more > 0 {
        append(&li, &[&dom.text("span", &[("class", "chip-key")], &format!("and {more} more keys"))?])?;
    }
    if !f.reading && f.inspection.is_some() {
        append(&li, &[&role_select(dom, f)?])?;
    }
    let id = f.id.to_string();
    let remove_label = format!("Remove {}", visible(&f.name, SHORT));
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

/// The role choice: what `inspect` said, or the visitor's pick. A file from a share link
/// can only be a receipt.
fn role_select(dom: &Dom, f: &DroppedFile) -> Js<Element> {
    let label = format!("Use {} as", visible(&f.name, SHORT));
    let select = dom.el(
        "select",
        &[("class", "chip-role"), ("data-action", "role"), ("data-id", &f.id.to_string()), ("aria-label", &label)],
    )?;
    let choices: &[(&str, &str)] = match f.origin {
        Origin::Link => &[("auto", "as detected"), ("receipts", "receipts")],
        Origin::Visitor => {
            &[("auto", "as detected"), ("receipts", "receipts"), ("rows", "row export"), ("keys", "public keys")]
        }
    };
    let current = role_value(f.chosen_role);
    for (value, text) in choices {
        let option = dom.text("option", &[("value", value)], text)?;
        if *value == current {
            option.set_attribute("selected", "")?;
        }
        append(&select, &[&option])?;
    }
    Ok(select)
}

/// The `<option>` value for a chosen role.
pub fn role_value(role: Option<Role>) -> &'static str {
    match role {
        None | Some(Role::Unusable) => "auto",
        Some(Role::Receipts) => "receipts",
        Some(Role::Rows) => "rows",
        Some(Role::Keys) => "keys",
    }
}

/// The chosen role for an `<option>` value (`None`: as detected).
pub fn role_of(value: &str) -> Option<Role> {
    match value {
        "receipts" => Some(Role::Receipts),
        "rows" => Some(Role::Rows),
        "keys" => Some(Role::Keys),
        _ => None,
    }
}
