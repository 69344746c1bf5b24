//! One operation from snapshot to report: plan, refuse or confirm, execute, watch, audit every ending.

use std::time::{Duration, Instant};

use serde::Serialize;

use crate::aws::{AwsContext, AwsError, ErrorKind};
use crate::cli::RunArgs;
use crate::model::Snapshot;
use crate::ops::audit::{AuditContext, AuditLog, AuditOutcome};
use crate::ops::execute::{self, ExecOptions, Outcome};
use crate::ops::watch::{self, Phase, Progress, WatchOptions};
use crate::ops::{Checks, Operation, Plan, Refusal, prepare};
use crate::status::{self, exit};

use super::Spec;

/// What the operator answered to the confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Confirmed,
    /// Said no, or typed something else than asked (what they typed is not kept).
    Declined,
    /// stdin is not a terminal and `--yes` was not given.
    NoTerminal,
}

/// Everything one operation command did, for people (text) and scripts (`--json`).
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub operation: Operation,
    /// `refused`, `declined`, `dry_run`, `applied`, `failed`, `failed_halfway`, `settled`,
    /// `timed_out` or `watch_failed`.
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refusal: Option<Refusal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<Plan>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub watch: Option<Progress>,
    pub elapsed_s: f64,
    pub exit_code: u8,
    /// Set when the audit record could not be written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit_error: Option<String>,
}

/// The context an operation command runs in.
pub struct Session<'a> {
    pub ctx: &'a AwsContext,
    pub audit: &'a AuditContext,
    pub log: Option<&'a AuditLog>,
    pub read_only: bool,
}

impl Session<'_> {
    fn audit(&self, op: &Operation, plan: Option<&Plan>, outcome: AuditOutcome) -> Option<String> {
        let log = self.log?;
        let mut audit = self.audit.clone();
        if let Some(p) = plan {
            audit.cluster = Some(p.cluster.clone());
        }
        log.append(&audit.record(op, plan, outcome)).err().map(|e| {
            format!(
                "could not write the audit log {}: {e}",
                log.path().display()
            )
        })
    }
}

struct Ending {
    status: &'static str,
    message: Option<String>,
    exit_code: u8,
}

fn refusal_code(r: &Refusal) -> u8 {
    match r {
        Refusal::NotFound { .. } => exit::NOT_FOUND,
        _ => exit::REFUSED,
    }
}

fn failure_code(out: &Outcome) -> u8 {
    if !out.done.is_empty() {
        return exit::PARTIAL;
    }
    match out.failed_kind {
        Some(ErrorKind::AccessDenied) => exit::ACCESS_DENIED,
        Some(ErrorKind::Unreachable | ErrorKind::Credentials) => exit::UNREACHABLE,
        _ => exit::FAILURE,
    }
}

/// Runs `spec` over `snapshot` (`None` when read-only refused before loading), asking `confirm`
/// unless `--yes`, reporting watch progress to `progress`. Every ending is audited.
pub async fn run_operation(
    session: &Session<'_>,
    snapshot: Option<Result<Snapshot, AwsError>>,
    spec: &Spec,
    run: &RunArgs,
    confirm: &mut (dyn FnMut(&Plan) -> Answer + Send),
    progress: &mut (dyn FnMut(&Progress) + Send),
) -> Report {
    let started = Instant::now();
    let mut report = Report {
        operation: spec.provisional(),
        status: String::new(),
        message: None,
        refusal: None,
        plan: None,
        outcome: None,
        watch: None,
        elapsed_s: 0.0,
        exit_code: exit::OK,
        audit_error: None,
    };
    let ending = steps(session, snapshot, spec, run, confirm, progress, &mut report).await;
    report.status = ending.status.to_owned();
    report.message = ending.message;
    report.exit_code = ending.exit_code;
    report.elapsed_s = started.elapsed().as_secs_f64();
    report
}

/// Reads the snapshot, fills the defaults, plans and pre-checks; every refusal is audited.
fn plan_or_refuse(
    session: &Session<'_>,
    snapshot: Option<Result<Snapshot, AwsError>>,
    spec: &Spec,
    run: &RunArgs,
    report: &mut Report,
) -> Result<(Operation, Plan), Ending> {
    let checks = Checks {
        read_only: session.read_only,
        force: run.force,
    };
    let refuse = |report: &mut Report, op: &Operation, r: Refusal| {
        let message = r.to_string();
        report.audit_error = session.audit(
            op,
            None,
            AuditOutcome::new("refused", Some(message.clone())),
        );
        let exit_code = refusal_code(&r);
        report.refusal = Some(r);
        Ending {
            status: "refused",
            message: Some(message),
            exit_code,
        }
    };
    let snap = match snapshot {
        _ if checks.read_only => {
            let op = report.operation.clone();
            let r = Refusal::ReadOnly {
                operation: op.title(),
            };
            return Err(refuse(report, &op, r));
        }
        None => {
            let op = report.operation.clone();
            return Err(refuse(
                report,
                &op,
                Refusal::Invalid {
                    reason: "no snapshot loaded".into(),
                },
            ));
        }
        Some(Err(e)) => {
            let message = format!("cannot read the stack: {e}");
            report.audit_error = session.audit(
                &report.operation,
                None,
                AuditOutcome::new("failed", Some(message.clone())),
            );
            return Err(Ending {
                status: "failed",
                message: Some(message),
                exit_code: status::exit_code(&e),
            });
        }
        Some(Ok(snap)) => snap,
    };
    let op = match spec.resolve(&snap) {
        Ok(op) => op,
        Err(r) => {
            let op = report.operation.clone();
            return Err(refuse(report, &op, r));
        }
    };
    report.operation = op.clone();
    let plan = match prepare(&snap, &op, checks) {
        Ok(plan) => plan,
        Err(r) => return Err(refuse(report, &op, r)),
    };
    report.plan = Some(plan.clone());
    Ok((op, plan))
}

async fn steps(
    session: &Session<'_>,
    snapshot: Option<Result<Snapshot, AwsError>>,
    spec: &Spec,
    run: &RunArgs,
    confirm: &mut (dyn FnMut(&Plan) -> Answer + Send),
    progress: &mut (dyn FnMut(&Progress) + Send),
    report: &mut Report,
) -> Ending {
    let (op, plan) = match plan_or_refuse(session, snapshot, spec, run, report) {
        Ok(planned) => planned,
        Err(ending) => return ending,
    };
    if run.dry_run {
        report.audit_error = session.audit(&op, Some(&plan), AuditOutcome::new("dry_run", None));
        return Ending {
            status: "dry_run",
            message: None,
            exit_code: exit::OK,
        };
    }
    if !run.yes {
        let declined = match confirm(&plan) {
            Answer::Confirmed => None,
            Answer::Declined => Some(("declined", "not confirmed: nothing was changed")),
            Answer::NoTerminal => Some((
                "refused",
                "stdin is not a terminal, so no one can confirm: pass --yes to run without a prompt (nothing was changed)",
            )),
        };
        if let Some((status, message)) = declined {
            report.audit_error = session.audit(
                &op,
                Some(&plan),
                AuditOutcome::new(status, Some(message.to_owned())),
            );
            return Ending {
                status,
                message: Some(message.to_owned()),
                exit_code: exit::REFUSED,
            };
        }
    }
    apply(session, &op, &plan, run, progress, report).await
}

/// Executes a confirmed plan, then watches it when asked; audits the execution and the watch.
async fn apply(
    session: &Session<'_>,
    op: &Operation,
    plan: &Plan,
    run: &RunArgs,
    progress: &mut (dyn FnMut(&Progress) + Send),
    report: &mut Report,
) -> Ending {
    let out = execute::execute(
        session.ctx,
        plan,
        ExecOptions {
            drain_timeout: Duration::from_secs(run.timeout),
            ..ExecOptions::default()
        },
    )
    .await;
    report.audit_error = session.audit(op, Some(plan), AuditOutcome::from_execution(&out));
    report.outcome = Some(out.clone());
    if !out.is_applied() {
        return Ending {
            status: out.status(),
            message: out.failed.clone(),
            exit_code: failure_code(&out),
        };
    }
    if !run.wait {
        return Ending {
            status: "applied",
            message: None,
            exit_code: exit::OK,
        };
    }
    let goal = execute::goal_after(plan, &out);
    let opts = WatchOptions {
        timeout: Duration::from_secs(run.timeout),
        ..WatchOptions::default()
    };
    let last = watch::watch(session.ctx, &plan.cluster, &goal, opts, progress).await;
    let (status, exit_code) = match last.phase {
        Phase::Settled => ("settled", exit::OK),
        Phase::TimedOut | Phase::Waiting => ("timed_out", exit::TIMEOUT),
        Phase::Failed => ("watch_failed", exit::WATCH_FAILED),
    };
    let message = (!last.reasons.is_empty()).then(|| last.reasons.join("; "));
    let mut outcome = AuditOutcome::new(status, message.clone());
    outcome.done.clone_from(&last.lines);
    if let Some(e) = session.audit(op, Some(plan), outcome) {
        report.audit_error = Some(e);
    }
    report.watch = Some(last);
    Ending {
        status,
        message,
        exit_code,
    }
}
