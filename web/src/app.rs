//! The trust-center page: header, the verifier (above the fold), then the sections.

use leptos::prelude::*;

use crate::content::Content;
use crate::sections::{
    Controls, DataHandlingSection, DisclosureSection, Header, PublishedKeysSection, Roadmap, SubprocessorsSection,
};
use crate::verifier::demo;
use crate::verifier::{Verifier, VerifierOptions};

/// The whole page for `content`.
#[component]
pub fn App(
    /// The vendor's content (the built-in demo vendor by default).
    content: Content,
) -> impl IntoView {
    let published = crate::verifier::published_keys(&content.keys.jwks_file, demo::JWKS);
    let inspection = RwSignal::new_local(None);
    let options = VerifierOptions {
        worker_url: "./worker.js".into(),
        published: Some(published),
        published_problem: None,
        vendor: content.vendor.name.clone(),
        share_links: true,
        demo: Some(demo::demo()),
    };
    let vendor_name = content.vendor.name.clone();
    let updated = content.vendor.updated.clone();
    let website = content.vendor.website.clone();
    view! {
        <a class="skip" href="#verify">"Skip to the verifier"</a>
        <Header vendor=content.vendor.clone() certifications=content.certifications.clone() />
        <main class="wrap">
            <section id="verify" class="verify-section" aria-labelledby="verify-h">
                <h2 id="verify-h">"Verify a receipt"</h2>
                <p class="lede">
                    "Drop a receipt and our public key. Every check runs in your browser, in WebAssembly; "
                    <strong>"nothing is uploaded"</strong>
                    " and this page makes no network request after it has loaded."
                </p>
                <Verifier options=options published=inspection />
            </section>
            <Controls controls=content.controls.clone() />
            <Roadmap milestones=content.roadmap.clone() />
            <DataHandlingSection data=content.data_handling.clone() />
            <SubprocessorsSection subprocessors=content.subprocessors.clone() />
            <PublishedKeysSection section=content.keys.clone() jwks=demo::JWKS inspection=inspection />
            <DisclosureSection disclosure=content.disclosure.clone() />
        </main>
        <footer class="site-footer">
            <div class="wrap">
                <p>{vendor_name} " · content reviewed " {updated} " · " <a href=website.clone()>{website.clone()}</a></p>
                <p>"Verifier: receipt-verify (open source), running locally in WebAssembly."</p>
            </div>
        </footer>
    }
}
