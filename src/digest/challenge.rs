//! `WWW-Authenticate` parsing (RFC 7235 §4.1, RFC 7616 §3.3).
//!
//! One header may hold several challenges (`Digest …, Basic …`), a response may carry several
//! headers, names and some values are case-insensitive, and quoted strings have escapes. Every
//! parameter is kept, known or not, so the log can show exactly what the server sent.

use thiserror::Error;

use super::algorithm::{Algorithm, Qop};

/// Why a header could not be read, with the 1-based byte position where reading stopped.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("WWW-Authenticate header unreadable at byte {position}: {reason}")]
pub struct ChallengeError {
    pub position: usize,
    pub reason: &'static str,
}

/// One challenge: its scheme and parameters in the order sent, names lower-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    pub scheme: String,
    pub params: Vec<(String, String)>,
    /// A token68 instead of parameters (`Negotiate abc==`).
    pub token68: Option<String>,
}

impl Challenge {
    /// The first value of a parameter, by case-insensitive name.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub fn is_scheme(&self, scheme: &str) -> bool {
        self.scheme.eq_ignore_ascii_case(scheme)
    }
}

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ows(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
    }

    fn skip_separators(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b',')) {
            self.pos += 1;
        }
    }

    fn token(&mut self) -> &'a str {
        let start = self.pos;
        while self.peek().is_some_and(is_tchar) {
            self.pos += 1;
        }
        std::str::from_utf8(&self.bytes[start..self.pos]).expect("tchars are ASCII")
    }

    fn error(&self, reason: &'static str) -> ChallengeError {
        ChallengeError {
            position: self.pos + 1,
            reason,
        }
    }

    /// A quoted string without its quotes, escapes resolved.
    fn quoted(&mut self) -> Result<String, ChallengeError> {
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            match self.peek() {
                None => return Err(self.error("a quoted value is not closed")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(String::from_utf8_lossy(&out).into_owned());
                }
                Some(b'\\') => {
                    self.pos += 1;
                    match self.peek() {
                        Some(escaped) => {
                            out.push(escaped);
                            self.pos += 1;
                        }
                        None => return Err(self.error("a quoted value ends in a backslash")),
                    }
                }
                Some(other) => {
                    out.push(other);
                    self.pos += 1;
                }
            }
        }
    }

    /// An unquoted value: lenient, up to the next comma or blank, since servers put base64
    /// nonces there that are not strictly tokens.
    fn bare_value(&mut self) -> String {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|b| !matches!(b, b',' | b' ' | b'\t'))
        {
            self.pos += 1;
        }
        String::from_utf8_lossy(&self.bytes[start..self.pos]).into_owned()
    }

    /// A token68 (RFC 7235 §2.1): the single blob some schemes carry instead of parameters.
    fn token68(&mut self) -> &'a str {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b"-._~+/=".contains(&b))
        {
            self.pos += 1;
        }
        std::str::from_utf8(&self.bytes[start..self.pos]).expect("token68 characters are ASCII")
    }

    /// One `name=value` parameter at the cursor, its name lower-cased.
    fn param(&mut self) -> Result<(String, String), ChallengeError> {
        let name = self.token().to_ascii_lowercase();
        self.skip_ows();
        self.pos += 1; // '=', checked by at_param
        self.skip_ows();
        let value = match self.peek() {
            Some(b'"') => self.quoted()?,
            _ => {
                let bare = self.bare_value();
                if bare.is_empty() {
                    return Err(self.error("a parameter has no value"));
                }
                bare
            }
        };
        if self
            .peek()
            .is_some_and(|b| !matches!(b, b',' | b' ' | b'\t'))
        {
            return Err(self.error("a value must be followed by a comma"));
        }
        Ok((name, value))
    }

    /// Whether the text at the cursor is `name =` (a parameter) rather than a new scheme.
    fn at_param(&self) -> bool {
        let mut look = self.pos;
        while self.bytes.get(look).copied().is_some_and(is_tchar) {
            look += 1;
        }
        if look == self.pos {
            return false;
        }
        while matches!(self.bytes.get(look), Some(b' ' | b'\t')) {
            look += 1;
        }
        // `abc==` or a trailing `abc=` is token68 padding, not a parameter.
        self.bytes.get(look) == Some(&b'=')
            && !matches!(self.bytes.get(look + 1), None | Some(b'=' | b','))
    }
}

/// Parses one `WWW-Authenticate` header value into its challenges.
pub fn parse_challenges(header: &str) -> Result<Vec<Challenge>, ChallengeError> {
    let mut reader = Reader {
        bytes: header.as_bytes(),
        pos: 0,
    };
    let mut challenges = Vec::new();
    loop {
        reader.skip_separators();
        if reader.peek().is_none() {
            return Ok(challenges);
        }
        let scheme = reader.token();
        if scheme.is_empty() {
            return Err(reader.error("expected an authentication scheme such as Digest"));
        }
        let mut challenge = Challenge {
            scheme: scheme.to_string(),
            params: Vec::new(),
            token68: None,
        };
        reader.skip_ows();
        if reader.peek().is_some_and(is_tchar) && !reader.at_param() {
            challenge.token68 = Some(reader.token68().to_string());
        }
        loop {
            reader.skip_separators();
            if reader.peek().is_none() || !reader.at_param() {
                break;
            }
            challenge.params.push(reader.param()?);
        }
        challenges.push(challenge);
        if reader.peek().is_some_and(|b| !is_tchar(b)) {
            return Err(reader.error("unexpected character"));
        }
    }
}

/// Parses every `WWW-Authenticate` header of a response, in order.
pub fn parse_all<'h>(
    headers: impl IntoIterator<Item = &'h str>,
) -> Result<Vec<Challenge>, ChallengeError> {
    let mut all = Vec::new();
    for header in headers {
        all.extend(parse_challenges(header)?);
    }
    Ok(all)
}

/// The fields of a Digest challenge, typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestChallenge {
    pub realm: String,
    pub nonce: String,
    pub opaque: Option<String>,
    pub stale: bool,
    /// `Err` holds an algorithm name RFC 7616 does not define.
    pub algorithm: Result<Algorithm, String>,
    /// The qop values offered; empty means RFC 2069 (no qop).
    pub qop: Vec<Qop>,
    /// qop values provdesk does not know, kept for the log.
    pub unknown_qop: Vec<String>,
    pub userhash: bool,
    pub charset_utf8: bool,
    pub domain: Option<String>,
}

/// Why a Digest challenge cannot be answered.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DigestChallengeError {
    #[error("the challenge is {0}, not Digest")]
    NotDigest(String),
    #[error("the Digest challenge has no {0}; the server is misconfigured")]
    Missing(&'static str),
}

impl DigestChallenge {
    pub fn from_challenge(challenge: &Challenge) -> Result<Self, DigestChallengeError> {
        if !challenge.is_scheme("Digest") {
            return Err(DigestChallengeError::NotDigest(challenge.scheme.clone()));
        }
        let required = |name: &'static str| {
            challenge
                .param(name)
                .map(str::to_string)
                .ok_or(DigestChallengeError::Missing(name))
        };
        let flag = |name: &str| {
            challenge
                .param(name)
                .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        };
        let (qop, unknown_qop) = challenge
            .param("qop")
            .map(|list| {
                let mut known = Vec::new();
                let mut unknown = Vec::new();
                for item in list.split(',').map(str::trim).filter(|i| !i.is_empty()) {
                    match Qop::parse(item) {
                        Some(q) => known.push(q),
                        None => unknown.push(item.to_string()),
                    }
                }
                (known, unknown)
            })
            .unwrap_or_default();
        let algorithm = match challenge.param("algorithm") {
            None => Ok(Algorithm::Md5),
            Some(name) => Algorithm::parse(name).ok_or_else(|| name.to_string()),
        };
        Ok(Self {
            realm: required("realm")?,
            nonce: required("nonce")?,
            opaque: challenge.param("opaque").map(str::to_string),
            stale: flag("stale"),
            algorithm,
            qop,
            unknown_qop,
            userhash: flag("userhash"),
            charset_utf8: challenge
                .param("charset")
                .is_some_and(|c| c.eq_ignore_ascii_case("utf-8")),
            domain: challenge.param("domain").map(str::to_string),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_challenges_in_one_header() {
        let header = r#"Digest realm="prov", qop="auth-int, auth", algorithm=SHA-256, nonce="abc", Digest realm="prov", nonce="abc", algorithm=MD5, Basic realm="prov""#;
        let challenges = parse_challenges(header).unwrap();
        assert_eq!(challenges.len(), 3);
        assert!(challenges[2].is_scheme("basic"));
        let digest = DigestChallenge::from_challenge(&challenges[0]).unwrap();
        assert_eq!(digest.algorithm, Ok(Algorithm::Sha256));
        assert_eq!(digest.qop, vec![Qop::AuthInt, Qop::Auth]);
    }

    #[test]
    fn case_escapes_and_unknown_parameters() {
        let header = r#"DIGEST Realm="a \"quoted\" realm", NONCE=xyz, algorithm=md5-SESS, stale=TRUE, userhash=true, charset=UTF-8, foo="bar""#;
        let challenge = &parse_challenges(header).unwrap()[0];
        assert_eq!(challenge.param("foo"), Some("bar"));
        let digest = DigestChallenge::from_challenge(challenge).unwrap();
        assert_eq!(digest.realm, "a \"quoted\" realm");
        assert_eq!(digest.nonce, "xyz");
        assert_eq!(digest.algorithm, Ok(Algorithm::Md5Sess));
        assert!(digest.stale && digest.userhash && digest.charset_utf8);
        let not_stale = &parse_challenges("Digest realm=r, nonce=n, stale=FALSE").unwrap()[0];
        assert!(!DigestChallenge::from_challenge(not_stale).unwrap().stale);
    }

    #[test]
    fn several_headers_and_token68() {
        let all = parse_all(["Negotiate abc123==", "Digest realm=\"r\", nonce=\"n\""]).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].token68.as_deref(), Some("abc123=="));
        assert_eq!(all[1].param("nonce"), Some("n"));
    }

    #[test]
    fn errors_say_where() {
        let err = parse_challenges("Digest realm=\"open").unwrap_err();
        assert_eq!(err.reason, "a quoted value is not closed");
        let glued = parse_challenges("Digest realm=\"a\"x, nonce=\"n\"").unwrap_err();
        assert_eq!(glued.reason, "a value must be followed by a comma");
        assert_eq!(glued.position, 17);
        let cut = &parse_challenges("Digest realm=").unwrap()[0];
        assert_eq!(
            DigestChallenge::from_challenge(cut),
            Err(DigestChallengeError::Missing("realm"))
        );
        let missing = &parse_challenges("Digest realm=r").unwrap()[0];
        assert_eq!(
            DigestChallenge::from_challenge(missing),
            Err(DigestChallengeError::Missing("nonce"))
        );
        let unknown = &parse_challenges("Digest realm=r, nonce=n, algorithm=SHA-1").unwrap()[0];
        assert_eq!(
            DigestChallenge::from_challenge(unknown).unwrap().algorithm,
            Err("SHA-1".to_string())
        );
    }
}
