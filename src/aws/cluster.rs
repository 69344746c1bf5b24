//! Finds the ECS cluster to work on: the named one, or the only one, or a clear list to choose from.

use aws_sdk_ecs::types::ClusterField;

use super::AwsContext;
use super::error::{AwsError, CallContext, ErrorKind};
use crate::model::{Cluster, short_id};

fn cluster_from(c: &aws_sdk_ecs::types::Cluster) -> Cluster {
    Cluster {
        arn: c.cluster_arn().unwrap_or_default().to_owned(),
        name: c.cluster_name().unwrap_or_default().to_owned(),
        status: c.status().unwrap_or_default().to_owned(),
        registered_container_instances: c.registered_container_instances_count(),
        running_tasks: c.running_tasks_count(),
        pending_tasks: c.pending_tasks_count(),
        active_services: c.active_services_count(),
        capacity_providers: c.capacity_providers().to_vec(),
    }
}

fn choose_error(message: String) -> AwsError {
    AwsError {
        service: "ECS",
        operation: "ListClusters",
        kind: ErrorKind::NotFound,
        code: None,
        message,
    }
}

/// Resolves `--cluster` (name or ARN), or the only cluster of the region.
///
/// # Errors
/// The API error, or `NotFound` with the candidates listed when the choice is missing or ambiguous.
pub async fn resolve(ctx: &AwsContext, wanted: Option<&str>) -> Result<Cluster, AwsError> {
    let arns: Vec<String> = paged!(
        ctx.ecs.list_clusters().max_results(100),
        "ECS",
        "ListClusters"
    )?;
    let names: Vec<&str> = arns.iter().map(|a| short_id(a)).collect();
    let target = match wanted {
        Some(w) => {
            let w = short_id(w);
            if !names.contains(&w) {
                return Err(choose_error(if names.is_empty() {
                    format!("cluster '{w}' not found: this region has no ECS clusters")
                } else {
                    format!("cluster '{w}' not found; clusters here: {}", names.join(", "))
                }));
            }
            w.to_owned()
        }
        None => match names.as_slice() {
            [only] => (*only).to_owned(),
            [] => return Err(choose_error("this region has no ECS clusters (is the stack up? try scripts/localstack-up.sh, or --region)".into())),
            many => {
                return Err(choose_error(format!(
                    "{} clusters here, choose one with --cluster: {}",
                    many.len(),
                    many.join(", ")
                )));
            }
        },
    };
    let out = ctx
        .ecs
        .describe_clusters()
        .clusters(&target)
        .include(ClusterField::Statistics)
        .send()
        .await
        .call("ECS", "DescribeClusters")?;
    out.clusters()
        .first()
        .map(cluster_from)
        .ok_or_else(|| choose_error(format!("cluster '{target}' vanished while being described")))
}
