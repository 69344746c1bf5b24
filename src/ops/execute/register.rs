//! Registers a copy of a task definition with one container's image tag replaced.

use aws_sdk_ecs::types::{ContainerDefinition, TaskDefinitionField};

use crate::aws::AwsContext;
use crate::aws::error::{AwsError, CallContext, ErrorKind};

/// `image` with its tag (or digest) replaced by `tag`: `repo:old` → `repo:tag`; a registry
/// port (`host:5000/repo`) is kept.
#[must_use]
pub fn retag(image: &str, tag: &str) -> String {
    let image = image.split_once('@').map_or(image, |(name, _)| name);
    let name_start = image.rfind('/').map_or(0, |i| i + 1);
    let repo = match image[name_start..].rfind(':') {
        Some(colon) => &image[..name_start + colon],
        None => image,
    };
    format!("{repo}:{tag}")
}

fn pick<'a>(defs: &'a [ContainerDefinition], wanted: &str) -> Option<&'a ContainerDefinition> {
    defs.iter()
        .find(|c| c.name() == Some(wanted))
        .or(match defs {
            [only] => Some(only),
            _ => None,
        })
}

/// Describes `from`, copies everything that registers (roles, network mode, sizes, volumes,
/// tags...), swaps the image tag of `container`, and returns the new revision's ARN.
///
/// # Errors
/// The API error, or when the container is not in the definition; nothing is registered then.
pub async fn copy_with_tag(
    ctx: &AwsContext,
    from: &str,
    container: &str,
    tag: &str,
) -> Result<String, AwsError> {
    let described = ctx
        .ecs
        .describe_task_definition()
        .task_definition(from)
        .include(TaskDefinitionField::Tags)
        .send()
        .await
        .call("ECS", "DescribeTaskDefinition")?;
    let def = described
        .task_definition()
        .ok_or_else(|| local_error("DescribeTaskDefinition", "no task definition returned"))?;
    let target = pick(def.container_definitions(), container)
        .and_then(ContainerDefinition::name)
        .ok_or_else(|| {
            local_error(
                "RegisterTaskDefinition",
                &format!(
                    "container '{container}' is not in {from}; containers: {}",
                    def.container_definitions()
                        .iter()
                        .filter_map(ContainerDefinition::name)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?
        .to_owned();
    let containers: Vec<ContainerDefinition> = def
        .container_definitions()
        .iter()
        .map(|c| {
            if c.name() == Some(target.as_str()) {
                let mut c = c.clone();
                c.image = c.image.as_deref().map(|i| retag(i, tag));
                c
            } else {
                c.clone()
            }
        })
        .collect();
    let tags = described.tags();
    let registered = ctx
        .ecs
        .register_task_definition()
        .set_family(def.family().map(str::to_owned))
        .set_task_role_arn(def.task_role_arn().map(str::to_owned))
        .set_execution_role_arn(def.execution_role_arn().map(str::to_owned))
        .set_network_mode(def.network_mode().cloned())
        .set_container_definitions(Some(containers))
        .set_volumes(def.volumes.clone())
        .set_placement_constraints(def.placement_constraints.clone())
        .set_requires_compatibilities(def.requires_compatibilities.clone())
        .set_cpu(def.cpu().map(str::to_owned))
        .set_memory(def.memory().map(str::to_owned))
        .set_pid_mode(def.pid_mode().cloned())
        .set_ipc_mode(def.ipc_mode().cloned())
        .set_proxy_configuration(def.proxy_configuration().cloned())
        .set_ephemeral_storage(def.ephemeral_storage().cloned())
        .set_runtime_platform(def.runtime_platform().cloned())
        .set_tags((!tags.is_empty()).then(|| tags.to_vec()))
        .send()
        .await
        .call("ECS", "RegisterTaskDefinition")?;
    registered
        .task_definition()
        .and_then(|d| d.task_definition_arn())
        .map(str::to_owned)
        .ok_or_else(|| local_error("RegisterTaskDefinition", "no ARN returned"))
}

/// An error found here rather than returned by AWS (kept last in the file: no call follows it).
pub(crate) fn local_error(operation: &'static str, message: &str) -> AwsError {
    AwsError {
        service: "ECS",
        operation,
        kind: ErrorKind::Invalid,
        code: None,
        message: message.to_owned(),
    }
}

#[cfg(test)]
mod tests;
