//! XML tags read leniently for the passwords they hold: the `value` and the text of an element
//! named for a password (`<S_PROV_PASSWORD value="…"/>`, `<password>…</password>`), of one whose
//! naming attribute names a password (`<param name="…Password" value="…"/>`,
//! `<SYMB_ITEM ID="…PASSWORD_1" value='"…"'/>`), and an attribute named for a password.
//!
//! Not a parser: a broken tag ends at the next `<` (no well-formed attribute holds one) and
//! scanning goes on from there, so malformed or hostile text neither hides what follows nor
//! costs more than a pass or two over the text.
//!
//! Files are written by hand and by scripts that do not escape: a password holding a quote or a
//! `<` (`value="ab"cd"`, `value=""secret""` from a spreadsheet's doubled quotes) breaks its tag.
//! Where a password's value does not end the way a well-formed one does, the rest of its line is
//! masked too: too much of a broken line hidden costs a look at the file, a password shown
//! costs the password.

use std::ops::Range;

use super::orderly::is_orderly;
use super::{inner, is_password_name};

/// Attributes that name the setting an element holds (`<param name="…">`, `<SYMB_ITEM ID="…">`).
const NAMING_ATTRIBUTES: [&str; 4] = ["name", "id", "key", "param"];

/// A CDATA section: a password element's text may be written in one.
const CDATA_OPEN: &str = "<![CDATA[";
const CDATA_CLOSE: &str = "]]>";

/// How far past a broken password value the mask runs when its line goes on longer, and how far
/// a password element's text is searched for its end tag: far past any password, and a bound
/// that keeps a text of nothing but broken tags linear to scan.
const RUN_ON: usize = 1024;

/// One attribute as read: where its name and its value (inside the quotes) stand.
struct Attribute {
    name: Range<usize>,
    value: Option<Value>,
}

/// An attribute's value as read.
struct Value {
    span: Range<usize>,
    end: ValueEnd,
}

/// How a value ended, which says how much of its line a password there takes.
#[derive(Clone, Copy, PartialEq)]
enum ValueEnd {
    /// The way a well-formed value ends: a closing quote (or, unquoted, a blank) followed by a
    /// blank or the tag's end, with no stray quote left before the next tag.
    Clean,
    /// At a quote followed by more of the value (`"ab"cd"`), or unquoted with a quote in it.
    Stray,
    /// At a `<` before any closing quote, or at the end of its line with neither.
    BrokenOff,
}

/// A start tag as read.
struct Tag {
    name: Range<usize>,
    attributes: Vec<Attribute>,
    /// Where scanning goes on: after the `>`, or at the `<` that broke the tag off.
    end: usize,
    /// Closed by `>` (not `/>`, not broken off): text may follow as its content.
    has_content: bool,
}

/// Pushes the span of every password value the tags of `text` hold.
pub(super) fn tag_passwords(text: &str, spans: &mut Vec<Range<usize>>) {
    let mut at = 0;
    while let Some(found) = text[at..].find('<') {
        let open = at + found;
        at = match read_tag(text, open) {
            Some(tag) => password_spans(text, &tag, spans),
            None => open + 1,
        };
    }
}

fn is_name_byte(b: u8) -> bool {
    !(b.is_ascii_whitespace() || b"<>/='\"".contains(&b))
}

fn skip_blanks(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i
}

fn name_end(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(|&b| is_name_byte(b)) {
        i += 1;
    }
    i
}

/// The start tag at `open` (a `<`); `None` for an end tag, a comment, a declaration or a `<`
/// without a name. A tag that never closes ends at the next `<` or at the end of the text.
fn read_tag(text: &str, open: usize) -> Option<Tag> {
    let bytes = text.as_bytes();
    if matches!(bytes.get(open + 1), Some(b'!' | b'?')) {
        return None;
    }
    let name = open + 1..name_end(bytes, open + 1);
    if name.is_empty() {
        return None;
    }
    let mut attributes = Vec::new();
    let mut i = name.end;
    let (end, has_content) = loop {
        i = skip_blanks(bytes, i);
        match bytes.get(i) {
            None => break (i, false),
            Some(b'>') => break (i + 1, true),
            Some(b'<') => break (i, false),
            Some(b'/') if bytes.get(i + 1) == Some(&b'>') => break (i + 2, false),
            Some(&b) if !is_name_byte(b) => i += 1,
            Some(_) => {
                let attribute_name = i..name_end(bytes, i);
                i = skip_blanks(bytes, attribute_name.end);
                let value = (bytes.get(i) == Some(&b'=')).then(|| {
                    let (value, next) = read_value(text, skip_blanks(bytes, i + 1));
                    i = next;
                    value
                });
                attributes.push(Attribute {
                    name: attribute_name,
                    value,
                });
            }
        }
    };
    Some(Tag {
        name,
        attributes,
        end,
        has_content,
    })
}

/// An attribute's value starting at `i`, and where reading goes on. Quoted: up to the closing
/// quote, or up to a `<` that comes first (the tag is broken off there), or, with neither, to
/// the end of its line. Unquoted: up to a blank, `>`, `/>` or `<`.
fn read_value(text: &str, i: usize) -> (Value, usize) {
    let bytes = text.as_bytes();
    match bytes.get(i) {
        Some(&quote @ (b'"' | b'\'')) => {
            let start = i + 1;
            match text[start..].find([char::from(quote), '<']) {
                Some(len) if bytes[start + len] == quote => {
                    let after = start + len + 1;
                    let end = ValueEnd::after(ends_cleanly(text, after));
                    (
                        Value {
                            span: start..start + len,
                            end,
                        },
                        after,
                    )
                }
                Some(len) => (
                    Value {
                        span: start..start + len,
                        end: ValueEnd::BrokenOff,
                    },
                    start + len,
                ),
                None => {
                    let end = run_on(text, start);
                    let span = start..end;
                    (
                        Value {
                            span,
                            end: ValueEnd::BrokenOff,
                        },
                        end,
                    )
                }
            }
        }
        _ => {
            let mut end = text[i..]
                .find(|c: char| c.is_whitespace() || c == '>' || c == '<')
                .map_or(text.len(), |len| i + len);
            if end > i && bytes[end - 1] == b'/' && bytes.get(end) == Some(&b'>') {
                end -= 1;
            }
            let clean = !text[i..end].contains(['"', '\'']) && ends_cleanly(text, end);
            let value_end = ValueEnd::after(clean);
            (
                Value {
                    span: i..end,
                    end: value_end,
                },
                end,
            )
        }
    }
}

/// Whether a value ending at `at` ends as a well-formed one does: at a blank, the tag's end or
/// the end of the text, with the rest of its line in order (a stray quote there is the rest of
/// a value that held a quote).
fn ends_cleanly(text: &str, at: usize) -> bool {
    let starts_well = match text.as_bytes()[at..] {
        [] | [b'>', ..] | [b'/' | b'?', b'>', ..] => true,
        [b, ..] => b.is_ascii_whitespace(),
    };
    starts_well && is_orderly(&text[at..run_on(text, at)])
}

/// Pushes the spans of the passwords `tag` holds and returns where scanning goes on: after the
/// tag, or after a password's text (a CDATA section in it is not read for tags).
fn password_spans(text: &str, tag: &Tag, spans: &mut Vec<Range<usize>>) -> usize {
    let at = |range: &Range<usize>| &text[range.clone()];
    let holds_password = is_password_name(at(&tag.name))
        || tag.attributes.iter().any(|attribute| {
            NAMING_ATTRIBUTES
                .iter()
                .any(|naming| at(&attribute.name).eq_ignore_ascii_case(naming))
                && attribute
                    .value
                    .as_ref()
                    .is_some_and(|value| is_password_name(at(&value.span)))
        });
    for attribute in &tag.attributes {
        let name = at(&attribute.name);
        let is_value = holds_password && name.eq_ignore_ascii_case("value");
        match &attribute.value {
            Some(value) if is_value || is_password_name(name) => {
                spans.push(masked_value(text, value))
            }
            // `value"…"`: the `=` is missing and what follows is the password.
            None if is_value => spans.push(attribute.name.end..run_on(text, attribute.name.end)),
            _ => {}
        }
    }
    if holds_password && tag.has_content {
        content(text, at(&tag.name), tag.end, spans)
    } else {
        tag.end
    }
}

impl ValueEnd {
    fn after(clean: bool) -> Self {
        if clean { Self::Clean } else { Self::Stray }
    }
}

/// What a password value takes: itself when it ended cleanly; with the rest of the line it ends
/// on when it did not. A value broken off at a `<` on a later line than its own was a value
/// left open, and the `<` begins the next tag: it takes itself only.
fn masked_value(text: &str, value: &Value) -> Range<usize> {
    let span = value.span.clone();
    match value.end {
        ValueEnd::Clean => inner(text, span),
        ValueEnd::BrokenOff if text[span.clone()].contains('\n') => span,
        ValueEnd::Stray | ValueEnd::BrokenOff => span.start..run_on(text, span.end),
    }
}

/// The end of the line `from` stands on, or [`RUN_ON`] bytes on if that comes first.
fn run_on(text: &str, from: usize) -> usize {
    let limit = within_run_on(text, from);
    text[from..limit].find('\n').map_or(limit, |len| from + len)
}

/// [`RUN_ON`] bytes past `from`, or the end of the text, on a character's boundary.
fn within_run_on(text: &str, from: usize) -> usize {
    text.floor_char_boundary(from.saturating_add(RUN_ON).min(text.len()))
}

/// Pushes the span of the text of the password element `name` starting at `start` and returns
/// where scanning goes on. The text is a leaf: it runs to the element's own end tag, whatever
/// it holds (a `<` in a password is not a tag), or, where no end tag follows near enough, to the
/// end of the line its text starts on. A CDATA section that closes where the text ends (at the
/// end tag, or with nothing more on its line) is masked inside its markers.
fn content(text: &str, name: &str, start: usize, spans: &mut Vec<Range<usize>>) -> usize {
    let first = skip_blanks(text.as_bytes(), start);
    let end_tag = end_tag(text, name, start);
    if let Some(inside) = cdata_inside(text, first, end_tag) {
        spans.push(inside.clone());
        return inside.end + CDATA_CLOSE.len();
    }
    let end = match end_tag {
        Some(end) => end,
        None if first == text.len() => first,
        None => run_on(text, first),
    };
    spans.push(inner(text, start..end));
    end
}

/// The inside of the CDATA section at `first` when it is the element's whole text: its first
/// `]]>` is followed by the end tag, or by nothing on its line where there is none (a password
/// holding `]]>` ends the section early, and is then masked as text up to the end tag).
fn cdata_inside(text: &str, first: usize, end_tag: Option<usize>) -> Option<Range<usize>> {
    let inside = first + CDATA_OPEN.len();
    if !text[first..].starts_with(CDATA_OPEN) {
        return None;
    }
    let close = inside + text[inside..within_run_on(text, inside)].find(CDATA_CLOSE)?;
    let after = close + CDATA_CLOSE.len();
    let whole = match end_tag {
        Some(end) => text
            .get(after..end)
            .is_some_and(|gap| gap.trim().is_empty()),
        None => text[after..run_on(text, after)].trim().is_empty(),
    };
    whole.then_some(inside..close)
}

/// Where the end tag `</name` of a password element stands, searched for up to [`RUN_ON`] bytes
/// past `start` (its name compared ignoring case).
fn end_tag(text: &str, name: &str, start: usize) -> Option<usize> {
    let window = &text[start..within_run_on(text, start)];
    window.match_indices("</").find_map(|(at, _)| {
        let candidate = window.get(at + 2..at + 2 + name.len())?;
        candidate.eq_ignore_ascii_case(name).then_some(start + at)
    })
}
