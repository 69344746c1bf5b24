//! Host operations: ASG capacity, drain (with release), undrain.

use super::{ci_arn, drain, ok, refused, unsafe_reasons};
use crate::model::sample;
use crate::ops::{ApiCall, Checks, Confirm, Goal, Operation, Step, prepare};

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
