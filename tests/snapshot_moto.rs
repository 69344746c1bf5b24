//! The snapshot against a real moto server holding the seed architecture.

use navoy_console::aws::{AwsContext, ErrorKind, cluster, snapshot};
use navoy_console::model::{SubnetTier, TargetHealth};
use navoy_console::status;

use crate::support::{moto::Moto, seed};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn snapshot_of_the_seed_stack_is_complete_and_joined() {
    let moto = Moto::start();
    let ctx = moto.context().await;
    let seed = seed::build(&ctx).await;
    ctx.calls.reset();

    let snap = status::load(&ctx, None).await.unwrap();
    assert!(snap.unavailable().is_empty(), "{:?}", snap.unavailable());
    assert_eq!(snap.cluster.as_ref().unwrap().name, "navoy");
    assert!(
        snap.tasks()
            .iter()
            .all(|t| t.stopped_reason.as_deref() != Some("")),
        "an empty stop reason is no reason"
    );

    let net = snap.network().unwrap();
    let ours: Vec<_> = net
        .subnets
        .iter()
        .filter(|s| s.vpc_id == seed.vpc)
        .collect();
    assert_eq!(ours.len(), 4);
    let mut azs: Vec<&str> = ours.iter().map(|s| s.az.as_str()).collect();
    azs.sort_unstable();
    azs.dedup();
    assert_eq!(azs, ["us-east-1a", "us-east-1b"]);
    for id in &seed.public {
        assert_eq!(net.subnet(id).unwrap().tier, SubnetTier::Public, "{id}");
    }
    for id in &seed.private {
        let s = net.subnet(id).unwrap();
        assert_eq!(s.tier, SubnetTier::Private, "{id}");
        assert!(s.default_route.as_deref().unwrap().starts_with("nat-"));
    }
    let alb = &net
        .security_groups
        .iter()
        .find(|g| g.name == "navoy-ecs")
        .unwrap()
        .ingress[0];
    assert_eq!(
        (alb.ports.as_str(), alb.peer.contains("navoy-alb")),
        ("3000", true)
    );

    assert_eq!(snap.load_balancers().len(), 1);
    assert_eq!(snap.load_balancers()[0].listeners[0].port, 80);
    let tg = &snap.target_groups()[0];
    assert_eq!(tg.arn, seed.target_group);
    assert_eq!(tg.health_check.path.as_deref(), Some("/health"));
    assert_eq!(tg.targets.len(), 2);

    let svc = &snap.services()[0];
    assert_eq!((svc.name.as_str(), svc.desired), ("navoy-app", 2));
    let tasks = snap.tasks();
    assert_eq!(tasks.len(), 2);
    for t in tasks {
        assert_eq!(t.service.as_deref(), Some("navoy-app"));
        assert!(seed.task_ips.contains(t.private_ip.as_ref().unwrap()));
        assert_eq!(
            t.target_health(),
            Some(TargetHealth::Healthy),
            "task {} joined to its target",
            t.id
        );
        assert!(seed.instances.contains(t.instance_id.as_ref().unwrap()));
        let log = t.containers[0].log.as_ref().unwrap();
        assert_eq!(log.group, "/ecs/navoy-app");
        assert_eq!(
            log.stream.as_deref(),
            Some(format!("navoy/app/{}", t.id).as_str())
        );
    }
    for target in &tg.targets {
        assert!(
            target.task_arn.is_some(),
            "target {} joined to a task",
            target.id
        );
    }
    let cis = snap.container_instances();
    assert_eq!(cis.len(), 2);
    for ci in cis {
        assert_eq!(ci.status, "ACTIVE");
        assert!(
            ci.subnet_id
                .as_ref()
                .is_some_and(|s| seed.private.contains(s))
        );
    }

    // Batching: one describe per family at this size, and nothing asked twice per snapshot.
    let count = |op: &str| {
        snap.api_calls
            .iter()
            .find(|c| c.operation == op)
            .map_or(0, |c| c.calls)
    };
    assert_eq!(count("DescribeServices"), 1);
    assert_eq!(count("DescribeTasks"), 1);
    assert_eq!(count("DescribeContainerInstances"), 1);
    assert_eq!(count("DescribeTargetHealth"), 1);
    assert_eq!(count("DescribeTaskDefinition"), 1);
    assert!(
        snap.total_api_calls() < 40,
        "{} calls",
        snap.total_api_calls()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cluster_choice_is_explained() {
    let moto = Moto::start();
    let ctx = moto.context().await;
    let err = cluster::resolve(&ctx, None).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotFound);
    assert!(err.to_string().contains("no ECS clusters"), "{err}");
    for name in ["blue", "green"] {
        ctx.ecs
            .create_cluster()
            .cluster_name(name)
            .send()
            .await
            .unwrap();
    }
    let err = cluster::resolve(&ctx, None).await.unwrap_err();
    assert!(
        err.to_string().contains("blue, green") || err.to_string().contains("green, blue"),
        "{err}"
    );
    let err = cluster::resolve(&ctx, Some("navoy")).await.unwrap_err();
    assert!(
        err.to_string().contains("cluster 'navoy' not found"),
        "{err}"
    );
    let ok = cluster::resolve(&ctx, Some("green")).await.unwrap();
    assert_eq!(ok.name, "green");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_cluster_gives_empty_sections_not_errors() {
    let moto = Moto::start();
    let ctx = moto.context().await;
    ctx.ecs
        .create_cluster()
        .cluster_name("empty")
        .send()
        .await
        .unwrap();
    let c = cluster::resolve(&ctx, None).await.unwrap();
    let snap = snapshot::gather(&ctx, c).await;
    assert!(snap.unavailable().is_empty(), "{:?}", snap.unavailable());
    assert!(
        snap.services().is_empty() && snap.tasks().is_empty() && snap.target_groups().is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_endpoint_is_one_clear_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let settings = navoy_console::aws::AwsSettings {
        endpoint_url: Some(format!("http://127.0.0.1:{port}")),
        local: true,
        ..Default::default()
    };
    let ctx = AwsContext::connect(&settings).await.unwrap();
    let err = status::load(&ctx, None).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unreachable, "{err}");
    assert_eq!(status::exit_code(&err), status::exit::UNREACHABLE);
    assert!(
        err.to_string()
            .starts_with("ECS ListClusters: endpoint unreachable"),
        "{err}"
    );
}
