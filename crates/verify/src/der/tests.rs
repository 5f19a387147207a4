#![allow(clippy::unwrap_used, clippy::indexing_slicing)]
use super::*;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn problem(data: &[u8]) -> Problem {
    let mut r = Reader::new(data);
    r.next_tlv().and_then(|_| r.finish()).unwrap_err().problem
}

#[test]
fn lengths_are_definite_minimal_and_in_bounds() {
    assert_eq!(problem(&[0x04, 0x80, 0, 0]), Problem::IndefiniteLength);
    assert_eq!(problem(&[0x04, 0x81, 0x05, 1, 2, 3, 4, 5]), Problem::NonMinimalLength);
    assert_eq!(problem(&[0x04, 0x82, 0x00, 0x80]), Problem::NonMinimalLength);
    assert_eq!(problem(&[0x04, 0x03, 1, 2]), Problem::Truncated);
    assert_eq!(problem(&[0x04]), Problem::Truncated);
    assert_eq!(problem(&[0x04, 0x85, 1, 1, 1, 1, 1]), Problem::Truncated);
    assert_eq!(problem(&[0x1f, 0x01, 0x00]), Problem::LongTag);
    assert_eq!(problem(&[0x04, 0x00, 0x00]), Problem::TrailingBytes);
    let long = [&[0x04, 0x81, 0x80][..], &[7; 128]].concat();
    assert_eq!(single(&long, 0x04).unwrap().value.len(), 128);
}

#[test]
fn integers_are_positive_and_minimal() {
    let int = |v: &[u8]| {
        let raw = [&[tag::INTEGER, v.len() as u8][..], v].concat();
        single(&raw, tag::INTEGER).unwrap().positive_integer().map(<[u8]>::to_vec)
    };
    assert_eq!(int(&[0x01]).unwrap(), [0x01]);
    assert_eq!(int(&[0x00]).unwrap(), [0x00]);
    assert_eq!(int(&[0x00, 0x80]).unwrap(), [0x80]);
    assert!(int(&[]).is_err());
    assert!(int(&[0x80]).is_err(), "negative");
    assert!(int(&[0x00, 0x7f]).is_err(), "redundant leading zero");
    let mut out = Vec::new();
    push_positive_integer(&mut out, &[0, 0, 0x80, 1]);
    assert_eq!(out, [0x02, 0x03, 0x00, 0x80, 0x01]);
    out.clear();
    push_positive_integer(&mut out, &[]);
    assert_eq!(out, [0x02, 0x01, 0x00]);
}

#[test]
fn oids_print_dotted_and_reject_padding() {
    let oid = |v: &[u8]| {
        let raw = [&[tag::OID, v.len() as u8][..], v].concat();
        dotted_oid(single(&raw, tag::OID).unwrap())
    };
    assert_eq!(oid(oid::RSA_ENCRYPTION).unwrap(), "1.2.840.113549.1.1.1");
    assert_eq!(oid(oid::PRIME256V1).unwrap(), "1.2.840.10045.3.1.7");
    assert_eq!(oid(&[0x55, 0x04, 0x03]).unwrap(), "2.5.4.3");
    assert_eq!(oid(&[0x88, 0x37, 0x03]).unwrap(), "2.999.3");
    assert!(oid(&[0x55, 0x80, 0x04]).is_err(), "padded arc");
    assert!(oid(&[0x55, 0x84]).is_err(), "unfinished arc");
    assert!(oid(&[]).is_err());
}

#[test]
fn messages_name_the_place_and_both_tags() {
    let e = read_spki(&[0x31, 0x00]).unwrap_err();
    assert_eq!(e.to_string(), "expected SEQUENCE (tag 0x30), found tag 0x31 at byte 0");
    let e = read_rsa_public_key(&[0x30, 0x03, 0x02, 0x01, 0x01]).unwrap_err();
    assert_eq!(e.to_string(), "the structure ends where INTEGER (tag 0x02) belongs at byte 5");
}

/// Structured random `Ecdsa-Sig-Value`s, some damaged: one is read exactly when it is
/// canonical DER (encoding what was read gives the input back) with r and s of at most
/// 32 bytes; nothing panics.
#[test]
fn ecdsa_signatures_are_read_exactly_when_canonical() {
    let mut state = 0x0123_4567_89ab_cdefu64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let (mut read, mut refused) = (0, 0);
    for _ in 0..20_000 {
        let mut ints = Vec::new();
        let mut widths_ok = true;
        for _ in 0..2 {
            let len = (next() % 36) as usize;
            let mut v: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            if next() % 3 == 0 {
                v.insert(0, 0);
            }
            let magnitude_len = v.iter().skip_while(|&&b| b == 0).count();
            widths_ok &= magnitude_len <= 32;
            let mut raw = vec![tag::INTEGER, v.len() as u8];
            raw.extend_from_slice(&v);
            ints.extend_from_slice(&raw);
        }
        let mut sig = Vec::new();
        push_tlv(&mut sig, tag::SEQUENCE, &ints);
        let damaged = next() % 4 == 0;
        if damaged {
            let i = (next() as usize) % sig.len();
            sig[i] ^= 1 << (next() % 8);
        }
        match ecdsa_signature_to_fixed(&sig, 32) {
            Some(rs) => {
                let mut again = Vec::new();
                push_positive_integer(&mut again, &rs[..32]);
                push_positive_integer(&mut again, &rs[32..]);
                let mut canonical = Vec::new();
                push_tlv(&mut canonical, tag::SEQUENCE, &again);
                assert_eq!(canonical, sig, "accepted a non-canonical encoding");
                read += 1;
            }
            None => {
                refused += 1;
                // A canonical encoding with narrow enough values must not be refused.
                let canonical = single(&sig, tag::SEQUENCE).is_ok_and(|t| {
                    let mut r = t.children();
                    r.expect(tag::INTEGER).and_then(Tlv::positive_integer).is_ok()
                        && r.expect(tag::INTEGER).and_then(Tlv::positive_integer).is_ok()
                        && r.finish().is_ok()
                });
                assert!(damaged || !(canonical && widths_ok), "refused a canonical signature: {sig:02x?}");
            }
        }
        // The other readers take the same bytes without panicking.
        let _ = read_spki(&sig);
        let _ = read_rsa_public_key(&sig);
    }
    assert!(read > 1000 && refused > 1000, "{read} read, {refused} refused");
}
