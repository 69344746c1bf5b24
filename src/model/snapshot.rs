//! One consistent picture of the estate, section by section, each either loaded or unavailable.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{
    AutoScalingGroup, CapacityProvider, Cluster, ContainerInstance, Ec2Instance, LoadBalancer,
    Network, ScalableTarget, Service, TargetGroup, Task,
};

/// A part of the snapshot that either loaded or could not be read, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", content = "value", rename_all = "snake_case")]
pub enum Section<T> {
    Ok(T),
    Unavailable(String),
}

impl<T> Section<T> {
    #[must_use]
    pub fn ok(&self) -> Option<&T> {
        match self {
            Self::Ok(v) => Some(v),
            Self::Unavailable(_) => None,
        }
    }

    pub fn ok_mut(&mut self) -> Option<&mut T> {
        match self {
            Self::Ok(v) => Some(v),
            Self::Unavailable(_) => None,
        }
    }

    #[must_use]
    pub fn unavailable_reason(&self) -> Option<&str> {
        match self {
            Self::Ok(_) => None,
            Self::Unavailable(r) => Some(r),
        }
    }
}

impl<T: Default> Default for Section<T> {
    fn default() -> Self {
        Self::Ok(T::default())
    }
}

impl<T, E: std::fmt::Display> From<Result<T, E>> for Section<T> {
    fn from(r: Result<T, E>) -> Self {
        match r {
            Ok(v) => Self::Ok(v),
            Err(e) => Self::Unavailable(e.to_string()),
        }
    }
}

/// How many requests one service/operation took (attempts include retries).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiCallCount {
    pub service: String,
    pub operation: String,
    pub calls: u64,
    pub attempts: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Snapshot {
    pub taken_at: Option<DateTime<Utc>>,
    pub cluster: Option<Cluster>,
    pub network: Section<Network>,
    pub load_balancers: Section<Vec<LoadBalancer>>,
    pub target_groups: Section<Vec<TargetGroup>>,
    pub services: Section<Vec<Service>>,
    pub tasks: Section<Vec<Task>>,
    pub container_instances: Section<Vec<ContainerInstance>>,
    pub capacity_providers: Section<Vec<CapacityProvider>>,
    pub ec2_instances: Section<Vec<Ec2Instance>>,
    pub auto_scaling_groups: Section<Vec<AutoScalingGroup>>,
    pub scalable_targets: Section<Vec<ScalableTarget>>,
    pub api_calls: Vec<ApiCallCount>,
}

impl Snapshot {
    #[must_use]
    pub fn services(&self) -> &[Service] {
        self.services.ok().map_or(&[], Vec::as_slice)
    }

    #[must_use]
    pub fn tasks(&self) -> &[Task] {
        self.tasks.ok().map_or(&[], Vec::as_slice)
    }

    #[must_use]
    pub fn container_instances(&self) -> &[ContainerInstance] {
        self.container_instances.ok().map_or(&[], Vec::as_slice)
    }

    #[must_use]
    pub fn target_groups(&self) -> &[TargetGroup] {
        self.target_groups.ok().map_or(&[], Vec::as_slice)
    }

    #[must_use]
    pub fn load_balancers(&self) -> &[LoadBalancer] {
        self.load_balancers.ok().map_or(&[], Vec::as_slice)
    }

    #[must_use]
    pub fn auto_scaling_groups(&self) -> &[AutoScalingGroup] {
        self.auto_scaling_groups.ok().map_or(&[], Vec::as_slice)
    }

    #[must_use]
    pub fn network(&self) -> Option<&Network> {
        self.network.ok()
    }

    /// Every section that could not be read, as (section, reason).
    #[must_use]
    pub fn unavailable(&self) -> Vec<(&'static str, &str)> {
        [
            ("network", self.network.unavailable_reason()),
            ("load_balancers", self.load_balancers.unavailable_reason()),
            ("target_groups", self.target_groups.unavailable_reason()),
            ("services", self.services.unavailable_reason()),
            ("tasks", self.tasks.unavailable_reason()),
            (
                "container_instances",
                self.container_instances.unavailable_reason(),
            ),
            (
                "capacity_providers",
                self.capacity_providers.unavailable_reason(),
            ),
            ("ec2_instances", self.ec2_instances.unavailable_reason()),
            (
                "auto_scaling_groups",
                self.auto_scaling_groups.unavailable_reason(),
            ),
            (
                "scalable_targets",
                self.scalable_targets.unavailable_reason(),
            ),
        ]
        .into_iter()
        .filter_map(|(name, r)| r.map(|r| (name, r)))
        .collect()
    }

    #[must_use]
    pub fn total_api_calls(&self) -> u64 {
        self.api_calls.iter().map(|c| c.calls).sum()
    }
}
