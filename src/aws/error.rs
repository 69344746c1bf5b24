//! SDK errors made readable: which service and call, `code: message`, and what kind of failure.

use std::fmt;

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::http::Response;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

/// What went wrong, in the terms a person acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The endpoint does not offer this API (`LocalStack` Community, an emulator without it).
    Unavailable,
    AccessDenied,
    Throttled,
    /// Could not connect, or timed out.
    Unreachable,
    NotFound,
    Credentials,
    Invalid,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsError {
    pub service: &'static str,
    pub operation: &'static str,
    pub kind: ErrorKind,
    pub code: Option<String>,
    pub message: String,
}

impl fmt::Display for AwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            ErrorKind::Unavailable => "not available at this endpoint: ",
            ErrorKind::Unreachable => "endpoint unreachable: ",
            ErrorKind::Credentials => "no usable credentials: ",
            _ => "",
        };
        write!(f, "{} {}: {what}", self.service, self.operation)?;
        match &self.code {
            Some(code) => write!(f, "{code}: {}", self.message),
            None => write!(f, "{}", self.message),
        }
    }
}

impl std::error::Error for AwsError {}

fn classify(code: Option<&str>, message: &str, status: Option<u16>) -> ErrorKind {
    let lower = message.to_ascii_lowercase();
    let code_l = code.unwrap_or_default().to_ascii_lowercase();
    if status == Some(501)
        || lower.contains("not included in your")
        || lower.contains("not yet been emulated")
        || lower.contains("not yet implemented")
        || code_l.contains("notimplemented")
        || code_l.contains("unknownoperation")
        || code_l == "invalidaction"
    {
        ErrorKind::Unavailable
    } else if code_l.contains("throttl")
        || code_l.contains("ratelimit")
        || status == Some(429)
        || lower.contains("rate exceeded")
    {
        ErrorKind::Throttled
    } else if code_l.contains("accessdenied")
        || code_l.contains("unauthorized")
        || status == Some(403)
    {
        ErrorKind::AccessDenied
    } else if code_l.contains("notfound")
        || code_l.contains("clusternotfound")
        || code_l.contains("servicenotfound")
    {
        ErrorKind::NotFound
    } else if code_l.contains("invalidparameter")
        || code_l.contains("validation")
        || code_l.contains("invalid")
    {
        ErrorKind::Invalid
    } else if code_l.contains("expiredtoken")
        || code_l.contains("invalidclienttokenid")
        || code_l.contains("signature")
    {
        ErrorKind::Credentials
    } else {
        ErrorKind::Other
    }
}

/// The innermost message of an error chain, which is where the SDK puts the useful part.
fn root_message(err: &(dyn std::error::Error + 'static)) -> String {
    let mut msgs = vec![err.to_string()];
    let mut cur = err.source();
    while let Some(e) = cur {
        msgs.push(e.to_string());
        cur = e.source();
    }
    msgs.dedup();
    msgs.join(": ")
}

impl AwsError {
    /// Converts any SDK operation error, naming the service and the call.
    pub fn from_sdk<E>(
        service: &'static str,
        operation: &'static str,
        err: &SdkError<E, Response>,
    ) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        let status = err.raw_response().map(|r| r.status().as_u16());
        let (kind, code, message) = match err {
            SdkError::ServiceError(se) => {
                let e = se.err();
                let code = e.code().map(str::to_owned);
                let message = e.message().map_or_else(|| e.to_string(), str::to_owned);
                (classify(code.as_deref(), &message, status), code, message)
            }
            SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => {
                let message = root_message(err);
                let kind = if message.contains("credentials") || message.contains("identity") {
                    ErrorKind::Credentials
                } else {
                    ErrorKind::Unreachable
                };
                (kind, None, message)
            }
            SdkError::ResponseError(_) => {
                let message = root_message(err);
                (
                    classify(None, &message, status),
                    status.map(|s| format!("HTTP {s}")),
                    message,
                )
            }
            _ => {
                let message = root_message(err);
                let kind = if message.contains("read-only") {
                    ErrorKind::Invalid
                } else if message.contains("credentials") || message.contains("identity") {
                    ErrorKind::Credentials
                } else {
                    ErrorKind::Other
                };
                (kind, None, message)
            }
        };
        Self {
            service,
            operation,
            kind,
            code,
            message,
        }
    }

    #[must_use]
    pub fn is_unavailable(&self) -> bool {
        self.kind == ErrorKind::Unavailable
    }
}

/// Attaches the service and operation to an SDK result: `.call("ECS", "ListServices")?`.
pub trait CallContext<T> {
    /// # Errors
    /// The SDK error, made readable.
    fn call(self, service: &'static str, operation: &'static str) -> Result<T, AwsError>;
}

impl<T, E> CallContext<T> for Result<T, SdkError<E, Response>>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    fn call(self, service: &'static str, operation: &'static str) -> Result<T, AwsError> {
        self.map_err(|e| AwsError::from_sdk(service, operation, &e))
    }
}

#[cfg(test)]
mod tests {
    use super::{ErrorKind, classify};

    #[test]
    fn localstack_licence_errors_mean_unavailable() {
        let msg =
            "API for service 'ecs' not yet implemented or pro feature - please check the docs";
        assert_eq!(
            classify(Some("InternalFailure"), msg, Some(501)),
            ErrorKind::Unavailable
        );
        let msg = "The API for service 'elbv2' is either not included in your current license plan";
        assert_eq!(
            classify(Some("InternalFailure"), msg, Some(400)),
            ErrorKind::Unavailable
        );
    }

    #[test]
    fn codes_map_to_kinds() {
        assert_eq!(
            classify(Some("ThrottlingException"), "Rate exceeded", Some(400)),
            ErrorKind::Throttled
        );
        assert_eq!(
            classify(Some("AccessDeniedException"), "nope", Some(400)),
            ErrorKind::AccessDenied
        );
        assert_eq!(
            classify(
                Some("ClusterNotFoundException"),
                "Cluster not found.",
                Some(400)
            ),
            ErrorKind::NotFound
        );
        assert_eq!(
            classify(Some("InvalidParameterException"), "bad", Some(400)),
            ErrorKind::Invalid
        );
        assert_eq!(classify(Some("Weird"), "?", Some(500)), ErrorKind::Other);
    }
}
