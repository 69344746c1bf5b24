//! Hosts: EC2 instances, the Auto Scaling group behind the cluster, and app autoscaling ranges.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ec2Instance {
    pub id: String,
    pub state: String,
    pub instance_type: String,
    pub az: String,
    pub subnet_id: Option<String>,
    pub private_ip: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AsgInstance {
    pub instance_id: String,
    pub az: String,
    pub lifecycle_state: String,
    pub health_status: String,
    pub protected_from_scale_in: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AutoScalingGroup {
    pub name: String,
    pub arn: String,
    pub min: i32,
    pub desired: i32,
    pub max: i32,
    pub azs: Vec<String>,
    pub subnet_ids: Vec<String>,
    pub protect_from_scale_in: bool,
    pub instances: Vec<AsgInstance>,
    /// Filled by the joins: the capacity provider that manages this group.
    pub capacity_provider: Option<String>,
}

/// An Application Auto Scaling target, e.g. the ECS service's task count range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScalableTarget {
    /// `service/<cluster>/<service>` for ECS services.
    pub resource_id: String,
    pub dimension: String,
    pub min: i32,
    pub max: i32,
    pub policies: Vec<String>,
}
