//! Choosing the key for a `kid` (SPEC.md, "Key selection").

use serde::Serialize;

use super::PublicKey;

/// How a receipt's `kid` was matched to a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KidMatch {
    /// The key's kid equals the receipt's kid.
    Exact,
    /// One side is a full Azure Key Vault key URL
    /// `https://{vault}.vault.azure.net/keys/{name}/{version}` and the other ends in
    /// `keys/{name}/{version}`.
    AzureKeyUrl,
    /// The key has no kid (PEM/DER); it was used as given and the kid was not checked.
    NotChecked,
}

/// The outcome of key selection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    /// Use `keys[index]`.
    Found {
        /// Index into the key list.
        index: usize,
        /// How it matched.
        how: KidMatch,
    },
    /// No key fits.
    NotFound,
}

/// Pick the key for `kid`: an exact match first, then an Azure Key Vault URL match,
/// then the first key that has no kid.
pub fn select_key(keys: &[PublicKey], kid: &str) -> Selection {
    let found = |how, pred: &dyn Fn(&PublicKey) -> bool| {
        keys.iter().position(pred).map(|index| Selection::Found { index, how })
    };
    found(KidMatch::Exact, &|k| k.kid.as_deref() == Some(kid))
        .or_else(|| found(KidMatch::AzureKeyUrl, &|k| k.kid.as_deref().is_some_and(|k| azure_match(k, kid))))
        .or_else(|| found(KidMatch::NotChecked, &|k| k.kid.is_none()))
        .unwrap_or(Selection::NotFound)
}

/// `keys/{name}/{version}` of a full Key Vault key URL, or `None`.
fn azure_suffix(kid: &str) -> Option<&str> {
    let rest = kid.strip_prefix("https://")?;
    let (host, path) = rest.split_once('/')?;
    let host = host.strip_suffix(":443").unwrap_or(host);
    let vault = host.strip_suffix(".vault.azure.net")?;
    if vault.is_empty() || vault.contains('.') {
        return None;
    }
    let mut parts = path.trim_end_matches('/').split('/');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some("keys"), Some(name), Some(version), None) if !name.is_empty() && !version.is_empty() => {
            path.get(..path.trim_end_matches('/').len())
        }
        _ => None,
    }
}

fn ends_with_segment(kid: &str, suffix: &str) -> bool {
    kid == suffix || kid.strip_suffix(suffix).is_some_and(|head| head.ends_with('/'))
}

fn azure_match(key_kid: &str, receipt_kid: &str) -> bool {
    match (azure_suffix(key_kid), azure_suffix(receipt_kid)) {
        (Some(s), None) => ends_with_segment(receipt_kid, s),
        (None, Some(s)) => ends_with_segment(key_kid, s),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn azure_urls_match_by_name_and_version() {
        let url = "https://kv-premium.vault.azure.net/keys/audit-2026/2";
        assert!(azure_match(url, "kv-premium/keys/audit-2026/2"));
        assert!(azure_match(url, "keys/audit-2026/2"));
        assert!(azure_match("kv-premium/keys/audit-2026/2", url));
        assert!(!azure_match(url, "kv-premium/keys/audit-2026/3"));
        assert!(!azure_match(url, "kv-premium/xkeys/audit-2026/2"));
        assert!(!azure_match(url, url));
        assert!(!azure_match("https://evil.example/keys/audit-2026/2", "keys/audit-2026/2"));
    }
}
