//! A JWK's `x5c` (RFC 7517 §4.7): its key's certificate chain, standard base64 DER, the
//! key's own certificate first. (v1.1, red team 7) The first certificate is read as what
//! it is, a copy of the key: it must hold the JWK's key (a MUST of RFC 7517), its validity
//! narrows the key's window, and a keyUsage without digitalSignature withdraws the key,
//! as the same certificate in its own PEM file does (SPEC.md §11). The rest is the chain,
//! which is not built (as for PEM certificates): each must be a string.

use serde_json::{Map, Value};

use super::jwk::jwk_err;
use super::{cert, PublicKey};
use crate::encoding::decode_base64;
use crate::error::KeyError;

/// Read `x5c` into `key` (read from the same JWK): the reason the key cannot verify when
/// the certificate's keyUsage forbids signatures. A malformed `x5c`, or a certificate of
/// another key, refuses the key file.
pub(super) fn read_x5c(o: &Map<String, Value>, at: &str, key: &mut PublicKey) -> Result<Option<KeyError>, KeyError> {
    let Some(chain) = o.get("x5c") else { return Ok(None) };
    let pointer = format!("{at}/x5c");
    let not_a_chain = || jwk_err(&pointer, "must be a non-empty array of base64 certificates (RFC 7517 §4.7)");
    let Value::Array(items) = chain else { return Err(not_a_chain()) };
    if items.iter().any(|c| !c.is_string()) {
        return Err(not_a_chain());
    }
    let Some(first) = items.first().and_then(Value::as_str) else { return Err(not_a_chain()) };
    let at_first = format!("{pointer}/0");
    // Standard base64, not base64url (RFC 7517 §4.7); padding may be left out.
    if first.contains(['-', '_']) {
        return Err(jwk_err(&at_first, "is base64url; x5c certificates are standard base64 (RFC 7517 §4.7)"));
    }
    let der = decode_base64(first).ok_or_else(|| jwk_err(&at_first, "is not base64"))?;
    let (copy, unusable) = cert::from_certificate_der(&der, key.format, &key.source)
        .map_err(|e| jwk_err(&at_first, &format!("is not a certificate this verifier reads: {e}")))?;
    if copy.fingerprint != key.fingerprint {
        return Err(jwk_err(
            &at_first,
            &format!(
                "holds another key (SPKI SHA-256 {}) than this JWK (SPKI SHA-256 {}); RFC 7517 §4.7 requires the same key",
                copy.fingerprint, key.fingerprint
            ),
        ));
    }
    let by = match &copy.certificate {
        Some(c) => format!("its x5c certificate {}", crate::text::q(&c.subject)),
        None => "its x5c certificate".to_string(),
    };
    key.narrow_window(copy.valid_from, copy.valid_until, &by);
    // (Review 9) A certificate of a PSS-only key (id-RSASSA-PSS) restricts the JWK to PS256.
    match (key.alg, copy.alg) {
        (None, Some(only)) => key.alg = Some(only),
        (Some(own), Some(only)) if own != only => {
            key.alg_conflict = Some(format!("{} allows only {own}, its x5c certificate only {only}", key.label()));
        }
        _ => {}
    }
    key.certificate = copy.certificate;
    let unusable = unusable.map(|reason| match reason {
        KeyError::CannotVerify { place, reason } => {
            KeyError::CannotVerify { place: format!("JWK {at_first}, {place}"), reason }
        }
        other => other,
    });
    if let Some(reason) = &unusable {
        super::file::mark_not_for_signatures(key, reason);
    }
    Ok(unusable)
}
