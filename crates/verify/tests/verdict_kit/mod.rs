//! Helpers shared by verdicts.rs and approval_rules.rs: explicit key sets (bound and
//! unbound approvers), re-signing one approval entry, counting findings.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use base64ct::{Base64UrlUnpadded, Encoding};
use p256::ecdsa::signature::Signer;
use receipt_verify::{
    approval_message, verify, wave_of, Approver, InputFile, PublicKey, Report, RustCryptoBackend, Status,
};
use serde_json::{json, Map, Value};

use crate::common::{approver_key, jwks};

pub fn approvals_text(a: &[Map<String, Value>]) -> String {
    serde_json::to_string(a).unwrap()
}

/// Verify with explicit keys (so a test can bind approvers to keys).
pub fn run_keys(keys: Vec<PublicKey>, files: &[(&str, String)], rows: Option<&str>) -> Report {
    let inputs: Vec<InputFile> = files.iter().map(|(n, t)| InputFile::new(*n, t.clone().into_bytes())).collect();
    let rows = rows.map(|r| InputFile::new("rows.jsonl", r.as_bytes().to_vec()));
    verify(keys, &inputs, rows.as_ref(), &RustCryptoBackend)
}

/// The demo JWKS with each approver key bound to its approver name.
pub fn bound_jwks() -> Vec<PublicKey> {
    let mut keys = jwks();
    for k in &mut keys {
        if let Some(name) = k.kid.as_deref().and_then(|kid| kid.strip_prefix("approvers/")) {
            k.approver = Some(Approver::Bound(name.trim_end_matches("/1").to_string()));
        }
    }
    keys
}

/// The demo JWKS with no key bound to an approver (the demo JWKS binds them since v1.1):
/// approver binding cannot be checked with these keys.
pub fn unbound_jwks() -> Vec<PublicKey> {
    let mut keys = jwks();
    for k in &mut keys {
        k.approver = None;
    }
    keys
}

/// Sign entry `k` of `a` with `signer`'s demo key, whatever name and kid it carries.
pub fn sign_entry_as(a: &mut Map<String, Value>, k: usize, signer: &str) {
    let wave = wave_of(a);
    let entry = a["approvals"][k].as_object_mut().unwrap();
    entry.remove("signature");
    let m = approval_message(&wave, entry).unwrap();
    let sig: p256::ecdsa::Signature = approver_key(signer).sign(&m);
    entry.insert("signature".into(), json!(Base64UrlUnpadded::encode_string(&sig.to_bytes())));
}

pub fn count(report: &Report, id: &str, status: Status) -> usize {
    report.checks.iter().filter(|c| c.id == id && c.status == status).map(|c| c.weight()).sum()
}
