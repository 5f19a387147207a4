//! `inspect`: say what a file is (receipt, chain, approvals, row export, keys) or why it
//! is none of those, without verifying anything. The page labels dropped files with it.

use serde::Serialize;

use crate::classify::{starts_like_pem_or_der, Shape};
use crate::input::{for_each_item, Layout};
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
    /// A file nothing names, and why.
    pub fn unknown(reason: String) -> Self {
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

/// How much of a large file [`inspect_head`] is meant to read.
pub const INSPECT_HEAD_BYTES: usize = 64 << 10;

/// Say what a file of `total` bytes is from its first bytes, `head`, without reading the
/// rest: the page labels a dropped 1 GB export this way. The same classifier as
/// [`inspect`] runs on the head's whole lines; counts are estimated from the share of the
/// file they cover, and the label says "about". `None` when the head does not tell (not
/// JSON Lines, or a line longer than the head): then read the whole file. A `head` that
/// is the whole file is inspected exactly.
pub fn inspect_head(head: &[u8], total: u64) -> Option<Inspection> {
    if total <= head.len() as u64 {
        return Some(inspect(head));
    }
    let whole_lines = head.get(..=head.iter().rposition(|b| *b == b'\n')?)?;
    let mut shape = Shape::default();
    let mut layouts = Vec::new();
    for_each_item("file", whole_lines, MAX_RECEIPTS, &mut |layout, item| {
        layouts.push(layout);
        shape.add(layout, &item);
    });
    // Only JSON Lines can be judged by their first lines, and only when they read. A head
    // whose one whole line is a complete document (read as `Single`) is JSON Lines too:
    // the file goes on after it, and a one-document file holds nothing after its value
    // but blanks (an export of 1 MiB rows has one row in its head).
    let one_line = whole_lines.iter().filter(|b| **b == b'\n').count() == 1;
    let lines =
        !layouts.is_empty() && layouts.iter().all(|l| *l == Layout::Lines || (one_line && *l == Layout::Single));
    let kind = shape.kind();
    if !lines || shape.unreadable > 0 || matches!(kind, FileKind::Unknown | FileKind::Keys) {
        return None;
    }
    let scale = |n: usize| {
        let estimate = (n as u128 * u128::from(total)) / whole_lines.len().max(1) as u128;
        usize::try_from(estimate).unwrap_or(usize::MAX)
    };
    let (count, what) = match kind {
        FileKind::RowExport => (scale(shape.rows), "row export, about {} rows"),
        FileKind::Approvals => (scale(shape.approvals), "about {} wave approvals"),
        _ => (scale(shape.batch + shape.approvals), "receipts, about {}"),
    };
    let of = shape.customer.as_ref().map(|c| format!(" ({c})")).unwrap_or_default();
    let label = what.replace("{}", &crate::text::thousands(count)) + if kind == FileKind::RowExport { "" } else { &of };
    let kind = if kind == FileKind::Receipt { FileKind::ReceiptChain } else { kind };
    Some(Inspection { kind, label, count, keys: Vec::new(), reason: None })
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
    fn the_head_of_a_large_file_tells_its_kind_and_about_how_many() {
        let row = |n: u32| format!("{{\"seq\":{n},\"thisHash\":\"x\",\"prevHash\":\"y\"}}\n");
        let export: String = (1..=1000).map(row).collect();
        let head = &export.as_bytes()[..4096];
        let i = inspect_head(head, export.len() as u64).unwrap();
        assert_eq!(i.kind, FileKind::RowExport);
        // 1,000 rows whose seq grows a digit now and then: within 5% of the truth.
        assert!((950..=1050).contains(&i.count), "{}", i.count);
        assert!(i.label.starts_with("row export, about "), "{}", i.label);
        // A head that is the whole file is inspected exactly.
        assert_eq!(inspect_head(export.as_bytes(), export.len() as u64), Some(inspect(export.as_bytes())));
        // What the head cannot tell: a JSON array cut short, a first line longer than the
        // head, an unreadable line, keys.
        let array = format!("[{}]", (1..=300).map(|n| row(n).trim().to_string()).collect::<Vec<_>>().join(","));
        assert_eq!(inspect_head(&array.as_bytes()[..2048], array.len() as u64), None);
        assert_eq!(inspect_head(&export.as_bytes()[..20], export.len() as u64), None);
        let broken = format!("{{broken\n{export}");
        assert_eq!(inspect_head(&broken.as_bytes()[..4096], broken.len() as u64), None);
        // Receipts: the chain's label keeps the customer.
        let receipt = |n: u32| {
            format!("{{\"batchHead\":\"0x{n:064x}\",\"customerId\":\"c-1\",\"kid\":\"k\",\"signature\":\"s\"}}\n")
        };
        let chain: String = (0..500).map(receipt).collect();
        let i = inspect_head(&chain.as_bytes()[..8192], chain.len() as u64).unwrap();
        assert_eq!(i.kind, FileKind::ReceiptChain);
        assert!(i.label.starts_with("receipts, about ") && i.label.ends_with("(c-1)"), "{}", i.label);
    }

    #[test]
    fn a_head_that_holds_one_long_row_still_tells() {
        // Rows of 1 MB (the longest line is 1 MiB): a head of 1 MiB + 64 KiB holds one.
        let row = |n: u32| {
            format!("{{\"seq\":{n},\"thisHash\":\"x\",\"prevHash\":\"y\",\"d\":\"{}\"}}\n", "w".repeat(1_000_000))
        };
        let export: String = (1..=3).map(row).collect();
        let head = &export.as_bytes()[..(1 << 20) + (64 << 10)];
        let i = inspect_head(head, 96_000_000).unwrap();
        assert_eq!(i.kind, FileKind::RowExport, "{:?}", i.reason);
        assert!(i.label.starts_with("row export, about "), "{}", i.label);
        // Still refused: a pretty-printed document's first line, and a line that is no
        // document (the head cannot say what the file is).
        let pretty = "{\n  \"seq\": 1,\n  \"thisHash\": \"x\"\n}\n".repeat(2000);
        assert_eq!(inspect_head(&pretty.as_bytes()[..4096], pretty.len() as u64), None);
        assert_eq!(inspect_head(b"[1,\n2,3]\n", 1 << 30), None);
        let two = b"{\"seq\":1,\"thisHash\":\"x\"}\n{\"seq\":2";
        assert_eq!(inspect_head(two, 1 << 30).map(|i| i.kind), Some(FileKind::RowExport));
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
