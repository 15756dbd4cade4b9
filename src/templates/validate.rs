//! Checking a template before it is saved and each rendered file before it is written: XML that
//! parses, the elements the format needs, and the model's own rules (MAC, credential length
//! limits, the N720's `I_PHONE_SYSTEM` = 5). Every problem carries its line and column.

use quick_xml::events::Event;
use quick_xml::events::attributes::AttrError;
use quick_xml::{Reader, XmlVersion};

use super::error::{Located, Problem, TemplateErrors};
use super::syntax::{Part, parse};
use super::variables::Variable;
use crate::device::{ConfigFormat, Encoding, ModelSpec, ParamStyle};

/// One element as read: enough to check the format's rules and point at the element.
#[derive(Debug, Clone)]
pub(crate) struct Element {
    pub name: String,
    pub attributes: Vec<(String, String)>,
    /// Byte offset of its `<`.
    pub at: usize,
    pub parent: Option<usize>,
}

impl Element {
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// What reading a well-formed document found.
#[derive(Debug, Clone, Default)]
pub(crate) struct XmlFacts {
    pub elements: Vec<Element>,
    /// The encoding the XML declaration names, if there is a declaration naming one.
    pub encoding: Option<String>,
}

fn xml_error(text: &str, at: usize, message: impl Into<String>) -> Located {
    Located::at(text, at, Problem::Xml(message.into()))
}

/// An attribute error at the attribute itself; quick-xml counts its positions from the byte
/// after the tag's `<`.
fn attribute_error(text: &str, tag_start: usize, error: &AttrError) -> Located {
    let (position, message) = match error {
        AttrError::ExpectedEq(at) => (*at, "expected '=' after the attribute name".to_string()),
        AttrError::ExpectedValue(at) => (*at, "expected a quoted value after '='".to_string()),
        AttrError::UnquotedValue(at) => (
            *at,
            "the attribute value is not in quotes: write name=\"value\"".to_string(),
        ),
        AttrError::ExpectedQuote(at, quote) => (
            *at,
            format!(
                "the value is not closed: add the closing {}",
                *quote as char
            ),
        ),
        AttrError::Duplicated(at, _) => (
            *at,
            "the attribute appears twice in this element: keep one".to_string(),
        ),
    };
    xml_error(text, tag_start + 1 + position, message)
}

/// Reads `text` as XML and stops at the first well-formedness error, with its position.
pub(crate) fn read_xml(text: &str) -> Result<XmlFacts, Located> {
    let mut reader = Reader::from_str(text);
    let mut facts = XmlFacts::default();
    let mut open: Vec<usize> = Vec::new();
    let mut root_seen = false;
    loop {
        let start = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = reader.read_event().map_err(|error| {
            let at = usize::try_from(reader.error_position()).unwrap_or(start);
            xml_error(text, at, error.to_string())
        })?;
        match event {
            Event::Start(ref tag) | Event::Empty(ref tag) => {
                let name = String::from_utf8_lossy(tag.name().as_ref()).into_owned();
                if open.is_empty() && root_seen {
                    return Err(xml_error(
                        text,
                        start,
                        format!("a second root element <{name}>: a file has exactly one root"),
                    ));
                }
                root_seen = true;
                let mut attributes = Vec::new();
                for attribute in tag.attributes() {
                    let attribute = attribute.map_err(|e| attribute_error(text, start, &e))?;
                    let value = attribute
                        .normalized_value(XmlVersion::Implicit1_0)
                        .map_err(|e| xml_error(text, start, e.to_string()))?;
                    attributes.push((
                        String::from_utf8_lossy(attribute.key.as_ref()).into_owned(),
                        value.into_owned(),
                    ));
                }
                facts.elements.push(Element {
                    name,
                    attributes,
                    at: start,
                    parent: open.last().copied(),
                });
                if matches!(event, Event::Start(_)) {
                    open.push(facts.elements.len() - 1);
                }
            }
            Event::End(_) => {
                open.pop();
            }
            Event::Text(ref content) if open.is_empty() => {
                let bytes: &[u8] = content.as_ref();
                if !bytes.iter().all(u8::is_ascii_whitespace) {
                    return Err(xml_error(
                        text,
                        start,
                        "text outside the root element: put it inside an element or a comment",
                    ));
                }
            }
            Event::CData(_) if open.is_empty() => {
                return Err(xml_error(text, start, "CDATA outside the root element"));
            }
            Event::GeneralRef(ref reference) => {
                let name = String::from_utf8_lossy(reference.as_ref()).into_owned();
                if open.is_empty() {
                    return Err(xml_error(text, start, "an entity outside the root element"));
                }
                if reference.is_char_ref() {
                    if !matches!(reference.resolve_char_ref(), Ok(Some(_))) {
                        return Err(xml_error(
                            text,
                            start,
                            format!("&{name}; is not a valid character reference"),
                        ));
                    }
                } else if !matches!(name.as_str(), "amp" | "lt" | "gt" | "quot" | "apos") {
                    return Err(xml_error(
                        text,
                        start,
                        format!("unknown entity &{name};: write &amp; for a literal &"),
                    ));
                }
            }
            Event::Decl(ref declaration) => {
                if let Some(Ok(encoding)) = declaration.encoding() {
                    facts.encoding = Some(String::from_utf8_lossy(&encoding).into_owned());
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(&unclosed) = open.last() {
        let element = &facts.elements[unclosed];
        return Err(xml_error(
            text,
            element.at,
            format!(
                "<{}> is never closed: add </{}>",
                element.name, element.name
            ),
        ));
    }
    if !root_seen {
        return Err(xml_error(text, text.len(), "no root element"));
    }
    Ok(facts)
}

fn child_of<'a>(facts: &'a XmlFacts, parent: usize, name: &str) -> Option<(usize, &'a Element)> {
    facts
        .elements
        .iter()
        .enumerate()
        .find(|(_, element)| element.parent == Some(parent) && element.name == name)
}

/// The elements a format needs, and the encoding it is written in.
pub(crate) fn check_structure(format: ConfigFormat, facts: &XmlFacts, text: &str) -> Vec<Located> {
    let mut problems = Vec::new();
    let spec = format.spec();
    let format_label = spec.name.to_string();
    let expected_encoding = spec.encoding.name();
    // XML without a declaration is UTF-8, so only a UTF-8 format may leave it out.
    let accepts_none = spec.encoding == Encoding::Utf8;
    match &facts.encoding {
        Some(found) if !found.eq_ignore_ascii_case(expected_encoding) => {
            problems.push(Located::at(
                text,
                0,
                Problem::WrongEncoding {
                    found: found.clone(),
                    expected: expected_encoding,
                    format: format_label.clone(),
                },
            ));
        }
        None if !accepts_none => problems.push(Located::at(
            text,
            0,
            Problem::WrongEncoding {
                found: "none (so UTF-8)".into(),
                expected: expected_encoding,
                format: format_label.clone(),
            },
        )),
        _ => {}
    }
    let (Some(root_name), Some(settings)) = (spec.root, spec.settings) else {
        return problems;
    };
    let Some(root) = facts.elements.first() else {
        problems.push(Located::anywhere(Problem::NoRoot {
            format: format_label,
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
                format: format_label,
            },
        ));
        return problems;
    }
    if format == ConfigFormat::Provisioning11 {
        if root.attribute("version") != Some("1.1") {
            problems.push(Located::at(
                text,
                root.at,
                Problem::MissingAttribute {
                    element: root.name.clone(),
                    attribute: "version",
                    hint: "write version=\"1.1\"",
                },
            ));
        }
        if root.attribute("productID").is_none() {
            problems.push(Located::at(
                text,
                root.at,
                Problem::MissingAttribute {
                    element: root.name.clone(),
                    attribute: "productID",
                    hint: "write productID=\"{{product_id}}\"",
                },
            ));
        }
    }
    match child_of(facts, 0, settings.element) {
        None => problems.push(Located::at(
            text,
            root.at,
            Problem::MissingElement {
                element: settings.element,
                hint: settings.described,
            },
        )),
        Some((index, _)) if format == ConfigFormat::ProviderFrame => {
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
        }
        Some(_) => {}
    }
    problems
}

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

/// What the device itself checks in its file: its MAC, and the model's credential rules.
pub(crate) fn check_for_device(
    format: ConfigFormat,
    model: &ModelSpec,
    mac: &str,
    has_credentials: bool,
    facts: &XmlFacts,
    text: &str,
) -> Vec<Located> {
    let mut problems = Vec::new();
    if format == ConfigFormat::ProviderFrame {
        for (element, value) in param_values(format, facts, "MAC_ADDRESS") {
            if !value.eq_ignore_ascii_case(mac) {
                problems.push(Located::at(
                    text,
                    element.at,
                    Problem::WrongMac {
                        found: value.to_string(),
                        expected: mac.to_string(),
                    },
                ));
            }
        }
    }
    let Some(credentials) = model.credentials else {
        return problems;
    };
    let usernames = param_values(format, facts, credentials.username_param);
    let passwords = param_values(format, facts, credentials.password_param);
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
            for (element, value) in values.iter() {
                let length = value.chars().count();
                if length > limit {
                    problems.push(Located::at(
                        text,
                        element.at,
                        Problem::TooLong {
                            param,
                            length,
                            limit,
                            model: model.name,
                        },
                    ));
                }
            }
        }
    }
    if let Some(required) = model.password_requires
        && !passwords.is_empty()
    {
        let settings = param_values(format, facts, required.param);
        if settings.is_empty() {
            problems.push(Located::at(
                text,
                passwords[0].0.at,
                Problem::PasswordCondition {
                    param: required.param,
                    found: "not set (0)".into(),
                    required: required.value,
                    password: credentials.password_param,
                    model: model.name,
                },
            ));
        }
        for (element, value) in settings {
            if value != required.value {
                problems.push(Located::at(
                    text,
                    element.at,
                    Problem::PasswordCondition {
                        param: required.param,
                        found: value.to_string(),
                        required: required.value,
                        password: credentials.password_param,
                        model: model.name,
                    },
                ));
            }
        }
    }
    problems
}

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
                let filler = if *variable == Variable::Credentials {
                    ' '
                } else {
                    'x'
                };
                out.extend(std::iter::repeat_n(filler, span.len()));
            }
        }
    }
    out
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
            Ok(facts) => problems.extend(check_structure(format, &facts, &filled)),
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
    fn xml_errors_point_at_the_place() {
        let error = read_xml("<a>\n  <b></c>\n</a>").unwrap_err();
        assert_eq!(
            error.at.map(|p| (p.line, p.column)),
            Some((2, 6)),
            "{error}"
        );
        let unclosed = read_xml("<a>\n<b>").unwrap_err();
        assert_eq!(unclosed.at.map(|p| p.line), Some(2), "{unclosed}");
        assert!(read_xml("<a/><b/>").is_err());
        assert!(read_xml("<a>&nbsp;</a>").is_err());
        assert!(read_xml("").is_err());
        assert!(read_xml("<a>&amp;&#233;</a>").is_ok());
    }

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
}
