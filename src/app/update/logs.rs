//! The logs source in the reducer: polls and the live tail feeding one buffer, cursor and
//! de-duplication, the switch from polling to live and back.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use chrono::{DateTime, Utc};

use super::{go, query};
use crate::app::command::Command;
use crate::app::msg::LogFeed;
use crate::app::state::{LogSource, LogState, State, TailMode, View};
use crate::aws::logs::{BATCH, LogQuery};
use crate::model::LogLine;

/// How far back a new tail starts.
const TAIL_BACKLOG_MS: i64 = 10 * 60 * 1000;

fn query_of(state: &State) -> Option<LogQuery> {
    let source = state.logs.source.as_ref()?;
    Some(LogQuery {
        group: source.group.clone(),
        streams: source.streams.clone(),
        start_ms: state
            .logs
            .cursor_ms
            .unwrap_or_else(|| state.now.timestamp_millis() - TAIL_BACKLOG_MS),
        pattern: state.logs.pattern.clone(),
    })
}

/// A poll from the cursor, unless the live tail carries the source.
pub(in crate::app) fn start_logs(state: &mut State) -> Option<Command> {
    if state.logs.mode == TailMode::Live {
        return None;
    }
    let query = query_of(state)?;
    state.logs.in_flight = true;
    if let TailMode::CatchingUp { polled } = &mut state.logs.mode {
        *polled = true;
    }
    state.logs.last_request = Some(state.now);
    Some(Command::FetchLogs {
        generation: state.logs.generation,
        query,
    })
}

/// Asks for a live tail of the current source and generation (the executor ends any other).
fn start_live(state: &mut State) -> Option<Command> {
    let query = query_of(state)?;
    state.logs.mode = TailMode::Starting;
    state.logs.held.clear();
    Some(Command::StartLiveTail {
        generation: state.logs.generation,
        query,
    })
}

/// A poll that never answered: a new generation, so its late reply is dropped. A live tail
/// asked for under the old generation is asked for again (its messages would be dropped too).
pub(super) fn restart_generation(state: &mut State) -> Option<Command> {
    state.logs.generation += 1;
    if state.logs.mode == TailMode::Polling {
        None
    } else {
        start_live(state)
    }
}

pub(super) fn loaded(
    state: &mut State,
    generation: u64,
    at: DateTime<Utc>,
    feed: LogFeed,
    result: Result<Vec<LogLine>, String>,
) {
    let logs = &mut state.logs;
    if generation != logs.generation {
        return;
    }
    state.dirty = true;
    match feed {
        LogFeed::Poll => {
            logs.in_flight = false;
            let caught_up = logs.mode == TailMode::CatchingUp { polled: true }
                && result.as_ref().is_ok_and(|l| l.len() < BATCH);
            if let TailMode::CatchingUp { polled } = &mut logs.mode {
                // A failed or full poll: the next one (made since) decides.
                *polled = false;
            }
            apply(state, at, result, LogFeed::Poll);
            if caught_up {
                state.logs.mode = TailMode::Live;
                let mut held = std::mem::take(&mut state.logs.held);
                held.sort_by_key(|l| l.at);
                // Held lines overlap the last poll: compared as a re-read of the cursor.
                apply(state, at, Ok(held), LogFeed::Poll);
            }
        }
        LogFeed::Live => match logs.mode {
            TailMode::Live => apply(state, at, result, LogFeed::Live),
            TailMode::Starting | TailMode::CatchingUp { .. } => {
                logs.held.extend(result.unwrap_or_default());
                let over = logs.held.len().saturating_sub(logs.cap);
                logs.held.drain(..over);
            }
            TailMode::Polling => {}
        },
    }
}

/// The live tail is up: poll once more now (it starts after the session did), then stop.
pub(super) fn live_started(state: &mut State, generation: u64) -> Vec<Command> {
    let logs = &mut state.logs;
    if generation != logs.generation || logs.mode != TailMode::Starting {
        return Vec::new();
    }
    logs.mode = TailMode::CatchingUp { polled: false };
    state.dirty = true;
    if logs.in_flight {
        // That poll began before the session: the next tick makes the one that counts.
        return Vec::new();
    }
    start_logs(state).into_iter().collect()
}

/// The live tail is over: ticks poll again from the cursor. Held lines are dropped, since
/// the polls will read them.
pub(super) fn live_ended(state: &mut State, generation: u64) {
    let logs = &mut state.logs;
    if generation != logs.generation || logs.mode == TailMode::Polling {
        return;
    }
    logs.mode = TailMode::Polling;
    logs.held.clear();
    state.dirty = true;
}

/// Into the ring buffer, once each: a line older than the cursor was shown (or passed over);
/// at the cursor's millisecond a poll re-reads what was shown, so its lines count against
/// `seen_at_cursor`, while each live line is new.
fn apply(
    state: &mut State,
    at: DateTime<Utc>,
    result: Result<Vec<LogLine>, String>,
    feed: LogFeed,
) {
    let logs = &mut state.logs;
    let lines = match result {
        Ok(lines) => lines,
        Err(e) => {
            logs.error = Some(format!(
                "{} (at {})",
                crate::sanitize::clean(&e),
                at.format("%H:%M:%S")
            ));
            return;
        }
    };
    logs.error = None;
    let dropped_before = logs.dropped;
    let mut in_batch: HashMap<u64, usize> = HashMap::new();
    for line in lines {
        let ms = line.at.timestamp_millis();
        if logs.cursor_ms.is_some_and(|c| ms < c) {
            continue;
        }
        if logs.cursor_ms != Some(ms) {
            logs.cursor_ms = Some(ms);
            logs.seen_at_cursor.clear();
            in_batch.clear();
        }
        // A hash, not the text: lines may be a megabyte, and this runs for every line.
        let key = {
            let mut h = DefaultHasher::new();
            (&line.stream, &line.message).hash(&mut h);
            h.finish()
        };
        let nth = in_batch.entry(key).or_default();
        *nth += 1;
        let seen = logs.seen_at_cursor.entry(key).or_default();
        if feed == LogFeed::Poll && *nth <= *seen {
            continue;
        }
        *seen += 1;
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

/// Switches the tail to a new source: a fresh buffer and generation, then polls at once.
pub(in crate::app) fn open_logs(state: &mut State, source: LogSource) -> Vec<Command> {
    go(state, View::Logs);
    if state.logs.source.as_ref() == Some(&source) {
        return Vec::new();
    }
    restart_logs(state, Some(source))
}

/// Restarts the tail of `source` (same or new): old replies are dropped by generation; a poll
/// for the backlog and a live tail are asked for together (the old session is ended).
pub(in crate::app) fn restart_logs(state: &mut State, source: Option<LogSource>) -> Vec<Command> {
    let old = std::mem::replace(&mut state.logs, LogState::new(state.settings.log_cap));
    state.logs.generation = old.generation + 1;
    state.logs.wrap = old.wrap;
    state.logs.pattern = old.pattern;
    state.logs.search = old.search;
    state.logs.source = source;
    state.selected.insert(View::Logs, 0);
    if state.logs.source.is_none() {
        return vec![Command::StopLiveTail];
    }
    start_logs(state)
        .into_iter()
        .chain(start_live(state))
        .collect()
}
