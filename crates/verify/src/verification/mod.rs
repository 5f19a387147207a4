//! The engine: parse inputs, run the checks, hand signature jobs to a backend in
//! rounds, and assemble the report.
//!
//! Round 1 verifies each signature under the key its kid selects. Round 2 runs only for
//! failures and for signatures whose kid selects no key: it tries every other supplied
//! key, so the report can say "this verifies under another key", the commonest real
//! mistake. Signatures go through their rounds in windows, a window at a time. A synchronous backend is driven by [`verify`]; an
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
//!
//! Receipt files can also be fed in pieces, in three passes each ([`ReceiptPass`]; the
//! report is the same), with the rounds run between chunks so that only a window of
//! signatures is held:
//!
//! ```
//! # use receipt_verify::{FileRole, ReceiptPass, Verification, RustCryptoBackend, SignatureBackend};
//! let file: &[u8] = b"{\"kid\":\"k\",\"signature\":\"AA\"}\n{\"kid\":\"k\",\"signature\":\"AA\"}\n";
//! let mut v = Verification::start(Vec::new());
//! let passes = [ReceiptPass::Shape, ReceiptPass::Items, ReceiptPass::Chain];
//! // One file; with several, every file's shape and items passes come before any chain pass.
//! for pass in passes {
//!     v.begin_receipt_file("r.jsonl", file.len() as u64, FileRole::Auto, pass)?;
//!     for chunk in file.chunks(7) {
//!         v.push_receipts(chunk);
//!         while !v.is_done() {
//!             let outcomes = RustCryptoBackend.verify_batch(v.keys(), v.pending_jobs());
//!             v.submit(outcomes)?;
//!         }
//!     }
//!     v.end_receipt_file()?;
//! }
//! v.end_receipts()?;
//! let report = v.finish_with(&RustCryptoBackend);
//! assert_eq!(report.verdict(), receipt_verify::Verdict::Failed);
//! # Ok::<(), receipt_verify::Error>(())
//! ```

mod feed;
mod heads;
mod items;
mod rounds;
mod unread;

use crate::approval::WaveApproval;
use crate::checks::approval::QuorumPlan;
use crate::checks::chain::Chain;
use crate::checks::consumed::{self, ConsumptionClaim, ConsumptionWatch};
use crate::checks::{approval as approval_rules, verdict};
use crate::classify::FileRole;
use crate::findings::Findings;
use crate::ids;
use crate::keys::{PublicKey, SkippedKey};
use crate::report::{Check, KeyReport, Report, Status, Subject};
use crate::rows::{HeadBook, RowVerifier};
use crate::signature::{SignatureBackend, SignatureJob, SignatureOutcome};
pub use feed::ReceiptPass;
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

/// What a verification holds at the moment, for tests that bound its memory.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Held {
    /// Signatures registered and not yet resolved (each holds its signed bytes).
    pub signatures: usize,
    /// Their signed bytes and signatures.
    pub signed_bytes: usize,
    /// Findings and signature places waiting for the signatures before them.
    pub queued_findings: usize,
    /// Bytes of the receipt file being fed held (its unfinished line).
    pub buffered_bytes: usize,
    /// Sealed heads held, and the bytes each takes.
    pub heads: usize,
    /// See `heads`.
    pub bytes_per_head: usize,
}

/// A verification in progress. See the module docs for how to drive it.
pub struct Verification {
    keys: Vec<PublicKey>,
    /// Finds a kid's key in `keys` by lookup.
    kids: crate::keys::KidIndex,
    /// Passes aggregated and the rest capped per check id (SPEC.md §12, §15); signature
    /// slots are indices into `sigs`.
    checks: Findings,
    sigs: SignatureRounds,
    /// Shared with the row join once a row export is read (receipts have ended by then).
    heads: std::sync::Arc<heads::Heads>,
    /// The row export being read, and its name.
    rows: Option<(String, RowVerifier)>,
    /// Items found in the receipt files (parsed or not).
    item_count: usize,
    rows_given: bool,
    /// What each approval claims about its consumption (v1.1, `approval.consumed`).
    claims: Vec<ConsumptionClaim>,
    /// Each approval's entries, for quorum once the signatures are verified.
    quorum: Vec<QuorumPlan>,
    /// The receipt files fed so far, the pass being fed, the approvals found (checked
    /// once every receipt is read) and the chain so far.
    files: Vec<feed::FileEntry>,
    feed: Option<feed::Feed>,
    approvals: Vec<WaveApproval>,
    chain: Chain,
    receipts_ended: bool,
    /// `key.skipped` notes given before the receipts ended: they go after them, where a
    /// driver that notes them last puts them (red team 6).
    skipped_notes: Vec<Check>,
    /// Every receipt line goes through the strict parser (tests compare it with the fast
    /// reader, `receipt/fast.rs`).
    strict_reading: bool,
    /// The first receipt file not read in full (a pass short or missing; `input.read`).
    unread: Option<unread::Unread>,
}

impl Verification {
    /// Parse `receipt_files` and run every check that needs no signature: the three
    /// passes of [`Self::begin_receipt_file`] over each file's bytes, then
    /// [`Self::end_receipts`]. Every signature is held until the rounds run.
    pub fn new(keys: Vec<PublicKey>, receipt_files: &[InputFile]) -> Self {
        Self::new_reading(Verification::start(keys), receipt_files)
    }

    /// [`Self::new`] with every receipt line read by the strict parser, none by the fast
    /// receipt reader: the report must be the same (tests and a fuzz target compare them).
    #[doc(hidden)]
    pub fn new_read_strictly(keys: Vec<PublicKey>, receipt_files: &[InputFile]) -> Self {
        let mut v = Verification::start(keys);
        v.strict_reading = true;
        Self::new_reading(v, receipt_files)
    }

    fn new_reading(mut v: Verification, receipt_files: &[InputFile]) -> Self {
        for file in receipt_files {
            let len = file.bytes.len() as u64;
            if file.role == FileRole::Auto {
                v.feed_whole(file, len, ReceiptPass::Shape);
            }
            v.feed_whole(file, len, ReceiptPass::Items);
        }
        for file in receipt_files {
            v.feed_whole(file, file.bytes.len() as u64, ReceiptPass::Chain);
        }
        // Every pass of every file is fed whole here: nothing to refuse.
        let _ = v.end_receipts();
        v
    }

    /// One pass over bytes given whole (the passes come in order, so none is refused).
    fn feed_whole(&mut self, file: &InputFile, len: u64, pass: ReceiptPass) {
        if self.begin_receipt_file(&file.name, len, file.role, pass).is_ok() {
            self.push_receipts(&file.bytes);
            let _ = self.end_receipt_file();
        }
    }

    /// A verification whose receipt files are fed in pieces ([`Self::begin_receipt_file`],
    /// [`Self::push_receipts`], [`Self::end_receipt_file`], then [`Self::end_receipts`]).
    /// JSON Lines files are read a line at a time; a file that is one JSON document or
    /// array is held whole until its end. Signatures are worked through in windows (by
    /// default 4,096 signatures or 8 MiB of signed bytes, [`Self::set_window`]): between
    /// chunks, run the pending rounds ([`Self::pending_jobs`], [`Self::submit`]) until
    /// [`Self::is_done`], and memory stays bounded by a window. What stays per receipt
    /// is its sealed head (56 bytes, each customer id held once); approvals are held whole.
    pub fn start(mut keys: Vec<PublicKey>) -> Self {
        // Revocation and retirement belong to the key, whichever entry names it.
        crate::keys::share_lifetimes(&mut keys);
        Verification {
            kids: crate::keys::KidIndex::new(&keys),
            keys,
            checks: Findings::default(),
            sigs: SignatureRounds::new(),
            heads: std::sync::Arc::default(),
            rows: None,
            item_count: 0,
            rows_given: false,
            claims: Vec::new(),
            quorum: Vec::new(),
            files: Vec::new(),
            feed: None,
            approvals: Vec::new(),
            chain: Chain::default(),
            receipts_ended: false,
            skipped_notes: Vec::new(),
            strict_reading: false,
            unread: None,
        }
    }

    /// Close a window of signatures at `signatures` (at least 1) or `signed_bytes` of
    /// their signed bytes, whichever comes first. The report is the same for any window.
    pub fn set_window(&mut self, signatures: usize, signed_bytes: usize) {
        self.sigs.set_window(signatures, signed_bytes);
    }

    /// Every receipt file is fed: the chain's findings, the approvals' checks, and the
    /// last window of signatures. Called by [`Self::into_report`] if not before; a pass
    /// still being fed is ended first. Refused (here and every time after) when a receipt
    /// file was not read in full: a pass fed fewer or more bytes than announced, or a file
    /// without its items or chain pass. The report then fails `input.read`, so it never
    /// verifies files that were not all checked, whether or not the caller stops here.
    pub fn end_receipts(&mut self) -> Result<(), crate::Error> {
        if !self.receipts_ended {
            self.end_receipts_once();
        }
        self.unread.as_ref().map_or(Ok(()), |u| Err(u.error()))
    }

    fn end_receipts_once(&mut self) {
        if self.feed.is_some() {
            let _ = self.end_receipt_file();
        }
        self.check_every_pass_fed();
        self.receipts_ended = true;
        let chain = std::mem::take(&mut self.chain);
        self.checks.append(chain.finish());
        let approvals = std::mem::take(&mut self.approvals);
        for a in &approvals {
            self.check_approval(a);
        }
        self.checks.extend(approval_rules::replay(&approvals));
        self.claims = approvals.iter().filter_map(ConsumptionClaim::of).collect();
        self.sigs.close_window();
        self.sigs.advance(&self.keys, &mut self.checks);
        self.checks.extend(std::mem::take(&mut self.skipped_notes));
    }

    /// What is held now (signatures and their bytes, queued findings, buffered bytes).
    #[doc(hidden)]
    pub fn held(&self) -> Held {
        let (signatures, signed_bytes) = self.sigs.held();
        Held {
            signatures,
            signed_bytes,
            queued_findings: self.checks.queued(),
            buffered_bytes: self.feed.as_ref().map_or(0, feed::Feed::held_bytes),
            heads: self.heads.len(),
            bytes_per_head: heads::HEAD_BYTES,
        }
    }

    /// Report the keys the key files held but that cannot verify (`key.skipped` notes;
    /// see `keys::parse_key_file`). They follow the receipts' findings whenever they are
    /// given, so a driver that notes them first (the package's `Verification.start`)
    /// reports as one that notes them once the receipts are read (`verify`, the CLI).
    pub fn note_skipped_keys(&mut self, skipped: &[SkippedKey]) {
        let notes = skipped.iter().map(SkippedKey::to_check);
        if self.receipts_ended {
            self.checks.extend(notes);
        } else {
            self.skipped_notes.extend(notes);
        }
    }

    /// Start checking a row export against the receipts' sealed heads.
    pub fn begin_rows(&mut self, name: &str) {
        self.rows_given = true;
        // A file not read in full fails `input.read` in the report.
        let _ = self.end_receipts();
        let mut rows = RowVerifier::with_book(name, Box::new(std::sync::Arc::clone(&self.heads)));
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

    /// Items of the receipt files read so far (parsed or not), for progress (v1.1).
    pub fn items_read(&self) -> usize {
        self.item_count
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
        self.checks.extend(verdict::rows_sealed(file, tally.rows, tally.row_objects, tally.sealed, self.heads.len()));
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

    /// Windows of signatures closed whose rounds have not started (behind the round of
    /// [`Self::pending_jobs`]). Chunks may be pushed while a round is out to a backend (the
    /// round's jobs do not change, and its outcomes are submitted after): a driver that
    /// does so answers rounds until at most one window waits, as one chunk can close several
    /// windows, so that memory stays at a few windows (crates/cli/src/receipts.rs).
    pub fn windows_waiting(&self) -> usize {
        self.sigs.waiting()
    }

    /// Whether every round has been submitted.
    pub fn is_done(&self) -> bool {
        self.sigs.is_done()
    }

    /// Give the outcomes of [`Self::pending_jobs`], one per job, in order. Anything else
    /// is refused with [`crate::Error::Backend`] and changes nothing: a missing or surplus
    /// outcome is the engine's error, not a verdict on a receipt.
    pub fn submit(&mut self, outcomes: Vec<SignatureOutcome>) -> Result<(), crate::Error> {
        self.sigs.submit(&self.keys, outcomes, &mut self.checks)
    }

    /// Run every signature round on a synchronous backend and return the report. A
    /// backend that breaks its contract (not one outcome per job) ends the rounds with an
    /// `engine.backend` failure; the signatures it left unanswered stay failed.
    pub fn finish_with(mut self, backend: &dyn SignatureBackend) -> Report {
        // A file not read in full fails `input.read` in the report.
        let _ = self.end_receipts();
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
        // A file not read in full fails `input.read` in the report.
        let _ = self.end_receipts();
        self.end_rows();
        let mut keys: Vec<KeyReport> = self.keys.iter().map(KeyReport::from_key).collect();
        if !self.rows_given {
            self.checks.extend(consumed::without_rows(&self.claims));
        }
        self.sigs.abandon(&self.keys, &mut self.checks);
        for plan in &self.quorum {
            let sigs = &self.sigs;
            self.checks.push(approval_rules::quorum(plan, &self.keys, |slot| sigs.counts(slot)));
        }
        let (counted, not_counted) = self.sigs.tally();
        self.checks.extend(self.sigs.capped_note());
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
        self.sigs.count_keys(&mut keys);
        let checks = self.checks.finish([verdict::verdict_signature(counted, not_counted)]);
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
