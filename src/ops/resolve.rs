//! Finds the resource an operator named (by name, id, ARN or EC2 id), or lists the candidates.

use super::Refusal;
use crate::model::{AutoScalingGroup, ContainerInstance, Service, Snapshot, Task, short_id};

fn not_found(kind: &'static str, wanted: &str, candidates: Vec<String>) -> Refusal {
    Refusal::NotFound {
        kind,
        wanted: wanted.to_owned(),
        candidates,
    }
}

/// The service named `wanted` (name or ARN).
///
/// # Errors
/// [`Refusal::NotFound`] listing the cluster's services.
pub fn service<'a>(snap: &'a Snapshot, wanted: &str) -> Result<&'a Service, Refusal> {
    let name = short_id(wanted);
    snap.services()
        .iter()
        .find(|s| s.name == name || s.arn == wanted)
        .ok_or_else(|| {
            not_found(
                "service",
                wanted,
                snap.services().iter().map(|s| s.name.clone()).collect(),
            )
        })
}

/// The only service of the cluster, for `--service` left out.
///
/// # Errors
/// [`Refusal::NotFound`] with the candidates when there are none or several.
pub fn only_service(snap: &Snapshot) -> Result<&Service, Refusal> {
    match snap.services() {
        [only] => Ok(only),
        many => Err(not_found(
            "service",
            "",
            many.iter().map(|s| s.name.clone()).collect(),
        )),
    }
}

/// How a container instance is shown in candidate lists: `ci-id (i-ec2id, STATUS)`.
#[must_use]
pub fn instance_label(ci: &ContainerInstance) -> String {
    match &ci.ec2_instance_id {
        Some(ec2) => format!("{} ({ec2}, {})", ci.id, ci.status),
        None => format!("{} ({})", ci.id, ci.status),
    }
}

/// The container instance named by its id, its ARN, or its EC2 instance id.
///
/// # Errors
/// [`Refusal::NotFound`] listing the cluster's container instances.
pub fn instance<'a>(snap: &'a Snapshot, wanted: &str) -> Result<&'a ContainerInstance, Refusal> {
    snap.container_instances()
        .iter()
        .find(|c| c.id == wanted || c.arn == wanted || c.ec2_instance_id.as_deref() == Some(wanted))
        .ok_or_else(|| {
            not_found(
                "container instance",
                wanted,
                snap.container_instances()
                    .iter()
                    .map(instance_label)
                    .collect(),
            )
        })
}

/// The task named by its id or ARN.
///
/// # Errors
/// [`Refusal::NotFound`] listing the tasks that are not stopped.
pub fn task<'a>(snap: &'a Snapshot, wanted: &str) -> Result<&'a Task, Refusal> {
    snap.tasks()
        .iter()
        .find(|t| t.id == wanted || t.arn == wanted)
        .ok_or_else(|| {
            not_found(
                "task",
                wanted,
                snap.tasks()
                    .iter()
                    .filter(|t| t.last_status != "STOPPED")
                    .map(|t| t.id.clone())
                    .collect(),
            )
        })
}

/// The Auto Scaling group named `wanted` (name or ARN).
///
/// # Errors
/// [`Refusal::NotFound`] listing the cluster's groups.
pub fn asg<'a>(snap: &'a Snapshot, wanted: &str) -> Result<&'a AutoScalingGroup, Refusal> {
    snap.auto_scaling_groups()
        .iter()
        .find(|g| g.name == wanted || g.arn == wanted)
        .ok_or_else(|| {
            not_found(
                "Auto Scaling group",
                wanted,
                snap.auto_scaling_groups()
                    .iter()
                    .map(|g| g.name.clone())
                    .collect(),
            )
        })
}

/// The only Auto Scaling group behind the cluster, for `--asg` left out.
///
/// # Errors
/// [`Refusal::NotFound`] with the candidates when there are none or several.
pub fn only_asg(snap: &Snapshot) -> Result<&AutoScalingGroup, Refusal> {
    match snap.auto_scaling_groups() {
        [only] => Ok(only),
        many => Err(not_found(
            "Auto Scaling group",
            "",
            many.iter().map(|g| g.name.clone()).collect(),
        )),
    }
}

/// The Auto Scaling group an EC2 instance belongs to.
#[must_use]
pub fn asg_of<'a>(snap: &'a Snapshot, ec2_id: &str) -> Option<&'a AutoScalingGroup> {
    snap.auto_scaling_groups()
        .iter()
        .find(|g| g.instances.iter().any(|i| i.instance_id == ec2_id))
}

/// Tasks that hold resources on the container instance (not stopped, not stopping).
#[must_use]
pub fn tasks_on<'a>(snap: &'a Snapshot, ci: &ContainerInstance) -> Vec<&'a Task> {
    snap.tasks()
        .iter()
        .filter(|t| {
            t.container_instance_arn.as_deref() == Some(ci.arn.as_str())
                && t.last_status != "STOPPED"
                && t.desired_status != "STOPPED"
        })
        .collect()
}
