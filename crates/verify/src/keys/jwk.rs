//! JWK (RFC 7517/7518) and JWKS key files, including Azure Key Vault's `RSA-HSM` and
//! `EC-HSM` key types and the `{"key": {...}, "attributes": {...}}` shape that
//! `az keyvault key show` prints.

use base64ct::{Base64UrlUnpadded, Encoding};
use serde_json::{Map, Value};

use super::{KeyFormat, KeyMaterial, KeyStatus, PublicKey};
use crate::error::KeyError;
use crate::signature::Alg;
use crate::text::q;
use crate::timestamp::Timestamp;

/// JWK members that only a private key has (RFC 7518 §6.2.2, §6.3.2).
const PRIVATE_MEMBERS: [&str; 6] = ["d", "p", "q", "dp", "dq", "qi"];

pub(super) fn parse_jwk_file(bytes: &[u8], source: &str) -> Result<Vec<PublicKey>, KeyError> {
    let value = crate::json::parse(bytes).map_err(KeyError::Json)?;
    let Value::Object(obj) = value else {
        return Err(KeyError::UnknownFormat);
    };
    if let Some(keys) = obj.get("keys") {
        let Value::Array(list) = keys else {
            return Err(jwk_err("/keys", "must be an array of JWKs"));
        };
        if list.is_empty() {
            return Err(KeyError::EmptyJwks);
        }
        return list
            .iter()
            .enumerate()
            .map(|(i, v)| match v {
                Value::Object(o) => parse_jwk(o, &format!("/keys/{i}"), KeyFormat::Jwks, source),
                _ => Err(jwk_err(&format!("/keys/{i}"), "must be an object")),
            })
            .collect();
    }
    if let (Some(Value::Object(key)), None) = (obj.get("key"), obj.get("kty")) {
        // `az keyvault key show` output: the JWK plus Key Vault attributes.
        let mut k = parse_jwk(key, "/key", KeyFormat::Jwk, source)?;
        if let Some(Value::Object(attrs)) = obj.get("attributes") {
            apply_azure_attributes(&mut k, attrs);
        }
        return Ok(vec![k]);
    }
    parse_jwk(&obj, "", KeyFormat::Jwk, source).map(|k| vec![k])
}

fn parse_jwk(o: &Map<String, Value>, at: &str, format: KeyFormat, source: &str) -> Result<PublicKey, KeyError> {
    if PRIVATE_MEMBERS.iter().any(|m| o.contains_key(*m)) {
        return Err(KeyError::PrivateKey);
    }
    let kty = string(o, at, "kty")?;
    let material = match kty {
        "RSA" | "RSA-HSM" => {
            let n = b64_member(o, at, "n")?;
            let e = b64_member(o, at, "e")?;
            let key = rsa::RsaPublicKey::new(rsa::BigUint::from_bytes_be(&n), rsa::BigUint::from_bytes_be(&e))
                .map_err(|err| KeyError::Rsa(err.to_string()))?;
            KeyMaterial::rsa(key)?
        }
        "EC" | "EC-HSM" => {
            let crv = string(o, at, "crv")?;
            if crv != "P-256" && crv != "P-256K" {
                return Err(KeyError::UnsupportedCurve(crv.to_string()));
            }
            if crv == "P-256K" {
                return Err(KeyError::UnsupportedCurve("P-256K (secp256k1)".into()));
            }
            let x = b64_member(o, at, "x")?;
            let y = b64_member(o, at, "y")?;
            if x.len() != 32 || y.len() != 32 {
                return Err(jwk_err(at, "P-256 \"x\" and \"y\" must be 32 bytes each"));
            }
            let mut sec1 = Vec::with_capacity(65);
            sec1.push(0x04);
            sec1.extend_from_slice(&x);
            sec1.extend_from_slice(&y);
            let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1).map_err(|_| KeyError::EcPoint)?;
            KeyMaterial::P256(key)
        }
        other => return Err(KeyError::UnsupportedAlgorithm(format!("JWK kty {}", q(other)))),
    };
    let mut key = PublicKey::new(material, format, source);
    key.kid = optional_string(o, at, "kid")?.map(str::to_string);
    if let Some(alg) = optional_string(o, at, "alg")? {
        let alg: Alg = alg.parse().map_err(|_| {
            jwk_err(&format!("{at}/alg"), &format!("unsupported alg {}; expected RS256, PS256 or ES256", q(alg)))
        })?;
        if !key.material.supports(alg) {
            return Err(jwk_err(
                &format!("{at}/alg"),
                &format!("alg {} does not fit this {} key", alg, key.material.kty()),
            ));
        }
        key.alg = Some(alg);
    }
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
    Ok(key)
}

/// Key Vault `attributes`: `nbf`/`exp` (Unix seconds) bound the window unless the JWK
/// already has `validFrom`/`validUntil`; `enabled: false` marks the key retired.
fn apply_azure_attributes(key: &mut PublicKey, attrs: &Map<String, Value>) {
    let secs = |name: &str| attrs.get(name).and_then(Value::as_i64).and_then(Timestamp::from_unix);
    if key.valid_from.is_none() {
        key.valid_from = secs("nbf");
    }
    if key.valid_until.is_none() {
        key.valid_until = secs("exp");
    }
    if key.status.is_none() && attrs.get("enabled") == Some(&Value::Bool(false)) {
        key.status = Some(KeyStatus::Retired);
    }
}

fn jwk_err(pointer: &str, problem: &str) -> KeyError {
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

/// base64url, padded or not (RFC 7515 §2 says unpadded; some tools pad).
fn b64_member(o: &Map<String, Value>, at: &str, name: &str) -> Result<Vec<u8>, KeyError> {
    let s = string(o, at, name)?;
    Base64UrlUnpadded::decode_vec(s.trim_end_matches('='))
        .map_err(|_| jwk_err(&format!("{at}/{name}"), "must be base64url"))
}
