//! Counts every API call and attempt per operation (an SDK interceptor), and enforces read-only.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeSerializationInterceptorContextRef, BeforeTransmitInterceptorContextRef,
    FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

use crate::model::ApiCallCount;

#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    calls: u64,
    attempts: u64,
}

/// Shared between every client of one context; cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct ApiCalls {
    counts: Arc<Mutex<BTreeMap<(String, String), Counts>>>,
    retried: Arc<AtomicU64>,
    throttled: Arc<AtomicU64>,
    read_only: Arc<AtomicBool>,
    refused: Arc<AtomicU64>,
}

/// The calls the console makes, by policy (`[viewer]` reads, `[operator]` writes).
const ACTIONS: &str = include_str!("../../terraform/policies/console-actions.txt");

/// Operations the console may call when read-only: exactly the viewer policy's calls (the
/// policy test keeps that list equal to the reads the source makes).
#[must_use]
pub fn is_read_operation(operation: &str) -> bool {
    viewer_actions().any(|a| a == operation)
}

/// `[viewer]` of console-actions.txt, as operation names (`ecs:ListTasks` → `ListTasks`).
fn viewer_actions() -> impl Iterator<Item = &'static str> {
    ACTIONS
        .lines()
        .map(str::trim)
        .skip_while(|l| *l != "[viewer]")
        .skip(1)
        .take_while(|l| !l.starts_with('['))
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once(':').map(|(_, action)| action))
}

impl ApiCalls {
    #[must_use]
    pub fn new(read_only: bool) -> Self {
        let calls = Self::default();
        calls.read_only.store(read_only, Ordering::Relaxed);
        calls
    }

    /// Per-operation counts, sorted by service then operation.
    #[must_use]
    pub fn snapshot(&self) -> Vec<ApiCallCount> {
        let map = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        map.iter()
            .map(|((service, operation), c)| ApiCallCount {
                service: service.clone(),
                operation: operation.clone(),
                calls: c.calls,
                attempts: c.attempts,
            })
            .collect()
    }

    #[must_use]
    pub fn total(&self) -> u64 {
        let map = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        map.values().map(|c| c.calls).sum()
    }

    /// Attempts beyond the first, over the whole session (retries after errors or throttling).
    #[must_use]
    pub fn retries(&self) -> u64 {
        self.retried.load(Ordering::Relaxed)
    }

    #[must_use]
    pub fn throttled(&self) -> u64 {
        self.throttled.load(Ordering::Relaxed)
    }

    /// Calls refused by the read-only guard.
    #[must_use]
    pub fn refused(&self) -> u64 {
        self.refused.load(Ordering::Relaxed)
    }

    /// Number of calls of operations that change something (for tests and the audit).
    #[must_use]
    pub fn mutating_calls(&self) -> u64 {
        let map = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        map.iter()
            .filter(|((_, op), _)| !is_read_operation(op))
            .map(|(_, c)| c.calls)
            .sum()
    }

    pub fn reset(&self) {
        self.counts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    fn bump(&self, cfg: &ConfigBag, attempt: bool) -> Option<(String, String)> {
        let meta = cfg.load::<Metadata>()?;
        let key = (meta.service().to_owned(), meta.name().to_owned());
        let mut map = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = map.entry(key.clone()).or_default();
        if attempt {
            entry.attempts += 1;
            if entry.attempts > entry.calls {
                self.retried.fetch_add(1, Ordering::Relaxed);
            }
        } else {
            entry.calls += 1;
        }
        Some(key)
    }
}

impl Intercept for ApiCalls {
    fn name(&self) -> &'static str {
        "NavoyApiCalls"
    }

    // Not `read_before_execution`: client interceptors run that before the operation's own
    // config (which holds its name) is in the bag. This runs once per call, before any attempt.
    fn read_before_serialization(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Some((service, operation)) = self.bump(cfg, false) else {
            return Ok(());
        };
        if self.read_only.load(Ordering::Relaxed) && !is_read_operation(&operation) {
            self.refused.fetch_add(1, Ordering::Relaxed);
            return Err(format!("read-only mode: refused {service} {operation}").into());
        }
        Ok(())
    }

    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.bump(cfg, true);
        Ok(())
    }

    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(resp) = context.response() {
            let status = resp.status().as_u16();
            if status == 429 || status == 503 {
                self.throttled.fetch_add(1, Ordering::Relaxed);
            } else if status == 400
                && let Some(body) = resp.body().bytes()
                && std::str::from_utf8(body)
                    .is_ok_and(|b| b.contains("Throttl") || b.contains("Rate exceeded"))
            {
                self.throttled.fetch_add(1, Ordering::Relaxed);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{is_read_operation, viewer_actions};

    #[test]
    fn the_viewer_list_holds_only_reads() {
        let all: Vec<&str> = viewer_actions().collect();
        assert!(all.len() > 20, "{all:?}");
        for op in all {
            assert!(
                ["Describe", "List", "Get", "Filter", "StartLiveTail"]
                    .iter()
                    .any(|p| op.starts_with(p)),
                "{op} is in [viewer] but does not read"
            );
        }
    }

    #[test]
    fn read_operations_are_recognised() {
        for op in [
            "DescribeServices",
            "ListTasks",
            "GetLogEvents",
            "FilterLogEvents",
        ] {
            assert!(is_read_operation(op), "{op}");
        }
        for op in [
            "UpdateService",
            "StopTask",
            "SetDesiredCapacity",
            "UpdateContainerInstancesState",
            "RegisterTaskDefinition",
            "DeleteCluster",
            "DescribeSomethingNeverCalled",
        ] {
            assert!(!is_read_operation(op), "{op}");
        }
    }
}
