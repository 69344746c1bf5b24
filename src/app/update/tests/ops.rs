//! Operation flows through the reducer: prompt, plan popup, typed confirmation, cancel, refusals, one command.

use crossterm::event::KeyCode;

use super::{chars, key};
use crate::app::command::Command;
use crate::app::msg::Msg;
use crate::app::state::{Popup, State, View};
use crate::app::update::{STOP_REASON, update};
use crate::ops::{Confirm, Operation};

fn writable(view: View) -> State {
    let mut s = State::sample();
    s.context.read_only = false;
    s.view = view;
    s
}

fn plan_of(s: &State) -> &crate::ops::Plan {
    match &s.ops.popup {
        Some(Popup::Confirm { plan, .. }) => plan,
        other => panic!("expected a confirm popup, got {other:?}"),
    }
}

fn run_ops(cmds: &[Command]) -> Vec<&crate::ops::Plan> {
    cmds.iter()
        .filter_map(|c| match c {
            Command::RunOperation { plan, .. } => Some(plan.as_ref()),
            _ => None,
        })
        .collect()
}

#[test]
fn drain_opens_a_popup_that_only_accepts_the_exact_instance_id() {
    let mut s = writable(View::Instances);
    assert!(key(&mut s, KeyCode::Char('d')).is_empty());
    let Confirm::Type(want) = plan_of(&s).confirm.clone() else {
        panic!("drain must ask for typed text");
    };
    assert!(want.starts_with("i-"));
    assert!(matches!(plan_of(&s).operation, Operation::Drain { .. }));
    chars(&mut s, "i-wrong");
    assert!(key(&mut s, KeyCode::Enter).is_empty());
    assert!(s.ops.popup.is_some(), "wrong text keeps the popup open");
    assert!(s.notice.as_deref().unwrap_or("").contains(&want));
    for _ in 0.."i-wrong".len() {
        key(&mut s, KeyCode::Backspace);
    }
    chars(&mut s, &want);
    let cmds = key(&mut s, KeyCode::Enter);
    assert_eq!(cmds.len(), 1);
    assert_eq!(run_ops(&cmds).len(), 1);
    assert!(s.ops.popup.is_none());
    assert_eq!(s.notice, None, "the hint about the closed popup is gone");
    assert_eq!(s.ops.runs.len(), 1);
    // Once settled, the notice offers what usually follows a drain.
    let id = s.ops.runs[0].id;
    update(
        &mut s,
        Msg::OpFinished {
            id,
            status: "settled".into(),
            message: None,
        },
    );
    let notice = s.notice.clone().unwrap_or_default();
    assert!(
        notice.contains("D releases") && notice.contains("u undrains"),
        "{notice}"
    );
}

#[test]
fn esc_cancels_with_zero_commands() {
    for (view, c) in [
        (View::Instances, 'd'),
        (View::Services, 'R'),
        (View::Tasks, 'x'),
        (View::Services, 's'),
        (View::Services, 'i'),
        (View::Instances, 'D'),
    ] {
        let mut s = writable(view);
        key(&mut s, KeyCode::Char(c));
        assert!(s.ops.popup.is_some(), "{c} opens a popup");
        assert!(key(&mut s, KeyCode::Esc).is_empty());
        assert!(s.ops.popup.is_none());
        assert!(s.ops.runs.is_empty());
        assert_eq!(s.view, view, "Esc closes the popup, not the view");
    }
}

#[test]
fn read_only_refuses_every_operation_and_only_audits_it() {
    for (view, c) in [
        (View::Services, 's'),
        (View::Services, 'R'),
        (View::Services, 'B'),
        (View::Instances, 'd'),
        (View::Instances, 'u'),
        (View::Instances, 'c'),
        (View::Instances, 'D'),
        (View::Services, 'i'),
        (View::Tasks, 'x'),
    ] {
        let mut s = writable(view);
        s.context.read_only = true;
        let commands = key(&mut s, KeyCode::Char(c));
        // Prompts refuse before an operation exists; the rest audit the refusal.
        let audited = !matches!(c, 's' | 'c' | 'i');
        assert_eq!(commands.len(), usize::from(audited), "{c}: {commands:?}");
        assert!(
            commands
                .iter()
                .all(|k| matches!(k, Command::AuditRefusal { .. })),
            "{c}: nothing but the audit record"
        );
        assert!(s.ops.popup.is_none(), "{c}: no popup when read-only");
        assert!(
            s.notice.as_deref().unwrap_or("").contains("read-only"),
            "{c}: {:?}",
            s.notice
        );
    }
}

#[test]
fn scale_prompts_for_the_count_then_confirms_with_one_command() {
    let mut s = writable(View::Services);
    key(&mut s, KeyCode::Char('s'));
    assert!(matches!(s.ops.popup, Some(Popup::Ask { .. })));
    chars(&mut s, "4");
    assert!(key(&mut s, KeyCode::Enter).is_empty());
    let plan = plan_of(&s);
    assert!(matches!(
        plan.operation,
        Operation::ScaleService { count: 4, .. }
    ));
    assert!(plan.calls().count() >= 1);
    let cmds = key(&mut s, KeyCode::Enter);
    assert_eq!(run_ops(&cmds).len(), 1);
    assert_eq!(cmds.len(), 1);
}

#[test]
fn an_invalid_count_is_refused_as_a_notice() {
    let mut s = writable(View::Services);
    key(&mut s, KeyCode::Char('s'));
    chars(&mut s, "-3");
    let cmds = key(&mut s, KeyCode::Enter);
    assert!(s.ops.popup.is_none());
    assert!(s.notice.as_deref().unwrap_or("").contains("refused"));
    // Audited like a headless refusal, and nothing runs.
    assert!(run_ops(&cmds).is_empty());
    assert!(matches!(
        cmds.as_slice(),
        [Command::AuditRefusal {
            operation: Operation::ScaleService { count: -3, .. },
            ..
        }]
    ));
}

#[test]
fn redeploy_stop_and_asg_plans_confirm_with_exactly_one_command() {
    let mut s = writable(View::Services);
    key(&mut s, KeyCode::Char('R'));
    assert!(matches!(
        plan_of(&s).operation,
        Operation::ForceRedeploy { .. }
    ));
    assert_eq!(run_ops(&key(&mut s, KeyCode::Enter)).len(), 1);

    let mut s = writable(View::Tasks);
    key(&mut s, KeyCode::Char('x'));
    match &plan_of(&s).operation {
        Operation::StopTask { reason, .. } => assert_eq!(reason, STOP_REASON),
        other => panic!("{other:?}"),
    }
    assert_eq!(run_ops(&key(&mut s, KeyCode::Enter)).len(), 1);

    let mut s = writable(View::Instances);
    key(&mut s, KeyCode::Char('c'));
    chars(&mut s, "3");
    key(&mut s, KeyCode::Enter);
    assert!(matches!(
        plan_of(&s).operation,
        Operation::SetAsgCapacity { count: 3, .. }
    ));
    assert_eq!(run_ops(&key(&mut s, KeyCode::Enter)).len(), 1);
}

#[test]
fn a_second_operation_on_a_busy_resource_is_refused_until_the_first_ends() {
    let mut s = writable(View::Services);
    key(&mut s, KeyCode::Char('R'));
    key(&mut s, KeyCode::Enter);
    let id = s.ops.runs[0].id;
    key(&mut s, KeyCode::Char('R'));
    assert!(s.ops.popup.is_none());
    assert!(s.notice.as_deref().unwrap_or("").contains("busy"));
    update(
        &mut s,
        Msg::OpProgress {
            id,
            line: "navoy-app: running 2/2".into(),
        },
    );
    assert_eq!(s.ops.runs[0].line, "navoy-app: running 2/2");
    let cmds = update(
        &mut s,
        Msg::OpFinished {
            id,
            status: "settled".into(),
            message: None,
        },
    );
    assert_eq!(cmds, vec![Command::LoadAudit]);
    key(&mut s, KeyCode::Char('R'));
    assert!(s.ops.popup.is_some());
}

#[test]
fn audit_records_join_the_events_newest_first_marked_as_console() {
    use crate::ops::audit::{AuditContext, AuditOutcome};
    let mut s = writable(View::Events);
    let who = AuditContext {
        identity: "arn:aws:iam::000000000000:user/oncall".into(),
        endpoint: None,
        region: "us-east-1".into(),
        cluster: Some("navoy".into()),
    };
    let op = Operation::Undrain {
        instance: "i-1".into(),
    };
    let mut old = who.record(&op, None, AuditOutcome::new("refused", None));
    old.time = s.now - chrono::Duration::seconds(60);
    let mut new = who.record(&op, None, AuditOutcome::new("settled", None));
    new.time = s.now;
    update(&mut s, Msg::AuditLoaded(Ok(vec![old, new])));
    let events = crate::app::query::events(&s);
    let console: Vec<_> = events.iter().filter(|(w, _)| *w == "console").collect();
    assert_eq!(console.len(), 2);
    assert!(console[0].1.message.contains("[console] undrain: settled"));
    assert_eq!(events[0].0, "console", "the newest event is the console's");
}

#[test]
fn redeploy_with_an_image_tag_prompts_for_the_tag_then_shows_the_plan() {
    let mut s = writable(View::Services);
    key(&mut s, KeyCode::Char('i'));
    assert!(matches!(s.ops.popup, Some(Popup::Ask { .. })));
    // Only characters an image tag may hold are typed.
    chars(&mut s, "sha-4f2c1/ab9");
    assert!(key(&mut s, KeyCode::Enter).is_empty());
    let plan = plan_of(&s);
    assert_eq!(
        plan.operation,
        Operation::Redeploy {
            service: "navoy-app".into(),
            image_tag: "sha-4f2c1ab9".into()
        }
    );
    let calls: Vec<String> = plan.calls().map(|c| c.api().1.to_owned()).collect();
    assert!(
        calls.contains(&"RegisterTaskDefinition".to_owned())
            && calls.contains(&"UpdateService".to_owned()),
        "{calls:?}"
    );
    let cmds = key(&mut s, KeyCode::Enter);
    assert_eq!(run_ops(&cmds).len(), 1);
}

#[test]
fn an_empty_image_tag_is_refused_and_nothing_runs() {
    let mut s = writable(View::Services);
    key(&mut s, KeyCode::Char('i'));
    let cmds = key(&mut s, KeyCode::Enter);
    assert!(run_ops(&cmds).is_empty());
    assert!(s.ops.popup.is_none());
    assert!(
        s.notice
            .as_deref()
            .unwrap_or("")
            .contains("not an image tag"),
        "{:?}",
        s.notice
    );
}

#[test]
fn release_is_a_drain_with_release_confirmed_by_the_instance_id() {
    let mut s = writable(View::Instances);
    key(&mut s, KeyCode::Char('D'));
    let plan = plan_of(&s);
    let Operation::Drain { instance, release } = &plan.operation else {
        panic!("{:?}", plan.operation);
    };
    assert!(*release);
    assert!(matches!(&plan.confirm, Confirm::Type(id) if id == instance));
    let calls: Vec<String> = plan.calls().map(|c| c.api().1.to_owned()).collect();
    assert!(
        calls.contains(&"TerminateInstanceInAutoScalingGroup".to_owned()),
        "{calls:?}"
    );
}

#[test]
fn quitting_while_an_operation_runs_asks_once_more() {
    let mut s = writable(View::Instances);
    key(&mut s, KeyCode::Char('d'));
    let Confirm::Type(want) = plan_of(&s).confirm.clone() else {
        panic!("drain asks for typed text");
    };
    chars(&mut s, &want);
    key(&mut s, KeyCode::Enter);
    key(&mut s, KeyCode::Char('q'));
    assert!(!s.quit, "the first q only warns");
    assert!(
        s.notice.as_deref().unwrap_or("").contains("still running"),
        "{:?}",
        s.notice
    );
    key(&mut s, KeyCode::Char('j'));
    key(&mut s, KeyCode::Char('q'));
    assert!(!s.quit, "another key in between disarms it");
    key(&mut s, KeyCode::Char('q'));
    assert!(s.quit, "q twice in a row leaves");

    let mut idle = writable(View::Instances);
    key(&mut idle, KeyCode::Char('q'));
    assert!(idle.quit, "nothing running: q leaves at once");
}
