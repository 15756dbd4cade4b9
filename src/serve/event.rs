//! One request as the server saw it, and what it answered: the live log's line and the
//! `--log-json` object. Never a password, HA1 or digest response.

use std::net::SocketAddr;

use serde::Serialize;

use super::gate::{Credential, Refusal};

/// What the request got, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    /// The device's file, to one of its own credentials.
    Served { credential: Credential },
    /// `401`/`400`: the digest gate's reason.
    Refused { refusal: Refusal },
    /// `404`: the MAC asked for is not in the inventory.
    UnknownDevice { mac: String },
    /// `404`: the path names no MAC.
    NoDevice,
    /// `404`: `provisioning.xml` from a phone whose User-Agent names no MAC.
    FolderFileUnknownPhone,
    /// `500`: the device's file could not be rendered.
    RenderFailed { why: String },
    /// `500`: the inventory could not be read.
    InventoryFailed { why: String },
    /// `405`: phones only GET.
    MethodNotAllowed,
    /// `403`: this client is locked out after refused answers.
    LockedOut { retry_after_s: u64 },
    /// `404`: the device is in the inventory but not in the site this server serves.
    OtherSite { serving: String },
    /// Closed unanswered: the client already has the most connections one address may hold.
    TooManyConnections { open: usize },
    /// Closed unanswered: a TLS handshake came to the plain HTTP server.
    TlsOnPlainPort,
    /// Closed unanswered: plain HTTP came to the HTTPS server.
    PlainOnTlsPort,
    /// The TLS handshake failed (the phone may not trust the certificate).
    TlsFailed { why: String },
    /// `400`/`414`/`431`: what came is not an HTTP request that can be read.
    NotHttp { why: String },
}

impl Verdict {
    /// Whether the connection ended before an HTTP request could be read.
    pub fn before_request(&self) -> bool {
        matches!(
            self,
            Verdict::TooManyConnections { .. }
                | Verdict::TlsOnPlainPort
                | Verdict::PlainOnTlsPort
                | Verdict::TlsFailed { .. }
                | Verdict::NotHttp { .. }
        )
    }

    /// A short code for the inventory's *Last seen* verdict: `served`, or the reason it was not
    /// (`wrong_password`, `unknown_device`…), as `--log-json` names it.
    pub fn code(&self) -> &'static str {
        match self {
            Verdict::Served { .. } => "served",
            Verdict::Refused { refusal } => refusal.code(),
            Verdict::UnknownDevice { .. } => "unknown_device",
            Verdict::NoDevice => "no_device",
            Verdict::FolderFileUnknownPhone => "folder_file_unknown_phone",
            Verdict::RenderFailed { .. } => "render_failed",
            Verdict::InventoryFailed { .. } => "inventory_failed",
            Verdict::MethodNotAllowed => "method_not_allowed",
            Verdict::LockedOut { .. } => "locked_out",
            Verdict::OtherSite { .. } => "other_site",
            Verdict::TooManyConnections { .. } => "too_many_connections",
            Verdict::TlsOnPlainPort => "tls_on_plain_port",
            Verdict::PlainOnTlsPort => "plain_http_on_tls_port",
            Verdict::TlsFailed { .. } => "tls_failed",
            Verdict::NotHttp { .. } => "not_http",
        }
    }

    /// The verdict in words, with what to do where there is something to do.
    pub fn explain(&self) -> String {
        match self {
            Verdict::Served { credential: Credential::MacPassword } => {
                "served: MAC / MAC password from the redirect server".into()
            }
            Verdict::Served { credential: Credential::Configured } => {
                "served: the configured digest credentials".into()
            }
            Verdict::Served { credential: Credential::OldConfigured } => {
                // Said the same whichever way the rollout goes: after a cancel, the
                // credentials being replaced are those the cancelled rollout gave.
                "served: credentials a rollout is replacing (accepted until it is enforced); the file it got carries the present ones"
                    .into()
            }
            Verdict::Refused { refusal } => refusal.to_string(),
            Verdict::UnknownDevice { mac } => format!(
                "{mac} is not in the inventory: add it (Inventory, or provdesk device add --mac {mac})"
            ),
            Verdict::NoDevice => "the path names no MAC: give phones a URL ending in %MACD.xml".into(),
            Verdict::FolderFileUnknownPhone => "asked for provisioning.xml, but its User-Agent names no MAC: give it a URL ending in %MACD.xml".into(),
            Verdict::RenderFailed { why } => format!("its file cannot be rendered: {why}"),
            Verdict::InventoryFailed { why } => format!("the inventory cannot be read: {why}"),
            Verdict::MethodNotAllowed => "only GET is served".into(),
            Verdict::LockedOut { retry_after_s } => format!(
                "this address is locked out after refused answers from it; served again in {retry_after_s} s"
            ),
            Verdict::OtherSite { serving } => format!(
                "not a device of site \"{serving}\", the only site this server serves (restart it without --site, or move the device)"
            ),
            Verdict::TooManyConnections { open } => format!(
                "closed unanswered: {open} connections open from this address already, the most one client may hold (a phone needs one)"
            ),
            Verdict::TlsOnPlainPort => "a TLS handshake on this plain HTTP server: the phone's URL says https://; give it http://, or start the server with HTTPS".into(),
            Verdict::PlainOnTlsPort => "plain HTTP on this HTTPS server: the phone's URL says http://; give it https://, or start the server without HTTPS".into(),
            Verdict::TlsFailed { why } => {
                let hint = if why.contains("alert") {
                    " (the phone ended it: a certificate alert means it does not trust this server's certificate)"
                } else {
                    ""
                };
                format!("TLS handshake failed: {why}{hint}")
            }
            Verdict::NotHttp { why } => format!("not an HTTP request this server can read: {why}"),
        }
    }
}

/// One request and its answer.
#[derive(Debug, Clone, Serialize)]
pub struct ServeEvent {
    /// When the request came, RFC 3339 UTC.
    pub at: String,
    pub client: SocketAddr,
    pub method: String,
    /// The request-target, control characters escaped.
    pub target: String,
    /// The device the path named (MAC, 12 digits).
    pub device: Option<String>,
    /// The model the phone's User-Agent names, else the inventory's.
    pub model: Option<String>,
    pub firmware: Option<String>,
    /// The digest user the phone answered as; never its password.
    pub user: Option<String>,
    #[serde(flatten)]
    pub verdict: Verdict,
    /// The HTTP status answered; 0 when the connection was closed without an HTTP answer.
    pub status: u16,
    pub bytes: usize,
    pub millis: u64,
    /// Something this request set off, e.g. a lockout.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Now, as every event's `at` says it: RFC 3339 UTC with milliseconds.
pub(super) fn now_at() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl ServeEvent {
    /// The status as people read it: `—` where the connection closed without an HTTP answer
    /// (a 0 reads as a status no server sends).
    pub fn status_text(&self) -> String {
        if self.status == 0 {
            "—".into()
        } else {
            self.status.to_string()
        }
    }

    /// The method and target, or that no HTTP request was read (a TLS handshake on the plain
    /// port, bytes that are not HTTP). Told by the verdict: a request may name any token as
    /// its method, `-` too.
    pub fn request_text(&self) -> String {
        if self.verdict.before_request() {
            "(no HTTP request)".into()
        } else {
            format!("{} {}", self.method, self.target)
        }
    }

    /// `192.168.1.31:50312 GET /7C2F80820EC0.xml 401 [N510 IP PRO 42.245…] user "x": wrong password for user "x"`
    pub fn line(&self) -> String {
        let phone = match (&self.model, &self.firmware) {
            (Some(model), Some(firmware)) => format!(" [{model} {firmware}]"),
            (Some(model), None) => format!(" [{model}]"),
            _ => String::new(),
        };
        let note = self
            .note
            .as_ref()
            .map(|note| format!(" ({note})"))
            .unwrap_or_default();
        format!(
            "{} {} {} {}B {}ms{phone}: {}{note}",
            self.client,
            self.request_text(),
            self.status_text(),
            self.bytes,
            self.millis,
            self.verdict.explain()
        )
    }
}
