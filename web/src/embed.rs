//! The embed: `<div data-receipt-verifier data-keys="/jwks.json">` anywhere on a host page,
//! plus one `<script type="module" src=".../receipt-verifier.js">`. `data-demo` and
//! `data-demo-tampered` name the host's sample files for the demo buttons; `data-vendor`
//! names the vendor in the verdict. The loader script sets `globalThis.receiptVerifierBase`
//! to its own folder, where the worker and the stylesheet are.
//!
//! Each widget lives in a shadow root with its own stylesheet, so the host's CSS (e.g.
//! Bootstrap's `.progress`) cannot hide or clip any of it. Elements added after load are
//! mounted too.
//!
//! The embed's WebAssembly holds the widget *and* the verification core: the worker loads
//! the same file, so a visitor downloads the core once and the two share one runtime. No
//! Leptos here, which keeps the bundle within its 200 KB budget.

use std::sync::Arc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, MutationObserver, MutationObserverInit, ShadowRootInit, ShadowRootMode};

use crate::verifier::model::PublishedKeys;
use crate::verifier::widget::DemoFile;
use crate::verifier::{Demo, VerifierOptions, Widget};

/// Set on a host once its widget is being mounted, so it is mounted once.
const MOUNTED: &str = "data-receipt-verifier-mounted";

thread_local! {
    /// Mounted widgets live as long as the page.
    static WIDGETS: std::cell::RefCell<Vec<Widget>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Mount a widget into each `[data-receipt-verifier]` element, now and whenever one is
/// added later. Does nothing in a worker.
pub fn mount_all() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    mount_new(&document);
    let observe = Closure::<dyn FnMut()>::new(move || {
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            mount_new(&document);
        }
    });
    if let Ok(observer) = MutationObserver::new(observe.as_ref().unchecked_ref()) {
        let init = MutationObserverInit::new();
        init.set_child_list(true);
        init.set_subtree(true);
        let _ = observer.observe_with_options(&document, &init);
    }
    // Observes for the page's lifetime.
    observe.forget();
}

fn base() -> String {
    js_sys::Reflect::get(&js_sys::global(), &"receiptVerifierBase".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| "./".into())
}

/// Mount every host not mounted yet.
fn mount_new(document: &web_sys::Document) {
    let selector = format!("[data-receipt-verifier]:not([{MOUNTED}])");
    let Ok(hosts) = document.query_selector_all(&selector) else { return };
    for i in 0..hosts.length() {
        let Some(host) = hosts.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else { continue };
        if host.set_attribute(MOUNTED, "").is_err() {
            continue;
        }
        wasm_bindgen_futures::spawn_local(async move {
            let _ = mount_one(host).await;
        });
    }
}

async fn mount_one(host: Element) -> Result<(), JsValue> {
    let base = base();
    let keys_url = host.get_attribute("data-keys");
    let demo_urls = [host.get_attribute("data-demo"), host.get_attribute("data-demo-tampered")];
    let vendor = host.get_attribute("data-vendor").filter(|v| !v.trim().is_empty());
    let document = host.owner_document().ok_or("no document")?;
    // The shadow root (or the host itself, if the host refuses one) holds the stylesheet
    // and the widget.
    let inner = document.create_element("div")?;
    let style = document.create_element("link")?;
    style.set_attribute("rel", "stylesheet")?;
    style.set_attribute("href", &format!("{base}verifier.css"))?;
    style.set_attribute("data-receipt-verifier-style", "")?;
    match host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open)) {
        Ok(shadow) => {
            shadow.append_child(&style)?;
            shadow.append_child(&inner)?;
        }
        Err(_) => {
            host.append_child(&style)?;
            host.append_child(&inner)?;
        }
    }
    let (published, published_problem) = match keys_url {
        Some(url) => match fetch(&url).await {
            Ok((name, bytes)) => (Some(PublishedKeys { name, bytes }), None),
            Err(why) => (None, Some(format!("the vendor's keys could not be fetched from {url} ({why})"))),
        },
        None => (None, None),
    };
    let [good, tampered] = demo_urls;
    let demo = match good {
        Some(good) => {
            Some(Demo { good: fetch_all(&good).await, tampered: fetch_all(&tampered.unwrap_or_default()).await })
        }
        None => None,
    };
    let options = VerifierOptions {
        // The worker imports this same module through embed-core.js.
        worker_url: format!("{base}worker.js?core=embed-core.js"),
        published,
        published_problem,
        vendor: vendor.unwrap_or_else(|| "the vendor".into()),
        share_links: false,
        demo,
    };
    let widget = Widget::mount(&inner, options)?;
    WIDGETS.with(|w| w.borrow_mut().push(widget));
    Ok(())
}

/// One of the host's files (its JWKS, a demo receipt), fetched once at start-up, with the
/// last part of its URL as its name.
async fn fetch(url: &str) -> Result<DemoFile, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|_| "network error".to_string())?
        .dyn_into()
        .map_err(|_| "no response".to_string())?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    let body = response.array_buffer().map_err(|_| "unreadable body".to_string())?;
    let buffer = JsFuture::from(body).await.map_err(|_| "unreadable body".to_string())?;
    let name = url.rsplit('/').next().unwrap_or(url).to_string();
    Ok((name, Arc::new(js_sys::Uint8Array::new(&buffer).to_vec())))
}

/// Every file of a space-separated URL list; a demo missing a file is no demo.
async fn fetch_all(urls: &str) -> Vec<DemoFile> {
    let mut files = Vec::new();
    for url in urls.split_ascii_whitespace() {
        match fetch(url).await {
            Ok(file) => files.push(file),
            Err(_) => return Vec::new(),
        }
    }
    files
}
