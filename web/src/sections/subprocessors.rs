//! Sub-processors table.

use leptos::prelude::*;

use crate::content::Subprocessors;

/// The table with the date of the last change.
#[component]
pub fn SubprocessorsSection(
    /// The content.
    subprocessors: Subprocessors,
) -> impl IntoView {
    let rows = subprocessors
        .entries
        .into_iter()
        .map(|s| {
            view! { <tr><th scope="row">{s.name}</th><td>{s.purpose}</td><td>{s.location}</td><td>{s.data}</td></tr> }
        })
        .collect::<Vec<_>>();
    view! {
        <section id="subprocessors" aria-labelledby="sub-h">
            <h2 id="sub-h">"Sub-processors"</h2>
            <p>"Last changed " <time>{subprocessors.last_change}</time> "."</p>
            <div class="table-wrap" tabindex="0" role="region" aria-label="Sub-processors table">
                <table>
                    <thead><tr><th scope="col">"Name"</th><th scope="col">"Purpose"</th><th scope="col">"Location"</th><th scope="col">"Data categories"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}
