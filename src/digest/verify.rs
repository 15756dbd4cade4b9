//! The server's side of digest: read an `Authorization: Digest …` header and work out the
//! response it should carry from a stored HA1.
//!
//! A server such as Apache or lighttpd keeps only HA1 = H(user:realm:password) (an htdigest
//! line), never the password, so the expected response is computed from HA1 onwards. Pure, no
//! I/O; the header is outside data, so nothing here panics on any input.

use thiserror::Error;

use super::algorithm::{Algorithm, Qop};
use super::challenge::{ChallengeError, parse_challenges};
use crate::secret::Secret;

/// The fields of an `Authorization: Digest …` header, as the client sent them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestAnswer {
    /// The user name, decoded when it came as `username*` (RFC 8187).
    pub username: String,
    pub realm: String,
    pub nonce: String,
    pub uri: String,
    pub response: String,
    /// `Err` holds a name RFC 7616 does not define; absent means MD5.
    pub algorithm: Result<Algorithm, String>,
    pub qop: Option<Qop>,
    /// The nonce count exactly as sent (it is hashed as text).
    pub nc: Option<String>,
    pub cnonce: Option<String>,
    pub opaque: Option<String>,
    pub userhash: bool,
}

/// Why an `Authorization` header is not a usable digest answer; a server answers 400.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AnswerError {
    #[error(transparent)]
    Unreadable(#[from] ChallengeError),
    #[error("the Authorization header holds no credentials")]
    Empty,
    #[error("the Authorization header is {0}, not Digest")]
    NotDigest(String),
    #[error("the digest answer has no {0}")]
    Missing(&'static str),
    #[error("the digest answer's qop {0:?} is not auth or auth-int")]
    UnknownQop(String),
    #[error("the digest answer's username* is not UTF-8''percent-encoded text")]
    BadExtendedUsername,
}

impl DigestAnswer {
    /// Reads an `Authorization` header value. Only the first credentials count.
    pub fn parse(header: &str) -> Result<Self, AnswerError> {
        let answer = parse_challenges(header)?
            .into_iter()
            .next()
            .ok_or(AnswerError::Empty)?;
        if !answer.is_scheme("Digest") {
            return Err(AnswerError::NotDigest(answer.scheme));
        }
        let field = |name: &str| answer.param(name).map(str::to_string);
        let required = |name: &'static str| field(name).ok_or(AnswerError::Missing(name));
        let username = match (field("username"), field("username*")) {
            (Some(plain), _) => plain,
            (None, Some(extended)) => {
                decode_ext_value(&extended).ok_or(AnswerError::BadExtendedUsername)?
            }
            (None, None) => return Err(AnswerError::Missing("username")),
        };
        let qop = field("qop")
            .map(|name| Qop::parse(&name).ok_or(AnswerError::UnknownQop(name)))
            .transpose()?;
        let algorithm = match answer.param("algorithm") {
            None => Ok(Algorithm::Md5),
            Some(name) => Algorithm::parse(name).ok_or_else(|| name.to_string()),
        };
        let answer = Self {
            username,
            realm: required("realm")?,
            nonce: required("nonce")?,
            uri: required("uri")?,
            response: required("response")?,
            algorithm,
            qop,
            nc: field("nc"),
            cnonce: field("cnonce"),
            opaque: field("opaque"),
            userhash: answer
                .param("userhash")
                .is_some_and(|v| v.eq_ignore_ascii_case("true")),
        };
        if answer.qop.is_some() {
            answer.nc.as_ref().ok_or(AnswerError::Missing("nc"))?;
            answer
                .cnonce
                .as_ref()
                .ok_or(AnswerError::Missing("cnonce"))?;
        }
        Ok(answer)
    }
}

/// HA1 as a server stores it: H(user:realm:password), hashed with `algorithm`'s function.
pub fn stored_ha1(algorithm: Algorithm, username: &str, realm: &str, password: &Secret) -> Secret {
    Secret::new(algorithm.hash_hex(format!("{username}:{realm}:{}", password.expose()).as_bytes()))
}

/// The response `answer` must carry for `method` and `body`, given the user's stored HA1
/// (from [`stored_ha1`] or an htdigest line) and the algorithm to verify with. Uses the
/// nonce, cnonce, nc, qop and uri exactly as the client sent them; a missing cnonce or nc
/// hashes as empty text, so such an answer simply does not match.
pub fn expected_response(
    answer: &DigestAnswer,
    algorithm: Algorithm,
    stored_ha1: &Secret,
    method: &str,
    body: &[u8],
) -> String {
    let h = |data: &str| algorithm.hash_hex(data.as_bytes());
    let cnonce = answer.cnonce.as_deref().unwrap_or_default();
    let ha1 = if algorithm.is_session() {
        h(&format!(
            "{}:{}:{cnonce}",
            stored_ha1.expose(),
            answer.nonce
        ))
    } else {
        stored_ha1.expose().to_string()
    };
    let ha2 = match answer.qop {
        Some(Qop::AuthInt) => h(&format!(
            "{method}:{}:{}",
            answer.uri,
            algorithm.hash_hex(body)
        )),
        _ => h(&format!("{method}:{}", answer.uri)),
    };
    match answer.qop {
        Some(qop) => h(&format!(
            "{ha1}:{}:{}:{cnonce}:{qop}:{ha2}",
            answer.nonce,
            answer.nc.as_deref().unwrap_or_default()
        )),
        None => h(&format!("{ha1}:{}:{ha2}", answer.nonce)),
    }
}

/// Compares two hex responses without an early exit, so the time taken does not tell an
/// attacker how many leading characters were right. Hex case is ignored.
pub fn responses_match(sent: &str, expected: &str) -> bool {
    let (sent, expected) = (sent.as_bytes(), expected.as_bytes());
    if sent.len() != expected.len() {
        return false;
    }
    sent.iter().zip(expected).fold(0u8, |diff, (a, b)| {
        diff | (a.to_ascii_lowercase() ^ b.to_ascii_lowercase())
    }) == 0
}

/// Decodes RFC 8187 `UTF-8''J%C3%A4s%C3%B8n` (the only charset RFC 7616 allows).
fn decode_ext_value(value: &str) -> Option<String> {
    let (charset, rest) = value.split_once('\'')?;
    if !charset.eq_ignore_ascii_case("UTF-8") {
        return None;
    }
    let (_language, encoded) = rest.split_once('\'')?;
    let mut bytes = Vec::with_capacity(encoded.len());
    let mut input = encoded.bytes();
    while let Some(byte) = input.next() {
        if byte == b'%' {
            let high = char::from(input.next()?).to_digit(16)?;
            let low = char::from(input.next()?).to_digit(16)?;
            bytes.push(u8::try_from(high * 16 + low).ok()?);
        } else {
            bytes.push(byte);
        }
    }
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::digest::{DigestChallenge, DigestInput, compute, parse_challenges};

    const RFC2617_HA1: &str = "939e7578ed9e3c518a452acee763bce9";

    fn rfc2617_answer(qop: Option<Qop>) -> DigestAnswer {
        DigestAnswer {
            username: "Mufasa".into(),
            realm: "testrealm@host.com".into(),
            nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093".into(),
            uri: "/dir/index.html".into(),
            response: String::new(),
            algorithm: Ok(Algorithm::Md5),
            qop,
            nc: qop.map(|_| "00000001".into()),
            cnonce: qop.map(|_| "0a4f113b".into()),
            opaque: None,
            userhash: false,
        }
    }

    #[test]
    fn rfc2617_vector_from_the_stored_ha1() {
        let ha1 = Secret::new(RFC2617_HA1);
        let with_qop = rfc2617_answer(Some(Qop::Auth));
        assert_eq!(
            expected_response(&with_qop, Algorithm::Md5, &ha1, "GET", b""),
            "6629fae49393a05397450978507c4ef1"
        );
        let rfc2069 = rfc2617_answer(None);
        assert_eq!(
            expected_response(&rfc2069, Algorithm::Md5, &ha1, "GET", b""),
            "670fd8c2df070c60b045671b8b24ff02"
        );
        let password = Secret::new("Circle Of Life");
        assert_eq!(
            stored_ha1(Algorithm::Md5, "Mufasa", "testrealm@host.com", &password),
            ha1
        );
    }

    #[test]
    fn parses_the_header_curl_sends() {
        let header = r#"Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", cnonce="0a4f113b", nc=00000001, qop=auth, response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41""#;
        let answer = DigestAnswer::parse(header).unwrap();
        assert_eq!(answer.username, "Mufasa");
        assert_eq!(answer.algorithm, Ok(Algorithm::Md5));
        assert_eq!(answer.qop, Some(Qop::Auth));
        assert_eq!(answer.nc.as_deref(), Some("00000001"));
        let expected = expected_response(
            &answer,
            Algorithm::Md5,
            &Secret::new(RFC2617_HA1),
            "GET",
            b"",
        );
        assert!(responses_match(&answer.response, &expected));
        assert!(responses_match(&answer.response.to_uppercase(), &expected));
        assert!(!responses_match(&answer.response[1..], &expected));
    }

    #[test]
    fn rejects_what_cannot_be_checked() {
        assert_eq!(
            DigestAnswer::parse("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="),
            Err(AnswerError::NotDigest("Basic".into()))
        );
        assert_eq!(DigestAnswer::parse("  "), Err(AnswerError::Empty));
        assert_eq!(
            DigestAnswer::parse(r#"Digest username="u", realm="r", nonce="n", uri="/""#),
            Err(AnswerError::Missing("response"))
        );
        assert_eq!(
            DigestAnswer::parse(
                r#"Digest username="u", realm="r", nonce="n", uri="/", response="x", qop=auth"#
            ),
            Err(AnswerError::Missing("nc"))
        );
        assert_eq!(
            DigestAnswer::parse(
                r#"Digest username="u", realm="r", nonce="n", uri="/", response="x", qop=token"#
            ),
            Err(AnswerError::UnknownQop("token".into()))
        );
        assert!(matches!(
            DigestAnswer::parse(r#"Digest username="u"#),
            Err(AnswerError::Unreadable(_))
        ));
    }

    #[test]
    fn extended_user_names_are_decoded() {
        let header =
            "Digest username*=UTF-8''J%C3%A4s%C3%B8n%20Doe, realm=r, nonce=n, uri=/, response=x";
        assert_eq!(DigestAnswer::parse(header).unwrap().username, "Jäsøn Doe");
        let broken = "Digest username*=UTF-8''%C3, realm=r, nonce=n, uri=/, response=x";
        assert_eq!(
            DigestAnswer::parse(broken),
            Err(AnswerError::BadExtendedUsername)
        );
    }

    /// Whatever our client computes, our server side accepts, for every algorithm and qop.
    #[test]
    fn agrees_with_compute_for_every_algorithm_and_qop() {
        let password = Secret::new("Secret, or not?");
        for algorithm in Algorithm::ALL {
            for qop in [None, Some(Qop::Auth), Some(Qop::AuthInt)] {
                let header = format!(
                    "Digest realm=\"api@example.org\", nonce=\"5TsQWLVd\", opaque=\"o\", algorithm={algorithm}"
                );
                let challenge =
                    DigestChallenge::from_challenge(&parse_challenges(&header).unwrap()[0])
                        .unwrap();
                let input = DigestInput {
                    username: "Jäsøn Doe",
                    password: &password,
                    method: "POST",
                    uri: "/doe.json?x=1",
                    body: b"<xml/>",
                    cnonce: "NTg6RKcb",
                    nc: 7,
                };
                let sent = compute(&challenge, algorithm, qop, &input).authorization();
                let answer = DigestAnswer::parse(&sent).unwrap();
                assert_eq!(answer.username, "Jäsøn Doe");
                assert_eq!(answer.algorithm, Ok(algorithm));
                let ha1 = stored_ha1(algorithm, "Jäsøn Doe", "api@example.org", &password);
                let expected = expected_response(&answer, algorithm, &ha1, "POST", b"<xml/>");
                assert!(
                    responses_match(&answer.response, &expected),
                    "{algorithm} {qop:?}"
                );
                let tampered = expected_response(&answer, algorithm, &ha1, "POST", b"<xml />");
                assert_eq!(
                    responses_match(&answer.response, &tampered),
                    qop != Some(Qop::AuthInt),
                    "only auth-int covers the body: {algorithm} {qop:?}"
                );
            }
        }
    }

    proptest! {
        /// The header is outside data: any string is parsed or refused, never a panic.
        #[test]
        fn any_header_is_parsed_or_refused(header in ".{0,200}") {
            if let Ok(answer) = DigestAnswer::parse(&header) {
                let ha1 = Secret::new("00");
                let expected = expected_response(&answer, Algorithm::Md5Sess, &ha1, "GET", b"");
                let _ = responses_match(&answer.response, &expected);
            }
        }

        #[test]
        fn digest_shaped_headers_never_panic(
            fields in proptest::collection::vec(
                ("(username\\*?|realm|nonce|uri|response|algorithm|qop|nc|cnonce|userhash)",
                 "[\"'%a-zA-Z0-9=, \\\\-]{0,12}"),
                0..10,
            )
        ) {
            let header = fields
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect::<Vec<_>>()
                .join(", ");
            let _ = DigestAnswer::parse(&format!("Digest {header}"));
        }
    }
}
