//! Small text helpers for messages about untrusted input.
//!
//! Every value a receipt, key or file name carries may be printed to a terminal or shown
//! on a page. A value must never be able to move the cursor, clear the screen, reverse
//! the text that follows it or hide itself, so the characters that could are written as
//! a visible escape, `\u{hex}` (the form Rust's `{:?}` uses): C0 and C1 controls and
//! DEL, bidi controls, zero-width and other format characters, line and paragraph
//! separators, and blank characters other than the ASCII space (no-break and typographic
//! spaces, braille and Hangul blanks, variation selectors, tag characters).

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

/// `525600` as `525,600`: counts for people, in the CLI and in the page's labels.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// Whether `c` is a control, format, separator or blank character that a reader would
/// not see as itself. The ASCII space is the only blank let through.
pub fn is_invisible(c: char) -> bool {
    matches!(
        u32::from(c),
        // C0 controls, DEL and C1 controls (ESC, CR, BS, CSI …).
        0x00..=0x1f | 0x7f..=0x9f
        // No-break space, soft hyphen, combining grapheme joiner.
        | 0xa0 | 0xad | 0x34f
        // Arabic number signs and letter mark, Syriac abbreviation mark, Arabic marks.
        | 0x600..=0x605 | 0x61c | 0x6dd | 0x70f | 0x890..=0x891 | 0x8e2
        // Hangul fillers, Khmer invisible vowels, Mongolian selectors and vowel separator.
        | 0x115f..=0x1160 | 0x1680 | 0x17b4..=0x17b5 | 0x180b..=0x180f
        // Typographic spaces, zero-width characters, LRM/RLM, line and paragraph
        // separators, bidi embeddings/overrides (U+202A–U+202E), narrow no-break space.
        | 0x2000..=0x200f | 0x2028..=0x202f
        // Medium math space, word joiner, invisible operators, bidi isolates, deprecated
        // format characters.
        | 0x205f..=0x206f
        // Braille blank, ideographic space, Hangul filler.
        | 0x2800 | 0x3000 | 0x3164
        // Variation selectors, BOM / zero-width no-break space, half-width Hangul filler,
        // unassigned code points a renderer must ignore (U+FFF0–U+FFF8), interlinear
        // annotation characters.
        | 0xfe00..=0xfe0f | 0xfeff | 0xffa0 | 0xfff0..=0xfffb
        // Kaithi and Egyptian format characters, shorthand format controls, the musical
        // null notehead and symbol formatting.
        | 0x110bd | 0x110cd | 0x13430..=0x1343f | 0x1bca0..=0x1bca3 | 0x1d159 | 0x1d173..=0x1d17a
        // The whole block of tags and variation selectors supplement, unassigned code
        // points included: Unicode makes all of it Default_Ignorable, so a renderer that
        // knows a newer version draws them as nothing (red team 6).
        | 0xe0000..=0xe0fff
    )
}

/// `s` as it is, except that every [`is_invisible`] character is written `\u{hex}`
/// (`\n`, `\r` and `\t` as such).
/// Backslashes are left alone, so text escaped by [`q`] passes through unchanged.
/// Use it for every untrusted value a person reads: file names, kids, JSON pointers,
/// messages.
pub fn visible(s: &str) -> Visible<'_> {
    Visible(s)
}

/// See [`visible`].
pub struct Visible<'a>(&'a str);

impl fmt::Display for Visible<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some((at, c)) = rest.char_indices().find(|&(_, c)| is_invisible(c)) {
            f.write_str(rest.get(..at).unwrap_or_default())?;
            match c {
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                c => write!(f, "\\u{{{:x}}}", u32::from(c))?,
            }
            rest = rest.get(at + c.len_utf8()..).unwrap_or_default();
        }
        f.write_str(rest)
    }
}

/// `s` in double quotes with `"` and `\` escaped, `\n`, `\r` and `\t` as in JSON, and
/// every other [`is_invisible`] character written `\u{hex}`. Used instead of `{:?}`,
/// whose Unicode tables would grow the WASM build for no gain.
pub fn q(s: &str) -> Quoted<'_> {
    Quoted(s)
}

/// See [`q`].
pub struct Quoted<'a>(&'a str);

/// Characters of a value [`q`] writes; a longer value is cut there and its length given, so
/// a 1 MB name quoted in a thousand findings cannot make a gigabyte of report.
pub const MAX_QUOTED_CHARS: usize = 200;

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cut = self.0.char_indices().nth(MAX_QUOTED_CHARS).map(|(at, _)| at);
        let shown = cut.and_then(|at| self.0.get(..at)).unwrap_or(self.0);
        f.write_str("\"")?;
        Quoted::escaped(shown, f)?;
        match cut {
            Some(_) => write!(f, "…\" ({} bytes)", self.0.len()),
            None => f.write_str("\""),
        }
    }
}

impl Quoted<'_> {
    fn escaped(s: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Plain runs are written whole: formatting char by char made long kids slow.
        let mut plain = 0;
        for (at, c) in s.char_indices() {
            let escape = match c {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                c if is_invisible(c) => "",
                _ => continue,
            };
            f.write_str(s.get(plain..at).unwrap_or_default())?;
            if escape.is_empty() {
                write!(f, "\\u{{{:x}}}", u32::from(c))?;
            } else {
                f.write_str(escape)?;
            }
            plain = at + c.len_utf8();
        }
        f.write_str(s.get(plain..).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn long_values_are_cut_and_their_length_given() {
        let long = "é".repeat(MAX_QUOTED_CHARS + 1);
        let shown = q(&long).to_string();
        assert_eq!(shown, format!("\"{}…\" ({} bytes)", "é".repeat(MAX_QUOTED_CHARS), long.len()));
        let exact = "a".repeat(MAX_QUOTED_CHARS);
        assert_eq!(q(&exact).to_string(), format!("\"{exact}\""), "a value of the limit is shown whole");
    }

    #[test]
    fn quotes_like_json_with_visible_escapes() {
        assert_eq!(q("a\"b\\c\nd\u{1}é").to_string(), "\"a\\\"b\\\\c\\nd\\u{1}é\"");
        assert_eq!(q("\u{1b}[2J\u{202e}").to_string(), "\"\\u{1b}[2J\\u{202e}\"");
        assert_eq!(shorten(&"x".repeat(100)).chars().count(), 81);
    }

    #[test]
    fn makes_terminal_and_bidi_controls_visible() {
        let attack = "x\u{1b}[2J\u{1b}[H\rVERIFIED\u{202e}lmth.\u{2066}\u{200b}\u{2028}\u{2800}\u{3164}\u{e0041}\u{85}";
        let shown = visible(attack).to_string();
        assert_eq!(
            shown,
            "x\\u{1b}[2J\\u{1b}[H\\rVERIFIED\\u{202e}lmth.\\u{2066}\\u{200b}\\u{2028}\\u{2800}\\u{3164}\\u{e0041}\\u{85}"
        );
        assert!(!shown.chars().any(is_invisible), "{shown}");
        // What a reader sees is kept: letters, accents, other scripts, emoji, backslashes.
        let honest = "joão Ωμέγα 東京 ✅ C:\\keys\\a.pem \"q\"";
        assert_eq!(visible(honest).to_string(), honest);
        // Escaped text passes through unchanged.
        let quoted = q(attack).to_string();
        assert_eq!(visible(&quoted).to_string(), quoted);
    }

    #[test]
    fn every_listed_range_is_escaped_at_both_ends() {
        let ends = [
            0x00, 0x1f, 0x7f, 0x9f, 0xa0, 0xad, 0x34f, 0x61c, 0x115f, 0x1680, 0x180e, 0x2000, 0x200b, 0x200f, 0x2028,
            0x202e, 0x202f, 0x205f, 0x2066, 0x2069, 0x206f, 0x2800, 0x3000, 0x3164, 0xfe0f, 0xfeff, 0xffa0, 0xfff0,
            0xfff8, 0x1d159, 0xe0000, 0xe0001, 0xe007f, 0xe0080, 0xe00ff, 0xe01ef, 0xe01f0, 0xe0fff,
        ];
        for n in ends {
            let c = char::from_u32(n).unwrap();
            assert!(is_invisible(c), "U+{n:04X}");
        }
        for c in [
            ' ',
            'a',
            '~',
            '\u{a1}',
            '\u{2010}',
            '\u{2030}',
            '\u{2070}',
            '\u{2801}',
            '\u{fe10}',
            '\u{fffc}',
            '\u{1d158}',
            '\u{1f600}',
            '\u{f0000}',
        ] {
            assert!(!is_invisible(c), "{c}");
        }
    }
}
