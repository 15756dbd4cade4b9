//! The server's digest gate for one device's file: a device's file goes only to that device's
//! own credentials (its MAC with the MAC password the redirect server issued, or its effective
//! configured digest credentials), MD5 with qop auth as Gigaset phones answer, nonces that
//! expire into `stale=true`. Every refusal says why in words an installer can act on.
//!
//! Pure apart from the random nonces: the caller passes the time, so the rules are tested
//! without sockets or clocks.

use std::fmt;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde::Serialize;

use super::replay::{Count, NonceCounts};
use crate::device::{Device, Mac};
use crate::digest::{
    Algorithm, AnswerError, BasicHeader, DigestAnswer, expected_response, passwords_match,
    random_cnonce, responses_match, stored_ha1,
};
use crate::printable::printable;
use crate::secret::Secret;

/// A nonce: when it was issued (milliseconds since the gate started, 12 hex digits), 8 random
/// hex digits, and the first 24 hex digits of SHA-256 over the gate's key and both: 44 hex
/// digits, about the length phones already take from Apache.
const NONCE_ISSUED: usize = 12;
const NONCE_SIGNED: usize = NONCE_ISSUED + 8;
const NONCE_LEN: usize = NONCE_SIGNED + 24;

/// Which of the device's credentials a phone used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Credential {
    MacPassword,
    Configured,
    /// The configured credentials from before a rollout, still accepted until it is enforced.
    OldConfigured,
}

impl Credential {
    /// The code stored in the inventory and written to `--log-json`.
    pub fn code(self) -> &'static str {
        match self {
            Credential::MacPassword => "mac_password",
            Credential::Configured => "configured",
            Credential::OldConfigured => "old_configured",
        }
    }
}

/// Why a request was not served its file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Refusal {
    NoCredentials,
    NotDigest {
        scheme: String,
    },
    Malformed {
        why: String,
    },
    UriMismatch {
        sent: String,
    },
    WrongRealm {
        sent: String,
    },
    UnknownUser {
        user: String,
    },
    /// Answered with a password as the user name (the phone's user and password fields
    /// swapped): never quoted, so a password typed into the wrong field reaches no log.
    /// `this_device` tells this device's password from another device's, for the words only.
    PasswordAsUser {
        #[serde(skip)]
        this_device: bool,
    },
    /// Answered as the device's MAC, but the inventory holds no MAC password to check it with.
    MacPasswordUnknown {
        user: String,
    },
    WrongPassword {
        user: String,
    },
    StaleNonce,
    UnknownNonce,
    /// A right answer already taken: the same nonce with a count not above the last one (a
    /// captured answer sent again, or a phone that resent its request).
    Replayed,
}

impl Refusal {
    /// The reason's code, as `--log-json` names it.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::NoCredentials => "no_credentials",
            Refusal::NotDigest { .. } => "not_digest",
            Refusal::Malformed { .. } => "malformed",
            Refusal::UriMismatch { .. } => "uri_mismatch",
            Refusal::WrongRealm { .. } => "wrong_realm",
            Refusal::UnknownUser { .. } => "unknown_user",
            Refusal::PasswordAsUser { .. } => "password_as_user",
            Refusal::MacPasswordUnknown { .. } => "mac_password_unknown",
            Refusal::WrongPassword { .. } => "wrong_password",
            Refusal::StaleNonce => "stale_nonce",
            Refusal::UnknownNonce => "unknown_nonce",
            Refusal::Replayed => "replayed",
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::NoCredentials => write!(
                f,
                "no credentials sent (the first request of every phone; it answers the challenge next)"
            ),
            Refusal::NotDigest { scheme } => write!(
                f,
                "{scheme} credentials; this server takes digest, as Gigaset phones answer (switch Basic on for models that accept it)"
            ),
            Refusal::Malformed { why } => write!(f, "unreadable digest answer: {why}"),
            Refusal::UriMismatch { sent } => write!(
                f,
                "the answer hashed uri \"{sent}\", not the path requested (a proxy rewrote it?)"
            ),
            Refusal::WrongRealm { sent } => {
                write!(f, "answered for realm \"{sent}\", not this server's")
            }
            Refusal::UnknownUser { user } => write!(
                f,
                "answered as \"{user}\", which is neither this device's MAC (12 hex digits) nor its configured user"
            ),
            Refusal::PasswordAsUser { this_device: true } => write!(
                f,
                "answered with this device's password as its user name: the user and password fields on the phone are swapped"
            ),
            Refusal::PasswordAsUser { this_device: false } => write!(
                f,
                "answered with another device's password as its user name: the user and password fields on the phone are swapped, and it holds another device's credentials"
            ),
            Refusal::MacPasswordUnknown { user } => write!(
                f,
                "answered as its MAC \"{user}\", but the inventory holds no MAC password for this device: register it with the redirect server (its answer brings the MAC password), or give it or its site a digest user and password"
            ),
            Refusal::WrongPassword { user } => write!(f, "wrong password for user \"{user}\""),
            Refusal::StaleNonce => {
                write!(f, "the nonce expired; a new one was sent with stale=true")
            }
            Refusal::UnknownNonce => write!(
                f,
                "a nonce this server never issued (or forgot); a new one was sent with stale=true"
            ),
            Refusal::Replayed => write!(
                f,
                "an answer already taken (the same nonce, with a count not above the last one): a replayed request, or a phone that resent one; a new nonce was sent"
            ),
        }
    }
}

/// The gate's decision on one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Judgement {
    Pass {
        user: String,
        credential: Credential,
    },
    /// `401` with these challenges, one `WWW-Authenticate` each, the preferred algorithm first.
    Challenge {
        headers: Vec<String>,
        refusal: Refusal,
    },
    /// `400`: the answer cannot be checked at all.
    BadRequest { refusal: Refusal },
}

/// The credentials one device's file is served to.
pub struct DeviceKeys {
    /// The device's MAC: an answer as it, with no MAC password to check, is told apart from
    /// a user the device does not have.
    mac: Mac,
    keys: Vec<(String, Secret, Credential)>,
    /// Every password stored for the device (MAC, digest, its site's, a rollout's, SIP), usable
    /// or not: a user name equal to one is never quoted.
    secrets: Vec<Secret>,
    /// The device's model takes HTTP Basic (the catalogue's `basic_accepted`).
    basic_accepted: bool,
    /// The digest algorithms offered to it, preferred first: SHA-256 where the catalogue says
    /// the model answers it, and MD5, which every model answers.
    algorithms: Vec<Algorithm>,
}

impl DeviceKeys {
    pub fn of(device: &Device) -> Self {
        let mut keys = Vec::new();
        if let Some(password) = device.usable_mac_password() {
            keys.push((device.mac.macd(), password.clone(), Credential::MacPassword));
        }
        if let Some((user, password)) = device.digest_credentials() {
            keys.push((user.to_string(), password.clone(), Credential::Configured));
        }
        if device.rollout.is_on() {
            let old = device
                .rollout
                .old_username
                .as_deref()
                .zip(device.rollout.old_password.as_ref());
            let interim = device
                .rollout
                .interim
                .iter()
                .map(|(user, password)| (user.as_str(), password));
            for (user, password) in old.into_iter().chain(interim) {
                if !user.is_empty() && !password.is_empty() {
                    keys.push((
                        user.to_string(),
                        password.clone(),
                        Credential::OldConfigured,
                    ));
                }
            }
        }
        let model = device.model_spec();
        let secrets = known_secrets(device);
        let sha256 =
            model.is_some_and(|model| model.digest_algorithms.contains(&Algorithm::Sha256));
        Self {
            mac: device.mac,
            keys,
            secrets,
            basic_accepted: model.is_some_and(|model| model.basic_accepted),
            algorithms: if sha256 {
                vec![Algorithm::Sha256, Algorithm::Md5]
            } else {
                vec![Algorithm::Md5]
            },
        }
    }

    /// Why an answer as `user` has no key to check it with: the device's MAC (in any
    /// notation) while no MAC password is known, or a user the device does not have.
    fn unknown(&self, user: &str) -> Refusal {
        if self.is_password(user) {
            return Refusal::PasswordAsUser { this_device: true };
        }
        let shown = printable(user, 80);
        let known = self
            .keys
            .iter()
            .any(|(_, _, credential)| *credential == Credential::MacPassword);
        if !known && Mac::parse(user).is_ok_and(|mac| mac == self.mac) {
            Refusal::MacPasswordUnknown { user: shown }
        } else {
            Refusal::UnknownUser { user: shown }
        }
    }

    /// Whether `text` is one of the device's passwords (compared in constant time per password).
    fn is_password(&self, text: &str) -> bool {
        let sent = Secret::new(text);
        !text.is_empty()
            && self
                .secrets
                .iter()
                .any(|stored| passwords_match(&sent, stored))
    }

    /// The keys the phone's answer could be for: during a rollout the old and the new user
    /// may be the same name with different passwords, so each is tried.
    fn candidates<'a>(
        &'a self,
        user: &'a str,
    ) -> impl Iterator<Item = &'a (String, Secret, Credential)> + 'a {
        self.keys
            .iter()
            .filter(move |(name, _, credential)| match credential {
                Credential::MacPassword => name.eq_ignore_ascii_case(user),
                Credential::Configured | Credential::OldConfigured => name == user,
            })
    }
}

/// Every password the inventory holds for `device`: the MAC password, its own and its site's
/// digest password, a rollout's old and interim ones, and its SIP accounts', empty ones left out.
fn known_secrets(device: &Device) -> Vec<Secret> {
    let rollout = device
        .rollout
        .interim
        .iter()
        .map(|(_, password)| password)
        .chain(&device.rollout.old_password);
    let sip = device
        .sip_accounts
        .iter()
        .filter_map(|account| account.password.as_ref());
    device
        .mac_password
        .iter()
        .chain(&device.digest_password)
        .chain(&device.site_defaults.digest_password)
        .chain(rollout)
        .chain(sip)
        .filter(|secret| !secret.is_empty())
        .cloned()
        .collect()
}

/// Issues challenges and judges answers.
pub struct Gate {
    realm: String,
    /// Take HTTP Basic from devices whose model accepts it.
    basic: bool,
    nonce_lifetime: Duration,
    opaque: String,
    /// Signs the nonces, so the gate knows its own without keeping a list: a list is memory
    /// that a flood of requests grows, and evicting from it lets such a flood turn the phones'
    /// nonces stale.
    key: Secret,
    /// The time nonces count their issue from.
    started: Instant,
    /// The highest count each nonce was taken with, so a right answer is taken once.
    counts: Mutex<NonceCounts>,
}

impl Gate {
    pub fn new(realm: impl Into<String>, nonce_lifetime: Duration, basic: bool) -> Self {
        Self {
            realm: realm.into(),
            basic,
            nonce_lifetime,
            opaque: random_cnonce(),
            key: Secret::new(format!("{}{}", random_cnonce(), random_cnonce())),
            started: Instant::now(),
            counts: Mutex::default(),
        }
    }

    /// Judges a request for a device's file at `now`.
    pub fn judge(
        &self,
        method: &str,
        target: &str,
        authorization: Option<&str>,
        keys: &DeviceKeys,
        now: Instant,
    ) -> Judgement {
        let challenge = |refusal: Refusal, stale: bool| Judgement::Challenge {
            headers: self.challenge(now, stale, &keys.algorithms),
            refusal,
        };
        let Some(header) = authorization else {
            return challenge(Refusal::NoCredentials, false);
        };
        let answer = match DigestAnswer::parse(header) {
            Ok(answer) => answer,
            Err(AnswerError::NotDigest(scheme)) => {
                if self.basic && keys.basic_accepted {
                    return self.judge_basic(header, keys, now);
                }
                return challenge(
                    Refusal::NotDigest {
                        scheme: printable(&scheme, 20),
                    },
                    false,
                );
            }
            Err(error) => {
                return Judgement::BadRequest {
                    refusal: Refusal::Malformed {
                        why: unreadable(&error),
                    },
                };
            }
        };
        if answer.uri != target {
            return Judgement::BadRequest {
                refusal: Refusal::UriMismatch {
                    sent: printable(&answer.uri, 80),
                },
            };
        }
        let Some(algorithm) = answer
            .algorithm
            .clone()
            .ok()
            .filter(|algorithm| keys.algorithms.contains(algorithm))
        else {
            let offered: Vec<&str> = keys.algorithms.iter().map(|a| a.name()).collect();
            return Judgement::BadRequest {
                refusal: Refusal::Malformed {
                    why: format!(
                        "answered with an algorithm this server did not offer ({})",
                        offered.join(", ")
                    ),
                },
            };
        };
        if answer.realm != self.realm {
            return challenge(
                Refusal::WrongRealm {
                    sent: printable(&answer.realm, 80),
                },
                false,
            );
        }
        let user = printable(&answer.username, 80);
        let mut candidates = keys.candidates(&answer.username).peekable();
        if candidates.peek().is_none() {
            return challenge(keys.unknown(&answer.username), false);
        }
        // HA1 is hashed with the name as the phone sent it: a MAC user matches in any case,
        // and a phone that sends it in lower case hashed it so.
        let Some((name, _, credential)) = candidates.find(|(_, password, _)| {
            let ha1 = stored_ha1(algorithm, &answer.username, &self.realm, password);
            let expected = expected_response(&answer, algorithm, &ha1, method, b"");
            responses_match(&answer.response, &expected)
        }) else {
            return challenge(Refusal::WrongPassword { user }, false);
        };
        match self.take_nonce(&answer, now) {
            Ok(()) => Judgement::Pass {
                user: name.clone(),
                credential: *credential,
            },
            Err((refusal, stale)) => challenge(refusal, stale),
        }
    }

    /// Whether a right answer's nonce may be taken now: issued by this gate, not expired, and
    /// not taken before with this count or a higher one. The refusal and `stale` otherwise.
    fn take_nonce(&self, answer: &DigestAnswer, now: Instant) -> Result<(), (Refusal, bool)> {
        let Some(issued) = self.issued(&answer.nonce) else {
            return Err((Refusal::UnknownNonce, true));
        };
        if now.saturating_duration_since(issued) > self.nonce_lifetime {
            return Err((Refusal::StaleNonce, true));
        }
        let count = self
            .counts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take(
                &answer.nonce,
                answer.nc.as_deref(),
                issued,
                now,
                self.nonce_lifetime,
            );
        match count {
            Count::New => Ok(()),
            Count::Repeated => Err((Refusal::Replayed, false)),
            Count::Forgotten => Err((Refusal::StaleNonce, true)),
        }
    }

    /// Basic credentials, taken only when the user switched Basic on and the device's model
    /// accepts it.
    fn judge_basic(&self, header: &str, keys: &DeviceKeys, now: Instant) -> Judgement {
        let challenge = |refusal: Refusal| Judgement::Challenge {
            headers: self.challenge(now, false, &keys.algorithms),
            refusal,
        };
        let (user, password) = match BasicHeader::parse(header.as_bytes()) {
            BasicHeader::Credentials { user, password } => (user, password),
            BasicHeader::NotBasic => {
                return challenge(Refusal::NotDigest {
                    scheme: printable(header.split(' ').next().unwrap_or_default(), 20),
                });
            }
            BasicHeader::Unreadable => {
                return Judgement::BadRequest {
                    refusal: Refusal::Malformed {
                        why: "Basic credentials are not base64 of user:password".into(),
                    },
                };
            }
        };
        let shown = printable(&user, 80);
        let mut candidates = keys.candidates(&user).peekable();
        if candidates.peek().is_none() {
            return challenge(keys.unknown(&user));
        }
        match candidates.find(|(_, stored, _)| passwords_match(&password, stored)) {
            Some((name, _, credential)) => Judgement::Pass {
                user: name.clone(),
                credential: *credential,
            },
            None => challenge(Refusal::WrongPassword { user: shown }),
        }
    }

    /// When this gate issued `nonce`; `None` when it did not.
    fn issued(&self, nonce: &str) -> Option<Instant> {
        if nonce.len() != NONCE_LEN || !nonce.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let (signed, signature) = nonce.split_at(NONCE_SIGNED);
        if !responses_match(signature, &self.signature(signed)) {
            return None;
        }
        let millis = u64::from_str_radix(&nonce[..NONCE_ISSUED], 16).ok()?;
        self.started.checked_add(Duration::from_millis(millis))
    }

    fn nonce(&self, now: Instant) -> String {
        let millis = now.saturating_duration_since(self.started).as_millis();
        let salt = &random_cnonce()[..NONCE_SIGNED - NONCE_ISSUED];
        let signed = format!("{millis:012x}{salt}");
        let signature = self.signature(&signed);
        format!("{signed}{signature}")
    }

    fn signature(&self, signed: &str) -> String {
        let mut hash =
            Algorithm::Sha256.hash_hex(format!("{}:{signed}", self.key.expose()).as_bytes());
        hash.truncate(NONCE_LEN - NONCE_SIGNED);
        hash
    }

    /// A new challenge per algorithm, one nonce for all: `Digest realm, qop="auth",
    /// algorithm, nonce, opaque[, stale=true]`.
    fn challenge(&self, now: Instant, stale: bool, algorithms: &[Algorithm]) -> Vec<String> {
        let nonce = self.nonce(now);
        let stale = if stale { ", stale=true" } else { "" };
        let realm = self.realm.replace('\\', "\\\\").replace('"', "\\\"");
        algorithms
            .iter()
            .map(|algorithm| {
                format!(
                    "Digest realm=\"{realm}\", qop=\"auth\", algorithm={}, nonce=\"{nonce}\", opaque=\"{}\"{stale}",
                    algorithm.name(),
                    self.opaque
                )
            })
            .collect()
    }
}

/// Why a digest answer cannot be read, naming the header the phone sent (the parser is the
/// one for challenges, whose errors say `WWW-Authenticate`) and short, since an error may
/// quote a value of any length from it.
fn unreadable(error: &AnswerError) -> String {
    match error {
        AnswerError::Unreadable(at) => format!(
            "the Authorization header is unreadable at byte {}: {}",
            at.position, at.reason
        ),
        other => printable(&other.to_string(), 120),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::{DigestChallenge, DigestInput, Qop, compute, parse_challenges};
    use base64::prelude::{BASE64_STANDARD, Engine as _};
    use proptest::prelude::*;

    const TARGET: &str = "/cfg/7C2F80820EC0.xml";

    fn keys() -> DeviceKeys {
        DeviceKeys {
            mac: Mac::parse("7C2F80820EC0").unwrap(),
            keys: vec![
                (
                    "7C2F80820EC0".into(),
                    Secret::new("2EE3EECC82C4"),
                    Credential::MacPassword,
                ),
                (
                    "provision".into(),
                    Secret::new("s3cret"),
                    Credential::Configured,
                ),
            ],
            secrets: ["2EE3EECC82C4", "s3cret", "sip-Pa55"]
                .map(Secret::new)
                .to_vec(),
            basic_accepted: true,
            algorithms: vec![Algorithm::Md5],
        }
    }

    /// The Authorization a client computes for `header`'s challenge.
    fn answer(header: &str, user: &str, password: &str, uri: &str) -> String {
        answer_counted(header, user, password, uri, 1)
    }

    /// The answer as the `nc`th request on the challenge's nonce.
    fn answer_counted(header: &str, user: &str, password: &str, uri: &str, nc: u32) -> String {
        let parsed = parse_challenges(header).unwrap();
        let challenge = DigestChallenge::from_challenge(&parsed[0]).unwrap();
        compute(
            &challenge,
            Algorithm::Md5,
            Some(Qop::Auth),
            &DigestInput {
                username: user,
                password: &Secret::new(password),
                method: "GET",
                uri,
                body: b"",
                cnonce: "0a4f113b",
                nc,
            },
        )
        .authorization()
    }

    fn challenge_of(judgement: &Judgement) -> &str {
        match judgement {
            Judgement::Challenge { headers, .. } => &headers[0],
            other => panic!("expected a challenge, got {other:?}"),
        }
    }

    #[test]
    fn each_of_the_devices_credentials_passes_and_nothing_else() {
        let gate = Gate::new("prov", Duration::from_secs(300), false);
        let now = Instant::now();
        let first = gate.judge("GET", TARGET, None, &keys(), now);
        assert!(matches!(
            &first,
            Judgement::Challenge {
                refusal: Refusal::NoCredentials,
                ..
            }
        ));
        let header = challenge_of(&first).to_string();
        for (nc, user, password, credential) in [
            (1, "7C2F80820EC0", "2EE3EECC82C4", Credential::MacPassword),
            (2, "provision", "s3cret", Credential::Configured),
        ] {
            let auth = answer_counted(&header, user, password, TARGET, nc);
            assert_eq!(
                gate.judge("GET", TARGET, Some(&auth), &keys(), now),
                Judgement::Pass {
                    user: user.into(),
                    credential
                }
            );
        }
        let wrong = answer(&header, "provision", "guess", TARGET);
        assert!(matches!(
            gate.judge("GET", TARGET, Some(&wrong), &keys(), now),
            Judgement::Challenge { refusal: Refusal::WrongPassword { ref user }, .. } if user == "provision"
        ));
        let stranger = answer(&header, "7C2F80820EC1", "2EE3EECC82C4", TARGET);
        assert!(matches!(
            gate.judge("GET", TARGET, Some(&stranger), &keys(), now),
            Judgement::Challenge {
                refusal: Refusal::UnknownUser { .. },
                ..
            }
        ));
    }

    /// An answer as the device's MAC, in any notation, while the inventory knows no MAC
    /// password, says that: not "neither this device's MAC nor its user".
    #[test]
    fn the_mac_without_a_mac_password_is_told_apart_from_a_stranger() {
        let gate = Gate::new("prov", Duration::from_secs(300), false);
        let now = Instant::now();
        let mut unregistered = keys();
        unregistered
            .keys
            .retain(|(_, _, credential)| *credential != Credential::MacPassword);
        let header = challenge_of(&gate.judge("GET", TARGET, None, &unregistered, now)).to_string();
        let refusal = |keys: &DeviceKeys, user: &str| match gate.judge(
            "GET",
            TARGET,
            Some(&answer(&header, user, "2EE3EECC82C4", TARGET)),
            keys,
            now,
        ) {
            Judgement::Challenge { refusal, .. } => refusal,
            other => panic!("expected a challenge, got {other:?}"),
        };
        for user in ["7C2F80820EC0", "7c2f80820ec0", "7C:2F:80:82:0E:C0"] {
            assert_eq!(
                refusal(&unregistered, user),
                Refusal::MacPasswordUnknown { user: user.into() }
            );
        }
        assert!(matches!(
            refusal(&unregistered, "7C2F80820EC1"),
            Refusal::UnknownUser { .. }
        ));
        assert!(
            matches!(
                refusal(&keys(), "7C:2F:80:82:0E:C0"),
                Refusal::UnknownUser { .. }
            ),
            "with a MAC password known, the name must be the one it is hashed with"
        );
        assert_eq!(
            Refusal::MacPasswordUnknown {
                user: "7C2F80820EC0".into()
            }
            .code(),
            "mac_password_unknown"
        );
    }

    #[test]
    fn an_old_nonce_is_stale_and_a_foreign_uri_is_a_bad_request() {
        let gate = Gate::new("prov", Duration::from_secs(300), false);
        let then = Instant::now();
        let header = challenge_of(&gate.judge("GET", TARGET, None, &keys(), then)).to_string();
        let auth = answer(&header, "provision", "s3cret", TARGET);
        let later = then + Duration::from_secs(301);
        let stale = gate.judge("GET", TARGET, Some(&auth), &keys(), later);
        assert!(challenge_of(&stale).ends_with("stale=true"));
        let elsewhere = answer(&header, "provision", "s3cret", "/other.xml");
        assert!(matches!(
            gate.judge("GET", TARGET, Some(&elsewhere), &keys(), then),
            Judgement::BadRequest {
                refusal: Refusal::UriMismatch { .. }
            }
        ));
        let basic = gate.judge("GET", TARGET, Some("Basic cHJvdjpzM2NyZXQ="), &keys(), then);
        assert!(matches!(
            basic,
            Judgement::Challenge {
                refusal: Refusal::NotDigest { .. },
                ..
            }
        ));
    }

    /// An `Authorization` header as a phone, a broken client or an attacker may send it: the
    /// digest parameters in any order and number, quoted, bare, unterminated or huge.
    fn any_authorization() -> impl Strategy<Value = String> {
        let name = prop::sample::select(vec![
            "username",
            "username*",
            "realm",
            "nonce",
            "uri",
            "response",
            "qop",
            "nc",
            "cnonce",
            "algorithm",
            "opaque",
            "userhash",
            "x",
        ]);
        let value = prop_oneof![
            4 => "[ -~]{0,400}".prop_map(|v| format!("\"{}\"", v.replace(['"', '\\'], ""))),
            4 => "[!#-+\\--~]{1,400}",
            1 => "\"[^\"]{0,40}",
        ];
        let scheme = prop_oneof![Just("Digest".to_string()), "[A-Za-z]{1,12}"];
        (scheme, prop::collection::vec((name, value), 0..12)).prop_map(|(scheme, params)| {
            let params: Vec<String> = params.iter().map(|(n, v)| format!("{n}={v}")).collect();
            format!("{scheme} {}", params.join(", "))
        })
    }

    #[test]
    fn a_phones_nonce_outlives_a_flood_of_challenges() {
        let gate = Gate::new("prov", Duration::from_secs(300), false);
        let now = Instant::now();
        let header = challenge_of(&gate.judge("GET", TARGET, None, &keys(), now)).to_string();
        for n in 1..=10_000 {
            let later = now + Duration::from_millis(n);
            gate.judge("GET", TARGET, None, &keys(), later);
        }
        let auth = answer(&header, "provision", "s3cret", TARGET);
        assert_eq!(
            gate.judge(
                "GET",
                TARGET,
                Some(&auth),
                &keys(),
                now + Duration::from_secs(20)
            ),
            Judgement::Pass {
                user: "provision".into(),
                credential: Credential::Configured
            }
        );
    }

    /// A nonce made younger by hand (to dodge its expiry) is not one the gate issued.
    #[test]
    fn a_nonce_with_a_forged_issue_time_is_unknown() {
        let gate = Gate::new("prov", Duration::from_secs(300), false);
        let then = Instant::now();
        let header = challenge_of(&gate.judge("GET", TARGET, None, &keys(), then)).to_string();
        let nonce = DigestChallenge::from_challenge(&parse_challenges(&header).unwrap()[0])
            .unwrap()
            .nonce;
        let younger = format!("{:012x}{}", 1_000_000, &nonce[NONCE_ISSUED..]);
        let forged = header.replace(&nonce, &younger);
        let auth = answer(&forged, "provision", "s3cret", TARGET);
        let later = then + Duration::from_secs(900);
        assert!(matches!(
            gate.judge("GET", TARGET, Some(&auth), &keys(), later),
            Judgement::Challenge {
                refusal: Refusal::UnknownNonce,
                ..
            }
        ));
    }

    /// A right answer is taken once: sent again (same nonce, count and cnonce), or with a count
    /// not above the last one taken, it is refused as replayed without `stale`, and a phone
    /// that counts up on its nonce, as RFC 7616 asks, is served each time.
    #[test]
    fn a_replayed_answer_is_refused_and_a_counting_phone_is_served() {
        let gate = Gate::new("prov", Duration::from_secs(300), false);
        let now = Instant::now();
        let header = challenge_of(&gate.judge("GET", TARGET, None, &keys(), now)).to_string();
        let judge = |nc: u32| {
            let auth = answer_counted(&header, "provision", "s3cret", TARGET, nc);
            gate.judge("GET", TARGET, Some(&auth), &keys(), now)
        };
        let served = |judgement: &Judgement| matches!(judgement, Judgement::Pass { .. });
        assert!(served(&judge(1)));
        for nc in [1, 1] {
            let replayed = judge(nc);
            assert!(
                matches!(
                    &replayed,
                    Judgement::Challenge {
                        refusal: Refusal::Replayed,
                        ..
                    }
                ),
                "{replayed:?}"
            );
            assert!(!challenge_of(&replayed).contains("stale"));
        }
        assert!(served(&judge(2)));
        assert!(served(&judge(5)));
        assert!(!served(&judge(3)), "a lower count than one taken");
        assert!(!served(&judge(5)));
        assert_eq!(Refusal::Replayed.code(), "replayed");
        let fresh = challenge_of(&gate.judge("GET", TARGET, None, &keys(), now)).to_string();
        let auth = answer(&fresh, "provision", "s3cret", TARGET);
        assert!(
            served(&gate.judge("GET", TARGET, Some(&auth), &keys(), now)),
            "a new nonce counts from 1 again"
        );
    }

    /// What the gate answers `user` (with any password) after a challenge.
    fn refusal_for(gate: &Gate, keys: &DeviceKeys, user: &str) -> Refusal {
        let now = Instant::now();
        let header = challenge_of(&gate.judge("GET", TARGET, None, keys, now)).to_string();
        let auth = answer(&header, user, "whatever", TARGET);
        match gate.judge("GET", TARGET, Some(&auth), keys, now) {
            Judgement::Challenge { refusal, .. } | Judgement::BadRequest { refusal } => refusal,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    /// A phone whose user and password fields are swapped answers with a password as its user:
    /// said so, and the password is quoted nowhere (not in the words, not in `--log-json`).
    #[test]
    fn a_password_sent_as_the_user_is_named_as_one_and_never_quoted() {
        let gate = Gate::new("prov", Duration::from_secs(300), true);
        for password in ["2EE3EECC82C4", "s3cret", "sip-Pa55"] {
            let refusal = refusal_for(&gate, &keys(), password);
            assert_eq!(refusal, Refusal::PasswordAsUser { this_device: true });
            let said = format!("{refusal} {}", serde_json::to_string(&refusal).unwrap());
            assert!(!said.contains(password), "{said}");
            assert!(said.contains("fields on the phone are swapped"), "{said}");
            assert_eq!(
                serde_json::to_value(&refusal).unwrap(),
                serde_json::json!({"code": "password_as_user"})
            );
        }
        let basic = format!("Basic {}", BASE64_STANDARD.encode("s3cret:provision"));
        let now = Instant::now();
        assert!(matches!(
            gate.judge("GET", TARGET, Some(&basic), &keys(), now),
            Judgement::Challenge {
                refusal: Refusal::PasswordAsUser { this_device: true },
                ..
            }
        ));
        assert!(matches!(
            refusal_for(&gate, &keys(), "somebody"),
            Refusal::UnknownUser { ref user } if user == "somebody"
        ));
    }

    proptest! {
        /// Whatever a device's password is, a phone that answers with it as the user gets the
        /// refusal that quotes nothing.
        #[test]
        fn any_password_as_the_user_is_never_quoted(password in "[^\"\\\\\\p{Cc}]{1,40}") {
            let mut keys = keys();
            keys.keys[1].1 = Secret::new(password.clone());
            keys.secrets.push(Secret::new(password.clone()));
            let gate = Gate::new("prov", Duration::from_secs(300), false);
            let refusal = refusal_for(&gate, &keys, &password);
            prop_assert_eq!(&refusal, &Refusal::PasswordAsUser { this_device: true });
            prop_assert_eq!(
                serde_json::to_value(&refusal).unwrap(),
                serde_json::json!({"code": "password_as_user"})
            );
        }

        /// Any Authorization header is judged without a panic, never passes, and its refusal
        /// is short enough for a log line whatever it quotes.
        #[test]
        fn any_authorization_is_refused_in_a_few_words(header in any_authorization()) {
            let gate = Gate::new("prov", Duration::from_secs(300), false);
            let judgement = gate.judge("GET", TARGET, Some(&header), &keys(), Instant::now());
            let refusal = match judgement {
                Judgement::Challenge { refusal, .. } | Judgement::BadRequest { refusal } => refusal,
                Judgement::Pass { .. } => panic!("{header:?} passed"),
            };
            let text = refusal.to_string();
            prop_assert!(text.chars().count() <= 400, "{} characters: {text}", text.chars().count());
        }
    }
}
