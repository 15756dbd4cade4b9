//! What can be wrong with a template or a rendered file, always with a place to look.

use std::fmt;

use serde::Serialize;
use thiserror::Error;

use crate::device::UrlError;

/// A place in a text: 1-based line, 1-based column counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    /// The position of byte `offset` in `text`; an offset inside a character or past the end
    /// counts as the start of that character or the end of the text.
    pub fn at(text: &str, offset: usize) -> Self {
        let offset = text.floor_char_boundary(offset.min(text.len()));
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Self {
            line: before.bytes().filter(|&b| b == b'\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }
}

impl Position {
    /// The byte offset of this position in `text`: the inverse of [`Position::at`], so a problem
    /// found in a rendered file can be traced back to the template text it came from.
    pub(crate) fn offset_in(self, text: &str) -> usize {
        let line_start = text
            .split_inclusive('\n')
            .take(self.line - 1)
            .map(str::len)
            .sum::<usize>();
        let rest = &text[line_start.min(text.len())..];
        line_start
            + rest
                .char_indices()
                .nth(self.column - 1)
                .map_or(rest.len(), |(at, _)| at)
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// One thing wrong with a template or a rendered file. The message names what to do; the place
/// is kept beside it in [`Located`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize)]
pub enum Problem {
    #[error("`{{{{` is never closed: end the variable with `}}}}`")]
    Unclosed,
    #[error("`{{{{}}}}` names no variable: write a name between the braces, e.g. {{{{mac}}}}")]
    EmptyVariable,
    #[error("unknown variable {{{{{name}}}}}; {}known variables: {known}", did_you_mean(*.closest))]
    UnknownVariable {
        name: String,
        /// The known variable the name is one or two typos away from.
        closest: Option<&'static str>,
        known: String,
    },
    #[error("{{{{{name}}}}} cannot be used in a {format} template: {why}")]
    VariableNotForFormat {
        name: String,
        format: String,
        why: &'static str,
    },
    #[error(
        "{{{{credentials}}}} writes whole elements: put it on a line of its own between elements"
    )]
    BlockNotBetweenElements,
    #[error("not well-formed XML: {0}")]
    Xml(String),
    #[error("the file has no root element: a {format} file starts with <{root}>")]
    NoRoot { format: String, root: &'static str },
    #[error("the root element is <{found}>; a {format} file has <{expected}>")]
    WrongRoot {
        found: String,
        expected: &'static str,
        format: String,
    },
    #[error("<{element}> is missing: {hint}")]
    MissingElement {
        element: &'static str,
        hint: &'static str,
    },
    #[error("<{element}> has no {attribute}=\"…\": {hint}")]
    MissingAttribute {
        element: String,
        attribute: &'static str,
        hint: &'static str,
    },
    #[error(
        "the XML declaration says encoding \"{found}\"; a {format} file is written as {expected}, declare encoding=\"{expected}\""
    )]
    WrongEncoding {
        found: String,
        expected: &'static str,
        format: String,
    },
    #[error("'{found}' cannot be written in ISO-8859-1, the encoding of this format; use an XML character reference (&#{code};) instead", code = u32::from(*found))]
    NotLatin1 { found: char },
    #[error(
        "the template never places the digest credentials: add {{{{credentials}}}} inside <{inside}>"
    )]
    CredentialsNotPlaced { inside: &'static str },
    #[error(
        "MAC_ADDRESS is \"{found}\" but the device is {expected}; the device ignores a file for another MAC: use {{{{mac}}}}"
    )]
    WrongMac { found: String, expected: String },
    #[error("{param} has {length} characters; the {model} accepts at most {limit}")]
    TooLong {
        param: &'static str,
        length: usize,
        limit: usize,
        model: &'static str,
    },
    #[error(
        "{param} is \"{found}\" but the {model} takes {password} only with {param} = {required}: remove this setting or set it to {required}"
    )]
    PasswordCondition {
        param: &'static str,
        found: String,
        required: &'static str,
        password: &'static str,
        model: &'static str,
    },
    #[error(
        "this line is not NAME=VALUE: a patch file holds one BS_IP_Data…=value setting per line"
    )]
    PatchLine,
    #[error(
        "<{element}> has class=\"{found}\"; a {prefix}… element has class=\"{expected}\" (the prefix names the type)"
    )]
    WrongClass {
        element: String,
        found: String,
        prefix: &'static str,
        expected: &'static str,
    },
    #[error("<{element}> holds \"{found}\", which is not {expected}")]
    BadTypedValue {
        element: String,
        found: String,
        expected: &'static str,
    },
    #[error(
        "VERSION is \"{found}\"; it is the file's date DDMMYYHHMM (e.g. 1001130101) and must be newer than the last file the device took: use {{{{version}}}}"
    )]
    BadVersion { found: String },
    /// A problem of the file rendered for a device, placed at the template line it came from.
    #[error("the file for {device} would be refused: {problem}")]
    InFileFor {
        device: String,
        problem: Box<Problem>,
    },
    /// Why a device's file could not be rendered at all, where that is not a [`Problem`] of the
    /// text (a variable without a value for the model, say).
    #[error("{0}")]
    NotRendered(String),
    #[error(
        "PROFILE_NAME is \"{found}\" but the {model} takes only \"{expected}\"; with another one it changes nothing: use {{{{profile_name}}}}"
    )]
    WrongProfileName {
        found: String,
        expected: &'static str,
        model: &'static str,
    },
}

/// A problem and where it is, when it has a place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Located {
    pub at: Option<Position>,
    pub problem: Problem,
}

impl Located {
    pub(crate) fn at(text: &str, offset: usize, problem: Problem) -> Self {
        Self {
            at: Some(Position::at(text, offset)),
            problem,
        }
    }

    pub(crate) fn anywhere(problem: Problem) -> Self {
        Self { at: None, problem }
    }
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at {
            Some(at) => write!(
                f,
                "line {}, column {}: {}",
                at.line, at.column, self.problem
            ),
            None => write!(f, "{}", self.problem),
        }
    }
}

/// Every problem found in one text, in order of position.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize)]
#[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct TemplateErrors(pub Vec<Located>);

/// Why a value cannot be placed where the template puts it. Never holds the value itself, which
/// may be a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error, Serialize)]
pub enum ValueProblem {
    #[error("holds a control character (code {0}), which XML cannot carry: remove it")]
    ControlCharacter(u32),
    #[error("holds a line break, which would split the line: remove it")]
    LineBreak,
    #[error("holds a double quote, which would end the symb_item string '\"…\"' early: remove it")]
    QuoteInSymbItem,
    #[error("holds \"--\", which ends an XML comment: move the variable out of the comment")]
    CommentEnd,
    #[error("holds \"]]>\" or \"?>\", which ends the CDATA section or instruction it stands in")]
    RawEnd,
    #[error(
        "holds '{0}', which ISO-8859-1 cannot carry in a comment or CDATA: move the variable out of it"
    )]
    NotLatin1(char),
}

/// Why one device's file was not rendered.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RenderProblem {
    #[error("it has no model: set one (e.g. N510) so provdesk knows its configuration format")]
    NoModel,
    #[error("its model \"{0}\" is not in this build's catalogue: set a known model")]
    UnknownModel(String),
    #[error("{{{{{variable}}}}} has no value: {hint}")]
    MissingValue {
        variable: &'static str,
        hint: &'static str,
    },
    #[error("the value of {{{{{variable}}}}} {problem}")]
    BadValue {
        variable: &'static str,
        problem: ValueProblem,
    },
    #[error("its provisioning URL: {0}")]
    Url(UrlError),
    #[error("the file name \"{name}\" from its provisioning URL {why}")]
    FileName { name: String, why: &'static str },
    #[error("the template \"{template}\" is not valid:\n{errors}")]
    Template {
        template: String,
        errors: TemplateErrors,
    },
    #[error("the rendered {file} would be refused:\n{errors}")]
    Rendered {
        file: String,
        errors: TemplateErrors,
    },
}

/// A device whose file could not be rendered. Never holds a secret value.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("device {mac}: {problem}")]
pub struct RenderError {
    pub mac: String,
    pub problem: RenderProblem,
}

/// "did you mean {{mac}}? " before the list of known variables, when one is that close.
fn did_you_mean(closest: Option<&str>) -> String {
    closest
        .map(|name| format!("did you mean {{{{{name}}}}}? "))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_offset_becomes_a_position_and_back() {
        let text = "ab\nçd€\n\nxyz";
        for offset in text.char_indices().map(|(at, _)| at).chain([text.len()]) {
            assert_eq!(
                Position::at(text, offset).offset_in(text),
                offset,
                "{offset}"
            );
        }
    }
}
