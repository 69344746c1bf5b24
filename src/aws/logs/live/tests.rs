//! The live tail adapter against framed event-stream bodies (as the service sends them) and
//! against a JSON body (as an emulator answers).

use aws_sdk_cloudwatchlogs::operation::start_live_tail::StartLiveTailInput;
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::event_stream::{Header, HeaderValue, Message};

use super::{Account, LiveEnd, StreamFilter, start};
use crate::aws::AwsContext;
use crate::aws::logs::LogQuery;
use crate::aws::logs::tests::with_logs;

const ARN: &str = "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/navoy-app";

fn event(kind: &str, payload: &serde_json::Value) -> Vec<u8> {
    let message = Message::new(serde_json::to_vec(payload).unwrap())
        .add_header(Header::new(
            ":message-type",
            HeaderValue::String("event".into()),
        ))
        .add_header(Header::new(
            ":event-type",
            HeaderValue::String(kind.to_owned().into()),
        ))
        .add_header(Header::new(
            ":content-type",
            HeaderValue::String("application/json".into()),
        ));
    let mut out = Vec::new();
    aws_smithy_eventstream::frame::write_message_to(&message, &mut out).unwrap();
    out
}

fn update(events: &[(i64, &str)], sampled: bool) -> Vec<u8> {
    let results: Vec<_> = events
        .iter()
        .map(|(ms, msg)| {
            serde_json::json!({
                "logStreamName": "navoy/app/00000001c0ffee0001",
                "logGroupIdentifier": ARN,
                "message": msg,
                "timestamp": ms,
                "ingestionTime": ms + 5,
            })
        })
        .collect();
    event(
        "sessionUpdate",
        &serde_json::json!({
            "sessionMetadata": { "sampled": sampled },
            "sessionResults": results,
        }),
    )
}

fn query(streams: Vec<String>) -> LogQuery {
    LogQuery {
        group: "/ecs/navoy-app".into(),
        streams,
        start_ms: 0,
        pattern: Some("?ERROR ?WARN".into()),
    }
}

fn answering(body: Vec<u8>, check: fn(&StartLiveTailInput) -> bool) -> AwsContext {
    let rule = mock!(aws_sdk_cloudwatchlogs::Client::start_live_tail)
        .match_requests(check)
        .then_http_response(move || {
            HttpResponse::new(
                StatusCode::try_from(200).unwrap(),
                SdkBody::from(body.clone()),
            )
        });
    with_logs(mock_client!(
        aws_sdk_cloudwatchlogs,
        RuleMode::MatchAny,
        [&rule]
    ))
}

#[tokio::test]
async fn updates_are_read_as_sanitised_lines_until_the_stream_ends() {
    let mut body = event(
        "sessionStart",
        &serde_json::json!({ "sessionId": "s-1", "logGroupIdentifiers": [ARN] }),
    );
    body.extend(update(
        &[(2_000, "later"), (1_000, "first \x1b[2J\n")],
        false,
    ));
    body.extend(update(&[], false));
    body.extend(update(&[(3_000, "third")], false));
    let ctx = answering(body, |r| {
        r.log_group_identifiers() == [ARN]
            && r.log_stream_names() == ["navoy/app/00000001c0ffee0001"]
            && r.log_stream_name_prefixes().is_empty()
            && r.log_event_filter_pattern() == Some("?ERROR ?WARN")
    });
    let mut tail = start(
        &ctx,
        ARN,
        &query(vec!["navoy/app/00000001c0ffee0001".into()]),
    )
    .await
    .unwrap();
    let lines = tail.next().await.unwrap();
    let msgs: Vec<&str> = lines.iter().map(|l| l.message.as_str()).collect();
    assert_eq!(msgs.len(), 2, "{msgs:?}");
    assert!(msgs[0].starts_with("first") && !msgs[0].contains('\x1b'));
    assert!(!msgs[0].ends_with('\n'));
    assert_eq!(msgs[1], "later", "oldest first");
    assert_eq!(lines[0].task_id, "00000001c0ffee0001");
    assert_eq!(lines[0].at.timestamp_millis(), 1_000);
    assert!(tail.next().await.unwrap().is_empty(), "a heartbeat");
    assert_eq!(tail.next().await.unwrap().len(), 1);
    assert_eq!(tail.next().await.unwrap_err(), LiveEnd::Closed);
}

#[tokio::test]
async fn a_sampled_update_ends_the_session_unread() {
    let ctx = answering(update(&[(1_000, "one")], true), |_| true);
    let mut tail = start(&ctx, ARN, &query(vec![])).await.unwrap();
    assert_eq!(tail.next().await.unwrap_err(), LiveEnd::Sampled);
}

#[tokio::test]
async fn a_json_answer_fails_to_start() {
    let body = br#"{"responseStream":[{"sessionStart":{}},{"sessionUpdate":{}}]}"#.to_vec();
    let ctx = answering(body, |_| true);
    assert!(start(&ctx, ARN, &query(vec![])).await.is_err());
}

#[test]
fn many_streams_become_their_common_prefix() {
    let names = |n: usize, f: fn(usize) -> String| (0..n).map(f).collect::<Vec<_>>();
    assert_eq!(StreamFilter::of(&[]), StreamFilter::All);
    let few = names(100, |i| format!("navoy/app/{i:032x}"));
    assert_eq!(StreamFilter::of(&few), StreamFilter::Names(few.clone()));
    let many = names(101, |i| format!("navoy/app/{i:032x}"));
    assert_eq!(
        StreamFilter::of(&many),
        StreamFilter::Prefix(format!("navoy/app/{}", "0".repeat(30)))
    );
    let accented = names(101, |i| format!("é{i}/x"));
    assert_eq!(
        StreamFilter::of(&accented),
        StreamFilter::Prefix("é".into())
    );
    let unrelated = names(101, |i| format!("{i}é/x"));
    assert_eq!(StreamFilter::of(&unrelated), StreamFilter::All);
}

#[test]
fn a_log_group_arn_is_built_from_the_callers_arn() {
    let account = Account::from_arn("arn:aws-cn:sts::123456789012:assumed-role/r/s").unwrap();
    assert_eq!(
        account.log_group_arn("cn-north-1", "/ecs/navoy-app"),
        "arn:aws-cn:logs:cn-north-1:123456789012:log-group:/ecs/navoy-app"
    );
    assert_eq!(Account::from_arn("not an arn"), None);
    assert_eq!(Account::from_arn("arn:aws:sts:::x"), None);
}
