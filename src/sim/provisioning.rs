//! A provisioning server that protects configuration files with HTTP Digest the way lighttpd
//! and Apache do, over a real socket, plus one fault mode for each failure the test fetch
//! must diagnose.
//!
//! ```no_run
//! use provdesk::secret::Secret;
//! use provdesk::sim::provisioning::{ProvisioningSim, SimConfig, SimUser};
//!
//! let mut config = SimConfig::default();
//! config.users.push(SimUser::password("7C2F80820EC0", Secret::new("2EE3EECC82C4")));
//! config.files.insert("/7C2F80820EC0.xml".into(), b"<ProviderFrame/>".to_vec());
//! let sim = ProvisioningSim::start_blocking("127.0.0.1:0".parse().unwrap(), config).unwrap();
//! println!("fetch {}", sim.url("/7C2F80820EC0.xml"));
//! ```

mod auth;
mod fault;
mod files;
mod handler;
mod server;
mod tls;
mod users;

use std::collections::{BTreeMap, VecDeque};
use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use super::handle::{self, ServerHandle};
use tokio::net::TcpListener;
use tokio::sync::broadcast;

pub use fault::{DEFAULT_LOCKOUT_AFTER, Fault, LOCKOUT_SECONDS};
pub use tls::{SimTls, TEST_CA_PEM};
pub use users::{HtdigestError, SimUser};

use crate::device::{Recognition, recognize_user_agent};
use crate::digest::{Algorithm, Qop};
use auth::Authenticator;
use handler::Shared;

/// How the simulator behaves. Start from [`SimConfig::default`] and change what matters.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Default `provdesk-sim`.
    pub realm: String,
    /// Offered one challenge each, in this order (put the strongest first, as lighttpd
    /// does). Default `[MD5]`.
    pub algorithms: Vec<Algorithm>,
    /// Empty means RFC 2069: no qop. Default `[auth]`.
    pub qop: Vec<Qop>,
    pub users: Vec<SimUser>,
    /// Request path (query ignored) → body, matched exactly.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Or serve the files of this folder, confined to it.
    pub dir: Option<PathBuf>,
    /// A correct answer with an older nonce gets `401 stale=true`. Default 300 s (Apache).
    pub nonce_lifetime: Duration,
    pub fault: Fault,
    /// Serve HTTPS.
    pub tls: Option<SimTls>,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            realm: "provdesk-sim".into(),
            algorithms: vec![Algorithm::Md5],
            qop: vec![Qop::Auth],
            users: Vec::new(),
            files: BTreeMap::new(),
            dir: None,
            nonce_lifetime: Duration::from_secs(300),
            fault: Fault::None,
            tls: None,
        }
    }
}

/// One request as the simulator saw it, and what it answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedRequest {
    pub peer: SocketAddr,
    pub method: String,
    /// The request-target exactly as received.
    pub target: String,
    /// Names lower-case. A digest `Authorization` is kept as sent (it holds no password);
    /// Basic credentials are masked.
    pub headers: Vec<(String, String)>,
    /// `None` when the simulator never answered ([`Fault::Timeout`]).
    pub status: Option<u16>,
    /// Why this status, e.g. `wrong response (password)` or `nonce expired`.
    pub why: String,
    /// The subject CN of the client certificate, with mutual TLS.
    pub client_cert_cn: Option<String>,
}

impl LoggedRequest {
    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The phone its User-Agent names, when it names one of the catalogue.
    pub fn phone(&self) -> Option<Recognition> {
        self.header("user-agent").and_then(recognize_user_agent)
    }
}

/// Starts simulators.
pub struct ProvisioningSim;

impl ProvisioningSim {
    /// Binds `bind` (port 0 picks a free one) and serves on the current tokio runtime until
    /// [`RunningSim::shutdown`] or drop. Errors name a bad configuration (no algorithm,
    /// unreadable folder or certificates) as `InvalidInput`.
    pub async fn start(bind: SocketAddr, config: SimConfig) -> io::Result<RunningSim> {
        if config.algorithms.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "offer at least one digest algorithm",
            ));
        }
        let dir = config
            .dir
            .as_ref()
            .map(|dir| {
                dir.canonicalize()
                    .ok()
                    .filter(|canonical| canonical.is_dir())
                    .ok_or_else(|| {
                        io::Error::new(
                            io::ErrorKind::InvalidInput,
                            format!("{} is not a readable folder", dir.display()),
                        )
                    })
            })
            .transpose()?;
        let tls = config.tls.as_ref().map(SimTls::acceptor).transpose()?;
        let listener = TcpListener::bind(bind).await?;
        let addr = listener.local_addr()?;
        let scheme = if tls.is_some() { "https" } else { "http" };
        let (events, _) = broadcast::channel(256);
        let shared = Arc::new(Shared {
            auth: Authenticator::new(
                config.realm,
                config.algorithms,
                config.qop,
                config.users,
                config.nonce_lifetime,
                config.fault,
            ),
            fault: config.fault,
            files: config.files,
            dir,
            scheme,
            port: addr.port(),
            state: Mutex::default(),
            log: Mutex::new(VecDeque::new()),
            events,
        });
        let serving = shared.clone();
        let handle = ServerHandle::serve(listener, "provisioning sim", move |stream, peer| {
            server::connection(stream, peer, tls.clone(), serving.clone())
        });
        tracing::info!(%addr, fault = %config.fault, "provisioning sim listening");
        Ok(RunningSim {
            addr,
            scheme,
            shared,
            handle,
        })
    }

    /// [`start`](Self::start) for code without a runtime (plain `#[test]`s, the CLI): the
    /// simulator gets its own one-thread runtime, which lives as long as the [`RunningSim`].
    /// Inside an async context, use [`start`](Self::start): this refuses, since it blocks.
    pub fn start_blocking(bind: SocketAddr, config: SimConfig) -> io::Result<RunningSim> {
        handle::start_blocking("provisioning-sim", Self::start(bind, config), |running| {
            &mut running.handle
        })
    }
}

/// A simulator that is serving. Stops on [`shutdown`](Self::shutdown) or drop.
#[derive(Debug)]
pub struct RunningSim {
    addr: SocketAddr,
    scheme: &'static str,
    shared: Arc<Shared>,
    handle: ServerHandle,
}

impl RunningSim {
    /// The address actually bound (the real port when asked for port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT/path` (`https://` with TLS); an unspecified bind address
    /// becomes loopback.
    pub fn url(&self, path: &str) -> String {
        let ip = match self.addr {
            SocketAddr::V4(v4) if v4.ip().is_unspecified() => Ipv4Addr::LOCALHOST.into(),
            SocketAddr::V6(v6) if v6.ip().is_unspecified() => Ipv6Addr::LOCALHOST.into(),
            addr => addr.ip(),
        };
        let slash = if path.starts_with('/') { "" } else { "/" };
        format!(
            "{}://{}{slash}{path}",
            self.scheme,
            SocketAddr::new(ip, self.addr.port())
        )
    }

    /// Every request so far (the latest 10 000), oldest first.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        let log = self
            .shared
            .log
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        log.iter().cloned().collect()
    }

    /// Requests as they are answered (a `timeout` request when it is read), for live logs.
    pub fn subscribe(&self) -> broadcast::Receiver<LoggedRequest> {
        self.shared.events.subscribe()
    }

    /// Stops accepting, closes every connection and waits until the server task is gone.
    pub async fn shutdown(mut self) {
        self.handle.shutdown().await;
    }
}
