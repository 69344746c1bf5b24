//! Container instances (paged list, described 100 at a time) and capacity providers.

use aws_sdk_ecs::types as sdk;

use crate::aws::error::{AwsError, CallContext};
use crate::aws::{AwsContext, batched, owned};
use crate::model::{CapacityProvider, ContainerInstance, short_id};

fn resource(list: &[sdk::Resource], name: &str) -> i32 {
    list.iter()
        .find(|r| r.name() == Some(name))
        .map_or(0, sdk::Resource::integer_value)
}

fn attribute<'a>(ci: &'a sdk::ContainerInstance, name: &str) -> Option<&'a str> {
    ci.attributes()
        .iter()
        .find(|a| a.name() == name)
        .and_then(sdk::Attribute::value)
}

fn container_instance(ci: &sdk::ContainerInstance) -> ContainerInstance {
    let arn = ci.container_instance_arn().unwrap_or_default().to_owned();
    ContainerInstance {
        id: short_id(&arn).to_owned(),
        ec2_instance_id: owned(ci.ec2_instance_id()),
        status: ci.status().unwrap_or_default().to_owned(),
        agent_connected: ci.agent_connected(),
        registered_cpu: resource(ci.registered_resources(), "CPU"),
        registered_memory: resource(ci.registered_resources(), "MEMORY"),
        remaining_cpu: resource(ci.remaining_resources(), "CPU"),
        remaining_memory: resource(ci.remaining_resources(), "MEMORY"),
        running_tasks: ci.running_tasks_count(),
        pending_tasks: ci.pending_tasks_count(),
        az: owned(attribute(ci, "ecs.availability-zone")),
        capacity_provider: owned(ci.capacity_provider_name()),
        subnet_id: None,
        private_ip: None,
        asg_lifecycle_state: None,
        protected_from_scale_in: None,
        live_tasks: Vec::new(),
        arn,
    }
}

/// Every container instance of the cluster (any status but deregistered).
///
/// # Errors
/// The first failing call.
pub async fn container_instances(
    ctx: &AwsContext,
    cluster: &str,
) -> Result<Vec<ContainerInstance>, AwsError> {
    let arns: Vec<String> = paged!(
        ctx.ecs
            .list_container_instances()
            .max_results(100)
            .cluster(cluster),
        "ECS",
        "ListContainerInstances"
    )?;
    batched(&arns, 100, |chunk| async move {
        let out = ctx
            .ecs
            .describe_container_instances()
            .cluster(cluster)
            .set_container_instances(Some(chunk))
            .send()
            .await
            .call("ECS", "DescribeContainerInstances")?;
        Ok(out
            .container_instances()
            .iter()
            .map(container_instance)
            .collect())
    })
    .await
}

/// The named capacity providers (`DescribeCapacityProviders` takes up to 100 names).
///
/// # Errors
/// The first failing call.
pub async fn capacity_providers(
    ctx: &AwsContext,
    names: &[String],
) -> Result<Vec<CapacityProvider>, AwsError> {
    let names: Vec<String> = names
        .iter()
        .filter(|n| !n.starts_with("FARGATE"))
        .cloned()
        .collect();
    batched(&names, 100, |chunk| async move {
        let out = ctx
            .ecs
            .describe_capacity_providers()
            .set_capacity_providers(Some(chunk))
            .send()
            .await
            .call("ECS", "DescribeCapacityProviders")?;
        Ok(out
            .capacity_providers()
            .iter()
            .map(|cp| {
                let asg = cp.auto_scaling_group_provider();
                let scaling = asg.and_then(sdk::AutoScalingGroupProvider::managed_scaling);
                CapacityProvider {
                    name: cp.name().unwrap_or_default().to_owned(),
                    arn: cp.capacity_provider_arn().unwrap_or_default().to_owned(),
                    status: cp
                        .status()
                        .map(|s| s.as_str().to_owned())
                        .unwrap_or_default(),
                    asg_arn: asg.map(|a| a.auto_scaling_group_arn().to_owned()),
                    managed_scaling: scaling
                        .and_then(sdk::ManagedScaling::status)
                        .is_some_and(|s| s.as_str() == "ENABLED"),
                    target_capacity: scaling.and_then(sdk::ManagedScaling::target_capacity),
                    managed_termination_protection: asg
                        .and_then(sdk::AutoScalingGroupProvider::managed_termination_protection)
                        .is_some_and(|s| s.as_str() == "ENABLED"),
                }
            })
            .collect())
    })
    .await
}
