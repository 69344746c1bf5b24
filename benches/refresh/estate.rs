//! The large synthetic estate the refresh bench seeds into moto: instances, services behind
//! target groups, tasks with awsvpc addresses, and targets registered by those addresses.

use aws_sdk_ecs::types::{
    AwsVpcConfiguration, ContainerDefinition, LaunchType, LoadBalancer, NetworkConfiguration,
    NetworkMode, PortMapping,
};
use aws_sdk_elasticloadbalancingv2::types::{ProtocolEnum, TargetDescription, TargetTypeEnum};
use futures::StreamExt;
use navoy_console::aws::AwsContext;

pub struct Size {
    pub services: usize,
    pub tasks: usize,
    pub instances: usize,
    pub targets: usize,
    pub groups: usize,
}

pub async fn seed(ctx: &AwsContext, size: &Size) {
    let vpc = ctx
        .ec2
        .create_vpc()
        .cidr_block("10.50.0.0/16")
        .send()
        .await
        .unwrap();
    let vpc = vpc.vpc().unwrap().vpc_id().unwrap().to_owned();
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
    let mut subnets = Vec::new();
    for (cidr, az) in [
        ("10.50.0.0/18", "us-east-1a"),
        ("10.50.64.0/18", "us-east-1b"),
    ] {
        let s = ctx
            .ec2
            .create_subnet()
            .vpc_id(&vpc)
            .cidr_block(cidr)
            .availability_zone(az)
            .send()
            .await
            .unwrap();
        subnets.push(s.subnet().unwrap().subnet_id().unwrap().to_owned());
    }
    let sg = ctx
        .ec2
        .create_security_group()
        .group_name("scale")
        .description("bench")
        .vpc_id(&vpc)
        .send()
        .await
        .unwrap();
    let sg = sg.group_id().unwrap().to_owned();
    ctx.ecs
        .create_cluster()
        .cluster_name("scale")
        .send()
        .await
        .unwrap();
    let image = ctx.ec2.describe_images().send().await.unwrap().images()[0]
        .image_id()
        .unwrap()
        .to_owned();
    futures::stream::iter(0..size.instances)
        .for_each_concurrent(8, |n| {
            let (image, subnet) = (image.clone(), subnets[n % 2].clone());
            async move {
                let out = ctx
                    .ec2
                    .run_instances()
                    .image_id(&image)
                    .min_count(1)
                    .max_count(1)
                    .subnet_id(&subnet)
                    .send()
                    .await
                    .unwrap();
                let id = out.instances()[0].instance_id().unwrap().to_owned();
                let doc = serde_json::json!({ "instanceId": id }).to_string();
                ctx.ecs
                    .register_container_instance()
                    .cluster("scale")
                    .instance_identity_document(doc)
                    .send()
                    .await
                    .unwrap();
            }
        })
        .await;
    ctx.ecs
        .register_task_definition()
        .family("app")
        .network_mode(NetworkMode::Awsvpc)
        .container_definitions(
            ContainerDefinition::builder()
                .name("app")
                .image("app:1")
                .cpu(16)
                .memory(32)
                .port_mappings(PortMapping::builder().container_port(3000).build())
                .build(),
        )
        .send()
        .await
        .unwrap();
    let mut groups = Vec::new();
    for g in 0..size.groups {
        let out = ctx
            .elb
            .create_target_group()
            .name(format!("tg-{g}"))
            .protocol(ProtocolEnum::Http)
            .port(3000)
            .vpc_id(&vpc)
            .target_type(TargetTypeEnum::Ip)
            .send()
            .await
            .unwrap();
        groups.push(
            out.target_groups()[0]
                .target_group_arn()
                .unwrap()
                .to_owned(),
        );
    }
    let network = NetworkConfiguration::builder()
        .awsvpc_configuration(
            AwsVpcConfiguration::builder()
                .set_subnets(Some(subnets.clone()))
                .security_groups(&sg)
                .build()
                .unwrap(),
        )
        .build();
    futures::stream::iter(0..size.services)
        .for_each_concurrent(16, |n| {
            let (tg, network) = (groups[n % groups.len()].clone(), network.clone());
            async move {
                ctx.ecs
                    .create_service()
                    .cluster("scale")
                    .service_name(format!("svc-{n:04}"))
                    .task_definition("app")
                    .desired_count(1)
                    .launch_type(LaunchType::Ec2)
                    .network_configuration(network)
                    .load_balancers(
                        LoadBalancer::builder()
                            .target_group_arn(tg)
                            .container_name("app")
                            .container_port(3000)
                            .build(),
                    )
                    .send()
                    .await
                    .unwrap();
            }
        })
        .await;
    let ips: Vec<String> = futures::stream::iter((0..size.tasks).step_by(10))
        .map(|n| {
            let network = NetworkConfiguration::builder()
                .awsvpc_configuration(
                    AwsVpcConfiguration::builder()
                        .subnets(&subnets[(n / 10) % 2])
                        .security_groups(&sg)
                        .build()
                        .unwrap(),
                )
                .build();
            let count = i32::try_from((size.tasks - n).min(10)).unwrap();
            async move {
                let out = ctx
                    .ecs
                    .run_task()
                    .cluster("scale")
                    .task_definition("app")
                    .count(count)
                    .launch_type(LaunchType::Ec2)
                    .group(format!("service:svc-{:04}", (n / 10) % size.services))
                    .network_configuration(network)
                    .send()
                    .await
                    .unwrap();
                out.tasks()
                    .iter()
                    .filter_map(|t| {
                        t.attachments()
                            .iter()
                            .flat_map(aws_sdk_ecs::types::Attachment::details)
                            .find(|d| d.name() == Some("privateIPv4Address"))
                            .and_then(|d| d.value().map(str::to_owned))
                    })
                    .collect::<Vec<_>>()
            }
        })
        .buffer_unordered(8)
        .flat_map(futures::stream::iter)
        .collect()
        .await;
    for (g, chunk) in ips
        .iter()
        .take(size.targets)
        .collect::<Vec<_>>()
        .chunks(100)
        .enumerate()
    {
        let targets = chunk
            .iter()
            .map(|ip| TargetDescription::builder().id(*ip).port(3000).build())
            .collect();
        ctx.elb
            .register_targets()
            .target_group_arn(&groups[g % groups.len()])
            .set_targets(Some(targets))
            .send()
            .await
            .unwrap();
    }
}
