//! Key parsing on arbitrary bytes (PEM, DER, certificates, JWK, JWKS): no panic, and
//! every accepted key reads back from its own canonical SPKI as the same key (same
//! fingerprint, same type), so a key's identity does not depend on its encoding.
#![no_main]

use libfuzzer_sys::fuzz_target;
use receipt_verify::{inspect, parse_keys};

fuzz_target!(|data: &[u8]| {
    let _ = inspect(data);
    let Ok(keys) = parse_keys(data, "fuzz.key") else {
        return;
    };
    assert!(!keys.is_empty(), "parse_keys returned Ok with no key");
    for key in &keys {
        let _ = key.label();
        let spki = key.material.spki_der();
        let again = parse_keys(&spki, "spki.der")
            .unwrap_or_else(|e| panic!("the canonical SPKI of an accepted key is refused: {e}"));
        assert_eq!(again.len(), 1, "one SPKI must give one key");
        if let Some(one) = again.first() {
            assert_eq!(one.fingerprint, key.fingerprint, "fingerprint changes with the encoding");
            assert_eq!(one.material.describe(), key.material.describe(), "key type changes with the encoding");
        }
    }
});
