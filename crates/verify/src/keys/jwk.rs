//! JWK (RFC 7517/7518) and JWKS key files, including Azure Key Vault's `RSA-HSM` and
//! `EC-HSM` key types. Key Vault output (`{"key": {...}, "attributes": {...}}`) is in
//! [`super::azure`].

use serde_json::{Map, Value};

use super::file::{Collector, KeyFile};
use super::{azure, Approver, KeyFormat, KeyMaterial, KeyRole, KeyStatus, P256Key, PublicKey};
use crate::alg::Alg;
use crate::error::KeyError;
use crate::limits::MAX_KEYS;
use crate::text::q;
use crate::timestamp::Timestamp;

/// JWK members that only a private or secret key has (RFC 7518 §6.2.2, §6.3.2, §6.4.1).
const PRIVATE_MEMBERS: [&str; 7] = ["d", "p", "q", "dp", "dq", "qi", "k"];

/// Where a JWK comes from: its rules differ only in what Key Vault prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Origin {
    /// A JWK or JWKS file: base64url members (RFC 7518).
    Jwk,
    /// Key Vault output: `az` prints `n` in standard base64; the REST API writes base64url.
    KeyVault,
}

pub(super) fn parse_jwk_file(bytes: &[u8], source: &str) -> Result<KeyFile, KeyError> {
    let value = crate::json::parse(bytes).map_err(KeyError::Json)?;
    let Value::Object(obj) = value else {
        return Err(KeyError::UnknownFormat);
    };
    refuse_mixed_shapes(&obj)?;
    let mut found = Collector::new(source);
    if let Some(keys) = obj.get("keys") {
        let Value::Array(list) = keys else {
            return Err(jwk_err("/keys", "must be an array of JWKs"));
        };
        if list.is_empty() {
            return Err(KeyError::EmptyJwks);
        }
        if list.len() > MAX_KEYS {
            return Err(KeyError::TooManyKeys { count: list.len(), max: MAX_KEYS });
        }
        for (i, v) in list.iter().enumerate() {
            let at = format!("/keys/{i}");
            let Value::Object(o) = v else {
                return Err(jwk_err(&at, "must be an object"));
            };
            let kid = o.get("kid").and_then(Value::as_str).map(str::to_string);
            found.push_read(parse_jwk(o, &at, KeyFormat::Jwks, source, Origin::Jwk), Some(at), None, kid)?;
        }
        return found.finish();
    }
    if let Some(key) = obj.get("key") {
        let Value::Object(key) = key else {
            return Err(jwk_err("/key", "must be an object (Key Vault output)"));
        };
        return azure::parse_key_vault(key, obj.get("attributes"), source);
    }
    let kid = obj.get("kid").and_then(Value::as_str).map(str::to_string);
    found.push_read(parse_jwk(&obj, "", KeyFormat::Jwk, source, Origin::Jwk), Some("/".into()), None, kid)?;
    found.finish()
}

/// One JWK: the key, and why it cannot verify receipts when it cannot (`use`, `key_ops`,
/// an `alg` receipts do not use). The key is read even then, so what it says of itself
/// (status, window, roles, approver, and the restriction) still holds for the other
/// copies of the same key (v1.1). When the key itself cannot be read, a reason it cannot
/// verify wins over the read error, as before: such a key is skipped, not refused.
/// Members that make an object a JWK (RFC 7517 §4, RFC 7518 §6), a JWKS, or Key Vault
/// output. An object with the members of two shapes is refused (v1.1): reading one and
/// ignoring the other drops what the other says (a revoked JWK beside `keys`, Key Vault
/// `enabled: false` beside a top-level `kty`).
const JWK_MEMBERS: [&str; 7] = ["kty", "n", "e", "x", "y", "crv", "d"];
const KEY_VAULT_MEMBERS: [&str; 2] = ["key", "attributes"];

fn refuse_mixed_shapes(obj: &Map<String, Value>) -> Result<(), KeyError> {
    let present = |names: &[&'static str]| -> Vec<&'static str> {
        names.iter().copied().filter(|n| obj.contains_key(*n)).collect()
    };
    let shapes: Vec<String> = [
        ("a JWK", present(&JWK_MEMBERS)),
        ("a JWKS", present(&["keys"])),
        ("Key Vault output", present(&KEY_VAULT_MEMBERS)),
    ]
    .into_iter()
    .filter(|(_, members)| !members.is_empty())
    .map(|(shape, members)| format!("{shape} ({})", members.join(", ")))
    .collect();
    if shapes.len() > 1 {
        return Err(KeyError::AmbiguousKeyFile { shapes: shapes.join(" and ") });
    }
    Ok(())
}

pub(super) fn parse_jwk(
    o: &Map<String, Value>,
    at: &str,
    format: KeyFormat,
    source: &str,
    origin: Origin,
) -> Result<(PublicKey, Option<KeyError>), KeyError> {
    if PRIVATE_MEMBERS.iter().any(|m| o.contains_key(*m)) {
        return Err(KeyError::PrivateKey);
    }
    let mut unusable = check_signing_use(o, at).err();
    let declared_not_for_signing = unusable.is_some();
    let mut foreign_alg = None;
    let alg = match optional_string(o, at, "alg")? {
        None => None,
        Some(alg) => match alg.parse::<Alg>() {
            Ok(alg) => Some(alg),
            Err(_) => {
                foreign_alg = Some(alg);
                unusable.get_or_insert(KeyError::CannotVerify {
                    place: place(at, "alg"),
                    reason: format!("unsupported alg {}; receipts are signed with RS256, PS256 or ES256", q(alg)),
                });
                None
            }
        },
    };
    if let Some(refused) = unusable.take_if(|e| !super::file::cannot_verify(e)) {
        return Err(refused);
    }
    let mut key = match read_jwk(o, at, format, source, origin, alg) {
        Ok(key) => key,
        Err(e) => return Err(unusable.unwrap_or(e)),
    };
    // Read strictly even on a key that cannot verify: its status, window, roles and
    // approver hold for its other copies, so a malformed one is refused, never ignored.
    read_lifetime(o, at, &mut key)?;
    // (v1.1) An alg receipts do not use is what this key is for: no copy of it may sign
    // receipts with another (SPEC.md §6).
    if let Some(foreign) = foreign_alg {
        key.alg_conflict = Some(format!("{} in {source} allows only alg {}", key.label(), q(foreign)));
    }
    if let (true, Some(reason)) = (declared_not_for_signing, &unusable) {
        super::file::mark_not_for_signatures(&mut key, reason);
    }
    // Read even when the JWK cannot verify: a certificate of another key is refused.
    let certificate_forbids = super::x5c::read_x5c(o, at, &mut key)?;
    Ok((key, unusable.or(certificate_forbids)))
}

fn read_jwk(
    o: &Map<String, Value>,
    at: &str,
    format: KeyFormat,
    source: &str,
    origin: Origin,
    alg: Option<Alg>,
) -> Result<PublicKey, KeyError> {
    let kty = string(o, at, "kty")?;
    let material = match kty {
        "RSA" | "RSA-HSM" => {
            KeyMaterial::rsa_from_parts(&b64_member(o, at, "n", origin)?, &b64_member(o, at, "e", origin)?)?
        }
        "EC" | "EC-HSM" => {
            let crv = string(o, at, "crv")?;
            if crv == "P-256K" {
                return Err(KeyError::UnsupportedCurve("P-256K (secp256k1)".into()));
            }
            if crv != "P-256" {
                return Err(KeyError::UnsupportedCurve(crv.to_string()));
            }
            let x = b64_member(o, at, "x", origin)?;
            let y = b64_member(o, at, "y", origin)?;
            if x.len() != 32 || y.len() != 32 {
                return Err(jwk_err(at, "P-256 \"x\" and \"y\" must be 32 bytes each"));
            }
            let mut sec1 = Vec::with_capacity(65);
            sec1.push(0x04);
            sec1.extend_from_slice(&x);
            sec1.extend_from_slice(&y);
            KeyMaterial::P256(P256Key::from_sec1(&sec1)?)
        }
        other => {
            // Name the curve too (an OKP key is Ed25519, X25519, …), so the note says which.
            let crv = o.get("crv").and_then(Value::as_str).map(|c| format!(" crv {}", q(c))).unwrap_or_default();
            return Err(KeyError::UnsupportedAlgorithm(format!("JWK kty {}{crv}", q(other))));
        }
    };
    let mut key = PublicKey::new(material, format, source);
    key.kid = optional_string(o, at, "kid")?.map(str::to_string);
    if let Some(alg) = alg {
        if !key.material.supports(alg) {
            return Err(jwk_err(
                &format!("{at}/alg"),
                &format!("alg {} does not fit this {} key", alg, key.material.kty()),
            ));
        }
        key.alg = Some(alg);
    }
    Ok(key)
}

/// JWK `validFrom`, `validUntil`, `status`, `receiptRoles` and `approver`.
fn read_lifetime(o: &Map<String, Value>, at: &str, key: &mut PublicKey) -> Result<(), KeyError> {
    key.valid_from = optional_time(o, at, "validFrom")?;
    key.valid_until = optional_time(o, at, "validUntil")?;
    key.status = match optional_string(o, at, "status")? {
        None => None,
        Some("active") => Some(KeyStatus::Active),
        Some("retired") => Some(KeyStatus::Retired),
        Some("revoked") => Some(KeyStatus::Revoked),
        Some(other) => {
            return Err(jwk_err(
                &format!("{at}/status"),
                &format!("unknown status {}; expected active, retired or revoked", q(other)),
            ))
        }
    };
    key.roles = roles(o, at)?;
    key.approver = match optional_string(o, at, "approver")? {
        Some(a) if a.trim().is_empty() => return Err(jwk_err(&format!("{at}/approver"), "must not be empty")),
        a => a.map(|a| Approver::Bound(a.to_string())),
    };
    Ok(())
}

/// `use` (RFC 7517 §4.2) must be `"sig"` and `key_ops` (§4.3; Key Vault `keyOps`) must
/// include `"verify"` when present; otherwise the key cannot verify receipts.
fn check_signing_use(o: &Map<String, Value>, at: &str) -> Result<(), KeyError> {
    if let Some(u) = optional_string(o, at, "use")? {
        if u != "sig" {
            return Err(KeyError::CannotVerify {
                place: place(at, "use"),
                reason: format!("use is {}, not \"sig\": the key is not for signatures", q(u)),
            });
        }
    }
    // Key Vault's `keyOps` spelling is honoured in any JWK: a stricter reading never
    // lets a key verify that its publisher meant for something else.
    for name in ["key_ops", "keyOps"] {
        let Some(ops) = o.get(name) else { continue };
        let Value::Array(ops) = ops else {
            return Err(jwk_err(&format!("{at}/{name}"), "must be an array of strings"));
        };
        let mut listed = Vec::with_capacity(ops.len());
        for op in ops {
            listed.push(op.as_str().ok_or_else(|| jwk_err(&format!("{at}/{name}"), "must be an array of strings"))?);
        }
        if !listed.contains(&"verify") {
            return Err(KeyError::CannotVerify {
                place: place(at, name),
                reason: format!(
                    "{name} [{}] lacks \"verify\": the key may not verify signatures",
                    listed.iter().map(|s| q(s).to_string()).collect::<Vec<_>>().join(", ")
                ),
            });
        }
    }
    Ok(())
}

/// `receiptRoles`: an array (empty: the key signs nothing, v1.1) of `"batch"`, `"approval"`, `"content"` (SPEC.md §11).
fn roles(o: &Map<String, Value>, at: &str) -> Result<Option<Vec<KeyRole>>, KeyError> {
    let Some(value) = o.get("receiptRoles") else { return Ok(None) };
    let pointer = format!("{at}/receiptRoles");
    let Value::Array(list) = value else {
        return Err(jwk_err(&pointer, "must be an array of \"batch\", \"approval\" or \"content\""));
    };
    // An empty list is a key that may sign nothing: every use fails `key.role` (v1.1).
    let mut roles = Vec::with_capacity(3);
    for (i, v) in list.iter().enumerate() {
        let role = match v.as_str() {
            Some("batch") => KeyRole::Batch,
            Some("approval") => KeyRole::Approval,
            Some("content") => KeyRole::Content,
            _ => {
                return Err(jwk_err(
                    &format!("{pointer}/{i}"),
                    &format!(
                        "unknown role {}; expected \"batch\", \"approval\" or \"content\"",
                        crate::fields::describe(v)
                    ),
                ))
            }
        };
        if !roles.contains(&role) {
            roles.push(role);
        }
    }
    Ok(Some(roles))
}

fn place(at: &str, member: &str) -> String {
    format!("JWK {at}/{member}")
}

pub(super) fn jwk_err(pointer: &str, problem: &str) -> KeyError {
    KeyError::Jwk { pointer: if pointer.is_empty() { "/".into() } else { pointer.into() }, problem: problem.into() }
}

fn string<'a>(o: &'a Map<String, Value>, at: &str, name: &str) -> Result<&'a str, KeyError> {
    optional_string(o, at, name)?.ok_or_else(|| jwk_err(&format!("{at}/{name}"), "required member is missing"))
}

fn optional_string<'a>(o: &'a Map<String, Value>, at: &str, name: &str) -> Result<Option<&'a str>, KeyError> {
    match o.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(jwk_err(&format!("{at}/{name}"), "must be a string")),
    }
}

fn optional_time(o: &Map<String, Value>, at: &str, name: &str) -> Result<Option<Timestamp>, KeyError> {
    optional_string(o, at, name)?
        .map(|s| s.parse().map_err(|e: crate::error::TimeError| jwk_err(&format!("{at}/{name}"), &e.to_string())))
        .transpose()
}

/// A JWK's base64url member, padded or not (RFC 7515 §2 says unpadded; some tools pad).
/// Only Key Vault output may use the standard alphabet (`+/`), as `az` prints it.
fn b64_member(o: &Map<String, Value>, at: &str, name: &str, origin: Origin) -> Result<Vec<u8>, KeyError> {
    let s = string(o, at, name)?;
    let decoded = match origin {
        // The URL-safe alphabet only; any padding is dropped first.
        Origin::Jwk if s.contains(['+', '/']) => None,
        Origin::Jwk => crate::encoding::decode_base64(s.trim_end_matches('=')),
        Origin::KeyVault => crate::encoding::decode_base64(s),
    };
    decoded.ok_or_else(|| {
        let expected = match origin {
            Origin::Jwk => "must be base64url (RFC 7518; \"+\" and \"/\" are not in its alphabet)",
            Origin::KeyVault => "must be base64 or base64url",
        };
        jwk_err(&format!("{at}/{name}"), expected)
    })
}
