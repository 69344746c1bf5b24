//! Service and task operations: scale, redeploy, rollback, stop-task, read-only, unknown names.

use super::{drain, ok, refused, scale, unsafe_reasons};
use crate::model::sample;
use crate::ops::plan::TaskDefinitionRef;
use crate::ops::{ApiCall, Checks, Confirm, Goal, Operation, Refusal, Step, prepare};

#[test]
fn scale_plans_one_update_service_with_the_new_count() {
    let snap = sample::seed();
    let plan = ok(&snap, &scale(4));
    assert_eq!(
        plan.steps,
        vec![Step::Call(ApiCall::UpdateServiceDesiredCount {
            cluster: "navoy".into(),
            service: "navoy-app".into(),
            desired_count: 4,
        })]
    );
    assert!(plan.summary.contains("desired 3 → 4"), "{}", plan.summary);
    assert_eq!(
        plan.effects,
        vec!["navoy-app: 1 task(s) start, 3 running now"]
    );
    assert!(plan.warnings.iter().any(|w| w.contains("target tracking")));
    assert_eq!(plan.confirm, Confirm::Yes);
    assert_eq!(
        plan.goal,
        Goal::ServiceSteady {
            service: "navoy-app".into(),
            desired: 4
        }
    );
    let text = plan.to_string();
    assert!(
        text.contains("ECS UpdateService cluster=navoy service=navoy-app desiredCount=4"),
        "{text}"
    );
}

#[test]
fn a_negative_count_is_refused_even_with_force() {
    let snap = sample::seed();
    for force in [false, true] {
        let r = refused(
            &snap,
            &scale(-1),
            Checks {
                read_only: false,
                force,
            },
        );
        let (text, forceable) = unsafe_reasons(&r);
        assert!(text.contains("0 or more (got -1)"), "{text}");
        assert!(!forceable);
    }
}

#[test]
fn a_count_outside_the_autoscaling_range_needs_force() {
    let snap = sample::seed();
    let r = refused(&snap, &scale(7), Checks::default());
    let (text, forceable) = unsafe_reasons(&r);
    assert!(
        text.contains("outside the autoscaling range 2..6"),
        "{text}"
    );
    assert!(text.contains("target tracking will move it back"), "{text}");
    assert!(forceable);
    let (below, _) = unsafe_reasons(&refused(&snap, &scale(1), Checks::default()));
    assert!(below.contains("2..6"));
    let forced = prepare(
        &snap,
        &scale(7),
        Checks {
            read_only: false,
            force: true,
        },
    )
    .unwrap();
    assert!(
        forced
            .warnings
            .iter()
            .any(|w| w.starts_with("forced past:"))
    );
}

#[test]
fn unknown_names_list_the_candidates() {
    let snap = sample::seed();
    let r = refused(
        &snap,
        &Operation::ScaleService {
            service: "nope".into(),
            count: 2,
        },
        Checks::default(),
    );
    assert_eq!(
        r,
        Refusal::NotFound {
            kind: "service",
            wanted: "nope".into(),
            candidates: vec!["navoy-app".into()]
        }
    );
    let r = refused(&snap, &drain("i-404", false), Checks::default());
    let text = r.to_string();
    assert!(
        text.contains("container instance 'i-404' not found"),
        "{text}"
    );
    assert!(
        text.contains("ci0001 (i-00000000000000001, ACTIVE)"),
        "{text}"
    );
    let r = refused(
        &snap,
        &Operation::StopTask {
            task: "zzz".into(),
            reason: "r".into(),
        },
        Checks::default(),
    );
    let Refusal::NotFound { candidates, .. } = r else {
        panic!("{r:?}")
    };
    assert_eq!(
        candidates.len(),
        3,
        "stopped tasks are not offered: {candidates:?}"
    );
    let r = refused(
        &snap,
        &Operation::SetAsgCapacity {
            asg: "other".into(),
            count: 2,
        },
        Checks::default(),
    );
    assert!(r.to_string().contains("candidates: navoy-ecs"), "{r}");
}

#[test]
fn read_only_refuses_every_operation_before_anything_else() {
    let snap = sample::seed();
    let task = snap.tasks()[0].id.clone();
    let ops = [
        scale(4),
        Operation::SetAsgCapacity {
            asg: "navoy-ecs".into(),
            count: 3,
        },
        Operation::ForceRedeploy {
            service: "navoy-app".into(),
        },
        Operation::Redeploy {
            service: "navoy-app".into(),
            image_tag: "sha-1".into(),
        },
        Operation::Rollback {
            service: "navoy-app".into(),
        },
        drain("ci0001", true),
        Operation::Undrain {
            instance: "ci0001".into(),
        },
        Operation::StopTask {
            task,
            reason: "r".into(),
        },
        // Even an unknown name is refused as read-only, not looked up.
        Operation::ScaleService {
            service: "nope".into(),
            count: -5,
        },
    ];
    for op in &ops {
        let r = refused(
            &snap,
            op,
            Checks {
                read_only: true,
                force: true,
            },
        );
        assert!(matches!(r, Refusal::ReadOnly { .. }), "{op:?}: {r:?}");
        assert!(r.to_string().contains("read-only"), "{r}");
    }
}

#[test]
fn stop_task_refuses_a_stopped_task_and_an_empty_reason() {
    let snap = sample::seed();
    let running = &snap.tasks()[0];
    let plan = ok(
        &snap,
        &Operation::StopTask {
            task: running.id.clone(),
            reason: "wedged".into(),
        },
    );
    assert_eq!(
        plan.calls().collect::<Vec<_>>(),
        vec![&ApiCall::StopTask {
            cluster: "navoy".into(),
            task: running.arn.clone(),
            reason: "wedged".into(),
        }]
    );
    assert!(plan.effects[0].contains("service navoy-app starts a replacement"));
    let stopped = snap.tasks()[3].id.clone();
    let r = refused(
        &snap,
        &Operation::StopTask {
            task: stopped,
            reason: "x".into(),
        },
        Checks::default(),
    );
    assert!(r.to_string().contains("already STOPPED"));
    let r = refused(
        &snap,
        &Operation::StopTask {
            task: running.id.clone(),
            reason: " ".into(),
        },
        Checks::default(),
    );
    assert!(r.to_string().contains("1 to 255 characters"));
}

#[test]
fn redeploy_registers_a_copy_with_the_new_tag_then_points_the_service_at_it() {
    let snap = sample::seed();
    let plan = ok(
        &snap,
        &Operation::Redeploy {
            service: "navoy-app".into(),
            image_tag: "sha-abc123".into(),
        },
    );
    let calls: Vec<_> = plan.calls().cloned().collect();
    assert_eq!(
        calls,
        vec![
            ApiCall::RegisterTaskDefinition {
                from: snap.services()[0].task_definition.clone(),
                container: "app".into(),
                image_tag: "sha-abc123".into(),
            },
            ApiCall::UpdateServiceTaskDefinition {
                cluster: "navoy".into(),
                service: "navoy-app".into(),
                task_definition: TaskDefinitionRef::Registered,
            },
        ]
    );
    for bad in ["", "-x", "a b", "x:y", &"a".repeat(129)] {
        let r = refused(
            &snap,
            &Operation::Redeploy {
                service: "navoy-app".into(),
                image_tag: bad.into(),
            },
            Checks {
                read_only: false,
                force: true,
            },
        );
        assert!(r.to_string().contains("is not an image tag"), "{bad}: {r}");
    }
}

#[test]
fn rollback_goes_to_the_previous_revision_and_needs_one() {
    let snap = sample::seed();
    let plan = ok(
        &snap,
        &Operation::Rollback {
            service: "navoy-app".into(),
        },
    );
    assert_eq!(
        plan.calls().collect::<Vec<_>>(),
        vec![&ApiCall::UpdateServiceTaskDefinition {
            cluster: "navoy".into(),
            service: "navoy-app".into(),
            task_definition: TaskDefinitionRef::Arn(
                "arn:aws:ecs:us-east-1:123456789012:task-definition/navoy-app:6".into()
            ),
        }]
    );
    assert!(
        plan.summary.contains("navoy-app:7 → navoy-app:6"),
        "{}",
        plan.summary
    );
    let mut first = sample::seed();
    {
        let svc = &mut first.services.ok_mut().unwrap()[0];
        svc.task_definition = svc.task_definition.replace(":7", ":1");
        svc.deployments[0].task_definition = svc.task_definition.clone();
    }
    let r = refused(
        &first,
        &Operation::Rollback {
            service: "navoy-app".into(),
        },
        Checks::default(),
    );
    assert!(r.to_string().contains("no previous revision"), "{r}");
}

#[test]
fn long_candidate_lists_are_cut_with_a_count() {
    let r = Refusal::NotFound {
        kind: "task",
        wanted: "x".into(),
        candidates: (0..25).map(|n| format!("t{n}")).collect(),
    };
    let text = r.to_string();
    assert!(text.ends_with("t18, t19 and 5 more"), "{text}");
    assert!(!text.contains("t20"));
}

#[test]
fn the_autoscaling_range_is_changed_with_one_register_scalable_target() {
    let snap = sample::seed();
    let op = Operation::SetScalingRange {
        service: "navoy-app".into(),
        min: 4,
        max: 10,
    };
    let plan = ok(&snap, &op);
    assert_eq!(
        plan.calls().collect::<Vec<_>>(),
        vec![
            &ApiCall::RegisterScalableTarget {
                resource_id: "service/navoy/navoy-app".into(),
                min: 4,
                max: 10,
            },
            &ApiCall::UpdateServiceDesiredCount {
                cluster: "navoy".into(),
                service: "navoy-app".into(),
                desired_count: 4,
            }
        ]
    );
    assert!(plan.summary.contains("2..6 → 4..10"), "{}", plan.summary);
    assert_eq!(
        plan.effects,
        vec!["navoy-app: desired 3 → 4, inside the new range"]
    );
    let inside = ok(
        &snap,
        &Operation::SetScalingRange {
            service: "navoy-app".into(),
            min: 1,
            max: 10,
        },
    );
    assert_eq!(
        inside.calls().count(),
        1,
        "desired 3 is already inside 1..10"
    );
    assert!(
        plan.to_string()
            .contains("ScalableDimension=ecs:service:DesiredCount")
    );
    for (min, max) in [(5, 4), (-1, 3)] {
        let bad = Operation::SetScalingRange {
            service: "navoy-app".into(),
            min,
            max,
        };
        let (text, forceable) = unsafe_reasons(&refused(&snap, &bad, Checks::default()));
        assert!(text.contains("0 ≤ min ≤ max"), "{text}");
        assert!(!forceable);
    }
    let (text, _) = unsafe_reasons(&refused(&snap, &scale(7), Checks::default()));
    assert!(
        text.contains("scale --min MIN --max MAX"),
        "the refusal offers the range: {text}"
    );
}
