//! Causes read from how the last request ended: no answer at all, the file, or a status other
//! than 401.

use super::refusal::{self, Said};
use super::{Facts, describe_rejections, finding, host_of, lockout};
use crate::fetch::Unreachable;
use crate::fetch::events::TransportKind;
use crate::fetch::finding::{Code, Diagnosis, Severity};

pub(super) fn transport_failed(facts: &Facts) -> Option<Diagnosis> {
    let (kind, message) = facts.last.error.as_ref()?;
    let host = host_of(&facts.last.request.url);
    Some(match kind {
        TransportKind::Tls => finding(
            Code::TlsError,
            Severity::Error,
            "The TLS connection failed",
            format!("The secure connection to {host} could not be set up: {message}."),
            "If the server uses a certificate from a private CA, give provdesk that CA (CA file) and install it on the device too, or use the device's \"accept all certificates\" setting (provdesk: Accept all certificates). Check that the certificate names this host and has not expired.",
        ),
        TransportKind::Timeout if !facts.rejected.is_empty() => {
            lockout(&facts.rejected, "went silent", &Said::default())
        }
        // The HTTP client's own words ("error sending request for url …") stay in the step,
        // for whoever wants them; the finding says what an installer can act on.
        TransportKind::Timeout => finding(
            Code::Timeout,
            Severity::Error,
            "The server did not answer in time",
            format!(
                "{host} took the request for {} but sent no complete answer within {} s, the time this test waits for each answer (the step shows the technical cause).",
                facts.last.request.target,
                facts.transcript.setting.timeout.as_secs_f32()
            ),
            "Check that the provisioning server is running and not overloaded, and that no firewall between here and the server silently drops the traffic. A phone fetching this URL gets no answer either, so it gets no configuration. If the server may only be slow, test again with a longer timeout to tell slow from silent.",
        ),
        TransportKind::Protocol => finding(
            Code::ProtocolError,
            Severity::Error,
            "The server's answer is not valid HTTP",
            format!("{host} answered, but not with valid HTTP: {message}."),
            "Check that the URL names the provisioning server's HTTP port (not another service on that port, and https:// where the server speaks TLS), and look at the server or the proxy in front of it: a header it sends is malformed or too large. A device cannot read this answer either.",
        ),
        TransportKind::Closed if !facts.rejected.is_empty() => lockout(
            &facts.rejected,
            "closed the connection without answering",
            &Said::default(),
        ),
        TransportKind::Closed => finding(
            Code::ConnectionClosed,
            Severity::Error,
            "The server closed the connection without answering",
            format!(
                "{host} accepted the connection, then closed it before a complete answer to {} came: {message}.",
                facts.last.request.target
            ),
            "The server was reached, so the host name, port and route are not the problem. Look in the server's error log, and in that of any proxy or load balancer in front of it, at this time: a crash, a worker restart or a refused request closes the connection without an answer. Check that the URL's scheme matches the port (a port that expects TLS may hang up on a plain http:// request), and whether a rule closes connections from this address or for this path (nginx's \"return 444\" does). A device gets no answer either.",
        ),
        TransportKind::NotSent => finding(
            Code::RequestNotBuilt,
            Severity::Error,
            "provdesk could not build the request",
            format!("Nothing was sent to {host}: provdesk could not build the request: {message}."),
            "Fix the URL (a URL of tens of kilobytes, a character no request line can carry) or the firmware value (it goes into the User-Agent header, so it cannot hold a line break or other control character).",
        ),
        TransportKind::NameNotFound => finding(
            Code::ConnectionFailed,
            Severity::Error,
            "The server's name is not found",
            // The words say all that the resolver's message does; it stays in the request's
            // log line for whoever wants it.
            format!(
                "Nothing was sent, because {}.",
                Unreachable::NameNotFound.words(&host)
            ),
            "Check the spelling of the host name in the provisioning URL. A name of the customer's own network resolves only through that network's DNS: connect this laptop to it (or to its VPN). The device asks the DNS server its network gives it.",
        ),
        TransportKind::Refused => finding(
            Code::ConnectionFailed,
            Severity::Error,
            "Nothing answers on that port",
            format!(
                "The host was reached, but {}.",
                Unreachable::Refused.words(&host)
            ),
            "Check the port in the provisioning URL (http:// means 80 and https:// 443 unless the URL gives one), and that the server is running and listens on this address, not only on its own 127.0.0.1.",
        ),
        TransportKind::Connect | TransportKind::Other => finding(
            Code::ConnectionFailed,
            Severity::Error,
            "No connection to the server",
            format!("{host} could not be reached: {message}."),
            "Check the host name and port in the provisioning URL, that the server is running, and that this laptop (and the device) can reach it.",
        ),
    })
}

pub(super) fn fetched(facts: &Facts) -> Option<Diagnosis> {
    let response = facts.response().filter(|r| r.is_success())?;
    let attempt = facts.last.request.attempt;
    let mut message = format!(
        "The {} gets its configuration: {} {} on request {} with {} ({} bytes).",
        facts.model,
        response.status,
        response.reason,
        facts.transcript.steps.len(),
        attempt.describe(),
        response.body_size
    );
    if !facts.rejected.is_empty() {
        message.push_str(&format!(
            " Refused before that: {}. That is normal when the server knows only the later credentials.",
            describe_rejections(&facts.rejected)
        ));
    }
    Some(finding(
        Code::Ok,
        Severity::Ok,
        format!("OK: {} with {}", response.status, attempt.describe()),
        message,
        "Nothing to fix.",
    ))
}

pub(super) fn uri_mismatch(facts: &Facts) -> Option<Diagnosis> {
    (facts.status() == Some(400) && facts.last.answer.is_some()).then(|| finding(
        Code::UriMismatch,
        Severity::Error,
        "The server rejects the digest as malformed (400)",
        format!(
            "The device answered the challenge for uri \"{}\" and the server replied 400 Bad Request instead of 401. Apache and lighttpd do this when the uri inside the digest differs from the path the request was sent to.",
            facts.last.request.target
        ),
        "Look for a proxy or load balancer that rewrites the path or adds a prefix, and for URLs with characters that get re-encoded on the way. The URL the device requests must reach the server unchanged.",
    ))
}

/// A 403 or 429 after refused credentials: a lockout is likely, with the server's words and
/// how long to wait.
pub(super) fn locked_out(facts: &Facts) -> Option<Diagnosis> {
    let response = facts.response().filter(|r| matches!(r.status, 403 | 429))?;
    let what = format!("answered {} {}", response.status, response.reason);
    (!facts.rejected.is_empty()).then(|| lockout(&facts.rejected, &what, &refusal::read(response)))
}

pub(super) fn access_denied(facts: &Facts) -> Option<Diagnosis> {
    let response = facts.response().filter(|r| r.status == 403)?;
    Some(finding(
        Code::AccessDenied,
        Severity::Error,
        "The server forbids this file (403)",
        format!(
            "{} answered 403 Forbidden for {} without asking for credentials.{}",
            host_of(&facts.last.request.url),
            facts.last.request.target,
            refusal::read(response).quoted()
        ),
        "Check the file permissions on the server and any allow/deny rules for this path or this device's network.",
    ))
}

pub(super) fn not_found(facts: &Facts) -> Option<Diagnosis> {
    let mac = facts.transcript.setting.mac.as_ref();
    (facts.status() == Some(404)).then(|| finding(
        Code::NotFound,
        Severity::Error,
        "The configuration file does not exist (404)",
        format!(
            "The server has no file at {}.{}",
            facts.last.request.target,
            mac.map(|mac| format!(" The device asks for exactly this name (its MAC is {mac})."))
                .unwrap_or_default()
        ),
        "Put the file at that path (render it from the Templates panel, named as the device asks), or correct the provisioning URL.",
    ))
}

pub(super) fn server_error(facts: &Facts) -> Option<Diagnosis> {
    let response = facts
        .response()
        .filter(|r| (500..=599).contains(&r.status))?;
    let status = response.status;
    Some(finding(
        Code::ServerError,
        Severity::Error,
        format!("The server failed ({status})"),
        format!(
            "{} answered {status} {} for {}.{}",
            host_of(&facts.last.request.url),
            response.reason,
            facts.last.request.target,
            refusal::read(response).quoted()
        ),
        "Read the server's error log; the problem is on the server, not in the device's credentials.",
    ))
}

/// The last resort: any answer no other rule explains.
pub(super) fn unexpected_status(facts: &Facts) -> Option<Diagnosis> {
    let response = facts.response()?;
    let status = response.status;
    Some(finding(
        Code::UnexpectedStatus,
        Severity::Error,
        format!("Unexpected answer {status}"),
        format!(
            "The server answered {status} {} for {}.",
            response.reason, facts.last.request.target
        ),
        "Check the URL and the server's configuration for this path.",
    ))
}
