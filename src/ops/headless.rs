//! The headless operation commands: load, plan, confirm, execute, watch, audit; one report and one exit code.

mod flow;
pub mod output;
pub mod prompt;
mod spec;

pub use flow::{Answer, Report, Session, run_operation};
pub use spec::Spec;

use crate::aws::AwsContext;
use crate::cli::{GlobalArgs, RunArgs};
use crate::ops::audit::{AuditContext, AuditLog};
use crate::status::{self, exit};

/// Runs one operation subcommand end to end and returns the process exit code.
pub async fn run(global: &GlobalArgs, spec: Spec, run: &RunArgs) -> u8 {
    let settings = global.aws_settings();
    let ctx = match AwsContext::connect(&settings).await {
        Ok(ctx) => ctx,
        Err(e) => {
            eprintln!("navoy-console: {e}");
            return status::exit_code(&e);
        }
    };
    let audit = AuditContext::for_context(&ctx, global.cluster.as_deref()).await;
    let log = AuditLog::from_env();
    if log.is_none() {
        eprintln!(
            "navoy-console: warning: no home or state directory: this operation is not audited"
        );
    }
    let session = Session {
        ctx: &ctx,
        audit: &audit,
        log: log.as_ref(),
        read_only: global.read_only,
    };
    // Refuse before reading anything: read-only is a promise about this whole process.
    let snapshot = if global.read_only {
        None
    } else {
        Some(status::load(&ctx, global.cluster.as_deref()).await)
    };
    let json = run.json;
    let mut confirm = |plan: &crate::ops::Plan| prompt::ask(plan, json);
    // Only changes are printed: a rollout can sit on the same look for half a minute.
    let mut seen: Vec<String> = Vec::new();
    let mut progress = |p: &crate::ops::watch::Progress| {
        if p.lines != seen {
            output::progress(p);
            seen.clone_from(&p.lines);
        }
    };
    let report = run_operation(&session, snapshot, &spec, run, &mut confirm, &mut progress).await;
    output::report(&report, json);
    if report.exit_code == exit::OK && report.audit_error.is_some() {
        return exit::FAILURE;
    }
    report.exit_code
}

#[cfg(test)]
mod tests;
