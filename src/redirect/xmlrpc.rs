//! The client's XML-RPC on its fast path: calls written straight into the body, answers read
//! with quick-xml's event reader into dxr's [`Value`].
//!
//! Through dxr's serde path, writing a list call of 100 MAC-IDs and reading its answer was
//! most of the client's own work in a 10,000-device sync. The calls only ever carry strings
//! and arrays of strings, so writing them is short. Reading stays dxr's job wherever this
//! reader is not sure: it takes the answers servers send (strings, integers, booleans, arrays,
//! structs, blanks between elements, entity references) and hands anything else (a fault, a
//! double, a comment, a carriage return, a text with blanks at its ends, an XML declaration
//! other than the usual ones) back as `None`, for dxr to read or refuse as before.
//! A property test holds both readers to the same value.

use std::collections::BTreeMap;

use dxr::{FaultResponse, MethodResponse, Value};
use quick_xml::Reader;
use quick_xml::escape::{escape, resolve_xml_entity};
use quick_xml::events::{BytesDecl, BytesRef, BytesStart, Event};

use super::answer::quoted;
use super::service::RedirectError;

/// The deepest element nesting read. The deepest real answer, `listDevices`, nests 11
/// (`methodResponse/params/param/value/array/data/value/array/data/value/string`).
pub const MAX_NESTING: usize = 32;

/// One parameter of a call.
#[derive(Debug, Clone, Copy)]
pub enum Param<'a> {
    Text(&'a str),
    Texts(&'a [String]),
}

/// The body of a call of `method` with `params`, in the form dxr writes.
pub fn method_call(method: &str, params: &[Param<'_>]) -> String {
    const MARKUP: usize = "<value><string></string></value>".len();
    let room: usize = params
        .iter()
        .map(|param| match param {
            Param::Text(text) => text.len() + 2 * MARKUP,
            Param::Texts(texts) => texts.iter().map(|t| t.len() + MARKUP).sum::<usize>() + 64,
        })
        .sum();
    let mut body = String::with_capacity(room + method.len() + 96);
    body.push_str("<?xml version=\"1.0\"?><methodCall><methodName>");
    body.push_str(&escape(method));
    body.push_str("</methodName><params>");
    for param in params {
        body.push_str("<param>");
        match param {
            Param::Text(text) => push_string(&mut body, text),
            Param::Texts(texts) => {
                body.push_str("<value><array><data>");
                for text in *texts {
                    push_string(&mut body, text);
                }
                body.push_str("</data></array></value>");
            }
        }
        body.push_str("</param>");
    }
    body.push_str("</params></methodCall>");
    body
}

/// A string value. A carriage return is written as a reference, as dxr does, so that the
/// server's line-end normalising keeps it.
fn push_string(body: &mut String, text: &str) {
    body.push_str("<value><string>");
    let escaped = escape(text);
    if escaped.contains('\r') {
        body.push_str(&escaped.replace('\r', "&#13;"));
    } else {
        body.push_str(&escaped);
    }
    body.push_str("</string></value>");
}

/// Reads an XML-RPC response body: the value, a fault, or a clear "not XML-RPC".
///
/// The fast reader takes the answers it is sure of ([`response_value`]). dxr reads the rest:
/// a body holding `<fault>` as a fault, any other as a value, so that each is parsed once,
/// where dxr_client's `response_to_result` tries the fault first on every answer.
///
/// Never panics, whatever the body: an answer nested deeper than [`MAX_NESTING`] is refused
/// before it is parsed, and a MAC password (`OK:…`) in it is masked in any error.
pub fn decode_response(method: &str, body: &str) -> Result<Value, RedirectError> {
    if nesting_exceeds(body, MAX_NESTING) {
        return Err(RedirectError::Nested {
            method: method.to_string(),
            limit: MAX_NESTING,
        });
    }
    if let Some(value) = response_value(body) {
        return Ok(value);
    }
    let parsed = if body.contains("<fault>") {
        FaultResponse::from_xml(body).map(Err)
    } else {
        MethodResponse::from_xml(body).map(Ok)
    };
    match parsed {
        Ok(Ok(response)) => Ok(response.value),
        Ok(Err(fault)) => Err(RedirectError::Fault {
            method: method.to_string(),
            code: fault.fault.code(),
            message: quoted(fault.fault.string(), 200),
        }),
        Err(_) => Err(RedirectError::Malformed {
            method: method.to_string(),
            excerpt: quoted(&body.trim().replace(['\r', '\n'], " "), 80),
        }),
    }
}

/// Whether elements nest deeper than `limit` anywhere in `xml`; one pass, no parsing.
/// Declarations, comments and closing tags do not open a level; `<a/>` opens and closes one.
fn nesting_exceeds(xml: &str, limit: usize) -> bool {
    let bytes = xml.as_bytes();
    let mut depth = 0usize;
    let mut at = 0;
    while let Some(offset) = bytes[at..].iter().position(|&b| b == b'<') {
        let start = at + offset + 1;
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(bytes.len(), |e| start + e);
        match bytes.get(start) {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(b'?' | b'!') | None => {}
            Some(_) if bytes[..end].ends_with(b"/") => {}
            Some(_) => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
        }
        at = end.max(start);
    }
    false
}

/// The value of a `<methodResponse><params>` answer, or `None` where this reader leaves the
/// body to dxr (see the module's doc).
pub fn response_value(body: &str) -> Option<Value> {
    let mut reader = Reader::from_str(body);
    reader.config_mut().expand_empty_elements = true;
    let mut events = Events { reader };
    events.root()?;
    events.open(Element::Params)?;
    events.open(Element::Param)?;
    events.open(Element::Value)?;
    let value = events.value(1)?;
    events.close(Element::Param)?;
    events.close(Element::Params)?;
    events.close(Element::MethodResponse)?;
    events.end()?;
    Some(value)
}

/// The elements of an answer; the others are left to dxr.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Element {
    MethodResponse,
    Params,
    Param,
    Value,
    String,
    Int,
    Boolean,
    Array,
    Data,
    Struct,
    Member,
    Name,
    Other,
}

impl Element {
    /// The element a start tag opens; one with attributes (XML-RPC has none) is left to dxr.
    fn opened(start: &BytesStart<'_>) -> Self {
        if start.attributes_raw().is_empty() {
            Self::of(start.name().as_ref())
        } else {
            Self::Other
        }
    }

    fn of(name: &[u8]) -> Self {
        match name {
            b"methodResponse" => Self::MethodResponse,
            b"params" => Self::Params,
            b"param" => Self::Param,
            b"value" => Self::Value,
            b"string" => Self::String,
            b"int" | b"i4" => Self::Int,
            b"boolean" => Self::Boolean,
            b"array" => Self::Array,
            b"data" => Self::Data,
            b"struct" => Self::Struct,
            b"member" => Self::Member,
            b"name" => Self::Name,
            _ => Self::Other,
        }
    }
}

/// An element boundary, blanks before it skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Open(Element),
    Close(Element),
}

/// The events of one body, read as XML-RPC's grammar has them.
struct Events<'a> {
    reader: Reader<&'a [u8]>,
}

impl Events<'_> {
    /// The declaration and blanks, then `<methodResponse>`.
    fn root(&mut self) -> Option<()> {
        loop {
            match self.reader.read_event().ok()? {
                Event::Decl(declaration) if is_usual(&declaration) => {}
                Event::Text(text) if is_blank(&text) => {}
                Event::Start(start) => {
                    return (Element::opened(&start) == Element::MethodResponse).then_some(());
                }
                _ => return None,
            }
        }
    }

    /// The next element boundary; `None` at text, a comment, CDATA, the end or an error.
    fn tag(&mut self) -> Option<Tag> {
        loop {
            match self.reader.read_event().ok()? {
                Event::Text(text) if is_blank(&text) => {}
                Event::Start(start) => return Some(Tag::Open(Element::opened(&start))),
                Event::End(end) => return Some(Tag::Close(Element::of(end.name().as_ref()))),
                _ => return None,
            }
        }
    }

    fn open(&mut self, element: Element) -> Option<()> {
        (self.tag()? == Tag::Open(element)).then_some(())
    }

    fn close(&mut self, element: Element) -> Option<()> {
        (self.tag()? == Tag::Close(element)).then_some(())
    }

    /// Nothing but blanks after the root.
    fn end(&mut self) -> Option<()> {
        loop {
            match self.reader.read_event().ok()? {
                Event::Eof => return Some(()),
                Event::Text(text) if is_blank(&text) => {}
                _ => return None,
            }
        }
    }

    /// The text of `element` up to its end tag, entity references resolved.
    fn text(&mut self, element: Element) -> Option<String> {
        let mut text = String::new();
        loop {
            match self.reader.read_event().ok()? {
                Event::Text(part) => push_text(&mut text, &part)?,
                Event::GeneralRef(reference) => text.push_str(&resolve(&reference)?),
                Event::End(end) if Element::of(end.name().as_ref()) == element => {
                    return untrimmed(text);
                }
                _ => return None,
            }
        }
    }

    /// The value whose `<value>` was just read, with its `</value>`. `depth` counts the values
    /// around it, so that recursion stops at [`MAX_NESTING`] whatever the body.
    fn value(&mut self, depth: usize) -> Option<Value> {
        if depth > MAX_NESTING {
            return None;
        }
        // Text before a type's tag must be blanks; text alone is an untyped string.
        let mut untyped = String::new();
        let element = loop {
            match self.reader.read_event().ok()? {
                Event::Text(part) => push_text(&mut untyped, &part)?,
                Event::GeneralRef(reference) => untyped.push_str(&resolve(&reference)?),
                Event::End(end) if Element::of(end.name().as_ref()) == Element::Value => {
                    return untrimmed(untyped).map(Value::String);
                }
                Event::Start(start) if is_blank(untyped.as_bytes()) => {
                    break Element::opened(&start);
                }
                _ => return None,
            }
        };
        let value = match element {
            Element::String => Value::String(self.text(element)?),
            Element::Int => Value::Integer(self.text(element)?.parse().ok()?),
            Element::Boolean => match self.text(element)?.as_str() {
                "1" => Value::Boolean(true),
                "0" => Value::Boolean(false),
                _ => return None,
            },
            Element::Array => Value::Array(self.array(depth)?),
            Element::Struct => Value::Struct(self.members(depth)?),
            _ => return None,
        };
        self.close(Element::Value)?;
        Some(value)
    }

    /// `<data>` and its values, after `<array>`, up to `</array>`.
    fn array(&mut self, depth: usize) -> Option<Vec<Value>> {
        self.open(Element::Data)?;
        let mut items = Vec::new();
        loop {
            match self.tag()? {
                Tag::Open(Element::Value) => items.push(self.value(depth + 1)?),
                Tag::Close(Element::Data) => break,
                Tag::Open(_) | Tag::Close(_) => return None,
            }
        }
        self.close(Element::Array)?;
        Some(items)
    }

    /// The members after `<struct>`, up to `</struct>`. A name empty or given twice is left
    /// to dxr (which refuses the first).
    fn members(&mut self, depth: usize) -> Option<BTreeMap<String, Value>> {
        let mut members = BTreeMap::new();
        loop {
            match self.tag()? {
                Tag::Open(Element::Member) => {
                    self.open(Element::Name)?;
                    let name = self.text(Element::Name)?;
                    self.open(Element::Value)?;
                    let value = self.value(depth + 1)?;
                    self.close(Element::Member)?;
                    if name.is_empty() || members.insert(name, value).is_some() {
                        return None;
                    }
                }
                Tag::Close(Element::Struct) => return Some(members),
                Tag::Open(_) | Tag::Close(_) => return None,
            }
        }
    }
}

/// `text` where it has no blank at either end: dxr trims those, and how is its business.
fn untrimmed(text: String) -> Option<String> {
    let blank = |c: char| c.is_ascii_whitespace();
    (!text.starts_with(blank) && !text.ends_with(blank)).then_some(text)
}

/// The XML declarations servers send. Any other (stray bytes in it, another version, a
/// standalone flag) goes to dxr, which refuses some of them: the fuzzer found one with NULs
/// that this reader had skipped over and dxr refused.
fn is_usual(declaration: &BytesDecl<'_>) -> bool {
    const USUAL: [&[u8]; 6] = [
        br#"xml version="1.0""#,
        br#"xml version="1.0" encoding="UTF-8""#,
        br#"xml version="1.0" encoding="utf-8""#,
        b"xml version='1.0'",
        b"xml version='1.0' encoding='UTF-8'",
        b"xml version='1.0' encoding='utf-8'",
    ];
    USUAL.contains(&&**declaration)
}

fn is_blank(text: &[u8]) -> bool {
    text.iter().all(u8::is_ascii_whitespace)
}

/// Appends a text part; a carriage return (whose line-end normalising is dxr's) is not taken.
fn push_text(text: &mut String, part: &[u8]) -> Option<()> {
    if part.contains(&b'\r') {
        return None;
    }
    text.push_str(std::str::from_utf8(part).ok()?);
    Some(())
}

/// `&lt;`, `&#60;` and the like as text; `None` for any other entity.
fn resolve(reference: &BytesRef<'_>) -> Option<String> {
    if reference.is_char_ref() {
        return reference.resolve_char_ref().ok()?.map(String::from);
    }
    resolve_xml_entity(std::str::from_utf8(reference).ok()?).map(String::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_html_page_is_not_xml_rpc() {
        let error =
            decode_response("autoprov.listDevices", "<html><body>Login</body></html>").unwrap_err();
        assert_eq!(error.code(), "malformed_reply");
        assert!(error.to_string().contains("<html><body>Login"), "{error}");
    }

    /// A fault is dxr's to read: the fast reader takes nothing, and the error keeps both.
    #[test]
    fn a_fault_keeps_its_code_and_message() {
        let body = "<?xml version=\"1.0\"?><methodResponse><fault><value><struct>\
            <member><name>faultCode</name><value><int>4</int></value></member>\
            <member><name>faultString</name><value><string>Too many parameters</string></value></member>\
            </struct></value></fault></methodResponse>";
        assert_eq!(response_value(body), None);
        let error = decode_response("autoprov.checkDevice", body).unwrap_err();
        assert!(
            matches!(error, RedirectError::Fault { code: 4, .. }),
            "{error}"
        );
    }

    #[test]
    fn nesting_deeper_than_any_answer_is_refused_before_parsing() {
        let open = "<value><array><data>".repeat(MAX_NESTING);
        let body = format!("<?xml version=\"1.0\"?><methodResponse><params><param>{open}");
        let error = decode_response("autoprov.listDevices", &body).unwrap_err();
        assert!(matches!(error, RedirectError::Nested { .. }), "{error}");
        assert_eq!(error.code(), "malformed_reply");
        // The deepest real answer passes, self-closing and closing tags included.
        let row = "<value><array><data><value><string>a</string></value><value><string/></value></data></array></value>";
        let list = format!(
            "<?xml version=\"1.0\"?><!-- x --><methodResponse><params><param><value><array><data>{}</data></array></value></param></params></methodResponse>",
            row.repeat(3)
        );
        assert!(!nesting_exceeds(&list, 11));
        assert!(nesting_exceeds(&list, 10));
        decode_response("autoprov.listDevices", &list).unwrap();
    }

    #[test]
    fn a_mac_password_in_a_malformed_answer_or_a_fault_is_masked() {
        let error = decode_response("autoprov.registerDevice", "OK:2EE3EECC82C4").unwrap_err();
        assert!(!error.to_string().contains("2EE3EECC82C4"), "{error}");
        let fault = "<?xml version=\"1.0\"?><methodResponse><fault><value><struct>\
            <member><name>faultCode</name><value><int>1</int></value></member>\
            <member><name>faultString</name><value><string>bad OK:2EE3EECC82C4</string></value></member>\
            </struct></value></fault></methodResponse>";
        let error = decode_response("autoprov.registerDevice", fault).unwrap_err();
        assert!(!error.to_string().contains("2EE3EECC82C4"), "{error}");
    }
}
