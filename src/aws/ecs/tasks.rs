//! `ListTasks` (running and recently stopped, paged) + `DescribeTasks` (100 at a time), and log locations.

use std::collections::{BTreeSet, HashMap};

use aws_sdk_ecs::types::{self as sdk, DesiredStatus};

use crate::aws::carry::Carry;
use crate::aws::error::{AwsError, CallContext};
use crate::aws::{AwsContext, CONCURRENCY, describe_stale, owned, utc};
use crate::model::{Container, LogLocation, Task, short_id};

fn attachment_detail<'a>(t: &'a sdk::Task, name: &str) -> Option<&'a str> {
    t.attachments()
        .iter()
        .filter(|a| a.r#type() == Some("ElasticNetworkInterface"))
        .flat_map(sdk::Attachment::details)
        .find(|kv| kv.name() == Some(name))
        .and_then(sdk::KeyValuePair::value)
}

fn container(c: &sdk::Container) -> Container {
    let binding = c.network_bindings().first();
    Container {
        name: c.name().unwrap_or_default().to_owned(),
        last_status: owned(c.last_status()),
        exit_code: c.exit_code(),
        reason: owned(c.reason()),
        health: c.health_status().map(|h| h.as_str().to_owned()),
        container_port: binding.and_then(sdk::NetworkBinding::container_port),
        host_port: binding.and_then(sdk::NetworkBinding::host_port),
        log: None,
    }
}

fn task(t: &sdk::Task) -> Task {
    let arn = t.task_arn().unwrap_or_default().to_owned();
    Task {
        id: short_id(&arn).to_owned(),
        group: owned(t.group()),
        task_definition: t.task_definition_arn().unwrap_or_default().to_owned(),
        last_status: t.last_status().unwrap_or_default().to_owned(),
        desired_status: t.desired_status().unwrap_or_default().to_owned(),
        health: t.health_status().map(|h| h.as_str().to_owned()),
        launch_type: t.launch_type().map(|l| l.as_str().to_owned()),
        az: owned(t.availability_zone()),
        private_ip: owned(attachment_detail(t, "privateIPv4Address")).or_else(|| {
            t.containers()
                .iter()
                .flat_map(sdk::Container::network_interfaces)
                .find_map(|n| owned(n.private_ipv4_address()))
        }),
        eni_id: owned(attachment_detail(t, "networkInterfaceId")),
        subnet_id: owned(attachment_detail(t, "subnetId")),
        container_instance_arn: owned(t.container_instance_arn()),
        cpu: owned(t.cpu()),
        memory: owned(t.memory()),
        created_at: utc(t.created_at()),
        started_at: utc(t.started_at()),
        stopped_at: utc(t.stopped_at()),
        // moto answers "" for tasks that never stopped: no reason is None.
        stopped_reason: owned(t.stopped_reason()).filter(|r| !r.is_empty()),
        stop_code: t.stop_code().map(|c| c.as_str().to_owned()),
        containers: t.containers().iter().map(container).collect(),
        service: None,
        instance_id: None,
        targets: Vec::new(),
        arn,
    }
}

async fn list(
    ctx: &AwsContext,
    cluster: &str,
    status: DesiredStatus,
) -> Result<Vec<String>, AwsError> {
    paged!(
        ctx.ecs
            .list_tasks()
            .max_results(100)
            .cluster(cluster)
            .desired_status(status),
        "ECS",
        "ListTasks"
    )
}

/// The tasks of one refresh and the task definitions they use.
#[derive(Debug, Default)]
pub struct Tasks {
    pub tasks: Vec<Task>,
    /// Task definition ARN → its containers (carried over: definitions never change).
    pub defs: HashMap<String, ContainerDefs>,
}

/// Running and recently stopped tasks of the cluster, in list order: carried over where
/// `carry` allows (see [`crate::aws::carry`]), the rest described 100 at a time.
///
/// # Errors
/// The first failing call.
pub async fn tasks(ctx: &AwsContext, cluster: &str, carry: &Carry) -> Result<Tasks, AwsError> {
    let (running, stopped) = tokio::join!(
        list(ctx, cluster, DesiredStatus::Running),
        list(ctx, cluster, DesiredStatus::Stopped)
    );
    let mut arns = running?;
    let mut seen: BTreeSet<String> = arns.iter().cloned().collect();
    arns.extend(stopped?.into_iter().filter(|a| seen.insert(a.clone())));
    let carried = |a: &str| carry.task(a);
    let mut tasks = describe_stale(
        &arns,
        carried,
        |t| &t.arn,
        100,
        |chunk| async move {
            let out = ctx
                .ecs
                .describe_tasks()
                .cluster(cluster)
                .set_tasks(Some(chunk))
                .send()
                .await
                .call("ECS", "DescribeTasks")?;
            Ok(out.tasks().iter().map(task).collect::<Vec<_>>())
        },
    )
    .await?;
    // Port mappings come from the task definition when the agent reports no bindings (awsvpc).
    let wanted: BTreeSet<&str> = tasks.iter().map(|t| t.task_definition.as_str()).collect();
    let missing: Vec<String> = wanted
        .iter()
        .filter(|d| !carry.task_defs.contains_key(**d))
        .map(|d| (*d).to_owned())
        .collect();
    let mut defs = log_locations(ctx, &missing).await?;
    for d in wanted {
        if let Some(known) = carry.task_defs.get(d) {
            defs.insert(d.to_owned(), known.clone());
        }
    }
    // Idempotent, so carried tasks may go through it again.
    for t in &mut tasks {
        let Some(def) = defs.get(&t.task_definition) else {
            continue;
        };
        for c in &mut t.containers {
            if let Some(info) = def.get(&c.name) {
                if c.container_port.is_none() {
                    c.container_port = info.port;
                }
                c.log = info.log.as_ref().map(|l| LogLocation {
                    group: l.group.clone(),
                    stream: l
                        .stream
                        .as_ref()
                        .map(|prefix| format!("{prefix}/{}/{}", c.name, t.id)),
                    region: l.region.clone(),
                });
            }
        }
    }
    Ok(Tasks { tasks, defs })
}

/// What a task definition says of one container: its port and its awslogs destination
/// (`stream` holds the stream prefix here).
/// Container name → what its definition says.
pub type ContainerDefs = HashMap<String, ContainerDef>;

#[derive(Debug, Clone, Default)]
pub struct ContainerDef {
    pub port: Option<i32>,
    pub log: Option<LogLocation>,
    /// The container defines a health check (so `UNKNOWN` task health is only a start).
    pub health_check: bool,
}

/// Task definition ARN → container name → definition facts, one `DescribeTaskDefinition` per ARN.
///
/// # Errors
/// The first failing call.
pub async fn log_locations(
    ctx: &AwsContext,
    arns: &[String],
) -> Result<HashMap<String, ContainerDefs>, AwsError> {
    use futures::StreamExt;
    let requests: Vec<_> = arns
        .iter()
        .cloned()
        .map(|arn| async move {
            let out = ctx
                .ecs
                .describe_task_definition()
                .task_definition(&arn)
                .send()
                .await
                .call("ECS", "DescribeTaskDefinition")?;
            let defs = out
                .task_definition()
                .map(|td| {
                    td.container_definitions()
                        .iter()
                        .map(|c| {
                            let log = c
                                .log_configuration()
                                .filter(|l| l.log_driver().as_str() == "awslogs")
                                .and_then(|l| {
                                    let opts = l.options()?;
                                    Some(LogLocation {
                                        group: opts.get("awslogs-group")?.clone(),
                                        stream: opts.get("awslogs-stream-prefix").cloned(),
                                        region: opts.get("awslogs-region").cloned(),
                                    })
                                });
                            let port = c
                                .port_mappings()
                                .first()
                                .and_then(sdk::PortMapping::container_port);
                            (
                                c.name().unwrap_or_default().to_owned(),
                                ContainerDef {
                                    port,
                                    log,
                                    health_check: c.health_check().is_some(),
                                },
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            Ok((arn, defs))
        })
        .collect();
    let results: Vec<Result<(String, ContainerDefs), AwsError>> = futures::stream::iter(requests)
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    results.into_iter().collect()
}
