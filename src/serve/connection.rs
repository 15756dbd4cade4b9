//! One connection, before and around its requests: how many one address may hold, the TLS
//! handshake when serving HTTPS, then HTTP/1.1 through hyper.

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
use super::event::{ServeEvent, Verdict};
use super::handler::{Shared, handle};
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
                closed_unanswered(&shared, peer, verdict).await;
                drop(stream);
            }
        }
    }
}

/// The TLS handshake has the time hyper gives a request's head: a client that connects and
/// never finishes it would otherwise hold its connection for as long as the server runs.
async fn serve(stream: TcpStream, peer: SocketAddr, tls: Option<TlsAcceptor>, shared: Arc<Shared>) {
    let Some(acceptor) = tls else {
        return http(stream, peer, shared).await;
    };
    match tokio::time::timeout(HEADER_READ_TIMEOUT, acceptor.accept(stream)).await {
        Ok(Ok(stream)) => http(stream, peer, shared).await,
        Ok(Err(error)) => tracing::info!(%peer, %error, "provdesk serve: TLS handshake failed"),
        Err(_) => tracing::info!(%peer, "provdesk serve: no TLS handshake in time, closed"),
    }
}

async fn http<Io>(io: Io, peer: SocketAddr, shared: Arc<Shared>)
where
    Io: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = service_fn(move |request| handle(shared.clone(), peer, request));
    if let Err(error) = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .serve_connection(TokioIo::new(io), service)
        .await
    {
        tracing::debug!(%error, "provdesk serve: connection ended with an error");
    }
}

/// The live log's line for a connection that ended before any request could be answered.
async fn closed_unanswered(shared: &Shared, peer: SocketAddr, verdict: Verdict) {
    let event = ServeEvent {
        at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        client: peer,
        method: "-".into(),
        target: "-".into(),
        device: None,
        model: None,
        firmware: None,
        user: None,
        verdict,
        status: 0,
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
