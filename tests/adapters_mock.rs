//! Adapter behaviour against mocked SDK clients: paging, retries, and readable errors.

use crate::support::mocks::context;
use aws_sdk_ecs::operation::describe_services::DescribeServicesOutput;
use aws_sdk_ecs::operation::list_clusters::ListClustersOutput;
use aws_sdk_ecs::operation::list_services::{ListServicesError, ListServicesOutput};
use aws_sdk_ecs::types::Service;
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use navoy_console::aws::carry::Carry;
use navoy_console::aws::{AwsContext, AwsSettings, ErrorKind, ecs};
use std::collections::BTreeSet;

fn arns(range: std::ops::Range<usize>) -> Vec<String> {
    range
        .map(|n| format!("arn:aws:ecs:us-east-1:1:service/navoy/svc-{n:03}"))
        .collect()
}

#[tokio::test]
async fn every_page_of_services_is_read_and_described_ten_at_a_time() {
    let page = |r: std::ops::Range<usize>, next: Option<&str>| {
        let out = ListServicesOutput::builder()
            .set_service_arns(Some(arns(r)))
            .set_next_token(next.map(str::to_owned))
            .build();
        move || out.clone()
    };
    let p1 = mock!(aws_sdk_ecs::Client::list_services)
        .match_requests(|r| r.next_token().is_none())
        .then_output(page(0..10, Some("t1")));
    let p2 = mock!(aws_sdk_ecs::Client::list_services)
        .match_requests(|r| r.next_token() == Some("t1"))
        .then_output(page(10..20, Some("t2")));
    let p3 = mock!(aws_sdk_ecs::Client::list_services)
        .match_requests(|r| r.next_token() == Some("t2"))
        .then_output(page(20..25, None));
    let describe = mock!(aws_sdk_ecs::Client::describe_services)
        .match_requests(|r| r.services().len() <= 10)
        .then_compute_output(|r| {
            let services = r
                .services()
                .iter()
                .map(|a| {
                    Service::builder()
                        .service_arn(a)
                        .service_name(a.rsplit('/').next().unwrap())
                        .build()
                })
                .collect();
            DescribeServicesOutput::builder()
                .set_services(Some(services))
                .build()
        });
    let mut ctx = context();
    ctx.ecs = mock_client!(aws_sdk_ecs, RuleMode::MatchAny, [&p1, &p2, &p3, &describe]);
    let services = ecs::services(&ctx, "navoy", &Carry::default(), &BTreeSet::new())
        .await
        .unwrap();
    assert_eq!(services.len(), 25);
    assert_eq!(services[24].name, "svc-024");
    assert_eq!((p1.num_calls(), p2.num_calls(), p3.num_calls()), (1, 1, 1));
    assert_eq!(
        describe.num_calls(),
        3,
        "25 services take ceil(25/10) describes"
    );
}

#[tokio::test]
async fn throttling_is_retried_until_success() {
    let rule = mock!(aws_sdk_ecs::Client::list_clusters)
        .sequence()
        .http_status(
            400,
            Some(r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#.into()),
        )
        .times(2)
        .output(|| {
            ListClustersOutput::builder()
                .cluster_arns("arn:aws:ecs:us-east-1:1:cluster/navoy")
                .build()
        })
        .build();
    let mut ctx = context();
    let calls = ctx.calls.clone();
    ctx.ecs = mock_client!(aws_sdk_ecs, RuleMode::Sequential, [&rule], |c| c
        .retry_config(
            aws_config::retry::RetryConfig::standard()
                .with_max_attempts(4)
                .with_initial_backoff(std::time::Duration::from_millis(1))
        )
        .interceptor(calls.clone()));
    let out = ctx.ecs.list_clusters().send().await.unwrap();
    assert_eq!(out.cluster_arns().len(), 1);
    assert_eq!(rule.num_calls(), 3);
    assert_eq!(calls.total(), 1, "one logical call");
    assert_eq!(calls.retries(), 2, "two retries after throttling");
}

#[tokio::test]
async fn access_denied_reads_as_service_call_code_and_message() {
    let rule = mock!(aws_sdk_ecs::Client::list_services).then_error(|| {
        ListServicesError::generic(
            aws_smithy_types::error::ErrorMetadata::builder()
                .code("AccessDeniedException")
                .message("User: arn:aws:iam::1:user/oncall is not authorized to perform: ecs:ListServices")
                .build(),
        )
    });
    let mut ctx = context();
    ctx.ecs = mock_client!(aws_sdk_ecs, RuleMode::Sequential, [&rule]);
    let err = ecs::services(&ctx, "navoy", &Carry::default(), &BTreeSet::new())
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::AccessDenied);
    assert_eq!(
        err.to_string(),
        "ECS ListServices: AccessDeniedException: User: arn:aws:iam::1:user/oncall is not authorized to perform: ecs:ListServices"
    );
}

#[tokio::test]
async fn read_only_refuses_writes_before_they_leave_the_process() {
    // A closed port: had the guard let the call through, the error would be a connection failure.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let sdk = aws_config::SdkConfig::builder()
        .region(aws_config::Region::new("us-east-1"))
        .endpoint_url(format!("http://127.0.0.1:{port}"))
        .credentials_provider(aws_sdk_ecs::config::SharedCredentialsProvider::new(
            aws_sdk_ecs::config::Credentials::new("test", "test", None, None, "test"),
        ))
        .behavior_version(aws_config::BehaviorVersion::latest())
        .build();
    let settings = AwsSettings {
        read_only: true,
        ..AwsSettings::default()
    };
    let ctx = AwsContext::from_sdk_config(&sdk, &settings).unwrap();
    let err = ctx
        .ecs
        .update_service()
        .cluster("navoy")
        .service("navoy-app")
        .desired_count(0)
        .send()
        .await
        .unwrap_err();
    let text = format!("{err:?}");
    assert!(
        text.contains("read-only mode: refused ECS UpdateService"),
        "{text}"
    );
    assert_eq!(ctx.calls.refused(), 1);
    assert_eq!(ctx.calls.mutating_calls(), 1, "counted as attempted");
    let attempts: u64 = ctx.calls.snapshot().iter().map(|c| c.attempts).sum();
    assert_eq!(attempts, 0, "no request was ever sent");
}
