//! A fetch that ended on a redirect: one that loops (or chains past what a device follows),
//! and one to a place no device fetches from. The servers' `Location` values are outside text:
//! quoted with passwords masked, control characters escaped and long ones cut.

use super::{Facts, finding, host_of};
use crate::fetch::events::Step;
use crate::fetch::finding::{Code, Diagnosis, Severity};
use crate::fetch::target::{MAX_REDIRECTS, Redirect};

/// How many different targets of a loop are named.
const NAMED: usize = 3;

/// Where a step's response redirected, if it did.
fn redirect(step: &Step) -> Option<Redirect> {
    let base = reqwest::Url::parse(&step.request.url).ok()?;
    Redirect::of(step.response.as_ref()?, &base)
}

/// The last answer redirected once more after [`MAX_REDIRECTS`] redirects, so the device gave
/// up: a loop, or a chain longer than any device follows.
pub(super) fn redirect_loop(facts: &Facts) -> Option<Diagnosis> {
    facts.response()?;
    let Some(Redirect::To(_)) = redirect(facts.last) else {
        return None;
    };
    let targets: Vec<String> = facts
        .transcript
        .steps
        .iter()
        .filter_map(redirect)
        .map(|target| target.shown())
        .collect();
    if targets.len() <= MAX_REDIRECTS {
        return None;
    }
    let mut distinct: Vec<&String> = Vec::new();
    for target in &targets {
        if !distinct.contains(&target) {
            distinct.push(target);
        }
    }
    let kept = match distinct.as_slice() {
        [one] => format!("it kept sending the device to {one}"),
        several => format!(
            "it sent the device round {}{}",
            several
                .iter()
                .take(NAMED)
                .map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join(" → "),
            if several.len() > NAMED {
                " → …"
            } else {
                ""
            }
        ),
    };
    Some(finding(
        Code::RedirectLoop,
        Severity::Error,
        "The server redirects in a loop",
        format!(
            "{} answered {} redirects in a row, and a device gives up after {MAX_REDIRECTS}: {kept}.",
            host_of(&facts.last.request.url),
            targets.len(),
        ),
        "Look at the redirect rules of the server, and of any proxy in front of it, for this path: a rule that matches its own target loops (http:// to https:// and back, a trailing slash added and taken away, a rewrite applied again). Once the server answers the file at one address, put that address into the provisioning URL.",
    ))
}

/// The last answer redirected to a `file:` (or other non-HTTP) URL, or to a `Location` that is
/// no URL: the device does not follow, and the request was never sent.
pub(super) fn redirect_unusable(facts: &Facts) -> Option<Diagnosis> {
    let response = facts.response()?;
    let target = redirect(facts.last)?;
    let what = match &target {
        Redirect::To(_) => return None,
        Redirect::NotHttp(url) => format!(
            "to a {}: URL ({}), which no phone follows: a device fetches its configuration over http:// or https:// only",
            url.scheme(),
            target.shown()
        ),
        Redirect::NotUrl(_) => format!(
            "to \"{}\", which is not a URL a device can follow",
            target.shown()
        ),
    };
    Some(finding(
        Code::RedirectUnusable,
        Severity::Error,
        "The server redirects where no device follows",
        format!(
            "{} answered {} {} for {} and redirected {what}.",
            host_of(&facts.last.request.url),
            response.status,
            response.reason,
            facts.last.request.target,
        ),
        "The redirect comes from the server, not from the provisioning URL: correct the redirect rule of the server (or of the proxy in front of it) for this path, or put the file's own http:// or https:// address into the provisioning URL.",
    ))
}
