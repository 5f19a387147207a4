//! Vulnerability disclosure (the same content is written to `security.txt`).

use leptos::prelude::*;

use crate::content::Disclosure;

/// Contact, response times, window, bounty and PGP fingerprint.
#[component]
pub fn DisclosureSection(
    /// The content.
    disclosure: Disclosure,
) -> impl IntoView {
    let contact_text = disclosure.contact.trim_start_matches("mailto:").to_string();
    view! {
        <section id="disclosure" aria-labelledby="disclosure-h">
            <h2 id="disclosure-h">"Vulnerability disclosure"</h2>
            <dl class="facts">
                <dt>"Contact"</dt><dd><a href=disclosure.contact.clone()>{contact_text}</a></dd>
                <dt>"Acknowledgement"</dt><dd>"within " {disclosure.acknowledgement}</dd>
                <dt>"Triage"</dt><dd>"within " {disclosure.triage}</dd>
                <dt>"Coordinated disclosure"</dt><dd>{disclosure.disclosure_window}</dd>
                <dt>"Bug bounty"</dt><dd>{disclosure.bug_bounty}</dd>
                <dt>"PGP key fingerprint"</dt><dd><code>{disclosure.pgp_fingerprint}</code></dd>
                <dt>"Policy"</dt><dd><a href=disclosure.policy.clone()>{disclosure.policy.clone()}</a></dd>
                <dt>"security.txt"</dt><dd><a href="/.well-known/security.txt">"/.well-known/security.txt"</a> " (RFC 9116)"</dd>
            </dl>
        </section>
    }
}
