//! Links the sections of a snapshot once, so views never search: task ↔ target, instance ↔ EC2 ↔ ASG.

use std::collections::HashMap;

use super::{Snapshot, TargetHealth};

/// Fills every `Filled by the joins` field of the snapshot. Idempotent.
pub fn link(snap: &mut Snapshot) {
    link_instances(snap);
    link_tasks_to_instances(snap);
    link_targets(snap);
    link_scaling(snap);
}

/// Container instance ↔ EC2 instance ↔ ASG instance.
fn link_instances(snap: &mut Snapshot) {
    let ec2: HashMap<String, super::Ec2Instance> = snap
        .ec2_instances
        .ok()
        .map(|v| v.iter().map(|i| (i.id.clone(), i.clone())).collect())
        .unwrap_or_default();
    let asg: HashMap<String, super::AsgInstance> = snap
        .auto_scaling_groups()
        .iter()
        .flat_map(|g| {
            g.instances
                .iter()
                .map(|i| (i.instance_id.clone(), i.clone()))
        })
        .collect();
    let Some(cis) = snap.container_instances.ok_mut() else {
        return;
    };
    for ci in cis {
        let Some(id) = ci.ec2_instance_id.as_deref() else {
            continue;
        };
        if let Some(inst) = ec2.get(id) {
            ci.subnet_id.clone_from(&inst.subnet_id);
            ci.private_ip.clone_from(&inst.private_ip);
            if ci.az.is_none() {
                ci.az = Some(inst.az.clone());
            }
        }
        if let Some(a) = asg.get(id) {
            ci.asg_lifecycle_state = Some(a.lifecycle_state.clone());
            ci.protected_from_scale_in = Some(a.protected_from_scale_in);
            if ci.az.is_none() {
                ci.az = Some(a.az.clone());
            }
        }
    }
}

/// Task → service (from its `service:` group) and task → EC2 instance (via its container
/// instance); container instance → its tasks that are not STOPPED.
fn link_tasks_to_instances(snap: &mut Snapshot) {
    let ci: HashMap<String, (Option<String>, Option<String>)> = snap
        .container_instances()
        .iter()
        .map(|c| (c.arn.clone(), (c.ec2_instance_id.clone(), c.az.clone())))
        .collect();
    let Some(tasks) = snap.tasks.ok_mut() else {
        return;
    };
    for task in tasks {
        task.service = task
            .group
            .as_deref()
            .and_then(|g| g.strip_prefix("service:"))
            .map(str::to_owned);
        if let Some((ec2, az)) = task.container_instance_arn.as_ref().and_then(|a| ci.get(a)) {
            task.instance_id.clone_from(ec2);
            if task.az.is_none() {
                task.az.clone_from(az);
            }
        }
    }
    let position: HashMap<&str, usize> = snap
        .container_instances()
        .iter()
        .enumerate()
        .map(|(n, c)| (c.arn.as_str(), n))
        .collect();
    let mut on: Vec<Vec<usize>> = vec![Vec::new(); position.len()];
    for (n, task) in snap.tasks().iter().enumerate() {
        if task.last_status == "STOPPED" {
            continue;
        }
        if let Some(&ci) = task
            .container_instance_arn
            .as_deref()
            .and_then(|a| position.get(a))
        {
            on[ci].push(n);
        }
    }
    if let Some(cis) = snap.container_instances.ok_mut() {
        for (ci, tasks) in cis.iter_mut().zip(on) {
            ci.live_tasks = tasks;
        }
    }
}

/// What one target resolved to, found while the snapshot is borrowed, written afterwards.
struct TargetHit {
    group: usize,
    target: usize,
    task: Option<usize>,
    subnet: Option<String>,
    az: Option<String>,
}

/// Target ↔ task (awsvpc: IP + container port; bridge/host: instance + host port), target → subnet.
fn link_targets(snap: &mut Snapshot) {
    let tasks = snap.tasks();
    let mut by_ip: HashMap<(&str, i32), usize> = HashMap::new();
    let mut by_instance: HashMap<(&str, i32), usize> = HashMap::new();
    // Stopped tasks first, so a live task that reuses an address wins the slot.
    let mut order: Vec<usize> = (0..tasks.len()).collect();
    order.sort_by_key(|&i| tasks[i].last_status != "STOPPED");
    for i in order {
        let t = &tasks[i];
        for c in &t.containers {
            if let (Some(ip), Some(port)) = (&t.private_ip, c.container_port) {
                by_ip.insert((ip, port), i);
            }
            if let (Some(inst), Some(port)) = (&t.instance_id, c.host_port) {
                by_instance.insert((inst, port), i);
            }
        }
    }
    let ec2_subnet: HashMap<&str, &str> = snap
        .ec2_instances
        .ok()
        .map(|v| {
            v.iter()
                .filter_map(|i| Some((i.id.as_str(), i.subnet_id.as_deref()?)))
                .collect()
        })
        .unwrap_or_default();

    // Resolve everything against shared borrows first, then write.
    let mut hits: Vec<TargetHit> = Vec::new();
    for (g, tg) in snap.target_groups().iter().enumerate() {
        for (n, target) in tg.targets.iter().enumerate() {
            let by_instance_id = target.id.starts_with("i-");
            let index = if by_instance_id { &by_instance } else { &by_ip };
            let task = index.get(&(target.id.as_str(), target.port)).copied();
            let subnet = if by_instance_id {
                ec2_subnet.get(target.id.as_str()).map(|s| (*s).to_owned())
            } else {
                snap.network()
                    .and_then(|net| net.subnet_containing(&target.id))
                    .map(|s| s.id.clone())
                    // Emulators hand out addresses outside the subnet: trust the task's ENI.
                    .or_else(|| task.and_then(|i| tasks[i].subnet_id.clone()))
            };
            // A target registered by an IP outside every subnet has no AZ of its own; its
            // task (whose ENI it is) does.
            let az = subnet
                .as_deref()
                .and_then(|sid| snap.network()?.subnet(sid))
                .map(|s| s.az.clone())
                .or_else(|| task.and_then(|i| tasks[i].az.clone()));
            hits.push(TargetHit {
                group: g,
                target: n,
                task,
                subnet,
                az,
            });
        }
    }
    let task_info: Vec<(String, Option<String>)> = tasks
        .iter()
        .map(|t| (t.arn.clone(), t.instance_id.clone()))
        .collect();
    let mut task_targets: Vec<Vec<(String, TargetHealth)>> = vec![Vec::new(); task_info.len()];
    if let Some(groups) = snap.target_groups.ok_mut() {
        for TargetHit {
            group: g,
            target: n,
            task,
            subnet,
            az,
        } in hits
        {
            let tg_arn = groups[g].arn.clone();
            let target = &mut groups[g].targets[n];
            if let Some(i) = task {
                target.task_arn = Some(task_info[i].0.clone());
                target.instance_id.clone_from(&task_info[i].1);
                task_targets[i].push((tg_arn, target.health));
            }
            if target.id.starts_with("i-") {
                target.instance_id = Some(target.id.clone());
            }
            target.subnet_id = subnet;
            if target.az.is_none() {
                target.az = az;
            }
        }
    }
    if let Some(tasks) = snap.tasks.ok_mut() {
        for (task, targets) in tasks.iter_mut().zip(task_targets) {
            task.targets = targets;
        }
    }
}

/// ASG ↔ capacity provider, service ↔ its Application Auto Scaling range.
fn link_scaling(snap: &mut Snapshot) {
    let providers: Vec<(String, String)> = snap
        .capacity_providers
        .ok()
        .map(|v| {
            v.iter()
                .filter_map(|cp| Some((cp.asg_arn.clone()?, cp.name.clone())))
                .collect()
        })
        .unwrap_or_default();
    if let Some(groups) = snap.auto_scaling_groups.ok_mut() {
        for g in groups {
            // moto and some accounts give the ASG by name rather than full ARN.
            g.capacity_provider = providers
                .iter()
                .find(|(asg, _)| {
                    *asg == g.arn
                        || asg.ends_with(&format!("autoScalingGroupName/{}", g.name))
                        || *asg == g.name
                })
                .map(|(_, cp)| cp.clone());
        }
    }
    let cluster = snap
        .cluster
        .as_ref()
        .map(|c| c.name.clone())
        .unwrap_or_default();
    let ranges: HashMap<String, (i32, i32)> = snap
        .scalable_targets
        .ok()
        .map(|v| {
            v.iter()
                .map(|t| (t.resource_id.clone(), (t.min, t.max)))
                .collect()
        })
        .unwrap_or_default();
    if let Some(services) = snap.services.ok_mut() {
        for s in services {
            s.autoscaling = ranges
                .get(&format!("service/{cluster}/{}", s.name))
                .copied();
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{TargetHealth, sample};

    #[test]
    fn tasks_are_joined_to_their_targets_by_ip_and_port() {
        let snap = sample::seed();
        let tasks = snap.tasks();
        assert_eq!(tasks[0].target_health(), Some(TargetHealth::Healthy));
        assert_eq!(tasks[1].target_health(), Some(TargetHealth::Unhealthy));
        assert_eq!(tasks[2].target_health(), Some(TargetHealth::Initial));
        // The stopped task shares no live target.
        assert!(tasks[3].targets.is_empty());
        let tg = &snap.target_groups()[0];
        assert_eq!(
            tg.targets[0].task_arn.as_deref(),
            Some(tasks[0].arn.as_str())
        );
    }

    #[test]
    fn targets_get_subnet_instance_and_az() {
        let snap = sample::seed();
        let t = &snap.target_groups()[0].targets[1];
        assert_eq!(t.subnet_id.as_deref(), Some("subnet-priv-b"));
        assert_eq!(t.az.as_deref(), Some("us-east-1b"));
        assert_eq!(t.instance_id.as_deref(), Some("i-00000000000000002"));
    }

    #[test]
    fn container_instances_get_ec2_and_asg_facts() {
        let snap = sample::seed();
        let ci = &snap.container_instances()[1];
        assert_eq!(ci.subnet_id.as_deref(), Some("subnet-priv-b"));
        assert_eq!(ci.asg_lifecycle_state.as_deref(), Some("InService"));
        assert_eq!(ci.protected_from_scale_in, Some(true));
    }

    #[test]
    fn tasks_know_service_and_instance() {
        let snap = sample::seed();
        let t = &snap.tasks()[0];
        assert_eq!(t.service.as_deref(), Some("navoy-app"));
        assert_eq!(t.instance_id.as_deref(), Some("i-00000000000000001"));
    }

    #[test]
    fn scaling_ranges_and_capacity_providers_are_linked() {
        let snap = sample::seed();
        assert_eq!(snap.services()[0].autoscaling, Some((2, 6)));
        assert_eq!(
            snap.auto_scaling_groups()[0].capacity_provider.as_deref(),
            Some("navoy-ecs")
        );
    }

    #[test]
    fn instance_targets_join_by_host_port() {
        let mut snap = sample::seed();
        let instance = snap.tasks()[0].instance_id.clone().unwrap();
        if let Some(groups) = snap.target_groups.ok_mut() {
            groups[0].targets[0].id.clone_from(&instance);
        }
        super::link(&mut snap);
        let t = &snap.target_groups()[0].targets[0];
        assert_eq!(t.task_arn.as_deref(), Some(snap.tasks()[0].arn.as_str()));
        assert_eq!(t.subnet_id.as_deref(), Some("subnet-priv-a"));
    }

    #[test]
    fn linking_twice_changes_nothing() {
        let once = sample::seed();
        let mut twice = once.clone();
        super::link(&mut twice);
        assert_eq!(once, twice);
    }

    #[test]
    fn a_target_outside_every_subnet_takes_its_tasks_az() {
        let mut snap = sample::seed();
        let task = snap.target_groups()[0].targets[0].task_arn.clone().unwrap();
        let n = snap.tasks().iter().position(|t| t.arn == task).unwrap();
        let want = snap.tasks()[n].az.clone();
        assert!(want.is_some());
        let tasks = snap.tasks.ok_mut().unwrap();
        tasks[n].private_ip = Some("192.0.2.7".into()); // in no subnet of the VPC
        tasks[n].subnet_id = None;
        let target = &mut snap.target_groups.ok_mut().unwrap()[0].targets[0];
        target.id = "192.0.2.7".into();
        target.az = None;
        super::link(&mut snap);
        let target = &snap.target_groups()[0].targets[0];
        assert_eq!(target.task_arn.as_deref(), Some(task.as_str()));
        assert_eq!(target.subnet_id, None);
        assert_eq!(target.az, want);
    }

    #[test]
    fn each_instance_lists_its_tasks_that_are_not_stopped() {
        let snap = sample::seed();
        for ci in snap.container_instances() {
            let want: Vec<usize> = snap
                .tasks()
                .iter()
                .enumerate()
                .filter(|(_, t)| {
                    t.container_instance_arn.as_deref() == Some(ci.arn.as_str())
                        && t.last_status != "STOPPED"
                })
                .map(|(n, _)| n)
                .collect();
            assert_eq!(ci.live_tasks, want, "{}", ci.arn);
        }
        assert!(
            snap.container_instances()
                .iter()
                .any(|c| c.live_tasks.len() > 1)
        );
        assert!(
            snap.tasks()
                .iter()
                .any(|t| t.last_status == "STOPPED" && t.container_instance_arn.is_some())
        );
    }

    #[test]
    fn synthetic_estate_is_fully_joined() {
        let snap = sample::synthetic(50, 200, 5000, 1000);
        let joined = snap.target_groups()[0]
            .targets
            .iter()
            .filter(|t| t.task_arn.is_some())
            .count();
        assert_eq!(joined, 1000);
    }
}
