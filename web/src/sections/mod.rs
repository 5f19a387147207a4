//! The trust-center sections, one component each, all fed from the content model.

mod controls;
mod data_handling;
mod disclosure;
mod header;
mod keys;
mod roadmap;
mod subprocessors;

pub use controls::Controls;
pub use data_handling::DataHandlingSection;
pub use disclosure::DisclosureSection;
pub use header::Header;
pub use keys::PublishedKeysSection;
pub use roadmap::Roadmap;
pub use subprocessors::SubprocessorsSection;
