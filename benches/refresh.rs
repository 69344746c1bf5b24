//! Refresh at scale: seeds a large estate into a local moto and times one full snapshot refresh.
//!
//! `cargo bench --bench refresh -- [--services N] [--tasks N] [--instances N] [--targets N]
//! [--target-groups N] [--out FILE]` prints one JSON object: wall time of full and steady
//! refreshes, the console's and moto's CPU, API calls per operation, and any request sent twice.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::cast_precision_loss,
    clippy::too_many_lines,
    reason = "a bench binary fails loudly and prints approximate figures"
)]

#[path = "refresh/estate.rs"]
mod estate;
#[path = "../tests/support/moto.rs"]
#[allow(dead_code, reason = "shared with the tests; the bench uses part of it")]
mod moto;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, SharedHttpConnector, http_client_fn,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use navoy_console::aws::carry::{self, Carry};
use navoy_console::aws::{AwsContext, cluster, snapshot};
use navoy_console::model::Snapshot;

use estate::{Size, seed};

/// CPU seconds (user + system) a process has used so far, from /proc (Linux; 0 elsewhere).
fn cpu_s(pid: &str) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0.0;
    };
    // Fields after the ")" that closes the command name: utime is the 12th, stime the 13th.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks: f64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i)?.parse::<f64>().ok())
        .sum();
    ticks / 100.0 // USER_HZ, 100 on Linux
}

/// Every request sent through it, as (operation target and URI, body): signatures and dates
/// left out, so two requests that ask the same thing are equal.
#[derive(Debug, Clone, Default)]
struct Recorded(Arc<Mutex<Vec<(String, String)>>>);

#[derive(Debug)]
struct Recording {
    inner: SharedHttpConnector,
    seen: Recorded,
}

impl HttpConnector for Recording {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let target = request.headers().get("x-amz-target").unwrap_or_default();
        let what = format!("{target} {}", request.uri());
        let body = request
            .body()
            .bytes()
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default();
        self.seen.0.lock().unwrap().push((what, body));
        self.inner.call(request)
    }
}

/// One more full refresh, untimed, through a connector that records every request; returns
/// the requests sent more than once, with their counts.
async fn repeated_requests(settings: &navoy_console::aws::AwsSettings) -> Vec<String> {
    let sdk = navoy_console::aws::context::sdk_config(settings).await;
    let inner = sdk.http_client().expect("the console sets its HTTP client");
    let seen = Recorded::default();
    let recorder = seen.clone();
    let sdk = sdk
        .into_builder()
        .http_client(http_client_fn(move |settings, components| {
            SharedHttpConnector::new(Recording {
                inner: inner.http_connector(settings, components),
                seen: recorder.clone(),
            })
        }))
        .build();
    let ctx = AwsContext::from_sdk_config(&sdk, settings).unwrap();
    let c = cluster::resolve(&ctx, Some("scale")).await.unwrap();
    let snap = snapshot::gather(&ctx, c).await;
    assert!(snap.unavailable().is_empty(), "{:?}", snap.unavailable());
    let requests = std::mem::take(&mut *seen.0.lock().unwrap());
    assert_eq!(
        requests.len() as u64,
        ctx.calls.total(),
        "every call (resolving the cluster included) was recorded once"
    );
    let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
    for r in requests {
        *counts.entry(r).or_default() += 1;
    }
    counts
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|((what, body), n)| {
            format!("{n}x {what} {}", body.chars().take(120).collect::<String>())
        })
        .collect()
}

fn calls_of(snap: &Snapshot) -> serde_json::Map<String, serde_json::Value> {
    snap.api_calls
        .iter()
        .map(|c| (c.operation.clone(), serde_json::json!(c.calls)))
        .collect()
}

fn arg(args: &[String], name: &str, default: usize) -> usize {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map_or(default, |v| v.parse().expect("a whole number"))
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let size = Size {
        services: arg(&args, "--services", 2000),
        tasks: arg(&args, "--tasks", 5000),
        instances: arg(&args, "--instances", 50),
        targets: arg(&args, "--targets", 1000),
        groups: arg(&args, "--target-groups", 10),
    };
    // A steady estate: moto reports every service's desired task as running (left to itself
    // it reports none running, and each service would look mid-deployment for ever).
    // Tests check the emulator's ECS serialiser against moto's; the bench times the fast path.
    let moto = moto::Moto::start_with(&[
        ("MOTO_ECS_SERVICE_RUNNING", "1"),
        ("NAVOY_MOTO_SERIALIZER", "fast"),
    ]);
    let ctx = moto.context().await;
    let t0 = Instant::now();
    seed(&ctx, &size).await;
    let seed_s = t0.elapsed().as_secs_f64();
    eprintln!(
        "seeded {} services, {} tasks, {} instances in {seed_s:.1}s",
        size.services, size.tasks, size.instances
    );

    // Full refreshes: nothing carried, everything described (the console's first refresh,
    // a manual refresh, the one after an operation).
    let mut runs = Vec::new();
    let mut cpu = Vec::new();
    let mut moto_cpu = Vec::new();
    let moto_pid = moto.pid().to_string();
    for _ in 0..3 {
        let (t, cpu0, moto0) = (Instant::now(), cpu_s("self"), cpu_s(&moto_pid));
        let c = cluster::resolve(&ctx, Some("scale")).await.unwrap();
        let snap = snapshot::gather(&ctx, c).await;
        let wall = t.elapsed().as_secs_f64();
        cpu.push(cpu_s("self") - cpu0);
        moto_cpu.push(cpu_s(&moto_pid) - moto0);
        assert!(snap.unavailable().is_empty(), "{:?}", snap.unavailable());
        runs.push((wall, snap));
    }
    let (best, snap) = runs.iter().min_by(|a, b| a.0.total_cmp(&b.0)).unwrap();
    // Steady state: the console's periodic refreshes, each carrying settled descriptions over
    // from the last; two whole rotations, so every carried description is renewed twice.
    let mut carry = Carry::default();
    let c = cluster::resolve(&ctx, Some("scale")).await.unwrap();
    snapshot::refresh(&ctx, c, &mut carry).await;
    let mut steady = Vec::new();
    for _ in 0..2 * carry::ROTATION {
        let t = Instant::now();
        let c = cluster::resolve(&ctx, Some("scale")).await.unwrap();
        let warm = snapshot::refresh(&ctx, c, &mut carry).await;
        let wall = t.elapsed().as_secs_f64();
        assert!(warm.unavailable().is_empty(), "{:?}", warm.unavailable());
        assert_eq!(
            (warm.services().len(), warm.tasks().len()),
            (snap.services().len(), snap.tasks().len()),
            "a steady refresh sees the whole estate"
        );
        steady.push((wall, warm.total_api_calls(), calls_of(&warm)));
    }
    steady.sort_by(|a, b| a.0.total_cmp(&b.0));
    let worst = steady.last().unwrap();
    let calls = calls_of(snap);
    // Within one refresh no request may be sent twice (the same operation with the same body).
    let repeated = repeated_requests(&moto.settings()).await;
    let result = serde_json::json!({
        "figure": "refresh_at_scale",
        "services": snap.services().len(),
        "tasks": snap.tasks().len(),
        "container_instances": snap.container_instances().len(),
        "targets": snap.target_groups().iter().map(|g| g.targets.len()).sum::<usize>(),
        "wall_s_best_of_3": best,
        "wall_s_runs": runs.iter().map(|r| r.0).collect::<Vec<_>>(),
        // The console's own share of a full refresh (the rest is the endpoint answering).
        "console_cpu_s_runs": cpu,
        // moto's CPU over the same refreshes: one Python process, so one core at most.
        "endpoint_cpu_s_runs": moto_cpu,
        "api_calls_total": snap.total_api_calls(),
        "api_calls": calls,
        "repeated_calls": repeated,
        "steady_wall_s_median": steady[steady.len() / 2].0,
        "steady_wall_s_max": worst.0,
        "steady_wall_s_runs": steady.iter().map(|r| r.0).collect::<Vec<_>>(),
        "steady_api_calls_total_max": steady.iter().map(|r| r.1).max(),
        "steady_api_calls_slowest": worst.2,
        "seed_s": seed_s,
    });
    println!("{result}");
    if let Some(out) = args
        .iter()
        .position(|a| a == "--out")
        .and_then(|i| args.get(i + 1))
    {
        std::fs::write(out, result.to_string()).unwrap();
    }
}
