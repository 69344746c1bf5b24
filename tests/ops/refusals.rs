//! Refusals, read-only and dry runs on the live stack: nothing changes, nothing mutating is called.

use std::path::Path;

use navoy_console::cli::RunArgs;
use navoy_console::model::Snapshot;
use navoy_console::ops::audit::{AuditContext, AuditLog};
use navoy_console::ops::headless::{Answer, Session, Spec, run_operation};

use super::{STACK, audit_statuses, cli, context, endpoint, snapshot, state};

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
#[ignore = "needs the live local stack: scripts/tests/e2e.sh brings it up and runs these"]
async fn refusals_read_only_and_dry_run_change_nothing_and_call_nothing_mutating() {
    let url = endpoint();
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
