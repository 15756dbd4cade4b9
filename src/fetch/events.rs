//! The one stream of events a test fetch emits, and the transcript they add up to.
//!
//! The GUI's sequence view, the CLI printer, the JSON report, the HAR export and "copy as curl"
//! all read these, so what one shows the others show too. Nothing here holds a password or an
//! HA1 in the clear: credentials travel as [`Secret`](crate::secret::Secret)s inside the digest
//! computation, and a Basic `Authorization` header is logged masked.

use std::time::Duration;

use serde::Serialize;

use super::body::{body_text, cut_note};
use super::finding::Diagnosis;
use super::shown::ShownBody;
use crate::device::AuthAttempt;
use crate::digest::{Algorithm, DigestComputation};

/// The rung of the device's ladder a request belongs to, named as the JSON report names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Attempt {
    None,
    Mac,
    Configured,
    Manual,
}

impl Attempt {
    pub fn name(self) -> &'static str {
        match self {
            Attempt::None => "none",
            Attempt::Mac => "mac",
            Attempt::Configured => "configured",
            Attempt::Manual => "manual",
        }
    }

    /// How the sequence view and the printer describe it.
    pub fn describe(self) -> &'static str {
        match self {
            Attempt::None => "no credentials",
            Attempt::Mac => "MAC / MAC password",
            Attempt::Configured => "configured credentials",
            Attempt::Manual => "credentials typed on the device",
        }
    }
}

impl From<AuthAttempt> for Attempt {
    fn from(attempt: AuthAttempt) -> Self {
        match attempt {
            AuthAttempt::Anonymous => Attempt::None,
            AuthAttempt::MacPassword => Attempt::Mac,
            AuthAttempt::Configured => Attempt::Configured,
            AuthAttempt::Manual => Attempt::Manual,
        }
    }
}

/// One header line, in the order sent or received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeaderLine {
    pub name: String,
    pub value: String,
}

impl HeaderLine {
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            value: value.into(),
        }
    }
}

/// Finds a header's values, ignoring case.
pub fn header_values<'a, 'n>(
    headers: &'a [HeaderLine],
    name: &'n str,
) -> impl Iterator<Item = &'a str> + use<'a, 'n> {
    headers
        .iter()
        .filter(move |h| h.name.eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}

/// A request as it went out.
#[derive(Debug, Clone)]
pub struct SentRequest {
    /// 0 for the first request of the fetch.
    pub step: usize,
    pub attempt: Attempt,
    pub method: String,
    /// The absolute URL, never with `user:pass@`.
    pub url: String,
    /// The request-target (path and query): what a digest `uri` must equal.
    pub target: String,
    pub headers: Vec<HeaderLine>,
    /// Since the fetch started.
    pub at: Duration,
}

/// A response as it came back.
#[derive(Debug, Clone)]
pub struct ReceivedResponse {
    pub step: usize,
    pub status: u16,
    pub reason: String,
    pub http_version: String,
    pub headers: Vec<HeaderLine>,
    /// From sending the request to the end of the headers.
    pub wait: Duration,
    /// From sending the request to the end of the body.
    pub total: Duration,
    /// At most the body limit.
    pub body: Vec<u8>,
    /// The whole body's length, kept or not.
    pub body_size: usize,
    pub truncated: bool,
    /// Why the body did not arrive whole, when it did not: what came is kept and shown, but a
    /// device would not get its file.
    pub incomplete: Option<BodyCut>,
    /// The body as shown, worked out once when it arrived.
    pub shown: ShownBody,
}

/// How a body failed to arrive whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyCut {
    /// The fetch's timeout ran out while the body was arriving.
    TimedOut,
    /// The connection broke off in the middle of the body (closed, reset, a broken chunk).
    BrokeOff,
    /// The body ran past the read bound (this many bytes): provdesk stopped reading it.
    TooLarge { bound: usize },
    /// The body ended before the length its `Content-Length` announced.
    Short { announced: u64 },
}

impl ReceivedResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        header_values(&self.headers, name).next()
    }

    /// The length the `Content-Length` header announced, when it is a number.
    pub fn content_length(&self) -> Option<u64> {
        self.header("content-length")?.trim().parse().ok()
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The note after the text of a body cut at the limit, `None` for a body kept whole.
    pub fn cut_note(&self) -> Option<String> {
        self.truncated
            .then(|| cut_note(self.body.len(), self.body_size))
    }

    /// A 2xx whose body arrived whole: the device gets its file.
    pub fn delivered(&self) -> bool {
        self.is_success() && self.incomplete.is_none()
    }
}

/// The body as text for the log: indented XML when it parses as XML, else the text itself.
/// Says so when the body was cut at the limit.
pub fn display_body(response: &ReceivedResponse) -> String {
    let mut text = body_text(
        &response.body,
        response.header("content-type"),
        !response.truncated,
    );
    text.push_str(&response.cut_note().unwrap_or_default());
    text
}

/// One challenge from a `WWW-Authenticate` header, as parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChallengeView {
    pub scheme: String,
    /// Every parameter, unknown ones included, names as the server wrote them.
    pub params: Vec<(String, String)>,
    /// Filled for Digest challenges that can be answered in principle.
    pub digest: Option<DigestSummary>,
    /// Why a Digest challenge is unusable (no nonce, unknown algorithm…).
    pub problem: Option<String>,
}

impl ChallengeView {
    /// The challenge in one line for people: scheme, algorithm, realm and qop, as the CLI's
    /// printer and the GUI's step detail both show it.
    pub fn describe(&self) -> String {
        match &self.digest {
            Some(d) => format!(
                "Digest {}, realm \"{}\", qop {}",
                d.algorithm
                    .as_ref()
                    .map_or_else(|name| name.clone(), |a| a.name().to_string()),
                d.realm,
                if d.qop.is_empty() {
                    "none".to_string()
                } else {
                    d.qop.join(", ")
                }
            ),
            None => self.scheme.clone(),
        }
    }
}

/// The fields of a Digest challenge the diagnosis compares across steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestSummary {
    pub realm: String,
    pub nonce: String,
    pub stale: bool,
    /// `Err` holds a name RFC 7616 does not define.
    pub algorithm: Result<Algorithm, String>,
    pub qop: Vec<String>,
    pub opaque: Option<String>,
    pub userhash: bool,
}

/// What went into an `Authorization` header.
#[derive(Debug, Clone)]
pub enum AnswerKind {
    Digest(Box<DigestComputation>),
    /// DE-series phones answer Basic for testing; the password is not kept here.
    Basic,
}

/// The answer a request carries, and the challenge it answers.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The request that carries it.
    pub step: usize,
    /// The response whose challenge it answers.
    pub answers_step: usize,
    pub challenge_index: usize,
    /// The user name the device used (a MAC, a configured name): not a secret.
    pub username: String,
    pub kind: AnswerKind,
}

/// Why no response came.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TransportKind {
    Tls,
    Timeout,
    Connect,
    /// The host name did not resolve.
    NameNotFound,
    /// Nothing listens on the port: the host refused the connection.
    Refused,
    /// The server answered, but not with HTTP the client can read (a malformed header, a
    /// reply in another protocol, a head too large): it was reached, so "no connection" would
    /// send the user looking in the wrong place.
    Protocol,
    /// The server accepted the connection and closed or reset it before a complete answer:
    /// it was reached, so the cause is on the server or in front of it, not on the way there.
    Closed,
    /// The request was never sent: its URL or a header value could not be put on the wire.
    NotSent,
    Other,
}

impl TransportKind {
    /// The kind in a few words, for the exchange's arrow and the step's detail.
    pub fn words(self) -> &'static str {
        match self {
            TransportKind::Tls => "TLS failed",
            TransportKind::Timeout => "timed out",
            TransportKind::Connect => "no connection",
            TransportKind::NameNotFound => "name not found (DNS)",
            TransportKind::Refused => "connection refused",
            TransportKind::Protocol => "not valid HTTP",
            TransportKind::Closed => "closed without an answer",
            TransportKind::NotSent => "not sent",
            TransportKind::Other => "failed",
        }
    }
}

/// What the log says when the display's prompt closed unanswered after `idle`.
pub fn manual_closed_note(idle: Duration) -> String {
    format!(
        "Nothing was typed for {} s; the device closes the entry.",
        idle.as_secs()
    )
}

/// Something that happened during a fetch, in the order it happened.
#[derive(Debug, Clone)]
pub enum Event {
    Started(Setting),
    /// A remark for the log that is not a request or a response.
    Note {
        step: Option<usize>,
        text: String,
    },
    /// A rung of the ladder the device would climb but cannot, and why.
    Skipped {
        attempt: Attempt,
        reason: String,
    },
    /// The digest (or Basic) answer about to be sent, with every intermediate value.
    Answer(Answer),
    Request(SentRequest),
    Response(ReceivedResponse),
    Challenges {
        step: usize,
        challenges: Vec<ChallengeView>,
        /// The header could not be parsed at all.
        error: Option<String>,
    },
    /// Which challenge the device answers and why; `None` when it answers none.
    Chosen {
        step: usize,
        index: Option<usize>,
        reason: String,
    },
    /// The device now asks for credentials on its display.
    ManualEntry {
        attempt_no: u8,
        tries: u8,
    },
    /// Nothing was typed into the display's prompt for `idle`, so the device closed it and its
    /// fetch ends: the diagnosis names this, not a lack of credentials.
    ManualEntryClosed {
        step: usize,
        idle: Duration,
    },
    TransportError {
        step: usize,
        kind: TransportKind,
        message: String,
    },
    Finished {
        final_status: Option<u16>,
        diagnosis: Vec<Diagnosis>,
    },
}

/// One request and what came of it.
#[derive(Debug, Clone)]
pub struct Step {
    pub request: SentRequest,
    pub answer: Option<Answer>,
    pub response: Option<ReceivedResponse>,
    pub challenges: Vec<ChallengeView>,
    pub challenge_error: Option<String>,
    pub chosen: Option<(Option<usize>, String)>,
    pub error: Option<(TransportKind, String)>,
}

impl Step {
    /// The Digest challenge the device answered, or would have.
    pub fn chosen_challenge(&self) -> Option<&ChallengeView> {
        let index = self.chosen.as_ref()?.0?;
        self.challenges.get(index)
    }

    pub fn status(&self) -> Option<u16> {
        self.response.as_ref().map(|r| r.status)
    }
}

/// What the run is about: the `Started` event.
#[derive(Debug, Clone, Default)]
pub struct Setting {
    /// Wall-clock start, for exports that need dates (HAR); `None` before the start.
    pub started_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The expanded URL, without credentials.
    pub url: String,
    pub model: &'static str,
    pub ladder: Vec<Attempt>,
    pub algorithms: Vec<Algorithm>,
    pub basic_accepted: bool,
    pub mac: Option<String>,
    pub mac_password_known: bool,
    pub configured_user: Option<String>,
    /// How long the run waits for each answer: a finding on silence names it in seconds,
    /// where the transport's own message (kept in the step) quotes the HTTP client.
    pub timeout: Duration,
    /// The inventory device has no model and was fetched as the default one: said in sight,
    /// since every finding is then about another model's fetch.
    pub model_assumed: bool,
}

/// Every event of a fetch folded into steps.
#[derive(Debug, Clone, Default)]
pub struct Transcript {
    pub setting: Setting,
    pub steps: Vec<Step>,
    pub notes: Vec<(Option<usize>, String)>,
    pub skipped: Vec<(Attempt, String)>,
    pub manual_prompts: u8,
    /// How long the display's prompt stayed open unanswered before the device closed it.
    pub manual_closed: Option<Duration>,
    pub finished: Option<(Option<u16>, Vec<Diagnosis>)>,
    pending_answer: Option<Answer>,
}

impl Transcript {
    pub fn apply(&mut self, event: &Event) {
        match event {
            Event::Started(setting) => self.setting = setting.clone(),
            Event::Note { step, text } => self.notes.push((*step, text.clone())),
            Event::Skipped { attempt, reason } => self.skipped.push((*attempt, reason.clone())),
            Event::Answer(answer) => self.pending_answer = Some(answer.clone()),
            Event::Request(request) => self.steps.push(Step {
                request: request.clone(),
                answer: self.pending_answer.take(),
                response: None,
                challenges: Vec::new(),
                challenge_error: None,
                chosen: None,
                error: None,
            }),
            Event::Response(response) => {
                if let Some(step) = self.steps.get_mut(response.step) {
                    step.response = Some(response.clone());
                }
            }
            Event::Challenges {
                step,
                challenges,
                error,
            } => {
                if let Some(step) = self.steps.get_mut(*step) {
                    step.challenges = challenges.clone();
                    step.challenge_error = error.clone();
                }
            }
            Event::Chosen {
                step,
                index,
                reason,
            } => {
                if let Some(step) = self.steps.get_mut(*step) {
                    step.chosen = Some((*index, reason.clone()));
                }
            }
            Event::ManualEntry { .. } => self.manual_prompts += 1,
            Event::ManualEntryClosed { step, idle } => {
                self.manual_closed = Some(*idle);
                self.notes.push((Some(*step), manual_closed_note(*idle)));
            }
            Event::TransportError {
                step,
                kind,
                message,
            } => {
                if let Some(step) = self.steps.get_mut(*step) {
                    step.error = Some((*kind, message.clone()));
                }
            }
            Event::Finished {
                final_status,
                diagnosis,
            } => self.finished = Some((*final_status, diagnosis.clone())),
        }
    }

    pub fn from_events<'a>(events: impl IntoIterator<Item = &'a Event>) -> Self {
        let mut transcript = Self::default();
        for event in events {
            transcript.apply(event);
        }
        transcript
    }

    /// The challenge of step `step` that a later request answered: the one its device chose,
    /// once the answer went out (a prompt that ran out answers nothing).
    pub fn answered_challenge(&self, step: usize) -> Option<usize> {
        self.steps
            .iter()
            .filter_map(|s| s.answer.as_ref())
            .find(|answer| answer.answers_step == step)
            .map(|answer| answer.challenge_index)
    }

    /// The status of the last response, if any came.
    pub fn final_status(&self) -> Option<u16> {
        self.steps.iter().rev().find_map(Step::status)
    }

    pub fn diagnosis(&self) -> &[Diagnosis] {
        self.finished.as_ref().map_or(&[], |(_, d)| d.as_slice())
    }

    /// What the inventory keeps of a fetch: the final status (or "no answer") and the main
    /// diagnosis code.
    pub fn outcome(&self) -> (String, &'static str) {
        let status = self
            .final_status()
            .map_or_else(|| "no answer".to_string(), |s| s.to_string());
        let code = self.diagnosis().first().map_or("", |d| d.code.as_str());
        (status, code)
    }

    /// The device gets its file: the last response is a 2xx whose body arrived whole. What
    /// the CLI's exit status and the report's `ok` say.
    pub fn ok(&self) -> bool {
        self.last_response()
            .is_some_and(ReceivedResponse::delivered)
    }

    /// The server took the request: the last response is a 2xx, whatever became of its body.
    /// The URL and the credentials that got it are right even when a proxy then cut the file
    /// off, so they are worth keeping (*Save these credentials…*) though the fetch is no
    /// success.
    pub fn accepted(&self) -> bool {
        self.last_response()
            .is_some_and(ReceivedResponse::is_success)
    }

    fn last_response(&self) -> Option<&ReceivedResponse> {
        self.steps
            .iter()
            .rev()
            .find_map(|step| step.response.as_ref())
    }
}
