//! `provdesk template list|show|validate`: the templates in use, their text, and checking a
//! template file before it is saved; `save`, `reset`, `versions` and `diff` are in
//! `template_versions`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::template_versions::{self, DiffArgs, SaveArgs, Which, unknown};
use crate::inventory::Inventory;
use crate::templates::{DEFAULT_TEMPLATES, DefaultTemplate, Template, find_default};
use crate::words;

#[derive(Debug, Subcommand)]
pub enum TemplateCommand {
    /// List the templates: format, models, and the version in use
    List,
    /// Print the text of the template in use, or of one of its versions
    Show {
        /// Template name, e.g. provider-frame
        name: String,
        /// A version's number (as `template versions` lists them) or `builtin`; to go back to
        /// it, save its text again: `template show NAME --version 2 > f; template save NAME f`
        #[arg(long, value_name = "VERSION")]
        version: Option<Which>,
    },
    /// Check a template file: variables, XML, the elements its format needs, and the file it
    /// renders for a sample device of each model that reads it
    Validate(ValidateArgs),
    /// Save a template file as the template's next version, with an optional note (no version
    /// when it is the text in use)
    Save(SaveArgs),
    /// Go back to the built-in template, as a new version (the saved ones stay in the
    /// history); no version when the built-in text is in use already
    Reset {
        /// Template name, e.g. provider-frame
        name: String,
    },
    /// List a template's saved versions, newest first: number, time, note
    Versions {
        /// Template name, e.g. provider-frame
        name: String,
    },
    /// Print a unified diff between two versions of a template (default: FROM against the
    /// version in use)
    Diff(DiffArgs),
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The template file
    file: PathBuf,
    /// Which template it is for (default: recognised from its content)
    #[arg(long, value_name = "NAME")]
    template: Option<String>,
}

/// Runs the subcommands that use the inventory.
pub fn run(inventory: &mut Inventory, command: TemplateCommand) -> anyhow::Result<bool> {
    match command {
        TemplateCommand::List => {
            for default in DEFAULT_TEMPLATES {
                let in_use = match inventory.current_template_version(default.name)? {
                    Some(version) if !version.is_reset() => match version.shown_note() {
                        "" => format!("version {} ({})", version.version, version.created_at),
                        note => format!(
                            "version {} ({}): {note}",
                            version.version, version.created_at
                        ),
                    },
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
        TemplateCommand::Show {
            name,
            version: Some(version),
        } => template_versions::show(inventory, &name, version),
        TemplateCommand::Show {
            name,
            version: None,
        } => {
            let default = find_default(&name).ok_or_else(|| unknown(&name))?;
            let set = inventory.template_set()?;
            let text = set
                .for_format(default.format)
                .map_or(default.text, Template::source);
            template_versions::print_exact(text)
        }
        TemplateCommand::Validate(args) => validate(args),
        TemplateCommand::Save(args) => template_versions::save(inventory, args),
        TemplateCommand::Reset { name } => template_versions::reset(inventory, &name),
        TemplateCommand::Versions { name } => template_versions::versions(inventory, &name),
        TemplateCommand::Diff(args) => template_versions::diff(inventory, args),
    }
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
    let text = template_versions::read_utf8(&args.file)?;
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
