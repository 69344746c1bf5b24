//! Tails `CloudWatch` Logs: `FilterLogEvents` from a start time over a group's streams, paged, sanitised.
//! [`live`] streams the same lines from a `StartLiveTail` session where the endpoint has one.

pub mod live;

use super::AwsContext;
use super::error::{AwsError, CallContext};
use crate::model::LogLine;
use crate::model::logs::task_id_of_stream;
use crate::sanitize::clean;

/// `FilterLogEvents` (and `StartLiveTail`) accept at most this many stream names.
const MAX_STREAMS: usize = 100;
/// Most events read per poll: a poll that returns this many may have left some for the next.
pub const BATCH: usize = 2_000;
/// Pages read per poll; the rest comes on the next poll (from the newest timestamp seen).
const MAX_PAGES: usize = 10;

/// One poll of a tail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogQuery {
    pub group: String,
    /// Empty, or more than `FilterLogEvents` takes: the whole group.
    pub streams: Vec<String>,
    /// Milliseconds since the Unix epoch, inclusive.
    pub start_ms: i64,
    /// A `CloudWatch` Logs filter pattern, applied by the service.
    pub pattern: Option<String>,
}

/// Reads events at or after `start_ms`, oldest first, up to `limit`.
///
/// # Errors
/// The failing call, made readable (e.g. the group does not exist yet).
pub async fn tail(
    ctx: &AwsContext,
    query: &LogQuery,
    limit: usize,
) -> Result<Vec<LogLine>, AwsError> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let mut req = ctx
            .logs
            .filter_log_events()
            .log_group_name(&query.group)
            .start_time(query.start_ms)
            .limit(i32::try_from(limit.min(10_000)).unwrap_or(10_000))
            .set_next_token(token.take());
        if !query.streams.is_empty() && query.streams.len() <= MAX_STREAMS {
            req = req.set_log_stream_names(Some(query.streams.clone()));
        }
        if let Some(p) = query.pattern.as_deref().filter(|p| !p.trim().is_empty()) {
            req = req.filter_pattern(p);
        }
        let page = req.send().await.call("CloudWatchLogs", "FilterLogEvents")?;
        out.extend(page.events().iter().filter_map(|e| {
            log_line(
                e.event_id(),
                e.timestamp(),
                e.log_stream_name(),
                e.message(),
            )
        }));
        token = page.next_token().map(str::to_owned);
        if token.is_none() || out.len() >= limit {
            break;
        }
    }
    // Interleaved streams come back ordered per page; keep one timeline.
    out.sort_by_key(|l| l.at);
    out.truncate(limit);
    Ok(out)
}

/// One event as the console shows it, whichever call read it: the stream name and message
/// sanitised (escape sequences neutralised), the trailing newline gone. `None` without a time.
fn log_line(
    id: Option<&str>,
    timestamp: Option<i64>,
    stream: Option<&str>,
    message: Option<&str>,
) -> Option<LogLine> {
    let ms = timestamp?;
    let at = chrono::DateTime::from_timestamp_millis(ms)?;
    let stream = clean(stream.unwrap_or_default()).into_owned();
    Some(LogLine {
        id: id.map_or_else(|| format!("{ms}-{stream}"), str::to_owned),
        at,
        task_id: task_id_of_stream(&stream),
        stream,
        message: clean(message.unwrap_or_default().trim_end()).into_owned(),
    })
}

#[cfg(test)]
mod tests {
    use aws_sdk_cloudwatchlogs::operation::filter_log_events::FilterLogEventsOutput;
    use aws_sdk_cloudwatchlogs::types::FilteredLogEvent;
    use aws_smithy_mocks::{RuleMode, mock, mock_client};

    use super::{LogQuery, tail};
    use crate::aws::{AwsContext, AwsSettings};

    fn event(id: &str, ms: i64, msg: &str) -> FilteredLogEvent {
        FilteredLogEvent::builder()
            .event_id(id)
            .timestamp(ms)
            .log_stream_name("navoy/app/00000001c0ffee0001")
            .message(msg)
            .build()
    }

    /// A context whose logs client is `client` (a mock).
    pub(in crate::aws::logs) fn with_logs(client: aws_sdk_cloudwatchlogs::Client) -> AwsContext {
        let sdk = aws_config::SdkConfig::builder()
            .region(aws_config::Region::new("us-east-1"))
            .behavior_version(aws_config::BehaviorVersion::latest())
            .build();
        let mut ctx = AwsContext::from_sdk_config(&sdk, &AwsSettings::default()).unwrap();
        ctx.logs = client;
        ctx
    }

    #[tokio::test]
    async fn pages_are_followed_and_messages_sanitised() {
        let first = mock!(aws_sdk_cloudwatchlogs::Client::filter_log_events)
            .match_requests(|r| r.next_token().is_none())
            .then_output(|| {
                FilterLogEventsOutput::builder()
                    .events(event("b", 2_000, "second"))
                    .next_token("t2")
                    .build()
            });
        let second = mock!(aws_sdk_cloudwatchlogs::Client::filter_log_events)
            .match_requests(|r| r.next_token() == Some("t2"))
            .then_output(|| {
                FilterLogEventsOutput::builder()
                    .events(event("a", 1_000, "first \x1b[2J\n"))
                    .build()
            });
        let client = mock_client!(
            aws_sdk_cloudwatchlogs,
            RuleMode::MatchAny,
            [&first, &second]
        );
        let ctx = with_logs(client);
        let q = LogQuery {
            group: "/ecs/navoy-app".into(),
            streams: vec!["navoy/app/00000001c0ffee0001".into()],
            start_ms: 0,
            pattern: None,
        };
        let lines = tail(&ctx, &q, 100).await.unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].id, "a");
        assert!(!lines[0].message.contains('\x1b'));
        assert!(!lines[0].message.ends_with('\n'));
        assert_eq!(lines[1].task_id, "00000001c0ffee0001");
    }
}
