//! The embeddable verifier: mounts the widget into every `[data-receipt-verifier]` element.
//! The module also exports the receipt-verify-wasm API (`verify`, `inspect`,
//! `RowVerifier`, …), which the worker calls: one file holds widget and core.

pub use receipt_verify_wasm::*;

fn main() {
    trust_center::embed::mount_all();
}
