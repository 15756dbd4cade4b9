//! One client transaction (RFC 3261 §17.1.2): send the request, resend it on Timer E over UDP,
//! give up on Timer F, and hand back the first final response whose `Via` branch, `Call-ID` and
//! `CSeq` are this request's. Provisional responses and strays are logged and waited past.

use std::time::Duration;

use tokio::time::Instant;

use super::events::{ReceivedMessage, SipEvent};
use super::parse::SipMessage;
use super::recorder::Recorder;
use super::timers::UdpTimers;
use super::transport::{Incoming, Link};
use crate::cancel::CancelFlag;
use crate::printable::printable;

/// How often a wait looks at the cancel flag.
const CANCEL_POLL: Duration = Duration::from_millis(100);

/// Why a transaction ended without a final response.
#[derive(Debug)]
pub enum TxEnd {
    /// Timer F fired: `sends` transmissions, none answered.
    Timeout {
        sends: usize,
        elapsed: Duration,
        icmp_refused: bool,
        /// Messages that came but answer other requests (or are no SIP): not silence.
        ignored: usize,
    },
    /// The connection broke.
    Io(std::io::Error),
    Cancelled,
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

/// Runs the transaction; the request's `Sent` event is the caller's, the resends and the
/// answers are logged here.
pub async fn run(
    link: &mut Link,
    request: &TxRequest<'_>,
    timers: &UdpTimers,
    cancel: &CancelFlag,
    recorder: &mut Recorder<'_>,
) -> Result<SipMessage, TxEnd> {
    let start = Instant::now();
    let schedule = match link {
        Link::Udp(_) => timers.send_times(),
        Link::Tcp(..) | Link::Tls(..) => vec![Duration::ZERO],
    };
    let deadline = start + timers.total;
    let mut sends = 0;
    let mut icmp_refused = false;
    let mut ignored = 0;
    loop {
        while sends < schedule.len() && start + schedule[sends] <= Instant::now() {
            link.send(request.bytes).await.map_err(TxEnd::Io)?;
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
        if now >= deadline {
            return Err(TxEnd::Timeout {
                sends,
                elapsed: now - start,
                icmp_refused,
                ignored,
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
            Ok(result) => result.map_err(TxEnd::Io)?,
        };
        match incoming {
            Incoming::Message(message) if answers(&message, request) => {
                log_received(recorder, request.step, &message, link);
                if message.status().is_some_and(|s| s >= 200) {
                    return Ok(message);
                }
            }
            Incoming::Message(message) => {
                ignored += 1;
                recorder.emit(SipEvent::Note {
                    text: format!(
                        "ignored a message that answers another request: {}",
                        printable(&message.start_line(), 120)
                    ),
                });
            }
            Incoming::Unreadable(error) => {
                ignored += 1;
                recorder.emit(SipEvent::Note {
                    text: format!("ignored bytes that are no SIP message: {error}"),
                });
            }
            Incoming::Refused if !icmp_refused => {
                icmp_refused = true;
                recorder.emit(SipEvent::Note {
                    text: "the host answered ICMP port unreachable: nothing listens on that \
                           port (the timers carry on, as a phone's would)"
                        .to_string(),
                });
            }
            Incoming::Refused => {}
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
