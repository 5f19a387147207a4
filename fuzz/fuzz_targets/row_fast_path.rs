//! The one-pass row reader against the strict parser: any line the fast reader takes must
//! be, for the strict path, a plain row with the same `seq`, `customerId`, hashes and
//! RFC 8785 hash. Input: one row line (no `\n`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use receipt_verify::fast_row_agrees_with_strict;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = fast_row_agrees_with_strict(data) {
        panic!("the fast and strict readings disagree on {:?}: {e}", String::from_utf8_lossy(data));
    }
});
