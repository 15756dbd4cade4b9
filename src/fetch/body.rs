//! How a fetched body is shown: XML indented so a person can read a configuration file, other
//! text as it came, binary data as a size.

use std::borrow::Cow;

use quick_xml::events::Event as XmlEvent;
use quick_xml::{Reader, Writer};

use super::events::ReceivedResponse;

/// The body as text for the log: indented XML when it parses as XML, else the text itself.
/// Says so when the body was cut at the limit.
pub fn display_body(response: &ReceivedResponse) -> String {
    let mut text = body_text(
        &response.body,
        response.header("content-type"),
        !response.truncated,
    );
    if response.truncated {
        text.push_str(&format!(
            "\n… ({} of {} bytes shown)",
            response.body.len(),
            response.body_size
        ));
    }
    text
}

/// Bytes of a body as readable text: UTF-8 when they are, else Windows-1252 (a superset of the
/// ISO-8859-1 that N510/N720 files declare, so umlauts read right); XML indented; binary data
/// named by its size. With `whole` false (only the start is shown), a character cut in two at
/// the end is dropped instead of turning the whole text into Windows-1252.
pub fn body_text(bytes: &[u8], content_type: Option<&str>, whole: bool) -> String {
    if bytes.contains(&0) {
        return format!("({} bytes of binary data)", bytes.len());
    }
    let text = decode(bytes, whole);
    if looks_like_xml(&text, content_type) {
        match pretty_xml(text.as_bytes()) {
            Ok(pretty) => pretty,
            Err(why) => match why.note() {
                Some(note) => format!("{note}\n{text}"),
                None => text.into_owned(),
            },
        }
    } else {
        text.into_owned()
    }
}

fn decode(bytes: &[u8], whole: bool) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(error) if !whole && error.error_len().is_none() => {
            Cow::Borrowed(std::str::from_utf8(&bytes[..error.valid_up_to()]).unwrap_or_default())
        }
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0,
    }
}

fn looks_like_xml(text: &str, content_type: Option<&str>) -> bool {
    content_type.is_some_and(|t| t.to_ascii_lowercase().contains("xml"))
        || text.trim_start().starts_with('<')
}

/// Elements nested deeper than this are not indented: the indentation of one line grows with
/// its depth, so a body of nothing but nested elements would grow quadratically (180 KB of
/// nested `<a>` made 3.6 GB). Configuration files nest a handful of levels.
pub const MAX_INDENT_DEPTH: usize = 32;

/// The indented text may be at most this many times the body (plus a little): with the depth
/// cap it cannot grow past ~17×, this keeps it well below.
const MAX_GROWTH: usize = 8;

/// Why XML is shown as it came instead of indented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotIndented {
    /// Not well-formed XML (or not XML at all).
    Malformed,
    /// Elements nest deeper than [`MAX_INDENT_DEPTH`], or indenting would grow the text past
    /// [`MAX_GROWTH`] times the body.
    TooDeep,
}

impl NotIndented {
    /// The note shown above a body left as it came, `None` where none is needed.
    pub fn note(self) -> Option<String> {
        match self {
            NotIndented::Malformed => None,
            NotIndented::TooDeep => Some(format!(
                "(shown as received, not indented: the XML nests more than {MAX_INDENT_DEPTH} \
                 elements deep, and indenting it would make the text many times the body)"
            )),
        }
    }
}

/// Re-indents XML by two spaces, in time and space linear in the body: [`NotIndented`] says
/// why not (not well-formed, or nested too deep to indent).
pub fn pretty_xml(body: &[u8]) -> Result<String, NotIndented> {
    let mut reader = Reader::from_reader(body);
    reader.config_mut().trim_text(true);
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    let mut buffer = Vec::new();
    let budget = body.len().saturating_mul(MAX_GROWTH).saturating_add(4096);
    let mut depth = 0usize;
    loop {
        let event = reader
            .read_event_into(&mut buffer)
            .map_err(|_| NotIndented::Malformed)?;
        match &event {
            XmlEvent::Eof => break,
            XmlEvent::Start(_) => depth += 1,
            XmlEvent::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > MAX_INDENT_DEPTH {
            return Err(NotIndented::TooDeep);
        }
        writer
            .write_event(event)
            .map_err(|_| NotIndented::Malformed)?;
        if writer.get_ref().len() > budget {
            return Err(NotIndented::TooDeep);
        }
        buffer.clear();
    }
    String::from_utf8(writer.into_inner()).map_err(|_| NotIndented::Malformed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_is_indented_and_broken_xml_is_refused() {
        let pretty = pretty_xml(b"<a><b x=\"1\">t</b><c/></a>").unwrap();
        assert_eq!(pretty, "<a>\n  <b x=\"1\">t</b>\n  <c/>\n</a>");
        assert_eq!(pretty_xml(b"<a><b></a>"), Err(NotIndented::Malformed));
    }

    #[test]
    fn latin1_and_cut_bodies_decode() {
        assert_eq!(body_text(b"Gr\xfc\xdfe", None, true), "Grüße");
        assert_eq!(body_text("Grüße".as_bytes(), None, true), "Grüße");
        let cut = &"Grüße".as_bytes()[..3];
        assert_eq!(body_text(cut, None, false), "Gr", "a cut ü is dropped");
        assert_eq!(
            body_text(cut, None, true),
            "GrÃ",
            "a whole body keeps every byte"
        );
        assert_eq!(body_text(b"a\0b", None, true), "(3 bytes of binary data)");
        let xml = body_text(
            b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a><b>Gr\xfc\xdfe</b></a>",
            None,
            true,
        );
        assert_eq!(
            xml,
            "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<a>\n  <b>Grüße</b>\n</a>"
        );
    }

    /// Issue 11, defect 1: 180 KB of nested `<a>` made 3.6 GB of indented text. A body nested
    /// 4,000 deep (28 KB) made 32 MB before; now it is shown as it came, with the reason.
    #[test]
    fn deep_nesting_is_not_indented_and_the_text_stays_linear() {
        let depth = 4_000;
        let body = format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
        assert_eq!(pretty_xml(body.as_bytes()), Err(NotIndented::TooDeep));
        let shown = body_text(body.as_bytes(), Some("text/xml"), true);
        assert!(
            shown.len() <= body.len() + 200,
            "{} bytes shown for a {}-byte body",
            shown.len(),
            body.len()
        );
        assert!(shown.contains("nests more than 32"), "{}", &shown[..200]);
        assert!(shown.ends_with(&body), "the body as received");
    }

    #[test]
    fn nesting_up_to_the_cap_is_indented_within_the_growth_bound() {
        let depth = MAX_INDENT_DEPTH;
        let body = format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
        let pretty = pretty_xml(body.as_bytes()).unwrap();
        assert!(pretty.contains(&format!("\n{}<a>", " ".repeat(2 * (depth - 1)))));
        let body = format!("{}{}", "<a>".repeat(depth + 1), "</a>".repeat(depth + 1));
        assert_eq!(pretty_xml(body.as_bytes()), Err(NotIndented::TooDeep));
        // Many shallow empty elements: linear, within MAX_GROWTH.
        let flat = format!("<r>{}</r>", "<b><a/></b>".repeat(20_000));
        let pretty = pretty_xml(flat.as_bytes()).unwrap();
        assert!(pretty.len() <= flat.len() * MAX_GROWTH + 4096);
    }
}
