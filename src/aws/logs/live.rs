//! `StartLiveTail`: one event-stream session per logs source, its updates read as the same
//! sanitised lines the poller makes.

use aws_sdk_cloudwatchlogs::operation::start_live_tail::StartLiveTailOutput;
use aws_sdk_cloudwatchlogs::types::{
    LiveTailSessionMetadata, LiveTailSessionUpdate, StartLiveTailResponseStream,
};
use aws_smithy_types::error::display::DisplayErrorContext;

use super::{LogQuery, MAX_STREAMS, log_line};
use crate::aws::AwsContext;
use crate::aws::error::{AwsError, CallContext};
use crate::model::LogLine;

/// Who the console runs as, enough to name a log group by ARN (`StartLiveTail` takes only ARNs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub partition: String,
    pub id: String,
}

impl Account {
    /// From the caller's ARN (`arn:partition:service::account:...`).
    #[must_use]
    pub fn from_arn(arn: &str) -> Option<Self> {
        let mut parts = arn.split(':');
        let (Some("arn"), Some(partition), _, _, Some(id)) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return None;
        };
        (!partition.is_empty() && !id.is_empty()).then(|| Self {
            partition: partition.to_owned(),
            id: id.to_owned(),
        })
    }

    /// The ARN of a log group, without the `:*` that `StartLiveTail` refuses.
    #[must_use]
    pub fn log_group_arn(&self, region: &str, group: &str) -> String {
        format!(
            "arn:{}:logs:{region}:{}:log-group:{group}",
            self.partition, self.id
        )
    }
}

/// Asks STS who we are (one call; the executor keeps the answer for the console's lifetime).
///
/// # Errors
/// The failing call, or an ARN that names no account.
pub async fn account(ctx: &AwsContext) -> Result<Account, AwsError> {
    let out = ctx
        .sts
        .get_caller_identity()
        .send()
        .await
        .call("STS", "GetCallerIdentity")?;
    out.arn()
        .and_then(Account::from_arn)
        .ok_or_else(|| AwsError {
            service: "STS",
            operation: "GetCallerIdentity",
            kind: crate::aws::error::ErrorKind::Other,
            code: None,
            message: "no account in the caller's ARN".into(),
        })
}

/// Which streams a session follows: the names when the API takes them all, else their common
/// prefix (a superset, as the poller reads the whole group then), else every stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamFilter {
    All,
    Names(Vec<String>),
    Prefix(String),
}

impl StreamFilter {
    #[must_use]
    pub fn of(streams: &[String]) -> Self {
        if streams.is_empty() {
            return Self::All;
        }
        if streams.len() <= MAX_STREAMS {
            return Self::Names(streams.to_vec());
        }
        let prefix = streams.iter().skip(1).fold(streams[0].as_str(), |p, s| {
            let common = p
                .char_indices()
                .zip(s.chars())
                .take_while(|((_, a), b)| a == b)
                .last()
                .map_or(0, |((i, a), _)| i + a.len_utf8());
            &p[..common]
        });
        if prefix.is_empty() {
            Self::All
        } else {
            Self::Prefix(prefix.to_owned())
        }
    }
}

/// How a session stopped giving lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveEnd {
    /// The endpoint closed the stream (sessions last at most three hours).
    Closed,
    /// More events than the session delivers: it began sampling, so the update was not shown.
    Sampled,
    /// The stream failed, or could not be read.
    Failed(String),
}

/// An open session.
pub struct LiveTail {
    output: StartLiveTailOutput,
}

/// Opens a session on `group_arn` for the query's streams and pattern (its start time is
/// unused: a session sees events from now on).
///
/// # Errors
/// The call failed, or its answer is not an event stream (an emulator that answers JSON).
pub async fn start(
    ctx: &AwsContext,
    group_arn: &str,
    query: &LogQuery,
) -> Result<LiveTail, AwsError> {
    let mut req = ctx.logs.start_live_tail().log_group_identifiers(group_arn);
    req = match StreamFilter::of(&query.streams) {
        StreamFilter::All => req,
        StreamFilter::Names(names) => req.set_log_stream_names(Some(names)),
        StreamFilter::Prefix(prefix) => req.log_stream_name_prefixes(prefix),
    };
    if let Some(p) = query.pattern.as_deref().filter(|p| !p.trim().is_empty()) {
        req = req.log_event_filter_pattern(p);
    }
    let out = req.send().await.call("CloudWatchLogs", "StartLiveTail")?;
    Ok(LiveTail { output: out })
}

impl LiveTail {
    /// The next update's lines, oldest first (often none: updates also come as heartbeats).
    ///
    /// # Errors
    /// Why the session gave out; after an error the session is over.
    pub async fn next(&mut self) -> Result<Vec<LogLine>, LiveEnd> {
        loop {
            let event = self
                .output
                .response_stream
                .recv()
                .await
                .map_err(|e| LiveEnd::Failed(DisplayErrorContext(&e).to_string()))?
                .ok_or(LiveEnd::Closed)?;
            if let StartLiveTailResponseStream::SessionUpdate(update) = event {
                return lines_of(&update);
            }
        }
    }
}

/// The lines of one update, or `Sampled` when the service left some events out.
///
/// # Errors
/// `Sampled`: polling reads every event, so the caller should go back to it.
pub fn lines_of(update: &LiveTailSessionUpdate) -> Result<Vec<LogLine>, LiveEnd> {
    if update
        .session_metadata()
        .is_some_and(LiveTailSessionMetadata::sampled)
    {
        return Err(LiveEnd::Sampled);
    }
    let mut lines: Vec<LogLine> = update
        .session_results()
        .iter()
        .filter_map(|e| log_line(None, e.timestamp(), e.log_stream_name(), e.message()))
        .collect();
    lines.sort_by_key(|l| l.at);
    Ok(lines)
}

#[cfg(test)]
mod tests;
