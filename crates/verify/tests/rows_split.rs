//! The row verifier as ranges plus a join (issue 10 §3): any split of any export into
//! ranges of whole lines, each read on its own (as threads or workers do) and joined in
//! file order, gives exactly the report of one pass over the whole stream. Exports are the
//! demo rows (sealed by the demo receipts, with the demo approvals' consumption rows)
//! damaged at random: rows deleted, repeated, edited, re-linked, renumbered, unreadable,
//! non-objects, byte-order marks, blank lines, CRLF, an over-long line, no final newline.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[macro_use]
mod common;

use common::*;
use receipt_verify::{
    head_set_from_bytes, head_set_to_bytes, InputFile, RangeSummary, RowRange, RustCryptoBackend, Verification,
    MAX_LINE_BYTES,
};

fn receipt_files() -> Vec<InputFile> {
    vec![InputFile::new("receipts.jsonl", RECEIPTS.into()), InputFile::new("approvals.json", APPROVALS.into())]
}

/// Keys: the signatures are not what is compared here, and leaving the keys out keeps the
/// many reports cheap; with the key set only one case in ten, so verified reports (every
/// signature and head proven) are compared too.
fn keys(with: bool) -> Vec<receipt_verify::PublicKey> {
    if with {
        jwks()
    } else {
        Vec::new()
    }
}

/// The report of one pass over `rows`, pushed in chunks of `chunk` bytes.
fn one_pass(rows: &[u8], chunk: usize, with_keys: bool) -> String {
    let mut v = Verification::new(keys(with_keys), &receipt_files());
    v.begin_rows("rows.jsonl");
    for part in rows.chunks(chunk.max(1)) {
        v.push_rows(part);
    }
    serde_json::to_string(&v.finish_with(&RustCryptoBackend)).unwrap()
}

/// The report of `rows` cut at the byte offsets `cuts` (each at a line start), each range
/// read by its own `RowRange` in chunks of `chunk` bytes, then joined in order.
fn in_ranges(rows: &[u8], cuts: &[usize], chunk: usize, with_keys: bool) -> String {
    joined(rows, cuts, chunk, with_keys, false)
}

/// [`in_ranges`], each range crossing an instance boundary as bytes: read in pieces
/// (`take_summary` after every chunk, as a worker hands over its events), each piece
/// written with `to_bytes` and read back with `from_bytes` before the join, and the head
/// set handed over as bytes too.
fn in_ranges_as_bytes(rows: &[u8], cuts: &[usize], chunk: usize, with_keys: bool) -> String {
    joined(rows, cuts, chunk, with_keys, true)
}

fn joined(rows: &[u8], cuts: &[usize], chunk: usize, with_keys: bool, as_bytes: bool) -> String {
    let mut v = Verification::new(keys(with_keys), &receipt_files());
    v.begin_rows("rows.jsonl");
    let mut heads = v.row_head_set();
    if as_bytes {
        heads = std::sync::Arc::new(head_set_from_bytes(&head_set_to_bytes(&heads)).unwrap());
        assert_eq!(heads, v.row_head_set(), "the head set survives its bytes");
    }
    let handed = |summary: RangeSummary| {
        if as_bytes {
            RangeSummary::from_bytes(&summary.to_bytes()).unwrap()
        } else {
            summary
        }
    };
    let mut bounds = vec![0];
    bounds.extend_from_slice(cuts);
    bounds.push(rows.len());
    for (i, w) in bounds.windows(2).enumerate() {
        let mut range = RowRange::new("rows.jsonl", i == 0, heads.clone());
        for part in rows[w[0]..w[1]].chunks(chunk.max(1)) {
            range.push(part);
            if as_bytes {
                v.add_row_range(handed(range.take_summary()));
            }
        }
        v.add_row_range(handed(range.finish()));
    }
    serde_json::to_string(&v.finish_with(&RustCryptoBackend)).unwrap()
}

/// A damaged copy of the demo rows.
fn damaged(rng: &mut Rng) -> Vec<u8> {
    let lines: Vec<String> = ROWS.lines().map(str::to_string).collect();
    let mut out = String::new();
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        let end = if rng.below(12) == 0 { "\r\n" } else { "\n" };
        match rng.below(60) {
            0 => {}                                                // deleted
            1 => out.push_str(&format!("{line}{end}{line}{end}")), // repeated
            2 => out.push_str(&format!(
                "{}{end}",
                line.replacen("\"seq\":", "\"seq\": ", 1).replacen("cust-0042", "cust-0043", 1)
            )),
            3 => out.push_str(&format!("{{not json{end}")),
            4 => out.push_str(&format!("[1,2]{end}")),
            5 => out.push_str(&format!("\u{feff}{line}{end}")),
            6 => out.push_str(&format!("   {end}\n")),
            7 => out.push_str(&format!(
                "{}{end}",
                line.replacen("\"prevHash\":\"0x", "\"prevHash\":\"0x0", 1).replacen("0x0", "0x", 0)
            )),
            8 => out.push_str(&format!("{}{end}", line.replacen("\"seq\":", "\"seq\":1", 1))),
            9 if rng.below(8) == 0 => out.push_str(&format!("{}{end}", "x".repeat(MAX_LINE_BYTES + 10))),
            10 => {
                // Two rows swapped.
                if let Some(next) = lines.get(i + 1) {
                    out.push_str(&format!("{next}{end}{line}{end}"));
                    i += 1;
                } else {
                    out.push_str(&format!("{line}{end}"));
                }
            }
            _ => out.push_str(&format!("{line}{end}")),
        }
        i += 1;
    }
    if rng.below(4) == 0 {
        out.pop(); // no final newline
    }
    out.into_bytes()
}

/// Random cut points at line starts, in order, some repeated (empty ranges).
fn cuts(rng: &mut Rng, rows: &[u8]) -> Vec<usize> {
    let starts: Vec<usize> =
        std::iter::once(0).chain(rows.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i + 1)).collect();
    let n = rng.below(12);
    let mut cuts: Vec<usize> = (0..n).map(|_| starts[rng.below(starts.len())]).collect();
    cuts.sort_unstable();
    cuts
}

#[test]
fn any_split_into_ranges_gives_the_one_pass_report() {
    let mut rng = Rng(0x5eed_0010);
    let (mut compared, mut failed, mut verified) = (0, 0, 0);
    let cases = if cfg!(target_arch = "wasm32") { 12 } else { 60 };
    for case in 0..cases {
        let rows = if case == 0 { ROWS.as_bytes().to_vec() } else { damaged(&mut rng) };
        let k = case % 10 == 0;
        let whole = one_pass(&rows, usize::MAX, k);
        if whole.contains("\"verdict\":\"verified\"") {
            verified += 1;
        } else {
            failed += 1;
        }
        for _ in 0..4 {
            let cut = cuts(&mut rng, &rows);
            let chunk = [1, 7, 100, 4096, usize::MAX][rng.below(5)];
            assert_eq!(in_ranges(&rows, &cut, chunk, k), whole, "case {case}, cuts {cut:?}, chunk {chunk}");
            compared += 1;
        }
        // Every line its own range, and the one-pass verifier in small chunks.
        let every: Vec<usize> = rows.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i + 1).collect();
        assert_eq!(in_ranges(&rows, &every, usize::MAX, k), whole, "case {case}: one range per line");
        assert_eq!(one_pass(&rows, 13, k), whole, "case {case}: one pass in 13-byte chunks");
        compared += 2;
    }
    say!("rows split: {compared} splits of {cases} exports ({verified} verified, {failed} failed) joined into the one-pass report");
    assert!(verified >= 1 && failed >= cases / 2, "{verified} verified, {failed} failed");
}

#[test]
fn ranges_over_many_failures_keep_the_caps_of_one_pass() {
    // 400 unreadable lines and 400 broken links: the caps (50 listed per id, the rest
    // counted) must fall on the same findings whatever the split.
    let mut text = String::new();
    for (k, line) in ROWS.lines().enumerate() {
        text.push_str(if k % 3 == 0 { "{broken\n" } else { line });
        if k % 3 != 0 {
            text.push('\n');
        }
    }
    let rows = text.into_bytes();
    let whole = one_pass(&rows, usize::MAX, false);
    assert!(whole.contains("more rows.parse failures not listed"), "{}", &whole[..whole.len().min(400)]);
    let mut rng = Rng(0x5eed_0011);
    for _ in 0..10 {
        let cut = cuts(&mut rng, &rows);
        assert_eq!(in_ranges(&rows, &cut, 512, false), whole, "cuts {cut:?}");
    }
}

/// The check ids that fail in a report, sorted, from its JSON.
fn failed_ids(report: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(report).unwrap();
    let mut ids: Vec<String> = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "fail")
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

#[test]
fn files_that_are_not_row_exports_are_refused_the_same_way_however_split() {
    // A receipt file, an approvals document and a row export with receipts appended, given
    // as the row export: each range alone may look like rows (or like receipts); only the
    // whole file says what it is, so the join must refuse exactly what one pass refuses.
    let half = ROWS.lines().take(ROWS.lines().count() / 2).collect::<Vec<_>>().join("\n");
    let mixed = format!("{half}\n{RECEIPTS}");
    let not_rows: [(&str, &[u8]); 3] = [
        ("receipts", RECEIPTS.as_bytes()),
        ("approvals", APPROVALS.as_bytes()),
        ("rows then receipts", mixed.as_bytes()),
    ];
    let mut rng = Rng(0x5eed_0012);
    let mut compared = 0;
    for (name, bytes) in not_rows {
        let whole = one_pass(bytes, usize::MAX, true);
        assert!(!whole.contains("\"verdict\":\"verified\""), "{name}: verified as a row export");
        let failed = failed_ids(&whole);
        assert!(!failed.is_empty(), "{name}: nothing failed");
        for _ in 0..8 {
            let cut = cuts(&mut rng, bytes);
            assert_eq!(in_ranges(bytes, &cut, 64, true), whole, "{name}, cuts {cut:?}");
            compared += 1;
        }
        let every: Vec<usize> = bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i + 1).collect();
        assert_eq!(in_ranges(bytes, &every, usize::MAX, true), whole, "{name}: one range per line");
        compared += 1;
        say!("{name} as rows: refused with {failed:?}");
    }
    // Positive control: the honest export, split the same ways, verifies.
    let honest = one_pass(ROWS.as_bytes(), usize::MAX, true);
    assert!(honest.contains("\"verdict\":\"verified\""), "the honest export must verify");
    let cut = cuts(&mut rng, ROWS.as_bytes());
    assert_eq!(in_ranges(ROWS.as_bytes(), &cut, 64, true), honest);
    say!("files that are not row exports: {compared} splits compared with one pass");
    assert_eq!(compared, 27);
}

#[test]
fn ranges_handed_over_as_bytes_give_the_one_pass_report() {
    let mut rng = Rng(0x5eed_0014);
    let mut compared = 0;
    let cases = if cfg!(target_arch = "wasm32") { 6 } else { 30 };
    for case in 0..cases {
        let rows = if case == 0 { ROWS.as_bytes().to_vec() } else { damaged(&mut rng) };
        let k = case % 10 == 0;
        let whole = one_pass(&rows, usize::MAX, k);
        for _ in 0..3 {
            let cut = cuts(&mut rng, &rows);
            let chunk = [7, 100, 4096, usize::MAX][rng.below(4)];
            assert_eq!(in_ranges_as_bytes(&rows, &cut, chunk, k), whole, "case {case}, cuts {cut:?}, chunk {chunk}");
            compared += 1;
        }
    }
    say!("rows as bytes: {compared} splits of {cases} exports, handed over as bytes, joined into the one-pass report");
}

/// Honest summaries of every kind of event, written out (the damaged demo rows hold each).
fn sample_summary_bytes() -> Vec<u8> {
    let mut rng = Rng(0x5eed_0013);
    let mut rows = damaged(&mut rng);
    rows.extend_from_slice(b"{not json\n[1]\n\xef\xbb\xbf{}\n");
    let mut v = Verification::new(keys(false), &receipt_files());
    v.begin_rows("rows.jsonl");
    assert!(!v.row_head_set().is_empty(), "rows that hit the heads are in the sample");
    let mut range = RowRange::new("rows.jsonl", false, v.row_head_set());
    range.push(&rows);
    range.finish().to_bytes()
}

#[test]
fn summary_bytes_that_were_not_written_by_to_bytes_are_refused() {
    use receipt_verify::{Error, RangeError};
    let good = sample_summary_bytes();
    assert!(RangeSummary::from_bytes(&good).is_ok(), "positive control");
    // Every truncation is refused, with a typed error, and none panics.
    for n in 0..good.len() {
        let e = RangeSummary::from_bytes(&good[..n]).err();
        assert!(matches!(e, Some(Error::Range(_))), "{n} of {} bytes: {e:?}", good.len());
    }
    // Bytes after the end.
    let mut longer = good.clone();
    longer.push(0);
    assert!(matches!(RangeSummary::from_bytes(&longer), Err(Error::Range(RangeError::Malformed { .. }))));
    // Another version.
    let mut other = good.clone();
    other[0] = other[0].wrapping_add(1);
    assert!(matches!(RangeSummary::from_bytes(&other), Err(Error::Range(RangeError::Malformed { .. }))));
    // An unknown check id of the same length as a real one: refused by name, not kept.
    let at = good.windows(10).position(|w| w == b"rows.parse").expect("a rows.parse finding");
    let mut unknown = good.clone();
    unknown[at..at + 10].copy_from_slice(b"rows.parsX");
    match RangeSummary::from_bytes(&unknown) {
        Err(Error::Range(RangeError::UnknownCheckId { id })) => assert_eq!(id, "rows.parsX"),
        other => panic!("{other:?}"),
    }
    // A failure event whose status byte says "pass" (red team 15: it turned an edited
    // row's rows.hash into a pass): a reader never writes one, so it is refused. The
    // status byte follows the id; a rows.parse failure is the sample's first such event.
    let mut passed = good.clone();
    let status = at + 10;
    assert_eq!(passed[status], 1, "the failure's status byte");
    passed[status] = 0;
    assert!(matches!(RangeSummary::from_bytes(&passed), Err(Error::Range(RangeError::Malformed { .. }))));
    // Every single byte flipped: refused or read, never a panic; a count past the bytes
    // left allocates nothing.
    for i in 0..good.len() {
        let mut flipped = good.clone();
        flipped[i] ^= 0xff;
        let _ = RangeSummary::from_bytes(&flipped);
    }
    let huge = [good[0], 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f];
    assert!(RangeSummary::from_bytes(&huge).is_err());
    // Heads: whole hashes only.
    assert!(head_set_from_bytes(&[0u8; 33]).is_err());
    assert_eq!(head_set_from_bytes(&[]).unwrap().len(), 0);
}

/// Red team 15: a byte-order mark on a later line fails `rows.parse` in one pass; read as
/// ranges it did not when the range holding it was made as the file's start (a range
/// made wrongly, or the stream's own reader after a range was joined before anything was
/// pushed).
#[test]
fn a_byte_order_mark_after_the_first_line_fails_however_the_export_is_split() {
    let lines: Vec<&str> = ROWS.lines().collect();
    let (head, tail) = lines.split_at(100);
    let head = format!("{}\n", head.join("\n"));
    let tail = format!("\u{feff}{}\n", tail.join("\n"));
    let whole = format!("{head}{tail}");
    let report = |v: Verification| v.finish_with(&RustCryptoBackend);
    let one = one_pass(whole.as_bytes(), usize::MAX, true);
    assert!(one.contains("\"rows.parse\"") && one.contains("\"failed\""), "one pass fails it");
    // Control: the same export without the mark verifies.
    let clean = one_pass(format!("{head}{}", &tail[3..]).as_bytes(), usize::MAX, true);
    assert!(clean.contains("\"verified\""), "{clean}");
    // The tail read by a range made as the file's start, after the head was pushed.
    let mut v = Verification::new(jwks(), &receipt_files());
    v.begin_rows("rows.jsonl");
    v.push_rows(head.as_bytes());
    let mut range = RowRange::new("rows.jsonl", true, v.row_head_set());
    range.push(tail.as_bytes());
    v.add_row_range(RangeSummary::from_bytes(&range.finish().to_bytes()).unwrap());
    let wrong_flag = report(v);
    assert!(common::failed_ids(&wrong_flag).contains("rows.parse"), "{:?}", common::failed_ids(&wrong_flag));
    // The head as a range of the file's start, then the tail pushed: exactly one pass.
    let mut v = Verification::new(jwks(), &receipt_files());
    v.begin_rows("rows.jsonl");
    let mut range = RowRange::new("rows.jsonl", true, v.row_head_set());
    range.push(head.as_bytes());
    v.add_row_range(range.finish());
    v.push_rows(tail.as_bytes());
    assert_eq!(serde_json::to_string(&report(v)).unwrap(), one);
}

/// A byte-order mark opening the file stays the file's even when its line arrives in
/// pieces that are handed over before it ends (a worker takes a summary after every
/// chunk): handing over nothing read yet does not move the file's start (mutation audit).
#[test]
fn a_byte_order_mark_opening_the_file_survives_hand_overs_before_its_line_ends() {
    let with_mark = format!("\u{feff}{ROWS}");
    let one = one_pass(with_mark.as_bytes(), usize::MAX, true);
    assert!(one.contains("\"verified\""), "{one}");
    for chunk in [1, 2, 7, 64] {
        assert_eq!(in_ranges_as_bytes(with_mark.as_bytes(), &[], chunk, true), one, "chunks of {chunk}");
    }
}
