//! Controls: one card per control.

use leptos::prelude::*;

use crate::content::Control;

/// The control cards.
#[component]
pub fn Controls(
    /// The controls, in the content file's order.
    controls: Vec<Control>,
) -> impl IntoView {
    let cards = controls
        .into_iter()
        .map(|c| {
            let reference = c.reference.map(|r| view! { <p class="reference">"Reference: " {r}</p> });
            view! {
                <li class="card">
                    <p class="card-area">{c.area}</p>
                    <h3>{c.title}</h3>
                    <p class=format!("status {}", c.status.class())>{c.status.label()}</p>
                    <p>{c.description}</p>
                    {reference}
                </li>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <section id="controls" aria-labelledby="controls-h">
            <h2 id="controls-h">"Controls"</h2>
            <ul class="cards">{cards}</ul>
        </section>
    }
}
