//! A SIP registrar simulator over UDP and TCP (and TLS with the simulator's test
//! certificate), with the fault modes installers meet: a realm that changes, nonces that are
//! always stale, 423 with `Min-Expires`, 403, 404, a proxy's 407, a 500, and silence. A wrong
//! password needs no fault: the user table refuses it, as a real registrar does.

mod answer;
mod serve;

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::{TcpListener, UdpSocket};
use tokio::task::JoinHandle;

use super::handle::{self, ServerHandle};
use super::provisioning::SimTls;
use crate::digest::Algorithm;
use crate::secret::Secret;

pub use answer::Registrar;

/// What goes wrong on purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RegistrarFault {
    #[default]
    None,
    /// After an answer, challenges again for another realm.
    WrongRealm,
    /// Calls every answer's nonce stale, for ever.
    StaleLoop,
    /// 423 while `Expires` is below `min_expires`.
    TooBrief { min_expires: u32 },
    /// 403 after a valid answer.
    Forbidden,
    /// 404 to every REGISTER: the user or domain is unknown.
    NotFound,
    /// Never answers anything.
    Silence,
    /// 500 to every REGISTER: the registrar's database is down.
    ServerError,
    /// Challenges as a proxy: 407 with `Proxy-Authenticate`.
    ProxyAuth,
}

impl fmt::Display for RegistrarFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegistrarFault::None => f.write_str("none"),
            RegistrarFault::WrongRealm => f.write_str("wrong-realm"),
            RegistrarFault::StaleLoop => f.write_str("stale-loop"),
            RegistrarFault::TooBrief { min_expires } => {
                write!(f, "too-brief (Min-Expires {min_expires})")
            }
            RegistrarFault::Forbidden => f.write_str("forbidden"),
            RegistrarFault::NotFound => f.write_str("not-found"),
            RegistrarFault::Silence => f.write_str("silence"),
            RegistrarFault::ServerError => f.write_str("server-error"),
            RegistrarFault::ProxyAuth => f.write_str("proxy-auth"),
        }
    }
}

/// The registrar's realm, users and fault.
#[derive(Debug, Clone)]
pub struct RegistrarConfig {
    pub realm: String,
    /// `(user, password)`: the digest user names it knows.
    pub users: Vec<(String, Secret)>,
    pub algorithm: Algorithm,
    pub fault: RegistrarFault,
    /// Also serve TLS with these certificates.
    pub tls: Option<SimTls>,
}

impl Default for RegistrarConfig {
    /// Realm `provdesk.test`, user 1001 with password `secret1001`, MD5, no fault.
    fn default() -> Self {
        Self {
            realm: "provdesk.test".to_string(),
            users: vec![("1001".to_string(), Secret::new("secret1001"))],
            algorithm: Algorithm::Md5,
            fault: RegistrarFault::None,
            tls: None,
        }
    }
}

/// Starts registrar simulators.
pub struct RegistrarSim;

impl RegistrarSim {
    /// Binds UDP and TCP (and TLS) on `ip` with free ports and serves on the current runtime
    /// until the [`RunningRegistrar`] is dropped.
    pub async fn start(
        ip: std::net::IpAddr,
        config: RegistrarConfig,
    ) -> io::Result<RunningRegistrar> {
        let acceptor = config.tls.as_ref().map(SimTls::acceptor).transpose()?;
        let registrar = Arc::new(Registrar::new(config));
        let udp = UdpSocket::bind(SocketAddr::new(ip, 0)).await?;
        let udp_addr = udp.local_addr()?;
        let udp_task = tokio::spawn(serve::udp(udp, registrar.clone()));
        let tcp = TcpListener::bind(SocketAddr::new(ip, 0)).await?;
        let tcp_addr = tcp.local_addr()?;
        let serving = registrar.clone();
        let tcp_handle = ServerHandle::serve(tcp, "registrar sim", move |stream, peer| {
            serve::stream(stream, peer, serving.clone())
        });
        let (tls_addr, tls_handle) = match acceptor {
            Some(acceptor) => {
                let listener = TcpListener::bind(SocketAddr::new(ip, 0)).await?;
                let addr = listener.local_addr()?;
                let serving = registrar.clone();
                let handle =
                    ServerHandle::serve(listener, "registrar sim (TLS)", move |stream, peer| {
                        serve::tls(stream, peer, acceptor.clone(), serving.clone())
                    });
                (Some(addr), Some(handle))
            }
            None => (None, None),
        };
        tracing::info!(%udp_addr, %tcp_addr, fault = %registrar.config.fault, "registrar sim listening");
        Ok(RunningRegistrar {
            registrar,
            udp: udp_addr,
            tcp: tcp_addr,
            tls: tls_addr,
            udp_task,
            _tls_serving: tls_handle,
            tcp_handle,
        })
    }

    /// [`start`](Self::start) for code without a runtime (plain `#[test]`s, the CLI).
    pub fn start_blocking(
        ip: std::net::IpAddr,
        config: RegistrarConfig,
    ) -> io::Result<RunningRegistrar> {
        handle::start_blocking("registrar-sim", Self::start(ip, config), |running| {
            &mut running.tcp_handle
        })
    }
}

/// A serving registrar simulator. Stops on drop.
#[derive(Debug)]
pub struct RunningRegistrar {
    /// The UDP address.
    pub udp: SocketAddr,
    /// The TCP address.
    pub tcp: SocketAddr,
    /// The TLS address, when serving TLS.
    pub tls: Option<SocketAddr>,
    registrar: Arc<Registrar>,
    udp_task: JoinHandle<()>,
    _tls_serving: Option<ServerHandle>,
    tcp_handle: ServerHandle,
}

impl RunningRegistrar {
    /// The contacts bound to `user` now: what a client's test left behind.
    pub fn bindings(&self, user: &str) -> Vec<String> {
        self.registrar.bindings(user)
    }
}

impl Drop for RunningRegistrar {
    fn drop(&mut self) {
        self.udp_task.abort();
    }
}
