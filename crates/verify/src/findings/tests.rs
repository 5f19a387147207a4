//! The listing's caps and aggregates, and signature findings resolved in pieces.

use super::*;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn check(id: &'static str, status: Status) -> Check {
    Check::new(id, status, Subject::default(), "m")
}

fn at(id: &'static str, status: Status, index: usize) -> Check {
    Check::new(id, status, Subject { index: Some(index), ..Subject::default() }, format!("m{index}"))
}

fn weight(checks: &[Check], id: &str, status: Status) -> usize {
    checks.iter().filter(|c| c.id == id && c.status == status).map(Check::weight).sum()
}

#[test]
fn failures_over_the_cap_are_counted_in_one_summary_and_passes_are_aggregated() {
    let mut f = Findings::default();
    let n = MAX_LISTED_PER_CHECK + 7;
    for i in 0..n {
        f.push(at("receipt.fields", Status::Fail, i));
        f.push(at("receipt.hash", Status::Pass, i));
    }
    f.push(check("worm.uri", Status::Fail));
    assert!(f.is_full("receipt.fields", Status::Fail));
    assert!(!f.is_full("receipt.fields", Status::Warn) && !f.is_full("receipt.hash", Status::Pass));
    assert!(!f.is_full("worm.uri", Status::Fail));
    assert!(f.push_slot(0, None), "a signature's place is kept");
    assert!(
        !f.push_slot(1, Some(("receipt.fields", Status::Fail))),
        "unless it counts toward a full cap (and is counted: 8 more)"
    );
    let signature = check("receipt.signature", Status::Pass);
    let checks = f.into_checks(vec![signature, check("never.listed", Status::Fail)], []);
    assert_eq!(checks.iter().filter(|c| c.id == "receipt.signature").count(), 1);
    assert!(!checks.iter().any(|c| c.id == "never.listed"));
    let fields: Vec<&Check> = checks.iter().filter(|c| c.id == "receipt.fields").collect();
    assert_eq!(fields.len(), MAX_LISTED_PER_CHECK + 1, "the cap, then one summary");
    let summary = fields.last().copied().cloned().unwrap_or_else(|| check("none", Status::Note));
    assert!(summary.message.starts_with("8 more receipt.fields failures not listed"), "{}", summary.message);
    assert_eq!((summary.count, summary.actual.as_deref()), (Some(8), Some(format!("{} in all", n + 1).as_str())));
    let places = (summary.subject.index, summary.last.as_ref().and_then(|s| s.index));
    assert_eq!(places, (Some(MAX_LISTED_PER_CHECK), Some(n - 1)), "the first and last left out");
    assert_eq!(weight(&checks, "receipt.fields", Status::Fail), n + 1, "the true total");
    let hash: Vec<&Check> = checks.iter().filter(|c| c.id == "receipt.hash").collect();
    assert_eq!(hash.len(), 1, "one entry for every pass of an id");
    let hash = hash.first().copied().cloned().unwrap_or_else(|| check("none", Status::Note));
    assert_eq!(hash.count, Some(n));
    assert_eq!((hash.subject.index, hash.message.as_str()), (Some(0), "m0"), "the first pass's place and words");
    assert_eq!(hash.last.and_then(|s| s.index), Some(n - 1), "and the last one's place");
    let position = |id: &str| checks.iter().position(|c| c.id == id);
    assert_eq!(position("receipt.hash"), Some(1), "at the place of its first pass");
    assert_eq!(checks.iter().filter(|c| c.id == "worm.uri").count(), 1);
}

#[test]
fn warnings_and_notes_are_capped_apart_from_failures() {
    let mut f = Findings::default();
    for _ in 0..=MAX_LISTED_PER_CHECK {
        f.push(check("key.select", Status::Note));
    }
    assert!(f.push_slot(0, Some(("key.select", Status::Fail))), "notes do not use up the failures' cap");
    let checks = f.into_checks(vec![check("key.select", Status::Fail)], []);
    assert_eq!(checks.iter().filter(|c| c.status == Status::Note).count(), MAX_LISTED_PER_CHECK + 1);
    assert_eq!(weight(&checks, "key.select", Status::Note), MAX_LISTED_PER_CHECK + 1);
    assert_eq!(checks.iter().filter(|c| c.status == Status::Fail).count(), 1);
}

#[test]
fn signature_failures_over_the_cap_are_counted_not_listed() {
    let mut f = Findings::default();
    let n = MAX_LISTED_PER_CHECK * 3;
    for slot in 0..n {
        f.push(at("receipt.hash", Status::Pass, slot));
        assert!(f.push_slot(slot, None));
    }
    assert!(f.out.checks.len() + f.queue.len() <= 2, "the pass and one run of slots, not one entry per receipt");
    let signatures = (0..n).map(|i| at("receipt.signature", if i == 5 { Status::Pass } else { Status::Fail }, i));
    let checks = f.into_checks(signatures, [check("verdict.signature", Status::Fail)]);
    let listed = checks.iter().filter(|c| c.id == "receipt.signature" && c.status == Status::Fail).count();
    assert_eq!(listed, MAX_LISTED_PER_CHECK + 1, "the cap, then one summary");
    assert_eq!(weight(&checks, "receipt.signature", Status::Fail), n - 1, "every failure counted");
    assert_eq!(weight(&checks, "receipt.signature", Status::Pass), 1);
    let first = checks.iter().find(|c| c.status == Status::Fail).map(|c| c.subject.index);
    assert_eq!(first, Some(Some(0)), "the first failures are the ones listed");
    assert_eq!(checks.last().map(|c| c.id), Some("verdict.signature"), "closing findings come last");
}

#[test]
fn signature_passes_are_aggregated_and_unlisted_slots_skipped() {
    let mut f = Findings::default();
    for _ in 0..MAX_LISTED_PER_CHECK {
        f.push(check("key.select", Status::Fail));
    }
    assert!(f.push_slot(0, None));
    assert!(!f.push_slot(1, Some(("key.select", Status::Fail))), "over the cap: counted, not listed");
    f.push(check("worm.uri", Status::Note));
    assert!(f.push_slot(2, None) && f.push_slot(3, None));
    let signatures =
        (0..4).map(
            |i| {
                if i == 1 {
                    check("never.listed", Status::Fail)
                } else {
                    at("receipt.signature", Status::Pass, i)
                }
            },
        );
    let checks = f.into_checks(signatures, [check("verdict.signature", Status::Pass)]);
    assert!(!checks.iter().any(|c| c.id == "never.listed"));
    let sig = checks.iter().find(|c| c.id == "receipt.signature");
    assert_eq!(sig.map(|c| (c.count, c.subject.index)), Some((Some(3), Some(0))));
    assert_eq!(sig.and_then(|c| c.last.as_ref()).and_then(|s| s.index), Some(3));
    assert_eq!(weight(&checks, "key.select", Status::Fail), MAX_LISTED_PER_CHECK + 1);
    let closing = checks.last().map(|c| (c.id, c.count));
    assert_eq!(closing, Some(("verdict.signature", Some(1))), "a closing pass carries its count too");
}

#[test]
fn words_are_read_only_for_an_ids_first_pass_and_for_findings_under_the_cap() {
    let mut f = Findings::default();
    assert!(f.reads("receipt.hash", Status::Pass), "the first pass becomes its id's entry");
    f.push(at("receipt.hash", Status::Pass, 0));
    assert!(!f.reads("receipt.hash", Status::Pass), "a later pass only adds its place and count");
    assert!(f.reads("receipt.alg", Status::Pass), "another id's first pass is read");
    // Behind an unknown signature, passes wait in the queue: the first of an id there is
    // its entry, and read; the next is not.
    assert!(f.push_slot(0, None));
    assert!(f.reads("worm.uri", Status::Pass));
    f.push(at("worm.uri", Status::Pass, 1));
    assert!(!f.reads("worm.uri", Status::Pass), "its entry is queued");
    assert!(f.reads_signature_pass("receipt.signature"));
    f.signature(0, at("receipt.signature", Status::Pass, 2));
    assert!(!f.reads_signature_pass("receipt.signature"), "the signature passes' entry is listed");
    for i in 0..MAX_LISTED_PER_CHECK {
        assert!(f.reads("receipt.fields", Status::Fail), "failure {i} is listed, so read");
        f.push(at("receipt.fields", Status::Fail, i));
    }
    assert!(!f.reads("receipt.fields", Status::Fail), "over the cap: only counted");
    assert!(f.reads("receipt.fields", Status::Warn), "the cap is per status");
    // What the words were left out of reads the same: the entries keep the first's words.
    f.push(Check::unread("receipt.hash", Status::Pass, Subject { index: Some(9), ..Subject::default() }));
    f.push(Check::unread("receipt.fields", Status::Fail, Subject::default()));
    let checks = f.finish([]);
    let hash = checks.iter().find(|c| c.id == "receipt.hash").map(|c| (c.message.as_str(), c.count));
    assert_eq!(hash, Some(("m0", Some(2))));
    assert!(checks.iter().all(|c| !c.message.is_empty()), "no finding listed without its words");
}
