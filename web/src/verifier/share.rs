//! Share links: a receipt, base64url-encoded in the URL *fragment* (`#receipt=…`), which
//! browsers never send to a server. A link carries a receipt and nothing else: the widget
//! refuses a fragment that is too long, not base64url, or (once inspected) not a receipt,
//! and nothing in a link ever changes the key set.

use base64ct::{Base64UrlUnpadded, Encoding};

/// The fragment key.
pub const KEY: &str = "receipt=";
/// Receipts larger than this are not put into links (URLs that long break in mail clients).
pub const MAX_BYTES: usize = 16 * 1024;
/// The longest encoded receipt: checked before decoding anything.
pub const MAX_ENCODED: usize = MAX_BYTES.div_ceil(3) * 4;

/// `#receipt=…` for these bytes, or `None` when the receipt is too large for a link.
pub fn fragment(receipt: &[u8]) -> Option<String> {
    (receipt.len() <= MAX_BYTES).then(|| format!("#{KEY}{}", Base64UrlUnpadded::encode_string(receipt)))
}

/// The receipt in a fragment: `Ok(None)` when it holds no `receipt=`, an error for people
/// when it holds one that cannot be a receipt link.
pub fn receipt_from(fragment: &str) -> Result<Option<Vec<u8>>, String> {
    let Some(encoded) = fragment.strip_prefix('#').unwrap_or(fragment).strip_prefix(KEY) else { return Ok(None) };
    if encoded.len() > MAX_ENCODED {
        return Err(format!(
            "This share link was not opened: it is {} characters long, more than a receipt link can be ({MAX_ENCODED}).",
            encoded.len()
        ));
    }
    match Base64UrlUnpadded::decode_vec(encoded) {
        Ok(bytes) if !bytes.is_empty() => Ok(Some(bytes)),
        _ => Err("This share link was not opened: what follows #receipt= is not a base64url-encoded receipt.".into()),
    }
}

/// The receipt in the address bar's fragment, if any.
pub fn current_receipt() -> Result<Option<Vec<u8>>, String> {
    let Some(hash) = web_sys::window().and_then(|w| w.location().hash().ok()) else { return Ok(None) };
    receipt_from(&hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_junk() {
        let receipt = br#"{"kid":"k","signature":"+/="}"#;
        let f = fragment(receipt).unwrap();
        assert!(f.starts_with("#receipt=") && !f["#receipt=".len()..].contains(['+', '/', '=']), "{f}");
        assert_eq!(receipt_from(&f).unwrap().unwrap(), receipt);
        assert_eq!(receipt_from("#other=abc"), Ok(None));
        assert!(receipt_from("#receipt=***").unwrap_err().contains("not a base64url"));
        assert!(receipt_from("#receipt=").unwrap_err().contains("not a base64url"));
        assert_eq!(fragment(&vec![b' '; MAX_BYTES + 1]), None);
        // The largest receipt a link may carry still opens; one more character does not.
        let largest = fragment(&vec![b' '; MAX_BYTES]).unwrap();
        assert!(receipt_from(&largest).unwrap().is_some());
        let long = format!("#receipt={}", "A".repeat(MAX_ENCODED + 1));
        assert!(receipt_from(&long).unwrap_err().contains("characters long"));
    }
}
