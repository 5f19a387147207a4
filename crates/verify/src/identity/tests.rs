//! Tests of the identity comparison key (SPEC.md §10, "Identities").

use super::*;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn key(s: &str) -> String {
    identity_key(s).unwrap_or_else(|e| format!("refused: {e}"))
}

#[test]
fn variants_of_one_name_compare_equal() {
    let plain = key("carol@vendor.example");
    for variant in [
        "Carol@Vendor.Example",
        "  carol@vendor.example\t",
        "car\u{200b}ol@vendor.example",
        "\u{202e}carol@vendor.example\u{202c}",
        "carol@vendor.example\u{feff}",
        "ｃａｒｏｌ＠ｖｅｎｄｏｒ．ｅｘａｍｐｌｅ",
        "𝐜𝐚𝐫𝐨𝐥@vendor.example",
        "ⓒⓐⓡⓞⓛ@vendor.example",
        "c\u{2800}arol@vendor.example",
    ] {
        assert_eq!(key(variant), plain, "{variant:?}");
    }
}

#[test]
fn mixed_scripts_are_refused_and_whole_script_look_alikes_fold() {
    // Cyrillic а (U+0430) inside a Latin name.
    assert!(matches!(identity_key("c\u{430}rol"), Err(IdentityRefusal::MixedScripts(..))));
    assert!(matches!(identity_key("bob\u{3bf}"), Err(IdentityRefusal::MixedScripts(..))));
    // A name written wholly in Cyrillic look-alikes folds to the Latin one.
    assert_eq!(key("\u{430}\u{440}\u{435}"), key("ape"));
    assert_eq!(key("\u{410}\u{420}\u{415}"), key("APE"));
    // Greek capitals fold too, and symbols or emoji belong to no script.
    assert_eq!(key("\u{391}\u{3a1}\u{395}"), key("ape"));
    assert_eq!(key("Ÿ"), key("ÿ"));
    assert!(identity_key("alice (ops)").is_ok());
    // Arabic-Indic digits are outside the repertoire (only ASCII digits are in it).
    assert!(matches!(identity_key("alice\u{661}"), Err(IdentityRefusal::OutsideRepertoire(..))));
    assert!(matches!(identity_key("alice\u{628}"), Err(IdentityRefusal::MixedScripts(..))));
    assert_ne!(key("bob"), key("alice"));
    assert_eq!(identity_key("\u{200b} \u{200d}"), Err(IdentityRefusal::Empty));
}

#[test]
fn accented_latin_is_kept_and_compares_with_or_without_decomposition() {
    assert!(identity_key("joão").is_ok());
    assert!(identity_key("José Núñez-Łukasz").is_ok());
    // One spelling only: the decomposed form is refused, not folded.
    assert_eq!(identity_key("joa\u{303}o"), Err(IdentityRefusal::CombiningMark('\u{303}')));
    assert_eq!(key("Nguyễn"), key("nguyen"));
    assert_eq!(key("Ștefan"), key("stefan"));
    assert_eq!(key("JOÃO"), key("joão"));
    assert_eq!(key("straße"), key("STRASSE"));
    // Real non-Latin names stay usable.
    assert!(identity_key("山田たろう").is_ok());
    assert!(identity_key("Дмитрий").is_ok());
    assert_ne!(key("Дмитрий"), key("Сергей"));
    assert!(identity_key("wave-0117").is_ok());
}

#[test]
fn latin_extended_a_table_is_aligned() {
    // Spot checks at both ends and around the kept ligatures.
    assert_eq!(key("ā"), key("a"));
    assert_eq!(key("č"), key("c"));
    assert_eq!(key("ğ"), key("g"));
    assert_eq!(key("ĳ"), key("ij"));
    assert_eq!(key("ķ"), key("k"));
    assert_eq!(key("ł"), key("l"));
    assert_eq!(key("ŋ"), key("n"));
    assert_eq!(key("œ"), key("oe"));
    assert_eq!(key("ř"), key("r"));
    assert_eq!(key("š"), key("s"));
    assert_eq!(key("ŧ"), key("t"));
    assert_eq!(key("ų"), key("u"));
    assert_eq!(key("ŵ"), key("w"));
    assert_eq!(key("ŷ"), key("y"));
    assert_eq!(key("ž"), key("z"));
}

#[test]
fn red_team_look_alikes_are_refused_or_fold() {
    // Cherokee, small capitals and IPA look like Latin but are outside the repertoire.
    for name in ["ᎪᏞᎥᏟᎬ", "ᴀʟɪᴄᴇ", "ɑlice", "alice\u{338}"] {
        assert!(identity_key(name).is_err(), "{name:?}");
    }
    // ASCII look-alikes share one skeleton.
    assert_eq!(key("aIice"), key("alice"));
    assert_eq!(key("a1ice"), key("alice"));
    assert_eq!(key("b0b"), key("bob"));
    assert_eq!(key("rnallory"), key("mallory"));
    assert_ne!(key("alice"), key("alicia"));
    // Non-ASCII hyphens in a wave id are refused; the ASCII one is kept.
    assert!(matches!(identity_key("wave\u{2011}0117"), Err(IdentityRefusal::OutsideRepertoire('\u{2011}'))));
    assert!(matches!(identity_key("wave\u{2212}0117"), Err(IdentityRefusal::OutsideRepertoire('\u{2212}'))));
    assert!(identity_key("wave-0117").is_ok());
    assert_ne!(key("wave-0117"), key("wave-0118"));
    // A typographic apostrophe is the ASCII one, not a refusal.
    assert_eq!(key("O\u{2019}Brien"), key("O'Brien"));
}

#[test]
fn nfd_spellings_are_refused_so_one_name_has_one_key() {
    // "Nguyễn" precomposed (NFC) and decomposed (NFD).
    let nfc = "Nguy\u{1ec5}n";
    let nfd = "Nguye\u{302}\u{303}n";
    assert!(identity_key(nfc).is_ok());
    assert_eq!(identity_key(nfd), Err(IdentityRefusal::CombiningMark('\u{302}')));
    // "Ștefan" with comma below (NFC), and S + U+0326 (NFD).
    assert!(identity_key("\u{218}tefan").is_ok());
    assert!(identity_key("S\u{326}tefan").is_err());
    // The message says what to do.
    let why = identity_key(nfd).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(why.contains("NFC"), "{why}");
}

/// Kana and Hangul that look like Han ideographs or a dash share the Han form (red team 3),
/// while different Japanese names stay different (positive control).
#[test]
fn kana_look_alikes_of_han_share_a_key_and_other_names_stay_apart() {
    for (a, b) in
        [("工藤", "エ藤"), ("力石", "カ石"), ("田口", "田ロ"), ("二宮", "ニ宮"), ("八木", "ハ木"), ("田中一", "田中ー")]
    {
        assert_eq!(identity_key(a).unwrap(), identity_key(b).unwrap(), "{a} / {b}");
    }
    assert_eq!(identity_key("田中-").unwrap(), identity_key("田中一").unwrap());
    for (a, b) in [("工藤", "佐藤"), ("山田ゆき", "山田ゆみ"), ("김민수", "김민준")] {
        assert_ne!(identity_key(a).unwrap(), identity_key(b).unwrap(), "{a} / {b}");
    }
}

/// Hebrew and Arabic letters that look like Latin `l` and `o` share their key, read in the
/// order a right-to-left name is seen (red team 3); other Hebrew and Arabic names stay
/// apart from each other and from Latin ones (positive control).
#[test]
fn right_to_left_look_alikes_share_a_key_in_the_order_they_are_seen() {
    // Logical "ס", "ו" is displayed right to left as "וס": it reads "lo".
    assert_eq!(key("\u{5e1}\u{5d5}"), key("lo"));
    assert_eq!(key("\u{5e1}\u{5d5}"), key("Io"));
    assert_ne!(key("\u{5e1}\u{5d5}"), key("ol"));
    assert_eq!(key("\u{5d5}\u{5e1}"), key("ol"));
    assert_eq!(key("\u{5df}"), key("l"));
    assert_eq!(key("\u{647}\u{627}"), key("lo"));
    assert_eq!(key("\u{627}\u{627}"), key("ll"));
    for (a, b) in [("דוד", "דני"), ("אברהם", "יצחק"), ("محمد", "أحمد"), ("דוד", "dod")] {
        assert_ne!(key(a), key(b), "{a} / {b}");
        assert!(identity_key(a).is_ok(), "{a}");
    }
    assert_eq!(key("דוד"), key("\u{5d3}\u{5d5}\u{5d3}"));
}

/// An identity is at most MAX_IDENTITY_BYTES long: at the limit it is read, past it refused.
#[test]
fn identities_are_bounded_in_length() {
    let at_limit = "a".repeat(crate::limits::MAX_IDENTITY_BYTES);
    assert!(identity_key(&at_limit).is_ok());
    let over = format!("{at_limit}a");
    assert!(matches!(identity_key(&over), Err(IdentityRefusal::TooLong(n)) if n == over.len()));
}
