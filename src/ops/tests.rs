//! Plan and pre-check tests over the seed snapshot and variations of it.

use crate::model::{Snapshot, sample};
use crate::ops::plan::TaskDefinitionRef;
use crate::ops::{ApiCall, Checks, Confirm, Goal, Operation, Refusal, Step, prepare};

fn ok(snap: &Snapshot, op: &Operation) -> crate::ops::Plan {
    prepare(snap, op, Checks::default()).unwrap_or_else(|e| panic!("{op:?} refused: {e}"))
}

fn refused(snap: &Snapshot, op: &Operation, checks: Checks) -> Refusal {
    prepare(snap, op, checks).expect_err("should be refused")
}

fn scale(count: i32) -> Operation {
    Operation::ScaleService {
        service: "navoy-app".into(),
        count,
    }
}

fn drain(instance: &str, release: bool) -> Operation {
    Operation::Drain {
        instance: instance.into(),
        release,
    }
}

fn ci_arn(snap: &Snapshot, n: usize) -> String {
    snap.container_instances()[n].arn.clone()
}

fn unsafe_reasons(r: &Refusal) -> (String, bool) {
    match r {
        Refusal::Unsafe { reasons, forceable } => (reasons.join("\n"), *forceable),
        other => panic!("expected an unsafe refusal, got {other:?}"),
    }
}

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
fn asg_capacity_is_bounded_and_warns_about_managed_scaling() {
    let snap = sample::seed();
    let up = ok(
        &snap,
        &Operation::SetAsgCapacity {
            asg: "navoy-ecs".into(),
            count: 3,
        },
    );
    assert_eq!(
        up.calls().collect::<Vec<_>>(),
        vec![&ApiCall::SetDesiredCapacity {
            asg: "navoy-ecs".into(),
            desired: 3
        }]
    );
    assert!(up.to_string().contains("HonorCooldown=false"));
    assert!(
        up.warnings
            .iter()
            .any(|w| w.contains("capacity provider navoy-ecs manages"))
    );
    assert_eq!(up.confirm, Confirm::Yes);
    let down = ok(
        &snap,
        &Operation::SetAsgCapacity {
            asg: "navoy-ecs".into(),
            count: 1,
        },
    );
    assert_eq!(down.confirm, Confirm::Type("1".into()));
    assert!(
        down.warnings
            .iter()
            .any(|w| w.contains("protected from scale-in"))
    );
    for bad in [0, 5, -1] {
        let r = refused(
            &snap,
            &Operation::SetAsgCapacity {
                asg: "navoy-ecs".into(),
                count: bad,
            },
            Checks {
                read_only: false,
                force: true,
            },
        );
        let (_, forceable) = unsafe_reasons(&r);
        assert!(!forceable, "{bad}");
    }
}

#[test]
fn drain_accepts_every_instance_name_and_asks_to_type_the_ec2_id() {
    let snap = sample::seed();
    let arn = ci_arn(&snap, 0);
    for name in ["ci0001", arn.as_str(), "i-00000000000000001"] {
        let plan = ok(&snap, &drain(name, false));
        assert_eq!(
            plan.steps,
            vec![Step::Call(ApiCall::UpdateContainerInstancesState {
                cluster: "navoy".into(),
                container_instance: arn.clone(),
                status: "DRAINING".into(),
            })]
        );
        assert_eq!(plan.confirm, Confirm::Type("i-00000000000000001".into()));
        assert_eq!(
            plan.goal,
            Goal::InstanceEmpty {
                container_instance: arn.clone()
            }
        );
    }
}

#[test]
fn drain_with_release_waits_then_unprotects_and_terminates_with_decrement() {
    let snap = sample::seed();
    let plan = ok(&snap, &drain("ci0001", true));
    assert_eq!(plan.steps.len(), 4);
    assert!(matches!(plan.steps[1], Step::AwaitDrained { .. }));
    assert_eq!(
        plan.steps[2],
        Step::Call(ApiCall::SetInstanceProtection {
            asg: "navoy-ecs".into(),
            instance_id: "i-00000000000000001".into(),
            protected: false,
        })
    );
    assert_eq!(
        plan.steps[3],
        Step::Call(ApiCall::TerminateInstanceInAutoScalingGroup {
            instance_id: "i-00000000000000001".into()
        })
    );
    assert!(
        plan.to_string()
            .contains("ShouldDecrementDesiredCapacity=true")
    );
    assert!(plan.resources.contains(&"asg:navoy-ecs".to_owned()));
    assert!(plan.effects.iter().any(|e| e.contains("desired 2 → 1")));

    let mut at_min = sample::seed();
    at_min.auto_scaling_groups.ok_mut().unwrap()[0].min = 2;
    let r = refused(
        &at_min,
        &drain("ci0001", true),
        Checks {
            read_only: false,
            force: true,
        },
    );
    assert!(unsafe_reasons(&r).0.contains("below its min 2"));
}

#[test]
fn draining_the_last_active_instance_is_refused_even_with_force() {
    let mut snap = sample::seed();
    snap.container_instances.ok_mut().unwrap()[0].status = "DRAINING".into();
    let r = refused(
        &snap,
        &drain("ci0002", false),
        Checks {
            read_only: false,
            force: true,
        },
    );
    let (text, forceable) = unsafe_reasons(&r);
    assert!(
        text.contains("ci0002 is the last ACTIVE instance"),
        "{text}"
    );
    assert!(!forceable);
}

#[test]
fn draining_without_room_elsewhere_is_refused_with_the_numbers() {
    let mut snap = sample::seed();
    {
        let cis = snap.container_instances.ok_mut().unwrap();
        cis[1].remaining_cpu = 100;
        cis[1].remaining_memory = 300;
    }
    let r = refused(&snap, &drain("ci0001", false), Checks::default());
    let (text, forceable) = unsafe_reasons(&r);
    assert!(
        text.contains("the 1 task(s) on ci0001 need 256 CPU / 512 MiB; the other ACTIVE instances have 100 CPU / 300 MiB free and 1 task(s) would not fit"),
        "{text}"
    );
    assert!(forceable);
    let forced = prepare(
        &snap,
        &drain("ci0001", false),
        Checks {
            read_only: false,
            force: true,
        },
    );
    assert!(forced.is_ok());
}

#[test]
fn a_drain_that_min_healthy_and_max_percent_would_stall_is_refused() {
    let mut snap = sample::seed();
    {
        let svc = &mut snap.services.ok_mut().unwrap()[0];
        svc.min_healthy_percent = Some(100);
        svc.max_percent = Some(100);
    }
    let (text, forceable) =
        unsafe_reasons(&refused(&snap, &drain("ci0002", false), Checks::default()));
    assert!(
        text.contains("min healthy 100% of desired 3 needs 3 running and max 100% allows 3"),
        "{text}"
    );
    assert!(text.contains("stall"));
    assert!(forceable);
    // The seed's 50%/200% lets ECS start replacements first: only a warning.
    let plan = ok(&sample::seed(), &drain("ci0002", false));
    assert!(
        plan.warnings
            .iter()
            .any(|w| w.contains("1 of 3 task(s) would stay elsewhere")),
        "{:?}",
        plan.warnings
    );
}

#[test]
fn undrain_needs_a_draining_instance() {
    let snap = sample::seed();
    let r = refused(
        &snap,
        &Operation::Undrain {
            instance: "ci0001".into(),
        },
        Checks::default(),
    );
    assert!(
        r.to_string()
            .contains("ci0001 is ACTIVE: only a DRAINING instance can be undrained")
    );
    let mut draining = sample::seed();
    draining.container_instances.ok_mut().unwrap()[0].status = "DRAINING".into();
    let plan = ok(
        &draining,
        &Operation::Undrain {
            instance: "i-00000000000000001".into(),
        },
    );
    assert_eq!(
        plan.calls().collect::<Vec<_>>(),
        vec![&ApiCall::UpdateContainerInstancesState {
            cluster: "navoy".into(),
            container_instance: ci_arn(&draining, 0),
            status: "ACTIVE".into(),
        }]
    );
    let again = refused(&draining, &drain("ci0001", false), Checks::default());
    assert!(again.to_string().contains("already DRAINING"));
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
