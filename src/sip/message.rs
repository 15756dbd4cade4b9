//! Building the REGISTER and OPTIONS requests (RFC 3261 §10.2, §11): the identifiers that
//! make a transaction (branch, tag, Call-ID, CSeq), `Via` with `rport` (RFC 3581) so a
//! registrar behind NAT answers to the port the request really came from, and `Contact` from
//! the address the socket really uses.

use std::fmt::Write as _;
use std::net::SocketAddr;

use crate::device::SipTransport;
use crate::digest::random_cnonce;

use super::parse::SipHeader;

/// The magic cookie every RFC 3261 branch starts with (§8.1.1.7).
pub const BRANCH_COOKIE: &str = "z9hG4bK";

/// What the test sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SipMethod {
    /// Registers the account: the test an installer wants.
    Register,
    /// Asks the registrar for its capabilities: a reachability probe without credentials.
    Options,
}

impl SipMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            SipMethod::Register => "REGISTER",
            SipMethod::Options => "OPTIONS",
        }
    }
}

/// What stays the same across the requests of one test (one registration "dialog").
#[derive(Debug, Clone)]
pub struct Dialog {
    pub method: SipMethod,
    pub transport: SipTransport,
    /// The SIP domain: the Request-URI's host and the address of record's.
    pub domain: String,
    /// The extension: the address of record's user part.
    pub user: String,
    /// The address the socket sends from, as the kernel picked it.
    pub local: SocketAddr,
    pub call_id: String,
    pub from_tag: String,
    pub user_agent: String,
}

impl Dialog {
    /// A fresh dialog: new Call-ID and From tag.
    pub fn new(
        method: SipMethod,
        transport: SipTransport,
        domain: &str,
        user: &str,
        local: SocketAddr,
    ) -> Self {
        Self {
            method,
            transport,
            domain: domain.to_string(),
            user: user.to_string(),
            local,
            call_id: format!("{}@provdesk", random_cnonce()),
            from_tag: random_cnonce()[..16].to_string(),
            user_agent: format!("provdesk/{}", env!("CARGO_PKG_VERSION")),
        }
    }

    /// The Request-URI: the registrar's domain (§10.2: no user part for REGISTER).
    pub fn request_uri(&self) -> String {
        let scheme = self.scheme();
        format!("{scheme}:{}", self.domain)
    }

    /// The address of record, `sip:user@domain`.
    pub fn address_of_record(&self) -> String {
        format!("{}:{}@{}", self.scheme(), self.user, self.domain)
    }

    fn scheme(&self) -> &'static str {
        match self.transport {
            SipTransport::Tls => "sips",
            SipTransport::Udp | SipTransport::Tcp => "sip",
        }
    }

    /// The `Contact` URI: where the phone would take calls, i.e. this socket's address.
    pub fn contact(&self) -> String {
        let host = host_text(self.local);
        let mut uri = format!("<sip:{}@{host}:{}", self.user, self.local.port());
        if self.transport != SipTransport::Udp {
            let _ = write!(uri, ";transport={}", self.transport);
        }
        uri.push('>');
        uri
    }
}

/// One request of the test: its CSeq, its branch and what it carries.
#[derive(Debug, Clone)]
pub struct OutgoingRequest {
    pub cseq: u32,
    pub branch: String,
    /// `Expires` of a REGISTER, in seconds.
    pub expires: Option<u32>,
    /// `("Authorization" | "Proxy-Authorization", value)`.
    pub authorization: Option<(&'static str, String)>,
}

impl OutgoingRequest {
    pub fn new(cseq: u32, expires: Option<u32>) -> Self {
        Self {
            cseq,
            branch: new_branch(),
            expires,
            authorization: None,
        }
    }
}

/// A new branch: the cookie and 16 random hex digits.
pub fn new_branch() -> String {
    format!("{BRANCH_COOKIE}{}", &random_cnonce()[..16])
}

/// The header lines of `request` within `dialog`, in the order they go out.
pub fn build_headers(dialog: &Dialog, request: &OutgoingRequest) -> Vec<SipHeader> {
    let transport = dialog.transport.as_str().to_ascii_uppercase();
    let sent_by = format!("{}:{}", host_text(dialog.local), dialog.local.port());
    let aor = dialog.address_of_record();
    let method = dialog.method.as_str();
    let contact = match request.expires {
        // RFC 3261 §10.2.2: an interval of 0 for this contact removes its binding, and only
        // its: `Contact: *` would remove the real phone's too. Said in the Contact as well as in
        // `Expires`, for registrars that read only one of them.
        Some(0) => format!("{};expires=0", dialog.contact()),
        _ => dialog.contact(),
    };
    let mut headers = vec![
        SipHeader::new(
            "Via",
            format!(
                "SIP/2.0/{transport} {sent_by};branch={};rport",
                request.branch
            ),
        ),
        SipHeader::new("Max-Forwards", "70"),
        SipHeader::new("From", format!("<{aor}>;tag={}", dialog.from_tag)),
        SipHeader::new("To", format!("<{aor}>")),
        SipHeader::new("Call-ID", dialog.call_id.clone()),
        SipHeader::new("CSeq", format!("{} {method}", request.cseq)),
        SipHeader::new("Contact", contact),
    ];
    if let Some(expires) = request.expires {
        headers.push(SipHeader::new("Expires", expires.to_string()));
    }
    if let Some((name, value)) = &request.authorization {
        headers.push(SipHeader::new(*name, value.clone()));
    }
    headers.push(SipHeader::new("User-Agent", dialog.user_agent.clone()));
    headers.push(SipHeader::new("Content-Length", "0"));
    headers
}

/// The bytes of a request with `headers` and no body.
pub fn to_bytes(start_line: &str, headers: &[SipHeader]) -> Vec<u8> {
    let mut text = format!("{start_line}\r\n");
    for header in headers {
        let _ = write!(text, "{}: {}\r\n", header.name, header.value);
    }
    text.push_str("\r\n");
    text.into_bytes()
}

/// An address as it stands in a URI: IPv6 in brackets.
pub fn host_text(address: SocketAddr) -> String {
    match address {
        SocketAddr::V4(v4) => v4.ip().to_string(),
        SocketAddr::V6(v6) => format!("[{}]", v6.ip()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sip::parse::parse_message;

    #[test]
    fn a_register_carries_rport_contact_and_a_fresh_branch() {
        let local: SocketAddr = "192.0.2.7:40123".parse().unwrap();
        let dialog = Dialog::new(
            SipMethod::Register,
            SipTransport::Tcp,
            "pbx.example",
            "1001",
            local,
        );
        let request = OutgoingRequest::new(1, Some(3600));
        let headers = build_headers(&dialog, &request);
        let bytes = to_bytes(
            &format!("REGISTER {} SIP/2.0", dialog.request_uri()),
            &headers,
        );
        let message = parse_message(&bytes).unwrap();
        assert!(
            message
                .via_param("branch")
                .unwrap()
                .starts_with(BRANCH_COOKIE)
        );
        assert!(message.header("Via").unwrap().ends_with(";rport"));
        assert_eq!(
            message.header("Contact"),
            Some("<sip:1001@192.0.2.7:40123;transport=tcp>")
        );
        assert_eq!(message.header("Expires"), Some("3600"));
        assert_ne!(request.branch, OutgoingRequest::new(2, None).branch);
    }

    #[test]
    fn a_removal_asks_for_0_seconds_for_its_own_contact_not_all() {
        let local: SocketAddr = "192.0.2.7:40123".parse().unwrap();
        let dialog = Dialog::new(
            SipMethod::Register,
            SipTransport::Udp,
            "pbx.example",
            "1001",
            local,
        );
        let headers = build_headers(&dialog, &OutgoingRequest::new(3, Some(0)));
        let value = |name: &str| {
            headers
                .iter()
                .find(|h| h.is(name))
                .map(|h| h.value.as_str())
        };
        assert_eq!(
            value("Contact"),
            Some("<sip:1001@192.0.2.7:40123>;expires=0")
        );
        assert_eq!(value("Expires"), Some("0"));
    }
}
