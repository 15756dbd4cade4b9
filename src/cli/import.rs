//! `provdesk import FILE...` and `provdesk export --csv FILE`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde::Serialize;

use super::progress::Progress;
use crate::inventory::{
    DeviceQuery, ImportOptions, ImportReport, Inventory, InventoryError, OnExisting,
};
use crate::labels::{BatchDefaults, Notice, RowProblem, SourceRef};
use crate::ops::labels::{export_csv, import_files};
use crate::words;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ExistingPolicy {
    /// Leave devices already in the inventory as they are
    Skip,
    /// Fill in the fields the import gives
    Update,
    /// Refuse the import
    Error,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// CSV files, scanner text (.txt) or label photos (PNG, JPEG)
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Site for rows that name none
    #[arg(long, value_name = "S")]
    site: Option<String>,
    /// Model for rows that name none
    #[arg(long, value_name = "M", value_parser = known_model)]
    model: Option<String>,
    /// Check everything and report, but write nothing
    #[arg(long)]
    dry_run: bool,
    /// Import the valid rows even when some rows are invalid
    #[arg(long)]
    skip_invalid: bool,
    /// What to do with devices already in the inventory
    #[arg(long, value_enum, default_value = "skip", value_name = "POLICY")]
    on_existing: ExistingPolicy,
    /// Print the report as JSON
    #[arg(long)]
    json: bool,
    /// Show no progress
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Write the inventory to this CSV file ("-" for standard output)
    #[arg(long, value_name = "FILE")]
    csv: PathBuf,
    /// Only devices of this site
    #[arg(long, value_name = "S")]
    site: Option<String>,
}

#[derive(Serialize)]
struct RowError<'a> {
    #[serde(flatten)]
    source: &'a SourceRef,
    #[serde(flatten)]
    problem: &'a RowProblem,
}

#[derive(Serialize)]
struct RowWarning<'a> {
    #[serde(flatten)]
    source: &'a SourceRef,
    warning: &'a str,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    ok: bool,
    dry_run: bool,
    #[serde(flatten)]
    report: Option<&'a ImportReport>,
    error: Option<String>,
    invalid_rows: Vec<RowError<'a>>,
    /// Rows that import but are worth a look (a MAC prefix of another maker).
    warnings: Vec<RowWarning<'a>>,
    notices: &'a [Notice],
}

/// `--model` is checked once, before any file is read, not once per row that needs it.
fn known_model(name: &str) -> Result<String, String> {
    crate::device::resolve_model(name)
        .map(|model| model.name.to_string())
        .map_err(|error| error.to_string())
}

pub fn import(inventory: &mut Inventory, args: ImportArgs) -> anyhow::Result<bool> {
    let defaults = BatchDefaults {
        site: args.site.clone(),
        model: args.model.clone(),
    };
    let options = ImportOptions {
        on_existing: match args.on_existing {
            ExistingPolicy::Skip => OnExisting::Skip,
            ExistingPolicy::Update => OnExisting::Update,
            ExistingPolicy::Error => OnExisting::Error,
        },
        skip_invalid: args.skip_invalid,
        dry_run: args.dry_run,
    };
    let mut progress = Progress::new(args.quiet);
    let (batch, result) = import_files(inventory, &args.files, &defaults, options, &mut |step| {
        progress.show(step.stage, step.done, step.total);
    })?;
    progress.finish();
    let ok = result.is_ok() && (batch.invalid_count() == 0);
    if args.json {
        let report = JsonReport {
            ok,
            dry_run: args.dry_run,
            report: result.as_ref().ok(),
            error: result.as_ref().err().map(ToString::to_string),
            invalid_rows: batch
                .invalid()
                .map(|(source, problem)| RowError { source, problem })
                .collect(),
            warnings: batch
                .warnings()
                .map(|(source, warning)| RowWarning { source, warning })
                .collect(),
            notices: &batch.notices,
        };
        say!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(ok);
    }
    for (source, problem) in batch.invalid() {
        let column = problem
            .column
            .map(|c| format!(" (column {c})"))
            .unwrap_or_default();
        eprintln!(
            "{}:{}: {}{column}",
            source.file, source.line, problem.reason
        );
    }
    for (source, warning) in batch.warnings() {
        eprintln!("{}:{}: warning: {warning}", source.file, source.line);
    }
    for notice in &batch.notices {
        eprintln!(
            "{}:{}: note: {}",
            notice.source.file, notice.source.line, notice.message
        );
    }
    match result {
        Ok(report) => {
            let verb = if report.written {
                "imported"
            } else {
                "dry run, nothing written"
            };
            say!(
                "{verb}: {} added, {} updated, {} already in the inventory and skipped, {} invalid",
                report.added,
                report.updated,
                report.skipped_existing.len(),
                report.invalid
            );
            Ok(ok)
        }
        Err(error) => {
            let how = match error {
                InventoryError::InvalidRows { .. } => " (--skip-invalid)",
                _ => "",
            };
            eprintln!("provdesk: {error}{how}");
            Ok(false)
        }
    }
}

pub fn export(inventory: &Inventory, args: ExportArgs) -> anyhow::Result<()> {
    let page = inventory.query_devices(&DeviceQuery {
        site: args.site,
        ..DeviceQuery::default()
    })?;
    if args.csv.as_os_str() == "-" {
        crate::labels::write_csv(&page.devices, std::io::stdout().lock())?;
        return Ok(());
    }
    export_csv(&page.devices, &args.csv).map_err(anyhow::Error::msg)?;
    eprintln!(
        "exported {} to {}",
        words::count(page.devices.len(), "device"),
        args.csv.display()
    );
    Ok(())
}
