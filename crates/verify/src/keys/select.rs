//! Choosing the key for a `kid` (SPEC.md, "Key selection").

use std::collections::HashMap;

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
/// then the first key that has no kid. Compares `kid` with every key's; [`KidIndex`]
/// answers the same by lookup, for a file of receipts.
pub fn select_key(keys: &[PublicKey], kid: &str) -> Selection {
    let kids: Vec<Option<&str>> = keys.iter().map(|k| k.kid.as_deref()).collect();
    select_linear(&kids, kid)
}

fn select_linear(kids: &[Option<&str>], kid: &str) -> Selection {
    let found = |how, pred: &dyn Fn(Option<&str>) -> bool| {
        kids.iter().position(|k| pred(*k)).map(|index| Selection::Found { index, how })
    };
    found(KidMatch::Exact, &|k| k == Some(kid))
        .or_else(|| found(KidMatch::AzureKeyUrl, &|k| k.is_some_and(|k| azure_match(k, kid))))
        .or_else(|| found(KidMatch::NotChecked, &|k| k.is_none()))
        .unwrap_or(Selection::NotFound)
}

/// [`select_key`] by lookup: built once per key set, it finds a receipt's key without
/// comparing its kid with every key's, so a file of receipts costs the same with 1 key
/// as with 256 (red team 17: 1,500,000 receipts naming other Key Vault keys took 2.3 s
/// with one key and 10-15 s with 256, each kid compared with every key's, its URL parsed
/// each time).
#[derive(Debug, Default)]
pub struct KidIndex {
    /// Keys by what they are looked up by, each list in key order: (index, what the
    /// lookup checks next). One map for the three lookups (a hash map, so building it is
    /// linear in the keys, whatever their number; one type of map, for the wasm's size):
    /// - [`Lookup::Exact`] + kid: every key with a kid;
    /// - [`Lookup::Url`] + `keys/{name}/{version}`: keys whose kid is a full Key Vault key
    ///   URL, with their vault;
    /// - [`Lookup::Other`] + the kid's last three `/` segments (all a shorter kid naming
    ///   `keys/{name}/{version}` can end with): the other keys, with their kid.
    by: HashMap<String, Vec<(usize, String)>>,
    /// The first key without a kid.
    kidless: Option<usize>,
}

/// Which lookup of [`KidIndex`] an entry belongs to: the first character of its map key.
#[derive(Clone, Copy)]
enum Lookup {
    Exact = b'e' as isize,
    Url = b'u' as isize,
    Other = b'o' as isize,
}

/// The map key of `key` in `lookup`.
fn map_key(lookup: Lookup, key: &str) -> String {
    let mut at = String::with_capacity(key.len() + 1);
    at.push(char::from(lookup as u8));
    at.push_str(key);
    at
}

impl KidIndex {
    fn add(&mut self, lookup: Lookup, key: &str, index: usize, value: &str) {
        self.by.entry(map_key(lookup, key)).or_default().push((index, value.to_string()));
    }

    /// The entries of `key` in `lookup`, in key order: (index, value).
    fn get(&self, lookup: Lookup, key: &str) -> impl Iterator<Item = (usize, &str)> + '_ {
        self.by.get(&map_key(lookup, key)).into_iter().flatten().map(|(i, v)| (*i, v.as_str()))
    }
}

impl KidIndex {
    /// The index of `keys`, which [`Self::select`] then takes indices into.
    pub fn new(keys: &[PublicKey]) -> Self {
        Self::of_kids(keys.iter().map(|k| k.kid.as_deref()))
    }

    fn of_kids<'a>(kids: impl Iterator<Item = Option<&'a str>>) -> Self {
        let mut index = KidIndex::default();
        for (i, kid) in kids.enumerate() {
            let Some(kid) = kid else {
                index.kidless.get_or_insert(i);
                continue;
            };
            index.add(Lookup::Exact, kid, i, "");
            match azure_suffix(kid) {
                Some((vault, path)) => index.add(Lookup::Url, path, i, vault),
                None => index.add(Lookup::Other, last_segments(kid), i, kid),
            }
        }
        index
    }

    /// What [`select_key`] gives for `kid` over the keys this index was built from.
    pub fn select(&self, kid: &str) -> Selection {
        if let Some((index, _)) = self.get(Lookup::Exact, kid).next() {
            return Selection::Found { index, how: KidMatch::Exact };
        }
        // The cases of `azure_match`, each looked up by the `keys/{name}/{version}` both
        // kids must end with; the first key that matches wins, as in `select_key`.
        let azure = match azure_suffix(kid) {
            Some((vault, path)) => {
                let urls = self.get(Lookup::Url, path).filter(|(_, v)| v.eq_ignore_ascii_case(vault));
                let others = self.get(Lookup::Other, path).filter(|(_, k)| names_same_key(k, vault, path));
                urls.chain(others).map(|(i, _)| i).min()
            }
            None => {
                let path = last_segments(kid);
                self.get(Lookup::Url, path).filter(|(_, vault)| names_same_key(kid, vault, path)).map(|(i, _)| i).min()
            }
        };
        match (azure, self.kidless) {
            (Some(index), _) => Selection::Found { index, how: KidMatch::AzureKeyUrl },
            (None, Some(index)) => Selection::Found { index, how: KidMatch::NotChecked },
            (None, None) => Selection::NotFound,
        }
    }
}

/// `kid` after the third `/` from its end, or all of it: `kv/keys/a/1` gives `keys/a/1`.
fn last_segments(kid: &str) -> &str {
    let mut cut = kid.len();
    for _ in 0..3 {
        match kid.get(..cut).and_then(|head| head.rfind('/')) {
            Some(at) => cut = at,
            None => return kid,
        }
    }
    kid.get(cut + 1..).unwrap_or(kid)
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

    /// A Key Vault URL is `https://{vault}.vault.azure.net/keys/{name}/{version}` with a
    /// one-label vault and a non-empty version; anything else is compared as written, so a
    /// dotted vault or an empty version names no key by its short form (mutation audit:
    /// both matched under a mutant of `azure_suffix`).
    #[test]
    fn only_a_real_key_vault_url_matches_a_short_kid() {
        // What the linear search and the index select for a key set of one kid.
        let both = |url: &str, kid: &str| {
            (select_linear(&[Some(url)], kid), KidIndex::of_kids([Some(url)].into_iter()).select(kid))
        };
        for (url, short) in [
            ("https://a.kv.vault.azure.net/keys/audit/1", "keys/audit/1"),
            ("https://a.kv.vault.azure.net/keys/audit/1", "a.kv/keys/audit/1"),
            ("https://kv.vault.azure.net/keys/audit-2026/", "keys/audit-2026/"),
            ("https://kv.vault.azure.net/keys//1", "keys//1"),
            ("https://.vault.azure.net/keys/audit/1", "keys/audit/1"),
        ] {
            assert!(!azure_match(url, short) && !azure_match(short, url), "{url} {short}");
            assert!(matches!(both(url, short), (Selection::NotFound, Selection::NotFound)), "{url} {short}");
        }
        // Control: the same shapes with one label and a version do match.
        assert!(azure_match("https://kv.vault.azure.net/keys/audit/1", "keys/audit/1"));
        assert!(matches!(
            both("https://kv.vault.azure.net/keys/audit/1", "keys/audit/1"),
            (Selection::Found { index: 0, .. }, Selection::Found { index: 0, .. })
        ));
    }

    /// `KidIndex` selects exactly what comparing with every key selects, for key sets and
    /// kids drawn from exact, short, vault-named and URL forms of a few keys, with the
    /// near misses that must not match (another vault, a trailing `/`, a port, case).
    #[test]
    fn the_index_selects_what_the_linear_search_selects() {
        let forms: [Option<&str>; 18] = [
            None,
            Some("keys/a/1"),
            Some("kv/keys/a/1"),
            Some("KV/keys/a/1"),
            Some("kv.vault.azure.net/keys/a/1"),
            Some("https://kv.vault.azure.net/keys/a/1"),
            Some("HTTPS://KV.vault.azure.net/keys/a/1"),
            Some("https://other.vault.azure.net/keys/a/1"),
            Some("https://kv.vault.azure.net/keys/a/1/"),
            Some("https://kv.vault.azure.net:443/keys/a/1"),
            Some("https://kv.vault.azure.net/keys/A/1"),
            Some("other/keys/a/1"),
            Some("x/kv/keys/a/1"),
            Some("/keys/a/1"),
            Some("xkeys/a/1"),
            Some("keys/a/2"),
            Some("kv/keys/a/2"),
            Some(""),
        ];
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            usize::try_from(state % n as u64).unwrap()
        };
        let (mut compared, mut azure) = (0, 0);
        for round in 0..3_000 {
            let kids: Vec<Option<&str>> = (0..round % 7).map(|_| forms[next(forms.len())]).collect();
            let index = KidIndex::of_kids(kids.iter().copied());
            for kid in forms.iter().flatten() {
                let expected = select_linear(&kids, kid);
                assert_eq!(index.select(kid), expected, "{kid:?} among {kids:?}");
                azure += usize::from(matches!(expected, Selection::Found { how: KidMatch::AzureKeyUrl, .. }));
                compared += 1;
            }
        }
        assert!(compared == 3_000 * 17 && azure > 5_000, "{compared} compared, {azure} Key Vault matches");
        assert_eq!(last_segments("kv/keys/a/1"), "keys/a/1");
        assert_eq!(last_segments("keys/a/1"), "keys/a/1");
        assert_eq!(last_segments("/keys/a/1"), "keys/a/1");
    }
}
