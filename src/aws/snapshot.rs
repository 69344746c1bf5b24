//! Gathers one whole snapshot: independent families concurrently, dependents as soon as they can start.

use std::collections::{BTreeSet, HashMap};

use super::carry::Carry;
use super::error::AwsError;
use super::{AwsContext, compute, ecs, elb, network};
use crate::model::{Cluster, Section, Service, Snapshot, joins};

fn asg_name(arn: &str) -> &str {
    arn.rsplit_once("autoScalingGroupName/")
        .map_or(arn, |(_, name)| name)
}

/// Reads everything the views show for one cluster. Sections that fail are marked
/// unavailable with the reason; the rest still loads.
pub async fn gather(ctx: &AwsContext, cluster: Cluster) -> Snapshot {
    refresh(ctx, cluster, &mut Carry::default()).await
}

/// Like [`gather`], describing again only what `carry` says may have changed (see
/// [`crate::aws::carry`]), and leaving this refresh's descriptions in `carry` for the next.
pub async fn refresh(ctx: &AwsContext, cluster: Cluster, carry: &mut Carry) -> Snapshot {
    let before = ctx.calls.snapshot();
    carry.begin(&cluster.name);
    let (mut snap, task_defs) = read(ctx, cluster, carry).await;
    // What the adapters returned, before the joins fill in their cross-references.
    carry.keep(
        snap.services.ok().map(Vec::as_slice),
        snap.tasks.ok().map(Vec::as_slice),
        task_defs,
    );
    joins::link(&mut snap);
    snap.api_calls = delta(&before, &ctx.calls.snapshot());
    snap
}

/// Services and tasks: together when nothing is carried; else tasks first, so that services
/// whose tasks moved are described again.
async fn services_and_tasks(
    ctx: &AwsContext,
    name: &str,
    carry: &Carry,
) -> (Result<Vec<Service>, AwsError>, Result<ecs::Tasks, AwsError>) {
    let unchanged = BTreeSet::new();
    if carry.is_empty() {
        return tokio::join!(
            ecs::services(ctx, name, carry, &unchanged),
            ecs::tasks(ctx, name, carry)
        );
    }
    let tasks = ecs::tasks(ctx, name, carry).await;
    let changed = match &tasks {
        Ok(t) => carry.changed_services(&t.tasks),
        Err(_) => BTreeSet::new(),
    };
    (ecs::services(ctx, name, carry, &changed).await, tasks)
}

async fn read(
    ctx: &AwsContext,
    cluster: Cluster,
    carry: &Carry,
) -> (Snapshot, HashMap<String, ecs::tasks::ContainerDefs>) {
    let name = cluster.name.as_str();
    let ((network, scalable), (services, tasks, cis, cps, lb_part, ec2, asgs)) = tokio::join!(
        async { tokio::join!(network::network(ctx), compute::scalable_targets(ctx, name)) },
        async {
            let ((services, tasks), cis, cps) = tokio::join!(
                services_and_tasks(ctx, name, carry),
                ecs::container_instances(ctx, name),
                ecs::capacity_providers(ctx, &cluster.capacity_providers),
            );
            let tg_arns: Vec<String> = services
                .as_ref()
                .map(|s| {
                    s.iter()
                        .flat_map(|s| {
                            s.load_balancers
                                .iter()
                                .filter_map(|lb| lb.target_group_arn.clone())
                        })
                        .collect::<BTreeSet<_>>()
                        .into_iter()
                        .collect()
                })
                .unwrap_or_default();
            let ec2_ids: Vec<String> = cis
                .as_ref()
                .map(|c| c.iter().filter_map(|c| c.ec2_instance_id.clone()).collect())
                .unwrap_or_default();
            let asg_names: Vec<String> = cps
                .as_ref()
                .map(|c| {
                    c.iter()
                        .filter_map(|c| c.asg_arn.as_deref().map(|a| asg_name(a).to_owned()))
                        .collect()
                })
                .unwrap_or_default();
            let (lb_part, ec2, asgs) = tokio::join!(
                elb::load(ctx, &tg_arns),
                compute::instances(ctx, &ec2_ids),
                compute::auto_scaling_groups(ctx, &asg_names),
            );
            // Without capacity providers every group was listed: keep those hosting this cluster.
            let asgs = asgs.map(|groups| {
                if asg_names.is_empty() {
                    groups
                        .into_iter()
                        .filter(|g| g.instances.iter().any(|i| ec2_ids.contains(&i.instance_id)))
                        .collect()
                } else {
                    groups
                }
            });
            (services, tasks, cis, cps, lb_part, ec2, asgs)
        },
    );
    let (load_balancers, target_groups) = match lb_part {
        Ok((lbs, tgs)) => (Section::Ok(lbs), Section::Ok(tgs)),
        Err(e) => (
            Section::Unavailable(e.to_string()),
            Section::Unavailable(e.to_string()),
        ),
    };
    let (tasks, defs) = match tasks {
        Ok(t) => (Ok(t.tasks), t.defs),
        Err(e) => (Err(e), HashMap::new()),
    };
    let snap = Snapshot {
        taken_at: Some(chrono::Utc::now()),
        cluster: Some(cluster),
        network: network.into(),
        load_balancers,
        target_groups,
        services: services.into(),
        tasks: tasks.into(),
        container_instances: cis.into(),
        capacity_providers: cps.into(),
        ec2_instances: ec2.into(),
        auto_scaling_groups: asgs.into(),
        scalable_targets: scalable.into(),
        api_calls: Vec::new(),
    };
    (snap, defs)
}

/// Calls made between two counter readings (this snapshot's own calls).
fn delta(
    before: &[crate::model::ApiCallCount],
    after: &[crate::model::ApiCallCount],
) -> Vec<crate::model::ApiCallCount> {
    after
        .iter()
        .filter_map(|a| {
            let b = before
                .iter()
                .find(|b| b.service == a.service && b.operation == a.operation);
            let calls = a.calls - b.map_or(0, |b| b.calls);
            let attempts = a.attempts - b.map_or(0, |b| b.attempts);
            (calls > 0 || attempts > 0).then(|| crate::model::ApiCallCount {
                calls,
                attempts,
                ..a.clone()
            })
        })
        .collect()
}

#[cfg(test)]
mod send_check {
    fn assert_send<T: Send>(_: &T) {}

    #[expect(dead_code, reason = "compile-time check only")]
    fn gather_is_send(ctx: &super::AwsContext, c: crate::model::Cluster, carry: &mut super::Carry) {
        let f = super::refresh(ctx, c, carry);
        assert_send(&f);
    }
}
