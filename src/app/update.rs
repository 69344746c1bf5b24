//! The pure reducer: `update(&mut State, Msg) -> Vec<Command>`. No IO, no await, no clock reads.

mod input;
mod operate;
pub use input::COMMANDS;
pub use operate::STOP_REASON;
#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};

use super::command::Command;
use super::msg::Msg;
use super::query;
use super::state::{Banner, LogSource, LogState, State, View};
use crate::aws::logs::LogQuery;
use crate::model::{LogLine, Snapshot};

/// How far back a new tail starts.
const TAIL_BACKLOG_MS: i64 = 10 * 60 * 1000;
/// Longer than the SDK's own operation timeout: a request still in flight after this is lost.
const STUCK: std::time::Duration = std::time::Duration::from_mins(2);
/// How long API call samples are kept for the calls-per-minute figure.
const API_WINDOW_S: i64 = 70;

/// Applies one message; returns the side effects to run.
pub fn update(state: &mut State, msg: Msg) -> Vec<Command> {
    match msg {
        Msg::Key(key) => {
            state.dirty = true;
            input::key(state, &key)
        }
        Msg::Mouse(mouse) => input::mouse(state, mouse),
        Msg::Resize(w, h) => {
            state.size = (w, h);
            state.dirty = true;
            Vec::new()
        }
        Msg::Tick { now, api_calls } => tick(state, now, api_calls),
        Msg::SnapshotLoaded {
            generation,
            at,
            result,
        } => {
            snapshot_loaded(state, generation, at, result);
            Vec::new()
        }
        Msg::LogsLoaded {
            generation,
            at,
            result,
        } => {
            logs_loaded(state, generation, at, result);
            Vec::new()
        }
        Msg::OpProgress { id, line } => {
            operate::progress(state, id, &line);
            Vec::new()
        }
        Msg::OpFinished {
            id,
            status,
            message,
        } => operate::finished(state, id, status, message),
        Msg::AuditLoaded(result) => {
            operate::audit_loaded(state, result);
            Vec::new()
        }
    }
}

fn tick(state: &mut State, now: DateTime<Utc>, api_calls: u64) -> Vec<Command> {
    if now.timestamp() != state.now.timestamp() {
        // The header shows ages in seconds.
        state.dirty = true;
    }
    state.now = now;
    state.api_samples.push_back((now, api_calls));
    while state
        .api_samples
        .front()
        .is_some_and(|(t, _)| (now - *t).num_seconds() > API_WINDOW_S)
    {
        state.api_samples.pop_front();
    }
    let mut out = Vec::new();
    let due = |last: Option<DateTime<Utc>>, every: std::time::Duration| {
        last.is_none_or(|l| (now - l).to_std().is_ok_and(|d| d >= every))
    };
    // A request that never answered (a lost task) must not stop polling for good: after
    // STUCK a new generation starts and the late reply, if any, is dropped.
    if due(state.last_request, state.settings.refresh)
        && (!state.in_flight || due(state.last_request, STUCK))
    {
        out.push(start_snapshot(state, false));
    }
    if state.logs.source.is_some()
        && due(state.logs.last_request, state.settings.logs_refresh)
        && (!state.logs.in_flight || due(state.logs.last_request, STUCK))
    {
        if state.logs.in_flight {
            state.logs.generation += 1;
        }
        out.extend(start_logs(state));
    }
    out
}

/// A new snapshot request (`full`: describe everything again rather than carry settled
/// descriptions over); any reply of an older generation will be dropped.
pub(super) fn start_snapshot(state: &mut State, full: bool) -> Command {
    state.generation += 1;
    state.in_flight = true;
    state.last_request = Some(state.now);
    Command::FetchSnapshot {
        generation: state.generation,
        full,
    }
}

pub(super) fn start_logs(state: &mut State) -> Option<Command> {
    let source = state.logs.source.as_ref()?;
    let query = LogQuery {
        group: source.group.clone(),
        streams: source.streams.clone(),
        start_ms: state
            .logs
            .cursor_ms
            .unwrap_or_else(|| state.now.timestamp_millis() - TAIL_BACKLOG_MS),
        pattern: state.logs.pattern.clone(),
    };
    state.logs.in_flight = true;
    state.logs.last_request = Some(state.now);
    Some(Command::FetchLogs {
        generation: state.logs.generation,
        query,
    })
}

fn snapshot_loaded(
    state: &mut State,
    generation: u64,
    at: DateTime<Utc>,
    result: Result<Box<Snapshot>, String>,
) {
    if generation != state.generation {
        return;
    }
    state.in_flight = false;
    state.dirty = true;
    match result {
        Ok(snap) => {
            if let Some(c) = &snap.cluster {
                state.context.cluster = Some(c.name.clone());
            }
            state.snapshot = Some(*snap);
            state.last_ok = Some(at);
            state.banner = None;
            clamp_all(state);
        }
        Err(message) => {
            state.banner = Some(Banner {
                message: crate::sanitize::clean(&message).into_owned(),
                at,
            });
        }
    }
}

fn logs_loaded(
    state: &mut State,
    generation: u64,
    at: DateTime<Utc>,
    result: Result<Vec<LogLine>, String>,
) {
    if generation != state.logs.generation {
        return;
    }
    let logs = &mut state.logs;
    logs.in_flight = false;
    state.dirty = true;
    match result {
        Ok(lines) => {
            logs.error = None;
            let dropped_before = logs.dropped;
            for line in lines {
                let ms = line.at.timestamp_millis();
                if logs.cursor_ms.is_some_and(|c| ms < c)
                    || (logs.cursor_ms == Some(ms) && logs.seen_at_cursor.contains(&line.id))
                {
                    continue;
                }
                if logs.cursor_ms != Some(ms) {
                    logs.cursor_ms = Some(ms);
                    logs.seen_at_cursor.clear();
                }
                logs.seen_at_cursor.insert(line.id.clone());
                logs.push(line);
            }
            let dropped = usize::try_from(logs.dropped - dropped_before).unwrap_or(usize::MAX);
            if logs.follow {
                let last = query::len(state, View::Logs).saturating_sub(1);
                state.selected.insert(View::Logs, last);
            } else if let Some(sel) = state.selected.get_mut(&View::Logs) {
                *sel = sel.saturating_sub(dropped);
            }
        }
        Err(e) => {
            logs.error = Some(format!(
                "{} (at {})",
                crate::sanitize::clean(&e),
                at.format("%H:%M:%S")
            ));
        }
    }
}

/// Keeps every selection inside its (possibly shrunk) list.
pub(super) fn clamp_all(state: &mut State) {
    for view in View::ALL {
        let len = query::len(state, view);
        if let Some(sel) = state.selected.get_mut(&view) {
            *sel = (*sel).min(len.saturating_sub(1));
        }
    }
}

/// Switches the tail to a new source: a fresh buffer and generation, then polls at once.
pub(super) fn open_logs(state: &mut State, source: LogSource) -> Vec<Command> {
    go(state, View::Logs);
    if state.logs.source.as_ref() == Some(&source) {
        return Vec::new();
    }
    restart_logs(state, Some(source))
}

/// Restarts the tail of `source` (same or new): old replies are dropped by generation.
pub(super) fn restart_logs(state: &mut State, source: Option<LogSource>) -> Vec<Command> {
    let old = std::mem::replace(&mut state.logs, LogState::new(state.settings.log_cap));
    state.logs.generation = old.generation + 1;
    state.logs.wrap = old.wrap;
    state.logs.pattern = old.pattern;
    state.logs.search = old.search;
    state.logs.source = source;
    state.selected.insert(View::Logs, 0);
    start_logs(state).into_iter().collect()
}

/// Goes to a view, remembering where we came from for Esc.
pub(super) fn go(state: &mut State, view: View) {
    if state.view != view {
        state.history.push(state.view);
        if state.history.len() > 32 {
            state.history.remove(0);
        }
        state.view = view;
    }
}
