//! Judges one snapshot against an operation's goal: settled, failed, or still waiting and why.

use std::fmt::Write;

use chrono::{DateTime, Utc};

use super::{Phase, is_recent};
use crate::model::{Service, Snapshot, TargetHealth, short_id};
use crate::ops::Goal;

/// The verdict on one snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub phase: Phase,
    pub lines: Vec<String>,
    pub reasons: Vec<String>,
}

fn verdict(settled: bool, lines: Vec<String>, reasons: Vec<String>) -> Assessment {
    Assessment {
        phase: if settled {
            Phase::Settled
        } else {
            Phase::Waiting
        },
        lines,
        reasons: if settled { Vec::new() } else { reasons },
    }
}

fn failed(lines: Vec<String>, reason: String) -> Assessment {
    Assessment {
        phase: Phase::Failed,
        lines,
        reasons: vec![reason],
    }
}

/// Counts of the service's targets by health: (healthy, initial, unhealthy or worse, draining).
fn target_counts(snap: &Snapshot, svc: &Service) -> (usize, usize, usize, usize) {
    let mut c = (0, 0, 0, 0);
    for tg in snap.target_groups().iter().filter(|tg| {
        svc.load_balancers
            .iter()
            .any(|l| l.target_group_arn.as_deref() == Some(tg.arn.as_str()))
    }) {
        for t in &tg.targets {
            match t.health {
                TargetHealth::Healthy => c.0 += 1,
                TargetHealth::Initial => c.1 += 1,
                TargetHealth::Draining | TargetHealth::Unused => c.3 += 1,
                _ => c.2 += 1,
            }
        }
    }
    c
}

fn service_line(snap: &Snapshot, svc: &Service) -> String {
    let (healthy, initial, bad, draining) = target_counts(snap, svc);
    let mut line = format!(
        "{}: running {}/{}, pending {}, {} deployment(s)",
        svc.name,
        svc.running,
        svc.desired,
        svc.pending,
        svc.deployments.len()
    );
    if !svc.load_balancers.is_empty() {
        let _ = write!(
            line,
            "; targets {healthy} healthy, {initial} initial, {bad} unhealthy, {draining} draining"
        );
    }
    line
}

/// Placement failures and other service events, unhealthy targets, and stop reasons since `since`.
fn service_reasons(snap: &Snapshot, svc: &Service, since: DateTime<Utc>) -> Vec<String> {
    let mut out: Vec<String> = svc
        .events
        .iter()
        .filter(|e| is_recent(e.at, since) && !e.message.contains("has reached a steady state"))
        .take(3)
        .map(|e| format!("event: {}", e.message))
        .collect();
    for tg in snap.target_groups() {
        if !svc
            .load_balancers
            .iter()
            .any(|l| l.target_group_arn.as_deref() == Some(tg.arn.as_str()))
        {
            continue;
        }
        for t in tg.targets.iter().filter(|t| t.health.is_bad()) {
            out.push(format!(
                "target {}:{} {}: {}",
                t.id,
                t.port,
                t.health.label(),
                t.description
                    .as_deref()
                    .or(t.reason.as_deref())
                    .unwrap_or("no reason given")
            ));
        }
    }
    for t in snap.tasks().iter().filter(|t| {
        t.service.as_deref() == Some(svc.name.as_str())
            && t.last_status == "STOPPED"
            && is_recent(t.stopped_at, since)
    }) {
        let container = t.containers.iter().find_map(|c| {
            c.reason
                .clone()
                .or_else(|| c.exit_code.map(|x| format!("exit code {x}")))
        });
        out.push(format!(
            "task {} ({}) stopped: {}{}",
            t.id,
            t.revision(),
            t.stopped_reason.as_deref().unwrap_or("no reason given"),
            container.map(|c| format!(" ({c})")).unwrap_or_default()
        ));
    }
    out
}

fn steady(snap: &Snapshot, svc: &Service, desired: i32) -> bool {
    let (healthy, initial, bad, _) = target_counts(snap, svc);
    let targets_ok = svc.load_balancers.is_empty()
        || (initial == 0 && bad == 0 && i32::try_from(healthy).unwrap_or(i32::MAX) >= desired);
    svc.desired == desired
        && svc.running == desired
        && svc.pending == 0
        && svc.deployments.len() <= 1
        && targets_ok
}

fn find_service<'a>(snap: &'a Snapshot, name: &str) -> Option<&'a Service> {
    snap.services().iter().find(|s| s.name == name)
}

/// Judges `snap` against `goal`; `since` is when the operation was applied.
#[must_use]
#[expect(
    clippy::too_many_lines,
    reason = "one arm per goal reads best side by side"
)]
pub fn assess(goal: &Goal, snap: &Snapshot, since: DateTime<Utc>) -> Assessment {
    match goal {
        Goal::ServiceSteady { service, desired } => {
            let Some(svc) = find_service(snap, service) else {
                return failed(Vec::new(), format!("service {service} is gone"));
            };
            let lines = vec![service_line(snap, svc)];
            if svc.desired != *desired {
                let why = format!(
                    "desired is now {} instead of {desired}: changed by autoscaling or someone else",
                    svc.desired
                );
                return verdict(false, lines, vec![why]);
            }
            verdict(
                steady(snap, svc, *desired),
                lines,
                service_reasons(snap, svc, since),
            )
        }
        Goal::ScalingRange { service, min, max } => {
            let Some(svc) = find_service(snap, service) else {
                return failed(Vec::new(), format!("service {service} is gone"));
            };
            let suffix = format!("/{service}");
            let range = snap.scalable_targets.ok().and_then(|v| {
                v.iter()
                    .find(|t| t.resource_id.ends_with(&suffix))
                    .map(|t| (t.min, t.max))
            });
            let shown = range.map_or_else(|| "none".to_owned(), |(lo, hi)| format!("{lo}..{hi}"));
            let lines = vec![
                format!("{service}: autoscaling range {shown}"),
                service_line(snap, svc),
            ];
            let inside = (*min..=*max).contains(&svc.desired);
            let mut reasons = if inside {
                vec![format!("the range is {shown}")]
            } else {
                vec![format!(
                    "desired {} is not yet inside {min}..{max}",
                    svc.desired
                )]
            };
            reasons.extend(service_reasons(snap, svc, since));
            let settled = range == Some((*min, *max)) && inside && steady(snap, svc, svc.desired);
            verdict(settled, lines, reasons)
        }
        Goal::Rollout {
            service,
            task_definition,
        } => {
            let Some(svc) = find_service(snap, service) else {
                return failed(Vec::new(), format!("service {service} is gone"));
            };
            let mut lines = vec![service_line(snap, svc)];
            for d in &svc.deployments {
                lines.push(format!(
                    "  {} {}: running {}/{}, pending {}, failed {}{}",
                    d.status,
                    short_id(&d.task_definition),
                    d.running,
                    d.desired,
                    d.pending,
                    d.failed,
                    d.rollout_state
                        .as_deref()
                        .map(|s| format!(", {s}"))
                        .unwrap_or_default()
                ));
            }
            let Some(primary) = svc.primary() else {
                return verdict(false, lines, vec!["no PRIMARY deployment yet".into()]);
            };
            if primary.rollout_state.as_deref() == Some("FAILED") {
                let why = primary
                    .rollout_reason
                    .clone()
                    .unwrap_or_else(|| "the rollout failed".into());
                return failed(lines, why);
            }
            if let Some(want) = task_definition
                && short_id(&primary.task_definition) != short_id(want)
            {
                return failed(
                    lines,
                    format!(
                        "the service now deploys {} instead of {}: rolled back (circuit breaker) or replaced",
                        short_id(&primary.task_definition),
                        short_id(want)
                    ),
                );
            }
            let completed = primary
                .rollout_state
                .as_deref()
                .is_none_or(|s| s == "COMPLETED");
            let done = completed && steady(snap, svc, svc.desired);
            verdict(done, lines, service_reasons(snap, svc, since))
        }
        Goal::InstanceEmpty { container_instance }
        | Goal::InstanceActive { container_instance } => {
            let Some(ci) = snap
                .container_instances()
                .iter()
                .find(|c| c.arn == *container_instance)
            else {
                return failed(
                    Vec::new(),
                    format!("{} is no longer registered", short_id(container_instance)),
                );
            };
            let left = ci.running_tasks + ci.pending_tasks;
            let mut lines = vec![format!("{} {}: {left} task(s) on it", ci.id, ci.status)];
            lines.extend(snap.services().iter().map(|s| service_line(snap, s)));
            if matches!(goal, Goal::InstanceActive { .. }) {
                return verdict(
                    ci.status == "ACTIVE",
                    lines,
                    vec![format!("{} is {}", ci.id, ci.status)],
                );
            }
            if ci.status == "ACTIVE" {
                return failed(lines, format!("{} was set back to ACTIVE", ci.id));
            }
            let reasons = snap
                .services()
                .iter()
                .flat_map(|s| service_reasons(snap, s, since))
                .collect();
            verdict(left == 0, lines, reasons)
        }
        Goal::InstanceReleased { asg, instance_id } => {
            let member = snap
                .auto_scaling_groups()
                .iter()
                .find(|g| g.name == *asg)
                .and_then(|g| g.instances.iter().find(|i| i.instance_id == *instance_id));
            let registered = snap.container_instances().iter().find(|c| {
                c.ec2_instance_id.as_deref() == Some(instance_id.as_str()) && c.status != "INACTIVE"
            });
            let lines = vec![format!(
                "{instance_id}: {} in ASG {asg}; container instance {}",
                member.map_or("gone", |m| m.lifecycle_state.as_str()),
                registered.map_or("deregistered", |c| c.status.as_str())
            )];
            verdict(member.is_none() && registered.is_none(), lines, Vec::new())
        }
        Goal::AsgAt { asg, desired } => {
            let Some(g) = snap.auto_scaling_groups().iter().find(|g| g.name == *asg) else {
                return failed(Vec::new(), format!("ASG {asg} is gone"));
            };
            let in_service: Vec<&str> = g
                .instances
                .iter()
                .filter(|i| i.lifecycle_state == "InService")
                .map(|i| i.instance_id.as_str())
                .collect();
            let registered = snap
                .container_instances()
                .iter()
                .filter(|c| {
                    c.status == "ACTIVE"
                        && c.ec2_instance_id
                            .as_deref()
                            .is_some_and(|id| in_service.contains(&id))
                })
                .count();
            let others = g.instances.len() - in_service.len();
            let lines = vec![format!(
                "ASG {asg}: desired {}, {} InService ({registered} registered in the cluster), {others} launching or terminating",
                g.desired,
                in_service.len()
            )];
            let mut reasons = Vec::new();
            if g.desired != *desired {
                reasons.push(format!(
                    "desired is now {} instead of {desired}: the capacity provider's managed scaling or a policy changed it",
                    g.desired
                ));
            }
            let want = usize::try_from(*desired).unwrap_or(0);
            let protected = g
                .instances
                .iter()
                .filter(|i| i.protected_from_scale_in)
                .count();
            if in_service.len() > want && protected > want {
                reasons.push(format!(
                    "{protected} instance(s) are protected from scale-in: the ASG cannot terminate them"
                ));
            }
            let settled = g.desired == *desired
                && in_service.len() == want
                && others == 0
                && registered == want;
            verdict(settled, lines, reasons)
        }
        Goal::TaskStopped { task, service } => {
            let t = snap.tasks().iter().find(|t| t.arn == *task);
            let status = t.map_or("STOPPED (gone)", |t| t.last_status.as_str());
            let mut lines = vec![format!("task {}: {status}", short_id(task))];
            let svc = service.as_deref().and_then(|s| find_service(snap, s));
            if let Some(svc) = svc {
                lines.push(service_line(snap, svc));
            }
            let stopped = t.is_none_or(|t| t.last_status == "STOPPED");
            let replaced = svc.is_none_or(|s| steady(snap, s, s.desired));
            let reasons = svc
                .map(|s| service_reasons(snap, s, since))
                .unwrap_or_default();
            verdict(stopped && replaced, lines, reasons)
        }
    }
}
