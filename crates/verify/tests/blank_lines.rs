//! (red team 4, finding 02) A blank line is JSON whitespace only (space, tab, CR, LF:
//! RFC 8259 §2). Rust's `is_ascii_whitespace` also takes the form feed (0x0C), so a line
//! of form feeds was skipped as blank in row exports and JSON Lines receipt files: a line
//! that is not JSON passed without a finding.

#[macro_use]
mod common;

use receipt_verify::{split_items, Layout, RowVerifier, Status, Verdict};

const GENESIS: &str = "0x0000000000000000000000000000000000000000000000000000000000000000";

/// One honest row export of two rows (hashes recomputed here, as the fast reader does).
fn rows() -> Vec<String> {
    use sha2::{Digest, Sha256};
    let mut prev = GENESIS.to_string();
    (1..=2)
        .map(|seq| {
            let body = format!("{{\"customerId\":\"c-1\",\"prevHash\":\"{prev}\",\"seq\":{seq}}}");
            let hash = format!("0x{:x}", Sha256::digest(body.as_bytes()));
            let row =
                format!("{{\"customerId\":\"c-1\",\"prevHash\":\"{prev}\",\"seq\":{seq},\"thisHash\":\"{hash}\"}}");
            prev = hash;
            row
        })
        .collect()
}

fn row_failures(export: &str) -> Vec<String> {
    let mut v = RowVerifier::new("rows.jsonl", Vec::new());
    v.push(export.as_bytes());
    v.finish().into_iter().filter(|c| c.status == Status::Fail).map(|c| format!("{}: {}", c.id, c.message)).collect()
}

#[test]
fn a_line_of_form_feeds_in_a_row_export_is_not_blank() {
    let [a, b] = <[String; 2]>::try_from(rows()).unwrap();
    // Positive control: blank lines of JSON whitespace are skipped, nothing fails.
    assert_eq!(row_failures(&format!("{a}\n \t\r\n\n{b}\n")), Vec::<String>::new());
    let failures = row_failures(&format!("{a}\n\u{c}\u{c}\n{b}\n"));
    assert!(
        failures.iter().any(|f| f.starts_with("rows.parse")),
        "a form-feed line must fail rows.parse: {failures:?}"
    );
    // And it is not called empty: it holds a character JSON does not allow there.
    assert!(failures.iter().all(|f| !f.contains("empty input")), "{failures:?}");
}

#[test]
fn a_line_of_form_feeds_in_a_receipt_file_is_an_item() {
    let receipt = "{\"batchHead\":\"a\",\"kid\":\"k\",\"signature\":\"s\"}";
    // Positive control: JSON whitespace lines are blank, two items.
    let (layout, items) = split_items("r.jsonl", format!("{receipt}\n \t\n{receipt}\n").as_bytes());
    assert_eq!((layout, items.len()), (Layout::Lines, 2));
    let (layout, items) = split_items("r.jsonl", format!("{receipt}\n\u{c}\n{receipt}\n").as_bytes());
    assert_eq!(layout, Layout::Lines);
    assert_eq!(items.len(), 3, "the form-feed line is an item that fails to parse");
    assert!(items.iter().any(|i| i.value.is_err()));
}

#[test]
fn the_engine_reads_a_form_feed_line_in_a_receipt_file_as_an_item() {
    // The engine reads receipt files with its own streaming splitter (input/stream.rs),
    // not split_items: the same rule must hold there.
    let mut lines: Vec<&str> = common::RECEIPTS.lines().collect();
    // Positive control: lines of JSON whitespace between the receipts change nothing.
    lines.insert(1, " \t\r");
    let blank = common::run(&[("receipts.jsonl", lines.join("\n") + "\n")], None);
    assert_eq!(blank.verdict(), Verdict::Verified, "{:?}", blank.checks);
    lines[1] = "\u{c}\u{c}";
    let feeds = common::run(&[("receipts.jsonl", lines.join("\n") + "\n")], None);
    assert_eq!(feeds.verdict(), Verdict::Failed);
    assert!(feeds.checks.iter().any(|c| c.id == "input.parse" && c.status == Status::Fail), "{:?}", feeds.checks);
}
