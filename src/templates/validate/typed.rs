//! A ProviderFrame's typed elements: the prefix of a name says its type (`S_` string, `I_`
//! integer, `B_` boolean, Gigaset wiki "The XML provisioning file"), its `class` must say the
//! same, and its value must be one of that type; `VERSION` is a DDMMYYHHMM date. A file that
//! breaks them is ignored by the phone without a word, so a literal value is checked already in
//! the template, where a typo would otherwise break the file of every device.

use super::xml::{Element, XmlFacts};
use crate::templates::error::{Located, Problem};

/// A type prefix and what its elements hold.
struct Typed {
    prefix: &'static str,
    class: &'static str,
    expected: &'static str,
    valid: fn(&str) -> bool,
}

const TYPES: &[Typed] = &[
    Typed {
        prefix: "S_",
        class: "string",
        expected: "a string",
        valid: |_| true,
    },
    Typed {
        prefix: "I_",
        class: "integer",
        expected: "an integer (decimal, or hexadecimal with 0x)",
        valid: is_integer,
    },
    Typed {
        prefix: "B_",
        class: "boolean",
        expected: "a boolean (0, 1, true or false)",
        valid: is_boolean,
    },
];

fn is_integer(value: &str) -> bool {
    let value = value.trim();
    let digits = value.strip_prefix('-').unwrap_or(value);
    match digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        Some(hex) => !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()),
        None => !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()),
    }
}

fn is_boolean(value: &str) -> bool {
    ["0", "1", "true", "false"]
        .iter()
        .any(|allowed| value.trim().eq_ignore_ascii_case(allowed))
}

/// DDMMYYHHMM with a real day, month, hour and minute.
fn is_version(value: &str) -> bool {
    let bytes = value.as_bytes();
    if bytes.len() != 10 || !bytes.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let field = |i: usize| u32::from(bytes[i] - b'0') * 10 + u32::from(bytes[i + 1] - b'0');
    let (day, month, hour, minute) = (field(0), field(2), field(6), field(8));
    (1..=31).contains(&day) && (1..=12).contains(&month) && hour < 24 && minute < 60
}

/// The elements directly inside the settings element at `settings`.
fn settings_children(facts: &XmlFacts, settings: usize) -> impl Iterator<Item = &Element> {
    facts
        .elements
        .iter()
        .filter(move |element| element.parent == Some(settings))
}

fn type_of(element: &Element) -> Option<&'static Typed> {
    TYPES
        .iter()
        .find(|typed| element.name.starts_with(typed.prefix))
}

/// Each typed element's `class` must be its prefix's: checked in templates and rendered files.
pub(crate) fn check_classes(facts: &XmlFacts, settings: usize, text: &str) -> Vec<Located> {
    settings_children(facts, settings)
        .filter_map(|element| {
            let typed = type_of(element)?;
            let class = element.attribute("class").unwrap_or("none");
            (class != typed.class).then(|| {
                Located::at(
                    text,
                    element.at,
                    Problem::WrongClass {
                        element: element.name.clone(),
                        found: class.to_string(),
                        prefix: typed.prefix,
                        expected: typed.class,
                    },
                )
            })
        })
        .collect()
}

/// Each typed value must be of its type, and VERSION a date: checked in rendered files, where
/// the variables hold real values.
pub(crate) fn check_values(facts: &XmlFacts, settings: usize, text: &str) -> Vec<Located> {
    value_problems(facts, settings, text, |_| true)
}

/// The same for a template read as it is written: only the values that hold no variable
/// (`{{`), at the template's own line, so the editor can point at the typo.
pub(crate) fn check_literal_values(facts: &XmlFacts, settings: usize, text: &str) -> Vec<Located> {
    value_problems(facts, settings, text, |value| !value.contains("{{"))
}

fn value_problems(
    facts: &XmlFacts,
    settings: usize,
    text: &str,
    checked: fn(&str) -> bool,
) -> Vec<Located> {
    settings_children(facts, settings)
        .filter(|element| element.attribute("value").is_none_or(checked))
        .filter_map(|element| {
            if element.name == "VERSION" {
                return check_version(element, text);
            }
            let typed = type_of(element)?;
            let value = element.attribute("value")?;
            (element.attribute("class") == Some(typed.class) && !(typed.valid)(value)).then(|| {
                Located::at(
                    text,
                    element.at,
                    Problem::BadTypedValue {
                        element: element.name.clone(),
                        found: crate::printable::printable(value, 40),
                        expected: typed.expected,
                    },
                )
            })
        })
        .collect()
}

fn check_version(element: &Element, text: &str) -> Option<Located> {
    let value = element.attribute("value").unwrap_or_default();
    (!is_version(value)).then(|| {
        Located::at(
            text,
            element.at,
            Problem::BadVersion {
                found: crate::printable::printable(value, 40),
            },
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates::validate::read_xml;

    fn problems(inner: &str, values: bool) -> Vec<Problem> {
        let text = format!("<ProviderFrame><Provider>{inner}</Provider></ProviderFrame>");
        let facts = read_xml(&text).unwrap();
        let mut found = check_classes(&facts, 1, &text);
        if values {
            found.extend(check_values(&facts, 1, &text));
        }
        found.into_iter().map(|located| located.problem).collect()
    }

    #[test]
    fn the_wiki_example_passes() {
        let example = r#"<MAC_ADDRESS value="7C2F80208402"/><VERSION value="1001130101"/>
            <PROFILE_NAME class="string" value="DE410"/>
            <I_PHONE_SYSTEM class="integer" value="2"/>
            <B_REMOTE_MANAGEMENT class="boolean" value="0"/>
            <B_SIP_ACCOUNT_IS_ACTIVE_1 class="boolean" value="true"/>
            <S_SIP_LOGIN_ID_1 class="string" value="LoginID"/>
            <I_SIP_SERVER_PORT_1 class="integer" value="5060"/>
            <SYMB_ITEM ID="BS_IP_Data1.ucB_USE_DHCP" class="symb_item" value="1"/>"#;
        assert_eq!(problems(example, true), []);
    }

    #[test]
    fn a_class_that_contradicts_the_prefix_is_refused() {
        let found = problems(r#"<B_REMOTE_MANAGEMENT class="integer" value="0"/>"#, false);
        assert!(matches!(
            &found[..],
            [Problem::WrongClass {
                expected: "boolean",
                ..
            }]
        ));
        let missing = problems(r#"<I_PHONE_SYSTEM value="2"/>"#, false);
        assert!(matches!(&missing[..], [Problem::WrongClass { .. }]));
    }

    #[test]
    fn values_are_checked_in_rendered_files_and_where_a_template_writes_them_literally() {
        let bad = r#"<B_X class="boolean" value="yes"/><I_Y class="integer" value="5a"/><VERSION value="3213990000"/>"#;
        assert_eq!(problems(bad, false), []);
        let found = problems(bad, true);
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(matches!(found[2], Problem::BadVersion { .. }));
        assert_eq!(problems(r#"<I_X class="integer" value="0x1F"/>"#, true), []);

        let template = "<ProviderFrame><Provider>\n<I_T class=\"integer\" value=\"abc\"/>\n\
            <I_P class=\"integer\" value=\"{{sip_port}}\"/><VERSION value=\"{{version}}\"/>\n\
            </Provider></ProviderFrame>";
        let facts = read_xml(template).unwrap();
        let found = check_literal_values(&facts, 1, template);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].at.map(|at| at.line), Some(2));
        assert!(
            matches!(&found[0].problem, Problem::BadTypedValue { element, .. } if element == "I_T")
        );
    }
}
