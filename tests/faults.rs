//! Faults between the console and the endpoint: 5xx and throttling bursts are retried, a dead
//! endpoint gives one clear error and recovery needs no restart, writes are never doubled.

use std::sync::atomic::Ordering;

use navoy_console::aws::{AwsContext, AwsSettings, ErrorKind};
use navoy_console::status;

use crate::support::proxy::{Fault, Proxy};
use crate::support::{moto::Moto, seed};

async fn through(proxy: &Proxy) -> AwsContext {
    let settings = AwsSettings {
        endpoint_url: Some(proxy.endpoint.clone()),
        local: true,
        ..AwsSettings::default()
    };
    AwsContext::connect(&settings).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bursts_of_5xx_and_throttling_are_retried_and_counted() {
    let moto = Moto::start();
    seed::build(&moto.context().await).await;
    let proxy = Proxy::start(&moto.endpoint).await;
    let ctx = through(&proxy).await;

    proxy.inject(Fault::ServerError, 3);
    let snap = status::load(&ctx, None).await.unwrap();
    assert!(snap.unavailable().is_empty(), "{:?}", snap.unavailable());
    assert_eq!(proxy.faults_served.load(Ordering::SeqCst), 3);
    assert!(ctx.calls.retries() >= 3, "retries {}", ctx.calls.retries());

    proxy.inject(Fault::Throttle, 3);
    let snap = status::load(&ctx, None).await.unwrap();
    assert!(snap.unavailable().is_empty(), "{:?}", snap.unavailable());
    assert!(
        ctx.calls.throttled() >= 3,
        "throttled {}",
        ctx.calls.throttled()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_endpoint_is_one_error_and_recovery_needs_no_restart() {
    let moto = Moto::start();
    seed::build(&moto.context().await).await;
    let proxy = Proxy::start(&moto.endpoint).await;
    let ctx = through(&proxy).await;
    proxy.inject(Fault::Down, 0);
    let err = status::load(&ctx, None).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unreachable, "{err}");
    proxy.inject(Fault::Pass, 0);
    let snap = status::load(&ctx, None).await.unwrap();
    assert_eq!(snap.services().len(), 1, "the same context recovers");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_through_a_5xx_burst_is_applied_once() {
    let moto = Moto::start();
    seed::build(&moto.context().await).await;
    let proxy = Proxy::start(&moto.endpoint).await;
    let ctx = through(&proxy).await;
    proxy.inject(Fault::ServerError, 2);
    ctx.ecs
        .update_service()
        .cluster("navoy")
        .service("navoy-app")
        .desired_count(3)
        .send()
        .await
        .unwrap();
    assert_eq!(ctx.calls.mutating_calls(), 1, "one logical write");
    let attempts: u64 = ctx
        .calls
        .snapshot()
        .iter()
        .filter(|c| c.operation == "UpdateService")
        .map(|c| c.attempts)
        .sum();
    assert_eq!(attempts, 3, "two refused attempts, one applied");
    let direct = moto.context().await;
    let svc = direct
        .ecs
        .describe_services()
        .cluster("navoy")
        .services("navoy-app")
        .send()
        .await
        .unwrap();
    assert_eq!(svc.services()[0].desired_count(), 3);
}
