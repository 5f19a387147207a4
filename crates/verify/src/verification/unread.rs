//! Receipt files fed in pieces must be read in full (SPEC.md §15, `input.read`, v1.1): every
//! pass of a file fed as many bytes as announced and read as many items as its first pass,
//! and every file given its items and chain passes before the receipts end. Red teams 13
//! and 15: a caller of the step-by-step feed that skipped a chain pass, cut one short, or
//! padded a short one to the file's length, got "verified" for receipts never checked.
//! The engine cannot see whether two passes read the same bytes; its drivers compare them
//! (the CLI and `verifyFiles` hash every slice of every pass).

use super::feed::ReceiptPass;
use super::Verification;
use crate::ids;
use crate::report::{Check, Status, Subject};
use crate::Error;

/// A receipt file not read in full, and how.
pub(super) struct Unread {
    pub(super) file: String,
    pub(super) pass: ReceiptPass,
    pub(super) what: What,
}

/// How a pass fell short.
pub(super) enum What {
    /// Fed other than its announced length.
    Bytes { announced: u64, fed: u64 },
    /// Read other than as many items as the file's first pass.
    Items { first: usize, read: usize },
    /// Never fed.
    Missing,
}

impl Unread {
    /// What [`Verification::end_receipts`] refuses with.
    pub(super) fn error(&self) -> Error {
        let (file, pass) = (self.file.clone(), self.pass.name());
        match self.what {
            What::Bytes { announced, fed } => Error::FeedLength { file, expected: announced, got: fed },
            What::Items { first, read } => Error::FeedItems { file, pass, first, read },
            What::Missing => Error::FeedMissing { file, pass },
        }
    }
}

impl Verification {
    /// When the receipts end: a file without its items or chain pass was not read in full.
    pub(super) fn check_every_pass_fed(&mut self) {
        let mut missing = Vec::new();
        for f in &self.files {
            let needed = [ReceiptPass::Items, ReceiptPass::Chain];
            if let Some(pass) = needed.into_iter().find(|p| !f.passes_done.contains(p)) {
                missing.push(Unread { file: f.name.clone(), pass, what: What::Missing });
            }
        }
        for unread in missing {
            self.not_read_in_full(unread);
        }
    }

    /// `input.read` fails, so the report cannot verify whatever the caller does next, and
    /// the first such file is kept for [`Verification::end_receipts`].
    pub(super) fn not_read_in_full(&mut self, unread: Unread) {
        let pass = unread.pass.name();
        let (why, actual) = match unread.what {
            What::Bytes { announced, fed } => (
                format!("its {pass} pass was fed {fed} of its {announced} bytes, so what it holds past that was not checked"),
                format!("{fed} of {announced} bytes"),
            ),
            What::Items { first, read } => (
                format!("its {pass} pass read {read} items, its first pass {first}, so its passes did not read the same file"),
                format!("{first} items, then {read}"),
            ),
            What::Missing => {
                (format!("its {pass} pass was never fed, so its receipts were not checked"), format!("no {pass} pass"))
            }
        };
        let subject = Subject { file: Some(unread.file.clone()), ..Subject::default() };
        let message = format!("{} was not read in full: {why}", crate::text::q(&unread.file));
        let check = Check::new(ids::INPUT_READ, Status::Fail, subject, message);
        self.checks.push(check.values("every byte of the file in each of its passes", actual));
        self.unread.get_or_insert(unread);
    }
}
