//! The widget's view. Renders from the model only.

use std::sync::Arc;

use leptos::prelude::*;
use web_sys::{DragEvent, File, HtmlInputElement};

use super::model::{key_origin, Phase, PublishedKeys, VerifierModel, PUBLISHED_ID};
use super::worker::VerifyWorker;
use super::{demo, recipe, share};
use crate::protocol::{Request, Response};
use crate::report::{Report, Role};

/// How the widget is set up by the page or the embed.
#[derive(Clone, Debug, PartialEq)]
pub struct VerifierOptions {
    /// URL of `worker.js`.
    pub worker_url: String,
    /// The vendor's published keys (default key set), if any.
    pub published: Option<PublishedKeys>,
    /// Keep the current receipt in the URL fragment (the page: yes; an embed: no, the
    /// host page owns its URL).
    pub share_links: bool,
    /// Show the demo buttons.
    pub demo: bool,
}

/// The whole widget.
#[component]
pub fn Verifier(
    /// Worker URL, published keys, share links, demo buttons.
    options: VerifierOptions,
    /// The state, when the page shares it with other sections (the published-keys table).
    #[prop(optional)]
    model: Option<RwSignal<VerifierModel, LocalStorage>>,
) -> impl IntoView {
    let model = model.unwrap_or_else(|| RwSignal::new_local(VerifierModel::new(options.published.clone())));
    let worker = StoredValue::new_local(None::<VerifyWorker>);
    // Ids already sent for inspection, so an effect re-run does not send them twice. One set
    // per widget: two embeds on one page number their files independently.
    let inspecting = StoredValue::new_local(std::collections::HashSet::<u32>::new());
    let start_error = RwSignal::new(None::<String>);

    match VerifyWorker::start(&options.worker_url, move |response| on_response(model, response)) {
        Ok(w) => {
            // Fingerprints of the published keys come from the core, not the content file.
            if let Some(p) = model.with_untracked(|m| m.published.clone()) {
                w.send(&Request::Inspect { id: PUBLISHED_ID, name: p.name.clone() }, &[p.bytes.as_slice()]);
            }
            worker.set_value(Some(w));
        }
        Err(e) => start_error.set(Some(e)),
    }

    // Inspect each new file once; verify whenever the inputs are complete.
    Effect::new(move |_| {
        let pending: Vec<(u32, String, Arc<Vec<u8>>)> = model.with(|m| {
            m.files
                .iter()
                .filter(|f| f.inspection.is_none())
                .map(|f| (f.id, f.name.clone(), Arc::clone(&f.bytes)))
                .collect()
        });
        worker.with_value(|w| {
            if let Some(w) = w {
                for (id, name, bytes) in pending {
                    if !inspecting.try_update_value(|s| s.insert(id)).unwrap_or(false) {
                        continue;
                    }
                    w.send(&Request::Inspect { id, name }, &[bytes.as_slice()]);
                }
            }
        });
    });
    Effect::new(move |_| {
        if !model.with(VerifierModel::ready) {
            return;
        }
        let Some(plan) = model.with_untracked(|m| m.plan().ok()) else { return };
        let id = model.try_update(|m| m.next_id()).unwrap_or_default();
        let total = plan.rows.as_ref().map_or(0, |(_, b)| b.len() as u64);
        let request = Request::Verify {
            id,
            receipts: plan.receipts.iter().map(|(n, _)| n.clone()).collect(),
            keys: plan.keys.iter().map(|(n, _)| n.clone()).collect(),
            rows: plan.rows.as_ref().map(|(n, _)| n.clone()),
        };
        let bytes: Vec<&[u8]> =
            plan.receipts.iter().chain(plan.keys.iter()).chain(plan.rows.iter()).map(|(_, b)| b.as_slice()).collect();
        worker.with_value(|w| {
            if let Some(w) = w {
                w.send(&request, &bytes);
            }
        });
        model.update(|m| m.started(id, total));
    });

    if options.share_links {
        restore_shared_receipt(model);
        Effect::new(move |_| {
            let bytes = model.with(|m| m.first_receipt().map(|f| Arc::clone(&f.bytes)));
            let hash = bytes.and_then(|b| share::fragment(&b)).unwrap_or_default();
            set_fragment(&hash);
        });
    }

    let cancel = move |_| {
        model.update(VerifierModel::cancel);
        inspecting.update_value(|s| s.clear());
        worker.with_value(|w| {
            if let Some(w) = w {
                let _ = w.restart();
            }
        });
    };

    let demo_buttons = options.demo.then(|| {
        view! {
            <div class="demo-buttons">
                <button type="button" data-testid="demo-good" on:click=move |_| load_demo(model, &demo::GOOD)>
                    "Try the demo"
                </button>
                <button type="button" data-testid="demo-tampered" on:click=move |_| load_demo(model, &demo::TAMPERED)>
                    "Try a tampered receipt"
                </button>
            </div>
        }
    });
    let has_published = options.published.is_some();

    view! {
        <div class="verifier" data-testid="verifier">
            <Show when=move || start_error.get().is_some()>
                <p class="error" role="alert">{move || start_error.get().unwrap_or_default()}</p>
            </Show>
            {demo_buttons}
            <DropZone model=model />
            <FileChips model=model />
            <Show when=move || has_published>
                <label class="toggle">
                    <input
                        type="checkbox"
                        data-testid="only-my-keys"
                        prop:checked=move || model.with(|m| m.only_my_keys)
                        on:change=move |ev| {
                            let on = event_target::<HtmlInputElement>(&ev).checked();
                            model.update(|m| m.set_only_my_keys(on));
                        }
                    />
                    " Use only keys I provide (ignore the vendor's published keys)"
                </label>
            </Show>
            <div class="status" role="status" aria-live="polite" data-testid="status">
                {move || match model.with(|m| m.phase.clone()) {
                    Phase::Waiting(why) => view! { <p>{why}</p> }.into_any(),
                    Phase::Running { done, total, .. } => view! {
                        <div class="progress">
                            <label>
                                {if total > 0 { "Verifying the row export…" } else { "Verifying…" }}
                                <progress max=total.max(1).to_string() value=done.to_string()></progress>
                            </label>
                            <button type="button" data-testid="cancel" on:click=cancel>"Cancel"</button>
                        </div>
                    }.into_any(),
                    Phase::Cancelled => view! { <p>"Cancelled. Change the files to verify again."</p> }.into_any(),
                    Phase::Failed(message) => view! {
                        <p class="error" data-testid="failure">"Could not verify: " {message}</p>
                    }.into_any(),
                    Phase::Done(_) => view! { <p>"Verification finished."</p> }.into_any(),
                }}
            </div>
            {move || match model.with(|m| m.phase.clone()) {
                Phase::Done(report) => Some(view! {
                    <ResultView report=report />
                    <CheckYourself model=model />
                }),
                _ => None,
            }}
        </div>
    }
}

fn on_response(model: RwSignal<VerifierModel, LocalStorage>, response: Response) {
    match response {
        Response::Ready => {}
        Response::Inspected { id, inspection } => model.update(|m| m.inspected(id, inspection)),
        Response::Progress { id, done, total } => model.update(|m| m.progress(id, done, total)),
        Response::Report { id, report } => model.update(|m| m.finished(id, report)),
        Response::Error { id, message } => model.update(|m| match u32::try_from(id) {
            Ok(id) if m.files.iter().any(|f| f.id == id && f.inspection.is_none()) => {
                m.inspected(id, crate::report::Inspection::unreadable(message))
            }
            Ok(id) => m.failed(id, message),
            Err(_) => m.phase = Phase::Failed(message),
        }),
    }
}

fn load_demo(model: RwSignal<VerifierModel, LocalStorage>, files: &[(&str, &str)]) {
    model.update(|m| {
        m.clear();
        m.set_only_my_keys(false);
        for (name, text) in files {
            m.add(*name, text.as_bytes().to_vec());
        }
    });
}

fn restore_shared_receipt(model: RwSignal<VerifierModel, LocalStorage>) {
    let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
    if let Some(bytes) = share::receipt_from(&hash) {
        model.update(|m| {
            m.add("shared-receipt.json", bytes);
        });
    }
}

fn set_fragment(hash: &str) {
    let Some(window) = web_sys::window() else { return };
    let location = window.location();
    let current = location.hash().unwrap_or_default();
    if current == hash || (hash.is_empty() && !current.starts_with(&format!("#{}", share::KEY))) {
        return;
    }
    let base = format!("{}{}", location.pathname().unwrap_or_default(), location.search().unwrap_or_default());
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("{base}{hash}")));
    }
}

/// Read chosen or dropped files into the model.
fn add_files(model: RwSignal<VerifierModel, LocalStorage>, files: Vec<File>) {
    for file in files {
        wasm_bindgen_futures::spawn_local(async move {
            let name = file.name();
            let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await;
            match buffer {
                Ok(buffer) => {
                    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                    model.update(|m| {
                        m.add(name, bytes);
                    });
                }
                Err(_) => model.update(|m| m.phase = Phase::Failed(format!("cannot read {name}"))),
            }
        });
    }
}

fn file_list(list: Option<web_sys::FileList>) -> Vec<File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// Drop zone, "choose files" and the paste box.
#[component]
fn DropZone(
    /// The verifier state.
    model: RwSignal<VerifierModel, LocalStorage>,
) -> impl IntoView {
    let input = NodeRef::<leptos::html::Input>::new();
    let paste = RwSignal::new(String::new());
    let over = RwSignal::new(false);
    let pasted = RwSignal::new(0u32);
    view! {
        <div
            class="dropzone"
            class:over=move || over.get()
            data-testid="dropzone"
            on:dragover=move |ev: DragEvent| {
                ev.prevent_default();
                over.set(true);
            }
            on:dragleave=move |_| over.set(false)
            on:drop=move |ev: DragEvent| {
                ev.prevent_default();
                over.set(false);
                add_files(model, file_list(ev.data_transfer().and_then(|d| d.files())));
            }
        >
            <p class="drop-hint">
                <strong>"Drop receipts, approvals, a row export and public keys here"</strong>
                <br />
                "Everything is checked on your machine. Nothing is uploaded."
            </p>
            <button type="button" class="primary" data-testid="choose" on:click=move |_| {
                if let Some(i) = input.get() {
                    i.click();
                }
            }>"Choose files…"</button>
            <input
                node_ref=input
                type="file"
                multiple
                class="visually-hidden"
                tabindex="-1"
                aria-hidden="true"
                data-testid="file-input"
                on:change=move |ev| {
                    let target = event_target::<HtmlInputElement>(&ev);
                    add_files(model, file_list(target.files()));
                    target.set_value("");
                }
            />
        </div>
        <details class="paste">
            <summary>"Paste a receipt or key instead"</summary>
            <label for="paste-box">"Receipt JSON, PEM or JWKS"</label>
            <textarea
                id="paste-box"
                rows="5"
                data-testid="paste-box"
                prop:value=move || paste.get()
                on:input=move |ev| paste.set(event_target_value(&ev))
            ></textarea>
            <button type="button" data-testid="paste-add" on:click=move |_| {
                let text = paste.get_untracked();
                if !text.trim().is_empty() {
                    let n = pasted.get_untracked() + 1;
                    pasted.set(n);
                    model.update(|m| {
                        m.add(format!("pasted-{n}.txt"), text.into_bytes());
                    });
                    paste.set(String::new());
                }
            }>"Add pasted text"</button>
        </details>
    }
}

/// One chip per file, with what it is and a remove button.
#[component]
fn FileChips(
    /// The verifier state.
    model: RwSignal<VerifierModel, LocalStorage>,
) -> impl IntoView {
    view! {
        <ul class="chips" aria-label="Files">
            <For
                each=move || model.with(|m| m.files.clone())
                key=|f| (f.id, f.inspection.is_some())
                children=move |f| {
                    let id = f.id;
                    let (label, class, reason) = match &f.inspection {
                        None => ("checking…".to_string(), "chip pending", None),
                        Some(i) if i.role() == Role::Unusable => {
                            (i.label.clone(), "chip bad", i.reason.clone())
                        }
                        Some(i) => (i.label.clone(), "chip", None),
                    };
                    let keys = f.inspection.as_ref().map(|i| {
                        i.keys
                            .iter()
                            .take(4)
                            .map(|k| {
                                let kid = k.kid.clone().unwrap_or_else(|| "no kid".into());
                                let fp = k.fingerprint.get(..16).unwrap_or_default().to_string();
                                view! { <span class="chip-key">{kid}" · SHA-256 "<code>{fp}"…"</code></span> }
                            })
                            .collect::<Vec<_>>()
                    });
                    let remove_label = format!("Remove {}", f.name);
                    view! {
                        <li class=class data-testid="chip">
                            <span class="chip-name">{f.name.clone()}</span>
                            <span class="chip-label">{label}</span>
                            {reason.map(|r| view! { <span class="chip-reason">{r}</span> })}
                            {keys}
                            <button type="button" class="chip-remove" aria-label=remove_label on:click=move |_| {
                                model.update(|m| m.remove(id))
                            }>"×"</button>
                        </li>
                    }
                }
            />
        </ul>
    }
}

/// The verdict banner, the keys used and every check.
#[component]
pub fn ResultView(
    /// The report to show.
    report: Arc<Report>,
) -> impl IntoView {
    let ok = report.verified();
    let s = &report.summary;
    let counts = format!("{} passed, {} failed, {} warnings, {} notes", s.pass, s.fail, s.warn, s.note);
    let failing: Vec<String> = report.checks.iter().filter(|c| c.status == "fail").map(|c| c.id.clone()).collect();
    let failing = (!failing.is_empty()).then(|| {
        let mut ids = failing;
        ids.dedup();
        format!("Failed: {}", ids.join(", "))
    });
    let keys: Vec<_> = report
        .keys_used()
        .map(|k| {
            let name = k.kid.clone().unwrap_or_else(|| "(no kid)".into());
            view! {
                <li data-testid="key-used">
                    <code>{name}</code>" · "{k.key_type.clone()}" · "{key_origin(&k.source)}
                    <br />
                    <span class="fingerprint">"SPKI SHA-256 "<code>{k.fingerprint.clone()}</code></span>
                </li>
            }
        })
        .collect();
    // Without a verifying key, say which key each receipt was checked with (key.select).
    let no_key = keys.is_empty().then(|| {
        let mut tried: Vec<String> =
            report.checks.iter().filter(|c| c.id == "key.select").map(|c| c.message.clone()).collect();
        tried.dedup();
        let tried = tried.into_iter().take(3).map(|m| view! { <li data-testid="key-tried">"Tried: " {m}</li> });
        view! {
            <li>"No supplied key verified a signature."</li>
            {tried.collect::<Vec<_>>()}
        }
    });
    let rows: Vec<_> = report
        .checks
        .iter()
        .map(|c| {
            let values = c.expected.as_ref().or(c.actual.as_ref()).map(|_| {
                view! {
                    <dl class="values">
                        <dt>"expected"</dt><dd><code>{c.expected.clone().unwrap_or_default()}</code></dd>
                        <dt>"actual"</dt><dd><code>{c.actual.clone().unwrap_or_default()}</code></dd>
                    </dl>
                }
            });
            let status = c.status.clone();
            view! {
                <tr class=format!("check {status}") data-testid="check">
                    <td><span class=format!("pill {status}")>{status.to_uppercase()}</span></td>
                    <td><code>{c.id.clone()}</code></td>
                    <td class="place">{c.subject.place()}</td>
                    <td>{c.message.clone()}{values}</td>
                </tr>
            }
        })
        .collect();
    view! {
        <section class="result" aria-label="Verification result">
            <div class=if ok { "verdict ok" } else { "verdict bad" } data-testid="verdict" role="status">
                <span class="verdict-icon" aria-hidden="true">{if ok { "✔" } else { "✘" }}</span>
                <div>
                    <strong class="verdict-text">{if ok { "Verified" } else { "Not verified" }}</strong>
                    <span class="verdict-counts">{counts}</span>
                    {failing.map(|f| view! { <span class="verdict-failing" data-testid="failing">{f}</span> })}
                </div>
            </div>
            <h4>"Key used"</h4>
            <ul class="keys-used">{keys}{no_key}</ul>
            <details class="checks" open=!ok>
                <summary>"Every check (" {report.checks.len()} ")"</summary>
                <div class="table-wrap" tabindex="0" role="region" aria-label="Every check table">
                    <table>
                        <thead><tr><th>"Status"</th><th>"Check"</th><th>"Where"</th><th>"Details"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </details>
        </section>
    }
}

/// The exact commands to re-check the first receipt by hand, with a copy button.
#[component]
fn CheckYourself(
    /// The verifier state.
    model: RwSignal<VerifierModel, LocalStorage>,
) -> impl IntoView {
    let text = move || {
        model.with(|m| {
            let file = m.first_receipt()?;
            let layout = recipe::Layout::of(&file.bytes);
            let alg = first_alg(&file.bytes);
            let fingerprint = match &m.phase {
                Phase::Done(r) => r.keys_used().next().map(|k| k.fingerprint.clone()),
                _ => None,
            };
            Some(recipe::commands(&file.name, layout, &alg, fingerprint.as_deref()))
        })
    };
    let copied = RwSignal::new(false);
    let copy = move |_| {
        if let (Some(t), Some(w)) = (text(), web_sys::window()) {
            let _ = w.navigator().clipboard().write_text(&t);
            copied.set(true);
        }
    };
    let share = move || {
        model.with(|m| {
            let f = m.first_receipt()?;
            Some(match share::fragment(&f.bytes) {
                Some(_) => "The link in the address bar now carries this receipt (after #, never sent to a server): \
                             copy it to share the result."
                    .to_string(),
                None => "This receipt is too large for a share link.".to_string(),
            })
        })
    };
    view! {
        <details class="yourself">
            <summary>"Check it yourself"</summary>
            <p>"The same hash and signature checks with openssl, sha256sum and python3:"</p>
            <pre data-testid="recipe"><code>{text}</code></pre>
            <button type="button" on:click=copy>{move || if copied.get() { "Copied" } else { "Copy commands" }}</button>
        </details>
        <p class="share-note">{share}</p>
    }
}

/// The `alg` of the first receipt in a file (default RS256), for the recipe.
fn first_alg(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
    serde_json::from_str::<serde_json::Value>(first)
        .ok()
        .or_else(|| serde_json::from_str::<serde_json::Value>(&text).ok())
        .map(|v| match v {
            serde_json::Value::Array(mut items) if !items.is_empty() => items.swap_remove(0),
            v => v,
        })
        .and_then(|v| v.get("alg").and_then(|a| a.as_str()).map(str::to_string))
        .unwrap_or_else(|| "RS256".into())
}

/// The vendor's published keys for the default key set.
pub fn published_keys(file: &str, jwks: &str) -> PublishedKeys {
    PublishedKeys { name: file.to_string(), bytes: Arc::new(jwks.as_bytes().to_vec()) }
}
