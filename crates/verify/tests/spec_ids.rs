//! The check-id table of SPEC.md §13 names exactly the ids the engine reports.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use std::collections::BTreeSet;

use receipt_verify::ids;

#[test]
fn the_spec_table_lists_every_check_id() {
    let spec = include_str!("../../../SPEC.md");
    let table = spec.split("## 13. Check ids").nth(1).unwrap().split("\n## ").next().unwrap();
    let in_spec: BTreeSet<&str> = table.lines().filter_map(|l| l.strip_prefix("| `")?.split('`').next()).collect();
    let in_code: BTreeSet<&str> = ids::ALL.iter().copied().collect();
    assert_eq!(in_spec, in_code);
    assert!(in_code.len() >= 40 && in_code.contains(ids::INPUT_READ), "{in_code:?}");
}
