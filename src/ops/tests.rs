//! Plan and pre-check tests over the seed snapshot and variations of it.

mod hosts;
mod services;

use crate::model::Snapshot;
use crate::ops::{Checks, Operation, Refusal, prepare};

pub(super) fn ok(snap: &Snapshot, op: &Operation) -> crate::ops::Plan {
    prepare(snap, op, Checks::default()).unwrap_or_else(|e| panic!("{op:?} refused: {e}"))
}

pub(super) fn refused(snap: &Snapshot, op: &Operation, checks: Checks) -> Refusal {
    prepare(snap, op, checks).expect_err("should be refused")
}

pub(super) fn scale(count: i32) -> Operation {
    Operation::ScaleService {
        service: "navoy-app".into(),
        count,
    }
}

pub(super) fn drain(instance: &str, release: bool) -> Operation {
    Operation::Drain {
        instance: instance.into(),
        release,
    }
}

pub(super) fn ci_arn(snap: &Snapshot, n: usize) -> String {
    snap.container_instances()[n].arn.clone()
}

pub(super) fn unsafe_reasons(r: &Refusal) -> (String, bool) {
    match r {
        Refusal::Unsafe { reasons, forceable } => (reasons.join("\n"), *forceable),
        other => panic!("expected an unsafe refusal, got {other:?}"),
    }
}
