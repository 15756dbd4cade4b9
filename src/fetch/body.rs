//! How a fetched body is shown: XML indented so a person can read a configuration file, other
//! text as it came, binary data as a size.

use std::borrow::Cow;

use quick_xml::events::{BytesText, Event as XmlEvent};
use quick_xml::{Reader, Writer};

/// What follows the text of a body cut at the limit: how much of it is shown.
pub(super) fn cut_note(kept: usize, size: usize) -> String {
    format!("\n… ({kept} of {size} bytes shown)")
}

/// Bytes of a body as readable text: UTF-8 when they are, else Windows-1252 (a superset of the
/// ISO-8859-1 that N510/N720 files declare, so umlauts read right); XML indented; binary data
/// named by its size. With `whole` false (only the start is shown), a character cut in two at
/// the end is dropped instead of turning the whole text into Windows-1252.
pub fn body_text(bytes: &[u8], content_type: Option<&str>, whole: bool) -> String {
    match decoded(bytes, whole) {
        Some(text) => laid_out(&text, content_type),
        None => binary(bytes),
    }
}

/// A body's text before it is laid out, `None` for binary data: what passwords are masked in
/// before indenting, since indenting may split a value over lines or join it to another.
pub(super) fn decoded(bytes: &[u8], whole: bool) -> Option<Cow<'_, str>> {
    (!bytes.contains(&0)).then(|| decode(bytes, whole))
}

/// How binary data is shown: by its size.
pub(super) fn binary(bytes: &[u8]) -> String {
    format!("({} bytes of binary data)", bytes.len())
}

/// A body's decoded text as shown: XML indented, anything else as it is.
pub(super) fn laid_out(text: &str, content_type: Option<&str>) -> String {
    if !looks_like_xml(text, content_type) {
        return text.to_string();
    }
    match pretty_xml(text.as_bytes()) {
        Ok(pretty) => pretty,
        Err(why) => match why.note() {
            Some(note) => format!("{note}\n{text}"),
            None => text.to_string(),
        },
    }
}

/// A body's decoded text indented, `None` where [`laid_out`] shows it as it is.
pub(super) fn indented(text: &str, content_type: Option<&str>) -> Option<String> {
    looks_like_xml(text, content_type)
        .then(|| pretty_xml(text.as_bytes()).ok())
        .flatten()
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
/// why not (not well-formed, or nested too deep to indent). A text and the entity references in
/// it stay one run on one line (quick-xml hands them out as separate events, and its writer
/// would break the line before a reference that follows another), and text outside the root
/// element goes on a line of its own instead of being glued to the closing tag.
pub fn pretty_xml(body: &[u8]) -> Result<String, NotIndented> {
    let mut reader = Reader::from_reader(body);
    let mut out = Indenter {
        writer: Writer::new_with_indent(Vec::new(), b' ', 2),
        run: Vec::new(),
        depth: 0,
        wrote: false,
        break_next: false,
    };
    let mut buffer = Vec::new();
    let budget = body.len().saturating_mul(MAX_GROWTH).saturating_add(4096);
    loop {
        let event = reader
            .read_event_into(&mut buffer)
            .map_err(|_| NotIndented::Malformed)?;
        match &event {
            XmlEvent::Eof => break,
            XmlEvent::Text(text) => out.run.extend_from_slice(text),
            XmlEvent::GeneralRef(name) => {
                out.run.push(b'&');
                out.run.extend_from_slice(name);
                out.run.push(b';');
            }
            _ => out.write(event)?,
        }
        if out.depth > MAX_INDENT_DEPTH || out.writer.get_ref().len() > budget {
            return Err(NotIndented::TooDeep);
        }
        buffer.clear();
    }
    out.write_run()?;
    String::from_utf8(out.writer.into_inner()).map_err(|_| NotIndented::Malformed)
}

/// The indenting writer, and the run of text and entity references not written yet.
struct Indenter {
    writer: Writer<Vec<u8>>,
    run: Vec<u8>,
    depth: usize,
    /// The writer has written an event: it breaks the line before the next tag itself.
    wrote: bool,
    /// Text before the root was written first: the next tag goes on a line of its own.
    break_next: bool,
}

impl Indenter {
    /// Writes a markup event, after the text before it.
    fn write(&mut self, event: XmlEvent) -> Result<(), NotIndented> {
        self.write_run()?;
        match &event {
            XmlEvent::Start(_) => self.depth += 1,
            XmlEvent::End(_) => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
        if std::mem::take(&mut self.break_next) {
            self.writer.get_mut().push(b'\n');
        }
        self.wrote = true;
        self.writer
            .write_event(event)
            .map_err(|_| NotIndented::Malformed)
    }

    /// Writes the run of text and entity references, blanks at its ends trimmed (a run of
    /// blanks alone is the layout being replaced): inside an element as one text, outside the
    /// root element on a line of its own.
    fn write_run(&mut self) -> Result<(), NotIndented> {
        let text = String::from_utf8_lossy(self.run.trim_ascii()).into_owned();
        self.run.clear();
        if text.is_empty() {
            return Ok(());
        }
        if self.depth > 0 {
            return self
                .writer
                .write_event(XmlEvent::Text(BytesText::from_escaped(text)))
                .map_err(|_| NotIndented::Malformed);
        }
        let out = self.writer.get_mut();
        if !out.is_empty() {
            out.push(b'\n');
        }
        out.extend_from_slice(text.as_bytes());
        self.break_next = !self.wrote;
        Ok(())
    }
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

    /// Hostile-input review 4, finding 3: `pa&amp;ss&quot;&lt;x&gt;` was split over two
    /// lines, and text after the root glued to the closing tag.
    #[test]
    fn a_text_keeps_its_references_and_text_outside_the_root_has_its_own_line() {
        let pretty = pretty_xml(
            b"note\n<a>\n <b>pa&amp;ss&quot;&lt;x&gt; &#38; y</b>\n</a>\nS_SIP_PASSWORD_1=x",
        )
        .unwrap();
        assert_eq!(
            pretty,
            "note\n<a>\n  <b>pa&amp;ss&quot;&lt;x&gt; &#38; y</b>\n</a>\nS_SIP_PASSWORD_1=x"
        );
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
