//! Messages between the page and the verification worker (`web/worker.js`). Requests are
//! a JSON header followed by the files' bytes; responses are JSON text. Both sides are
//! typed here so a change to one shows up in the other's tests.

use serde::{Deserialize, Serialize};

use crate::report::{Inspection, Report};
use crate::verifier::model::Plan;
use crate::verifier::payload::Payload;
use crate::verifier::progress::RowProgress;

/// Every request's wire fields by `type`, for the JS mirror `web/protocol.js`, which the
/// worker reads requests with; `?` marks a field that may be left out. The mirror is
/// generated from these tables and compared with them by the test
/// `the_js_mirror_is_generated_from_these_tables` (`UPDATE_PROTOCOL_JS=1` rewrites it).
pub const REQUEST_FIELDS: &[(&str, &[&str])] = &[
    ("inspect", &["id", "name"]),
    ("verify", &["id", "receipts", "keys", "rows?", "asReceipts?"]),
    ("cancel", &["id"]),
];

/// Every response's wire fields by `type`, as for [`REQUEST_FIELDS`]: the worker builds
/// every message to the page with the mirror, which refuses a field not listed here or a
/// listed one left out. `ranges` and `held` (how many ranges a row export was read in, the
/// most range summaries held at once) are for the tests and the benchmark.
pub const RESPONSE_FIELDS: &[(&str, &[&str])] = &[
    ("ready", &[]),
    ("inspected", &["id", "inspection"]),
    ("progress", &["id", "done", "total", "rows", "receipts", "elapsedMs", "memory"]),
    ("report", &["id", "report", "memory", "ranges?", "held?"]),
    ("cancelled", &["id"]),
    ("error", &["id", "message", "fatal?"]),
];

/// A request to the worker. The bytes of the named files follow the header, in order.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Request {
    /// Say what one file is.
    Inspect {
        /// Echoed in the response.
        id: u32,
        /// The file's name.
        name: String,
    },
    /// Verify receipts (and, optionally, a row export) against keys.
    Verify {
        /// Echoed in every response.
        id: u32,
        /// Receipt file names.
        receipts: Vec<String>,
        /// Key file names.
        keys: Vec<String>,
        /// Row export file name.
        #[serde(skip_serializing_if = "Option::is_none")]
        rows: Option<String>,
        /// Indices into `receipts` the worker passes with `role: "receipts"` (the visitor
        /// chose that role on the file's chip).
        #[serde(rename = "asReceipts", skip_serializing_if = "Vec::is_empty")]
        as_receipts: Vec<usize>,
    },
    /// Stop verify request `id` at the next slice of its row export; the worker answers
    /// [`Response::Cancelled`] and stays up, so cancelling loads nothing again.
    Cancel {
        /// The verify request's id.
        id: u32,
    },
}

impl Request {
    /// The verify request for `plan`, and the bytes that follow its header, in order:
    /// receipts, keys, then the row export. The widget sends exactly this.
    pub fn verify(id: u32, plan: &Plan) -> (Request, Vec<Payload>) {
        let names = |files: &[(String, Payload)]| files.iter().map(|(n, _)| n.clone()).collect();
        let request = Request::Verify {
            id,
            receipts: names(&plan.receipts),
            keys: names(&plan.keys),
            rows: plan.rows.as_ref().map(|(n, _)| n.clone()),
            as_receipts: plan.chosen_receipts.clone(),
        };
        let bytes = plan.receipts.iter().chain(plan.keys.iter()).chain(plan.rows.iter()).map(|(_, b)| b.clone());
        (request, bytes.collect())
    }

    /// The JSON header.
    pub fn header(&self) -> String {
        // Serializing these plain structs cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// A message from the worker.
#[derive(Clone, Debug, PartialEq)]
pub enum Response {
    /// The worker has loaded the WASM and takes requests.
    Ready,
    /// The answer to [`Request::Inspect`].
    Inspected {
        /// The request's id.
        id: u32,
        /// What the file is.
        inspection: Inspection,
    },
    /// Bytes of the row export done so far, and rows, time and memory (v1.1), summed over
    /// the workers.
    Progress {
        /// The request's id.
        id: u32,
        /// Bytes done, rows, elapsed time and each worker's WebAssembly memory.
        progress: RowProgress,
    },
    /// The finished report.
    Report {
        /// The request's id.
        id: u32,
        /// The report, as `receipt verify --json` prints it.
        report: Report,
    },
    /// Verify request `id` stopped after [`Request::Cancel`].
    Cancelled {
        /// The request's id.
        id: u32,
    },
    /// The request failed (e.g. an unusable key file); `message` is the core's text.
    Error {
        /// The request's id (-1 when the header itself was unreadable).
        id: i64,
        /// What went wrong.
        message: String,
        /// The worker's wasm trapped: it must be replaced before the next request.
        fatal: bool,
    },
}

/// The wire form: one flat object with a `type`. Read as a plain struct and then checked,
/// because serde's internally tagged enums buffer every message and cost the page's wasm
/// several KB.
#[derive(Deserialize)]
struct Wire {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    id: Option<i64>,
    #[serde(default)]
    inspection: Option<Inspection>,
    #[serde(default)]
    report: Option<Report>,
    #[serde(default)]
    done: Option<u64>,
    #[serde(default)]
    total: Option<u64>,
    #[serde(default)]
    rows: u64,
    #[serde(default)]
    receipts: u64,
    #[serde(default, rename = "elapsedMs")]
    elapsed_ms: u64,
    #[serde(default)]
    memory: Vec<u64>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    fatal: bool,
}

impl Response {
    /// Read a worker message.
    pub fn parse(text: &str) -> Result<Response, String> {
        let w: Wire = serde_json::from_str(text).map_err(|e| format!("unreadable message from the worker: {e}"))?;
        let id = || w.id.and_then(|id| u32::try_from(id).ok());
        let missing = || format!("incomplete {:?} message from the worker", w.kind);
        Ok(match w.kind.as_str() {
            "ready" => Response::Ready,
            "inspected" => Response::Inspected {
                id: id().ok_or_else(missing)?,
                inspection: w.inspection.clone().ok_or_else(missing)?,
            },
            "progress" => Response::Progress {
                id: id().ok_or_else(missing)?,
                progress: RowProgress {
                    done: w.done.ok_or_else(missing)?,
                    total: w.total.ok_or_else(missing)?,
                    rows: w.rows,
                    receipts: w.receipts,
                    elapsed_ms: w.elapsed_ms,
                    memory: w.memory.clone(),
                },
            },
            "report" => {
                Response::Report { id: id().ok_or_else(missing)?, report: w.report.clone().ok_or_else(missing)? }
            }
            "cancelled" => Response::Cancelled { id: id().ok_or_else(missing)? },
            "error" => Response::Error {
                id: w.id.unwrap_or(-1),
                message: w.message.clone().unwrap_or_default(),
                fatal: w.fatal,
            },
            other => return Err(format!("unknown message {other:?} from the worker")),
        })
    }
}

#[cfg(test)]
#[path = "protocol_mirror.rs"]
mod mirror;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_the_headers_worker_js_reads() {
        let r = Request::Verify {
            id: 3,
            receipts: vec!["a.json".into()],
            keys: vec!["k.pem".into()],
            rows: None,
            as_receipts: vec![],
        };
        assert_eq!(r.header(), r#"{"type":"verify","id":3,"receipts":["a.json"],"keys":["k.pem"]}"#);
        let i = Request::Inspect { id: 1, name: "x".into() };
        assert_eq!(i.header(), r#"{"type":"inspect","id":1,"name":"x"}"#);
        assert_eq!(Request::Cancel { id: 4 }.header(), r#"{"type":"cancel","id":4}"#);
        assert_eq!(Response::parse(r#"{"type":"cancelled","id":4}"#), Ok(Response::Cancelled { id: 4 }));
        assert!(Response::parse(r#"{"type":"cancelled"}"#).is_err());
    }

    #[test]
    fn a_role_chosen_on_a_chip_reaches_the_worker() {
        use crate::report::{Inspection, Role};
        use crate::verifier::model::VerifierModel;
        let mut m = VerifierModel::new(None);
        let inspected = |kind: &str| -> Inspection {
            serde_json::from_value(serde_json::json!({"kind": kind, "label": kind, "count": 1}))
                .unwrap_or_else(|_| Inspection::unreadable(String::new()))
        };
        let chain = m.add("chain.jsonl", b"c".to_vec());
        m.inspected(chain, inspected("receipt-chain"));
        let rows = m.add("rows.jsonl", b"r".to_vec());
        m.inspected(rows, inspected("row-export"));
        let key = m.add("k.pem", b"k".to_vec());
        m.inspected(key, inspected("keys"));
        m.set_role(rows, Some(Role::Receipts));
        let plan = m.plan().expect("a plan");
        let (request, bytes) = Request::verify(7, &plan);
        assert_eq!(
            request.header(),
            r#"{"type":"verify","id":7,"receipts":["chain.jsonl","rows.jsonl"],"keys":["k.pem"],"asReceipts":[1]}"#
        );
        let bytes: Vec<&[u8]> = bytes.iter().map(Payload::bytes).collect();
        assert_eq!(bytes, [b"c".as_slice(), b"r", b"k"]);
    }

    #[test]
    fn responses_parse() {
        assert_eq!(Response::parse(r#"{"type":"ready"}"#).unwrap(), Response::Ready);
        let p = Response::parse(r#"{"type":"progress","id":2,"done":10,"total":20}"#).unwrap();
        let progress = RowProgress { done: 10, total: 20, ..RowProgress::default() };
        assert_eq!(p, Response::Progress { id: 2, progress });
        let full = r#"{"type":"progress","id":2,"done":10,"total":20,"rows":3,"receipts":5,"elapsedMs":40,"memory":[1114112,2162688]}"#;
        let progress = RowProgress {
            done: 10,
            total: 20,
            rows: 3,
            receipts: 5,
            elapsed_ms: 40,
            memory: vec![1_114_112, 2_162_688],
        };
        assert_eq!(Response::parse(full).unwrap(), Response::Progress { id: 2, progress });
        let e = Response::parse(r#"{"type":"error","id":-1,"message":"m"}"#).unwrap();
        assert_eq!(e, Response::Error { id: -1, message: "m".into(), fatal: false });
        let t = Response::parse(r#"{"type":"error","id":4,"message":"unreachable","fatal":true}"#).unwrap();
        assert_eq!(t, Response::Error { id: 4, message: "unreachable".into(), fatal: true });
        assert!(Response::parse("{}").is_err());
        assert!(Response::parse(r#"{"type":"progress","id":2}"#).unwrap_err().contains("incomplete"));
        assert!(Response::parse(r#"{"type":"nope"}"#).unwrap_err().contains("unknown message"));
    }
}
