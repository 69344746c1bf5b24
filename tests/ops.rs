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
use navoy_console::model::TargetHealth;
use navoy_console::ops::audit::{AuditContext, AuditLog};
use navoy_console::ops::headless::{Answer, Report, Session, Spec, run_operation};
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

/// Puts the stack back when the drill ends, passed or failed: every instance that was ACTIVE
/// is ACTIVE again, the service at its original count.
struct Restore {
    url: String,
    log: std::path::PathBuf,
    desired: i32,
    instances: Vec<String>,
}

impl Drop for Restore {
    fn drop(&mut self) {
        let (url, log) = (self.url.clone(), self.log.clone());
        let (desired, instances) = (self.desired, self.instances.clone());
        // Its own thread and runtime: this may run while the test's runtime unwinds.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async {
                let run = RunArgs {
                    yes: true,
                    force: true,
                    timeout: 60,
                    ..RunArgs::default()
                };
                for instance in instances {
                    apply(&url, &log, Spec::Undrain { instance }, run.clone()).await;
                }
                let scale = Spec::Scale {
                    service: None,
                    count: desired,
                };
                apply(&url, &log, scale, run).await;
            });
        })
        .join();
    }
}

/// The drill's steps, each timed to settled.
struct Timings<'a> {
    url: String,
    log: std::path::PathBuf,
    done: &'a mut Vec<(String, f64)>,
}

impl Timings<'_> {
    async fn settle(&mut self, name: &str, spec: Spec) {
        let (r, secs) = apply(&self.url, &self.log, spec, yes_wait()).await;
        self.done.push((name.to_owned(), secs));
        assert_eq!(
            (r.status.as_str(), r.exit_code),
            ("settled", 0),
            "{name}: {:?} {:?}",
            r.message,
            r.watch
        );
    }

    /// Drains the first instance (refusing to drain the last one meanwhile), then undrains it.
    async fn drain_and_undrain(&mut self, active: &[String]) -> Snapshot {
        let (a, b) = (active[0].clone(), active[1].clone());
        self.settle(
            "drain",
            Spec::Drain {
                instance: a.clone(),
                release: false,
            },
        )
        .await;
        let s = snapshot(&self.url).await;
        let drained = s
            .container_instances()
            .iter()
            .find(|c| c.id == a)
            .expect("drained");
        assert_eq!(
            (drained.status.as_str(), drained.running_tasks),
            ("DRAINING", 0)
        );
        assert_eq!(s.services()[0].running, 4, "the tasks moved elsewhere");
        if active.len() == 2 {
            let force = RunArgs {
                yes: true,
                force: true,
                timeout: 60,
                ..RunArgs::default()
            };
            let (last, _) = apply(
                &self.url,
                &self.log,
                Spec::Drain {
                    instance: b,
                    release: false,
                },
                force,
            )
            .await;
            assert_eq!(last.exit_code, 6, "{:?}", last.message);
            assert!(
                last.message
                    .unwrap_or_default()
                    .contains("last ACTIVE instance")
            );
        }
        self.settle(
            "undrain",
            Spec::Undrain {
                instance: a.clone(),
            },
        )
        .await;
        let s = snapshot(&self.url).await;
        let undrained = s
            .container_instances()
            .iter()
            .find(|c| c.id == a)
            .expect("undrained");
        assert_eq!(undrained.status, "ACTIVE");

        s
    }
}

#[tokio::test]
async fn the_drill_scale_redeploy_drain_undrain_scale_back_each_settles() {
    let Some(url) = endpoint() else { return };
    let _stack = STACK.lock().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("audit.jsonl");
    let before = snapshot(&url).await;
    let original = before.services()[0].desired;
    let active: Vec<String> = before
        .container_instances()
        .iter()
        .filter(|c| c.status == "ACTIVE")
        .map(|c| c.id.clone())
        .collect();
    assert!(
        active.len() >= 2,
        "the drill needs two ACTIVE instances: {active:?}"
    );
    let _restore = Restore {
        url: url.clone(),
        log: dir.path().join("restore.jsonl"),
        desired: original,
        instances: active.clone(),
    };
    let mut timings = Vec::new();
    let mut t = Timings {
        url: url.clone(),
        log: log.clone(),
        done: &mut timings,
    };

    t.settle(
        "scale up",
        Spec::Scale {
            service: None,
            count: 4,
        },
    )
    .await;
    let s = snapshot(&url).await;
    let app = s.services()[0].clone();
    assert_eq!((app.desired, app.running), (4, 4));
    let healthy = s.target_groups()[0].count(TargetHealth::Healthy);
    assert!(healthy >= 4, "4 healthy targets, got {healthy}");

    t.settle(
        "redeploy",
        Spec::Redeploy {
            service: None,
            image: None,
            rollback: false,
        },
    )
    .await;
    let s = snapshot(&url).await;
    assert_eq!(s.services()[0].deployments.len(), 1);
    assert_ne!(
        s.services()[0].deployments[0].id,
        app.deployments[0].id,
        "a new deployment"
    );

    let s = t.drain_and_undrain(&active).await;

    let task = s
        .tasks()
        .iter()
        .find(|t| t.last_status == "RUNNING")
        .expect("a task")
        .id
        .clone();
    t.settle(
        "stop task",
        Spec::StopTask {
            task,
            reason: "drill".into(),
        },
    )
    .await;
    t.settle(
        "scale back",
        Spec::Scale {
            service: None,
            count: original,
        },
    )
    .await;
    assert_eq!(snapshot(&url).await.services()[0].desired, original);

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
    drop(t);
    for (name, secs) in &timings {
        eprintln!("drill: {name} settled in {secs:.1} s");
    }
}
