//! The fault modes: one per failure the test-fetch diagnosis must recognise.

use std::fmt;

/// What the simulator does wrong on purpose. Each fault leaves a correct client with correct
/// credentials in a different, recognisable situation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fault {
    /// Behaves like a well-configured lighttpd or Apache.
    #[default]
    None,
    /// The first correct answer gets `401 stale=true` with a new nonce; later ones pass.
    StaleNonce,
    /// Every correct answer gets `401 stale=true`, as behind servers whose clocks disagree.
    StaleLoop,
    /// Every challenge names another realm (`<realm>-1`, `<realm>-2`, …); no answer passes.
    RealmChanged,
    /// Offers only SHA-512-256, which Gigaset devices cannot answer.
    AlgorithmUnsupported,
    /// Challenges with `Basic` only (and accepts correct Basic credentials).
    BasicOnly,
    /// `401` without any `WWW-Authenticate` header.
    NoChallenge,
    /// Every request carrying `Authorization` gets `400`, as if its `uri` did not match.
    UriMismatch,
    /// `302` to `/redirected/<path>` on the same host, which is then served with digest.
    Redirect,
    /// `302` to the same port under the other host name (`localhost` ↔ `127.0.0.1`).
    RedirectOtherHost,
    /// After `after` rejected answers from one client address, `403` to everything from it.
    Lockout { after: u32 },
    /// As [`Fault::Lockout`], but the `403` says why in its page and asks the client to wait
    /// [`LOCKOUT_SECONDS`] in `Retry-After`, as fail2ban-style modules do.
    LockoutSaid { after: u32 },
    /// `429` to everything, with a reason in the body and `Retry-After: 30`.
    RateLimited,
    /// `503` to everything, with a maintenance page and `Retry-After: 120`.
    Maintenance,
    /// Reads the request and never answers.
    Timeout,
    /// Authenticates normally, then `404`.
    NotFound,
    /// `500` to everything.
    ServerError,
}

/// Rejected answers before [`Fault::Lockout`] locks a client out, unless told otherwise.
pub const DEFAULT_LOCKOUT_AFTER: u32 = 2;

/// The wait [`Fault::LockoutSaid`] asks for: not the nginx module's 300 s, so a test can tell
/// the server's number from the default provdesk names.
pub const LOCKOUT_SECONDS: u32 = 600;

const NAMES: [&str; 17] = [
    "none",
    "stale-nonce",
    "stale-loop",
    "realm-changed",
    "algorithm-unsupported",
    "basic-only",
    "no-challenge",
    "uri-mismatch",
    "redirect",
    "redirect-other-host",
    "lockout",
    "timeout",
    "not-found",
    "server-error",
    "lockout-said",
    "rate-limited",
    "maintenance",
];

impl Fault {
    /// Every fault's kebab-case name, in declaration order.
    pub fn names() -> &'static [&'static str] {
        &NAMES
    }

    /// Reads a kebab-case name; `lockout=5` sets how many rejections lock a client out.
    pub fn parse(name: &str) -> Option<Fault> {
        let name = name.trim().to_ascii_lowercase();
        if let Some(count) = name.strip_prefix("lockout=") {
            return count.parse().ok().map(|after| Fault::Lockout { after });
        }
        if let Some(count) = name.strip_prefix("lockout-said=") {
            return count.parse().ok().map(|after| Fault::LockoutSaid { after });
        }
        Some(match name.as_str() {
            "none" => Fault::None,
            "stale-nonce" => Fault::StaleNonce,
            "stale-loop" => Fault::StaleLoop,
            "realm-changed" => Fault::RealmChanged,
            "algorithm-unsupported" => Fault::AlgorithmUnsupported,
            "basic-only" => Fault::BasicOnly,
            "no-challenge" => Fault::NoChallenge,
            "uri-mismatch" => Fault::UriMismatch,
            "redirect" => Fault::Redirect,
            "redirect-other-host" => Fault::RedirectOtherHost,
            "lockout" => Fault::Lockout {
                after: DEFAULT_LOCKOUT_AFTER,
            },
            "timeout" => Fault::Timeout,
            "not-found" => Fault::NotFound,
            "server-error" => Fault::ServerError,
            "lockout-said" => Fault::LockoutSaid {
                after: DEFAULT_LOCKOUT_AFTER,
            },
            "rate-limited" => Fault::RateLimited,
            "maintenance" => Fault::Maintenance,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Fault::None => NAMES[0],
            Fault::StaleNonce => NAMES[1],
            Fault::StaleLoop => NAMES[2],
            Fault::RealmChanged => NAMES[3],
            Fault::AlgorithmUnsupported => NAMES[4],
            Fault::BasicOnly => NAMES[5],
            Fault::NoChallenge => NAMES[6],
            Fault::UriMismatch => NAMES[7],
            Fault::Redirect => NAMES[8],
            Fault::RedirectOtherHost => NAMES[9],
            Fault::Lockout { .. } => NAMES[10],
            Fault::Timeout => NAMES[11],
            Fault::NotFound => NAMES[12],
            Fault::ServerError => NAMES[13],
            Fault::LockoutSaid { .. } => NAMES[14],
            Fault::RateLimited => NAMES[15],
            Fault::Maintenance => NAMES[16],
        }
    }

    /// One line on what a client will see, for the CLI's banner.
    pub fn describe(self) -> String {
        match self {
            Fault::None => "no fault: digest as lighttpd/Apache do it".into(),
            Fault::StaleNonce => "the first correct answer gets 401 stale=true, then 200".into(),
            Fault::StaleLoop => "every correct answer gets 401 stale=true".into(),
            Fault::RealmChanged => "every challenge names a new realm; nothing passes".into(),
            Fault::AlgorithmUnsupported => "offers SHA-512-256 only".into(),
            Fault::BasicOnly => "challenges with Basic only".into(),
            Fault::NoChallenge => "401 without WWW-Authenticate".into(),
            Fault::UriMismatch => "400 to every request with Authorization".into(),
            Fault::Redirect => "302 to /redirected/<path> on the same host".into(),
            Fault::RedirectOtherHost => "302 to the other host name, same port".into(),
            Fault::Lockout { after } => {
                format!("403 to a client address after {after} rejected answers")
            }
            Fault::Timeout => "reads requests and never answers".into(),
            Fault::NotFound => "404 after authentication".into(),
            Fault::ServerError => "500 to everything".into(),
            Fault::LockoutSaid { after } => format!(
                "403 with a reason and Retry-After: {LOCKOUT_SECONDS} to a client address after {after} rejected answers"
            ),
            Fault::RateLimited => "429 with a reason and Retry-After: 30 to everything".into(),
            Fault::Maintenance => {
                "503 with a maintenance page and Retry-After: 120 to everything".into()
            }
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::Lockout { after } if *after != DEFAULT_LOCKOUT_AFTER => {
                write!(f, "lockout={after}")
            }
            Fault::LockoutSaid { after } if *after != DEFAULT_LOCKOUT_AFTER => {
                write!(f, "lockout-said={after}")
            }
            _ => f.write_str(self.name()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_parses_back_to_itself() {
        for name in Fault::names() {
            let fault = Fault::parse(name).unwrap_or_else(|| panic!("{name}"));
            assert_eq!(fault.name(), *name);
            assert_eq!(fault.to_string(), *name);
        }
        assert_eq!(Fault::names().len(), 17);
    }

    #[test]
    fn lockout_takes_a_count() {
        assert_eq!(Fault::parse("lockout"), Some(Fault::Lockout { after: 2 }));
        assert_eq!(Fault::parse("Lockout=5"), Some(Fault::Lockout { after: 5 }));
        assert_eq!(Fault::Lockout { after: 5 }.to_string(), "lockout=5");
        assert_eq!(
            Fault::parse("lockout-said=3"),
            Some(Fault::LockoutSaid { after: 3 })
        );
        assert_eq!(Fault::parse("lockout=many"), None);
        assert_eq!(Fault::parse("stale"), None);
    }
}
