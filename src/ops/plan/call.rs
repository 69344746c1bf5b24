//! One mutating API call as data: which service and operation, and every parameter it is sent with.

use std::fmt;

use serde::Serialize;

/// Which task definition an `UpdateService` points the service at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskDefinitionRef {
    Arn(String),
    /// The revision registered by the plan's `RegisterTaskDefinition` step.
    Registered,
}

/// One mutating API call with every parameter it will be sent with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "api", rename_all = "snake_case")]
pub enum ApiCall {
    UpdateServiceDesiredCount {
        cluster: String,
        service: String,
        desired_count: i32,
    },
    UpdateServiceForceNewDeployment {
        cluster: String,
        service: String,
    },
    /// A copy of `from` (`DescribeTaskDefinition`) with `container`'s image tag replaced.
    RegisterTaskDefinition {
        from: String,
        container: String,
        image_tag: String,
    },
    UpdateServiceTaskDefinition {
        cluster: String,
        service: String,
        task_definition: TaskDefinitionRef,
    },
    UpdateContainerInstancesState {
        cluster: String,
        container_instance: String,
        status: String,
    },
    /// Application Auto Scaling, namespace `ecs`, dimension `ecs:service:DesiredCount`.
    RegisterScalableTarget {
        resource_id: String,
        min: i32,
        max: i32,
    },
    /// Always sent with `HonorCooldown=false`: an operator's decision is not a scaling policy's.
    SetDesiredCapacity {
        asg: String,
        desired: i32,
    },
    SetInstanceProtection {
        asg: String,
        instance_id: String,
        protected: bool,
    },
    /// Always sent with `ShouldDecrementDesiredCapacity=true`, so no replacement is launched.
    TerminateInstanceInAutoScalingGroup {
        instance_id: String,
    },
    StopTask {
        cluster: String,
        task: String,
        reason: String,
    },
}

impl ApiCall {
    /// (service, operation) as AWS names them.
    #[must_use]
    pub fn api(&self) -> (&'static str, &'static str) {
        match self {
            Self::UpdateServiceDesiredCount { .. }
            | Self::UpdateServiceForceNewDeployment { .. }
            | Self::UpdateServiceTaskDefinition { .. } => ("ECS", "UpdateService"),
            Self::RegisterTaskDefinition { .. } => ("ECS", "RegisterTaskDefinition"),
            Self::UpdateContainerInstancesState { .. } => ("ECS", "UpdateContainerInstancesState"),
            Self::StopTask { .. } => ("ECS", "StopTask"),
            Self::RegisterScalableTarget { .. } => {
                ("ApplicationAutoScaling", "RegisterScalableTarget")
            }
            Self::SetDesiredCapacity { .. } => ("AutoScaling", "SetDesiredCapacity"),
            Self::SetInstanceProtection { .. } => ("AutoScaling", "SetInstanceProtection"),
            Self::TerminateInstanceInAutoScalingGroup { .. } => {
                ("AutoScaling", "TerminateInstanceInAutoScalingGroup")
            }
        }
    }

    /// The request parameters, named as in the AWS API reference.
    #[must_use]
    pub fn params(&self) -> Vec<(&'static str, String)> {
        match self {
            Self::UpdateServiceDesiredCount {
                cluster,
                service,
                desired_count,
            } => vec![
                ("cluster", cluster.clone()),
                ("service", service.clone()),
                ("desiredCount", desired_count.to_string()),
            ],
            Self::UpdateServiceForceNewDeployment { cluster, service } => vec![
                ("cluster", cluster.clone()),
                ("service", service.clone()),
                ("forceNewDeployment", "true".into()),
            ],
            Self::RegisterTaskDefinition {
                from,
                container,
                image_tag,
            } => vec![
                ("copyOf", from.clone()),
                ("containerDefinitions[name]", container.clone()),
                ("image", format!("<same repository>:{image_tag}")),
            ],
            Self::UpdateServiceTaskDefinition {
                cluster,
                service,
                task_definition,
            } => vec![
                ("cluster", cluster.clone()),
                ("service", service.clone()),
                (
                    "taskDefinition",
                    match task_definition {
                        TaskDefinitionRef::Arn(a) => a.clone(),
                        TaskDefinitionRef::Registered => "<the revision registered above>".into(),
                    },
                ),
            ],
            Self::UpdateContainerInstancesState {
                cluster,
                container_instance,
                status,
            } => vec![
                ("cluster", cluster.clone()),
                ("containerInstances", container_instance.clone()),
                ("status", status.clone()),
            ],
            Self::RegisterScalableTarget {
                resource_id,
                min,
                max,
            } => vec![
                ("ServiceNamespace", "ecs".into()),
                ("ResourceId", resource_id.clone()),
                ("ScalableDimension", "ecs:service:DesiredCount".into()),
                ("MinCapacity", min.to_string()),
                ("MaxCapacity", max.to_string()),
            ],
            Self::SetDesiredCapacity { asg, desired } => vec![
                ("AutoScalingGroupName", asg.clone()),
                ("DesiredCapacity", desired.to_string()),
                ("HonorCooldown", "false".into()),
            ],
            Self::SetInstanceProtection {
                asg,
                instance_id,
                protected,
            } => vec![
                ("AutoScalingGroupName", asg.clone()),
                ("InstanceIds", instance_id.clone()),
                ("ProtectedFromScaleIn", protected.to_string()),
            ],
            Self::TerminateInstanceInAutoScalingGroup { instance_id } => vec![
                ("InstanceId", instance_id.clone()),
                ("ShouldDecrementDesiredCapacity", "true".into()),
            ],
            Self::StopTask {
                cluster,
                task,
                reason,
            } => vec![
                ("cluster", cluster.clone()),
                ("task", task.clone()),
                ("reason", reason.clone()),
            ],
        }
    }
}

impl fmt::Display for ApiCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (service, operation) = self.api();
        write!(f, "{service} {operation}")?;
        for (k, v) in self.params() {
            write!(f, " {k}={v}")?;
        }
        Ok(())
    }
}
