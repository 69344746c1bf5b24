//! Keys and mouse turned into state changes (still pure); `:` commands in `command_line`.

use crossterm::event::{KeyCode, KeyEvent, MouseButton, MouseEvent, MouseEventKind};

use super::command_line;
use super::{clamp_all, go, open_logs, start_logs, start_snapshot};
use crate::app::action::Action;
use crate::app::command::Command;
use crate::app::query;
use crate::app::state::{Input, LogSource, State, TaskScope, View};
use crate::model::short_id;

pub(super) fn key(state: &mut State, ev: &KeyEvent) -> Vec<Command> {
    if state.ops.popup.is_some() {
        return super::operate::key(state, ev);
    }
    if state.input != Input::None {
        return typing(state, ev);
    }
    state.notice = None;
    match state.keymap.action(state.view, ev) {
        Some(action) => apply(state, action),
        None => Vec::new(),
    }
}

fn typing(state: &mut State, ev: &KeyEvent) -> Vec<Command> {
    let view = state.view;
    match (&mut state.input, ev.code) {
        (Input::Filter(_), KeyCode::Esc) => {
            state.input = Input::None;
            state.filters.remove(&view);
        }
        (Input::Command(_), KeyCode::Esc) | (Input::Filter(_), KeyCode::Enter) => {
            state.input = Input::None;
        }
        (Input::Command(text), KeyCode::Enter) => {
            let text = std::mem::take(text);
            state.input = Input::None;
            return command_line::run(state, &text);
        }
        (Input::Command(text), KeyCode::Tab) => *text = command_line::complete(text),
        (Input::Filter(text) | Input::Command(text), KeyCode::Backspace) => {
            text.pop();
        }
        (Input::Filter(text) | Input::Command(text), KeyCode::Char(c)) => text.push(c),
        _ => {}
    }
    if let Input::Filter(text) = &state.input {
        let text = text.clone();
        set_filter(state, view, text);
    }
    Vec::new()
}

pub(super) fn set_filter(state: &mut State, view: View, text: String) {
    if text.is_empty() {
        state.filters.remove(&view);
    } else {
        state.filters.insert(view, text);
    }
    clamp_all(state);
    if view == View::Logs && state.logs.follow {
        let last = query::len(state, View::Logs).saturating_sub(1);
        state.selected.insert(View::Logs, last);
    }
}

/// Leaves, unless operations are running and this is the first press: their watches would stop.
fn quit(state: &mut State) {
    let running = state.ops.runs.iter().filter(|r| r.ended.is_none()).count();
    if running == 0 || state.ops.quit_armed {
        state.quit = true;
        return;
    }
    state.ops.quit_armed = true;
    state.notice = Some(format!(
        "{running} operation(s) still running: quitting stops watching them (the calls already made stand, and the audit log records it) · quit again to leave"
    ));
}

pub(super) fn apply(state: &mut State, action: Action) -> Vec<Command> {
    let view = state.view;
    let page = usize::from(state.size.1.saturating_sub(8)).max(1);
    if action != Action::Quit {
        state.ops.quit_armed = false;
    }
    match action {
        Action::Quit => quit(state),
        Action::Up => move_by(state, -1),
        Action::Down => move_by(state, 1),
        Action::PageUp => move_by(state, -isize::try_from(page).unwrap_or(1)),
        Action::PageDown => move_by(state, isize::try_from(page).unwrap_or(1)),
        Action::Top => move_by(state, isize::MIN / 2),
        Action::Bottom => {
            move_by(state, isize::MAX / 2);
            if view == View::Logs {
                state.logs.follow = true;
            }
        }
        Action::NextView | Action::PrevView => {
            let n = View::ALL.len();
            let step = if action == Action::NextView { 1 } else { n - 1 };
            state.view = View::ALL[(view.index() + step) % n];
        }
        Action::Goto(v) => go(state, v),
        Action::Enter => return drill(state),
        Action::Logs => return logs_of_selection(state),
        Action::Back => {
            if state.filters.remove(&view).is_some() {
                clamp_all(state);
            } else if let Some(prev) = state.history.pop() {
                state.view = prev;
            } else {
                state.view = View::Topology;
            }
        }
        Action::Refresh => {
            let mut out = vec![start_snapshot(state, true)];
            if !state.logs.in_flight {
                out.extend(start_logs(state));
            }
            return out;
        }
        Action::Filter => state.input = Input::Filter(state.filter(view).to_owned()),
        Action::CommandLine => state.input = Input::Command(String::new()),
        Action::ToggleFollow => {
            state.logs.follow = !state.logs.follow;
            if state.logs.follow {
                move_by(state, isize::MAX / 2);
            }
        }
        Action::ToggleWrap => state.logs.wrap = !state.logs.wrap,
        Action::NextMatch | Action::PrevMatch => find_match(state, action == Action::NextMatch),
        Action::ScaleService
        | Action::ForceRedeploy
        | Action::RedeployImage
        | Action::Release
        | Action::Rollback
        | Action::Drain
        | Action::Undrain
        | Action::StopTask
        | Action::AsgCapacity => return super::operate::begin(state, action),
    }
    Vec::new()
}

fn move_by(state: &mut State, delta: isize) {
    let view = state.view;
    let len = query::len(state, view);
    let cur = state.selected(view).min(len.saturating_sub(1));
    let next = cur.saturating_add_signed(delta).min(len.saturating_sub(1));
    state.selected.insert(view, next);
    if view == View::Logs && delta < 0 {
        state.logs.follow = false;
    }
}

fn find_match(state: &mut State, forward: bool) {
    let Some(needle) = state.logs.search.as_ref().map(|s| s.to_lowercase()) else {
        state.notice = Some("no search: use :find TEXT".into());
        return;
    };
    let lines = query::log_lines(state);
    let n = lines.len();
    let cur = state.selected(View::Logs);
    let hit = (1..=n)
        .map(|i| {
            if forward {
                (cur + i) % n
            } else {
                (cur + n - i % n) % n
            }
        })
        .find(|&i| lines[i].message.to_lowercase().contains(&needle));
    match hit {
        Some(i) => {
            state.logs.follow = false;
            state.selected.insert(View::Logs, i);
        }
        None => state.notice = Some(format!("'{needle}' not found")),
    }
}

fn drill(state: &mut State) -> Vec<Command> {
    let sel = state.selected(state.view);
    let scope = match state.view {
        View::Topology => query::topology_instances(state)
            .get(sel)
            .map(|c| TaskScope::Instance(c.arn.clone())),
        View::Instances => query::instances(state)
            .get(sel)
            .map(|c| TaskScope::Instance(c.arn.clone())),
        View::Services => query::services(state)
            .get(sel)
            .map(|s| TaskScope::Service(s.name.clone())),
        View::Targets => query::targets(state).get(sel).and_then(|(_, t)| {
            t.task_arn.clone().map(TaskScope::Task).or_else(|| {
                let ec2 = t.instance_id.as_deref()?;
                query::topology_instances(state)
                    .iter()
                    .find(|c| c.ec2_instance_id.as_deref() == Some(ec2))
                    .map(|c| TaskScope::Instance(c.arn.clone()))
            })
        }),
        View::Tasks => return logs_of_selection(state),
        View::Logs | View::Events | View::Help => None,
    };
    if let Some(scope) = scope {
        state.task_scope = scope;
        state.selected.insert(View::Tasks, 0);
        go(state, View::Tasks);
    }
    Vec::new()
}

fn logs_of_selection(state: &mut State) -> Vec<Command> {
    let sel = state.selected(state.view);
    let source = match state.view {
        View::Services => query::services(state).get(sel).and_then(|s| {
            let tasks: Vec<_> = state
                .snapshot
                .as_ref()?
                .tasks()
                .iter()
                .filter(|t| t.service.as_deref() == Some(&s.name) && t.last_status != "STOPPED")
                .collect();
            let logs: Vec<_> = tasks
                .iter()
                .flat_map(|t| &t.containers)
                .filter_map(|c| c.log.as_ref())
                .collect();
            Some(LogSource {
                label: format!("service {}", s.name),
                group: logs.first()?.group.clone(),
                streams: logs.iter().filter_map(|l| l.stream.clone()).collect(),
            })
        }),
        View::Tasks => query::tasks(state).get(sel).and_then(|t| {
            let logs: Vec<_> = t.containers.iter().filter_map(|c| c.log.as_ref()).collect();
            Some(LogSource {
                label: format!("task {}", short_id(&t.id)),
                group: logs.first()?.group.clone(),
                streams: logs.iter().filter_map(|l| l.stream.clone()).collect(),
            })
        }),
        _ => {
            state.notice = Some("logs: select a service or a task first".into());
            return Vec::new();
        }
    };
    if let Some(source) = source {
        open_logs(state, source)
    } else {
        state.notice = Some("no awslogs destination for this selection".into());
        Vec::new()
    }
}

pub(super) fn mouse(state: &mut State, ev: MouseEvent) -> Vec<Command> {
    match ev.kind {
        MouseEventKind::ScrollUp => {
            state.dirty = true;
            move_by(state, -3);
        }
        MouseEventKind::ScrollDown => {
            state.dirty = true;
            move_by(state, 3);
        }
        MouseEventKind::Down(MouseButton::Left) => {
            state.dirty = true;
            if ev.row == 1 {
                if let Some(view) = crate::app::state::tab_at(ev.column) {
                    go(state, view);
                }
            } else if let Some(first) = list_top(state) {
                let height = usize::from(state.size.1.saturating_sub(first + 2));
                let sel = state.selected(state.view);
                let row = usize::from(ev.row.saturating_sub(first));
                if ev.row >= first && row < height {
                    let idx = query::offset(sel, height) + row;
                    if idx < query::len(state, state.view) {
                        state.selected.insert(state.view, idx);
                    }
                }
            }
        }
        _ => {}
    }
    Vec::new()
}

/// The screen row of the first list row, for views whose list fills the body.
fn list_top(state: &State) -> Option<u16> {
    let banner = u16::from(state.banner.is_some());
    match state.view {
        // header (2) + banner + block border + column header
        View::Tasks | View::Events => Some(2 + banner + 2),
        _ => None,
    }
}
