//! Roadmap: compliance milestones on a timeline.

use leptos::prelude::*;

use crate::content::Milestone;

/// The timeline.
#[component]
pub fn Roadmap(
    /// Milestones, in order.
    milestones: Vec<Milestone>,
) -> impl IntoView {
    let items = milestones
        .into_iter()
        .map(|m| {
            view! {
                <li class=format!("milestone {}", m.state.class())>
                    <span class="quarter">{m.quarter}</span>
                    <span class="milestone-title">{m.title}</span>
                    <span class=format!("status {}", m.state.class())>{m.state.label()}</span>
                </li>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <section id="roadmap" aria-labelledby="roadmap-h">
            <h2 id="roadmap-h">"Compliance roadmap"</h2>
            <ol class="timeline">{items}</ol>
        </section>
    }
}
