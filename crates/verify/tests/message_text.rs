//! (red team 4, finding 04) Messages about a place in a document show its member names
//! as people can read them: bidi, zero-width and separator characters as `\u{hex}`
//! (SPEC.md, "What people read"), as the duplicate-key message already did. The number
//! rule's messages carried the pointer raw, so a U+202E in a member name reordered the line.

use receipt_verify::json::parse;

const HIDDEN: [char; 3] = ['\u{202e}', '\u{200b}', '\u{2028}'];

/// Why `doc` is refused; `None` if it is read.
fn message(doc: &str) -> Option<String> {
    parse(doc.as_bytes()).err().map(|e| e.to_string())
}

#[test]
fn number_messages_show_hidden_characters_of_member_names() {
    // Positive control: the duplicate-key message names the member, escaped.
    let dup = message("{\"a\u{202e}\u{200b}\u{2028}\":1,\"a\u{202e}\u{200b}\u{2028}\":2}").unwrap();
    assert!(dup.contains("\\u{202e}") && !dup.contains(HIDDEN), "{dup}");
    let number = message("{\"k\u{202e}\u{200b}\u{2028}\":1e400}").unwrap();
    assert!(number.contains("1e400") && number.contains("/k\\u{202e}\\u{200b}\\u{2028}"), "{number}");
    assert!(!number.contains(HIDDEN), "raw hidden characters in {number:?}");
    let string = format!("{{\"s\u{202e}\":\"{}\"}}", "x".repeat((1 << 20) + 1));
    let long = message(&string).unwrap();
    assert!(long.contains("MAX_STRING_BYTES") && !long.contains(HIDDEN), "{long:?}");
}
