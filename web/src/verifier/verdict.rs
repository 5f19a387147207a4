//! The page's verdict, from the core's report and the vendor's published keys. The core
//! decides whether the signatures and checks hold; the page adds only *whose* keys they
//! hold under, by SPKI fingerprint: a pass under a key the vendor does not publish is not
//! a plain *Verified*.

use std::fmt;

use crate::report::{KeyReport, Report};

/// What the banner says; `data-verdict` carries [`Verdict::attr`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every check passed and every signature verified under a published key.
    Verified,
    /// Every check passed, but at least one signature verified only under a key that is
    /// not one of the vendor's published keys.
    VerifiedUnpublishedKey,
    /// Not verified.
    Failed,
}

impl Verdict {
    /// The verdict for `report`, given the published keys' fingerprints (hex).
    pub fn of(report: &Report, published: &[&str]) -> Verdict {
        if !report.verified() {
            return Verdict::Failed;
        }
        let mut used = report.keys_used().peekable();
        // The core never says "verified" without a verified signature; if it ever did,
        // nothing would be proven.
        if used.peek().is_none() {
            return Verdict::Failed;
        }
        if used.all(|k| is_published(k, published)) {
            Verdict::Verified
        } else {
            Verdict::VerifiedUnpublishedKey
        }
    }

    /// The `data-verdict` value.
    pub fn attr(self) -> &'static str {
        match self {
            Verdict::Verified => "verified",
            Verdict::VerifiedUnpublishedKey => "verified-unpublished-key",
            Verdict::Failed => "failed",
        }
    }

    /// The banner's headline.
    pub fn headline(self) -> &'static str {
        match self {
            Verdict::Verified => "Verified",
            Verdict::VerifiedUnpublishedKey => "Signatures valid, under a key the published keys do not vouch for",
            Verdict::Failed => "Not verified",
        }
    }
}

/// Whether a key the report lists is one of the published keys (same SPKI fingerprint,
/// whichever file supplied it).
pub fn is_published(key: &KeyReport, published: &[&str]) -> bool {
    published.iter().any(|p| p.eq_ignore_ascii_case(&key.fingerprint))
}

/// Where a key came from, for people: by fingerprint, never by its file's name.
pub fn key_origin(key: &KeyReport, published: &[&str]) -> &'static str {
    if is_published(key, published) {
        "published by the vendor"
    } else {
        "your own key"
    }
}

/// A file that cannot be used, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Refusal {
    /// The file's name.
    pub name: String,
    /// Why.
    pub reason: String,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.name, self.reason)
    }
}
