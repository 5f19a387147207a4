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

/// `s` without `suffix`, compared without ASCII case (DNS names and URL schemes).
fn strip_suffix_ignore_case<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = s.len().checked_sub(suffix.len())?;
    s.get(cut..)?.eq_ignore_ascii_case(suffix).then(|| s.get(..cut)).flatten()
}

/// The vault name and `keys/{name}/{version}` of a full Key Vault key URL, or `None`.
/// The scheme and host are compared without case (RFC 3986 §3.1, §3.2.2; DNS names are
/// case-insensitive), so `https://KV-PREMIUM.vault.azure.net/…` names vault `kv-premium`;
/// the path is compared exactly: no port, no trailing `/` (red team 11: both used to be
/// dropped, so `…/audit-2026/2/` and `…vault.azure.net:443/…` named the key).
fn azure_suffix(kid: &str) -> Option<(&str, &str)> {
    let rest = kid.get(..8).filter(|s| s.eq_ignore_ascii_case("https://")).and_then(|_| kid.get(8..))?;
    let (host, path) = rest.split_once('/')?;
    let vault = strip_suffix_ignore_case(host, ".vault.azure.net")?;
    if vault.is_empty() || vault.contains('.') {
        return None;
    }
    let mut parts = path.split('/');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some("keys"), Some(name), Some(version), None) if !name.is_empty() && !version.is_empty() => {
            Some((vault, path))
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
    let named = strip_suffix_ignore_case(named, ".vault.azure.net").unwrap_or(named);
    named.eq_ignore_ascii_case(vault)
}

fn azure_match(key_kid: &str, receipt_kid: &str) -> bool {
    match (azure_suffix(key_kid), azure_suffix(receipt_kid)) {
        (Some((vault, s)), None) => names_same_key(receipt_kid, vault, s),
        (None, Some((vault, s))) => names_same_key(key_kid, vault, s),
        // Two key URLs that differ only in the case of scheme or host (v1.1).
        (Some((v1, s1)), Some((v2, s2))) => v1.eq_ignore_ascii_case(v2) && s1 == s2,
        (None, None) => false,
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
        // Equal URLs match exactly, before this is asked.
        assert!(azure_match(url, url));
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

    /// Scheme and host are DNS names, compared without case; the path is not (v1.1).
    #[test]
    fn vault_host_case_does_not_matter_but_the_path_does() {
        let lower = "https://kv-premium.vault.azure.net/keys/audit-2026/2";
        let upper = "https://KV-PREMIUM.vault.azure.net/keys/audit-2026/2";
        assert!(azure_match(upper, lower));
        assert!(azure_match(lower, upper));
        assert!(azure_match("HTTPS://kv-premium.VAULT.AZURE.NET/keys/audit-2026/2", lower));
        assert!(azure_match(upper, "kv-premium/keys/audit-2026/2"));
        assert!(azure_match(upper, "keys/audit-2026/2"));
        assert!(azure_match(lower, "KV-PREMIUM.VAULT.AZURE.NET/keys/audit-2026/2"));
        assert!(!azure_match(upper, "https://kv-premium.vault.azure.net/keys/AUDIT-2026/2"));
        assert!(!azure_match(upper, "https://kv-other.vault.azure.net/keys/audit-2026/2"));
        assert!(!azure_match(upper, "kv-other/keys/audit-2026/2"));
        assert!(!azure_match("https://kv-premium.vault.azure.net.evil/keys/audit-2026/2", lower));
    }

    /// Red team 11: a trailing `/` or an explicit `:443` is another path or host as written,
    /// not the same key URL (SPEC.md §11: only the case of scheme and host may differ).
    #[test]
    fn a_trailing_slash_or_a_port_is_not_the_same_key_url() {
        let url = "https://kv-premium.vault.azure.net/keys/audit-2026/2";
        for other in [
            "https://kv-premium.vault.azure.net/keys/audit-2026/2/",
            "https://kv-premium.vault.azure.net/keys/audit-2026/2///",
            "https://kv-premium.vault.azure.net:443/keys/audit-2026/2",
            "https://kv-premium.vault.azure.net:443/keys/audit-2026/2/",
        ] {
            assert!(!azure_match(url, other), "{other}");
            assert!(!azure_match(other, url), "{other}");
            assert!(!azure_match(other, "kv-premium/keys/audit-2026/2"), "{other}");
        }
        assert!(!azure_match(url, "kv-premium/keys/audit-2026/2/"));
        // Control: the URL itself still matches its short forms.
        assert!(azure_match(url, "kv-premium/keys/audit-2026/2") && azure_match(url, "keys/audit-2026/2"));
    }
}
