//! The pure reducer: `update(&mut State, Msg) -> Vec<Command>`. No IO, no await, no clock reads.

mod command_line;
mod input;
mod logs;
mod operate;
pub use command_line::COMMANDS;
pub use operate::STOP_REASON;
#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};

use super::command::Command;
use super::msg::Msg;
use super::query;
use super::state::{Banner, State, View};
use crate::model::Snapshot;
pub(super) use logs::{open_logs, restart_logs, start_logs};

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
            feed,
            result,
        } => {
            logs::loaded(state, generation, at, feed, result);
            Vec::new()
        }
        Msg::LiveTailStarted { generation } => logs::live_started(state, generation),
        Msg::LiveTailEnded { generation } => {
            logs::live_ended(state, generation);
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
    if state.logs.polls()
        && due(state.logs.last_request, state.settings.logs_refresh)
        && (!state.logs.in_flight || due(state.logs.last_request, STUCK))
    {
        if state.logs.in_flight {
            out.extend(logs::restart_generation(state));
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

/// Keeps every selection inside its (possibly shrunk) list.
pub(super) fn clamp_all(state: &mut State) {
    for view in View::ALL {
        let len = query::len(state, view);
        if let Some(sel) = state.selected.get_mut(&view) {
            *sel = (*sel).min(len.saturating_sub(1));
        }
    }
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
