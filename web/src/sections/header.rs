//! Header: vendor, tagline and certification badges.

use leptos::prelude::*;

use crate::content::{Certification, Vendor};

/// Title, tagline and one badge per certification or framework.
#[component]
pub fn Header(
    /// Who the page is about.
    vendor: Vendor,
    /// The badges.
    certifications: Vec<Certification>,
) -> impl IntoView {
    let badges = certifications
        .into_iter()
        .map(|c| {
            let when = c.target.map(|t| format!(" · {t}"));
            view! {
                <li class=format!("badge {}", c.status.class()) title=c.detail.clone().unwrap_or_default()>
                    <span class="badge-name">{c.name}</span>
                    <span class="badge-status">{c.status.label()}{when}</span>
                </li>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <header class="site-header">
            <div class="wrap">
                <p class="eyebrow">{vendor.product.clone()} " · Trust center"</p>
                <h1>{vendor.name.clone()} " security and trust"</h1>
                <p class="tagline">{vendor.tagline}</p>
                <ul class="badges" aria-label="Certifications and frameworks">{badges}</ul>
                <nav aria-label="Sections">
                    <a href="#verify">"Verify a receipt"</a>
                    <a href="#controls">"Controls"</a>
                    <a href="#roadmap">"Roadmap"</a>
                    <a href="#data">"Data handling"</a>
                    <a href="#subprocessors">"Sub-processors"</a>
                    <a href="#keys">"Published keys"</a>
                    <a href="#disclosure">"Disclosure"</a>
                </nav>
            </div>
        </header>
    }
}
