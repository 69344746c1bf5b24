//! Watches an applied operation until it settles, fails or times out, reporting progress as plain values.

pub mod assess;
pub mod logs;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;

pub use assess::{Assessment, assess};

use super::Goal;
use crate::aws::carry::Carry;
use crate::aws::{AwsContext, AwsError, compute, ecs, elb};
use crate::model::{Section, Snapshot, joins};

/// How long to watch and how often to look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WatchOptions {
    pub timeout: Duration,
    pub interval: Duration,
}

impl Default for WatchOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_mins(10),
            interval: Duration::from_secs(2),
        }
    }
}

/// Where a watched operation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Waiting,
    Settled,
    Failed,
    TimedOut,
}

/// One look at the operation's progress: the state lines, and why it is not settled yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub phase: Phase,
    pub elapsed_s: u64,
    /// The state, one line per resource ("navoy-app: running 3/4, pending 1; targets 3 healthy, 1 initial").
    pub lines: Vec<String>,
    /// Why it is not settled (placement failures, unhealthy targets, stop reasons), newest first.
    pub reasons: Vec<String>,
}

/// Polls what `goal` depends on every `opts.interval` and reports each look to `on_progress`,
/// until settled, failed, or `opts.timeout`. Returns the last look.
pub async fn watch(
    ctx: &AwsContext,
    cluster: &str,
    goal: &Goal,
    opts: WatchOptions,
    on_progress: &mut (dyn FnMut(&Progress) + Send),
) -> Progress {
    let started = tokio::time::Instant::now();
    let since = Utc::now();
    let mut task_logs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    loop {
        let look = match read(ctx, cluster, goal).await {
            Ok(snap) => {
                let failed = logs::failed_new_tasks(goal, &snap, since, &task_logs);
                logs::read_new(ctx, &failed, &mut task_logs).await;
                let mut look = assess(goal, &snap, since);
                if look.phase != Phase::Settled {
                    look.reasons.extend(task_logs.values().flatten().cloned());
                }
                look
            }
            Err(e) => Assessment {
                phase: Phase::Waiting,
                lines: vec![format!("could not read the state: {e}")],
                reasons: Vec::new(),
            },
        };
        let elapsed = started.elapsed();
        let timed_out = look.phase == Phase::Waiting && elapsed >= opts.timeout;
        let progress = Progress {
            phase: if timed_out {
                Phase::TimedOut
            } else {
                look.phase
            },
            elapsed_s: elapsed.as_secs(),
            lines: look.lines,
            reasons: look.reasons,
        };
        on_progress(&progress);
        if progress.phase != Phase::Waiting {
            return progress;
        }
        tokio::time::sleep(opts.interval).await;
    }
}

fn asg_name(goal: &Goal) -> Option<&str> {
    match goal {
        Goal::AsgAt { asg, .. } | Goal::InstanceReleased { asg, .. } => Some(asg),
        _ => None,
    }
}

/// Reads only what a goal needs: services, tasks, container instances, the services' target
/// groups, and the Auto Scaling group when the goal is about one.
///
/// # Errors
/// The first failing read.
pub async fn read(ctx: &AwsContext, cluster: &str, goal: &Goal) -> Result<Snapshot, AwsError> {
    // A watch reads everything fresh: it is judging the effect of an operation.
    let (fresh, unchanged) = (Carry::default(), BTreeSet::new());
    let (services, tasks, cis) = tokio::join!(
        ecs::services(ctx, cluster, &fresh, &unchanged),
        ecs::tasks(ctx, cluster, &fresh),
        ecs::container_instances(ctx, cluster),
    );
    let services = services?;
    let tg_arns: Vec<String> = services
        .iter()
        .flat_map(|s| {
            s.load_balancers
                .iter()
                .filter_map(|l| l.target_group_arn.clone())
        })
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let asg_names: Vec<String> = asg_name(goal).map(str::to_owned).into_iter().collect();
    let ranges = async {
        if matches!(goal, Goal::ScalingRange { .. }) {
            compute::scalable_targets(ctx, cluster)
                .await
                .map(Section::Ok)
        } else {
            Ok(Section::Ok(Vec::new()))
        }
    };
    let (lb, scalable_targets, asgs) = tokio::join!(elb::load(ctx, &tg_arns), ranges, async {
        if asg_names.is_empty() {
            Ok(Vec::new())
        } else {
            compute::auto_scaling_groups(ctx, &asg_names).await
        }
    });
    let (_, target_groups) = lb?;
    let mut snap = Snapshot {
        taken_at: Some(Utc::now()),
        services: Section::Ok(services),
        tasks: Section::Ok(tasks?.tasks),
        container_instances: Section::Ok(cis?),
        target_groups: Section::Ok(target_groups),
        auto_scaling_groups: Section::Ok(asgs?),
        scalable_targets: scalable_targets?,
        ..Snapshot::default()
    };
    joins::link(&mut snap);
    Ok(snap)
}

/// Events, stop reasons and the like newer than `since` (with a minute of clock slack).
#[must_use]
pub fn is_recent(at: Option<DateTime<Utc>>, since: DateTime<Utc>) -> bool {
    at.is_some_and(|t| t >= since - chrono::Duration::minutes(1))
}

#[cfg(test)]
mod tests;
