//! The in-flight registry: while one operation runs on a resource, a second one on it is refused.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use super::Plan;

/// Shared by everything that starts operations in one process; cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct InFlight {
    held: Arc<Mutex<BTreeMap<String, String>>>,
}

/// A second operation wanted a resource that one in flight holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub resource: String,
    pub held_by: String,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "refused: {} is busy with \"{}\"; wait for it to finish",
            self.resource, self.held_by
        )
    }
}

impl std::error::Error for Conflict {}

/// Holds a plan's resources until dropped (when the operation and its watch are over).
#[derive(Debug)]
pub struct Lease {
    registry: InFlight,
    keys: Vec<String>,
}

impl InFlight {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes every resource of `plan`, or none of them.
    ///
    /// # Errors
    /// [`Conflict`] naming the first busy resource and the operation holding it.
    pub fn acquire(&self, plan: &Plan) -> Result<Lease, Conflict> {
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((resource, by)) = plan
            .resources
            .iter()
            .find_map(|r| held.get(r).map(|by| (r, by)))
        {
            return Err(Conflict {
                resource: resource.clone(),
                held_by: by.clone(),
            });
        }
        for r in &plan.resources {
            held.insert(r.clone(), plan.operation.title());
        }
        Ok(Lease {
            registry: self.clone(),
            keys: plan.resources.clone(),
        })
    }

    /// Resources busy now, with the operation holding each (for a status line).
    #[must_use]
    pub fn busy(&self) -> Vec<(String, String)> {
        let held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        held.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        let mut held = self
            .registry
            .held
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        for k in &self.keys {
            held.remove(k);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::InFlight;
    use crate::model::sample;
    use crate::ops::{Checks, Operation, prepare};

    #[test]
    fn a_second_operation_on_the_same_resource_is_refused_until_the_first_ends() {
        let snap = sample::seed();
        let scale = prepare(
            &snap,
            &Operation::ScaleService {
                service: "navoy-app".into(),
                count: 4,
            },
            Checks::default(),
        )
        .unwrap();
        let redeploy = prepare(
            &snap,
            &Operation::ForceRedeploy {
                service: "navoy-app".into(),
            },
            Checks::default(),
        )
        .unwrap();
        let undrain_other = prepare(
            &snap,
            &Operation::StopTask {
                task: snap.tasks()[0].id.clone(),
                reason: "r".into(),
            },
            Checks::default(),
        )
        .unwrap();
        let registry = InFlight::new();
        let lease = registry.acquire(&scale).unwrap();
        let conflict = registry.acquire(&redeploy).unwrap_err();
        assert_eq!(conflict.resource, "service:navoy/navoy-app");
        assert!(
            conflict
                .to_string()
                .contains("scale service navoy-app to 4")
        );
        let other = registry.acquire(&undrain_other).unwrap();
        assert_eq!(registry.busy().len(), 2);
        drop(lease);
        drop(other);
        assert!(registry.busy().is_empty());
        assert!(registry.acquire(&redeploy).is_ok());
    }
}
