//! `provdesk models [--json] [MODEL]`: the catalogue, every fact with its source or why it is
//! unconfirmed, and `recognize` for a User-Agent, DHCP vendor class or %DVID a phone gave.

use clap::Args;
use serde::Serialize;

use crate::device::{
    CATALOGUE, FactRow, ModelSpec, Recognition, firmware_checks, recognize, resolve_model,
};

#[derive(Debug, Args)]
pub struct ModelsArgs {
    /// Show only this model (a name or an alias, e.g. N870)
    model: Option<String>,
    /// Tell which model a phone is from its User-Agent, DHCP vendor class or %DVID
    #[arg(long, value_name = "TEXT", conflicts_with = "model")]
    recognize: Option<String>,
    /// Print JSON instead of text
    #[arg(long)]
    json: bool,
}

/// One model as `--json` prints it.
#[derive(Serialize)]
struct ModelOut {
    name: &'static str,
    aliases: &'static [&'static str],
    note: Option<&'static str>,
    facts: Vec<FactRow>,
}

impl ModelOut {
    fn of(spec: &'static ModelSpec) -> Self {
        Self {
            name: spec.name,
            aliases: spec.aliases,
            note: spec.note,
            facts: spec.facts(),
        }
    }
}

pub fn run(args: ModelsArgs) -> anyhow::Result<bool> {
    if let Some(clue) = &args.recognize {
        return print_recognition(clue, recognize(clue), args.json);
    }
    let models: Vec<&'static ModelSpec> = match &args.model {
        Some(name) => vec![resolve_model(name)?],
        None => CATALOGUE.iter().collect(),
    };
    if args.json {
        let out: Vec<ModelOut> = models.into_iter().map(ModelOut::of).collect();
        say!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(true);
    }
    for (index, spec) in models.into_iter().enumerate() {
        if index > 0 {
            say!();
        }
        print_model(spec)?;
    }
    Ok(true)
}

fn print_model(spec: &ModelSpec) -> anyhow::Result<()> {
    say!("{}", spec.name);
    if !spec.aliases.is_empty() {
        say!("  also: {}", spec.aliases.join(", "));
    }
    if let Some(note) = spec.note {
        say!("  note: {note}");
    }
    for row in spec.facts() {
        say!("  {}: {}", row.fact.label(), row.value);
        say!("      {}", source_line(&row));
    }
    Ok(())
}

fn source_line(row: &FactRow) -> String {
    match row.source {
        crate::device::Source::Document { title, address } => {
            format!("source: {title} <{address}>")
        }
        crate::device::Source::Unconfirmed { why } => format!("UNCONFIRMED: {why}"),
        crate::device::Source::Provdesk { why } => format!("provdesk's own: {why}"),
    }
}

fn print_recognition(clue: &str, found: Option<Recognition>, json: bool) -> anyhow::Result<bool> {
    let Some(found) = found else {
        eprintln!(
            "provdesk: \"{}\" names no model of the catalogue: give a phone's User-Agent (N510 IP PRO/42.245.00.000.000;7C2F80820EC0), DHCP vendor class (N510_IP_PRO) or %DVID (82/1)",
            crate::printable::printable(clue, 80)
        );
        return Ok(false);
    };
    let checks = found
        .firmware
        .as_deref()
        .map(|firmware| firmware_checks(found.model, firmware))
        .unwrap_or_default();
    if json {
        #[derive(Serialize)]
        struct Out<'a> {
            #[serde(flatten)]
            recognition: &'a Recognition,
            firmware_checks: &'a [crate::device::FirmwareCheck],
        }
        let out = Out {
            recognition: &found,
            firmware_checks: &checks,
        };
        say!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(true);
    }
    say!("model: {}", found.model.name);
    say!("firmware: {}", found.firmware.as_deref().unwrap_or("-"));
    say!(
        "MAC: {}",
        found.mac.map(|mac| mac.macd()).unwrap_or("-".into())
    );
    if let Some(firmware) = found.firmware.as_deref() {
        for check in &checks {
            say!("  {}", check.sentence(firmware));
        }
    }
    Ok(true)
}
