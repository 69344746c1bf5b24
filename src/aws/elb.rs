//! `ELBv2` adapters: the target groups a cluster's services use, their load balancers, listeners, health.

use std::collections::BTreeSet;

use aws_sdk_elasticloadbalancingv2::types as sdk;
use futures::StreamExt;

use super::error::{AwsError, CallContext};
use super::{AwsContext, CONCURRENCY, batched, owned};
use crate::model::{HealthCheck, Listener, LoadBalancer, Target, TargetGroup, TargetHealth};

fn health_check(tg: &sdk::TargetGroup) -> HealthCheck {
    HealthCheck {
        protocol: tg
            .health_check_protocol()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default(),
        path: owned(tg.health_check_path()),
        port: tg.health_check_port().unwrap_or("traffic-port").to_owned(),
        interval_s: tg.health_check_interval_seconds().unwrap_or(30),
        timeout_s: tg.health_check_timeout_seconds().unwrap_or(5),
        healthy_threshold: tg.healthy_threshold_count().unwrap_or(5),
        unhealthy_threshold: tg.unhealthy_threshold_count().unwrap_or(2),
        matcher: tg.matcher().and_then(|m| owned(m.http_code())),
    }
}

fn target(d: &sdk::TargetHealthDescription) -> Target {
    let t = d.target();
    let h = d.target_health();
    Target {
        id: t
            .and_then(sdk::TargetDescription::id)
            .unwrap_or_default()
            .to_owned(),
        port: t
            .and_then(sdk::TargetDescription::port)
            .or_else(|| d.health_check_port().and_then(|p| p.parse().ok()))
            .unwrap_or(0),
        az: t
            .and_then(|t| owned(t.availability_zone()))
            .filter(|az| az != "all"),
        health: h
            .and_then(sdk::TargetHealth::state)
            .map_or(TargetHealth::Unknown, |s| TargetHealth::parse(s.as_str())),
        reason: h
            .and_then(sdk::TargetHealth::reason)
            .map(|r| r.as_str().to_owned()),
        description: h.and_then(|h| owned(h.description())),
        task_arn: None,
        instance_id: None,
        subnet_id: None,
    }
}

async fn describe_group(ctx: &AwsContext, tg: &sdk::TargetGroup) -> Result<TargetGroup, AwsError> {
    let arn = tg.target_group_arn().unwrap_or_default();
    let (health, attrs) = tokio::join!(
        ctx.elb
            .describe_target_health()
            .target_group_arn(arn)
            .send(),
        ctx.elb
            .describe_target_group_attributes()
            .target_group_arn(arn)
            .send(),
    );
    let health = health.call("ELBv2", "DescribeTargetHealth")?;
    // Attributes are a detail: an endpoint without them still shows the group.
    let delay = attrs
        .call("ELBv2", "DescribeTargetGroupAttributes")
        .ok()
        .and_then(|a| {
            a.attributes()
                .iter()
                .find(|kv| kv.key() == Some("deregistration_delay.timeout_seconds"))
                .and_then(|kv| kv.value()?.parse().ok())
        });
    Ok(TargetGroup {
        arn: arn.to_owned(),
        name: tg.target_group_name().unwrap_or_default().to_owned(),
        protocol: tg
            .protocol()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default(),
        port: tg.port().unwrap_or(0),
        target_type: tg
            .target_type()
            .map(|t| t.as_str().to_owned())
            .unwrap_or_default(),
        vpc_id: tg.vpc_id().unwrap_or_default().to_owned(),
        load_balancer_arns: tg.load_balancer_arns().to_vec(),
        health_check: health_check(tg),
        deregistration_delay_s: delay,
        targets: health
            .target_health_descriptions()
            .iter()
            .map(target)
            .collect(),
    })
}

async fn listeners(ctx: &AwsContext, lb_arn: &str) -> Result<Vec<Listener>, AwsError> {
    let items: Vec<sdk::Listener> = paged!(
        ctx.elb.describe_listeners().load_balancer_arn(lb_arn),
        "ELBv2",
        "DescribeListeners"
    )?;
    Ok(items
        .iter()
        .map(|l| Listener {
            arn: l.listener_arn().unwrap_or_default().to_owned(),
            port: l.port().unwrap_or(0),
            protocol: l
                .protocol()
                .map(|p| p.as_str().to_owned())
                .unwrap_or_default(),
            target_group_arns: l
                .default_actions()
                .iter()
                .flat_map(|a| {
                    let direct = owned(a.target_group_arn());
                    let forwarded = a
                        .forward_config()
                        .map(|f| {
                            f.target_groups()
                                .iter()
                                .filter_map(|t| owned(t.target_group_arn()))
                                .collect::<Vec<_>>()
                        })
                        .unwrap_or_default();
                    direct.into_iter().chain(forwarded)
                })
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect(),
        })
        .collect())
}

/// The given target groups with their health, and the load balancers in front of them.
///
/// # Errors
/// The first failing call.
pub async fn load(
    ctx: &AwsContext,
    tg_arns: &[String],
) -> Result<(Vec<LoadBalancer>, Vec<TargetGroup>), AwsError> {
    if tg_arns.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    // DescribeTargetGroups takes up to 20 ARNs per call.
    let groups: Vec<sdk::TargetGroup> = batched(tg_arns, 20, |chunk| async move {
        let out = ctx
            .elb
            .describe_target_groups()
            .set_target_group_arns(Some(chunk))
            .send()
            .await
            .call("ELBv2", "DescribeTargetGroups")?;
        Ok(out.target_groups().to_vec())
    })
    .await?;
    let lb_arns: Vec<String> = groups
        .iter()
        .flat_map(|g| g.load_balancer_arns().iter().cloned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let requests: Vec<_> = groups.iter().map(|g| describe_group(ctx, g)).collect();
    let (described, lbs) = tokio::join!(
        futures::stream::iter(requests)
            .buffered(CONCURRENCY)
            .collect::<Vec<_>>(),
        load_balancers(ctx, &lb_arns),
    );
    let described: Result<Vec<TargetGroup>, AwsError> = described.into_iter().collect();
    Ok((lbs?, described?))
}

async fn load_balancers(ctx: &AwsContext, arns: &[String]) -> Result<Vec<LoadBalancer>, AwsError> {
    let raw: Vec<sdk::LoadBalancer> = batched(arns, 20, |chunk| async move {
        let out = ctx
            .elb
            .describe_load_balancers()
            .set_load_balancer_arns(Some(chunk))
            .send()
            .await
            .call("ELBv2", "DescribeLoadBalancers")?;
        Ok(out.load_balancers().to_vec())
    })
    .await?;
    let mut lbs = Vec::with_capacity(raw.len());
    for lb in &raw {
        let arn = lb.load_balancer_arn().unwrap_or_default();
        lbs.push(LoadBalancer {
            arn: arn.to_owned(),
            name: lb.load_balancer_name().unwrap_or_default().to_owned(),
            scheme: lb
                .scheme()
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default(),
            kind: lb
                .r#type()
                .map(|t| t.as_str().to_owned())
                .unwrap_or_default(),
            dns_name: lb.dns_name().unwrap_or_default().to_owned(),
            state: lb
                .state()
                .and_then(|s| s.code())
                .map(|c| c.as_str().to_owned())
                .unwrap_or_default(),
            vpc_id: lb.vpc_id().unwrap_or_default().to_owned(),
            zones: lb
                .availability_zones()
                .iter()
                .map(|z| {
                    (
                        z.zone_name().unwrap_or_default().to_owned(),
                        z.subnet_id().unwrap_or_default().to_owned(),
                    )
                })
                .collect(),
            security_groups: lb.security_groups().to_vec(),
            listeners: listeners(ctx, arn).await?,
        });
    }
    Ok(lbs)
}
