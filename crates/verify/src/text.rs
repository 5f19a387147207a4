//! Small text helpers for messages about untrusted input.

use std::fmt;

/// Shorten untrusted text for a message (80 characters at most).
pub(crate) fn shorten(s: &str) -> String {
    const MAX: usize = 80;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let head: String = s.chars().take(MAX).collect();
        format!("{head}…")
    }
}

/// `s` in double quotes with `"`, `\` and control characters escaped, JSON style. Used
/// instead of `{:?}`, whose Unicode tables would grow the WASM build for no gain.
pub(crate) fn q(s: &str) -> Quoted<'_> {
    Quoted(s)
}

/// See [`q`].
pub(crate) struct Quoted<'a>(&'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"")?;
        for c in self.0.chars() {
            match c {
                '"' => f.write_str("\\\"")?,
                '\\' => f.write_str("\\\\")?,
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                c if u32::from(c) < 0x20 || c == '\u{7f}' => write!(f, "\\u{:04x}", u32::from(c))?,
                c => write!(f, "{c}")?,
            }
        }
        f.write_str("\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn quotes_like_json() {
        assert_eq!(q("a\"b\\c\nd\u{1}é").to_string(), "\"a\\\"b\\\\c\\nd\\u0001é\"");
        assert_eq!(shorten(&"x".repeat(100)).chars().count(), 81);
    }
}
