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
//!     v.submit(outcomes)?;
//! }
//! let report = v.into_report("rustcrypto");
//! assert_eq!(report.verdict(), receipt_verify::Verdict::Failed);
//! # Ok::<(), receipt_verify::Error>(())
//! ```

mod items;
mod rounds;

use crate::checks::approval::QuorumPlan;
use crate::checks::consumed::{self, ConsumptionClaim, ConsumptionWatch};
use crate::checks::{approval as approval_rules, chain, verdict};
use crate::classify::{is_row_item, misfiled_as_receipts, stray_rows_in_receipts, FileRole, Shape};
use crate::findings::Findings;
use crate::ids;
use crate::input::for_each_item;
use crate::keys::{PublicKey, SkippedKey};
use crate::limits::MAX_RECEIPTS;
use crate::report::{Check, KeyReport, Report, Status, Subject};
use crate::rows::{RowVerifier, SealedHead};
use crate::signature::{SignatureBackend, SignatureJob, SignatureOutcome};
use rounds::SignatureRounds;

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
    /// Passes aggregated and the rest capped per check id (SPEC.md §12, §15); signature
    /// slots are indices into `sigs`.
    checks: Findings,
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
            checks: Findings::default(),
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
            // A row export or key file given as receipts: one finding, not one per item.
            // The shape is counted in a first pass that keeps no item, so a file of
            // millions of small items is never held as values all at once.
            let mut skip_rows = false;
            if file.role == FileRole::Auto {
                let (mut shape, mut count) = (Shape::default(), 0);
                for_each_item(&file.name, &file.bytes, budget, &mut |layout, item| {
                    shape.add(layout, &item);
                    count += 1;
                });
                if let Some(check) = misfiled_as_receipts(&file.name, &shape, count) {
                    v.item_count += count;
                    v.checks.push(check);
                    continue;
                }
                // Rows among receipts (v1.1): one finding, and the rows are not read as receipts.
                if let Some(check) = stray_rows_in_receipts(&file.name, &shape) {
                    skip_rows = true;
                    v.checks.push(check);
                }
            }
            for_each_item(&file.name, &file.bytes, budget, &mut |_, item| {
                v.item_count += 1;
                if skip_rows && is_row_item(&item) {
                    return;
                }
                v.classify(item.subject, item.value, &mut batch, &mut approvals);
            });
        }
        for r in &mut batch {
            v.check_batch_receipt(r);
        }
        chain::check(&batch, &mut v.checks);
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

    /// The receipts' sealed heads, for reading the row export as ranges on other threads
    /// or workers ([`crate::RowRange::new`]); empty before [`Self::begin_rows`].
    pub fn row_head_set(&self) -> std::sync::Arc<std::collections::HashSet<crate::Hash>> {
        self.rows.as_ref().map(|(_, r)| r.head_set()).unwrap_or_default()
    }

    /// Rows of the export read so far, for progress (0 without an export).
    pub fn rows_read(&self) -> u64 {
        self.rows.as_ref().map_or(0, |(_, r)| r.rows_read())
    }

    /// Join the next range of the row export, in file order (instead of
    /// [`Self::push_rows`]): the report is the same as for one stream, however the export
    /// was split, as long as every range but the last ends with `\n`.
    pub fn add_row_range(&mut self, range: crate::RangeSummary) {
        if let Some((_, r)) = self.rows.as_mut() {
            r.add_range(range);
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

    /// Give the outcomes of [`Self::pending_jobs`], one per job, in order. Anything else
    /// is refused with [`crate::Error::Backend`] and changes nothing: a missing or surplus
    /// outcome is the engine's error, not a verdict on a receipt.
    pub fn submit(&mut self, outcomes: Vec<SignatureOutcome>) -> Result<(), crate::Error> {
        self.sigs.submit(&self.keys, outcomes)
    }

    /// Run every signature round on a synchronous backend and return the report. A
    /// backend that breaks its contract (not one outcome per job) ends the rounds with an
    /// `engine.backend` failure; the signatures it left unanswered stay failed.
    pub fn finish_with(mut self, backend: &dyn SignatureBackend) -> Report {
        while !self.is_done() {
            let outcomes = backend.verify_batch(self.keys(), self.pending_jobs());
            if let Err(e) = self.submit(outcomes) {
                self.checks.push(
                    Check::new(ids::ENGINE_BACKEND, Status::Fail, Subject::default(), e.to_string())
                        .values("one outcome per signature job", "a different number"),
                );
                break;
            }
        }
        self.into_report(backend.name())
    }

    /// The report. Signatures whose rounds were never submitted stay failed.
    pub fn into_report(mut self, backend: &str) -> Report {
        self.end_rows();
        let mut keys: Vec<KeyReport> = self.keys.iter().map(KeyReport::from_key).collect();
        if !self.rows_given {
            self.checks.extend(consumed::without_rows(&self.claims));
        }
        let sigs = std::mem::replace(&mut self.sigs, SignatureRounds::new());
        for plan in &self.quorum {
            self.checks.push(approval_rules::quorum(plan, &self.keys, |slot| sigs.counts(slot)));
        }
        let (counted, not_counted) = sigs.tally();
        self.checks.extend(sigs.capped_note());
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
        let mut report = self.checks.assemble();
        sigs.resolve(&self.keys, &mut keys, &mut report);
        let checks = report.finish([verdict::verdict_signature(counted, not_counted)]);
        Report { checks, keys, backend: backend.to_string() }
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
