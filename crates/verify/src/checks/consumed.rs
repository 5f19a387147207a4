//! `approval.consumed` (v1.1, SPEC.md §10): `consumedAt` is not signed by any approver,
//! so freshness rests on it only as far as an audit row records the consumption and a
//! batch receipt seals that row.
//!
//! The consumption row is `{"action": "wave.consumed", "customerId", "waveId", "ts"}`
//! with `ts` equal to `consumedAt` (as instants) and `customerId`/`waveId` equal to the
//! approval's as written. The watch sees each row once while the export streams by and
//! keeps, per approval, only the first matching row: memory grows with the approvals,
//! not with the export.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::approval::WaveApproval;
use crate::ids;
use crate::report::{Check, Status, Subject};
use crate::text::q;
use crate::timestamp::Timestamp;

/// The `action` of the audit row that records a wave's consumption.
pub const CONSUMED_ACTION: &str = "wave.consumed";

/// What an approval claims about its consumption.
#[derive(Clone, Debug)]
pub(crate) struct ConsumptionClaim {
    subject: Subject,
    customer_id: String,
    wave_id: String,
    consumed_at: Timestamp,
}

impl ConsumptionClaim {
    /// The claim of an approval with `customerId`, `waveId` and `consumedAt`.
    pub fn of(a: &WaveApproval) -> Option<Self> {
        Some(ConsumptionClaim {
            subject: a.subject.at("consumedAt"),
            customer_id: a.customer_id.clone()?,
            wave_id: a.wave_id.clone()?,
            consumed_at: a.consumed_at?,
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

/// Looks for the consumption rows of some claims in a streamed export.
#[derive(Debug, Default)]
pub(crate) struct ConsumptionWatch {
    /// `(customerId, waveId, ts)` → claims still unmatched.
    wanted: HashMap<(String, String, Timestamp), Vec<usize>>,
    found: Vec<Option<FoundRow>>,
}

impl ConsumptionWatch {
    pub(crate) fn new(claims: &[ConsumptionClaim]) -> Self {
        let mut wanted: HashMap<_, Vec<usize>> = HashMap::new();
        for (i, c) in claims.iter().enumerate() {
            wanted.entry((c.customer_id.clone(), c.wave_id.clone(), c.consumed_at)).or_default().push(i);
        }
        ConsumptionWatch { wanted, found: vec![None; claims.len()] }
    }

    /// Look at one row (`ordinal` counts rows from 1).
    pub(crate) fn row(&mut self, row: &Map<String, Value>, line: usize, ordinal: u64) {
        if self.wanted.is_empty() || row.get("action").and_then(Value::as_str) != Some(CONSUMED_ACTION) {
            return;
        }
        let text = |k: &str| row.get(k).and_then(Value::as_str);
        let (Some(c), Some(w), Some(ts)) = (text("customerId"), text("waveId"), text("ts")) else { return };
        let Ok(ts) = ts.parse::<Timestamp>() else { return };
        // Removed once matched, so repeated rows cost one lookup each.
        let Some(claims) = self.wanted.remove(&(c.to_string(), w.to_string(), ts)) else { return };
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
            .map(|(claim, found)| match found {
                Some(f) if f.ordinal <= sealed_rows => Check::new(
                    ids::APPROVAL_CONSUMED,
                    Status::Pass,
                    claim.subject.clone(),
                    format!(
                        "consumedAt is not signed, but the {CONSUMED_ACTION} row on line {} of {file} records it and a batch receipt seals that row: freshness proven by signature",
                        f.line
                    ),
                ),
                Some(f) => unproven(
                    claim,
                    format!(
                        "the {CONSUMED_ACTION} row on line {} of {file} records it, but no batch receipt given seals that row yet",
                        f.line
                    ),
                    format!("an unsealed row on line {}", f.line),
                ),
                None => unproven(
                    claim,
                    format!("no {CONSUMED_ACTION} row in {file} records it"),
                    "no such row".to_string(),
                ),
            })
            .collect()
    }
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
