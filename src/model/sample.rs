//! Deterministic sample estates (the seed stack, and large synthetic ones) for tests, snapshots and benches.

use chrono::{DateTime, TimeZone, Utc};

use super::{
    AsgInstance, AutoScalingGroup, CapacityProvider, Cluster, Container, ContainerInstance,
    DefaultRoute, Deployment, Ec2Instance, HealthCheck, InternetGateway, Listener, LoadBalancer,
    LogLocation, NatGateway, Network, RouteTable, ScalableTarget, Section, Service, ServiceEvent,
    ServiceLoadBalancer, Snapshot, Subnet, SubnetTier, Target, TargetGroup, TargetHealth, Task,
    Vpc,
};

const REGION: &str = "us-east-1";
const ACCOUNT: &str = "123456789012";
const AZS: [&str; 2] = ["us-east-1a", "us-east-1b"];

/// A fixed instant every sample is relative to (tests inject the same clock).
#[must_use]
pub fn epoch() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 3, 0, 0)
        .single()
        .unwrap_or_default()
}

#[expect(
    clippy::unnecessary_wraps,
    reason = "every caller fills an optional timestamp"
)]
fn at(minutes_before: i64) -> Option<DateTime<Utc>> {
    Some(epoch() - chrono::Duration::minutes(minutes_before))
}

fn arn(service: &str, resource: &str) -> String {
    format!("arn:aws:{service}:{REGION}:{ACCOUNT}:{resource}")
}

fn network() -> Network {
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

fn task(n: usize, instance: usize, az: usize, service: &str, revision: u32, status: &str) -> Task {
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

fn container_instance(n: usize, az: usize, running: i32, draining: bool) -> ContainerInstance {
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
    }
}

fn ec2(n: usize, az: usize) -> Ec2Instance {
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

fn service(name: &str, desired: i32, running: i32, tg: &str) -> Service {
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

fn target_group(name: &str, lb_arn: &str) -> TargetGroup {
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

fn target_for(task: &Task, health: TargetHealth) -> Target {
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

fn load_balancer() -> LoadBalancer {
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

fn cluster(instances: i32, running: i32, services: i32) -> Cluster {
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

fn asg(instances: &[(usize, usize)], desired: i32) -> AutoScalingGroup {
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

fn capacity_provider() -> CapacityProvider {
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

/// The seed stack mid-incident: 2 instances over 2 AZs, 3 tasks (one unhealthy, one initial), one stopped.
#[must_use]
pub fn seed() -> Snapshot {
    let lb = load_balancer();
    let mut tg = target_group("navoy-app", &lb.arn);
    let tasks = vec![
        task(1, 1, 0, "navoy-app", 7, "RUNNING"),
        task(2, 2, 1, "navoy-app", 7, "RUNNING"),
        task(3, 2, 1, "navoy-app", 7, "RUNNING"),
        task(4, 1, 0, "navoy-app", 6, "STOPPED"),
    ];
    tg.targets = vec![
        target_for(&tasks[0], TargetHealth::Healthy),
        target_for(&tasks[1], TargetHealth::Unhealthy),
        target_for(&tasks[2], TargetHealth::Initial),
    ];
    let svc = service("navoy-app", 3, 3, &tg.arn);
    let mut snap = Snapshot {
        taken_at: Some(epoch()),
        cluster: Some(cluster(2, 3, 1)),
        network: Section::Ok(network()),
        load_balancers: Section::Ok(vec![lb]),
        target_groups: Section::Ok(vec![tg]),
        services: Section::Ok(vec![svc]),
        tasks: Section::Ok(tasks),
        container_instances: Section::Ok(vec![
            container_instance(1, 0, 1, false),
            container_instance(2, 1, 2, false),
        ]),
        capacity_providers: Section::Ok(vec![capacity_provider()]),
        ec2_instances: Section::Ok(vec![ec2(1, 0), ec2(2, 1)]),
        auto_scaling_groups: Section::Ok(vec![asg(&[(1, 0), (2, 1)], 2)]),
        scalable_targets: Section::Ok(vec![ScalableTarget {
            resource_id: "service/navoy/navoy-app".into(),
            dimension: "ecs:service:DesiredCount".into(),
            min: 2,
            max: 6,
            policies: vec!["navoy-app-cpu60".into(), "navoy-app-memory70".into()],
        }]),
        api_calls: Vec::new(),
    };
    super::joins::link(&mut snap);
    snap
}

/// A large estate for benches: `instances` hosts, `services` services, `tasks` tasks, `targets` targets.
#[must_use]
pub fn synthetic(instances: usize, services: usize, tasks: usize, targets: usize) -> Snapshot {
    let lb = load_balancer();
    let mut tg = target_group("navoy-app", &lb.arn);
    let all_tasks: Vec<Task> = (0..tasks)
        .map(|n| {
            let inst = n % instances.max(1);
            let mut t = task(
                n,
                inst,
                inst % 2,
                &format!("svc-{:04}", n % services.max(1)),
                7,
                "RUNNING",
            );
            t.private_ip = Some(format!("10.40.{}.{}", 10 + inst % 2, n % 250));
            t.containers[0].container_port = Some(3000 + i32::try_from(n / 250).unwrap_or(0));
            t
        })
        .collect();
    let healths = [
        TargetHealth::Healthy,
        TargetHealth::Healthy,
        TargetHealth::Healthy,
        TargetHealth::Initial,
        TargetHealth::Unhealthy,
        TargetHealth::Draining,
    ];
    tg.targets = all_tasks
        .iter()
        .take(targets)
        .enumerate()
        .map(|(n, t)| {
            let mut target = target_for(t, healths[n % healths.len()]);
            target.port = t.containers[0].container_port.unwrap_or(3000);
            target
        })
        .collect();
    let per_instance = i32::try_from(tasks / instances.max(1)).unwrap_or(i32::MAX);
    let svcs = (0..services)
        .map(|n| service(&format!("svc-{n:04}"), 3, 3, &tg.arn))
        .collect();
    let mut snap = Snapshot {
        taken_at: Some(epoch()),
        cluster: Some(cluster(
            i32::try_from(instances).unwrap_or(i32::MAX),
            i32::try_from(tasks).unwrap_or(i32::MAX),
            i32::try_from(services).unwrap_or(i32::MAX),
        )),
        network: Section::Ok(network()),
        load_balancers: Section::Ok(vec![lb]),
        target_groups: Section::Ok(vec![tg]),
        services: Section::Ok(svcs),
        tasks: Section::Ok(all_tasks),
        container_instances: Section::Ok(
            (0..instances)
                .map(|n| container_instance(n, n % 2, per_instance, n % 17 == 3))
                .collect(),
        ),
        capacity_providers: Section::Ok(vec![capacity_provider()]),
        ec2_instances: Section::Ok((0..instances).map(|n| ec2(n, n % 2)).collect()),
        auto_scaling_groups: Section::Ok(vec![asg(
            &(0..instances).map(|n| (n, n % 2)).collect::<Vec<_>>(),
            i32::try_from(instances).unwrap_or(i32::MAX),
        )]),
        scalable_targets: Section::Ok(Vec::new()),
        api_calls: Vec::new(),
    };
    super::joins::link(&mut snap);
    snap
}
