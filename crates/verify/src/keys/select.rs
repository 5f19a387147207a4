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
    /// `https://{vault}.vault.azure.net/keys/{name}/{version}` and the other is
    /// `keys/{name}/{version}`, or names the same vault before it (`{vault}/keys/…`).
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

/// The vault name and `keys/{name}/{version}` of a full Key Vault key URL, or `None`.
fn azure_suffix(kid: &str) -> Option<(&str, &str)> {
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
            Some((vault, path.get(..path.trim_end_matches('/').len())?))
        }
        _ => None,
    }
}

/// `kid` is `keys/{name}/{version}` alone, or preceded by the same vault, as
/// `{vault}/keys/…` or `{vault}.vault.azure.net/keys/…` (vault names are DNS labels:
/// compared without case). Another vault, or any other prefix, is not a match.
fn names_same_key(kid: &str, vault: &str, suffix: &str) -> bool {
    let Some(head) = kid.strip_suffix(suffix) else { return false };
    if head.is_empty() {
        return true;
    }
    let Some(named) = head.strip_suffix('/') else { return false };
    let named = named.strip_suffix(".vault.azure.net").unwrap_or(named);
    named.eq_ignore_ascii_case(vault)
}

fn azure_match(key_kid: &str, receipt_kid: &str) -> bool {
    match (azure_suffix(key_kid), azure_suffix(receipt_kid)) {
        (Some((vault, s)), None) => names_same_key(receipt_kid, vault, s),
        (None, Some((vault, s))) => names_same_key(key_kid, vault, s),
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

    /// A receipt kid naming a vault matches only that vault's key URL (v1.1).
    #[test]
    fn a_named_vault_must_be_the_same_vault() {
        let url = "https://kv-premium.vault.azure.net/keys/audit-2026/2";
        assert!(azure_match(url, "KV-Premium/keys/audit-2026/2"));
        assert!(azure_match(url, "kv-premium.vault.azure.net/keys/audit-2026/2"));
        assert!(!azure_match(url, "kv-other/keys/audit-2026/2"));
        assert!(!azure_match(url, "evil/kv-premium/keys/audit-2026/2"));
        assert!(!azure_match(url, "xkv-premium/keys/audit-2026/2"));
        assert!(!azure_match(url, "/keys/audit-2026/2"));
        assert!(!azure_match("kv-other/keys/audit-2026/2", url));
        assert!(!azure_match(url, "kv-other.vault.azure.net/keys/audit-2026/2"));
    }
}
