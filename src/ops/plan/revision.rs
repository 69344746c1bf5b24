//! Task definition revisions: `family:revision` from an ARN, and which revision a rollback goes to.

use crate::model::{Service, short_id};
use crate::ops::Refusal;

/// `family:revision` split from a task definition ARN (or a bare `family:revision`).
#[must_use]
pub fn family_revision(task_definition: &str) -> Option<(&str, u32)> {
    let (family, rev) = short_id(task_definition).rsplit_once(':')?;
    Some((family, rev.parse().ok()?))
}

/// The revision a rollback goes to: the newest older deployment still around (a rollout in
/// progress), else the revision before the current one.
///
/// # Errors
/// [`Refusal::Invalid`] when the service is on revision 1 with nothing older deployed.
pub fn rollback_target(svc: &Service) -> Result<String, Refusal> {
    let current = svc
        .primary()
        .map_or(svc.task_definition.as_str(), |d| d.task_definition.as_str());
    if let Some(older) = svc
        .deployments
        .iter()
        .filter(|d| d.status != "PRIMARY" && d.task_definition != current)
        .max_by_key(|d| d.created_at)
    {
        return Ok(older.task_definition.clone());
    }
    match family_revision(current) {
        Some((family, rev)) if rev > 1 => {
            let bare = format!("{family}:{rev}");
            let prefix = current.strip_suffix(&bare).unwrap_or_default();
            Ok(format!("{prefix}{family}:{}", rev - 1))
        }
        _ => Err(Refusal::Invalid {
            reason: format!(
                "service {} runs {}: there is no previous revision to roll back to",
                svc.name,
                short_id(current)
            ),
        }),
    }
}
