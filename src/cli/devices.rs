//! `provdesk devices`: list the inventory as a table or JSON.

use clap::Args;

use crate::device::DeviceSummary;
use crate::inventory::{DeviceQuery, Inventory};
use crate::printable::printable;
use crate::words;

#[derive(Debug, Args)]
pub struct DevicesArgs {
    /// Print a JSON array instead of a table
    #[arg(long)]
    json: bool,
    /// Only devices of this site
    #[arg(long, value_name = "S")]
    site: Option<String>,
    /// Case-insensitive text in MAC (any notation), MAC-ID, site, model or notes
    #[arg(long, value_name = "Q")]
    search: Option<String>,
}

pub fn run(inventory: &Inventory, args: &DevicesArgs) -> anyhow::Result<()> {
    let page = inventory.query_devices(&DeviceQuery {
        search: args.search.clone().unwrap_or_default(),
        site: args.site.clone(),
        ..DeviceQuery::default()
    })?;
    let summaries: Vec<DeviceSummary> = page.devices.iter().map(|d| d.summary()).collect();
    if args.json {
        say!("{}", serde_json::to_string_pretty(&summaries)?);
        return Ok(());
    }
    print_table(&summaries)
}

/// The longest cell the table shows; a longer value (an inventory from before values had
/// limits) is cut in the middle, and `--json` has it whole.
const CELL_MAX: usize = 100;

fn print_table(devices: &[DeviceSummary]) -> anyhow::Result<()> {
    let cell = |text: Option<&str>| printable(text.unwrap_or_default(), CELL_MAX);
    let rows: Vec<[String; 6]> = devices
        .iter()
        .map(|d| {
            [
                cell(Some(&d.mac)),
                cell(d.mac_id.as_deref()),
                cell(d.model.as_deref()),
                cell(d.site.as_deref()),
                cell(d.provider.as_deref()),
                cell(d.url.as_deref()),
            ]
        })
        .collect();
    let header = ["MAC", "MAC-ID", "MODEL", "SITE", "PROVIDER", "URL"];
    let mut widths = header.map(str::len);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: [&str; 6]| -> anyhow::Result<()> {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        say!("{}", padded.join("  ").trim_end());
        Ok(())
    };
    line(header)?;
    for row in &rows {
        line(row.each_ref().map(String::as_str))?;
    }
    say!("{}", words::count(rows.len(), "device"));
    Ok(())
}
