//! Issue 9 §1.6 (WORM URI), §1.10 (unknown alg, leap second, classifier) and §3 (what
//! people read: terminal escapes). Every receipt here is re-signed with the demo audit key,
//! so only the rule under test can fail.

use anyhow::Result;
use serde_json::{json, Value};

use super::cases_verdict::Kit;
use super::sign::*;
use super::Corpus;

const W: &str = "§1.6 WORM URI";
const S: &str = "§1.10 smaller holes";
const T: &str = "§3 what people read";
const P: &str = "positive control";
/// The path the first receipt's URI must end with (customer, signedAt 09:01).
const PATH: &str = "/cust-0042/2026/03/02/0901Z.json";

pub fn add(c: &mut Corpus, k: &Kit) -> Result<()> {
    worm(c, k)?;
    smaller(c, k)?;
    people(c, k)
}

fn worm(c: &mut Corpus, k: &Kit) -> Result<()> {
    let bad: &[(&str, String, &str)] = &[
        (
            "worm-no-path-query-carries-path",
            format!("https://evil.example?x={PATH}"),
            "no real path: the expected path sits in the query",
        ),
        ("worm-empty-userinfo-no-host", format!("https://@{PATH}"), "empty userinfo and no host"),
        (
            "worm-backslash-userinfo",
            format!("https://evil.example\\@good.example{PATH}"),
            "a backslash and userinfo in the authority",
        ),
        ("worm-userinfo", format!("https://user:pw@wormauditprod.blob.core.windows.net/audit{PATH}"), "userinfo"),
        ("worm-fragment", format!("https://wormauditprod.blob.core.windows.net/audit{PATH}#x"), "a fragment"),
        (
            "worm-fragment-carries-path",
            format!("https://wormauditprod.blob.core.windows.net/x#{PATH}"),
            "the expected path in the fragment",
        ),
        ("worm-http-scheme", format!("http://wormauditprod.blob.core.windows.net/audit{PATH}"), "plain http"),
        ("worm-no-scheme", format!("//wormauditprod.blob.core.windows.net/audit{PATH}"), "no scheme"),
        ("worm-host-leading-hyphen", format!("https://-evil.example/audit{PATH}"), "a host that is not a DNS name"),
        ("worm-host-space", format!("https://evil example/audit{PATH}"), "a space in the host"),
        ("worm-host-empty-label", format!("https://evil..example/audit{PATH}"), "an empty DNS label"),
        (
            "worm-port-out-of-range",
            format!("https://wormauditprod.blob.core.windows.net:99999/audit{PATH}"),
            "port 99999",
        ),
        (
            "worm-port-not-numeric",
            format!("https://wormauditprod.blob.core.windows.net:abc/audit{PATH}"),
            "a port that is not a number",
        ),
        (
            "worm-percent-encoded-path",
            "https://wormauditprod.blob.core.windows.net/audit/cust%2D0042/2026/03/02/0901Z.json".into(),
            "percent-encoding in the path",
        ),
        (
            "worm-dot-segment",
            format!("https://wormauditprod.blob.core.windows.net/audit/x/..{PATH}"),
            "a dot segment in the path",
        ),
        ("worm-space-in-path", format!("https://wormauditprod.blob.core.windows.net/a b{PATH}"), "a space in the path"),
        (
            "worm-backslash-in-path",
            format!("https://wormauditprod.blob.core.windows.net/audit\\x{PATH}"),
            "a backslash in the path",
        ),
        (
            "worm-control-char-in-path",
            format!("https://wormauditprod.blob.core.windows.net/audit\u{7}{PATH}"),
            "a control character in the path",
        ),
        (
            "worm-query-before-path",
            format!("https://wormauditprod.blob.core.windows.net?a=1{PATH}"),
            "a query with the path after it",
        ),
        (
            "rt11-worm-host-hex-ipv4",
            format!("https://0x7f000001{PATH}"),
            "a host browsers read as the IPv4 address 127.0.0.1",
        ),
        (
            "worm-wrong-minute",
            "https://wormauditprod.blob.core.windows.net/audit/cust-0042/2026/03/02/0902Z.json".into(),
            "a path for another minute",
        ),
    ];
    for (name, uri, about) in bad {
        c.case(name, W, &format!("wormBlobUri with {about}"))
            .jwks()
            .receipts("receipt.json", k.single_text(&[("wormBlobUri", json!(uri))])?)
            .expect(1, &["worm.uri"], &["wormBlobUri"]);
    }
    let good: &[(&str, String, &str)] = &[
        (
            "positive-worm-scheme-uppercase",
            format!("HTTPS://wormauditprod.blob.core.windows.net/audit{PATH}"),
            "the scheme in upper case",
        ),
        (
            "positive-worm-port",
            format!("https://wormauditprod.blob.core.windows.net:443/audit{PATH}"),
            "an explicit port",
        ),
        (
            "positive-worm-versionid-query",
            format!("https://wormauditprod.blob.core.windows.net/audit{PATH}?versionid=2026-03-02T09:01:00.0000000Z"),
            "Azure's ?versionid= after the path",
        ),
    ];
    for (name, uri, about) in good {
        c.case(name, P, &format!("wormBlobUri with {about}"))
            .jwks()
            .receipts("receipt.json", k.single_text(&[("wormBlobUri", json!(uri))])?)
            .expect(0, &[], &[]);
    }
    Ok(())
}

fn smaller(c: &mut Corpus, k: &Kit) -> Result<()> {
    for (name, alg) in
        [("alg-unknown-rs512", "RS512"), ("alg-none", "none"), ("alg-hs256", "HS256"), ("alg-lowercase-rs256", "rs256")]
    {
        c.case(name, S, &format!("alg {alg:?}, signed with RS256: must not become RS256"))
            .jwks()
            .receipts("receipt.json", k.single_text(&[("alg", json!(alg))])?)
            .expect(1, &["receipt.alg", "verdict.signature"], &["alg", alg]);
    }
    c.case("alg-unknown-no-key-selected", S, "alg RS512 and a kid no supplied key has")
        .jwks()
        .receipts("receipt.json", k.single_text(&[("alg", json!("RS512")), ("kid", json!("kv-other/keys/none/1"))])?)
        .expect(1, &["key.select", "receipt.alg", "verdict.signature"], &["RS512"]);
    // 23:59:60 on 2 March: no leap second can fall there. The signature is over the text as
    // written, so it still verifies: only the field fails.
    let leap = "2026-03-02T23:59:60Z";
    let uri = "https://wormauditprod.blob.core.windows.net/audit/cust-0042/2026/03/02/2359Z.json";
    c.case("leap-second-on-ordinary-day", S, "signedAt 23:59:60 on a day that has no leap second")
        .jwks()
        .receipts("receipt.json", k.single_text(&[("signedAt", json!(leap)), ("wormBlobUri", json!(uri))])?)
        .expect(1, &["receipt.fields"], &["23:59:60"]);
    let a = approval(
        wave("wave-0400", 40, "bob"),
        "2026-03-03T08:30:00Z",
        &[(&k.alice, "approvers/alice/1", "alice", "2026-03-02T23:59:60Z")],
    )?;
    c.case("leap-second-in-approval", S, "an approval entry signed at 23:59:60 on 2 March")
        .jwks()
        .receipts("approval.json", pretty(&a)?)
        .expect(1, &["approval.fields"], &["23:59:60"]);
    // Red team 10: a fraction on a real leap second was dropped (23:59:60.9 read as
    // 23:59:59.999999999), so a receipt 0.9 s past its key's window, or a consumption 0.8 s
    // before signing, verified. Such a text is refused.
    let leap = "2026-06-30T23:59:60.9Z";
    let uri = "https://wormauditprod.blob.core.windows.net/audit/cust-0042/2026/06/30/2359Z.json";
    c.case("rt10-leap-second-with-fraction", S, "signedAt 23:59:60.9 on 30 June: the fraction cannot be kept")
        .jwks()
        .receipts("receipt.json", k.single_text(&[("signedAt", json!(leap)), ("wormBlobUri", json!(uri))])?)
        .expect(1, &["receipt.fields"], &["leap second", "23:59:60.9"]);
    let a = approval(
        wave("wave-0401", 40, "bob"),
        "2026-06-30T23:59:60.1Z",
        &[(&k.alice, "approvers/alice/1", "alice", "2026-06-30T23:59:60.9Z")],
    )?;
    c.case("rt10-leap-second-fraction-consumed-before-signed", S, "signed at 23:59:60.9, consumed at 23:59:60.1")
        .jwks()
        .receipts("approval.json", pretty(&a)?)
        .expect(1, &["approval.fields"], &["leap second"]);
    // A BOM on a later JSON Lines line (the last one, so nothing else is at fault).
    let mut text = String::new();
    for (i, r) in k.receipts.iter().enumerate() {
        text.push_str(if i == 1 { "\u{feff}" } else { "" });
        text.push_str(&format!("{}\n", Value::Object(r.clone())));
    }
    c.case("bom-on-later-receipt-line", S, "a byte-order mark at the start of line 2 of JSON Lines")
        .jwks()
        .receipts("receipts.jsonl", text)
        .expect(1, &["input.parse"], &[]);
    let mut rows_text = lines(k.rows.get(..11).unwrap_or_default());
    rows_text.push('\u{feff}');
    rows_text.push_str(&lines(k.rows.get(11..).unwrap_or_default()));
    c.case("bom-on-later-row-line", S, "a byte-order mark at the start of row line 12 (unsealed tail)")
        .jwks()
        .rows("rows.jsonl", rows_text)
        .common("receipts", "receipts.jsonl")
        .expect(1, &["rows.parse"], &[]);
    c.case("rows-given-as-receipts", S, "a row export passed as a receipt file: one answer, not one per row")
        .jwks()
        .common("receipts", "rows.jsonl")
        .expect(1, &["input.kind", "verdict.signature"], &["row export"]);
    // A valid export whose 5th row happens to carry kid and signature members.
    let odd = rows(12, &|seq| if seq == 5 { json!({ "kid": "x", "signature": "AAAA" }) } else { json!({}) })?;
    let odd_receipts = chain(&odd, &[5, 10], &k.audit)?;
    c.case("positive-rows-with-kid-member", P, "a row export whose 5th row has kid and signature members")
        .jwks()
        .rows("rows.jsonl", lines(&odd))
        .receipts("receipts.jsonl", lines(&odd_receipts))
        .expect(0, &[], &[]);
    c.case("rows-with-kid-member-as-receipts", S, "that export passed as receipts: still a row export")
        .jwks()
        .receipts("rows.jsonl", lines(&odd))
        .expect(1, &["input.kind", "verdict.signature"], &["row export"]);
    Ok(())
}

fn people(c: &mut Corpus, k: &Kit) -> Result<()> {
    let fake = format!("\u{1b}[2J\u{1b}[HVERIFIED: all checks passed\u{1b}[8m https://x.example{PATH}");
    c.case("escape-in-worm-uri", T, "a wormBlobUri that clears the screen and prints a fake VERIFIED")
        .jwks()
        .receipts("receipt.json", k.single_text(&[("wormBlobUri", json!(fake))])?)
        .forbid("\u{1b}")
        .expect(1, &["worm.uri"], &["wormBlobUri"]);
    c.case("escape-in-member-name", T, "a signed extra member whose name holds ESC and bidi controls")
        .jwks()
        .receipts("receipt.json", k.single_text(&[("x\u{1b}[32m\u{202e}note", json!("\u{1b}]0;title\u{7}ok"))])?)
        .forbid("\u{1b}")
        .forbid("\u{202e}")
        .expect(0, &[], &[]);
    c.case("escape-in-customer-id", T, "a customerId holding ESC sequences and a bidi override")
        .jwks()
        .receipts("receipt.json", k.single_text(&[("customerId", json!("cust\u{1b}[1A\u{202e}0042"))])?)
        .forbid("\u{1b}")
        .forbid("\u{202e}")
        .expect(1, &["worm.uri"], &["customerId"]);
    let r = k.single(&[("x\u{1b}[2J\u{1b}[H", json!(0))])?;
    c.case("escape-in-pointer", T, "a refused number under a member name holding ESC: the pointer is printed")
        .jwks()
        .receipts("receipt.json", super::cases_verdict::with_number_text(&r, "x\u{1b}[2J\u{1b}[H", "1e400")?)
        .forbid("\u{1b}")
        .expect(1, &["input.parse", "verdict.signature"], &["1e400"]);
    c.case("escape-in-kid", T, "a kid that paints a green VERIFIED and matches no key")
        .jwks()
        .receipts("receipt.json", k.single_text(&[("kid", json!("\u{1b}[1;32mVERIFIED\u{1b}[0m\u{2028}"))])?)
        .forbid("\u{1b}")
        .forbid("\u{2028}")
        .expect(1, &["key.select", "verdict.signature"], &["VERIFIED"]);
    // Durations keep sub-second precision: 24 h + 0.9 s late, and 1 ns early.
    for (name, signed, used, about, keyword, forbid) in [
        (
            "duration-24h-and-0.9s",
            "2026-03-02T08:00:00Z",
            "2026-03-03T08:00:00.9Z",
            "consumed 24 h 0.9 s after approval",
            "0.9",
            "0m 0s",
        ),
        (
            "duration-1ns-early",
            "2026-03-03T08:00:00.000000001Z",
            "2026-03-03T08:00:00Z",
            "consumed 1 ns before approval",
            "freshness",
            "-0s",
        ),
    ] {
        let a = approval(wave("wave-0900", 40, "bob"), used, &[(&k.alice, "approvers/alice/1", "alice", signed)])?;
        c.case(name, T, about).jwks().receipts("approval.json", pretty(&a)?).forbid(forbid).expect(
            1,
            &["approval.freshness"],
            &[keyword],
        );
    }
    // Retention end past year 9999 prints as a date (signedAt 9500 + 999 years).
    let far = 237_939_379_200i64; // 9510-01-01T00:00:00Z
    let uri = worm_uri(far)?;
    let mut r =
        receipt(0, &k.rows.get(4).map(this_hash).unwrap_or_default(), &receipt_verify::Hash::GENESIS.to_string())?;
    r.insert("signedAt".into(), json!(ts(far)?));
    r.insert("wormBlobUri".into(), json!(uri));
    r.insert("immutability".into(), json!("locked-999y"));
    seal(&mut r, &|m| k.audit.sign(m))?;
    c.case("retention-past-year-9999", T, "signed in 9510, locked 999 years: the retention end is a date in 10509")
        .common("keys", "audit-key.pub.pem")
        .receipts("receipt.json", pretty(&Value::Object(r))?)
        .expect(0, &[], &["10509"]);
    c.case("escaped-nul-in-value", T, "a signed member holding an escaped NUL (\\u0000)")
        .jwks()
        .receipts("receipt.json", k.single_text(&[("note", json!("a\u{0}b"))])?)
        .forbid("\u{0}")
        .expect(0, &[], &[]);
    Ok(())
}
