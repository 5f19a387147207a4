//! The one-pass receipt reader against the strict parser: any line the fast reader takes
//! must be, for the strict path, a batch receipt with no `receipt.fields` finding, the
//! same members, the same manifest and the same cost to the file's value budget. Input:
//! one receipt line (no `\n`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use receipt_verify::fast_receipt_agrees_with_strict;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = fast_receipt_agrees_with_strict(data) {
        panic!("the fast and strict readings disagree on {:?}: {e}", String::from_utf8_lossy(data));
    }
});
