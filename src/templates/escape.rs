//! Escaping a value for the place it stands, or refusing it where no escaping can make it safe.

use std::fmt::Write as _;

use super::error::ValueProblem;
use super::syntax::Context;

/// Appends `value` to `out` escaped for `context`. With `latin1`, characters above U+00FF are
/// written as character references, since the file is encoded as ISO-8859-1.
pub(crate) fn escape_into(
    out: &mut String,
    value: &str,
    context: Context,
    latin1: bool,
) -> Result<(), ValueProblem> {
    match context {
        Context::Line => {
            if value.contains(['\n', '\r']) {
                return Err(ValueProblem::LineBreak);
            }
            out.push_str(value);
            Ok(())
        }
        Context::Comment | Context::Raw => {
            if context == Context::Comment && (value.contains("--") || value.ends_with('-')) {
                return Err(ValueProblem::CommentEnd);
            }
            if context == Context::Raw && (value.contains("]]>") || value.contains("?>")) {
                return Err(ValueProblem::RawEnd);
            }
            for c in value.chars() {
                check_xml_char(c)?;
                if latin1 && u32::from(c) > 0xFF {
                    return Err(ValueProblem::NotLatin1(c));
                }
            }
            out.push_str(value);
            Ok(())
        }
        Context::Text | Context::Attribute | Context::SymbItem => {
            if context == Context::SymbItem && value.contains('"') {
                return Err(ValueProblem::QuoteInSymbItem);
            }
            for c in value.chars() {
                check_xml_char(c)?;
                match c {
                    '&' => out.push_str("&amp;"),
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    '"' => out.push_str("&quot;"),
                    '\'' => out.push_str("&apos;"),
                    // Parsers turn a raw line break in an attribute into a blank.
                    '\n' | '\r' | '\t' if context != Context::Text => {
                        let _ = write!(out, "&#{};", u32::from(c));
                    }
                    c if latin1 && u32::from(c) > 0xFF => {
                        let _ = write!(out, "&#{};", u32::from(c));
                    }
                    c => out.push(c),
                }
            }
            Ok(())
        }
    }
}

/// XML 1.0 allows tab, line feed and carriage return, and no other control character.
fn check_xml_char(c: char) -> Result<(), ValueProblem> {
    let code = u32::from(c);
    if (code < 0x20 && !matches!(c, '\t' | '\n' | '\r')) || code == 0xFFFE || code == 0xFFFF {
        Err(ValueProblem::ControlCharacter(code))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(value: &str, context: Context, latin1: bool) -> Result<String, ValueProblem> {
        let mut out = String::new();
        escape_into(&mut out, value, context, latin1).map(|()| out)
    }

    #[test]
    fn attributes_and_text_escape_markup() {
        assert_eq!(
            escaped("a<b>&\"c'", Context::Attribute, false).unwrap(),
            "a&lt;b&gt;&amp;&quot;c&apos;"
        );
        assert_eq!(
            escaped("x\ny", Context::Attribute, false).unwrap(),
            "x&#10;y"
        );
        assert_eq!(escaped("x\ny", Context::Text, false).unwrap(), "x\ny");
        assert_eq!(escaped("€", Context::Attribute, true).unwrap(), "&#8364;");
        assert_eq!(escaped("é", Context::Attribute, true).unwrap(), "é");
    }

    #[test]
    fn unsafe_values_are_refused_by_context() {
        assert_eq!(
            escaped("say \"hi\"", Context::SymbItem, false),
            Err(ValueProblem::QuoteInSymbItem)
        );
        assert_eq!(
            escaped("it's", Context::SymbItem, false).unwrap(),
            "it&apos;s"
        );
        assert_eq!(
            escaped("a--b", Context::Comment, false),
            Err(ValueProblem::CommentEnd)
        );
        assert_eq!(
            escaped("a\nb", Context::Line, false),
            Err(ValueProblem::LineBreak)
        );
        assert_eq!(
            escaped("a\u{1}", Context::Text, false),
            Err(ValueProblem::ControlCharacter(1))
        );
        assert_eq!(
            escaped("]]>", Context::Raw, false),
            Err(ValueProblem::RawEnd)
        );
    }
}
