//! Hosts: EC2 instances by id, Auto Scaling groups, and Application Auto Scaling targets.

use aws_sdk_applicationautoscaling::types::ServiceNamespace;

use super::error::{AwsError, CallContext};
use super::{AwsContext, batched, owned};
use crate::model::{AsgInstance, AutoScalingGroup, Ec2Instance, ScalableTarget};

/// The given EC2 instances (`DescribeInstances`, 200 ids a call, paged).
///
/// # Errors
/// The first failing call.
pub async fn instances(ctx: &AwsContext, ids: &[String]) -> Result<Vec<Ec2Instance>, AwsError> {
    batched(ids, 200, |chunk| async move {
        let reservations: Vec<aws_sdk_ec2::types::Reservation> = paged!(
            ctx.ec2.describe_instances().set_instance_ids(Some(chunk)),
            "EC2",
            "DescribeInstances"
        )?;
        Ok(reservations
            .iter()
            .flat_map(aws_sdk_ec2::types::Reservation::instances)
            .map(|i| Ec2Instance {
                id: i.instance_id().unwrap_or_default().to_owned(),
                state: i
                    .state()
                    .and_then(|s| s.name())
                    .map(|n| n.as_str().to_owned())
                    .unwrap_or_default(),
                instance_type: i
                    .instance_type()
                    .map(|t| t.as_str().to_owned())
                    .unwrap_or_default(),
                az: i
                    .placement()
                    .and_then(|p| p.availability_zone())
                    .unwrap_or_default()
                    .to_owned(),
                subnet_id: owned(i.subnet_id()),
                private_ip: owned(i.private_ip_address()),
            })
            .collect())
    })
    .await
}

/// Auto Scaling groups by name (all of them when `names` is empty), paged.
///
/// # Errors
/// The first failing call.
pub async fn auto_scaling_groups(
    ctx: &AwsContext,
    names: &[String],
) -> Result<Vec<AutoScalingGroup>, AwsError> {
    let groups: Vec<aws_sdk_autoscaling::types::AutoScalingGroup> = ctx
        .autoscaling
        .describe_auto_scaling_groups()
        .set_auto_scaling_group_names((!names.is_empty()).then(|| names.to_vec()))
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .call("AutoScaling", "DescribeAutoScalingGroups")?;
    Ok(groups
        .iter()
        .map(|g| AutoScalingGroup {
            name: g.auto_scaling_group_name().unwrap_or_default().to_owned(),
            arn: g.auto_scaling_group_arn().unwrap_or_default().to_owned(),
            min: g.min_size().unwrap_or(0),
            desired: g.desired_capacity().unwrap_or(0),
            max: g.max_size().unwrap_or(0),
            azs: g.availability_zones().to_vec(),
            subnet_ids: g
                .vpc_zone_identifier()
                .map(|v| {
                    v.split(',')
                        .map(|s| s.trim().to_owned())
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            protect_from_scale_in: g.new_instances_protected_from_scale_in().unwrap_or(false),
            instances: g
                .instances()
                .iter()
                .map(|i| AsgInstance {
                    instance_id: i.instance_id().unwrap_or_default().to_owned(),
                    az: i.availability_zone().unwrap_or_default().to_owned(),
                    lifecycle_state: i
                        .lifecycle_state()
                        .map(|s| s.as_str().to_owned())
                        .unwrap_or_default(),
                    health_status: i.health_status().unwrap_or_default().to_owned(),
                    protected_from_scale_in: i.protected_from_scale_in().unwrap_or(false),
                })
                .collect(),
            capacity_provider: None,
        })
        .collect())
}

/// The ECS services' task-count ranges and their policies' names.
///
/// # Errors
/// The first failing call.
pub async fn scalable_targets(
    ctx: &AwsContext,
    cluster: &str,
) -> Result<Vec<ScalableTarget>, AwsError> {
    let prefix = format!("service/{cluster}/");
    let (targets, policies) = tokio::join!(
        async {
            paged!(
                ctx.app_autoscaling
                    .describe_scalable_targets()
                    .service_namespace(ServiceNamespace::Ecs),
                "ApplicationAutoScaling",
                "DescribeScalableTargets"
            )
        },
        async {
            paged!(
                ctx.app_autoscaling
                    .describe_scaling_policies()
                    .service_namespace(ServiceNamespace::Ecs),
                "ApplicationAutoScaling",
                "DescribeScalingPolicies"
            )
        }
    );
    let targets: Vec<aws_sdk_applicationautoscaling::types::ScalableTarget> = targets?;
    let policies: Vec<aws_sdk_applicationautoscaling::types::ScalingPolicy> =
        policies.unwrap_or_default();
    Ok(targets
        .iter()
        .filter(|t| t.resource_id().starts_with(&prefix))
        .map(|t| ScalableTarget {
            resource_id: t.resource_id().to_owned(),
            dimension: t.scalable_dimension().as_str().to_owned(),
            min: t.min_capacity(),
            max: t.max_capacity(),
            policies: policies
                .iter()
                .filter(|p| p.resource_id() == t.resource_id())
                .map(|p| p.policy_name().to_owned())
                .collect(),
        })
        .collect())
}
