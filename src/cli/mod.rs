//! The command-line face: one file per subcommand, each a thin layer over the core.

/// `println!` that returns an error instead of panicking when standard output is a closed
/// pipe (`provdesk devices | head -1`); [`run`] then ends quietly.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)?
    }};
}

mod device;
mod devices;
mod fetch;
mod import;
mod live;
mod models;
mod progress;
mod provisioning_args;
mod redirect;
mod render;
mod rollout;
mod serve;
mod simulate;
mod sip_test;
mod site;
mod sync;
mod template;
mod template_versions;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::inventory::{Inventory, resolve_db_path};

/// provdesk: provisioning manager for Gigaset DECT/IP phones. Without a subcommand, opens the window.
#[derive(Debug, Parser)]
#[command(name = "provdesk", version, about, long_about = None)]
pub struct Cli {
    /// Inventory database file (default: $PROVDESK_DB, else the platform data folder)
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List devices in the inventory
    Devices(devices::DevicesArgs),
    /// Add, change or remove a device, its SIP accounts, or the site of several
    #[command(subcommand)]
    Device(device::DeviceCommand),
    /// List sites, set a site's defaults, rename or delete a site
    #[command(subcommand)]
    Site(site::SiteCommand),
    /// Import device labels from CSV files, scanner text or label photos
    Import(import::ImportArgs),
    /// Export the inventory as CSV (the format import reads)
    Export(import::ExportArgs),
    /// Fetch a provisioning URL as a device would and explain the digest exchange
    Fetch(Box<fetch::FetchArgs>),
    /// Render each device's configuration file (and an htdigest file) into a folder
    Render(render::RenderArgs),
    /// List, show, validate or save configuration templates; their versions and diffs
    #[command(subcommand)]
    Template(template::TemplateCommand),
    /// Call the Gigaset redirect server: check, register, deregister, list
    Redirect(Box<redirect::RedirectArgs>),
    /// Make the redirect server say what the inventory says (plan, then apply)
    Sync(Box<sync::SyncArgs>),
    /// The model catalogue: every fact with its source; --recognize tells a phone's model
    Models(models::ModelsArgs),
    /// Serve the inventory's devices their configuration files, with digest and a live log
    Serve(serve::ServeArgs),
    /// Change devices' digest credentials in two phases (start, status, enforce)
    #[command(subcommand)]
    Rollout(rollout::RolloutCommand),
    /// Run a local simulator of a server provdesk talks to
    #[command(subcommand)]
    Simulate(simulate::SimulateCommand),
    /// Register a SIP account (or probe with OPTIONS) and explain the digest exchange
    SipTest(Box<sip_test::SipTestArgs>),
}

/// Runs a subcommand and turns its error into a message on stderr and exit code 1.
pub fn run(db: Option<PathBuf>, command: Command) -> ExitCode {
    match execute(db, command) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) if is_closed_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("provdesk: {}", error_chain(&error));
            ExitCode::FAILURE
        }
    }
}

/// The error and its causes, each cause only where the words before do not already hold it:
/// many errors quote their cause in their own message, and printing the chain as well said
/// the same thing two or three times.
pub fn error_chain(error: &anyhow::Error) -> String {
    let mut text = error.to_string();
    for cause in error.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
    }
    text
}

/// Runs the command; `Ok(false)` means it reported its own failure and wants exit status 1.
/// The inventory is opened only by commands that use it, so a simulator creates no database.
fn execute(db: Option<PathBuf>, command: Command) -> anyhow::Result<bool> {
    let open = || -> anyhow::Result<Inventory> {
        let path = resolve_db_path(db.clone())?;
        let new = !path.exists();
        let inventory = open_inventory(&path)?;
        // A mistyped --db would otherwise list an empty inventory as if it were the real one.
        if new {
            eprintln!(
                "provdesk: no inventory at {} yet: started a new, empty one",
                path.display()
            );
        }
        Ok(inventory)
    };
    match command {
        Command::Devices(args) => devices::run(&open()?, &args).map(|()| true),
        Command::Device(command) => device::run(&mut open()?, command).map(|()| true),
        Command::Site(command) => site::run(&mut open()?, command).map(|()| true),
        Command::Import(args) => import::import(&mut open()?, args),
        Command::Export(args) => import::export(&open()?, args).map(|()| true),
        // An ad hoc fetch needs no inventory: it opens one only for --device.
        Command::Fetch(args) => fetch::run(db, *args),
        Command::Render(args) => render::run(&mut open()?, args),
        // Validating a file needs no inventory.
        Command::Template(template::TemplateCommand::Validate(args)) => template::validate(args),
        Command::Template(command) => template::run(&mut open()?, command),
        Command::Redirect(args) => redirect::run(db, *args),
        Command::Sync(args) => sync::run(db, *args),
        Command::Models(args) => models::run(args),
        Command::Serve(args) => serve::run(db, args),
        Command::Rollout(command) => rollout::run(&mut open()?, command),
        Command::Simulate(command) => simulate::run(command).map(|()| true),
        // An ad hoc test needs no inventory.
        Command::SipTest(args) => sip_test::run(db, *args),
    }
}

/// Opens the inventory, saying what the open did about a file other users could read (see
/// [`crate::inventory::FileModeNote`]).
fn open_inventory(path: &std::path::Path) -> Result<Inventory, crate::inventory::InventoryError> {
    let inventory = Inventory::open(path)?;
    if let Some(note) = inventory.file_mode_note() {
        let kind = if note.still_shared() {
            "warning"
        } else {
            "note"
        };
        eprintln!("provdesk: {kind}: {note}");
    }
    Ok(inventory)
}

/// Whether the error is standard output closing under us, which is the reader's choice, not
/// a failure.
fn is_closed_pipe(error: &anyhow::Error) -> bool {
    let io_kind = error
        .downcast_ref::<std::io::Error>()
        .map(std::io::Error::kind)
        .or_else(|| match error.downcast_ref::<csv::Error>()?.kind() {
            csv::ErrorKind::Io(io) => Some(io.kind()),
            _ => None,
        });
    io_kind == Some(std::io::ErrorKind::BrokenPipe)
}

/// Reads a secret from the environment variable the user named, so it never appears in the
/// process list or the shell history.
fn secret_from_env(var: &str) -> anyhow::Result<String> {
    std::env::var(var).map_err(|_| {
        anyhow::anyhow!("environment variable {var} is not set; export {var}=… before running")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cause_the_message_already_quotes_is_not_printed_again() {
        #[derive(Debug, thiserror::Error)]
        #[error("cannot write out.csv: {source}")]
        struct Quoting {
            source: std::io::Error,
        }
        let quoting = anyhow::Error::from(Quoting {
            source: std::io::Error::other("disk full"),
        });
        assert_eq!(error_chain(&quoting), "cannot write out.csv: disk full");
        let adding = anyhow::Error::from(std::io::Error::other("disk full")).context("export");
        assert_eq!(error_chain(&adding), "export: disk full");
    }
}
