//! `inspect`: say what a file is (receipt, chain, approvals, row export, keys) or why it
//! is none of those, without verifying anything. The page labels dropped files with it.

use serde::Serialize;
use serde_json::Value;

use crate::approval::WAVE_APPROVAL_TYPE;
use crate::input::split;
use crate::keys::{parse_keys, Fingerprint, KeyFormat};

/// What kind of file it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    /// One batch receipt.
    Receipt,
    /// Several batch receipts.
    ReceiptChain,
    /// Wave approvals only.
    Approvals,
    /// Batch receipts and wave approvals.
    ReceiptsAndApprovals,
    /// An audit-row export.
    RowExport,
    /// One or more public keys.
    Keys,
    /// None of the above; `reason` says why.
    Unknown,
}

/// A key found in a key file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeySummary {
    /// Its kid, if it has one.
    pub kid: Option<String>,
    /// `"RSA-2048"`, `"EC P-256"`.
    pub key_type: String,
    /// SPKI SHA-256, hex.
    pub fingerprint: Fingerprint,
    /// How it was encoded.
    pub format: KeyFormat,
}

/// What a file is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Inspection {
    /// The kind.
    pub kind: FileKind,
    /// A short label for people, e.g. "chain of 6 receipts (cust-0042)".
    pub label: String,
    /// Receipts, approvals, rows or keys found.
    pub count: usize,
    /// The keys, for key files.
    pub keys: Vec<KeySummary>,
    /// Why the file is not recognised, or which parts could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Inspection {
    fn unknown(reason: String) -> Self {
        Inspection {
            kind: FileKind::Unknown,
            label: "not recognised".into(),
            count: 0,
            keys: Vec::new(),
            reason: Some(reason),
        }
    }
}

/// Does this look like a key file (so a key error is the best explanation)? PEM, DER, or
/// one JSON object whose top level is a JWK (`kty`), a JWKS (`keys`) or Key Vault output
/// (`key`). Members are looked up on the parsed object, so a row whose *value* is "keys"
/// is not mistaken for a key file.
fn looks_like_keys(bytes: &[u8]) -> bool {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    let head = bytes.get(start..).unwrap_or_default();
    if head.starts_with(b"-----BEGIN") || head.first() == Some(&0x30) {
        return true;
    }
    match crate::json::parse(bytes) {
        Ok(Value::Object(o)) => o.contains_key("kty") || o.contains_key("keys") || o.contains_key("key"),
        _ => false,
    }
}

/// Say what `bytes` are.
pub fn inspect(bytes: &[u8]) -> Inspection {
    if looks_like_keys(bytes) {
        return match parse_keys(bytes, "file") {
            Ok(keys) => {
                let keys: Vec<KeySummary> = keys
                    .iter()
                    .map(|k| KeySummary {
                        kid: k.kid.clone(),
                        key_type: k.material.describe(),
                        fingerprint: k.fingerprint,
                        format: k.format,
                    })
                    .collect();
                let label = match keys.as_slice() {
                    [one] => format!(
                        "{} key{}",
                        one.key_type,
                        one.kid.as_ref().map_or(" (no kid)".to_string(), |k| format!(" {k}"))
                    ),
                    many => format!("{} keys", many.len()),
                };
                Inspection { kind: FileKind::Keys, label, count: keys.len(), keys, reason: None }
            }
            Err(e) => Inspection::unknown(format!("not a usable key: {e}")),
        };
    }
    let (_, items) = split("file", bytes);
    let (mut batch, mut approvals, mut rows, mut other, mut bad) = (0usize, 0usize, 0usize, 0usize, Vec::new());
    let mut customer: Option<String> = None;
    for item in &items {
        match &item.value {
            Ok(Value::Object(o)) => {
                if o.get("type").and_then(Value::as_str) == Some(WAVE_APPROVAL_TYPE) {
                    approvals += 1;
                } else if o.contains_key("batchHead") || (o.contains_key("kid") && o.contains_key("signature")) {
                    batch += 1;
                    if customer.is_none() {
                        customer = o.get("customerId").and_then(Value::as_str).map(str::to_string);
                    }
                } else if o.contains_key("seq") && o.contains_key("thisHash") {
                    rows += 1;
                } else {
                    other += 1;
                }
            }
            Ok(_) => other += 1,
            Err(e) => bad.push(match item.subject.line {
                Some(line) => format!("line {line}: {e}"),
                None => e.to_string(),
            }),
        }
    }
    let found = batch + approvals + rows;
    let first = bytes.iter().copied().find(|b| !b.is_ascii_whitespace());
    if found == 0 && !matches!(first, Some(b'{' | b'[') | None) && !bytes.starts_with("\u{feff}".as_bytes()) {
        return Inspection::unknown(
            "not a receipt, row export or key: the file is neither JSON nor a PEM or DER key".into(),
        );
    }
    if found == 0 {
        return Inspection::unknown(bad.into_iter().next().unwrap_or_else(|| {
            "no receipt, row or key found: expected receipt members (batchHead, kid, signature), row members (seq, thisHash) or a key".into()
        }));
    }
    let reason = (!bad.is_empty() || other > 0).then(|| {
        let mut parts = Vec::new();
        if !bad.is_empty() {
            parts.push(format!(
                "{} item(s) not readable, first: {}",
                bad.len(),
                bad.first().map_or("", |s| s.as_str())
            ));
        }
        if other > 0 {
            parts.push(format!("{other} item(s) are neither receipts nor rows"));
        }
        parts.join("; ")
    });
    let of = customer.map(|c| format!(" ({c})")).unwrap_or_default();
    let (kind, label, count) = if rows > 0 && batch + approvals == 0 {
        (FileKind::RowExport, format!("row export of {rows} rows"), rows)
    } else if batch == 1 && approvals == 0 {
        (FileKind::Receipt, format!("receipt{of}"), 1)
    } else if approvals == 0 {
        (FileKind::ReceiptChain, format!("chain of {batch} receipts{of}"), batch)
    } else if batch == 0 {
        (FileKind::Approvals, format!("{approvals} wave approval{}", if approvals == 1 { "" } else { "s" }), approvals)
    } else {
        (FileKind::ReceiptsAndApprovals, format!("{batch} receipts and {approvals} approvals{of}"), batch + approvals)
    };
    Inspection { kind, label, count, keys: Vec::new(), reason }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn labels_the_obvious_cases() {
        assert_eq!(inspect(b"hello").kind, FileKind::Unknown);
        assert!(inspect(b"{\"a\":1}").reason.unwrap().contains("no receipt"));
        let rows = inspect(b"{\"seq\":1,\"thisHash\":\"x\"}\n{\"seq\":2,\"thisHash\":\"y\"}\n");
        assert_eq!((rows.kind, rows.count), (FileKind::RowExport, 2));
        // A row whose value is "keys" is still a row.
        let row = inspect(b"{\"seq\":1,\"thisHash\":\"x\",\"resource\":\"keys\"}");
        assert_eq!(row.kind, FileKind::RowExport);
        let bad_key = inspect(b"{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}");
        assert_eq!(bad_key.kind, FileKind::Unknown);
        assert!(bad_key.reason.unwrap().contains("not a usable key"));
    }
}
