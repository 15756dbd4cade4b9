//! The SIP test from start to verdict: find the registrar, open the socket, send REGISTER (or
//! OPTIONS), answer challenges, retry once on 423, and name what happened.

use crate::cancel::CancelFlag;
use crate::device::SipTransport;
use crate::digest::{DigestChallenge, NonceCounter};
use crate::printable::printable;

use super::auth::{self, AnswerInput, AuthHeaders};
use super::diagnose::{self, SipDiagnosis, Who};
use super::dns;
use super::events::{SentMessage, SipEvent, SipTranscript, SipVerdict};
use super::message::{Dialog, OutgoingRequest, SipMethod, build_headers, to_bytes};
use super::parse::{SipHeader, SipMessage};
use super::recorder::Recorder;
use super::spec::SipTestSpec;
use super::transaction::{self, TxEnd, TxRequest};
use super::transport::{Link, OpenError};

mod removal;

/// After this many stale challenges in a row the registrar is looping.
const STALE_LIMIT: usize = 3;

/// Runs the test, sending each event to `sink` as it happens; the transcript ends with a
/// [`SipEvent::Finished`] verdict.
pub async fn run_sip_test(
    spec: &SipTestSpec,
    cancel: &CancelFlag,
    sink: &mut (dyn FnMut(&SipEvent) + Send),
) -> SipTranscript {
    let mut recorder = Recorder::new(sink);
    recorder.emit(SipEvent::Started {
        method: spec.method.as_str(),
        registrar: spec.registrar.clone(),
        transport: spec.transport.as_str(),
        user: spec.user.clone(),
        digest_user: spec.digest_user().to_string(),
        domain: spec.domain().to_string(),
    });
    let (final_status, findings) = session(spec, cancel, &mut recorder).await;
    let verdict = SipVerdict {
        final_status,
        ok: final_status.is_some_and(|s| (200..300).contains(&s)),
        binding: recorder.binding(),
        findings,
        elapsed: recorder.elapsed(),
    };
    recorder.emit(SipEvent::Finished(verdict));
    recorder.into_transcript()
}

type Ending = (Option<u16>, Vec<SipDiagnosis>);

fn fail(finding: SipDiagnosis) -> Ending {
    (None, vec![finding])
}

async fn session(spec: &SipTestSpec, cancel: &CancelFlag, recorder: &mut Recorder<'_>) -> Ending {
    let found = dns::resolve(&spec.registrar, spec.port, spec.transport, &mut |step| {
        recorder.emit(SipEvent::Dns(step));
    })
    .await;
    let remote = match found.as_deref() {
        Ok([first, ..]) => *first,
        Ok([]) => return fail(diagnose::dns_failed(&spec.registrar, "no address")),
        Err(detail) => return fail(diagnose::dns_failed(&spec.registrar, detail)),
    };
    if cancel.is_cancelled() {
        return fail(diagnose::cancelled());
    }
    let opened = Link::open(
        spec.transport,
        remote,
        &spec.registrar,
        spec.connect_timeout,
        &spec.tls,
    )
    .await;
    let mut link = match opened {
        Ok(link) => link,
        Err(OpenError::Tls(detail)) => return fail(diagnose::tls_error(&detail)),
        Err(OpenError::Timeout) => {
            return fail(diagnose::connection_failed(
                &remote.to_string(),
                "no connection within the connect timeout (a firewall dropping SYNs?)",
            ));
        }
        Err(OpenError::Connect(e)) => {
            return fail(diagnose::connection_failed(
                &remote.to_string(),
                &e.to_string(),
            ));
        }
    };
    let local = match link.local_addr() {
        Ok(local) => local,
        Err(e) => {
            return fail(diagnose::connection_failed(
                &remote.to_string(),
                &e.to_string(),
            ));
        }
    };
    recorder.emit(SipEvent::Connected {
        local,
        remote,
        transport: spec.transport.as_str(),
    });
    if spec.transport == SipTransport::Udp {
        recorder.emit(SipEvent::Timers {
            text: spec.udp_timers.describe(),
        });
    }
    let mut dialog = Dialog::new(
        spec.method,
        spec.transport,
        spec.domain(),
        &spec.user,
        local,
    );
    if let Some(user_agent) = &spec.user_agent {
        dialog.user_agent.clone_from(user_agent);
    }
    Registration::new(spec, dialog)
        .run(&mut link, cancel, recorder)
        .await
}

/// The state of the requests of one test.
struct Registration<'s> {
    spec: &'s SipTestSpec,
    dialog: Dialog,
    step: usize,
    cseq: u32,
    expires: Option<u32>,
    /// The challenge answered last, to answer again after a 423.
    challenge: Option<(DigestChallenge, AuthHeaders)>,
    authorization: Option<(&'static str, String)>,
    stale_in_a_row: usize,
    /// `(asked, minimum)` once a 423 was retried.
    retried_423: Option<(u32, u32)>,
    /// The interval the registrar granted with its 2xx, as far as it said.
    granted: Option<u32>,
    counter: NonceCounter,
}

/// What to do after a response.
enum Next {
    Again,
    Stop(Ending),
}

impl<'s> Registration<'s> {
    fn new(spec: &'s SipTestSpec, dialog: Dialog) -> Self {
        Self {
            spec,
            dialog,
            step: 0,
            cseq: 1,
            expires: (spec.method == SipMethod::Register).then_some(spec.expires),
            challenge: None,
            authorization: None,
            stale_in_a_row: 0,
            retried_423: None,
            granted: None,
            counter: NonceCounter::default(),
        }
    }

    fn who(&self) -> Who<'s> {
        Who {
            user: &self.spec.user,
            digest_user: self.spec.digest_user(),
            domain: self.spec.domain(),
        }
    }

    async fn run(
        mut self,
        link: &mut Link,
        cancel: &CancelFlag,
        recorder: &mut Recorder<'_>,
    ) -> Ending {
        loop {
            if cancel.is_cancelled() {
                return fail(diagnose::cancelled());
            }
            let response = match self.exchange(link, cancel, recorder).await {
                Ok(response) => response,
                Err(end) => return self.ended(end),
            };
            self.step += 1;
            self.cseq += 1;
            match self.on_response(&response, recorder) {
                Next::Again => {}
                Next::Stop(ending) => return self.settle(ending, link, cancel, recorder).await,
            }
        }
    }

    /// Sends this step's request and waits for its final response.
    async fn exchange(
        &mut self,
        link: &mut Link,
        cancel: &CancelFlag,
        recorder: &mut Recorder<'_>,
    ) -> Result<SipMessage, TxEnd> {
        let mut request = OutgoingRequest::new(self.cseq, self.expires);
        request.authorization = self.authorization.clone();
        let headers = build_headers(&self.dialog, &request);
        let start_line = format!(
            "{} {} SIP/2.0",
            self.spec.method.as_str(),
            self.dialog.request_uri()
        );
        let bytes = to_bytes(&start_line, &headers);
        let shown = headers
            .iter()
            .map(|h| match &request.authorization {
                // The answer echoes the registrar's realm and nonce: escape them for the log.
                Some((name, _)) if h.is(name) => {
                    SipHeader::new(&h.name, printable(&auth::mask_answer(&h.value), 2000))
                }
                _ => h.clone(),
            })
            .collect();
        let remote = match link {
            Link::Udp(socket) => socket.peer_addr(),
            Link::Tcp(stream, _) => stream.peer_addr(),
            Link::Tls(stream, _) => stream.get_ref().0.peer_addr(),
        }
        .map_err(TxEnd::Io)?;
        recorder.emit(SipEvent::Sent(SentMessage {
            step: self.step,
            start_line,
            headers: shown,
            to: remote,
            at: recorder.elapsed(),
        }));
        let tx = TxRequest {
            step: self.step,
            bytes: &bytes,
            branch: &request.branch,
            call_id: &self.dialog.call_id,
            cseq: self.cseq,
            method: self.spec.method.as_str(),
        };
        transaction::run(link, &tx, &self.spec.udp_timers, cancel, recorder).await
    }

    fn ended(&self, end: TxEnd) -> Ending {
        match end {
            TxEnd::Timeout {
                sends,
                elapsed,
                heard,
                stopped,
            } => fail(diagnose::no_answer(
                self.spec.transport.as_str(),
                elapsed,
                sends,
                &heard,
                stopped,
            )),
            TxEnd::BadAnswer(detail) => {
                fail(diagnose::bad_answer(self.spec.transport.as_str(), &detail))
            }
            TxEnd::Io(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                fail(diagnose::connection_closed(&e.to_string()))
            }
            TxEnd::Io(e) => fail(diagnose::connection_broke(
                self.spec.transport,
                &e.to_string(),
            )),
            TxEnd::Cancelled => fail(diagnose::cancelled()),
        }
    }

    fn on_response(&mut self, response: &SipMessage, recorder: &mut Recorder<'_>) -> Next {
        let status = response.status().unwrap_or(0);
        let reason = match &response.start {
            super::parse::StartLine::Response { reason, .. } => reason.as_str(),
            super::parse::StartLine::Request { .. } => "",
        };
        let stop = |finding| Next::Stop((Some(status), vec![finding]));
        match status {
            200..=299 => {
                self.granted = removal::granted(response, &self.dialog);
                let expires = self.granted.map(|e| e.to_string());
                let said = expires.as_deref().or_else(|| response.header("Expires"));
                let mut findings = vec![match self.spec.method {
                    SipMethod::Register => diagnose::ok(status, said),
                    SipMethod::Options => diagnose::reachable(status, self.spec.transport.as_str()),
                }];
                match self.retried_423 {
                    // A registration that stays must hold the interval the user asked for.
                    Some((asked, min)) if self.spec.keep => {
                        findings.insert(0, diagnose::interval_too_brief(asked, min, true));
                    }
                    // The test's own short interval is no setting of the phone's: only the
                    // registrar's minimum is worth knowing.
                    Some((asked, min)) => diagnose::minimum_noted(&mut findings[0], asked, min),
                    None => {}
                }
                Next::Stop((Some(status), findings))
            }
            401 | 407 => self.on_challenge(status, response, recorder),
            423 => self.on_too_brief(response, recorder),
            300..=399 => {
                let targets: Vec<&str> = response.headers_named("Contact").collect();
                stop(diagnose::redirected(status, reason, &targets.join(", ")))
            }
            403 => stop(diagnose::forbidden(&self.who(), reason)),
            404 | 604 => stop(diagnose::not_found(&self.who())),
            500..=599 => stop(diagnose::server_error(status, reason)),
            _ => stop(diagnose::unexpected(status, reason)),
        }
    }

    fn on_challenge(
        &mut self,
        status: u16,
        response: &SipMessage,
        recorder: &mut Recorder<'_>,
    ) -> Next {
        let headers = auth::headers_for(status);
        let challenge = match auth::pick_challenge(response, headers) {
            Ok(challenge) => challenge,
            Err(problem) => {
                return Next::Stop((Some(status), vec![diagnose::unexpected(status, &problem)]));
            }
        };
        if let Some((previous, _)) = &self.challenge {
            if challenge.stale {
                self.stale_in_a_row += 1;
                if self.stale_in_a_row >= STALE_LIMIT {
                    return Next::Stop((
                        Some(status),
                        vec![diagnose::stale_loop(self.stale_in_a_row)],
                    ));
                }
            } else if previous.realm != challenge.realm {
                let finding =
                    diagnose::realm_mismatch(&previous.realm, &challenge.realm, self.spec.domain());
                return Next::Stop((Some(status), vec![finding]));
            } else {
                let finding = diagnose::credentials_rejected(&self.who(), &challenge.realm);
                return Next::Stop((Some(status), vec![finding]));
            }
        }
        self.answer(challenge, headers, recorder);
        Next::Again
    }

    fn on_too_brief(&mut self, response: &SipMessage, recorder: &mut Recorder<'_>) -> Next {
        let asked = self.expires.unwrap_or(self.spec.expires);
        let header = response.header("Min-Expires");
        let min = header.and_then(|m| m.trim().parse::<u32>().ok());
        let finding = match min {
            Some(min) if self.retried_423.is_none() && min > asked => {
                recorder.emit(SipEvent::Note {
                    text: format!(
                        "423: retrying once with Expires {min} (the registrar's Min-Expires)"
                    ),
                });
                self.retried_423 = Some((asked, min));
                self.expires = Some(min);
                if let Some((challenge, headers)) = self.challenge.take() {
                    self.answer(challenge, headers, recorder);
                }
                return Next::Again;
            }
            Some(min) if min > asked => diagnose::interval_too_brief(asked, min, false),
            _ => diagnose::interval_refused(asked, header),
        };
        Next::Stop((Some(423), vec![finding]))
    }

    /// Computes the answer the next request carries and logs it.
    fn answer(
        &mut self,
        challenge: DigestChallenge,
        headers: AuthHeaders,
        recorder: &mut Recorder<'_>,
    ) {
        let uri = self.dialog.request_uri();
        let (value, step) = auth::answer(
            &challenge,
            headers,
            &AnswerInput {
                step: self.step,
                username: self.spec.digest_user(),
                password: &self.spec.password,
                method: self.spec.method.as_str(),
                uri: &uri,
            },
            &mut self.counter,
        );
        recorder.emit(SipEvent::Digest(step));
        self.authorization = Some((headers.answer, value));
        self.challenge = Some((challenge, headers));
    }
}
