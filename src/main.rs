//! Entry point: no subcommand opens the window, a subcommand runs the CLI.
//!
//! On Windows provdesk.exe is a GUI-subsystem program, so starting the window opens no console
//! window behind it; started from a console, it attaches to that console so that CLI
//! subcommands, `--help`, `--version` and error messages still print there.

// A release or debug build for Windows alike: the console appears only when asked for.
#![cfg_attr(windows, windows_subsystem = "windows")]

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};
use provdesk::build_info::VERSION_LINE;
use provdesk::cli::{self, Cli};
use provdesk::inventory::resolve_db_path;

fn main() -> ExitCode {
    #[cfg(windows)]
    attach_parent_console();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("PROVDESK_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = parse_args();
    match args.command {
        Some(command) => cli::run(args.db, command),
        None => match resolve_db_path(args.db)
            .map_err(anyhow::Error::from)
            .and_then(provdesk::ui::run)
        {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("provdesk: {}", cli::error_chain(&error));
                ExitCode::FAILURE
            }
        },
    }
}

/// The command line, with `--version` saying the target and build date too.
fn parse_args() -> Cli {
    let matches = Cli::command().version(VERSION_LINE).get_matches();
    Cli::from_arg_matches(&matches).unwrap_or_else(|error| error.exit())
}

/// Attaches to the console of the process that started provdesk (cmd.exe, PowerShell), if any.
/// Standard handles that were redirected to a file or pipe stay as they are; started from
/// Explorer or the start menu there is no parent console and nothing changes.
#[cfg(windows)]
fn attach_parent_console() {
    use windows_sys::Win32::System::Console::{ATTACH_PARENT_PROCESS, AttachConsole};
    // SAFETY: AttachConsole takes a process id and touches no memory of ours; it fails
    // harmlessly when there is no parent console or one is already attached.
    unsafe {
        AttachConsole(ATTACH_PARENT_PROCESS);
    }
}
