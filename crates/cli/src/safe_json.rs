//! Pretty JSON for a terminal: serde_json escapes only `"`, `\` and C0 controls, so DEL,
//! C1 controls, bidi overrides and zero-width characters would reach the terminal raw.
//! This formatter writes every such character (see [`receipt_verify::is_invisible`]) as a
//! JSON `\uXXXX` escape instead. The document parses to exactly the same values.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};

/// Write `value` as pretty JSON, with invisible characters escaped.
pub fn to_writer_pretty(out: &mut impl Write, value: &impl Serialize) -> serde_json::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(out, EscapeInvisible(PrettyFormatter::new()));
    value.serialize(&mut ser)
}

struct EscapeInvisible<'a>(PrettyFormatter<'a>);

impl Formatter for EscapeInvisible<'_> {
    fn write_string_fragment<W: ?Sized + Write>(&mut self, w: &mut W, fragment: &str) -> io::Result<()> {
        let mut rest = fragment;
        while let Some((at, c)) = rest.char_indices().find(|&(_, c)| receipt_verify::is_invisible(c)) {
            w.write_all(rest.get(..at).unwrap_or_default().as_bytes())?;
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                write!(w, "\\u{unit:04x}")?;
            }
            rest = rest.get(at + c.len_utf8()..).unwrap_or_default();
        }
        w.write_all(rest.as_bytes())
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn escapes_invisible_characters_and_keeps_the_values() {
        let value = serde_json::json!({ "k\u{202e}": ["a\u{1b}[2J\rb\u{85}\u{7f}\u{200b}\u{e0041}é✅", 1] });
        let mut out = Vec::new();
        to_writer_pretty(&mut out, &value).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.chars().any(|c| c != '\n' && receipt_verify::is_invisible(c)), "{text}");
        assert!(text.contains("\\u202e") && text.contains("\\u001b") && text.contains("\\udb40\\udc41"), "{text}");
        assert!(text.contains("é✅"), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
        assert_eq!(
            text,
            serde_json::to_string_pretty(&value)
                .unwrap()
                .replace('\u{202e}', "\\u202e")
                .replace('\u{85}', "\\u0085")
                .replace('\u{7f}', "\\u007f")
                .replace('\u{200b}', "\\u200b")
                .replace('\u{e0041}', "\\udb40\\udc41")
        );
    }
}
