//! Domain types of one AWS estate snapshot: no SDK types, no UI types.

pub mod compute;
pub mod ecs;
pub mod joins;
pub mod lb;
pub mod logs;
pub mod network;
pub mod sample;
pub mod snapshot;

pub use compute::{AsgInstance, AutoScalingGroup, Ec2Instance, ScalableTarget};
pub use ecs::{
    CapacityProvider, Cluster, Container, ContainerInstance, Deployment, LogLocation, Service,
    ServiceEvent, ServiceLoadBalancer, Task,
};
pub use lb::{HealthCheck, Listener, LoadBalancer, Target, TargetGroup, TargetHealth};
pub use logs::LogLine;
pub use network::{
    DefaultRoute, InternetGateway, NatGateway, Network, RouteTable, SecurityGroup, SgRule, Subnet,
    SubnetTier, Vpc,
};
pub use snapshot::{ApiCallCount, Section, Snapshot};

/// The last path segment of an ARN (`arn:...:task/cluster/abc` → `abc`), or the input.
#[must_use]
pub fn short_id(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

#[cfg(test)]
mod tests {
    use super::short_id;

    #[test]
    fn short_id_takes_the_last_segment() {
        assert_eq!(
            short_id("arn:aws:ecs:us-east-1:1:task/navoy/abc123"),
            "abc123"
        );
        assert_eq!(short_id("plain"), "plain");
    }
}
