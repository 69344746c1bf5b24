//! Entry point: parse the command line, install error hooks, run the console or a headless command.

use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use navoy_console::aws::AwsContext;
use navoy_console::cli::{Cli, Command};
use navoy_console::ops::headless::{self, Spec};
use navoy_console::status::{self, exit, json::StatusContext};

fn main() -> ExitCode {
    // Errors reach people as one sentence; no backtraces unless asked for.
    if color_eyre::config::HookBuilder::default()
        .display_env_section(false)
        .install()
        .is_err()
    {
        eprintln!("navoy-console: could not install the error handler");
    }
    let cli = Cli::parse();
    init_logging(cli.command.is_none());
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("navoy-console: cannot start the async runtime: {e}");
            return ExitCode::from(exit::FAILURE);
        }
    };
    runtime.block_on(run(cli))
}

/// `NAVOY_LOG` (e.g. `debug`) goes to stderr for headless commands; the console owns the
/// terminal, so there it goes to `console.log` in the XDG state dir instead.
fn init_logging(tui: bool) {
    let filter = tracing_subscriber::EnvFilter::from_env("NAVOY_LOG");
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if !tui {
        builder.with_writer(std::io::stderr).init();
        return;
    }
    let file = directories::ProjectDirs::from("", "", "navoy-console")
        .and_then(|d| {
            d.state_dir()
                .or(Some(d.data_local_dir()))
                .map(std::path::Path::to_path_buf)
        })
        .and_then(|dir| {
            std::fs::create_dir_all(&dir).ok()?;
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(dir.join("console.log"))
                .ok()
        });
    match file {
        Some(f) => builder
            .with_ansi(false)
            .with_writer(std::sync::Mutex::new(f))
            .init(),
        None => builder.with_writer(std::io::sink).init(),
    }
}

async fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Some(Command::Completions { shell }) => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "navoy-console",
                &mut std::io::stdout(),
            );
            ExitCode::SUCCESS
        }
        Some(Command::Status { json }) => status_command(&cli.global, json).await,
        Some(ref command) => match Spec::from_command(command) {
            Some((spec, run)) => ExitCode::from(headless::run(&cli.global, spec, &run).await),
            None => ExitCode::from(exit::USAGE),
        },
        None => match navoy_console::app::runner::run(&cli.global).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("navoy-console: {e}");
                ExitCode::from(exit::FAILURE)
            }
        },
    }
}

async fn status_command(global: &navoy_console::cli::GlobalArgs, json: bool) -> ExitCode {
    let settings = global.aws_settings();
    let ctx = match AwsContext::connect(&settings).await {
        Ok(ctx) => ctx,
        Err(e) => {
            eprintln!("navoy-console: {e}");
            return ExitCode::from(status::exit_code(&e));
        }
    };
    let snap = match status::load(&ctx, global.cluster.as_deref()).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("navoy-console: {e}");
            return ExitCode::from(status::exit_code(&e));
        }
    };
    if json {
        let context = StatusContext {
            endpoint: ctx.endpoint.as_deref(),
            region: &ctx.region,
            profile: ctx.profile.as_deref(),
        };
        match status::json::render(context, &snap) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("navoy-console: cannot encode JSON: {e}");
                return ExitCode::from(exit::FAILURE);
            }
        }
    } else {
        print!("{}", status::text::render(&snap, &ctx.describe()));
    }
    ExitCode::from(exit::OK)
}
