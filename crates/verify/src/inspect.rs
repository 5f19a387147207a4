//! `inspect`: say what a file is (receipt, chain, approvals, row export, keys) or why it
//! is none of those, without verifying anything. The page labels dropped files with it.

use serde::Serialize;

use crate::classify::{starts_like_pem_or_der, Shape};
use crate::input::for_each_item;
use crate::keys::{parse_keys, Fingerprint, KeyFormat};
use crate::limits::MAX_RECEIPTS;

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

/// The keys of a key file, or why it is not a usable one.
fn key_file(bytes: &[u8]) -> Inspection {
    match parse_keys(bytes, "file") {
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
    }
}

const PEM_BEGIN: &[u8] = b"\n-----BEGIN ";

/// Say what `bytes` are. The kind comes from the classifier the engine uses too
/// (`classify.rs`), so a file gets one answer to "what is this".
pub fn inspect(bytes: &[u8]) -> Inspection {
    if starts_like_pem_or_der(bytes) {
        return key_file(bytes);
    }
    // PEM may follow explanatory text (RFC 7468 §2), which the key parser accepts; the page
    // must not call such a key file unusable. JSON is never scanned for it.
    let json = matches!(bytes.iter().find(|b| !b.is_ascii_whitespace()), Some(b'{' | b'[' | 0xef));
    if !json && bytes.windows(PEM_BEGIN.len()).any(|w| w == PEM_BEGIN) {
        let keys = key_file(bytes);
        if keys.kind == FileKind::Keys {
            return keys;
        }
    }
    let mut shape = Shape::default();
    for_each_item("file", bytes, MAX_RECEIPTS, &mut |layout, item| shape.add(layout, &item));
    let kind = shape.kind();
    if kind == FileKind::Keys {
        return key_file(bytes);
    }
    let first = bytes.iter().copied().find(|b| !b.is_ascii_whitespace());
    if kind == FileKind::Unknown
        && !matches!(first, Some(b'{' | b'[') | None)
        && !bytes.starts_with("\u{feff}".as_bytes())
    {
        return Inspection::unknown(
            "not a receipt, row export or key: the file is neither JSON nor a PEM or DER key".into(),
        );
    }
    if kind == FileKind::Unknown {
        return Inspection::unknown(shape.first_unreadable.unwrap_or_else(|| {
            "no receipt, row or key found: expected receipt members (batchHead, kid, signature), row members (seq, thisHash) or a key".into()
        }));
    }
    let (batch, approvals, rows) = (shape.batch, shape.approvals, shape.rows);
    // Items that do not fit the file's kind are reported, not counted; rows among
    // receipts in the engine's words (`Shape::stray_rows`).
    let (misfits, stray_rows) = match kind {
        FileKind::RowExport => (batch + approvals + shape.other, None),
        _ => (shape.other, shape.stray_rows()),
    };
    let reason = (shape.unreadable > 0 || misfits > 0 || stray_rows.is_some()).then(|| {
        let mut parts = Vec::new();
        if let Some(first) = &shape.first_unreadable {
            parts.push(format!("{} item(s) not readable, first: {first}", shape.unreadable));
        }
        parts.extend(stray_rows.clone());
        if misfits > 0 {
            let what = if kind == FileKind::RowExport { "are not rows" } else { "are neither receipts nor approvals" };
            parts.push(format!("{misfits} item(s) {what}"));
        }
        parts.join("; ")
    });
    let label = shape.label();
    let count = match kind {
        FileKind::RowExport => rows,
        FileKind::Receipt => 1,
        FileKind::ReceiptChain => batch,
        FileKind::Approvals => approvals,
        _ => batch + approvals,
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
        // PEM after explanatory text (RFC 7468 §2) is a key file, as the key parser reads it.
        let pem = include_str!("../../../examples/audit-key.pub.pem");
        let i = inspect(format!("Audit key, issued 2026-01-01.\n\n{pem}").as_bytes());
        assert_eq!((i.kind, i.count), (FileKind::Keys, 1), "{:?}", i.reason);
        assert_eq!(inspect(b"notes\n-----BEGIN PUBLIC KEY-----\nAAAA\n").kind, FileKind::Unknown);
    }

    #[test]
    fn decides_by_the_shape_of_the_whole_file() {
        let row = |n: u32, extra: &str| format!("{{\"seq\":{n},\"thisHash\":\"x\",\"prevHash\":\"y\"{extra}}}\n");
        // The fifth row carries kid and signature: still a row export of 6 rows.
        let mut export = String::new();
        for n in 1..=6 {
            export.push_str(&row(n, if n == 5 { ",\"kid\":\"k\",\"signature\":\"s\"" } else { "" }));
        }
        let i = inspect(export.as_bytes());
        assert_eq!((i.kind, i.count, i.reason), (FileKind::RowExport, 6, None));
        // Even a row that carries batchHead does not turn the export into receipts.
        let mixed = export.clone() + "{\"seq\":7,\"thisHash\":\"x\",\"batchHead\":\"h\"}\n";
        let i = inspect(mixed.as_bytes());
        assert_eq!((i.kind, i.count), (FileKind::RowExport, 6));
        assert!(i.reason.unwrap().contains("1 item(s) are not rows"));
        // A receipt chain with one stray row stays a chain.
        let chain = "{\"batchHead\":\"a\",\"customerId\":\"c\"}\n{\"batchHead\":\"b\"}\n".to_string() + &row(1, "");
        let i = inspect(chain.as_bytes());
        assert_eq!((i.kind, i.count, i.label.as_str()), (FileKind::ReceiptChain, 2, "chain of 2 receipts (c)"));
        assert!(i.reason.unwrap().contains("1 item(s) are audit rows"));
        // A receipt that carries a "key" member is a receipt, not a key file.
        assert_eq!(inspect(b"{\"batchHead\":\"a\",\"key\":1}").kind, FileKind::Receipt);
    }
}
