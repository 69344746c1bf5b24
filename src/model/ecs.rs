//! ECS: cluster, capacity providers, services with deployments and events, tasks, container instances.

use chrono::{DateTime, Utc};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cluster {
    pub arn: String,
    pub name: String,
    pub status: String,
    pub registered_container_instances: i32,
    pub running_tasks: i32,
    pub pending_tasks: i32,
    pub active_services: i32,
    pub capacity_providers: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CapacityProvider {
    pub name: String,
    pub arn: String,
    pub status: String,
    pub asg_arn: Option<String>,
    pub managed_scaling: bool,
    pub target_capacity: Option<i32>,
    pub managed_termination_protection: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deployment {
    pub id: String,
    /// PRIMARY, ACTIVE or INACTIVE.
    pub status: String,
    pub task_definition: String,
    pub desired: i32,
    pub running: i32,
    pub pending: i32,
    pub failed: i32,
    pub rollout_state: Option<String>,
    pub rollout_reason: Option<String>,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceEvent {
    pub id: String,
    pub at: Option<DateTime<Utc>>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceLoadBalancer {
    pub target_group_arn: Option<String>,
    pub container_name: Option<String>,
    pub container_port: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Service {
    pub arn: String,
    pub name: String,
    pub status: String,
    pub desired: i32,
    pub running: i32,
    pub pending: i32,
    pub launch_type: Option<String>,
    pub task_definition: String,
    pub deployments: Vec<Deployment>,
    /// Newest first, as ECS returns them.
    pub events: Vec<ServiceEvent>,
    pub load_balancers: Vec<ServiceLoadBalancer>,
    pub min_healthy_percent: Option<i32>,
    pub max_percent: Option<i32>,
    pub circuit_breaker: Option<bool>,
    pub subnets: Vec<String>,
    pub security_groups: Vec<String>,
    /// Filled by the joins from Application Auto Scaling: (min, max) task count.
    pub autoscaling: Option<(i32, i32)>,
}

impl Service {
    #[must_use]
    pub fn primary(&self) -> Option<&Deployment> {
        self.deployments.iter().find(|d| d.status == "PRIMARY")
    }

    #[must_use]
    pub fn is_steady(&self) -> bool {
        self.deployments.len() <= 1 && self.running == self.desired && self.pending == 0
    }
}

/// Where a container's awslogs output goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogLocation {
    pub group: String,
    pub stream: Option<String>,
    pub region: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Container {
    pub name: String,
    pub last_status: Option<String>,
    pub exit_code: Option<i32>,
    pub reason: Option<String>,
    pub health: Option<String>,
    pub container_port: Option<i32>,
    pub host_port: Option<i32>,
    pub log: Option<LogLocation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Task {
    pub arn: String,
    pub id: String,
    pub group: Option<String>,
    pub task_definition: String,
    pub last_status: String,
    pub desired_status: String,
    pub health: Option<String>,
    pub launch_type: Option<String>,
    pub az: Option<String>,
    pub private_ip: Option<String>,
    pub eni_id: Option<String>,
    pub subnet_id: Option<String>,
    pub container_instance_arn: Option<String>,
    pub cpu: Option<String>,
    pub memory: Option<String>,
    pub created_at: Option<DateTime<Utc>>,
    pub started_at: Option<DateTime<Utc>>,
    pub stopped_at: Option<DateTime<Utc>>,
    pub stopped_reason: Option<String>,
    pub stop_code: Option<String>,
    pub containers: Vec<Container>,
    /// Filled by the joins: the service that owns the task (from its `service:` group).
    pub service: Option<String>,
    /// Filled by the joins: the EC2 instance the task runs on.
    pub instance_id: Option<String>,
    /// Filled by the joins: (target group ARN, health) for each target that is this task.
    pub targets: Vec<(String, super::TargetHealth)>,
}

impl Task {
    /// `family:revision` of the task definition.
    #[must_use]
    pub fn revision(&self) -> &str {
        super::short_id(&self.task_definition)
    }

    /// The worst target health of the task, if it is registered anywhere.
    #[must_use]
    pub fn target_health(&self) -> Option<super::TargetHealth> {
        self.targets.iter().map(|(_, h)| *h).max()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContainerInstance {
    pub arn: String,
    pub id: String,
    pub ec2_instance_id: Option<String>,
    /// ACTIVE, DRAINING, REGISTERING, ...
    pub status: String,
    pub agent_connected: bool,
    pub registered_cpu: i32,
    pub registered_memory: i32,
    pub remaining_cpu: i32,
    pub remaining_memory: i32,
    pub running_tasks: i32,
    pub pending_tasks: i32,
    pub az: Option<String>,
    pub capacity_provider: Option<String>,
    /// Filled by the joins from EC2.
    pub subnet_id: Option<String>,
    pub private_ip: Option<String>,
    /// Filled by the joins from the Auto Scaling group.
    pub asg_lifecycle_state: Option<String>,
    pub protected_from_scale_in: Option<bool>,
    /// Filled by the joins: positions in the snapshot's tasks of the tasks on this instance
    /// that are not STOPPED, so views never scan every task per instance.
    #[serde(skip)]
    pub live_tasks: Vec<usize>,
}

impl ContainerInstance {
    #[must_use]
    pub fn is_draining(&self) -> bool {
        self.status == "DRAINING"
    }
}
