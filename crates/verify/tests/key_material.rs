//! The core validates keys itself (`keys/material.rs`), so every signature backend is
//! handed only keys the RustCrypto types accept. Here that is checked against `rsa` and
//! `p256` on crafted moduli and exponents and on SEC1 points, accepted and refused.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

#[macro_use]
mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use p256::elliptic_curve::sec1::ToEncodedPoint as _;
use receipt_verify::keys::{MAX_RSA_BITS, MIN_RSA_BITS};
use receipt_verify::{KeyMaterial, P256Key};

fn bytes(rng: &mut common::Rng, n: usize) -> Vec<u8> {
    (0..n).map(|_| rng.next() as u8).collect()
}

/// An odd (or even) modulus of exactly `bits` bits, from a seed.
fn modulus(rng: &mut common::Rng, bits: usize, odd: bool) -> Vec<u8> {
    let mut n = bytes(rng, bits.div_ceil(8));
    let top = bits % 8;
    n[0] = if top == 0 { n[0] | 0x80 } else { (n[0] & ((1 << top) - 1)) | (1 << (top - 1)) };
    let last = n.last_mut().unwrap();
    *last = if odd { *last | 1 } else { *last & !1 };
    n
}

#[test]
fn rsa_keys_are_accepted_exactly_when_the_rsa_crate_accepts_them_within_our_size_range() {
    let mut rng = common::Rng(0x5eed_0001);
    let exponents: Vec<Vec<u8>> = vec![
        vec![],
        vec![0],
        vec![1],
        vec![2],
        vec![3],
        vec![4],
        vec![0, 0, 3],
        vec![1, 0, 1],
        vec![1, 0, 0],
        vec![0x01, 0xff, 0xff, 0xff, 0xff],
        vec![0x02, 0x00, 0x00, 0x00, 0x01],
        vec![0x01, 0xff, 0xff, 0xff, 0xfe],
        vec![0xff; 8],
        vec![0x01; 9],
        vec![0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1],
    ];
    let (mut accepted, mut refused) = (0, 0);
    for bits in [1024, MIN_RSA_BITS - 1, MIN_RSA_BITS, 3072, MAX_RSA_BITS, MAX_RSA_BITS + 1] {
        for odd in [true, false] {
            let n = modulus(&mut rng, bits, odd);
            for e in &exponents {
                for pad in [0usize, 2] {
                    let padded: Vec<u8> = std::iter::repeat_n(0, pad).chain(n.iter().copied()).collect();
                    let ours = KeyMaterial::rsa_from_parts(&padded, e);
                    let in_range = (MIN_RSA_BITS..=MAX_RSA_BITS).contains(&bits);
                    let theirs =
                        rsa::RsaPublicKey::new(rsa::BigUint::from_bytes_be(&n), rsa::BigUint::from_bytes_be(e));
                    assert_eq!(ours.is_ok(), in_range && theirs.is_ok(), "bits {bits} odd {odd} e {e:02x?}: {ours:?}");
                    if let Ok(KeyMaterial::Rsa(k)) = &ours {
                        assert_eq!(k.n(), n.as_slice(), "leading zeros are dropped");
                        assert_eq!(k.bits(), bits);
                        accepted += 1;
                    } else {
                        refused += 1;
                    }
                }
            }
        }
    }
    say!("key material: {accepted} RSA keys accepted and {refused} refused, as the rsa crate judges them");
    assert!(accepted >= 12 && refused >= 100, "{accepted} {refused}");
}

#[test]
fn p256_points_are_accepted_exactly_when_p256_accepts_them() {
    let mut rng = common::Rng(0x5eed_0002);
    let mut points: Vec<Vec<u8>> = vec![vec![], vec![0], vec![4], vec![2; 33], vec![4; 65]];
    for _ in 0..40 {
        let scalar = p256::NonZeroScalar::try_from(&bytes(&mut rng, 32)[..]).unwrap();
        let public = p256::PublicKey::from_secret_scalar(&scalar);
        let full = public.to_encoded_point(false).as_bytes().to_vec();
        let compressed = public.to_encoded_point(true).as_bytes().to_vec();
        let mut off_curve = full.clone();
        off_curve[64] ^= 1;
        let mut hybrid = full.clone();
        hybrid[0] = 6;
        points.extend([full, compressed, off_curve, hybrid]);
    }
    for _ in 0..40 {
        let mut random = bytes(&mut rng, 65);
        random[0] = 4;
        points.push(random);
        let mut x = bytes(&mut rng, 33);
        x[0] = 2 + (x[1] & 1);
        points.push(x);
    }
    let (mut accepted, mut refused) = (0, 0);
    for p in &points {
        let ours = P256Key::from_sec1(p);
        let theirs = p256::ecdsa::VerifyingKey::from_sec1_bytes(p);
        assert_eq!(ours.is_ok(), theirs.is_ok(), "{p:02x?}");
        if let (Ok(ours), Ok(theirs)) = (ours, theirs) {
            assert_eq!(ours.sec1().as_slice(), theirs.to_encoded_point(false).as_bytes());
            accepted += 1;
        } else {
            refused += 1;
        }
    }
    say!("key material: {accepted} P-256 points accepted and {refused} refused, as p256 judges them");
    assert!(accepted >= 80 && refused >= 85, "{accepted} {refused}");
}
