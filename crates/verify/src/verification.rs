//! The engine: parse inputs, run the checks, hand signature jobs to a backend in
//! rounds, and assemble the report.
//!
//! Round 1 verifies each signature under the key its kid selects (and, when no key fits
//! the kid, probes every supplied key). Round 2 runs only for failures: it tries every
//! other supplied key, so the report can say "this verifies under another key", the
//! commonest real mistake. A synchronous backend is driven by [`verify`]; an
//! asynchronous one (WebCrypto) drives [`Verification`] itself:
//!
//! ```
//! # use receipt_verify::{Verification, RustCryptoBackend, SignatureBackend, InputFile};
//! let mut v = Verification::new(Vec::new(), &[InputFile::new("r.json", b"{}".to_vec())]);
//! while !v.is_done() {
//!     let outcomes = RustCryptoBackend.verify_batch(v.keys(), v.pending_jobs());
//!     v.submit(outcomes);
//! }
//! let report = v.into_report("rustcrypto");
//! assert_eq!(report.verdict(), receipt_verify::Verdict::Failed);
//! ```

use serde_json::Value;

use crate::approval::{WaveApproval, WAVE_APPROVAL_TYPE};
use crate::checks::approval::QuorumPlan;
use crate::checks::consumed::{self, ConsumptionClaim, ConsumptionWatch};
use crate::checks::{approval as approval_rules, chain, key_use, verdict, worm};
use crate::classify::{misfiled_as_receipts, FileRole};
use crate::ids;
use crate::input::split_capped;
use crate::keys::{Approver, KeyRole, PublicKey, SkippedKey};
use crate::limits::MAX_RECEIPTS;
use crate::receipt::BatchReceipt;
use crate::report::{Check, KeyReport, Report, Status, Subject};
use crate::rows::{RowVerifier, SealedHead};
use crate::signature::{Alg, SignatureBackend, SignatureJob, SignatureOutcome};
use crate::signature_rounds::SignatureRounds;

/// A named input file.
#[derive(Clone, Debug)]
pub struct InputFile {
    /// The name the report uses.
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// How to read it; by default, by its shape.
    pub role: FileRole,
}

impl InputFile {
    /// Name some bytes.
    pub fn new(name: impl Into<String>, bytes: Vec<u8>) -> Self {
        InputFile { name: name.into(), bytes, role: FileRole::Auto }
    }

    /// Read the file in this role, whatever its shape.
    #[must_use]
    pub fn with_role(mut self, role: FileRole) -> Self {
        self.role = role;
        self
    }
}

/// A verification in progress. See the module docs for how to drive it.
pub struct Verification {
    keys: Vec<PublicKey>,
    checks: Vec<Check>,
    sigs: SignatureRounds,
    heads: Vec<SealedHead>,
    /// The row export being read, and its name.
    rows: Option<(String, RowVerifier)>,
    /// Items found in the receipt files (parsed or not).
    item_count: usize,
    rows_given: bool,
    /// What each approval claims about its consumption (v1.1, `approval.consumed`).
    claims: Vec<ConsumptionClaim>,
    /// Each approval's entries, for quorum once the signatures are verified.
    quorum: Vec<QuorumPlan>,
}

impl Verification {
    /// Parse `receipt_files` and run every check that needs no signature.
    pub fn new(mut keys: Vec<PublicKey>, receipt_files: &[InputFile]) -> Self {
        // Revocation and retirement belong to the key, whichever entry names it.
        crate::keys::share_lifetimes(&mut keys);
        let mut v = Verification {
            keys,
            checks: Vec::new(),
            sigs: SignatureRounds::new(),
            heads: Vec::new(),
            rows: None,
            item_count: 0,
            rows_given: false,
            claims: Vec::new(),
            quorum: Vec::new(),
        };
        let mut batch = Vec::new();
        let mut approvals = Vec::new();
        for file in receipt_files {
            let budget = MAX_RECEIPTS.saturating_sub(v.item_count);
            let (layout, items) = split_capped(&file.name, &file.bytes, budget);
            // A row export or key file given as receipts: one finding, not one per item.
            let misfiled = (file.role == FileRole::Auto).then(|| misfiled_as_receipts(&file.name, layout, &items));
            if let Some(check) = misfiled.flatten() {
                v.item_count += items.len();
                v.checks.push(check);
                continue;
            }
            for item in items {
                v.item_count += 1;
                v.classify(item.subject, item.value, &mut batch, &mut approvals);
            }
        }
        for r in &batch {
            v.check_batch_receipt(r);
        }
        v.checks.extend(chain::check(&batch));
        for a in &approvals {
            v.check_approval(a);
        }
        v.checks.extend(approval_rules::replay(&approvals));
        v.claims = approvals.iter().filter_map(ConsumptionClaim::of).collect();
        v.heads = batch
            .iter()
            .filter_map(|r| {
                Some(SealedHead {
                    hash: r.batch_head?,
                    customer_id: r.customer_id.clone(),
                    subject: r.subject.at("batchHead"),
                })
            })
            .collect();
        v.sigs.start(&v.keys);
        v
    }

    /// Report the keys the key files held but that cannot verify (`key.skipped` notes;
    /// see `keys::parse_key_file`).
    pub fn note_skipped_keys(&mut self, skipped: &[SkippedKey]) {
        self.checks.extend(skipped.iter().map(SkippedKey::to_check));
    }

    /// Start checking a row export against the receipts' sealed heads.
    pub fn begin_rows(&mut self, name: &str) {
        self.rows_given = true;
        let mut rows = RowVerifier::new(name, self.heads.clone());
        if !self.claims.is_empty() {
            rows.watch_consumption(ConsumptionWatch::new(&self.claims));
        }
        self.rows = Some((name.to_string(), rows));
    }

    /// Feed the next bytes of the row export (any chunking).
    pub fn push_rows(&mut self, chunk: &[u8]) {
        if let Some((_, r)) = self.rows.as_mut() {
            r.push(chunk);
        }
    }

    /// Finish the row export.
    pub fn end_rows(&mut self) {
        let Some((name, r)) = self.rows.take() else { return };
        let (findings, tally) = r.finish_with_tally();
        self.checks.extend(findings);
        let file = Subject { file: Some(name.clone()), ..Subject::default() };
        self.checks.extend(verdict::rows_sealed(file, tally.rows, tally.sealed, self.heads.len()));
        if let Some(watch) = tally.consumption {
            self.checks.extend(watch.findings(&self.claims, &name, tally.sealed));
        }
    }

    /// The keys jobs refer to (by index).
    pub fn keys(&self) -> &[PublicKey] {
        &self.keys
    }

    /// The signature jobs of the current round; empty once done.
    pub fn pending_jobs(&self) -> &[SignatureJob] {
        self.sigs.pending()
    }

    /// Whether every round has been submitted.
    pub fn is_done(&self) -> bool {
        self.sigs.is_done()
    }

    /// Give the outcomes of [`Self::pending_jobs`], in order. A missing outcome counts
    /// as a failure.
    pub fn submit(&mut self, outcomes: Vec<SignatureOutcome>) {
        self.sigs.submit(&self.keys, outcomes);
    }

    /// Run every signature round on a synchronous backend and return the report.
    pub fn finish_with(mut self, backend: &dyn SignatureBackend) -> Report {
        while !self.is_done() {
            let outcomes = backend.verify_batch(self.keys(), self.pending_jobs());
            self.submit(outcomes);
        }
        self.into_report(backend.name())
    }

    /// The report. Signatures whose rounds were never submitted stay failed.
    pub fn into_report(mut self, backend: &'static str) -> Report {
        self.end_rows();
        let mut keys: Vec<KeyReport> = self.keys.iter().map(KeyReport::from_key).collect();
        if !self.rows_given {
            self.checks.extend(consumed::without_rows(&self.claims));
        }
        let sigs = std::mem::replace(&mut self.sigs, SignatureRounds::new());
        for plan in &self.quorum {
            self.checks.push(approval_rules::quorum(plan, &self.keys, |slot| sigs.verified_by(slot).is_some()));
        }
        sigs.resolve(&self.keys, &mut self.checks, &mut keys);
        if self.item_count == 0 && !self.rows_given {
            self.checks.push(
                Check::new(
                    ids::INPUT_EMPTY,
                    Status::Fail,
                    Subject::default(),
                    "nothing to verify: no receipts were given",
                )
                .values("at least one receipt", "none"),
            );
        }
        self.checks.push(verdict::verdict_signature(&self.checks));
        Report { checks: self.checks, keys, backend }
    }

    fn classify(
        &mut self,
        subject: Subject,
        value: Result<Value, crate::error::JsonError>,
        batch: &mut Vec<BatchReceipt>,
        approvals: &mut Vec<WaveApproval>,
    ) {
        let value = match value {
            Ok(v) => v,
            Err(e) => {
                self.checks.push(
                    Check::new(ids::INPUT_PARSE, Status::Fail, subject, e.to_string())
                        .values("strict JSON (SPEC.md §2)", e),
                );
                return;
            }
        };
        let Value::Object(obj) = value else {
            self.checks.push(
                Check::new(ids::INPUT_KIND, Status::Fail, subject, "expected a receipt (a JSON object)")
                    .values("an object", crate::json::type_name(&value)),
            );
            return;
        };
        match obj.get("type") {
            None => {}
            Some(Value::String(t)) if t == WAVE_APPROVAL_TYPE => {
                let (a, findings) = WaveApproval::parse(&obj, subject);
                self.checks.extend(findings);
                approvals.push(a);
                return;
            }
            Some(Value::String(t)) if t == "batch" => {}
            Some(other) => {
                self.checks.push(
                    Check::new(ids::INPUT_KIND, Status::Fail, subject.at("type"), "unknown receipt type")
                        .values("absent, \"batch\" or \"wave-approval\"", crate::fields::describe(other)),
                );
                return;
            }
        }
        let (r, findings) = BatchReceipt::parse(&obj, subject);
        self.checks.extend(findings);
        batch.push(r);
    }

    fn check_batch_receipt(&mut self, r: &BatchReceipt) {
        if let Some(claimed) = r.this_hash {
            match &r.manifest {
                Ok(m) => {
                    let computed = crate::hash::Hash::sha256(m);
                    let at = r.subject.at("thisHash");
                    self.checks.push(if computed == claimed {
                        Check::new(ids::RECEIPT_HASH, Status::Pass, at, "thisHash is SHA-256 of the manifest (receipt without thisHash and signature)")
                    } else {
                        Check::new(ids::RECEIPT_HASH, Status::Fail, at, "thisHash is not SHA-256 of the manifest: a signed field was changed, added or removed, or thisHash was edited")
                            .values(computed, claimed)
                    });
                }
                Err(e) => self.checks.push(
                    Check::new(ids::RECEIPT_HASH, Status::Fail, r.subject.clone(), e.to_string())
                        .values("RFC 8785 bytes", e),
                ),
            }
        }
        if let Some(kid) = &r.kid {
            let mut unknown_alg = false;
            let (kid_at, signed_at) = (r.subject.at("kid"), r.subject.at("signedAt"));
            let choice = key_use::choose(&self.keys, kid, KeyRole::Batch, r.signed_at, &kid_at, &signed_at);
            self.checks.extend(choice.findings);
            let alg = match choice.key.and_then(|k| self.keys.get(k)) {
                Some(key) => {
                    let (alg, check) = key_use::resolve_alg(key, r.alg.as_ref(), &r.subject.at("alg"));
                    self.checks.push(check);
                    alg
                }
                // No key: still refuse an alg we do not know (it must never fall back to
                // RS256), else probe the other keys with the receipt's alg.
                None => match r.alg.as_ref() {
                    None => None,
                    Some(raw) => match raw.as_str().and_then(|s| s.parse::<Alg>().ok()) {
                        Some(alg) => Some(alg),
                        None => {
                            self.checks.push(
                                Check::new(ids::RECEIPT_ALG, Status::Fail, r.subject.at("alg"), "unsupported alg")
                                    .values("RS256, PS256 or ES256", crate::fields::describe(raw)),
                            );
                            unknown_alg = true;
                            None
                        }
                    },
                },
            };
            if let (Some(sig), Ok(m)) = (&r.signature, &r.manifest) {
                let id = if choice.key.is_some() { ids::RECEIPT_SIGNATURE } else { ids::KEY_SELECT };
                if (choice.key.is_none() && !unknown_alg) || alg.is_some() {
                    self.add_slot(id, r.subject.at("signature"), choice.key, alg, m, sig);
                }
            }
        }
        self.checks.extend(worm::check(r));
    }

    fn check_approval(&mut self, a: &WaveApproval) {
        // Per entry: the key it selected, if any.
        let mut selected: Vec<Option<usize>> = Vec::with_capacity(a.approvals.len());
        let mut plan = QuorumPlan { subject: a.subject.clone(), device_count: 0, entries: Vec::new() };
        for e in &a.approvals {
            let Some(kid) = &e.kid else {
                selected.push(None);
                continue;
            };
            let (kid_at, signed_at) = (e.subject.at("kid"), e.subject.at("signedAt"));
            let choice = key_use::choose(&self.keys, kid, KeyRole::Approval, e.signed_at, &kid_at, &signed_at);
            self.checks.extend(choice.findings);
            let alg =
                choice.key.and_then(|k| self.keys.get(k)).map(|k| k.alg.unwrap_or_else(|| k.material.default_alg()));
            if let (Some(sig), Ok(m)) = (&e.signature, &e.message) {
                let id = if choice.key.is_some() { ids::APPROVAL_SIGNATURE } else { ids::KEY_SELECT };
                let slot = self.add_slot(id, e.subject.at("signature"), choice.key, alg, m, sig);
                if let Some(key) = choice.key {
                    plan.entries.push((slot, key, e.approver.clone()));
                }
            }
            selected.push(choice.key);
        }
        // Per entry: `None` when it selected no key, else the key's bound identity.
        let bound: Vec<Option<Option<&Approver>>> =
            selected.iter().map(|k| k.map(|k| self.keys.get(k).and_then(|key| key.approver.as_ref()))).collect();
        self.checks.extend(approval_rules::check(a, &bound));
        if let Some(count) = a.device_count {
            plan.device_count = count;
            self.quorum.push(plan);
        }
    }

    /// Reserve a placeholder finding for a signature. Until resolved it reads as failed,
    /// so a report taken without running a backend never passes a signature.
    fn add_slot(
        &mut self,
        id: &'static str,
        subject: Subject,
        named: Option<usize>,
        alg: Option<Alg>,
        message: &[u8],
        signature: &[u8],
    ) -> usize {
        // For key.select the failure is already reported: the slot only looks for a key
        // that would have verified the signature, and changes nothing when there is none.
        let existing = (id == ids::KEY_SELECT)
            .then(|| self.checks.iter().rposition(|c| c.id == ids::KEY_SELECT && c.status == Status::Fail))
            .flatten();
        let check = match existing {
            Some(index) => index,
            None => {
                self.checks.push(
                    Check::new(id, Status::Fail, subject, "signature was not verified: no signature backend ran")
                        .values("a verified signature", "not verified"),
                );
                self.checks.len() - 1
            }
        };
        self.sigs.add(check, id, named, alg, message, signature)
    }
}

/// Verify receipts (and optionally a row export) with a synchronous backend.
pub fn verify(
    keys: Vec<PublicKey>,
    receipt_files: &[InputFile],
    rows: Option<&InputFile>,
    backend: &dyn SignatureBackend,
) -> Report {
    let mut v = Verification::new(keys, receipt_files);
    if let Some(rows) = rows {
        v.begin_rows(&rows.name);
        v.push_rows(&rows.bytes);
        v.end_rows();
    }
    v.finish_with(backend)
}
