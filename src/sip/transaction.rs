//! One client transaction (RFC 3261 §17.1.2): send the request, resend it on Timer E over UDP,
//! give up on Timer F, and hand back the first final response whose `Via` branch, `Call-ID` and
//! `CSeq` are this request's. Provisional responses and strays are logged and waited past.

use std::time::Duration;

use tokio::time::Instant;

use super::diagnose::Heard;
use super::events::{ReceivedMessage, SipEvent};
use super::parse::SipMessage;
use super::recorder::Recorder;
use super::timers::UdpTimers;
use super::transport::{Incoming, Link};
use crate::cancel::CancelFlag;
use crate::printable::printable;

/// How often a wait looks at the cancel flag (a cancel, or *Stop waiting*).
const CANCEL_POLL: Duration = Duration::from_millis(100);

/// How many messages of one transaction the log shows; the rest are only counted, so a
/// registrar that floods the socket (1xx forever, someone else's answers, garbage) cannot grow
/// the log, the JSON report or memory without end.
const LOG_LIMIT: usize = 20;

/// After this many ICMP refusals in a row, with no SIP message between them, nothing listens
/// on the port: the wait ends there instead of running out Timer F's 32 s. One alone could be
/// a registrar in the middle of a restart.
const REFUSAL_LIMIT: usize = 2;

/// Why a transaction ended without a final response.
#[derive(Debug)]
pub enum TxEnd {
    /// Timer F fired, or the installer stopped waiting (`stopped`): `sends` transmissions, no
    /// final answer among what `heard` counts.
    Timeout {
        sends: usize,
        elapsed: Duration,
        heard: Heard,
        stopped: bool,
    },
    /// The connection broke.
    Io(std::io::Error),
    /// A stream brought bytes that cannot be cut into messages, or stopped inside one.
    BadAnswer(String),
    Cancelled,
}

impl TxEnd {
    /// A receive error: the stream's framing failures are the registrar's bad answer.
    fn from_receive(error: std::io::Error) -> TxEnd {
        if error.kind() == std::io::ErrorKind::InvalidData {
            TxEnd::BadAnswer(error.to_string())
        } else {
            TxEnd::Io(error)
        }
    }
}

/// The request as the transaction needs it.
#[derive(Debug)]
pub struct TxRequest<'a> {
    pub step: usize,
    pub bytes: &'a [u8],
    pub branch: &'a str,
    pub call_id: &'a str,
    pub cseq: u32,
    pub method: &'a str,
}

/// What came in that was no final answer, and how much of it the log shows.
#[derive(Debug, Default)]
struct Tally {
    heard: Heard,
    logged: usize,
    unlogged: usize,
    /// ICMP refusals since the last SIP message.
    refused_in_a_row: usize,
}

impl Tally {
    /// Whether one more message may go into the log; past [`LOG_LIMIT`] it is only counted.
    fn may_log(&mut self) -> bool {
        if self.logged < LOG_LIMIT {
            self.logged += 1;
            true
        } else {
            self.unlogged += 1;
            false
        }
    }

    /// Says how many messages the log left out, once the transaction is over.
    fn close(&self, recorder: &mut Recorder<'_>) {
        if self.unlogged > 0 {
            recorder.emit(SipEvent::Note {
                text: format!(
                    "{} more for this request not shown: the log keeps the first {LOG_LIMIT} \
                     of each request",
                    crate::words::count(self.unlogged, "message")
                ),
            });
        }
    }

    /// Counts an ICMP port unreachable; the first is logged, and the one that ends the wait.
    fn refused(&mut self, recorder: &mut Recorder<'_>) {
        self.refused_in_a_row += 1;
        let note = if self.gave_up() {
            format!(
                "port unreachable {} in a row: the test stops waiting here instead of after \
                 Timer F",
                crate::words::count(self.refused_in_a_row, "time")
            )
        } else if !self.heard.icmp_refused {
            "the host answered ICMP port unreachable: nothing listens on that port (the test \
             resends, and stops if that is refused too)"
                .to_string()
        } else {
            return;
        };
        self.heard.icmp_refused = true;
        if self.may_log() {
            recorder.emit(SipEvent::Note { text: note });
        }
    }

    /// Whether the refusals in a row say that nothing listens.
    fn gave_up(&self) -> bool {
        self.refused_in_a_row >= REFUSAL_LIMIT
    }

    /// Logs and counts `incoming`; the final answer to `request`, if this is it.
    fn take(
        &mut self,
        incoming: Incoming,
        request: &TxRequest<'_>,
        link: &Link,
        recorder: &mut Recorder<'_>,
    ) -> Option<SipMessage> {
        if !matches!(incoming, Incoming::Refused) {
            self.refused_in_a_row = 0;
        }
        let note = match incoming {
            Incoming::Message(message) if answers(&message, request) => {
                let last = message.status().is_some_and(|s| s >= 200);
                if last || self.may_log() {
                    log_received(recorder, request.step, &message, link);
                }
                if last {
                    return Some(message);
                }
                self.heard.provisional += 1;
                return None;
            }
            Incoming::Message(message) => {
                self.heard.ignored += 1;
                format!(
                    "ignored a message that answers another request: {}",
                    printable(&message.start_line(), 120)
                )
            }
            Incoming::Unreadable(error) => {
                self.heard.ignored += 1;
                format!("ignored bytes that are no SIP message: {error}")
            }
            Incoming::Refused => {
                self.refused(recorder);
                return None;
            }
        };
        if self.may_log() {
            recorder.emit(SipEvent::Note { text: note });
        }
        None
    }
}

/// Runs the transaction; the request's `Sent` event is the caller's, the resends and the
/// answers are logged here.
pub async fn run(
    link: &mut Link,
    request: &TxRequest<'_>,
    timers: &UdpTimers,
    cancel: &CancelFlag,
    recorder: &mut Recorder<'_>,
) -> Result<SipMessage, TxEnd> {
    let mut tally = Tally::default();
    let result = wait_for_final(link, request, timers, cancel, recorder, &mut tally).await;
    tally.close(recorder);
    result
}

async fn wait_for_final(
    link: &mut Link,
    request: &TxRequest<'_>,
    timers: &UdpTimers,
    cancel: &CancelFlag,
    recorder: &mut Recorder<'_>,
    tally: &mut Tally,
) -> Result<SipMessage, TxEnd> {
    let start = Instant::now();
    let schedule = match link {
        Link::Udp(_) => timers.send_times(),
        Link::Tcp(..) | Link::Tls(..) => vec![Duration::ZERO],
    };
    let deadline = start + timers.total;
    let mut sends = 0;
    loop {
        while sends < schedule.len() && start + schedule[sends] <= Instant::now() {
            if link.send(request.bytes).await.map_err(TxEnd::Io)? {
                tally.refused(recorder);
            }
            if sends > 0 {
                recorder.emit(SipEvent::Retransmitted {
                    step: request.step,
                    send: sends + 1,
                    at: recorder.elapsed(),
                });
            }
            sends += 1;
        }
        let now = Instant::now();
        let stopped = cancel.stops_waiting();
        if now >= deadline || tally.gave_up() || stopped {
            return Err(TxEnd::Timeout {
                sends,
                elapsed: now - start,
                heard: std::mem::take(&mut tally.heard),
                stopped,
            });
        }
        if cancel.is_cancelled() {
            return Err(TxEnd::Cancelled);
        }
        let next_send = schedule.get(sends).map(|at| start + *at);
        let wake = [Some(deadline), next_send, Some(now + CANCEL_POLL)]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(deadline);
        let incoming = match tokio::time::timeout_at(wake, link.receive()).await {
            Err(_) => continue,
            Ok(result) => result.map_err(TxEnd::from_receive)?,
        };
        if let Some(last) = tally.take(incoming, request, link, recorder) {
            return Ok(last);
        }
    }
}

/// Whether `message` is a response to `request` (RFC 3261 §17.1.3: the top `Via`'s branch and
/// the CSeq method; the Call-ID and CSeq number too, as they are ours). A response without a
/// `Via` is nobody's: taking it would let any 200 that reaches the socket end the test as
/// registered.
fn answers(message: &SipMessage, request: &TxRequest<'_>) -> bool {
    message.status().is_some()
        && message.via_param("branch") == Some(request.branch)
        && message.header("Call-ID").map(str::trim) == Some(request.call_id)
        && message.cseq() == Some((request.cseq, request.method))
}

fn log_received(recorder: &mut Recorder<'_>, step: usize, message: &SipMessage, link: &Link) {
    let from = match link {
        Link::Udp(socket) => socket.peer_addr(),
        Link::Tcp(stream, _) => stream.peer_addr(),
        Link::Tls(stream, _) => stream.get_ref().0.peer_addr(),
    };
    let Ok(from) = from else { return };
    let event = SipEvent::Received(ReceivedMessage {
        step,
        start_line: printable(&message.start_line(), 200),
        status: message.status(),
        headers: message
            .headers
            .iter()
            .map(|h| {
                super::parse::SipHeader::new(printable(&h.name, 100), printable(&h.value, 2000))
            })
            .collect(),
        body: printable(&String::from_utf8_lossy(&message.body), 4000),
        from,
        at: recorder.elapsed(),
    });
    recorder.emit(event);
}
