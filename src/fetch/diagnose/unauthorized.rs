//! Causes of a fetch that ends in 401, from the most basic (nothing to answer) to the most
//! specific (the credentials themselves), and the MAC password finding beside them.

use super::{Facts, describe_rejections, finding, last_is_stale, redirect_other_host};
use crate::digest::Algorithm;
use crate::fetch::events::{Attempt, Transcript};
use crate::fetch::finding::{Code, Diagnosis, Severity};

/// `Some` when the last answer is 401: every rule here starts with `refused(facts)?`.
fn refused(facts: &Facts) -> Option<()> {
    (facts.status() == Some(401)).then_some(())
}

pub(super) fn redirected_elsewhere(facts: &Facts) -> Option<Diagnosis> {
    refused(facts)?;
    let target = facts.foreign_redirect.as_deref()?;
    Some(redirect_other_host(target))
}

pub(super) fn no_challenge(facts: &Facts) -> Option<Diagnosis> {
    refused(facts)?;
    let last = facts.last;
    (last.challenges.is_empty() && last.challenge_error.is_none()).then(|| finding(
        Code::NoChallenge,
        Severity::Error,
        "401 without a challenge",
        format!(
            "The server answered 401 Unauthorized for {} but sent no WWW-Authenticate header, so neither the device nor any other client can know how to log in.",
            last.request.target
        ),
        "Fix the server's authentication setup (for lighttpd: auth.require with method \"digest\"; for Apache: AuthType Digest). A proxy in front may also strip the header.",
    ))
}

pub(super) fn challenge_malformed(facts: &Facts) -> Option<Diagnosis> {
    refused(facts)?;
    let error = facts.last.challenge_error.as_ref()?;
    Some(finding(
        Code::ChallengeMalformed,
        Severity::Error,
        "The server's challenge is malformed",
        format!("{error}."),
        "Fix the server or the proxy that writes the WWW-Authenticate header.",
    ))
}

/// Whether the device found no challenge it can answer, and whether any of them was Digest.
fn nothing_answerable(facts: &Facts) -> Option<bool> {
    refused(facts)?;
    let last = facts.last;
    let none_chosen = last
        .chosen
        .as_ref()
        .is_some_and(|(index, _)| index.is_none());
    none_chosen.then(|| {
        last.challenges
            .iter()
            .any(|c| c.scheme.eq_ignore_ascii_case("digest"))
    })
}

pub(super) fn algorithm_unsupported(facts: &Facts) -> Option<Diagnosis> {
    if !nothing_answerable(facts)? {
        return None;
    }
    let supported: Vec<&str> = facts
        .transcript
        .setting
        .algorithms
        .iter()
        .map(|a| a.name())
        .collect();
    let first = supported.first().copied().unwrap_or(Algorithm::Md5.name());
    Some(finding(
        Code::AlgorithmUnsupported,
        Severity::Error,
        "The server asks for a digest algorithm the device does not have",
        format!(
            "The server offers {}; the {} answers {} only.",
            offered(facts).join(", "),
            facts.model,
            supported.join(", ")
        ),
        format!(
            "Enable {first} on the server as well (lighttpd: algorithm \"{first} SHA-256\" in auth.require; Apache's mod_auth_digest does MD5).",
        ),
    ))
}

pub(super) fn basic_only(facts: &Facts) -> Option<Diagnosis> {
    (!nothing_answerable(facts)?).then(|| finding(
        Code::BasicOnly,
        Severity::Error,
        "The server asks for Basic authentication only",
        format!(
            "The server offers {}; the {} authenticates with HTTP Digest only and never sends a Basic password.",
            offered(facts).join(", "),
            facts.model
        ),
        "Switch the server to Digest authentication for the provisioning folder (lighttpd: method \"digest\"; Apache: AuthType Digest with mod_auth_digest).",
    ))
}

/// The schemes (and Digest algorithms) of the last challenge, as the server named them.
fn offered(facts: &Facts) -> Vec<String> {
    facts
        .last
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
        .collect()
}

pub(super) fn stale_loop(facts: &Facts) -> Option<Diagnosis> {
    refused(facts)?;
    let stale = facts.stale_steps.len();
    (stale > 3 || (stale >= 2 && last_is_stale(facts.last))).then(|| finding(
        Code::StaleLoop,
        Severity::Error,
        "The server says \"stale nonce\" again and again",
        format!(
            "The device's answer was right {stale} times, yet each time the server replied stale=true with a new nonce. A nonce that is already stale when it is used means the server thinks it is too old or from the future."
        ),
        "Check the nonce lifetime on the server (lighttpd 600 s, Apache AuthDigestNonceLifetime) and the clocks: several servers behind a load balancer with different times, or a nonce secret that differs between them, cause exactly this loop.",
    ))
}

pub(super) fn realm_changed(facts: &Facts) -> Option<Diagnosis> {
    refused(facts)?;
    let (first, later) = realm_change(facts.transcript)?;
    Some(finding(
        Code::RealmChanged,
        Severity::Error,
        "The server changes its realm between requests",
        format!(
            "The first challenge named realm \"{first}\", a later one \"{later}\". A digest password is bound to its realm, so an answer computed for one realm fails under the other."
        ),
        "Give every server (or virtual host) behind this URL the same realm and the same user file; look for a load balancer mixing differently configured servers.",
    ))
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

pub(super) fn credentials_rejected(facts: &Facts) -> Option<Diagnosis> {
    refused(facts)?;
    let rejected = &facts.rejected;
    if rejected.is_empty() {
        return None;
    }
    let model = facts.model;
    let realm = facts
        .last
        .chosen_challenge()
        .and_then(|c| c.digest.as_ref())
        .map(|d| d.realm.clone())
        .unwrap_or_default();
    let users: Vec<String> = rejected
        .iter()
        .filter_map(|s| s.answer.as_ref().map(|a| format!("\"{}\"", a.username)))
        .collect();
    let next = if facts.transcript.manual_prompts > 0 {
        format!(
            "The {model} now lets the user type credentials on its display; without the right ones its fetch fails, at every provisioning interval again."
        )
    } else {
        format!(
            "The {model} has no other credentials to try, so its fetch fails, and at every provisioning interval it will fail the same way."
        )
    };
    Some(finding(
        Code::CredentialsRejected,
        Severity::Error,
        "The server refuses the credentials (the \"401 loop\")",
        format!(
            "Refused: {}. Each time the server answered with a new challenge without stale=true, which means \"wrong user name or password\", not \"try again\". {next}",
            describe_rejections(rejected),
        ),
        format!(
            "Make the server's user file hold {} for realm \"{realm}\" with the password stored in provdesk, or correct the password in provdesk and on the device. A digest password only works for the realm it was made for.",
            users.join(" or ")
        ),
    ))
}

/// A 401 the device asked the user about on its display, and nobody typed anything before it
/// closed the prompt: the fetch ended on the prompt's time, not for want of credentials, so
/// the fix is to type them in time, or to keep them where the phone needs no prompt.
pub(super) fn manual_entry_timed_out(facts: &Facts) -> Option<Diagnosis> {
    refused(facts)?;
    let idle = facts.transcript.manual_closed?.as_secs();
    Some(finding(
        Code::ManualEntryTimedOut,
        Severity::Error,
        format!("Nobody typed the credentials within {idle} s"),
        format!(
            "The server asks for credentials and the {model} had none to send ({}), so it \
             asked for them on its display. Nothing was typed for {idle} s: the phone closes \
             its prompt then and its fetch ends; the server never got an answer.",
            skipped_reasons(facts.transcript),
            model = facts.model,
        ),
        format!(
            "Start again and type the user name and password on the phone's prompt within \
             {idle} s; or store them in provdesk so the phone needs no prompt: in User name and \
             Password for an ad hoc fetch, on the form of an inventory device or its site \
             (registering the device with the redirect server gives it its MAC password)."
        ),
    ))
}

/// The last resort for a 401: the device had nothing to answer with.
pub(super) fn no_credentials(facts: &Facts) -> Option<Diagnosis> {
    refused(facts)?;
    let transcript = facts.transcript;
    Some(finding(
        Code::NoCredentials,
        Severity::Error,
        "The device has no credentials to answer with",
        format!(
            "The server asks for credentials and the {} has none to give: {}.",
            facts.model,
            skipped_reasons(transcript)
        ),
        "Register the device with the redirect server (which gives it its MAC password) or set digest credentials for the device or its site.",
    ))
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

/// Beside any 401: the MAC / MAC password rung was skipped for want of the password.
pub(super) fn mac_password_unknown(facts: &Facts, _found: &[Diagnosis]) -> Option<Diagnosis> {
    refused(facts)?;
    let transcript = facts.transcript;
    let skipped = transcript
        .skipped
        .iter()
        .any(|(attempt, _)| *attempt == Attempt::Mac);
    if !skipped {
        return None;
    }
    let model = facts.model;
    let mac = transcript
        .setting
        .mac
        .clone()
        .unwrap_or_else(|| "the device".to_string());
    Some(finding(
        Code::MacPasswordUnknown,
        Severity::Warning,
        "No MAC password is known",
        format!(
            "The {model} first tries user {mac} with its MAC password, but provdesk does not know the MAC password of {mac}, so that step was skipped."
        ),
        "Register the device with the redirect server first (Redirect panel): the answer carries the MAC password, which provdesk stores for this device.",
    ))
}
