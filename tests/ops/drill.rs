//! The on-call drill on the live stack: scale, redeploy, drain, undrain, stop a task, scale back, each to settled.

use navoy_console::cli::RunArgs;
use navoy_console::model::{Snapshot, TargetHealth};
use navoy_console::ops::headless::Spec;

use super::{STACK, apply, audit_statuses, endpoint, snapshot, yes_wait};

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
#[ignore = "needs the live local stack: scripts/tests/e2e.sh brings it up and runs these"]
async fn the_drill_scale_redeploy_drain_undrain_scale_back_each_settles() {
    let url = endpoint();
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
