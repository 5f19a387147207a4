//! The embed: `<div data-receipt-verifier data-keys="/jwks.json">` anywhere on a host page,
//! plus one `<script type="module" src=".../receipt-verifier.js">`. `data-demo` and
//! `data-demo-tampered` name the host's sample files for the demo buttons. The loader
//! script sets `globalThis.receiptVerifierBase` to its own folder, where the worker is.
//!
//! The embed's WebAssembly holds the widget *and* the verification core: the worker loads
//! the same file, so a visitor downloads the core once and the two share one runtime. No
//! Leptos here, which keeps the bundle within its 200 KB budget.

use std::sync::Arc;

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::verifier::model::PublishedKeys;
use crate::verifier::widget::DemoFile;
use crate::verifier::{Demo, VerifierOptions, Widget};

thread_local! {
    /// Mounted widgets live as long as the page.
    static WIDGETS: std::cell::RefCell<Vec<Widget>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Mount a widget into each `[data-receipt-verifier]` element. Does nothing in a worker.
pub fn mount_all() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Ok(hosts) = document.query_selector_all("[data-receipt-verifier]") else { return };
    let base = js_sys::Reflect::get(&js_sys::global(), &"receiptVerifierBase".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| "./".into());
    for i in 0..hosts.length() {
        let Some(host) = hosts.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else { continue };
        let keys_url = host.get_attribute("data-keys");
        let demo_urls = [host.get_attribute("data-demo"), host.get_attribute("data-demo-tampered")];
        // The worker imports this same module through embed-core.js.
        let worker_url = format!("{base}worker.js?core=embed-core.js");
        wasm_bindgen_futures::spawn_local(async move {
            let published = match keys_url {
                Some(url) => fetch(&url).await.map(|(name, bytes)| PublishedKeys { name, bytes }),
                None => None,
            };
            let [good, tampered] = demo_urls;
            let demo = match good {
                Some(good) => Some(Demo {
                    good: fetch_all(&good).await,
                    tampered: fetch_all(&tampered.unwrap_or_default()).await,
                }),
                None => None,
            };
            let options = VerifierOptions { worker_url, published, share_links: false, demo };
            if let Ok(widget) = Widget::mount(&host, options) {
                WIDGETS.with(|w| w.borrow_mut().push(widget));
            }
        });
    }
}

/// One of the host's files (its JWKS, a demo receipt), fetched once at start-up, with the
/// last part of its URL as its name.
async fn fetch(url: &str) -> Option<DemoFile> {
    let window = web_sys::window()?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url)).await.ok()?.dyn_into().ok()?;
    if !response.ok() {
        return None;
    }
    let buffer = JsFuture::from(response.array_buffer().ok()?).await.ok()?;
    let name = url.rsplit('/').next().unwrap_or(url).to_string();
    Some((name, Arc::new(js_sys::Uint8Array::new(&buffer).to_vec())))
}

/// Every file of a space-separated URL list; a demo missing a file is no demo.
async fn fetch_all(urls: &str) -> Vec<DemoFile> {
    let mut files = Vec::new();
    for url in urls.split_ascii_whitespace() {
        match fetch(url).await {
            Some(file) => files.push(file),
            None => return Vec::new(),
        }
    }
    files
}
