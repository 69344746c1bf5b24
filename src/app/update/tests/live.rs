//! The live tail in the reducer: asked for on open, caught up with polls, then the only feed
//! until it ends and polling resumes from the cursor; stale sessions ignored.

use crossterm::event::KeyCode;

use super::{NOW, chars, key, line, tick};
use crate::app::command::Command;
use crate::app::msg::{LogFeed, Msg};
use crate::app::state::{State, TailMode, View};
use crate::app::update;
use crate::model::LogLine;

fn polls(cmds: &[Command]) -> Vec<i64> {
    cmds.iter()
        .filter_map(|c| match c {
            Command::FetchLogs { query, .. } => Some(query.start_ms),
            _ => None,
        })
        .collect()
}

fn loaded(s: &mut State, feed: LogFeed, lines: Vec<LogLine>) -> Vec<Command> {
    let generation = s.logs.generation;
    update(
        s,
        Msg::LogsLoaded {
            generation,
            at: NOW,
            feed,
            result: Ok(lines),
        },
    )
}

fn messages(s: &State) -> Vec<&str> {
    s.logs.lines.iter().map(|l| l.message.as_str()).collect()
}

/// The sample state with the first task's logs opened; the commands that asked for.
fn opened() -> (State, Vec<Command>) {
    let mut s = State::sample();
    key(&mut s, KeyCode::Char('4'));
    let cmds = key(&mut s, KeyCode::Char('l'));
    (s, cmds)
}

/// A task's logs opened, the backlog polled, the live tail up and caught up.
fn live(s: &mut State) {
    loaded(s, LogFeed::Poll, vec![line("a", 1_000, "one")]);
    let generation = s.logs.generation;
    let cmds = update(s, Msg::LiveTailStarted { generation });
    assert_eq!(polls(&cmds), [1_000], "one poll more, from the cursor");
    loaded(s, LogFeed::Poll, vec![line("a", 1_000, "one")]);
    assert_eq!(s.logs.mode, TailMode::Live);
}

#[test]
fn opening_a_source_asks_for_a_live_tail_with_its_streams_and_pattern() {
    let (mut s, cmds) = opened();
    let [
        Command::FetchLogs { generation: g1, .. },
        Command::StartLiveTail {
            generation: g2,
            query,
        },
    ] = cmds.as_slice()
    else {
        panic!("{cmds:?}")
    };
    assert_eq!(g1, g2);
    assert_eq!(query.group, "/ecs/navoy-app");
    assert_eq!(query.streams, ["navoy/app/00000001c0ffee0001"]);
    assert_eq!(s.logs.mode, TailMode::Starting);
    key(&mut s, KeyCode::Char(':'));
    chars(&mut s, "pattern ERROR");
    let cmds = key(&mut s, KeyCode::Enter);
    let Some(Command::StartLiveTail { generation, query }) = cmds.get(1) else {
        panic!("{cmds:?}")
    };
    assert_eq!(*generation, g1 + 1, "a new session replaces the old");
    assert_eq!(query.pattern.as_deref(), Some("ERROR"));
}

#[test]
fn closing_the_source_stops_the_live_tail() {
    let mut s = State::sample();
    key(&mut s, KeyCode::Char(':'));
    chars(&mut s, "pattern ERROR");
    assert_eq!(key(&mut s, KeyCode::Enter), [Command::StopLiveTail]);
}

#[test]
fn while_live_ticks_do_not_poll_and_live_lines_reach_the_buffer() {
    let (mut s, _) = opened();
    live(&mut s);
    for _ in 0..5 {
        assert_eq!(polls(&tick(&mut s, 2)), Vec::<i64>::new());
    }
    assert_eq!(polls(&key(&mut s, KeyCode::Char('r'))), Vec::<i64>::new());
    loaded(
        &mut s,
        LogFeed::Live,
        vec![line("", 2_000, "two"), line("", 3_000, "three")],
    );
    assert_eq!(messages(&s), ["one", "two", "three"]);
    assert_eq!(s.selected(View::Logs), 2, "following");
    assert_eq!(s.logs.cursor_ms, Some(3_000));
}

#[test]
fn live_lines_wait_until_the_polls_catch_up_and_are_not_doubled() {
    let (mut s, _) = opened();
    let generation = s.logs.generation;
    // The backlog poll is still out when the session comes up: it does not count.
    assert!(update(&mut s, Msg::LiveTailStarted { generation }).is_empty());
    loaded(&mut s, LogFeed::Live, vec![line("", 2_000, "two")]);
    assert!(s.logs.lines.is_empty(), "held while catching up");
    loaded(&mut s, LogFeed::Poll, vec![line("a", 1_000, "one")]);
    assert!(matches!(s.logs.mode, TailMode::CatchingUp { .. }));
    assert_eq!(polls(&tick(&mut s, 1)), [1_000]);
    // A full batch may have left events behind: catch up further.
    let full: Vec<LogLine> = (0..crate::aws::logs::BATCH)
        .map(|i| line(&format!("f{i}"), 1_500, &format!("f{i}")))
        .collect();
    loaded(&mut s, LogFeed::Poll, full);
    assert!(matches!(s.logs.mode, TailMode::CatchingUp { .. }));
    assert_eq!(polls(&tick(&mut s, 1)), [1_500]);
    loaded(
        &mut s,
        LogFeed::Live,
        vec![line("", 2_500, "two and a half")],
    );
    loaded(
        &mut s,
        LogFeed::Poll,
        vec![line("e3", 1_800, "polled only"), line("e2", 2_000, "two")],
    );
    assert_eq!(s.logs.mode, TailMode::Live);
    let tail: Vec<&str> = messages(&s).into_iter().rev().take(3).collect();
    assert_eq!(
        tail,
        ["two and a half", "two", "polled only"],
        "the held line the poll already gave is shown once"
    );
    assert_eq!(s.logs.lines.len(), 1 + crate::aws::logs::BATCH + 3);
}

#[test]
fn when_the_live_tail_ends_polling_resumes_from_the_cursor_without_doubles() {
    let (mut s, _) = opened();
    live(&mut s);
    loaded(
        &mut s,
        LogFeed::Live,
        vec![line("", 5_000, "same"), line("", 5_000, "same")],
    );
    loaded(&mut s, LogFeed::Live, vec![line("", 5_000, "same")]);
    assert_eq!(messages(&s), ["one", "same", "same", "same"]);
    let generation = s.logs.generation;
    update(&mut s, Msg::LiveTailEnded { generation });
    assert_eq!(s.logs.mode, TailMode::Polling);
    assert_eq!(polls(&tick(&mut s, 1)), [5_000]);
    loaded(
        &mut s,
        LogFeed::Poll,
        vec![
            line("e1", 5_000, "same"),
            line("e2", 5_000, "same"),
            line("e3", 5_000, "same"),
            line("e4", 5_000, "same"),
            line("e5", 6_000, "six"),
        ],
    );
    assert_eq!(
        messages(&s),
        ["one", "same", "same", "same", "same", "six"],
        "the three shown are skipped, the fourth is new"
    );
    assert_eq!(polls(&tick(&mut s, 1)), [6_000]);
}

#[test]
fn a_live_tail_that_never_starts_leaves_polling_as_it_was() {
    let (mut s, _) = opened();
    loaded(&mut s, LogFeed::Poll, vec![line("a", 1_000, "one")]);
    let generation = s.logs.generation;
    update(&mut s, Msg::LiveTailEnded { generation });
    assert_eq!(s.logs.mode, TailMode::Polling);
    assert_eq!(s.logs.error, None, "no error shown");
    assert_eq!(polls(&tick(&mut s, 1)), [1_000]);
}

#[test]
fn messages_of_an_old_session_are_dropped() {
    let (mut s, _) = opened();
    let old = s.logs.generation;
    key(&mut s, KeyCode::Char('4'));
    key(&mut s, KeyCode::Char('j'));
    key(&mut s, KeyCode::Char('l'));
    assert_ne!(s.logs.generation, old);
    assert!(update(&mut s, Msg::LiveTailStarted { generation: old }).is_empty());
    assert_eq!(s.logs.mode, TailMode::Starting);
    update(
        &mut s,
        Msg::LogsLoaded {
            generation: old,
            at: NOW,
            feed: LogFeed::Live,
            result: Ok(vec![line("", 1, "stale")]),
        },
    );
    assert!(s.logs.held.is_empty() && s.logs.lines.is_empty());
    update(&mut s, Msg::LiveTailEnded { generation: old });
    assert_eq!(s.logs.mode, TailMode::Starting);
}

#[test]
fn a_stuck_poll_asks_for_the_live_tail_again_under_the_new_generation() {
    let (mut s, _) = opened();
    let old = s.logs.generation;
    let cmds = tick(&mut s, 180);
    let Some(Command::StartLiveTail { generation, .. }) = cmds
        .iter()
        .find(|c| matches!(c, Command::StartLiveTail { .. }))
    else {
        panic!("{cmds:?}")
    };
    assert_eq!(*generation, old + 1);
    assert_eq!(polls(&cmds).len(), 1);
}
