//! The verifier widget: drop zone, chips, key choice, progress, verdict, checks, the
//! "check it yourself" panel and share links. State lives in [`model::VerifierModel`];
//! this module only renders it and turns events into model changes and worker requests.

pub mod demo;
pub mod model;
pub mod recipe;
pub mod share;
mod view;
pub mod worker;

pub use view::{published_keys, ResultView, Verifier, VerifierOptions};
