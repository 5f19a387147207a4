//! The strict number rule (issue 9 §1.2), differentially: the core must accept `[<text>]`
//! exactly when the exact decimal value of `text` equals the exact value of its RFC 8785
//! form, and an accepted number must canonicalise to that form.
#![no_main]

use std::sync::Once;

use libfuzzer_sys::fuzz_target;
use receipt_verify::{canonical_bytes, json};
use receipt_verify_fuzz::decimal::{check_es_number, number_text, rule_accepts};

fuzz_target!(|data: &[u8]| {
    static ORACLE: Once = Once::new();
    ORACLE.call_once(check_es_number);
    let text = number_text(data);
    let (accepts, canonical) = rule_accepts(&text);
    let document = format!("[{text}]");
    match json::parse(document.as_bytes()) {
        Ok(value) => {
            assert!(
                accepts,
                "the core accepted the number {text}, whose RFC 8785 form {canonical:?} has another value"
            );
            let bytes =
                canonical_bytes(&value).unwrap_or_else(|e| panic!("accepted {text} does not canonicalise: {e}"));
            let want = format!("[{}]", canonical.unwrap_or_default());
            assert_eq!(String::from_utf8_lossy(&bytes), want, "the core canonicalised {text} differently");
        }
        Err(err) => assert!(
            !accepts,
            "the core refused the number {text} ({err}), whose RFC 8785 form {canonical:?} has the same value"
        ),
    }
});
