//! Runs a plan's steps in order and reports exactly what was done, what failed, and what was not done.

mod register;

use std::time::Duration;

use aws_sdk_applicationautoscaling::types::{ScalableDimension, ServiceNamespace};
use aws_sdk_ecs::types::ContainerInstanceStatus;
use serde::Serialize;

pub(crate) use register::local_error;
pub use register::retag;

use super::plan::TaskDefinitionRef;
use super::{ApiCall, Goal, Plan, Step};
use crate::aws::AwsContext;
use crate::aws::error::{AwsError, CallContext, ErrorKind};
use crate::model::short_id;

/// How long the executor waits inside a plan (the drain before a release).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExecOptions {
    pub drain_timeout: Duration,
    pub poll_interval: Duration,
}

impl Default for ExecOptions {
    fn default() -> Self {
        Self {
            drain_timeout: Duration::from_mins(10),
            poll_interval: Duration::from_secs(2),
        }
    }
}

/// What happened to a plan: every step is in exactly one of `done`, `failed`, `not_done`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Outcome {
    /// Completed steps, as sent (with the values only known at run time filled in).
    pub done: Vec<String>,
    /// The step that failed and why.
    pub failed: Option<String>,
    /// Steps never attempted because an earlier one failed.
    pub not_done: Vec<String>,
    /// The task definition registered by a redeploy with a new image.
    pub registered_task_definition: Option<String>,
    /// What kind of failure `failed` was (for the exit code).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed_kind: Option<ErrorKind>,
}

impl Outcome {
    /// `applied`, `failed` (nothing changed) or `failed_halfway`.
    #[must_use]
    pub fn status(&self) -> &'static str {
        match (&self.failed, self.done.is_empty()) {
            (None, _) => "applied",
            (Some(_), true) => "failed",
            (Some(_), false) => "failed_halfway",
        }
    }

    #[must_use]
    pub fn is_applied(&self) -> bool {
        self.failed.is_none()
    }
}

/// Runs every step of `plan` in order, stopping at the first failure.
/// Call only after [`crate::ops::prepare`] and the operator's confirmation.
pub async fn execute(ctx: &AwsContext, plan: &Plan, opts: ExecOptions) -> Outcome {
    let mut out = Outcome::default();
    let mut steps = plan.steps.iter();
    while let Some(step) = steps.next() {
        match run_step(ctx, plan, step, opts, &mut out).await {
            Ok(done) => out.done.push(done),
            Err(e) => {
                out.failed = Some(format!("{step}: {e}"));
                out.failed_kind = Some(e.kind);
                out.not_done = steps.map(ToString::to_string).collect();
                break;
            }
        }
    }
    out
}

async fn run_step(
    ctx: &AwsContext,
    plan: &Plan,
    step: &Step,
    opts: ExecOptions,
    out: &mut Outcome,
) -> Result<String, AwsError> {
    match step {
        Step::Call(call) => run_call(ctx, call, out).await,
        Step::AwaitDrained { container_instance } => {
            await_drained(ctx, &plan.cluster, container_instance, opts).await?;
            Ok(format!("{step}: done"))
        }
    }
}

#[expect(
    clippy::too_many_lines,
    reason = "one arm per API call, each a plain request"
)]
async fn run_call(ctx: &AwsContext, call: &ApiCall, out: &mut Outcome) -> Result<String, AwsError> {
    match call {
        ApiCall::UpdateServiceDesiredCount {
            cluster,
            service,
            desired_count,
        } => {
            ctx.ecs
                .update_service()
                .cluster(cluster)
                .service(service)
                .desired_count(*desired_count)
                .send()
                .await
                .call("ECS", "UpdateService")?;
        }
        ApiCall::UpdateServiceForceNewDeployment { cluster, service } => {
            ctx.ecs
                .update_service()
                .cluster(cluster)
                .service(service)
                .force_new_deployment(true)
                .send()
                .await
                .call("ECS", "UpdateService")?;
        }
        ApiCall::RegisterTaskDefinition {
            from,
            container,
            image_tag,
        } => {
            let arn = register::copy_with_tag(ctx, from, container, image_tag).await?;
            let done = format!("{call} → {}", short_id(&arn));
            out.registered_task_definition = Some(arn);
            return Ok(done);
        }
        ApiCall::UpdateServiceTaskDefinition {
            cluster,
            service,
            task_definition,
        } => {
            let arn = match task_definition {
                TaskDefinitionRef::Arn(a) => a.clone(),
                TaskDefinitionRef::Registered => {
                    out.registered_task_definition.clone().ok_or_else(|| {
                        local_error("UpdateService", "no task definition was registered")
                    })?
                }
            };
            ctx.ecs
                .update_service()
                .cluster(cluster)
                .service(service)
                .task_definition(&arn)
                .send()
                .await
                .call("ECS", "UpdateService")?;
            return Ok(format!(
                "ECS UpdateService cluster={cluster} service={service} taskDefinition={arn}"
            ));
        }
        ApiCall::UpdateContainerInstancesState {
            cluster,
            container_instance,
            status,
        } => {
            let resp = ctx
                .ecs
                .update_container_instances_state()
                .cluster(cluster)
                .container_instances(container_instance)
                .status(ContainerInstanceStatus::from(status.as_str()))
                .send()
                .await
                .call("ECS", "UpdateContainerInstancesState")?;
            if let Some(f) = resp.failures().first() {
                return Err(local_error(
                    "UpdateContainerInstancesState",
                    &format!(
                        "{}: {}",
                        f.arn().unwrap_or(container_instance),
                        f.reason().or(f.detail()).unwrap_or("failed")
                    ),
                ));
            }
        }
        ApiCall::RegisterScalableTarget {
            resource_id,
            min,
            max,
        } => {
            ctx.app_autoscaling
                .register_scalable_target()
                .service_namespace(ServiceNamespace::Ecs)
                .resource_id(resource_id)
                .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
                .min_capacity(*min)
                .max_capacity(*max)
                .send()
                .await
                .call("ApplicationAutoScaling", "RegisterScalableTarget")?;
        }
        ApiCall::SetDesiredCapacity { asg, desired } => {
            ctx.autoscaling
                .set_desired_capacity()
                .auto_scaling_group_name(asg)
                .desired_capacity(*desired)
                .honor_cooldown(false)
                .send()
                .await
                .call("AutoScaling", "SetDesiredCapacity")?;
        }
        ApiCall::SetInstanceProtection {
            asg,
            instance_id,
            protected,
        } => {
            ctx.autoscaling
                .set_instance_protection()
                .auto_scaling_group_name(asg)
                .instance_ids(instance_id)
                .protected_from_scale_in(*protected)
                .send()
                .await
                .call("AutoScaling", "SetInstanceProtection")?;
        }
        ApiCall::TerminateInstanceInAutoScalingGroup { instance_id } => {
            ctx.autoscaling
                .terminate_instance_in_auto_scaling_group()
                .instance_id(instance_id)
                .should_decrement_desired_capacity(true)
                .send()
                .await
                .call("AutoScaling", "TerminateInstanceInAutoScalingGroup")?;
        }
        ApiCall::StopTask {
            cluster,
            task,
            reason,
        } => {
            ctx.ecs
                .stop_task()
                .cluster(cluster)
                .task(task)
                .reason(reason)
                .send()
                .await
                .call("ECS", "StopTask")?;
        }
    }
    Ok(call.to_string())
}

/// What to watch after `out`: the plan's goal, naming the revision a redeploy registered.
#[must_use]
pub fn goal_after(plan: &Plan, out: &Outcome) -> Goal {
    match (&plan.goal, &out.registered_task_definition) {
        (
            Goal::Rollout {
                service,
                task_definition: None,
            },
            Some(arn),
        ) => Goal::Rollout {
            service: service.clone(),
            task_definition: Some(arn.clone()),
        },
        (goal, _) => goal.clone(),
    }
}

/// Polls the container instance until it runs and starts no task, or the timeout.
async fn await_drained(
    ctx: &AwsContext,
    cluster: &str,
    container_instance: &str,
    opts: ExecOptions,
) -> Result<(), AwsError> {
    let started = tokio::time::Instant::now();
    loop {
        let resp = ctx
            .ecs
            .describe_container_instances()
            .cluster(cluster)
            .container_instances(container_instance)
            .send()
            .await
            .call("ECS", "DescribeContainerInstances")?;
        let left = resp
            .container_instances()
            .first()
            .map_or(0, |c| c.running_tasks_count() + c.pending_tasks_count());
        if left == 0 {
            return Ok(());
        }
        if started.elapsed() >= opts.drain_timeout {
            return Err(AwsError {
                service: "ECS",
                operation: "DescribeContainerInstances",
                kind: ErrorKind::Other,
                code: None,
                message: format!(
                    "{} still runs {left} task(s) after {} s: not released",
                    short_id(container_instance),
                    opts.drain_timeout.as_secs()
                ),
            });
        }
        tokio::time::sleep(opts.poll_interval).await;
    }
}

#[cfg(test)]
mod tests;
