//! Receipt and bundle parsing on arbitrary bytes: splitting into items, the file
//! classifier, strict JSON, manifests and the typed receipt and approval readers must
//! not panic, and the canonical form of any accepted document must itself be accepted
//! and be a fixed point (no accepted value changes when canonicalised).
#![no_main]

use libfuzzer_sys::fuzz_target;
use receipt_verify::{canonical_bytes, inspect, json, manifest, manifest_of, split_items, BatchReceipt, WaveApproval};
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let (_, items) = split_items("fuzz.jsonl", data);
    for item in &items {
        if let Ok(Value::Object(object)) = &item.value {
            let _ = manifest(object);
            let _ = BatchReceipt::parse(object, item.subject.clone());
            let _ = WaveApproval::parse(object, item.subject.clone());
        }
    }
    let _ = inspect(data);
    if let Ok(value) = json::parse(data) {
        let _ = manifest_of(&value);
        let canonical =
            canonical_bytes(&value).unwrap_or_else(|e| panic!("an accepted document must canonicalise: {e}"));
        let again = json::parse(&canonical).unwrap_or_else(|e| {
            panic!(
                "the core refuses the canonical form of a document it accepted: {e}; canonical form: {}",
                String::from_utf8_lossy(&canonical)
            )
        });
        let twice = canonical_bytes(&again).unwrap_or_else(|e| panic!("a canonical form must canonicalise: {e}"));
        assert!(twice == canonical, "canonicalising twice changed the bytes: {}", String::from_utf8_lossy(&canonical));
    }
});
