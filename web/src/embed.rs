//! The embed: `<div data-receipt-verifier data-keys="/jwks.json">` anywhere on a host page,
//! plus one `<script type="module" src=".../receipt-verifier.js">`. The loader script sets
//! `globalThis.receiptVerifierBase` to its own folder, where the worker and the package are.

use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::verifier::model::PublishedKeys;
use crate::verifier::{Verifier, VerifierOptions};

/// Mount a widget into each `[data-receipt-verifier]` element.
pub fn mount_all() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Ok(hosts) = document.query_selector_all("[data-receipt-verifier]") else { return };
    let base = js_sys::Reflect::get(&js_sys::global(), &"receiptVerifierBase".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| "./".into());
    for i in 0..hosts.length() {
        let Some(host) = hosts.item(i).and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok()) else { continue };
        let keys_url = host.get_attribute("data-keys");
        let demo = host.has_attribute("data-demo");
        let base = base.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let published = match keys_url {
                Some(url) => fetch_keys(&url).await,
                None => None,
            };
            let options =
                VerifierOptions { worker_url: format!("{base}worker.js"), published, share_links: false, demo };
            let handle = leptos::mount::mount_to(host, move || view! { <Verifier options=options /> });
            handle.forget();
        });
    }
}

/// The host's published JWKS (fetched once, at start-up, from the host's own origin).
async fn fetch_keys(url: &str) -> Option<PublishedKeys> {
    let window = web_sys::window()?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url)).await.ok()?.dyn_into().ok()?;
    if !response.ok() {
        return None;
    }
    let buffer = JsFuture::from(response.array_buffer().ok()?).await.ok()?;
    let name = url.rsplit('/').next().unwrap_or(url).to_string();
    Some(PublishedKeys { name, bytes: Arc::new(js_sys::Uint8Array::new(&buffer).to_vec()) })
}
