//! A context whose clients tests replace with `aws-smithy-mocks` clients, one service at a time.

use navoy_console::aws::{AwsContext, AwsSettings};

pub fn context() -> AwsContext {
    let sdk = aws_config::SdkConfig::builder()
        .region(aws_config::Region::new("us-east-1"))
        .behavior_version(aws_config::BehaviorVersion::latest())
        .build();
    AwsContext::from_sdk_config(&sdk, &AwsSettings::default()).unwrap()
}
