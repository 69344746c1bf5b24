//! `navoy-console status`: one snapshot, printed for people or as JSON for scripts.

pub mod json;
pub mod text;

use crate::aws::carry::Carry;
use crate::aws::{AwsContext, AwsError, ErrorKind, cluster, snapshot};
use crate::model::Snapshot;

/// Process exit codes of the headless commands (documented in the README).
pub mod exit {
    /// Printed a snapshot (sections the endpoint lacks are reported inside it).
    pub const OK: u8 = 0;
    /// Anything not covered below.
    pub const FAILURE: u8 = 1;
    /// Bad arguments (clap's own code).
    pub const USAGE: u8 = 2;
    /// The cluster (or another named resource) does not exist or is ambiguous.
    pub const NOT_FOUND: u8 = 3;
    /// The endpoint cannot be reached, or no credentials.
    pub const UNREACHABLE: u8 = 4;
    /// The identity lacks permission.
    pub const ACCESS_DENIED: u8 = 5;
    /// Refused by --read-only, a failed pre-check, or the operator said no.
    pub const REFUSED: u8 = 6;
    /// An operation was applied but did not settle before --timeout.
    pub const TIMEOUT: u8 = 7;
    /// An operation failed half-way: some of its calls were applied (the output lists which).
    pub const PARTIAL: u8 = 8;
    /// An operation was applied but the watch saw it fail (rollout failed, drain stuck).
    pub const WATCH_FAILED: u8 = 9;
}

/// The exit code that best describes an AWS error.
#[must_use]
pub fn exit_code(err: &AwsError) -> u8 {
    match err.kind {
        ErrorKind::NotFound => exit::NOT_FOUND,
        ErrorKind::Unreachable | ErrorKind::Credentials => exit::UNREACHABLE,
        ErrorKind::AccessDenied => exit::ACCESS_DENIED,
        _ => exit::FAILURE,
    }
}

/// Resolves the cluster and gathers one snapshot.
///
/// # Errors
/// When the cluster cannot be resolved (unreachable endpoint, no credentials, not found).
pub async fn load(ctx: &AwsContext, cluster_name: Option<&str>) -> Result<Snapshot, AwsError> {
    load_with(ctx, cluster_name, &mut Carry::default()).await
}

/// Like [`load`], carrying settled descriptions over from the last refresh (see
/// [`crate::aws::carry`]).
///
/// # Errors
/// When the cluster cannot be resolved (unreachable endpoint, no credentials, not found).
pub async fn load_with(
    ctx: &AwsContext,
    cluster_name: Option<&str>,
    carry: &mut Carry,
) -> Result<Snapshot, AwsError> {
    let cluster = cluster::resolve(ctx, cluster_name).await?;
    Ok(snapshot::refresh(ctx, cluster, carry).await)
}
