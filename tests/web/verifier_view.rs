//! The widget's views, mounted in headless Chromium directly and through the page's
//! Leptos component (`mount_to`). Part of the `verifier` test target.

use super::{keys_inspection, published, report, report_with_keys, Inspection, FP_OTHER, FP_PUBLISHED};
use leptos::prelude::*;
use trust_center::verifier::dom::Dom;
use trust_center::verifier::result::{result_view, Context};
use trust_center::verifier::{Verifier, VerifierOptions, Widget};
use wasm_bindgen::JsCast;

fn host() -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    div.dyn_into().unwrap()
}

fn all(host: &web_sys::HtmlElement, testid: &str) -> Vec<String> {
    let list = host.query_selector_all(&format!("[data-testid={testid}]")).unwrap();
    (0..list.length()).map(|i| list.item(i).unwrap().text_content().unwrap_or_default()).collect()
}

fn verdict_attr(host: &web_sys::HtmlElement) -> Option<String> {
    host.query_selector("[data-testid=verdict]").unwrap().and_then(|e| e.get_attribute("data-verdict"))
}

fn options(demo: bool) -> VerifierOptions {
    VerifierOptions {
        worker_url: "./no-such-worker.js".into(),
        published: Some(published()),
        published_problem: None,
        vendor: "Northwind Ledger".into(),
        share_links: false,
        demo: demo.then(trust_center::verifier::demo::demo),
    }
}

#[wasm_bindgen_test::wasm_bindgen_test]
fn verdict_banner_and_checks_render_from_the_report() {
    let published = [FP_PUBLISHED];
    let ctx =
        Context { published: &published, vendor: "Northwind Ledger", no_published_keys: false, only_my_keys: false };
    for (verdict, failing, text, attr) in [
        ("verified", vec![], "Verified", "verified"),
        ("not-verified", vec!["receipt.hash", "receipt.signature", "receipt.hash"], "Not verified", "failed"),
    ] {
        let el = host();
        let r = report(verdict, &failing);
        el.append_child(&result_view(&Dom::of(&el).unwrap(), &r, &ctx).unwrap()).unwrap();
        let banner = all(&el, "verdict").join("");
        assert!(banner.contains(text), "{banner}");
        assert_eq!(verdict_attr(&el).as_deref(), Some(attr));
        assert_eq!(all(&el, "check").len(), 1 + failing.len());
        // Report v2: all passes of an id are one row (its first place); the banner counts
        // them all, from the summary.
        let pass_row = all(&el, "check").first().cloned().unwrap_or_default();
        assert!(pass_row.starts_with("PASS") && pass_row.contains("r.json"), "{pass_row}");
        assert!(banner.contains("1440 passed"), "the summary's true total: {banner}");
        if !failing.is_empty() {
            let f = all(&el, "failing").join("");
            assert_eq!(f, "Failed: receipt.hash, receipt.signature", "distinct ids");
            let row = all(&el, "check").join("");
            assert!(row.contains("0xaa") && row.contains("0xbb") && row.contains("r.json [receipt 0] #/thisHash"));
        }
        assert!(all(&el, "key-used").join("").contains("published by the vendor"));
    }
}

#[wasm_bindgen_test::wasm_bindgen_test]
fn a_pass_under_an_unpublished_key_says_so_and_warnings_are_on_the_banner() {
    let checks = serde_json::json!([{"id": "rows.unsealed", "status": "warn", "message": "newest minute"}]);
    let r = report_with_keys("verified", &[("evil\u{202e}kid", FP_OTHER, 1)], checks);
    let published = [FP_PUBLISHED];
    for (no_keys, only_mine, words) in [
        (false, false, "is not one of Northwind Ledger's published keys"),
        (true, false, "is your own"),
        (false, true, "published keys, and what they say of revocation, validity and roles, are not used"),
    ] {
        let el = host();
        let ctx = Context {
            published: &published,
            vendor: "Northwind Ledger",
            no_published_keys: no_keys,
            only_my_keys: only_mine,
        };
        el.append_child(&result_view(&Dom::of(&el).unwrap(), &r, &ctx).unwrap()).unwrap();
        assert_eq!(verdict_attr(&el).as_deref(), Some("verified-unpublished-key"));
        let banner = all(&el, "verdict").join("");
        assert!(banner.contains(words) && !banner.starts_with("Verified"), "{banner}");
        assert!(all(&el, "unpublished").join("").contains("evil<U+202E>kid"));
        assert!(all(&el, "warnings").join("").contains("rows.unsealed"));
        assert!(all(&el, "key-used").join("").contains("your own key"));
    }
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Through the page's Leptos component (`mount_to`), as the page mounts it.
#[wasm_bindgen_test::wasm_bindgen_test]
async fn a_worker_that_cannot_start_is_reported_not_waited_for() {
    let el = host();
    let options = options(false);
    let _h = leptos::mount::mount_to(el.clone(), move || view! { <Verifier options=options /> });
    let mut text = String::new();
    for _ in 0..100 {
        sleep(50).await;
        text = all(&el, "failure").join("");
        if !text.is_empty() {
            break;
        }
    }
    assert!(text.contains("the verification worker failed (./no-such-worker.js)"), "{text:?}");
}

#[wasm_bindgen_test::wasm_bindgen_test]
fn chips_follow_the_model_and_unusable_files_are_named_in_a_failed_verdict() {
    let el = host();
    let w = Widget::mount(&el, options(true)).unwrap();
    assert_eq!(all(&el, "chip").len(), 0);
    assert_eq!(all(&el, "demo-good").len(), 1);
    let reading = w.update(|m| m.add_reading("big.jsonl", trust_center::verifier::model::Origin::Visitor));
    assert!(all(&el, "chip").join("").contains("reading…"));
    w.update(|m| m.remove(reading));
    let id = w.update(|m| m.add("notes.txt", b"hello".to_vec()));
    assert!(all(&el, "chip").join("").contains("checking…"));
    w.update(|m| m.inspected(id, Inspection::unreadable("not JSON".into())));
    let chip = all(&el, "chip").join("");
    assert!(chip.contains("notes.txt") && chip.contains("not recognised") && chip.contains("not JSON"), "{chip}");
    assert_eq!(verdict_attr(&el).as_deref(), Some("failed"));
    assert!(all(&el, "refused").join("").contains("notes.txt"));
    assert!(all(&el, "status").join("").contains("Not verified: cannot use notes.txt"), "live region");
    w.update(|m| m.remove(id));
    assert_eq!(all(&el, "chip").len(), 0);
    assert_eq!(verdict_attr(&el), None);
    w.update(|m| {
        m.started(99, 0);
        m.failed(99, "unusable key file k.pem: not a PEM".into());
    });
    assert!(all(&el, "failure").join("").contains("unusable key file k.pem"));
    assert_eq!(verdict_attr(&el).as_deref(), Some("failed"));
}

#[wasm_bindgen_test::wasm_bindgen_test]
fn what_people_read_cannot_hide_the_verdict() {
    let el = host();
    let w = Widget::mount(&el, options(false)).unwrap();
    let name = format!("receipt\u{202e}nosj.exe{}", "\u{2800}".repeat(3000));
    let id = w.update(|m| m.add(name, b"{}".to_vec()));
    let kid = format!("published by the vendor{}", "\u{2800}".repeat(3000));
    let mut keys = keys_inspection(&[FP_OTHER]);
    keys.keys[0].kid = Some(kid);
    w.update(|m| m.inspected(id, keys));
    let chip = all(&el, "chip").join("");
    assert!(chip.contains("<U+202E>") && chip.contains("<U+2800>"), "{chip}");
    assert!(!chip.contains('\u{202e}') && !chip.contains('\u{2800}'), "hidden characters are spelled out");
    assert!(chip.chars().count() < 1500, "clamped: {} characters", chip.chars().count());
    assert!(el.query_selector("[data-testid=chip] bdi.chip-name").unwrap().is_some(), "isolated in <bdi>");
    // The role select is there, and a file's role can be changed.
    assert!(el.query_selector("[data-testid=chip] select[data-action=role]").unwrap().is_some());
}

/// A progress tick moves the bar and leaves the rest of the status (and its Cancel
/// button, which may have focus) in place; the verdict is announced in words.
#[wasm_bindgen_test::wasm_bindgen_test]
fn progress_updates_the_bar_in_place_and_the_verdict_is_announced() {
    let el = host();
    let w = Widget::mount(&el, options(false)).unwrap();
    w.update(|m| m.started(5, 1000));
    let cancel = el.query_selector("[data-testid=cancel]").unwrap().unwrap();
    w.update(|m| m.progress(5, 400, 1000));
    let bar = el.query_selector("progress").unwrap().unwrap();
    assert_eq!(bar.get_attribute("value").as_deref(), Some("400"));
    assert!(cancel.is_connected(), "the Cancel button was rebuilt");
    w.update(|m| m.inspected(trust_center::verifier::model::PUBLISHED_ID, keys_inspection(&[FP_PUBLISHED])));
    w.update(|m| m.finished(5, report("verified", &[])));
    assert!(!cancel.is_connected());
    assert!(all(&el, "verdict").join("").contains("Verified"));
    assert_eq!(verdict_attr(&el).as_deref(), Some("verified"));
    assert_eq!(all(&el, "status").join(""), "Verified", "the live region says the verdict");
}

#[wasm_bindgen_test::wasm_bindgen_test]
fn focus_stays_in_the_widget_after_cancel() {
    let el = host();
    let w = Widget::mount(&el, options(false)).unwrap();
    let id = w.update(|m| m.add("r.json", b"{}".to_vec()));
    w.update(|m| {
        m.inspected(id, super::inspection("receipt", "receipt"));
        m.started(77, 10);
    });
    let cancel: web_sys::HtmlElement = el.query_selector("[data-testid=cancel]").unwrap().unwrap().dyn_into().unwrap();
    cancel.focus().unwrap();
    cancel.click();
    assert!(all(&el, "status").join("").contains("Cancelled"));
    let active = web_sys::window().unwrap().document().unwrap().active_element().unwrap();
    assert_eq!(active.get_attribute("data-testid").as_deref(), Some("choose"));
}
