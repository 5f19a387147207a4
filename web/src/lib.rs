//! The trust-center page and the embeddable verifier widget.
//!
//! - [`content`]: the vendor's content model, read from `web/content.json`.
//! - [`sections`]: one component per page section.
//! - [`verifier`]: the verifier widget: its state model, view, and the worker bridge.
//! - [`protocol`] and [`report`]: the messages to and from `web/worker.js`, which runs the
//!   receipt-verify-wasm package off the main thread.

pub mod app;
pub mod content;
pub mod embed;
pub mod protocol;
pub mod report;
pub mod sections;
pub mod verifier;
