//! Answering a 401 (`WWW-Authenticate` → `Authorization`) or a 407 (`Proxy-Authenticate` →
//! `Proxy-Authorization`) with provdesk's own digest engine, and saying in words what was
//! computed. SIP digest is RFC 2617/7616 digest with the SIP method and Request-URI as A2.

use crate::digest::{
    Algorithm, DigestChallenge, DigestComputation, DigestInput, NonceCounter, choose_qop, compute,
    parse_challenges, random_cnonce,
};
use crate::printable::printable;
use crate::secret::{MASK, Secret};

use super::events::DigestStep;
use super::parse::SipMessage;

/// The headers of one kind of challenge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthHeaders {
    pub challenge: &'static str,
    pub answer: &'static str,
}

/// The headers for a status: 407 is the proxy's, anything else the registrar's.
pub fn headers_for(status: u16) -> AuthHeaders {
    if status == 407 {
        AuthHeaders {
            challenge: "Proxy-Authenticate",
            answer: "Proxy-Authorization",
        }
    } else {
        AuthHeaders {
            challenge: "WWW-Authenticate",
            answer: "Authorization",
        }
    }
}

/// The challenge provdesk answers from a response: the strongest Digest challenge whose
/// algorithm it knows. Each header is read on its own, so one broken header (an unterminated
/// quote, a stray comma) does not hide a good challenge beside it. `Err` says why none can be
/// answered.
pub fn pick_challenge(
    response: &SipMessage,
    headers: AuthHeaders,
) -> Result<DigestChallenge, String> {
    let values: Vec<&str> = response.headers_named(headers.challenge).collect();
    if values.is_empty() {
        return Err(format!(
            "the registrar asked for credentials but sent no {}",
            headers.challenge
        ));
    }
    let mut unreadable = None;
    let mut challenges = Vec::new();
    for value in &values {
        match parse_challenges(value) {
            Ok(parsed) => challenges.extend(parsed),
            Err(error) => {
                unreadable.get_or_insert(error);
            }
        }
    }
    challenges
        .iter()
        .filter_map(|c| DigestChallenge::from_challenge(c).ok())
        .filter(|c| c.algorithm.is_ok())
        .max_by_key(|c| c.algorithm.as_ref().map_or(0, |a| a.strength()))
        .ok_or_else(|| match unreadable {
            Some(error) => format!("{}: {error}", headers.challenge),
            None => format!(
                "no Digest challenge provdesk can answer in {}: {}",
                headers.challenge,
                printable(&values.join(" | "), 200)
            ),
        })
}

/// What the answer is computed from.
#[derive(Debug)]
pub struct AnswerInput<'a> {
    pub step: usize,
    pub username: &'a str,
    pub password: &'a Secret,
    pub method: &'a str,
    pub uri: &'a str,
}

/// Computes the answer to `challenge`; the header value and the step for the log.
pub fn answer(
    challenge: &DigestChallenge,
    headers: AuthHeaders,
    input: &AnswerInput<'_>,
    counter: &mut NonceCounter,
) -> (String, DigestStep) {
    let algorithm = challenge.algorithm.clone().unwrap_or(Algorithm::Md5);
    let qop = choose_qop(challenge);
    let cnonce = random_cnonce();
    let nc = counter.next(&challenge.nonce);
    let computation = compute(
        challenge,
        algorithm,
        qop,
        &DigestInput {
            username: input.username,
            password: input.password,
            method: input.method,
            uri: input.uri,
            body: b"",
            cnonce: &cnonce,
            nc,
        },
    );
    let header = computation.authorization();
    let step = DigestStep {
        step: input.step,
        challenge_header: headers.challenge,
        answer_header: headers.answer,
        username: input.username.to_string(),
        realm: computation.realm.clone(),
        nonce: computation.nonce.clone(),
        algorithm: algorithm.name().to_string(),
        qop: qop.map(|q| q.to_string()),
        nc: computation.nc.clone(),
        stale: challenge.stale,
        words: words(&computation, headers, input.username, challenge.stale),
        computation: Box::new(computation),
    };
    (header, step)
}

/// The computation in words, HA1 and the response masked (the rest is public on the wire).
fn words(c: &DigestComputation, headers: AuthHeaders, user: &str, stale: bool) -> Vec<String> {
    let h = c.algorithm.name();
    let mut lines = vec![format!(
        "{} asks for Digest {h}, realm {}, nonce {}, qop {}{}",
        headers.challenge,
        shown(&c.realm),
        shown(&c.nonce),
        c.qop
            .map_or("none (RFC 2069)".to_string(), |q| q.to_string()),
        if stale {
            ", stale=true (the old nonce expired; not a wrong password)"
        } else {
            ""
        }
    )];
    lines.push(format!(
        "A1 = user:realm:password = {user}:{}:{MASK}",
        printable(&c.realm, 200)
    ));
    lines.push(format!("HA1 = {h}(A1) = {MASK}"));
    lines.push(format!("A2 = method:uri = {}", c.a2));
    lines.push(format!("HA2 = {h}(A2) = {}", c.ha2));
    match c.qop {
        Some(qop) => lines.push(format!(
            "response = {h}(HA1:nonce:nc:cnonce:qop:HA2) with nc {} (this nonce's use count), \
             cnonce {MASK}, qop {qop} = {MASK}",
            c.nc
        )),
        None => lines.push(format!("response = {h}(HA1:nonce:HA2) = {MASK}")),
    }
    lines.push(format!("sent as {} for user {user:?}", headers.answer));
    lines
}

/// A registrar's value quoted for the log: escaped and cut, as a nonce can be kilobytes.
fn shown(value: &str) -> String {
    printable(&format!("{value:?}"), 200)
}

/// An `Authorization` value with its `response` and `cnonce` masked, for the log: with them
/// and the rest of the header, a short password could be guessed offline.
pub fn mask_answer(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = find_param(rest) {
        let (before, after) = rest.split_at(at.value_start);
        out.push_str(before);
        out.push_str(MASK);
        rest = &after[at.value_len..];
    }
    out.push_str(rest);
    out
}

struct ParamAt {
    value_start: usize,
    value_len: usize,
}

/// The next `response="…"` or `cnonce="…"` value's place (inside the quotes).
fn find_param(text: &str) -> Option<ParamAt> {
    let lower = text.to_ascii_lowercase();
    ["response=\"", "cnonce=\""]
        .iter()
        .filter_map(|key| {
            let start = lower.find(key)? + key.len();
            let len = text[start..].find('"')?;
            Some(ParamAt {
                value_start: start,
                value_len: len,
            })
        })
        .min_by_key(|at| at.value_start)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::sip::parse::parse_message;

    /// One challenge header as a registrar might write it: any realm (control characters
    /// included), a known or unknown algorithm, sometimes followed by garbage.
    fn challenge_value() -> impl Strategy<Value = String> {
        let realm = "[^\"\\\\\r\n]{0,40}";
        let algorithm = prop_oneof!["MD5", "SHA-256", "ROT13", "[A-Za-z0-9-]{1,12}"];
        let garbage = prop_oneof!["", ", \"unterminated", "[^\r\n]{0,20}"];
        (realm, algorithm, garbage).prop_map(|(realm, algorithm, garbage)| {
            format!("Digest realm=\"{realm}\", nonce=\"n\", algorithm={algorithm}{garbage}")
        })
    }

    proptest! {
        /// Challenge headers are the registrar's: any of them, in any number, gives a
        /// challenge or a reason that is short and safe to print.
        #[test]
        fn any_challenge_headers_give_a_challenge_or_a_printable_reason(
            values in proptest::collection::vec(challenge_value(), 0..40),
            proxy in any::<bool>(),
        ) {
            let headers = headers_for(if proxy { 407 } else { 401 });
            let mut text = String::from("SIP/2.0 401 Unauthorized\r\n");
            for value in &values {
                text.push_str(&format!("{}: {value}\r\n", headers.challenge));
            }
            text.push_str("\r\n");
            let response = parse_message(text.as_bytes()).unwrap();
            if let Err(reason) = pick_challenge(&response, headers) {
                prop_assert!(!reason.chars().any(char::is_control), "{reason:?}");
                prop_assert!(reason.chars().count() < 400, "{} characters", reason.len());
            }
        }
    }

    #[test]
    fn a_challenge_is_answered_and_the_words_hide_the_secrets() {
        let response = parse_message(
            b"SIP/2.0 401 Unauthorized\r\nWWW-Authenticate: Digest realm=\"pbx\", \
nonce=\"n1\", qop=\"auth\", algorithm=MD5\r\n\r\n",
        )
        .unwrap();
        let headers = headers_for(401);
        let challenge = pick_challenge(&response, headers).unwrap();
        let password = Secret::new("hunter2");
        let (header, step) = answer(
            &challenge,
            headers,
            &AnswerInput {
                step: 1,
                username: "1001",
                password: &password,
                method: "REGISTER",
                uri: "sip:pbx",
            },
            &mut NonceCounter::default(),
        );
        assert!(header.contains("uri=\"sip:pbx\""));
        assert_eq!(step.nc, "00000001");
        let text = step.words.join("\n");
        assert!(text.contains("A2 = method:uri = REGISTER:sip:pbx"));
        assert!(!text.contains("hunter2"));
        assert!(!text.contains(step.computation.ha1.expose()));
        assert!(!text.contains(&step.computation.response));
        let masked = mask_answer(&header);
        assert!(!masked.contains(&step.computation.response));
        assert!(!masked.contains(&step.computation.cnonce));
        assert!(masked.contains("username=\"1001\""));
    }

    #[test]
    fn a_407_uses_the_proxy_headers_and_no_challenge_is_an_error() {
        assert_eq!(headers_for(407).answer, "Proxy-Authorization");
        let bare = parse_message(b"SIP/2.0 407 Proxy Authentication Required\r\n\r\n").unwrap();
        assert!(pick_challenge(&bare, headers_for(407)).is_err());
    }
}
