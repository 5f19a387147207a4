//! The status line, which is the widget's live region: what is missing, the progress bar
//! with Cancel, and, once there is one, the verdict in words (so a screen reader hears the
//! verdict, not just "finished").

use web_sys::Element;

use super::dom::{append, Dom, Js};
use super::model::{Phase, VerifierModel};
use super::text::{visible, SHORT};
use super::verdict::Verdict;

/// What the status line shows: the phase without its progress, which moves only the bar.
#[derive(Clone, PartialEq)]
pub enum StatusKey {
    /// Waiting, and why.
    Waiting(String),
    /// Request `id` running.
    Running(u32),
    /// Cancelled.
    Cancelled,
    /// The verdict, or the refusal, in words.
    Said(String),
}

/// The key for `model`'s status.
pub fn key(model: &VerifierModel, vendor: &str) -> StatusKey {
    match &model.phase {
        Phase::Running { id, .. } => StatusKey::Running(*id),
        Phase::Waiting(why) => StatusKey::Waiting(why.clone()),
        Phase::Cancelled => StatusKey::Cancelled,
        _ => StatusKey::Said(spoken(model, vendor)),
    }
}

/// The verdict as one sentence.
pub fn spoken(model: &VerifierModel, vendor: &str) -> String {
    let failing = |ids: Vec<String>| if ids.is_empty() { String::new() } else { format!(": {}", ids.join(", ")) };
    match (&model.phase, model.verdict()) {
        (Phase::Refused(files), _) => {
            let names: Vec<String> = files.iter().take(3).map(|r| visible(&r.name, SHORT)).collect();
            format!("Not verified: cannot use {}", names.join(", "))
        }
        (Phase::Failed(message), _) => format!("Not verified: {}", visible(message, SHORT * 2)),
        (Phase::Done(r), Some(Verdict::Failed)) => {
            format!("Not verified{}", failing(super::result::distinct(r, "fail").into_iter().take(5).collect()))
        }
        (Phase::Done(_), Some(Verdict::VerifiedUnpublishedKey)) if model.only_my_keys => {
            format!("Signatures valid, under keys you provided; {vendor}'s published keys were not used")
        }
        (Phase::Done(_), Some(Verdict::VerifiedUnpublishedKey)) => {
            format!("Signatures valid, but under a key that is not one of {vendor}'s published keys")
        }
        (Phase::Done(_), _) => "Verified".to_string(),
        _ => String::new(),
    }
}

/// The status line for `model`.
pub fn view(dom: &Dom, model: &VerifierModel, vendor: &str) -> Js<Element> {
    match &model.phase {
        Phase::Waiting(why) => dom.text("p", &[], why),
        Phase::Running { done, total, .. } => {
            let div = dom.el("div", &[("class", "progress")])?;
            let label = dom.el("label", &[])?;
            let text = if *total > 0 { "Verifying the row export…" } else { "Verifying…" };
            let bar = dom.el("progress", &[("max", &total.max(&1).to_string()), ("value", &done.to_string())])?;
            append(&label, &[&dom.t(text), &bar])?;
            let cancel = dom.text(
                "button",
                &[("type", "button"), ("data-testid", "cancel"), ("data-action", "cancel")],
                "Cancel",
            )?;
            append(&div, &[&label, &cancel])?;
            Ok(div)
        }
        Phase::Cancelled => dom.text("p", &[], "Cancelled. Change the files to verify again."),
        _ => dom.text("p", &[("class", "status-verdict")], &spoken(model, vendor)),
    }
}
