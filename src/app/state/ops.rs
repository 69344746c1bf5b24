//! The operations part of the UI state: the open popup, the operations running, the console's audit trail.

use crate::model::ServiceEvent;
use crate::ops::Plan;

/// What a prompt asks for, and what it builds once answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ask {
    /// The service's new desired count.
    ServiceCount(String),
    /// The ASG's new desired capacity.
    AsgCapacity(String),
    /// The image tag to redeploy the service with (`sha-<commit>`).
    ImageTag(String),
}

/// The popup over the current view; it takes every key while open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Popup {
    /// A count or an image tag, typed.
    Ask { target: Ask, text: String },
    /// The plan to confirm; `typed` is what was typed when the plan asks for exact text.
    Confirm { plan: Box<Plan>, typed: String },
}

/// One operation the console started: its last progress line, and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunningOp {
    pub id: u64,
    pub title: String,
    pub resources: Vec<String>,
    pub line: String,
    /// What the person may want next once it settles (shown then).
    pub next: Option<String>,
    /// `settled`, `failed`, `timed_out`, `refused`... once over.
    pub ended: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpsState {
    pub popup: Option<Popup>,
    pub next_id: u64,
    /// Newest last; the few most recent are kept for the status panel.
    pub runs: Vec<RunningOp>,
    /// Audit records as events, newest first, shown with the service events.
    pub console_events: Vec<(String, ServiceEvent)>,
    /// Quit was pressed while operations ran; the next quit leaves.
    pub quit_armed: bool,
}

impl OpsState {
    /// The in-flight operation holding one of `resources`, if any.
    #[must_use]
    pub fn busy_with(&self, resources: &[String]) -> Option<&RunningOp> {
        self.runs
            .iter()
            .filter(|r| r.ended.is_none())
            .find(|r| r.resources.iter().any(|k| resources.contains(k)))
    }
}
