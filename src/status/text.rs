//! The human summary of a snapshot: topology, targets, services, tasks, instances, ASG, API calls.

use std::fmt::Write as _;

use crate::model::{Section, Snapshot, SubnetTier, short_id};
use crate::sanitize::clean;

fn section_note<T>(out: &mut String, title: &str, s: &Section<T>) -> bool {
    if let Section::Unavailable(reason) = s {
        let _ = writeln!(out, "{title}: unavailable ({})", clean(reason));
        return false;
    }
    true
}

fn network(out: &mut String, snap: &Snapshot) {
    if !section_note(out, "Network", &snap.network) {
        return;
    }
    let Some(net) = snap.network() else { return };
    let vpcs: Vec<&str> = snap
        .target_groups()
        .iter()
        .map(|t| t.vpc_id.as_str())
        .collect();
    for vpc in net
        .vpcs
        .iter()
        .filter(|v| vpcs.is_empty() || vpcs.contains(&v.id.as_str()))
    {
        let _ = writeln!(
            out,
            "VPC {} {} {}",
            vpc.id,
            vpc.cidr,
            clean(vpc.name.as_deref().unwrap_or(""))
        );
        let mut azs: Vec<&str> = net
            .subnets
            .iter()
            .filter(|s| s.vpc_id == vpc.id)
            .map(|s| s.az.as_str())
            .collect();
        azs.sort_unstable();
        azs.dedup();
        for az in azs {
            let _ = write!(out, "  {az}:");
            for tier in [
                SubnetTier::Public,
                SubnetTier::Private,
                SubnetTier::Isolated,
            ] {
                for s in net
                    .subnets
                    .iter()
                    .filter(|s| s.vpc_id == vpc.id && s.az == az && s.tier == tier)
                {
                    let _ = write!(
                        out,
                        "  {} {} {} → {}",
                        tier.label(),
                        s.id,
                        s.cidr,
                        s.default_route.as_deref().unwrap_or("local")
                    );
                }
            }
            let _ = writeln!(out);
        }
    }
}

fn load_balancing(out: &mut String, snap: &Snapshot) {
    if !section_note(out, "Load balancers", &snap.load_balancers) {
        return;
    }
    for lb in snap.load_balancers() {
        let listeners: Vec<String> = lb
            .listeners
            .iter()
            .map(|l| format!("{}:{}", l.protocol, l.port))
            .collect();
        let zones: Vec<&str> = lb.zones.iter().map(|(az, _)| az.as_str()).collect();
        // An emulator may leave the scheme out: no empty slot for it.
        let about: Vec<&str> = [lb.scheme.as_str(), lb.state.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        let _ = writeln!(
            out,
            "ALB {} ({}) {} listeners {} zones {}",
            clean(&lb.name),
            about.join(", "),
            lb.dns_name,
            listeners.join(" "),
            zones.join(" ")
        );
    }
    for tg in snap.target_groups() {
        let hc = &tg.health_check;
        let _ = writeln!(
            out,
            "Target group {} {}:{} health {} {} every {}s, {}/{} · {} healthy, {} unhealthy, {} initial, {} draining",
            clean(&tg.name),
            tg.protocol,
            tg.port,
            hc.protocol,
            hc.path.as_deref().unwrap_or("-"),
            hc.interval_s,
            hc.healthy_threshold,
            hc.unhealthy_threshold,
            tg.count(crate::model::TargetHealth::Healthy),
            tg.count(crate::model::TargetHealth::Unhealthy),
            tg.count(crate::model::TargetHealth::Initial),
            tg.count(crate::model::TargetHealth::Draining),
        );
        for t in &tg.targets {
            let task = t.task_arn.as_deref().map_or("-", short_id);
            let _ = writeln!(
                out,
                "  {}:{} {} {} {} task {}",
                t.id,
                t.port,
                t.az.as_deref().unwrap_or("?"),
                t.health.label(),
                clean(t.reason.as_deref().unwrap_or("")),
                task
            );
        }
    }
}

fn services(out: &mut String, snap: &Snapshot) {
    if section_note(out, "Services", &snap.services) {
        for s in snap.services() {
            let range = s
                .autoscaling
                .map_or(String::new(), |(lo, hi)| format!(" autoscaling {lo}..{hi}"));
            let _ = writeln!(
                out,
                "Service {} desired {} running {} pending {}{}",
                clean(&s.name),
                s.desired,
                s.running,
                s.pending,
                range
            );
            for d in &s.deployments {
                let _ = writeln!(
                    out,
                    "  {} {} {}/{} running, {} pending, {} failed {}",
                    d.status,
                    short_id(&d.task_definition),
                    d.running,
                    d.desired,
                    d.pending,
                    d.failed,
                    d.rollout_state.as_deref().unwrap_or("")
                );
            }
            for e in s.events.iter().take(3) {
                let at =
                    e.at.map(|t| t.format("%H:%M:%S").to_string())
                        .unwrap_or_default();
                let _ = writeln!(out, "  {at} {}", clean(&e.message));
            }
        }
    }
}

fn tasks(out: &mut String, snap: &Snapshot) {
    if section_note(out, "Tasks", &snap.tasks) {
        let live = snap
            .tasks()
            .iter()
            .filter(|t| t.last_status != "STOPPED")
            .count();
        let _ = writeln!(
            out,
            "Tasks: {live} live, {} stopped",
            snap.tasks().len() - live
        );
        for t in snap.tasks() {
            let health = t
                .target_health()
                .map_or("-", crate::model::TargetHealth::label);
            let _ = writeln!(
                out,
                "  {} {} {} {} {} {} target {}{}",
                t.id,
                t.last_status,
                t.az.as_deref().unwrap_or("?"),
                t.private_ip.as_deref().unwrap_or("-"),
                t.instance_id.as_deref().unwrap_or("-"),
                t.revision(),
                health,
                t.stopped_reason
                    .as_deref()
                    .map(|r| format!(" stopped: {}", clean(r)))
                    .unwrap_or_default()
            );
        }
    }
}

fn hosts(out: &mut String, snap: &Snapshot) {
    if section_note(out, "Container instances", &snap.container_instances) {
        for ci in snap.container_instances() {
            let _ = writeln!(
                out,
                "Instance {} {} {} {} agent {} cpu {}/{} mem {}/{} tasks {}{}",
                ci.id,
                ci.ec2_instance_id.as_deref().unwrap_or("-"),
                ci.az.as_deref().unwrap_or("?"),
                ci.status,
                if ci.agent_connected {
                    "connected"
                } else {
                    "DISCONNECTED"
                },
                ci.registered_cpu - ci.remaining_cpu,
                ci.registered_cpu,
                ci.registered_memory - ci.remaining_memory,
                ci.registered_memory,
                ci.running_tasks,
                ci.asg_lifecycle_state
                    .as_deref()
                    .map(|s| format!(" {s}"))
                    .unwrap_or_default()
            );
        }
    }
    if section_note(out, "Auto Scaling", &snap.auto_scaling_groups) {
        for g in snap.auto_scaling_groups() {
            let cp = g
                .capacity_provider
                .as_deref()
                .map(|c| format!(" capacity provider {c}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "ASG {} min {} desired {} max {} instances {}{}",
                clean(&g.name),
                g.min,
                g.desired,
                g.max,
                g.instances.len(),
                cp
            );
        }
    }
}

/// The whole human summary.
#[must_use]
pub fn render(snap: &Snapshot, where_: &str) -> String {
    let mut out = String::new();
    if let Some(c) = &snap.cluster {
        let _ = writeln!(out, "Cluster {} ({}) at {where_}", clean(&c.name), c.status);
    }
    network(&mut out, snap);
    load_balancing(&mut out, snap);
    services(&mut out, snap);
    tasks(&mut out, snap);
    hosts(&mut out, snap);
    let by_service = snap.api_calls.iter().fold(
        std::collections::BTreeMap::<&str, u64>::new(),
        |mut m, c| {
            *m.entry(c.service.as_str()).or_default() += c.calls;
            m
        },
    );
    let parts: Vec<String> = by_service.iter().map(|(s, n)| format!("{s} {n}")).collect();
    let _ = writeln!(
        out,
        "API calls: {} ({})",
        snap.total_api_calls(),
        parts.join(", ")
    );
    out
}

#[cfg(test)]
mod tests {
    use crate::model::{Section, sample};

    #[test]
    fn summary_names_every_part_and_marks_unavailable_ones() {
        let mut snap = sample::seed();
        snap.auto_scaling_groups = Section::Unavailable(
            "AutoScaling DescribeAutoScalingGroups: not available at this endpoint".into(),
        );
        let text = super::render(&snap, "http://127.0.0.1:4566");
        for needle in [
            "VPC vpc-0navoy",
            "public subnet-pub-a",
            "private subnet-priv-b",
            "ALB navoy-alb",
            "Target group navoy-app",
            "Service navoy-app",
            "Instance ci0001",
            "Auto Scaling: unavailable",
        ] {
            assert!(text.contains(needle), "missing {needle} in\n{text}");
        }
    }
}
