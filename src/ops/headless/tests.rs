//! The headless flow end to end against mocked APIs: every refusal changes nothing and is audited.

use aws_sdk_autoscaling::Client as Asg;
use aws_sdk_autoscaling::operation::set_desired_capacity::SetDesiredCapacityOutput;
use aws_sdk_autoscaling::operation::set_instance_protection::SetInstanceProtectionOutput;
use aws_sdk_autoscaling::operation::terminate_instance_in_auto_scaling_group::TerminateInstanceInAutoScalingGroupOutput;
use aws_sdk_ecs::Client as Ecs;
use aws_sdk_ecs::operation::register_task_definition::RegisterTaskDefinitionOutput;
use aws_sdk_ecs::operation::stop_task::StopTaskOutput;
use aws_sdk_ecs::operation::update_container_instances_state::UpdateContainerInstancesStateOutput;
use aws_sdk_ecs::operation::update_service::UpdateServiceOutput;
use aws_smithy_mocks::{Rule, mock};

use super::{Answer, Report, Session, Spec, run_operation};
use crate::cli::RunArgs;
use crate::model::{Snapshot, sample};
use crate::ops::audit::{AuditContext, AuditLog, AuditRecord};
use crate::ops::testing::{self, Mocks};
use crate::status::exit;

struct Outcome {
    report: Report,
    mutating_calls: u64,
    rule_calls: usize,
    audit: Vec<AuditRecord>,
}

fn rules() -> (Vec<Rule>, Vec<Rule>) {
    let ecs = vec![
        mock!(Ecs::update_service).then_output(|| UpdateServiceOutput::builder().build()),
        mock!(Ecs::update_container_instances_state)
            .then_output(|| UpdateContainerInstancesStateOutput::builder().build()),
        mock!(Ecs::stop_task).then_output(|| StopTaskOutput::builder().build()),
        mock!(Ecs::register_task_definition)
            .then_output(|| RegisterTaskDefinitionOutput::builder().build()),
    ];
    let asg = vec![
        mock!(Asg::set_desired_capacity)
            .then_output(|| SetDesiredCapacityOutput::builder().build()),
        mock!(Asg::set_instance_protection)
            .then_output(|| SetInstanceProtectionOutput::builder().build()),
        mock!(Asg::terminate_instance_in_auto_scaling_group)
            .then_output(|| TerminateInstanceInAutoScalingGroupOutput::builder().build()),
    ];
    (ecs, asg)
}

async fn go(snap: Snapshot, spec: Spec, run: RunArgs, read_only: bool, answer: Answer) -> Outcome {
    let (ecs, asg) = rules();
    let ctx = testing::context(
        read_only,
        &Mocks {
            ecs: ecs.iter().collect(),
            autoscaling: asg.iter().collect(),
            ..Mocks::default()
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let log = AuditLog::at(dir.path().join("audit.jsonl"));
    let audit = AuditContext {
        identity: "arn:aws:iam::123456789012:user/oncall".into(),
        endpoint: ctx.endpoint.clone(),
        region: ctx.region.clone(),
        cluster: None,
    };
    let session = Session {
        ctx: &ctx,
        audit: &audit,
        log: Some(&log),
        read_only,
    };
    let snapshot = if read_only { None } else { Some(Ok(snap)) };
    let mut asked = 0;
    let mut confirm = |_: &crate::ops::Plan| {
        asked += 1;
        answer.clone()
    };
    let report = run_operation(&session, snapshot, &spec, &run, &mut confirm, &mut |_| {}).await;
    Outcome {
        report,
        mutating_calls: ctx.calls.mutating_calls(),
        rule_calls: ecs.iter().chain(asg.iter()).map(Rule::num_calls).sum(),
        audit: log.read_all().unwrap(),
    }
}

fn yes() -> RunArgs {
    RunArgs {
        yes: true,
        timeout: 600,
        ..RunArgs::default()
    }
}

fn scale(count: i32) -> Spec {
    Spec::Scale {
        service: None,
        count,
    }
}

fn assert_unchanged(o: &Outcome, status: &str, code: u8) {
    assert_eq!(o.report.status, status, "{:?}", o.report.message);
    assert_eq!(o.report.exit_code, code, "{:?}", o.report.message);
    assert_eq!(o.mutating_calls, 0, "no mutating call may be made");
    assert_eq!(o.rule_calls, 0, "no mutating request may be sent");
    assert!(o.report.outcome.is_none());
    assert_eq!(o.audit.len(), 1, "every attempt is audited");
    assert_eq!(o.audit[0].outcome.status, status);
}

/// (name, snapshot, spec, expected message, expected exit code) of every refusal.
fn refusal_cases() -> Vec<(&'static str, Snapshot, Spec, &'static str, u8)> {
    let last = {
        let mut s = sample::seed();
        s.container_instances.ok_mut().unwrap()[0].status = "DRAINING".into();
        s
    };
    let full = {
        let mut s = sample::seed();
        s.container_instances.ok_mut().unwrap()[1].remaining_cpu = 0;
        s
    };
    let drain = |instance: &str| Spec::Drain {
        instance: instance.into(),
        release: false,
    };
    vec![
        (
            "negative",
            sample::seed(),
            scale(-1),
            "0 or more",
            exit::REFUSED,
        ),
        (
            "above the autoscaling max",
            sample::seed(),
            scale(7),
            "autoscaling range 2..6",
            exit::REFUSED,
        ),
        (
            "above the ASG max",
            sample::seed(),
            Spec::AsgCapacity {
                asg: None,
                count: 5,
            },
            "min 1, max 4",
            exit::REFUSED,
        ),
        (
            "unknown service",
            sample::seed(),
            Spec::Scale {
                service: Some("web".into()),
                count: 2,
            },
            "service 'web' not found; candidates: navoy-app",
            exit::NOT_FOUND,
        ),
        (
            "unknown instance",
            sample::seed(),
            drain("i-0nope"),
            "candidates: ci0001",
            exit::NOT_FOUND,
        ),
        (
            "unknown task",
            sample::seed(),
            Spec::StopTask {
                task: "nope".into(),
                reason: "r".into(),
            },
            "task 'nope' not found",
            exit::NOT_FOUND,
        ),
        (
            "the last instance",
            last,
            drain("ci0002"),
            "last ACTIVE instance",
            exit::REFUSED,
        ),
        (
            "no capacity",
            full,
            drain("ci0001"),
            "insufficient capacity",
            exit::REFUSED,
        ),
        (
            "no services",
            Snapshot {
                services: crate::model::Section::Ok(Vec::new()),
                ..sample::seed()
            },
            Spec::Redeploy {
                service: None,
                image: None,
                rollback: false,
            },
            "no service given and there is not exactly one",
            exit::NOT_FOUND,
        ),
    ]
}

#[tokio::test]
async fn every_refusal_changes_nothing_and_is_audited() {
    for (name, snap, spec, message, code) in refusal_cases() {
        let o = go(snap, spec, yes(), false, Answer::Confirmed).await;
        assert_unchanged(&o, "refused", code);
        let text = o.report.message.clone().unwrap_or_default();
        assert!(text.contains(message), "{name}: {text}");
        assert!(
            o.audit[0]
                .outcome
                .message
                .as_deref()
                .unwrap_or_default()
                .contains(message),
            "{name}"
        );
    }
}

#[tokio::test]
async fn read_only_refuses_every_operation_at_the_command_layer() {
    let specs = [
        scale(4),
        Spec::AsgCapacity {
            asg: None,
            count: 3,
        },
        Spec::Redeploy {
            service: None,
            image: Some("sha-1".into()),
            rollback: false,
        },
        Spec::Drain {
            instance: "ci0001".into(),
            release: true,
        },
        Spec::Undrain {
            instance: "ci0001".into(),
        },
        Spec::StopTask {
            task: "t".into(),
            reason: "r".into(),
        },
    ];
    for spec in specs {
        let o = go(sample::seed(), spec, yes(), true, Answer::Confirmed).await;
        assert_unchanged(&o, "refused", exit::REFUSED);
        assert!(
            o.report
                .message
                .unwrap()
                .contains("read-only mode (--read-only) forbids")
        );
    }
}

#[tokio::test]
async fn dry_run_declining_and_no_terminal_change_nothing() {
    let dry = RunArgs {
        dry_run: true,
        ..RunArgs::default()
    };
    let o = go(sample::seed(), scale(4), dry, false, Answer::Confirmed).await;
    assert_unchanged(&o, "dry_run", exit::OK);
    assert!(o.report.plan.is_some());
    assert!(
        super::output::text(&o.report)
            .contains("ECS UpdateService cluster=navoy service=navoy-app desiredCount=4")
    );
    assert_eq!(o.audit[0].plan.as_ref().unwrap().calls.len(), 1);

    let ask = RunArgs::default();
    let o = go(
        sample::seed(),
        scale(4),
        ask.clone(),
        false,
        Answer::Declined,
    )
    .await;
    assert_unchanged(&o, "declined", exit::REFUSED);
    let o = go(sample::seed(), scale(4), ask, false, Answer::NoTerminal).await;
    assert_unchanged(&o, "refused", exit::REFUSED);
    assert!(o.report.message.unwrap().contains("pass --yes"));
}

#[tokio::test]
async fn a_confirmed_operation_runs_once_and_is_audited_as_applied() {
    let o = go(
        sample::seed(),
        scale(4),
        RunArgs::default(),
        false,
        Answer::Confirmed,
    )
    .await;
    assert_eq!(o.report.status, "applied");
    assert_eq!(o.report.exit_code, exit::OK);
    assert_eq!(o.mutating_calls, 1);
    assert_eq!(o.audit.len(), 1);
    assert_eq!(o.audit[0].outcome.status, "applied");
    assert_eq!(o.audit[0].identity, "arn:aws:iam::123456789012:user/oncall");
    assert_eq!(o.audit[0].cluster.as_deref(), Some("navoy"));
    let json = serde_json::to_value(&o.report).unwrap();
    assert_eq!(json["status"], "applied");
    assert_eq!(json["exit_code"], 0);
    assert_eq!(json["operation"]["kind"], "scale_service");
    assert_eq!(
        json["operation"]["service"], "navoy-app",
        "the default service was filled in"
    );
}

#[tokio::test]
async fn the_text_result_lists_what_was_done_and_the_warnings() {
    let o = go(sample::seed(), scale(4), yes(), false, Answer::Confirmed).await;
    let text = super::output::text(&o.report);
    assert!(
        text.starts_with("warning: navoy-app has target tracking (range 2..6)"),
        "{text}"
    );
    assert!(
        text.contains("done: ECS UpdateService cluster=navoy service=navoy-app desiredCount=4\n"),
        "{text}"
    );
    assert!(text.ends_with("applied (not watched: pass --wait to follow it to the end)\n"));
    assert_eq!(
        super::output::clean_lines("a\u{1b}[2J\nb"),
        "a\u{241b}[2J\nb\n",
        "control sequences are neutralised, line breaks kept"
    );
}
