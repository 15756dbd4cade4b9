//! The socket a SIP test talks over: a connected UDP socket (so the kernel picks, and tells
//! us, the local address the registrar sees: `Via` and `Contact` carry it), or a TCP or TLS
//! stream cut into messages by `Content-Length`.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpStream, UdpSocket};
use tokio_rustls::client::TlsStream;

use super::parse::{MAX_MESSAGE, ParseError, SipMessage, message_length, parse_message};
use super::spec::SipTlsOptions;
use super::tls;
use crate::device::SipTransport;

/// Why the socket could not be opened.
#[derive(Debug)]
pub enum OpenError {
    Connect(io::Error),
    Timeout,
    Tls(String),
}

/// What one read gave.
#[derive(Debug)]
pub enum Incoming {
    Message(SipMessage),
    /// Bytes that are not a SIP message, with why.
    Unreadable(ParseError),
    /// UDP: the host answered ICMP port unreachable to an earlier send.
    Refused,
}

/// An open connection to the registrar.
#[derive(Debug)]
pub enum Link {
    Udp(UdpSocket),
    Tcp(TcpStream, Vec<u8>),
    Tls(Box<TlsStream<TcpStream>>, Vec<u8>),
}

impl Link {
    /// Opens a socket to `remote`; `host` is the name a TLS certificate must carry.
    pub async fn open(
        transport: SipTransport,
        remote: SocketAddr,
        host: &str,
        connect_timeout: Duration,
        tls_options: &SipTlsOptions,
    ) -> Result<Link, OpenError> {
        if transport == SipTransport::Udp {
            let any: SocketAddr = if remote.is_ipv6() {
                "[::]:0".parse().expect("literal")
            } else {
                "0.0.0.0:0".parse().expect("literal")
            };
            let socket = UdpSocket::bind(any).await.map_err(OpenError::Connect)?;
            socket.connect(remote).await.map_err(OpenError::Connect)?;
            return Ok(Link::Udp(socket));
        }
        let stream = tokio::time::timeout(connect_timeout, TcpStream::connect(remote))
            .await
            .map_err(|_| OpenError::Timeout)?
            .map_err(OpenError::Connect)?;
        let _ = stream.set_nodelay(true);
        if transport == SipTransport::Tcp {
            return Ok(Link::Tcp(stream, Vec::new()));
        }
        let connector = tls::connector(tls_options).map_err(|e| OpenError::Tls(e.to_string()))?;
        let name = tls::server_name(host).map_err(|e| OpenError::Tls(e.to_string()))?;
        let stream = tokio::time::timeout(connect_timeout, connector.connect(name, stream))
            .await
            .map_err(|_| OpenError::Tls("the TLS handshake timed out".to_string()))?
            .map_err(|e| OpenError::Tls(e.to_string()))?;
        Ok(Link::Tls(Box::new(stream), Vec::new()))
    }

    /// The local address the registrar sees us at (before any NAT).
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        match self {
            Link::Udp(socket) => socket.local_addr(),
            Link::Tcp(stream, _) => stream.local_addr(),
            Link::Tls(stream, _) => stream.get_ref().0.local_addr(),
        }
    }

    /// Sends `bytes`. `Ok(true)`: over UDP the host had answered an earlier send with ICMP
    /// port unreachable, which surfaces here instead of at the next receive; the caller counts
    /// it as a refusal.
    pub async fn send(&mut self, bytes: &[u8]) -> io::Result<bool> {
        match self {
            Link::Udp(socket) => match socket.send(bytes).await {
                Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => Ok(true),
                other => other.map(|_| false),
            },
            Link::Tcp(stream, _) => stream.write_all(bytes).await.map(|()| false),
            Link::Tls(stream, _) => stream.write_all(bytes).await.map(|()| false),
        }
    }

    /// Waits for the next message. Cancel-safe for UDP; a stream keeps what it has read in
    /// its buffer, so a timeout around this loses nothing.
    pub async fn receive(&mut self) -> io::Result<Incoming> {
        match self {
            Link::Udp(socket) => {
                let mut datagram = vec![0u8; MAX_MESSAGE];
                match socket.recv(&mut datagram).await {
                    Ok(length) => Ok(read(&datagram[..length])),
                    Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => Ok(Incoming::Refused),
                    Err(e) => Err(e),
                }
            }
            Link::Tcp(stream, buffer) => read_stream(stream, buffer).await,
            Link::Tls(stream, buffer) => read_stream(stream.as_mut(), buffer).await,
        }
    }
}

fn read(bytes: &[u8]) -> Incoming {
    match parse_message(bytes) {
        Ok(message) => Incoming::Message(message),
        Err(error) => Incoming::Unreadable(error),
    }
}

/// Cuts the next message from a stream. A message that cannot be framed (no end of its head
/// within [`MAX_MESSAGE`], a `Content-Length` too large or unreadable) or a connection closed
/// in the middle of one leaves the stream with no known message boundary, so it is an
/// [`io::ErrorKind::InvalidData`] error that ends the test, not bytes to skip.
async fn read_stream<S: AsyncReadExt + Unpin>(
    stream: &mut S,
    buffer: &mut Vec<u8>,
) -> io::Result<Incoming> {
    loop {
        match message_length(buffer) {
            Ok(Some(length)) => {
                let message: Vec<u8> = buffer.drain(..length).collect();
                return Ok(read(&message));
            }
            Ok(None) => {}
            Err(error) => {
                buffer.clear();
                return Err(io::Error::new(io::ErrorKind::InvalidData, error));
            }
        }
        let mut chunk = [0u8; 4096];
        let count = stream.read(&mut chunk).await?;
        if count == 0 {
            return Err(closed(buffer.len()));
        }
        buffer.extend_from_slice(&chunk[..count]);
    }
}

/// The error of a stream the registrar closed, `pending` bytes into a message.
fn closed(pending: usize) -> io::Error {
    if pending == 0 {
        return io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "the registrar closed the connection without answering",
        );
    }
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!(
            "the registrar closed the connection in the middle of an answer ({pending} bytes \
             of it came)"
        ),
    )
}
