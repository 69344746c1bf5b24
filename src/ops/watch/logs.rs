//! The first error lines of new tasks that failed during a rollout, read once per task from their log streams.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::is_recent;
use crate::aws::AwsContext;
use crate::aws::error::CallContext;
use crate::model::{Snapshot, Task, short_id};
use crate::ops::Goal;

/// How many failed tasks' logs one watch reads at most (each is one `GetLogEvents`).
const MAX_TASKS: usize = 3;
/// How many lines of each are kept.
const LINES: usize = 3;

/// The lines that look like errors, else the last lines: at most [`LINES`].
#[must_use]
pub fn error_lines(lines: &[String]) -> Vec<String> {
    let looks_bad = |l: &&String| {
        let lower = l.to_ascii_lowercase();
        [
            "error",
            "fatal",
            "panic",
            "exception",
            "traceback",
            "refused",
            "denied",
        ]
        .iter()
        .any(|w| lower.contains(w))
    };
    let bad: Vec<String> = lines
        .iter()
        .filter(looks_bad)
        .take(LINES)
        .cloned()
        .collect();
    if bad.is_empty() {
        lines.iter().rev().take(LINES).rev().cloned().collect()
    } else {
        bad
    }
}

/// New tasks of the rollout that stopped since `since` and whose logs were not read yet.
#[must_use]
pub fn failed_new_tasks<'a>(
    goal: &Goal,
    snap: &'a Snapshot,
    since: DateTime<Utc>,
    read: &BTreeMap<String, Vec<String>>,
) -> Vec<&'a Task> {
    let Goal::Rollout {
        service,
        task_definition: Some(td),
    } = goal
    else {
        return Vec::new();
    };
    snap.tasks()
        .iter()
        .filter(|t| {
            t.service.as_deref() == Some(service.as_str())
                && short_id(&t.task_definition) == short_id(td)
                && t.last_status == "STOPPED"
                && is_recent(t.stopped_at, since)
                && !read.contains_key(&t.arn)
        })
        .take(MAX_TASKS.saturating_sub(read.len()))
        .collect()
}

/// Reads the first lines of each task's first logged container; a task without logs gets none.
pub async fn read_new(ctx: &AwsContext, tasks: &[&Task], read: &mut BTreeMap<String, Vec<String>>) {
    for t in tasks {
        let Some(log) = t.containers.iter().find_map(|c| c.log.as_ref()) else {
            read.insert(t.arn.clone(), Vec::new());
            continue;
        };
        let Some(stream) = &log.stream else {
            read.insert(t.arn.clone(), Vec::new());
            continue;
        };
        let lines: Vec<String> = match ctx
            .logs
            .get_log_events()
            .log_group_name(&log.group)
            .log_stream_name(stream)
            .start_from_head(true)
            .limit(50)
            .send()
            .await
            .call("CloudWatchLogs", "GetLogEvents")
        {
            Ok(out) => out
                .events()
                .iter()
                .filter_map(|e| e.message().map(|m| m.trim_end().to_owned()))
                .collect(),
            Err(e) => {
                tracing::debug!("GetLogEvents {stream}: {e}");
                Vec::new()
            }
        };
        let picked = error_lines(&lines)
            .into_iter()
            .map(|l| format!("task {} log: {l}", t.id))
            .collect();
        read.insert(t.arn.clone(), picked);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use chrono::Utc;

    use super::{error_lines, failed_new_tasks};
    use crate::model::sample;
    use crate::ops::Goal;

    fn lines(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn error_lines_come_first_else_the_last_lines() {
        let log = lines(&[
            "starting",
            "listening on 3000",
            "Error: DATABASE_URL is not set",
            "exit",
        ]);
        assert_eq!(
            error_lines(&log),
            lines(&["Error: DATABASE_URL is not set"])
        );
        let quiet = lines(&["a", "b", "c", "d"]);
        assert_eq!(error_lines(&quiet), lines(&["b", "c", "d"]));
        assert!(error_lines(&[]).is_empty());
    }

    #[test]
    fn only_recently_failed_tasks_of_the_new_revision_are_read_once() {
        let mut snap = sample::seed();
        let now = Utc::now();
        let stopped = snap.tasks()[3].clone();
        let goal = |td: &str| Goal::Rollout {
            service: "navoy-app".into(),
            task_definition: Some(td.into()),
        };
        snap.tasks.ok_mut().unwrap()[3].stopped_at = Some(now);
        let read = BTreeMap::new();
        let found = failed_new_tasks(&goal(&stopped.task_definition), &snap, now, &read);
        assert_eq!(
            found.iter().map(|t| &t.id).collect::<Vec<_>>(),
            vec![&stopped.id]
        );
        let other_revision = stopped.task_definition.replace(":6", ":7");
        assert!(failed_new_tasks(&goal(&other_revision), &snap, now, &read).is_empty());
        let done = BTreeMap::from([(stopped.arn.clone(), Vec::new())]);
        assert!(failed_new_tasks(&goal(&stopped.task_definition), &snap, now, &done).is_empty());
    }
}
