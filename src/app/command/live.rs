//! The live tail session: at most one, ended when replaced, stopped or at shutdown; its
//! lines and its end go back to the reducer as messages.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;
use tokio::sync::mpsc::UnboundedSender;
use tokio_util::sync::CancellationToken;

use crate::app::msg::{LogFeed, Msg};
use crate::aws::AwsContext;
use crate::aws::error::ErrorKind;
use crate::aws::logs::LogQuery;
use crate::aws::logs::live::{self, Account, LiveTail};

#[derive(Clone, Default)]
pub(super) struct Sessions {
    /// Cancels the running session.
    current: Arc<Mutex<Option<CancellationToken>>>,
    /// Asked of STS once, for log group ARNs.
    account: Arc<OnceCell<Account>>,
    /// The endpoint refused a session for good (an emulator without event streams, a policy
    /// without `logs:StartLiveTail`): poll without asking again.
    refused: Arc<AtomicBool>,
}

impl Sessions {
    /// Ends the running session; returns the token of the next (ended at shutdown too).
    pub(super) fn replace(&self, shutdown: &CancellationToken) -> CancellationToken {
        let next = shutdown.child_token();
        if let Ok(mut slot) = self.current.lock()
            && let Some(old) = slot.replace(next.clone())
        {
            old.cancel();
        }
        next
    }

    pub(super) fn stop(&self) {
        if let Ok(mut slot) = self.current.lock()
            && let Some(old) = slot.take()
        {
            old.cancel();
        }
    }

    /// Follows the session until it ends or `session` is cancelled (then nothing is sent).
    pub(super) fn run(
        &self,
        ctx: Arc<AwsContext>,
        generation: u64,
        query: LogQuery,
        tx: UnboundedSender<Msg>,
        session: CancellationToken,
    ) -> impl Future<Output = ()> + Send + 'static {
        let this = self.clone();
        async move {
            tokio::select! {
                () = session.cancelled() => {}
                () = this.follow(&ctx, generation, &query, &tx) => {}
            }
        }
    }

    async fn follow(
        &self,
        ctx: &AwsContext,
        generation: u64,
        query: &LogQuery,
        tx: &UnboundedSender<Msg>,
    ) {
        if let Some(mut tail) = self.open(ctx, query).await {
            let _ = tx.send(Msg::LiveTailStarted { generation });
            loop {
                match tail.next().await {
                    Ok(lines) if lines.is_empty() => {}
                    Ok(lines) => {
                        let sent = tx.send(Msg::LogsLoaded {
                            generation,
                            at: chrono::Utc::now(),
                            feed: LogFeed::Live,
                            result: Ok(lines),
                        });
                        if sent.is_err() {
                            return;
                        }
                    }
                    Err(end) => {
                        tracing::debug!("live tail ended ({end:?}); polling instead");
                        break;
                    }
                }
            }
        }
        let _ = tx.send(Msg::LiveTailEnded { generation });
    }

    /// A session, or `None` (logged once at debug level: polling is a normal way to read logs).
    async fn open(&self, ctx: &AwsContext, query: &LogQuery) -> Option<LiveTail> {
        if self.refused.load(Ordering::Relaxed) {
            return None;
        }
        let account = match self.account.get_or_try_init(|| live::account(ctx)).await {
            Ok(a) => a,
            Err(e) => {
                tracing::debug!("no live tail without the account ({e}); polling instead");
                return None;
            }
        };
        let arn = account.log_group_arn(&ctx.region, &query.group);
        match live::start(ctx, &arn, query).await {
            Ok(tail) => Some(tail),
            Err(e) => {
                if !matches!(e.kind, ErrorKind::Throttled | ErrorKind::Unreachable) {
                    self.refused.store(true, Ordering::Relaxed);
                }
                tracing::debug!("no live tail at this endpoint ({e}); polling instead");
                None
            }
        }
    }
}
