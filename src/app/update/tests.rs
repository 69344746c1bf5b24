//! Drives the reducer with plain values: navigation, filters, drill-down, generations, errors, logs.

use chrono::Duration;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::update;

/// The sample clock (`sample::epoch()`), as a constant.
pub(super) const NOW: chrono::DateTime<chrono::Utc> =
    chrono::DateTime::from_timestamp_nanos(1_795_662_000_000_000_000);
use crate::app::command::Command;
use crate::app::msg::Msg;
use crate::app::state::{Input, State, TaskScope, View};
use crate::model::{LogLine, sample};

mod live;
mod logs;
mod ops;

pub(super) fn key(state: &mut State, code: KeyCode) -> Vec<Command> {
    update(state, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

pub(super) fn chars(state: &mut State, s: &str) {
    for c in s.chars() {
        key(state, KeyCode::Char(c));
    }
}

pub(super) fn tick(state: &mut State, secs: i64) -> Vec<Command> {
    let now = state.now + Duration::seconds(secs);
    update(state, Msg::Tick { now, api_calls: 0 })
}

pub(super) fn line(id: &str, ms: i64, msg: &str) -> LogLine {
    LogLine {
        id: id.into(),
        at: chrono::DateTime::from_timestamp_millis(ms).unwrap(),
        stream: "navoy/app/00000001c0ffee0001".into(),
        task_id: "00000001c0ffee0001".into(),
        message: msg.into(),
    }
}

#[test]
fn tab_number_keys_and_escape_navigate() {
    let mut s = State::sample();
    key(&mut s, KeyCode::Tab);
    assert_eq!(s.view, View::Targets);
    key(&mut s, KeyCode::BackTab);
    key(&mut s, KeyCode::BackTab);
    assert_eq!(s.view, View::Help);
    key(&mut s, KeyCode::Char('5'));
    assert_eq!(s.view, View::Instances);
    key(&mut s, KeyCode::Esc);
    assert_eq!(s.view, View::Help);
}

#[test]
fn selection_moves_and_stays_in_bounds() {
    let mut s = State::sample();
    key(&mut s, KeyCode::Char('4'));
    for _ in 0..10 {
        key(&mut s, KeyCode::Char('j'));
    }
    assert_eq!(s.selected(View::Tasks), 3, "4 tasks in the seed");
    key(&mut s, KeyCode::Char('k'));
    assert_eq!(s.selected(View::Tasks), 2);
    key(&mut s, KeyCode::Char('g'));
    assert_eq!(s.selected(View::Tasks), 0);
}

#[test]
fn filter_narrows_the_list_and_escape_clears_it() {
    let mut s = State::sample();
    key(&mut s, KeyCode::Char('2'));
    key(&mut s, KeyCode::Char('/'));
    let s = &mut s;
    chars(s, "unhealthy");
    assert!(matches!(s.input, Input::Filter(_)));
    let rows = crate::app::query::targets(s);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].1.health, crate::model::TargetHealth::Unhealthy);
    key(s, KeyCode::Enter);
    assert_eq!(s.input, Input::None);
    assert_eq!(s.filter(View::Targets), "unhealthy");
    key(s, KeyCode::Esc);
    assert_eq!(s.filter(View::Targets), "");
    assert_eq!(crate::app::query::targets(s).len(), 3);
}

#[test]
fn drill_down_service_to_tasks_to_logs() {
    let mut s = State::sample();
    key(&mut s, KeyCode::Char('3'));
    key(&mut s, KeyCode::Enter);
    assert_eq!(s.view, View::Tasks);
    assert_eq!(s.task_scope, TaskScope::Service("navoy-app".into()));
    let cmds = key(&mut s, KeyCode::Enter);
    assert_eq!(s.view, View::Logs);
    let source = s.logs.source.clone().unwrap();
    assert_eq!(source.group, "/ecs/navoy-app");
    assert_eq!(source.streams, ["navoy/app/00000001c0ffee0001"]);
    assert!(matches!(
        cmds.as_slice(),
        [
            Command::FetchLogs { generation: 1, .. },
            Command::StartLiveTail { generation: 1, .. }
        ]
    ));
    key(&mut s, KeyCode::Esc);
    assert_eq!(s.view, View::Tasks);
    key(&mut s, KeyCode::Esc);
    assert_eq!(s.view, View::Services);
}

#[test]
fn drill_down_from_topology_instance_and_from_target() {
    let mut s = State::sample();
    key(&mut s, KeyCode::Char('j'));
    key(&mut s, KeyCode::Enter);
    assert_eq!(s.view, View::Tasks);
    let tasks = crate::app::query::tasks(&s);
    assert_eq!(tasks.len(), 2, "instance 2 (us-east-1b) runs two tasks");
    assert!(tasks.iter().all(|t| t.az.as_deref() == Some("us-east-1b")));

    let mut s = State::sample();
    key(&mut s, KeyCode::Char('2'));
    key(&mut s, KeyCode::Char('j'));
    key(&mut s, KeyCode::Enter);
    let tasks = crate::app::query::tasks(&s);
    assert_eq!(tasks.len(), 1);
    assert_eq!(
        tasks[0].target_health(),
        Some(crate::model::TargetHealth::Unhealthy)
    );
}

#[test]
fn polls_start_on_ticks_and_are_not_duplicated() {
    let mut s = State::sample();
    s.last_request = Some(s.now);
    assert!(tick(&mut s, 1).is_empty(), "not due before the interval");
    let cmds = tick(&mut s, 3);
    assert_eq!(
        cmds,
        [Command::FetchSnapshot {
            generation: 1,
            full: false
        }]
    );
    assert!(
        tick(&mut s, 10).is_empty(),
        "one in flight: no second request"
    );
}

#[test]
fn a_request_that_never_answers_does_not_stop_polling() {
    let mut s = State::sample();
    assert_eq!(
        tick(&mut s, 0),
        [Command::FetchSnapshot {
            generation: 1,
            full: false
        }]
    );
    assert!(tick(&mut s, 60).is_empty(), "still waiting");
    assert_eq!(
        tick(&mut s, 61),
        [Command::FetchSnapshot {
            generation: 2,
            full: false
        }]
    );
    let late = Msg::SnapshotLoaded {
        generation: 1,
        at: NOW,
        result: Err("late".into()),
    };
    update(&mut s, late);
    assert!(
        s.banner.is_none(),
        "the lost request's late reply is dropped"
    );
}

#[test]
fn stale_generations_are_dropped() {
    let mut s = State::sample();
    let cmds = key(&mut s, KeyCode::Char('r'));
    assert_eq!(
        cmds,
        [Command::FetchSnapshot {
            generation: 1,
            full: true
        }],
        "the refresh key asks for everything again"
    );
    key(&mut s, KeyCode::Char('r'));
    assert_eq!(s.generation, 2);
    let mut old = sample::seed();
    old.services = crate::model::Section::Ok(Vec::new());
    update(
        &mut s,
        Msg::SnapshotLoaded {
            generation: 1,
            at: NOW,
            result: Ok(Box::new(old)),
        },
    );
    assert_eq!(
        s.snapshot.as_ref().unwrap().services().len(),
        1,
        "old reply ignored"
    );
    assert!(s.in_flight, "still waiting for generation 2");
    let at = s.now + Duration::seconds(1);
    update(
        &mut s,
        Msg::SnapshotLoaded {
            generation: 2,
            at,
            result: Ok(Box::new(sample::seed())),
        },
    );
    assert!(!s.in_flight);
    assert_eq!(s.last_ok, Some(at));
}

#[test]
fn errors_keep_the_data_and_mark_it_stale() {
    let mut s = State::sample();
    let before = s.snapshot.clone();
    let cmds = tick(&mut s, 5);
    let Command::FetchSnapshot { generation, .. } = cmds[0] else {
        panic!("{cmds:?}")
    };
    let at = s.now;
    update(
        &mut s,
        Msg::SnapshotLoaded {
            generation,
            at,
            result: Err("ECS ListTasks: endpoint unreachable: \x1b[31mboom".into()),
        },
    );
    assert_eq!(s.snapshot, before);
    assert!(s.is_stale());
    let banner = s.banner.clone().unwrap();
    assert!(banner.message.contains("unreachable") && !banner.message.contains('\x1b'));
    let cmds = tick(&mut s, 3);
    let Command::FetchSnapshot { generation, .. } = cmds[0] else {
        panic!("{cmds:?}")
    };
    update(
        &mut s,
        Msg::SnapshotLoaded {
            generation,
            at: NOW,
            result: Ok(Box::new(sample::seed())),
        },
    );
    assert!(!s.is_stale());
    assert!(s.banner.is_none());
}

#[test]
fn command_line_completes_and_runs() {
    let mut s = State::sample();
    key(&mut s, KeyCode::Char(':'));
    chars(&mut s, "tar");
    key(&mut s, KeyCode::Tab);
    assert_eq!(s.input, Input::Command("targets ".into()));
    key(&mut s, KeyCode::Enter);
    assert_eq!(s.view, View::Targets);
    key(&mut s, KeyCode::Char(':'));
    chars(&mut s, "t");
    key(&mut s, KeyCode::Tab);
    assert_eq!(
        s.input,
        Input::Command("t".into()),
        "topology/targets/tasks share only 't'"
    );
    key(&mut s, KeyCode::Esc);
    key(&mut s, KeyCode::Char(':'));
    chars(&mut s, "bogus");
    key(&mut s, KeyCode::Enter);
    assert!(s.notice.as_deref().unwrap().contains("bogus"));
    key(&mut s, KeyCode::Char(':'));
    chars(&mut s, "quit");
    key(&mut s, KeyCode::Enter);
    assert!(s.quit);
}

#[test]
fn ticks_redraw_only_when_the_second_changes() {
    let mut s = State::sample();
    s.dirty = false;
    s.last_request = Some(s.now);
    let now = s.now + Duration::milliseconds(250);
    update(&mut s, Msg::Tick { now, api_calls: 5 });
    assert!(!s.dirty);
    let now = s.now + Duration::seconds(1);
    update(&mut s, Msg::Tick { now, api_calls: 17 });
    assert!(s.dirty);
    assert_eq!(s.calls_per_minute(), 12);
}

#[test]
fn typed_filter_text_is_not_a_command() {
    let mut s = State::sample();
    key(&mut s, KeyCode::Char('4'));
    key(&mut s, KeyCode::Char('/'));
    chars(&mut s, "q2");
    assert!(!s.quit, "q inside a filter is text");
    assert_eq!(s.view, View::Tasks, "2 inside a filter is text");
    assert_eq!(s.filter(View::Tasks), "q2");
    key(&mut s, KeyCode::Backspace);
    key(&mut s, KeyCode::Backspace);
    chars(&mut s, "stopped");
    key(&mut s, KeyCode::Enter);
    let tasks = crate::app::query::tasks(&s);
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].last_status, "STOPPED");
}

#[test]
fn mouse_selects_tabs_and_rows_and_scrolls() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let click = |column, row| MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column,
        row,
        modifiers: KeyModifiers::NONE,
    };
    let mut s = State::sample();
    let x = u16::try_from(View::Topology.tab_label().chars().count() + 1).unwrap();
    update(&mut s, Msg::Mouse(click(x, 1)));
    assert_eq!(s.view, View::Targets);
    key(&mut s, KeyCode::Char('4'));
    // Header 2 lines, block border, column titles: the third task is on row 6.
    update(&mut s, Msg::Mouse(click(10, 6)));
    assert_eq!(s.selected(View::Tasks), 2);
    let wheel = MouseEvent {
        kind: MouseEventKind::ScrollUp,
        column: 0,
        row: 10,
        modifiers: KeyModifiers::NONE,
    };
    update(&mut s, Msg::Mouse(wheel));
    assert_eq!(s.selected(View::Tasks), 0);
}
