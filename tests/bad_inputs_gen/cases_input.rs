//! Raw input damage (§5): encodings, BOMs, NULs, truncations, duplicate members at depth,
//! deep nesting, oversized values and counts (§2 limits), files in the wrong role, and the
//! ES256 positive controls.

use anyhow::Result;
use receipt_verify::limits::{MAX_APPROVAL_ENTRIES, MAX_KEYS, MAX_ROW_LINE_BYTES, MAX_STRING_BYTES};
use receipt_verify::Hash;
use serde_json::{json, Value};

use super::cases_verdict::{window, with_number_text, Kit};
use super::sign::*;
use super::Corpus;

const E: &str = "§5 encodings";
const T: &str = "§5 truncations";
const D: &str = "§5 duplicates";
const B: &str = "§2 limits";
const K: &str = "§1.10 file kinds";
const P: &str = "positive control";
const BAD: &[&str] = &["input.parse", "verdict.signature"];

fn utf16(text: &str, le: bool, bom: bool) -> Vec<u8> {
    let mut units: Vec<u16> = text.encode_utf16().collect();
    if bom {
        units.insert(0, 0xfeff);
    }
    units.iter().flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() }).collect()
}

fn half(s: &str) -> String {
    s.get(..s.len() / 2).unwrap_or_default().to_string()
}

pub fn add(c: &mut Corpus, k: &Kit) -> Result<()> {
    encodings(c, k)?;
    truncations(c, k)?;
    duplicates(c, k)?;
    limits(c, k)?;
    kinds(c, k)
}

fn encodings(c: &mut Corpus, k: &Kit) -> Result<()> {
    let text = k.single_text(&[("note", json!("café"))])?;
    c.case("receipt-utf16le-bom", E, "a receipt in UTF-16LE with a BOM")
        .jwks()
        .receipts("receipt.json", utf16(&text, true, true))
        .expect(1, BAD, &["utf"]);
    c.case("receipt-utf16be", E, "a receipt in UTF-16BE without a BOM")
        .jwks()
        .receipts("receipt.json", utf16(&text, false, false))
        .expect(1, BAD, &["utf"]);
    let latin1: Vec<u8> = text.chars().map(|ch| u8::try_from(u32::from(ch)).unwrap_or(b'?')).collect();
    c.case("receipt-latin1", E, "a receipt in Latin-1 (café as one byte E9)")
        .jwks()
        .receipts("receipt.json", latin1)
        .expect(1, BAD, &["utf-8"]);
    c.case("receipt-double-bom", E, "two byte-order marks at the start")
        .jwks()
        .receipts("receipt.json", format!("\u{feff}\u{feff}{text}"))
        .expect(1, BAD, &[]);
    c.case("positive-receipt-non-ascii", P, "the same receipt in UTF-8")
        .jwks()
        .receipts("receipt.json", text.clone())
        .expect(0, &[], &[]);
    c.case("jwks-utf16le", E, "the JWKS in UTF-16LE with a BOM")
        .keys("jwks.json", utf16(&pretty(&k.jwks(json!({}), json!({}))?)?, true, true))
        .common("receipts", "receipts.jsonl")
        .expect(2, &[], &["unusable key file"]);
    let mut rows_text = lines(k.rows.get(..11).unwrap_or_default()).into_bytes();
    rows_text.extend(
        lines(k.rows.get(11..).unwrap_or_default())
            .replace("alice", "al\u{e9}ce")
            .chars()
            .map(|ch| u8::try_from(u32::from(ch)).unwrap_or(b'?')),
    );
    c.case("rows-latin1-last-line", E, "the last row line in Latin-1")
        .jwks()
        .rows("rows.jsonl", rows_text)
        .common("receipts", "receipts.jsonl")
        .expect(1, &["rows.parse"], &[]);
    let mut nul = text.clone().into_bytes();
    if let Some(pos) = text.find("café") {
        nul.insert(pos + 1, 0);
    }
    c.case("receipt-raw-nul-in-string", E, "a raw NUL byte inside a string")
        .jwks()
        .receipts("receipt.json", nul)
        .expect(1, BAD, &[]);
    c.case("receipt-trailing-nul", E, "a NUL byte after the document")
        .jwks()
        .receipts("receipt.json", format!("{text}\u{0}"))
        .expect(1, BAD, &[]);
    c.case("receipt-all-nul", E, "a file of 64 NUL bytes").jwks().receipts("receipt.json", vec![0u8; 64]).expect(
        1,
        BAD,
        &[],
    );
    let pem = k.audit.pem()?.replacen('A', "\u{0}", 1);
    c.case("pem-with-nul", E, "a PEM key with a NUL byte in its base64")
        .keys("audit-key.pem", pem)
        .common("receipts", "receipts.jsonl")
        .expect(2, &[], &["unusable key file"]);
    Ok(())
}

fn truncations(c: &mut Corpus, k: &Kit) -> Result<()> {
    let text = k.single_text(&[])?;
    c.case("receipt-truncated-half", T, "a receipt cut in half").jwks().receipts("receipt.json", half(&text)).expect(
        1,
        BAD,
        &[],
    );
    c.case("receipt-one-brace", T, "a receipt file holding only {").jwks().receipts("receipt.json", "{").expect(
        1,
        BAD,
        &[],
    );
    let all = lines(&k.receipts);
    c.case("receipts-last-line-truncated", T, "JSON Lines whose second line is cut")
        .jwks()
        .receipts("receipts.jsonl", all.get(..all.len() - 40).unwrap_or_default().to_string())
        .expect(1, &["input.parse"], &[]);
    let rows = lines(&k.rows);
    c.case("rows-last-line-truncated", T, "a row export whose last line is cut")
        .jwks()
        .rows("rows.jsonl", rows.get(..rows.len() - 40).unwrap_or_default().to_string())
        .common("receipts", "receipts.jsonl")
        .expect(1, &["rows.parse"], &[]);
    c.case("jwks-truncated", T, "a JWKS cut in half")
        .keys("jwks.json", half(&pretty(&k.jwks(json!({}), json!({}))?)?))
        .common("receipts", "receipts.jsonl")
        .expect(2, &[], &["unusable key file"]);
    c.case("approvals-truncated", T, "an approvals file cut in half")
        .jwks()
        .receipts("approvals.json", half(&pretty(&Value::Array(k.approvals.clone()))?))
        .expect(1, BAD, &[]);
    Ok(())
}

fn duplicates(c: &mut Corpus, k: &Kit) -> Result<()> {
    let r = k.single(&[])?;
    let text = Value::Object(r).to_string();
    let dup = text.replacen("{", "{\"customerId\":\"cust-9999\",", 1);
    c.case("dup-member-top-level", D, "customerId twice in a receipt").jwks().receipts("receipt.json", dup).expect(
        1,
        BAD,
        &["duplicate", "customerId"],
    );
    let r = k.single(&[("meta", json!({ "a": [{ "b": 2 }] }))])?;
    let dup = Value::Object(r).to_string().replacen("\"b\":2", "\"b\":1,\"b\":2", 1);
    c.case("dup-member-at-depth", D, "a duplicate member three levels down, the signature over the last value")
        .jwks()
        .receipts("receipt.json", dup)
        .expect(1, BAD, &["duplicate", "/meta/a/0/b"]);
    let mut rows_text = lines(k.rows.get(..11).unwrap_or_default());
    rows_text.push_str(&lines(k.rows.get(11..).unwrap_or_default()).replacen("{", "{\"x\":{\"y\":1,\"y\":1},", 1));
    c.case("dup-member-in-row", D, "a duplicate member at depth in the last row")
        .jwks()
        .rows("rows.jsonl", rows_text)
        .common("receipts", "receipts.jsonl")
        .expect(1, &["rows.parse"], &["duplicate"]);
    let jwk = pretty(&k.audit.jwk(JWKS_KID, window()))?;
    c.case("dup-member-in-jwk", D, "a JWK with kty twice (RSA, then EC)")
        .keys("key.jwk.json", jwk.replacen("{", "{\n  \"kty\": \"EC\",", 1))
        .common("receipts", "receipts.jsonl")
        .expect(2, &[], &["unusable key file", "duplicate"]);
    let a = pretty(&Value::Array(k.approvals.get(1).cloned().into_iter().collect()))?;
    c.case("dup-member-in-approval-entry", D, "an approval entry naming two approvers")
        .jwks()
        .receipts(
            "approval.json",
            a.replacen("\"approver\": \"alice\",", "\"approver\": \"alice\",\n        \"approver\": \"bob\",", 1),
        )
        .expect(1, BAD, &["duplicate", "approver"]);
    Ok(())
}

fn nested(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

fn limits(c: &mut Corpus, k: &Kit) -> Result<()> {
    let mut deep = json!(0);
    for _ in 0..60 {
        deep = json!([deep]);
    }
    c.case("positive-nesting-60", P, "a signed member nested 60 arrays deep (61 levels in all)")
        .jwks()
        .receipts("receipt.json", Value::Object(k.single(&[("meta", deep)])?).to_string())
        .expect(0, &[], &[]);
    let r = k.single(&[("meta", json!(0))])?;
    c.case("deep-nesting-65", B, "a member nested 65 arrays deep (66 levels)")
        .jwks()
        .receipts("receipt.json", with_number_text(&r, "meta", &nested(65))?)
        .expect(1, BAD, &["64"]);
    c.case("deep-nesting-100000-unclosed", B, "100,000 unclosed [ (must not overflow the stack)")
        .jwks()
        .receipts("receipt.json", "[".repeat(100_000))
        .expect(1, BAD, &["64"]);
    let mut rows_text = lines(k.rows.get(..11).unwrap_or_default());
    rows_text.push_str(&lines(k.rows.get(11..).unwrap_or_default()).replacen(
        "{",
        &format!("{{\"x\":{},", nested(100)),
        1,
    ));
    c.case("deep-nesting-row", B, "the last row nests 100 arrays deep")
        .jwks()
        .rows("rows.jsonl", rows_text)
        .common("receipts", "receipts.jsonl")
        .expect(1, &["rows.parse"], &["64"]);
    c.case("deep-nesting-key", B, "a key file of 10,000 nested objects")
        .keys("jwks.json", "{\"keys\":".repeat(10_000))
        .common("receipts", "receipts.jsonl")
        .expect(2, &[], &["unusable key file"]);
    let big = "a".repeat(MAX_STRING_BYTES + 1);
    c.case("huge-string-member", B, "a signed member string of 1 MiB + 1 byte")
        .jwks()
        .receipts("receipt.json", k.single_text(&[("note", json!(big))])?)
        .expect(1, BAD, &["string"]);
    let mut rows_text = lines(k.rows.get(..11).unwrap_or_default());
    rows_text.push_str(&lines(k.rows.get(11..).unwrap_or_default()).replacen(
        "{",
        &format!("{{\"pad\":\"{}\",", "b".repeat(MAX_ROW_LINE_BYTES)),
        1,
    ));
    c.case("huge-row-line", B, "the last row line over 1 MiB")
        .jwks()
        .rows("rows.jsonl", rows_text)
        .common("receipts", "receipts.jsonl")
        .expect(1, &["rows.parse"], &["1048576"]);
    let mut keys = vec![k.audit.jwk(JWKS_KID, window())];
    for i in 0..MAX_KEYS {
        keys.push(EcKey::new(&format!("many-{i}"))?.jwk(&format!("many/{i}"), json!({}))?);
    }
    c.case("too-many-keys", B, "a JWKS of 257 keys (the limit is 256)")
        .keys("jwks.json", pretty(&json!({ "keys": keys }))?)
        .common("receipts", "receipts.jsonl")
        .expect(2, &[], &["256"]);
    let mut a = obj(k.approvals.get(1).cloned().unwrap_or_default());
    if let Some(Value::Array(entries)) = a.get_mut("approvals") {
        let first = entries.first().cloned().unwrap_or_default();
        *entries = vec![first; MAX_APPROVAL_ENTRIES + 1];
    }
    c.case("too-many-approval-entries", B, "one approval with 1,001 entries (the limit is 1,000)")
        .jwks()
        .receipts("approval.json", Value::Object(a).to_string())
        .expect(1, &["input.parse", "verdict.signature"], &["1000", "/approvals"]);
    Ok(())
}

fn kinds(c: &mut Corpus, k: &Kit) -> Result<()> {
    let other = k.single_text(&[("type", json!("wave-approvalx"))])?;
    c.case("unknown-type", K, "a receipt with type wave-approvalx").jwks().receipts("receipt.json", other).expect(
        1,
        &["input.kind", "verdict.signature"],
        &["wave-approvalx"],
    );
    c.case("not-json", K, "a text file given as receipts")
        .jwks()
        .receipts("notes.txt", "Receipts for March are attached.\n")
        .expect(1, BAD, &[]);
    c.case("key-file-as-receipts", K, "a JWKS given as a receipt file").jwks().common("receipts", "jwks.json").expect(
        1,
        &["input.kind", "verdict.signature"],
        &["key"],
    );
    c.case("receipts-as-key-file", K, "a receipt file given as --key")
        .keys("receipts.jsonl", lines(&k.receipts))
        .common("receipts", "receipts.jsonl")
        .expect(2, &[], &["unusable key file"]);
    // ES256 receipts under an EC batch key: r‖s and DER.
    let ec = EcKey::new("batch-ec")?;
    let jwks = pretty(&json!({ "keys": [ec.jwk("ec/batch/1", json!({ "receiptRoles": ["batch"] }))?] }))?;
    let head = k.rows.get(4).map(this_hash).unwrap_or_default();
    for (name, der) in [("positive-es256-r-s", false), ("positive-es256-der", true)] {
        let mut r = receipt(0, &head, &Hash::GENESIS.to_string())?;
        r.insert("kid".into(), json!("ec/batch/1"));
        r.insert("alg".into(), json!("ES256"));
        seal(&mut r, &|m| if der { ec.sign_der(m) } else { ec.sign_rs(m) })?;
        c.case(
            name,
            P,
            if der { "an ES256 receipt, ASN.1 DER signature" } else { "an ES256 receipt, 64-byte r‖s signature" },
        )
        .keys("jwks.json", jwks.clone())
        .receipts("receipt.json", pretty(&Value::Object(r))?)
        .expect(0, &[], &[]);
    }
    Ok(())
}
