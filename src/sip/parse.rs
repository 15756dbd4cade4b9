//! Reading SIP messages (RFC 3261 §7): a start line, header lines, a body sized by
//! `Content-Length`. Our own small reader rather than a SIP crate (Cargo.toml says why): the
//! log shows every header line exactly as it came, and a registrar's answer is outside data,
//! so nothing here panics on any input (tests/sip_props.rs checks that).

use serde::Serialize;
use thiserror::Error;

/// The most a message may take, head and body: a UDP datagram's limit. Anything larger from a
/// registrar is not an answer to a REGISTER.
pub const MAX_MESSAGE: usize = 65_535;

/// One header line, in the order sent or received, the name as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SipHeader {
    pub name: String,
    pub value: String,
}

impl SipHeader {
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            value: value.into(),
        }
    }

    /// Whether this header is `name`, in its long or compact form (RFC 3261 §7.3.3), any case.
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
            || compact_form(name).is_some_and(|c| self.name.eq_ignore_ascii_case(c))
    }
}

/// The one-letter forms of the headers provdesk reads.
fn compact_form(name: &str) -> Option<&'static str> {
    const FORMS: [(&str, &str); 8] = [
        ("Via", "v"),
        ("From", "f"),
        ("To", "t"),
        ("Call-ID", "i"),
        ("Contact", "m"),
        ("Content-Length", "l"),
        ("Content-Type", "c"),
        ("Supported", "k"),
    ];
    FORMS
        .iter()
        .find(|(long, _)| long.eq_ignore_ascii_case(name))
        .map(|(_, short)| *short)
}

/// The first line of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartLine {
    Request { method: String, uri: String },
    Response { status: u16, reason: String },
}

/// A message as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SipMessage {
    pub start: StartLine,
    pub headers: Vec<SipHeader>,
    pub body: Vec<u8>,
}

impl SipMessage {
    /// The first value of a header (long or compact name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers_named(name).next()
    }

    /// Every value of a header, in order.
    pub fn headers_named<'a, 'n>(
        &'a self,
        name: &'n str,
    ) -> impl Iterator<Item = &'a str> + use<'a, 'n> {
        self.headers
            .iter()
            .filter(move |h| h.is(name))
            .map(|h| h.value.as_str())
    }

    /// The status of a response; `None` for a request.
    pub fn status(&self) -> Option<u16> {
        match self.start {
            StartLine::Response { status, .. } => Some(status),
            StartLine::Request { .. } => None,
        }
    }

    /// The start line as written on the wire.
    pub fn start_line(&self) -> String {
        match &self.start {
            StartLine::Request { method, uri } => format!("{method} {uri} SIP/2.0"),
            StartLine::Response { status, reason } => format!("SIP/2.0 {status} {reason}"),
        }
    }

    /// The numeric part of `CSeq` and its method.
    pub fn cseq(&self) -> Option<(u32, &str)> {
        let (number, method) = self
            .header("CSeq")?
            .trim()
            .split_once(char::is_whitespace)?;
        Some((number.parse().ok()?, method.trim()))
    }

    /// A `;name=value` parameter of the top `Via`.
    pub fn via_param(&self, name: &str) -> Option<&str> {
        header_param(self.header("Via")?, name)
    }
}

/// A `;name=value` parameter of a header value (outside any `<…>`), any case of the name.
pub fn header_param<'a>(value: &'a str, name: &str) -> Option<&'a str> {
    let params = match value.rfind('>') {
        Some(end) => &value[end + 1..],
        None => value,
    };
    params.split(';').skip(1).find_map(|param| {
        let (key, val) = param.split_once('=').unwrap_or((param, ""));
        key.trim()
            .eq_ignore_ascii_case(name)
            .then(|| val.trim().trim_matches('"'))
    })
}

/// Why bytes are not a SIP message, with where reading stopped.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ParseError {
    #[error("the message is larger than {MAX_MESSAGE} bytes; no registrar answers like that")]
    TooLarge,
    #[error("the message ends before its header block does (no empty line)")]
    Incomplete,
    #[error("line {line}: {reason}")]
    Bad { line: usize, reason: &'static str },
}

/// How many bytes the first message in `buffer` takes, or `None` while it is not complete
/// yet: how a TCP or TLS stream is cut into messages.
pub fn message_length(buffer: &[u8]) -> Result<Option<usize>, ParseError> {
    let Some(head_end) = find_head_end(buffer) else {
        return if buffer.len() > MAX_MESSAGE {
            Err(ParseError::TooLarge)
        } else {
            Ok(None)
        };
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]);
    let (_, headers) = read_head(&head)?;
    let body = content_length(&headers)?.unwrap_or(0);
    let total = head_end.saturating_add(body);
    if total > MAX_MESSAGE {
        return Err(ParseError::TooLarge);
    }
    Ok((buffer.len() >= total).then_some(total))
}

/// Reads one whole message (a UDP datagram, or what [`message_length`] cut from a stream). A
/// body shorter than `Content-Length` is kept as it came; a datagram has no more to wait for.
pub fn parse_message(bytes: &[u8]) -> Result<SipMessage, ParseError> {
    if bytes.len() > MAX_MESSAGE {
        return Err(ParseError::TooLarge);
    }
    let head_end = find_head_end(bytes).ok_or(ParseError::Incomplete)?;
    let head = String::from_utf8_lossy(&bytes[..head_end]);
    let (start, headers) = read_head(&head)?;
    let rest = &bytes[head_end..];
    let body = match content_length(&headers)? {
        Some(length) => &rest[..length.min(rest.len())],
        None => rest,
    };
    Ok(SipMessage {
        start,
        headers,
        body: body.to_vec(),
    })
}

/// The index just after the empty line that ends the head (CRLF CRLF, or bare LF LF).
fn find_head_end(bytes: &[u8]) -> Option<usize> {
    let crlf = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| i + 4);
    let lf = bytes.windows(2).position(|w| w == b"\n\n").map(|i| i + 2);
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn content_length(headers: &[SipHeader]) -> Result<Option<usize>, ParseError> {
    headers
        .iter()
        .find(|h| h.is("Content-Length"))
        .map(|h| {
            h.value
                .trim()
                .parse::<usize>()
                .map_err(|_| ParseError::Bad {
                    line: 0,
                    reason: "Content-Length is not a number",
                })
        })
        .transpose()
}

fn read_head(head: &str) -> Result<(StartLine, Vec<SipHeader>), ParseError> {
    // Leading empty lines are keep-alives (RFC 5626 CRLF pings) before a message.
    let mut lines = head
        .split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .enumerate()
        .skip_while(|(_, line)| line.is_empty());
    let (first_index, first) = lines.next().ok_or(ParseError::Incomplete)?;
    let start = read_start_line(first).ok_or(ParseError::Bad {
        line: first_index + 1,
        reason: "not a SIP/2.0 request or status line",
    })?;
    let mut headers: Vec<SipHeader> = Vec::new();
    for (index, line) in lines {
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            // A folded line continues the header before it (RFC 3261 §7.3.1).
            let last = headers.last_mut().ok_or(ParseError::Bad {
                line: index + 1,
                reason: "a continuation line before any header",
            })?;
            last.value.push(' ');
            last.value.push_str(line.trim());
            continue;
        }
        let (name, value) = line.split_once(':').ok_or(ParseError::Bad {
            line: index + 1,
            reason: "a header line without a colon",
        })?;
        let name = name.trim();
        if name.is_empty() || name.contains(char::is_whitespace) {
            return Err(ParseError::Bad {
                line: index + 1,
                reason: "a header name that is empty or has blanks",
            });
        }
        headers.push(SipHeader::new(name, value.trim()));
    }
    Ok((start, headers))
}

fn read_start_line(line: &str) -> Option<StartLine> {
    if let Some(rest) = line.strip_prefix("SIP/2.0 ") {
        let (code, reason) = rest.split_once(' ').unwrap_or((rest, ""));
        let status: u16 = code.parse().ok()?;
        return (100..700).contains(&status).then(|| StartLine::Response {
            status,
            reason: reason.to_string(),
        });
    }
    let mut parts = line.split(' ');
    let (method, uri, version) = (parts.next()?, parts.next()?, parts.next()?);
    let plausible = !method.is_empty()
        && method.bytes().all(|b| b.is_ascii_alphabetic())
        && !uri.is_empty()
        && version == "SIP/2.0"
        && parts.next().is_none();
    plausible.then(|| StartLine::Request {
        method: method.to_string(),
        uri: uri.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: &[u8] =
        b"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKx;rport=5060\r\n\
CSeq: 2 REGISTER\r\nl: 4\r\n\r\nbodyEXTRA";

    #[test]
    fn a_response_reads_with_compact_names_and_a_sized_body() {
        let message = parse_message(OK).unwrap();
        assert_eq!(message.status(), Some(200));
        assert_eq!(message.header("content-length"), Some("4"));
        assert_eq!(message.body, b"body");
        assert_eq!(message.cseq(), Some((2, "REGISTER")));
        assert_eq!(message.via_param("rport"), Some("5060"));
        assert_eq!(message.via_param("branch"), Some("z9hG4bKx"));
    }

    #[test]
    fn a_stream_is_cut_at_the_content_length() {
        assert_eq!(message_length(&OK[..20]).unwrap(), None);
        let head = OK.len() - "bodyEXTRA".len();
        assert_eq!(message_length(OK).unwrap(), Some(head + 4));
    }

    #[test]
    fn folded_lines_join_and_garbage_is_refused() {
        let message =
            parse_message(b"REGISTER sip:x SIP/2.0\r\nSubject: a\r\n  b\r\n\r\n").unwrap();
        assert_eq!(message.header("subject"), Some("a b"));
        assert!(parse_message(b"HTTP/1.1 200 OK\r\n\r\n").is_err());
        assert!(parse_message(b"SIP/2.0 999 Nope\r\n\r\n").is_err());
        assert_eq!(
            parse_message(b"SIP/2.0 200 OK\r\n"),
            Err(ParseError::Incomplete)
        );
    }

    #[test]
    fn params_are_read_outside_angle_brackets() {
        let to = "<sip:1001@pbx;transport=udp>;tag=abc;expires=60";
        assert_eq!(header_param(to, "tag"), Some("abc"));
        assert_eq!(header_param(to, "transport"), None);
        assert_eq!(header_param(to, "EXPIRES"), Some("60"));
    }
}
