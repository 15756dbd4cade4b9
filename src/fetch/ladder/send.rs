//! One GET over the wire as the device sends it, with the request, the response (body kept up
//! to the limit) or the transport error emitted as they happen.

use std::time::Instant;

use super::Run;
use crate::fetch::events::{
    Attempt, BodyCut, Event, HeaderLine, ReceivedResponse, SentRequest, TransportKind,
};
use crate::fetch::shown::ShownBody;
use crate::fetch::target::{host_header, request_target, shown_url};
use crate::fetch::tls::error_chain;
use crate::fetch::unreachable::Unreachable;
use crate::secret::MASK;

/// How far past the body limit a body is read (and counted) before the fetch stops reading: an
/// endless body must not keep the fetch busy until the timeout.
const READ_FACTOR: usize = 4;

impl Run<'_, '_> {
    /// Sends one GET, emits the request and the response (or the transport error).
    pub(super) async fn send(
        &mut self,
        step: usize,
        attempt: Attempt,
        url: &reqwest::Url,
        authorization: Option<String>,
    ) -> Option<ReceivedResponse> {
        let user_agent = self.plan.user_agent.clone();
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
        match request.send().await {
            Ok(response) => Some(self.receive(step, sent_at, response).await),
            Err(error) => {
                self.transport_error(step, &error);
                None
            }
        }
    }

    /// Reads the response's headers and body and emits it.
    async fn receive(
        &mut self,
        step: usize,
        sent_at: Instant,
        mut response: reqwest::Response,
    ) -> ReceivedResponse {
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
        let announced = response.content_length();
        let (body, body_size, mut incomplete) = self.read_body(step, &mut response).await;
        if incomplete.is_none()
            && let Some(announced) = announced.filter(|&a| a > body_size as u64)
        {
            self.log.note(
                Some(step),
                format!("The body ended after {body_size} of the {announced} bytes its Content-Length announced."),
            );
            incomplete = Some(BodyCut::Short { announced });
        }
        let mut received = ReceivedResponse {
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
            incomplete,
            shown: ShownBody::default(),
        };
        let content_type = received.header("content-type");
        let secrets = self.known_secrets();
        received.shown = match received.cut_note() {
            Some(note) => ShownBody::cut(&received.body, content_type, &note, &secrets),
            None => ShownBody::new(&received.body, content_type, &secrets),
        };
        self.log.push(Event::Response(received.clone()));
        received
    }

    /// The body up to the limit, and the size of all of it; a body that breaks off, does not
    /// arrive within the timeout or runs past [`READ_FACTOR`] times the limit is noted. Past
    /// the limit bytes are counted, not kept; past the read bound the fetch stops reading.
    async fn read_body(
        &mut self,
        step: usize,
        response: &mut reqwest::Response,
    ) -> (Vec<u8>, usize, Option<BodyCut>) {
        let limit = self.spec.body_limit;
        let read_bound = limit.saturating_mul(READ_FACTOR);
        let mut body = Vec::new();
        let mut body_size = 0;
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    body_size += chunk.len();
                    let room = limit.saturating_sub(body.len());
                    body.extend_from_slice(&chunk[..chunk.len().min(room)]);
                    if body_size > read_bound {
                        self.log.note(
                            Some(step),
                            format!(
                                "The body is larger than {read_bound} bytes ({READ_FACTOR} × the {limit}-byte limit kept): provdesk stopped reading there. A device would not load a file that large."
                            ),
                        );
                        return (
                            body,
                            body_size,
                            Some(BodyCut::TooLarge { bound: read_bound }),
                        );
                    }
                }
                Ok(None) => return (body, body_size, None),
                Err(error) => {
                    let chain = error_chain(&error);
                    let timed_out = error.is_timeout() || chain.contains("timed out");
                    let text = if timed_out {
                        format!(
                            "The body did not arrive within {} s: {body_size} bytes came ({chain}).",
                            self.spec.timeout.as_secs_f32(),
                        )
                    } else {
                        format!("The body broke off after {body_size} bytes: {chain}")
                    };
                    self.log.note(Some(step), text);
                    let cut = if timed_out {
                        BodyCut::TimedOut
                    } else {
                        BodyCut::BrokeOff
                    };
                    return (body, body_size, Some(cut));
                }
            }
        }
    }

    fn transport_error(&mut self, step: usize, error: &reqwest::Error) {
        // reqwest quotes the URL in its message: shortened, like every URL a message shows.
        let mut message = error_chain(error);
        if let Some(url) = error.url().map(reqwest::Url::as_str) {
            let shown = shown_url(url);
            if shown != url {
                message = message.replace(url, &shown);
            }
        }
        // Builder and protocol errors first: they are typed, while the TLS test also reads
        // the message, which quotes the URL.
        let kind = if error.is_builder() {
            TransportKind::NotSent
        } else if is_protocol_error(error) {
            TransportKind::Protocol
        } else if is_closed_unanswered(error) {
            TransportKind::Closed
        } else if is_tls_error(error) {
            TransportKind::Tls
        } else if error.is_timeout() {
            TransportKind::Timeout
        } else if error.is_connect() {
            match Unreachable::of(error) {
                Some(Unreachable::NameNotFound) => TransportKind::NameNotFound,
                Some(Unreachable::Refused) => TransportKind::Refused,
                Some(Unreachable::NoRoute) | None => TransportKind::Connect,
            }
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

/// A Basic header carries the password in base64: logged masked.
fn mask_basic(value: &str) -> String {
    if value.len() > 6 && value[..6].eq_ignore_ascii_case("basic ") {
        format!("Basic {MASK}")
    } else {
        value.to_string()
    }
}

/// hyper could not parse the answer: the server replied, but not with valid HTTP/1.
fn is_protocol_error(error: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(cause) = source {
        if cause
            .downcast_ref::<hyper::Error>()
            .is_some_and(hyper::Error::is_parse)
        {
            return true;
        }
        source = cause.source();
    }
    false
}

/// The server hung up after the connection was made: hyper's "connection closed before
/// message completed", or a reset once connected (a server that closes with the request
/// unread resets the connection). A reset while connecting stays a connection failure.
fn is_closed_unanswered(error: &reqwest::Error) -> bool {
    use std::io::ErrorKind;
    if error.is_connect() {
        return false;
    }
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(cause) = source {
        if cause
            .downcast_ref::<hyper::Error>()
            .is_some_and(hyper::Error::is_incomplete_message)
            || cause.downcast_ref::<std::io::Error>().is_some_and(|io| {
                matches!(
                    io.kind(),
                    ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted
                )
            })
        {
            return true;
        }
        source = cause.source();
    }
    false
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

    #[test]
    fn basic_headers_are_logged_masked() {
        assert_eq!(mask_basic("Basic dTpw"), "Basic ••••••");
        assert_eq!(mask_basic("Digest username=\"u\""), "Digest username=\"u\"");
    }
}
