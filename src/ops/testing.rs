//! Test support: an `AwsContext` whose clients answer from aws-smithy-mocks rules and still count calls.

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_smithy_mocks::{MockResponseInterceptor, Rule, RuleMode, create_mock_http_client};

use crate::aws::{AwsContext, AwsSettings};

/// A value that must never reach the audit log or any output.
pub const CANARY_SECRET: &str = "canary-SECRET-9f8e7d6c5b4a";

/// Rules per service client.
#[derive(Default)]
pub struct Mocks<'a> {
    pub ecs: Vec<&'a Rule>,
    pub autoscaling: Vec<&'a Rule>,
    pub app_autoscaling: Vec<&'a Rule>,
    pub sts: Vec<&'a Rule>,
}

fn interceptor(rules: &[&Rule]) -> MockResponseInterceptor {
    rules.iter().fold(
        MockResponseInterceptor::new().rule_mode(RuleMode::MatchAny),
        |i, r| i.with_rule(r),
    )
}

/// A context whose ECS, Auto Scaling and STS clients answer from `mocks`; every other client
/// gets no rule (any call to it fails). Credentials carry [`CANARY_SECRET`].
pub fn context(read_only: bool, mocks: &Mocks<'_>) -> AwsContext {
    let sdk = SdkConfig::builder()
        .region(Region::new("us-east-1"))
        .behavior_version(BehaviorVersion::latest())
        .retry_config(RetryConfig::disabled())
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "AKIDCANARY",
            CANARY_SECRET,
            Some(format!("token-{CANARY_SECRET}")),
            None,
            "test",
        )))
        .http_client(create_mock_http_client())
        .endpoint_url("http://127.0.0.1:4566")
        .build();
    let settings = AwsSettings {
        read_only,
        ..AwsSettings::default()
    };
    let mut ctx = AwsContext::from_sdk_config(&sdk, &settings).expect("region is set");
    let calls = ctx.calls.clone();
    ctx.ecs = aws_sdk_ecs::Client::from_conf(
        aws_sdk_ecs::config::Builder::from(&sdk)
            .interceptor(calls.clone())
            .interceptor(interceptor(&mocks.ecs))
            .build(),
    );
    ctx.autoscaling = aws_sdk_autoscaling::Client::from_conf(
        aws_sdk_autoscaling::config::Builder::from(&sdk)
            .interceptor(calls.clone())
            .interceptor(interceptor(&mocks.autoscaling))
            .build(),
    );
    ctx.app_autoscaling = aws_sdk_applicationautoscaling::Client::from_conf(
        aws_sdk_applicationautoscaling::config::Builder::from(&sdk)
            .interceptor(calls.clone())
            .interceptor(interceptor(&mocks.app_autoscaling))
            .build(),
    );
    ctx.sts = aws_sdk_sts::Client::from_conf(
        aws_sdk_sts::config::Builder::from(&sdk)
            .interceptor(calls)
            .interceptor(interceptor(&mocks.sts))
            .build(),
    );
    ctx
}
