//! "Check it yourself" (the commands that re-check the first receipt by hand, with the
//! fingerprint of the key that verified *that* receipt) and the "Copy share link" action.

use std::collections::BTreeSet;

use web_sys::Element;

use super::dom::{append, Dom, Js};
use super::recipe;
use super::share;
use crate::report::Report;

/// The first receipt's `alg` and `kid`: the first line of JSON Lines, a single receipt, or
/// the first item of an array.
#[derive(Debug, Default, PartialEq, serde::Deserialize)]
pub struct FirstReceipt {
    /// Its `alg` (the recipe defaults to RS256).
    pub alg: Option<String>,
    /// Its `kid`.
    pub kid: Option<String>,
}

impl FirstReceipt {
    /// Read `alg` and `kid` only: a whole `serde_json::Value` costs the embed 1 KB more.
    pub fn of(bytes: &[u8]) -> FirstReceipt {
        let text = String::from_utf8_lossy(bytes);
        let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
        serde_json::from_str::<FirstReceipt>(first)
            .or_else(|_| serde_json::from_str::<FirstReceipt>(&text))
            .or_else(|_| {
                serde_json::from_str::<Vec<FirstReceipt>>(&text).map(|l| l.into_iter().next().unwrap_or_default())
            })
            .unwrap_or_default()
    }
}

/// The fingerprint of the key that verified the receipt whose kid is `kid`: the verifying
/// keys with that kid (or all verifying keys, without one) must agree on one key, else
/// none is printed rather than a wrong one.
pub fn verifying_fingerprint(report: &Report, kid: Option<&str>) -> Option<String> {
    let candidates: BTreeSet<&str> = report
        .keys_used()
        .filter(|k| kid.is_none() || k.kid.as_deref() == kid)
        .map(|k| k.fingerprint.as_str())
        .collect();
    let mut it = candidates.into_iter();
    match (it.next(), it.next()) {
        (Some(one), None) => Some(one.to_string()),
        _ => None,
    }
}

/// The commands for the first receipt of `file` (name, bytes), checked against `report`.
pub fn commands(name: &str, bytes: &[u8], report: &Report) -> String {
    let first = FirstReceipt::of(bytes);
    let fingerprint = verifying_fingerprint(report, first.kid.as_deref());
    recipe::commands(name, recipe::Layout::of(bytes), first.alg.as_deref().unwrap_or("RS256"), fingerprint.as_deref())
}

/// What the share action offers for the first receipt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShareOffer {
    /// No share links here (the embed: the host page owns its URL).
    Off,
    /// A "Copy share link" button.
    Link,
    /// The receipt is too large for a link.
    TooLarge,
}

impl ShareOffer {
    /// The offer for a receipt of `len` bytes.
    pub fn of(share_links: bool, len: usize) -> ShareOffer {
        match (share_links, len <= share::MAX_BYTES) {
            (false, _) => ShareOffer::Off,
            (true, true) => ShareOffer::Link,
            (true, false) => ShareOffer::TooLarge,
        }
    }
}

/// The "Check it yourself" panel with a copy button, and the share action.
pub fn view(dom: &Dom, recipe: &str, share: ShareOffer) -> Js<Element> {
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
    match share {
        ShareOffer::Off => {}
        ShareOffer::Link => {
            let p = dom.el("p", &[("class", "share-note")])?;
            let button = dom.text(
                "button",
                &[("type", "button"), ("data-action", "share"), ("data-testid", "share-link")],
                "Copy share link",
            )?;
            append(&p, &[&button, &dom.t(" The link carries this receipt after #, which is never sent to a server.")])?;
            append(&wrap, &[&p])?;
        }
        ShareOffer::TooLarge => append(
            &wrap,
            &[&dom.text("p", &[("class", "share-note")], "This receipt is too large for a share link.")?],
        )?,
    }
    Ok(wrap)
}

#[cfg(test)]
mod tests {
    use super::FirstReceipt;

    #[test]
    fn the_recipe_alg_and_kid_come_from_the_first_receipt() {
        let alg = |b: &[u8]| FirstReceipt::of(b).alg.unwrap_or_else(|| "RS256".into());
        assert_eq!(alg(b"{\"alg\":\"ES256\"}\n{\"alg\":\"PS256\"}\n"), "ES256");
        assert_eq!(alg(b"\n{\n  \"alg\": \"PS256\"\n}\n"), "PS256");
        assert_eq!(alg(b"[{\"alg\":\"ES256\"},{\"alg\":\"RS256\"}]"), "ES256");
        assert_eq!(alg(b"{\"kid\":\"k\"}"), "RS256");
        assert_eq!(alg(b"not json"), "RS256");
        assert_eq!(alg(b"[]"), "RS256");
        assert_eq!(FirstReceipt::of(b"{\"kid\":\"k2\"}\n{\"kid\":\"k1\"}").kid.as_deref(), Some("k2"));
    }
}
