//! Rules over a fetch transcript that name what went wrong, in words for someone who never read
//! RFC 7616, with the concrete values seen and what to do. Each finding has a stable code.

use super::events::{Attempt, Step, Transcript, TransportKind};
use super::finding::{Code, Diagnosis, Severity};
use super::target::origin;
use crate::digest::Algorithm;

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

/// Every finding for a transcript, the main one first.
pub fn diagnose(transcript: &Transcript) -> Vec<Diagnosis> {
    let mut out = Vec::new();
    let Some(last) = transcript.steps.last() else {
        return out;
    };
    let model = transcript.setting.model;
    let stale_steps: Vec<&Step> = transcript
        .steps
        .iter()
        .filter(|s| s.answer.is_some() && is_stale_401(s))
        .collect();
    let rejected: Vec<&Step> = transcript
        .steps
        .iter()
        .filter(|s| s.answer.is_some() && s.status() == Some(401) && !is_stale_401(s))
        .collect();
    let foreign_redirect = foreign_redirect(transcript);

    if let Some((kind, message)) = &last.error {
        let host = host_of(&last.request.url);
        out.push(match kind {
            TransportKind::Tls => finding(
                Code::TlsError,
                Severity::Error,
                "The TLS connection failed",
                format!("The secure connection to {host} could not be set up: {message}."),
                "If the server uses a certificate from a private CA, give provdesk that CA (CA file) and install it on the device too, or use the device's \"accept all certificates\" setting (provdesk: Accept all certificates). Check that the certificate names this host and has not expired.",
            ),
            TransportKind::Timeout if !rejected.is_empty() => lockout(&rejected, "went silent"),
            TransportKind::Timeout => finding(
                Code::Timeout,
                Severity::Error,
                "The server did not answer in time",
                format!("{host} accepted the request for {} but sent no complete answer: {message}.", last.request.target),
                "Check that the server process is running and not overloaded, and that no firewall drops the traffic silently. A device waits about as long before it gives up.",
            ),
            TransportKind::Connect | TransportKind::Other => finding(
                Code::ConnectionFailed,
                Severity::Error,
                "No connection to the server",
                format!("{host} could not be reached: {message}."),
                "Check the host name and port in the provisioning URL, that the server is running, and that this laptop (and the device) can reach it.",
            ),
        });
        return out;
    }
    let Some(response) = &last.response else {
        return out;
    };
    let status = response.status;

    if response.is_success() {
        let attempt = last.request.attempt;
        let mut message = format!(
            "The {model} gets its configuration: {} {} on request {} with {} ({} bytes).",
            status,
            response.reason,
            transcript.steps.len(),
            attempt.describe(),
            response.body_size
        );
        if !rejected.is_empty() {
            message.push_str(&format!(
                " Refused before that: {}. That is normal when the server knows only the later credentials.",
                describe_rejections(&rejected)
            ));
        }
        out.push(finding(
            Code::Ok,
            Severity::Ok,
            format!("OK: {status} with {}", attempt.describe()),
            message,
            "Nothing to fix.",
        ));
        if !stale_steps.is_empty() {
            out.push(stale_handled(stale_steps.len()));
        }
        return out;
    }

    match status {
        400 if last.answer.is_some() => out.push(finding(
            Code::UriMismatch,
            Severity::Error,
            "The server rejects the digest as malformed (400)",
            format!(
                "The device answered the challenge for uri \"{}\" and the server replied 400 Bad Request instead of 401. Apache and lighttpd do this when the uri inside the digest differs from the path the request was sent to.",
                last.request.target
            ),
            "Look for a proxy or load balancer that rewrites the path or adds a prefix, and for URLs with characters that get re-encoded on the way. The URL the device requests must reach the server unchanged.",
        )),
        403 | 429 if !rejected.is_empty() => out.push(lockout(&rejected, &format!("answered {status}"))),
        403 => out.push(finding(
            Code::AccessDenied,
            Severity::Error,
            "The server forbids this file (403)",
            format!("{} answered 403 Forbidden for {} without asking for credentials.", host_of(&last.request.url), last.request.target),
            "Check the file permissions on the server and any allow/deny rules for this path or this device's network.",
        )),
        404 => out.push(finding(
            Code::NotFound,
            Severity::Error,
            "The configuration file does not exist (404)",
            format!(
                "The server has no file at {}.{}",
                last.request.target,
                transcript
                    .setting
                    .mac
                    .as_ref()
                    .map(|mac| format!(" The device asks for exactly this name (its MAC is {mac})."))
                    .unwrap_or_default()
            ),
            "Put the file at that path (render it from the Templates panel, named as the device asks), or correct the provisioning URL.",
        )),
        500..=599 => out.push(finding(
            Code::ServerError,
            Severity::Error,
            format!("The server failed ({status})"),
            format!("{} answered {status} {} for {}.", host_of(&last.request.url), response.reason, last.request.target),
            "Read the server's error log; the problem is on the server, not in the device's credentials.",
        )),
        401 => diagnose_401(
            transcript,
            last,
            &rejected,
            &stale_steps,
            foreign_redirect.as_deref(),
            &mut out,
        ),
        _ => out.push(finding(
            Code::UnexpectedStatus,
            Severity::Error,
            format!("Unexpected answer {status}"),
            format!("The server answered {status} {} for {}.", response.reason, last.request.target),
            "Check the URL and the server's configuration for this path.",
        )),
    }
    if let Some(target) = &foreign_redirect
        && !out.iter().any(|d| d.code == Code::RedirectOtherHost)
    {
        out.push(redirect_other_host(target));
    }
    out
}

fn diagnose_401(
    transcript: &Transcript,
    last: &Step,
    rejected: &[&Step],
    stale_steps: &[&Step],
    foreign_redirect: Option<&str>,
    out: &mut Vec<Diagnosis>,
) {
    let model = transcript.setting.model;
    let offered: Vec<String> = last
        .challenges
        .iter()
        .map(|c| match &c.digest {
            Some(d) => format!(
                "Digest {}",
                d.algorithm
                    .as_ref()
                    .map_or_else(|name| name.clone(), |a| a.name().to_string())
            ),
            None => c.scheme.clone(),
        })
        .collect();
    if let Some(target) = foreign_redirect {
        out.push(redirect_other_host(target));
    } else if last.challenges.is_empty() && last.challenge_error.is_none() {
        out.push(finding(
            Code::NoChallenge,
            Severity::Error,
            "401 without a challenge",
            format!(
                "The server answered 401 Unauthorized for {} but sent no WWW-Authenticate header, so neither the device nor any other client can know how to log in.",
                last.request.target
            ),
            "Fix the server's authentication setup (for lighttpd: auth.require with method \"digest\"; for Apache: AuthType Digest). A proxy in front may also strip the header.",
        ));
    } else if let Some(error) = &last.challenge_error {
        out.push(finding(
            Code::ChallengeMalformed,
            Severity::Error,
            "The server's challenge is malformed",
            format!("{error}."),
            "Fix the server or the proxy that writes the WWW-Authenticate header.",
        ));
    } else if last
        .chosen
        .as_ref()
        .is_some_and(|(index, _)| index.is_none())
    {
        let any_digest = last
            .challenges
            .iter()
            .any(|c| c.scheme.eq_ignore_ascii_case("digest"));
        if any_digest {
            let supported: Vec<&str> = transcript
                .setting
                .algorithms
                .iter()
                .map(|a| a.name())
                .collect();
            out.push(finding(
                Code::AlgorithmUnsupported,
                Severity::Error,
                "The server asks for a digest algorithm the device does not have",
                format!(
                    "The server offers {}; the {model} answers {} only.",
                    offered.join(", "),
                    supported.join(", ")
                ),
                format!(
                    "Enable {} on the server as well (lighttpd: algorithm \"{} SHA-256\" in auth.require; Apache's mod_auth_digest does MD5).",
                    supported.first().copied().unwrap_or(Algorithm::Md5.name()),
                    supported.first().copied().unwrap_or(Algorithm::Md5.name())
                ),
            ));
        } else {
            out.push(finding(
                Code::BasicOnly,
                Severity::Error,
                "The server asks for Basic authentication only",
                format!(
                    "The server offers {}; the {model} authenticates with HTTP Digest only and never sends a Basic password.",
                    offered.join(", ")
                ),
                "Switch the server to Digest authentication for the provisioning folder (lighttpd: method \"digest\"; Apache: AuthType Digest with mod_auth_digest).",
            ));
        }
    } else if stale_steps.len() > 3 || (stale_steps.len() >= 2 && last_is_stale(last)) {
        out.push(finding(
            Code::StaleLoop,
            Severity::Error,
            "The server says \"stale nonce\" again and again",
            format!(
                "The device's answer was right {} times, yet each time the server replied stale=true with a new nonce. A nonce that is already stale when it is used means the server thinks it is too old or from the future.",
                stale_steps.len()
            ),
            "Check the nonce lifetime on the server (lighttpd 600 s, Apache AuthDigestNonceLifetime) and the clocks: several servers behind a load balancer with different times, or a nonce secret that differs between them, cause exactly this loop.",
        ));
    } else if let Some((first, later)) = realm_change(transcript) {
        out.push(finding(
            Code::RealmChanged,
            Severity::Error,
            "The server changes its realm between requests",
            format!(
                "The first challenge named realm \"{first}\", a later one \"{later}\". A digest password is bound to its realm, so an answer computed for one realm fails under the other."
            ),
            "Give every server (or virtual host) behind this URL the same realm and the same user file; look for a load balancer mixing differently configured servers.",
        ));
    } else if !rejected.is_empty() {
        let realm = last
            .chosen_challenge()
            .and_then(|c| c.digest.as_ref())
            .map(|d| d.realm.clone())
            .unwrap_or_default();
        let users: Vec<String> = rejected
            .iter()
            .filter_map(|s| s.answer.as_ref().map(|a| format!("\"{}\"", a.username)))
            .collect();
        out.push(finding(
            Code::CredentialsRejected,
            Severity::Error,
            "The server refuses the credentials (the \"401 loop\")",
            format!(
                "Refused: {}. Each time the server answered with a new challenge without stale=true, which means \"wrong user name or password\", not \"try again\". {}",
                describe_rejections(rejected),
                if transcript.manual_prompts > 0 {
                    format!("The {model} now lets the user type credentials on its display; without the right ones its fetch fails, at every provisioning interval again.")
                } else {
                    format!("The {model} has no other credentials to try, so its fetch fails, and at every provisioning interval it will fail the same way.")
                }
            ),
            format!(
                "Make the server's user file hold {} for realm \"{realm}\" with the password stored in provdesk, or correct the password in provdesk and on the device. A digest password only works for the realm it was made for.",
                users.join(" or ")
            ),
        ));
    } else {
        out.push(finding(
            Code::NoCredentials,
            Severity::Error,
            "The device has no credentials to answer with",
            format!(
                "The server asks for credentials and the {model} has none to give: {}.",
                skipped_reasons(transcript)
            ),
            "Register the device with the redirect server (which gives it its MAC password) or set digest credentials for the device or its site.",
        ));
    }
    if transcript
        .skipped
        .iter()
        .any(|(attempt, _)| *attempt == Attempt::Mac)
    {
        let mac = transcript
            .setting
            .mac
            .clone()
            .unwrap_or_else(|| "the device".to_string());
        out.push(finding(
            Code::MacPasswordUnknown,
            Severity::Warning,
            "No MAC password is known",
            format!("The {model} first tries user {mac} with its MAC password, but provdesk does not know the MAC password of {mac}, so that step was skipped."),
            "Register the device with the redirect server first (Redirect panel): the answer carries the MAC password, which provdesk stores for this device.",
        ));
    }
    if !stale_steps.is_empty() && !out.iter().any(|d| d.code == Code::StaleLoop) {
        out.push(stale_handled(stale_steps.len()));
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

fn lockout(rejected: &[&Step], what: &str) -> Diagnosis {
    finding(
        Code::LockoutSuspected,
        Severity::Error,
        "The server seems to have locked this client out",
        format!(
            "After {} refused attempt(s) ({}) the server {what}. Servers with fail2ban or the nginx digest module block an address after a few failures; a device's deliberate MAC / MAC password attempt counts as one.",
            rejected.len(),
            describe_rejections(rejected)
        ),
        "Wait for the lockout to expire (nginx digest module: 300 s after 5 failures) or unblock this address on the server, then fix the credentials before trying again.",
    )
}

fn stale_handled(count: usize) -> Diagnosis {
    finding(
        Code::StaleNonce,
        Severity::Info,
        "A stale nonce was renewed",
        format!(
            "The server reported stale=true {count} time(s): the credentials were right but the nonce had expired; the device answered again with the new nonce, as it should."
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

/// The first two different realms among the challenges, in order.
fn realm_change(transcript: &Transcript) -> Option<(String, String)> {
    let mut realms = transcript
        .steps
        .iter()
        .filter_map(|s| s.chosen_challenge().or_else(|| s.challenges.first()))
        .filter_map(|c| c.digest.as_ref().map(|d| d.realm.clone()));
    let first = realms.next()?;
    let later = realms.find(|r| *r != first)?;
    Some((first, later))
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

fn skipped_reasons(transcript: &Transcript) -> String {
    if transcript.skipped.is_empty() {
        return "nothing was configured".to_string();
    }
    transcript
        .skipped
        .iter()
        .map(|(_, reason)| reason.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

fn host_of(url: &str) -> String {
    reqwest::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str().map(|h| match u.port() {
                Some(p) => format!("{h}:{p}"),
                None => h.to_string(),
            })
        })
        .unwrap_or_else(|| url.to_string())
}
