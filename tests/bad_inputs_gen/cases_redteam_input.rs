//! Red-team findings on parsing, strict input, rows and resources (v1.1): the unsealed
//! tail proves nothing (F6), the JSON value budget (F7), numbers with huge exponents
//! (F8), the tightened WORM URI grammar, sub-nanosecond timestamps and the shared file
//! classifier (F9). Every receipt is re-signed, so only the rule under test can fail.

use anyhow::Result;
use serde_json::{json, Value};

use super::cases_verdict::{with_number_text, Kit};
use super::sign::*;
use super::Corpus;

const TAIL: &str = "§8 unsealed tail (red team)";
const VAL: &str = "§15 value budget (red team)";
const NUM: &str = "§2 numbers (red team)";
const WORM: &str = "§9 WORM URI (red team)";
const TS: &str = "§5 timestamps (red team)";
const KIND: &str = "§3 file kinds (red team)";
const P: &str = "positive control";
const BAD: &[&str] = &["input.parse", "verdict.signature"];
/// The path the kit's single receipt's URI must end with (customer, signedAt 09:01).
const PATH: &str = "/cust-0042/2026/03/02/0901Z.json";

pub fn add(c: &mut Corpus, k: &Kit) -> Result<()> {
    unsealed_tail(c, k)?;
    value_budget(c, k)?;
    numbers(c, k)?;
    worm(c, k)?;
    timestamps(c, k)?;
    kinds(c, k)
}

/// F6: a long hash-chained tail after the last sealed head, carrying the wave.consumed
/// row an approval needs. It stays a warning, counts its rows as unproven, and the row
/// does not pass approval.consumed.
fn unsealed_tail(c: &mut Corpus, k: &Kit) -> Result<()> {
    let used = "2026-03-02T09:00:30Z";
    let a = approval(
        wave("wave-0900", 40, "bob"),
        used,
        &[(&k.alice, "approvers/alice/1", "alice", "2026-03-02T08:50:00Z")],
    )?;
    let rs = rows(40, &|seq| {
        if seq == 30 {
            json!({ "action": "wave.consumed", "waveId": "wave-0900", "ts": used })
        } else {
            json!({})
        }
    })?;
    let receipts = chain(&rs, &[5, 10], &k.audit)?;
    c.case(
        "consumed-row-in-fabricated-tail",
        TAIL,
        "30 hash-chained rows after the last sealed head; one records the approval's consumption",
    )
    .jwks()
    .rows("rows.jsonl", lines(&rs))
    .receipts("receipts.jsonl", lines(&receipts))
    .receipts("approval.json", pretty(&Value::Array(vec![a]))?)
    .expect(0, &[], &["30 rows unproven", "an unsealed row on line 30", "approval.consumed", "rows.unsealed"]);
    Ok(())
}

fn zeros(n: usize) -> String {
    vec!["0"; n].join(",")
}

/// F7: one value per 16 bytes of input, at least 65,536, per document or JSON Lines file.
fn value_budget(c: &mut Corpus, k: &Kit) -> Result<()> {
    c.case("values-array-of-zeros", VAL, "a receipt file that is an array of 100,000 zeros (200 KB)")
        .jwks()
        .receipts("receipts.json", format!("[{}]\n", zeros(100_000)))
        .expect(1, BAD, &["MIN_BYTES_PER_VALUE", "65536"]);
    // Red team 17: a member's name counts as a value too (a member builds its name and a
    // map slot): 33,000 members of 8 bytes take 66,008 values, over the floor of 65,536
    // (counted one a member, 33,008, they were read).
    let names = (0..33_000usize).map(|i| {
        let alphabet = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        let digit = |d: usize| char::from(alphabet.get(d % 62).copied().unwrap_or(b'0'));
        format!("\"{}{}{}\":0", digit(i / 3_844), digit(i / 62), digit(i))
    });
    c.case("values-member-names-count", VAL, "a receipt file that is one object of 33,000 members of 8 bytes (264 KB)")
        .jwks()
        .receipts("receipt.json", format!("{{{}}}\n", names.collect::<Vec<_>>().join(",")))
        .expect(1, BAD, &["MIN_BYTES_PER_VALUE", "65536"]);
    let line = format!("[{}]\n", zeros(40));
    c.case("values-json-lines-add-up", VAL, "2,000 JSON Lines of 41 values each: the file shares one budget")
        .jwks()
        .receipts("receipts.jsonl", line.repeat(2_000))
        .expect(1, &["input.kind", "verdict.signature"], &["MIN_BYTES_PER_VALUE"]);
    let mut rows_text = lines(k.rows.get(..11).unwrap_or_default());
    rows_text.push_str(&lines(k.rows.get(11..).unwrap_or_default()).replacen(
        "{",
        &format!("{{\"pad\":[{}],", zeros(70_000)),
        1,
    ));
    c.case("values-row-line-over-budget", VAL, "the last row line holds 70,000 values in 140 KB")
        .jwks()
        .rows("rows.jsonl", rows_text)
        .common("receipts", "receipts.jsonl")
        .expect(1, &["rows.parse"], &["MIN_BYTES_PER_VALUE"]);
    let dense: Vec<Value> = (0..5_000).map(|i| json!(i % 10)).collect();
    c.case("positive-values-dense-meta", P, "a signed meta array of 5,000 one-digit numbers (under the floor)")
        .jwks()
        .receipts("receipt.json", Value::Object(k.single(&[("meta", Value::Array(dense))])?).to_string())
        .expect(0, &[], &[]);
    Ok(())
}

/// F8: accept iff the RFC 8785 form's value equals the text's value, whatever the exponent.
fn numbers(c: &mut Corpus, k: &Kit) -> Result<()> {
    for (name, text, value) in [
        ("num-accept-0e400", "0e400", json!(0)),
        ("num-accept-zero-huge-negative-exponent", "0.0e-99999999999999999999", json!(0)),
        ("num-accept-10e-1", "10e-1", json!(1)),
        ("num-accept-100e-2", "100e-2", json!(1)),
        ("num-accept-one-as-1e21-over-1e21", "1000000000000000000000e-21", json!(1)),
    ] {
        let r = k.single(&[("meta", value)])?;
        c.case(name, P, &format!("meta written {text}, signed as the value it equals"))
            .jwks()
            .receipts("receipt.json", with_number_text(&r, "meta", text)?)
            .expect(0, &[], &[]);
    }
    let r = k.single(&[("meta", json!(0))])?;
    c.case("num-refuse-1e-huge-negative-exponent", NUM, "1e-99999999999999999999: not zero, but canonicalised to 0")
        .jwks()
        .receipts("receipt.json", with_number_text(&r, "meta", "1e-99999999999999999999")?)
        .expect(1, BAD, &["1e-99999999999999999999", "/meta"]);
    let long = format!("1e-{}", "9".repeat(100_000));
    c.case("num-refuse-100000-digit-exponent", NUM, "an exponent of 100,000 digits costs one pass")
        .jwks()
        .receipts("receipt.json", with_number_text(&r, "meta", &long)?)
        .expect(1, BAD, &["/meta", "characters"]);
    Ok(())
}

/// F9: the tightened WORM URI grammar.
fn worm(c: &mut Corpus, k: &Kit) -> Result<()> {
    let base = "https://wormauditprod.blob.core.windows.net";
    let bad: &[(&str, String, &str, &str)] = &[
        ("worm-empty-segment", format!("{base}/{PATH}"), "an empty path segment (//)", "empty segment"),
        ("worm-semicolon-parameter", format!("{base}/audit;v=1{PATH}"), "a ; parameter in the path", "parameters"),
        ("worm-port-leading-zero", format!("{base}:0443/audit{PATH}"), "port 0443", "port"),
        ("worm-empty-query", format!("{base}/audit{PATH}?"), "an empty query", "empty query"),
        (
            "worm-look-alike-slash",
            format!("{base}/audit/cust-0042\u{2215}2026/03/02/0901Z.json"),
            "a division slash U+2215 in the path",
            "RFC 3986",
        ),
    ];
    for (name, uri, about, word) in bad {
        c.case(name, WORM, &format!("wormBlobUri with {about}"))
            .jwks()
            .receipts("receipt.json", k.single_text(&[("wormBlobUri", json!(uri))])?)
            .expect(1, &["worm.uri"], &["wormBlobUri", word]);
    }
    let customer = "kunde-ü";
    let tail = "/2026/03/02/0901Z.json";
    c.case("worm-percent-encoded-customer-id", WORM, "customerId kunde-ü, percent-encoded in the URI")
        .jwks()
        .receipts(
            "receipt.json",
            k.single_text(&[
                ("customerId", json!(customer)),
                ("wormBlobUri", json!(format!("{base}/kunde-%C3%BC{tail}"))),
            ])?,
        )
        .expect(1, &["worm.uri"], &["percent"]);
    c.case("positive-worm-customer-id-as-written", P, "customerId kunde-ü, written as is in the URI")
        .jwks()
        .receipts(
            "receipt.json",
            k.single_text(&[
                ("customerId", json!(customer)),
                ("wormBlobUri", json!(format!("{base}/{customer}{tail}"))),
            ])?,
        )
        .expect(0, &[], &[]);
    Ok(())
}

/// F9: a fraction finer than nanoseconds is refused, trailing zeros are not.
fn timestamps(c: &mut Corpus, k: &Kit) -> Result<()> {
    c.case("ts-finer-than-nanoseconds", TS, "signedAt with 13 fraction digits (09:01:00.1234567890123Z)")
        .jwks()
        .receipts("receipt.json", k.single_text(&[("signedAt", json!("2026-03-02T09:01:00.1234567890123Z"))])?)
        .expect(1, &["receipt.fields"], &["finer than a nanosecond", "signedAt"]);
    c.case("positive-ts-zeros-past-nanoseconds", P, "signedAt with 12 fraction digits, all zero")
        .jwks()
        .receipts("receipt.json", k.single_text(&[("signedAt", json!("2026-03-02T09:01:00.000000000000Z"))])?)
        .expect(0, &[], &[]);
    Ok(())
}

/// F9: one classifier names what a file is, wherever it is given.
fn kinds(c: &mut Corpus, k: &Kit) -> Result<()> {
    c.case("receipts-given-as-rows", KIND, "the receipt file given as --rows")
        .jwks()
        .common("rows", "receipts.jsonl")
        .common("receipts", "receipts.jsonl")
        .expect(1, &["input.kind"], &["given as the row export", "chain of 2 receipts"]);
    c.case("approvals-given-as-rows", KIND, "the approvals, one per line, given as --rows")
        .jwks()
        .rows("approvals.jsonl", k.approvals.iter().map(|a| format!("{a}\n")).collect::<String>())
        .common("receipts", "receipts.jsonl")
        .expect(1, &["input.kind"], &["given as the row export", "2 wave approvals"]);
    for (name, file, about) in [
        ("approvals-pretty-given-as-rows", "approvals.json", "the pretty-printed approvals file given as --rows"),
        ("jwks-given-as-rows", "jwks.json", "the pretty-printed JWKS given as --rows"),
    ] {
        c.case(name, KIND, about).jwks().common("rows", file).common("receipts", "receipts.jsonl").expect(
            1,
            &["input.kind"],
            &["given as the row export", "one JSON document", "not JSON Lines"],
        );
    }
    let mut mixed = lines(&k.receipts);
    mixed.push_str(&lines(k.rows.get(..2).unwrap_or_default()));
    c.case("rows-mixed-into-receipts", KIND, "two receipts and two rows in one receipt file")
        .jwks()
        .receipts("receipts.jsonl", mixed)
        .expect(1, &["input.kind"], &["2 item(s) are audit rows", "chain of 2 receipts"]);
    Ok(())
}
