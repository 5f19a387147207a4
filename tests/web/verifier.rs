//! The verifier widget's state model and view. The model tests run natively and in
//! headless Chromium; the view tests mount the widget in Chromium, directly and through the
//! page's Leptos component (`mount_to`).

#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::sync::Arc;

use trust_center::report::{Inspection, Report};
use trust_center::verifier::model::{Phase, PublishedKeys, VerifierModel, PUBLISHED_ID};

fn inspection(kind: &str, label: &str) -> Inspection {
    serde_json::from_value(serde_json::json!({ "kind": kind, "label": label, "count": 1, "keys": [] })).unwrap()
}

fn published() -> PublishedKeys {
    PublishedKeys { name: "jwks.json".into(), bytes: Arc::new(b"{\"keys\":[]}".to_vec()) }
}

fn report(verdict: &str, failing: &[&str]) -> Report {
    let mut checks = vec![
        serde_json::json!({"id": "receipt.hash", "status": "pass", "subject": {"file": "r.json"}, "message": "ok"}),
    ];
    for id in failing {
        checks.push(serde_json::json!({
            "id": id, "status": "fail", "subject": {"file": "r.json", "index": 0, "pointer": "/thisHash"},
            "message": "differs", "expected": "0xaa", "actual": "0xbb"
        }));
    }
    serde_json::from_value(serde_json::json!({
        "verdict": verdict,
        "summary": {"pass": 1, "fail": failing.len(), "warn": 0, "note": 0},
        "keys": [{"kid": "k1", "source": "published: jwks.json", "keyType": "RSA-2048",
                  "fingerprint": "8845f2740bd9ff0c6815f18394c6073fd7d9645e0cbe3e9e5701d67ab1086d17",
                  "verifiedSignatures": 1}],
        "checks": checks,
    }))
    .unwrap()
}

#[test]
fn files_are_added_inspected_and_removed() {
    let mut m = VerifierModel::new(Some(published()));
    assert!(matches!(&m.phase, Phase::Waiting(why) if why.contains("Drop a receipt")));
    let r = m.add("r.json", b"{}".to_vec());
    assert!(!m.ready(), "not ready while a file is still being inspected");
    m.inspected(r, inspection("receipt", "receipt (cust-0042)"));
    assert!(m.ready());
    let plan = m.plan().unwrap();
    assert_eq!(plan.keys.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), ["published: jwks.json"]);
    assert!(!plan.own_keys);
    m.remove(r);
    assert!(m.files.is_empty() && !m.ready());
}

#[test]
fn keys_the_visitor_supplies_replace_the_published_ones() {
    let mut m = VerifierModel::new(Some(published()));
    let r = m.add("r.json", b"{}".to_vec());
    let k = m.add("mine.pem", b"pem".to_vec());
    m.inspected(r, inspection("receipt", "receipt"));
    m.inspected(k, inspection("keys", "public key (no kid)"));
    let plan = m.plan().unwrap();
    assert_eq!(plan.keys.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), ["mine.pem"]);
    assert!(plan.own_keys);
    m.remove(k);
    m.set_only_my_keys(true);
    assert!(m.plan().unwrap_err().contains("Add a public key"));
}

#[test]
fn unusable_files_and_several_row_exports_are_explained() {
    let mut m = VerifierModel::new(None);
    let x = m.add("notes.txt", b"hi".to_vec());
    m.inspected(x, inspection("unknown", "not recognised"));
    assert!(m.plan().unwrap_err().contains("none of these files is one"));
    let r = m.add("r.json", b"{}".to_vec());
    m.inspected(r, inspection("receipt", "receipt"));
    assert_eq!(m.plan().unwrap_err(), "Add a public key: this page publishes none.");
    for name in ["a.jsonl", "b.jsonl"] {
        let id = m.add(name, Vec::new());
        m.inspected(id, inspection("row-export", "row export"));
    }
    assert!(m.plan().unwrap_err().contains("one row export at a time"));
}

#[test]
fn answers_to_old_requests_are_ignored_and_cancel_stops_waiting() {
    let mut m = VerifierModel::new(Some(published()));
    let r = m.add("r.json", b"{}".to_vec());
    m.inspected(r, inspection("receipt", "receipt"));
    m.started(7, 100);
    m.progress(7, 50, 100);
    assert_eq!(m.phase, Phase::Running { id: 7, done: 50, total: 100 });
    m.finished(6, report("verified", &[]));
    assert!(matches!(m.phase, Phase::Running { .. }), "a stale report must not replace the running one");
    m.finished(7, report("not-verified", &["receipt.hash"]));
    assert!(matches!(&m.phase, Phase::Done(rep) if !rep.verified()));
    m.started(8, 0);
    m.cancel();
    assert_eq!(m.phase, Phase::Cancelled);
    m.failed(8, "late".into());
    assert_eq!(m.phase, Phase::Cancelled);
    m.inspected(PUBLISHED_ID, inspection("keys", "4 keys"));
    assert!(m.published_inspection.is_some() && m.files.len() == 1);
}

#[cfg(target_arch = "wasm32")]
mod view {
    use super::{published, report, Inspection};
    use leptos::prelude::*;
    use trust_center::verifier::dom::Dom;
    use trust_center::verifier::widget::result_view;
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

    fn options(demo: bool) -> VerifierOptions {
        VerifierOptions {
            worker_url: "./no-such-worker.js".into(),
            published: Some(published()),
            share_links: false,
            demo: demo.then(trust_center::verifier::demo::demo),
        }
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn verdict_banner_and_checks_render_from_the_report() {
        for (verdict, failing, text) in [
            ("verified", vec![], "Verified"),
            ("not-verified", vec!["receipt.hash", "receipt.signature"], "Not verified"),
        ] {
            let el = host();
            let r = report(verdict, &failing);
            el.append_child(&result_view(&Dom::of(&el).unwrap(), &r).unwrap()).unwrap();
            let banner = all(&el, "verdict").join("");
            assert!(banner.contains(text), "{banner}");
            assert_eq!(all(&el, "check").len(), 1 + failing.len());
            if !failing.is_empty() {
                let f = all(&el, "failing").join("");
                assert!(f.contains("receipt.hash") && f.contains("receipt.signature"), "{f}");
                let row = all(&el, "check").join("");
                assert!(row.contains("0xaa") && row.contains("0xbb") && row.contains("r.json [receipt 0] #/thisHash"));
            }
            assert!(all(&el, "key-used").join("").contains("published by the vendor (jwks.json)"));
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
    fn chips_follow_the_model_and_failures_are_shown() {
        let el = host();
        let w = Widget::mount(&el, options(true)).unwrap();
        assert_eq!(all(&el, "chip").len(), 0);
        assert_eq!(all(&el, "demo-good").len(), 1);
        let id = w.update(|m| m.add("notes.txt", b"hello".to_vec()));
        assert!(all(&el, "chip").join("").contains("checking…"));
        w.update(|m| m.inspected(id, Inspection::unreadable("not JSON".into())));
        let chip = all(&el, "chip").join("");
        assert!(chip.contains("notes.txt") && chip.contains("not recognised") && chip.contains("not JSON"), "{chip}");
        assert!(all(&el, "status").join("").contains("Add a receipt"));
        w.update(|m| m.remove(id));
        assert_eq!(all(&el, "chip").len(), 0);
        w.update(|m| {
            m.started(99, 0);
            m.failed(99, "unusable key file k.pem: not a PEM".into());
        });
        assert!(all(&el, "failure").join("").contains("unusable key file k.pem"));
    }

    /// A progress tick moves the bar and leaves the rest of the status (and its Cancel
    /// button, which may have focus) in place.
    #[wasm_bindgen_test::wasm_bindgen_test]
    fn progress_updates_the_bar_in_place() {
        let el = host();
        let w = Widget::mount(&el, options(false)).unwrap();
        w.update(|m| m.started(5, 1000));
        let cancel = el.query_selector("[data-testid=cancel]").unwrap().unwrap();
        w.update(|m| m.progress(5, 400, 1000));
        let bar = el.query_selector("progress").unwrap().unwrap();
        assert_eq!(bar.get_attribute("value").as_deref(), Some("400"));
        assert!(cancel.is_connected(), "the Cancel button was rebuilt");
        w.update(|m| m.finished(5, report("verified", &[])));
        assert!(!cancel.is_connected());
        assert!(all(&el, "verdict").join("").contains("Verified"));
    }
}

/// The "Check it yourself" commands, run as shown against the demo chain (as JSON Lines
/// and as a JSON array), with the demo public key saved as key.pem.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn the_check_it_yourself_commands_work_as_shown() {
    use trust_center::verifier::recipe::{commands, Layout};
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let chain = std::fs::read_to_string(root.join("examples/receipts.jsonl")).unwrap();
    let fingerprint = "8845f2740bd9ff0c6815f18394c6073fd7d9645e0cbe3e9e5701d67ab1086d17";
    let array = format!("[{}]", chain.lines().collect::<Vec<_>>().join(","));
    let mut ran = 0;
    for (name, text, layout) in
        [("receipts.jsonl", chain.clone(), Layout::Lines), ("chain's array.json", array, Layout::Array)]
    {
        assert_eq!(Layout::of(text.as_bytes()), layout);
        let dir = std::env::temp_dir().join(format!("recipe-{}-{ran}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), &text).unwrap();
        std::fs::copy(root.join("examples/audit-key.pub.pem"), dir.join("key.pem")).unwrap();
        let script = commands(name, layout, "RS256", Some(fingerprint));
        let out = std::process::Command::new("sh").arg("-ec").arg(&script).current_dir(&dir).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{script}\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(lines[0], lines[1], "thisHash by hand: {stdout}");
        assert_eq!(lines[2], "Verified OK", "{stdout}");
        assert!(lines[3].starts_with(fingerprint), "{stdout}");
        std::fs::remove_dir_all(&dir).unwrap();
        ran += 1;
    }
    assert_eq!(ran, 2);
}
