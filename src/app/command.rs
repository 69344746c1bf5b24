//! Side effects the reducer asks for, and the executor that runs each on tokio and replies with a Msg.

use std::sync::{Arc, Mutex};

use tokio::sync::mpsc::UnboundedSender;
use tokio_util::sync::CancellationToken;

mod live;
mod operation;

use super::msg::{LogFeed, Msg};
use crate::aws::AwsContext;
use crate::aws::carry::Carry;
use crate::aws::logs::{BATCH, LogQuery, tail};
use crate::ops::audit::AuditLog;
use crate::ops::guard::InFlight;
use crate::ops::{Operation, Plan};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Resolve the cluster and gather a snapshot; reply tagged with `generation`. Settled
    /// descriptions are carried over from the last refresh unless `full`.
    FetchSnapshot {
        generation: u64,
        full: bool,
    },
    FetchLogs {
        generation: u64,
        query: LogQuery,
    },
    /// Open a live tail of the query's source (its start time unused), ending any other;
    /// lines come back as `Msg::LogsLoaded` with the live feed, the end as `Msg::LiveTailEnded`.
    StartLiveTail {
        generation: u64,
        query: LogQuery,
    },
    /// End the live tail, if any (the logs source was closed).
    StopLiveTail,
    /// Execute a confirmed plan, audit it, then watch it; progress comes back as `Msg::Op*`.
    RunOperation {
        id: u64,
        plan: Box<Plan>,
    },
    /// Read the audit log for the events view.
    LoadAudit,
    /// Record an operation the pre-checks refused (nothing was called).
    AuditRefusal {
        operation: Operation,
        /// The cluster on screen (the flag may have been left to the default).
        cluster: Option<String>,
        message: String,
    },
}

/// Runs commands in the background; never blocks the caller.
#[derive(Clone)]
pub struct Executor {
    ctx: Arc<AwsContext>,
    cluster: Option<String>,
    tx: UnboundedSender<Msg>,
    /// Cancelled when the console closes, so no background request outlives it.
    shutdown: CancellationToken,
    /// `--read-only`: operations are refused here too, whatever the reducer let through.
    read_only: bool,
    guard: InFlight,
    audit: Option<AuditLog>,
    /// Descriptions the next refresh may carry over (see [`crate::aws::carry`]).
    carry: Arc<Mutex<Kept>>,
    /// The live tail session, if any.
    live: live::Sessions,
}

/// The carry between refreshes, and how many operations have started: a refresh that was in
/// flight when one started must not hand its (older) descriptions on.
#[derive(Debug, Default)]
struct Kept {
    operations: u64,
    carry: Carry,
}

/// Takes the carry out, with the operation count it belongs to (a refresh that finds it taken,
/// or poisoned, starts from empty).
fn take(kept: &Mutex<Kept>) -> (u64, Carry) {
    kept.lock()
        .map(|mut k| (k.operations, std::mem::take(&mut k.carry)))
        .unwrap_or_default()
}

/// Puts a refresh's carry back, unless an operation started since it was taken.
fn put_back(kept: &Mutex<Kept>, operations: u64, carry: Carry) {
    if let Ok(mut k) = kept.lock()
        && k.operations == operations
    {
        k.carry = carry;
    }
}

impl Executor {
    #[must_use]
    pub fn new(ctx: Arc<AwsContext>, cluster: Option<String>, tx: UnboundedSender<Msg>) -> Self {
        Self {
            ctx,
            cluster,
            tx,
            shutdown: CancellationToken::new(),
            read_only: true,
            guard: InFlight::new(),
            audit: None,
            carry: Arc::default(),
            live: live::Sessions::default(),
        }
    }

    /// Allows operations unless `read_only`, auditing them to `audit`.
    #[must_use]
    pub fn with_operations(mut self, read_only: bool, audit: Option<AuditLog>) -> Self {
        self.read_only = read_only;
        self.audit = audit;
        self
    }

    /// Stops every request still in flight.
    pub fn shutdown(&self) {
        self.shutdown.cancel();
    }

    /// Requests sent so far this session (retries included), for the header's rate.
    #[must_use]
    pub fn api_calls(&self) -> u64 {
        // Attempts, so retries under throttling show in the calls-per-minute figure.
        self.ctx.calls.snapshot().iter().map(|c| c.attempts).sum()
    }

    /// Spawns each command; replies arrive on the channel.
    pub fn spawn(&self, commands: Vec<Command>) {
        for command in commands {
            let ctx = Arc::clone(&self.ctx);
            let tx = self.tx.clone();
            let shutdown = self.shutdown.clone();
            match command {
                Command::FetchSnapshot { generation, full } => {
                    let cluster = self.cluster.clone();
                    let kept = Arc::clone(&self.carry);
                    let (operations, mut carry) = take(&kept);
                    if full {
                        carry = Carry::default();
                    }
                    tokio::spawn(async move {
                        let result = tokio::select! {
                            r = crate::status::load_with(&ctx, cluster.as_deref(), &mut carry) => r,
                            () = shutdown.cancelled() => return,
                        };
                        put_back(&kept, operations, carry);
                        let result = result.map(Box::new).map_err(|e| e.to_string());
                        // The receiver is gone only when the console is closing.
                        let _ = tx.send(Msg::SnapshotLoaded {
                            generation,
                            at: chrono::Utc::now(),
                            result,
                        });
                    });
                }
                Command::FetchLogs { generation, query } => {
                    tokio::spawn(async move {
                        let result = tokio::select! {
                            r = tail(&ctx, &query, BATCH) => r.map_err(|e| e.to_string()),
                            () = shutdown.cancelled() => return,
                        };
                        let _ = tx.send(Msg::LogsLoaded {
                            generation,
                            at: chrono::Utc::now(),
                            feed: LogFeed::Poll,
                            result,
                        });
                    });
                }
                Command::StartLiveTail { generation, query } => {
                    let session = self.live.replace(&shutdown);
                    tokio::spawn(self.live.run(ctx, generation, query, tx, session));
                }
                Command::StopLiveTail => self.live.stop(),
                Command::RunOperation { id, plan } => {
                    // What the operation changes must not be carried over: the next refresh is full.
                    if let Ok(mut k) = self.carry.lock() {
                        k.operations += 1;
                        k.carry = Carry::default();
                    }
                    let run = operation::Run {
                        id,
                        plan: *plan,
                        read_only: self.read_only,
                        guard: self.guard.clone(),
                        audit: self.audit.clone(),
                        tx,
                    };
                    tokio::spawn(async move {
                        tokio::select! {
                            () = run.run(&ctx) => {}
                            () = shutdown.cancelled() => {}
                        }
                    });
                }
                Command::AuditRefusal {
                    operation,
                    cluster,
                    message,
                } => {
                    let Some(log) = self.audit.clone() else {
                        continue;
                    };
                    tokio::spawn(async move {
                        let who =
                            crate::ops::audit::AuditContext::for_context(&ctx, cluster.as_deref())
                                .await;
                        let outcome =
                            crate::ops::audit::AuditOutcome::new("refused", Some(message));
                        if log.append(&who.record(&operation, None, outcome)).is_ok() {
                            let _ = tx
                                .send(Msg::AuditLoaded(log.read_all().map_err(|e| e.to_string())));
                        }
                    });
                }
                Command::LoadAudit => {
                    let log = self.audit.clone();
                    tokio::task::spawn_blocking(move || {
                        let result = log
                            .map_or_else(|| Ok(Vec::new()), |l| l.read_all())
                            .map_err(|e| e.to_string());
                        let _ = tx.send(Msg::AuditLoaded(result));
                    });
                }
            }
        }
    }
}
