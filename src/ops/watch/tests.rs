//! The watcher's judgement over sample snapshots: settled, still waiting (and why), failed.

use chrono::Utc;

use super::{Phase, assess};
use crate::model::{ServiceEvent, Snapshot, TargetHealth, sample};
use crate::ops::Goal;

fn all_healthy(mut snap: Snapshot) -> Snapshot {
    for tg in snap.target_groups.ok_mut().unwrap() {
        for t in &mut tg.targets {
            t.health = TargetHealth::Healthy;
        }
    }
    snap
}

fn steady_goal(desired: i32) -> Goal {
    Goal::ServiceSteady {
        service: "navoy-app".into(),
        desired,
    }
}

#[test]
fn a_service_settles_only_when_every_target_is_healthy() {
    let since = sample::epoch();
    let waiting = assess(&steady_goal(3), &sample::seed(), since);
    assert_eq!(waiting.phase, Phase::Waiting);
    assert_eq!(
        waiting.lines,
        vec![
            "navoy-app: running 3/3, pending 0, 1 deployment(s); targets 1 healthy, 1 initial, 1 unhealthy, 0 draining"
        ]
    );
    assert!(
        waiting
            .reasons
            .iter()
            .any(|r| r.contains("unhealthy: Target.ResponseCodeMismatch (sample)")),
        "{:?}",
        waiting.reasons
    );
    let settled = assess(&steady_goal(3), &all_healthy(sample::seed()), since);
    assert_eq!(settled.phase, Phase::Settled);
    assert!(settled.reasons.is_empty());
}

#[test]
fn placement_failures_and_stop_reasons_explain_the_wait() {
    let mut snap = all_healthy(sample::seed());
    let now = Utc::now();
    {
        let svc = &mut snap.services.ok_mut().unwrap()[0];
        svc.desired = 5;
        svc.pending = 2;
        svc.events.insert(
            0,
            ServiceEvent {
                id: "e9".into(),
                at: Some(now),
                message: "(service navoy-app) was unable to place a task because no container instance met all of its requirements.".into(),
            },
        );
    }
    snap.tasks.ok_mut().unwrap()[3].stopped_at = Some(now);
    let look = assess(&steady_goal(5), &snap, now);
    assert_eq!(look.phase, Phase::Waiting);
    assert!(
        look.reasons[0].contains("unable to place a task"),
        "{:?}",
        look.reasons
    );
    assert!(
        look.reasons
            .iter()
            .any(|r| r.contains("stopped: Task failed ELB health checks")),
        "{:?}",
        look.reasons
    );
    // Old events (before the operation) are not reasons.
    assert!(
        !look
            .reasons
            .iter()
            .any(|r| r.contains("registered 2 targets"))
    );
}

#[test]
fn a_desired_count_moved_by_autoscaling_is_reported() {
    let look = assess(
        &steady_goal(4),
        &all_healthy(sample::seed()),
        sample::epoch(),
    );
    assert_eq!(look.phase, Phase::Waiting);
    assert!(
        look.reasons[0].contains("desired is now 3 instead of 4"),
        "{:?}",
        look.reasons
    );
}

#[test]
fn a_rollout_settles_fails_or_reports_a_rollback() {
    let snap = all_healthy(sample::seed());
    let td = snap.services()[0].task_definition.clone();
    let goal = Goal::Rollout {
        service: "navoy-app".into(),
        task_definition: Some(td.clone()),
    };
    assert_eq!(assess(&goal, &snap, sample::epoch()).phase, Phase::Settled);

    let mut two = snap.clone();
    {
        let svc = &mut two.services.ok_mut().unwrap()[0];
        let mut old = svc.deployments[0].clone();
        old.status = "ACTIVE".into();
        old.task_definition = td.replace(":7", ":6");
        svc.deployments.push(old);
        svc.deployments[0].rollout_state = Some("IN_PROGRESS".into());
    }
    let look = assess(&goal, &two, sample::epoch());
    assert_eq!(look.phase, Phase::Waiting);
    assert_eq!(
        look.lines.len(),
        3,
        "a line per deployment: {:?}",
        look.lines
    );

    let mut failed = two.clone();
    {
        let primary = &mut failed.services.ok_mut().unwrap()[0].deployments[0];
        primary.rollout_state = Some("FAILED".into());
        primary.rollout_reason =
            Some("ECS deployment circuit breaker: tasks failed to start.".into());
    }
    let look = assess(&goal, &failed, sample::epoch());
    assert_eq!(look.phase, Phase::Failed);
    assert_eq!(
        look.reasons,
        vec!["ECS deployment circuit breaker: tasks failed to start."]
    );

    let rolled_back = Goal::Rollout {
        service: "navoy-app".into(),
        task_definition: Some(td.replace(":7", ":8")),
    };
    let look = assess(&rolled_back, &snap, sample::epoch());
    assert_eq!(look.phase, Phase::Failed);
    assert!(look.reasons[0].contains("now deploys navoy-app:7 instead of navoy-app:8"));
}

#[test]
fn a_drained_instance_settles_at_zero_tasks_and_fails_if_set_active() {
    let mut snap = sample::seed();
    let arn = snap.container_instances()[0].arn.clone();
    let goal = Goal::InstanceEmpty {
        container_instance: arn.clone(),
    };
    snap.container_instances.ok_mut().unwrap()[0].status = "DRAINING".into();
    let look = assess(&goal, &snap, sample::epoch());
    assert_eq!(look.phase, Phase::Waiting);
    assert_eq!(look.lines[0], "ci0001 DRAINING: 1 task(s) on it");
    snap.container_instances.ok_mut().unwrap()[0].running_tasks = 0;
    assert_eq!(assess(&goal, &snap, sample::epoch()).phase, Phase::Settled);
    snap.container_instances.ok_mut().unwrap()[0].status = "ACTIVE".into();
    let look = assess(&goal, &snap, sample::epoch());
    assert_eq!(look.phase, Phase::Failed);
    let undrained = Goal::InstanceActive {
        container_instance: arn,
    };
    assert_eq!(
        assess(&undrained, &snap, sample::epoch()).phase,
        Phase::Settled
    );
}

#[test]
fn an_asg_settles_when_its_instances_are_in_service_and_registered() {
    let mut snap = sample::seed();
    let at = |desired| Goal::AsgAt {
        asg: "navoy-ecs".into(),
        desired,
    };
    assert_eq!(assess(&at(2), &snap, sample::epoch()).phase, Phase::Settled);
    let look = assess(&at(3), &snap, sample::epoch());
    assert_eq!(look.phase, Phase::Waiting);
    assert!(
        look.reasons[0].contains("managed scaling"),
        "{:?}",
        look.reasons
    );
    {
        let g = &mut snap.auto_scaling_groups.ok_mut().unwrap()[0];
        g.desired = 1;
    }
    let look = assess(&at(1), &snap, sample::epoch());
    assert_eq!(look.phase, Phase::Waiting);
    assert!(
        look.reasons
            .iter()
            .any(|r| r.contains("protected from scale-in")),
        "{:?}",
        look.reasons
    );
}

#[test]
fn a_released_instance_settles_once_gone_from_the_group_and_the_cluster() {
    let mut snap = sample::seed();
    let goal = Goal::InstanceReleased {
        asg: "navoy-ecs".into(),
        instance_id: "i-00000000000000001".into(),
    };
    assert_eq!(assess(&goal, &snap, sample::epoch()).phase, Phase::Waiting);
    snap.auto_scaling_groups.ok_mut().unwrap()[0]
        .instances
        .remove(0);
    snap.container_instances.ok_mut().unwrap().remove(0);
    let look = assess(&goal, &snap, sample::epoch());
    assert_eq!(look.phase, Phase::Settled, "{:?}", look.lines);
}

#[test]
fn a_stopped_task_settles_when_its_service_is_whole_again() {
    let mut snap = all_healthy(sample::seed());
    let task = snap.tasks()[0].arn.clone();
    let goal = Goal::TaskStopped {
        task,
        service: Some("navoy-app".into()),
    };
    assert_eq!(assess(&goal, &snap, sample::epoch()).phase, Phase::Waiting);
    snap.tasks.ok_mut().unwrap()[0].last_status = "STOPPED".into();
    assert_eq!(assess(&goal, &snap, sample::epoch()).phase, Phase::Settled);
}

#[test]
fn a_scaling_range_settles_when_registered_and_the_service_is_steady_inside_it() {
    let snap = all_healthy(sample::seed());
    let unhealthy = assess(
        &Goal::ScalingRange {
            service: "navoy-app".into(),
            min: 2,
            max: 6,
        },
        &sample::seed(),
        sample::epoch(),
    );
    assert_eq!(
        unhealthy.phase,
        Phase::Waiting,
        "an unhealthy target is not steady"
    );
    let goal = |min, max| Goal::ScalingRange {
        service: "navoy-app".into(),
        min,
        max,
    };
    let look = assess(&goal(2, 6), &snap, sample::epoch());
    assert_eq!(look.phase, Phase::Settled);
    assert_eq!(look.lines[0], "navoy-app: autoscaling range 2..6");
    let look = assess(&goal(4, 10), &snap, sample::epoch());
    assert_eq!(look.phase, Phase::Waiting);
    assert_eq!(look.reasons, vec!["desired 3 is not yet inside 4..10"]);
}

mod polling {
    use std::time::Duration;

    use aws_sdk_ecs::Client as Ecs;
    use aws_sdk_ecs::operation::describe_services::DescribeServicesOutput;
    use aws_sdk_ecs::operation::list_container_instances::ListContainerInstancesOutput;
    use aws_sdk_ecs::operation::list_services::ListServicesOutput;
    use aws_sdk_ecs::operation::list_tasks::ListTasksOutput;
    use aws_sdk_ecs::types::{Deployment, Service, ServiceEvent};
    use aws_smithy_mocks::{Rule, mock};

    use crate::ops::Goal;
    use crate::ops::testing::{self, Mocks};
    use crate::ops::watch::{Phase, WatchOptions, watch};

    const ARN: &str = "arn:aws:ecs:us-east-1:123456789012:service/navoy/navoy-app";

    fn rules(running: i32) -> Vec<Rule> {
        let service = move || {
            Service::builder()
                .service_arn(ARN)
                .service_name("navoy-app")
                .desired_count(2)
                .running_count(running)
                .pending_count(2 - running)
                .deployments(Deployment::builder().id("d1").status("PRIMARY").build())
                .events(
                    ServiceEvent::builder()
                        .id("e1")
                        .created_at(aws_smithy_types::DateTime::from_secs(
                            chrono::Utc::now().timestamp(),
                        ))
                        .message("(service navoy-app) was unable to place a task because no container instance met all of its requirements.")
                        .build(),
                )
                .build()
        };
        vec![
            mock!(Ecs::list_services)
                .then_output(|| ListServicesOutput::builder().service_arns(ARN).build()),
            mock!(Ecs::describe_services).then_output(move || {
                DescribeServicesOutput::builder()
                    .services(service())
                    .build()
            }),
            mock!(Ecs::list_tasks).then_output(|| ListTasksOutput::builder().build()),
            mock!(Ecs::list_container_instances)
                .then_output(|| ListContainerInstancesOutput::builder().build()),
        ]
    }

    async fn run(running: i32) -> (crate::ops::watch::Progress, usize, u64) {
        let rules = rules(running);
        let ctx = testing::context(
            false,
            &Mocks {
                ecs: rules.iter().collect(),
                ..Mocks::default()
            },
        );
        let goal = Goal::ServiceSteady {
            service: "navoy-app".into(),
            desired: 2,
        };
        let opts = WatchOptions {
            timeout: Duration::from_millis(60),
            interval: Duration::from_millis(20),
        };
        let mut looks = 0;
        let last = watch(&ctx, "navoy", &goal, opts, &mut |_| looks += 1).await;
        (last, looks, ctx.calls.mutating_calls())
    }

    #[tokio::test]
    async fn the_watch_polls_until_the_timeout_and_says_why() {
        let (last, looks, mutating) = run(1).await;
        assert_eq!(last.phase, Phase::TimedOut);
        assert!(looks >= 2, "polled more than once: {looks}");
        assert_eq!(
            last.lines,
            vec!["navoy-app: running 1/2, pending 1, 1 deployment(s)"]
        );
        assert!(
            last.reasons[0].contains("unable to place a task"),
            "{:?}",
            last.reasons
        );
        assert_eq!(mutating, 0, "watching only reads");
    }

    #[tokio::test]
    async fn the_watch_ends_at_the_first_settled_look() {
        let (last, looks, _) = run(2).await;
        assert_eq!(last.phase, Phase::Settled);
        assert_eq!(looks, 1);
        assert!(last.reasons.is_empty());
    }
}
