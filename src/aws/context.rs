//! The one place that builds the SDK config and every client: region, profile, endpoint, timeouts, retry.

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::endpoint::EndpointPrefix;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

use super::ApiCalls;
use super::error::{AwsError, ErrorKind};

/// The local stack's endpoint and region (`--local`).
pub const LOCAL_ENDPOINT: &str = "http://127.0.0.1:4566";
pub const LOCAL_REGION: &str = "us-east-1";

/// Where and as whom to talk to AWS, as given on the command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AwsSettings {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    pub local: bool,
    pub read_only: bool,
}

impl AwsSettings {
    #[must_use]
    pub fn endpoint(&self) -> Option<String> {
        self.endpoint_url
            .clone()
            .or_else(|| self.local.then(|| LOCAL_ENDPOINT.to_owned()))
    }
}

/// An endpoint given by the user names the host to talk to: `StartLiveTail` would prefix it
/// with `stream-` (right for AWS's own hosts), and `stream-127.0.0.1` resolves nowhere.
#[derive(Debug)]
struct KeepEndpointHost;

impl Intercept for KeepEndpointHost {
    fn name(&self) -> &'static str {
        "NavoyKeepEndpointHost"
    }

    // Runs before each attempt resolves its endpoint, after the operation set the prefix.
    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        cfg.interceptor_state().unset::<EndpointPrefix>();
        Ok(())
    }
}

/// Every client the console uses, sharing one config and one call counter.
#[derive(Debug, Clone)]
pub struct AwsContext {
    pub region: String,
    pub endpoint: Option<String>,
    pub profile: Option<String>,
    pub calls: ApiCalls,
    pub ecs: aws_sdk_ecs::Client,
    pub ec2: aws_sdk_ec2::Client,
    pub elb: aws_sdk_elasticloadbalancingv2::Client,
    pub logs: aws_sdk_cloudwatchlogs::Client,
    pub autoscaling: aws_sdk_autoscaling::Client,
    pub app_autoscaling: aws_sdk_applicationautoscaling::Client,
    pub cloudwatch: aws_sdk_cloudwatch::Client,
    pub sts: aws_sdk_sts::Client,
}

fn retry_config() -> RetryConfig {
    // Adaptive: client-side rate limiting when the account is throttled (DescribeTasks and
    // DescribeContainerInstances share one budget), exponential backoff with jitter otherwise.
    RetryConfig::adaptive()
        .with_max_attempts(5)
        .with_initial_backoff(Duration::from_millis(200))
        .with_max_backoff(Duration::from_secs(5))
}

fn timeout_config() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(3))
        .read_timeout(Duration::from_secs(10))
        .operation_attempt_timeout(Duration::from_secs(15))
        .operation_timeout(Duration::from_secs(45))
        .build()
}

fn env_has_credentials() -> bool {
    std::env::var_os("AWS_ACCESS_KEY_ID").is_some()
        || std::env::var_os("AWS_PROFILE").is_some()
        || std::env::var_os("AWS_WEB_IDENTITY_TOKEN_FILE").is_some()
        || std::env::var_os("AWS_CONTAINER_CREDENTIALS_FULL_URI").is_some()
}

/// Builds the shared SDK config. Never prints credentials.
pub async fn sdk_config(settings: &AwsSettings) -> SdkConfig {
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
        .build_https();
    let mut loader = aws_config::defaults(BehaviorVersion::v2026_01_12())
        .http_client(http)
        .retry_config(retry_config())
        .timeout_config(timeout_config());
    if let Some(profile) = &settings.profile {
        loader = loader.profile_name(profile);
    }
    let region = settings
        .region
        .clone()
        .or_else(|| settings.local.then(|| LOCAL_REGION.to_owned()));
    if let Some(region) = region {
        loader = loader.region(Region::new(region));
    }
    if let Some(endpoint) = settings.endpoint() {
        loader = loader.endpoint_url(endpoint);
    }
    if settings.local && settings.profile.is_none() && !env_has_credentials() {
        // The emulator accepts any signature; these are its documented test keys.
        loader = loader.credentials_provider(aws_credential_types::Credentials::new(
            "test",
            "test",
            None,
            None,
            "navoy-local",
        ));
    }
    loader.load().await
}

impl AwsContext {
    /// Builds every client from the settings.
    ///
    /// # Errors
    /// When no region can be found.
    pub async fn connect(settings: &AwsSettings) -> Result<Self, AwsError> {
        let sdk = sdk_config(settings).await;
        Self::from_sdk_config(&sdk, settings)
    }

    /// Builds every client from an existing SDK config (tests use this with mocks).
    ///
    /// # Errors
    /// When the config has no region.
    pub fn from_sdk_config(sdk: &SdkConfig, settings: &AwsSettings) -> Result<Self, AwsError> {
        let Some(region) = sdk.region().map(ToString::to_string) else {
            return Err(AwsError {
                service: "config",
                operation: "region",
                kind: ErrorKind::Invalid,
                code: None,
                message: "no AWS region set: pass --region, set AWS_REGION, or give the profile a region (or use --local)".into(),
            });
        };
        let calls = ApiCalls::new(settings.read_only);
        let endpoint = settings
            .endpoint()
            .or_else(|| sdk.endpoint_url().map(str::to_owned));
        let mut logs =
            aws_sdk_cloudwatchlogs::config::Builder::from(sdk).interceptor(calls.clone());
        if endpoint.is_some() {
            logs = logs.interceptor(KeepEndpointHost);
        }
        macro_rules! client {
            ($krate:ident) => {
                $krate::Client::from_conf(
                    $krate::config::Builder::from(sdk)
                        .interceptor(calls.clone())
                        .build(),
                )
            };
        }
        Ok(Self {
            region,
            endpoint,
            profile: settings.profile.clone(),
            ecs: client!(aws_sdk_ecs),
            ec2: client!(aws_sdk_ec2),
            elb: client!(aws_sdk_elasticloadbalancingv2),
            logs: aws_sdk_cloudwatchlogs::Client::from_conf(logs.build()),
            autoscaling: client!(aws_sdk_autoscaling),
            app_autoscaling: client!(aws_sdk_applicationautoscaling),
            cloudwatch: client!(aws_sdk_cloudwatch),
            sts: client!(aws_sdk_sts),
            calls,
        })
    }

    /// A one-line description of where this context points, for headers and messages.
    #[must_use]
    pub fn describe(&self) -> String {
        let mut s = self.endpoint.clone().unwrap_or_else(|| "aws".to_owned());
        s.push_str(" · ");
        s.push_str(&self.region);
        if let Some(p) = &self.profile {
            s.push_str(" · profile ");
            s.push_str(p);
        }
        s
    }
}
