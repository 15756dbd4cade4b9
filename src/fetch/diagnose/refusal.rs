//! What a server says when it refuses: the words of a 403, 429 or 503 body and its `Retry-After`
//! give the reason (locked after failed attempts, rate limited, down for maintenance) and how long
//! to wait. The body is outside text: only its start is read, and what is quoted is escaped and
//! cut (see [`printable`]).

use super::{Facts, finding, host_of, lockout};
use crate::fetch::events::ReceivedResponse;
use crate::fetch::finding::{Code, Diagnosis, Severity};
use crate::printable::printable;

/// How much of a body is read for its reason: refusal pages are short, and a megabyte of
/// something else must not cost more than this.
const READ_MAX: usize = 4096;
/// The longest quote, in characters.
const QUOTE_MAX: usize = 200;
/// The longest `Retry-After` read: a date is 29 characters, seconds a few digits.
const RETRY_AFTER_MAX: usize = 64;
/// The longest wait in seconds taken as the server's word: a day. A longer one (a hostile or
/// broken server sent 10^23) says nothing about when to try again.
const LONGEST_WAIT: u64 = 24 * 60 * 60;

/// Why the server refused, in its own words or by its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reason {
    LockedOut,
    RateLimited,
    Maintenance,
}

/// How long the server asks the client to wait.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum RetryAfter {
    Seconds(u64),
    /// An HTTP date, as the server wrote it (already made printable).
    Date(String),
    /// Seconds beyond [`LONGEST_WAIT`], as the server wrote them (cut when long): no usable
    /// time.
    Unusable(String),
}

impl RetryAfter {
    fn parse(value: &str) -> Option<Self> {
        let value = value.trim();
        if value.is_empty() || value.len() > RETRY_AFTER_MAX {
            return None;
        }
        if value.bytes().all(|b| b.is_ascii_digit()) {
            return Some(match value.parse() {
                Ok(seconds) if seconds <= LONGEST_WAIT => RetryAfter::Seconds(seconds),
                _ => RetryAfter::Unusable(printable(value, 24)),
            });
        }
        let date_like = value.contains(',') && value.to_ascii_uppercase().ends_with("GMT");
        date_like.then(|| RetryAfter::Date(printable(value, RETRY_AFTER_MAX)))
    }

    /// `300 s (5 min)`, `until Wed, 21 Oct 2026 07:28:00 GMT`; `None` for no usable time.
    fn describe(&self) -> Option<String> {
        Some(match self {
            RetryAfter::Seconds(seconds) if *seconds >= 120 => {
                format!("{seconds} s ({} min)", seconds.div_ceil(60))
            }
            RetryAfter::Seconds(seconds) => format!("{seconds} s"),
            RetryAfter::Date(date) => format!("until {date}"),
            RetryAfter::Unusable(_) => return None,
        })
    }
}

/// What to do before the next try: `asked` with the server's `Retry-After` in place of its
/// `{}` (`Wait {}, as the server asks in Retry-After`), else `otherwise`, saying so when the
/// server's value is no usable time.
fn waiting(retry: Option<&RetryAfter>, asked: &str, otherwise: &str) -> String {
    match retry {
        Some(RetryAfter::Unusable(value)) => format!(
            "{otherwise} (the server's Retry-After, {value} s, is more than a day and no usable time)"
        ),
        Some(retry) => asked.replace("{}", &retry.describe().unwrap_or_default()),
        None => otherwise.to_string(),
    }
}

/// What a refusal says: the body's words worth quoting, the reason and the wait.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Said {
    pub quote: Option<String>,
    pub reason: Option<Reason>,
    pub retry_after: Option<RetryAfter>,
}

impl Said {
    /// ` It says: "…".` or nothing.
    pub(super) fn quoted(&self) -> String {
        self.quote
            .as_ref()
            .map(|quote| format!(" It says: \"{quote}\"."))
            .unwrap_or_default()
    }

    /// How long to wait before the next try, with where the number comes from.
    pub(super) fn wait(&self) -> String {
        let otherwise = match &self.retry_after {
            Some(RetryAfter::Unusable(_)) => {
                "Wait for the lockout to expire, or ask the server's administrator how long it lasts"
            }
            _ => {
                "Wait for the lockout to expire (the server does not say how long; the common nginx digest module locks a client out for 300 s after 5 failures)"
            }
        };
        waiting(
            self.retry_after.as_ref(),
            "Wait {}, as the server asks in Retry-After",
            otherwise,
        )
    }
}

/// Reads a response's refusal: its reason from the words of the body's start (or from a 429's
/// or a 503-with-`Retry-After`'s status alone), and its `Retry-After`.
pub(super) fn read(response: &ReceivedResponse) -> Said {
    let start = &response.body[..response.body.len().min(READ_MAX)];
    let text = visible_text(&String::from_utf8_lossy(start));
    let retry_after = response.header("retry-after").and_then(RetryAfter::parse);
    let reason = reason_in(&text.to_lowercase()).or(match response.status {
        429 => Some(Reason::RateLimited),
        503 if retry_after.is_some() => Some(Reason::Maintenance),
        _ => None,
    });
    let boilerplate = [
        response.status.to_string(),
        response.reason.clone(),
        format!("{} {}", response.status, response.reason),
    ];
    let says_more = !text.is_empty() && !boilerplate.iter().any(|b| text.eq_ignore_ascii_case(b));
    Said {
        quote: says_more.then(|| printable(&text, QUOTE_MAX)),
        reason,
        retry_after,
    }
}

/// Words servers and their lockout modules use, per reason; the first reason that matches wins,
/// so "too many failed attempts" is a lockout before "too many" could be a rate limit.
const WORDS: &[(Reason, &[&str])] = &[
    (
        Reason::LockedOut,
        &[
            "locked",
            "lockout",
            "lock-out",
            "too many failed",
            "failed attempts",
            "failed login",
            "failed authentication",
            "banned",
            "blocked",
            "gesperrt",
        ],
    ),
    (
        Reason::RateLimited,
        &[
            "rate limit",
            "rate-limit",
            "ratelimit",
            "too many requests",
            "slow down",
            "throttl",
        ],
    ),
    (
        Reason::Maintenance,
        &[
            "maintenance",
            "wartung",
            "temporarily unavailable",
            "temporarily down",
            "back shortly",
            "back soon",
        ],
    ),
];

fn reason_in(lowercase: &str) -> Option<Reason> {
    WORDS
        .iter()
        .find(|(_, words)| words.iter().any(|word| lowercase.contains(word)))
        .map(|(reason, _)| *reason)
}

/// Markup elements whose text is not the message: the page title repeats the status.
const HIDDEN: &[&str] = &["title", "style", "script", "head"];

/// The text of a body as a person reads it: tags dropped (and the text of the title, styles and
/// scripts), entities for blanks and `&` read, blanks collapsed.
fn visible_text(body: &str) -> String {
    let mut out = String::with_capacity(body.len().min(READ_MAX));
    let mut hidden: Option<&str> = None;
    let mut rest = body;
    while let Some(open) = rest.find('<') {
        if hidden.is_none() {
            out.push_str(&rest[..open]);
            out.push(' ');
        }
        let after = &rest[open + 1..];
        let Some(close) = after.find('>') else {
            rest = "";
            break;
        };
        let tag = after[..close].trim().to_ascii_lowercase();
        let name = tag.trim_start_matches('/');
        let name = name
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        match hidden {
            Some(open_name) if tag.starts_with('/') && name == open_name => hidden = None,
            None if !tag.starts_with('/') && !tag.ends_with('/') => {
                hidden = HIDDEN.iter().find(|h| **h == name).copied();
            }
            _ => {}
        }
        rest = &after[close + 1..];
    }
    if hidden.is_none() {
        out.push_str(rest);
    }
    let out = out
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
        .replace("&quot;", "\"");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A 403, 429 or 503 whose words or `Retry-After` give a reason: the reason, quoted, with the
/// wait. (A refusal after refused credentials is [`super::status::locked_out`]'s.)
pub(super) fn refused_with_reason(facts: &Facts) -> Option<Diagnosis> {
    let response = facts
        .response()
        .filter(|r| matches!(r.status, 403 | 429 | 503))?;
    let said = read(response);
    let status = response.status;
    let asked = format!(
        "{} answered {status} {} for {}.{}",
        host_of(&facts.last.request.url),
        response.reason,
        facts.last.request.target,
        said.quoted()
    );
    Some(match said.reason? {
        Reason::LockedOut => lockout(
            &facts.rejected,
            &format!("answered {status} {}", response.reason),
            &said,
        ),
        Reason::RateLimited => finding(
            Code::RateLimited,
            Severity::Error,
            format!("The server limits how often this client may ask ({status})"),
            asked,
            format!(
                "{}. Nothing is wrong with the credentials; if devices behind one address fetch often, raise the server's limit for them.",
                waiting(
                    said.retry_after.as_ref(),
                    "Wait {} before the next fetch, as the server asks in Retry-After",
                    "Wait a minute before the next fetch"
                )
            ),
        ),
        Reason::Maintenance => finding(
            Code::ServerUnavailable,
            Severity::Error,
            format!("The server is unavailable for now ({status})"),
            asked,
            format!(
                "{}. Nothing is wrong with the device or its credentials; a device tries again at its next provisioning interval.",
                waiting(
                    said.retry_after.as_ref(),
                    "Try again after {}, as the server asks in Retry-After",
                    "Try again once the maintenance is over"
                )
            ),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fetch::events::HeaderLine;

    fn response(
        status: u16,
        reason: &str,
        retry_after: Option<&str>,
        body: &str,
    ) -> ReceivedResponse {
        ReceivedResponse {
            step: 0,
            status,
            reason: reason.into(),
            http_version: "HTTP/1.1".into(),
            headers: retry_after
                .map(|value| vec![HeaderLine::new("Retry-After", value)])
                .unwrap_or_default(),
            wait: std::time::Duration::ZERO,
            total: std::time::Duration::ZERO,
            body: body.as_bytes().to_vec(),
            body_size: body.len(),
            truncated: false,
            incomplete: None,
            shown: Default::default(),
        }
    }

    #[test]
    fn a_lockout_page_is_read_and_quoted_without_its_markup() {
        let page = "<html><head><title>403 Forbidden</title><style>p{color:red}</style></head>\
                    <body><h1>Forbidden</h1><p>Account&nbsp;locked after 5 failed login attempts.</p></body></html>";
        let said = read(&response(403, "Forbidden", Some("600"), page));
        assert_eq!(said.reason, Some(Reason::LockedOut));
        assert_eq!(
            said.quote.as_deref(),
            Some("Forbidden Account locked after 5 failed login attempts.")
        );
        assert_eq!(said.retry_after, Some(RetryAfter::Seconds(600)));
        assert_eq!(
            said.wait(),
            "Wait 600 s (10 min), as the server asks in Retry-After"
        );
    }

    #[test]
    fn each_reason_by_its_words_or_its_status() {
        let reason = |status, retry, body| read(&response(status, "", retry, body)).reason;
        assert_eq!(
            reason(429, None, "Rate limit exceeded"),
            Some(Reason::RateLimited)
        );
        assert_eq!(reason(429, None, ""), Some(Reason::RateLimited));
        assert_eq!(
            reason(403, None, "Too many requests, slow down"),
            Some(Reason::RateLimited)
        );
        assert_eq!(
            reason(503, None, "Down for maintenance"),
            Some(Reason::Maintenance)
        );
        assert_eq!(reason(503, Some("120"), ""), Some(Reason::Maintenance));
        assert_eq!(reason(503, None, "upstream failed"), None);
        assert_eq!(reason(403, None, "You don't have permission"), None);
        assert_eq!(
            reason(403, None, "IP banned by fail2ban"),
            Some(Reason::LockedOut)
        );
    }

    #[test]
    fn a_bare_status_line_is_not_quoted() {
        let said = read(&response(403, "Forbidden", None, "403 Forbidden\n"));
        assert_eq!(said.quote, None);
        assert!(said.wait().contains("300 s after 5 failures"));
    }

    #[test]
    fn retry_after_is_seconds_or_a_date_and_nothing_else() {
        assert_eq!(RetryAfter::parse(" 30 "), Some(RetryAfter::Seconds(30)));
        assert_eq!(
            RetryAfter::parse("86400"),
            Some(RetryAfter::Seconds(86_400))
        );
        assert_eq!(
            RetryAfter::parse("Wed, 21 Oct 2026 07:28:00 GMT").and_then(|r| r.describe()),
            Some("until Wed, 21 Oct 2026 07:28:00 GMT".to_string())
        );
        assert_eq!(RetryAfter::parse("soon"), None);
        assert_eq!(RetryAfter::parse("-5"), None);
        assert_eq!(RetryAfter::parse(&"9".repeat(65)), None);
    }

    /// Hostile-input review 4, finding 13: `Retry-After: 99999999999999999999999` gave "Wait
    /// 18446744073709551615 s (307445734561825861 min)".
    #[test]
    fn a_retry_after_beyond_a_day_is_no_usable_time() {
        for value in ["99999999999999999999999", "86401", "18446744073709551616"] {
            let retry = RetryAfter::parse(value).unwrap();
            assert_eq!(retry, RetryAfter::Unusable(printable(value, 24)));
            for status in [403, 429, 503] {
                let said = read(&response(status, "", Some(value), "locked"));
                assert!(!said.wait().contains(" min)"), "{}", said.wait());
                assert!(said.wait().contains("no usable time"), "{}", said.wait());
            }
        }
        let said = read(&response(429, "", Some("99999999999999999999999"), ""));
        assert_eq!(
            waiting(
                said.retry_after.as_ref(),
                "Wait {}",
                "Wait a minute before the next fetch"
            ),
            "Wait a minute before the next fetch (the server's Retry-After, 99999999999999999999999 s, is more than a day and no usable time)"
        );
    }

    #[test]
    fn control_characters_and_length_are_tamed() {
        let body = format!("locked \u{1b}[31m{}", "x".repeat(10_000));
        let said = read(&response(403, "Forbidden", None, &body));
        let quote = said.quote.unwrap();
        assert!(!quote.chars().any(char::is_control), "{quote:?}");
        assert!(quote.chars().count() < QUOTE_MAX + 60, "{}", quote.len());
    }

    proptest::proptest! {
        /// Any body and any `Retry-After`: no panic, and what is quoted is short and printable.
        #[test]
        fn any_refusal_reads_bounded(
            body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..6000),
            retry in "\\PC{0,80}",
            status in proptest::sample::select(vec![403u16, 429, 503]),
        ) {
            let mut answer = response(status, "Refused", Some(&retry), "");
            answer.body = body;
            let said = read(&answer);
            if let Some(quote) = &said.quote {
                proptest::prop_assert!(!quote.chars().any(char::is_control));
                proptest::prop_assert!(quote.chars().count() < QUOTE_MAX + 60);
            }
            proptest::prop_assert!(said.wait().chars().count() < 300);
        }
    }
}
