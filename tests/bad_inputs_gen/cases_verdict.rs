//! The shared kit (keys, rows, receipts, approvals under common/), positive controls,
//! and the classes of issue 9 §1.1 (the verdict invariant), §1.2 (numbers) and §1.3
//! (key roles).

use anyhow::{bail, Result};
use receipt_verify::{canonical_bytes, Hash};
use serde_json::{json, Map, Value};

use super::sign::*;
use super::Corpus;

const V: &str = "§1.1 verdict";
const N: &str = "§1.2 numbers";
const R: &str = "§1.3 key roles";
const P: &str = "positive control";

/// Keys and the honest inputs every case starts from.
pub struct Kit {
    pub audit: RsaKey,
    pub alice: EcKey,
    pub bob: EcKey,
    pub carol: EcKey,
    pub rows: Vec<Map<String, Value>>,
    pub receipts: Vec<Map<String, Value>>,
    pub approvals: Vec<Value>,
}

impl Kit {
    pub fn new(c: &mut Corpus) -> Result<Kit> {
        let audit = RsaKey::audit()?;
        let (alice, bob, carol) = (EcKey::new("alice")?, EcKey::new("bob")?, EcKey::new("carol")?);
        let rows = rows(12, &|_| json!({}))?;
        let receipts = chain(&rows, &[5, 10], &audit)?;
        let a1 = approval(
            wave("wave-0117", 250, "carol"),
            "2026-03-02T14:05:00Z",
            &[
                (&alice, "approvers/alice/1", "alice", "2026-03-02T10:15:00Z"),
                (&bob, "approvers/bob/1", "bob", "2026-03-02T11:40:00Z"),
            ],
        )?;
        let a2 = approval(
            wave("wave-0118", 40, "bob"),
            "2026-03-03T08:30:00Z",
            &[(&alice, "approvers/alice/1", "alice", "2026-03-03T08:00:00Z")],
        )?;
        let kit = Kit { audit, alice, bob, carol, rows, receipts, approvals: vec![a1, a2] };
        c.put("common/jwks.json", pretty(&kit.jwks(json!({}), json!({}))?)?);
        c.put("common/audit-key.pub.pem", kit.audit.pem()?);
        c.put("common/rows.jsonl", lines(&kit.rows));
        c.put("common/receipts.jsonl", lines(&kit.receipts));
        c.put("common/approvals.json", pretty(&Value::Array(kit.approvals.clone()))?);
        Ok(kit)
    }

    /// The demo-style JWKS; `audit_extra` and `approver_extra` add members to the keys.
    pub fn jwks(&self, audit_extra: Value, approver_extra: Value) -> Result<Value> {
        let mut audit = obj(self.audit.jwk(JWKS_KID, window()));
        audit.insert("kty".into(), json!("RSA-HSM"));
        audit.extend(obj(audit_extra));
        let mut keys = vec![Value::Object(audit)];
        for k in [&self.alice, &self.bob, &self.carol] {
            let mut extra = obj(window());
            extra.extend(obj(approver_extra.clone()));
            keys.push(k.jwk(&format!("approvers/{}/1", k.name), Value::Object(extra))?);
        }
        Ok(json!({ "keys": keys }))
    }

    /// One receipt (head: row 5, genesis prev) with members replaced, re-signed.
    pub fn single(&self, set: &[(&str, Value)]) -> Result<Map<String, Value>> {
        let head = self.rows.get(4).map(this_hash).unwrap_or_default();
        let mut r = receipt(0, &head, &Hash::GENESIS.to_string())?;
        for (k, v) in set {
            if v.is_null() {
                r.remove(*k);
            } else {
                r.insert((*k).into(), v.clone());
            }
        }
        seal(&mut r, &|m| self.audit.sign(m))?;
        Ok(r)
    }

    pub fn single_text(&self, set: &[(&str, Value)]) -> Result<String> {
        pretty(&Value::Object(self.single(set)?))
    }
}

/// The 2026 validity window the demo keys carry.
pub fn window() -> Value {
    json!({ "validFrom": "2026-01-01T00:00:00Z", "validUntil": "2026-12-31T23:59:59Z", "status": "active" })
}

/// Serialise `v` compactly, then write member `name`'s number as `text`: the signature
/// is over the value `v` holds, the file shows `text`.
pub fn with_number_text(v: &Map<String, Value>, name: &str, text: &str) -> Result<String> {
    let mut m = v.clone();
    m.insert(name.into(), json!("@@NUMBER@@"));
    let s = Value::Object(m).to_string();
    if s.matches("\"@@NUMBER@@\"").count() != 1 {
        bail!("placeholder for {name}");
    }
    Ok(s.replace("\"@@NUMBER@@\"", text) + "\n")
}

/// The value RFC 8785 would canonicalise `text` to (what a rounding verifier signs).
fn rounded(text: &str) -> Result<(Value, String)> {
    // Read as RFC 8785 reads it (nearest double, half to even); serde_json is built without
    // `float_roundtrip` and may land a unit off (`9007199254740993.0` as ...994).
    let v = receipt_verify::json::parse_with(text.as_bytes(), receipt_verify::json::NumberRule::RoundLikeRfc8785)
        .unwrap_or(json!(0));
    let c = String::from_utf8(canonical_bytes(&v)?)?;
    Ok((v, c))
}

pub fn add(c: &mut Corpus, k: &Kit) -> Result<()> {
    positives(c, k)?;
    verdict(c, k)?;
    numbers(c, k)?;
    roles(c, k)
}

fn positives(c: &mut Corpus, k: &Kit) -> Result<()> {
    c.case("positive-demo-set", P, "rows, receipts and approvals, demo-style JWKS without roles")
        .jwks()
        .common("rows", "rows.jsonl")
        .common("receipts", "receipts.jsonl")
        .common("receipts", "approvals.json")
        .expect(0, &[], &["rows.unsealed"]);
    c.case("positive-receipts-pem", P, "the chain under the kid-less PEM public key")
        .common("keys", "audit-key.pub.pem")
        .common("receipts", "receipts.jsonl")
        .expect(0, &[], &["not checked"]);
    let arr = pretty(&Value::Array(k.receipts.iter().cloned().map(Value::Object).collect()))?;
    c.case("positive-receipt-array", P, "the chain as one JSON array").jwks().receipts("receipts.json", arr).expect(
        0,
        &[],
        &[],
    );
    let crlf = lines(&k.receipts).replace('\n', "\r\n");
    c.case("positive-jsonl-crlf", P, "JSON Lines with CRLF line ends and a blank line")
        .jwks()
        .receipts("receipts.jsonl", crlf + "\r\n")
        .expect(0, &[], &[]);
    let bom = format!("\u{feff}{}", lines(&k.receipts));
    c.case("positive-bom-at-start", P, "one UTF-8 byte-order mark at the start of the file")
        .jwks()
        .receipts("receipts.jsonl", bom)
        .expect(0, &[], &[]);
    c.case("positive-approvals-only", P, "wave approvals alone, two distinct approvers")
        .jwks()
        .common("receipts", "approvals.json")
        .expect(0, &[], &[]);
    Ok(())
}

fn verdict(c: &mut Corpus, k: &Kit) -> Result<()> {
    for (name, bytes, about) in [
        ("verdict-rows-empty-receipt-file", "", "a row export with an empty (0-byte) receipt file"),
        ("verdict-rows-blank-receipt-file", "\n  \n\n", "a row export with a receipt file of blank lines"),
        ("verdict-rows-empty-array", "[]\n", "a row export with a receipt file holding []"),
    ] {
        // An empty or blank file is not JSON (§3), so it also fails input.parse; [] is.
        let failed: &[&str] = if bytes.trim().is_empty() {
            &["input.parse", "rows.sealed", "verdict.signature"]
        } else {
            &["rows.sealed", "verdict.signature"]
        };
        c.case(name, V, about).jwks().common("rows", "rows.jsonl").receipts("receipts.jsonl", bytes).expect(
            1,
            failed,
            &["seal"],
        );
    }
    c.case("verdict-rows-only-approvals", V, "a row export with a file holding only (valid) approvals")
        .jwks()
        .common("rows", "rows.jsonl")
        .common("receipts", "approvals.json")
        .expect(1, &["rows.sealed"], &["seal"]);
    let other = rows(12, &|_| json!({ "actor": "mallory@vendor.example" }))?;
    c.case("verdict-rows-foreign-receipts", V, "rows that none of the supplied receipts' heads seal")
        .jwks()
        .rows("rows.jsonl", lines(&other))
        .common("receipts", "receipts.jsonl")
        // No head is in the export, so no receipt seals any of its rows.
        .expect(1, &["rows.head", "rows.sealed"], &["head"]);
    c.case("verdict-no-signature-wrong-key", V, "receipts whose kid no key matches and no key verifies")
        .keys("alice.jwk.json", pretty(&k.alice.jwk("approvers/alice/1", window())?)?)
        .common("receipts", "receipts.jsonl")
        .expect(1, &["key.select", "verdict.signature"], &["signature"]);
    let mut unsigned = k.single(&[])?;
    unsigned.remove("signature");
    c.case("verdict-no-signature-member", V, "a receipt with no signature member at all")
        .jwks()
        .receipts("receipt.json", pretty(&Value::Object(unsigned))?)
        .expect(1, &["receipt.fields", "verdict.signature"], &["signature"]);
    let empty_entries = json!([{ "type": "wave-approval", "customerId": CUSTOMER, "waveId": "wave-0200", "deviceCount": 1,
        "requestedBy": "bob", "manifestHash": Hash::sha256(b"x").to_string(), "consumedAt": "2026-03-02T10:00:00Z", "approvals": [] }]);
    c.case("verdict-approval-without-entries", V, "an approval with an empty approvals array: nothing signed")
        .jwks()
        .receipts("approval.json", pretty(&empty_entries)?)
        .expect(1, &["approval.quorum", "verdict.signature"], &["approv"]);
    Ok(())
}

/// The largest double, 1.7976931348623157e308, as 309 digits.
const MAX_DOUBLE_309_DIGITS: &str = "179769313486231570000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";

fn numbers(c: &mut Corpus, k: &Kit) -> Result<()> {
    for (name, text) in [
        ("num-accept-0.1", "0.1"),
        ("num-accept-1.0", "1.0"),
        ("num-accept-1E2", "1E2"),
        ("num-accept-minus-zero", "-0"),
        ("num-accept-tiny-5e-324", "5e-324"),
        ("num-accept-huge-max-double", "1.7976931348623157e308"),
        ("num-accept-0.30000000000000004", "0.30000000000000004"),
        // The largest double spelled with 20 integer digits, and with 309 and no exponent:
        // a token is large by where its decimal point falls (mutation audit).
        ("num-accept-huge-max-double-20-digits", "17976931348623157000e289"),
        ("num-accept-huge-max-double-309-digits", MAX_DOUBLE_309_DIGITS),
    ] {
        let (v, _) = rounded(text)?;
        let r = k.single(&[("batchSize", v)])?;
        c.case(name, N, &format!("batchSize written as {text}: its RFC 8785 form has the same value"))
            .jwks()
            .receipts("receipt.json", with_number_text(&r, "batchSize", text)?)
            .expect(0, &[], &[]);
    }
    // Every large token of a document is read from its text, not only the first: a JSON
    // array of two chained receipts, each batchSize the largest double.
    let (v, _) = rounded(MAX_DOUBLE_309_DIGITS)?;
    let first = k.single(&[("batchSize", v.clone())])?;
    let mut second = receipt(1, &this_hash(&first), &this_hash(&first))?;
    second.insert("batchSize".into(), v);
    seal(&mut second, &|m| k.audit.sign(m))?;
    let both = [&first, &second].map(|r| with_number_text(r, "batchSize", MAX_DOUBLE_309_DIGITS));
    let [Ok(a), Ok(b)] = both else { bail!("two receipts") };
    c.case(
        "num-accept-huge-max-double-twice",
        N,
        "two chained receipts in one JSON array, each batchSize the largest double",
    )
    .jwks()
    .receipts("receipts.json", format!("[{},{}]\n", a.trim_end(), b.trim_end()))
    .expect(0, &[], &[]);
    for (name, text) in [
        ("num-refuse-2pow64-plus-1", "18446744073709551617"),
        ("num-refuse-9007199254740993.0", "9007199254740993.0"),
        ("num-refuse-1e-400", "1e-400"),
        ("num-refuse-1e400", "1e400"),
        ("num-refuse-333333333.33333329", "333333333.33333329"),
        ("num-refuse-30-digits", "123456789012345678901234567890"),
    ] {
        let (v, canon) = rounded(text)?;
        let r = k.single(&[("batchSize", v)])?;
        let mut kw = vec!["/batchSize", text];
        if text != "1e400" {
            kw.push(&canon);
        }
        c.case(name, N, &format!("batchSize written as {text}, signed over its rounded value {canon}"))
            .jwks()
            .receipts("receipt.json", with_number_text(&r, "batchSize", text)?)
            .expect(1, &["input.parse", "verdict.signature"], &kw);
    }
    // In a row (the unsealed tail, so only the row itself is at fault).
    for (name, text, ok) in
        [("num-row-accept-1E2", "1E2", true), ("num-row-refuse-2pow64-plus-1", "18446744073709551617", false)]
    {
        let (v, canon) = rounded(text)?;
        let mut text_rows = lines(k.rows.get(..11).unwrap_or_default());
        if let Some(mut last) = k.rows.last().cloned() {
            last.insert("amount".into(), v);
            hash_row(&mut last)?;
            text_rows.push_str(&with_number_text(&last, "amount", text)?);
        }
        let case = c
            .case(name, N, &format!("the last row's amount written as {text}"))
            .jwks()
            .rows("rows.jsonl", text_rows)
            .common("receipts", "receipts.jsonl");
        if ok {
            case.expect(0, &[], &[]);
        } else {
            case.expect(1, &["rows.parse"], &["/amount", text, &canon]);
        }
    }
    // In an approval's wave (signed by the approver over the rounded value).
    for (name, text, ok) in
        [("num-approval-accept-1.0", "1.0", true), ("num-approval-refuse-9007199254740993", "9007199254740993", false)]
    {
        let (v, canon) = rounded(text)?;
        let mut w = obj(wave("wave-0300", 40, "bob"));
        w.insert("budget".into(), v);
        let a = approval(
            Value::Object(w),
            "2026-03-03T08:30:00Z",
            &[(&k.alice, "approvers/alice/1", "alice", "2026-03-03T08:00:00Z")],
        )?;
        let case = c
            .case(name, N, &format!("an approval's signed budget written as {text}"))
            .jwks()
            .receipts("approval.json", with_number_text(&obj(a), "budget", text)?);
        if ok {
            case.expect(0, &[], &[]);
        } else {
            case.expect(1, &["input.parse", "verdict.signature"], &["/budget", text, &canon]);
        }
    }
    // An integer field written as a whole number with a fraction part or an exponent
    // (red team 3): one value, one RFC 8785 form, so it verifies like `40`.
    for (name, text) in [("num-approval-device-count-40.0", "40.0"), ("num-approval-device-count-4E1", "4E1")] {
        let a = approval(
            wave("wave-0301", 40, "bob"),
            "2026-03-03T08:30:00Z",
            &[(&k.alice, "approvers/alice/1", "alice", "2026-03-03T08:00:00Z")],
        )?;
        c.case(name, P, &format!("an approval's deviceCount written as {text}"))
            .jwks()
            .receipts("approval.json", with_number_text(&obj(a), "deviceCount", text)?)
            .expect(0, &[], &[]);
    }
    // In a key file.
    let mut jwk = obj(k.audit.jwk(JWKS_KID, window()));
    jwk.insert("x-rotation".into(), json!(0));
    c.case("num-key-refuse-2pow64-plus-1", N, "a JWK member written as 18446744073709551617")
        .keys("key.jwk.json", with_number_text(&jwk, "x-rotation", "18446744073709551617")?)
        .common("receipts", "receipts.jsonl")
        .expect(2, &[], &["unusable key file", "18446744073709551617"]);
    Ok(())
}

fn roles(c: &mut Corpus, k: &Kit) -> Result<()> {
    for (name, roles, about) in [
        ("role-approval-key-seals-batch", json!(["approval"]), "the audit key declares only the approval role"),
        ("role-content-key-seals-batch", json!(["content"]), "the audit key declares only the content role"),
        ("role-empty-list-seals-batch", json!([]), "the audit key declares an empty role list"),
    ] {
        c.case(name, R, about)
            .keys(
                "jwks.json",
                pretty(&k.jwks(json!({ "receiptRoles": roles }), json!({ "receiptRoles": ["approval"] }))?)?,
            )
            .common("receipts", "receipts.jsonl")
            .expect(1, &["key.role", "verdict.signature"], &["role"]);
    }
    let a2 = pretty(&Value::Array(k.approvals.get(1).cloned().into_iter().collect()))?;
    c.case("role-batch-key-signs-approval", R, "an approver key that declares only the batch role")
        .keys(
            "jwks.json",
            pretty(&k.jwks(json!({ "receiptRoles": ["batch"] }), json!({ "receiptRoles": ["batch"] }))?)?,
        )
        .receipts("approval.json", a2)
        .expect(1, &["approval.quorum", "key.role", "verdict.signature"], &["role"]);
    c.case("role-absent-warns", R, "keys without receiptRoles: verified, and the report says the role was not checked")
        .jwks()
        .common("receipts", "receipts.jsonl")
        .common("receipts", "approvals.json")
        .expect(0, &[], &["key.role"]);
    c.case("positive-roles-declared", P, "batch key with [batch], approver keys with [approval]")
        .keys(
            "jwks.json",
            pretty(&k.jwks(json!({ "receiptRoles": ["batch"] }), json!({ "receiptRoles": ["approval"] }))?)?,
        )
        .common("rows", "rows.jsonl")
        .common("receipts", "receipts.jsonl")
        .common("receipts", "approvals.json")
        .expect(0, &[], &[]);
    c.case("positive-roles-several", P, "every key declares [batch, approval, content]")
        .keys(
            "jwks.json",
            pretty(&k.jwks(
                json!({ "receiptRoles": ["batch", "approval", "content"] }),
                json!({ "receiptRoles": ["approval", "batch"] }),
            )?)?,
        )
        .common("receipts", "receipts.jsonl")
        .common("receipts", "approvals.json")
        .expect(0, &[], &[]);
    Ok(())
}
