//! One confirmed operation in the background: guard, execute, audit, watch, each step reported as a Msg.

use tokio::sync::mpsc::UnboundedSender;

use crate::app::msg::Msg;
use crate::aws::AwsContext;
use crate::ops::audit::{AuditContext, AuditLog, AuditOutcome};
use crate::ops::execute::{self, ExecOptions};
use crate::ops::guard::InFlight;
use crate::ops::watch::{self, Phase, WatchOptions};
use crate::ops::{Plan, Refusal};

pub(super) struct Run {
    pub id: u64,
    pub plan: Plan,
    pub read_only: bool,
    pub guard: InFlight,
    pub audit: Option<AuditLog>,
    pub tx: UnboundedSender<Msg>,
}

impl Run {
    fn progress(&self, line: String) {
        // The receiver is gone only when the console is closing.
        let _ = self.tx.send(Msg::OpProgress { id: self.id, line });
    }

    fn finish(&self, status: &str, message: Option<String>) {
        let _ = self.tx.send(Msg::OpFinished {
            id: self.id,
            status: status.to_owned(),
            message,
        });
    }

    /// Appends a record; a failure to write is reported, never fatal to the operation.
    fn record(&self, who: &AuditContext, plan: Option<&Plan>, outcome: AuditOutcome) {
        let Some(log) = &self.audit else { return };
        let mut who = who.clone();
        who.cluster = Some(self.plan.cluster.clone());
        if let Err(e) = log.append(&who.record(&self.plan.operation, plan, outcome)) {
            self.progress(format!("could not write the audit log: {e}"));
        }
    }

    fn refuse(&self, who: &AuditContext, message: String) {
        self.record(
            who,
            None,
            AuditOutcome::new("refused", Some(message.clone())),
        );
        self.finish("refused", Some(message));
    }

    pub async fn run(self, ctx: &AwsContext) {
        let who = AuditContext::for_context(ctx, Some(&self.plan.cluster)).await;
        if self.read_only {
            let r = Refusal::ReadOnly {
                operation: self.plan.operation.title(),
            };
            self.refuse(&who, r.to_string());
            return;
        }
        // Held until the watch ends, so a second operation on the same resource is refused.
        let _lease = match self.guard.acquire(&self.plan) {
            Ok(lease) => lease,
            Err(conflict) => {
                self.refuse(&who, conflict.to_string());
                return;
            }
        };
        let plan = &self.plan;
        self.progress(format!("calling {} API(s)…", plan.calls().count()));
        let out = execute::execute(ctx, plan, ExecOptions::default()).await;
        self.record(&who, Some(plan), AuditOutcome::from_execution(&out));
        if !out.is_applied() {
            self.finish(out.status(), out.failed.clone());
            return;
        }
        self.progress("applied; watching…".into());
        let goal = execute::goal_after(plan, &out);
        let tx = self.tx.clone();
        let id = self.id;
        let mut on_progress = move |p: &watch::Progress| {
            let _ = tx.send(Msg::OpProgress {
                id,
                line: format!("{}s: {}", p.elapsed_s, p.lines.join("; ")),
            });
        };
        let last = watch::watch(
            ctx,
            &plan.cluster,
            &goal,
            WatchOptions::default(),
            &mut on_progress,
        )
        .await;
        let status = match last.phase {
            Phase::Settled => "settled",
            Phase::TimedOut | Phase::Waiting => "timed_out",
            Phase::Failed => "watch_failed",
        };
        let message = (!last.reasons.is_empty()).then(|| last.reasons.join("; "));
        let mut outcome = AuditOutcome::new(status, message.clone());
        outcome.done.clone_from(&last.lines);
        self.record(&who, Some(plan), outcome);
        self.finish(status, message);
    }
}

#[cfg(test)]
mod tests {
    use aws_sdk_sts::Client as Sts;
    use aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityOutput;
    use aws_smithy_mocks::mock;
    use tokio::sync::mpsc;

    use super::Run;
    use crate::app::msg::Msg;
    use crate::model::sample;
    use crate::ops::audit::AuditLog;
    use crate::ops::guard::InFlight;
    use crate::ops::testing::{self, Mocks};
    use crate::ops::{Checks, Operation, prepare};

    fn stop_plan() -> crate::ops::Plan {
        let snap = sample::seed();
        let op = Operation::StopTask {
            task: snap.tasks()[0].id.clone(),
            reason: "r".into(),
        };
        prepare(&snap, &op, Checks::default()).unwrap()
    }

    /// Runs one operation that must be refused before any mutating call; returns its last Msg.
    async fn refused(read_only: bool, guard: InFlight) -> (Msg, Vec<String>) {
        let who = mock!(Sts::get_caller_identity).then_output(|| {
            GetCallerIdentityOutput::builder()
                .arn("arn:aws:sts::123456789012:assumed-role/oncall/alice")
                .build()
        });
        let ctx = testing::context(
            false,
            &Mocks {
                sts: vec![&who],
                ..Mocks::default()
            },
        );
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::at(dir.path().join("audit.jsonl"));
        let (tx, mut rx) = mpsc::unbounded_channel();
        let run = Run {
            id: 7,
            plan: stop_plan(),
            read_only,
            guard,
            audit: Some(log.clone()),
            tx,
        };
        run.run(&ctx).await;
        assert_eq!(ctx.calls.mutating_calls(), 0, "{:?}", ctx.calls.snapshot());
        let mut last = None;
        while let Ok(m) = rx.try_recv() {
            last = Some(m);
        }
        let statuses = log
            .read_all()
            .unwrap()
            .into_iter()
            .map(|r| r.outcome.status)
            .collect();
        (last.unwrap(), statuses)
    }

    #[tokio::test]
    async fn read_only_is_refused_at_the_command_layer_and_audited() {
        let (msg, audit) = refused(true, InFlight::new()).await;
        match msg {
            Msg::OpFinished {
                id: 7,
                status,
                message,
            } => {
                assert_eq!(status, "refused");
                assert!(message.unwrap().contains("read-only"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(audit, vec!["refused".to_owned()]);
    }

    #[tokio::test]
    async fn a_busy_resource_is_refused_by_the_guard_and_audited() {
        let guard = InFlight::new();
        let _held = guard.acquire(&stop_plan()).unwrap();
        let (msg, audit) = refused(false, guard.clone()).await;
        match msg {
            Msg::OpFinished {
                status, message, ..
            } => {
                assert_eq!(status, "refused");
                assert!(message.unwrap().contains("busy"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(audit, vec!["refused".to_owned()]);
    }
}
