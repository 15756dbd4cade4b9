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
        pretty_xml(text.as_bytes()).unwrap_or_else(|| text.into_owned())
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

/// Re-indents XML by two spaces; `None` when it is not well-formed (then it is shown as is).
pub fn pretty_xml(body: &[u8]) -> Option<String> {
    let mut reader = Reader::from_reader(body);
    reader.config_mut().trim_text(true);
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    let mut buffer = Vec::new();
    loop {
        match reader.read_event_into(&mut buffer).ok()? {
            XmlEvent::Eof => break,
            event => writer.write_event(event).ok()?,
        }
        buffer.clear();
    }
    String::from_utf8(writer.into_inner()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_is_indented_and_broken_xml_is_refused() {
        let pretty = pretty_xml(b"<a><b x=\"1\">t</b><c/></a>").unwrap();
        assert_eq!(pretty, "<a>\n  <b x=\"1\">t</b>\n  <c/>\n</a>");
        assert!(pretty_xml(b"<a><b></a>").is_none());
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
}
