//! The rows each view shows (scoped, filtered, ordered): shared by the reducer and the views.

use super::state::{State, TaskScope, View};
use crate::model::{ContainerInstance, LogLine, Service, ServiceEvent, Target, TargetGroup, Task};

fn matches(filter: &str, fields: &[&str]) -> bool {
    if filter.is_empty() {
        return true;
    }
    let needle = filter.to_lowercase();
    fields.iter().any(|f| f.to_lowercase().contains(&needle))
}

/// Container instances ordered by AZ, then id (the topology's reading order).
#[must_use]
pub fn topology_instances(state: &State) -> Vec<&ContainerInstance> {
    let mut v: Vec<&ContainerInstance> = state
        .snapshot
        .as_ref()
        .map(|s| s.container_instances().iter().collect())
        .unwrap_or_default();
    v.sort_by(|a, b| (&a.az, &a.id).cmp(&(&b.az, &b.id)));
    v
}

#[must_use]
pub fn targets(state: &State) -> Vec<(&TargetGroup, &Target)> {
    let f = state.filter(View::Targets);
    state
        .snapshot
        .as_ref()
        .map(|s| {
            s.target_groups()
                .iter()
                .flat_map(|tg| tg.targets.iter().map(move |t| (tg, t)))
                .filter(|(tg, t)| {
                    matches(
                        f,
                        &[
                            &tg.name,
                            &t.id,
                            t.health.label(),
                            t.reason.as_deref().unwrap_or_default(),
                            t.az.as_deref().unwrap_or_default(),
                            t.task_arn.as_deref().unwrap_or_default(),
                            t.instance_id.as_deref().unwrap_or_default(),
                        ],
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[must_use]
pub fn services(state: &State) -> Vec<&Service> {
    let f = state.filter(View::Services);
    state
        .snapshot
        .as_ref()
        .map(|s| {
            s.services()
                .iter()
                .filter(|s| matches(f, &[&s.name, &s.status, &s.task_definition]))
                .collect()
        })
        .unwrap_or_default()
}

/// Tasks in scope, live ones first.
#[must_use]
pub fn tasks(state: &State) -> Vec<&Task> {
    let f = state.filter(View::Tasks);
    let mut v: Vec<&Task> = state
        .snapshot
        .as_ref()
        .map(|s| {
            s.tasks()
                .iter()
                .filter(|t| match &state.task_scope {
                    TaskScope::All => true,
                    TaskScope::Service(name) => t.service.as_deref() == Some(name),
                    TaskScope::Instance(arn) => t.container_instance_arn.as_deref() == Some(arn),
                    TaskScope::Task(arn) => t.arn == *arn,
                })
                .filter(|t| {
                    matches(
                        f,
                        &[
                            &t.id,
                            &t.last_status,
                            t.service.as_deref().unwrap_or_default(),
                            t.az.as_deref().unwrap_or_default(),
                            t.private_ip.as_deref().unwrap_or_default(),
                            t.instance_id.as_deref().unwrap_or_default(),
                            t.revision(),
                            t.target_health().map_or("", |h| h.label()),
                        ],
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort_by_key(|t| t.last_status == "STOPPED");
    v
}

#[must_use]
pub fn instances(state: &State) -> Vec<&ContainerInstance> {
    let f = state.filter(View::Instances);
    topology_instances(state)
        .into_iter()
        .filter(|c| {
            matches(
                f,
                &[
                    &c.id,
                    &c.status,
                    c.ec2_instance_id.as_deref().unwrap_or_default(),
                    c.az.as_deref().unwrap_or_default(),
                    c.asg_lifecycle_state.as_deref().unwrap_or_default(),
                ],
            )
        })
        .collect()
}

/// Service events of every service and the console's own operations (audit log), newest first.
#[must_use]
pub fn events(state: &State) -> Vec<(&str, &ServiceEvent)> {
    let f = state.filter(View::Events);
    let mut v: Vec<(&str, &ServiceEvent)> = state
        .snapshot
        .as_ref()
        .map(|s| {
            s.services()
                .iter()
                .flat_map(|s| s.events.iter().map(move |e| (s.name.as_str(), e)))
                .filter(|(name, e)| matches(f, &[name, &e.message]))
                .collect()
        })
        .unwrap_or_default();
    v.extend(
        state
            .ops
            .console_events
            .iter()
            .map(|(who, e)| (who.as_str(), e))
            .filter(|(who, e)| matches(f, &[who, &e.message])),
    );
    v.sort_by_key(|e| std::cmp::Reverse(e.1.at));
    v
}

/// Log lines passing the substring filter.
#[must_use]
pub fn log_lines(state: &State) -> Vec<&LogLine> {
    let f = state.filter(View::Logs);
    state
        .logs
        .lines
        .iter()
        .filter(|l| matches(f, &[&l.message, &l.stream]))
        .collect()
}

/// How many selectable rows a view has.
#[must_use]
pub fn len(state: &State, view: View) -> usize {
    match view {
        View::Topology => topology_instances(state).len(),
        View::Targets => targets(state).len(),
        View::Services => services(state).len(),
        View::Tasks => tasks(state).len(),
        View::Instances => instances(state).len(),
        View::Logs => log_lines(state).len(),
        View::Events => events(state).len(),
        View::Help => state.keymap.bindings.len(),
    }
}

/// The first row of a list `height` rows high so that `selected` is visible (views and mouse agree).
#[must_use]
pub fn offset(selected: usize, height: usize) -> usize {
    if height == 0 {
        return selected;
    }
    selected.saturating_sub(height - 1)
}
