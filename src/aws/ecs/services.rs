//! `ListServices` (paged) + `DescribeServices` (10 at a time) into domain services.

use std::collections::BTreeSet;

use aws_sdk_ecs::types as sdk;

use crate::aws::carry::Carry;
use crate::aws::error::{AwsError, CallContext};
use crate::aws::{AwsContext, describe_stale, owned, utc};
use crate::model::{Deployment, Service, ServiceEvent, ServiceLoadBalancer};

/// How many events of each service to keep (ECS returns up to 100).
const EVENTS_KEPT: usize = 50;

fn deployment(d: &sdk::Deployment) -> Deployment {
    Deployment {
        id: d.id().unwrap_or_default().to_owned(),
        status: d.status().unwrap_or_default().to_owned(),
        task_definition: d.task_definition().unwrap_or_default().to_owned(),
        desired: d.desired_count(),
        running: d.running_count(),
        pending: d.pending_count(),
        failed: d.failed_tasks(),
        rollout_state: d.rollout_state().map(|s| s.as_str().to_owned()),
        rollout_reason: owned(d.rollout_state_reason()),
        created_at: utc(d.created_at()),
        updated_at: utc(d.updated_at()),
    }
}

fn service(s: &sdk::Service) -> Service {
    let config = s.deployment_configuration();
    let network = s
        .network_configuration()
        .and_then(|n| n.awsvpc_configuration());
    Service {
        arn: s.service_arn().unwrap_or_default().to_owned(),
        name: s.service_name().unwrap_or_default().to_owned(),
        status: s.status().unwrap_or_default().to_owned(),
        desired: s.desired_count(),
        running: s.running_count(),
        pending: s.pending_count(),
        launch_type: s.launch_type().map(|l| l.as_str().to_owned()),
        task_definition: s.task_definition().unwrap_or_default().to_owned(),
        deployments: s.deployments().iter().map(deployment).collect(),
        events: s
            .events()
            .iter()
            .take(EVENTS_KEPT)
            .map(|e| ServiceEvent {
                id: e.id().unwrap_or_default().to_owned(),
                at: utc(e.created_at()),
                message: e.message().unwrap_or_default().to_owned(),
            })
            .collect(),
        load_balancers: s
            .load_balancers()
            .iter()
            .map(|lb| ServiceLoadBalancer {
                target_group_arn: owned(lb.target_group_arn()),
                container_name: owned(lb.container_name()),
                container_port: lb.container_port(),
            })
            .collect(),
        min_healthy_percent: config.and_then(sdk::DeploymentConfiguration::minimum_healthy_percent),
        max_percent: config.and_then(sdk::DeploymentConfiguration::maximum_percent),
        circuit_breaker: config
            .and_then(|c| c.deployment_circuit_breaker())
            .map(sdk::DeploymentCircuitBreaker::enable),
        subnets: network.map(|n| n.subnets().to_vec()).unwrap_or_default(),
        security_groups: network
            .map(|n| n.security_groups().to_vec())
            .unwrap_or_default(),
        autoscaling: None,
    }
}

/// Every service of the cluster, in list order: carried over where `carry` allows (see
/// [`crate::aws::carry`]; `changed` names services whose tasks moved), the rest described
/// 10 at a time (the API's maximum).
///
/// # Errors
/// The first failing call.
pub async fn services(
    ctx: &AwsContext,
    cluster: &str,
    carry: &Carry,
    changed: &BTreeSet<String>,
) -> Result<Vec<Service>, AwsError> {
    let arns: Vec<String> = paged!(
        ctx.ecs.list_services().max_results(100).cluster(cluster),
        "ECS",
        "ListServices"
    )?;
    let carried = |a: &str| carry.service(a, changed);
    describe_stale(
        &arns,
        carried,
        |s| &s.arn,
        10,
        |chunk| async move {
            let out = ctx
                .ecs
                .describe_services()
                .cluster(cluster)
                .set_services(Some(chunk))
                .send()
                .await
                .call("ECS", "DescribeServices")?;
            Ok(out.services().iter().map(service).collect())
        },
    )
    .await
}
