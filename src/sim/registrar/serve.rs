//! The registrar simulator's sockets: one UDP loop, and a task per TCP or TLS connection that
//! cuts the stream into messages by `Content-Length`.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpStream, UdpSocket};
use tokio_rustls::TlsAcceptor;

use super::Registrar;
use crate::sim::HEADER_READ_TIMEOUT;
use crate::sip::{MAX_MESSAGE, message_length, parse_message};

/// Answers datagrams until the task is aborted.
pub async fn udp(socket: UdpSocket, registrar: Arc<Registrar>) {
    let mut datagram = vec![0u8; MAX_MESSAGE];
    loop {
        let Ok((length, peer)) = socket.recv_from(&mut datagram).await else {
            continue;
        };
        let Ok(request) = parse_message(&datagram[..length]) else {
            continue;
        };
        if let Some(response) = registrar.answer(&request, peer) {
            let _ = socket.send_to(&response, peer).await;
        }
    }
}

/// Serves one TCP connection.
pub async fn stream(stream: TcpStream, peer: SocketAddr, registrar: Arc<Registrar>) {
    messages(stream, peer, &registrar).await;
}

/// Serves one TLS connection after its handshake.
pub async fn tls(
    stream: TcpStream,
    peer: SocketAddr,
    acceptor: TlsAcceptor,
    registrar: Arc<Registrar>,
) {
    if let Ok(Ok(stream)) = tokio::time::timeout(HEADER_READ_TIMEOUT, acceptor.accept(stream)).await
    {
        messages(stream, peer, &registrar).await;
    }
}

/// Reads messages until the client closes, stops sending for a while, or sends garbage.
async fn messages<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: S,
    peer: SocketAddr,
    registrar: &Registrar,
) {
    let mut buffer = Vec::new();
    loop {
        match message_length(&buffer) {
            Ok(Some(length)) => {
                let bytes: Vec<u8> = buffer.drain(..length).collect();
                let Ok(request) = parse_message(&bytes) else {
                    return;
                };
                if let Some(response) = registrar.answer(&request, peer)
                    && stream.write_all(&response).await.is_err()
                {
                    return;
                }
                continue;
            }
            Ok(None) => {}
            Err(_) => return,
        }
        let mut chunk = [0u8; 4096];
        match tokio::time::timeout(HEADER_READ_TIMEOUT, stream.read(&mut chunk)).await {
            Ok(Ok(count)) if count > 0 => buffer.extend_from_slice(&chunk[..count]),
            _ => return,
        }
    }
}
