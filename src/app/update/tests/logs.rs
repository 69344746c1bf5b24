//! The log tail in the reducer: cursor and de-duplication, ring buffer, sources, patterns, search.

use crossterm::event::KeyCode;

use super::{NOW, chars, key, line, tick};
use crate::app::command::Command;
use crate::app::msg::{LogFeed, Msg};
use crate::app::state::{State, View};
use crate::app::update;

#[test]
fn logs_are_deduplicated_bounded_and_followed() {
    let mut s = State::sample();
    s.settings.log_cap = 3;
    key(&mut s, KeyCode::Char('4'));
    let cmds = key(&mut s, KeyCode::Char('l'));
    let Command::FetchLogs {
        generation,
        ref query,
    } = cmds[0]
    else {
        panic!("{cmds:?}")
    };
    assert_eq!(query.start_ms, s.now.timestamp_millis() - 600_000);
    let batch = vec![line("a", 1000, "one"), line("b", 2000, "two")];
    update(
        &mut s,
        Msg::LogsLoaded {
            generation,
            at: NOW,
            feed: LogFeed::Poll,
            result: Ok(batch),
        },
    );
    // The next poll starts at the newest millisecond, so "b" comes back and is skipped.
    let cmds = tick(&mut s, 1);
    let Some(Command::FetchLogs { query, .. }) =
        cmds.iter().find(|c| matches!(c, Command::FetchLogs { .. }))
    else {
        panic!("{cmds:?}")
    };
    assert_eq!(query.start_ms, 2000);
    let batch = vec![
        line("b", 2000, "two"),
        line("c", 2000, "three"),
        line("d", 3000, "ERROR four"),
    ];
    update(
        &mut s,
        Msg::LogsLoaded {
            generation,
            at: NOW,
            feed: LogFeed::Poll,
            result: Ok(batch),
        },
    );
    let msgs: Vec<&str> = s.logs.lines.iter().map(|l| l.message.as_str()).collect();
    assert_eq!(
        msgs,
        ["two", "three", "ERROR four"],
        "cap 3 drops the oldest"
    );
    assert_eq!(s.logs.dropped, 1);
    assert_eq!(
        s.selected(View::Logs),
        2,
        "following keeps the last line selected"
    );
    key(&mut s, KeyCode::Char('k'));
    assert!(!s.logs.follow, "moving up pauses");
    key(&mut s, KeyCode::Char('G'));
    assert!(s.logs.follow);
}

#[test]
fn logs_of_an_old_source_are_dropped() {
    let mut s = State::sample();
    key(&mut s, KeyCode::Char('4'));
    let cmds = key(&mut s, KeyCode::Char('l'));
    let Command::FetchLogs {
        generation: old, ..
    } = cmds[0]
    else {
        panic!()
    };
    key(&mut s, KeyCode::Char('4'));
    key(&mut s, KeyCode::Char('j'));
    key(&mut s, KeyCode::Char('l'));
    assert_ne!(s.logs.generation, old);
    update(
        &mut s,
        Msg::LogsLoaded {
            generation: old,
            at: NOW,
            feed: LogFeed::Poll,
            result: Ok(vec![line("x", 1, "stale")]),
        },
    );
    assert!(s.logs.lines.is_empty());
}

#[test]
fn search_jumps_between_matches() {
    let mut s = State::sample();
    s.logs.source = Some(crate::app::state::LogSource {
        label: "t".into(),
        group: "g".into(),
        streams: vec![],
    });
    for (i, m) in ["a", "hit 1", "b", "hit 2"].iter().enumerate() {
        s.logs
            .push(line(&i.to_string(), i64::try_from(i).unwrap(), m));
    }
    key(&mut s, KeyCode::Char(':'));
    chars(&mut s, "find hit");
    key(&mut s, KeyCode::Enter);
    assert_eq!(s.selected(View::Logs), 1);
    key(&mut s, KeyCode::Char('n'));
    assert_eq!(s.selected(View::Logs), 3);
    key(&mut s, KeyCode::Char('N'));
    assert_eq!(s.selected(View::Logs), 1);
}

#[test]
fn a_new_log_pattern_restarts_the_tail() {
    let mut s = State::sample();
    key(&mut s, KeyCode::Char('4'));
    let first = key(&mut s, KeyCode::Char('l'));
    let Command::FetchLogs { generation, .. } = first[0] else {
        panic!("{first:?}")
    };
    update(
        &mut s,
        Msg::LogsLoaded {
            generation,
            at: NOW,
            feed: LogFeed::Poll,
            result: Ok(vec![line("a", 1000, "one")]),
        },
    );
    key(&mut s, KeyCode::Char(':'));
    chars(&mut s, "pattern ?ERROR ?WARN");
    let cmds = key(&mut s, KeyCode::Enter);
    let Some(Command::FetchLogs {
        generation: g2,
        query,
    }) = cmds.first()
    else {
        panic!("{cmds:?}")
    };
    assert_eq!(*g2, generation + 1);
    assert_eq!(query.pattern.as_deref(), Some("?ERROR ?WARN"));
    assert!(
        s.logs.lines.is_empty(),
        "old lines do not match the new pattern"
    );
}
