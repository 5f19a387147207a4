//! One row line: parse it, read its fields, recompute its hash, and check its link and
//! `seq` against the previous row (SPEC.md §8, item 1).

use serde_json::Value;

use super::{PrevRow, RowVerifier};
use crate::canonical::canonical_without;
use crate::fields::FieldReader;
use crate::hash::Hash;
use crate::ids;
use crate::report::{Check, Status};

impl RowVerifier {
    pub(super) fn take_line(&mut self, raw: &[u8]) {
        self.line += 1;
        let line = self.line;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        self.rows += 1;
        if self.rows == 1 {
            self.opens_document = matches!(raw.trim_ascii(), b"[" | b"{");
        }
        // A byte-order mark may open the file, never a later line (SPEC.md §2).
        let parsed = if line > 1 && raw.starts_with("\u{feff}".as_bytes()) {
            Err(crate::error::JsonError::MisplacedByteOrderMark { line })
        } else {
            crate::json::parse(raw)
        };
        let obj = match parsed {
            Ok(Value::Object(o)) => o,
            Ok(other) => {
                self.shape.other += 1;
                self.broken = true;
                let t = crate::json::type_name(&other);
                self.fail(
                    ids::ROWS_PARSE,
                    self.subject(line, None),
                    "a row must be a JSON object".into(),
                    Some(("an object".into(), t.into())),
                );
                return;
            }
            Err(e) => {
                self.broken = true;
                self.fail(
                    ids::ROWS_PARSE,
                    self.subject(line, None),
                    e.to_string(),
                    Some(("strict JSON (SPEC.md §2)".into(), e.to_string())),
                );
                return;
            }
        };
        self.shape.add_object(&obj);
        if let Some(w) = self.consumption.as_mut() {
            w.row(&obj, line, self.rows);
        }
        let base = self.subject(line, None);
        let mut r = FieldReader::new(&obj, &base, ids::ROWS_FIELDS);
        let seq = r.integer("seq");
        let customer = r.string("customerId").map(str::to_string);
        let prev_hash = r.hash("prevHash");
        let this_hash = r.hash("thisHash");
        let field_findings = r.findings;
        for f in field_findings {
            self.fail(ids::ROWS_FIELDS, f.subject, f.message, f.expected.zip(f.actual));
        }
        let computed = match canonical_without(&obj, &["thisHash"]) {
            Ok(bytes) => Some(Hash::sha256(&bytes)),
            Err(e) => {
                self.fail(
                    ids::ROWS_HASH,
                    self.subject(line, None),
                    e.to_string(),
                    Some(("RFC 8785 bytes".into(), e.to_string())),
                );
                None
            }
        };
        if let (Some(claimed), Some(computed)) = (this_hash, computed) {
            self.count(ids::ROWS_HASH);
            if claimed != computed {
                self.fail(
                    ids::ROWS_HASH,
                    self.subject(line, Some("thisHash")),
                    "thisHash is not SHA-256(JCS(row without thisHash)): the row was edited after it was hashed".into(),
                    Some((computed.to_string(), claimed.to_string())),
                );
            }
        }
        match (self.prev, self.broken) {
            (None, false) => {
                if let Some(p) = prev_hash {
                    let c = if p.is_genesis() {
                        Check::new(
                            ids::ROWS_GENESIS,
                            Status::Pass,
                            self.subject(line, Some("prevHash")),
                            "the export starts at genesis",
                        )
                    } else {
                        let mut c = Check::new(
                            ids::ROWS_GENESIS,
                            Status::Note,
                            self.subject(line, Some("prevHash")),
                            format!(
                                "the export starts mid-chain (first seq {}); earlier rows were not supplied",
                                seq.map_or("?".into(), |s| s.to_string())
                            ),
                        );
                        c.actual = Some(p.to_string());
                        c
                    };
                    self.findings.push(c);
                }
            }
            (Some(prev), false) => {
                if let (Some(expected), Some(actual)) = (prev.this_hash, prev_hash) {
                    self.count(ids::ROWS_LINK);
                    if expected != actual {
                        self.fail(
                            ids::ROWS_LINK,
                            self.subject(line, Some("prevHash")),
                            format!("prevHash does not equal the thisHash of the row on line {}: a row was deleted, inserted or reordered", prev.line),
                            Some((expected.to_string(), actual.to_string())),
                        );
                    }
                }
                if let (Some(p), Some(s)) = (prev.seq, seq) {
                    self.count(ids::ROWS_SEQ);
                    if p.checked_add(1) != Some(s) {
                        self.fail(
                            ids::ROWS_SEQ,
                            self.subject(line, Some("seq")),
                            format!("seq must be one more than on line {}", prev.line),
                            Some(((u128::from(p) + 1).to_string(), s.to_string())),
                        );
                    }
                }
            }
            (_, true) => {}
        }
        self.broken = false;
        if let Some(h) = computed {
            self.match_head(h, customer.as_deref(), line);
        }
        self.prev = Some(PrevRow { line, seq, this_hash: this_hash.or(computed) });
    }
}
