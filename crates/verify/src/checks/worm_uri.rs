//! The strict `wormBlobUri` grammar (SPEC.md §9, v1.1). It is read as written and never
//! normalised: no decoding, no case folding of the path, no dot-segment removal, so the
//! path the suffix rule sees is the path a server is asked for. (A URL library would
//! normalise, which is exactly what must not happen here.)
//!
//! `https://` (scheme in any case) · a DNS host · an optional port (no leading zero) · a
//! path starting with `/` · an optional non-empty query after the path. No userinfo, no
//! fragment; no spaces, backslashes or control characters anywhere; in the path no
//! percent-encoding, no empty, `.` or `..` segment, no `;` parameters, only RFC 3986
//! path characters or letters and digits written as such (a customerId as written).

/// The parts of a strict WORM URI.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct WormUri<'u> {
    pub host: &'u str,
    pub port: Option<u16>,
    /// The path as written, starting with `/`.
    pub path: &'u str,
    pub query: Option<&'u str>,
}

/// Longest DNS name (RFC 1035 §2.3.4, without the final dot).
const MAX_HOST: usize = 253;
/// Longest DNS label.
const MAX_LABEL: usize = 63;

/// Read `uri` strictly; `Err` says which rule it breaks.
pub(crate) fn parse(uri: &str) -> Result<WormUri<'_>, &'static str> {
    if let Some(bad) = uri.chars().find(|c| c.is_control() || c.is_whitespace() || *c == '\\' || invisible(*c)) {
        return Err(match bad {
            '\\' => "it contains a backslash",
            c if c.is_control() => "it contains a control character",
            c if invisible(c) => "it contains an invisible or bidi control character",
            _ => "it contains a space or other blank",
        });
    }
    let scheme = uri.get(..8).filter(|s| s.eq_ignore_ascii_case("https://")).ok_or("the scheme must be https://")?;
    let rest = uri.get(scheme.len()..).unwrap_or_default();
    if rest.contains('#') {
        return Err("it has a fragment (#…)");
    }
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, after) = rest.split_at(authority_end);
    if authority.contains('@') {
        return Err("it has userinfo (…@) before the host");
    }
    if authority.starts_with('[') {
        return Err("its host is an IP literal, not a DNS name");
    }
    let (host, port) = match authority.split_once(':') {
        Some((host, port)) => (host, Some(port_number(port)?)),
        None => (authority, None),
    };
    dns_name(host)?;
    if !after.starts_with('/') {
        return Err("it has no path after the host (a query may only follow the path)");
    }
    let (path, query) = match after.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (after, None),
    };
    if path.contains('%') {
        return Err("its path is percent-encoded (%); write it as the customerId and signedAt are written");
    }
    let segments = path.get(1..).unwrap_or_default().split('/');
    if segments.clone().any(|segment| segment == "." || segment == "..") {
        return Err("its path has a . or .. segment");
    }
    if segments.clone().any(str::is_empty) {
        return Err("its path has an empty segment (//, or a / at the end)");
    }
    if path.contains(';') {
        return Err("its path has ; parameters");
    }
    if !path.chars().all(|c| c == '/' || path_char(c)) {
        return Err("its path has a character that is neither an RFC 3986 path character nor a letter or digit");
    }
    if let Some(q) = query {
        query_ok(q)?;
    }
    Ok(WormUri { host, port, path, query })
}

/// Whether `s` can be one path segment as written: not empty, and only [`path_char`]s
/// (so no `/`, `;`, `%`, `?`, `#` or blanks).
pub(crate) fn is_segment(s: &str) -> bool {
    !s.is_empty() && s.chars().all(path_char)
}

/// RFC 3986 `pchar` without `%` and `;`, or a non-ASCII letter or digit (a customerId is
/// used as written, so `kunde-ü` stays `kunde-ü`; look-alike slashes such as U+2215 are
/// not letters).
fn path_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || "-._~!$&'()*+,=:@".contains(c)
    } else {
        c.is_alphanumeric()
    }
}

/// A query: not empty, RFC 3986 query characters, `%` only as `%` and two hex digits.
fn query_ok(q: &str) -> Result<(), &'static str> {
    const BAD: &str = "its query has a character outside RFC 3986 or a broken %-escape";
    if q.is_empty() {
        return Err("it has an empty query (a ? with nothing after it)");
    }
    let b = q.as_bytes();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%' {
            let hex = b.get(i + 1..i + 3).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit));
            if !hex {
                return Err(BAD);
            }
            i += 3;
        } else if c.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?".contains(&c) {
            i += 1;
        } else {
            return Err(BAD);
        }
    }
    Ok(())
}

/// Format characters that change how text reads without showing: soft hyphen,
/// zero-width characters, bidi embeddings, overrides and isolates, word joiners, BOM.
fn invisible(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
}

/// A port: 1 to 5 digits, 1..=65535, no leading zero (`0443` is not written `443`).
fn port_number(port: &str) -> Result<u16, &'static str> {
    let digits =
        !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit()) && !port.starts_with('0');
    digits
        .then(|| port.parse::<u16>().ok())
        .flatten()
        .filter(|p| *p != 0)
        .ok_or("its port is not a number from 1 to 65535")
}

/// A DNS host name (RFC 1123 §2.1): dot-separated labels of letters, digits and
/// hyphens, 1–63 characters, not starting or ending with a hyphen; the last label is not
/// a number, so IPv4 literals are not names (RFC 3696 §2). A number is all digits, or, as
/// the WHATWG URL parser (browsers, Node) reads an IPv4 part, `0x` and hex digits:
/// `0x7f000001` and `127.0.0.0x1` are 127.0.0.1 there (red team 11).
fn dns_name(host: &str) -> Result<(), &'static str> {
    const BAD: &str = "its host is not a DNS name (letters, digits, hyphens and dots; no IP literal)";
    if host.is_empty() {
        return Err("it has no host");
    }
    if host.len() > MAX_HOST {
        return Err(BAD);
    }
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= MAX_LABEL
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    let number = |l: &str| {
        let hex = l.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("0x"))
            && l.get(2..).is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
        hex || l.bytes().all(|b| b.is_ascii_digit())
    };
    let last_is_name = host.rsplit('.').next().is_some_and(|l| !number(l));
    (host.split('.').all(label_ok) && last_is_name).then_some(()).ok_or(BAD)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const TAIL: &str = "/cust-0042/2026/03/02/0901Z.json";

    #[test]
    fn honest_uris_are_read_as_written() {
        let azure = format!("https://acct.blob.core.windows.net/worm{TAIL}?versionid=2026-03-02T09:01:00.1234567Z");
        let u = parse(&azure).unwrap();
        assert_eq!(
            (u.host, u.path, u.query),
            ("acct.blob.core.windows.net", &*format!("/worm{TAIL}"), Some("versionid=2026-03-02T09:01:00.1234567Z"))
        );
        let upper = format!("HTTPS://Worm-1.Example:8443{TAIL}");
        let u = parse(&upper).unwrap();
        assert_eq!((u.host, u.port, u.path, u.query), ("Worm-1.Example", Some(8443), TAIL, None));
        assert!(parse(&format!("https://localhost{TAIL}")).is_ok());
        assert!(parse(&format!("https://s3.eu-west-1.amazonaws.com/bucket{TAIL}?versionId=a%2Fb")).is_ok());
        // (v1.1) A customerId written with non-ASCII letters, as written; punycode hosts;
        // sub-delimiters other than ; in the path.
        assert!(parse("https://h.example/kunde-ü/2026/03/02/0901Z.json").is_ok());
        assert!(parse(&format!("https://xn--80ak6aa92e.com{TAIL}")).is_ok());
        assert!(parse(&format!("https://h.example/a=b,c(d)~e{TAIL}?x=1&y=a:b@c/d?e")).is_ok());
        assert!(parse(&format!("https://h.example:443{TAIL}")).is_ok());
        // The longest name (253 characters: labels of 63, 63, 63 and 61) and a two-letter
        // top-level label (mutation audit: both were refused under a mutant).
        let longest = [&*"a".repeat(63), &"b".repeat(63), &"c".repeat(63), &"d".repeat(61)].join(".");
        assert_eq!(longest.len(), 253);
        assert_eq!(parse(&format!("https://{longest}{TAIL}")).map(|u| u.host), Ok(&*longest));
        assert!(parse(&format!("https://worm.example.de{TAIL}")).is_ok());
        assert!(parse(&format!("https://worm.example.0xg{TAIL}")).is_ok());
    }

    #[test]
    fn refuses_every_broken_rule() {
        let refused = [
            (format!("https://evil.example?x={TAIL}"), "no path"),
            (format!("https://@{TAIL}"), "userinfo"),
            (format!("https://evil.example\\@good{TAIL}"), "backslash"),
            (format!("https://user:pw@good.example{TAIL}"), "userinfo"),
            (format!("https://good.example{TAIL}#x"), "fragment"),
            (format!("https://good.example/a#{TAIL}"), "fragment"),
            (format!("http://good.example{TAIL}"), "scheme"),
            (format!("ftp://good.example{TAIL}"), "scheme"),
            (format!("https:/good.example{TAIL}"), "scheme"),
            (format!(" https://good.example{TAIL}"), "blank"),
            (format!("https://good.example/a b{TAIL}"), "blank"),
            (format!("https://good.example/a\\b{TAIL}"), "backslash"),
            (format!("https://good.example/a\u{1b}[2J{TAIL}"), "control"),
            (format!("https://good.example/a\u{85}{TAIL}"), "control"),
            (format!("https://good.example/a\u{202e}{TAIL}"), "bidi"),
            (format!("https://good.example/a\u{200b}{TAIL}"), "invisible"),
            (format!("https://good.example/%2e%2e{TAIL}"), "percent"),
            ("https://good.example/cust-0042%2F2026/03/02/0901Z.json".to_string(), "percent"),
            (format!("https://good.example/x/..{TAIL}"), ". or .."),
            (format!("https://good.example/./{TAIL}"), ". or .."),
            (format!("https://{TAIL}"), "no host"),
            (format!("https://:443{TAIL}"), "no host"),
            (format!("https://good.example:{TAIL}"), "port"),
            (format!("https://good.example:0{TAIL}"), "port"),
            (format!("https://good.example:65536{TAIL}"), "port"),
            (format!("https://good.example:+443{TAIL}"), "port"),
            (format!("https://good.example:44a{TAIL}"), "port"),
            (format!("https://good.example:1:2{TAIL}"), "port"),
            (format!("https://127.0.0.1{TAIL}"), "DNS"),
            // Red team 11: IPv4 as the WHATWG URL parser reads hex parts.
            (format!("https://0x7f000001{TAIL}"), "DNS"),
            (format!("https://127.0.0.0x1{TAIL}"), "DNS"),
            (format!("https://0xa9.0xfe.0xa9.0xFE{TAIL}"), "DNS"),
            (format!("https://good.0X{TAIL}"), "DNS"),
            (format!("https://[::1]{TAIL}"), "IP literal"),
            (format!("https://-bad.example{TAIL}"), "DNS"),
            (format!("https://bad-.example{TAIL}"), "DNS"),
            (format!("https://good..example{TAIL}"), "DNS"),
            (format!("https://good.example.{TAIL}"), "DNS"),
            (format!("https://g_ood.example{TAIL}"), "DNS"),
            (format!("https://gööd.example{TAIL}"), "DNS"),
            (format!("https://{}.example{TAIL}", "a".repeat(64)), "DNS"),
            (format!("https://{}{TAIL}", ["a"; 128].join(".")), "DNS"),
            (
                format!("https://{}.{}.{}.{}{TAIL}", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(62)),
                "DNS",
            ),
            ("https://good.example".to_string(), "no path"),
            ("https://good.example?versionid=1".to_string(), "no path"),
            // v1.1 (red team): empty segments, parameters, padded ports, odd characters.
            (format!("https://h.example/{TAIL}"), "empty segment"),
            (format!("https://h.example/a//b{TAIL}"), "empty segment"),
            (format!("https://h.example{TAIL}/"), "empty segment"),
            (format!("https://h.example/a;x=1{TAIL}"), "; parameters"),
            ("https://h.example/cust-0042;v=1/2026/03/02/0901Z.json".to_string(), "; parameters"),
            (format!("https://h.example:0443{TAIL}"), "port"),
            (format!("https://h.example:00443{TAIL}"), "port"),
            ("https://h.example/kunde-%C3%BC/2026/03/02/0901Z.json".to_string(), "percent"),
            ("https://h.example/cust-0042\u{2215}2026/03/02/0901Z.json".to_string(), "RFC 3986"),
            (format!("https://h.example/a\"b{TAIL}"), "RFC 3986"),
            (format!("https://h.example/a<b>{TAIL}"), "RFC 3986"),
            (format!("https://h.example{TAIL}?"), "empty query"),
            (format!("https://h.example{TAIL}?x=%2"), "query"),
            (format!("https://h.example{TAIL}?x=%zz"), "query"),
            (format!("https://h.example{TAIL}?x=ü"), "query"),
        ];
        for (uri, why) in refused {
            match parse(&uri) {
                Err(reason) => assert!(reason.contains(why), "{uri:?}: {reason}"),
                Ok(u) => panic!("{uri:?} was accepted as {u:?}"),
            }
        }
    }
}
