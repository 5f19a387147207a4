//! The result: the verdict banner (with `data-verdict`), the keys used and every check.
//! Values from files are clamped and isolated (see [`super::text`]), so nothing in them
//! can hide or reword the verdict.

use std::collections::HashSet;

use web_sys::Element;

use super::chips::bdi;
use super::dom::{append, Dom, Js};
use super::model::PUBLISHED_PREFIX;
use super::text::{visible, LONG, SHORT};
use super::verdict::{is_published, key_origin, Refusal, Verdict};
use crate::report::Report;

/// What the banner needs besides the report.
pub struct Context<'a> {
    /// The published keys' fingerprints.
    pub published: &'a [&'a str],
    /// The vendor's name, for "is not one of {vendor}'s published keys".
    pub vendor: &'a str,
    /// The page or embed publishes no keys at all (an embed without `data-keys`).
    pub no_published_keys: bool,
    /// "Use only keys I provide": the published keys were not used.
    pub only_my_keys: bool,
}

/// The distinct check ids with `status`, in report order.
pub fn distinct(report: &Report, status: &str) -> Vec<String> {
    let mut seen = HashSet::new();
    report
        .checks
        .iter()
        .filter(|c| c.status == status && seen.insert(c.id.as_str()))
        .map(|c| visible(&c.id, SHORT))
        .collect()
}

fn banner(dom: &Dom, verdict: Verdict) -> Js<(Element, Element)> {
    let class = match verdict {
        Verdict::Verified => "verdict ok",
        Verdict::VerifiedUnpublishedKey => "verdict caution",
        Verdict::Failed => "verdict bad",
    };
    let banner = dom.el("div", &[("class", class), ("data-testid", "verdict"), ("data-verdict", verdict.attr())])?;
    let icon = if verdict == Verdict::Verified { "✔" } else { "✘" };
    let words = dom.el("div", &[])?;
    append(&words, &[&dom.text("strong", &[("class", "verdict-text")], verdict.headline())?])?;
    append(&banner, &[&dom.text("span", &[("class", "verdict-icon"), ("aria-hidden", "true")], icon)?, &words])?;
    Ok((banner, words))
}

/// *Not verified*, because files cannot be used: each is named with the reason.
pub fn refused_view(dom: &Dom, refusals: &[Refusal]) -> Js<Element> {
    let section = dom.el("section", &[("class", "result"), ("aria-label", "Verification result")])?;
    let (banner, words) = banner(dom, Verdict::Failed)?;
    let list = dom.el("ul", &[("class", "refused"), ("data-testid", "refused")])?;
    for r in refusals.iter().take(20) {
        let li = dom.el("li", &[])?;
        append(&li, &[&dom.t("Cannot use "), &bdi(dom, "file", &r.name, SHORT)?, &dom.t(": ")])?;
        append(&li, &[&bdi(dom, "reason", &r.reason, LONG)?])?;
        append(&list, &[&li])?;
    }
    if refusals.len() > 20 {
        append(&list, &[&dom.text("li", &[], &format!("and {} more files", refusals.len() - 20))?])?;
    }
    let hint = "Remove these files, or change their role on their chip, to verify the others.";
    append(&words, &[&list, &dom.text("span", &[("class", "verdict-counts")], hint)?])?;
    append(&section, &[&banner])?;
    Ok(section)
}

/// *Not verified*, because verification could not run.
pub fn failed_view(dom: &Dom, message: &str) -> Js<Element> {
    let section = dom.el("section", &[("class", "result"), ("aria-label", "Verification result")])?;
    let (banner, words) = banner(dom, Verdict::Failed)?;
    let text = format!("Could not verify: {}", visible(message, LONG));
    append(&words, &[&dom.text("span", &[("class", "verdict-failing"), ("data-testid", "failure")], &text)?])?;
    append(&section, &[&banner])?;
    Ok(section)
}

/// The verdict banner, the keys used and every check.
pub fn result_view(dom: &Dom, report: &Report, ctx: &Context) -> Js<Element> {
    let verdict = Verdict::of(report, ctx.published);
    let s = &report.summary;
    let section = dom.el("section", &[("class", "result"), ("aria-label", "Verification result")])?;
    let (banner, words) = banner(dom, verdict)?;
    if verdict == Verdict::VerifiedUnpublishedKey {
        for k in report.keys_used().filter(|k| !is_published(k, ctx.published)).take(3) {
            let p = dom.el("span", &[("class", "verdict-unpublished"), ("data-testid", "unpublished")])?;
            let kid = k.kid.as_deref().unwrap_or("(no kid)");
            let fp = format!("SPKI SHA-256 {}…", visible(k.fingerprint.get(..16).unwrap_or_default(), 16));
            let tail = if ctx.no_published_keys {
                format!(") is your own: this page publishes no keys, so nothing shows it is {}'s.", ctx.vendor)
            } else if ctx.only_my_keys {
                format!(") is one you provided: with \"use only keys I provide\", {}'s published keys, and what they say of revocation, validity and roles, are not used.", ctx.vendor)
            } else {
                format!(") is not one of {}'s published keys.", ctx.vendor)
            };
            append(
                &p,
                &[&dom.t("The key "), &bdi(dom, "kid", kid, SHORT)?, &dom.t(&format!(" ({fp}")), &dom.t(&tail)],
            )?;
            append(&words, &[&p])?;
        }
    }
    append(
        &words,
        &[&dom.text(
            "span",
            &[("class", "verdict-counts")],
            &format!("{} passed, {} failed, {} warnings, {} notes", s.pass, s.fail, s.warn, s.note),
        )?],
    )?;
    let warnings = distinct(report, "warn");
    if !warnings.is_empty() {
        let text = format!("Warnings: {}", warnings.join(", "));
        append(&words, &[&dom.text("span", &[("class", "verdict-warnings"), ("data-testid", "warnings")], &text)?])?;
    }
    let failing = distinct(report, "fail");
    if !failing.is_empty() {
        let text = format!("Failed: {}", failing.join(", "));
        append(&words, &[&dom.text("span", &[("class", "verdict-failing"), ("data-testid", "failing")], &text)?])?;
    }

    let keys = dom.el("ul", &[("class", "keys-used")])?;
    let mut any_key = false;
    for k in report.keys_used().take(20) {
        any_key = true;
        let li = dom.el("li", &[("data-testid", "key-used")])?;
        let fingerprint = dom.el("span", &[("class", "fingerprint")])?;
        append(&fingerprint, &[&dom.t("SPKI SHA-256 "), &dom.text("code", &[], &visible(&k.fingerprint, 64))?])?;
        let code = dom.el("code", &[])?;
        append(&code, &[&bdi(dom, "kid", k.kid.as_deref().unwrap_or("(no kid)"), SHORT)?])?;
        let origin = format!(" · {} · {} (", visible(&k.key_type, SHORT), key_origin(k, ctx.published));
        // The worker names the published set "published: <file>"; people see the file.
        let source = k.source.strip_prefix(PUBLISHED_PREFIX).unwrap_or(&k.source);
        let file = bdi(dom, "source", source, SHORT)?;
        append(&li, &[&code, &dom.t(&origin), &file, &dom.t(")"), &dom.el("br", &[])?, &fingerprint])?;
        append(&keys, &[&li])?;
    }
    // Without a verifying key, say which key each receipt was checked with (key.select).
    if !any_key {
        append(&keys, &[&dom.text("li", &[], "No supplied key verified a signature.")?])?;
        let mut seen = HashSet::new();
        let tried = report.checks.iter().filter(|c| c.id == "key.select" && seen.insert(c.message.as_str()));
        for c in tried.take(3) {
            let li = dom.el("li", &[("data-testid", "key-tried")])?;
            append(&li, &[&dom.t("Tried: "), &bdi(dom, "message", &c.message, LONG)?])?;
            append(&keys, &[&li])?;
        }
    }

    let details = dom.el("details", &[("class", "checks")])?;
    if verdict == Verdict::Failed {
        details.set_attribute("open", "")?;
    }
    append(
        &details,
        &[&dom.text("summary", &[], &format!("Every check ({})", report.checks.len()))?, &checks(dom, report)?],
    )?;
    append(&section, &[&banner, &dom.text("h4", &[], "Key used")?, &keys, &details])?;
    Ok(section)
}

/// The table of every check.
fn checks(dom: &Dom, report: &Report) -> Js<Element> {
    let table = dom.el("table", &[])?;
    let head = dom.el("thead", &[])?;
    let head_row = dom.el("tr", &[])?;
    for h in ["Status", "Check", "Where", "Details"] {
        append(&head_row, &[&dom.text("th", &[], h)?])?;
    }
    append(&head, &[&head_row])?;
    let body = dom.el("tbody", &[])?;
    for c in &report.checks {
        let status = match c.status.as_str() {
            s @ ("pass" | "fail" | "warn" | "note") => s,
            _ => "note",
        };
        let tr = dom.el("tr", &[("class", &format!("check {status}")), ("data-testid", "check")])?;
        let pill = dom.el("td", &[])?;
        append(&pill, &[&dom.text("span", &[("class", &format!("pill {status}"))], &status.to_uppercase())?])?;
        let id = dom.el("td", &[])?;
        append(&id, &[&dom.text("code", &[], &visible(&c.id, SHORT))?])?;
        let details_cell = dom.el("td", &[])?;
        append(&details_cell, &[&bdi(dom, "message", &c.message, LONG)?])?;
        if c.expected.is_some() || c.actual.is_some() {
            let dl = dom.el("dl", &[("class", "values")])?;
            for (term, value) in [("expected", &c.expected), ("actual", &c.actual)] {
                let dd = dom.el("dd", &[])?;
                let code = dom.el("code", &[])?;
                append(&code, &[&bdi(dom, "value", value.as_deref().unwrap_or_default(), LONG)?])?;
                append(&dd, &[&code])?;
                append(&dl, &[&dom.text("dt", &[], term)?, &dd])?;
            }
            append(&details_cell, &[&dl])?;
        }
        let place = dom.el("td", &[("class", "place")])?;
        append(&place, &[&bdi(dom, "where", &c.subject.place(), LONG)?])?;
        append(&tr, &[&pill, &id, &place, &details_cell])?;
        append(&body, &[&tr])?;
    }
    append(&table, &[&head, &body])?;
    let wrap = dom.el(
        "div",
        &[("class", "table-wrap"), ("tabindex", "0"), ("role", "region"), ("aria-label", "Every check table")],
    )?;
    append(&wrap, &[&table])?;
    Ok(wrap)
}
