//! The device's credential ladder over real HTTP: no credentials, then MAC / MAC password, then
//! the configured credentials, then (where the model has it) what the user types on the
//! display. Every request, response, challenge and digest is emitted as an [`Event`] as it
//! happens; the run ends with the diagnosis.

use std::time::{Duration, Instant};

use base64::Engine as _;
use tokio::sync::mpsc;

use super::diagnose::diagnose;
use super::events::{
    Answer, AnswerKind, Attempt, ChallengeView, DigestSummary, Event, HeaderLine, ReceivedResponse,
    SentRequest, Setting, Transcript, TransportKind,
};
use super::spec::{Credentials, FetchPlan, FetchSpec, SetupError};
use super::target::{host_header, origin, request_target};
use super::tls::{TlsSetupError, build_client, error_chain};
use crate::device::{AuthAttempt, ManualEntry, ModelSpec};
use crate::digest::{
    Algorithm, Challenge, DigestChallenge, DigestInput, NonceCounter, choose_qop, compute,
    parse_all, random_cnonce,
};

/// More requests than any honest ladder needs (3 rungs, 3 manual tries, stale retries and
/// redirects): the guard against a loop provdesk itself could fall into.
const MAX_REQUESTS: usize = 16;
/// A nonce reported stale this many times in a row is a loop, not bad luck.
const MAX_STALE_RETRIES: u32 = 3;
const MAX_REDIRECTS: usize = 5;

/// Where credentials typed "on the device" come from: the GUI answers each prompt with
/// `Some(credentials)`, or `None` for Back/Cancel.
pub type ManualAnswers = mpsc::Receiver<Option<Credentials>>;

/// Why a fetch did not start.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error(transparent)]
    Setup(#[from] SetupError),
    #[error(transparent)]
    Tls(#[from] TlsSetupError),
}

/// Runs the whole ladder for `spec`, calling `emit` with each event as it happens, and returns
/// the transcript (which already holds the diagnosis).
pub async fn run_fetch(
    spec: &FetchSpec,
    manual: Option<&mut ManualAnswers>,
    emit: &mut (dyn FnMut(&Event) + Send),
) -> Result<Transcript, FetchError> {
    let plan = spec.plan()?;
    let client = build_client(spec)?;
    let mut run = Run {
        spec,
        plan: &plan,
        client,
        manual,
        log: Recorder {
            transcript: Transcript::default(),
            emit,
        },
        started: Instant::now(),
        counter: NonceCounter::default(),
        rungs: expanded_ladder(spec.model).into_iter(),
    };
    run.ladder().await;
    let diagnosis = diagnose(&run.log.transcript);
    let final_status = run.log.transcript.final_status();
    run.log.push(Event::Finished {
        final_status,
        diagnosis,
    });
    Ok(run.log.transcript)
}

/// Keeps the transcript in step with what was emitted.
struct Recorder<'e> {
    transcript: Transcript,
    emit: &'e mut (dyn FnMut(&Event) + Send),
}

impl Recorder<'_> {
    fn push(&mut self, event: Event) {
        self.transcript.apply(&event);
        (self.emit)(&event);
    }

    fn note(&mut self, step: Option<usize>, text: impl Into<String>) {
        self.push(Event::Note {
            step,
            text: text.into(),
        });
    }
}

/// The challenge a device answers.
#[derive(Debug, Clone)]
enum Chosen {
    Digest {
        index: usize,
        challenge: DigestChallenge,
        algorithm: Algorithm,
    },
    Basic {
        index: usize,
    },
}

impl Chosen {
    fn index(&self) -> usize {
        match self {
            Chosen::Digest { index, .. } | Chosen::Basic { index } => *index,
        }
    }

    fn is_stale(&self) -> bool {
        matches!(self, Chosen::Digest { challenge, .. } if challenge.stale)
    }
}

/// The credentials of the rung being tried.
struct Rung {
    attempt: Attempt,
    credentials: Credentials,
}

struct Run<'a, 'e> {
    spec: &'a FetchSpec,
    plan: &'a FetchPlan,
    client: reqwest::Client,
    manual: Option<&'a mut ManualAnswers>,
    log: Recorder<'e>,
    started: Instant,
    counter: NonceCounter,
    /// The rungs of the ladder not climbed yet.
    rungs: std::vec::IntoIter<AuthAttempt>,
}

impl Run<'_, '_> {
    async fn ladder(&mut self) {
        let model = self.spec.model;
        self.log.push(Event::Started(Setting {
            started_at: Some(chrono::Utc::now()),
            url: self.plan.url.to_string(),
            model: model.name,
            ladder: self
                .rungs
                .as_slice()
                .iter()
                .map(|a| Attempt::from(*a))
                .collect(),
            algorithms: model.digest_algorithms.to_vec(),
            basic_accepted: model.basic_accepted,
            mac: self.spec.mac.map(|m| m.macd()),
            mac_password_known: self.plan.mac_credentials.is_some(),
            configured_user: self.plan.configured.as_ref().map(|c| c.username.clone()),
        }));
        for note in &self.plan.notes {
            self.log.note(None, note.clone());
        }

        // The first rung is the request without credentials, sent below.
        self.rungs.next();
        let mut url = self.plan.url.clone();
        let mut rung: Option<Rung> = None;
        let mut challenge: Option<(usize, Chosen)> = None;
        let mut stale_retries = 0;
        let mut redirects = 0;
        let mut foreign_host = false;

        for step in 0..MAX_REQUESTS {
            let answer = match (&rung, &challenge) {
                (Some(rung), Some((answers_step, chosen))) if !foreign_host => {
                    Some(self.answer(step, *answers_step, chosen, rung, &url))
                }
                _ => None,
            };
            let attempt = rung.as_ref().map_or(Attempt::None, |r| r.attempt);
            let Some(response) = self.send(step, attempt, &url, answer).await else {
                return;
            };
            let carried_answer = self
                .log
                .transcript
                .steps
                .get(step)
                .is_some_and(|s| s.answer.is_some());

            if response.is_success() {
                return;
            }
            if let Some(location) = redirect_target(&response, &url) {
                redirects += 1;
                if redirects > MAX_REDIRECTS {
                    self.log.note(
                        Some(step),
                        format!("More than {MAX_REDIRECTS} redirects; the device gives up."),
                    );
                    return;
                }
                if origin(&location) != origin(&url) {
                    foreign_host = true;
                    self.log.note(
                        Some(step),
                        format!(
                            "Redirected to another host ({}): no credentials are sent there.",
                            origin(&location)
                        ),
                    );
                } else {
                    self.log.note(
                        Some(step),
                        format!(
                            "Redirected to {}: a new digest is computed for the new URI.",
                            location.path()
                        ),
                    );
                }
                url = location;
                challenge = None;
                continue;
            }
            if response.status != 401 {
                return;
            }

            let chosen = self.read_challenges(step, &response);
            let Some(chosen) = chosen else {
                return;
            };
            if foreign_host {
                self.log.note(
                    Some(step),
                    "The other host asks for credentials; the device never sends them there.",
                );
                return;
            }
            if carried_answer && chosen.is_stale() {
                stale_retries += 1;
                if stale_retries > MAX_STALE_RETRIES {
                    self.log.note(
                        Some(step),
                        format!(
                            "The nonce was reported stale {stale_retries} times in a row; stopping here."
                        ),
                    );
                    return;
                }
                self.log.note(
                    Some(step),
                    "stale=true: the credentials were right but the nonce expired; answering again with the new nonce.",
                );
                challenge = Some((step, chosen));
                continue;
            }
            stale_retries = 0;
            if !carried_answer && rung.is_some() {
                // After a redirect: answer the new challenge with the same credentials.
                challenge = Some((step, chosen));
                continue;
            }
            match self.climb(step).await {
                Some(next) => {
                    rung = Some(next);
                    challenge = Some((step, chosen));
                }
                None => return,
            }
        }
        self.log.note(
            None,
            format!("Stopped after {MAX_REQUESTS} requests: the exchange does not converge."),
        );
    }

    /// Moves to the next rung that has credentials, asking for manual entry where the model
    /// has it. `None` when the ladder is exhausted: the device's fetch fails.
    async fn climb(&mut self, step: usize) -> Option<Rung> {
        for attempt in self.rungs.by_ref() {
            match attempt {
                AuthAttempt::Anonymous => {}
                AuthAttempt::MacPassword | AuthAttempt::Configured => {
                    if let Some(credentials) = self.plan.credentials(attempt) {
                        return Some(Rung {
                            attempt: attempt.into(),
                            credentials: credentials.clone(),
                        });
                    }
                    let reason = match attempt {
                        AuthAttempt::MacPassword => {
                            "no MAC password is known for this device (the redirect server gives it at registration)"
                        }
                        _ => "no digest credentials are configured for this device or its site",
                    };
                    self.log.push(Event::Skipped {
                        attempt: attempt.into(),
                        reason: reason.to_string(),
                    });
                }
                AuthAttempt::Manual => {
                    let tries = manual_tries(self.spec.model);
                    self.log.push(Event::ManualEntry {
                        attempt_no: self.log.transcript.manual_prompts + 1,
                        tries,
                    });
                    let idle = manual_idle_timeout(self.spec.model);
                    let Some(manual) = self.manual.as_deref_mut() else {
                        self.log.note(
                            Some(step),
                            format!(
                                "The {} now asks for credentials on its display; nobody is asked here, so the fetch ends.",
                                self.spec.model.name
                            ),
                        );
                        return None;
                    };
                    match tokio::time::timeout(idle, manual.recv()).await {
                        Ok(Some(Some(credentials))) => {
                            return Some(Rung {
                                attempt: Attempt::Manual,
                                credentials,
                            });
                        }
                        Ok(_) => {
                            self.log.note(Some(step), "Manual entry cancelled.");
                            return None;
                        }
                        Err(_) => {
                            self.log.note(
                                Some(step),
                                format!(
                                    "Nothing was typed for {} s; the device closes the entry.",
                                    idle.as_secs()
                                ),
                            );
                            return None;
                        }
                    }
                }
            }
        }
        None
    }

    /// Parses the `WWW-Authenticate` headers and picks the challenge the model answers.
    fn read_challenges(&mut self, step: usize, response: &ReceivedResponse) -> Option<Chosen> {
        let headers: Vec<&str> = response
            .headers
            .iter()
            .filter(|h| h.name.eq_ignore_ascii_case("www-authenticate"))
            .map(|h| h.value.as_str())
            .collect();
        if headers.is_empty() {
            self.log.push(Event::Challenges {
                step,
                challenges: Vec::new(),
                error: None,
            });
            self.log.push(Event::Chosen {
                step,
                index: None,
                reason: "The 401 carries no WWW-Authenticate header: there is nothing to answer."
                    .to_string(),
            });
            return None;
        }
        let parsed = match parse_all(headers.iter().copied()) {
            Ok(parsed) => parsed,
            Err(error) => {
                self.log.push(Event::Challenges {
                    step,
                    challenges: Vec::new(),
                    error: Some(format!(
                        "WWW-Authenticate cannot be parsed: {} at byte {}",
                        error.reason, error.position
                    )),
                });
                self.log.push(Event::Chosen {
                    step,
                    index: None,
                    reason: "The challenge is malformed, so no device can answer it.".to_string(),
                });
                return None;
            }
        };
        let views: Vec<ChallengeView> = parsed.iter().map(view).collect();
        self.log.push(Event::Challenges {
            step,
            challenges: views,
            error: None,
        });
        let (chosen, reason) = choose(&parsed, self.spec.model);
        self.log.push(Event::Chosen {
            step,
            index: chosen.as_ref().map(Chosen::index),
            reason,
        });
        chosen
    }

    /// Builds the `Authorization` header for `chosen` and emits the computation.
    fn answer(
        &mut self,
        step: usize,
        answers_step: usize,
        chosen: &Chosen,
        rung: &Rung,
        url: &reqwest::Url,
    ) -> String {
        let (header, kind) = match chosen {
            Chosen::Digest {
                challenge,
                algorithm,
                ..
            } => {
                let target = request_target(url);
                let cnonce = random_cnonce();
                let nc = self.counter.next(&challenge.nonce);
                let computation = compute(
                    challenge,
                    *algorithm,
                    choose_qop(challenge),
                    &DigestInput {
                        username: &rung.credentials.username,
                        password: &rung.credentials.password,
                        method: "GET",
                        uri: &target,
                        body: b"",
                        cnonce: &cnonce,
                        nc,
                    },
                );
                (
                    computation.authorization(),
                    AnswerKind::Digest(Box::new(computation)),
                )
            }
            Chosen::Basic { .. } => {
                let pair = format!(
                    "{}:{}",
                    rung.credentials.username,
                    rung.credentials.password.expose()
                );
                (
                    format!(
                        "Basic {}",
                        base64::engine::general_purpose::STANDARD.encode(pair)
                    ),
                    AnswerKind::Basic,
                )
            }
        };
        self.log.push(Event::Answer(Answer {
            step,
            answers_step,
            challenge_index: chosen.index(),
            username: rung.credentials.username.clone(),
            kind,
        }));
        header
    }

    /// Sends one GET, emits the request and the response (or the transport error).
    async fn send(
        &mut self,
        step: usize,
        attempt: Attempt,
        url: &reqwest::Url,
        authorization: Option<String>,
    ) -> Option<ReceivedResponse> {
        let user_agent = format!(
            "provdesk/{} (test fetch as {})",
            env!("CARGO_PKG_VERSION"),
            self.spec.model.name
        );
        let mut logged = vec![
            HeaderLine::new("Host", host_header(url)),
            HeaderLine::new("User-Agent", user_agent.clone()),
            HeaderLine::new("Accept", "*/*"),
        ];
        let mut request = self
            .client
            .get(url.clone())
            .header(reqwest::header::USER_AGENT, user_agent)
            .header(reqwest::header::ACCEPT, "*/*");
        if let Some(value) = authorization {
            logged.push(HeaderLine::new("Authorization", mask_basic(&value)));
            request = request.header(reqwest::header::AUTHORIZATION, value);
        }
        let sent_at = Instant::now();
        self.log.push(Event::Request(SentRequest {
            step,
            attempt,
            method: "GET".to_string(),
            url: url.to_string(),
            target: request_target(url),
            headers: logged,
            at: sent_at - self.started,
        }));
        let result = request.send().await;
        let mut response = match result {
            Ok(response) => response,
            Err(error) => {
                self.transport_error(step, &error);
                return None;
            }
        };
        let wait = sent_at.elapsed();
        let status = response.status();
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| {
                HeaderLine::new(
                    name.as_str(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect();
        let http_version = format!("{:?}", response.version());
        let mut body = Vec::new();
        let mut body_size = 0;
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    body_size += chunk.len();
                    let room = self.spec.body_limit.saturating_sub(body.len());
                    body.extend_from_slice(&chunk[..chunk.len().min(room)]);
                }
                Ok(None) => break,
                Err(error) => {
                    self.log.note(
                        Some(step),
                        format!(
                            "The body broke off after {body_size} bytes: {}",
                            error_chain(&error)
                        ),
                    );
                    break;
                }
            }
        }
        let received = ReceivedResponse {
            step,
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or("").to_string(),
            http_version,
            headers,
            wait,
            total: sent_at.elapsed(),
            truncated: body_size > body.len(),
            body,
            body_size,
        };
        self.log.push(Event::Response(received.clone()));
        Some(received)
    }

    fn transport_error(&mut self, step: usize, error: &reqwest::Error) {
        let message = error_chain(error);
        let kind = if is_tls_error(error) {
            TransportKind::Tls
        } else if error.is_timeout() {
            TransportKind::Timeout
        } else if error.is_connect() {
            TransportKind::Connect
        } else {
            TransportKind::Other
        };
        let message = match kind {
            TransportKind::Timeout => format!(
                "no complete answer within {} s ({message})",
                self.spec.timeout.as_secs_f32()
            ),
            _ => message,
        };
        self.log.push(Event::TransportError {
            step,
            kind,
            message,
        });
    }
}

/// The model's ladder with the manual rung repeated as many times as the device lets the user
/// try.
fn expanded_ladder(model: &ModelSpec) -> Vec<AuthAttempt> {
    let tries = manual_tries(model);
    model
        .auth_ladder
        .iter()
        .flat_map(|attempt| match attempt {
            AuthAttempt::Manual => vec![AuthAttempt::Manual; usize::from(tries)],
            other => vec![*other],
        })
        .collect()
}

fn manual_tries(model: &ModelSpec) -> u8 {
    match model.manual_entry {
        ManualEntry::None => 0,
        ManualEntry::Display { tries, .. } | ManualEntry::Notification { tries } => tries,
        ManualEntry::OneTry { .. } => 1,
    }
}

fn manual_idle_timeout(model: &ModelSpec) -> Duration {
    match model.manual_entry {
        ManualEntry::Display { idle_timeout_s, .. } => Duration::from_secs(idle_timeout_s.into()),
        _ => Duration::from_secs(60),
    }
}

/// Picks what the model answers: the strongest Digest challenge in an algorithm it does, else
/// Basic where the model accepts Basic. The reason names what was offered and what the model does.
fn choose(parsed: &[Challenge], model: &ModelSpec) -> (Option<Chosen>, String) {
    let offered: Vec<String> = parsed
        .iter()
        .map(|c| {
            if c.is_scheme("Digest") {
                format!("Digest {}", c.param("algorithm").unwrap_or("MD5"))
            } else {
                c.scheme.clone()
            }
        })
        .collect();
    let supported: Vec<&str> = model.digest_algorithms.iter().map(|a| a.name()).collect();
    let best = parsed
        .iter()
        .enumerate()
        .filter_map(|(index, c)| {
            let digest = DigestChallenge::from_challenge(c).ok()?;
            let algorithm = *digest.algorithm.as_ref().ok()?;
            let answerable = model.digest_algorithms.contains(&algorithm)
                && (digest.qop.is_empty() || choose_qop(&digest).is_some());
            answerable.then_some((index, digest, algorithm))
        })
        .max_by_key(|(index, _, algorithm)| (algorithm.strength(), usize::MAX - index));
    if let Some((index, challenge, algorithm)) = best {
        let reason = format!(
            "Offered: {}. The {} answers {}: challenge {} ({algorithm}, realm \"{}\"{}).",
            offered.join(", "),
            model.name,
            supported.join(", "),
            index + 1,
            challenge.realm,
            if challenge.stale { ", stale=true" } else { "" }
        );
        return (
            Some(Chosen::Digest {
                index,
                challenge,
                algorithm,
            }),
            reason,
        );
    }
    let basic = parsed.iter().position(|c| c.is_scheme("Basic"));
    let any_digest = parsed.iter().any(|c| c.is_scheme("Digest"));
    match basic {
        Some(index) if model.basic_accepted => (
            Some(Chosen::Basic { index }),
            format!(
                "Offered: {}. No Digest challenge the {} can answer; it accepts Basic (for testing only).",
                offered.join(", "),
                model.name
            ),
        ),
        _ if any_digest => (
            None,
            format!(
                "Offered: {}. The {} answers {} only, so it cannot answer any of them.",
                offered.join(", "),
                model.name,
                supported.join(", ")
            ),
        ),
        _ => (
            None,
            format!(
                "Offered: {}. The {} answers HTTP Digest only.",
                offered.join(", "),
                model.name
            ),
        ),
    }
}

fn view(challenge: &Challenge) -> ChallengeView {
    let (digest, problem) = if challenge.is_scheme("Digest") {
        match DigestChallenge::from_challenge(challenge) {
            Ok(d) => {
                let problem = d
                    .algorithm
                    .as_ref()
                    .err()
                    .map(|name| format!("algorithm {name} is not defined by RFC 7616"));
                (
                    Some(DigestSummary {
                        realm: d.realm.clone(),
                        nonce: d.nonce.clone(),
                        stale: d.stale,
                        algorithm: d.algorithm.clone(),
                        qop: d
                            .qop
                            .iter()
                            .map(|q| q.name().to_string())
                            .chain(d.unknown_qop.iter().cloned())
                            .collect(),
                        opaque: d.opaque.clone(),
                        userhash: d.userhash,
                    }),
                    problem,
                )
            }
            Err(e) => (None, Some(e.to_string())),
        }
    } else {
        (None, None)
    };
    ChallengeView {
        scheme: challenge.scheme.clone(),
        params: challenge.params.clone(),
        digest,
        problem,
    }
}

fn redirect_target(response: &ReceivedResponse, base: &reqwest::Url) -> Option<reqwest::Url> {
    if !matches!(response.status, 301 | 302 | 303 | 307 | 308) {
        return None;
    }
    base.join(response.header("location")?).ok()
}

/// A Basic header carries the password in base64: logged masked.
fn mask_basic(value: &str) -> String {
    if value.len() > 6 && value[..6].eq_ignore_ascii_case("basic ") {
        format!("Basic {}", crate::secret::MASK)
    } else {
        value.to_string()
    }
}

fn is_tls_error(error: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(cause) = source {
        if cause.downcast_ref::<rustls::Error>().is_some() {
            return true;
        }
        if let Some(io) = cause.downcast_ref::<std::io::Error>()
            && io
                .get_ref()
                .is_some_and(|inner| inner.downcast_ref::<rustls::Error>().is_some())
        {
            return true;
        }
        source = cause.source();
    }
    let text = error_chain(error).to_ascii_lowercase();
    text.contains("certificate") || text.contains("tls") || text.contains("handshake")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::find_model;
    use crate::digest::parse_challenges;

    #[test]
    fn gigaset_models_pick_md5_among_stronger_offers() {
        let parsed = parse_challenges(
            r#"Digest realm="r", nonce="a", algorithm=SHA-256, qop="auth", Digest realm="r", nonce="b", algorithm=MD5, qop="auth""#,
        )
        .unwrap();
        let (chosen, reason) = choose(&parsed, find_model("N510").unwrap());
        assert!(matches!(
            chosen,
            Some(Chosen::Digest {
                index: 1,
                algorithm: Algorithm::Md5,
                ..
            })
        ));
        assert!(reason.contains("Digest SHA-256, Digest MD5"), "{reason}");
        let (generic, _) = choose(&parsed, find_model("Generic").unwrap());
        assert!(matches!(
            generic,
            Some(Chosen::Digest {
                index: 0,
                algorithm: Algorithm::Sha256,
                ..
            })
        ));
    }

    #[test]
    fn basic_only_is_answered_only_where_the_model_accepts_it() {
        let parsed = parse_challenges(r#"Basic realm="r""#).unwrap();
        let (n510, reason) = choose(&parsed, find_model("N510").unwrap());
        assert!(n510.is_none());
        assert!(reason.contains("Digest only"), "{reason}");
        let (de900, _) = choose(&parsed, find_model("DE900").unwrap());
        assert!(matches!(de900, Some(Chosen::Basic { index: 0 })));
    }

    #[test]
    fn ladders_repeat_the_manual_rung_per_try() {
        let maxwell = expanded_ladder(find_model("Maxwell 3").unwrap());
        assert_eq!(maxwell.len(), 6);
        assert_eq!(
            expanded_ladder(find_model("DE900").unwrap()).len(),
            4,
            "one manual try"
        );
        assert_eq!(expanded_ladder(find_model("N510").unwrap()).len(), 3);
    }

    #[test]
    fn basic_headers_are_logged_masked() {
        assert_eq!(mask_basic("Basic dTpw"), "Basic ••••••");
        assert_eq!(mask_basic("Digest username=\"u\""), "Digest username=\"u\"");
    }
}
