//! The widget inside the Leptos page: a host element, and the [`Widget`] mounted into it
//! once the element exists. The page also owns its URL, so share links are read here: a
//! `#receipt=` fragment adds one file that may only ever be a receipt.

use leptos::prelude::*;

use super::model::Origin;
use super::share;
use super::widget::{VerifierOptions, Widget};
use crate::report::Inspection;

/// The verifier, as a Leptos component.
#[component]
pub fn Verifier(
    /// Worker URL, published keys, share links, demo buttons.
    options: VerifierOptions,
    /// Receives the core's inspection of the published keys (the published-keys table
    /// shows their fingerprints from it).
    #[prop(optional)]
    published: Option<RwSignal<Option<Inspection>, LocalStorage>>,
) -> impl IntoView {
    let host = NodeRef::<leptos::html::Div>::new();
    let widget = StoredValue::new_local(None::<Widget>);
    Effect::new(move |_| {
        let Some(el) = host.get() else { return };
        if widget.with_value(Option::is_some) {
            return;
        }
        let share_links = options.share_links;
        let Ok(w) = Widget::mount(&el, options.clone()) else { return };
        if share_links {
            match share::current_receipt() {
                Ok(Some(bytes)) => {
                    w.update(|m| m.add_from("shared-receipt.json", bytes, Origin::Link));
                }
                Ok(None) => {}
                Err(problem) => w.update(|m| m.link_problem = Some(problem)),
            }
            let _ = super::events::follow_share_links(&w);
        }
        w.on_change(move |m| {
            if let Some(signal) = published {
                if signal.with_untracked(|p| *p != m.published_inspection) {
                    signal.set(m.published_inspection.clone());
                }
            }
        });
        widget.set_value(Some(w));
    });
    view! { <div class="verifier-host" node_ref=host></div> }
}
