//! The `:` command line: its commands, Tab completion, and what each command does (pure).

use super::input::{apply, set_filter};
use super::{go, query, restart_logs};
use crate::app::action::Action;
use crate::app::command::Command;
use crate::app::state::{State, TaskScope, View};

/// The `:` commands, for completion and the help view.
pub const COMMANDS: [&str; 17] = [
    "topology",
    "targets",
    "services",
    "tasks",
    "instances",
    "logs",
    "events",
    "help",
    "quit",
    "refresh",
    "filter",
    "pattern",
    "find",
    "at",
    "follow",
    "wrap",
    "all-tasks",
];

/// Completes the command word to the longest prefix shared by every candidate.
#[must_use]
pub fn complete(text: &str) -> String {
    if text.contains(' ') {
        return text.to_owned();
    }
    let hits: Vec<&str> = COMMANDS
        .iter()
        .copied()
        .filter(|c| c.starts_with(text))
        .collect();
    match hits.as_slice() {
        [] => text.to_owned(),
        [one] => format!("{one} "),
        many => {
            let first = many[0];
            let common = (text.len()..=first.len())
                .rev()
                .find(|&n| many.iter().all(|c| c.get(..n) == first.get(..n)))
                .unwrap_or(text.len());
            first[..common].to_owned()
        }
    }
}

/// Runs one `:` command line.
pub(super) fn run(state: &mut State, text: &str) -> Vec<Command> {
    let text = text.trim();
    let (word, arg) = text
        .split_once(' ')
        .map_or((text, ""), |(w, a)| (w, a.trim()));
    if let Some(view) = View::parse(word) {
        go(state, view);
        return Vec::new();
    }
    match word {
        "" => Vec::new(),
        "q" | "quit" => apply(state, Action::Quit),
        "r" | "refresh" => apply(state, Action::Refresh),
        "follow" => apply(state, Action::ToggleFollow),
        "wrap" => apply(state, Action::ToggleWrap),
        "all-tasks" => {
            state.task_scope = TaskScope::All;
            go(state, View::Tasks);
            Vec::new()
        }
        "filter" => {
            set_filter(state, state.view, arg.to_owned());
            Vec::new()
        }
        "pattern" => {
            state.logs.pattern = (!arg.is_empty()).then(|| arg.to_owned());
            let source = state.logs.source.clone();
            restart_logs(state, source)
        }
        "find" => {
            state.logs.search = (!arg.is_empty()).then(|| arg.to_owned());
            go(state, View::Logs);
            apply(state, Action::NextMatch)
        }
        "at" => {
            jump_to_time(state, arg);
            Vec::new()
        }
        _ => {
            state.notice = Some(format!("unknown command ':{word}' (Tab completes)"));
            Vec::new()
        }
    }
}

/// `:at HH:MM[:SS]`: the first log line at or after that time (UTC) today.
fn jump_to_time(state: &mut State, arg: &str) {
    let parsed = chrono::NaiveTime::parse_from_str(arg, "%H:%M:%S")
        .or_else(|_| chrono::NaiveTime::parse_from_str(arg, "%H:%M"));
    let Ok(time) = parsed else {
        state.notice = Some(format!("':at {arg}': expected HH:MM or HH:MM:SS (UTC)"));
        return;
    };
    let when = state.now.date_naive().and_time(time).and_utc();
    go(state, View::Logs);
    let lines = query::log_lines(state);
    let idx = lines
        .iter()
        .position(|l| l.at >= when)
        .unwrap_or(lines.len().saturating_sub(1));
    state.logs.follow = false;
    state.selected.insert(View::Logs, idx);
}
