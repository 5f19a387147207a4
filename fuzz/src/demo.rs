//! The committed demo set (examples/), read once per fuzz process.

use std::sync::OnceLock;

use receipt_verify::{parse_keys, split_items, PublicKey, SealedHead};
use serde_json::Value;

/// The demo's published keys (examples/jwks.json).
pub fn keys() -> &'static [PublicKey] {
    static KEYS: OnceLock<Vec<PublicKey>> = OnceLock::new();
    KEYS.get_or_init(|| {
        parse_keys(include_bytes!("../../examples/jwks.json"), "jwks.json")
            .unwrap_or_else(|e| panic!("the demo keys must parse: {e}"))
    })
}

/// The sealed heads of the demo receipts (examples/receipts.jsonl), in chain order.
pub fn heads() -> &'static [SealedHead] {
    static HEADS: OnceLock<Vec<SealedHead>> = OnceLock::new();
    HEADS.get_or_init(|| {
        let (_, items) = split_items("receipts.jsonl", include_bytes!("../../examples/receipts.jsonl"));
        let heads: Vec<SealedHead> = items
            .iter()
            .filter_map(|item| {
                let receipt = item.value.as_ref().ok()?.as_object()?;
                Some(SealedHead {
                    hash: receipt.get("batchHead")?.as_str()?.parse().ok()?,
                    customer_id: receipt.get("customerId").and_then(Value::as_str).map(str::to_string),
                    subject: item.subject.at("batchHead"),
                })
            })
            .collect();
        assert!(!heads.is_empty(), "the demo receipts must have sealed heads");
        heads
    })
}
