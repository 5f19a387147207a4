//! Public keys: reading every supported format into one [`PublicKey`] type, and choosing
//! the key for a receipt's `kid` (SPEC.md, "Keys").

mod azure;
mod cert;
mod file;
mod jwk;
mod lifetime;
mod pem;
mod select;

pub use cert::CertificateInfo;
pub use file::{parse_key_file, KeyFile, SkippedKey};
pub use lifetime::share_lifetimes;
pub use select::{select_key, KidMatch, Selection};

use serde::Serialize;

use crate::error::KeyError;
use crate::hash::{hex_lower, Hash};
use crate::signature::Alg;
use crate::timestamp::Timestamp;

use crate::der;

pub use crate::limits::{MAX_RSA_BITS, MIN_RSA_BITS};

/// The key itself, ready for a signature backend.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyMaterial {
    /// An RSA public key whose modulus is 2048 to 4096 bits long (exactly).
    Rsa(rsa::RsaPublicKey),
    /// An EC P-256 public key.
    P256(p256::ecdsa::VerifyingKey),
}

impl KeyMaterial {
    /// `"RSA"` or `"EC"`, as in JWK `kty`.
    pub fn kty(&self) -> &'static str {
        match self {
            KeyMaterial::Rsa(_) => "RSA",
            KeyMaterial::P256(_) => "EC",
        }
    }

    /// `"RSA-2048"`, `"RSA-2047"`, `"EC P-256"`, … for people: RSA by the modulus's exact
    /// bit length, not its byte length.
    pub fn describe(&self) -> String {
        match self {
            KeyMaterial::Rsa(k) => format!("RSA-{}", rsa::traits::PublicKeyParts::n(k).bits()),
            KeyMaterial::P256(_) => "EC P-256".to_string(),
        }
    }

    /// The algorithm a receipt without `alg` uses with this key.
    pub fn default_alg(&self) -> Alg {
        match self {
            KeyMaterial::Rsa(_) => Alg::Rs256,
            KeyMaterial::P256(_) => Alg::Es256,
        }
    }

    /// Whether `alg` can be used with this key type.
    pub fn supports(&self, alg: Alg) -> bool {
        matches!((self, alg), (KeyMaterial::Rsa(_), Alg::Rs256 | Alg::Ps256) | (KeyMaterial::P256(_), Alg::Es256))
    }

    /// The canonical SubjectPublicKeyInfo DER (RFC 5280 §4.1.2.7): `rsaEncryption` with
    /// NULL parameters for RSA, `id-ecPublicKey`/`prime256v1` with an uncompressed point
    /// for EC. This is what `openssl pkey -pubin -outform DER` writes.
    pub fn spki_der(&self) -> Vec<u8> {
        match self {
            KeyMaterial::Rsa(k) => {
                use rsa::traits::PublicKeyParts;
                der::rsa_spki(&k.n().to_bytes_be(), &k.e().to_bytes_be())
            }
            KeyMaterial::P256(k) => der::p256_spki(k.to_encoded_point(false).as_bytes()),
        }
    }

    /// Read SubjectPublicKeyInfo DER, refusing algorithms and sizes we do not take.
    pub fn from_spki_der(spki: &[u8]) -> Result<Self, KeyError> {
        Self::from_spki(der::read_spki(spki).map_err(malformed("SubjectPublicKeyInfo"))?)
    }

    /// The key of an SPKI already read, refusing algorithms and sizes we do not take.
    pub(super) fn from_spki(spki: der::SpkiKey<'_>) -> Result<Self, KeyError> {
        match spki {
            der::SpkiKey::Rsa(pkcs1) => Self::from_pkcs1_der(pkcs1),
            der::SpkiKey::P256(point) => {
                p256::ecdsa::VerifyingKey::from_sec1_bytes(point).map(KeyMaterial::P256).map_err(|_| KeyError::EcPoint)
            }
            der::SpkiKey::OtherCurve(curve) => Err(KeyError::UnsupportedCurve(curve)),
            der::SpkiKey::OtherAlgorithm(oid) => Err(KeyError::UnsupportedAlgorithm(oid)),
        }
    }

    /// Read a PKCS#1 `RSAPublicKey` (RFC 8017 A.1.1), refusing sizes we do not take.
    pub fn from_pkcs1_der(pkcs1: &[u8]) -> Result<Self, KeyError> {
        let (n, e) = der::read_rsa_public_key(pkcs1).map_err(malformed("PKCS#1 RSAPublicKey"))?;
        Self::rsa_from_parts(n, e)
    }

    /// An RSA key from the big-endian magnitudes of n and e. The size is checked on the
    /// modulus's exact bit length before any arithmetic, so a 2041-bit modulus is not
    /// "RSA-2048" and a huge one costs nothing.
    pub fn rsa_from_parts(n: &[u8], e: &[u8]) -> Result<Self, KeyError> {
        let bits = bit_length(n);
        if bits < MIN_RSA_BITS {
            return Err(KeyError::RsaTooSmall { bits });
        }
        if bits > MAX_RSA_BITS {
            return Err(KeyError::RsaTooLarge { bits, max: MAX_RSA_BITS });
        }
        let key = rsa::RsaPublicKey::new(rsa::BigUint::from_bytes_be(n), rsa::BigUint::from_bytes_be(e))
            .map_err(|e| KeyError::Rsa(e.to_string()))?;
        Ok(KeyMaterial::Rsa(key))
    }

    /// Wrap an RSA key after the size check.
    pub fn rsa(key: rsa::RsaPublicKey) -> Result<Self, KeyError> {
        use rsa::traits::PublicKeyParts;
        Self::rsa_from_parts(&key.n().to_bytes_be(), &key.e().to_bytes_be())
    }
}

/// The exact bit length of a big-endian magnitude (leading zero bytes and bits ignored).
fn bit_length(magnitude: &[u8]) -> usize {
    let skip = magnitude.iter().take_while(|&&b| b == 0).count();
    match magnitude.get(skip..) {
        Some([first, rest @ ..]) => rest.len() * 8 + (8 - first.leading_zeros() as usize),
        _ => 0,
    }
}

/// The error for DER that does not read as `what` (a structure name for people).
fn malformed(what: &'static str) -> impl Fn(der::DerError) -> KeyError {
    move |e| KeyError::Der { what, detail: e.to_string() }
}

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
    /// JWK `alg`, when present: the key may only be used with it.
    pub alg: Option<Alg>,
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
    /// (v1.1) Set when a copy of this key (same fingerprint) was skipped because it is not
    /// for signatures (`use: "enc"`, `key_ops` without `verify`, keyUsage without
    /// digitalSignature, an `alg` receipts do not use): that copy's label, file and reason.
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
            valid_from: None,
            valid_until: None,
            status: None,
            certificate: None,
            roles: None,
            approver: None,
            file_spki_sha256: None,
            lifetime_from: None,
            restricted: None,
        }
    }

    /// A key read from SubjectPublicKeyInfo DER `file_spki` as the file holds it: when
    /// that is not the canonical encoding, its own SHA-256 is kept too.
    pub fn from_file_spki(material: KeyMaterial, format: KeyFormat, source: &str, file_spki: &[u8]) -> Self {
        let mut key = PublicKey::new(material, format, source);
        let own = Fingerprint(Hash::sha256(file_spki));
        key.file_spki_sha256 = (own != key.fingerprint).then_some(own);
        key
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
