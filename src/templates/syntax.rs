//! The template syntax: literal text and `{{variable}}`, nothing else. Blanks inside the braces
//! are allowed (`{{ mac }}`); `{{` always starts a variable.
//!
//! Parsing also decides, for each variable, where it stands in the XML (element text, an
//! attribute value, a Gigaset `symb_item` value `'"…"'`, a comment) so the renderer escapes
//! each value for its place and the author never has to.

use std::ops::Range;

use super::error::{Located, Problem};
use super::variables::{Variable, closest_name, known_names};
use crate::device::ConfigFormat;

/// Where a variable stands, which decides how its value is escaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Context {
    /// Between elements or inside element text.
    Text,
    /// Inside an attribute value quoted with `"` or `'`.
    Attribute,
    /// Inside `value='"…"'`: Gigaset's symbolic item quoting, a string in double quotes inside a
    /// single-quoted attribute.
    SymbItem,
    /// Inside `<!-- … -->`.
    Comment,
    /// Inside `<![CDATA[ … ]]>` or a processing instruction, where nothing is unescaped.
    Raw,
    /// A line of a text format (patch file, plain text).
    Line,
}

/// One piece of a parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Part {
    Text(Range<usize>),
    Var {
        variable: Variable,
        context: Context,
        /// The whole `{{ … }}`, in bytes of the source.
        span: Range<usize>,
        /// The blanks before `{{` on its line, when only blanks precede it: a block variable
        /// indents its later lines by them.
        indent: Range<usize>,
    },
}

/// Where the XML scanner is, between variables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scan {
    Text,
    Tag,
    Value { quote: u8, start: usize },
    Comment,
    CData,
    Pi,
}

/// Advances the scanner over literal text `source[range]`.
fn scan(source: &str, range: Range<usize>, mut state: Scan) -> Scan {
    let bytes = source.as_bytes();
    let mut i = range.start;
    while i < range.end {
        let rest = &bytes[i..range.end];
        let (next, step) = match state {
            Scan::Text if rest.starts_with(b"<!--") => (Scan::Comment, 4),
            Scan::Text if rest.starts_with(b"<![CDATA[") => (Scan::CData, 9),
            Scan::Text if rest.starts_with(b"<?") => (Scan::Pi, 2),
            Scan::Text if rest[0] == b'<' => (Scan::Tag, 1),
            Scan::Tag if rest[0] == b'"' || rest[0] == b'\'' => (
                Scan::Value {
                    quote: rest[0],
                    start: i + 1,
                },
                1,
            ),
            Scan::Tag if rest[0] == b'>' => (Scan::Text, 1),
            Scan::Value { quote, .. } if rest[0] == quote => (Scan::Tag, 1),
            Scan::Comment if rest.starts_with(b"-->") => (Scan::Text, 3),
            Scan::CData if rest.starts_with(b"]]>") => (Scan::Text, 3),
            Scan::Pi if rest.starts_with(b"?>") => (Scan::Text, 2),
            other => (other, 1),
        };
        state = next;
        i += step;
    }
    state
}

fn context_of(source: &str, state: Scan) -> Context {
    match state {
        Scan::Text => Context::Text,
        Scan::Tag => Context::Attribute,
        Scan::Value { quote, start } => {
            if quote == b'\'' && source.as_bytes().get(start) == Some(&b'"') {
                Context::SymbItem
            } else {
                Context::Attribute
            }
        }
        Scan::Comment => Context::Comment,
        Scan::CData | Scan::Pi => Context::Raw,
    }
}

/// Why a variable cannot stand in a template of this format, if it cannot.
fn not_for_format(variable: Variable, format: ConfigFormat) -> Option<&'static str> {
    match variable {
        Variable::Credentials if format.spec().settings.is_none() => Some(
            "only ProviderFrame and provisioning 1.1 files carry credential elements; use {{digest_username}} and {{digest_password}}, or {{prov_base_auth}}",
        ),
        Variable::SipAccounts if format.spec().settings.is_none() => Some(
            "only ProviderFrame and provisioning 1.1 files carry SIP account elements; use {{sip_user_1}}, {{sip_password_1}} … where this format wants them",
        ),
        Variable::ProfileName if format != ConfigFormat::ProviderFrame => Some(
            "PROFILE_NAME belongs to ProviderFrame files; other formats name their model otherwise (provisioning 1.1: {{product_id}})",
        ),
        _ => None,
    }
}

/// Splits a template into text and variables, reporting every unknown or malformed variable
/// with its position.
pub(crate) fn parse(source: &str, format: ConfigFormat) -> Result<Vec<Part>, Vec<Located>> {
    let xml = format.spec().xml;
    let mut parts = Vec::new();
    let mut problems = Vec::new();
    let mut state = Scan::Text;
    let mut cursor = 0;
    while let Some(found) = source[cursor..].find("{{") {
        let open = cursor + found;
        if open > cursor {
            parts.push(Part::Text(cursor..open));
            state = scan(source, cursor..open, state);
        }
        let Some(length) = source[open + 2..].find("}}") else {
            problems.push(Located::at(source, open, Problem::Unclosed));
            cursor = source.len();
            break;
        };
        let close = open + 2 + length + 2;
        let context = if xml {
            context_of(source, state)
        } else {
            Context::Line
        };
        let (part, problem) = variable(source, format, open..close, context);
        parts.extend(part);
        problems.extend(problem);
        cursor = close;
    }
    if cursor < source.len() {
        parts.push(Part::Text(cursor..source.len()));
    }
    if problems.is_empty() {
        Ok(parts)
    } else {
        Err(problems)
    }
}

/// The variable `{{ … }}` at `span`, and what is wrong with it. A known variable is kept even
/// where it may not stand, so the rest of the template is still checked around it.
fn variable(
    source: &str,
    format: ConfigFormat,
    span: Range<usize>,
    context: Context,
) -> (Option<Part>, Option<Located>) {
    let open = span.start;
    let inner = &source[open + 2..span.end - 2];
    let name = inner.trim();
    let name_at = open + 2 + (inner.len() - inner.trim_start().len());
    if name.is_empty() {
        return (
            None,
            Some(Located::at(source, open, Problem::EmptyVariable)),
        );
    }
    if name.contains("{{") {
        return (None, Some(Located::at(source, open, Problem::Unclosed)));
    }
    let Some(variable) = Variable::from_name(name) else {
        let unknown = Problem::UnknownVariable {
            name: name.to_string(),
            closest: closest_name(name),
            known: known_names(),
        };
        return (None, Some(Located::at(source, name_at, unknown)));
    };
    let problem = if let Some(why) = not_for_format(variable, format) {
        let problem = Problem::VariableNotForFormat {
            name: name.to_string(),
            format: format.spec().name.to_string(),
            why,
        };
        Some(Located::at(source, name_at, problem))
    } else if variable.is_block() && context != Context::Text {
        Some(Located::at(source, open, Problem::BlockNotBetweenElements))
    } else {
        None
    };
    let part = Part::Var {
        variable,
        context,
        indent: indent_before(source, open),
        span,
    };
    (Some(part), problem)
}

/// The blanks before `open` on its line, when only blanks precede it there.
fn indent_before(source: &str, open: usize) -> Range<usize> {
    let line_start = source[..open].rfind('\n').map_or(0, |i| i + 1);
    if source[line_start..open]
        .bytes()
        .all(|b| b == b' ' || b == b'\t')
    {
        line_start..open
    } else {
        open..open
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contexts(source: &str) -> Vec<Context> {
        parse(source, ConfigFormat::ProviderFrame)
            .unwrap()
            .into_iter()
            .filter_map(|part| match part {
                Part::Var { context, .. } => Some(context),
                Part::Text(_) => None,
            })
            .collect()
    }

    #[test]
    fn each_variable_knows_where_it_stands() {
        assert_eq!(
            contexts(
                "<a x=\"{{mac}}\" y='{{mac}}'>{{mac}}<S class=\"symb_item\" value='\"{{provider}}\"'/>\
                 <!-- {{mac}} --><![CDATA[{{mac}}]]></a>"
            ),
            [
                Context::Attribute,
                Context::Attribute,
                Context::Text,
                Context::SymbItem,
                Context::Comment,
                Context::Raw,
            ]
        );
        assert_eq!(
            parse("a={{mac}}", ConfigFormat::PatchFile)
                .unwrap()
                .iter()
                .filter(|p| matches!(
                    p,
                    Part::Var {
                        context: Context::Line,
                        ..
                    }
                ))
                .count(),
            1
        );
    }

    #[test]
    fn problems_carry_their_position() {
        let errors =
            parse("<a>\n  {{ nope }} {{}}\n{{mac", ConfigFormat::ProviderFrame).unwrap_err();
        let found: Vec<(usize, usize)> = errors
            .iter()
            .map(|e| (e.at.unwrap().line, e.at.unwrap().column))
            .collect();
        assert_eq!(found, [(2, 6), (2, 14), (3, 1)]);
        assert!(
            matches!(errors[0].problem, Problem::UnknownVariable { ref name, .. } if name == "nope")
        );
        assert_eq!(errors[2].problem, Problem::Unclosed);
    }

    #[test]
    fn a_mistyped_variable_names_the_one_it_likely_meant() {
        let cases = [
            ("maac", Some("mac")),
            ("MAC", Some("mac")),
            ("mac_colon", Some("mac_colons")),
            ("porvider", Some("provider")),
            ("nope", None),
            ("x", None),
        ];
        for (typed, meant) in cases {
            let errors = parse(
                &format!("<a>{{{{{typed}}}}}</a>"),
                ConfigFormat::ProviderFrame,
            )
            .unwrap_err();
            let Problem::UnknownVariable { closest, .. } = &errors[0].problem else {
                panic!("{typed}: {:?}", errors[0].problem);
            };
            assert_eq!(*closest, meant, "{typed}");
        }
        let message = parse("{{maac}}", ConfigFormat::PlainText).unwrap_err()[0]
            .problem
            .to_string();
        assert!(
            message
                .starts_with("unknown variable {{maac}}; did you mean {{mac}}? known variables: "),
            "{message}"
        );
    }

    #[test]
    fn credentials_only_between_elements_of_formats_that_have_them() {
        let inside = parse("<a x=\"{{credentials}}\"/>", ConfigFormat::Provisioning11).unwrap_err();
        assert_eq!(inside[0].problem, Problem::BlockNotBetweenElements);
        let wrong_format = parse("{{credentials}}", ConfigFormat::PlainText).unwrap_err();
        assert!(matches!(
            wrong_format[0].problem,
            Problem::VariableNotForFormat { .. }
        ));
    }
}
