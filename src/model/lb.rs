//! Load balancing: ALBs, listeners, target groups, and each target's health.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoadBalancer {
    pub arn: String,
    pub name: String,
    pub scheme: String,
    pub kind: String,
    pub dns_name: String,
    pub state: String,
    pub vpc_id: String,
    /// (AZ, subnet id) pairs the load balancer has a node in.
    pub zones: Vec<(String, String)>,
    pub security_groups: Vec<String>,
    pub listeners: Vec<Listener>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Listener {
    pub arn: String,
    pub port: i32,
    pub protocol: String,
    pub target_group_arns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HealthCheck {
    pub protocol: String,
    pub path: Option<String>,
    pub port: String,
    pub interval_s: i32,
    pub timeout_s: i32,
    pub healthy_threshold: i32,
    pub unhealthy_threshold: i32,
    pub matcher: Option<String>,
}

/// AWS's target health states, plus `Unknown` for anything newer than this build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetHealth {
    Healthy,
    Initial,
    Draining,
    Unused,
    Unavailable,
    Unhealthy,
    Unknown,
}

impl TargetHealth {
    #[must_use]
    pub fn parse(s: &str) -> Self {
        match s {
            "healthy" => Self::Healthy,
            "initial" => Self::Initial,
            "draining" => Self::Draining,
            "unused" => Self::Unused,
            "unavailable" => Self::Unavailable,
            "unhealthy" => Self::Unhealthy,
            _ => Self::Unknown,
        }
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Healthy => "healthy",
            Self::Initial => "initial",
            Self::Draining => "draining",
            Self::Unused => "unused",
            Self::Unavailable => "unavailable",
            Self::Unhealthy => "unhealthy",
            Self::Unknown => "unknown",
        }
    }

    /// Whether this state means traffic is not (or no longer) being served well.
    #[must_use]
    pub fn is_bad(self) -> bool {
        matches!(self, Self::Unhealthy | Self::Unavailable | Self::Unknown)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Target {
    /// An IP (target type `ip`) or an EC2 instance id (target type `instance`).
    pub id: String,
    pub port: i32,
    pub az: Option<String>,
    pub health: TargetHealth,
    pub reason: Option<String>,
    pub description: Option<String>,
    /// Filled by the joins: the task behind this target.
    pub task_arn: Option<String>,
    /// Filled by the joins: the EC2 instance behind this target.
    pub instance_id: Option<String>,
    /// Filled by the joins: the subnet the target lives in.
    pub subnet_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TargetGroup {
    pub arn: String,
    pub name: String,
    pub protocol: String,
    pub port: i32,
    pub target_type: String,
    pub vpc_id: String,
    pub load_balancer_arns: Vec<String>,
    pub health_check: HealthCheck,
    pub deregistration_delay_s: Option<i32>,
    pub targets: Vec<Target>,
}

impl TargetGroup {
    #[must_use]
    pub fn count(&self, health: TargetHealth) -> usize {
        self.targets.iter().filter(|t| t.health == health).count()
    }
}
