//! Nothing but the differential test in `tests/differential.rs`.
