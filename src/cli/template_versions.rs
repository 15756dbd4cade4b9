//! `provdesk template save|reset|versions|diff` and `show --version`: a template file saved as a new
//! version with a note, the versions with their notes, one version's text, and a unified diff
//! between two of them.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use clap::Args;

use crate::inventory::{Inventory, SaveOutcome, TemplateStoreError};
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
    /// Save only if VERSION is still the one in use: the version your file started from (as
    /// `template versions` lists it, or `builtin` when none was saved). Refused, naming the
    /// newer version, when someone saved one since, so theirs is not silently undone
    #[arg(long, value_name = "VERSION")]
    over: Option<Which>,
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

/// Saves the file as the next version, validated as `template validate` does; with `--over`,
/// only over that version. The text in use saved again makes no version.
pub fn save(inventory: &mut Inventory, args: SaveArgs) -> anyhow::Result<bool> {
    let default = template(&args.name)?;
    let text = read_utf8(&args.file)?;
    let outcome = match args.over {
        None => inventory.save_template_version(default.name, &text, &args.note)?,
        Some(over) => {
            let base = match over {
                Which::Version(number) => Some(number),
                Which::Builtin => None,
            };
            match inventory.save_template_version_over(default.name, &text, &args.note, base) {
                Err(TemplateStoreError::ChangedElsewhere { newest, .. }) => {
                    return Err(refused_over(default.name, over, newest));
                }
                saved => saved?,
            }
        }
    };
    match outcome {
        SaveOutcome::Saved(saved) => say!(
            "saved {} as version {}: renders and Serve use it from now on",
            saved.name,
            saved.version
        ),
        SaveOutcome::Unchanged(unchanged) => say!(
            "no change: {}'s text is already {}, the one in use, so no version was made (a note alone makes none)",
            unchanged.name,
            unchanged.in_use()
        ),
    }
    Ok(true)
}

/// Why `--over` refused: the version it names is not the one in use (`newest`, 0 when none
/// was saved), and what to do.
fn refused_over(name: &str, over: Which, newest: u32) -> anyhow::Error {
    let (named, from) = match over {
        Which::Version(number) => (format!("version {number}"), number.to_string()),
        Which::Builtin => ("the built-in template".to_string(), "builtin".to_string()),
    };
    let what = match (over, newest) {
        (Which::Version(number), _) if number > newest => format!(
            "there is no version {number}; `provdesk template versions {name}` lists them, the newest is the one in use"
        ),
        (_, 0) => "no version is saved, the built-in template is in use: save with --over builtin if your file started from it".to_string(),
        (_, newest) => format!(
            "version {newest} was saved after it (by someone else, a script or the window); see what it changed with `provdesk template diff {name} {from} {newest}`, carry that into your file if it should stay, then save with --over {newest}"
        ),
    };
    anyhow::anyhow!("template \"{name}\" was not saved over {named}: {what}")
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
    print_exact(&text)
}

/// Prints a template's text byte for byte, its last newline or its lack of one included:
/// `template show NAME > f; template save NAME f` is how a version is put back, and a newline
/// added or taken at the end is a change of the rendered file, so a save of the printed text
/// would otherwise make a version.
pub fn print_exact(text: &str) -> anyhow::Result<bool> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(true)
}

/// Goes back to the built-in template, as a new version; no version when it is in use.
pub fn reset(inventory: &mut Inventory, name: &str) -> anyhow::Result<bool> {
    let default = template(name)?;
    match inventory.reset_template(default.name)? {
        SaveOutcome::Saved(reset) => say!(
            "reset {} to the built-in template as version {}: renders and Serve use it from now on; `provdesk template versions {}` lists the older ones",
            reset.name,
            reset.version,
            reset.name
        ),
        SaveOutcome::Unchanged(unchanged) => say!("{}", unchanged.reset_words()),
    }
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
