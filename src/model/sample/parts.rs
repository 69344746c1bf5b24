//! Builders of the sample estates' parts: network, tasks, instances, services, load balancing.

use chrono::{DateTime, Utc};

use super::super::{
    AsgInstance, AutoScalingGroup, CapacityProvider, Cluster, Container, ContainerInstance,
    DefaultRoute, Deployment, Ec2Instance, HealthCheck, InternetGateway, Listener, LoadBalancer,
    LogLocation, NatGateway, Network, RouteTable, Service, ServiceEvent, ServiceLoadBalancer,
    Subnet, SubnetTier, Target, TargetGroup, TargetHealth, Task, Vpc,
};

use super::{ACCOUNT, AZS, REGION, epoch};

#[expect(
    clippy::unnecessary_wraps,
    reason = "every caller fills an optional timestamp"
)]
pub(super) fn at(minutes_before: i64) -> Option<DateTime<Utc>> {
    Some(epoch() - chrono::Duration::minutes(minutes_before))
}

pub(super) fn arn(service: &str, resource: &str) -> String {
    format!("arn:aws:{service}:{REGION}:{ACCOUNT}:{resource}")
}

pub(super) fn network() -> Network {
    let subnet = |id: &str, az: usize, cidr: &str, name: &str| Subnet {
        id: id.into(),
        vpc_id: "vpc-0navoy".into(),
        az: AZS[az].into(),
        cidr: cidr.into(),
        name: Some(name.into()),
        tier: SubnetTier::Isolated,
        route_table_id: None,
        default_route: None,
        available_ips: 250,
    };
    let mut net = Network {
        vpcs: vec![Vpc {
            id: "vpc-0navoy".into(),
            cidr: "10.40.0.0/16".into(),
            name: Some("navoy".into()),
            is_default: false,
        }],
        subnets: vec![
            subnet("subnet-pub-a", 0, "10.40.0.0/24", "navoy-public-a"),
            subnet("subnet-pub-b", 1, "10.40.1.0/24", "navoy-public-b"),
            subnet("subnet-priv-a", 0, "10.40.10.0/24", "navoy-private-a"),
            subnet("subnet-priv-b", 1, "10.40.11.0/24", "navoy-private-b"),
        ],
        route_tables: vec![
            RouteTable {
                id: "rtb-public".into(),
                vpc_id: "vpc-0navoy".into(),
                main: false,
                subnet_ids: vec!["subnet-pub-a".into(), "subnet-pub-b".into()],
                default_route: Some(DefaultRoute::InternetGateway("igw-0navoy".into())),
            },
            RouteTable {
                id: "rtb-private".into(),
                vpc_id: "vpc-0navoy".into(),
                main: false,
                subnet_ids: vec!["subnet-priv-a".into(), "subnet-priv-b".into()],
                default_route: Some(DefaultRoute::NatGateway("nat-0navoy".into())),
            },
        ],
        internet_gateways: vec![InternetGateway {
            id: "igw-0navoy".into(),
            vpc_ids: vec!["vpc-0navoy".into()],
        }],
        nat_gateways: vec![NatGateway {
            id: "nat-0navoy".into(),
            vpc_id: "vpc-0navoy".into(),
            subnet_id: "subnet-pub-a".into(),
            state: "available".into(),
            public_ip: Some("203.0.113.10".into()),
        }],
        security_groups: Vec::new(),
    };
    net.classify_subnets();
    net
}

pub(super) fn task(
    n: usize,
    instance: usize,
    az: usize,
    service: &str,
    revision: u32,
    status: &str,
) -> Task {
    let id = format!("{n:08x}c0ffee{n:04}");
    Task {
        arn: arn("ecs", &format!("task/navoy/{id}")),
        id: id.clone(),
        group: Some(format!("service:{service}")),
        task_definition: arn("ecs", &format!("task-definition/{service}:{revision}")),
        last_status: status.into(),
        desired_status: if status == "STOPPED" {
            "STOPPED".into()
        } else {
            "RUNNING".into()
        },
        health: Some("UNKNOWN".into()),
        launch_type: Some("EC2".into()),
        az: Some(AZS[az].into()),
        private_ip: Some(format!("10.40.{}.{}", 10 + az, 100 + n % 150)),
        eni_id: Some(format!("eni-{n:08x}")),
        subnet_id: Some(if az == 0 {
            "subnet-priv-a".into()
        } else {
            "subnet-priv-b".into()
        }),
        container_instance_arn: Some(arn(
            "ecs",
            &format!("container-instance/navoy/ci{instance:04}"),
        )),
        cpu: Some("256".into()),
        memory: Some("512".into()),
        created_at: at(30),
        started_at: at(29),
        stopped_at: (status == "STOPPED").then(|| epoch() - chrono::Duration::minutes(5)),
        stopped_reason: (status == "STOPPED")
            .then(|| "Task failed ELB health checks in (target-group navoy-app)".into()),
        stop_code: (status == "STOPPED").then(|| "ServiceSchedulerInitiated".into()),
        containers: vec![Container {
            name: "app".into(),
            last_status: Some(status.into()),
            exit_code: None,
            reason: None,
            health: None,
            container_port: Some(3000),
            host_port: Some(3000),
            log: Some(LogLocation {
                group: "/ecs/navoy-app".into(),
                stream: Some(format!("navoy/app/{id}")),
                region: Some(REGION.into()),
            }),
        }],
        service: None,
        instance_id: None,
        targets: Vec::new(),
    }
}

pub(super) fn container_instance(
    n: usize,
    az: usize,
    running: i32,
    draining: bool,
) -> ContainerInstance {
    ContainerInstance {
        arn: arn("ecs", &format!("container-instance/navoy/ci{n:04}")),
        id: format!("ci{n:04}"),
        ec2_instance_id: Some(format!("i-{n:017x}")),
        status: if draining {
            "DRAINING".into()
        } else {
            "ACTIVE".into()
        },
        agent_connected: true,
        registered_cpu: 4096,
        registered_memory: 7482,
        remaining_cpu: 4096 - 256 * running,
        remaining_memory: 7482 - 512 * running,
        running_tasks: running,
        pending_tasks: 0,
        az: Some(AZS[az].into()),
        capacity_provider: Some("navoy-ecs".into()),
        subnet_id: None,
        private_ip: None,
        asg_lifecycle_state: None,
        protected_from_scale_in: None,
        live_tasks: Vec::new(),
    }
}

pub(super) fn ec2(n: usize, az: usize) -> Ec2Instance {
    Ec2Instance {
        id: format!("i-{n:017x}"),
        state: "running".into(),
        instance_type: "t3.medium".into(),
        az: AZS[az].into(),
        subnet_id: Some(if az == 0 {
            "subnet-priv-a".into()
        } else {
            "subnet-priv-b".into()
        }),
        private_ip: Some(format!("10.40.{}.{}", 10 + az, 10 + n % 200)),
    }
}

pub(super) fn service(name: &str, desired: i32, running: i32, tg: &str) -> Service {
    Service {
        arn: arn("ecs", &format!("service/navoy/{name}")),
        name: name.into(),
        status: "ACTIVE".into(),
        desired,
        running,
        pending: (desired - running).max(0),
        launch_type: Some("EC2".into()),
        task_definition: arn("ecs", &format!("task-definition/{name}:7")),
        deployments: vec![Deployment {
            id: format!("ecs-svc/{name}-7"),
            status: "PRIMARY".into(),
            task_definition: arn("ecs", &format!("task-definition/{name}:7")),
            desired,
            running,
            pending: (desired - running).max(0),
            failed: 0,
            rollout_state: Some(if desired == running {
                "COMPLETED".into()
            } else {
                "IN_PROGRESS".into()
            }),
            rollout_reason: None,
            created_at: at(45),
            updated_at: at(30),
        }],
        events: vec![
            ServiceEvent {
                id: format!("{name}-e2"),
                at: at(28),
                message: format!("(service {name}) has reached a steady state."),
            },
            ServiceEvent {
                id: format!("{name}-e1"),
                at: at(29),
                message: format!("(service {name}) registered 2 targets in (target-group {tg})"),
            },
        ],
        load_balancers: vec![ServiceLoadBalancer {
            target_group_arn: Some(tg.into()),
            container_name: Some("app".into()),
            container_port: Some(3000),
        }],
        min_healthy_percent: Some(50),
        max_percent: Some(200),
        circuit_breaker: Some(true),
        subnets: vec!["subnet-priv-a".into(), "subnet-priv-b".into()],
        security_groups: vec!["sg-ecs".into()],
        autoscaling: None,
    }
}

pub(super) fn target_group(name: &str, lb_arn: &str) -> TargetGroup {
    TargetGroup {
        arn: arn(
            "elasticloadbalancing",
            &format!("targetgroup/{name}/0123456789abcdef"),
        ),
        name: name.into(),
        protocol: "HTTP".into(),
        port: 3000,
        target_type: "ip".into(),
        vpc_id: "vpc-0navoy".into(),
        load_balancer_arns: vec![lb_arn.into()],
        health_check: HealthCheck {
            protocol: "HTTP".into(),
            path: Some("/health".into()),
            port: "traffic-port".into(),
            interval_s: 10,
            timeout_s: 5,
            healthy_threshold: 2,
            unhealthy_threshold: 3,
            matcher: Some("200".into()),
        },
        deregistration_delay_s: Some(30),
        targets: Vec::new(),
    }
}

pub(super) fn target_for(task: &Task, health: TargetHealth) -> Target {
    let reason = match health {
        TargetHealth::Initial => Some("Elb.RegistrationInProgress".into()),
        TargetHealth::Unhealthy => Some("Target.ResponseCodeMismatch".into()),
        TargetHealth::Draining => Some("Target.DeregistrationInProgress".into()),
        _ => None,
    };
    Target {
        id: task.private_ip.clone().unwrap_or_default(),
        port: 3000,
        az: task.az.clone(),
        health,
        description: reason.as_ref().map(|r: &String| format!("{r} (sample)")),
        reason,
        task_arn: None,
        instance_id: None,
        subnet_id: None,
    }
}

pub(super) fn load_balancer() -> LoadBalancer {
    let lb_arn = arn(
        "elasticloadbalancing",
        "loadbalancer/app/navoy-alb/50dc6c495c0c9188",
    );
    LoadBalancer {
        arn: lb_arn.clone(),
        name: "navoy-alb".into(),
        scheme: "internet-facing".into(),
        kind: "application".into(),
        dns_name: "navoy-alb-1234567890.us-east-1.elb.amazonaws.com".into(),
        state: "active".into(),
        vpc_id: "vpc-0navoy".into(),
        zones: vec![
            (AZS[0].into(), "subnet-pub-a".into()),
            (AZS[1].into(), "subnet-pub-b".into()),
        ],
        security_groups: vec!["sg-alb".into()],
        listeners: vec![Listener {
            arn: format!("{lb_arn}/listener/80"),
            port: 80,
            protocol: "HTTP".into(),
            target_group_arns: vec![arn(
                "elasticloadbalancing",
                "targetgroup/navoy-app/0123456789abcdef",
            )],
        }],
    }
}

pub(super) fn cluster(instances: i32, running: i32, services: i32) -> Cluster {
    Cluster {
        arn: arn("ecs", "cluster/navoy"),
        name: "navoy".into(),
        status: "ACTIVE".into(),
        registered_container_instances: instances,
        running_tasks: running,
        pending_tasks: 0,
        active_services: services,
        capacity_providers: vec!["navoy-ecs".into()],
    }
}

pub(super) fn asg(instances: &[(usize, usize)], desired: i32) -> AutoScalingGroup {
    AutoScalingGroup {
        name: "navoy-ecs".into(),
        arn: arn(
            "autoscaling",
            "autoScalingGroup:uuid:autoScalingGroupName/navoy-ecs",
        ),
        min: 1,
        desired,
        max: 4.max(desired),
        azs: AZS.iter().map(|s| (*s).to_owned()).collect(),
        subnet_ids: vec!["subnet-priv-a".into(), "subnet-priv-b".into()],
        protect_from_scale_in: true,
        instances: instances
            .iter()
            .map(|&(n, az)| AsgInstance {
                instance_id: format!("i-{n:017x}"),
                az: AZS[az].into(),
                lifecycle_state: "InService".into(),
                health_status: "Healthy".into(),
                protected_from_scale_in: true,
            })
            .collect(),
        capacity_provider: None,
    }
}

pub(super) fn capacity_provider() -> CapacityProvider {
    CapacityProvider {
        name: "navoy-ecs".into(),
        arn: arn("ecs", "capacity-provider/navoy-ecs"),
        status: "ACTIVE".into(),
        asg_arn: Some(arn(
            "autoscaling",
            "autoScalingGroup:uuid:autoScalingGroupName/navoy-ecs",
        )),
        managed_scaling: true,
        target_capacity: Some(100),
        managed_termination_protection: true,
    }
}
