//! The base64 decoder every member and PEM body goes through.

/// Decode a receipt's `signature`: standard or URL-safe base64, padded or not
/// (SPEC.md, "Batch receipt"). Whitespace is not accepted.
///
/// Exactly what `base64ct`'s four decoders accept (tested against them below): one
/// alphabet per text, padding only to a multiple of 4, and no bits set past the last byte.
/// Written here rather than taken from `base64ct` because that crate decodes in constant
/// time, for secrets: a signature is public, and its decoding took 11 % of the time a
/// receipt file takes in the page's WebAssembly (Node CPU profile, 2026-12-03), decoded
/// twice per receipt.
pub fn decode_base64(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    let url = bytes.iter().any(|&b| b == b'-' || b == b'_');
    let standard = bytes.iter().any(|&b| b == b'+' || b == b'/');
    if url && standard {
        return None;
    }
    let body = s.trim_end_matches('=').as_bytes();
    let pads = s.len() - body.len();
    if pads > 0 && (pads > 2 || s.len() % 4 != 0) {
        return None;
    }
    let table = if standard { &STANDARD } else { &URL_SAFE };
    // Each character's 6 bits; more than 63 for one outside the alphabet.
    let sextet = |b: &u8| u32::from(table.get(usize::from(*b)).copied().unwrap_or(NOT_BASE64));
    let mut out = Vec::with_capacity(body.len() / 4 * 3 + 2);
    let mut quads = body.chunks_exact(4);
    for quad in &mut quads {
        // The sextets ORed together exceed 63 if any character is outside the alphabet.
        let (v, all) = quad.iter().map(sextet).fold((0, 0), |(v, all), x| (v << 6 | x, all | x));
        if all > 63 {
            return None;
        }
        let [_, b0, b1, b2] = v.to_be_bytes();
        out.push(b0);
        out.push(b1);
        out.push(b2);
    }
    // 2 or 3 characters left make 1 or 2 bytes; the bits past them must be 0.
    let rest = quads.remainder();
    if rest.iter().any(|b| sextet(b) > 63) {
        return None;
    }
    let v = rest.iter().fold(0, |v, b| v << 6 | sextet(b));
    match rest.len() {
        0 => {}
        2 if v & 0xf == 0 => out.extend_from_slice(&(v >> 4).to_be_bytes()[3..]),
        3 if v & 0x3 == 0 => out.extend_from_slice(&(v >> 2).to_be_bytes()[2..]),
        _ => return None,
    }
    Some(out)
}

/// [`STANDARD`] and [`URL_SAFE`] hold this for a byte outside their alphabet.
const NOT_BASE64: u8 = 0xff;

/// Each byte's 6 bits in the standard alphabet (RFC 4648 §4), and in the URL-safe one (§5).
static STANDARD: [u8; 256] = alphabet(b'+', b'/');
static URL_SAFE: [u8; 256] = alphabet(b'-', b'_');

#[allow(clippy::indexing_slicing)] // a u8 indexes a table of 256
const fn alphabet(c62: u8, c63: u8) -> [u8; 256] {
    let mut t = [NOT_BASE64; 256];
    let mut i = 0;
    while i < 26 {
        t[b'A' as usize + i] = i as u8;
        t[b'a' as usize + i] = 26 + i as u8;
        if i < 10 {
            t[b'0' as usize + i] = 52 + i as u8;
        }
        i += 1;
    }
    t[c62 as usize] = 62;
    t[c63 as usize] = 63;
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64ct::{Base64, Base64Unpadded, Base64Url, Base64UrlUnpadded, Encoding};
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

    /// What `base64ct` decodes `s` to, with the decoder its alphabet and padding name.
    fn reference(s: &str) -> Option<Vec<u8>> {
        match (s.contains(['-', '_']), s.ends_with('=')) {
            (false, true) => Base64::decode_vec(s).ok(),
            (false, false) => Base64Unpadded::decode_vec(s).ok(),
            (true, true) => Base64Url::decode_vec(s).ok(),
            (true, false) => Base64UrlUnpadded::decode_vec(s).ok(),
        }
    }

    /// The single-decoder `decode_base64` accepts exactly what dispatching to base64ct's
    /// four encodings accepts, with the same bytes.
    #[test]
    fn base64_matches_the_four_base64ct_decoders() {
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

    /// Every character of both alphabets, padding and a few that are in neither, at every
    /// length up to 48: the decoder written here accepts exactly what `base64ct` does, and
    /// decodes to the same bytes (non-zero bits past the last byte, stray padding, mixed
    /// alphabets and 4n+1 lengths included).
    #[test]
    fn base64_matches_base64ct_on_random_text_over_every_character() {
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_= .\n\x00\xff";
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            usize::try_from(state % n).unwrap()
        };
        let (mut compared, mut accepted) = (0, 0);
        for len in 0..48 {
            for round in 0..600 {
                // Mostly one alphabet (else nearly every text mixes them), sometimes anything.
                let pool: &[u8] = match round % 3 {
                    0 => &alphabet[..64],
                    1 => &alphabet[..62],
                    _ => alphabet,
                };
                let mut bytes: Vec<u8> = (0..len).map(|_| pool[next(pool.len() as u64)]).collect();
                if round % 5 == 0 && len > 2 {
                    bytes[len - 1] = b'=';
                }
                let Ok(text) = String::from_utf8(bytes) else { continue };
                let ours = decode_base64(&text);
                assert_eq!(ours, reference(&text), "{text:?}");
                accepted += usize::from(ours.is_some());
                compared += 1;
            }
        }
        assert!(compared > 20_000 && accepted > 2_000, "{compared} compared, {accepted} accepted");
    }
}
