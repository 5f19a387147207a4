//! Checks: pure functions from typed values to findings. None of them verifies a
//! signature; they only say which signature jobs are needed.

pub mod approval;
pub(crate) mod chain;
pub(crate) mod consumed;
pub(crate) mod key_use;
pub(crate) mod verdict;
pub mod worm;
pub(crate) mod worm_uri;
