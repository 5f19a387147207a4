//! The content model: everything vendor-specific on the page, read from `web/content.json`
//! (documented field by field in the README). Unknown fields are refused so a typo in the
//! content file fails the build's tests instead of silently disappearing from the page.

use serde::Deserialize;

/// The built-in demo vendor (the content file shipped in `web/`).
pub const DEMO_CONTENT: &str = include_str!("../content.json");

/// The whole content file.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Content {
    /// Who the page is about.
    pub vendor: Vendor,
    /// Certification and framework badges.
    pub certifications: Vec<Certification>,
    /// Control cards.
    pub controls: Vec<Control>,
    /// Compliance milestones, in order.
    pub roadmap: Vec<Milestone>,
    /// What is sent and where data lives.
    pub data_handling: DataHandling,
    /// The sub-processor table.
    pub subprocessors: Subprocessors,
    /// Vulnerability disclosure; also the source of `security.txt`.
    pub disclosure: Disclosure,
    /// The published keys section.
    pub keys: KeysSection,
}

/// The vendor.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Vendor {
    /// Company name.
    pub name: String,
    /// Product name.
    pub product: String,
    /// One or two sentences under the title.
    pub tagline: String,
    /// Main website.
    pub website: String,
    /// When the content was last reviewed (YYYY-MM-DD).
    pub updated: String,
}

/// Status of a certification or framework.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum CertStatus {
    /// Certified / report issued.
    Achieved,
    /// Audit or assessment under way.
    InProgress,
    /// Decided, not started.
    Planned,
    /// A yes/no framework that is met (e.g. GDPR-ready).
    Yes,
}

impl CertStatus {
    /// Words shown on the badge (never colour alone).
    pub fn label(self) -> &'static str {
        match self {
            CertStatus::Achieved => "Achieved",
            CertStatus::InProgress => "In progress",
            CertStatus::Planned => "Planned",
            CertStatus::Yes => "Yes",
        }
    }

    /// CSS modifier.
    pub fn class(self) -> &'static str {
        match self {
            CertStatus::Achieved | CertStatus::Yes => "ok",
            CertStatus::InProgress => "progress",
            CertStatus::Planned => "planned",
        }
    }
}

/// A certification or framework badge.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Certification {
    /// e.g. "SOC 2 Type II".
    pub name: String,
    /// Its status.
    pub status: CertStatus,
    /// Target or achieved date, free form ("2026-Q4", "2026-06").
    #[serde(default)]
    pub target: Option<String>,
    /// One sentence of detail.
    #[serde(default)]
    pub detail: Option<String>,
}

/// Status of a control.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ControlStatus {
    /// In place.
    Implemented,
    /// Being built.
    InProgress,
    /// Decided, not started.
    Planned,
}

impl ControlStatus {
    /// Words shown on the card.
    pub fn label(self) -> &'static str {
        match self {
            ControlStatus::Implemented => "Implemented",
            ControlStatus::InProgress => "In progress",
            ControlStatus::Planned => "Planned",
        }
    }

    /// CSS modifier.
    pub fn class(self) -> &'static str {
        match self {
            ControlStatus::Implemented => "ok",
            ControlStatus::InProgress => "progress",
            ControlStatus::Planned => "planned",
        }
    }
}

/// A control card.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Control {
    /// Area, e.g. "Key management".
    pub area: String,
    /// Short title.
    pub title: String,
    /// Its status.
    pub status: ControlStatus,
    /// A few sentences.
    pub description: String,
    /// Optional reference such as "ADR-0002".
    #[serde(default)]
    pub reference: Option<String>,
}

/// State of a roadmap milestone.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum MilestoneState {
    /// Done.
    Done,
    /// Under way.
    InProgress,
    /// Not started.
    Planned,
}

impl MilestoneState {
    /// Words shown on the timeline.
    pub fn label(self) -> &'static str {
        match self {
            MilestoneState::Done => "Done",
            MilestoneState::InProgress => "In progress",
            MilestoneState::Planned => "Planned",
        }
    }

    /// CSS modifier.
    pub fn class(self) -> &'static str {
        match self {
            MilestoneState::Done => "ok",
            MilestoneState::InProgress => "progress",
            MilestoneState::Planned => "planned",
        }
    }
}

/// A roadmap milestone.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Milestone {
    /// e.g. "2026-Q4".
    pub quarter: String,
    /// What happens.
    pub title: String,
    /// Its state.
    pub state: MilestoneState,
}

/// Data handling.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DataHandling {
    /// "What we send".
    pub we_send: Vec<String>,
    /// "What we never send".
    pub we_never_send: Vec<String>,
    /// Where data lives.
    pub residency: Vec<Residency>,
}

/// One data-residency region.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Residency {
    /// Region name.
    pub region: String,
    /// Whose data lives there.
    pub customers: String,
    /// Encryption in transit.
    pub in_transit: String,
    /// Encryption at rest.
    pub at_rest: String,
}

/// The sub-processor table.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Subprocessors {
    /// Date of the last change to the list (YYYY-MM-DD).
    pub last_change: String,
    /// The rows.
    pub entries: Vec<Subprocessor>,
}

/// One sub-processor.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Subprocessor {
    /// Company.
    pub name: String,
    /// What it does for the vendor.
    pub purpose: String,
    /// Where it processes data.
    pub location: String,
    /// Which data categories it sees.
    pub data: String,
}

/// Vulnerability disclosure (also written to `/.well-known/security.txt`, RFC 9116).
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Disclosure {
    /// `mailto:` or `https:` URI (security.txt `Contact`).
    pub contact: String,
    /// Policy URL (security.txt `Policy`).
    pub policy: String,
    /// Time to acknowledge a report.
    pub acknowledgement: String,
    /// Time to triage a report.
    pub triage: String,
    /// Coordinated-disclosure window.
    pub disclosure_window: String,
    /// Bug-bounty status.
    pub bug_bounty: String,
    /// PGP key fingerprint for encrypted reports.
    pub pgp_fingerprint: String,
    /// security.txt `Preferred-Languages`.
    pub languages: Vec<String>,
    /// security.txt `Canonical`.
    pub canonical: String,
    /// security.txt `Expires` (RFC 3339). Tests fail when it is past or over a year ahead.
    pub expires: String,
}

/// The published-keys section.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KeysSection {
    /// File name the JWKS is served and downloaded as.
    pub jwks_file: String,
    /// A sentence shown above the table.
    pub note: String,
}

impl Content {
    /// Parse a content file.
    pub fn parse(text: &str) -> Result<Content, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// The built-in demo content. It is checked by the tests, so failing here would be a
    /// build defect; an empty page is still better than a panic.
    pub fn demo() -> Content {
        Content::parse(DEMO_CONTENT).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_content_parses_and_fills_every_section() {
        let c = Content::parse(DEMO_CONTENT).unwrap();
        assert!(!c.certifications.is_empty() && !c.controls.is_empty() && !c.roadmap.is_empty());
        assert!(!c.data_handling.we_send.is_empty() && !c.data_handling.residency.is_empty());
        assert!(!c.subprocessors.entries.is_empty());
        let areas: Vec<&str> = c.controls.iter().map(|c| c.area.as_str()).collect();
        for needed in [
            "Identity",
            "Tenancy isolation",
            "Audit chain",
            "Approval cryptography",
            "Key management",
            "Data residency",
        ] {
            assert!(areas.contains(&needed), "controls lack {needed}");
        }
    }

    #[test]
    fn a_typo_in_the_content_file_is_refused() {
        let bad = DEMO_CONTENT.replacen("\"tagline\"", "\"tagLine\"", 1);
        let err = Content::parse(&bad).unwrap_err().to_string();
        assert!(err.contains("tagLine"), "{err}");
    }
}
