//! The elements a format needs, read from the format table, and the encoding its file declares.

use super::typed::check_classes;
use super::xml::{Element, XmlFacts};
use crate::device::{ConfigFormat, Encoding, FormatSpec, SettingsElement};
use crate::templates::error::{Located, Problem};

/// The elements a format needs, and the encoding it is written in.
pub(crate) fn check_structure(format: ConfigFormat, facts: &XmlFacts, text: &str) -> Vec<Located> {
    let spec = format.spec();
    let mut problems: Vec<Located> = check_encoding(spec, facts, text).into_iter().collect();
    let (Some(root_name), Some(settings)) = (spec.root, spec.settings) else {
        return problems;
    };
    let Some(root) = facts.elements.first() else {
        problems.push(Located::anywhere(Problem::NoRoot {
            format: spec.name.to_string(),
            root: root_name,
        }));
        return problems;
    };
    if root.name != root_name {
        problems.push(Located::at(
            text,
            root.at,
            Problem::WrongRoot {
                found: root.name.clone(),
                expected: root_name,
                format: spec.name.to_string(),
            },
        ));
        return problems;
    }
    if format == ConfigFormat::Provisioning11 {
        problems.extend(check_provisioning_root(root, text));
    }
    problems.extend(check_settings(format, facts, settings, text));
    if format == ConfigFormat::ProviderFrame
        && let Some((index, _)) = child_of(facts, 0, settings.element)
    {
        problems.extend(check_classes(facts, index, text));
    }
    problems
}

/// The declared encoding must be the format's; only a UTF-8 format may leave it undeclared,
/// since XML without a declaration is UTF-8.
fn check_encoding(spec: &FormatSpec, facts: &XmlFacts, text: &str) -> Option<Located> {
    let expected = spec.encoding.name();
    let found = match &facts.encoding {
        Some(found) if !found.eq_ignore_ascii_case(expected) => found.clone(),
        None if spec.encoding != Encoding::Utf8 => "none (so UTF-8)".into(),
        _ => return None,
    };
    Some(Located::at(
        text,
        0,
        Problem::WrongEncoding {
            found,
            expected,
            format: spec.name.to_string(),
        },
    ))
}

/// `<provisioning>` names its version and the product it is for.
fn check_provisioning_root(root: &Element, text: &str) -> Vec<Located> {
    let mut problems = Vec::new();
    if root.attribute("version") != Some("1.1") {
        problems.push(missing_attribute(
            root,
            "version",
            "write version=\"1.1\"",
            text,
        ));
    }
    if root.attribute("productID").is_none() {
        problems.push(missing_attribute(
            root,
            "productID",
            "write productID=\"{{product_id}}\"",
            text,
        ));
    }
    problems
}

fn missing_attribute(
    element: &Element,
    attribute: &'static str,
    hint: &'static str,
    text: &str,
) -> Located {
    Located::at(
        text,
        element.at,
        Problem::MissingAttribute {
            element: element.name.clone(),
            attribute,
            hint,
        },
    )
}

/// The settings element below the root; in a ProviderFrame, the MAC the file is for and the
/// model's profile name inside it.
fn check_settings(
    format: ConfigFormat,
    facts: &XmlFacts,
    settings: SettingsElement,
    text: &str,
) -> Vec<Located> {
    let Some((index, _)) = child_of(facts, 0, settings.element) else {
        return vec![Located::at(
            text,
            facts.elements[0].at,
            Problem::MissingElement {
                element: settings.element,
                hint: settings.described,
            },
        )];
    };
    if format != ConfigFormat::ProviderFrame {
        return Vec::new();
    }
    let mut problems = Vec::new();
    match child_of(facts, index, "MAC_ADDRESS") {
        None => problems.push(Located::at(
            text,
            facts.elements[index].at,
            Problem::MissingElement {
                element: "MAC_ADDRESS",
                hint: "write <MAC_ADDRESS value=\"{{mac}}\"/> inside <Provider>; the device ignores a file without its MAC",
            },
        )),
        Some((_, mac)) if mac.attribute("value").is_none() => problems.push(Located::at(
            text,
            mac.at,
            Problem::MissingAttribute {
                element: "MAC_ADDRESS".into(),
                attribute: "value",
                hint: "write value=\"{{mac}}\"",
            },
        )),
        Some(_) => {}
    }
    if child_of(facts, index, "PROFILE_NAME").is_none() {
        problems.push(Located::at(
            text,
            facts.elements[index].at,
            Problem::MissingElement {
                element: "PROFILE_NAME",
                hint: "write <PROFILE_NAME class=\"string\" value=\"{{profile_name}}\"/> inside <Provider>; without its model's profile name the device changes nothing",
            },
        ));
    }
    problems
}

pub(super) fn child_of<'a>(
    facts: &'a XmlFacts,
    parent: usize,
    name: &str,
) -> Option<(usize, &'a Element)> {
    facts
        .elements
        .iter()
        .enumerate()
        .find(|(_, element)| element.parent == Some(parent) && element.name == name)
}
