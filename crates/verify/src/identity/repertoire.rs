//! The characters an identity may hold (v1.1, SPEC.md §10 "Identities", step 2), and the
//! accent-free forms of the Latin letters it allows.
//!
//! Why a repertoire and not a list of look-alikes: a list is never complete (Cherokee
//! `Ꭺ`, small capitals `ᴀ`, IPA `ɑ`, non-ASCII hyphens `‑` and `−`, …), while a short
//! repertoire of letters whose look-alikes are known (Latin, Greek, Cyrillic: mapped by
//! the skeleton) or that no Latin name can be mistaken for (Hebrew, Arabic, Han, kana,
//! Hangul letters) is closed. Combining marks are refused, not stripped, so a name has one
//! spelling only: its precomposed (NFC) form. Every character that canonically
//! decomposes in the repertoire decomposes into a base letter and marks of U+0300–U+036F
//! or U+3099–U+309A, which are refused; so two accepted spellings are never canonically
//! equivalent, and no Unicode normalisation table is needed.

/// Why a character is not accepted in an identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outside {
    /// A combining mark: the name is not in precomposed (NFC) form.
    CombiningMark,
    /// Any other character outside the repertoire.
    Repertoire,
}

/// Whether `c` (after compatibility mapping, before case folding) may appear in an
/// identity. Whitespace and invisible characters are removed before this is asked.
pub(crate) fn check(c: char) -> Result<(), Outside> {
    let cp = u32::from(c);
    let allowed = match cp {
        // ASCII letters, digits and punctuation.
        0x21..=0x7E => true,
        // Latin-1 letters, Latin Extended-A, the accented letters of Extended-B, and
        // Latin Extended Additional (Vietnamese and other precomposed letters).
        0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0x17F | 0x1E00..=0x1EFF => true,
        0x180..=0x24F => latin_b_base(cp).is_some(),
        // The modern Greek alphabet, with tonos and dialytika.
        0x386 | 0x388..=0x38A | 0x38C | 0x38E..=0x3A1 | 0x3A3..=0x3CE => true,
        // Cyrillic and Cyrillic Supplement letters (not the combining U+0483–U+0489).
        0x400..=0x481 | 0x48A..=0x52F => true,
        // Hebrew letters (no points), Arabic letters (no harakat, no tatweel).
        0x5D0..=0x5EA | 0x620..=0x63F | 0x641..=0x64A => true,
        // Kana (not the combining or spacing voicing marks), iteration marks, Han
        // (not the compatibility ideographs U+F900–U+FAFF, U+2F800–U+2FA1F), Hangul
        // syllables (not the conjoining jamo).
        0x3005..=0x3007 | 0x3041..=0x3096 | 0x309D | 0x30A1..=0x30FA | 0x30FC | 0x30FD => true,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7A3 | 0x20000..=0x2F7FF | 0x30000..=0x3FFFF => true,
        _ => false,
    };
    if allowed {
        Ok(())
    } else if matches!(cp, 0x0300..=0x036F | 0x0483..=0x0489 | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0x3099 | 0x309A | 0xFE20..=0xFE2F)
    {
        Err(Outside::CombiningMark)
    } else {
        Err(Outside::Repertoire)
    }
}

/// Latin Extended Additional (U+1E00..=U+1EFF) without accents; `*` keeps the letter.
/// Generated from the Unicode canonical decompositions (base letter + marks).
const LATIN_EXTENDED_ADDITIONAL: &[u8; 256] = b"aabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkkllllllllmmmmmmnnnnnnnnoooooooopppprrrrrrrrssssssssssttttttttuuuuuuuuuuvvvvwwwwwwwwwwxxxxyyzzzzzzhtwy******aaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy******";

/// Latin Extended-B (U+0180..=U+024F): the ASCII base of the letters that canonically
/// decompose into one (`ǎ`, `ș`, `ơ`, …); `*` marks the others, which are refused.
const LATIN_EXTENDED_B: &[u8; 208] = b"********************************oo*************uu****************************aaiioouuuuuuuuuu*aaaa****ggkkoooo**j***gg**nnaa****aaaaeeeeiiiioooorrrruuuusstt**hh******aaeeooooooooyy****************************";

fn table_base(table: &[u8], index: u32) -> Option<char> {
    let b = *table.get(usize::try_from(index).ok()?)?;
    (b != b'*').then_some(char::from(b))
}

/// The ASCII base of an accented Latin Extended-B letter.
fn latin_b_base(cp: u32) -> Option<char> {
    table_base(LATIN_EXTENDED_B, cp.checked_sub(0x180)?)
}

/// The accent-free form of a Latin Extended-B or Extended Additional letter, if any.
pub(crate) fn latin_base(c: char) -> Option<char> {
    let cp = u32::from(c);
    match cp {
        0x180..=0x24F => latin_b_base(cp),
        0x1E00..=0x1EFF => table_base(LATIN_EXTENDED_ADDITIONAL, cp - 0x1E00),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn tables_are_aligned() {
        assert_eq!(latin_base('ḁ'), Some('a'));
        assert_eq!(latin_base('ễ'), Some('e'));
        assert_eq!(latin_base('Ỹ'), Some('y'));
        assert_eq!(latin_base('ẞ'), None);
        assert_eq!(latin_base('ǎ'), Some('a'));
        assert_eq!(latin_base('Ș'), Some('s'));
        assert_eq!(latin_base('ț'), Some('t'));
        assert_eq!(latin_base('ơ'), Some('o'));
        assert_eq!(latin_base('ư'), Some('u'));
        assert_eq!(latin_base('ɀ'), None);
    }

    #[test]
    fn look_alikes_and_marks_are_outside() {
        for c in ['Ꭺ', 'Ꮮ', 'ᴀ', 'ʟ', 'ɪ', 'ɑ', '\u{2011}', '\u{2212}', 'ǀ', 'µ', '🙂', 'ｶ', '\u{1100}', '\u{F900}']
        {
            assert_eq!(check(c), Err(Outside::Repertoire), "{c:?}");
        }
        for c in ['\u{301}', '\u{338}', '\u{3099}', '\u{483}'] {
            assert_eq!(check(c), Err(Outside::CombiningMark), "{c:?}");
        }
        for c in ['a', 'Z', '0', '-', '@', 'é', 'ł', 'ễ', 'ș', 'Ω', 'ά', 'ж', 'א', 'ب', '山', 'た', 'カ', '한']
        {
            assert_eq!(check(c), Ok(()), "{c:?}");
        }
    }
}
