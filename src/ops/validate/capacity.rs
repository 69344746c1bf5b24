//! Capacity arithmetic: where tasks fit on the ACTIVE instances, and the drain pre-check with its numbers.

use std::collections::BTreeMap;

use super::{Finding, block, forceable, warn};
use crate::model::{ContainerInstance, Service, Snapshot, Task};
use crate::ops::resolve;

fn units(v: Option<&str>) -> i32 {
    v.and_then(|s| s.trim().parse().ok()).unwrap_or(0)
}

/// A task's (CPU units, MiB).
#[must_use]
pub fn task_size(t: &Task) -> (i32, i32) {
    (units(t.cpu.as_deref()), units(t.memory.as_deref()))
}

/// How placing some tasks on other instances worked out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fit {
    pub placed: usize,
    pub unplaced: usize,
    pub free_cpu: i32,
    pub free_memory: i32,
}

/// First-fit-decreasing of `tasks` onto the ACTIVE instances other than `except`.
#[must_use]
pub fn fit_elsewhere(snap: &Snapshot, except: &str, tasks: &[&Task]) -> Fit {
    let mut free: Vec<(i32, i32)> = snap
        .container_instances()
        .iter()
        .filter(|c| c.status == "ACTIVE" && c.arn != except)
        .map(|c| (c.remaining_cpu, c.remaining_memory))
        .collect();
    let (free_cpu, free_memory) = free
        .iter()
        .fold((0, 0), |(c, m), (fc, fm)| (c + fc, m + fm));
    let mut sizes: Vec<(i32, i32)> = tasks.iter().map(|t| task_size(t)).collect();
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    let mut placed = 0;
    for (cpu, mem) in &sizes {
        if let Some(slot) = free.iter_mut().find(|(fc, fm)| fc >= cpu && fm >= mem) {
            slot.0 -= cpu;
            slot.1 -= mem;
            placed += 1;
        }
    }
    Fit {
        placed,
        unplaced: sizes.len() - placed,
        free_cpu,
        free_memory,
    }
}

/// (CPU, MiB, how many more) tasks of `svc`'s size fit on the ACTIVE instances, when the size is known.
#[must_use]
pub fn room_for(snap: &Snapshot, svc: &Service) -> Option<(i32, i32, i32)> {
    let sample = snap
        .tasks()
        .iter()
        .find(|t| t.service.as_deref() == Some(svc.name.as_str()) && t.last_status != "STOPPED")?;
    let (cpu, mem) = task_size(sample);
    if cpu <= 0 && mem <= 0 {
        return None;
    }
    let room = snap
        .container_instances()
        .iter()
        .filter(|c| c.status == "ACTIVE")
        .map(|c| {
            let by_cpu = if cpu > 0 {
                c.remaining_cpu / cpu
            } else {
                i32::MAX
            };
            let by_mem = if mem > 0 {
                c.remaining_memory / mem
            } else {
                i32::MAX
            };
            by_cpu.min(by_mem).max(0)
        })
        .sum();
    Some((cpu, mem, room))
}

/// The drain pre-check: status, last instance, spare capacity, minimum healthy percent, release.
pub(super) fn drain(
    snap: &Snapshot,
    ci: &ContainerInstance,
    release: bool,
    out: &mut Vec<Finding>,
) {
    match ci.status.as_str() {
        "ACTIVE" => {}
        "DRAINING" if release => out.push(warn(format!(
            "{} is already DRAINING: only the wait and the release follow",
            ci.id
        ))),
        "DRAINING" => {
            out.push(block(format!(
                "{} is already DRAINING (undrain sets it ACTIVE again)",
                ci.id
            )));
            return;
        }
        other => {
            out.push(block(format!(
                "{} is {other}: only an ACTIVE instance can be drained",
                ci.id
            )));
            return;
        }
    }
    let others = snap
        .container_instances()
        .iter()
        .filter(|c| c.status == "ACTIVE" && c.arn != ci.arn)
        .count();
    if others == 0 {
        out.push(block(format!(
            "{} is the last ACTIVE instance of the cluster: draining it leaves nowhere to run tasks (add an instance first)",
            ci.id
        )));
    }
    let on = resolve::tasks_on(snap, ci);
    let (service_tasks, standalone): (Vec<&Task>, Vec<&Task>) =
        on.iter().partition(|t| t.service.is_some());
    if !standalone.is_empty() {
        out.push(warn(format!(
            "{} standalone task(s) on {} are not replaced by any service; they keep running until stopped{}",
            standalone.len(),
            ci.id,
            if release { ", and are killed by the release" } else { "" }
        )));
    }
    if others > 0 {
        let fit = fit_elsewhere(snap, &ci.arn, &service_tasks);
        if fit.unplaced > 0 {
            let (cpu, mem) = service_tasks
                .iter()
                .map(|t| task_size(t))
                .fold((0, 0), |(c, m), (tc, tm)| (c + tc, m + tm));
            out.push(forceable(format!(
                "insufficient capacity: the {} task(s) on {} need {cpu} CPU / {mem} MiB; the other ACTIVE instances have {} CPU / {} MiB free and {} task(s) would not fit (they stay PENDING until capacity arrives)",
                service_tasks.len(),
                ci.id,
                fit.free_cpu,
                fit.free_memory,
                fit.unplaced
            )));
        }
    }
    min_healthy(snap, ci, &service_tasks, out);
    if release
        && let Some(g) = ci
            .ec2_instance_id
            .as_deref()
            .and_then(|id| resolve::asg_of(snap, id))
        && g.desired - 1 < g.min
    {
        out.push(block(format!(
            "releasing decrements ASG {} desired {} → {}, below its min {} (AWS refuses it; lower the min first)",
            g.name,
            g.desired,
            g.desired - 1,
            g.min
        )));
    }
}

/// A drain stalls when ECS may neither stop a task (min healthy) nor start one first (max percent).
fn min_healthy(snap: &Snapshot, ci: &ContainerInstance, moved: &[&Task], out: &mut Vec<Finding>) {
    let mut per_service: BTreeMap<&str, usize> = BTreeMap::new();
    for t in moved {
        if let Some(s) = t.service.as_deref() {
            *per_service.entry(s).or_default() += 1;
        }
    }
    for (name, n) in per_service {
        let Some(svc) = snap.services().iter().find(|s| s.name == name) else {
            continue;
        };
        let n = i32::try_from(n).unwrap_or(i32::MAX);
        let min_pct = svc.min_healthy_percent.unwrap_or(100);
        let max_pct = svc.max_percent.unwrap_or(200);
        // ECS rounds the minimum up and the maximum down.
        let min_required = (svc.desired * min_pct + 99) / 100;
        let max_allowed = svc.desired * max_pct / 100;
        let running = svc.running;
        let left = running - n;
        if left >= min_required {
            continue;
        }
        if running - 1 < min_required && running + 1 > max_allowed {
            out.push(forceable(format!(
                "service {name}: draining {} stops {n} of its {running} running task(s); min healthy {min_pct}% of desired {} needs {min_required} running and max {max_pct}% allows {max_allowed}, so ECS can neither stop one nor start a replacement first: the drain would stall",
                ci.id, svc.desired
            )));
        } else {
            out.push(warn(format!(
                "service {name}: {left} of {running} task(s) would stay elsewhere, below min healthy {min_pct}% ({min_required}); ECS replaces them in steps (max {max_pct}%)"
            )));
        }
    }
}
