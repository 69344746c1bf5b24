//! Operations in the reducer: selection → Operation → `ops::prepare` → popup → one `RunOperation`.

use crossterm::event::{KeyCode, KeyEvent};

use crate::app::action::Action;
use crate::app::command::Command;
use crate::app::query;
use crate::app::state::{Ask, Popup, RunningOp, State, View};
use crate::model::ServiceEvent;
use crate::ops::audit::AuditRecord;
use crate::ops::{Checks, Confirm, Operation, prepare, resolve};

/// The reason every task stopped from the console carries.
pub const STOP_REASON: &str = "stopped from navoy-console";
/// Finished operations kept in the status panel.
const RUNS_KEPT: usize = 3;

/// Starts an operation action on the selected row: a count prompt, a confirmation, or a notice.
pub(super) fn begin(state: &mut State, action: Action) -> Vec<Command> {
    let sel = state.selected(state.view);
    let service = query::services(state).get(sel).map(|s| s.name.clone());
    let instance = query::instances(state)
        .get(sel)
        .map(|c| c.ec2_instance_id.clone().unwrap_or_else(|| c.arn.clone()));
    // Operations that need a typed value first: a prompt, or why there is none.
    let ask = match action {
        Action::ScaleService => Some(service.clone().map(Ask::ServiceCount)),
        Action::RedeployImage => Some(service.clone().map(Ask::ImageTag)),
        Action::AsgCapacity => Some(asg_of_selection(state).map(Ask::AsgCapacity)),
        _ => None,
    };
    if let Some(ask) = ask {
        match ask {
            Some(target) => open_prompt(state, target),
            None if action == Action::AsgCapacity => {
                state.notice = Some("no Auto Scaling group for this selection".into());
            }
            None => state.notice = Some("select a service first".into()),
        }
        return Vec::new();
    }
    let op = match action {
        Action::ForceRedeploy => service.map(|service| Operation::ForceRedeploy { service }),
        Action::Rollback => service.map(|service| Operation::Rollback { service }),
        Action::Drain => instance.map(|instance| Operation::Drain {
            instance,
            release: false,
        }),
        Action::Release => instance.map(|instance| Operation::Drain {
            instance,
            release: true,
        }),
        Action::Undrain => instance.map(|instance| Operation::Undrain { instance }),
        Action::StopTask => query::tasks(state).get(sel).map(|t| Operation::StopTask {
            task: t.id.clone(),
            reason: STOP_REASON.into(),
        }),
        _ => return Vec::new(),
    };
    if let Some(op) = op {
        propose(state, &op)
    } else {
        state.notice = Some("select a row first".into());
        Vec::new()
    }
}

fn open_prompt(state: &mut State, target: Ask) {
    if let Some(text) = refuse_read_only(state) {
        state.notice = Some(text);
        return;
    }
    state.ops.popup = Some(Popup::Ask {
        target,
        text: String::new(),
    });
}

/// Read-only refuses before any prompt: typing a count that can never be used helps no one.
/// (Not audited: no operation exists yet, only the wish to type a count.)
fn refuse_read_only(state: &State) -> Option<String> {
    state.context.read_only.then(|| {
        "refused: read-only mode (--read-only) forbids operations; nothing was changed".into()
    })
}

/// The ASG of the selected instance, else the only one.
fn asg_of_selection(state: &State) -> Option<String> {
    let snap = state.snapshot.as_ref()?;
    let sel = state.selected(View::Instances);
    let ec2 = query::instances(state)
        .get(sel)
        .and_then(|c| c.ec2_instance_id.clone());
    ec2.and_then(|id| resolve::asg_of(snap, &id).map(|g| g.name.clone()))
        .or_else(|| match snap.auto_scaling_groups() {
            [one] => Some(one.name.clone()),
            _ => None,
        })
}

/// Plans `op` over the snapshot on screen; a refusal is a notice and changes nothing.
fn propose(state: &mut State, op: &Operation) -> Vec<Command> {
    let checks = Checks {
        read_only: state.context.read_only,
        force: false,
    };
    let Some(snap) = &state.snapshot else {
        state.notice = Some("no data loaded yet: nothing to operate on".into());
        return Vec::new();
    };
    match prepare(snap, op, checks) {
        Ok(plan) => {
            if let Some(run) = state.ops.busy_with(&plan.resources) {
                state.notice = Some(format!(
                    "refused: busy with \"{}\"; wait for it to finish",
                    run.title
                ));
            } else {
                state.ops.popup = Some(Popup::Confirm {
                    plan: Box::new(plan),
                    typed: String::new(),
                });
            }
        }
        Err(r) => {
            let message = r.to_string();
            state.notice = Some(one_line(&message));
            // Like the headless commands, every refused attempt is audited, read-only included
            // (the audit is a local file; no AWS call is made).
            return vec![Command::AuditRefusal {
                operation: op.clone(),
                cluster: state.context.cluster.clone(),
                message,
            }];
        }
    }
    Vec::new()
}

/// A multi-line refusal (one reason per line) as one status line.
fn one_line(message: &str) -> String {
    message
        .replace(":\n  - ", ": ")
        .replace("\n  - ", " · ")
        .replace('\n', " ")
}

/// Keys while a popup is open: Esc cancels, Enter moves on, the rest edits the text field.
pub(super) fn key(state: &mut State, ev: &KeyEvent) -> Vec<Command> {
    let Some(popup) = state.ops.popup.as_mut() else {
        return Vec::new();
    };
    // As outside popups, a notice answers one key: a "type exactly" hint must not outlive the
    // popup it was about.
    state.notice = None;
    match (popup, ev.code) {
        (_, KeyCode::Esc) => {
            state.ops.popup = None;
            state.notice = Some("cancelled: nothing was changed".into());
        }
        (Popup::Ask { text, .. } | Popup::Confirm { typed: text, .. }, KeyCode::Backspace) => {
            text.pop();
        }
        (
            Popup::Ask {
                target: Ask::ImageTag(_),
                text,
            },
            KeyCode::Char(c),
        ) if c.is_ascii_alphanumeric() || "-_.".contains(c) => text.push(c),
        (Popup::Ask { text, .. }, KeyCode::Char(c)) if c.is_ascii_digit() || c == '-' => {
            text.push(c);
        }
        (Popup::Confirm { typed, plan }, KeyCode::Char(c))
            if matches!(plan.confirm, Confirm::Type(_)) =>
        {
            typed.push(c);
        }
        (Popup::Ask { target, text }, KeyCode::Enter) => {
            let op = match answer(target, text) {
                Ok(op) => op,
                Err(message) => {
                    state.notice = Some(message);
                    return Vec::new();
                }
            };
            state.ops.popup = None;
            return propose(state, &op);
        }
        (Popup::Confirm { plan, typed }, KeyCode::Enter) => {
            if let Confirm::Type(want) = &plan.confirm
                && typed != want
            {
                state.notice = Some(format!("type exactly '{want}' to confirm (Esc cancels)"));
                return Vec::new();
            }
            let Some(Popup::Confirm { plan, .. }) = state.ops.popup.take() else {
                return Vec::new();
            };
            return confirmed(state, plan);
        }
        _ => {}
    }
    Vec::new()
}

/// The operation a prompt's answer asks for.
fn answer(target: &Ask, text: &str) -> Result<Operation, String> {
    let count = || {
        text.trim()
            .parse::<i32>()
            .map_err(|_| format!("'{text}' is not a count"))
    };
    Ok(match target {
        Ask::ServiceCount(service) => Operation::ScaleService {
            service: service.clone(),
            count: count()?,
        },
        Ask::AsgCapacity(asg) => Operation::SetAsgCapacity {
            asg: asg.clone(),
            count: count()?,
        },
        Ask::ImageTag(service) => Operation::Redeploy {
            service: service.clone(),
            image_tag: text.trim().to_owned(),
        },
    })
}

fn confirmed(state: &mut State, plan: Box<crate::ops::Plan>) -> Vec<Command> {
    state.ops.next_id += 1;
    let id = state.ops.next_id;
    // A drained instance is usually either released from its group or set ACTIVE again.
    let next = matches!(plan.operation, Operation::Drain { release: false, .. }).then(|| {
        format!(
            "{} releases it from its ASG (terminate, desired -1) · {} undrains it",
            state.keymap.key_of(Action::Release),
            state.keymap.key_of(Action::Undrain)
        )
    });
    state.ops.runs.push(RunningOp {
        id,
        title: plan.operation.title(),
        resources: plan.resources.clone(),
        line: "starting…".into(),
        next,
        ended: None,
    });
    trim_runs(state);
    vec![Command::RunOperation { id, plan }]
}

/// Drops the oldest finished runs beyond what the panel shows; running ones always stay.
fn trim_runs(state: &mut State) {
    while state.ops.runs.len() > RUNS_KEPT {
        match state.ops.runs.iter().position(|r| r.ended.is_some()) {
            Some(i) => {
                state.ops.runs.remove(i);
            }
            None => break,
        }
    }
}

pub(super) fn progress(state: &mut State, id: u64, line: &str) {
    if let Some(run) = state.ops.runs.iter_mut().find(|r| r.id == id) {
        run.line = crate::sanitize::clean(line).into_owned();
        state.dirty = true;
    }
}

pub(super) fn finished(
    state: &mut State,
    id: u64,
    status: String,
    message: Option<String>,
) -> Vec<Command> {
    if let Some(run) = state.ops.runs.iter_mut().find(|r| r.id == id) {
        if let Some(m) = message {
            run.line = crate::sanitize::clean(&m).into_owned();
        }
        if status == "settled"
            && let Some(next) = &run.next
        {
            state.notice = Some(format!("{}: settled · next: {next}", run.title));
        }
        run.ended = Some(status);
        state.dirty = true;
    }
    vec![Command::LoadAudit]
}

/// The audit records become events, newest first, marked as the console's own.
pub(super) fn audit_loaded(state: &mut State, result: Result<Vec<AuditRecord>, String>) {
    match result {
        Ok(records) => {
            state.ops.console_events = records
                .into_iter()
                .rev()
                .enumerate()
                .map(|(n, r)| {
                    let title = r
                        .plan
                        .as_ref()
                        .map_or_else(|| r.operation.clone(), |p| p.summary.clone());
                    let message = match &r.outcome.message {
                        Some(m) => {
                            format!("[console] {title}: {} ({})", r.outcome.status, one_line(m))
                        }
                        None => format!("[console] {title}: {}", r.outcome.status),
                    };
                    let event = ServiceEvent {
                        id: format!("audit-{n}"),
                        at: Some(r.time),
                        message,
                    };
                    ("console".to_owned(), event)
                })
                .collect();
            state.dirty = true;
        }
        Err(e) => state.notice = Some(format!("audit log unreadable: {e}")),
    }
}
