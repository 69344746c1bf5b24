//! Arguments of the headless operation subcommands: scale, asg set-capacity, redeploy, drain, undrain, stop-task.

use clap::{Args, Subcommand};

use super::non_empty;

/// Shown under every operation's help: what the exit codes mean.
pub const EXIT_CODES_HELP: &str = "\
Exit codes: 0 done (settled with --wait; printed with --dry-run), 1 failed with nothing changed, \
2 bad arguments, 3 unknown cluster/service/instance/task (candidates listed), 4 endpoint unreachable \
or no credentials, 5 access denied, 6 refused (--read-only, a pre-check, no confirmation), \
7 applied but not settled before --timeout, 8 failed half-way (what was done is printed), \
9 applied but the rollout or drain failed.";

/// Switches every operation shares.
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent command-line switches"
)]
#[derive(Debug, Clone, Default, PartialEq, Eq, Args)]
pub struct RunArgs {
    /// Do not ask for confirmation (required when stdin is not a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Print the plan (the exact API calls and the predicted effect) and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Watch until the change has settled (or failed, or --timeout).
    #[arg(long, conflicts_with = "dry_run")]
    pub wait: bool,
    /// Seconds --wait waits before giving up (exit code 7).
    #[arg(long, requires = "wait", value_name = "SECS", default_value_t = 600,
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub timeout: u64,
    /// Print the result as JSON on stdout.
    #[arg(long)]
    pub json: bool,
    /// Run even when a pre-check that allows it fails (never past the hard limits).
    #[arg(long)]
    pub force: bool,
}

/// A task or instance count: a whole number, 0 or more.
fn count(s: &str) -> Result<i32, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err("must not be empty".into());
    }
    let n: i64 = t
        .parse()
        .map_err(|_| format!("'{t}' is not a whole number"))?;
    if n < 0 {
        return Err(format!("must be 0 or more (got {n})"));
    }
    i32::try_from(n).map_err(|_| format!("{n} is too large"))
}

#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct ScaleArgs {
    /// Service name or ARN (default: the cluster's only service).
    #[arg(long, value_parser = non_empty)]
    pub service: Option<String>,
    /// The new desired task count.
    #[arg(long, value_parser = count, allow_hyphen_values = true,
          required_unless_present_all = ["min", "max"], conflicts_with_all = ["min", "max"])]
    pub count: Option<i32>,
    /// Instead of a count: the lowest count autoscaling may set (with --max).
    #[arg(long, value_parser = count, allow_hyphen_values = true, requires = "max")]
    pub min: Option<i32>,
    /// Instead of a count: the highest count autoscaling may set (with --min).
    #[arg(long, value_parser = count, allow_hyphen_values = true, requires = "min")]
    pub max: Option<i32>,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum AsgCommand {
    /// Set the Auto Scaling group's desired capacity (scale-in asks you to type the count).
    #[command(after_help = EXIT_CODES_HELP)]
    SetCapacity {
        /// The new desired capacity, within the group's min and max.
        #[arg(value_parser = count, allow_hyphen_values = true)]
        count: i32,
        /// Group name (default: the only group behind the cluster).
        #[arg(long, value_parser = non_empty)]
        asg: Option<String>,
        #[command(flatten)]
        run: RunArgs,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct RedeployArgs {
    /// Service name or ARN (default: the cluster's only service).
    #[arg(long, value_parser = non_empty)]
    pub service: Option<String>,
    /// Register a new revision with this image tag (e.g. sha-<commit>) and deploy it.
    #[arg(long, value_parser = non_empty, conflicts_with = "rollback")]
    pub image: Option<String>,
    /// Deploy the previous task definition revision.
    #[arg(long)]
    pub rollback: bool,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct DrainArgs {
    /// Container instance id or ARN, or EC2 instance id.
    #[arg(long, value_parser = non_empty)]
    pub instance: String,
    /// Once empty, remove its scale-in protection and terminate it, decrementing the ASG.
    #[arg(long)]
    pub release: bool,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct UndrainArgs {
    /// Container instance id or ARN, or EC2 instance id.
    #[arg(long, value_parser = non_empty)]
    pub instance: String,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct StopTaskArgs {
    /// Task id or ARN.
    #[arg(long, value_parser = non_empty)]
    pub task: String,
    /// Recorded by ECS as the stop reason (up to 255 characters).
    #[arg(long, value_parser = non_empty, default_value = "Stopped by navoy-console")]
    pub reason: String,
    #[command(flatten)]
    pub run: RunArgs,
}

#[cfg(test)]
mod tests;
