//! `provdesk template list|show|validate`: the templates in use, their text, and checking a
//! template file before it is saved.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::inventory::Inventory;
use crate::templates::{DEFAULT_TEMPLATES, DefaultTemplate, Template, find_default};
use crate::words;

#[derive(Debug, Subcommand)]
pub enum TemplateCommand {
    /// List the templates: format, models, and the version in use
    List,
    /// Print the text of the template in use
    Show {
        /// Template name, e.g. provider-frame
        name: String,
    },
    /// Check a template file: variables, XML, the elements its format needs, and the file it
    /// renders for a sample device of each model that reads it
    Validate(ValidateArgs),
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The template file
    file: PathBuf,
    /// Which template it is for (default: recognised from its content)
    #[arg(long, value_name = "NAME")]
    template: Option<String>,
}

/// Runs list and show, which read the inventory.
pub fn run(inventory: &Inventory, command: TemplateCommand) -> anyhow::Result<bool> {
    match command {
        TemplateCommand::List => {
            for default in DEFAULT_TEMPLATES {
                let in_use = match inventory.current_template_version(default.name)? {
                    Some(version) if version.body.is_some() => {
                        format!("version {} ({})", version.version, version.created_at)
                    }
                    _ => "built-in".to_string(),
                };
                say!(
                    "{}\t{}\t{}\t{in_use}",
                    default.name,
                    default.format.spec().name,
                    default.models().join(", ")
                );
            }
            Ok(true)
        }
        TemplateCommand::Show { name } => {
            let default = find_default(&name).ok_or_else(|| unknown(&name))?;
            let set = inventory.template_set()?;
            let text = set
                .for_format(default.format)
                .map_or(default.text, Template::source);
            say!("{}", text.trim_end_matches('\n'));
            Ok(true)
        }
        TemplateCommand::Validate(args) => validate(args),
    }
}

fn unknown(name: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "there is no template \"{name}\"; templates are: {}",
        DEFAULT_TEMPLATES
            .iter()
            .map(|t| t.name)
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// Recognises a template's format from its root element or its lines.
fn recognise(text: &str) -> Option<&'static DefaultTemplate> {
    let name = if text.contains("<ProviderFrame") {
        "provider-frame"
    } else if text.contains("<provisioning") {
        "provisioning-1.1"
    } else if text.contains("BS_IP_Data") {
        "dx800-patch"
    } else if text.trim_start().starts_with('<') {
        "spectralink"
    } else {
        return None;
    };
    find_default(name)
}

/// Checks a template file as saving does ([`Template::check_draft`]); needs no inventory.
/// Problems go to stderr as FILE:LINE:COLUMN, at the template's lines also when they were found
/// in a rendered file.
pub fn validate(args: ValidateArgs) -> anyhow::Result<bool> {
    let shown = args.file.display().to_string();
    let bytes =
        std::fs::read(&args.file).map_err(|e| anyhow::anyhow!("cannot read {shown}: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{shown}: not UTF-8 at byte {}: save the template as UTF-8 (provdesk writes ISO-8859-1 itself where the format needs it)",
            e.utf8_error().valid_up_to()
        )
    })?;
    let default = match &args.template {
        Some(name) => find_default(name).ok_or_else(|| unknown(name))?,
        None => recognise(&text).ok_or_else(|| {
            anyhow::anyhow!(
                "{shown}: cannot tell which template this is; name it with --template NAME"
            )
        })?,
    };
    match Template::check_draft(default.name, default.format, &text) {
        Ok(_) => {
            say!("{shown}: valid {} template", default.name);
            Ok(true)
        }
        Err(errors) => {
            for located in &errors.0 {
                match located.at {
                    Some(at) => eprintln!("{shown}:{}:{}: {}", at.line, at.column, located.problem),
                    None => eprintln!("{shown}: {}", located.problem),
                }
            }
            eprintln!(
                "provdesk: {shown} is not a valid {} template ({})",
                default.name,
                words::count(errors.0.len(), "problem")
            );
            Ok(false)
        }
    }
}
