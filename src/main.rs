//! Entry point: no subcommand opens the window, a subcommand runs the CLI.

use std::process::ExitCode;

use clap::Parser;
use provdesk::cli::{self, Cli};
use provdesk::inventory::resolve_db_path;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("PROVDESK_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Cli::parse();
    match args.command {
        Some(command) => cli::run(args.db, command),
        None => match resolve_db_path(args.db)
            .map_err(anyhow::Error::from)
            .and_then(provdesk::ui::run)
        {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("provdesk: {error:#}");
                ExitCode::FAILURE
            }
        },
    }
}
