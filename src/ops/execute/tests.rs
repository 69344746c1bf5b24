//! The executor against mocked APIs: the exact request parameters, and partial failures reported step by step.

use std::time::Duration;

use aws_sdk_autoscaling::Client as Asg;
use aws_sdk_autoscaling::operation::set_desired_capacity::SetDesiredCapacityOutput;
use aws_sdk_autoscaling::operation::set_instance_protection::SetInstanceProtectionOutput;
use aws_sdk_autoscaling::operation::terminate_instance_in_auto_scaling_group::{
    TerminateInstanceInAutoScalingGroupError, TerminateInstanceInAutoScalingGroupOutput,
};
use aws_sdk_autoscaling::types::error::ScalingActivityInProgressFault;
use aws_sdk_ecs::Client as Ecs;
use aws_sdk_ecs::operation::describe_container_instances::DescribeContainerInstancesOutput;
use aws_sdk_ecs::operation::stop_task::StopTaskOutput;
use aws_sdk_ecs::operation::update_container_instances_state::UpdateContainerInstancesStateOutput;
use aws_sdk_ecs::operation::update_service::UpdateServiceOutput;
use aws_sdk_ecs::types::{ContainerInstance, ContainerInstanceStatus};
use aws_smithy_mocks::mock;

use super::{ExecOptions, execute};
use crate::model::sample;
use crate::ops::testing::{self, Mocks};
use crate::ops::{Checks, Operation, prepare};

const FAST: ExecOptions = ExecOptions {
    drain_timeout: Duration::from_secs(5),
    poll_interval: Duration::from_millis(10),
};

fn plan(op: &Operation) -> crate::ops::Plan {
    prepare(&sample::seed(), op, Checks::default()).unwrap()
}

#[tokio::test]
async fn scale_sends_update_service_with_the_count_and_nothing_else() {
    let update = mock!(Ecs::update_service)
        .match_requests(|r| {
            r.cluster() == Some("navoy")
                && r.service() == Some("navoy-app")
                && r.desired_count() == Some(4)
                && r.force_new_deployment().is_none()
                && r.task_definition().is_none()
        })
        .then_output(|| UpdateServiceOutput::builder().build());
    let ctx = testing::context(
        false,
        &Mocks {
            ecs: vec![&update],
            ..Mocks::default()
        },
    );
    let out = execute(
        &ctx,
        &plan(&Operation::ScaleService {
            service: "navoy-app".into(),
            count: 4,
        }),
        FAST,
    )
    .await;
    assert_eq!(out.status(), "applied", "{out:?}");
    assert_eq!(update.num_calls(), 1);
    assert_eq!(ctx.calls.mutating_calls(), 1, "{:?}", ctx.calls.snapshot());
}

#[tokio::test]
async fn asg_capacity_and_stop_task_send_the_exact_parameters() {
    let set = mock!(Asg::set_desired_capacity)
        .match_requests(|r| {
            r.auto_scaling_group_name() == Some("navoy-ecs")
                && r.desired_capacity() == Some(3)
                && r.honor_cooldown() == Some(false)
        })
        .then_output(|| SetDesiredCapacityOutput::builder().build());
    let snap = sample::seed();
    let task = snap.tasks()[0].clone();
    let arn = task.arn.clone();
    let stop = mock!(Ecs::stop_task)
        .match_requests(move |r| {
            r.cluster() == Some("navoy")
                && r.task() == Some(arn.as_str())
                && r.reason() == Some("wedged at 3am")
        })
        .then_output(|| StopTaskOutput::builder().build());
    let ctx = testing::context(
        false,
        &Mocks {
            ecs: vec![&stop],
            autoscaling: vec![&set],
            ..Mocks::default()
        },
    );
    let out = execute(
        &ctx,
        &plan(&Operation::SetAsgCapacity {
            asg: "navoy-ecs".into(),
            count: 3,
        }),
        FAST,
    )
    .await;
    assert!(out.is_applied(), "{out:?}");
    let out = execute(
        &ctx,
        &plan(&Operation::StopTask {
            task: task.id,
            reason: "wedged at 3am".into(),
        }),
        FAST,
    )
    .await;
    assert!(out.is_applied(), "{out:?}");
    assert_eq!((set.num_calls(), stop.num_calls()), (1, 1));
}

fn instance(running: i32) -> DescribeContainerInstancesOutput {
    DescribeContainerInstancesOutput::builder()
        .container_instances(
            ContainerInstance::builder()
                .container_instance_arn("ci")
                .running_tasks_count(running)
                .pending_tasks_count(0)
                .build(),
        )
        .build()
}

#[tokio::test]
async fn drain_release_drains_waits_unprotects_and_terminates_with_decrement() {
    let ci_arn = sample::seed().container_instances()[0].arn.clone();
    let want = ci_arn.clone();
    let drain = mock!(Ecs::update_container_instances_state)
        .match_requests(move |r| {
            r.cluster() == Some("navoy")
                && r.container_instances() == [want.clone()]
                && r.status() == Some(&ContainerInstanceStatus::Draining)
        })
        .then_output(|| UpdateContainerInstancesStateOutput::builder().build());
    let describe = mock!(Ecs::describe_container_instances)
        .sequence()
        .output(|| instance(1))
        .output(|| instance(0))
        .build();
    let unprotect = mock!(Asg::set_instance_protection)
        .match_requests(|r| {
            r.auto_scaling_group_name() == Some("navoy-ecs")
                && r.instance_ids() == ["i-00000000000000001".to_owned()]
                && r.protected_from_scale_in() == Some(false)
        })
        .then_output(|| SetInstanceProtectionOutput::builder().build());
    let terminate = mock!(Asg::terminate_instance_in_auto_scaling_group)
        .match_requests(|r| {
            r.instance_id() == Some("i-00000000000000001")
                && r.should_decrement_desired_capacity() == Some(true)
        })
        .then_output(|| TerminateInstanceInAutoScalingGroupOutput::builder().build());
    let ctx = testing::context(
        false,
        &Mocks {
            ecs: vec![&drain, &describe],
            autoscaling: vec![&unprotect, &terminate],
            ..Mocks::default()
        },
    );
    let out = execute(
        &ctx,
        &plan(&Operation::Drain {
            instance: "ci0001".into(),
            release: true,
        }),
        FAST,
    )
    .await;
    assert_eq!(out.status(), "applied", "{out:?}");
    assert_eq!(out.done.len(), 4);
    assert_eq!(
        describe.num_calls(),
        2,
        "polled until the instance ran no task"
    );
    assert_eq!(
        (
            drain.num_calls(),
            unprotect.num_calls(),
            terminate.num_calls()
        ),
        (1, 1, 1)
    );
}

#[tokio::test]
async fn a_failure_half_way_reports_what_was_done_and_what_was_not() {
    let drain = mock!(Ecs::update_container_instances_state)
        .then_output(|| UpdateContainerInstancesStateOutput::builder().build());
    let describe = mock!(Ecs::describe_container_instances).then_output(|| instance(0));
    let unprotect = mock!(Asg::set_instance_protection)
        .then_error(|| {
            aws_sdk_autoscaling::operation::set_instance_protection::SetInstanceProtectionError::ResourceContentionFault(
                aws_sdk_autoscaling::types::error::ResourceContentionFault::builder()
                    .message("busy")
                    .build(),
            )
        });
    let terminate = mock!(Asg::terminate_instance_in_auto_scaling_group).then_error(|| {
        TerminateInstanceInAutoScalingGroupError::ScalingActivityInProgressFault(
            ScalingActivityInProgressFault::builder().build(),
        )
    });
    let ctx = testing::context(
        false,
        &Mocks {
            ecs: vec![&drain, &describe],
            autoscaling: vec![&unprotect, &terminate],
            ..Mocks::default()
        },
    );
    let out = execute(
        &ctx,
        &plan(&Operation::Drain {
            instance: "ci0001".into(),
            release: true,
        }),
        FAST,
    )
    .await;
    assert_eq!(out.status(), "failed_halfway");
    assert_eq!(out.done.len(), 2, "{:?}", out.done);
    assert!(out.done[0].contains("status=DRAINING"));
    let failed = out.failed.unwrap();
    assert!(
        failed.contains("SetInstanceProtection") && failed.contains("busy"),
        "{failed}"
    );
    assert_eq!(out.not_done.len(), 1);
    assert!(out.not_done[0].contains("TerminateInstanceInAutoScalingGroup"));
    assert_eq!(terminate.num_calls(), 0);
}

#[tokio::test]
async fn a_failed_first_step_means_nothing_changed() {
    let update = mock!(Ecs::update_service).then_error(|| {
        aws_sdk_ecs::operation::update_service::UpdateServiceError::ServiceNotFoundException(
            aws_sdk_ecs::types::error::ServiceNotFoundException::builder()
                .message("Service not found.")
                .build(),
        )
    });
    let ctx = testing::context(
        false,
        &Mocks {
            ecs: vec![&update],
            ..Mocks::default()
        },
    );
    let out = execute(
        &ctx,
        &plan(&Operation::Rollback {
            service: "navoy-app".into(),
        }),
        FAST,
    )
    .await;
    assert_eq!(out.status(), "failed");
    assert!(out.done.is_empty());
    assert!(out.failed.unwrap().contains("Service not found."));
}

#[tokio::test]
async fn a_read_only_context_refuses_the_call_before_it_is_sent() {
    let update = mock!(Ecs::update_service).then_output(|| UpdateServiceOutput::builder().build());
    let ctx = testing::context(
        true,
        &Mocks {
            ecs: vec![&update],
            ..Mocks::default()
        },
    );
    let out = execute(
        &ctx,
        &plan(&Operation::ScaleService {
            service: "navoy-app".into(),
            count: 4,
        }),
        FAST,
    )
    .await;
    assert_eq!(out.status(), "failed");
    assert!(out.failed.unwrap().contains("read-only"));
    assert_eq!(ctx.calls.refused(), 1);
    let counts = ctx.calls.snapshot();
    assert_eq!(counts.len(), 1);
    assert_eq!(
        counts[0].attempts, 0,
        "the request was never attempted: {counts:?}"
    );
}

#[tokio::test]
async fn a_scaling_range_registers_the_scalable_target_with_the_exact_range() {
    use aws_sdk_applicationautoscaling::Client as AppAs;
    use aws_sdk_applicationautoscaling::operation::register_scalable_target::RegisterScalableTargetOutput;
    use aws_sdk_applicationautoscaling::types::{ScalableDimension, ServiceNamespace};
    let register = mock!(AppAs::register_scalable_target)
        .match_requests(|r| {
            r.service_namespace() == Some(&ServiceNamespace::Ecs)
                && r.resource_id() == Some("service/navoy/navoy-app")
                && r.scalable_dimension() == Some(&ScalableDimension::EcsServiceDesiredCount)
                && r.min_capacity() == Some(1)
                && r.max_capacity() == Some(10)
        })
        .then_output(|| RegisterScalableTargetOutput::builder().build());
    let ctx = testing::context(
        false,
        &Mocks {
            app_autoscaling: vec![&register],
            ..Mocks::default()
        },
    );
    let op = Operation::SetScalingRange {
        service: "navoy-app".into(),
        min: 1,
        max: 10,
    };
    let out = execute(&ctx, &plan(&op), FAST).await;
    assert!(out.is_applied(), "{out:?}");
    assert_eq!(register.num_calls(), 1);
}

/// The console spawns these on tokio: they must be `Send`.
#[test]
fn the_operation_futures_are_send() {
    fn send<T: Send>(_: &T) {}
    let ctx = testing::context(false, &Mocks::default());
    let p = plan(&Operation::ScaleService {
        service: "navoy-app".into(),
        count: 4,
    });
    send(&execute(&ctx, &p, FAST));
    let mut progress = |_: &crate::ops::watch::Progress| {};
    send(&crate::ops::watch::watch(
        &ctx,
        "navoy",
        &p.goal,
        crate::ops::watch::WatchOptions::default(),
        &mut progress,
    ));
    let audit = crate::ops::audit::AuditContext {
        identity: "unknown".into(),
        endpoint: None,
        region: "us-east-1".into(),
        cluster: None,
    };
    send(&crate::ops::audit::AuditContext::for_context(&ctx, None));
    let session = crate::ops::headless::Session {
        ctx: &ctx,
        audit: &audit,
        log: None,
        read_only: false,
    };
    let spec = crate::ops::headless::Spec::Scale {
        service: None,
        count: 4,
    };
    let run = crate::cli::RunArgs::default();
    let mut confirm = |_: &crate::ops::Plan| crate::ops::headless::Answer::Confirmed;
    send(&crate::ops::headless::run_operation(
        &session,
        None,
        &spec,
        &run,
        &mut confirm,
        &mut progress,
    ));
}
