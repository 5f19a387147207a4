//! Data handling: what is sent, what never is, and where data lives.

use leptos::prelude::*;

use crate::content::DataHandling;

/// The two lists and the residency table.
#[component]
pub fn DataHandlingSection(
    /// The content.
    data: DataHandling,
) -> impl IntoView {
    let list = |items: Vec<String>| items.into_iter().map(|i| view! { <li>{i}</li> }).collect::<Vec<_>>();
    let regions = data
        .residency
        .into_iter()
        .map(|r| {
            view! {
                <tr><th scope="row">{r.region}</th><td>{r.customers}</td><td>{r.in_transit}</td><td>{r.at_rest}</td></tr>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <section id="data" aria-labelledby="data-h">
            <h2 id="data-h">"Data handling"</h2>
            <div class="two-col">
                <div class="card">
                    <h3>"What we send"</h3>
                    <ul class="ticks">{list(data.we_send)}</ul>
                </div>
                <div class="card">
                    <h3>"What we never send"</h3>
                    <ul class="crosses">{list(data.we_never_send)}</ul>
                </div>
            </div>
            <h3>"Data residency"</h3>
            <div class="table-wrap" tabindex="0" role="region" aria-label="Data residency table">
                <table>
                    <thead><tr><th scope="col">"Region"</th><th scope="col">"Customers"</th><th scope="col">"In transit"</th><th scope="col">"At rest"</th></tr></thead>
                    <tbody>{regions}</tbody>
                </table>
            </div>
        </section>
    }
}
