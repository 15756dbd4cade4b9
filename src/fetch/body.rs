//! How a fetched body is shown: XML indented so a person can read a configuration file, other
//! text as it came, binary data as a size.

use quick_xml::events::Event as XmlEvent;
use quick_xml::{Reader, Writer};

use super::events::ReceivedResponse;

/// The body as text for the log: indented XML when it parses as XML, else the text itself.
/// Says so when the body was cut at the limit.
pub fn display_body(response: &ReceivedResponse) -> String {
    let mut text = if looks_like_xml(response) {
        pretty_xml(&response.body).unwrap_or_else(|| lossy(&response.body))
    } else if response.body.contains(&0) {
        format!("({} bytes of binary data)", response.body_size)
    } else {
        lossy(&response.body)
    };
    if response.truncated {
        text.push_str(&format!(
            "\n… ({} of {} bytes shown)",
            response.body.len(),
            response.body_size
        ));
    }
    text
}

fn looks_like_xml(response: &ReceivedResponse) -> bool {
    let declared = response
        .header("content-type")
        .is_some_and(|t| t.to_ascii_lowercase().contains("xml"));
    let starts = response
        .body
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'<');
    declared || starts
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

fn lossy(body: &[u8]) -> String {
    String::from_utf8_lossy(body).into_owned()
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
}
