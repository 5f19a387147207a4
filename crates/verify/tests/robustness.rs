//! No input makes the core panic: deterministic byte-level mutations of every demo file
//! (flips, truncations, insertions) go through the receipt, row and key paths.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

// In WASM builds `#[test]` means `#[wasm_bindgen_test]`: the same tests run natively,
// in Node and in headless Chromium.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[macro_use]
mod common;

use common::*;
use receipt_verify::{parse_keys, verify, InputFile, RustCryptoBackend, Verdict};

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut b = input.to_vec();
    for _ in 0..=rng.below(3) {
        match rng.below(4) {
            0 if !b.is_empty() => {
                let i = rng.below(b.len());
                b[i] ^= 1 << rng.below(8);
            }
            1 => b.truncate(rng.below(b.len() + 1)),
            2 => {
                let i = rng.below(b.len() + 1);
                let junk = [b'"', b'{', b'}', b'[', b',', b':', 0xff, 0xc3, b'\\', b'\n', b'0', b'e'];
                b.insert(i, junk[rng.below(junk.len())]);
            }
            _ => {
                if b.len() > 2 {
                    let i = rng.below(b.len() - 1);
                    b.swap(i, i + 1);
                }
            }
        }
    }
    b
}

/// The JSON values of a JSON Lines text, or `None` if a line is not JSON.
fn lines(text: &[u8]) -> Option<Vec<serde_json::Value>> {
    let text = std::str::from_utf8(text).ok()?;
    text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).ok()).collect()
}

/// Whether a mutated demo set still says what the demo set says: the same approvals, and
/// receipts and rows that are a prefix of the demo's (a chain or an export cut at a line
/// end is still honest; rows past the last sealed head are only a warning). Anything else
/// that verifies would be a tampered input that the verifier let through.
fn same_content(receipts: &[u8], approvals: &[u8], rows: &[u8]) -> bool {
    let prefix = |got: Option<Vec<serde_json::Value>>, all: &str| {
        let all = lines(all.as_bytes()).unwrap();
        got.is_some_and(|got| !got.is_empty() && all.starts_with(&got))
    };
    let approvals_same =
        serde_json::from_slice::<serde_json::Value>(approvals).ok() == Some(serde_json::from_str(APPROVALS).unwrap());
    approvals_same && prefix(lines(receipts), RECEIPTS) && prefix(lines(rows), ROWS)
}

#[test]
fn mutated_inputs_never_panic_and_never_verify_changed_content() {
    let mut rng = Rng(0x5eed_1234_abcd_9876);
    let keys = jwks();
    let (mut runs, mut failed, mut unchanged) = (0, 0, 0);
    for round in 0..400 {
        let receipts = mutate(&mut rng, RECEIPTS.as_bytes());
        let approvals = mutate(&mut rng, APPROVALS.as_bytes());
        let rows = mutate(&mut rng, ROWS.as_bytes());
        let same = same_content(&receipts, &approvals, &rows);
        let report = verify(
            keys.clone(),
            &[InputFile::new("receipts.jsonl", receipts), InputFile::new("approvals.json", approvals)],
            Some(&InputFile::new("rows.jsonl", rows)),
            &RustCryptoBackend,
        );
        runs += 1;
        unchanged += usize::from(same);
        // The JSON report says what the report says.
        let json = serde_json::to_value(&report).unwrap();
        let verdict = match report.verdict() {
            Verdict::Verified => "verified",
            Verdict::Failed => "failed",
        };
        assert_eq!(json["verdict"], verdict, "round {round}");
        match report.verdict() {
            Verdict::Failed => failed += 1,
            // Verified only when the mutation left the content as signed (e.g. whitespace
            // between tokens, or a cut at a line end).
            Verdict::Verified => assert!(same, "round {round}: a changed demo set verified"),
        }
        // Key files: any outcome but a panic is fine.
        let _ = parse_keys(&mutate(&mut rng, JWKS.as_bytes()), "jwks.json");
        let _ = parse_keys(&mutate(&mut rng, PUB_PEM.as_bytes()), "key.pem");
    }
    say!("robustness: {runs} mutated demo sets verified without a panic; {failed} failed verification, {unchanged} kept the signed content");
    // Nearly every mutation of signed, hash-chained data must be caught.
    assert!(failed * 100 >= runs * 95, "{failed} of {runs}");
    // The unmutated demo set is a positive control: it verifies.
    let honest = verify(
        keys,
        &[InputFile::new("receipts.jsonl", RECEIPTS.into()), InputFile::new("approvals.json", APPROVALS.into())],
        Some(&InputFile::new("rows.jsonl", ROWS.into())),
        &RustCryptoBackend,
    );
    assert_eq!(honest.verdict(), Verdict::Verified);
    assert!(same_content(RECEIPTS.as_bytes(), APPROVALS.as_bytes(), ROWS.as_bytes()));
}
