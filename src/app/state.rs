//! The whole UI state: what is loaded, what is selected, what the user is typing. No IO.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::keymap::Keymap;

mod ops;
use crate::model::{LogLine, Snapshot};
pub use ops::{Ask, OpsState, Popup, RunningOp};

/// The views, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum View {
    Topology,
    Targets,
    Services,
    Tasks,
    Instances,
    Logs,
    Events,
    Help,
}

impl View {
    pub const ALL: [Self; 8] = [
        Self::Topology,
        Self::Targets,
        Self::Services,
        Self::Tasks,
        Self::Instances,
        Self::Logs,
        Self::Events,
        Self::Help,
    ];

    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Topology => "topology",
            Self::Targets => "targets",
            Self::Services => "services",
            Self::Tasks => "tasks",
            Self::Instances => "instances",
            Self::Logs => "logs",
            Self::Events => "events",
            Self::Help => "help",
        }
    }

    pub(crate) fn goto_action_name(self) -> &'static str {
        match self {
            Self::Topology => "view_topology",
            Self::Targets => "view_targets",
            Self::Services => "view_services",
            Self::Tasks => "view_tasks",
            Self::Instances => "view_instances",
            Self::Logs => "view_logs",
            Self::Events => "view_events",
            Self::Help => "view_help",
        }
    }

    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.name() == name)
    }

    #[must_use]
    pub fn index(self) -> usize {
        Self::ALL.iter().position(|&v| v == self).unwrap_or(0)
    }
}

impl View {
    /// The tab title in the header: `1:topology `.
    #[must_use]
    pub fn tab_label(self) -> String {
        let key = if self == Self::Help {
            "?".to_owned()
        } else {
            (self.index() + 1).to_string()
        };
        format!("{key}:{} ", self.name())
    }
}

/// The view whose tab covers column `x` of the tab line.
#[must_use]
pub fn tab_at(x: u16) -> Option<View> {
    let mut start = 0usize;
    for view in View::ALL {
        let end = start + view.tab_label().chars().count();
        if (start..end).contains(&usize::from(x)) {
            return Some(view);
        }
        start = end;
    }
    None
}

/// Which tasks the tasks view shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum TaskScope {
    #[default]
    All,
    /// A service by name.
    Service(String),
    /// A container instance by ARN.
    Instance(String),
    /// One task by ARN (drilled down from a target).
    Task(String),
}

/// What the logs view tails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogSource {
    /// Shown in the title: `service navoy-app` or `task 1234abcd`.
    pub label: String,
    pub group: String,
    /// Empty means every stream of the group.
    pub streams: Vec<String>,
}

/// How the logs source is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TailMode {
    /// `FilterLogEvents` every `logs_refresh`: the endpoint has no live tail, or it ended.
    #[default]
    Polling,
    /// A live tail was asked for; polling goes on meanwhile.
    Starting,
    /// The live tail is up. Polls go on until one made since then comes back short (nothing
    /// between the backlog and the session is missed); live lines wait in `held` until then.
    CatchingUp {
        /// The poll in flight was made since the session came up: a short answer ends this.
        polled: bool,
    },
    /// Lines come from the live tail only; no polls.
    Live,
}

/// The live tail: a bounded ring buffer and where the next poll starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogState {
    pub source: Option<LogSource>,
    pub lines: VecDeque<LogLine>,
    pub cap: usize,
    /// Lines dropped from the front because of the cap.
    pub dropped: u64,
    pub follow: bool,
    pub wrap: bool,
    /// A `CloudWatch` Logs filter pattern sent to the server (`:pattern ...`).
    pub pattern: Option<String>,
    /// Highlighted, not filtered (`:find ...`, then n / N).
    pub search: Option<String>,
    /// Milliseconds since the epoch of the newest event seen.
    pub cursor_ms: Option<i64>,
    /// How many lines of each stream and message were shown at `cursor_ms` (the next poll
    /// starts at that same millisecond). Keyed by content, not event id: live tail events have
    /// no id, and a poll after the live tail must recognise what it showed. (A hash of both.)
    pub seen_at_cursor: HashMap<u64, usize>,
    pub mode: TailMode,
    /// Live lines that arrived while polls caught up (applied after them).
    pub held: Vec<LogLine>,
    pub generation: u64,
    pub in_flight: bool,
    pub last_request: Option<DateTime<Utc>>,
    pub error: Option<String>,
}

impl LogState {
    #[must_use]
    pub fn new(cap: usize) -> Self {
        Self {
            source: None,
            lines: VecDeque::new(),
            cap: cap.max(1),
            dropped: 0,
            follow: true,
            wrap: false,
            pattern: None,
            search: None,
            cursor_ms: None,
            seen_at_cursor: HashMap::new(),
            mode: TailMode::Polling,
            held: Vec::new(),
            generation: 0,
            in_flight: false,
            last_request: None,
            error: None,
        }
    }

    /// A source is open and the live tail does not carry it: ticks poll.
    #[must_use]
    pub fn polls(&self) -> bool {
        self.source.is_some() && self.mode != TailMode::Live
    }

    /// Appends lines, dropping the oldest beyond the cap.
    pub fn push(&mut self, line: LogLine) {
        if self.lines.len() >= self.cap {
            self.lines.pop_front();
            self.dropped += 1;
        }
        self.lines.push_back(line);
    }
}

/// What the bottom line is collecting.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Input {
    #[default]
    None,
    Filter(String),
    Command(String),
}

/// Where the console points, for the header.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Context {
    pub endpoint: String,
    pub region: String,
    pub profile: Option<String>,
    pub cluster: Option<String>,
    pub read_only: bool,
}

/// A refresh that failed: shown in a banner, the last data stays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Banner {
    pub message: String,
    pub at: DateTime<Utc>,
}

/// Poll intervals and buffer sizes (from the config file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub refresh: Duration,
    pub logs_refresh: Duration,
    pub log_cap: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            refresh: Duration::from_secs(3),
            logs_refresh: Duration::from_millis(500),
            log_cap: 10_000,
        }
    }
}

#[derive(Debug, Clone)]
pub struct State {
    pub view: View,
    /// Views to return to with Esc.
    pub history: Vec<View>,
    pub snapshot: Option<Snapshot>,
    /// When the last successful snapshot arrived.
    pub last_ok: Option<DateTime<Utc>>,
    pub banner: Option<Banner>,
    /// A one-line answer to the last command (unknown command, no logs for this task...).
    pub notice: Option<String>,
    pub generation: u64,
    pub in_flight: bool,
    pub last_request: Option<DateTime<Utc>>,
    pub now: DateTime<Utc>,
    pub selected: HashMap<View, usize>,
    pub filters: HashMap<View, String>,
    pub input: Input,
    pub task_scope: TaskScope,
    pub logs: LogState,
    pub ops: OpsState,
    pub context: Context,
    pub settings: Settings,
    pub keymap: Keymap,
    /// (when, total API calls so far), for calls per minute.
    pub api_samples: VecDeque<(DateTime<Utc>, u64)>,
    /// Terminal size, for paging and mouse hits.
    pub size: (u16, u16),
    pub dirty: bool,
    pub quit: bool,
}

impl State {
    #[must_use]
    pub fn new(context: Context, settings: Settings, keymap: Keymap, now: DateTime<Utc>) -> Self {
        let logs = LogState::new(settings.log_cap);
        Self {
            view: View::Topology,
            history: Vec::new(),
            snapshot: None,
            last_ok: None,
            banner: None,
            notice: None,
            generation: 0,
            in_flight: false,
            last_request: None,
            now,
            selected: HashMap::new(),
            filters: HashMap::new(),
            input: Input::None,
            task_scope: TaskScope::All,
            logs,
            ops: OpsState::default(),
            context,
            settings,
            keymap,
            api_samples: VecDeque::new(),
            size: (120, 40),
            dirty: true,
            quit: false,
        }
    }

    #[must_use]
    pub fn selected(&self, view: View) -> usize {
        self.selected.get(&view).copied().unwrap_or(0)
    }

    #[must_use]
    pub fn filter(&self, view: View) -> &str {
        self.filters.get(&view).map_or("", String::as_str)
    }

    /// Seconds since the last good snapshot.
    #[must_use]
    pub fn age_secs(&self) -> Option<i64> {
        self.last_ok.map(|t| (self.now - t).num_seconds().max(0))
    }

    /// The data on screen is older than a failed refresh.
    #[must_use]
    pub fn is_stale(&self) -> bool {
        match (&self.banner, self.last_ok) {
            (Some(b), Some(ok)) => b.at >= ok,
            (Some(_), None) => true,
            _ => false,
        }
    }

    /// API calls over the last minute (or since start, if shorter).
    #[must_use]
    pub fn calls_per_minute(&self) -> u64 {
        let (Some(first), Some(last)) = (
            self.api_samples
                .iter()
                .find(|(t, _)| (self.now - *t).num_seconds() <= 60),
            self.api_samples.back(),
        ) else {
            return 0;
        };
        last.1.saturating_sub(first.1)
    }

    /// A state with the sample estate loaded, at the sample clock: for tests and benches.
    #[must_use]
    pub fn sample() -> Self {
        let now = crate::model::sample::epoch();
        let mut s = Self::new(
            Context {
                endpoint: "http://127.0.0.1:4566".into(),
                region: "us-east-1".into(),
                profile: None,
                cluster: Some("navoy".into()),
                read_only: true,
            },
            Settings::default(),
            Keymap::default(),
            now,
        );
        s.snapshot = Some(crate::model::sample::seed());
        s.last_ok = Some(now - chrono::Duration::seconds(2));
        s
    }
}
