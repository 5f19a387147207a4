//! The demo files from `examples/`, built into the page so "Try the demo" needs no request.

use std::sync::Arc;

use super::widget::Demo;

/// The vendor's published JWKS (the demo vendor publishes the demo keys).
pub const JWKS: &str = include_str!("../../../examples/jwks.json");

/// The demo receipt chain and approvals, which verify, and a receipt edited after signing,
/// which fails `receipt.hash` and `receipt.signature`.
pub fn demo() -> Demo {
    let file = |name: &str, text: &str| (name.to_string(), Arc::new(text.as_bytes().to_vec()));
    Demo {
        good: vec![
            file("receipts.jsonl", include_str!("../../../examples/receipts.jsonl")),
            file("approvals.json", include_str!("../../../examples/approvals.json")),
        ],
        tampered: vec![file("receipt-edited.json", include_str!("../../../examples/tampered/receipt-edited.json"))],
    }
}
