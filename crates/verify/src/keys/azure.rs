//! Azure Key Vault output: `{"key": {JWK}, "attributes": {...}}`, in both shapes auditors
//! get it (SPEC.md §11):
//!
//! - `az keyvault key show` prints every JWK member, the private ones as `null`, `keyOps`,
//!   `n` in standard base64, and `attributes.notBefore`/`expires` as ISO 8601 strings
//!   (`"2027-01-01T00:00:00+00:00"`) or `null`;
//! - the REST API writes base64url, `key_ops`, and `attributes.nbf`/`exp` as Unix seconds.

use serde_json::{Map, Value};

use super::file::{Collector, KeyFile};
use super::jwk::{parse_jwk, Origin};
use super::{KeyFormat, KeyStatus, PublicKey};
use crate::error::KeyError;
use crate::timestamp::Timestamp;

/// The last second of year 9999: larger `nbf`/`exp` values are milliseconds, not seconds.
const MAX_UNIX_SECONDS: i64 = 253_402_300_799;

pub(super) fn parse_key_vault(
    key: &Map<String, Value>,
    attributes: Option<&Value>,
    source: &str,
) -> Result<KeyFile, KeyError> {
    // `null` means "absent" here: az prints every member; a non-null private member is
    // still a private key and refused.
    let key: Map<String, Value> =
        key.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), v.clone())).collect();
    let kid = key.get("kid").and_then(Value::as_str).map(str::to_string);
    let outcome = parse_jwk(&key, "/key", KeyFormat::Jwk, source, Origin::KeyVault).and_then(|(mut k, unusable)| {
        match attributes {
            None | Some(Value::Null) => {}
            Some(Value::Object(attrs)) => apply_attributes(&mut k, attrs)?,
            Some(_) => return Err(attr_err("", "must be an object")),
        }
        Ok((k, unusable))
    });
    let mut found = Collector::new(source);
    found.push_read(outcome, Some("/key".into()), None, kid)?;
    found.finish()
}

/// `enabled: false` marks the key retired (even when the JWK says `active`); `notBefore`/`nbf` and `expires`/`exp` bound
/// its window, inside any `validFrom`/`validUntil` the JWK gives (v1.1: the narrower wins).
/// A member of the wrong type or unit is refused, never ignored: a window silently
/// dropped would widen it.
fn apply_attributes(key: &mut PublicKey, attrs: &Map<String, Value>) -> Result<(), KeyError> {
    match attrs.get("enabled") {
        None | Some(Value::Null) | Some(Value::Bool(true)) => {}
        // (v1.1) The most severe status wins: a JWK `status: "active"` does not re-enable
        // a disabled key; `revoked` stays revoked.
        Some(Value::Bool(false)) => {
            if key.status != Some(KeyStatus::Revoked) {
                key.status = Some(KeyStatus::Retired);
            }
        }
        Some(_) => return Err(attr_err("enabled", "must be true or false")),
    }
    let from = window_end(attrs, "notBefore", "nbf")?;
    let until = window_end(attrs, "expires", "exp")?;
    key.narrow_window(from, until, "its Key Vault attributes (notBefore, expires)");
    Ok(())
}

/// One end of the window, from the az member (ISO 8601 string) or the REST member (Unix
/// seconds); when both are given they must agree.
fn window_end(attrs: &Map<String, Value>, az: &str, rest: &str) -> Result<Option<Timestamp>, KeyError> {
    let from_az = match attrs.get(az) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.parse::<Timestamp>().map_err(|e| attr_err(az, &e.to_string()))?),
        Some(other) => {
            return Err(attr_err(
                az,
                &format!(
                    "must be an ISO 8601 string such as \"2027-01-01T00:00:00+00:00\", as az prints it; found {}",
                    crate::fields::describe(other)
                ),
            ))
        }
    };
    let from_rest = match attrs.get(rest) {
        None | Some(Value::Null) => None,
        Some(number @ Value::Number(n)) => {
            // A whole value written with a fraction or an exponent (`1900000000.0`, `1.9E9`)
            // is the same number (SPEC.md §2: such texts share a signature); within ±2^53,
            // where every whole f64 is exact, it converts without loss (red team 11, 03).
            let whole = |f: f64| (f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0).then_some(f as i64);
            let secs = n.as_i64().or_else(|| n.as_f64().and_then(whole)).ok_or_else(|| {
                let found = crate::fields::describe(number);
                attr_err(
                    rest,
                    &format!("must be whole Unix seconds, as the Key Vault REST API writes them; found {found}"),
                )
            })?;
            if secs > MAX_UNIX_SECONDS {
                return Err(attr_err(
                    rest,
                    &format!("{secs} is past year 9999 as Unix seconds: it looks like milliseconds; Key Vault writes seconds"),
                ));
            }
            Some(Timestamp::from_unix(secs).ok_or_else(|| attr_err(rest, &format!("{secs} is not a usable time")))?)
        }
        Some(other) => {
            return Err(attr_err(
                rest,
                &format!(
                    "must be Unix seconds (a number), as the Key Vault REST API writes them; found {}",
                    crate::fields::describe(other)
                ),
            ))
        }
    };
    match (from_az, from_rest) {
        (Some(a), Some(b)) if a != b => {
            Err(attr_err(az, &format!("{a} disagrees with attributes/{rest} {b}; give one of them")))
        }
        (a, b) => Ok(a.or(b)),
    }
}

fn attr_err(member: &str, problem: &str) -> KeyError {
    KeyError::Attribute { member: member.to_string(), problem: problem.to_string() }
}
