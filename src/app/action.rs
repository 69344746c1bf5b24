//! What a key press means, independent of which key it was.

use super::state::View;

/// One user intent; keymap entries map keys to these, `update` applies them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    NextView,
    PrevView,
    Goto(View),
    /// Drill down from the selected row (service → tasks → logs, instance → tasks, target → task).
    Enter,
    Back,
    Refresh,
    Filter,
    CommandLine,
    /// Open the logs of the selected service or task.
    Logs,
    ToggleFollow,
    ToggleWrap,
    NextMatch,
    PrevMatch,
    /// Operations on the selected row; each opens a prompt or a confirmation, never runs at once.
    ScaleService,
    ForceRedeploy,
    RedeployImage,
    Rollback,
    Drain,
    Release,
    Undrain,
    StopTask,
    AsgCapacity,
}

impl Action {
    /// The name used in the config file's `[keys]` table.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Quit => "quit",
            Self::Up => "up",
            Self::Down => "down",
            Self::PageUp => "page_up",
            Self::PageDown => "page_down",
            Self::Top => "top",
            Self::Bottom => "bottom",
            Self::NextView => "next_view",
            Self::PrevView => "prev_view",
            Self::Goto(v) => v.goto_action_name(),
            Self::Enter => "enter",
            Self::Back => "back",
            Self::Refresh => "refresh",
            Self::Filter => "filter",
            Self::CommandLine => "command",
            Self::Logs => "logs",
            Self::ToggleFollow => "follow",
            Self::ToggleWrap => "wrap",
            Self::NextMatch => "next_match",
            Self::PrevMatch => "prev_match",
            Self::ScaleService => "scale",
            Self::ForceRedeploy => "redeploy",
            Self::RedeployImage => "redeploy_image",
            Self::Rollback => "rollback",
            Self::Drain => "drain",
            Self::Release => "release",
            Self::Undrain => "undrain",
            Self::StopTask => "stop_task",
            Self::AsgCapacity => "asg_capacity",
        }
    }

    /// Every action, for config validation and the help view.
    #[must_use]
    pub fn all() -> Vec<Self> {
        let mut v = vec![
            Self::Quit,
            Self::Up,
            Self::Down,
            Self::PageUp,
            Self::PageDown,
            Self::Top,
            Self::Bottom,
            Self::NextView,
            Self::PrevView,
        ];
        v.extend(View::ALL.iter().map(|&view| Self::Goto(view)));
        v.extend([
            Self::Enter,
            Self::Back,
            Self::Refresh,
            Self::Filter,
            Self::CommandLine,
            Self::Logs,
            Self::ToggleFollow,
            Self::ToggleWrap,
            Self::NextMatch,
            Self::PrevMatch,
            Self::ScaleService,
            Self::ForceRedeploy,
            Self::RedeployImage,
            Self::Rollback,
            Self::Drain,
            Self::Release,
            Self::Undrain,
            Self::StopTask,
            Self::AsgCapacity,
        ]);
        v
    }

    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::all().into_iter().find(|a| a.name() == name)
    }
}
