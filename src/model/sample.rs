//! Deterministic sample estates (the seed stack, and large synthetic ones) for tests, snapshots and benches.

mod parts;

use chrono::{DateTime, TimeZone, Utc};
use parts::{
    asg, capacity_provider, cluster, container_instance, ec2, load_balancer, network, service,
    target_for, target_group, task,
};

use super::{ScalableTarget, Section, Snapshot, TargetHealth, Task};

pub(super) const REGION: &str = "us-east-1";
pub(super) const ACCOUNT: &str = "123456789012";
pub(super) const AZS: [&str; 2] = ["us-east-1a", "us-east-1b"];

/// A fixed instant every sample is relative to (tests inject the same clock).
#[must_use]
pub fn epoch() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 3, 0, 0)
        .single()
        .unwrap_or_default()
}

/// The seed stack mid-incident: 2 instances over 2 AZs, 3 tasks (one unhealthy, one initial), one stopped.
#[must_use]
pub fn seed() -> Snapshot {
    let lb = load_balancer();
    let mut tg = target_group("navoy-app", &lb.arn);
    let tasks = vec![
        task(1, 1, 0, "navoy-app", 7, "RUNNING"),
        task(2, 2, 1, "navoy-app", 7, "RUNNING"),
        task(3, 2, 1, "navoy-app", 7, "RUNNING"),
        task(4, 1, 0, "navoy-app", 6, "STOPPED"),
    ];
    tg.targets = vec![
        target_for(&tasks[0], TargetHealth::Healthy),
        target_for(&tasks[1], TargetHealth::Unhealthy),
        target_for(&tasks[2], TargetHealth::Initial),
    ];
    let svc = service("navoy-app", 3, 3, &tg.arn);
    let mut snap = Snapshot {
        taken_at: Some(epoch()),
        cluster: Some(cluster(2, 3, 1)),
        network: Section::Ok(network()),
        load_balancers: Section::Ok(vec![lb]),
        target_groups: Section::Ok(vec![tg]),
        services: Section::Ok(vec![svc]),
        tasks: Section::Ok(tasks),
        container_instances: Section::Ok(vec![
            container_instance(1, 0, 1, false),
            container_instance(2, 1, 2, false),
        ]),
        capacity_providers: Section::Ok(vec![capacity_provider()]),
        ec2_instances: Section::Ok(vec![ec2(1, 0), ec2(2, 1)]),
        auto_scaling_groups: Section::Ok(vec![asg(&[(1, 0), (2, 1)], 2)]),
        scalable_targets: Section::Ok(vec![ScalableTarget {
            resource_id: "service/navoy/navoy-app".into(),
            dimension: "ecs:service:DesiredCount".into(),
            min: 2,
            max: 6,
            policies: vec!["navoy-app-cpu60".into(), "navoy-app-memory70".into()],
        }]),
        api_calls: Vec::new(),
    };
    super::joins::link(&mut snap);
    snap
}

/// A large estate for benches: `instances` hosts, `services` services, `tasks` tasks, `targets` targets.
#[must_use]
pub fn synthetic(instances: usize, services: usize, tasks: usize, targets: usize) -> Snapshot {
    let lb = load_balancer();
    let mut tg = target_group("navoy-app", &lb.arn);
    let all_tasks: Vec<Task> = (0..tasks)
        .map(|n| {
            let inst = n % instances.max(1);
            let mut t = task(
                n,
                inst,
                inst % 2,
                &format!("svc-{:04}", n % services.max(1)),
                7,
                "RUNNING",
            );
            t.private_ip = Some(format!("10.40.{}.{}", 10 + inst % 2, n % 250));
            t.containers[0].container_port = Some(3000 + i32::try_from(n / 250).unwrap_or(0));
            t
        })
        .collect();
    let healths = [
        TargetHealth::Healthy,
        TargetHealth::Healthy,
        TargetHealth::Healthy,
        TargetHealth::Initial,
        TargetHealth::Unhealthy,
        TargetHealth::Draining,
    ];
    tg.targets = all_tasks
        .iter()
        .take(targets)
        .enumerate()
        .map(|(n, t)| {
            let mut target = target_for(t, healths[n % healths.len()]);
            target.port = t.containers[0].container_port.unwrap_or(3000);
            target
        })
        .collect();
    let per_instance = i32::try_from(tasks / instances.max(1)).unwrap_or(i32::MAX);
    let svcs = (0..services)
        .map(|n| service(&format!("svc-{n:04}"), 3, 3, &tg.arn))
        .collect();
    let mut snap = Snapshot {
        taken_at: Some(epoch()),
        cluster: Some(cluster(
            i32::try_from(instances).unwrap_or(i32::MAX),
            i32::try_from(tasks).unwrap_or(i32::MAX),
            i32::try_from(services).unwrap_or(i32::MAX),
        )),
        network: Section::Ok(network()),
        load_balancers: Section::Ok(vec![lb]),
        target_groups: Section::Ok(vec![tg]),
        services: Section::Ok(svcs),
        tasks: Section::Ok(all_tasks),
        container_instances: Section::Ok(
            (0..instances)
                .map(|n| container_instance(n, n % 2, per_instance, n % 17 == 3))
                .collect(),
        ),
        capacity_providers: Section::Ok(vec![capacity_provider()]),
        ec2_instances: Section::Ok((0..instances).map(|n| ec2(n, n % 2)).collect()),
        auto_scaling_groups: Section::Ok(vec![asg(
            &(0..instances).map(|n| (n, n % 2)).collect::<Vec<_>>(),
            i32::try_from(instances).unwrap_or(i32::MAX),
        )]),
        scalable_targets: Section::Ok(Vec::new()),
        api_calls: Vec::new(),
    };
    super::joins::link(&mut snap);
    snap
}
