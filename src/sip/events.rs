//! The one stream of events a SIP test emits, and the transcript they add up to.
//!
//! The CLI's live lines, the `--json` report and the GUI's sequence view all read these. No
//! event holds a password, an HA1 or a digest response in the clear: the `Authorization`
//! header is stored with its `response` masked, and the computation's secrets are
//! [`Secret`](crate::secret::Secret)s that serialise to nothing.

use std::net::SocketAddr;
use std::time::Duration;

use serde::{Serialize, Serializer};

use super::binding::Binding;
use super::diagnose::{SipCode, SipDiagnosis};
use super::parse::SipHeader;
use crate::digest::DigestComputation;

/// Durations go into JSON as milliseconds.
fn millis<S: Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(duration.as_secs_f64() * 1000.0)
}

/// One event of a SIP test, in the order it happened.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum SipEvent {
    /// What is tested, before anything goes out.
    Started {
        method: &'static str,
        registrar: String,
        transport: &'static str,
        user: String,
        digest_user: String,
        domain: String,
    },
    /// One DNS step: the query and what came back, or why nothing did.
    Dns(DnsStep),
    /// The socket is ready: the local address is the one `Via` and `Contact` carry.
    Connected {
        local: SocketAddr,
        remote: SocketAddr,
        transport: &'static str,
    },
    /// The timers that will run (UDP), in words.
    Timers {
        text: String,
    },
    Sent(SentMessage),
    /// Timer E fired: the same request went out again.
    Retransmitted {
        step: usize,
        /// 2 for the first resend.
        send: usize,
        #[serde(serialize_with = "millis")]
        at: Duration,
    },
    Received(ReceivedMessage),
    /// The registrar's challenge answered: every value of the computation, in words.
    Digest(DigestStep),
    /// What became of the test's own registration after the registrar took it: removed again,
    /// kept on purpose, or left behind because the removal failed.
    Binding(Binding),
    /// Something worth a line that is none of the above (a stray datagram, an ICMP refusal).
    Note {
        text: String,
    },
    /// The verdict; always the last event.
    Finished(SipVerdict),
}

/// One DNS lookup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DnsStep {
    /// `SRV _sip._udp.example.com`, `A/AAAA pbx.example.com`, or the literal skipped.
    pub query: String,
    pub answers: Vec<String>,
    /// What the step means for the test, in words.
    pub note: String,
}

/// A request as it went out (the `Authorization` header's response masked).
#[derive(Debug, Clone, Serialize)]
pub struct SentMessage {
    /// 0 for the first request of the test; a retransmission keeps its request's step.
    pub step: usize,
    pub start_line: String,
    pub headers: Vec<SipHeader>,
    pub to: SocketAddr,
    /// Since the test started.
    #[serde(serialize_with = "millis")]
    pub at: Duration,
}

/// A message as it came in.
#[derive(Debug, Clone, Serialize)]
pub struct ReceivedMessage {
    /// The step of the request it answers.
    pub step: usize,
    pub start_line: String,
    pub status: Option<u16>,
    pub headers: Vec<SipHeader>,
    /// The body as text, control characters escaped.
    pub body: String,
    pub from: SocketAddr,
    #[serde(serialize_with = "millis")]
    pub at: Duration,
}

impl ReceivedMessage {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.is(name))
            .map(|h| h.value.as_str())
    }
}

/// A digest answer worked out for the request of `step`.
#[derive(Debug, Clone, Serialize)]
pub struct DigestStep {
    /// The request that carries the answer.
    pub step: usize,
    /// `WWW-Authenticate` (401) or `Proxy-Authenticate` (407).
    pub challenge_header: &'static str,
    /// `Authorization` or `Proxy-Authorization`.
    pub answer_header: &'static str,
    pub username: String,
    pub realm: String,
    pub nonce: String,
    pub algorithm: String,
    pub qop: Option<String>,
    pub nc: String,
    pub stale: bool,
    /// The computation step by step; HA1 and the response masked.
    pub words: Vec<String>,
    /// The whole computation for a view that reveals on purpose; never serialised.
    #[serde(skip)]
    pub computation: Box<DigestComputation>,
}

/// How the test ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SipVerdict {
    /// The final status of the test's request: the REGISTER's (not its removal's), if any came.
    pub final_status: Option<u16>,
    /// A 2xx came back: the account registered (or the registrar answered OPTIONS).
    pub ok: bool,
    /// After a 2xx to REGISTER: whether the test's registration was removed again.
    pub binding: Option<Binding>,
    /// The main finding first.
    pub findings: Vec<SipDiagnosis>,
    /// From the first event to the verdict.
    #[serde(serialize_with = "millis")]
    pub elapsed: Duration,
}

impl SipVerdict {
    /// The main finding's code: what the inventory records as the test's verdict.
    pub fn code(&self) -> SipCode {
        self.findings.first().map_or(SipCode::Ok, |f| f.code)
    }
}

/// The events of one test, as they arrived.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SipTranscript {
    pub events: Vec<SipEvent>,
}

impl SipTranscript {
    pub fn push(&mut self, event: SipEvent) {
        self.events.push(event);
    }

    /// The verdict, once the test has finished.
    pub fn verdict(&self) -> Option<&SipVerdict> {
        self.events.iter().rev().find_map(|event| match event {
            SipEvent::Finished(verdict) => Some(verdict),
            _ => None,
        })
    }

    /// What became of the test's registration, once that was settled.
    pub fn binding(&self) -> Option<&Binding> {
        self.events.iter().rev().find_map(|event| match event {
            SipEvent::Binding(binding) => Some(binding),
            _ => None,
        })
    }

    /// The received messages, in order.
    pub fn received(&self) -> impl Iterator<Item = &ReceivedMessage> {
        self.events.iter().filter_map(|event| match event {
            SipEvent::Received(message) => Some(message),
            _ => None,
        })
    }

    /// The report `--json` prints: the events and the verdict, secrets masked.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }
}
