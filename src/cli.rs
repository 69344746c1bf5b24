//! The command line: aws-CLI-style global flags and the headless subcommands.

pub mod ops;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub use ops::{
    AsgCommand, DrainArgs, EXIT_CODES_HELP, RedeployArgs, RunArgs, ScaleArgs, StopTaskArgs,
    UndrainArgs,
};

use crate::aws::AwsSettings;

#[derive(Debug, Parser)]
#[command(
    name = "navoy-console",
    version,
    about = "A live terminal console for Navoy's ECS-on-EC2 stack: topology, targets, tasks, instances, logs, and safe operations.",
    after_help = "Run without a subcommand to open the console. `--local` points at the local stack started by scripts/localstack-up.sh."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Named profile from the AWS config/credentials files.
    #[arg(long, global = true, env = "AWS_PROFILE", value_parser = non_empty)]
    pub profile: Option<String>,
    /// AWS region (default: the profile's or the environment's).
    #[arg(long, global = true, env = "AWS_REGION", value_parser = non_empty)]
    pub region: Option<String>,
    /// Send every request to this endpoint (an emulator, a VPC endpoint, a proxy).
    #[arg(long, global = true, env = "AWS_ENDPOINT_URL", value_parser = endpoint_url)]
    pub endpoint_url: Option<String>,
    /// ECS cluster name or ARN (default: the only cluster of the region).
    #[arg(long, global = true, env = "NAVOY_CLUSTER", value_parser = non_empty)]
    pub cluster: Option<String>,
    /// The local stack: endpoint <http://127.0.0.1:4566>, region us-east-1, test credentials if none are set.
    #[arg(long, global = true)]
    pub local: bool,
    /// Refuse every operation that changes anything.
    #[arg(long, global = true)]
    pub read_only: bool,
    /// Theme name (from themes/ or the config dir) or path to a theme file.
    #[arg(long, global = true, env = "NAVOY_THEME", value_parser = non_empty)]
    pub theme: Option<String>,
    /// Configuration file (default: navoy-console/config.toml in the XDG config dir).
    #[arg(long, global = true, env = "NAVOY_CONFIG")]
    pub config: Option<PathBuf>,
}

impl GlobalArgs {
    #[must_use]
    pub fn aws_settings(&self) -> AwsSettings {
        AwsSettings {
            profile: self.profile.clone(),
            region: self.region.clone(),
            endpoint_url: self.endpoint_url.clone(),
            local: self.local,
            read_only: self.read_only,
        }
    }
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Print one snapshot of the stack: topology, targets, services, tasks, instances, ASG.
    Status {
        /// Machine-readable JSON (schema: docs/status-json.md).
        #[arg(long)]
        json: bool,
    },
    /// Set a service's desired task count.
    #[command(after_help = EXIT_CODES_HELP)]
    Scale(ScaleArgs),
    /// Auto Scaling group operations.
    Asg {
        #[command(subcommand)]
        command: AsgCommand,
    },
    /// Force a new deployment, deploy a new image tag (--image), or roll back (--rollback).
    #[command(after_help = EXIT_CODES_HELP)]
    Redeploy(RedeployArgs),
    /// Set a container instance DRAINING (pre-checked; asks you to type the instance id).
    #[command(after_help = EXIT_CODES_HELP)]
    Drain(DrainArgs),
    /// Set a DRAINING container instance ACTIVE again.
    #[command(after_help = EXIT_CODES_HELP)]
    Undrain(UndrainArgs),
    /// Stop one task with a reason.
    #[command(after_help = EXIT_CODES_HELP)]
    StopTask(StopTaskArgs),
    /// Print shell completions for bash, zsh, fish, elvish or powershell.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

fn non_empty(s: &str) -> Result<String, String> {
    let t = s.trim();
    if t.is_empty() {
        Err("must not be empty".into())
    } else {
        Ok(t.to_owned())
    }
}

fn endpoint_url(s: &str) -> Result<String, String> {
    let t = non_empty(s)?;
    let rest = t
        .strip_prefix("http://")
        .or_else(|| t.strip_prefix("https://"))
        .ok_or_else(|| format!("'{t}' is not an http:// or https:// URL"))?;
    if rest.is_empty() || rest.starts_with('/') || rest.starts_with(':') {
        return Err(format!("'{t}' has no host"));
    }
    Ok(t.trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::{Cli, Command};

    #[test]
    fn status_json_parses_with_global_flags_anywhere() {
        let cli = Cli::try_parse_from([
            "navoy-console",
            "status",
            "--json",
            "--local",
            "--cluster",
            "navoy",
        ])
        .unwrap();
        assert!(cli.global.local);
        assert_eq!(cli.global.cluster.as_deref(), Some("navoy"));
        assert!(matches!(cli.command, Some(Command::Status { json: true })));
    }

    #[test]
    fn bad_endpoints_are_refused() {
        for bad in ["", "127.0.0.1:4566", "ftp://x", "http://", "http://:4566"] {
            assert!(
                Cli::try_parse_from(["navoy-console", "--endpoint-url", bad, "status"]).is_err(),
                "{bad}"
            );
        }
        let ok = Cli::try_parse_from([
            "navoy-console",
            "--endpoint-url",
            "http://127.0.0.1:4566/",
            "status",
        ])
        .unwrap();
        assert_eq!(
            ok.global.endpoint_url.as_deref(),
            Some("http://127.0.0.1:4566")
        );
    }

    #[test]
    fn empty_cluster_is_refused() {
        assert!(Cli::try_parse_from(["navoy-console", "--cluster", " ", "status"]).is_err());
    }
}
