//! What a redirect service does, independent of the vendor, and how a call can fail.
//!
//! Gigaset's server is one implementation ([`super::GigasetClient`]); Snom, Yealink or Fanvil
//! would be one more module implementing [`RedirectService`], and the sync, the CLI and the GUI
//! would work with them unchanged.

use std::future::Future;

use thiserror::Error;

use super::answer::{CheckAnswer, DeviceAnswer, ListAnswer, RemoteDevice, ShapeError};

/// The six operations of a redirect service. A device is named by its MAC-ID, or by its plain
/// MAC when it has none; URLs are patterns the device expands (`%MACD` …).
pub trait RedirectService: Send + Sync {
    /// Where the calls go, for messages (`https://prov.gigaset.net/apxml/rpc.do`).
    fn endpoint(&self) -> &str;

    fn register(
        &self,
        mac_id: &str,
        url: &str,
        provider: &str,
    ) -> impl Future<Output = Result<DeviceAnswer, RedirectError>> + Send;

    fn deregister(
        &self,
        mac_id: &str,
    ) -> impl Future<Output = Result<DeviceAnswer, RedirectError>> + Send;

    /// Registers many devices with one URL and provider; one answer per device, in order.
    fn register_list(
        &self,
        mac_ids: &[String],
        url: &str,
        provider: &str,
    ) -> impl Future<Output = Result<ListAnswer, RedirectError>> + Send;

    /// Deregisters many devices; one answer per device, in order.
    fn deregister_list(
        &self,
        mac_ids: &[String],
    ) -> impl Future<Output = Result<ListAnswer, RedirectError>> + Send;

    /// The registrations of these providers; all of the account's when `providers` is empty.
    fn list(
        &self,
        providers: &[String],
    ) -> impl Future<Output = Result<Vec<RemoteDevice>, RedirectError>> + Send;

    fn check(
        &self,
        mac_id: &str,
    ) -> impl Future<Output = Result<CheckAnswer, RedirectError>> + Send;
}

/// A call that got no usable answer. A refusal of one device is not an error: it is a
/// [`DeviceAnswer::Refused`] with its [`super::ResultCode`].
#[derive(Debug, Clone, Error)]
pub enum RedirectError {
    #[error(
        "the redirect server address \"{0}\" is not a URL: give the full address, e.g. https://prov.gigaset.net/apxml/rpc.do"
    )]
    BadEndpoint(String),
    #[error(
        "the redirect server address {endpoint} is plain http:// to another machine: the provisioner password would cross the network in clear. Use https:// (Gigaset's server is https://prov.gigaset.net/apxml/rpc.do); only for a lab server you trust, allow plain http on purpose (--allow-http, or \"Allow plain http://\" in the account form)"
    )]
    InsecureEndpoint { endpoint: String },
    #[error("the HTTP client cannot be built: {0}")]
    Client(String),
    #[error(
        "the redirect server at {endpoint} refused the account \"{user}\" (HTTP {status}): check the provisioner user name and password Gigaset gave you"
    )]
    Unauthorized {
        endpoint: String,
        user: String,
        status: u16,
    },
    #[error(
        "the redirect server at {endpoint} is unavailable (HTTP {status}) for {method}: try again later; a sync run again finishes what is left"
    )]
    Unavailable {
        endpoint: String,
        method: String,
        status: u16,
    },
    #[error(
        "the redirect server at {endpoint} answered {method} with HTTP {status}: check the server address (it ends in /apxml/rpc.do)"
    )]
    Status {
        endpoint: String,
        method: String,
        status: u16,
    },
    #[error(
        "no answer from the redirect server at {endpoint} within {seconds} s for {method}: check the network, or raise the timeout"
    )]
    Timeout {
        endpoint: String,
        method: String,
        seconds: f64,
    },
    #[error(
        "cannot reach the redirect server at {endpoint}: {reason}; check the address and the network"
    )]
    Network { endpoint: String, reason: String },
    #[error(
        "the redirect server's answer to {method} is not XML-RPC (it begins \"{excerpt}\"): check that the address is the XML-RPC endpoint, not the web portal"
    )]
    Malformed { method: String, excerpt: String },
    #[error(
        "the redirect server's answer to {method} from {endpoint} is larger than {} MiB, more than a listDevices of 100,000 devices needs, and was not read further: check that the address is the XML-RPC endpoint; if the account really holds more devices, list them one provider at a time",
        .limit >> 20
    )]
    TooLarge {
        endpoint: String,
        method: String,
        limit: usize,
    },
    #[error(
        "the redirect server's answer to {method} is nested more than {limit} elements deep, far deeper than any real answer, and was not read: check that the address is the XML-RPC endpoint"
    )]
    Nested { method: String, limit: usize },
    #[error(
        "the redirect server answered {method} with XML-RPC fault {code}: {message}; check the call's values, or report it to Gigaset"
    )]
    Fault {
        method: String,
        code: i32,
        message: String,
    },
    #[error("the redirect server's answer to {method} has an unexpected shape: {error}")]
    Shape { method: String, error: ShapeError },
}

impl RedirectError {
    /// A short stable name for reports and the JSON output, like the server's own codes.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadEndpoint(_) => "bad_endpoint",
            Self::InsecureEndpoint { .. } => "insecure_endpoint",
            Self::TooLarge { .. } => "answer_too_large",
            Self::Nested { .. } => "malformed_reply",
            Self::Client(_) => "client",
            Self::Unauthorized { .. } => "unauthorized",
            Self::Unavailable { .. } => "unavailable",
            Self::Status { .. } => "http_status",
            Self::Timeout { .. } => "timeout",
            Self::Network { .. } => "network",
            Self::Malformed { .. } => "malformed_reply",
            Self::Fault { .. } => "xmlrpc_fault",
            Self::Shape { .. } => "unexpected_reply",
        }
    }
}
