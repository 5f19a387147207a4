//! Red team 6: `key.skipped` notes sit at the same place in the report whether the receipt
//! files are given whole (`verify`, the CLI, which note the skipped keys once the receipts
//! are read) or fed in pieces by a driver that notes them first (the package's
//! `Verification.start`, which `verifyFiles` and the page use). SPEC.md §12, §15: the
//! report is the same for any reading, apart from `backend`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use receipt_verify::{
    parse_key_file, FileRole, InputFile, KeyFile, ReceiptPass, Report, RustCryptoBackend, Verdict, Verification,
};

const JWKS: &str = include_str!("../../../examples/jwks.json");
const RECEIPTS: &str = include_str!("../../../examples/receipts.jsonl");
const APPROVALS: &str = include_str!("../../../examples/approvals.json");
/// A P-256 key for encryption only (`use: "enc"`): skipped with a `key.skipped` note.
const ENC_KEY: &str = r#"{"kty": "EC", "crv": "P-256", "x": "QjT4VI2B4s_bgVAoHIrEJIrANuYk1HzweacLSM0i23E", "y": "Heez2kFTnujH2lqfhim2wBNe0GU340gMk21OHM7-474", "kid": "enc/1", "use": "enc"}"#;

/// The demo JWKS with an encryption key added to it.
fn keys() -> KeyFile {
    let mut jwks: serde_json::Value = serde_json::from_str(JWKS).unwrap();
    jwks["keys"].as_array_mut().unwrap().push(serde_json::from_str(ENC_KEY).unwrap());
    let all = parse_key_file(jwks.to_string().as_bytes(), "jwks.json").unwrap();
    assert_eq!(all.skipped.len(), 1, "the encryption key is skipped");
    all
}

fn files() -> Vec<InputFile> {
    vec![
        InputFile::new("receipts.jsonl", RECEIPTS.as_bytes().to_vec()),
        InputFile::new("approvals.json", APPROVALS.as_bytes().to_vec()),
    ]
}

/// As `verify` and the CLI: receipts read, then the skipped keys noted.
fn noted_after() -> Report {
    let keys = keys();
    let mut v = Verification::new(keys.keys, &files());
    v.note_skipped_keys(&keys.skipped);
    v.finish_with(&RustCryptoBackend)
}

/// As the package's `Verification.start` (crates/wasm/src/feed.rs), which `verifyFiles`
/// drives: the skipped keys noted first, then every file fed in its passes, in pieces.
fn noted_first(chunk: usize) -> Report {
    let keys = keys();
    let mut v = Verification::start(keys.keys);
    v.note_skipped_keys(&keys.skipped);
    let files = files();
    let mut passes = Vec::new();
    for f in &files {
        passes.push((f, ReceiptPass::Shape));
        passes.push((f, ReceiptPass::Items));
    }
    passes.extend(files.iter().map(|f| (f, ReceiptPass::Chain)));
    for (f, pass) in passes {
        v.begin_receipt_file(&f.name, f.bytes.len() as u64, FileRole::Auto, pass).unwrap();
        for piece in f.bytes.chunks(chunk) {
            v.push_receipts(piece);
        }
        v.end_receipt_file().unwrap();
    }
    v.end_receipts().unwrap();
    v.finish_with(&RustCryptoBackend)
}

#[test]
fn skipped_key_notes_do_not_depend_on_when_the_driver_gives_them() {
    let whole = noted_after();
    // Positive control: the honest demo set verifies beside an encryption key.
    assert_eq!(whole.verdict(), Verdict::Verified);
    assert!(whole.checks.iter().any(|c| c.id == "key.skipped"));
    for chunk in [1 << 20, 97] {
        let streamed = noted_first(chunk);
        assert_eq!(
            serde_json::to_string(&streamed).unwrap(),
            serde_json::to_string(&whole).unwrap(),
            "pieces of {chunk}: the key.skipped note moved"
        );
    }
}
