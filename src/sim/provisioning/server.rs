//! Sockets: accept connections, do the TLS handshake, hand each connection to hyper.

use std::net::SocketAddr;
use std::sync::Arc;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::TlsAcceptor;

use super::handler::{Peer, Shared, handle};
use super::tls::subject_common_name;
use crate::sim::HEADER_READ_TIMEOUT;

/// One connection: the TLS handshake when serving HTTPS (noting the client certificate's CN),
/// then HTTP/1.1 through hyper.
pub(super) async fn connection(
    stream: TcpStream,
    addr: SocketAddr,
    tls: Option<TlsAcceptor>,
    shared: Arc<Shared>,
) {
    match tls {
        None => {
            let peer = Peer {
                addr,
                client_cert_cn: None,
            };
            serve(stream, peer, shared).await;
        }
        Some(acceptor) => match acceptor.accept(stream).await {
            Ok(stream) => {
                let client_cert_cn = stream
                    .get_ref()
                    .1
                    .peer_certificates()
                    .and_then(|chain| chain.first())
                    .and_then(|cert| subject_common_name(cert));
                serve(
                    stream,
                    Peer {
                        addr,
                        client_cert_cn,
                    },
                    shared,
                )
                .await;
            }
            Err(error) => tracing::info!(%addr, %error, "provisioning sim: TLS handshake failed"),
        },
    }
}

async fn serve<Io>(io: Io, peer: Peer, shared: Arc<Shared>)
where
    Io: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let peer = Arc::new(peer);
    let service = service_fn(move |request| handle(shared.clone(), peer.clone(), request));
    if let Err(error) = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .serve_connection(TokioIo::new(io), service)
        .await
    {
        tracing::debug!(%error, "provisioning sim: connection ended with an error");
    }
}
