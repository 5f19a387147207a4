//! One key file read as a whole: its usable keys and the keys it holds that cannot
//! verify (skipped with a reason), and the limits on key files (SPEC.md §11, §15).

use super::lifetime::Lifetimes;
use super::{jwk, pem, PublicKey};
use crate::error::KeyError;
use crate::ids;
use crate::limits::{MAX_KEYS, MAX_KEY_FILE_BYTES};
use crate::report::{Check, Status, Subject};
use crate::text::q;

/// A key in a key file that was left out because it cannot verify signatures: JWK `use`
/// other than `"sig"`, `key_ops` without `"verify"`, a certificate without the
/// digitalSignature key usage, or a key type, curve or `alg` receipts do not use.
#[derive(Clone, Debug)]
pub struct SkippedKey {
    /// The key file.
    pub source: String,
    /// JSON pointer of the JWK (`/keys/2`), when the file is JSON.
    pub pointer: Option<String>,
    /// Line of the `-----BEGIN` of the PEM block, when the file is PEM.
    pub line: Option<usize>,
    /// The key's kid, when it has one.
    pub kid: Option<String>,
    /// Why it cannot verify.
    pub reason: KeyError,
    /// The key itself, when it could be read (say `use: "enc"` on a good RSA key): its
    /// status, window, roles and approver, and the restriction itself, still hold for
    /// every usable copy of the same key (v1.1, `share_lifetimes`).
    pub copy: Option<Box<PublicKey>>,
}

impl SkippedKey {
    /// The `key.skipped` note for the report.
    pub fn to_check(&self) -> Check {
        let subject =
            Subject { file: Some(self.source.clone()), index: None, line: self.line, pointer: self.pointer.clone() };
        let which = match &self.kid {
            Some(kid) => format!("key with kid {}", q(kid)),
            None => "a key".to_string(),
        };
        Check::new(
            ids::KEY_SKIPPED,
            Status::Note,
            subject,
            format!("{which} was skipped and verifies nothing: {}", self.reason),
        )
    }
}

/// The keys of one or more key files.
#[derive(Clone, Debug, Default)]
pub struct KeyFile {
    /// Keys that can verify signatures, in file order.
    pub keys: Vec<PublicKey>,
    /// Keys that cannot, with the reason.
    pub skipped: Vec<SkippedKey>,
    /// What every copy read so far says of its key, by fingerprint (v1.1).
    lifetimes: Lifetimes,
}

impl KeyFile {
    /// Add another file's keys, refusing more than [`MAX_KEYS`] usable keys in all.
    pub fn add(&mut self, other: KeyFile) -> Result<(), KeyError> {
        let count = self.keys.len().saturating_add(other.keys.len());
        if count > MAX_KEYS {
            return Err(KeyError::TooManyKeys { count, max: MAX_KEYS });
        }
        other.absorb_into(&mut self.lifetimes);
        self.keys.extend(other.keys);
        self.skipped.extend(other.skipped);
        self.lifetimes.apply(&mut self.keys);
        Ok(())
    }

    /// Every copy this file holds, usable or skipped, into `lifetimes`.
    fn absorb_into(&self, lifetimes: &mut Lifetimes) {
        for key in self.keys.iter().chain(self.skipped.iter().filter_map(|s| s.copy.as_deref())) {
            lifetimes.absorb(key);
        }
    }

    /// One `key.skipped` note per skipped key.
    pub fn notes(&self) -> Vec<Check> {
        self.skipped.iter().map(SkippedKey::to_check).collect()
    }
}

/// Read one key file: PEM (one or more blocks, explanatory text allowed before each,
/// RFC 7468 §2), binary DER (SubjectPublicKeyInfo, PKCS#1 `RSAPublicKey`, X.509), a JWK, a
/// JWKS or Azure Key Vault output. Keys that cannot verify are returned as skipped; a file
/// in which no key can verify is refused, as is anything malformed or private.
pub fn parse_key_file(bytes: &[u8], source: &str) -> Result<KeyFile, KeyError> {
    if bytes.len() > MAX_KEY_FILE_BYTES {
        return Err(KeyError::KeyFileTooLarge { size: bytes.len(), max: MAX_KEY_FILE_BYTES });
    }
    let trimmed = trim_ascii_start(bytes);
    // A UTF-8 BOM may start a JSON or a PEM file (editors on Windows write one).
    let bom = "\u{feff}".as_bytes();
    let trimmed = trimmed.strip_prefix(bom).map_or(trimmed, trim_ascii_start);
    if trimmed.starts_with(b"{") {
        return jwk::parse_jwk_file(bytes, source);
    }
    // DER keys and certificates are over 127 bytes, so their outer SEQUENCE has a long-form
    // length (second byte ≥ 0x80); text starting with "0" (0x30) does not.
    let der_header = matches!(trimmed, [0x30, len, ..] if *len >= 0x80);
    if !der_header && contains(trimmed, b"-----BEGIN") {
        return pem::parse_pem_file(trimmed, source);
    }
    if trimmed.first() == Some(&0x30) {
        return pem::parse_der(trimmed, source);
    }
    Err(KeyError::UnknownFormat)
}

fn trim_ascii_start(b: &[u8]) -> &[u8] {
    let start = b.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(b.len());
    b.get(start..).unwrap_or_default()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Gathers the keys of one file, sorting read errors into "skip this key" (it cannot
/// verify) and "refuse the file" (malformed, private, too small…).
pub(super) struct Collector<'a> {
    source: &'a str,
    file: KeyFile,
}

impl<'a> Collector<'a> {
    pub(super) fn new(source: &'a str) -> Self {
        Collector { source, file: KeyFile::default() }
    }

    /// Take one key's outcome; `pointer`/`line` and `kid` place it for a skip note.
    pub(super) fn push(
        &mut self,
        outcome: Result<PublicKey, KeyError>,
        pointer: Option<String>,
        line: Option<usize>,
        kid: Option<String>,
    ) -> Result<(), KeyError> {
        match outcome {
            Ok(key) => {
                if self.file.keys.len() >= MAX_KEYS {
                    return Err(KeyError::TooManyKeys { count: self.file.keys.len() + 1, max: MAX_KEYS });
                }
                self.file.keys.push(key);
                Ok(())
            }
            Err(reason) if cannot_verify(&reason) => {
                let source = self.source.to_string();
                self.file.skipped.push(SkippedKey { source, pointer, line, kid, reason, copy: None });
                Ok(())
            }
            Err(refused) => Err(refused),
        }
    }

    /// Take one key's outcome when the key itself was read: `unusable` says why it cannot
    /// verify, and the key is kept as the skipped entry's copy (its reader sets
    /// [`PublicKey::restricted`] when the reason is a use the publisher gave the key).
    pub(super) fn push_read(
        &mut self,
        outcome: Result<(PublicKey, Option<KeyError>), KeyError>,
        pointer: Option<String>,
        line: Option<usize>,
        kid: Option<String>,
    ) -> Result<(), KeyError> {
        match outcome {
            Ok((key, None)) => self.push(Ok(key), pointer, line, kid),
            Ok((key, Some(reason))) if cannot_verify(&reason) => {
                let source = self.source.to_string();
                let copy = Some(Box::new(key));
                self.file.skipped.push(SkippedKey { source, pointer, line, kid, reason, copy });
                Ok(())
            }
            Ok((_, Some(refused))) | Err(refused) => self.push(Err(refused), pointer, line, kid),
        }
    }

    /// The file's keys; refused when none can verify (with the one reason when there is
    /// one key, so a single unusable key reads as before).
    pub(super) fn finish(mut self) -> Result<KeyFile, KeyError> {
        if !self.file.keys.is_empty() {
            // What any copy says of its key (status, window, roles, approver, not for
            // signatures) holds for every usable copy in the file; `KeyFile::add` does the
            // same across files.
            let mut lifetimes = Lifetimes::default();
            self.file.absorb_into(&mut lifetimes);
            lifetimes.apply(&mut self.file.keys);
            self.file.lifetimes = lifetimes;
            return Ok(self.file);
        }
        match self.file.skipped.as_slice() {
            [] => Err(KeyError::UnknownFormat),
            [only] => Err(only.reason.clone()),
            many => Err(KeyError::NoUsableKey {
                reasons: many
                    .iter()
                    .map(|s| match (&s.pointer, s.line) {
                        (Some(p), _) => format!("{p}: {}", s.reason),
                        (None, Some(l)) => format!("line {l}: {}", s.reason),
                        (None, None) => s.reason.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
            }),
        }
    }
}

/// Errors that mean "this key exists but cannot verify receipts", as opposed to a broken
/// or dangerous file.
pub(super) fn cannot_verify(e: &KeyError) -> bool {
    matches!(e, KeyError::CannotVerify { .. } | KeyError::UnsupportedAlgorithm(_) | KeyError::UnsupportedCurve(_))
}

/// Mark a key read from a copy that its publisher declared not for signatures (JWK `use`,
/// `key_ops`, certificate keyUsage): that withdraws every copy of the key (v1.1). An `alg`
/// or key type receipts do not use says nothing of the key's use, so it is not marked.
pub(super) fn mark_not_for_signatures(key: &mut PublicKey, reason: &KeyError) {
    key.restricted = Some(format!("{} in {}: {reason}", key.label(), key.source));
}
