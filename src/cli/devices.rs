//! `provdesk devices`: list the inventory as a table or JSON.

use clap::Args;

use crate::device::DeviceSummary;
use crate::inventory::{DeviceQuery, Inventory};

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

fn print_table(devices: &[DeviceSummary]) -> anyhow::Result<()> {
    let rows: Vec<[String; 6]> = devices
        .iter()
        .map(|d| {
            [
                d.mac.clone(),
                d.mac_id.clone().unwrap_or_default(),
                d.model.clone().unwrap_or_default(),
                d.site.clone().unwrap_or_default(),
                d.provider.clone().unwrap_or_default(),
                d.url.clone().unwrap_or_default(),
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
    say!("{} device(s)", rows.len());
    Ok(())
}
