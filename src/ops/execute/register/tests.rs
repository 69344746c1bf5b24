//! Redeploy with a new image: the retagging rule and a faithful copy of the task definition.

use std::time::Duration;

use aws_sdk_ecs::Client as Ecs;
use aws_sdk_ecs::operation::describe_task_definition::DescribeTaskDefinitionOutput;
use aws_sdk_ecs::operation::register_task_definition::RegisterTaskDefinitionOutput;
use aws_sdk_ecs::operation::update_service::UpdateServiceOutput;
use aws_sdk_ecs::types::{ContainerDefinition, KeyValuePair, NetworkMode, TaskDefinition};
use aws_smithy_mocks::mock;

use super::retag;
use crate::model::sample;
use crate::ops::execute::{ExecOptions, execute};
use crate::ops::testing::{self, CANARY_SECRET, Mocks};
use crate::ops::{Checks, Operation, prepare};

const FAST: ExecOptions = ExecOptions {
    drain_timeout: Duration::from_secs(5),
    poll_interval: Duration::from_millis(10),
};

fn plan(op: &Operation) -> crate::ops::Plan {
    prepare(&sample::seed(), op, Checks::default()).unwrap()
}

#[test]
fn retag_replaces_only_the_tag() {
    assert_eq!(retag("navoy-app:sha-1", "sha-2"), "navoy-app:sha-2");
    assert_eq!(retag("navoy-app", "sha-2"), "navoy-app:sha-2");
    assert_eq!(
        retag(
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/navoy-app:sha-1",
            "sha-2"
        ),
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/navoy-app:sha-2"
    );
    assert_eq!(
        retag("localhost:5000/navoy-app", "v3"),
        "localhost:5000/navoy-app:v3"
    );
    assert_eq!(retag("repo/app@sha256:abcd", "v3"), "repo/app:v3");
}

fn task_definition(revision: i32) -> TaskDefinition {
    TaskDefinition::builder()
        .task_definition_arn(format!(
            "arn:aws:ecs:us-east-1:123456789012:task-definition/navoy-app:{revision}"
        ))
        .family("navoy-app")
        .revision(revision)
        .execution_role_arn("arn:aws:iam::123456789012:role/navoy-exec")
        .network_mode(NetworkMode::Awsvpc)
        .cpu("256")
        .memory("512")
        .container_definitions(
            ContainerDefinition::builder()
                .name("app")
                .image("123456789012.dkr.ecr.us-east-1.amazonaws.com/navoy-app:sha-old")
                .environment(
                    KeyValuePair::builder()
                        .name("API_TOKEN")
                        .value(CANARY_SECRET)
                        .build(),
                )
                .build(),
        )
        .container_definitions(
            ContainerDefinition::builder()
                .name("sidecar")
                .image("envoy:v1")
                .build(),
        )
        .build()
}

#[tokio::test]
async fn redeploy_registers_a_faithful_copy_with_the_new_tag_and_points_the_service_at_it() {
    let describe = mock!(Ecs::describe_task_definition)
        .match_requests(|r| {
            r.task_definition()
                == Some("arn:aws:ecs:us-east-1:123456789012:task-definition/navoy-app:7")
        })
        .then_output(|| {
            DescribeTaskDefinitionOutput::builder()
                .task_definition(task_definition(7))
                .build()
        });
    let register = mock!(Ecs::register_task_definition)
        .match_requests(|r| {
            let c = r.container_definitions();
            r.family() == Some("navoy-app")
                && r.execution_role_arn() == Some("arn:aws:iam::123456789012:role/navoy-exec")
                && r.network_mode() == Some(&NetworkMode::Awsvpc)
                && r.cpu() == Some("256")
                && c.len() == 2
                && c[0].image()
                    == Some("123456789012.dkr.ecr.us-east-1.amazonaws.com/navoy-app:sha-new")
                && c[0].environment()[0].value() == Some(CANARY_SECRET)
                && c[1].image() == Some("envoy:v1")
        })
        .then_output(|| {
            RegisterTaskDefinitionOutput::builder()
                .task_definition(task_definition(8))
                .build()
        });
    let update = mock!(Ecs::update_service)
        .match_requests(|r| {
            r.service() == Some("navoy-app")
                && r.task_definition()
                    == Some("arn:aws:ecs:us-east-1:123456789012:task-definition/navoy-app:8")
                && r.desired_count().is_none()
        })
        .then_output(|| UpdateServiceOutput::builder().build());
    let ctx = testing::context(
        false,
        &Mocks {
            ecs: vec![&describe, &register, &update],
            ..Mocks::default()
        },
    );
    let redeploy = plan(&Operation::Redeploy {
        service: "navoy-app".into(),
        image_tag: "sha-new".into(),
    });
    let out = execute(&ctx, &redeploy, FAST).await;
    assert_eq!(out.status(), "applied", "{out:?}");
    assert_eq!(
        (
            describe.num_calls(),
            register.num_calls(),
            update.num_calls()
        ),
        (1, 1, 1)
    );
    assert!(out.done[1].ends_with(
        "taskDefinition=arn:aws:ecs:us-east-1:123456789012:task-definition/navoy-app:8"
    ));
    assert_eq!(
        crate::ops::execute::goal_after(&redeploy, &out),
        crate::ops::Goal::Rollout {
            service: "navoy-app".into(),
            task_definition: Some(
                "arn:aws:ecs:us-east-1:123456789012:task-definition/navoy-app:8".into()
            ),
        },
        "the watch waits for the registered revision"
    );
    let text = serde_json::to_string(&out).unwrap();
    assert!(
        !text.contains(CANARY_SECRET),
        "the definition's values never leak into the outcome"
    );
}
