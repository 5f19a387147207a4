//! Comparing people's identities (SPEC.md §10, "Identities"): `requestedBy`, an entry's
//! `approver`, a key's bound `approver`, and the `waveId`/`customerId` of the replay key.
//!
//! Two spellings of one name must compare equal, so the same person cannot pass
//! separation of duties, count twice towards quorum, or replay a wave by writing a
//! variant of the name. [`identity_key`] maps a name to a comparison key, in order:
//!
//! 1. strip whitespace, control and invisible characters (zero-width, bidi controls,
//!    fillers, variation selectors, tags);
//! 2. map full-width and other compatibility forms (mathematical letters, circled and
//!    parenthesized letters, ligatures, super/subscripts, letterlike symbols, roman
//!    numerals) to their plain letters and digits, then refuse any character outside
//!    the identity repertoire ([`repertoire`]): combining marks (a name has one
//!    spelling, its precomposed NFC form) and letters or symbols whose look-alikes are
//!    not mapped (Cherokee, small capitals, IPA, non-ASCII hyphens, …);
//! 3. fold case;
//! 4. refuse a name whose letters come from more than one script (Latin with Cyrillic,
//!    …); the Han, kana and Hangul scripts count as one, and digits and punctuation as
//!    none;
//! 5. drop accents of Latin letters (`joão` → `joao`), map look-alike Greek and
//!    Cyrillic letters to the Latin letter they resemble (Cyrillic `а` → `a`), and map
//!    ASCII look-alikes to one form (`I`, `l`, `1`, `|` → `l`; `0` → `o`; `rn` for `m`,
//!    `vv` for `w`, `cl` for `d`), so a name written wholly in look-alikes still
//!    compares equal; Hebrew `ו`, `ן`, `ס` and Arabic `ا`, `ه` map to `l` and `o`, and
//!    a right-to-left key is read in the order the name is seen.
//!
//! Every step is one pass over the characters, with no table larger than a few ranges:
//! cost is linear in the name, and no dependency is needed.

use std::fmt;

mod repertoire;

use crate::limits::MAX_IDENTITY_BYTES;
use repertoire::Outside;

/// Why a name cannot be compared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum IdentityRefusal {
    /// Nothing is left once whitespace and invisible characters are removed.
    Empty,
    /// Letters from more than one script: a look-alike spelling.
    MixedScripts(Script, Script),
    /// A combining mark: the name is not written precomposed (Unicode NFC).
    CombiningMark(char),
    /// A character outside the identity repertoire (SPEC.md §10).
    OutsideRepertoire(char),
    /// Longer than [`MAX_IDENTITY_BYTES`] (its length in bytes).
    TooLong(usize),
}

impl fmt::Display for IdentityRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdentityRefusal::Empty => f.write_str("it is empty once whitespace and invisible characters are removed"),
            IdentityRefusal::MixedScripts(a, b) => {
                write!(f, "it mixes letters of the {a} and {b} scripts, as a look-alike spelling does")
            }
            IdentityRefusal::CombiningMark(c) => write!(
                f,
                "it holds the combining mark U+{:04X}: write the name precomposed (Unicode NFC), so that it has one spelling",
                u32::from(*c)
            ),
            IdentityRefusal::TooLong(n) => {
                write!(f, "it is {n} bytes long; an identity holds at most {MAX_IDENTITY_BYTES} bytes")
            }
            IdentityRefusal::OutsideRepertoire(c) => write!(
                f,
                "it holds U+{:04X}, outside the identity repertoire (Latin, Greek, Cyrillic, Hebrew, Arabic, Han, kana and Hangul letters, ASCII digits and punctuation), as a look-alike spelling may",
                u32::from(*c)
            ),
        }
    }
}

/// The script of a letter, coarsely.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Script {
    Latin,
    Greek,
    Cyrillic,
    Armenian,
    Hebrew,
    Arabic,
    /// Han, Hiragana, Katakana, Bopomofo and Hangul: written together.
    Cjk,
    /// Any other script, told apart by its 128-code-point block.
    Block(u32),
}

impl fmt::Display for Script {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Script::Latin => f.write_str("Latin"),
            Script::Greek => f.write_str("Greek"),
            Script::Cyrillic => f.write_str("Cyrillic"),
            Script::Armenian => f.write_str("Armenian"),
            Script::Hebrew => f.write_str("Hebrew"),
            Script::Arabic => f.write_str("Arabic"),
            Script::Cjk => f.write_str("Han/kana/Hangul"),
            Script::Block(b) => write!(f, "U+{:04X} block", b << 7),
        }
    }
}

/// The comparison key of a name: equal keys mean the same identity.
pub(crate) fn identity_key(name: &str) -> Result<String, IdentityRefusal> {
    // Bounded first: a name is compared many times (per entry, per rule).
    if name.len() > MAX_IDENTITY_BYTES {
        return Err(IdentityRefusal::TooLong(name.len()));
    }
    let mut folded = String::with_capacity(name.len());
    for c in name.chars().filter(|c| !is_invisible(*c)) {
        match compatibility(c) {
            Compat::Char(m) => {
                repertoire::check(m).map_err(|why| match why {
                    Outside::CombiningMark => IdentityRefusal::CombiningMark(m),
                    Outside::Repertoire => IdentityRefusal::OutsideRepertoire(m),
                })?;
                push_folded(&mut folded, m);
            }
            // Compatibility strings are ASCII letters.
            Compat::Str(s) => s.chars().for_each(|m| push_folded(&mut folded, m)),
        }
    }
    if folded.is_empty() {
        return Err(IdentityRefusal::Empty);
    }
    let mut seen: Option<Script> = None;
    for script in folded.chars().filter_map(script_of) {
        match seen {
            None => seen = Some(script),
            Some(first) if first != script => return Err(IdentityRefusal::MixedScripts(first, script)),
            Some(_) => {}
        }
    }
    let mut key = String::with_capacity(folded.len());
    for c in folded.chars() {
        match skeleton(c) {
            Compat::Char(m) => push_ascii_skeleton(&mut key, m),
            Compat::Str(s) => s.chars().for_each(|m| push_ascii_skeleton(&mut key, m)),
        }
    }
    // Hebrew and Arabic names are shown right to left: `סו` looks like `lo`, so its key
    // is read in the order it is seen. Reversing is one-to-one, so two right-to-left
    // names still share a key only when their letters do.
    if matches!(seen, Some(Script::Hebrew | Script::Arabic)) {
        key = key.chars().rev().collect();
    }
    Ok(key)
}

/// ASCII letters and digits that look alike, as one form (after case folding, so `I`
/// is `i` here): `i`, `l`, `1`, `|` → `l`; `0` → `o`; `m` → `rn`; `w` → `vv`; `d` → `cl`
/// (Unicode TR 39's confusable skeletons).
fn push_ascii_skeleton(out: &mut String, c: char) {
    match c {
        'i' | 'l' | '1' | '|' => out.push('l'),
        '0' => out.push('o'),
        'm' => out.push_str("rn"),
        'w' => out.push_str("vv"),
        'd' => out.push_str("cl"),
        c => out.push(c),
    }
}

fn push_folded(out: &mut String, c: char) {
    match c {
        'ß' | 'ẞ' => out.push_str("ss"),
        'ſ' => out.push('s'),
        'ς' => out.push('σ'),
        'İ' => out.push('i'),
        c => out.push(lowercase(c)),
    }
}

/// Lowercase for the scripts whose look-alikes matter here (Latin, Greek, Cyrillic,
/// Armenian), by code-point arithmetic: `char::to_lowercase` would pull the whole
/// Unicode case table into the WASM build.
fn lowercase(c: char) -> char {
    let cp = u32::from(c);
    let even = cp % 2 == 0;
    let lower = match cp {
        0x41..=0x5A | 0xC0..=0xD6 | 0xD8..=0xDE | 0x391..=0x3A1 | 0x3A3..=0x3AB | 0x410..=0x42F => cp + 0x20,
        0x100..=0x137 | 0x14A..=0x177 | 0x460..=0x481 | 0x48A..=0x4BF | 0x4D0..=0x52F if even => cp + 1,
        0x1E00..=0x1E95 | 0x1EA0..=0x1EFF if even => cp + 1,
        0x139..=0x148 | 0x179..=0x17E | 0x4C1..=0x4CE if !even => cp + 1,
        0x178 => 0xFF,
        0x386 => 0x3AC,
        0x388..=0x38A => cp + 0x25,
        0x38C => 0x3CC,
        0x38E | 0x38F => cp + 0x3F,
        0x400..=0x40F => cp + 0x50,
        0x4C0 => 0x4CF,
        0x531..=0x556 => cp + 0x30,
        _ => cp,
    };
    char::from_u32(lower).unwrap_or(c)
}

/// Whitespace, controls and format characters that render as nothing (combining marks
/// are refused by the repertoire instead).
fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(u32::from(c),
            0x00AD | 0x034F | 0x061C | 0x115F | 0x1160 | 0x17B4 | 0x17B5 | 0x180B..=0x180F
            | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x2800 | 0x3164
            | 0xFE00..=0xFE0F | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFFB | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A | 0xE0000..=0xE0FFF)
}

enum Compat {
    Char(char),
    Str(&'static str),
}

/// `'A' + i` (or `'a' + i`, `'0' + i`) for an offset known to be in range.
fn offset(base: char, i: u32) -> char {
    char::from_u32(u32::from(base) + i).unwrap_or(base)
}

/// Full-width and compatibility forms of Latin letters and digits, as plain ones.
fn compatibility(c: char) -> Compat {
    let cp = u32::from(c);
    Compat::Char(match cp {
        0xFF01..=0xFF5E => offset('!', cp - 0xFF01),
        0x1D400..=0x1D6A3 => {
            let i = (cp - 0x1D400) % 52;
            if i < 26 {
                offset('A', i)
            } else {
                offset('a', i - 26)
            }
        }
        0x1D7CE..=0x1D7FF => offset('0', (cp - 0x1D7CE) % 10),
        0x24B6..=0x24CF => offset('A', cp - 0x24B6),
        0x24D0..=0x24E9 => offset('a', cp - 0x24D0),
        0x249C..=0x24B5 => offset('a', cp - 0x249C),
        0x2460..=0x2468 => offset('1', cp - 0x2460),
        0x2080..=0x2089 => offset('0', cp - 0x2080),
        0x2070 => '0',
        0x2074..=0x2079 => offset('4', cp - 0x2074),
        0x00B9 => '1',
        0x00B2 => '2',
        0x00B3 => '3',
        0x00AA => 'a',
        0x00BA | 0x2134 => 'o',
        0x2071 | 0x2139 => 'i',
        0x207F => 'n',
        0x2102 | 0x212D => 'C',
        0x210A => 'g',
        0x210B..=0x210D => 'H',
        0x210E => 'h',
        0x2110 | 0x2111 => 'I',
        0x2112 => 'L',
        0x2113 => 'l',
        0x2115 => 'N',
        0x2119 => 'P',
        0x211A => 'Q',
        0x211B..=0x211D => 'R',
        0x2124 | 0x2128 => 'Z',
        0x212A => 'K',
        0x2126 => 'Ω',
        // Typographic apostrophes (O’Brien) are the ASCII one.
        0x2018 | 0x2019 | 0x02BC => '\'',
        0x212B => 'Å',
        0x212C => 'B',
        0x212F => 'e',
        0x2130 => 'E',
        0x2131 => 'F',
        0x2133 => 'M',
        _ => return compatibility_str(c),
    })
}

fn compatibility_str(c: char) -> Compat {
    const ROMAN: [&str; 16] =
        ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "L", "C", "D", "M"];
    let cp = u32::from(c);
    let roman = |i: u32| usize::try_from(i).ok().and_then(|i| ROMAN.get(i)).copied();
    let s = match cp {
        0xFB00 => Some("ff"),
        0xFB01 => Some("fi"),
        0xFB02 => Some("fl"),
        0xFB03 => Some("ffi"),
        0xFB04 => Some("ffl"),
        0xFB05 | 0xFB06 => Some("st"),
        0x2160..=0x216F => roman(cp - 0x2160),
        0x2170..=0x217F => roman(cp - 0x2170),
        _ => None,
    };
    s.map_or(Compat::Char(c), Compat::Str)
}

/// The script of a letter; `None` for digits, punctuation and symbols.
fn script_of(c: char) -> Option<Script> {
    if c.is_ascii() {
        return c.is_ascii_alphabetic().then_some(Script::Latin);
    }
    let cp = u32::from(c);
    // Punctuation, symbols and emoji belong to no script (ranges, not the Unicode
    // property tables, which would grow the WASM build).
    if matches!(cp,
        0x00A0..=0x00BF | 0x00D7 | 0x00F7 | 0x2000..=0x2BFF | 0x2E00..=0x2E7F | 0x3000..=0x3004 | 0x3008..=0x303F
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF65 | 0x1F000..=0x1FAFF)
    {
        return None;
    }
    Some(match cp {
        0x00C0..=0x02FF | 0x1D00..=0x1DBF | 0x1E00..=0x1EFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF | 0xAB30..=0xAB6F => {
            Script::Latin
        }
        0x0370..=0x03FF | 0x1F00..=0x1FFF => Script::Greek,
        0x0400..=0x052F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => Script::Cyrillic,
        0x0530..=0x058F => Script::Armenian,
        0x0590..=0x05FF => Script::Hebrew,
        0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFE => Script::Arabic,
        0x1100..=0x11FF
        | 0x2E80..=0x2FDF
        | 0x3005..=0x3007
        | 0x3040..=0x31FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA960..=0xA97F
        | 0xAC00..=0xD7FF
        | 0xF900..=0xFAFF
        | 0xFF66..=0xFFDC
        | 0x20000..=0x3FFFF => Script::Cjk,
        _ => Script::Block(cp >> 7),
    })
}

/// Latin Extended-A (U+0100..=U+017F) without accents, one letter per code point;
/// `*` keeps the letter (the ligatures `ĳ` and `œ`).
const LATIN_EXTENDED_A: &[u8; 128] =
    b"aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii**jjkkkllllllllllnnnnnnnnnoooooo**rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

/// The accent-free, look-alike-free form of a folded letter.
fn skeleton(c: char) -> Compat {
    if let Some(base) = repertoire::latin_base(c) {
        return Compat::Char(base);
    }
    let cp = u32::from(c);
    Compat::Char(match c {
        'à'..='å' | 'ɑ' | 'а' | 'α' | 'ά' => 'a',
        'æ' => return Compat::Str("ae"),
        'ç' | 'с' => 'c',
        'è'..='ë' | 'е' | 'ё' | 'ε' | 'έ' => 'e',
        'ì'..='ï' | 'ı' | 'і' | 'ї' | 'ι' | 'ί' | 'ϊ' | 'ΐ' => 'i',
        'ð' | 'ԁ' => 'd',
        'ñ' => 'n',
        'ò'..='ö' | 'ø' | 'о' | 'ο' | 'ό' => 'o',
        'ù'..='ü' | 'υ' | 'ύ' | 'ϋ' | 'ΰ' => 'u',
        'ý' | 'ÿ' | 'у' | 'γ' => 'y',
        'ɡ' => 'g',
        'в' | 'β' => 'b',
        'н' | 'һ' | 'η' | 'ή' => 'h',
        'м' | 'μ' => 'm',
        'т' | 'τ' => 't',
        'к' | 'κ' => 'k',
        'р' | 'ρ' => 'p',
        'х' | 'χ' => 'x',
        'ѕ' => 's',
        'ј' => 'j',
        'ԛ' => 'q',
        'ԝ' | 'ω' | 'ώ' => 'w',
        'ӏ' => 'l',
        // Hebrew and Arabic letters that look like Latin ones (Unicode TR 39).
        'ו' | 'ן' | 'ا' => 'l',
        'ס' | 'ه' => 'o',
        'ν' => 'v',
        'ζ' => 'z',
        'ĳ' => return Compat::Str("ij"),
        // Kana and Hangul that look like Han ideographs or like a dash, within the one
        // script group that Japanese and Korean names mix (SPEC.md §10).
        'エ' => '工',
        'カ' => '力',
        'ロ' | 'ㅁ' => '口',
        'ニ' => '二',
        'ハ' => '八',
        'ト' => '卜',
        'タ' => '夕',
        'ヘ' => 'へ',
        'ベ' => 'べ',
        'ペ' => 'ぺ',
        'ー' | '一' | 'ㅡ' | '－' => '-',
        '〇' => 'o',
        'œ' => return Compat::Str("oe"),
        _ if (0x0100..=0x017F).contains(&cp) => {
            let i = usize::try_from(cp - 0x0100).unwrap_or(0);
            match LATIN_EXTENDED_A.get(i) {
                Some(b) if *b != b'*' => char::from(*b),
                _ => c,
            }
        }
        _ => c,
    })
}

#[cfg(test)]
mod tests;
