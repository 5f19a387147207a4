//! Receipt files fed in pieces (SPEC.md §15, "Receipt streaming", v1.1).
//!
//! A receipt file is read in three passes, each of its bytes in order, in chunks of any
//! size; the report is the same as for [`Verification::new`] given the files whole:
//!
//! 1. **Shape** ([`ReceiptPass::Shape`]): counts the file's items by kind, to refuse a
//!    row export or key file given as receipts and to skip rows among receipts. Only for
//!    [`FileRole::Auto`]; a file read as [`FileRole::Receipts`] starts at pass 2.
//! 2. **Items** ([`ReceiptPass::Items`]): reads each item: parse failures, receipt
//!    fields, approvals (kept whole: they are few and quorum needs them at the end).
//! 3. **Chain** ([`ReceiptPass::Chain`]), once passes 1 and 2 are done for every file,
//!    in the same file order: each batch receipt's hash, key and signature checks, the
//!    chain and its sealed heads. Signatures are worked through in windows; between
//!    chunks the driver runs the pending rounds ([`Verification::pending_jobs`]).
//!
//! Then [`Verification::end_receipts`]. The passes are what keeps the report's order
//! (every item's parse findings before any receipt's own checks, as for whole files)
//! without holding the receipts: a file on disk is simply read three times.

use super::unread::{Unread, What};
use super::Verification;
use crate::classify::{is_row_item, misfiled_as_receipts, stray_rows_in_receipts, FileRole, Shape};
use crate::input::stream::{ItemStream, Read};
use crate::input::{Item, Layout};
use crate::limits::MAX_RECEIPTS;
use crate::receipt::fast::Need;
use crate::receipt::BatchReceipt;
use crate::Error;
use serde_json::Value;

/// Which reading of a receipt file is fed (see [`Verification::begin_receipt_file`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReceiptPass {
    /// 1: the file's shape (only for [`FileRole::Auto`]).
    Shape,
    /// 2: its items.
    Items,
    /// 3: its batch receipts, chain and signatures.
    Chain,
}

impl ReceiptPass {
    /// "shape", "items" or "chain", as the package names it.
    pub fn name(self) -> &'static str {
        match self {
            ReceiptPass::Shape => "shape",
            ReceiptPass::Items => "items",
            ReceiptPass::Chain => "chain",
        }
    }
}

/// A receipt file as the passes left it.
pub(super) struct FileEntry {
    pub(super) name: String,
    len: u64,
    role: FileRole,
    /// How many items may be read (what `MAX_RECEIPTS` leaves after the earlier files).
    budget: usize,
    /// Refused as a whole (a row export or key file): not read further.
    refused: bool,
    /// Rows among receipts: not read as receipts.
    skip_rows: bool,
    pub(super) passes_done: Vec<ReceiptPass>,
    /// Items its first pass read: every later pass must read as many (`input.read`).
    items: Option<usize>,
    /// The file is one JSON document that did not parse: what its first pass read, given
    /// again to its later passes instead of parsing it again (red team 17: a 64 MiB object
    /// refused at its value budget was parsed up to it three times, 18 s).
    unparsed: Option<Item>,
}

/// The pass being fed.
pub(super) struct Feed {
    file: usize,
    pass: ReceiptPass,
    stream: ItemStream,
    fed: u64,
    shape: Shape,
    count: usize,
    /// The file's one document, when it did not parse (see [`FileEntry::unparsed`]).
    unparsed: Option<Item>,
}

impl Feed {
    pub(super) fn held_bytes(&self) -> usize {
        self.stream.held_bytes()
    }
}

fn order(problem: &'static str) -> Error {
    Error::FeedOrder { problem }
}

impl Verification {
    /// Start feeding pass `pass` of receipt file `name` of `len` bytes (its length before
    /// any byte is fed: value budgets are the whole file's). Refused when out of order
    /// (see the module docs) or while another pass is being fed.
    pub fn begin_receipt_file(&mut self, name: &str, len: u64, role: FileRole, pass: ReceiptPass) -> Result<(), Error> {
        if self.feed.is_some() {
            return Err(order("a pass is being fed already; end it first"));
        }
        if self.receipts_ended {
            return Err(order("the receipts were ended already"));
        }
        let chain_started = self.files.iter().any(|f| f.passes_done.contains(&ReceiptPass::Chain));
        let file = match pass {
            ReceiptPass::Shape | ReceiptPass::Items if chain_started => {
                return Err(order("every file's shape and items passes come before any chain pass"));
            }
            ReceiptPass::Shape if role != FileRole::Auto => {
                return Err(order("only a file read by its shape has a shape pass"));
            }
            ReceiptPass::Items
                if self.files.last().is_some_and(|f| {
                    f.passes_done == [ReceiptPass::Shape] && f.name == name && f.len == len && f.role == role
                }) =>
            {
                self.files.len() - 1
            }
            ReceiptPass::Items if role == FileRole::Auto => {
                return Err(order("a file read by its shape needs its shape pass first"));
            }
            _ if self.files.last().is_some_and(|f| f.passes_done == [ReceiptPass::Shape])
                && pass != ReceiptPass::Chain =>
            {
                return Err(order("the file before needs its items pass first"));
            }
            ReceiptPass::Shape | ReceiptPass::Items => {
                let budget = MAX_RECEIPTS.saturating_sub(self.item_count);
                let passes_done = Vec::new();
                let (name, refused, skip_rows) = (name.to_string(), false, false);
                let (items, unparsed) = (None, None);
                self.files.push(FileEntry {
                    name,
                    len,
                    role,
                    budget,
                    refused,
                    skip_rows,
                    passes_done,
                    items,
                    unparsed,
                });
                self.files.len() - 1
            }
            ReceiptPass::Chain => {
                let next = self.files.iter().position(|f| !f.passes_done.contains(&ReceiptPass::Chain));
                match next.and_then(|i| self.files.get(i).map(|f| (i, f))) {
                    Some((i, f)) if f.name == name && f.len == len && f.passes_done.contains(&ReceiptPass::Items) => i,
                    _ => return Err(order("chain passes follow the files' order, after their items passes")),
                }
            }
        };
        let budget = self.files.get(file).map_or(0, |f| f.budget);
        let len_bytes = usize::try_from(len).unwrap_or(usize::MAX);
        if pass == ReceiptPass::Chain {
            // Not shared before the receipts end (`begin_rows` ends them first).
            if let Some(heads) = std::sync::Arc::get_mut(&mut self.heads) {
                heads.file(name);
            }
        }
        let fast = match pass {
            _ if self.strict_reading => None,
            ReceiptPass::Shape => Some(Need::Shape),
            ReceiptPass::Items => Some(Need::Fields),
            ReceiptPass::Chain => Some(Need::Manifest),
        };
        self.feed = Some(Feed {
            file,
            pass,
            stream: ItemStream::new(name, len_bytes, budget).with_fast_receipts(fast),
            fed: 0,
            shape: Shape::default(),
            count: 0,
            unparsed: None,
        });
        Ok(())
    }

    /// The next bytes of the pass begun (any chunking; ignored when no pass is begun).
    /// Windows of signatures whose rounds can start make their jobs pending: run them
    /// ([`Verification::pending_jobs`], [`Verification::submit`]) until
    /// [`Verification::is_done`] before the next chunk, to keep memory to a window.
    pub fn push_receipts(&mut self, chunk: &[u8]) {
        let Some(mut feed) = self.feed.take() else { return };
        feed.fed = feed.fed.saturating_add(chunk.len() as u64);
        let mut stream = std::mem::replace(&mut feed.stream, ItemStream::new("", 0, 0));
        let skip = self.files.get(feed.file).is_some_and(|f| f.refused || f.unparsed.is_some());
        if !skip {
            stream.push(chunk, &mut |layout, item| self.item(&mut feed, layout, item));
        }
        feed.stream = stream;
        self.feed = Some(feed);
        self.sigs.advance(&self.keys, &mut self.checks);
    }

    /// End the pass begun. Refused, with the pass ended and its file read as far as it
    /// was fed, when fewer or more bytes came than announced.
    pub fn end_receipt_file(&mut self) -> Result<(), Error> {
        let Some(mut feed) = self.feed.take() else {
            return Err(order("no pass is being fed"));
        };
        let stream = std::mem::replace(&mut feed.stream, ItemStream::new("", 0, 0));
        let entry = self.files.get(feed.file);
        match (entry.and_then(|f| f.unparsed.clone()), entry.is_some_and(|f| f.refused)) {
            // Where parsing it again would give it, at the end of the pass.
            (Some(item), _) => self.item(&mut feed, Layout::Single, Read::Item(item)),
            (None, false) => stream.finish(&mut |layout, item| self.item(&mut feed, layout, item)),
            (None, true) => {}
        }
        let Some(file) = self.files.get_mut(feed.file) else { return Err(order("no such file")) };
        file.passes_done.push(feed.pass);
        if feed.fed == file.len && file.unparsed.is_none() {
            file.unparsed = feed.unparsed.take();
        }
        let (len, name) = (file.len, file.name.clone());
        // Every pass of a file read in full reads as many items (red team 15: a chain pass
        // of 5 receipts padded to the file's length verified a file of 6).
        let first_items = if file.refused { None } else { Some(*file.items.get_or_insert(feed.count)) };
        if feed.pass == ReceiptPass::Shape {
            if let Some(check) = misfiled_as_receipts(&name, &feed.shape, feed.count) {
                file.refused = true;
                self.item_count += feed.count;
                self.checks.push(check);
            } else if let Some(check) = stray_rows_in_receipts(&name, &feed.shape) {
                file.skip_rows = true;
                self.checks.push(check);
            }
        }
        self.sigs.advance(&self.keys, &mut self.checks);
        let what = if feed.fed != len {
            What::Bytes { announced: len, fed: feed.fed }
        } else {
            match first_items {
                Some(first) if first != feed.count => What::Items { first, read: feed.count },
                _ => return Ok(()),
            }
        };
        let unread = Unread { file: name, pass: feed.pass, what };
        let error = unread.error();
        self.not_read_in_full(unread);
        Err(error)
    }

    /// One item of the pass being fed.
    fn item(&mut self, feed: &mut Feed, layout: Layout, read: Read) {
        feed.count += 1;
        let item = match read {
            Read::Item(item) => item,
            Read::Receipt(receipt) => return self.fast_receipt(feed, layout, *receipt),
        };
        if layout == Layout::Single && item.value.is_err() {
            feed.unparsed = Some(item.clone());
        }
        let skip_rows = self.files.get(feed.file).is_some_and(|f| f.skip_rows);
        match feed.pass {
            ReceiptPass::Shape => feed.shape.add(layout, &item),
            ReceiptPass::Items => {
                self.item_count += 1;
                if !(skip_rows && is_row_item(&item)) {
                    self.classify(item.subject, item.value);
                }
            }
            ReceiptPass::Chain => {
                if skip_rows && is_row_item(&item) {
                    return;
                }
                let Ok(Value::Object(obj)) = &item.value else { return };
                match obj.get("type") {
                    None => {}
                    Some(Value::String(t)) if t == "batch" => {}
                    Some(_) => return,
                }
                // Its receipt.fields findings were reported by pass 2.
                let (mut r, _) = BatchReceipt::parse_counted(obj, item.subject, true);
                if r.has_chain_members() {
                    self.chain_receipt(&mut r, layout);
                }
            }
        }
    }

    /// A batch receipt the fast reader took (`receipt/fast.rs`): what [`Self::item`] does
    /// for the same line read strictly, which has a batch receipt's shape and no `type`,
    /// and past pass 1 no `receipt.fields` finding, and so has chain members.
    fn fast_receipt(&mut self, feed: &mut Feed, layout: Layout, mut receipt: BatchReceipt) {
        match feed.pass {
            ReceiptPass::Shape => feed.shape.add_batch(receipt.customer_id.as_deref()),
            ReceiptPass::Items => self.item_count += 1,
            ReceiptPass::Chain => self.chain_receipt(&mut receipt, layout),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::json::PARSES;
    use crate::{ids, InputFile, Status, Verification};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// A file that is one document that does not parse is parsed by its first pass only;
    /// its later passes are given the same failure (red team 17: a 64 MiB object refused
    /// at its value budget was parsed three times, 18 s). The control, a document that
    /// parses, is read by every pass, as the passes need.
    #[test]
    fn a_document_that_does_not_parse_is_parsed_once() {
        for (doc, parses) in [(&br#"{"a":1,"a":2}"#[..], 1), (&br#"{"a":1}"#[..], 3)] {
            let before = PARSES.with(std::cell::Cell::get);
            let report =
                Verification::new(Vec::new(), &[InputFile::new("r.json", doc.to_vec())]).finish_with(&NoBackend);
            assert_eq!(PARSES.with(std::cell::Cell::get) - before, parses, "{}", String::from_utf8_lossy(doc));
            let parse_failures = report.checks.iter().filter(|c| c.id == ids::INPUT_PARSE && c.status == Status::Fail);
            assert_eq!(parse_failures.count(), 2 - parses.min(2), "one input.parse for the duplicate member");
        }
    }

    struct NoBackend;
    impl crate::SignatureBackend for NoBackend {
        fn name(&self) -> &'static str {
            "none"
        }
        fn verify_batch(&self, _: &[crate::PublicKey], jobs: &[crate::SignatureJob]) -> Vec<crate::SignatureOutcome> {
            jobs.iter().map(|_| crate::SignatureOutcome::Unavailable).collect()
        }
    }
}
