//! Operations against a live stack (the endpoint in `NAVOY_TEST_ENDPOINT`): real effects, audit, refusals.
//!
//! They need the stack up, so `cargo test` lists them as ignored; `scripts/tests/e2e.sh`
//! brings the stack up and runs them (`-- --ignored`), and fails unless both pass.
//!
//! The drill changes the shared stack, so its steps run in order under one lock and put the
//! stack back as they found it (desired count, instance states).

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use navoy_console::aws::{AwsContext, AwsSettings};
use navoy_console::cli::RunArgs;
use navoy_console::model::Snapshot;
use navoy_console::ops::audit::{AuditContext, AuditLog};
use navoy_console::ops::headless::{Answer, Report, Session, Spec, run_operation};
use navoy_console::status;

mod drill;
mod refusals;

/// The stack is shared: one operation test at a time.
static STACK: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Why these tests are ignored by a plain `cargo test`.
const LIVE: &str = "needs the live local stack: scripts/tests/e2e.sh brings it up and runs these";

fn endpoint() -> String {
    std::env::var("NAVOY_TEST_ENDPOINT")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| panic!("NAVOY_TEST_ENDPOINT is not set: {LIVE}"))
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
}

fn cli(url: &str, audit: &Path, args: &[&str]) -> Run {
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

/// Runs one operation through the same flow as the binary, audited to `log`.
async fn apply(url: &str, log: &Path, spec: Spec, run: RunArgs) -> (Report, f64) {
    let ctx = context(url, false).await;
    let audit = AuditContext::for_context(&ctx, Some("navoy")).await;
    let log = AuditLog::at(log);
    let session = Session {
        ctx: &ctx,
        audit: &audit,
        log: Some(&log),
        read_only: false,
    };
    let snap = status::load(&ctx, Some("navoy")).await;
    let started = Instant::now();
    let report = run_operation(
        &session,
        Some(snap),
        &spec,
        &run,
        &mut |_| Answer::Confirmed,
        &mut |_| {},
    )
    .await;
    (report, started.elapsed().as_secs_f64())
}

fn yes_wait() -> RunArgs {
    RunArgs {
        yes: true,
        wait: true,
        timeout: 240,
        ..RunArgs::default()
    }
}
