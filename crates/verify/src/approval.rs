//! Wave approvals: the typed view of a `"type": "wave-approval"` receipt and the bytes
//! each approver signs (SPEC.md, "Wave approval").

use std::sync::Arc;

use serde_json::{json, Map, Value};

use crate::canonical::canonical_bytes;
use crate::error::{JsonError, ReceiptError};
use crate::fields::FieldReader;
use crate::hash::Hash;
use crate::ids;
use crate::limits::{MAX_APPROVAL_ENTRIES, SIGNED_BYTES_FACTOR, SIGNED_BYTES_SLACK};
use crate::report::{Check, Status, Subject};
use crate::signature::SignedBytes;
use crate::timestamp::Timestamp;

/// The `type` value that marks a wave approval.
pub const WAVE_APPROVAL_TYPE: &str = "wave-approval";
/// Members left out of `wave`.
pub const UNSIGNED_MEMBERS: [&str; 2] = ["approvals", "consumedAt"];

/// One `{approver, kid, signedAt, signature}` entry.
#[derive(Clone, Debug)]
pub struct ApprovalEntry {
    /// Where the entry is (`…/approvals/k`).
    pub subject: Subject,
    /// `approver`.
    pub approver: Option<String>,
    /// `kid`.
    pub kid: Option<String>,
    /// `signedAt`.
    pub signed_at: Option<Timestamp>,
    /// `signature`, decoded.
    pub signature: Option<Vec<u8>>,
    /// `JCS({"wave", "approver", "kid", "signedAt"})`, sharing the wave's bytes with the
    /// other entries of the approval.
    pub message: Result<SignedBytes, JsonError>,
}

/// A wave approval receipt, members parsed where possible.
#[derive(Clone, Debug)]
pub struct WaveApproval {
    /// Where the receipt is.
    pub subject: Subject,
    /// `customerId`.
    pub customer_id: Option<String>,
    /// `waveId`.
    pub wave_id: Option<String>,
    /// `deviceCount`.
    pub device_count: Option<u64>,
    /// `requestedBy`.
    pub requested_by: Option<String>,
    /// `manifestHash`.
    pub manifest_hash: Option<Hash>,
    /// `consumedAt`.
    pub consumed_at: Option<Timestamp>,
    /// `approvals`.
    pub approvals: Vec<ApprovalEntry>,
}

/// `wave`: the receipt without `approvals` and `consumedAt`.
pub fn wave_of(receipt: &Map<String, Value>) -> Value {
    let mut wave = receipt.clone();
    for m in UNSIGNED_MEMBERS {
        wave.remove(m);
    }
    Value::Object(wave)
}

/// The bytes approval `entry` signs: `JCS({"wave": wave, "approver", "kid", "signedAt"})`,
/// with the entry's members copied exactly as written.
pub fn approval_message(wave: &Value, entry: &Map<String, Value>) -> Result<Vec<u8>, JsonError> {
    let member = |k: &str| entry.get(k).cloned().unwrap_or(Value::Null);
    canonical_bytes(&json!({
        "wave": wave,
        "approver": member("approver"),
        "kid": member("kid"),
        "signedAt": member("signedAt"),
    }))
}

/// The messages of one approval's entries: the canonical wave is computed once and
/// shared. JCS orders the members `approver`, `kid`, `signedAt`, `wave` (RFC 8785 §3.2.3:
/// by UTF-16 code units), so entry *k* signs `{"approver":…,"kid":…,"signedAt":…,"wave":`,
/// then the wave's canonical bytes, then `}`.
struct EntryMessages {
    wave: Result<Arc<[u8]>, JsonError>,
    close: Arc<[u8]>,
}

impl EntryMessages {
    fn new(wave: &Value) -> Self {
        EntryMessages { wave: canonical_bytes(wave).map(Arc::from), close: Arc::from(&b"}"[..]) }
    }

    fn of(&self, entry: &Map<String, Value>) -> Result<SignedBytes, JsonError> {
        let wave = self.wave.clone()?;
        let member = |k: &str| entry.get(k).cloned().unwrap_or(Value::Null);
        let mut head = canonical_bytes(&json!({
            "approver": member("approver"),
            "kid": member("kid"),
            "signedAt": member("signedAt"),
        }))?;
        // `{…}` → `{…,"wave":`: the three members stay first, as JCS orders them.
        if head.pop() != Some(b'}') {
            return Err(JsonError::Canonicalize("canonical object does not end with }".into()));
        }
        head.extend_from_slice(b",\"wave\":");
        Ok(SignedBytes::from_parts([Arc::from(head), wave, Arc::clone(&self.close)]))
    }
}

impl EntryMessages {
    /// Hashing cost: every entry hashes the whole wave, so `n` entries under a wave of
    /// `W` bytes cost `n × W`, quadratic in the approval's size. The entries may sign at
    /// most `SIGNED_BYTES_FACTOR ×` the bytes they are made of (the wave once, plus each
    /// entry's own members) `+ SIGNED_BYTES_SLACK`; above that no entry's signature is
    /// checked, and `approval.fields` fails saying why (SPEC.md §15).
    fn over_budget(&self, entries: &mut [ApprovalEntry], subject: &Subject) -> Option<Check> {
        let wave = self.wave.as_ref().map_or(0, |w| w.len());
        let signed: usize = entries.iter().filter_map(|e| e.message.as_ref().ok()).map(SignedBytes::len).sum();
        let own: usize = entries
            .iter()
            .filter_map(|e| e.message.as_ref().ok())
            .map(|m| m.len().saturating_sub(wave))
            .sum::<usize>()
            .saturating_add(wave);
        let budget = own.saturating_mul(SIGNED_BYTES_FACTOR).saturating_add(SIGNED_BYTES_SLACK);
        if signed <= budget {
            return None;
        }
        for e in entries.iter_mut() {
            e.message = Err(JsonError::Canonicalize("not computed: the approval's entries sign too many bytes".into()));
        }
        Some(
            Check::new(
                ids::APPROVAL_FIELDS,
                Status::Fail,
                subject.at("approvals"),
                format!(
                    "{} entries each sign the whole wave of {wave} canonical bytes, {signed} bytes in all: more than {SIGNED_BYTES_FACTOR} × the {own} bytes they are made of + {SIGNED_BYTES_SLACK} (SIGNED_BYTES_FACTOR, SPEC.md §15), so no entry's signature is checked",
                    entries.len()
                ),
            )
            .values(format!("at most {budget} signed bytes"), format!("{signed} signed bytes")),
        )
    }
}

/// The signed bytes of approval `index` of a wave approval value (for `receipt manifest`).
pub fn approval_message_of(value: &Value, index: usize) -> Result<Vec<u8>, crate::Error> {
    let Value::Object(obj) = value else {
        return Err(ReceiptError::NotAnObject { found: crate::json::type_name(value) }.into());
    };
    if obj.get("type").and_then(Value::as_str) != Some(WAVE_APPROVAL_TYPE) {
        return Err(ReceiptError::NotAnApproval.into());
    }
    let list = obj.get("approvals").and_then(Value::as_array);
    let count = list.map_or(0, Vec::len);
    match list.and_then(|l| l.get(index)) {
        Some(Value::Object(entry)) => Ok(approval_message(&wave_of(obj), entry)?),
        _ => Err(ReceiptError::NoSuchApproval { index, count }.into()),
    }
}

impl WaveApproval {
    /// Read an approval receipt; returns it and its `approval.fields` findings.
    pub fn parse(obj: &Map<String, Value>, subject: Subject) -> (Self, Vec<Check>) {
        let mut r = FieldReader::new(obj, &subject, ids::APPROVAL_FIELDS);
        let mut approval = WaveApproval {
            customer_id: r.string("customerId").map(str::to_string),
            wave_id: r.string("waveId").map(str::to_string),
            device_count: r.integer("deviceCount"),
            requested_by: r.string("requestedBy").map(str::to_string),
            manifest_hash: r.hash("manifestHash"),
            consumed_at: r.time("consumedAt"),
            approvals: Vec::new(),
            subject: subject.clone(),
        };
        let mut findings = r.findings;
        let messages = EntryMessages::new(&wave_of(obj));
        match obj.get("approvals") {
            // Bounded: every entry costs a canonical message and a signature job.
            Some(Value::Array(list)) if list.len() > MAX_APPROVAL_ENTRIES => findings.push(
                Check::new(
                    ids::APPROVAL_FIELDS,
                    Status::Fail,
                    subject.at("approvals"),
                    format!("too many approval entries; at most {MAX_APPROVAL_ENTRIES} are read (MAX_APPROVAL_ENTRIES, SPEC.md §15)"),
                )
                .values(format!("at most {MAX_APPROVAL_ENTRIES} entries"), format!("{} entries", list.len())),
            ),
            Some(Value::Array(list)) => {
                for (k, entry) in list.iter().enumerate() {
                    let at = subject.at("approvals").at(&k.to_string());
                    let Value::Object(e) = entry else {
                        findings.push(
                            Check::new(ids::APPROVAL_FIELDS, Status::Fail, at, "approval entry must be an object")
                                .values("{approver, kid, signedAt, signature}", crate::json::type_name(entry)),
                        );
                        continue;
                    };
                    let mut er = FieldReader::new(e, &at, ids::APPROVAL_FIELDS);
                    let entry = ApprovalEntry {
                        approver: er.string("approver").map(str::to_string),
                        kid: er.string("kid").map(str::to_string),
                        signed_at: er.time("signedAt"),
                        signature: er.signature("signature"),
                        message: messages.of(e),
                        subject: at.clone(),
                    };
                    findings.extend(er.findings);
                    approval.approvals.push(entry);
                }
                findings.extend(messages.over_budget(&mut approval.approvals, &subject));
            }
            other => findings.push(
                Check::new(
                    ids::APPROVAL_FIELDS,
                    Status::Fail,
                    subject.at("approvals"),
                    "\"approvals\" must be a list of {approver, kid, signedAt, signature}",
                )
                .values("an array", other.map_or("missing", crate::json::type_name)),
            ),
        }
        (approval, findings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// The shared-wave message of every entry is byte for byte the one JCS writes for the
    /// whole object, including missing members (null) and non-ASCII values.
    #[test]
    fn entry_messages_equal_the_canonical_object() {
        let text = r#"{"type":"wave-approval","waveId":"w\u00e9","z":[1,{"b":2,"a":"\ud83d\ude00"}],"approvals":[
            {"approver":"alice","kid":"k1","signedAt":"2026-03-02T08:00:00Z","signature":"AA"},
            {"kid":"k2","signature":"AA"},
            {"approver":"ж\u0000","kid":{"x":1},"signedAt":1.5,"extra":true}],"consumedAt":"x"}"#;
        let value = crate::json::parse(text.as_bytes()).unwrap();
        let obj = value.as_object().unwrap();
        let (a, _) = WaveApproval::parse(obj, Subject::default());
        let wave = wave_of(obj);
        let entries = obj["approvals"].as_array().unwrap();
        assert_eq!(a.approvals.len(), 3);
        let mut shared = std::collections::HashSet::new();
        for (e, raw) in a.approvals.iter().zip(entries) {
            let m = e.message.as_ref().unwrap();
            assert_eq!(m.to_vec(), approval_message(&wave, raw.as_object().unwrap()).unwrap());
            shared.insert(m.parts().nth(1).unwrap().as_ptr());
        }
        assert_eq!(shared.len(), 1, "one copy of the wave");
    }

    fn approval_with(pad: usize, entries: usize) -> (WaveApproval, Vec<Check>) {
        let entry = r#"{"approver":"alice","kid":"k1","signedAt":"2026-03-02T08:00:00Z","signature":"AA"}"#;
        let list = vec![entry; entries].join(",");
        let text =
            format!(r#"{{"type":"wave-approval","waveId":"w","pad":"{}","approvals":[{list}]}}"#, "A".repeat(pad));
        let value = crate::json::parse(text.as_bytes()).unwrap();
        WaveApproval::parse(value.as_object().unwrap(), Subject::default())
    }

    /// Many entries under a huge wave would hash entries × wave bytes: refused, with no
    /// message computed; honest sizes are untouched.
    #[test]
    fn signed_bytes_are_bounded_by_the_approval_size() {
        let (a, findings) = approval_with(200_000, 200);
        assert!(a.approvals.iter().all(|e| e.message.is_err()));
        let f = findings.iter().find(|c| c.message.contains("sign the whole wave")).unwrap();
        assert!(f.message.contains("SIGNED_BYTES_FACTOR"), "{}", f.message);
        for (pad, entries) in [(300, 3), (200_000, 5), (10_000, 100), (1_000, 1_000)] {
            let (a, findings) = approval_with(pad, entries);
            assert!(!findings.iter().any(|c| c.message.contains("sign the whole wave")), "{pad} × {entries}");
            assert!(a.approvals.iter().all(|e| e.message.is_ok()));
        }
    }
}
