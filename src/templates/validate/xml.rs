//! Reading a rendered file or a filled-in template as XML: the elements with their attributes
//! and places, the declared encoding, and the first well-formedness error with its position.

use quick_xml::events::attributes::AttrError;
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use crate::templates::error::{Located, Problem};

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
    let mut document = Document {
        text,
        facts: XmlFacts::default(),
        open: Vec::new(),
        root_seen: false,
    };
    loop {
        let start = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = reader.read_event().map_err(|error| {
            let at = usize::try_from(reader.error_position()).unwrap_or(start);
            xml_error(text, at, error.to_string())
        })?;
        match event {
            Event::Start(ref tag) => document.element(tag, start, true)?,
            Event::Empty(ref tag) => document.element(tag, start, false)?,
            Event::End(_) => {
                document.open.pop();
            }
            Event::Text(ref content) if document.open.is_empty() => {
                document.text_outside_root(content.as_ref(), start)?;
            }
            Event::CData(_) if document.open.is_empty() => {
                return Err(xml_error(text, start, "CDATA outside the root element"));
            }
            Event::GeneralRef(ref reference) => document.reference(reference, start)?,
            Event::Decl(ref declaration) => {
                if let Some(Ok(encoding)) = declaration.encoding() {
                    document.facts.encoding = Some(String::from_utf8_lossy(&encoding).into_owned());
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    document.finish()
}

/// The document as read so far.
struct Document<'t> {
    text: &'t str,
    facts: XmlFacts,
    /// The elements not closed yet, innermost last.
    open: Vec<usize>,
    root_seen: bool,
}

impl Document<'_> {
    fn element(&mut self, tag: &BytesStart, start: usize, opens: bool) -> Result<(), Located> {
        let text = self.text;
        let name = String::from_utf8_lossy(tag.name().as_ref()).into_owned();
        if self.open.is_empty() && self.root_seen {
            return Err(xml_error(
                text,
                start,
                format!("a second root element <{name}>: a file has exactly one root"),
            ));
        }
        self.root_seen = true;
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
        self.facts.elements.push(Element {
            name,
            attributes,
            at: start,
            parent: self.open.last().copied(),
        });
        if opens {
            self.open.push(self.facts.elements.len() - 1);
        }
        Ok(())
    }

    /// Blanks may stand around the root element; nothing else may.
    fn text_outside_root(&self, bytes: &[u8], start: usize) -> Result<(), Located> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            Ok(())
        } else {
            Err(xml_error(
                self.text,
                start,
                "text outside the root element: put it inside an element or a comment",
            ))
        }
    }

    /// A character reference must name a character; of the entities only XML's own five exist.
    fn reference(&self, reference: &BytesRef, start: usize) -> Result<(), Located> {
        let text = self.text;
        let name = String::from_utf8_lossy(reference.as_ref()).into_owned();
        if self.open.is_empty() {
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
        Ok(())
    }

    fn finish(self) -> Result<XmlFacts, Located> {
        if let Some(&unclosed) = self.open.last() {
            let element = &self.facts.elements[unclosed];
            return Err(xml_error(
                self.text,
                element.at,
                format!(
                    "<{}> is never closed: add </{}>",
                    element.name, element.name
                ),
            ));
        }
        if !self.root_seen {
            return Err(xml_error(self.text, self.text.len(), "no root element"));
        }
        Ok(self.facts)
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
}
