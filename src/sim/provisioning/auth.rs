//! The simulator's gatekeeper: issues challenges, remembers nonces and judges answers the way
//! lighttpd and Apache do, bent by the authentication faults.
//!
//! Pure apart from the random nonces: the caller passes the time and the state, so the rules
//! are tested without sockets or clocks.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::fault::Fault;
use super::users::SimUser;
use crate::digest::{
    Algorithm, AnswerError, BasicHeader, DigestAnswer, Qop, expected_response, random_cnonce,
    responses_match,
};

/// Nonces remembered at most; beyond it the oldest are forgotten (their answers turn stale).
const MAX_NONCES: usize = 4096;

/// The fixed part of authentication, from the configuration.
#[derive(Debug)]
pub(super) struct Authenticator {
    realm: String,
    algorithms: Vec<Algorithm>,
    qop: Vec<Qop>,
    users: Vec<SimUser>,
    nonce_lifetime: Duration,
    opaque: String,
    fault: Fault,
}

/// What changes from request to request.
#[derive(Debug, Default)]
pub(super) struct AuthState {
    /// Nonces issued, with when.
    nonces: HashMap<String, Instant>,
    /// Challenges sent under [`Fault::RealmChanged`], to number the realms.
    realms_sent: u32,
    /// Whether [`Fault::StaleNonce`] has turned its one correct answer away.
    stale_sent: bool,
}

/// The parts of a request that authentication looks at.
#[derive(Debug, Clone, Copy)]
pub(super) struct AuthRequest<'a> {
    pub method: &'a str,
    /// The request-target exactly as received.
    pub target: &'a str,
    /// The raw `Authorization` header, if any (bytes: it is outside data).
    pub authorization: Option<&'a [u8]>,
    pub body: &'a [u8],
}

/// The judgement on one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Verdict {
    /// Authenticated as this user.
    Pass { user: String },
    /// `401` with these `WWW-Authenticate` values (none under [`Fault::NoChallenge`]).
    /// `rejected` marks a wrong answer, which counts towards a lockout.
    Unauthorized {
        challenges: Vec<String>,
        rejected: bool,
        why: String,
    },
    /// `400`: the answer cannot be checked at all (malformed, or its `uri` is not the target).
    BadRequest { why: String },
}

/// Why a Digest answer is not accepted, before it becomes a response.
enum Refusal {
    /// `400`: the answer is malformed or hashed another request.
    Malformed(String),
    /// `401` with a new challenge; `rejected` when the credentials themselves are wrong.
    Challenge { rejected: bool, why: String },
}

impl Refusal {
    fn challenge(rejected: bool, why: impl Into<String>) -> Self {
        Refusal::Challenge {
            rejected,
            why: why.into(),
        }
    }
}

impl Authenticator {
    pub(super) fn new(
        realm: String,
        algorithms: Vec<Algorithm>,
        qop: Vec<Qop>,
        users: Vec<SimUser>,
        nonce_lifetime: Duration,
        fault: Fault,
    ) -> Self {
        let algorithms = if fault == Fault::AlgorithmUnsupported {
            vec![Algorithm::Sha512_256]
        } else {
            algorithms
        };
        Self {
            realm,
            algorithms,
            qop,
            users,
            nonce_lifetime,
            opaque: random_cnonce(),
            fault,
        }
    }

    /// Judges a request at time `now`.
    pub(super) fn judge(
        &self,
        state: &mut AuthState,
        request: &AuthRequest<'_>,
        now: Instant,
    ) -> Verdict {
        match self.fault {
            Fault::NoChallenge => Verdict::Unauthorized {
                challenges: Vec::new(),
                rejected: request.authorization.is_some(),
                why: "fault no-challenge: 401 without a challenge".into(),
            },
            Fault::BasicOnly => self.judge_basic(request),
            _ => self.judge_digest(state, request, now),
        }
    }

    fn judge_basic(&self, request: &AuthRequest<'_>) -> Verdict {
        let unauthorized = |rejected: bool, why: &str| Verdict::Unauthorized {
            challenges: vec![format!(
                "Basic realm=\"{}\", charset=\"UTF-8\"",
                quote(&self.realm)
            )],
            rejected,
            why: why.into(),
        };
        let Some(header) = request.authorization else {
            return unauthorized(false, "no credentials");
        };
        let (name, password) = match BasicHeader::parse(header) {
            BasicHeader::NotBasic => return unauthorized(false, "not Basic credentials"),
            BasicHeader::Unreadable => {
                return Verdict::BadRequest {
                    why: "Basic credentials are not base64 of user:password".into(),
                };
            }
            BasicHeader::Credentials { user, password } => (user, password),
        };
        match self.users.iter().find(|user| user.name() == name) {
            Some(user) if user.password_matches(&self.realm, &password) => {
                Verdict::Pass { user: name }
            }
            Some(_) => unauthorized(true, "wrong password"),
            None => unauthorized(true, "unknown user"),
        }
    }

    fn judge_digest(
        &self,
        state: &mut AuthState,
        request: &AuthRequest<'_>,
        now: Instant,
    ) -> Verdict {
        let checked = self.read_answer(request).and_then(|answer| {
            self.check_target(&answer, request)?;
            self.check_credentials(&answer, request)?;
            Ok(answer)
        });
        match checked {
            Ok(answer) => self.judge_nonce(state, answer, now),
            Err(Refusal::Malformed(why)) => Verdict::BadRequest { why },
            Err(Refusal::Challenge { rejected, why }) => {
                self.challenge(state, now, false, rejected, &why)
            }
        }
    }

    /// The `Authorization` header as a Digest answer.
    fn read_answer(&self, request: &AuthRequest<'_>) -> Result<DigestAnswer, Refusal> {
        let Some(header) = request.authorization else {
            return Err(Refusal::challenge(false, "no credentials"));
        };
        if self.fault == Fault::UriMismatch {
            return Err(Refusal::Malformed(
                "fault uri-mismatch: 400 to every answer".into(),
            ));
        }
        let Ok(header) = std::str::from_utf8(header) else {
            return Err(Refusal::Malformed(
                "the Authorization header is not UTF-8".into(),
            ));
        };
        DigestAnswer::parse(header).map_err(|error| match error {
            AnswerError::NotDigest(scheme) => {
                Refusal::challenge(false, format!("{scheme} credentials, not Digest"))
            }
            error => Refusal::Malformed(error.to_string()),
        })
    }

    /// Apache and lighttpd answer 400 to an answer that hashed another request or a qop that
    /// was not offered.
    fn check_target(
        &self,
        answer: &DigestAnswer,
        request: &AuthRequest<'_>,
    ) -> Result<(), Refusal> {
        if answer.uri != request.target {
            return Err(Refusal::Malformed(format!(
                "uri {:?} is not the request-target {:?}",
                answer.uri, request.target
            )));
        }
        let qop_offered = match answer.qop {
            Some(qop) => self.qop.contains(&qop),
            None => self.qop.is_empty(),
        };
        if !qop_offered {
            return Err(Refusal::Malformed(format!(
                "qop {} was not offered",
                answer.qop.map_or("(none)", Qop::name)
            )));
        }
        Ok(())
    }

    /// Realm, algorithm, user and password, each refused with a new challenge.
    fn check_credentials(
        &self,
        answer: &DigestAnswer,
        request: &AuthRequest<'_>,
    ) -> Result<(), Refusal> {
        let wrong = |why: String| Err(Refusal::challenge(true, why));
        if self.fault == Fault::RealmChanged {
            return wrong("fault realm-changed: the realm moved on".into());
        }
        if answer.realm != self.realm {
            return wrong(format!("realm {:?} is not ours", answer.realm));
        }
        let algorithm = match answer.algorithm {
            Ok(algorithm) if self.algorithms.contains(&algorithm) => algorithm,
            Ok(algorithm) => return wrong(format!("algorithm {algorithm} was not offered")),
            Err(ref name) => return wrong(format!("unknown algorithm {name:?}")),
        };
        let Some(user) = self
            .users
            .iter()
            .find(|user| user.name() == answer.username)
        else {
            return wrong(format!("unknown user {:?}", answer.username));
        };
        let Some(ha1) = user.ha1_for(algorithm, &self.realm) else {
            return wrong(format!(
                "user {:?} has no {algorithm} HA1 for this realm",
                answer.username
            ));
        };
        let expected = expected_response(answer, algorithm, &ha1, request.method, request.body);
        if !responses_match(&answer.response, &expected) {
            return wrong("wrong response (password)".into());
        }
        Ok(())
    }

    /// The answer is right; only now may the nonce be called stale (RFC 7616 §3.3).
    fn judge_nonce(&self, state: &mut AuthState, answer: DigestAnswer, now: Instant) -> Verdict {
        let stale_why = match state.nonces.get(&answer.nonce) {
            None => Some("nonce not issued here"),
            Some(issued) if now.saturating_duration_since(*issued) >= self.nonce_lifetime => {
                Some("nonce expired")
            }
            Some(_) if self.fault == Fault::StaleLoop => Some("fault stale-loop: always stale"),
            Some(_) if self.fault == Fault::StaleNonce && !state.stale_sent => {
                state.stale_sent = true;
                Some("fault stale-nonce: first correct answer")
            }
            Some(_) => None,
        };
        match stale_why {
            Some(why) => self.challenge(state, now, true, false, why),
            None => Verdict::Pass {
                user: answer.username,
            },
        }
    }

    /// A `401` with a fresh nonce and one challenge per offered algorithm.
    fn challenge(
        &self,
        state: &mut AuthState,
        now: Instant,
        stale: bool,
        rejected: bool,
        why: &str,
    ) -> Verdict {
        let nonce = issue_nonce(state, now, self.nonce_lifetime);
        let realm = if self.fault == Fault::RealmChanged {
            state.realms_sent += 1;
            format!("{}-{}", self.realm, state.realms_sent)
        } else {
            self.realm.clone()
        };
        let qop = if self.qop.is_empty() {
            String::new()
        } else {
            let names: Vec<&str> = self.qop.iter().map(|q| q.name()).collect();
            format!(", qop=\"{}\"", names.join(", "))
        };
        let stale = if stale { ", stale=true" } else { "" };
        let challenges = self
            .algorithms
            .iter()
            .map(|algorithm| {
                format!(
                    "Digest realm=\"{}\"{qop}, algorithm={algorithm}, nonce=\"{nonce}\", opaque=\"{}\"{stale}",
                    quote(&realm),
                    self.opaque
                )
            })
            .collect();
        Verdict::Unauthorized {
            challenges,
            rejected,
            why: why.into(),
        }
    }
}

/// A new random nonce, remembered with its issue time; expired ones are forgotten first.
fn issue_nonce(state: &mut AuthState, now: Instant, lifetime: Duration) -> String {
    state
        .nonces
        .retain(|_, issued| now.saturating_duration_since(*issued) < lifetime);
    if state.nonces.len() >= MAX_NONCES
        && let Some(oldest) = state
            .nonces
            .iter()
            .min_by_key(|(_, issued)| **issued)
            .map(|(nonce, _)| nonce.clone())
    {
        state.nonces.remove(&oldest);
    }
    let nonce = random_cnonce();
    state.nonces.insert(nonce.clone(), now);
    nonce
}

/// Escapes `"` and `\` for a quoted-string.
fn quote(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"")
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::digest::{DigestChallenge, DigestInput, compute, parse_challenges};
    use crate::secret::Secret;

    fn authenticator(fault: Fault) -> Authenticator {
        Authenticator::new(
            "sim".into(),
            vec![Algorithm::Sha256, Algorithm::Md5],
            vec![Qop::Auth],
            vec![SimUser::password("u", Secret::new("p"))],
            Duration::from_secs(300),
            fault,
        )
    }

    fn challenges(verdict: &Verdict) -> Vec<DigestChallenge> {
        let Verdict::Unauthorized { challenges, .. } = verdict else {
            panic!("expected 401, got {verdict:?}");
        };
        challenges
            .iter()
            .map(|c| DigestChallenge::from_challenge(&parse_challenges(c).unwrap()[0]).unwrap())
            .collect()
    }

    fn answer(challenge: &DigestChallenge, password: &str, uri: &str) -> String {
        let password = Secret::new(password);
        let input = DigestInput {
            username: "u",
            password: &password,
            method: "GET",
            uri,
            body: b"",
            cnonce: "c",
            nc: 1,
        };
        let algorithm = challenge.algorithm.clone().unwrap();
        compute(challenge, algorithm, Some(Qop::Auth), &input).authorization()
    }

    fn get<'a>(authorization: Option<&'a str>) -> AuthRequest<'a> {
        AuthRequest {
            method: "GET",
            target: "/a.xml",
            authorization: authorization.map(str::as_bytes),
            body: b"",
        }
    }

    #[test]
    fn one_challenge_per_algorithm_in_order_then_pass() {
        let auth = authenticator(Fault::None);
        let mut state = AuthState::default();
        let now = Instant::now();
        let offered = challenges(&auth.judge(&mut state, &get(None), now));
        let algorithms: Vec<_> = offered.iter().map(|c| c.algorithm.clone()).collect();
        assert_eq!(algorithms, vec![Ok(Algorithm::Sha256), Ok(Algorithm::Md5)]);
        assert_eq!(offered[0].qop, vec![Qop::Auth]);
        for challenge in &offered {
            let header = answer(challenge, "p", "/a.xml");
            assert_eq!(
                auth.judge(&mut state, &get(Some(&header)), now),
                Verdict::Pass { user: "u".into() }
            );
        }
    }

    #[test]
    fn an_old_nonce_is_stale_only_when_the_answer_is_right() {
        let auth = authenticator(Fault::None);
        let mut state = AuthState::default();
        let start = Instant::now();
        let challenge = &challenges(&auth.judge(&mut state, &get(None), start))[1];
        let later = start + Duration::from_secs(300);
        let right = answer(challenge, "p", "/a.xml");
        let stale = challenges(&auth.judge(&mut state, &get(Some(&right)), later));
        assert!(stale[0].stale);
        assert_ne!(stale[0].nonce, challenge.nonce);
        let wrong = answer(challenge, "x", "/a.xml");
        let rejected = auth.judge(&mut state, &get(Some(&wrong)), later);
        assert!(matches!(
            rejected,
            Verdict::Unauthorized { rejected: true, .. }
        ));
        assert!(!challenges(&rejected)[0].stale);
    }

    #[test]
    fn uri_and_qop_mismatches_are_bad_requests() {
        let auth = authenticator(Fault::None);
        let mut state = AuthState::default();
        let now = Instant::now();
        let challenge = &challenges(&auth.judge(&mut state, &get(None), now))[0];
        let other_uri = answer(challenge, "p", "/a.xml?x=1");
        assert!(matches!(
            auth.judge(&mut state, &get(Some(&other_uri)), now),
            Verdict::BadRequest { .. }
        ));
        let rfc2069 = answer(challenge, "p", "/a.xml")
            .replace(", qop=auth", "")
            .replace(", nc=00000001", "");
        assert!(matches!(
            auth.judge(&mut state, &get(Some(&rfc2069)), now),
            Verdict::BadRequest { .. }
        ));
    }

    #[test]
    fn realm_changed_numbers_its_realms_and_never_passes() {
        let auth = authenticator(Fault::RealmChanged);
        let mut state = AuthState::default();
        let now = Instant::now();
        let first = &challenges(&auth.judge(&mut state, &get(None), now))[0];
        assert_eq!(first.realm, "sim-1");
        let right = answer(first, "p", "/a.xml");
        let again = challenges(&auth.judge(&mut state, &get(Some(&right)), now));
        assert_eq!(again[0].realm, "sim-2");
        assert!(!again[0].stale);
    }

    proptest! {
        /// The Authorization header is outside data: any bytes get a verdict, never a panic.
        #[test]
        fn any_authorization_gets_a_verdict(
            header in proptest::collection::vec(any::<u8>(), 0..200),
            text in "(Digest|Basic|digest) .{0,120}",
        ) {
            for fault in [Fault::None, Fault::BasicOnly, Fault::StaleNonce] {
                let auth = authenticator(fault);
                let mut state = AuthState::default();
                for raw in [header.as_slice(), text.as_bytes()] {
                    let request = AuthRequest { authorization: Some(raw), ..get(None) };
                    let verdict = auth.judge(&mut state, &request, Instant::now());
                    let passed = matches!(verdict, Verdict::Pass { .. });
                    prop_assert!(!passed, "{:?}", verdict);
                }
            }
        }
    }
}
