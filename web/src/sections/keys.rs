//! Published keys: the vendor's JWKS with kid, algorithm, size, validity, status and the
//! SPKI SHA-256 fingerprint that the WASM core computed in this browser.

use leptos::prelude::*;
use serde::Deserialize;

use crate::content::KeysSection;
use crate::report::Inspection;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Jwk {
    #[serde(default)]
    kid: Option<String>,
    #[serde(default)]
    alg: Option<String>,
    #[serde(default)]
    valid_from: Option<String>,
    #[serde(default)]
    valid_until: Option<String>,
    #[serde(default)]
    status: Option<String>,
}

#[derive(Deserialize)]
struct Jwks {
    keys: Vec<Jwk>,
}

/// The key table and the JWKS download.
#[component]
pub fn PublishedKeysSection(
    /// Section text and the JWKS file name.
    section: KeysSection,
    /// The JWKS itself.
    jwks: &'static str,
    /// The core's inspection of the JWKS, from the verifier's worker.
    inspection: RwSignal<Option<Inspection>, LocalStorage>,
) -> impl IntoView {
    let entries = serde_json::from_str::<Jwks>(jwks).map(|j| j.keys).unwrap_or_default();
    let href = format!("data:application/json;charset=utf-8,{}", String::from(js_sys::encode_uri_component(jwks)));
    let rows = entries
        .into_iter()
        .enumerate()
        .map(|(i, k)| {
            let summary = move || inspection.with(|p| p.as_ref().and_then(|p| p.keys.get(i).cloned()));
            let validity = format!(
                "{} – {}",
                k.valid_from.unwrap_or_else(|| "…".into()),
                k.valid_until.unwrap_or_else(|| "…".into())
            );
            view! {
                <tr data-testid="published-key">
                    <th scope="row"><code>{k.kid.unwrap_or_else(|| "(none)".into())}</code></th>
                    <td>{k.alg.unwrap_or_default()}</td>
                    <td>{move || summary().map(|s| s.key_type).unwrap_or_default()}</td>
                    <td>{validity}</td>
                    <td>{k.status.unwrap_or_else(|| "active".into())}</td>
                    <td class="fingerprint" data-testid="published-fingerprint">
                        <code>{move || summary().map(|s| s.fingerprint).unwrap_or_else(|| "computing…".into())}</code>
                    </td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <section id="keys" aria-labelledby="keys-h">
            <h2 id="keys-h">"Published keys"</h2>
            <p>{section.note}</p>
            <div class="table-wrap" tabindex="0" role="region" aria-label="Published keys table">
                <table>
                    <thead><tr>
                        <th scope="col">"kid"</th><th scope="col">"Algorithm"</th><th scope="col">"Key"</th>
                        <th scope="col">"Valid"</th><th scope="col">"Status"</th>
                        <th scope="col">"SPKI SHA-256 (computed in your browser)"</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <p><a class="button" href=href download=section.jwks_file.clone()>"Download " {section.jwks_file.clone()}</a></p>
        </section>
    }
}
