//! Red-team findings on approvals, identities and keys (v1.1, SPEC.md §10 and §11): names
//! outside the identity repertoire or not in NFC, look-alike wave ids, a wave consumed
//! twice in the rows, signatures under revoked keys, and Key Vault host case. Every
//! signature here verifies, so only the rule under test can fail; positive controls
//! show the rules leave honest accented names and distinct waves alone.

use anyhow::Result;
use serde_json::{json, Value};

use super::cases_verdict::{window, Kit};
use super::sign::*;
use super::Corpus;

const ID: &str = "§1.4 identities (red team)";
const RP: &str = "§1.4 replay (red team)";
const CO: &str = "§1.5 consumedAt (red team)";
const KS: &str = "§1.8 keys (red team)";
const P: &str = "positive control";
const AT: &str = "2026-03-03T08:00:00Z";
const USED: &str = "2026-03-03T08:30:00Z";
/// "Nguyễn" precomposed (NFC) and decomposed (NFD).
const NGUYEN_NFC: &str = "Nguy\u{1ec5}n";
const NGUYEN_NFD: &str = "Nguye\u{302}\u{303}n";
/// "Ștefan" with S-comma below (NFC) and S + U+0326 (NFD).
const STEFAN_NFC: &str = "\u{218}tefan";
const STEFAN_NFD: &str = "S\u{326}tefan";

fn one(v: Value) -> Result<String> {
    pretty(&Value::Array(vec![v]))
}

pub fn add(c: &mut Corpus, k: &Kit) -> Result<()> {
    identities(c, k)?;
    replay(c, k)?;
    consumed_twice(c, k)?;
    consumed_row_binding(c, k)?;
    keys(c, k)
}

fn identities(c: &mut Corpus, k: &Kit) -> Result<()> {
    // requestedBy alice; carol's (unbound) key signs under a look-alike of "alice".
    for (name, approver, failed, words) in [
        (
            "rt-separation-cherokee-look-alike",
            "\u{13aa}\u{13de}\u{13a5}\u{13df}\u{13ac}",
            &["approval.quorum", "approval.separation"][..],
            &["U+13AA", "repertoire"][..],
        ),
        (
            "rt-separation-small-capitals",
            "\u{1d00}\u{29f}\u{26a}\u{1d04}\u{1d07}",
            &["approval.quorum", "approval.separation"],
            &["U+1D00", "repertoire"],
        ),
        ("rt-separation-capital-i-for-l", "aIice", &["approval.separation"], &["separation"]),
        ("rt-separation-digit-one-for-l", "a1ice", &["approval.separation"], &["separation"]),
        ("rt-separation-nfd-of-requester", NGUYEN_NFD, &["approval.quorum", "approval.separation"], &["U+0302", "NFC"]),
    ] {
        let requester = if approver == NGUYEN_NFD { NGUYEN_NFC } else { "alice" };
        let a = approval(wave("wave-0900", 40, requester), USED, &[(&k.carol, "approvers/carol/1", approver, AT)])?;
        c.case(name, ID, &format!("requestedBy {requester:?}, approved by {approver:?} with carol's key"))
            .jwks()
            .receipts("approval.json", one(a)?)
            .expect(1, failed, words);
    }
    // Look-alikes within one script (red team 3): katakana エ for Han 工; Hebrew סו, which
    // is shown right to left as "lo". Each passes the mixed-script rule, so only the
    // skeleton catches it; a different Hebrew name is the positive control.
    for (name, requester, approver, code, failed) in [
        ("rt-separation-katakana-for-han", "工藤", "エ藤", 1, &["approval.separation"][..]),
        ("rt-separation-hebrew-for-latin", "lo", "\u{5e1}\u{5d5}", 1, &["approval.separation"]),
        ("positive-rt-separation-hebrew-names", "דוד", "יצחק", 0, &[]),
    ] {
        let a = approval(wave("wave-0905", 40, requester), USED, &[(&k.carol, "approvers/carol/1", approver, AT)])?;
        c.case(
            name,
            if code == 0 { P } else { ID },
            &format!("requestedBy {requester:?}, approved by {approver:?} with carol's key"),
        )
        .jwks()
        .receipts("approval.json", one(a)?)
        .expect(code, failed, &["approval.separation"]);
    }
    // Two keys, one person in NFC and NFD: never two approvers.
    let a = approval(
        wave("wave-0901", 250, "carol"),
        USED,
        &[(&k.alice, "approvers/alice/1", NGUYEN_NFC, AT), (&k.bob, "approvers/bob/1", NGUYEN_NFD, AT)],
    )?;
    c.case("rt-quorum-nfc-and-nfd-one-person", ID, "250 devices, approved by Nguyễn in NFC and in NFD with two keys")
        .jwks()
        .receipts("approval.json", one(a)?)
        .expect(1, &["approval.quorum", "approval.separation"], &["NFC", "quorum"]);
    // A key bound to the NFC name; the entry writes it in NFD: refused with what to do.
    let bound = |who: &str| -> Result<String> {
        let mut extra = obj(window());
        extra.insert("approver".into(), json!(who));
        let keys = vec![k.audit.jwk(JWKS_KID, window()), k.alice.jwk("approvers/alice/1", Value::Object(extra))?];
        pretty(&json!({ "keys": keys }))
    };
    let a = approval(wave("wave-0902", 40, "dave"), USED, &[(&k.alice, "approvers/alice/1", STEFAN_NFD, AT)])?;
    c.case("rt-binding-nfd-name-bound-in-nfc", ID, "a key bound to Ștefan (NFC); the entry writes Ștefan in NFD")
        .keys("jwks.json", bound(STEFAN_NFC)?)
        .receipts("approval.json", one(a)?)
        .expect(1, &["approval.binding", "approval.separation"], &["U+0326", "NFC"]);
    let a = approval(wave("wave-0903", 40, "dave"), USED, &[(&k.alice, "approvers/alice/1", STEFAN_NFC, AT)])?;
    c.case("positive-rt-binding-nfc-accented", P, "a key bound to Ștefan (NFC); the entry writes the same")
        .keys("jwks.json", bound(STEFAN_NFC)?)
        .receipts("approval.json", one(a)?)
        .expect(0, &[], &["approval.binding"]);
    let a = approval(
        wave("wave-0904", 250, NGUYEN_NFC),
        USED,
        &[
            (&k.alice, "approvers/alice/1", STEFAN_NFC, AT),
            (&k.bob, "approvers/bob/1", "Jos\u{e9} N\u{fa}\u{f1}ez", AT),
        ],
    )?;
    c.case("positive-rt-accented-names", P, "requested by Nguyễn, approved by Ștefan and José Núñez (all NFC)")
        .jwks()
        .receipts("approval.json", one(a)?)
        .expect(0, &[], &[]);
    Ok(())
}

fn replay(c: &mut Corpus, k: &Kit) -> Result<()> {
    let first = approval(wave("wave-0910", 40, "bob"), USED, &[(&k.alice, "approvers/alice/1", "alice", AT)])?;
    let again = |wave_id: &str| {
        approval(
            wave(wave_id, 40, "bob"),
            "2026-03-03T09:30:00Z",
            &[(&k.alice, "approvers/alice/1", "alice", "2026-03-03T09:00:00Z")],
        )
    };
    for (name, wave_id, words) in [
        ("rt-replay-non-breaking-hyphen", "wave\u{2011}0910", &["U+2011", "replay"][..]),
        ("rt-replay-minus-sign", "wave\u{2212}0910", &["U+2212", "replay"]),
        ("rt-replay-capital-o-for-zero", "wave-O91O", &["replay"]),
    ] {
        c.case(name, RP, &format!("wave-0910 consumed, then {wave_id:?} consumed"))
            .jwks()
            .receipts("approvals.json", pretty(&json!([first, again(wave_id)?]))?)
            .expect(1, &["approval.replay"], words);
    }
    c.case("positive-rt-distinct-waves", P, "wave-0910 and wave-0911, each consumed once")
        .jwks()
        .receipts("approvals.json", pretty(&json!([first, again("wave-0911")?]))?)
        .expect(0, &[], &[]);
    Ok(())
}

fn consumed_twice(c: &mut Corpus, k: &Kit) -> Result<()> {
    let used = "2026-03-02T09:00:04Z";
    let a = approval(
        wave("wave-0920", 40, "bob"),
        used,
        &[(&k.alice, "approvers/alice/1", "alice", "2026-03-02T08:50:00Z")],
    )?;
    // Rows 2 and 4 both record wave-0920 as consumed; the approval names row 4's time.
    let rs = rows(12, &|seq| match seq {
        2 | 4 => json!({ "action": "wave.consumed", "waveId": "wave-0920" }),
        _ => json!({}),
    })?;
    let receipts = chain(&rs, &[5, 10], &k.audit)?;
    c.case("rt-consumed-twice-in-rows", CO, "two sealed wave.consumed rows for one wave: a replay")
        .jwks()
        .rows("rows.jsonl", lines(&rs))
        .receipts("receipts.jsonl", lines(&receipts))
        .receipts("approval.json", one(a)?)
        .expect(1, &["approval.consumed"], &["lines 2 and 4", "replay"]);
    Ok(())
}

/// Red team 8: the sealed row is evidence only when it says what the approval needs. 01,
/// its `ts` puts the consumption past 24 h; 02, it is another customer's row inside a
/// batch that a receipt of `CUSTOMER` seals. Red team 9, 01: its `ts` cannot be read.
fn consumed_row_binding(c: &mut Corpus, k: &Kit) -> Result<()> {
    let used = "2026-03-02T09:00:04Z";
    let alice = [(&k.alice, "approvers/alice/1", "alice", "2026-03-02T08:50:00Z")];
    let sealed = |row: Value| -> Result<(String, String)> {
        let rs = rows(12, &|seq| if seq == 4 { row.clone() } else { json!({}) })?;
        Ok((lines(&rs), lines(&chain(&rs, &[5, 10], &k.audit)?)))
    };
    let consumed = json!({ "action": "wave.consumed", "waveId": "wave-0930" });
    let (rows_stale, receipts_stale) = sealed(json!({
        "action": "wave.consumed", "waveId": "wave-0930", "ts": "2026-03-03T09:00:00Z"
    }))?;
    c.case(
        "rt8-sealed-consumed-row-makes-approval-stale",
        CO,
        "the sealed wave.consumed row's ts is 24h 10m after the entry, consumedAt is 10 min",
    )
    .jwks()
    .rows("rows.jsonl", rows_stale)
    .receipts("receipts.jsonl", receipts_stale)
    .receipts("approval.json", one(approval(wave("wave-0930", 40, "bob"), used, &alice)?)?)
    .expect(1, &["approval.consumed"], &["not fresh when used", "line 4"]);
    let other = json!({ "action": "wave.consumed", "waveId": "wave-0930", "customerId": "cust-0043" });
    let (rows_other, receipts_other) = sealed(other)?;
    let mut wave_other = obj(wave("wave-0930", 40, "bob"));
    wave_other.insert("customerId".into(), json!("cust-0043"));
    let wave_other = Value::Object(wave_other);
    c.case(
        "rt8-consumed-row-of-another-customer-in-batch",
        CO,
        "cust-0043's wave.consumed row inside a batch that cust-0042's receipt seals",
    )
    .jwks()
    .rows("rows.jsonl", rows_other)
    .receipts("receipts.jsonl", receipts_other)
    .receipts("approval.json", one(approval(wave_other, used, &alice)?)?)
    .expect(1, &["rows.customer"], &["another customer", "line 5"]);
    // Red team 9, 01: the same instant as consumedAt, written with an offset, cannot be
    // compared with signedAt as written; a stale one would hide the same way.
    let (rows_offset, receipts_offset) = sealed(json!({
        "action": "wave.consumed", "waveId": "wave-0930", "ts": "2026-03-02T10:00:04+01:00"
    }))?;
    c.case(
        "rt9-sealed-consumed-row-ts-with-offset",
        CO,
        "the sealed wave.consumed row's ts is consumedAt's instant written with +01:00",
    )
    .jwks()
    .rows("rows.jsonl", rows_offset)
    .receipts("receipts.jsonl", receipts_offset)
    .receipts("approval.json", one(approval(wave("wave-0930", 40, "bob"), used, &alice)?)?)
    .expect(1, &["approval.consumed"], &["cannot be read", "line 4", "is not UTC"]);
    let (rows_own, receipts_own) = sealed(consumed)?;
    c.case(
        "positive-rt8-consumed-row-of-the-batch-customer",
        P,
        "the same wave.consumed row, of the sealing receipt's customer",
    )
    .jwks()
    .rows("rows.jsonl", rows_own)
    .receipts("receipts.jsonl", receipts_own)
    .receipts("approval.json", one(approval(wave("wave-0930", 40, "bob"), used, &alice)?)?)
    .expect(0, &[], &["freshness proven by signature"]);
    Ok(())
}

fn keys(c: &mut Corpus, k: &Kit) -> Result<()> {
    c.case("rt-revoked-key-signature-does-not-count", KS, "receipts that verify under a revoked key, and nothing else")
        .keys("jwks.json", pretty(&k.jwks(json!({ "status": "revoked" }), json!({}))?)?)
        .common("receipts", "receipts.jsonl")
        .expect(1, &["key.status", "verdict.signature"], &["revoked", "not in good standing"]);
    let upper = JWKS_KID.replace("kv-premium", "KV-PREMIUM");
    c.case("rt-vault-host-upper-case", KS, "the key's Key Vault URL names the vault host in upper case")
        .keys("jwks.json", pretty(&json!({ "keys": [k.audit.jwk(&upper, window())] }))?)
        .common("receipts", "receipts.jsonl")
        .expect(0, &[], &["Azure Key Vault key URL"]);
    let other = JWKS_KID.replace("kv-premium", "KV-OTHER");
    c.case("rt-vault-host-upper-case-other-vault", KS, "an upper-case Key Vault URL of another vault")
        .keys("jwks.json", pretty(&json!({ "keys": [k.audit.jwk(&other, window())] }))?)
        .common("receipts", "receipts.jsonl")
        .expect(1, &["key.select", "verdict.signature"], &["kid"]);
    let slash = format!("{JWKS_KID}/");
    c.case("rt11-vault-url-trailing-slash", KS, "the key's Key Vault URL with a trailing slash")
        .keys("jwks.json", pretty(&json!({ "keys": [k.audit.jwk(&slash, window())] }))?)
        .common("receipts", "receipts.jsonl")
        .expect(1, &["key.select", "verdict.signature"], &["kid"]);
    Ok(())
}
