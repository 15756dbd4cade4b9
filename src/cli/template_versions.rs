//! `provdesk template save|versions|diff` and `show --version`: a template file saved as a new
//! version with a note, the versions with their notes, one version's text, and a unified diff
//! between two of them.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use clap::Args;

use crate::inventory::Inventory;
use crate::templates::{DEFAULT_TEMPLATES, DefaultTemplate, find_default, unified};

#[derive(Debug, Args)]
pub struct SaveArgs {
    /// Template name, e.g. provider-frame
    name: String,
    /// The template file (UTF-8)
    file: PathBuf,
    /// What tells this version apart, e.g. "SIP port 5070 for Hotel Adler" (one line, at most
    /// 120 characters)
    #[arg(long, default_value = "")]
    note: String,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Template name, e.g. provider-frame
    name: String,
    /// The old side: a version number, or `builtin` for the built-in template
    from: Which,
    /// The new side, as FROM (default: the version in use)
    to: Option<Which>,
}

/// A version named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Version(u32),
    Builtin,
}

impl FromStr for Which {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("builtin") {
            return Ok(Self::Builtin);
        }
        let number = text.strip_prefix(['v', 'V']).unwrap_or(text);
        match number.parse::<u32>() {
            Ok(version) if version > 0 => Ok(Self::Version(version)),
            _ => Err(format!(
                "\"{text}\" is not a version: give its number (3 or v3, as `template versions` lists them) or `builtin`"
            )),
        }
    }
}

fn template(name: &str) -> anyhow::Result<&'static DefaultTemplate> {
    find_default(name).ok_or_else(|| unknown(name))
}

/// The error for a template name that is not one of the built-in templates' names.
pub fn unknown(name: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "there is no template \"{name}\"; templates are: {}",
        DEFAULT_TEMPLATES
            .iter()
            .map(|t| t.name)
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// Saves the file as the next version, validated as `template validate` does.
pub fn save(inventory: &mut Inventory, args: SaveArgs) -> anyhow::Result<bool> {
    let default = template(&args.name)?;
    let text = read_utf8(&args.file)?;
    let saved = inventory.save_template_version(default.name, &text, &args.note)?;
    say!(
        "saved {} as version {}: renders and Serve use it from now on",
        saved.name,
        saved.version
    );
    Ok(true)
}

/// Reads a template file that must be UTF-8.
pub fn read_utf8(file: &Path) -> anyhow::Result<String> {
    let shown = file.display();
    let bytes = std::fs::read(file).map_err(|e| anyhow::anyhow!("cannot read {shown}: {e}"))?;
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{shown}: not UTF-8 at byte {}: save the template as UTF-8 (provdesk writes ISO-8859-1 itself where the format needs it)",
            e.utf8_error().valid_up_to()
        )
    })
}

/// One line per version, newest first: number, time, and the note or "reset to default".
pub fn versions(inventory: &Inventory, name: &str) -> anyhow::Result<bool> {
    let default = template(name)?;
    let versions = inventory.template_versions(default.name)?;
    if versions.is_empty() {
        say!(
            "{}: no saved versions; the built-in template is in use",
            default.name
        );
    }
    for (position, version) in versions.iter().enumerate() {
        let in_use = if position == 0 { " (in use)" } else { "" };
        let what = if version.is_reset() {
            "[reset to default]"
        } else {
            version.shown_note()
        };
        say!(
            "v{}{in_use}\t{}\t{what}",
            version.version,
            version.created_at
        );
    }
    Ok(true)
}

/// Prints the text of one version (or of the built-in template).
pub fn show(inventory: &Inventory, name: &str, which: Which) -> anyhow::Result<bool> {
    let (_, text) = side(inventory, template(name)?, Some(which))?;
    say!("{}", text.trim_end_matches('\n'));
    Ok(true)
}

/// The unified diff from one version to another; nothing on standard output when they have
/// the same text.
pub fn diff(inventory: &Inventory, args: DiffArgs) -> anyhow::Result<bool> {
    let default = template(&args.name)?;
    let (from_label, from_text) = side(inventory, default, Some(args.from))?;
    let (to_label, to_text) = side(inventory, default, args.to)?;
    let text = unified(&from_text, &to_text, &from_label, &to_label);
    if text.is_empty() {
        eprintln!("provdesk: {from_label} and {to_label} have the same text");
    } else {
        let mut out = std::io::stdout().lock();
        std::io::Write::write_all(&mut out, text.as_bytes())?;
    }
    Ok(true)
}

/// The label and text of a side of the diff; `None` is the version in use.
fn side(
    inventory: &Inventory,
    default: &DefaultTemplate,
    which: Option<Which>,
) -> anyhow::Result<(String, String)> {
    let name = default.name;
    Ok(match which {
        Some(Which::Builtin) => (format!("{name} built-in"), default.text.to_string()),
        Some(Which::Version(number)) => {
            let version = inventory.template_version(name, number)?;
            (format!("{name} v{number}"), version.text().to_string())
        }
        None => match inventory.current_template_version(name)? {
            Some(version) => (
                format!("{name} v{} (in use)", version.version),
                version.text().to_string(),
            ),
            None => (
                format!("{name} built-in (in use)"),
                default.text.to_string(),
            ),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_named_by_number_or_builtin() {
        assert_eq!("3".parse(), Ok(Which::Version(3)));
        assert_eq!("v12".parse(), Ok(Which::Version(12)));
        assert_eq!("BuiltIn".parse(), Ok(Which::Builtin));
        for bad in ["0", "-1", "three", "", "v"] {
            let error = bad.parse::<Which>().unwrap_err();
            assert!(error.contains("give its number"), "{bad}: {error}");
        }
    }
}
