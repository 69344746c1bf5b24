//! An operation as given on the command line, before defaults (the only service, the only ASG) are filled in.

use crate::cli::{AsgCommand, Command, RunArgs};
use crate::model::Snapshot;
use crate::ops::{Operation, Refusal, resolve};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spec {
    Scale {
        service: Option<String>,
        count: i32,
    },
    ScaleRange {
        service: Option<String>,
        min: i32,
        max: i32,
    },
    AsgCapacity {
        asg: Option<String>,
        count: i32,
    },
    Redeploy {
        service: Option<String>,
        image: Option<String>,
        rollback: bool,
    },
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

/// Shown in audit records of operations refused before the default could be looked up.
const DEFAULT: &str = "(default)";

impl Spec {
    /// The operation subcommand's spec and switches, or `None` for other commands.
    #[must_use]
    pub fn from_command(cmd: &Command) -> Option<(Self, RunArgs)> {
        Some(match cmd {
            Command::Scale(a) => (
                match (a.count, a.min, a.max) {
                    (Some(count), _, _) => Self::Scale {
                        service: a.service.clone(),
                        count,
                    },
                    (None, min, max) => Self::ScaleRange {
                        service: a.service.clone(),
                        min: min.unwrap_or_default(),
                        max: max.unwrap_or_default(),
                    },
                },
                a.run.clone(),
            ),
            Command::Asg {
                command: AsgCommand::SetCapacity { count, asg, run },
            } => (
                Self::AsgCapacity {
                    asg: asg.clone(),
                    count: *count,
                },
                run.clone(),
            ),
            Command::Redeploy(a) => (
                Self::Redeploy {
                    service: a.service.clone(),
                    image: a.image.clone(),
                    rollback: a.rollback,
                },
                a.run.clone(),
            ),
            Command::Drain(a) => (
                Self::Drain {
                    instance: a.instance.clone(),
                    release: a.release,
                },
                a.run.clone(),
            ),
            Command::Undrain(a) => (
                Self::Undrain {
                    instance: a.instance.clone(),
                },
                a.run.clone(),
            ),
            Command::StopTask(a) => (
                Self::StopTask {
                    task: a.task.clone(),
                    reason: a.reason.clone(),
                },
                a.run.clone(),
            ),
            _ => return None,
        })
    }

    fn with(&self, service: String, asg: String) -> Operation {
        match self {
            Self::Scale { count, .. } => Operation::ScaleService {
                service,
                count: *count,
            },
            Self::ScaleRange { min, max, .. } => Operation::SetScalingRange {
                service,
                min: *min,
                max: *max,
            },
            Self::AsgCapacity { count, .. } => Operation::SetAsgCapacity { asg, count: *count },
            Self::Redeploy {
                image: Some(tag), ..
            } => Operation::Redeploy {
                service,
                image_tag: tag.clone(),
            },
            Self::Redeploy { rollback: true, .. } => Operation::Rollback { service },
            Self::Redeploy { .. } => Operation::ForceRedeploy { service },
            Self::Drain { instance, release } => Operation::Drain {
                instance: instance.clone(),
                release: *release,
            },
            Self::Undrain { instance } => Operation::Undrain {
                instance: instance.clone(),
            },
            Self::StopTask { task, reason } => Operation::StopTask {
                task: task.clone(),
                reason: reason.clone(),
            },
        }
    }

    fn service(&self) -> Option<&Option<String>> {
        match self {
            Self::Scale { service, .. }
            | Self::ScaleRange { service, .. }
            | Self::Redeploy { service, .. } => Some(service),
            _ => None,
        }
    }

    /// The operation with the names as given, defaults shown as `(default)` (for refusals).
    #[must_use]
    pub fn provisional(&self) -> Operation {
        let service = self
            .service()
            .and_then(Clone::clone)
            .unwrap_or_else(|| DEFAULT.into());
        let asg = match self {
            Self::AsgCapacity { asg: Some(a), .. } => a.clone(),
            _ => DEFAULT.into(),
        };
        self.with(service, asg)
    }

    /// The operation with every default looked up in `snap`.
    ///
    /// # Errors
    /// [`Refusal::NotFound`] listing the candidates when a default is missing or ambiguous.
    pub fn resolve(&self, snap: &Snapshot) -> Result<Operation, Refusal> {
        let service = match self.service() {
            Some(Some(s)) => s.clone(),
            Some(None) => resolve::only_service(snap)?.name.clone(),
            None => String::new(),
        };
        let asg = match self {
            Self::AsgCapacity { asg: Some(a), .. } => a.clone(),
            Self::AsgCapacity { asg: None, .. } => resolve::only_asg(snap)?.name.clone(),
            _ => String::new(),
        };
        Ok(self.with(service, asg))
    }
}
