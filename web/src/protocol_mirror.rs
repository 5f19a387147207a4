//! The JS mirror of the worker protocol (`web/protocol.js`) is generated from the tables
//! in `protocol.rs`, and both tables are held to what the page's code writes and reads.

use super::{Request, Response, REQUEST_FIELDS, RESPONSE_FIELDS};
use serde_json::{json, Map, Value};

/// The text of `web/protocol.js` for the tables as they are.
fn mirror() -> String {
    let table = |rows: &[(&str, &[&str])]| -> String {
        let lines: Vec<String> = rows
            .iter()
            .map(|(kind, fields)| {
                let fields: Vec<String> = fields.iter().map(|f| format!("'{f}'")).collect();
                format!("  {kind}: [{}],", fields.join(", "))
            })
            .collect();
        format!("{{\n{}\n}}", lines.join("\n"))
    };
    format!(
        r#"// GENERATED from the tables in web/src/protocol.rs by its test
// `the_js_mirror_is_generated_from_these_tables` (UPDATE_PROTOCOL_JS=1 rewrites it): do not edit.
// The worker reads every request with `readRequest` and builds every message to the page
// with `message`, so a field that one side adds, renames or drops fails on the other.
// Per type, its fields; `?` marks one that may be left out.
export const REQUESTS = {requests};
export const RESPONSES = {responses};

function checked(table, what, m) {{
  if (!m || typeof m !== 'object' || !Object.hasOwn(table, m.type)) {{
    throw new Error(`unknown ${{what}} type ${{JSON.stringify(m && m.type)}}`);
  }}
  const fields = table[m.type];
  for (const f of fields) {{
    if (!f.endsWith('?') && m[f] === undefined) throw new Error(`${{what}} ${{m.type}} lacks ${{f}}`);
  }}
  const known = new Set(['type', ...fields.map((f) => f.replace('?', ''))]);
  for (const k of Object.keys(m)) {{
    if (!known.has(k)) throw new Error(`${{what}} ${{m.type}} has no field ${{k}}`);
  }}
  return m;
}}

/** The JSON text of a message to the page, refused unless its fields are the table's. */
export function message(type, fields = {{}}) {{
  if (Object.hasOwn(fields, 'type')) throw new Error(`message ${{type}} has no field type`);
  return JSON.stringify(checked(RESPONSES, 'message', {{ type, ...fields }}));
}}

/** A request header from the page, parsed and refused unless its fields are the table's. */
export const readRequest = (header) => checked(REQUESTS, 'request', JSON.parse(header));
"#,
        requests = table(REQUEST_FIELDS),
        responses = table(RESPONSE_FIELDS),
    )
}

fn fields_of(rows: &[(&'static str, &'static [&'static str])], kind: &str) -> &'static [&'static str] {
    rows.iter().find(|(k, _)| *k == kind).map(|(_, f)| *f).unwrap_or_else(|| panic!("{kind} is not in the table"))
}

fn name(field: &str) -> &str {
    field.trim_end_matches('?')
}

#[test]
fn the_js_mirror_is_generated_from_these_tables() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("protocol.js");
    let want = mirror();
    if std::env::var_os("UPDATE_PROTOCOL_JS").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "web/protocol.js is not generated from protocol.rs: run UPDATE_PROTOCOL_JS=1 cargo test -p trust-center"
    );
}

/// Each request the page sends has exactly its table's fields: the required ones always.
#[test]
fn every_request_the_page_sends_has_the_fields_of_its_table() {
    let requests = [
        Request::Inspect { id: 1, name: "a".into() },
        Request::Verify { id: 2, receipts: vec!["r".into()], keys: vec![], rows: None, as_receipts: vec![] },
        Request::Verify {
            id: 3,
            receipts: vec![],
            keys: vec!["k".into()],
            rows: Some("x".into()),
            as_receipts: vec![0],
        },
        Request::Cancel { id: 4 },
    ];
    let mut seen = Vec::new();
    for r in requests {
        let header: Map<String, Value> = serde_json::from_str(&r.header()).unwrap();
        let kind = header["type"].as_str().unwrap().to_string();
        let fields = fields_of(REQUEST_FIELDS, &kind);
        for k in header.keys().filter(|k| *k != "type") {
            assert!(fields.iter().any(|f| name(f) == k), "{kind} sends {k}, which the table lacks");
        }
        for f in fields.iter().filter(|f| !f.ends_with('?')) {
            assert!(header.contains_key(*f), "{kind} lacks the required {f}");
        }
        seen.push(kind);
    }
    seen.dedup();
    assert_eq!(seen.len(), REQUEST_FIELDS.len(), "a request type of the table is never sent: {seen:?}");
}

/// A value for each wire field of a response, as the worker sends it.
fn sample(field: &str) -> Value {
    match field {
        "id" => json!(7),
        "inspection" => json!({"kind": "keys", "label": "1 key", "count": 1}),
        "report" => {
            json!({"verdict": "verified", "summary": {"pass": 1, "fail": 0, "warn": 0, "note": 0}, "checks": []})
        }
        "done" | "total" | "rows" | "receipts" | "elapsedMs" | "ranges" | "held" => json!(3),
        "memory" => json!([65536, 131072]),
        "message" => json!("m"),
        "fatal" => json!(true),
        other => panic!("no sample for {other}: add one"),
    }
}

/// Every response of the table parses when the worker sends all its fields, and a message
/// without a field the page cannot do without is refused: so the table's required fields
/// cover everything the page needs, and `Response::parse` reads every type of the table.
#[test]
fn every_response_of_the_table_parses_and_its_required_fields_are_needed_by_the_page() {
    let mut refused_without = 0;
    for (kind, fields) in RESPONSE_FIELDS {
        let mut full = Map::new();
        full.insert("type".into(), json!(kind));
        for f in *fields {
            full.insert(name(f).into(), sample(name(f)));
        }
        let parsed = Response::parse(&Value::Object(full.clone()).to_string());
        assert!(parsed.is_ok(), "{kind} with every field: {parsed:?}");
        for f in *fields {
            let mut without = full.clone();
            without.remove(name(f));
            if Response::parse(&Value::Object(without).to_string()).is_err() {
                assert!(!f.ends_with('?'), "the page needs {kind}.{f}, but the table lets the worker leave it out");
                refused_without += 1;
            }
        }
    }
    // id of inspected, progress, report, cancelled; inspection; done, total; report.
    assert_eq!(refused_without, 8, "the page needs a different set of fields than before");
}
