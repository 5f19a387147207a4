//! `approval.consumed` (v1.1, SPEC.md §10): `consumedAt` is not signed by any approver,
//! so freshness rests on it only as far as an audit row records the consumption and a
//! batch receipt seals that row.
//!
//! The consumption row is `{"action": "wave.consumed", "customerId", "waveId", "ts"}`
//! with `ts` equal to `consumedAt` (as instants) and `customerId`/`waveId` equal to the
//! approval's as written. The watch sees each row once while the export streams by and
//! keeps, per approval, only the first matching row: memory grows with the approvals,
//! not with the export.
//!
//! Replay in the rows (v1.1): a wave is consumed once. Two `wave.consumed` rows for one
//! `(customerId, waveId)`, compared as identities like `approval.replay` does, whatever
//! their `ts`, fail `approval.consumed` and name both lines; per wave the watch keeps
//! the first two such rows and a count.
//!
//! Staleness in the rows (red team 8): the one sealed `wave.consumed` row of a wave is
//! signed evidence of when it was consumed. When its `ts` is not `consumedAt` and puts the
//! consumption outside `0 ≤ ts − signedAt ≤ 24 h` for an entry, the unsigned `consumedAt`
//! is contradicted and `approval.consumed` fails; before, it only warned that no row
//! recorded `consumedAt`, so an approval used nine days after signing verified.
//!
//! An unreadable record (red team 9): when that sealed row's `ts` is missing, not a
//! string, or not an RFC 3339 UTC timestamp (`+01:00`, a space for `T`), its time cannot
//! be compared with the entries' `signedAt`, so nothing shows the approval fresh and the
//! signed record may say it was not: `approval.consumed` fails. It used to warn only, so
//! a stale consumption written with an offset verified.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::approval::WaveApproval;
use crate::checks::approval::MAX_AGE;
use crate::identity::identity_key;
use crate::ids;
use crate::report::{Check, Status, Subject};
use crate::text::q;
use crate::timestamp::{describe, Timestamp};

/// The `action` of the audit row that records a wave's consumption.
pub const CONSUMED_ACTION: &str = "wave.consumed";

/// The members of a `wave.consumed` row the watch reads, taken while the row is parsed
/// (the row verifier keeps these, not the row, until its range is joined).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ConsumedRow {
    pub(crate) customer_id: String,
    pub(crate) wave_id: String,
    pub(crate) ts: Option<String>,
}

impl ConsumedRow {
    /// The row's consumption members, when it records a consumption.
    pub(crate) fn of(row: &Map<String, Value>) -> Option<ConsumedRow> {
        if row.get("action").and_then(Value::as_str) != Some(CONSUMED_ACTION) {
            return None;
        }
        let text = |k: &str| row.get(k).and_then(Value::as_str);
        Some(ConsumedRow {
            customer_id: text("customerId")?.to_string(),
            wave_id: text("waveId")?.to_string(),
            ts: text("ts").map(str::to_string),
        })
    }
}

/// What an approval claims about its consumption.
#[derive(Clone, Debug)]
pub(crate) struct ConsumptionClaim {
    subject: Subject,
    customer_id: String,
    wave_id: String,
    consumed_at: Timestamp,
    /// `(customerId, waveId)` as compared for replay.
    wave: (String, String),
    /// The entries' `signedAt`, where readable.
    signed: Vec<Timestamp>,
}

/// The replay key of a wave: both members as identities, or as written when one cannot
/// be compared (it then holds a character no identity key holds, so never collides).
fn wave_key(customer_id: &str, wave_id: &str) -> (String, String) {
    let key = |s: &str| identity_key(s).unwrap_or_else(|_| s.to_string());
    (key(customer_id), key(wave_id))
}

impl ConsumptionClaim {
    /// The claim of an approval with `customerId`, `waveId` and `consumedAt`.
    pub fn of(a: &WaveApproval) -> Option<Self> {
        let (customer_id, wave_id) = (a.customer_id.clone()?, a.wave_id.clone()?);
        Some(ConsumptionClaim {
            subject: a.subject.at("consumedAt"),
            wave: wave_key(&customer_id, &wave_id),
            customer_id,
            wave_id,
            consumed_at: a.consumed_at?,
            signed: a.approvals.iter().filter_map(|e| e.signed_at).collect(),
        })
    }
}

/// Where the first matching row was.
#[derive(Clone, Copy, Debug)]
struct FoundRow {
    line: usize,
    /// 1-based position among the export's rows (blank lines excluded).
    ordinal: u64,
}

/// The `wave.consumed` rows of one watched wave.
#[derive(Clone, Debug, Default)]
struct WaveRows {
    /// Line numbers of the first two.
    lines: [Option<usize>; 2],
    count: u64,
    /// The first one: where it is and its `ts`, or why that is not a timestamp.
    first: Option<(FoundRow, Result<Timestamp, String>)>,
}

/// Looks for the consumption rows of some claims in a streamed export.
#[derive(Debug, Default)]
pub(crate) struct ConsumptionWatch {
    /// `(customerId, waveId, ts)` → claims still unmatched.
    wanted: HashMap<(String, String, Timestamp), Vec<usize>>,
    found: Vec<Option<FoundRow>>,
    /// Replay key of each claimed wave → its `wave.consumed` rows.
    waves: HashMap<(String, String), WaveRows>,
}

impl ConsumptionWatch {
    pub(crate) fn new(claims: &[ConsumptionClaim]) -> Self {
        let mut wanted: HashMap<_, Vec<usize>> = HashMap::new();
        let mut waves = HashMap::new();
        for (i, c) in claims.iter().enumerate() {
            wanted.entry((c.customer_id.clone(), c.wave_id.clone(), c.consumed_at)).or_default().push(i);
            waves.insert(c.wave.clone(), WaveRows::default());
        }
        ConsumptionWatch { wanted, found: vec![None; claims.len()], waves }
    }

    /// Look at one row's consumption members (see [`ConsumedRow::of`]); `ordinal` counts
    /// rows from 1.
    pub(crate) fn row(&mut self, row: &ConsumedRow, line: usize, ordinal: u64) {
        if self.waves.is_empty() {
            return;
        }
        if let Some(rows) = self.waves.get_mut(&wave_key(&row.customer_id, &row.wave_id)) {
            if let Some(slot) = rows.lines.iter_mut().find(|l| l.is_none()) {
                *slot = Some(line);
            }
            if rows.count == 0 {
                let ts = match row.ts.as_deref() {
                    Some(t) => t.parse::<Timestamp>().map_err(|e| e.to_string()),
                    None => Err("the row has no ts string".to_string()),
                };
                rows.first = Some((FoundRow { line, ordinal }, ts));
            }
            rows.count += 1;
        }
        let Some(ts) = row.ts.as_deref() else { return };
        let Ok(ts) = ts.parse::<Timestamp>() else { return };
        // Removed once matched, so repeated rows cost one lookup each.
        let key = (row.customer_id.clone(), row.wave_id.clone(), ts);
        let Some(claims) = self.wanted.remove(&key) else { return };
        for i in claims {
            if let Some(slot) = self.found.get_mut(i) {
                *slot = Some(FoundRow { line, ordinal });
            }
        }
    }

    /// The findings once the export is read: rows `1..=sealed_rows` are sealed.
    pub(crate) fn findings(&self, claims: &[ConsumptionClaim], file: &str, sealed_rows: u64) -> Vec<Check> {
        claims
            .iter()
            .zip(&self.found)
            .map(|(claim, found)| match (found, self.waves.get(&claim.wave)) {
                (_, Some(rows)) if rows.count > 1 => replayed(claim, rows, file),
                (Some(f), _) if f.ordinal <= sealed_rows => Check::new(
                    ids::APPROVAL_CONSUMED,
                    Status::Pass,
                    claim.subject.clone(),
                    format!(
                        "consumedAt is not signed, but the {CONSUMED_ACTION} row on line {} of {file} records it and a batch receipt seals that row: freshness proven by signature",
                        f.line
                    ),
                ),
                (_, Some(WaveRows { first: Some((row, Ok(ts))), .. }))
                    if row.ordinal <= sealed_rows && stale_entry(claim, *ts).is_some() =>
                {
                    contradicted(claim, *row, *ts, file)
                }
                (_, Some(WaveRows { first: Some((row, Err(why))), .. })) if row.ordinal <= sealed_rows => {
                    unreadable(claim, *row, why, file)
                }
                (Some(f), _) => unproven(
                    claim,
                    format!(
                        "the {CONSUMED_ACTION} row on line {} of {file} records it, but no batch receipt given seals that row yet",
                        f.line
                    ),
                    format!("an unsealed row on line {}", f.line),
                ),
                (None, rows) => {
                    let other = match rows.and_then(|r| r.first.as_ref()) {
                        Some((row, ts)) => format!(
                            " at consumedAt (the {CONSUMED_ACTION} row of this wave on line {} has ts {})",
                            row.line,
                            ts.as_ref().map_or_else(|_| "that is not a timestamp".to_string(), |t| t.to_string())
                        ),
                        None => String::new(),
                    };
                    unproven(claim, format!("no {CONSUMED_ACTION} row in {file} records it{other}"), "no such row".to_string())
                }
            })
            .collect()
    }
}

/// The first entry's `signedAt` for which a consumption at `ts` is not fresh
/// (`0 ≤ ts − signedAt ≤ 24 h`, as `approval.freshness` asks of `consumedAt`).
fn stale_entry(c: &ConsumptionClaim, ts: Timestamp) -> Option<Timestamp> {
    c.signed.iter().copied().find(|s| {
        let age = ts.since(s);
        age.is_negative() || age > MAX_AGE
    })
}

/// The sealed row of the wave puts its consumption where an entry is not fresh: the
/// unsigned `consumedAt` is contradicted by signed evidence (red team 8).
fn contradicted(c: &ConsumptionClaim, row: FoundRow, ts: Timestamp, file: &str) -> Check {
    let signed = stale_entry(c, ts).unwrap_or(c.consumed_at);
    let age = describe(ts.since(&signed));
    sealed_row_fails(
        c,
        row,
        file,
        format!("consumed at {ts}: {age} after the entry signed at {signed}, so the approval was not fresh when used (limit 24h)"),
        "the sealed row's ts within 0..24h after every signedAt".to_string(),
        format!("ts {ts} on line {}: {age} after signedAt {signed}", row.line),
    )
}

/// The sealed row of the wave has a `ts` that cannot be read as an instant: the signed
/// record of the consumption cannot show it fresh, and may say it was not (red team 9).
fn unreadable(c: &ConsumptionClaim, row: FoundRow, why: &str, file: &str) -> Check {
    sealed_row_fails(
        c,
        row,
        file,
        format!("consumed with a ts that cannot be read ({why}): the signed record of when the approval was used cannot show it fresh (SPEC.md §10)"),
        format!("an RFC 3339 UTC ts on line {} within 0..24h after every signedAt", row.line),
        why.to_string(),
    )
}

/// `approval.consumed` fails on what the wave's sealed row says (`how`).
fn sealed_row_fails(
    c: &ConsumptionClaim,
    row: FoundRow,
    file: &str,
    how: String,
    expected: String,
    actual: String,
) -> Check {
    Check::new(
        ids::APPROVAL_CONSUMED,
        Status::Fail,
        c.subject.clone(),
        format!(
            "consumedAt {} is not signed, and the sealed {CONSUMED_ACTION} row on line {} of {file} records wave {} of customer {} {how}",
            c.consumed_at,
            row.line,
            q(&c.wave_id),
            q(&c.customer_id),
        ),
    )
    .values(expected, actual)
}

/// A wave recorded as consumed more than once: a replay, whichever row the claim names.
fn replayed(c: &ConsumptionClaim, rows: &WaveRows, file: &str) -> Check {
    let lines: Vec<String> = rows.lines.iter().flatten().map(ToString::to_string).collect();
    let more = if rows.count > 2 { format!(" and {} more", rows.count - 2) } else { String::new() };
    Check::new(
        ids::APPROVAL_CONSUMED,
        Status::Fail,
        c.subject.clone(),
        format!(
            "wave {} of customer {} was consumed {} times: {CONSUMED_ACTION} rows on lines {}{more} of {file} (compared as identities, SPEC.md §10); an approval is single-use, so this is a replay",
            q(&c.wave_id),
            q(&c.customer_id),
            rows.count,
            lines.join(" and "),
        ),
    )
    .values(
        format!("one {CONSUMED_ACTION} row for the wave"),
        format!("{} rows, on lines {}{more}", rows.count, lines.join(" and ")),
    )
}

/// The findings when no row export was given.
pub(crate) fn without_rows(claims: &[ConsumptionClaim]) -> Vec<Check> {
    claims
        .iter()
        .map(|c| unproven(c, "no row export was given to find the row that records it".into(), "no row export".into()))
        .collect()
}

fn unproven(c: &ConsumptionClaim, why: String, actual: String) -> Check {
    Check::new(
        ids::APPROVAL_CONSUMED,
        Status::Warn,
        c.subject.clone(),
        format!("consumedAt is not signed and {why}: freshness rests on the vendor's unsigned claim"),
    )
    .values(
        format!(
            "a sealed row {{\"action\": \"{CONSUMED_ACTION}\", \"customerId\": {}, \"waveId\": {}, \"ts\": \"{}\"}}",
            q(&c.customer_id),
            q(&c.wave_id),
            c.consumed_at
        ),
        actual,
    )
}
