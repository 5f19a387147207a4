//! The verifier widget: drop zone, chips, key choice, progress, verdict, checks, the
//! "check it yourself" panel and share links. State lives in [`model::VerifierModel`];
//! [`widget`] renders it with `web-sys` and turns events into model changes and worker
//! requests; [`Verifier`] hosts it in the Leptos page.

mod build;
pub mod chips;
pub mod demo;
pub mod dom;
mod events;
mod files;
pub mod model;
pub mod payload;
mod plan;
pub mod progress;
pub mod recipe;
pub mod result;
pub mod share;
pub mod status;
pub mod text;
pub mod verdict;
mod view;
pub mod widget;
pub mod worker;
pub mod yourself;

pub use view::Verifier;
pub use widget::{published_keys, Demo, VerifierOptions, Widget};
