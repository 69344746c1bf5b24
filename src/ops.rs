//! Operations as data: what each will change (a [`Plan`]), whether it is safe, how to run it, how to watch it.
//!
//! The TUI and the headless subcommands share this flow:
//! [`prepare`] (pure, over a [`Snapshot`]) → confirmation → [`execute::execute`] →
//! [`watch::watch`], with [`audit`] recording every attempt and [`guard::InFlight`] refusing
//! a second operation on a resource that already has one running.

pub mod audit;
pub mod execute;
pub mod guard;
pub mod headless;
pub mod plan;
pub mod resolve;
pub mod validate;
pub mod watch;

#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
mod tests;

use std::fmt;

use serde::Serialize;

pub use plan::{ApiCall, Confirm, Goal, Operation, Plan, Step};
pub use validate::{Finding, Severity};

use crate::model::Snapshot;

/// How strict [`prepare`] is: the command layer's switches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Checks {
    /// `--read-only`: every operation is refused before anything else is looked at.
    pub read_only: bool,
    /// `--force`: pre-checks that allow it become warnings.
    pub force: bool,
}

/// Why an operation will not run. Nothing has been called when one of these is returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "refusal", rename_all = "snake_case")]
pub enum Refusal {
    /// `--read-only` is on.
    ReadOnly { operation: String },
    /// A named resource does not exist (or the default is ambiguous); `candidates` lists what does.
    NotFound {
        kind: &'static str,
        wanted: String,
        candidates: Vec<String>,
    },
    /// The input can never be valid (negative count, outside the ASG's min/max, bad image tag...).
    Invalid { reason: String },
    /// Pre-checks failed; `forceable` when `--force` would let it through.
    Unsafe {
        reasons: Vec<String>,
        forceable: bool,
    },
}

/// How many candidates a not-found message names: a cluster may run thousands of tasks.
const CANDIDATES_SHOWN: usize = 20;

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ReadOnly { operation } => write!(
                f,
                "refused: read-only mode (--read-only) forbids {operation}; nothing was changed"
            ),
            Self::NotFound {
                kind,
                wanted,
                candidates,
            } => {
                if wanted.is_empty() {
                    write!(f, "no {kind} given and there is not exactly one")?;
                } else {
                    write!(f, "{kind} '{wanted}' not found")?;
                }
                match candidates.len() {
                    0 => write!(f, "; there are none"),
                    n if n <= CANDIDATES_SHOWN => {
                        write!(f, "; candidates: {}", candidates.join(", "))
                    }
                    n => write!(
                        f,
                        "; candidates: {} and {} more",
                        candidates[..CANDIDATES_SHOWN].join(", "),
                        n - CANDIDATES_SHOWN
                    ),
                }
            }
            Self::Invalid { reason } => write!(f, "refused: {reason}"),
            Self::Unsafe { reasons, forceable } => {
                write!(f, "refused by the pre-checks:")?;
                for r in reasons {
                    write!(f, "\n  - {r}")?;
                }
                if *forceable {
                    write!(f, "\n(--force overrides these checks)")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Refusal {}

/// Builds the plan of `op` over `snap` and runs every pre-check: the one pure entry point.
///
/// # Errors
/// A [`Refusal`] saying why, with the numbers; nothing is called either way.
pub fn prepare(snap: &Snapshot, op: &Operation, checks: Checks) -> Result<Plan, Refusal> {
    if checks.read_only {
        return Err(Refusal::ReadOnly {
            operation: op.title(),
        });
    }
    let mut plan = plan::build(snap, op)?;
    let findings = validate::check(snap, op)?;
    let mut blocking = Vec::new();
    let mut forceable = true;
    for f in findings {
        match f.severity {
            Severity::Warning => plan.warnings.push(f.message),
            Severity::Blocking { forceable: can } if checks.force && can => {
                plan.warnings.push(format!("forced past: {}", f.message));
            }
            Severity::Blocking { forceable: can } => {
                forceable &= can;
                blocking.push(f.message);
            }
        }
    }
    if blocking.is_empty() {
        Ok(plan)
    } else {
        Err(Refusal::Unsafe {
            reasons: blocking,
            forceable,
        })
    }
}
