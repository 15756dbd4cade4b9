//! What the device itself checks in a rendered file: that it names this device's MAC (and, in a
//! ProviderFrame, its model's PROFILE_NAME, a date VERSION and typed values), and the model's
//! rules for its digest credentials (placed, not too long, the setting they depend on).

use super::structure::child_of;
use super::typed::check_values;
use super::xml::{Element, XmlFacts};
use crate::device::{ConfigFormat, CredentialParams, ModelSpec, ParamStyle, ParamValue};
use crate::templates::error::{Located, Problem};

/// The values a rendered file gives a parameter, with the element that gives each.
fn param_values<'a>(
    format: ConfigFormat,
    facts: &'a XmlFacts,
    param: &str,
) -> Vec<(&'a Element, &'a str)> {
    facts
        .elements
        .iter()
        .filter(|element| match format.spec().settings.map(|s| s.style) {
            Some(ParamStyle::Element) => element.name == param,
            Some(ParamStyle::NameValue) => {
                element.name == "param" && element.attribute("name") == Some(param)
            }
            None => false,
        })
        .map(|element| (element, element.attribute("value").unwrap_or_default()))
        .collect()
}

/// A rendered file as the device reads it.
struct Rendered<'a> {
    format: ConfigFormat,
    facts: &'a XmlFacts,
    text: &'a str,
}

impl<'a> Rendered<'a> {
    fn values(&self, param: &str) -> Vec<(&'a Element, &'a str)> {
        param_values(self.format, self.facts, param)
    }

    fn at(&self, element: &Element, problem: Problem) -> Located {
        Located::at(self.text, element.at, problem)
    }
}

/// What the device itself checks in its file: its MAC, and the model's credential rules.
pub(crate) fn check_for_device(
    format: ConfigFormat,
    model: &ModelSpec,
    mac: &str,
    has_credentials: bool,
    facts: &XmlFacts,
    text: &str,
) -> Vec<Located> {
    let file = Rendered {
        format,
        facts,
        text,
    };
    let mut problems = Vec::new();
    if format == ConfigFormat::ProviderFrame {
        problems.extend(check_mac(&file, mac));
        problems.extend(check_profile_name(&file, model));
        if let Some((settings, _)) = child_of(facts, 0, "Provider") {
            problems.extend(check_values(facts, settings, text));
        }
    }
    let Some(credentials) = model.credentials else {
        return problems;
    };
    let usernames = file.values(credentials.username_param);
    let passwords = file.values(credentials.password_param);
    if has_credentials && (usernames.is_empty() || passwords.is_empty()) {
        problems.push(Located::anywhere(Problem::CredentialsNotPlaced {
            inside: format.spec().settings.map_or("the file", |s| s.element),
        }));
    }
    if let Some(limit) = credentials.max_len {
        for (param, values) in [
            (credentials.username_param, &usernames),
            (credentials.password_param, &passwords),
        ] {
            problems.extend(check_lengths(&file, model, param, values, limit));
        }
    }
    if let Some(required) = model.password_requires
        && let Some((first_password, _)) = passwords.first()
    {
        problems.extend(check_password_condition(
            &file,
            model,
            credentials,
            required,
            first_password,
        ));
    }
    problems
}

/// Every MAC_ADDRESS must be this device's: the device ignores a file for another MAC.
fn check_mac(file: &Rendered, mac: &str) -> Vec<Located> {
    file.values("MAC_ADDRESS")
        .into_iter()
        .filter(|(_, value)| !value.eq_ignore_ascii_case(mac))
        .map(|(element, value)| {
            file.at(
                element,
                Problem::WrongMac {
                    found: value.to_string(),
                    expected: mac.to_string(),
                },
            )
        })
        .collect()
}

/// PROFILE_NAME must be the model's: with another one the device changes nothing.
fn check_profile_name(file: &Rendered, model: &ModelSpec) -> Vec<Located> {
    let Some(expected) = model.profile_name else {
        return Vec::new();
    };
    // A missing PROFILE_NAME is a structure problem, reported for every file of the format.
    file.values("PROFILE_NAME")
        .into_iter()
        .filter(|(_, value)| *value != expected)
        .map(|(element, value)| {
            file.at(
                element,
                Problem::WrongProfileName {
                    found: value.to_string(),
                    expected,
                    model: model.name,
                },
            )
        })
        .collect()
}

fn check_lengths(
    file: &Rendered,
    model: &ModelSpec,
    param: &'static str,
    values: &[(&Element, &str)],
    limit: usize,
) -> Vec<Located> {
    values
        .iter()
        .filter(|(_, value)| value.chars().count() > limit)
        .map(|(element, value)| {
            file.at(
                element,
                Problem::TooLong {
                    param,
                    length: value.chars().count(),
                    limit,
                    model: model.name,
                },
            )
        })
        .collect()
}

/// The setting the password depends on (the N720's `I_PHONE_SYSTEM` = 5) must be there, and
/// hold the value the model needs wherever it is set.
fn check_password_condition(
    file: &Rendered,
    model: &ModelSpec,
    credentials: CredentialParams,
    required: ParamValue,
    first_password: &Element,
) -> Vec<Located> {
    let problem = |found: String| Problem::PasswordCondition {
        param: required.param,
        found,
        required: required.value,
        password: credentials.password_param,
        model: model.name,
    };
    let settings = file.values(required.param);
    if settings.is_empty() {
        return vec![file.at(first_password, problem("not set (0)".into()))];
    }
    settings
        .into_iter()
        .filter(|(_, value)| *value != required.value)
        .map(|(element, value)| file.at(element, problem(value.to_string())))
        .collect()
}
