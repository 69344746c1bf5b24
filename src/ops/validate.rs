//! Pre-checks of every operation over a snapshot: what is refused, what may be forced, what only warns.

mod capacity;

use serde::Serialize;

pub use capacity::{Fit, fit_elsewhere, room_for};

use super::plan::revision::rollback_target;
use super::{Operation, Refusal, resolve};
use crate::model::{AutoScalingGroup, Service, Snapshot};

/// How much a finding stops the operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Warning,
    /// Refused; `--force` lets it through when `forceable`.
    Blocking {
        forceable: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub message: String,
}

fn warn(message: String) -> Finding {
    Finding {
        severity: Severity::Warning,
        message,
    }
}

fn block(message: String) -> Finding {
    Finding {
        severity: Severity::Blocking { forceable: false },
        message,
    }
}

fn forceable(message: String) -> Finding {
    Finding {
        severity: Severity::Blocking { forceable: true },
        message,
    }
}

/// A docker image tag: 1..=128 of `[A-Za-z0-9_.-]`, not starting with `.` or `-`.
#[must_use]
pub fn is_valid_image_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag.len() <= 128
        && !tag.starts_with(['.', '-'])
        && tag
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// Every finding for `op` over `snap`.
///
/// # Errors
/// [`Refusal::NotFound`] when a name does not resolve.
pub fn check(snap: &Snapshot, op: &Operation) -> Result<Vec<Finding>, Refusal> {
    let mut out = Vec::new();
    match op {
        Operation::ScaleService { service, count } => {
            scale_service(snap, resolve::service(snap, service)?, *count, &mut out);
        }
        Operation::SetScalingRange { service, min, max } => {
            let svc = resolve::service(snap, service)?;
            if *min < 0 || max < min {
                out.push(block(format!(
                    "the range must be 0 ≤ min ≤ max (got {min}..{max})"
                )));
            }
            if svc.autoscaling.is_none() {
                out.push(warn(format!(
                    "{} has no scalable target: this registers one, and without a policy nothing moves desired within it",
                    svc.name
                )));
            }
        }
        Operation::SetAsgCapacity { asg, count } => {
            asg_capacity(snap, resolve::asg(snap, asg)?, *count, &mut out);
        }
        Operation::ForceRedeploy { service } => {
            rollout_in_progress(resolve::service(snap, service)?, &mut out);
        }
        Operation::Redeploy { service, image_tag } => {
            if !is_valid_image_tag(image_tag) {
                out.push(block(format!(
                    "'{image_tag}' is not an image tag (1-128 of letters, digits, _ . -, not starting with . or -)"
                )));
            }
            rollout_in_progress(resolve::service(snap, service)?, &mut out);
        }
        Operation::Rollback { service } => {
            let svc = resolve::service(snap, service)?;
            if let Err(Refusal::Invalid { reason }) = rollback_target(svc) {
                out.push(block(reason));
            }
            rollout_in_progress(svc, &mut out);
        }
        Operation::Drain { instance, release } => {
            capacity::drain(snap, resolve::instance(snap, instance)?, *release, &mut out);
        }
        Operation::Undrain { instance } => {
            let ci = resolve::instance(snap, instance)?;
            if ci.status != "DRAINING" {
                out.push(block(format!(
                    "{} is {}: only a DRAINING instance can be undrained",
                    ci.id, ci.status
                )));
            }
        }
        Operation::StopTask { task, reason } => {
            let t = resolve::task(snap, task)?;
            if t.last_status == "STOPPED" {
                out.push(block(format!("task {} is already STOPPED", t.id)));
            } else if t.desired_status == "STOPPED" {
                out.push(warn(format!("task {} is already stopping", t.id)));
            }
            if reason.trim().is_empty() || reason.len() > 255 {
                out.push(block("the stop reason must be 1 to 255 characters".into()));
            }
        }
    }
    Ok(out)
}

fn scale_service(snap: &Snapshot, svc: &Service, count: i32, out: &mut Vec<Finding>) {
    if count < 0 {
        out.push(block(format!(
            "the task count must be 0 or more (got {count})"
        )));
        return;
    }
    match svc.autoscaling {
        Some((min, max)) if count < min || count > max => out.push(forceable(format!(
            "{count} is outside the autoscaling range {min}..{max} of {}: target tracking will move it back into the range; change the range instead (scale --min MIN --max MAX)",
            svc.name
        ))),
        Some((min, max)) => out.push(warn(format!(
            "{} has target tracking (range {min}..{max}): it may move desired away from {count}",
            svc.name
        ))),
        None => {}
    }
    if count == svc.desired {
        out.push(warn(format!(
            "{} already has desired {count}: nothing changes",
            svc.name
        )));
    }
    let extra = count - svc.running;
    if extra > 0
        && let Some((cpu, mem, room)) = room_for(snap, svc)
        && room < extra
    {
        out.push(warn(format!(
            "room for {room} more task(s) of {cpu} CPU / {mem} MiB on the ACTIVE instances, {extra} needed: the rest stay PENDING until instances are added"
        )));
    }
}

fn asg_capacity(snap: &Snapshot, g: &AutoScalingGroup, count: i32, out: &mut Vec<Finding>) {
    if count < 0 {
        out.push(block(format!(
            "the capacity must be 0 or more (got {count})"
        )));
        return;
    }
    if count < g.min || count > g.max {
        out.push(block(format!(
            "{count} is outside ASG {}'s range: min {}, max {} (AWS refuses it; change the group's min/max first)",
            g.name, g.min, g.max
        )));
    }
    if let Some(cp) = g.capacity_provider.as_deref().and_then(|name| {
        snap.capacity_providers
            .ok()?
            .iter()
            .find(|cp| cp.name == name && cp.managed_scaling)
    }) {
        out.push(warn(format!(
            "capacity provider {} manages this group's desired capacity (target {}%): it will move it back to what the tasks need",
            cp.name,
            cp.target_capacity.unwrap_or(100)
        )));
    }
    if count == g.desired {
        out.push(warn(format!(
            "ASG {} already has desired {count}: nothing changes",
            g.name
        )));
    }
    if count < g.desired {
        let protected = g
            .instances
            .iter()
            .filter(|i| i.protected_from_scale_in)
            .count();
        let keep = usize::try_from(count).unwrap_or(0);
        if protected > keep {
            out.push(warn(format!(
                "{protected} instance(s) are protected from scale-in: the ASG will not terminate them; use drain --release to remove a specific instance"
            )));
        }
        out.push(warn(
            "scale-in terminates instances without draining them first; prefer drain --release"
                .into(),
        ));
    }
}

fn rollout_in_progress(svc: &Service, out: &mut Vec<Finding>) {
    if svc.deployments.len() > 1 {
        out.push(warn(format!(
            "{} already has {} deployments in progress: this one replaces them",
            svc.name,
            svc.deployments.len()
        )));
    }
}
