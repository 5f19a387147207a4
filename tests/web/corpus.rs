//! The bad-input corpus (issue 9 §5, `tests/bad-inputs/cases.json`) through the page: each
//! case's files go through the verifier's model as dropped files (read, inspected by the
//! core's `inspect`, given the manifest's role on their chip where the page classified them
//! otherwise), the model's plan becomes the very request the widget sends, and the worker's
//! side runs as `web/worker.js` does (`verify`, or `RowVerifier` in 1 MiB chunks). The
//! answer goes back through `Response::parse` into the model, whose verdict is what the
//! banner's `data-verdict` shows.
//!
//! The page's verdict for a case, from the manifest's (`expected_page_verdict`):
//! - exit 0, `verified`: `verified-unpublished-key` when the case's keys are dropped as the
//!   visitor's own (this runner has no published keys), and `verified` when the case's one
//!   key file is the page's published key set and nothing is dropped as a key;
//! - exit 1, `failed`: `failed`, with the same set of failed check ids;
//! - exit 2 (the core refuses a key file): `failed`, with no report: the key file is refused
//!   on its chip, or the worker's error ends the run (never a fallback to other keys).
//!
//! Cases named in `tests/bad-inputs/pending.txt` are skipped, as in the CLI and Node runners.
//! The files come from `$OUT_DIR/bad_inputs.rs`, which `web/build.rs` writes from
//! cases.json at build time, so this list cannot drift from the manifest.

#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)] // test helpers: a failed unwrap is a failed test

use std::collections::BTreeSet;
use std::sync::Arc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test as test;

use trust_center::protocol::{Request, Response};
use trust_center::report::{Inspection, Role};
use trust_center::verifier::model::{Origin, Phase, PublishedKeys, VerifierModel, PUBLISHED_ID};

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// One case of cases.json.
struct Case {
    name: &'static str,
    exit: u8,
    verdict: Option<&'static str>,
    failed: &'static [&'static str],
    /// (path, role, bytes)
    files: &'static [(&'static str, &'static str, &'static [u8])],
}

include!(concat!(env!("OUT_DIR"), "/bad_inputs.rs"));

/// The worker's chunk size for row exports (web/worker.js `CHUNK`).
const CHUNK: usize = 1 << 20;

fn message(e: JsError) -> String {
    let v = JsValue::from(e);
    v.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_else(|| format!("{v:?}"))
}

/// `JSON.stringify(object)`, as the worker's `send`.
fn stringify(object: &js_sys::Object) -> String {
    js_sys::JSON::stringify(object).unwrap().as_string().unwrap()
}

fn set(object: &js_sys::Object, key: &str, value: &JsValue) {
    js_sys::Reflect::set(object, &key.into(), value).unwrap();
}

fn get(object: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(object, &key.into()).unwrap()
}

fn reply(kind: &str, id: &JsValue) -> js_sys::Object {
    let o = js_sys::Object::new();
    set(&o, "type", &kind.into());
    set(&o, "id", id);
    o
}

fn error_reply(id: &JsValue, message: String) -> String {
    let o = reply("error", id);
    set(&o, "message", &message.into());
    stringify(&o)
}

/// The worker's answer to `[header, ...bytes]`, as `web/worker.js` computes it.
fn worker(header: &str, buffers: Vec<Arc<Vec<u8>>>) -> Response {
    let request = js_sys::JSON::parse(header).unwrap();
    let id = get(&request, "id");
    let mut buffers = buffers.into_iter().map(|b| js_sys::Uint8Array::from(b.as_slice()));
    let text = match get(&request, "type").as_string().as_deref() {
        Some("inspect") => match receipt_verify_wasm::inspect(buffers.next().unwrap().into()) {
            Ok(inspection) => {
                let o = reply("inspected", &id);
                set(&o, "inspection", &inspection);
                stringify(&o)
            }
            Err(e) => error_reply(&id, message(e)),
        },
        Some("verify") => {
            let take = |names: JsValue, buffers: &mut dyn Iterator<Item = js_sys::Uint8Array>| {
                let files = js_sys::Array::new();
                for name in js_sys::Array::from(&names).iter() {
                    let f = js_sys::Object::new();
                    set(&f, "name", &name);
                    set(&f, "data", &buffers.next().unwrap());
                    files.push(&f);
                }
                files
            };
            let receipts = take(get(&request, "receipts"), &mut buffers);
            let keys = take(get(&request, "keys"), &mut buffers);
            let as_receipts = get(&request, "asReceipts");
            if !as_receipts.is_undefined() {
                for i in js_sys::Array::from(&as_receipts).iter() {
                    set(&receipts.get(i.as_f64().unwrap() as u32).into(), "role", &"receipts".into());
                }
            }
            let rows = get(&request, "rows").as_string();
            let report = match rows {
                None => {
                    let input = js_sys::Object::new();
                    set(&input, "receipts", &receipts);
                    set(&input, "keys", &keys);
                    receipt_verify_wasm::verify(input.into())
                }
                Some(name) => {
                    let rows = buffers.next().unwrap().to_vec();
                    receipt_verify_wasm::RowVerifier::new(receipts.into(), keys.into(), Some(name)).and_then(|mut v| {
                        for chunk in rows.chunks(CHUNK) {
                            v.push(chunk)?;
                        }
                        v.finish()
                    })
                }
            };
            match report {
                Ok(report) => {
                    let o = reply("report", &id);
                    set(&o, "report", &report);
                    stringify(&o)
                }
                Err(e) => error_reply(&id, message(e)),
            }
        }
        other => panic!("unknown request {other:?}"),
    };
    Response::parse(&text).unwrap()
}

/// The widget's handling of a worker answer (widget.rs `on_response`).
fn deliver(m: &mut VerifierModel, response: Response) {
    match response {
        Response::Inspected { id, inspection } => m.inspected(id, inspection),
        Response::Report { id, report } => m.finished(id, report),
        Response::Error { id, message, .. } => match u32::try_from(id) {
            Ok(id) if m.files.iter().any(|f| f.id == id && f.inspection.is_none()) => {
                m.inspected(id, Inspection::unreadable(message))
            }
            Ok(id) => m.failed(id, message),
            Err(_) => m.phase = Phase::Failed(message),
        },
        other => panic!("unexpected {other:?}"),
    }
}

fn inspect(m: &mut VerifierModel, id: u32, name: &str, bytes: Arc<Vec<u8>>) {
    let header = Request::Inspect { id, name: name.into() }.header();
    deliver(m, worker(&header, vec![bytes]));
}

fn role(name: &str) -> Role {
    match name {
        "receipts" => Role::Receipts,
        "keys" => Role::Keys,
        "rows" => Role::Rows,
        other => panic!("unknown role {other}"),
    }
}

/// What the page showed for one run.
#[derive(Debug, PartialEq)]
struct Shown {
    /// `data-verdict`, or `None` when the page is still waiting for something.
    verdict: Option<&'static str>,
    /// Distinct failed check ids of the report (empty without one).
    failed: Vec<String>,
    /// The core produced a report.
    reported: bool,
    /// A file's role had to be chosen on its chip (the page classified it otherwise).
    chip_changed: bool,
    /// The page waits for more files (e.g. "Add a receipt"), showing no verdict.
    waiting: bool,
}

/// Drop `files` into a page whose published key set is `published`; with `manifest_roles`,
/// give every file the manifest's role on its chip where the page classified it otherwise.
fn run(files: &[(&str, &str, &'static [u8])], published: Option<PublishedKeys>, manifest_roles: bool) -> Shown {
    let mut m = VerifierModel::new(published.clone());
    if let Some(p) = &published {
        inspect(&mut m, PUBLISHED_ID, &p.name, Arc::clone(&p.bytes));
    }
    // Every chip appears at once, in drop order; the reads finish in reverse order.
    let ids: Vec<u32> = files.iter().map(|(path, _, _)| m.add_reading(*path, Origin::Visitor)).collect();
    for (id, (_, _, bytes)) in ids.iter().zip(files).rev() {
        m.read(*id, bytes.to_vec());
        assert!(m.verdict().is_none() || files.len() == 1, "a verdict before every file was read");
    }
    for (id, (path, _, _)) in ids.iter().zip(files) {
        let bytes = Arc::new(m.files.iter().find(|f| f.id == *id).unwrap().bytes.bytes().to_vec());
        inspect(&mut m, *id, path, bytes);
    }
    let mut chip_changed = false;
    if manifest_roles {
        for (id, (_, wanted, _)) in ids.iter().zip(files) {
            let file = m.files.iter().find(|f| f.id == *id).unwrap();
            if file.role() != Some(role(wanted)) {
                m.set_role(*id, Some(role(wanted)));
                chip_changed = true;
            }
        }
    }
    if let Ok(plan) = m.plan() {
        let id = m.next_id();
        m.started(id, plan.rows.as_ref().map_or(0, |(_, b)| b.len()));
        let (request, bytes) = Request::verify(id, &plan);
        let response = worker(&request.header(), bytes.iter().map(|p| Arc::new(p.bytes().to_vec())).collect());
        deliver(&mut m, response);
    }
    let (failed, reported) = match &m.phase {
        Phase::Done(r) => {
            let ids: BTreeSet<String> = r.checks.iter().filter(|c| c.status == "fail").map(|c| c.id.clone()).collect();
            (ids.into_iter().collect(), true)
        }
        _ => (Vec::new(), false),
    };
    let waiting = matches!(m.phase, Phase::Waiting(_));
    Shown { verdict: m.verdict().map(|v| v.attr()), failed, reported, chip_changed, waiting }
}

/// The page's verdict for a case run with the visitor's keys only (see the module doc).
fn expected_page_verdict(case: &Case) -> &'static str {
    match (case.exit, case.verdict) {
        (0, Some("verified")) => "verified-unpublished-key",
        (1, Some("failed")) | (2, None) => "failed",
        other => panic!("{}: an outcome the mapping does not define: {other:?}", case.name),
    }
}

fn pending() -> BTreeSet<&'static str> {
    PENDING.lines().map(|l| l.split('#').next().unwrap_or_default().trim()).filter(|l| !l.is_empty()).collect()
}

/// Why the page's answer for `case` is wrong, or `None`.
fn problems(case: &Case) -> Option<String> {
    let mut out = Vec::new();
    let want = expected_page_verdict(case);
    let failed: Vec<String> = case.failed.iter().map(|s| s.to_string()).collect();

    // As the visitor drops them, with the manifest's roles chosen on the chips. A role
    // chosen on a chip makes the core read the file as that role whatever its shape, where
    // the CLI's `--receipts` lets the core's classifier refuse it (`input.kind`): the
    // failed ids then differ by design, and such a case must still fail with a reason.
    let shown = run(case.files, None, true);
    if shown.verdict != Some(want) {
        out.push(format!("data-verdict {:?}, expected {want:?}", shown.verdict));
    }
    if shown.chip_changed && want == "failed" && case.exit == 1 {
        if shown.failed.is_empty() {
            out.push("failed with no failed check id".into());
        }
    } else if shown.failed != failed {
        out.push(format!("failed {:?}, expected {failed:?}", shown.failed));
    }
    if case.exit == 2 && shown.reported {
        out.push("a report for a case whose key file the core refuses".into());
    }

    // As the page classifies them, untouched: the verdict must still hold (a file the page
    // cannot use makes it `failed`, never a pass without it). A case that should fail may
    // instead leave the page waiting for a file it lacks (a receipt, a key): no verdict
    // shows then, so nothing misleads.
    let auto = run(case.files, None, false);
    let refused = auto.verdict == Some("failed") && !auto.reported;
    // A case that fails only because a file was given in the wrong role (`input.kind`, and
    // `rows.sealed` for a "row export" that holds no rows) may pass when the page reads that
    // file as what it is: approvals dropped as approvals are verified, as they should be.
    let role_only = case.failed.iter().all(|id| matches!(*id, "input.kind" | "rows.sealed"));
    let read_as_it_is = shown.chip_changed && role_only && auto.verdict.is_some_and(|v| v.starts_with("verified"));
    let auto_ok = auto.verdict == Some(want) || (want == "failed" && (refused || auto.waiting || read_as_it_is));
    if !auto_ok {
        out.push(format!("as classified by the page: data-verdict {:?}, expected {want:?}", auto.verdict));
    }

    // A verified case whose one key file is the page's published key set is a plain `verified`.
    let keys: Vec<_> = case.files.iter().filter(|(_, r, _)| *r == "keys").collect();
    if let ([(key_path, _, key_bytes)], Some("verified")) = (keys.as_slice(), case.verdict) {
        let others: Vec<_> = case.files.iter().filter(|(_, r, _)| *r != "keys").copied().collect();
        let published = PublishedKeys { name: key_path.to_string(), bytes: Arc::new(key_bytes.to_vec()) };
        let shown = run(&others, Some(published), true);
        if shown.verdict != Some("verified") {
            out.push(format!("with its key published: data-verdict {:?}, expected \"verified\"", shown.verdict));
        }
    }
    (!out.is_empty()).then(|| out.join("; "))
}

#[test]
fn every_bad_input_case_gets_its_verdict_in_the_page() {
    let pending = pending();
    let names: BTreeSet<&str> = CASES.iter().map(|c| c.name).collect();
    for p in &pending {
        assert!(names.contains(p), "pending.txt names a case that does not exist: {p}");
    }
    let (mut ran, mut verified, mut failed, mut chips) = (0, 0, 0, 0);
    let mut wrong = Vec::new();
    for case in CASES.iter().filter(|c| !pending.contains(c.name)) {
        ran += 1;
        chips += usize::from(run(case.files, None, false).verdict != run(case.files, None, true).verdict);
        match problems(case) {
            Some(why) => wrong.push(format!("{}: {why}", case.name)),
            None if case.exit == 0 => verified += 1,
            None => failed += 1,
        }
    }
    web_sys::console::log_1(
        &format!("bad-inputs (page): {ran} cases ran, {verified} positive controls and {failed} refusals as expected, {} pending skipped, {chips} answered differently once roles were chosen on the chips", pending.len()).into(),
    );
    assert!(wrong.is_empty(), "{} of {ran} cases wrong:\n{}", wrong.len(), wrong.join("\n"));
    assert!(ran > 150, "only {ran} cases ran");
    assert!(verified > 10 && failed > 100, "{verified} positive controls, {failed} refusals");
}

/// The mapping itself: a page that said `verified` for a pass under the visitor's own key,
/// or anything but `failed` for a refused key file, would be caught.
#[test]
fn the_verdict_mapping_is_explicit() {
    let case = |exit, verdict| Case { name: "m", exit, verdict, failed: &[], files: &[] };
    assert_eq!(expected_page_verdict(&case(0, Some("verified"))), "verified-unpublished-key");
    assert_eq!(expected_page_verdict(&case(1, Some("failed"))), "failed");
    assert_eq!(expected_page_verdict(&case(2, None)), "failed");
}
