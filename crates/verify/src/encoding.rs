//! The base64 decoder every member and PEM body goes through.

use base64ct::{Base64UrlUnpadded, Encoding};

/// Decode a receipt's `signature`: standard or URL-safe base64, padded or not
/// (SPEC.md, "Batch receipt"). Whitespace is not accepted.
///
/// One decoder (base64url, unpadded) serves all four forms: the padding is checked here
/// and the standard alphabet is mapped onto the URL-safe one. Each extra `base64ct`
/// alphabet would add its own copy of the decoder to the WASM build.
pub fn decode_base64(s: &str) -> Option<Vec<u8>> {
    // Bytes, not chars: a signature is decoded twice per receipt, and this was a fifth
    // of the time spent reading a receipt file (CLI profile, 2026-12-03).
    let bytes = s.as_bytes();
    let url = bytes.iter().any(|&b| b == b'-' || b == b'_');
    let standard = bytes.iter().any(|&b| b == b'+' || b == b'/');
    if url && standard {
        return None;
    }
    let body = s.trim_end_matches('=');
    let pads = s.len() - body.len();
    if pads > 0 && (pads > 2 || s.len() % 4 != 0) {
        return None;
    }
    if !standard {
        return Base64UrlUnpadded::decode_vec(body).ok();
    }
    let mapped: Vec<u8> = body
        .bytes()
        .map(|b| match b {
            b'+' => b'-',
            b'/' => b'_',
            b => b,
        })
        .collect();
    // Only ASCII bytes were replaced, by ASCII bytes: still UTF-8.
    Base64UrlUnpadded::decode_vec(std::str::from_utf8(&mapped).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn base64_alphabets_and_padding() {
        let bytes = [0xfbu8, 0xff, 0xfe, 0x01];
        for s in ["+//+AQ==", "+//+AQ", "-__-AQ==", "-__-AQ"] {
            assert_eq!(decode_base64(s).as_deref(), Some(&bytes[..]), "{s}");
        }
        assert_eq!(decode_base64("+__+AQ"), None, "mixed alphabets");
        assert_eq!(decode_base64("AQ= ="), None);
        assert_eq!(decode_base64("AQ\n"), None);
    }

    /// The single-decoder `decode_base64` accepts exactly what dispatching to base64ct's
    /// four encodings accepts, with the same bytes.
    #[test]
    fn base64_matches_the_four_base64ct_decoders() {
        use base64ct::{Base64, Base64Unpadded, Base64Url};
        let reference = |s: &str| match (s.contains(['-', '_']), s.ends_with('=')) {
            (false, true) => Base64::decode_vec(s).ok(),
            (false, false) => Base64Unpadded::decode_vec(s).ok(),
            (true, true) => Base64Url::decode_vec(s).ok(),
            (true, false) => Base64UrlUnpadded::decode_vec(s).ok(),
        };
        let alphabet = b"AQgw+/-_=z9";
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut compared = 0;
        for len in 0..14 {
            for _ in 0..400 {
                let mut text = String::new();
                for _ in 0..len {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    text.push(char::from(alphabet[usize::try_from(state % 11).unwrap()]));
                }
                assert_eq!(decode_base64(&text), reference(&text), "{text}");
                compared += 1;
            }
        }
        for len in 0..40u8 {
            let bytes: Vec<u8> = (0..len).map(|i| i.wrapping_mul(37) ^ 0xa5).collect();
            for text in [
                Base64::encode_string(&bytes),
                Base64Unpadded::encode_string(&bytes),
                Base64Url::encode_string(&bytes),
                Base64UrlUnpadded::encode_string(&bytes),
            ] {
                assert_eq!(decode_base64(&text).as_deref(), Some(&bytes[..]), "{text}");
                compared += 1;
            }
        }
        assert_eq!(compared, 14 * 400 + 40 * 4);
    }
}
