//! One signature as the rounds hold it, until its window is resolved.

use std::sync::Arc;

use crate::alg::Alg;
use crate::report::{Check, Status, Subject};
use crate::signature::{SignatureFailure, SignedBytes};

/// What became of one signature under one key.
pub(super) type Outcome = Result<(), SignatureFailure>;

/// The key a signature's kid selected, if any, and whether it is in good standing for
/// that signature (no failed `key.status`, `key.validity` or `key.role`).
#[derive(Clone, Copy)]
pub(crate) struct Named {
    pub key: Option<usize>,
    pub standing: bool,
}

/// Whether a signature was tried under the keys its kid did not select.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Probe {
    /// Not (yet) needed: it verified under its named key, or round 1 is still out.
    NotNeeded,
    /// Tried under every other supplied key.
    Probed,
    /// Not tried: [`MAX_PROBED_FAILURES`] signatures had been probed already.
    Capped,
}

/// A signature's finding until an outcome arrives.
pub(crate) enum Placeholder {
    /// Failed, "not verified", at this place (the finding is built only if needed).
    NotVerified(Subject),
    /// The `key.select` failure, whose message round 2 may extend.
    Given(Check),
}

impl Placeholder {
    pub(super) fn subject(&self) -> &Subject {
        match self {
            Placeholder::NotVerified(subject) => subject,
            Placeholder::Given(check) => &check.subject,
        }
    }

    pub(super) fn into_check(self, id: &'static str) -> Check {
        match self {
            Placeholder::NotVerified(subject) => {
                Check::new(id, Status::Fail, subject, "signature was not verified: no signature backend ran")
                    .values("a verified signature", "not verified")
            }
            Placeholder::Given(check) => check,
        }
    }
}

/// One signature to check.
pub(super) struct Slot {
    pub(super) placeholder: Placeholder,
    /// `receipt.signature`, `approval.signature`, or `key.select` (no key was selected).
    pub(super) id: &'static str,
    /// The key its kid selected, if any.
    pub(super) named: Option<usize>,
    pub(super) alg: Alg,
    /// Shared with every job that tries this signature.
    pub(super) message: SignedBytes,
    pub(super) signature: Arc<[u8]>,
    /// Round-1 outcome under the named key.
    pub(super) named_outcome: Option<Outcome>,
    /// Other keys under which the signature verifies.
    pub(super) verifies_under: Vec<usize>,
    pub(super) probe: Probe,
    /// Whether the named key is in good standing for this signature (no failed
    /// `key.status`, `key.validity` or `key.role`): only then does a verified signature
    /// count toward `verdict.signature` and quorum.
    pub(super) standing: bool,
}
