//! Every paginated call the adapters make reads to the last page (two-page mocks per call).

use crate::support::mocks::context;
use aws_sdk_autoscaling::operation::describe_auto_scaling_groups::DescribeAutoScalingGroupsOutput;
use aws_sdk_autoscaling::types::AutoScalingGroup;
use aws_sdk_ec2::operation::describe_subnets::DescribeSubnetsOutput;
use aws_sdk_ec2::types::Subnet;
use aws_sdk_ecs::operation::describe_clusters::DescribeClustersOutput;
use aws_sdk_ecs::operation::describe_container_instances::DescribeContainerInstancesOutput;
use aws_sdk_ecs::operation::describe_task_definition::DescribeTaskDefinitionOutput;
use aws_sdk_ecs::operation::describe_tasks::DescribeTasksOutput;
use aws_sdk_ecs::operation::list_clusters::ListClustersOutput;
use aws_sdk_ecs::operation::list_container_instances::ListContainerInstancesOutput;
use aws_sdk_ecs::operation::list_tasks::ListTasksOutput;
use aws_sdk_ecs::types::{Cluster, ContainerInstance, DesiredStatus, Task};
use aws_sdk_elasticloadbalancingv2::operation::describe_listeners::DescribeListenersOutput;
use aws_sdk_elasticloadbalancingv2::operation::describe_load_balancers::DescribeLoadBalancersOutput;
use aws_sdk_elasticloadbalancingv2::operation::describe_target_group_attributes::DescribeTargetGroupAttributesOutput;
use aws_sdk_elasticloadbalancingv2::operation::describe_target_groups::DescribeTargetGroupsOutput;
use aws_sdk_elasticloadbalancingv2::operation::describe_target_health::DescribeTargetHealthOutput;
use aws_sdk_elasticloadbalancingv2::types::{Listener, LoadBalancer, TargetGroup};
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use navoy_console::aws::carry::Carry;
use navoy_console::aws::{cluster, compute, ecs, elb};

#[tokio::test]
async fn list_clusters_reads_every_page() {
    let p1 = mock!(aws_sdk_ecs::Client::list_clusters)
        .match_requests(|r| r.next_token().is_none())
        .then_output(|| {
            ListClustersOutput::builder()
                .cluster_arns("arn:aws:ecs:us-east-1:1:cluster/a")
                .next_token("t")
                .build()
        });
    let p2 = mock!(aws_sdk_ecs::Client::list_clusters)
        .match_requests(|r| r.next_token() == Some("t"))
        .then_output(|| {
            ListClustersOutput::builder()
                .cluster_arns("arn:aws:ecs:us-east-1:1:cluster/b")
                .build()
        });
    let d = mock!(aws_sdk_ecs::Client::describe_clusters).then_output(|| {
        DescribeClustersOutput::builder()
            .clusters(Cluster::builder().cluster_name("b").build())
            .build()
    });
    let mut ctx = context();
    ctx.ecs = mock_client!(aws_sdk_ecs, RuleMode::MatchAny, [&p1, &p2, &d]);
    // "b" is only on the second page.
    assert_eq!(cluster::resolve(&ctx, Some("b")).await.unwrap().name, "b");
    let err = cluster::resolve(&ctx, None).await.unwrap_err();
    assert!(err.to_string().contains("2 clusters here"), "{err}");
}

#[tokio::test]
async fn tasks_and_container_instances_read_every_page_and_batch_by_100() {
    let task_arn = |n: usize| format!("arn:aws:ecs:us-east-1:1:task/navoy/t{n:03}");
    let running1 = mock!(aws_sdk_ecs::Client::list_tasks)
        .match_requests(|r| {
            r.desired_status() == Some(&DesiredStatus::Running) && r.next_token().is_none()
        })
        .then_output(move || {
            ListTasksOutput::builder()
                .set_task_arns(Some((0..100).map(task_arn).collect()))
                .next_token("r")
                .build()
        });
    let running2 = mock!(aws_sdk_ecs::Client::list_tasks)
        .match_requests(|r| r.next_token() == Some("r"))
        .then_output(move || {
            ListTasksOutput::builder()
                .set_task_arns(Some((100..150).map(task_arn).collect()))
                .build()
        });
    let stopped = mock!(aws_sdk_ecs::Client::list_tasks)
        .match_requests(|r| r.desired_status() == Some(&DesiredStatus::Stopped))
        .then_output(|| ListTasksOutput::builder().build());
    let describe = mock!(aws_sdk_ecs::Client::describe_tasks).then_compute_output(|r| {
        assert!(r.tasks().len() <= 100);
        let tasks = r
            .tasks()
            .iter()
            .map(|a| {
                Task::builder()
                    .task_arn(a)
                    .task_definition_arn("arn:td/app:1")
                    .build()
            })
            .collect();
        DescribeTasksOutput::builder()
            .set_tasks(Some(tasks))
            .build()
    });
    let td = mock!(aws_sdk_ecs::Client::describe_task_definition)
        .then_output(|| DescribeTaskDefinitionOutput::builder().build());
    let ci1 = mock!(aws_sdk_ecs::Client::list_container_instances)
        .match_requests(|r| r.next_token().is_none())
        .then_output(|| {
            ListContainerInstancesOutput::builder()
                .container_instance_arns("arn:ci/1")
                .next_token("c")
                .build()
        });
    let ci2 = mock!(aws_sdk_ecs::Client::list_container_instances)
        .match_requests(|r| r.next_token() == Some("c"))
        .then_output(|| {
            ListContainerInstancesOutput::builder()
                .container_instance_arns("arn:ci/2")
                .build()
        });
    let dci = mock!(aws_sdk_ecs::Client::describe_container_instances).then_compute_output(|r| {
        let cis = r
            .container_instances()
            .iter()
            .map(|a| {
                ContainerInstance::builder()
                    .container_instance_arn(a)
                    .build()
            })
            .collect();
        DescribeContainerInstancesOutput::builder()
            .set_container_instances(Some(cis))
            .build()
    });
    let mut ctx = context();
    ctx.ecs = mock_client!(
        aws_sdk_ecs,
        RuleMode::MatchAny,
        [
            &running1, &running2, &stopped, &describe, &td, &ci1, &ci2, &dci
        ]
    );
    let tasks = ecs::tasks(&ctx, "navoy", &Carry::default())
        .await
        .unwrap()
        .tasks;
    assert_eq!(tasks.len(), 150);
    assert_eq!(describe.num_calls(), 2, "150 tasks take 2 DescribeTasks");
    assert_eq!(td.num_calls(), 1, "one task definition described once");
    let cis = ecs::container_instances(&ctx, "navoy").await.unwrap();
    assert_eq!(
        cis.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        ["1", "2"]
    );
}

#[tokio::test]
async fn subnets_and_auto_scaling_groups_read_every_page() {
    let s1 = mock!(aws_sdk_ec2::Client::describe_subnets)
        .match_requests(|r| r.next_token().is_none())
        .then_output(|| {
            DescribeSubnetsOutput::builder()
                .subnets(Subnet::builder().subnet_id("subnet-1").build())
                .next_token("n")
                .build()
        });
    let s2 = mock!(aws_sdk_ec2::Client::describe_subnets)
        .match_requests(|r| r.next_token() == Some("n"))
        .then_output(|| {
            DescribeSubnetsOutput::builder()
                .subnets(Subnet::builder().subnet_id("subnet-2").build())
                .build()
        });
    let others = [
        mock!(aws_sdk_ec2::Client::describe_vpcs).then_output(|| aws_sdk_ec2::operation::describe_vpcs::DescribeVpcsOutput::builder().build()),
        mock!(aws_sdk_ec2::Client::describe_route_tables).then_output(|| aws_sdk_ec2::operation::describe_route_tables::DescribeRouteTablesOutput::builder().build()),
        mock!(aws_sdk_ec2::Client::describe_internet_gateways).then_output(|| aws_sdk_ec2::operation::describe_internet_gateways::DescribeInternetGatewaysOutput::builder().build()),
        mock!(aws_sdk_ec2::Client::describe_nat_gateways).then_output(|| aws_sdk_ec2::operation::describe_nat_gateways::DescribeNatGatewaysOutput::builder().build()),
        mock!(aws_sdk_ec2::Client::describe_security_groups).then_output(|| aws_sdk_ec2::operation::describe_security_groups::DescribeSecurityGroupsOutput::builder().build()),
    ];
    let mut ctx = context();
    let rules: Vec<&aws_smithy_mocks::Rule> = [&s1, &s2].into_iter().chain(others.iter()).collect();
    ctx.ec2 = mock_client!(aws_sdk_ec2, RuleMode::MatchAny, rules);
    let net = navoy_console::aws::network::network(&ctx).await.unwrap();
    assert_eq!(
        net.subnets
            .iter()
            .map(|s| s.id.as_str())
            .collect::<Vec<_>>(),
        ["subnet-1", "subnet-2"]
    );

    let group = |name: &str| {
        AutoScalingGroup::builder()
            .auto_scaling_group_name(name)
            .min_size(1)
            .max_size(4)
            .desired_capacity(2)
            .build()
    };
    let a1 = mock!(aws_sdk_autoscaling::Client::describe_auto_scaling_groups)
        .match_requests(|r| r.next_token().is_none())
        .then_output(move || {
            DescribeAutoScalingGroupsOutput::builder()
                .auto_scaling_groups(group("a"))
                .next_token("g")
                .build()
        });
    let a2 = mock!(aws_sdk_autoscaling::Client::describe_auto_scaling_groups)
        .match_requests(|r| r.next_token() == Some("g"))
        .then_output(move || {
            DescribeAutoScalingGroupsOutput::builder()
                .auto_scaling_groups(group("b"))
                .build()
        });
    ctx.autoscaling = mock_client!(aws_sdk_autoscaling, RuleMode::MatchAny, [&a1, &a2]);
    let groups = compute::auto_scaling_groups(&ctx, &[]).await.unwrap();
    assert_eq!(
        groups.iter().map(|g| g.name.as_str()).collect::<Vec<_>>(),
        ["a", "b"]
    );
}

#[tokio::test]
async fn listeners_read_every_page() {
    let tg = || {
        TargetGroup::builder()
            .target_group_arn("arn:tg/app")
            .load_balancer_arns("arn:lb/app")
            .build()
    };
    let rules = [
        mock!(aws_sdk_elasticloadbalancingv2::Client::describe_target_groups).then_output(
            move || {
                DescribeTargetGroupsOutput::builder()
                    .target_groups(tg())
                    .build()
            },
        ),
        mock!(aws_sdk_elasticloadbalancingv2::Client::describe_target_health)
            .then_output(|| DescribeTargetHealthOutput::builder().build()),
        mock!(aws_sdk_elasticloadbalancingv2::Client::describe_target_group_attributes)
            .then_output(|| DescribeTargetGroupAttributesOutput::builder().build()),
        mock!(aws_sdk_elasticloadbalancingv2::Client::describe_load_balancers).then_output(|| {
            DescribeLoadBalancersOutput::builder()
                .load_balancers(
                    LoadBalancer::builder()
                        .load_balancer_arn("arn:lb/app")
                        .build(),
                )
                .build()
        }),
        mock!(aws_sdk_elasticloadbalancingv2::Client::describe_listeners)
            .match_requests(|r| r.marker().is_none())
            .then_output(|| {
                DescribeListenersOutput::builder()
                    .listeners(Listener::builder().port(80).build())
                    .next_marker("m")
                    .build()
            }),
        mock!(aws_sdk_elasticloadbalancingv2::Client::describe_listeners)
            .match_requests(|r| r.marker() == Some("m"))
            .then_output(|| {
                DescribeListenersOutput::builder()
                    .listeners(Listener::builder().port(443).build())
                    .build()
            }),
    ];
    let mut ctx = context();
    ctx.elb = mock_client!(
        aws_sdk_elasticloadbalancingv2,
        RuleMode::MatchAny,
        rules.iter()
    );
    let (lbs, tgs) = elb::load(&ctx, &["arn:tg/app".to_owned()]).await.unwrap();
    assert_eq!(tgs.len(), 1);
    assert_eq!(
        lbs[0].listeners.iter().map(|l| l.port).collect::<Vec<_>>(),
        [80, 443]
    );
}
