//! Provisioning URLs as the redirect server stores them and the phone expands them.
//!
//! The phone replaces `%DVID`, `%MACC`, `%MACD` and `%%` before it fetches. A URL may also
//! carry `user:pass@`, which some models honour; that password is a secret like any other.

use std::fmt;
use std::net::Ipv6Addr;

use thiserror::Error;

use super::mac::Mac;
use super::text::URL_MAX;
use crate::printable::printable;
use crate::secret::{MASK, Secret};

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UrlError {
    #[error(
        "URL is empty: enter the provisioning server address, e.g. https://prov.example.com/%MACD.xml"
    )]
    Empty,
    #[error("URL \"{url}\" must start with http:// or https://")]
    Scheme { url: String },
    #[error("URL \"{url}\" has no host after the scheme")]
    NoHost { url: String },
    #[error(
        "URL \"{url}\": '%' at character {position} starts no placeholder; use %DVID, %MACC, %MACD, or %% for a literal %"
    )]
    BadPlaceholder { url: String, position: usize },
    #[error("URL \"{url}\" contains a blank at character {position}; encode it as %20")]
    Blank { url: String, position: usize },
    #[error(
        "URL \"{url}\": the password holds / ? or #, which end the host part; write them as %2F %3F %23"
    )]
    UnencodedPassword { url: String },
    #[error("URL \"{url}\": {problem}")]
    Host { url: String, problem: String },
    #[error("URL \"{url}\" holds a control character at character {position}; remove it")]
    Control { url: String, position: usize },
    #[error("URL has {length} characters; provdesk keeps at most {max}: shorten it")]
    TooLong { length: usize, max: usize },
}

/// A placeholder the phone replaces in its provisioning URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placeholder {
    /// `%DVID`: the device ID (build variant / provisioning ID), e.g. `42/3`.
    Dvid,
    /// `%MACC`: the MAC with colons.
    Macc,
    /// `%MACD`: the MAC without colons.
    Macd,
    /// `%%`: a literal `%`.
    Percent,
}

impl Placeholder {
    const ALL: [(&'static str, Placeholder); 4] = [
        ("%DVID", Placeholder::Dvid),
        ("%MACC", Placeholder::Macc),
        ("%MACD", Placeholder::Macd),
        ("%%", Placeholder::Percent),
    ];

    /// The placeholder as written in a URL.
    pub fn token(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, placeholder)| *placeholder == self)
            .map_or("%%", |(token, _)| token)
    }

    /// `%MACD` and `%MACC` cannot be filled in without the device's MAC.
    pub fn needs_mac(self) -> bool {
        matches!(self, Placeholder::Macd | Placeholder::Macc)
    }
}

/// One piece of a URL pattern: literal text or a placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Placeholder(Placeholder),
}

/// What the phone knows about itself when it expands its URL.
#[derive(Debug, Clone)]
pub struct DeviceFacts<'a> {
    pub mac: Mac,
    /// The device ID for `%DVID`; `None` leaves the placeholder in place so the gap is visible.
    pub dvid: Option<&'a str>,
}

/// A validated provisioning URL pattern.
#[derive(Clone, PartialEq, Eq)]
pub struct ProvisioningUrl {
    raw: String,
    pieces: Vec<Piece>,
    userinfo: Option<(String, Option<Secret>)>,
}

/// What is wrong with the host part of a URL (`host`, `host:port`, `[v6]` or `[v6]:port`),
/// in words with what to do; `None` when the HTTP client can use it. A placeholder may stand
/// in a host name (the phone replaces it), so `%` is allowed there.
fn host_problem(host: &str) -> Option<String> {
    let (name, port) = match host.strip_prefix('[') {
        Some(bracketed) => {
            let Some((address, after)) = bracketed.split_once(']') else {
                return Some("the IPv6 address has no closing ]".into());
            };
            if address.parse::<Ipv6Addr>().is_err() {
                return Some(format!(
                    "\"{}\" is not an IPv6 address",
                    printable(address, 60)
                ));
            }
            match after.strip_prefix(':') {
                Some(port) => (None, Some(port)),
                None if after.is_empty() => (None, None),
                None => return Some("after ] only :port may follow".into()),
            }
        }
        None => match host.rsplit_once(':') {
            Some((name, port)) => (Some(name), Some(port)),
            None => (Some(host), None),
        },
    };
    if let Some(name) = name {
        if name.is_empty() {
            return Some("no host name before the port".into());
        }
        if let Some(c) = name
            .chars()
            .find(|&c| !(c.is_alphanumeric() || matches!(c, '-' | '.' | '_' | '%' | '~')))
        {
            return Some(format!(
                "the host name holds '{}', which no host name has; for an IPv6 address write it in brackets: [::1]",
                c.escape_debug()
            ));
        }
    }
    let port = port?;
    let valid = !port.is_empty()
        && port.bytes().all(|b| b.is_ascii_digit())
        && port.parse::<u16>().is_ok_and(|port| port > 0);
    (!valid).then(|| {
        format!(
            "port \"{}\" is not a number from 1 to 65535",
            printable(port, 20)
        )
    })
}

impl ProvisioningUrl {
    /// Parses and validates a URL pattern. Every error message carries the URL with its
    /// password already masked, so no caller can forget to.
    pub fn parse(input: &str) -> Result<Self, UrlError> {
        let raw = input.trim();
        if raw.is_empty() {
            return Err(UrlError::Empty);
        }
        let length = raw.chars().count();
        if length > URL_MAX {
            return Err(UrlError::TooLong {
                length,
                max: URL_MAX,
            });
        }
        let shown = || printable(&mask_url_password(raw), 160);
        let lower = raw.to_ascii_lowercase();
        let rest = if lower.starts_with("http://") {
            &raw[7..]
        } else if lower.starts_with("https://") {
            &raw[8..]
        } else {
            return Err(UrlError::Scheme { url: shown() });
        };
        if let Some(position) = raw.find(char::is_whitespace) {
            return Err(UrlError::Blank {
                url: shown(),
                position: raw[..position].chars().count() + 1,
            });
        }
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let (userinfo, host) = match authority.rsplit_once('@') {
            Some((info, host)) => (Some(info), host),
            None => (None, authority),
        };
        if userinfo.is_none() && split_userinfo(rest).is_some() {
            return Err(UrlError::UnencodedPassword { url: shown() });
        }
        if let Some(position) = raw.find(char::is_control) {
            return Err(UrlError::Control {
                url: shown(),
                position: raw[..position].chars().count() + 1,
            });
        }
        if host.is_empty() {
            return Err(UrlError::NoHost { url: shown() });
        }
        if let Some(problem) = host_problem(host) {
            return Err(UrlError::Host {
                url: shown(),
                problem,
            });
        }
        let userinfo = userinfo.map(|info| match info.split_once(':') {
            Some((user, pass)) => (user.to_string(), Some(Secret::new(pass))),
            None => (info.to_string(), None),
        });
        let pieces = split_placeholders(raw).map_err(|error| match error {
            UrlError::BadPlaceholder { position, .. } => UrlError::BadPlaceholder {
                url: shown(),
                position,
            },
            other => other,
        })?;
        Ok(Self {
            raw: raw.to_string(),
            pieces,
            userinfo,
        })
    }

    /// The URL as stored, password included. For the database and the HTTP client only.
    pub fn expose(&self) -> &str {
        &self.raw
    }

    /// The user name from `user:pass@`, if any.
    pub fn username(&self) -> Option<&str> {
        self.userinfo.as_ref().map(|(user, _)| user.as_str())
    }

    /// The password from `user:pass@`, if any.
    pub fn password(&self) -> Option<&Secret> {
        self.userinfo.as_ref().and_then(|(_, pass)| pass.as_ref())
    }

    pub fn placeholders(&self) -> impl Iterator<Item = Placeholder> + '_ {
        self.pieces.iter().filter_map(|piece| match piece {
            Piece::Placeholder(p) => Some(*p),
            Piece::Text(_) => None,
        })
    }

    /// The URL the phone would request.
    pub fn expand(&self, device: &DeviceFacts<'_>) -> String {
        self.expand_with(Some(device))
    }

    /// The URL with `%%` resolved and every device placeholder left as written, for a fetch
    /// that knows no device.
    pub fn expand_without_device(&self) -> String {
        self.expand_with(None)
    }

    fn expand_with(&self, device: Option<&DeviceFacts<'_>>) -> String {
        let mut out = String::with_capacity(self.raw.len() + 16);
        for piece in &self.pieces {
            match (piece, device) {
                (Piece::Text(text), _) => out.push_str(text),
                (Piece::Placeholder(Placeholder::Percent), _) => out.push('%'),
                (Piece::Placeholder(Placeholder::Macd), Some(device)) => {
                    out.push_str(&device.mac.macd())
                }
                (Piece::Placeholder(Placeholder::Macc), Some(device)) => {
                    out.push_str(&device.mac.macc())
                }
                (
                    Piece::Placeholder(Placeholder::Dvid),
                    Some(DeviceFacts {
                        dvid: Some(dvid), ..
                    }),
                ) => out.push_str(dvid),
                (Piece::Placeholder(placeholder), _) => out.push_str(placeholder.token()),
            }
        }
        out
    }
}

/// Splits a URL into text and placeholders; any other `%` is an error with its position.
fn split_placeholders(raw: &str) -> Result<Vec<Piece>, UrlError> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut rest = raw;
    while let Some(index) = rest.find('%') {
        text.push_str(&rest[..index]);
        let tail = &rest[index..];
        let matched = Placeholder::ALL
            .iter()
            .find(|(token, _)| tail.starts_with(token));
        match matched {
            Some((token, placeholder)) => {
                if !text.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut text)));
                }
                pieces.push(Piece::Placeholder(*placeholder));
                rest = &tail[token.len()..];
            }
            None if is_percent_encoding(tail) => {
                text.push_str(&tail[..3]);
                rest = &tail[3..];
            }
            None => {
                let consumed = raw.len() - tail.len();
                return Err(UrlError::BadPlaceholder {
                    url: raw.to_string(),
                    position: raw[..consumed].chars().count() + 1,
                });
            }
        }
    }
    text.push_str(rest);
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
    Ok(pieces)
}

/// `%20`, `%3A`…: an ordinary URL escape, kept as it is. Placeholders are checked first, so
/// `%DVID` never reads as the escape `%DV`.
fn is_percent_encoding(tail: &str) -> bool {
    let bytes = tail.as_bytes();
    bytes.len() >= 3 && bytes[1].is_ascii_hexdigit() && bytes[2].is_ascii_hexdigit()
}

/// Shows the URL with any password masked.
impl fmt::Display for ProvisioningUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&mask_url_password(&self.raw))
    }
}

impl fmt::Debug for ProvisioningUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ProvisioningUrl({self})")
    }
}

/// Finds `user:password@` at the start of `rest` (the text after `scheme://`): first in the
/// authority proper, else up to the last `@`, so that a password holding an unencoded `/`, `?`,
/// `#` or `@` is still found. A port before an `@` in the path (`h:8080/a@b`) is not userinfo.
/// Returns (user, password, text after the `@`).
fn split_userinfo(rest: &str) -> Option<(&str, &str, &str)> {
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let at = match rest[..authority_end].rfind('@') {
        Some(at) => at,
        None => rest.rfind('@')?,
    };
    let (user, password) = rest[..at].split_once(':')?;
    if user.contains(['/', '?', '#']) {
        return None;
    }
    let port_end = password.find(['/', '?', '#']).unwrap_or(password.len());
    let looks_like_port = port_end < password.len()
        && port_end > 0
        && password[..port_end].bytes().all(|b| b.is_ascii_digit());
    (!looks_like_port).then(|| (user, password, &rest[at + 1..]))
}

/// Where the password of `user:password@` stands in `rest` (the text after `scheme://`), found
/// as [`mask_url_password`] finds it, so a URL inside a configuration file is masked the same.
pub(super) fn userinfo_password(rest: &str) -> Option<std::ops::Range<usize>> {
    let (user, password, _) = split_userinfo(rest)?;
    let start = user.len() + 1;
    Some(start..start + password.len())
}

/// Decodes `%XX` escapes as a device or web server does before using a URL part; a `%` not
/// followed by two hex digits stays as it is, and bytes that are not UTF-8 become U+FFFD.
pub fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// Masks the password of `scheme://user:pass@host…` (or of `user:pass@host…` without a
/// scheme) in any string, valid URL or not, so that no URL is ever shown with its password.
/// Where the text is ambiguous it masks too much rather than too little.
pub fn mask_url_password(url: &str) -> String {
    let prefix_len = url.find("://").map_or(0, |i| i + 3);
    let (prefix, rest) = url.split_at(prefix_len);
    match split_userinfo(rest) {
        Some((user, _, after)) => format!("{prefix}{user}:{MASK}@{after}"),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_host_or_port_the_client_cannot_use_is_refused_up_front() {
        for (url, says) in [
            (
                "https://x:99999/",
                "port \"99999\" is not a number from 1 to 65535",
            ),
            ("https://x:0/", "port \"0\""),
            ("https://x:abc/", "port \"abc\""),
            ("https://admin:pw@[::1/", "no closing ]"),
            ("https://[zz]/", "\"zz\" is not an IPv6 address"),
            ("https://[::1]x/", "after ] only :port"),
            ("https://::1/", "in brackets"),
            (
                "https://pro\u{1b}[31mv/",
                "control character at character 12",
            ),
        ] {
            let error = ProvisioningUrl::parse(url).unwrap_err().to_string();
            assert!(error.contains(says), "{url}: {error}");
            assert!(!error.contains('\u{1b}'), "shown escaped: {error}");
        }
        for url in [
            "https://prov.example.com:8443/%MACD.xml",
            "http://[::1]:8080/x",
            "http://[fe80::1]/x",
            "http://127.0.0.1/%MACD.xml",
            "https://%MACD.prov.example/x",
            "https://user:p%40ss@prov.example.com/x",
        ] {
            assert!(ProvisioningUrl::parse(url).is_ok(), "{url}");
        }
        let long = format!("https://p.example/{}", "a".repeat(URL_MAX));
        let error = ProvisioningUrl::parse(&long).unwrap_err().to_string();
        assert!(error.contains("at most 2048"), "{error}");
    }

    fn device() -> DeviceFacts<'static> {
        DeviceFacts {
            mac: Mac::parse("00:01:E3:12:34:56").unwrap(),
            dvid: Some("42/3"),
        }
    }

    #[test]
    fn expands_every_placeholder() {
        let url =
            ProvisioningUrl::parse("https://prov.example.com/%DVID/%MACD.xml?m=%MACC&p=100%%")
                .unwrap();
        assert_eq!(
            url.expand(&device()),
            "https://prov.example.com/42/3/0001E3123456.xml?m=00:01:E3:12:34:56&p=100%"
        );
    }

    #[test]
    fn a_lone_percent_is_an_error_with_its_position() {
        let err = ProvisioningUrl::parse("http://h/a%b.xml").unwrap_err();
        assert_eq!(
            err,
            UrlError::BadPlaceholder {
                url: "http://h/a%b.xml".into(),
                position: 11
            }
        );
        assert!(ProvisioningUrl::parse("http://h/file%").is_err());
        assert!(ProvisioningUrl::parse("http://h/%MAC.xml").is_err());
    }

    #[test]
    fn ordinary_percent_escapes_pass_through() {
        let url = ProvisioningUrl::parse("http://h/a%20b/%MACD").unwrap();
        assert_eq!(url.expand(&device()), "http://h/a%20b/0001E3123456");
    }

    #[test]
    fn missing_dvid_stays_visible() {
        let url = ProvisioningUrl::parse("http://h/%DVID").unwrap();
        let facts = DeviceFacts {
            dvid: None,
            ..device()
        };
        assert_eq!(url.expand(&facts), "http://h/%DVID");
    }

    #[test]
    fn userinfo_is_recognised_and_its_password_masked() {
        let url =
            ProvisioningUrl::parse("https://admin:s3cret@prov.example.com:8443/%MACD.xml").unwrap();
        assert_eq!(url.username(), Some("admin"));
        assert_eq!(url.password().unwrap().expose(), "s3cret");
        let shown = url.to_string();
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.starts_with("https://admin:"), "{shown}");
        assert!(!format!("{url:?}").contains("s3cret"));
        assert!(url.expose().contains("s3cret"));
    }

    #[test]
    fn rejects_missing_scheme_host_and_blanks() {
        assert!(matches!(
            ProvisioningUrl::parse("ftp://x/"),
            Err(UrlError::Scheme { .. })
        ));
        assert!(matches!(
            ProvisioningUrl::parse("http:///x"),
            Err(UrlError::NoHost { .. })
        ));
        assert!(matches!(
            ProvisioningUrl::parse("http://h/a b"),
            Err(UrlError::Blank { position: 11, .. })
        ));
        assert_eq!(ProvisioningUrl::parse("  "), Err(UrlError::Empty));
    }

    #[test]
    fn passwords_with_url_delimiters_are_masked_and_refused() {
        for url in [
            "https://admin:pa#ss@prov/x",
            "https://admin:pa/ss@prov/x",
            "https://admin:pa?ss@prov/x",
        ] {
            assert!(!mask_url_password(url).contains("pa"), "{url}");
            let err = ProvisioningUrl::parse(url).unwrap_err();
            assert!(matches!(err, UrlError::UnencodedPassword { .. }), "{url}");
            assert!(!err.to_string().contains("ss@"), "{err}");
        }
        assert_eq!(
            mask_url_password("http://h:8080/a@b"),
            "http://h:8080/a@b",
            "a port is not a password"
        );
        assert!(ProvisioningUrl::parse("http://h:8080/a@b").is_ok());
    }

    #[test]
    fn errors_carry_the_url_masked_even_without_a_scheme() {
        let err = ProvisioningUrl::parse("admin:secret@prov.example.com/x").unwrap_err();
        assert!(matches!(err, UrlError::Scheme { .. }));
        assert!(!err.to_string().contains("secret"), "{err}");
        let err = ProvisioningUrl::parse("http://u:secret@h/%q").unwrap_err();
        assert!(!err.to_string().contains("secret"), "{err}");
    }

    #[test]
    fn masking_works_on_unparsed_text() {
        assert_eq!(
            mask_url_password("http://u:p@h/x"),
            format!("http://u:{MASK}@h/x")
        );
        assert_eq!(mask_url_password("http://h/x@y"), "http://h/x@y");
        assert_eq!(mask_url_password("not a url"), "not a url");
    }
}
