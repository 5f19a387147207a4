//! Strict-JSON tests: duplicates, limits (size, depth, strings, value budget), BOM.

use super::*;
use crate::limits::{MAX_APPROVAL_ENTRIES, MAX_STRING_BYTES};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[test]
fn rejects_duplicate_keys_with_pointer() {
    let err = parse(br#"{"a":{"b":1,"b":2}}"#).unwrap_err();
    assert_eq!(err, JsonError::DuplicateKey { key: "b".into(), pointer: "/a/b".into() });
    let err = parse(br#"{"meta":{"a":[{"b":1,"b":2}]}}"#).unwrap_err();
    assert_eq!(err, JsonError::DuplicateKey { key: "b".into(), pointer: "/meta/a/0/b".into() });
    let err = parse(br#"{"a~/":1,"a~/":2}"#).unwrap_err();
    assert_eq!(err, JsonError::DuplicateKey { key: "a~/".into(), pointer: "/a~0~1".into() });
}

#[test]
fn bounds_strings_member_names_and_document_size() {
    let long = "x".repeat(MAX_STRING_BYTES + 1);
    let ok = "x".repeat(MAX_STRING_BYTES);
    assert!(parse(format!(r#"{{"a":"{ok}"}}"#).as_bytes()).is_ok());
    assert!(matches!(
        parse(format!(r#"{{"a":["{long}"]}}"#).as_bytes()),
        Err(JsonError::StringTooLong { pointer, limit: MAX_STRING_BYTES, .. }) if pointer == "/a/0"
    ));
    assert!(matches!(parse(format!(r#"{{"{long}":1}}"#).as_bytes()), Err(JsonError::StringTooLong { .. })));
    let big = vec![b' '; MAX_DOCUMENT_BYTES + 1];
    assert_eq!(
        parse(&big),
        Err(JsonError::DocumentTooLarge { bytes: MAX_DOCUMENT_BYTES + 1, limit: MAX_DOCUMENT_BYTES })
    );
}

#[test]
fn bounds_depth_and_rejects_trailing_data() {
    let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
    assert_eq!(parse(deep.as_bytes()), Err(JsonError::TooDeep { limit: MAX_DEPTH }));
    let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
    assert!(parse(ok.as_bytes()).is_ok());
    assert!(matches!(parse(b"{} {}"), Err(JsonError::Syntax { line: 1, .. })));
    assert_eq!(parse(b"  \n"), Err(JsonError::Empty));
}

#[test]
fn bounds_the_number_of_values_by_the_size_of_the_input() {
    // Small input: the floor. 65,536 values fit, one more does not.
    let fits = format!("[{}]", vec!["0"; MIN_VALUE_BUDGET - 1].join(","));
    assert!(parse(fits.as_bytes()).is_ok());
    let over = format!("[{}]", vec!["0"; MIN_VALUE_BUDGET].join(","));
    assert!(matches!(parse(over.as_bytes()), Err(JsonError::TooManyValues { limit: MIN_VALUE_BUDGET, .. })));
    // Larger input: one value per 16 bytes. Padding with spaces buys room.
    let padded = format!("[{}]", vec!["0"; MIN_VALUE_BUDGET].join(&format!(",{}", " ".repeat(16))));
    assert!(parse(padded.as_bytes()).is_ok());
    // Objects count their values, not their member names.
    let members: Vec<String> = (0..MIN_VALUE_BUDGET).map(|i| format!("\"{i}\":0")).collect();
    assert!(matches!(parse(format!("{{{}}}", members.join(",")).as_bytes()), Err(JsonError::TooManyValues { .. })));
    // A shared budget spans documents (JSON Lines): two halves fit, a third does not.
    let half = format!("[{}]", vec!["0"; MIN_VALUE_BUDGET / 2 - 1].join(","));
    let mut budget = ValueBudget::for_input(3 * half.len());
    for _ in 0..2 {
        assert!(parse_budgeted(half.as_bytes(), NumberRule::Exact, &mut budget).is_ok());
    }
    assert!(matches!(
        parse_budgeted(half.as_bytes(), NumberRule::Exact, &mut budget),
        Err(JsonError::TooManyValues { .. })
    ));
}

#[test]
fn skips_a_byte_order_mark() {
    assert_eq!(parse("\u{feff}[1]".as_bytes()), Ok(serde_json::json!([1])));
}

/// An `approvals` array is refused at its 1,001st element, while parsing (hostile bench:
/// one approval of 64 MiB of entries cost 11× its size when built whole). Exactly 1,000
/// is read (positive control), other arrays are not limited, and a member whose name only
/// ends in "approvals" is not an approvals array.
#[test]
fn approval_entries_are_bounded_while_parsing() {
    let entries = |n: usize| vec!["{\"kid\":\"k\"}"; n].join(",");
    let at_limit = format!("{{\"approvals\":[{}]}}", entries(MAX_APPROVAL_ENTRIES));
    assert_eq!(parse(at_limit.as_bytes()).unwrap()["approvals"].as_array().map(Vec::len), Some(MAX_APPROVAL_ENTRIES));
    let over = format!("[{{}},{{\"approvals\":[{}]}}]", entries(MAX_APPROVAL_ENTRIES + 1));
    assert_eq!(
        parse(over.as_bytes()),
        Err(JsonError::TooManyEntries { pointer: "/1/approvals".into(), limit: MAX_APPROVAL_ENTRIES })
    );
    let other = format!("{{\"keys\":[{0}],\"x/approvals\":[{0}]}}", entries(MAX_APPROVAL_ENTRIES + 5));
    assert!(parse(other.as_bytes()).is_ok());
}

#[test]
fn pointer_tokens_escape_tilde_then_slash_as_rfc_6901_says() {
    for (key, token) in [("a", "a"), ("", ""), ("a~b/c", "a~0b~1c"), ("~1", "~01"), ("/~", "~1~0"), ("//", "~1~1")] {
        assert_eq!(pointer_token(key), token, "{key}");
        assert_eq!(key.replace('~', "~0").replace('/', "~1"), token, "the reference for {key}");
    }
    let at = crate::report::Subject::default().at("x/y").at("0");
    assert_eq!(at.pointer.as_deref(), Some("/x~1y/0"));
}
