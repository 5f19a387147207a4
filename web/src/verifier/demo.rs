//! The demo files from `examples/`, built into the page so "Try the demo" needs no request.

/// The vendor's published JWKS (the demo vendor publishes the demo keys).
pub const JWKS: &str = include_str!("../../../examples/jwks.json");
/// The demo receipt chain and approvals: verifies.
pub const GOOD: [(&str, &str); 2] = [
    ("receipts.jsonl", include_str!("../../../examples/receipts.jsonl")),
    ("approvals.json", include_str!("../../../examples/approvals.json")),
];
/// A receipt edited after signing: fails `receipt.hash` and `receipt.signature`.
pub const TAMPERED: [(&str, &str); 1] =
    [("receipt-edited.json", include_str!("../../../examples/tampered/receipt-edited.json"))];
