//! Rules over a fetch transcript that name what went wrong, in words for someone who never read
//! RFC 7616, with the concrete values seen and what to do. Each finding has a stable code.
//!
//! The rules are two ordered tables of small functions rather than one long `if` chain, so a new
//! cause is a new row and the order of precedence can be read at a glance: `CAUSES` gives the
//! main finding (the first rule that matches), `ALSO` what is worth saying beside it.

mod incomplete;
mod redirect;
mod refusal;
mod status;
mod unauthorized;

use super::events::{Attempt, ReceivedResponse, Step, Transcript};
use super::finding::{Code, Diagnosis, Severity};
use super::target::{host_header, origin};
use refusal::Said;

/// What the rules read: the transcript and what is worked out from it once.
struct Facts<'t> {
    transcript: &'t Transcript,
    last: &'t Step,
    model: &'static str,
    /// Answers the server called stale: right credentials, expired nonce.
    stale_steps: Vec<&'t Step>,
    /// Answers the server refused outright.
    rejected: Vec<&'t Step>,
    foreign_redirect: Option<String>,
}

impl<'t> Facts<'t> {
    fn of(transcript: &'t Transcript) -> Option<Self> {
        let last = transcript.steps.last()?;
        let answered = || transcript.steps.iter().filter(|s| s.answer.is_some());
        Some(Self {
            transcript,
            last,
            model: transcript.setting.model,
            stale_steps: answered().filter(|s| is_stale_401(s)).collect(),
            rejected: answered()
                .filter(|s| s.status() == Some(401) && !is_stale_401(s))
                .collect(),
            foreign_redirect: foreign_redirect(transcript),
        })
    }

    /// The last response, unless the last request failed in transport.
    fn response(&self) -> Option<&'t ReceivedResponse> {
        match self.last.error {
            Some(_) => None,
            None => self.last.response.as_ref(),
        }
    }

    fn status(&self) -> Option<u16> {
        self.response().map(|r| r.status)
    }
}

/// A rule for the main finding: `Some` when it names what went wrong.
type Cause = fn(&Facts) -> Option<Diagnosis>;

/// A rule for a finding beside the main one, which it may read to avoid saying a thing twice.
type Addition = fn(&Facts, &[Diagnosis]) -> Option<Diagnosis>;

/// The main finding is the first of these that matches.
const CAUSES: &[Cause] = &[
    status::transport_failed,
    incomplete::body_incomplete,
    status::fetched,
    status::uri_mismatch,
    status::locked_out,
    refusal::refused_with_reason,
    status::access_denied,
    status::not_found,
    status::server_error,
    unauthorized::redirected_elsewhere,
    unauthorized::no_challenge,
    unauthorized::challenge_malformed,
    unauthorized::algorithm_unsupported,
    unauthorized::basic_only,
    unauthorized::stale_loop,
    unauthorized::realm_changed,
    unauthorized::credentials_rejected,
    unauthorized::manual_entry_timed_out,
    unauthorized::no_credentials,
    redirect::redirect_loop,
    redirect::redirect_unusable,
    status::unexpected_status,
];

/// Said after the main finding, in this order, where they apply.
const ALSO: &[Addition] = &[
    unauthorized::mac_password_unknown,
    stale_renewed,
    redirected_elsewhere_too,
];

/// Every finding for a transcript, the main one first.
pub fn diagnose(transcript: &Transcript) -> Vec<Diagnosis> {
    let Some(facts) = Facts::of(transcript) else {
        return Vec::new();
    };
    let Some(main) = CAUSES.iter().find_map(|cause| cause(&facts)) else {
        return Vec::new();
    };
    let mut out = vec![main];
    for addition in ALSO {
        if let Some(found) = addition(&facts, &out) {
            out.push(found);
        }
    }
    out
}

fn finding(
    code: Code,
    severity: Severity,
    title: impl Into<String>,
    message: impl Into<String>,
    fix: impl Into<String>,
) -> Diagnosis {
    Diagnosis {
        code,
        severity,
        title: title.into(),
        message: message.into(),
        fix: fix.into(),
    }
}

/// A renewed nonce is worth a word after a success or a refusal, unless the main finding is
/// already the stale loop.
fn stale_renewed(facts: &Facts, found: &[Diagnosis]) -> Option<Diagnosis> {
    let after = facts
        .response()
        .is_some_and(|r| r.is_success() || r.status == 401);
    let looped = found.iter().any(|d| d.code == Code::StaleLoop);
    (after && !facts.stale_steps.is_empty() && !looped)
        .then(|| stale_handled(facts.stale_steps.len()))
}

/// Whatever else failed, a redirect to another origin explains why no credentials followed.
fn redirected_elsewhere_too(facts: &Facts, found: &[Diagnosis]) -> Option<Diagnosis> {
    let failed = facts.response().is_some_and(|r| !r.is_success());
    let said = found.iter().any(|d| d.code == Code::RedirectOtherHost);
    match &facts.foreign_redirect {
        Some(target) if failed && !said => Some(redirect_other_host(target)),
        _ => None,
    }
}

/// The origin a redirect led to when it differs from the origin of the request it answered:
/// read from consecutive requests with the same test the ladder applies before it withholds
/// credentials.
fn foreign_redirect(transcript: &Transcript) -> Option<String> {
    transcript.steps.windows(2).find_map(|pair| {
        let redirected = pair[0].status().is_some_and(|s| (300..400).contains(&s));
        let from = origin(&reqwest::Url::parse(&pair[0].request.url).ok()?);
        let to = origin(&reqwest::Url::parse(&pair[1].request.url).ok()?);
        (redirected && from != to).then_some(to)
    })
}

fn redirect_other_host(target: &str) -> Diagnosis {
    finding(
        Code::RedirectOtherHost,
        Severity::Error,
        "The server redirects to another host",
        format!(
            "Redirected to another host ({target}): no credentials are sent there. The device, like curl, does not send its credentials to a host it was not configured for, so the other host's challenge stays unanswered."
        ),
        "Put the final address into the provisioning URL (and the redirect server registration) instead of relying on the redirect.",
    )
}

/// A lockout: after refused credentials in this fetch, or in the server's own words without
/// any (an earlier fetch, the device itself or a neighbour behind the same address failed).
fn lockout(rejected: &[&Step], what: &str, said: &Said) -> Diagnosis {
    let message = if rejected.is_empty() {
        format!(
            "The server {what}, in words that say this client is locked out.{} No credentials were refused in this fetch: earlier attempts count (an earlier fetch, the device itself, or another device behind the same address).",
            said.quoted()
        )
    } else {
        format!(
            "After {} ({}) the server {what}.{} Servers with fail2ban or the nginx digest module block an address after a few failures; a device's deliberate MAC / MAC password attempt counts as one.",
            crate::words::count(rejected.len(), "refused attempt"),
            describe_rejections(rejected),
            said.quoted()
        )
    };
    finding(
        Code::LockoutSuspected,
        Severity::Error,
        "The server seems to have locked this client out",
        message,
        format!(
            "{}, or unblock this address on the server; then fix the credentials before trying again: every refused attempt may start the lockout anew.",
            said.wait()
        ),
    )
}

fn stale_handled(count: usize) -> Diagnosis {
    finding(
        Code::StaleNonce,
        Severity::Info,
        "A stale nonce was renewed",
        format!(
            "The server reported stale=true {}: the credentials were right but the nonce had expired; the device answered again with the new nonce, as it should.",
            if count == 1 {
                "once".to_string()
            } else {
                crate::words::count(count, "time")
            }
        ),
        "Nothing to fix unless it happens on every request (then check the server's nonce lifetime and clock).",
    )
}

fn is_stale_401(step: &Step) -> bool {
    step.status() == Some(401) && last_is_stale(step)
}

fn last_is_stale(step: &Step) -> bool {
    step.chosen_challenge()
        .or_else(|| step.challenges.first())
        .and_then(|c| c.digest.as_ref())
        .is_some_and(|d| d.stale)
}

fn describe_rejections(rejected: &[&Step]) -> String {
    rejected
        .iter()
        .filter_map(|step| {
            let answer = step.answer.as_ref()?;
            Some(match step.request.attempt {
                Attempt::Mac => format!("user {} with the MAC password", answer.username),
                Attempt::Configured => format!("the configured user \"{}\"", answer.username),
                Attempt::Manual => format!("the typed user \"{}\"", answer.username),
                Attempt::None => format!("user \"{}\"", answer.username),
            })
        })
        .collect::<Vec<_>>()
        .join(", then ")
}

/// The host (and port) a URL names, as the request's `Host` header carried it.
fn host_of(url: &str) -> String {
    reqwest::Url::parse(url)
        .ok()
        .filter(|u| u.host_str().is_some())
        .map_or_else(|| url.to_string(), |u| host_header(&u))
}
