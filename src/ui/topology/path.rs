//! The top of the topology: internet → ALB → target group → targets, the VPC, and per-AZ balance.

use std::collections::BTreeSet;

use ratatui::text::{Line, Span};

use crate::model::{Snapshot, TargetHealth, Task};
use crate::sanitize::clean;
use crate::theme::Theme;
use crate::ui::widgets::{health_symbol, short_az};

/// Every AZ the VPC, the load balancer or the instances use.
pub fn zones(snap: &Snapshot) -> Vec<String> {
    let mut azs: BTreeSet<String> = BTreeSet::new();
    if let Some(net) = snap.network() {
        let vpc = stack_vpc(snap);
        azs.extend(
            net.subnets
                .iter()
                .filter(|s| vpc.is_none_or(|v| s.vpc_id == v))
                .map(|s| s.az.clone()),
        );
    }
    for lb in snap.load_balancers() {
        azs.extend(lb.zones.iter().map(|(az, _)| az.clone()));
    }
    azs.extend(
        snap.container_instances()
            .iter()
            .filter_map(|c| c.az.clone()),
    );
    azs.into_iter().collect()
}

/// The VPC the stack lives in: the load balancer's, else the instances', else the only
/// non-default one (accounts and emulators also have a default VPC with a subnet per AZ).
#[must_use]
pub fn stack_vpc(snap: &Snapshot) -> Option<&str> {
    if let Some(lb) = snap.load_balancers().first() {
        return Some(&lb.vpc_id);
    }
    let net = snap.network()?;
    let from_instances = snap
        .container_instances()
        .iter()
        .filter_map(|c| net.subnet(c.subnet_id.as_deref()?))
        .map(|s| s.vpc_id.as_str())
        .next();
    from_instances.or_else(|| {
        let mut own = net.vpcs.iter().filter(|v| !v.is_default);
        match (own.next(), own.next()) {
            (Some(v), None) => Some(v.id.as_str()),
            _ => None,
        }
    })
}

fn counts_spans(healths: &[TargetHealth], narrow: bool, theme: &Theme) -> Vec<Span<'static>> {
    let mut out = Vec::new();
    for h in [
        TargetHealth::Healthy,
        TargetHealth::Initial,
        TargetHealth::Draining,
        TargetHealth::Unhealthy,
        TargetHealth::Unavailable,
        TargetHealth::Unused,
        TargetHealth::Unknown,
    ] {
        let n = healths.iter().filter(|&&x| x == h).count();
        if n > 0 {
            let text = if narrow {
                format!("{}{n} ", health_symbol(h))
            } else {
                format!("{} {n} {}  ", health_symbol(h), h.label())
            };
            out.push(Span::styled(text, theme.health(h)));
        }
    }
    if out.is_empty() {
        out.push(Span::styled("no targets", theme.muted));
    }
    out
}

pub fn path_lines(snap: &Snapshot, narrow: bool, theme: &Theme) -> Vec<Line<'static>> {
    let arrow = || Span::styled(" ─▶ ", theme.muted);
    let mut l1 = vec![Span::styled("internet", theme.accent), arrow()];
    match snap.load_balancers().first() {
        Some(lb) => {
            let ports: Vec<String> = lb
                .listeners
                .iter()
                .map(|l| format!(":{} {}", l.port, l.protocol))
                .collect();
            let st = if lb.state == "active" {
                theme.ok
            } else {
                theme.warn
            };
            l1.push(Span::styled(
                format!("ALB {} ", clean(&lb.name)),
                theme.text,
            ));
            l1.push(Span::styled(
                format!("{} {}", ports.join(" "), lb.state),
                st,
            ));
        }
        None => l1.push(Span::styled(
            snap.load_balancers
                .unavailable_reason()
                .map_or("no load balancer".into(), |r| {
                    format!("ALB unavailable: {}", clean(r))
                }),
            theme.warn,
        )),
    }
    for tg in snap.target_groups() {
        l1.push(arrow());
        l1.push(Span::styled(format!("TG {} ", clean(&tg.name)), theme.text));
        let hs: Vec<TargetHealth> = tg.targets.iter().map(|t| t.health).collect();
        l1.extend(counts_spans(&hs, narrow, theme));
        if narrow {
            let healthy = tg.count(TargetHealth::Healthy);
            let st = if healthy == tg.targets.len() {
                theme.ok
            } else {
                theme.warn
            };
            l1.push(Span::styled(
                format!("({healthy}/{} healthy)", tg.targets.len()),
                st,
            ));
        }
    }
    let mut l2 = Vec::new();
    if let Some(net) = snap.network() {
        let id = stack_vpc(snap);
        if let Some(vpc) = net.vpcs.iter().find(|v| id.is_none_or(|id| v.id == id)) {
            l2.push(Span::styled(
                format!(
                    "VPC {}{} {}",
                    vpc.name
                        .as_deref()
                        .map_or(String::new(), |n| format!("{} ", clean(n))),
                    vpc.id,
                    vpc.cidr
                ),
                theme.accent,
            ));
        }
        for igw in net
            .internet_gateways
            .iter()
            .filter(|g| id.is_none_or(|id| g.vpc_ids.iter().any(|v| v == id)))
        {
            l2.push(Span::styled(format!(" · {}", igw.id), theme.muted));
        }
    } else if let Some(r) = snap.network.unavailable_reason() {
        l2.push(Span::styled(
            format!("network unavailable: {}", clean(r)),
            theme.warn,
        ));
    }
    vec![Line::from(l1), Line::from(l2), balance_line(snap, theme)]
}

/// Running tasks and healthy targets per AZ, with a warning when one AZ carries the service.
fn balance_line(snap: &Snapshot, theme: &Theme) -> Line<'static> {
    let azs = zones(snap);
    let mut spans = vec![Span::styled("per AZ: ", theme.muted)];
    let mut stats = Vec::new();
    for az in &azs {
        let running = live_tasks(snap)
            .filter(|t| t.az.as_deref() == Some(az))
            .count();
        // Through the tasks: a target registered by an IP outside every subnet still has an AZ.
        let targets: Vec<TargetHealth> = live_tasks(snap)
            .filter(|t| t.az.as_deref() == Some(az))
            .filter_map(Task::target_health)
            .collect();
        let healthy = targets
            .iter()
            .filter(|h| **h == TargetHealth::Healthy)
            .count();
        stats.push((az.clone(), running, healthy, targets.len()));
        let st = if targets.is_empty() || healthy == targets.len() {
            theme.ok
        } else if healthy == 0 {
            theme.danger
        } else {
            theme.warn
        };
        spans.push(Span::styled(
            format!(
                "{} {running} task{} {healthy}/{} ok  ",
                short_az(az),
                if running == 1 { "" } else { "s" },
                targets.len()
            ),
            st,
        ));
    }
    let total_healthy: usize = stats.iter().map(|s| s.2).sum();
    let most_tasks = stats.iter().map(|s| s.1).max().unwrap_or(0);
    let least_tasks = stats.iter().map(|s| s.1).min().unwrap_or(0);
    if stats.len() > 1 && total_healthy > 0 && stats.iter().filter(|s| s.2 > 0).count() == 1 {
        let only = stats
            .iter()
            .find(|s| s.2 > 0)
            .map(|s| short_az(&s.0))
            .unwrap_or_default();
        spans.push(Span::styled(
            format!("⚠ healthy only in {only}"),
            theme.danger,
        ));
    } else if stats.len() > 1 && total_healthy == 0 && stats.iter().any(|s| s.3 > 0) {
        spans.push(Span::styled("⚠ no healthy targets in any AZ", theme.danger));
    } else if most_tasks > least_tasks + 1 {
        spans.push(Span::styled("⚠ AZ imbalance", theme.warn));
    }
    Line::from(spans)
}

pub fn live_tasks(snap: &Snapshot) -> impl Iterator<Item = &Task> {
    snap.tasks().iter().filter(|t| t.last_status != "STOPPED")
}
