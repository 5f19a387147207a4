//! Public keys: reading every supported format into one [`PublicKey`] type, and choosing
//! the key for a receipt's `kid` (SPEC.md, "Keys").

mod azure;
mod cert;
mod file;
mod jwk;
mod lifetime;
mod material;
mod pem;
mod select;
mod x5c;

pub use cert::CertificateInfo;
pub use file::{parse_key_file, KeyFile, SkippedKey};
pub use lifetime::share_lifetimes;
pub use material::{KeyMaterial, P256Key, RsaKey};
pub use select::{select_key, KidIndex, KidMatch, Selection};

use serde::Serialize;

use crate::alg::Alg;
use crate::error::KeyError;
use crate::hash::{hex_lower, Hash};
use crate::timestamp::Timestamp;

pub use crate::limits::{MAX_RSA_BITS, MIN_RSA_BITS};

/// How the key reached us.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyFormat {
    /// PEM `PUBLIC KEY` (SubjectPublicKeyInfo).
    PemSpki,
    /// PEM `RSA PUBLIC KEY` (PKCS#1).
    PemPkcs1,
    /// PEM `CERTIFICATE` (X.509).
    PemCertificate,
    /// Binary SubjectPublicKeyInfo.
    DerSpki,
    /// Binary PKCS#1 `RSAPublicKey` (v1.1).
    DerPkcs1,
    /// Binary X.509 certificate.
    DerCertificate,
    /// A single JWK.
    Jwk,
    /// One key of a JWKS.
    Jwks,
}

/// JWK `status` member.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyStatus {
    /// In use.
    Active,
    /// No longer signs; what it signed stays valid.
    Retired,
    /// Compromised or withdrawn: nothing it signed is trusted.
    Revoked,
}

/// What a key may sign (JWK `receiptRoles`, SPEC.md §11). Names are fixed: vendors publish them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyRole {
    /// `"batch"`: seals audit batches (batch receipts).
    Batch,
    /// `"approval"`: signs wave approvals.
    Approval,
    /// `"content"`: reserved for trust-center content manifests.
    Content,
}

impl KeyRole {
    /// The JWK `receiptRoles` value.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyRole::Batch => "batch",
            KeyRole::Approval => "approval",
            KeyRole::Content => "content",
        }
    }
}

impl std::fmt::Display for KeyRole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who an approval key belongs to (JWK `approver`, SPEC.md §11). A conflict is its own
/// state, never a name: a joined text could be written as an entry's approver and match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Approver {
    /// Every copy of the key that names an approver names this identity.
    Bound(String),
    /// Copies of the key (same fingerprint) name different identities, each listed once in
    /// the order met: the key is bound to no name, and belongs to every one of them.
    Conflicting(Vec<String>),
}

impl Approver {
    /// The one identity the key is bound to; `None` when its copies disagree.
    pub fn bound(&self) -> Option<&str> {
        match self {
            Approver::Bound(name) => Some(name),
            Approver::Conflicting(_) => None,
        }
    }

    /// Every name the key's copies carry.
    pub fn names(&self) -> &[String] {
        match self {
            Approver::Bound(name) => std::slice::from_ref(name),
            Approver::Conflicting(names) => names,
        }
    }
}

/// The SHA-256 of a key's SubjectPublicKeyInfo DER.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Fingerprint(pub Hash);

impl std::fmt::Display for Fingerprint {
    /// Bare hex, exactly what `openssl pkey -pubin -outform DER | sha256sum` prints.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.to_hex())
    }
}

impl Serialize for Fingerprint {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A usable public key with everything the report says about it.
#[derive(Clone, Debug)]
pub struct PublicKey {
    /// `kid`, when the format carries one (JWK). PEM and DER keys have none.
    pub kid: Option<String>,
    /// The key.
    pub material: KeyMaterial,
    /// SHA-256 of the canonical SPKI DER.
    pub fingerprint: Fingerprint,
    /// Canonical SPKI DER (what a WebCrypto backend imports).
    pub spki_der: Vec<u8>,
    /// Where it came from.
    pub format: KeyFormat,
    /// File name or label given by the caller.
    pub source: String,
    /// JWK `alg`, when present: the key may only be used with it. (v1.1) It belongs to
    /// the key, by fingerprint: a copy without one (a kid-less PEM) takes its copies' alg.
    pub alg: Option<Alg>,
    /// (v1.1) When [`Self::alg`] came from another copy of the key: that copy's label and
    /// file, for messages.
    pub alg_from: Option<String>,
    /// (v1.1) Set when the copies of this key allow no algorithm receipts use together:
    /// two copies' JWK `alg` differ, or one names an algorithm receipts do not use (say
    /// `RSA-OAEP`). Names them; the key then signs nothing (`receipt.alg`,
    /// `approval.signature` fail wherever it is selected).
    pub alg_conflict: Option<String>,
    /// Start of the validity window (JWK `validFrom`, or certificate notBefore).
    pub valid_from: Option<Timestamp>,
    /// End of the validity window (JWK `validUntil`, or certificate notAfter).
    pub valid_until: Option<Timestamp>,
    /// JWK `status`.
    pub status: Option<KeyStatus>,
    /// Subject and validity, for certificates.
    pub certificate: Option<CertificateInfo>,
    /// JWK `receiptRoles`: `None` when the key file declares none (the role is then not
    /// checked, and the report says so).
    pub roles: Option<Vec<KeyRole>>,
    /// JWK `approver`: the identity an approval key belongs to, e.g. `alice@vendor.example`,
    /// or the names its copies disagree on ([`Approver::Conflicting`]).
    pub approver: Option<Approver>,
    /// SHA-256 of the SPKI DER as the file wrote it, when that differs from the canonical
    /// SPKI (a compressed EC point, RSA without NULL parameters): what `openssl pkey -pubin
    /// -outform DER | sha256sum` prints for that file. Identity stays [`Self::fingerprint`].
    pub file_spki_sha256: Option<Fingerprint>,
    /// When [`share_lifetimes`] gave this key a status or window from another entry of the
    /// same key (same fingerprint): that entry's label and source, for messages.
    pub lifetime_from: Option<String>,
    /// What last narrowed the validity window below the entry's own members, when something
    /// did: its `x5c` certificate, its Key Vault attributes, or another copy of the key
    /// (review 9, 03: a failed `key.validity` named no source, and a window narrowed to
    /// nothing read as an inverted range).
    pub window_by: Option<String>,
    /// (v1.1) Set when a copy of this key (same fingerprint) was skipped because it is not
    /// for signatures (`use: "enc"`, `key_ops` without `verify`, keyUsage without
    /// digitalSignature): that copy's label, file and reason.
    /// The most restrictive copy wins, so the key fails `key.role` wherever it is selected.
    pub restricted: Option<String>,
}

impl PublicKey {
    /// A key with no metadata (used for PEM/DER and tests).
    pub fn new(material: KeyMaterial, format: KeyFormat, source: &str) -> Self {
        let spki_der = material.spki_der();
        PublicKey {
            kid: None,
            fingerprint: Fingerprint(Hash::sha256(&spki_der)),
            spki_der,
            material,
            format,
            source: source.to_string(),
            alg: None,
            alg_from: None,
            alg_conflict: None,
            valid_from: None,
            valid_until: None,
            status: None,
            certificate: None,
            roles: None,
            approver: None,
            file_spki_sha256: None,
            lifetime_from: None,
            window_by: None,
            restricted: None,
        }
    }

    /// A key read from SubjectPublicKeyInfo DER `file_spki` as the file holds it: when
    /// that is not the canonical encoding, its own SHA-256 is kept too.
    pub fn from_file_spki(material: KeyMaterial, format: KeyFormat, source: &str, file_spki: &[u8]) -> Self {
        let mut key = PublicKey::new(material, format, source);
        let own = Fingerprint(Hash::sha256(file_spki));
        key.file_spki_sha256 = (own != key.fingerprint).then_some(own);
        // (Review 9) An id-RSASSA-PSS key is for PSS only (RFC 4055 §1.2): PS256, as a JWK
        // `alg` would say, and for every copy of the key (SPEC.md §6).
        if matches!(crate::der::read_spki(file_spki), Ok(crate::der::SpkiKey::RsaPss(_))) {
            key.alg = Some(Alg::Ps256);
        }
        key
    }

    /// Narrow the validity window to what `from` and `until` allow too (v1.1): every
    /// source of a window bounds the key (JWK members, Key Vault attributes, an `x5c`
    /// certificate), and none widens what another allows.
    /// `by` names that source for messages ([`Self::window_by`]).
    pub(crate) fn narrow_window(&mut self, from: Option<Timestamp>, until: Option<Timestamp>, by: &str) {
        let mut narrowed = false;
        if from.is_some_and(|f| self.valid_from.is_none_or(|own| f > own)) {
            self.valid_from = from;
            narrowed = true;
        }
        if until.is_some_and(|u| self.valid_until.is_none_or(|own| u < own)) {
            self.valid_until = until;
            narrowed = true;
        }
        if narrowed {
            self.narrowed_by(by);
        }
    }

    /// Record that `by` narrowed the window (the latest source to narrow an end).
    pub(crate) fn narrowed_by(&mut self, by: &str) {
        self.window_by = Some(by.to_string());
    }

    /// Short label for messages: the kid, else the source and fingerprint prefix.
    pub fn label(&self) -> String {
        match &self.kid {
            Some(kid) => format!("kid {}", crate::text::q(kid)),
            None => format!("{} ({}…)", self.source, self.fingerprint.0.to_hex().get(..16).unwrap_or_default()),
        }
    }
}

/// The usable keys of a key file: PEM (one or more blocks), DER, a JWK or a JWKS.
/// `source` names the file in the report. Keys that cannot verify are dropped; use
/// [`parse_key_file`] to learn which and why (the `key.skipped` notes).
pub fn parse_keys(bytes: &[u8], source: &str) -> Result<Vec<PublicKey>, KeyError> {
    parse_key_file(bytes, source).map(|file| file.keys)
}

/// Hex of a fingerprint for callers who hold only DER.
pub fn fingerprint_of_spki(spki_der: &[u8]) -> String {
    hex_lower(&Hash::sha256(spki_der).0)
}
