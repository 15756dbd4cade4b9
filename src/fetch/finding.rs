//! What a diagnosis finding is: a stable code, a severity, and the words. Its own file because
//! the event stream carries findings and the rules that make them read that stream.

use serde::Serialize;

/// What a finding is about. The codes are stable: scripts read them from `--json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    Ok,
    /// A 2xx whose body timed out, broke off, ran past the read bound or fell short of its
    /// `Content-Length`: the device would not get a usable file.
    BodyIncomplete,
    CredentialsRejected,
    StaleNonce,
    StaleLoop,
    RealmChanged,
    AlgorithmUnsupported,
    BasicOnly,
    NoChallenge,
    ChallengeMalformed,
    UriMismatch,
    RedirectOtherHost,
    LockoutSuspected,
    AccessDenied,
    TlsError,
    Timeout,
    ConnectionFailed,
    /// The server accepted the connection, then closed it without a complete answer.
    ConnectionClosed,
    /// The server answered something that is not valid HTTP.
    ProtocolError,
    /// provdesk could not build the request (the URL, a header value): nothing was sent.
    RequestNotBuilt,
    NotFound,
    MacPasswordUnknown,
    NoCredentials,
    /// The device asked for credentials on its display and nothing was typed before it closed
    /// the prompt.
    ManualEntryTimedOut,
    ServerError,
    /// 429: the server limits how often a client may ask.
    RateLimited,
    /// 503 with a reason or a `Retry-After`: maintenance or overload, for a while.
    ServerUnavailable,
    /// More redirects than a device follows: a loop, or a chain too long.
    RedirectLoop,
    /// A redirect a device cannot follow: to a `file:` or other non-HTTP URL, or to a
    /// `Location` that is no URL.
    RedirectUnusable,
    UnexpectedStatus,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Ok => "ok",
            Code::BodyIncomplete => "body_incomplete",
            Code::CredentialsRejected => "credentials_rejected",
            Code::StaleNonce => "stale_nonce",
            Code::StaleLoop => "stale_loop",
            Code::RealmChanged => "realm_changed",
            Code::AlgorithmUnsupported => "algorithm_unsupported",
            Code::BasicOnly => "basic_only",
            Code::NoChallenge => "no_challenge",
            Code::ChallengeMalformed => "challenge_malformed",
            Code::UriMismatch => "uri_mismatch",
            Code::RedirectOtherHost => "redirect_other_host",
            Code::LockoutSuspected => "lockout_suspected",
            Code::AccessDenied => "access_denied",
            Code::TlsError => "tls_error",
            Code::Timeout => "timeout",
            Code::ConnectionFailed => "connection_failed",
            Code::ConnectionClosed => "connection_closed",
            Code::ProtocolError => "protocol_error",
            Code::RequestNotBuilt => "request_not_built",
            Code::NotFound => "not_found",
            Code::MacPasswordUnknown => "mac_password_unknown",
            Code::NoCredentials => "no_credentials",
            Code::ManualEntryTimedOut => "manual_entry_timed_out",
            Code::ServerError => "server_error",
            Code::RateLimited => "rate_limited",
            Code::ServerUnavailable => "server_unavailable",
            Code::RedirectLoop => "redirect_loop",
            Code::RedirectUnusable => "redirect_unusable",
            Code::UnexpectedStatus => "unexpected_status",
        }
    }
}

/// How a finding is shown: green, blue, amber or red.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Ok,
    Info,
    Warning,
    Error,
}

/// One finding: the cause with the values seen, and the fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnosis {
    pub code: Code,
    pub severity: Severity,
    /// One line for a banner.
    pub title: String,
    /// What happened, with the concrete values.
    pub message: String,
    /// What to do about it.
    pub fix: String,
}

impl Diagnosis {
    /// The fix to show: none for a success, where "Fix: Nothing to fix." says nothing. Both
    /// faces ask this, so the window and the command line agree.
    pub fn fix_to_show(&self) -> Option<&str> {
        (self.severity != Severity::Ok).then_some(self.fix.as_str())
    }
}
