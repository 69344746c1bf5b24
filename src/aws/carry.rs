//! What one refresh hands the next: descriptions that need not be asked for again yet.
//!
//! A refresh always lists every service and task (cheap, and the only way to see arrivals
//! and departures), then describes only:
//! - what it has not seen before;
//! - what is not settled (a task not yet running and healthy, a service mid-deployment or
//!   below its desired count);
//! - every service one of whose tasks arrived, left or changed since the last refresh;
//! - a rotating quarter of the settled rest, so nothing carried is older than [`ROTATION`]
//!   refreshes.
//!
//! Stopped tasks and task definitions never change and are described once. A manual refresh
//! and every operation start from an empty carry (a full refresh).

use std::collections::{BTreeSet, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};

use super::ecs::tasks::ContainerDefs;
use crate::model::{Service, Task};

/// Every carried description is asked for again at least once in this many refreshes.
pub const ROTATION: u64 = 4;

#[derive(Debug, Default)]
pub struct Carry {
    cluster: String,
    /// Refreshes made from this carry; picks the rotation's bucket.
    round: u64,
    /// As described (before the joins), by ARN.
    pub(super) tasks: HashMap<String, Task>,
    pub(super) services: HashMap<String, Service>,
    pub(super) task_defs: HashMap<String, ContainerDefs>,
}

impl Carry {
    /// Starts over when the cluster is another one; counts the refresh.
    pub(super) fn begin(&mut self, cluster: &str) {
        if self.cluster != cluster {
            *self = Self {
                cluster: cluster.to_owned(),
                ..Self::default()
            };
        }
        self.round += 1;
    }

    /// Nothing carried: the refresh describes everything.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.tasks.is_empty() && self.services.is_empty()
    }

    fn due(&self, arn: &str) -> bool {
        let mut h = DefaultHasher::new();
        arn.hash(&mut h);
        h.finish() % ROTATION == self.round % ROTATION
    }

    /// The carried description of `arn`, when it may stand for this refresh.
    pub(super) fn task(&self, arn: &str) -> Option<&Task> {
        let t = self.tasks.get(arn)?;
        (t.last_status == "STOPPED" || (self.task_settled(t) && !self.due(arn))).then_some(t)
    }

    /// Running as desired, and healthy, or without a health check to wait for.
    fn task_settled(&self, t: &Task) -> bool {
        let checked = || {
            self.task_defs
                .get(&t.task_definition)
                .is_none_or(|d| d.values().any(|c| c.health_check))
        };
        let healthy = match t.health.as_deref() {
            Some("HEALTHY") => true,
            Some("UNHEALTHY") => false,
            // UNKNOWN is for good without a health check; with one it is only the start.
            _ => !checked(),
        };
        t.last_status == "RUNNING" && t.desired_status == "RUNNING" && healthy
    }

    /// The carried description of `arn`, when it may stand for this refresh.
    pub(super) fn service(&self, arn: &str, changed: &BTreeSet<String>) -> Option<&Service> {
        let s = self.services.get(arn)?;
        (service_settled(s) && !changed.contains(&s.name) && !self.due(arn)).then_some(s)
    }

    /// Services whose tasks arrived, left or changed between the carry and `tasks`.
    #[must_use]
    pub(super) fn changed_services(&self, tasks: &[Task]) -> BTreeSet<String> {
        let mut changed = BTreeSet::new();
        let mut mark = |t: &Task| {
            if let Some(name) = t.group.as_deref().and_then(|g| g.strip_prefix("service:")) {
                changed.insert(name.to_owned());
            }
        };
        let now: BTreeSet<&str> = tasks.iter().map(|t| t.arn.as_str()).collect();
        for t in tasks {
            if self.tasks.get(&t.arn) != Some(t) {
                mark(t);
            }
        }
        for t in self.tasks.values() {
            if !now.contains(t.arn.as_str()) {
                mark(t);
            }
        }
        changed
    }

    /// Keeps this refresh's descriptions for the next one.
    pub(super) fn keep(
        &mut self,
        services: Option<&[Service]>,
        tasks: Option<&[Task]>,
        task_defs: HashMap<String, ContainerDefs>,
    ) {
        // A family that failed keeps nothing: the next refresh describes it whole.
        self.services = services
            .unwrap_or_default()
            .iter()
            .map(|s| (s.arn.clone(), s.clone()))
            .collect();
        self.tasks = tasks
            .unwrap_or_default()
            .iter()
            .map(|t| (t.arn.clone(), t.clone()))
            .collect();
        self.task_defs = task_defs;
    }
}

fn service_settled(s: &Service) -> bool {
    s.status == "ACTIVE"
        && s.is_steady()
        && s.deployments
            .iter()
            .all(|d| d.rollout_state.as_deref() != Some("IN_PROGRESS"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sample;

    /// The seed's services and tasks, their definitions without health checks.
    fn carry_of(snap: &crate::model::Snapshot) -> Carry {
        let mut c = Carry::default();
        c.begin("navoy");
        let defs = snap
            .tasks()
            .iter()
            .map(|t| (t.task_definition.clone(), ContainerDefs::new()))
            .collect();
        c.keep(Some(snap.services()), Some(snap.tasks()), defs);
        c
    }

    #[test]
    fn every_settled_description_is_renewed_within_the_rotation() {
        let snap = sample::seed();
        let mut c = carry_of(&snap);
        let settled: Vec<&str> = snap
            .tasks()
            .iter()
            .filter(|t| c.task_settled(t))
            .map(|t| t.arn.as_str())
            .collect();
        assert!(!settled.is_empty());
        let mut renewed = BTreeSet::new();
        for _ in 0..ROTATION {
            c.begin("navoy");
            for arn in &settled {
                if c.task(arn).is_none() {
                    renewed.insert(*arn);
                }
            }
        }
        assert_eq!(renewed.len(), settled.len());
    }

    #[test]
    fn unsettled_and_changed_are_always_described() {
        let snap = sample::seed();
        let c = carry_of(&snap);
        let mut t = snap.tasks()[0].clone();
        t.last_status = "PENDING".into();
        let mut c2 = carry_of(&snap);
        c2.tasks.insert(t.arn.clone(), t.clone());
        assert!(c2.task(&t.arn).is_none(), "a pending task is described");

        let service = &snap.services()[0];
        let mut changed = BTreeSet::new();
        changed.insert(service.name.clone());
        assert!(c.service(&service.arn, &changed).is_none());

        // A task of the service that changed, arrived or left marks the service.
        let owned = snap
            .tasks()
            .iter()
            .find(|t| t.group.as_deref() == Some(&format!("service:{}", service.name)))
            .expect("the seed's service has tasks");
        let mut moved = snap.tasks().to_vec();
        moved.retain(|t| t.arn != owned.arn);
        assert!(c.changed_services(&moved).contains(&service.name));
        assert!(c.changed_services(snap.tasks()).is_empty());
    }

    /// Through the adapter: 30 listed services, 28 carried settled, one carried unsettled,
    /// one whose tasks moved, one new. Described again: those three and the rotation's share.
    #[tokio::test]
    async fn the_services_adapter_describes_only_what_may_have_changed() {
        use aws_sdk_ecs::operation::describe_services::DescribeServicesOutput;
        use aws_sdk_ecs::operation::list_services::ListServicesOutput;
        use aws_smithy_mocks::{RuleMode, mock, mock_client};

        let name = |n: usize| format!("svc-{n:02}");
        let arn = |n: usize| format!("arn:aws:ecs:us-east-1:1:service/navoy/{}", name(n));
        let arns: Vec<String> = (0..30).map(arn).collect();
        let listed = arns.clone();
        let list = mock!(aws_sdk_ecs::Client::list_services).then_output(move || {
            ListServicesOutput::builder()
                .set_service_arns(Some(listed.clone()))
                .build()
        });
        // Described services come back at 2 tasks; carried ones are at 1.
        let describe = mock!(aws_sdk_ecs::Client::describe_services).then_compute_output(|r| {
            let out = r.services().iter().map(|a| {
                aws_sdk_ecs::types::Service::builder()
                    .service_arn(a)
                    .service_name(crate::model::short_id(a))
                    .status("ACTIVE")
                    .desired_count(2)
                    .running_count(2)
                    .build()
            });
            DescribeServicesOutput::builder()
                .set_services(Some(out.collect()))
                .build()
        });
        let sdk = aws_config::SdkConfig::builder()
            .region(aws_config::Region::new("us-east-1"))
            .behavior_version(aws_config::BehaviorVersion::latest())
            .build();
        let mut ctx =
            crate::aws::AwsContext::from_sdk_config(&sdk, &crate::aws::AwsSettings::default())
                .unwrap();
        ctx.ecs = mock_client!(aws_sdk_ecs, RuleMode::MatchAny, [&list, &describe]);

        let template = sample::seed().services()[0].clone();
        let mut c = Carry::default();
        c.begin("navoy");
        for n in 0..29 {
            let mut s = template.clone();
            (s.arn, s.name, s.desired, s.running, s.pending) = (arn(n), name(n), 1, 1, 0);
            s.deployments.truncate(1);
            s.status = "ACTIVE".into();
            c.services.insert(s.arn.clone(), s);
        }
        c.services.get_mut(&arn(0)).unwrap().running = 0;
        let changed: BTreeSet<String> = [name(1)].into();

        let (mut union, mut calls) = (BTreeSet::new(), 0);
        for _ in 0..ROTATION {
            c.begin("navoy");
            let out = crate::aws::ecs::services(&ctx, "navoy", &c, &changed)
                .await
                .unwrap();
            assert_eq!(
                out.iter().map(|s| &s.arn).collect::<Vec<_>>(),
                arns.iter().collect::<Vec<_>>()
            );
            let fresh: BTreeSet<&str> = out
                .iter()
                .filter(|s| s.desired == 2)
                .map(|s| s.name.as_str())
                .collect();
            for must in [name(0), name(1), name(29)] {
                assert!(fresh.contains(must.as_str()), "{must} described");
            }
            assert!(fresh.len() < 30, "settled services are carried: {fresh:?}");
            calls += fresh.len().div_ceil(10);
            union.extend(fresh.into_iter().map(str::to_owned));
        }
        assert_eq!(
            union.len(),
            30,
            "each carried service is described within the rotation"
        );
        assert_eq!(describe.num_calls(), calls);
    }

    #[test]
    fn unknown_health_is_settled_only_without_a_health_check() {
        let snap = sample::seed();
        let mut c = carry_of(&snap);
        let mut t = snap.tasks()[0].clone();
        (t.last_status, t.desired_status, t.health) =
            ("RUNNING".into(), "RUNNING".into(), Some("UNKNOWN".into()));
        c.task_defs.clear();
        assert!(!c.task_settled(&t), "definition not seen: wait for it");
        let def = |health_check| {
            let c = crate::aws::ecs::tasks::ContainerDef {
                health_check,
                ..Default::default()
            };
            [("app".to_owned(), c)].into_iter().collect()
        };
        c.task_defs.insert(t.task_definition.clone(), def(true));
        assert!(!c.task_settled(&t), "a health check will report");
        c.task_defs.insert(t.task_definition.clone(), def(false));
        assert!(c.task_settled(&t), "no check: UNKNOWN for good");
        t.health = Some("UNHEALTHY".into());
        assert!(!c.task_settled(&t));
    }

    #[test]
    fn another_cluster_starts_over() {
        let snap = sample::seed();
        let mut c = carry_of(&snap);
        c.begin("other");
        assert!(c.is_empty());
    }
}
