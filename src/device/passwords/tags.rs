//! XML tags read leniently for the passwords they hold: the `value` and the text of an element
//! named for a password (`<S_PROV_PASSWORD value="…"/>`, `<password>…</password>`), of one whose
//! naming attribute names a password (`<param name="…Password" value="…"/>`,
//! `<SYMB_ITEM ID="…PASSWORD_1" value='"…"'/>`), and an attribute named for a password.
//!
//! Not a parser: a broken tag ends at the next `<` (no well-formed attribute holds one) and
//! scanning goes on from there, so malformed or hostile text neither hides what follows nor
//! costs more than a pass or two over the text.

use std::ops::Range;

use super::{inner, is_password_name};

/// Attributes that name the setting an element holds (`<param name="…">`, `<SYMB_ITEM ID="…">`).
const NAMING_ATTRIBUTES: [&str; 4] = ["name", "id", "key", "param"];

/// A CDATA section: a password element's text may be written in one.
const CDATA_OPEN: &str = "<![CDATA[";
const CDATA_CLOSE: &str = "]]>";

/// One attribute as read: where its name and its value (inside the quotes) stand.
struct Attribute {
    name: Range<usize>,
    value: Option<Range<usize>>,
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
/// quote, or up to a `<` that comes first (the tag is broken off there). Unquoted: up to a
/// blank, `>`, `/>` or `<`.
fn read_value(text: &str, i: usize) -> (Range<usize>, usize) {
    let bytes = text.as_bytes();
    match bytes.get(i) {
        Some(&quote @ (b'"' | b'\'')) => {
            let start = i + 1;
            match text[start..].find([char::from(quote), '<']) {
                Some(len) if bytes[start + len] == quote => (start..start + len, start + len + 1),
                Some(len) => (start..start + len, start + len),
                None => (start..text.len(), text.len()),
            }
        }
        _ => {
            let mut end = text[i..]
                .find(|c: char| c.is_whitespace() || c == '>' || c == '<')
                .map_or(text.len(), |len| i + len);
            if end > i && bytes[end - 1] == b'/' && bytes.get(end) == Some(&b'>') {
                end -= 1;
            }
            (i..end, end)
        }
    }
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
                    .is_some_and(|value| is_password_name(at(value)))
        });
    for attribute in &tag.attributes {
        let Some(value) = &attribute.value else {
            continue;
        };
        let name = at(&attribute.name);
        if (holds_password && name.eq_ignore_ascii_case("value")) || is_password_name(name) {
            spans.push(inner(text, value.clone()));
        }
    }
    if holds_password && tag.has_content {
        content(text, tag.end, spans)
    } else {
        tag.end
    }
}

/// Pushes the span of a password element's text starting at `start` (up to the next tag, or
/// the inside of a CDATA section) and returns where scanning goes on.
fn content(text: &str, start: usize, spans: &mut Vec<Range<usize>>) -> usize {
    let first = skip_blanks(text.as_bytes(), start);
    if text[first..].starts_with(CDATA_OPEN) {
        let inside = first + CDATA_OPEN.len();
        let close = text[inside..]
            .find(CDATA_CLOSE)
            .map_or(text.len(), |len| inside + len);
        spans.push(inside..close);
        return (close + CDATA_CLOSE.len()).min(text.len());
    }
    let end = text[start..]
        .find('<')
        .map_or(text.len(), |len| start + len);
    spans.push(inner(text, start..end));
    end
}
