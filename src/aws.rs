//! The AWS layer: one SDK context, per-service adapters that page and batch, and domain types out.

/// Every page of a paginated request, as one `Vec`, with the call named in any error.
/// (List calls ask for `max_results(100)`: `ListServices` would otherwise page by 10.)
macro_rules! paged {
    ($request:expr, $service:literal, $operation:literal) => {
        $crate::aws::error::CallContext::call(
            $request.into_paginator().items().send().try_collect().await,
            $service,
            $operation,
        )
    };
}

pub mod calls;
pub mod carry;
pub mod cluster;
pub mod compute;
pub mod context;
pub mod ecs;
pub mod elb;
pub mod error;
pub mod logs;
pub mod network;
pub mod snapshot;

pub use calls::ApiCalls;
pub use context::{AwsContext, AwsSettings};
pub use error::{AwsError, ErrorKind};

/// How many independent requests of one family may be in flight at once.
pub const CONCURRENCY: usize = 8;

use futures::StreamExt;

/// Runs `describe` over `ids` in chunks of `size` (the API's maximum), at most
/// [`CONCURRENCY`] at once, keeping the input order.
///
/// # Errors
/// The first failed chunk's error.
pub async fn batched<T, F, Fut>(
    ids: &[String],
    size: usize,
    describe: F,
) -> Result<Vec<T>, AwsError>
where
    F: Fn(Vec<String>) -> Fut,
    Fut: Future<Output = Result<Vec<T>, AwsError>>,
{
    // Owned chunks and futures built up front: a closure over borrowed chunks here would make
    // the whole snapshot future not provably `Send` (higher-ranked lifetimes).
    let requests: Vec<Fut> = ids
        .chunks(size.max(1))
        .map(<[String]>::to_vec)
        .map(describe)
        .collect();
    let chunks: Vec<Result<Vec<T>, AwsError>> = futures::stream::iter(requests)
        .buffered(CONCURRENCY)
        .collect()
        .await;
    let mut out = Vec::with_capacity(ids.len());
    for chunk in chunks {
        out.extend(chunk?);
    }
    Ok(out)
}

/// `arns` in list order: the carried description where `carried` vouches for one, the rest
/// described in batches of `size` by `describe` (see [`carry`]).
///
/// # Errors
/// The first failed batch's error.
pub async fn describe_stale<'a, T, F, Fut>(
    arns: &[String],
    carried: impl Fn(&str) -> Option<&'a T>,
    arn_of: impl Fn(&T) -> &str,
    size: usize,
    describe: F,
) -> Result<Vec<T>, AwsError>
where
    T: Clone + 'a,
    F: Fn(Vec<String>) -> Fut,
    Fut: Future<Output = Result<Vec<T>, AwsError>>,
{
    let stale: Vec<String> = arns
        .iter()
        .filter(|a| carried(a).is_none())
        .cloned()
        .collect();
    let mut fresh: std::collections::HashMap<String, T> = batched(&stale, size, describe)
        .await?
        .into_iter()
        .map(|t| (arn_of(&t).to_owned(), t))
        .collect();
    Ok(arns
        .iter()
        .filter_map(|a| fresh.remove(a).or_else(|| carried(a).cloned()))
        .collect())
}

/// SDK timestamps as chrono UTC.
#[must_use]
pub fn utc(t: Option<&aws_smithy_types::DateTime>) -> Option<chrono::DateTime<chrono::Utc>> {
    t.and_then(|t| chrono::DateTime::from_timestamp(t.secs(), t.subsec_nanos()))
}

/// Owned string from an optional SDK string.
#[must_use]
pub fn owned(s: Option<&str>) -> Option<String> {
    s.map(str::to_owned)
}
