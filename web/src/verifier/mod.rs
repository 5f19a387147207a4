//! The verifier widget: drop zone, chips, key choice, progress, verdict, checks, the
//! "check it yourself" panel and share links. State lives in [`model::VerifierModel`];
//! [`widget`] renders it with `web-sys` and turns events into model changes and worker
//! requests; [`Verifier`] hosts it in the Leptos page.

pub mod demo;
pub mod dom;
pub mod model;
pub mod recipe;
pub mod share;
mod view;
pub mod widget;
pub mod worker;

pub use view::Verifier;
pub use widget::{published_keys, Demo, VerifierOptions, Widget};
