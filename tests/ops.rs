//! Operations against a live stack (the endpoint in `NAVOY_TEST_ENDPOINT`): real effects, audit, refusals.
//!
//! The drill changes the shared stack, so its steps run in order under one lock and put the
//! stack back as they found it (desired count, instance states).
#![expect(
    clippy::expect_used,
    reason = "test helpers fail loudly on a broken stack"
)]

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use navoy_console::aws::{AwsContext, AwsSettings};
use navoy_console::cli::RunArgs;
use navoy_console::model::Snapshot;
use navoy_console::ops::audit::{AuditContext, AuditLog};
use navoy_console::ops::headless::{Answer, Session, Spec, run_operation};
use navoy_console::status;

/// The stack is shared: one operation test at a time.
static STACK: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn endpoint() -> Option<String> {
    let url = std::env::var("NAVOY_TEST_ENDPOINT")
        .ok()
        .filter(|s| !s.is_empty());
    if url.is_none() {
        eprintln!("skipped: NAVOY_TEST_ENDPOINT is not set (the stack test harness sets it)");
    }
    url
}

async fn context(url: &str, read_only: bool) -> AwsContext {
    AwsContext::connect(&AwsSettings {
        endpoint_url: Some(url.to_owned()),
        region: Some("us-east-1".into()),
        // Test credentials when the environment has none.
        local: true,
        read_only,
        ..AwsSettings::default()
    })
    .await
    .expect("context")
}

async fn snapshot(url: &str) -> Snapshot {
    let ctx = context(url, false).await;
    status::load(&ctx, Some("navoy"))
        .await
        .expect("the stack is up")
}

/// Desired count and task definition per service, status per instance, desired per ASG.
type State = (
    Vec<(String, i32, String)>,
    Vec<(String, String)>,
    Vec<(String, i32)>,
);

/// What an operation may change, to compare before and after.
fn state(s: &Snapshot) -> State {
    (
        s.services()
            .iter()
            .map(|x| (x.name.clone(), x.desired, x.task_definition.clone()))
            .collect(),
        s.container_instances()
            .iter()
            .map(|c| (c.id.clone(), c.status.clone()))
            .collect(),
        s.auto_scaling_groups()
            .iter()
            .map(|g| (g.name.clone(), g.desired))
            .collect(),
    )
}

struct Run {
    code: i32,
    json: serde_json::Value,
    stderr: String,
    seconds: f64,
}

fn cli(url: &str, audit: &Path, args: &[&str]) -> Run {
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_navoy-console"))
        .args([
            "--endpoint-url",
            url,
            "--region",
            "us-east-1",
            "--cluster",
            "navoy",
        ])
        .args(args)
        .env("NAVOY_AUDIT_LOG", audit)
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env_remove("AWS_PROFILE")
        .output()
        .expect("the binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    Run {
        code: out.status.code().unwrap_or(-1),
        json: serde_json::from_str(&stdout).unwrap_or(serde_json::Value::Null),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        seconds: started.elapsed().as_secs_f64(),
    }
}

fn audit_statuses(log: &Path) -> Vec<(String, String)> {
    AuditLog::at(log)
        .read_all()
        .expect("audit log readable")
        .into_iter()
        .map(|r| (r.operation, r.outcome.status))
        .collect()
}

/// Refusals, read-only and dry runs through the library, counting every call each makes.
#[expect(clippy::too_many_lines, reason = "one table of cases, then one loop")]
async fn refuse_through_the_library(url: &str, log_path: &Path, before: &Snapshot) {
    let first = before.container_instances()[0].id.clone();
    let specs = [
        (
            Spec::Scale {
                service: None,
                count: -1,
            },
            false,
            false,
        ),
        (
            Spec::Scale {
                service: None,
                count: 1000,
            },
            false,
            false,
        ),
        (
            Spec::Scale {
                service: Some("no-such-service".into()),
                count: 2,
            },
            false,
            false,
        ),
        (
            Spec::Drain {
                instance: "i-0000000000nosuch".into(),
                release: false,
            },
            false,
            false,
        ),
        (
            Spec::AsgCapacity {
                asg: None,
                count: 1000,
            },
            false,
            false,
        ),
        (
            Spec::Scale {
                service: None,
                count: 4,
            },
            true,
            false,
        ),
        (
            Spec::Drain {
                instance: first.clone(),
                release: true,
            },
            true,
            false,
        ),
        (
            Spec::Undrain {
                instance: first.clone(),
            },
            true,
            false,
        ),
        (
            Spec::Scale {
                service: None,
                count: 4,
            },
            false,
            true,
        ),
        (
            Spec::Drain {
                instance: first.clone(),
                release: false,
            },
            false,
            true,
        ),
    ];
    for (spec, read_only, dry_run) in specs {
        let ctx = context(url, read_only).await;
        let audit = AuditContext::for_context(&ctx, Some("navoy")).await;
        let log = AuditLog::at(log_path);
        let session = Session {
            ctx: &ctx,
            audit: &audit,
            log: Some(&log),
            read_only,
        };
        let snap = (!read_only).then(|| Ok(before.clone()));
        let run = RunArgs {
            yes: true,
            dry_run,
            timeout: 60,
            ..RunArgs::default()
        };
        let report = run_operation(
            &session,
            snap,
            &spec,
            &run,
            &mut |_| Answer::Confirmed,
            &mut |_| {},
        )
        .await;
        let expected = if dry_run { "dry_run" } else { "refused" };
        assert_eq!(report.status, expected, "{spec:?}: {:?}", report.message);
        assert_eq!(
            ctx.calls.mutating_calls(),
            0,
            "{spec:?} made a mutating call"
        );
    }
}

#[tokio::test]
async fn refusals_read_only_and_dry_run_change_nothing_and_call_nothing_mutating() {
    let Some(url) = endpoint() else { return };
    let _stack = STACK.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let log_path = dir.path().join("audit.jsonl");
    let before = snapshot(&url).await;

    refuse_through_the_library(&url, &log_path, &before).await;

    // Through the binary: exit codes and messages.
    let neg = cli(&url, &log_path, &["scale", "--count", "-1", "--yes"]);
    assert_eq!(neg.code, 2, "{}", neg.stderr);
    let nan = cli(&url, &log_path, &["scale", "--count", "four", "--yes"]);
    assert_eq!(nan.code, 2, "{}", nan.stderr);
    let unknown = cli(&url, &log_path, &["undrain", "--instance", "nope", "--yes"]);
    assert_eq!(unknown.code, 3, "{}", unknown.stderr);
    assert!(unknown.stderr.contains("candidates:"), "{}", unknown.stderr);
    let ro = cli(
        &url,
        &log_path,
        &["--read-only", "scale", "--count", "4", "--yes", "--json"],
    );
    assert_eq!(ro.code, 6, "{}", ro.stderr);
    assert_eq!(ro.json["status"], "refused");
    let no_tty = cli(&url, &log_path, &["scale", "--count", "4"]);
    assert_eq!(
        no_tty.code, 6,
        "without --yes and without a terminal: {}",
        no_tty.stderr
    );

    let after = snapshot(&url).await;
    assert_eq!(state(&before), state(&after), "nothing changed");
    let statuses = audit_statuses(&log_path);
    assert!(
        statuses
            .iter()
            .all(|(_, s)| s == "refused" || s == "dry_run"),
        "{statuses:?}"
    );
    assert_eq!(
        statuses.len(),
        13,
        "every attempt past the argument parser is audited: {statuses:?}"
    );
}

/// Drains the first instance (refusing to drain the last one meanwhile), then undrains it.
async fn drain_and_undrain(
    url: &str,
    log: &Path,
    s: &Snapshot,
    step: &mut impl FnMut(&str, &[&str]) -> Run,
) -> Snapshot {
    let instances: Vec<String> = s
        .container_instances()
        .iter()
        .map(|c| c.id.clone())
        .collect();
    assert!(
        instances.len() >= 2,
        "the drill needs two instances: {instances:?}"
    );
    let (a, b) = (instances[0].clone(), instances[1].clone());
    step("drain", &["drain", "--instance", &a]);
    let s = snapshot(url).await;
    let drained = s
        .container_instances()
        .iter()
        .find(|c| c.id == a)
        .expect("the drained instance");
    assert_eq!(
        (drained.status.as_str(), drained.running_tasks),
        ("DRAINING", 0)
    );
    assert_eq!(s.services()[0].running, 4, "the tasks moved elsewhere");
    if instances.len() == 2 {
        let last = cli(url, log, &["drain", "--instance", &b, "--yes", "--force"]);
        assert_eq!(
            last.code, 6,
            "draining the last ACTIVE instance: {}",
            last.stderr
        );
        assert!(
            last.stderr.contains("last ACTIVE instance"),
            "{}",
            last.stderr
        );
    }
    step("undrain", &["undrain", "--instance", &a]);
    let s = snapshot(url).await;
    assert_eq!(
        s.container_instances()
            .iter()
            .find(|c| c.id == a)
            .expect("the undrained instance")
            .status,
        "ACTIVE"
    );

    s
}

#[tokio::test]
async fn the_drill_scale_redeploy_drain_undrain_scale_back_each_settles() {
    let Some(url) = endpoint() else { return };
    let _stack = STACK.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.jsonl");
    let before = snapshot(&url).await;
    let svc = before.services()[0].clone();
    let original = svc.desired;
    let mut timings = Vec::new();
    let mut step = |name: &str, args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--yes", "--wait", "--timeout", "240", "--json"]);
        let r = cli(&url, &log, &all);
        timings.push((name.to_owned(), r.seconds));
        assert_eq!(r.code, 0, "{name}: {}\n{}", r.json, r.stderr);
        assert_eq!(r.json["status"], "settled", "{name}: {}", r.json);
        r
    };

    step("scale up", &["scale", "--count", "4"]);
    let s = snapshot(&url).await;
    let app = &s.services()[0];
    assert_eq!((app.desired, app.running), (4, 4));
    let healthy = s.target_groups()[0].count(navoy_console::model::TargetHealth::Healthy);
    assert!(healthy >= 4, "4 healthy targets, got {healthy}");

    step("redeploy", &["redeploy"]);
    let s = snapshot(&url).await;
    assert_eq!(s.services()[0].deployments.len(), 1);
    assert_ne!(
        s.services()[0].deployments[0].id,
        app.deployments[0].id,
        "a new deployment"
    );

    let s = drain_and_undrain(&url, &log, &s, &mut step).await;

    let task = s
        .tasks()
        .iter()
        .find(|t| t.last_status == "RUNNING")
        .map(|t| t.id.clone())
        .unwrap();
    step(
        "stop task",
        &["stop-task", "--task", &task, "--reason", "drill"],
    );
    step("scale back", &["scale", "--count", &original.to_string()]);
    let s = snapshot(&url).await;
    assert_eq!(s.services()[0].desired, original);

    let statuses = audit_statuses(&log);
    for op in ["scale", "redeploy", "drain", "undrain", "stop-task"] {
        assert!(
            statuses.contains(&(op.into(), "applied".into())),
            "{op}: {statuses:?}"
        );
        assert!(
            statuses.contains(&(op.into(), "settled".into())),
            "{op}: {statuses:?}"
        );
    }
    for (name, secs) in &timings {
        eprintln!("drill: {name} settled in {secs:.1} s");
    }
}
