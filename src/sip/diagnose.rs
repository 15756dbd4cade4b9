//! The findings of a SIP test: a stable code, a severity, the cause with the values seen, and
//! the fix in words an installer can act on. The runner knows why it stopped; these functions
//! only put it into words, so the CLI, the JSON report and the GUI say the same thing.

use std::time::Duration;

use serde::Serialize;

use super::binding::Binding;
use crate::device::SipTransport;
use crate::printable::printable;
use crate::words;

/// How much of a registrar's own text (a reason phrase, a header value) a finding quotes: the
/// text is outside data, so it is escaped and cut to what a line can hold.
const QUOTE_MAX: usize = 300;

fn quoted(text: &str) -> String {
    printable(text, QUOTE_MAX)
}

/// What a finding is about. The codes are stable: scripts and the inventory read them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SipCode {
    Ok,
    CredentialsRejected,
    RealmMismatch,
    StaleLoop,
    IntervalTooBrief,
    Forbidden,
    NotFound,
    NoAnswer,
    TlsError,
    DnsFailed,
    ServerError,
    /// TCP/TLS: the connection was refused or could not be opened.
    ConnectionFailed,
    /// TCP/TLS: the registrar's bytes cannot be read as SIP messages.
    BadAnswer,
    /// A final status none of the others explains.
    UnexpectedStatus,
    Cancelled,
    /// The account registered, but the test's own registration could not be removed again.
    BindingLeft,
}

impl SipCode {
    pub fn as_str(self) -> &'static str {
        match self {
            SipCode::Ok => "ok",
            SipCode::CredentialsRejected => "credentials_rejected",
            SipCode::RealmMismatch => "realm_mismatch",
            SipCode::StaleLoop => "stale_loop",
            SipCode::IntervalTooBrief => "interval_too_brief",
            SipCode::Forbidden => "forbidden",
            SipCode::NotFound => "not_found",
            SipCode::NoAnswer => "no_answer",
            SipCode::TlsError => "tls_error",
            SipCode::DnsFailed => "dns_failed",
            SipCode::ServerError => "server_error",
            SipCode::ConnectionFailed => "connection_failed",
            SipCode::BadAnswer => "bad_answer",
            SipCode::UnexpectedStatus => "unexpected_status",
            SipCode::Cancelled => "cancelled",
            SipCode::BindingLeft => "binding_left",
        }
    }
}

/// How a finding is shown: green, amber or red.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SipSeverity {
    Ok,
    Warning,
    Error,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SipDiagnosis {
    pub code: SipCode,
    pub severity: SipSeverity,
    pub title: String,
    /// The cause, with the values seen.
    pub message: String,
    /// What to do.
    pub fix: String,
}

fn finding(
    code: SipCode,
    severity: SipSeverity,
    title: &str,
    message: String,
    fix: &str,
) -> SipDiagnosis {
    SipDiagnosis {
        code,
        severity,
        title: title.to_string(),
        message,
        fix: fix.to_string(),
    }
}

/// Who was tested, for the words.
#[derive(Debug, Clone)]
pub struct Who<'a> {
    pub user: &'a str,
    pub digest_user: &'a str,
    pub domain: &'a str,
}

pub fn ok(status: u16, expires: Option<&str>) -> SipDiagnosis {
    let granted = expires.map_or(String::new(), |e| format!(" for {} s", quoted(e)));
    finding(
        SipCode::Ok,
        SipSeverity::Ok,
        "Registered",
        format!("The registrar answered {status}{granted}."),
        "Nothing to do: a phone with these settings registers.",
    )
}

/// The registrar answered an OPTIONS probe with a 2xx: it is reachable, and that is all the
/// probe can say, since OPTIONS registers nothing (the account's credentials went untested).
pub fn reachable(status: u16, transport: &str) -> SipDiagnosis {
    finding(
        SipCode::Ok,
        SipSeverity::Ok,
        "Registrar reachable",
        format!(
            "The registrar answered OPTIONS with {status} over {}. The probe registers nothing, \
             so the extension and password were not tested.",
            transport.to_uppercase()
        ),
        "Nothing to do for reachability; test without OPTIONS to check that the account registers.",
    )
}

/// Says in the verdict what became of the test's registration: a sentence on the main `ok`
/// finding when it was removed or kept, a warning of its own when it was left behind.
pub fn settle(findings: &mut Vec<SipDiagnosis>, binding: &Binding, who: &Who<'_>) {
    let sentence = match binding {
        Binding::Removed { status, .. } => format!(
            " The test then removed its registration again ({status}): calls to {} reach the \
             phones registered for it only.",
            who.user
        ),
        Binding::Kept { expires } => format!(
            " The registration was kept as asked: for {expires} s calls to {} also go to this \
             computer, where nothing answers them.",
            who.user
        ),
        Binding::Left { why, expires, .. } => {
            findings.push(binding_left(who, why, *expires));
            return;
        }
    };
    if let Some(ok) = findings.iter_mut().find(|f| f.code == SipCode::Ok) {
        ok.message.push_str(&sentence);
    }
}

fn binding_left(who: &Who<'_>, why: &str, expires: u32) -> SipDiagnosis {
    finding(
        SipCode::BindingLeft,
        SipSeverity::Warning,
        "The test registration is still there",
        format!(
            "Removing it (REGISTER with Expires: 0) failed: {}. The registrar keeps this \
             computer as a contact of {} for up to {expires} s: calls may ring here too, where \
             nothing answers, and a PBX that allows one contact per extension may have pushed \
             the phone out.",
            quoted(why),
            who.user
        ),
        "Wait until it expires, then re-register the phone (restart it) if it lost its \
         registration; or ask the PBX admin to delete this computer's binding.",
    )
}

/// Adds to the `ok` finding the registrar's minimum interval, learnt from a 423 to the
/// test's `asked` seconds.
pub fn minimum_noted(ok: &mut SipDiagnosis, asked: u32, min: u32) {
    ok.message.push_str(&format!(
        " It asks for at least {min} s between registrations (423 to the test's {asked} s, \
         then registered with {min} s): a phone's re-register time must be at least that."
    ));
}

pub fn credentials_rejected(who: &Who<'_>, realm: &str) -> SipDiagnosis {
    let mix_up = if who.digest_user == who.user {
        format!(
            " The digest used the extension {:?} as user name: many providers give a separate \
             authentication user (auth ID) — if yours did, fill it in.",
            who.user
        )
    } else {
        format!(
            " The digest used the authentication user {:?}, not the extension {:?}: check \
             that the two are not swapped.",
            who.digest_user, who.user
        )
    };
    finding(
        SipCode::CredentialsRejected,
        SipSeverity::Error,
        "Password or user refused",
        format!(
            "The registrar refused the digest answer of user {:?} for realm {:?} and \
             challenged again (the nonce was not stale, so the answer itself was wrong).{mix_up}",
            who.digest_user,
            quoted(realm)
        ),
        "Check the SIP password (copy it again from the provider or the PBX) and the \
         authentication user; mind capitals and blanks.",
    )
}

pub fn realm_mismatch(answered: &str, now: &str, domain: &str) -> SipDiagnosis {
    finding(
        SipCode::RealmMismatch,
        SipSeverity::Error,
        "The registrar changed its realm",
        format!(
            "The answer was computed for realm {:?}, and the registrar now challenges \
             for realm {:?} (SIP domain {domain:?}): the account is set up for another \
             domain or realm than the one asked.",
            quoted(answered),
            quoted(now)
        ),
        "Set the SIP domain to the one the provider gave (it is often the realm), or ask the \
         PBX admin which domain this account belongs to.",
    )
}

pub fn stale_loop(count: usize) -> SipDiagnosis {
    finding(
        SipCode::StaleLoop,
        SipSeverity::Error,
        "The registrar calls every nonce stale",
        format!(
            "{count} answers in a row came back as stale=true with a new nonce: the registrar \
             forgets its nonces (a cluster without shared nonce state, or a clock jump)."
        ),
        "Not a password problem: ask the PBX admin to check nonce handling (shared secret \
         across nodes, time sync); a phone would loop the same way.",
    )
}

pub fn interval_too_brief(asked: u32, min: u32, recovered: bool) -> SipDiagnosis {
    let (severity, outcome) = if recovered {
        (
            SipSeverity::Warning,
            "The retry with the minimum registered.",
        )
    } else {
        (SipSeverity::Error, "The registration did not go through.")
    };
    finding(
        SipCode::IntervalTooBrief,
        severity,
        "Registration interval too brief",
        format!("The registrar answered 423 to Expires {asked} with Min-Expires {min}. {outcome}"),
        "Set the phone's registration interval (re-register time) to at least the \
         registrar's Min-Expires.",
    )
}

/// A 423 that cannot be followed: its `Min-Expires` (`min`, as written) is missing, no number,
/// or not above the interval it refused, so no retry can satisfy it.
pub fn interval_refused(asked: u32, min: Option<&str>) -> SipDiagnosis {
    let why = match min.map(|m| (m, m.trim().parse::<u32>())) {
        None => "without the Min-Expires RFC 3261 requires, so there is no telling what \
                 interval it wants"
            .to_string(),
        Some((text, Err(_))) => format!(
            "with Min-Expires {:?}, which is no number of seconds (0 to 4294967295)",
            quoted(text)
        ),
        Some((_, Ok(min))) => format!(
            "with Min-Expires {min}, which is not above the {asked} it refused: the answer \
             contradicts itself (a registrar fault, or a proxy rewriting Expires)"
        ),
    };
    finding(
        SipCode::IntervalTooBrief,
        SipSeverity::Error,
        "Registration interval too brief",
        format!(
            "The registrar answered 423 to Expires {asked} {why}. The registration did not go \
             through."
        ),
        "A fault on the registrar's side: ask its admin for the minimum registration \
         interval; meanwhile a longer interval (--expires) may pass.",
    )
}

pub fn forbidden(who: &Who<'_>, reason: &str) -> SipDiagnosis {
    finding(
        SipCode::Forbidden,
        SipSeverity::Error,
        "Registration forbidden",
        format!(
            "The registrar answered 403 {} for {:?}@{}: the credentials may be right, \
             but this user may not register here (blocked, wrong domain, or from this address).",
            quoted(reason),
            who.user,
            who.domain
        ),
        "Ask the provider or PBX admin whether the account is enabled and may register from \
         this network; check the SIP domain.",
    )
}

pub fn not_found(who: &Who<'_>) -> SipDiagnosis {
    finding(
        SipCode::NotFound,
        SipSeverity::Error,
        "Unknown extension or domain",
        format!(
            "The registrar answered 404: it knows no user {:?} in domain {:?}.",
            who.user, who.domain
        ),
        "Check the extension and the SIP domain (the domain is often not the registrar's host \
         name); on a PBX, create the extension first.",
    )
}

/// What came in while a request waited for its final answer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Heard {
    /// The host answered ICMP port unreachable (UDP).
    pub icmp_refused: bool,
    /// Messages that answer other requests, or are no SIP.
    pub ignored: usize,
    /// 1xx answers to this request.
    pub provisional: usize,
}

/// No final answer: Timer F ran out, or the installer stopped waiting (`stopped`) once the
/// silence had said enough; either way the silence is the verdict, and its fix.
pub fn no_answer(
    transport: &str,
    elapsed: Duration,
    sends: usize,
    heard: &Heard,
    stopped: bool,
) -> SipDiagnosis {
    let icmp = if heard.icmp_refused {
        " The host answered \"port unreachable\" (ICMP): it is up, but nothing listens on that \
         port."
    } else {
        ""
    };
    let strays = if heard.ignored > 0 {
        format!(
            " {} did come, but none answers this request: {} other requests \
             (another Via branch, Call-ID or CSeq) or {} no SIP (see the notes in the log); \
             something on the way answers in the registrar's place, or mixes up transactions.",
            words::count(heard.ignored, "message"),
            words::agree(heard.ignored, "it answers", "they answer"),
            words::agree(heard.ignored, "is", "are")
        )
    } else {
        String::new()
    };
    let waited = if stopped {
        format!(
            "before the wait was stopped after {} and {}",
            words::duration(elapsed),
            words::count(sends, "send")
        )
    } else {
        format!(
            "after {} in {}",
            words::count(sends, "send"),
            words::duration(elapsed)
        )
    };
    if heard.provisional > 0 {
        return finding(
            SipCode::NoAnswer,
            SipSeverity::Error,
            "No final answer from the registrar",
            format!(
                "Over {transport} the registrar sent {} (1xx: working on it) but no final one \
                 {waited}.{strays}",
                words::count(heard.provisional, "provisional answer"),
            ),
            "The registrar is reachable but never finishes the REGISTER (a hung database, an \
             upstream registrar that does not answer): ask its admin to look up this Call-ID \
             in its log.",
        );
    }
    finding(
        SipCode::NoAnswer,
        SipSeverity::Error,
        "No answer from the registrar",
        format!("No SIP answer over {transport} {waited}.{icmp}{strays}"),
        "Check the registrar's host and port (5060 for UDP/TCP, 5061 for TLS), that a \
         firewall lets SIP through both ways, and the transport the provider asks for; \
         behind NAT, try TCP.",
    )
}

pub fn tls_error(detail: &str) -> SipDiagnosis {
    finding(
        SipCode::TlsError,
        SipSeverity::Error,
        "TLS handshake failed",
        format!("The TLS connection to the registrar failed: {detail}"),
        "Give the PBX's CA certificate with --cacert (PEM), or --insecure to accept any \
         certificate for this test; check that the port speaks TLS (usually 5061).",
    )
}

pub fn dns_failed(host: &str, detail: &str) -> SipDiagnosis {
    finding(
        SipCode::DnsFailed,
        SipSeverity::Error,
        "The registrar's name does not resolve",
        format!("No address for {host:?}: {detail}"),
        "Check the spelling of the registrar, the network's DNS server, or give its IP \
         address.",
    )
}

pub fn connection_failed(remote: &str, detail: &str) -> SipDiagnosis {
    finding(
        SipCode::ConnectionFailed,
        SipSeverity::Error,
        "The connection could not be opened",
        format!("Connecting to {remote} failed: {detail}"),
        "Check the port and the transport (does the registrar accept TCP/TLS?) and any \
         firewall on the way.",
    )
}

pub fn connection_closed(detail: &str) -> SipDiagnosis {
    finding(
        SipCode::ConnectionFailed,
        SipSeverity::Error,
        "The registrar closed the connection",
        format!("The connection was open, then {detail}."),
        "The registrar (or a firewall on the way) drops this connection: check that it takes \
         SIP over this transport from this address; its log says why.",
    )
}

/// The socket failed after it was open (a reset, a TLS alert, a send the network refused):
/// not a connection that could not be opened, and over TLS not a handshake that failed.
pub fn connection_broke(transport: SipTransport, detail: &str) -> SipDiagnosis {
    let code = if transport == SipTransport::Tls {
        SipCode::TlsError
    } else {
        SipCode::ConnectionFailed
    };
    finding(
        code,
        SipSeverity::Error,
        "The connection to the registrar broke",
        format!("The {transport} connection was open, then broke: {detail}."),
        "The registrar or a firewall on the way cut the connection (a reset, a TLS alert): \
         check the registrar's log and the firewall for this address, or test over another \
         transport.",
    )
}

pub fn bad_answer(transport: &str, detail: &str) -> SipDiagnosis {
    finding(
        SipCode::BadAnswer,
        SipSeverity::Error,
        "The registrar's answer is unreadable",
        format!(
            "Over {transport}, {}. A stream cannot be read past a broken message, so the test \
             closed the connection.",
            quoted(detail)
        ),
        "Nothing to change on the phone's side: the registrar, or something in between (an \
         SBC, a SIP-aware firewall), sends broken SIP. Tell its admin, quoting the log; a test \
         over another transport or port shows whether it is the path.",
    )
}

/// A 3xx is not followed: the credentials would go to a host the installer never named, and
/// a mistyped or hostile registrar could send them anywhere.
pub fn redirected(status: u16, reason: &str, targets: &str) -> SipDiagnosis {
    let to = if targets.is_empty() {
        "names no Contact to go to".to_string()
    } else {
        format!("points to {}", quoted(targets))
    };
    finding(
        SipCode::UnexpectedStatus,
        SipSeverity::Error,
        "The registrar redirects elsewhere",
        format!(
            "The registrar answered {status} {} and {to}. The redirect was not followed: no \
             request, and no credentials, went there.",
            quoted(reason)
        ),
        "If the provider confirms that host as its registrar, set it as the registrar and test \
         again; an unknown host may mean a mistyped registrar.",
    )
}

pub fn server_error(status: u16, reason: &str) -> SipDiagnosis {
    finding(
        SipCode::ServerError,
        SipSeverity::Error,
        "The registrar failed",
        format!("The registrar answered {status} {}.", quoted(reason)),
        "A fault on the provider's or PBX's side (overload, database, upstream): try again \
         later or tell its admin, quoting the status.",
    )
}

pub fn unexpected(status: u16, reason: &str) -> SipDiagnosis {
    finding(
        SipCode::UnexpectedStatus,
        SipSeverity::Error,
        "Unexpected answer",
        format!("The registrar answered {status} {}.", quoted(reason)),
        "Look at the answer's headers in the log; the status says what the registrar wants.",
    )
}

pub fn cancelled() -> SipDiagnosis {
    finding(
        SipCode::Cancelled,
        SipSeverity::Warning,
        "Cancelled",
        "The test was cancelled before it finished.".to_string(),
        "Start it again when ready.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A wait stopped at once read "stopped after 0.0 s"; below a second it counts
    /// milliseconds, as the rest of the app does.
    #[test]
    fn a_short_wait_without_an_answer_is_in_milliseconds() {
        let heard = Heard::default();
        let stopped = no_answer("UDP", Duration::from_millis(40), 1, &heard, true);
        assert!(
            stopped
                .message
                .contains("before the wait was stopped after 40 ms and 1 send"),
            "{}",
            stopped.message
        );
        let timed_out = no_answer("UDP", Duration::from_millis(2_400), 3, &heard, false);
        assert!(
            timed_out.message.contains("after 3 sends in 2.4 s"),
            "{}",
            timed_out.message
        );
    }
}
