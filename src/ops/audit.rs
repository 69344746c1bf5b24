//! The audit log: one JSON line per attempted operation (who, what, where, when, outcome), never secrets.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Operation, Plan};
use crate::aws::AwsContext;
use crate::aws::error::CallContext;

/// Environment variable that moves the audit log (tests, shared hosts).
pub const AUDIT_ENV: &str = "NAVOY_AUDIT_LOG";

/// The plan as recorded: its summary, the calls and the warnings shown at confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanSummary {
    pub summary: String,
    pub calls: Vec<String>,
    pub warnings: Vec<String>,
}

/// How an attempt ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditOutcome {
    /// `refused`, `declined`, `dry_run`, `applied`, `failed`, `failed_halfway`,
    /// `settled`, `timed_out` or `watch_failed`.
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub done: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_done: Vec<String>,
}

impl AuditOutcome {
    #[must_use]
    pub fn new(status: &str, message: Option<String>) -> Self {
        Self {
            status: status.to_owned(),
            message,
            done: Vec::new(),
            not_done: Vec::new(),
        }
    }

    /// From an executor outcome: applied / failed / failed halfway, with what was and was not done.
    #[must_use]
    pub fn from_execution(out: &super::execute::Outcome) -> Self {
        Self {
            status: out.status().to_owned(),
            message: out.failed.clone(),
            done: out.done.clone(),
            not_done: out.not_done.clone(),
        }
    }
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub time: DateTime<Utc>,
    /// The caller's ARN from STS `GetCallerIdentity`, or `unknown`.
    pub identity: String,
    pub endpoint: Option<String>,
    pub region: String,
    pub cluster: Option<String>,
    pub operation: String,
    pub parameters: serde_json::Value,
    pub plan: Option<PlanSummary>,
    pub outcome: AuditOutcome,
}

/// Where an attempt happened and as whom: the same for every record of one session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditContext {
    pub identity: String,
    pub endpoint: Option<String>,
    pub region: String,
    pub cluster: Option<String>,
}

/// An endpoint without any `user:password@` part.
#[must_use]
pub fn redact_endpoint(endpoint: &str) -> String {
    match endpoint.split_once("://") {
        Some((scheme, rest)) => {
            let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
            format!("{scheme}://{host}{path}")
        }
        None => endpoint.to_owned(),
    }
}

impl AuditContext {
    /// Asks STS who we are (the ARN only); `unknown` when STS fails or is unavailable.
    pub async fn for_context(ctx: &AwsContext, cluster: Option<&str>) -> Self {
        let identity = match ctx
            .sts
            .get_caller_identity()
            .send()
            .await
            .call("STS", "GetCallerIdentity")
        {
            Ok(out) => out.arn().unwrap_or("unknown").to_owned(),
            Err(e) => {
                tracing::debug!("GetCallerIdentity failed: {e}");
                "unknown".to_owned()
            }
        };
        Self {
            identity,
            endpoint: ctx.endpoint.as_deref().map(redact_endpoint),
            region: ctx.region.clone(),
            cluster: cluster.map(str::to_owned),
        }
    }

    /// A record of `op` (with its plan when one was made) ending in `outcome`, stamped now.
    #[must_use]
    pub fn record(
        &self,
        op: &Operation,
        plan: Option<&Plan>,
        outcome: AuditOutcome,
    ) -> AuditRecord {
        AuditRecord {
            time: Utc::now(),
            identity: self.identity.clone(),
            endpoint: self.endpoint.clone(),
            region: self.region.clone(),
            cluster: self.cluster.clone(),
            operation: op.name().to_owned(),
            parameters: serde_json::to_value(op).unwrap_or(serde_json::Value::Null),
            plan: plan.map(|p| PlanSummary {
                summary: p.summary.clone(),
                calls: p.steps.iter().map(ToString::to_string).collect(),
                warnings: p.warnings.clone(),
            }),
            outcome,
        }
    }
}

/// The append-only JSON-lines file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditLog {
    path: PathBuf,
}

/// `NAVOY_AUDIT_LOG` when set and not empty, else `navoy-console/audit.jsonl` in the XDG state
/// dir (the local data dir where there is no state dir).
#[must_use]
pub fn default_path(env_value: Option<std::ffi::OsString>) -> Option<PathBuf> {
    if let Some(v) = env_value.filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(v));
    }
    let dirs = directories::ProjectDirs::from("", "", "navoy-console")?;
    let base = dirs.state_dir().unwrap_or_else(|| dirs.data_local_dir());
    Some(base.join("audit.jsonl"))
}

impl AuditLog {
    #[must_use]
    pub fn at(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// The log named by `NAVOY_AUDIT_LOG` or the XDG state dir.
    #[must_use]
    pub fn from_env() -> Option<Self> {
        default_path(std::env::var_os(AUDIT_ENV)).map(Self::at)
    }

    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one record as one line (one write, so concurrent writers do not interleave).
    ///
    /// # Errors
    /// When the directory cannot be created or the file written.
    pub fn append(&self, record: &AuditRecord) -> std::io::Result<()> {
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let mut line = serde_json::to_string(record).map_err(std::io::Error::other)?;
        line.push('\n');
        let mut options = std::fs::OpenOptions::new();
        options.create(true).append(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options.open(&self.path)?.write_all(line.as_bytes())
    }

    /// Every readable record, oldest first (for the Events view); unreadable lines are skipped.
    ///
    /// # Errors
    /// When the file exists but cannot be read.
    pub fn read_all(&self) -> std::io::Result<Vec<AuditRecord>> {
        match std::fs::read_to_string(&self.path) {
            Ok(text) => Ok(text
                .lines()
                .filter_map(|l| serde_json::from_str(l).ok())
                .collect()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests;
