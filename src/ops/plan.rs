//! The operations and their plans: the exact API calls with parameters, the predicted effect, the warnings.

pub mod build;
mod call;
pub mod revision;

use std::fmt;

use serde::Serialize;

pub use build::build;
pub use call::{ApiCall, TaskDefinitionRef};

/// What an operator asked for, by the names they used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Operation {
    ScaleService {
        service: String,
        count: i32,
    },
    /// The service's Application Auto Scaling range (what target tracking may move it within).
    SetScalingRange {
        service: String,
        min: i32,
        max: i32,
    },
    SetAsgCapacity {
        asg: String,
        count: i32,
    },
    ForceRedeploy {
        service: String,
    },
    Redeploy {
        service: String,
        image_tag: String,
    },
    Rollback {
        service: String,
    },
    /// `instance` is a container instance id or ARN, or an EC2 instance id.
    Drain {
        instance: String,
        release: bool,
    },
    Undrain {
        instance: String,
    },
    StopTask {
        task: String,
        reason: String,
    },
}

impl Operation {
    /// The operation's name as the command line spells it (`scale`, `drain`, ...).
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Self::ScaleService { .. } => "scale",
            Self::SetScalingRange { .. } => "scale-range",
            Self::SetAsgCapacity { .. } => "asg set-capacity",
            Self::ForceRedeploy { .. } | Self::Redeploy { .. } => "redeploy",
            Self::Rollback { .. } => "rollback",
            Self::Drain { .. } => "drain",
            Self::Undrain { .. } => "undrain",
            Self::StopTask { .. } => "stop-task",
        }
    }

    /// One line naming the operation and its target, for messages and the audit.
    #[must_use]
    pub fn title(&self) -> String {
        match self {
            Self::ScaleService { service, count } => format!("scale service {service} to {count}"),
            Self::SetScalingRange { service, min, max } => {
                format!("set the autoscaling range of {service} to {min}..{max}")
            }
            Self::SetAsgCapacity { asg, count } => {
                format!("set ASG {asg} desired capacity to {count}")
            }
            Self::ForceRedeploy { service } => format!("force a new deployment of {service}"),
            Self::Redeploy { service, image_tag } => {
                format!("redeploy {service} with image tag {image_tag}")
            }
            Self::Rollback { service } => format!("roll back {service} to its previous revision"),
            Self::Drain { instance, release } if *release => {
                format!("drain instance {instance} and release it from its ASG")
            }
            Self::Drain { instance, .. } => format!("drain instance {instance}"),
            Self::Undrain { instance } => format!("undrain instance {instance}"),
            Self::StopTask { task, .. } => format!("stop task {task}"),
        }
    }
}

/// One step of a plan: a call, or a wait that must finish before the next call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    Call(ApiCall),
    /// Wait until the container instance runs no task (before releasing it from its ASG).
    AwaitDrained {
        container_instance: String,
    },
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Call(c) => c.fmt(f),
            Self::AwaitDrained { container_instance } => write!(
                f,
                "(wait until {} runs no task)",
                crate::model::short_id(container_instance)
            ),
        }
    }
}

/// What the operator must do to confirm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "confirm", content = "text", rename_all = "snake_case")]
pub enum Confirm {
    /// Answer yes.
    Yes,
    /// Type this exact text (the instance id, the new count).
    Type(String),
}

/// The state that means the operation has settled, for the watcher.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "goal", rename_all = "snake_case")]
pub enum Goal {
    /// Running = desired, no pending, one deployment, all the service's targets healthy.
    ServiceSteady {
        service: String,
        desired: i32,
    },
    /// The scalable target has this range and the desired count is inside it.
    ScalingRange {
        service: String,
        min: i32,
        max: i32,
    },
    /// The PRIMARY deployment (on `task_definition` when known) completed, old ones gone.
    Rollout {
        service: String,
        task_definition: Option<String>,
    },
    InstanceEmpty {
        container_instance: String,
    },
    InstanceActive {
        container_instance: String,
    },
    /// The EC2 instance has left the ASG (after a drain --release).
    InstanceReleased {
        asg: String,
        instance_id: String,
    },
    /// The group has `desired` `InService` instances, each registered as a container instance.
    AsgAt {
        asg: String,
        desired: i32,
    },
    TaskStopped {
        task: String,
        service: Option<String>,
    },
}

/// Everything an operation will do, for the confirmation, `--dry-run`, the executor and the audit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    pub operation: Operation,
    pub cluster: String,
    /// One line: what changes, before → after.
    pub summary: String,
    pub steps: Vec<Step>,
    /// Predicted effect, one line each.
    pub effects: Vec<String>,
    pub warnings: Vec<String>,
    pub confirm: Confirm,
    /// Keys of the resources this operation changes (for the in-flight guard).
    pub resources: Vec<String>,
    pub goal: Goal,
}

impl Plan {
    /// The API calls only, in order.
    pub fn calls(&self) -> impl Iterator<Item = &ApiCall> {
        self.steps.iter().filter_map(|s| match s {
            Step::Call(c) => Some(c),
            Step::AwaitDrained { .. } => None,
        })
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} (cluster {})", self.summary, self.cluster)?;
        writeln!(f, "API calls:")?;
        for (n, step) in self.steps.iter().enumerate() {
            writeln!(f, "  {}. {step}", n + 1)?;
        }
        if !self.effects.is_empty() {
            writeln!(f, "Effect:")?;
            for e in &self.effects {
                writeln!(f, "  {e}")?;
            }
        }
        for w in &self.warnings {
            writeln!(f, "warning: {w}")?;
        }
        Ok(())
    }
}

/// Resource keys for the in-flight guard.
#[must_use]
pub fn service_key(cluster: &str, service: &str) -> String {
    format!("service:{cluster}/{service}")
}
