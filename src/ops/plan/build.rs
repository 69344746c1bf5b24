//! Turns an operation into its plan over one snapshot: resolves the names, lists the calls, predicts the effect.

use super::revision::{family_revision, rollback_target};
use super::{ApiCall, Confirm, Goal, Operation, Plan, Step, TaskDefinitionRef, service_key};
use crate::model::{Service, Snapshot, short_id};
use crate::ops::{Refusal, resolve};

fn plan(op: &Operation, cluster: &str, summary: String, steps: Vec<Step>, goal: Goal) -> Plan {
    Plan {
        operation: op.clone(),
        cluster: cluster.to_owned(),
        summary,
        steps,
        effects: Vec::new(),
        warnings: Vec::new(),
        confirm: Confirm::Yes,
        resources: Vec::new(),
        goal,
    }
}

fn lb_container(svc: &Service) -> String {
    svc.load_balancers
        .iter()
        .find_map(|lb| lb.container_name.clone())
        .unwrap_or_else(|| "app".into())
}

fn rollout_effect(svc: &Service, to: &str) -> String {
    format!(
        "{}: {} task(s) of {} replaced by {} (min healthy {}%, max {}%)",
        svc.name,
        svc.running,
        short_id(&svc.task_definition),
        to,
        svc.min_healthy_percent.unwrap_or(100),
        svc.max_percent.unwrap_or(200)
    )
}

/// The plan for `op` over `snap`: names resolved, calls listed, effect predicted.
/// Safety checks live in [`crate::ops::validate`].
///
/// # Errors
/// [`Refusal::NotFound`] for unknown names (listing the candidates), [`Refusal::Invalid`]
/// when there is no cluster or nothing to roll back to.
#[expect(
    clippy::too_many_lines,
    reason = "one arm per operation reads best side by side"
)]
pub fn build(snap: &Snapshot, op: &Operation) -> Result<Plan, Refusal> {
    let cluster = snap
        .cluster
        .as_ref()
        .map(|c| c.name.clone())
        .ok_or_else(|| Refusal::Invalid {
            reason: "no cluster loaded".into(),
        })?;
    let c = cluster.as_str();
    Ok(match op {
        Operation::ScaleService { service, count } => {
            let svc = resolve::service(snap, service)?;
            let mut p = plan(
                op,
                c,
                format!(
                    "scale service {}: desired {} → {count}",
                    svc.name, svc.desired
                ),
                vec![Step::Call(ApiCall::UpdateServiceDesiredCount {
                    cluster: c.into(),
                    service: svc.name.clone(),
                    desired_count: *count,
                })],
                Goal::ServiceSteady {
                    service: svc.name.clone(),
                    desired: *count,
                },
            );
            let delta = count - svc.running;
            p.effects.push(match delta {
                0 => format!("{}: no task starts or stops", svc.name),
                d if d > 0 => format!(
                    "{}: {d} task(s) start, {} running now",
                    svc.name, svc.running
                ),
                d => format!(
                    "{}: {} task(s) stop, {} running now",
                    svc.name, -d, svc.running
                ),
            });
            p.resources.push(service_key(c, &svc.name));
            p
        }
        Operation::SetScalingRange { service, min, max } => {
            let svc = resolve::service(snap, service)?;
            let before = svc
                .autoscaling
                .map_or_else(|| "none".to_owned(), |(lo, hi)| format!("{lo}..{hi}"));
            let mut p = plan(
                op,
                c,
                format!(
                    "set the autoscaling range of {}: {before} → {min}..{max}",
                    svc.name
                ),
                vec![Step::Call(ApiCall::RegisterScalableTarget {
                    resource_id: format!("service/{c}/{}", svc.name),
                    min: *min,
                    max: *max,
                })],
                Goal::ScalingRange {
                    service: svc.name.clone(),
                    min: *min,
                    max: *max,
                },
            );
            // Set desired into the range too: the change then does not wait for a scaling activity.
            let clamped = svc.desired.clamp(*min, (*max).max(*min));
            if clamped == svc.desired {
                p.effects.push(format!(
                    "{}: desired {} stays; target tracking moves it within {min}..{max}",
                    svc.name, svc.desired
                ));
            } else {
                p.steps.push(Step::Call(ApiCall::UpdateServiceDesiredCount {
                    cluster: c.into(),
                    service: svc.name.clone(),
                    desired_count: clamped,
                }));
                p.effects.push(format!(
                    "{}: desired {} → {clamped}, inside the new range",
                    svc.name, svc.desired
                ));
            }
            p.resources.push(service_key(c, &svc.name));
            p
        }
        Operation::SetAsgCapacity { asg, count } => {
            let g = resolve::asg(snap, asg)?;
            let mut p = plan(
                op,
                c,
                format!(
                    "set ASG {} desired capacity {} → {count} (min {}, max {})",
                    g.name, g.desired, g.min, g.max
                ),
                vec![Step::Call(ApiCall::SetDesiredCapacity {
                    asg: g.name.clone(),
                    desired: *count,
                })],
                Goal::AsgAt {
                    asg: g.name.clone(),
                    desired: *count,
                },
            );
            let delta = count - g.desired;
            p.effects.push(match delta {
                0 => "no instance launches or terminates".into(),
                d if d > 0 => format!("{d} instance(s) launch and register as container instances"),
                d => {
                    p.confirm = Confirm::Type(count.to_string());
                    format!("{} instance(s) terminate (scale-in)", -d)
                }
            });
            p.resources.push(format!("asg:{}", g.name));
            p
        }
        Operation::ForceRedeploy { service } => {
            let svc = resolve::service(snap, service)?;
            let mut p = plan(
                op,
                c,
                format!(
                    "force a new deployment of {} ({})",
                    svc.name,
                    short_id(&svc.task_definition)
                ),
                vec![Step::Call(ApiCall::UpdateServiceForceNewDeployment {
                    cluster: c.into(),
                    service: svc.name.clone(),
                })],
                Goal::Rollout {
                    service: svc.name.clone(),
                    task_definition: Some(svc.task_definition.clone()),
                },
            );
            p.effects
                .push(rollout_effect(svc, "new tasks of the same revision"));
            p.resources.push(service_key(c, &svc.name));
            p
        }
        Operation::Redeploy { service, image_tag } => {
            let svc = resolve::service(snap, service)?;
            let container = lb_container(svc);
            let family = family_revision(&svc.task_definition).map_or("?", |(f, _)| f);
            let mut p = plan(
                op,
                c,
                format!(
                    "redeploy {}: {} → a new revision of {family} with {container} on tag {image_tag}",
                    svc.name,
                    short_id(&svc.task_definition)
                ),
                vec![
                    Step::Call(ApiCall::RegisterTaskDefinition {
                        from: svc.task_definition.clone(),
                        container: container.clone(),
                        image_tag: image_tag.clone(),
                    }),
                    Step::Call(ApiCall::UpdateServiceTaskDefinition {
                        cluster: c.into(),
                        service: svc.name.clone(),
                        task_definition: TaskDefinitionRef::Registered,
                    }),
                ],
                Goal::Rollout {
                    service: svc.name.clone(),
                    task_definition: None,
                },
            );
            p.effects
                .push(rollout_effect(svc, &format!("tasks running :{image_tag}")));
            p.resources.push(service_key(c, &svc.name));
            p
        }
        Operation::Rollback { service } => {
            let svc = resolve::service(snap, service)?;
            let to = rollback_target(svc)?;
            let mut p = plan(
                op,
                c,
                format!(
                    "roll back {}: {} → {}",
                    svc.name,
                    short_id(&svc.task_definition),
                    short_id(&to)
                ),
                vec![Step::Call(ApiCall::UpdateServiceTaskDefinition {
                    cluster: c.into(),
                    service: svc.name.clone(),
                    task_definition: TaskDefinitionRef::Arn(to.clone()),
                })],
                Goal::Rollout {
                    service: svc.name.clone(),
                    task_definition: Some(to.clone()),
                },
            );
            p.effects
                .push(rollout_effect(svc, &format!("tasks of {}", short_id(&to))));
            p.resources.push(service_key(c, &svc.name));
            p
        }
        Operation::Drain { instance, release } => {
            let ci = resolve::instance(snap, instance)?;
            let ec2 = ci.ec2_instance_id.clone();
            let shown = ec2.clone().unwrap_or_else(|| ci.id.clone());
            let mut steps = vec![Step::Call(ApiCall::UpdateContainerInstancesState {
                cluster: c.into(),
                container_instance: ci.arn.clone(),
                status: "DRAINING".into(),
            })];
            let tasks = resolve::tasks_on(snap, ci);
            let mut p_effects = vec![format!(
                "{} ({shown}): {} → DRAINING; its {} task(s) are replaced on other instances, its targets drain",
                ci.id,
                ci.status,
                tasks.len()
            )];
            let mut resources = vec![format!("instance:{}", ci.arn)];
            let mut goal = Goal::InstanceEmpty {
                container_instance: ci.arn.clone(),
            };
            if *release {
                let id = ec2.clone().ok_or_else(|| Refusal::Invalid {
                    reason: format!("{} has no EC2 instance id: it cannot be released", ci.id),
                })?;
                let g = resolve::asg_of(snap, &id).ok_or_else(|| Refusal::Invalid {
                    reason: format!("{id} is in no Auto Scaling group this cluster uses: nothing to release it from"),
                })?;
                steps.push(Step::AwaitDrained {
                    container_instance: ci.arn.clone(),
                });
                if ci.protected_from_scale_in != Some(false) {
                    steps.push(Step::Call(ApiCall::SetInstanceProtection {
                        asg: g.name.clone(),
                        instance_id: id.clone(),
                        protected: false,
                    }));
                }
                steps.push(Step::Call(ApiCall::TerminateInstanceInAutoScalingGroup {
                    instance_id: id.clone(),
                }));
                p_effects.push(format!(
                    "then {id} is terminated and leaves ASG {}: desired {} → {}",
                    g.name,
                    g.desired,
                    g.desired - 1
                ));
                resources.push(format!("asg:{}", g.name));
                goal = Goal::InstanceReleased {
                    asg: g.name.clone(),
                    instance_id: id,
                };
            }
            let mut p = plan(op, c, format!("drain {} ({shown})", ci.id), steps, goal);
            p.effects = p_effects;
            p.resources = resources;
            p.confirm = Confirm::Type(shown);
            p
        }
        Operation::Undrain { instance } => {
            let ci = resolve::instance(snap, instance)?;
            let shown = ci.ec2_instance_id.clone().unwrap_or_else(|| ci.id.clone());
            let mut p = plan(
                op,
                c,
                format!("undrain {} ({shown}): {} → ACTIVE", ci.id, ci.status),
                vec![Step::Call(ApiCall::UpdateContainerInstancesState {
                    cluster: c.into(),
                    container_instance: ci.arn.clone(),
                    status: "ACTIVE".into(),
                })],
                Goal::InstanceActive {
                    container_instance: ci.arn.clone(),
                },
            );
            p.effects.push(format!(
                "{} accepts new tasks again; running tasks are not moved back",
                ci.id
            ));
            p.resources.push(format!("instance:{}", ci.arn));
            p
        }
        Operation::StopTask { task, reason } => {
            let t = resolve::task(snap, task)?;
            let mut p = plan(
                op,
                c,
                format!("stop task {} ({}, {})", t.id, t.revision(), t.last_status),
                vec![Step::Call(ApiCall::StopTask {
                    cluster: c.into(),
                    task: t.arn.clone(),
                    reason: reason.clone(),
                })],
                Goal::TaskStopped {
                    task: t.arn.clone(),
                    service: t.service.clone(),
                },
            );
            p.effects.push(match &t.service {
                Some(s) => format!("task {} stops; service {s} starts a replacement", t.id),
                None => format!(
                    "task {} stops; it belongs to no service, nothing replaces it",
                    t.id
                ),
            });
            p.resources.push(format!("task:{}", t.arn));
            p
        }
    })
}
