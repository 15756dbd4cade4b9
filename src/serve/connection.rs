//! One connection, before and around its requests: how many one address may hold, the TLS
//! handshake when serving HTTPS, then HTTP/1.1 through hyper; and the live log's line when a
//! connection ends before a request could be read.

use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, PoisonError};

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::TlsAcceptor;

use super::CONNECTIONS_PER_CLIENT;
use super::event::{ServeEvent, Verdict, now_at};
use super::handler::{Shared, handle};
use super::stall::WriteDeadline;
use crate::printable::printable;
use crate::sim::HEADER_READ_TIMEOUT;

/// A connection from `peer`. Counted at once, in the order the connections were accepted:
/// beyond [`CONNECTIONS_PER_CLIENT`] from one address the connection is closed unanswered, so
/// one machine on the LAN cannot take every connection the server serves at once and keep the
/// phones waiting.
pub(super) fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    tls: Option<TlsAcceptor>,
    shared: Arc<Shared>,
) -> impl Future<Output = ()> + Send + 'static {
    let counted = Counted::open(&shared, peer.ip());
    async move {
        match counted {
            Ok(_counted) => serve(stream, peer, tls, shared).await,
            Err(open) => {
                let verdict = Verdict::TooManyConnections { open };
                connection_event(&shared, peer, verdict, 0).await;
                drop(stream);
            }
        }
    }
}

/// The first byte tells a TLS handshake from plain HTTP, so a phone whose URL has the wrong
/// scheme is named in the live log instead of vanishing into a failed parse or handshake. The
/// TLS handshake has the time hyper gives a request's head: a client that connects and never
/// finishes it would otherwise hold its connection for as long as the server runs.
async fn serve(stream: TcpStream, peer: SocketAddr, tls: Option<TlsAcceptor>, shared: Arc<Shared>) {
    let Some(first) = first_byte(&stream).await else {
        return;
    };
    let acceptor = match tls {
        None if first == TLS_HANDSHAKE => {
            return connection_event(&shared, peer, Verdict::TlsOnPlainPort, 0).await;
        }
        None => return http(stream, peer, shared).await,
        Some(_) if first.is_ascii_uppercase() => {
            return connection_event(&shared, peer, Verdict::PlainOnTlsPort, 0).await;
        }
        Some(acceptor) => acceptor,
    };
    match tokio::time::timeout(HEADER_READ_TIMEOUT, acceptor.accept(stream)).await {
        Ok(Ok(stream)) => http(stream, peer, shared).await,
        Ok(Err(error)) => {
            let why = printable(&error.to_string(), 200);
            connection_event(&shared, peer, Verdict::TlsFailed { why }, 0).await;
        }
        Err(_) => tracing::info!(%peer, "provdesk serve: no TLS handshake in time, closed"),
    }
}

/// The record type a TLS ClientHello starts with (handshake).
const TLS_HANDSHAKE: u8 = 0x16;

/// The connection's first byte, left for whoever reads next; `None` when the client closes
/// or sends nothing within the time a request head has.
async fn first_byte(stream: &TcpStream) -> Option<u8> {
    let mut byte = [0u8; 1];
    match tokio::time::timeout(HEADER_READ_TIMEOUT, stream.peek(&mut byte)).await {
        Ok(Ok(1)) => Some(byte[0]),
        _ => None,
    }
}

async fn http<Io>(io: Io, peer: SocketAddr, shared: Arc<Shared>)
where
    Io: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let shared_for_log = shared.clone();
    let service = service_fn(move |request| handle(shared.clone(), peer, request));
    // half_close: a client may shut its sending side once its request is out; without it
    // hyper takes that end of input for a hang-up and drops the request unanswered.
    if let Err(error) = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .half_close(true)
        .serve_connection(
            TokioIo::new(WriteDeadline::new(io, HEADER_READ_TIMEOUT)),
            service,
        )
        .await
    {
        if error.is_parse() {
            let verdict = Verdict::NotHttp {
                why: error.to_string(),
            };
            connection_event(&shared_for_log, peer, verdict, unreadable_status(&error)).await;
        }
        tracing::debug!(%error, "provdesk serve: connection ended with an error");
    }
}

/// The status hyper answered an unreadable request head with: it tells a long URI from a long
/// head only in its message, and sends nothing to an HTTP/2 preface.
fn unreadable_status(error: &hyper::Error) -> u16 {
    if error.is_parse_version_h2() {
        0
    } else if error.is_parse_too_large() {
        if error.to_string().contains("URI") {
            414
        } else {
            431
        }
    } else {
        400
    }
}

/// The live log's line for a connection that ended before a request could be read, with the
/// status answered (0 for none).
async fn connection_event(shared: &Shared, peer: SocketAddr, verdict: Verdict, status: u16) {
    let event = ServeEvent {
        at: now_at(),
        client: peer,
        method: "-".into(),
        target: "-".into(),
        device: None,
        model: None,
        firmware: None,
        user: None,
        verdict,
        status,
        bytes: 0,
        millis: 0,
        note: None,
    };
    let _ = shared.events.send(event).await;
}

/// One open connection of a client address, uncounted when dropped.
struct Counted {
    shared: Arc<Shared>,
    ip: IpAddr,
}

impl Counted {
    /// Counts a connection from `ip`; `Err` with the number already open when that is the most
    /// one address may hold.
    fn open(shared: &Arc<Shared>, ip: IpAddr) -> Result<Self, usize> {
        let mut open = shared.open.lock().unwrap_or_else(PoisonError::into_inner);
        let count = open.entry(ip).or_insert(0);
        if *count >= CONNECTIONS_PER_CLIENT {
            return Err(*count);
        }
        *count += 1;
        Ok(Self {
            shared: shared.clone(),
            ip,
        })
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        let mut open = self
            .shared
            .open
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = open.get_mut(&self.ip) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.ip);
            }
        }
    }
}
