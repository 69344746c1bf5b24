//! Builds the seed architecture in an emulator through the SDK (the same shape the Terraform applies).

use aws_sdk_ec2::types::{
    IpPermission, IpRange, ResourceType, Tag, TagSpecification, UserIdGroupPair,
};
use aws_sdk_ecs::types::{
    AwsVpcConfiguration, ContainerDefinition, LaunchType, LoadBalancer, LogConfiguration,
    LogDriver, NetworkConfiguration, NetworkMode, PortMapping,
};
use aws_sdk_elasticloadbalancingv2::types::TargetDescription;
use navoy_console::aws::AwsContext;

mod alb;

use alb::load_balancer;

pub struct Seed {
    pub vpc: String,
    pub public: [String; 2],
    pub private: [String; 2],
    pub target_group: String,
    pub instances: Vec<String>,
    pub task_ips: Vec<String>,
}

fn name_tag(kind: ResourceType, name: &str) -> TagSpecification {
    TagSpecification::builder()
        .resource_type(kind)
        .tags(Tag::builder().key("Name").value(name).build())
        .build()
}

async fn subnet(ctx: &AwsContext, vpc: &str, cidr: &str, az: &str, name: &str) -> String {
    let out = ctx
        .ec2
        .create_subnet()
        .vpc_id(vpc)
        .cidr_block(cidr)
        .availability_zone(az)
        .tag_specifications(name_tag(ResourceType::Subnet, name))
        .send()
        .await
        .unwrap();
    out.subnet().unwrap().subnet_id().unwrap().to_owned()
}

async fn route_table(ctx: &AwsContext, vpc: &str, subnets: &[String]) -> String {
    let rt = ctx
        .ec2
        .create_route_table()
        .vpc_id(vpc)
        .send()
        .await
        .unwrap();
    let id = rt
        .route_table()
        .unwrap()
        .route_table_id()
        .unwrap()
        .to_owned();
    for s in subnets {
        ctx.ec2
            .associate_route_table()
            .route_table_id(&id)
            .subnet_id(s)
            .send()
            .await
            .unwrap();
    }
    id
}

async fn network(ctx: &AwsContext) -> (String, [String; 2], [String; 2], String, String) {
    let vpc = ctx
        .ec2
        .create_vpc()
        .cidr_block("10.40.0.0/16")
        .tag_specifications(name_tag(ResourceType::Vpc, "navoy"))
        .send()
        .await
        .unwrap();
    let vpc = vpc.vpc().unwrap().vpc_id().unwrap().to_owned();
    // As the Terraform does; moto also needs it to give awsvpc task ENIs a DNS name.
    ctx.ec2
        .modify_vpc_attribute()
        .vpc_id(&vpc)
        .enable_dns_hostnames(
            aws_sdk_ec2::types::AttributeBooleanValue::builder()
                .value(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let public = [
        subnet(ctx, &vpc, "10.40.0.0/24", "us-east-1a", "navoy-public-a").await,
        subnet(ctx, &vpc, "10.40.1.0/24", "us-east-1b", "navoy-public-b").await,
    ];
    let private = [
        subnet(ctx, &vpc, "10.40.10.0/24", "us-east-1a", "navoy-private-a").await,
        subnet(ctx, &vpc, "10.40.11.0/24", "us-east-1b", "navoy-private-b").await,
    ];
    let igw = ctx.ec2.create_internet_gateway().send().await.unwrap();
    let igw = igw
        .internet_gateway()
        .unwrap()
        .internet_gateway_id()
        .unwrap()
        .to_owned();
    ctx.ec2
        .attach_internet_gateway()
        .internet_gateway_id(&igw)
        .vpc_id(&vpc)
        .send()
        .await
        .unwrap();
    let rt_pub = route_table(ctx, &vpc, &public).await;
    ctx.ec2
        .create_route()
        .route_table_id(&rt_pub)
        .destination_cidr_block("0.0.0.0/0")
        .gateway_id(&igw)
        .send()
        .await
        .unwrap();
    let eip = ctx.ec2.allocate_address().send().await.unwrap();
    let nat = ctx
        .ec2
        .create_nat_gateway()
        .subnet_id(&public[0])
        .allocation_id(eip.allocation_id().unwrap())
        .send()
        .await
        .unwrap();
    let nat = nat
        .nat_gateway()
        .unwrap()
        .nat_gateway_id()
        .unwrap()
        .to_owned();
    let rt_priv = route_table(ctx, &vpc, &private).await;
    ctx.ec2
        .create_route()
        .route_table_id(&rt_priv)
        .destination_cidr_block("0.0.0.0/0")
        .nat_gateway_id(&nat)
        .send()
        .await
        .unwrap();

    let alb_sg = ctx
        .ec2
        .create_security_group()
        .group_name("navoy-alb")
        .description("ALB")
        .vpc_id(&vpc)
        .send()
        .await
        .unwrap()
        .group_id()
        .unwrap()
        .to_owned();
    let ecs_sg = ctx
        .ec2
        .create_security_group()
        .group_name("navoy-ecs")
        .description("ECS")
        .vpc_id(&vpc)
        .send()
        .await
        .unwrap()
        .group_id()
        .unwrap()
        .to_owned();
    ctx.ec2
        .authorize_security_group_ingress()
        .group_id(&alb_sg)
        .ip_permissions(
            IpPermission::builder()
                .ip_protocol("tcp")
                .from_port(80)
                .to_port(80)
                .ip_ranges(IpRange::builder().cidr_ip("0.0.0.0/0").build())
                .build(),
        )
        .send()
        .await
        .unwrap();
    ctx.ec2
        .authorize_security_group_ingress()
        .group_id(&ecs_sg)
        .ip_permissions(
            IpPermission::builder()
                .ip_protocol("tcp")
                .from_port(3000)
                .to_port(3000)
                .user_id_group_pairs(UserIdGroupPair::builder().group_id(&alb_sg).build())
                .build(),
        )
        .send()
        .await
        .unwrap();
    (vpc, public, private, alb_sg, ecs_sg)
}

async fn instances(ctx: &AwsContext, private: &[String; 2]) -> Vec<String> {
    let image = ctx.ec2.describe_images().send().await.unwrap().images()[0]
        .image_id()
        .unwrap()
        .to_owned();
    let mut ids = Vec::new();
    for (subnet, az) in private.iter().zip(["us-east-1a", "us-east-1b"]) {
        let out = ctx
            .ec2
            .run_instances()
            .image_id(&image)
            .min_count(1)
            .max_count(1)
            .subnet_id(subnet)
            .instance_type(aws_sdk_ec2::types::InstanceType::T3Medium)
            .send()
            .await
            .unwrap();
        let id = out.instances()[0].instance_id().unwrap().to_owned();
        let doc =
            serde_json::json!({ "instanceId": id, "availabilityZone": az, "region": "us-east-1" })
                .to_string();
        ctx.ecs
            .register_container_instance()
            .cluster("navoy")
            .instance_identity_document(doc)
            .send()
            .await
            .unwrap();
        ids.push(id);
    }
    ids
}

/// The seed stack: 2 AZs, public/private subnets, IGW + NAT, ALB + TG + listener, cluster with
/// two container instances, the service with 2 tasks registered as targets.
pub async fn build(ctx: &AwsContext) -> Seed {
    let (vpc, public, private, alb_sg, ecs_sg) = network(ctx).await;
    let target_group = load_balancer(ctx, &vpc, &public, &alb_sg).await;
    ctx.ecs
        .create_cluster()
        .cluster_name("navoy")
        .send()
        .await
        .unwrap();
    let instances = instances(ctx, &private).await;
    let container = ContainerDefinition::builder()
        .name("app")
        .image("123456789012.dkr.ecr.us-east-1.amazonaws.com/navoy-app:sha-0000000")
        .cpu(256)
        .memory(512)
        .port_mappings(PortMapping::builder().container_port(3000).build())
        .log_configuration(
            LogConfiguration::builder()
                .log_driver(LogDriver::Awslogs)
                .options("awslogs-group", "/ecs/navoy-app")
                .options("awslogs-stream-prefix", "navoy")
                .options("awslogs-region", "us-east-1")
                .build()
                .unwrap(),
        )
        .build();
    ctx.ecs
        .register_task_definition()
        .family("navoy-app")
        .network_mode(NetworkMode::Awsvpc)
        .container_definitions(container)
        .send()
        .await
        .unwrap();
    let network = |subnet: &str| {
        NetworkConfiguration::builder()
            .awsvpc_configuration(
                AwsVpcConfiguration::builder()
                    .subnets(subnet)
                    .security_groups(&ecs_sg)
                    .build()
                    .unwrap(),
            )
            .build()
    };
    ctx.ecs
        .create_service()
        .cluster("navoy")
        .service_name("navoy-app")
        .task_definition("navoy-app")
        .desired_count(2)
        .launch_type(LaunchType::Ec2)
        .load_balancers(
            LoadBalancer::builder()
                .target_group_arn(&target_group)
                .container_name("app")
                .container_port(3000)
                .build(),
        )
        .network_configuration(
            NetworkConfiguration::builder()
                .awsvpc_configuration(
                    AwsVpcConfiguration::builder()
                        .subnets(&private[0])
                        .subnets(&private[1])
                        .security_groups(&ecs_sg)
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    let mut task_ips = Vec::new();
    for subnet in &private {
        let out = ctx
            .ecs
            .run_task()
            .cluster("navoy")
            .task_definition("navoy-app")
            .launch_type(LaunchType::Ec2)
            .group("service:navoy-app")
            .started_by("ecs-svc/test")
            .network_configuration(network(subnet))
            .send()
            .await
            .unwrap();
        let task = &out.tasks()[0];
        let ip = task
            .attachments()
            .iter()
            .flat_map(aws_sdk_ecs::types::Attachment::details)
            .find(|d| d.name() == Some("privateIPv4Address"))
            .and_then(|d| d.value())
            .unwrap()
            .to_owned();
        ctx.elb
            .register_targets()
            .target_group_arn(&target_group)
            .targets(TargetDescription::builder().id(&ip).port(3000).build())
            .send()
            .await
            .unwrap();
        task_ips.push(ip);
    }
    Seed {
        vpc,
        public,
        private,
        target_group,
        instances,
        task_ips,
    }
}
