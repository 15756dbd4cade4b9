//! Checking a template before it is saved and each rendered file before it is written: XML that
//! parses, the elements the format needs, typed values the template writes literally, and the
//! model's own rules (MAC, credential length limits, the N720's `I_PHONE_SYSTEM` = 5). Every
//! problem carries its line and column.

mod device;
mod structure;
mod typed;
mod xml;

pub(crate) use device::check_for_device;
pub(crate) use structure::check_structure;
pub(crate) use xml::read_xml;

use structure::child_of;
use typed::check_literal_values;

use super::error::{Located, Problem, TemplateErrors};
use super::syntax::{Part, parse};
use super::variables::Variable;
use crate::device::{ConfigFormat, Encoding};

/// Each setting line of a patch file is `NAME=VALUE`; blank lines and `#`/`;` comments pass.
pub(crate) fn check_patch_lines(text: &str) -> Vec<Located> {
    let mut problems = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        let is_setting = trimmed.split_once('=').is_some_and(|(name, _)| {
            !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'[' | b']'))
        });
        if !(trimmed.is_empty() || trimmed.starts_with(['#', ';']) || is_setting) {
            problems.push(Located::at(text, offset, Problem::PatchLine));
        }
        offset += line.len();
    }
    problems
}

/// Characters a Latin-1 file cannot carry, in the template's literal text.
fn check_latin1(source: &str, parts: &[Part]) -> Vec<Located> {
    parts
        .iter()
        .filter_map(|part| match part {
            Part::Text(range) => Some(range.clone()),
            Part::Var { .. } => None,
        })
        .flat_map(|range| {
            source[range.clone()]
                .char_indices()
                .filter(|(_, c)| u32::from(*c) > 0xFF)
                .map(move |(i, c)| {
                    Located::at(source, range.start + i, Problem::NotLatin1 { found: c })
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The template with each variable replaced by filler of the same byte length, so XML errors
/// found in it point at the right line and column of the template.
fn probe(source: &str, parts: &[Part]) -> String {
    let mut out = String::with_capacity(source.len());
    for part in parts {
        match part {
            Part::Text(range) => out.push_str(&source[range.clone()]),
            Part::Var { variable, span, .. } => {
                let filler = if variable.is_block() { ' ' } else { 'x' };
                out.extend(std::iter::repeat_n(filler, span.len()));
            }
        }
    }
    out
}

/// The typed values a ProviderFrame template writes as they are, read in the template itself
/// (where `{{…}}` is plain text), so each problem has the template's own line.
fn literal_values(format: ConfigFormat, source: &str) -> Vec<Located> {
    let Some(settings) = format
        .spec()
        .settings
        .filter(|_| format == ConfigFormat::ProviderFrame)
    else {
        return Vec::new();
    };
    let Ok(facts) = read_xml(source) else {
        return Vec::new();
    };
    match child_of(&facts, 0, settings.element) {
        Some((index, _)) => check_literal_values(&facts, index, source),
        None => Vec::new(),
    }
}

/// Validates a template for `format`: its variables, and, with each variable filled in, the
/// XML and the elements the format needs. Returns the parsed parts when it is valid.
pub(crate) fn validate_template(
    source: &str,
    format: ConfigFormat,
) -> Result<Vec<Part>, TemplateErrors> {
    let parts = parse(source, format).map_err(TemplateErrors)?;
    let mut problems = Vec::new();
    let filled = probe(source, &parts);
    let spec = format.spec();
    if spec.encoding == Encoding::Latin1 {
        problems.extend(check_latin1(source, &parts));
    }
    if spec.xml {
        match read_xml(&filled) {
            Err(problem) => problems.push(problem),
            Ok(facts) => {
                problems.extend(check_structure(format, &facts, &filled));
                problems.extend(literal_values(format, source));
            }
        }
    }
    if let Some(inside) = spec.settings.map(|s| s.element) {
        let placed = parts.iter().any(|part| {
            matches!(
                part,
                Part::Var {
                    variable: Variable::Credentials | Variable::DigestPassword,
                    ..
                }
            )
        });
        if !placed {
            problems.push(Located::anywhere(Problem::CredentialsNotPlaced { inside }));
        }
    }
    if spec.setting_lines {
        problems.extend(check_patch_lines(&filled));
    }
    if problems.is_empty() {
        Ok(parts)
    } else {
        problems.sort_by_key(|problem| problem.at);
        Err(TemplateErrors(problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patch_lines_must_be_settings() {
        let problems = check_patch_lines("A.b=1\n# note\n\nnot a setting\n");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].at.map(|p| p.line), Some(4));
    }

    #[test]
    fn a_provider_frame_needs_its_elements_and_latin1() {
        let errors = validate_template(
            "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<ProviderFrame><Provider>€{{credentials}}</Provider></ProviderFrame>",
            ConfigFormat::ProviderFrame,
        )
        .unwrap_err();
        let problems: Vec<&Problem> = errors.0.iter().map(|e| &e.problem).collect();
        assert!(
            problems
                .iter()
                .any(|p| matches!(p, Problem::NotLatin1 { found: '€' })),
            "{errors}"
        );
        assert!(
            problems.iter().any(|p| matches!(
                p,
                Problem::MissingElement {
                    element: "MAC_ADDRESS",
                    ..
                }
            )),
            "{errors}"
        );
    }

    #[test]
    fn a_literal_value_of_the_wrong_type_is_found_at_its_template_line() {
        let default = crate::templates::find_default("provider-frame").unwrap();
        let text = default.text.replace(
            "{{credentials}}",
            "{{credentials}}\n<I_TIMEOUT class=\"integer\" value=\"abc\"/>",
        );
        let errors = validate_template(&text, ConfigFormat::ProviderFrame).unwrap_err();
        let line = text[..text.find("<I_TIMEOUT").unwrap()]
            .matches('\n')
            .count()
            + 1;
        assert_eq!(errors.0.len(), 1, "{errors}");
        assert_eq!(errors.0[0].at.map(|at| at.line), Some(line));
        assert!(
            errors.to_string().contains("<I_TIMEOUT> holds \"abc\""),
            "{errors}"
        );
    }
}
