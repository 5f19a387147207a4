//! Share links: the current receipt, base64url-encoded in the URL *fragment*
//! (`#receipt=…`), which browsers never send to a server.

use base64ct::{Base64UrlUnpadded, Encoding};

/// The fragment key.
pub const KEY: &str = "receipt=";
/// Receipts larger than this are not put into links (URLs that long break in mail clients).
pub const MAX_BYTES: usize = 16 * 1024;

/// `#receipt=…` for these bytes, or `None` when the receipt is too large for a link.
pub fn fragment(receipt: &[u8]) -> Option<String> {
    (receipt.len() <= MAX_BYTES).then(|| format!("#{KEY}{}", Base64UrlUnpadded::encode_string(receipt)))
}

/// The receipt in a fragment (`#receipt=…`), if there is a readable one.
pub fn receipt_from(fragment: &str) -> Option<Vec<u8>> {
    let encoded = fragment.strip_prefix('#').unwrap_or(fragment).strip_prefix(KEY)?;
    let bytes = Base64UrlUnpadded::decode_vec(encoded).ok()?;
    (bytes.len() <= MAX_BYTES).then_some(bytes)
}

/// Put `hash` (a fragment from [`fragment`], or empty) into the address bar without a
/// navigation. An empty one clears only our own `#receipt=` fragment.
pub fn set_fragment(hash: &str) {
    let Some(window) = web_sys::window() else { return };
    let location = window.location();
    let current = location.hash().unwrap_or_default();
    if current == hash || (hash.is_empty() && !current.starts_with(&format!("#{KEY}"))) {
        return;
    }
    let base = format!("{}{}", location.pathname().unwrap_or_default(), location.search().unwrap_or_default());
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("{base}{hash}")));
    }
}

/// The receipt in the address bar's fragment, if any.
pub fn current_receipt() -> Option<Vec<u8>> {
    receipt_from(&web_sys::window()?.location().hash().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_junk() {
        let receipt = br#"{"kid":"k","signature":"+/="}"#;
        let f = fragment(receipt).unwrap();
        assert!(f.starts_with("#receipt=") && !f["#receipt=".len()..].contains(['+', '/', '=']), "{f}");
        assert_eq!(receipt_from(&f).unwrap(), receipt);
        assert_eq!(receipt_from("#other=abc"), None);
        assert_eq!(receipt_from("#receipt=***"), None);
        assert_eq!(fragment(&vec![b' '; MAX_BYTES + 1]), None);
    }
}
