//! Values from files, made safe to read: clamped in length, and every character that could
//! hide, reorder or blank out what follows (bidi controls, line separators, zero-width and
//! blank characters such as U+2800) shown as `<U+202E>`. The view also isolates each value
//! in a `<bdi>`, so a right-to-left value cannot reorder the words around it.

/// Clamp for short values: file names, kids, chip labels.
pub const SHORT: usize = 80;
/// Clamp for longer values: check messages, expected and actual values.
pub const LONG: usize = 400;

/// Whether `c` is shown as its code point instead of itself.
fn hidden(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'          // C0, DEL, C1 controls
        | '\u{a0}' | '\u{ad}' | '\u{34f}' | '\u{61c}'      // no-break space, soft hyphen, CGJ, ALM
        // Arabic number signs and marks, Syriac abbreviation mark (format characters).
        | '\u{600}'..='\u{605}' | '\u{6dd}' | '\u{70f}' | '\u{890}' | '\u{891}' | '\u{8e2}'
        | '\u{115f}' | '\u{1160}' | '\u{1680}' | '\u{17b4}' | '\u{17b5}'
        | '\u{180b}'..='\u{180f}'                          // Mongolian variation selectors, vowel separator
        | '\u{2000}'..='\u{200f}'                          // wide spaces, zero-width, LRM/RLM
        | '\u{2028}'..='\u{202f}'                          // line/paragraph separators, bidi embeddings
        | '\u{205f}'..='\u{206f}'                          // word joiner, invisible operators, bidi isolates
        | '\u{2800}' | '\u{3000}' | '\u{3164}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}' | '\u{ffa0}'
        | '\u{fff0}'..='\u{fffb}' | '\u{e0000}'..='\u{e0fff}' | '\u{1d159}' | '\u{1d173}'..='\u{1d17a}'
        // Kaithi number signs, Egyptian hieroglyph and shorthand format controls.
        | '\u{110bd}' | '\u{110cd}' | '\u{13430}'..='\u{1343f}' | '\u{1bca0}'..='\u{1bca3}')
}

/// `value` as people should read it: hidden characters spelled out, at most `max`
/// characters of the original, then "… (+N characters)".
pub fn visible(value: &str, max: usize) -> String {
    let mut out = String::with_capacity(value.len().min(max * 4));
    let mut chars = value.chars();
    for (taken, c) in chars.by_ref().enumerate() {
        if taken == max {
            // Put the character back into the count below.
            let rest = 1 + chars.count();
            out.push_str(&format!("… (+{rest} characters)"));
            return out;
        }
        if hidden(c) {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_characters_are_spelled_out_and_values_clamped() {
        assert_eq!(visible("kid-1", SHORT), "kid-1");
        assert_eq!(visible("joão", SHORT), "joão", "accented letters stay");
        assert_eq!(visible("a\u{202e}b", SHORT), "a<U+202E>b");
        assert_eq!(visible("\u{2800}\u{200b}\u{2028}\u{1b}", SHORT), "<U+2800><U+200B><U+2028><U+001B>");
        let long = "\u{2800}".repeat(3000);
        let shown = visible(&long, 10);
        assert!(shown.ends_with("… (+2990 characters)"), "{shown}");
        assert_eq!(shown.matches("<U+2800>").count(), 10);
        assert_eq!(visible("abc", 3), "abc");
        assert_eq!(visible("abcd", 3), "abc… (+1 characters)");
    }

    /// Red team 6: the page and the CLI (receipt_verify's `is_invisible`, SPEC.md §12
    /// "What people read") spell out exactly the same characters, over every code point:
    /// the page showed Mongolian variation selectors (U+180B), the Ogham space mark and the
    /// shorthand format controls (U+1BCA0) as themselves, so `/kid\u{180b}` read `/kid`,
    /// and the CLI showed unassigned default-ignorables (U+E0080) the page spelled out.
    #[test]
    fn the_page_spells_out_exactly_what_the_cli_escapes() {
        let mut checked = 0;
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            assert_eq!(hidden(c), receipt_verify::is_invisible(c), "U+{:04X}", c as u32);
            checked += 1;
        }
        assert_eq!(checked, 0x110000 - 0x800, "every scalar value");
        assert_eq!(visible("/kid\u{180b}", SHORT), "/kid<U+180B>");
        // Positive control: letters, accents and right-to-left letters stay themselves.
        for s in ["joão", "Nguyễn", "שלום", "山田", "ᠮᠣᠩᠭᠣᠯ"] {
            assert_eq!(visible(s, SHORT), s);
        }
    }
}
