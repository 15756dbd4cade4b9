//! A Gigaset redirect server (`autoprov.*` over XML-RPC, HTTP Basic auth) on a real socket,
//! with the documented semantics and two faults for the tests: 503 after N calls, and a
//! malformed XML-RPC reply.
//!
//! Semantics (seed 002_*): `registerDevice` answers `[true, "OK:<MAC password>"]` (the
//! password is deterministic, see [`mac_password_for`]) or `[false, code]` with `mac_invalid`,
//! `url_invalid`, `name_invalid`, `mac_not_exist` (MACs in [`RedirectSimConfig::unknown_macs`])
//! or `mac_already_in_use`; `deregisterDevice` `[true, "OK"]` or `mac_invalid`/`mac_not_found`;
//! the list calls answer one string per device, codes with `:<value>`, and a first element that
//! is false when any device failed; `listDevices` filters by the providers given (all when
//! none); `checkDevice` answers `[true, MAC, NAME, DATE, URL]` or `[false, code]`.
//!
//! ```no_run
//! use provdesk::secret::Secret;
//! use provdesk::sim::redirect::{RedirectSim, RedirectSimConfig};
//!
//! let config = RedirectSimConfig::new("gigaset", Secret::new("aptest"));
//! let sim = RedirectSim::start_blocking("127.0.0.1:0".parse().unwrap(), config).unwrap();
//! println!("endpoint {}", sim.url());
//! ```

mod methods;
mod registry;

use std::collections::BTreeSet;
use std::convert::Infallible;
use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use base64::prelude::{BASE64_STANDARD, Engine as _};
use http_body_util::{BodyExt as _, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue, WWW_AUTHENTICATE};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::broadcast;

use super::handle::{self, HEADER_READ_TIMEOUT, ServerHandle};

pub use registry::{Registration, mac_password_for};

use crate::secret::Secret;
use registry::Registry;

/// The path the real server answers on.
pub const RPC_PATH: &str = "/apxml/rpc.do";

/// Largest request read: 10 000 MAC-IDs in one list call are about 600 kB.
const MAX_BODY: usize = 16 << 20;

/// What the simulator gets wrong on purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RedirectFault {
    #[default]
    None,
    /// Answers the first N authenticated calls, then `503 Service Unavailable`.
    UnavailableAfter(usize),
    /// Answers every call with `200` and a body that is not XML-RPC.
    Malformed,
}

impl RedirectFault {
    /// `none`, `unavailable-after=N`, `malformed`.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "none" => Some(Self::None),
            "malformed" => Some(Self::Malformed),
            other => other
                .strip_prefix("unavailable-after=")
                .and_then(|n| n.parse().ok())
                .map(Self::UnavailableAfter),
        }
    }
}

/// The account the simulator accepts and its behaviour.
#[derive(Debug, Clone)]
pub struct RedirectSimConfig {
    pub user: String,
    pub password: Secret,
    pub fault: RedirectFault,
    /// MACs (12 hex digits, uppercase) Gigaset "never made": registering them answers
    /// `mac_not_exist`.
    pub unknown_macs: BTreeSet<String>,
    /// Waited before each answer, to model the round trip to prov.gigaset.net over the
    /// internet; loopback alone hides what one call per device costs. Default zero.
    pub latency: Duration,
}

impl RedirectSimConfig {
    pub fn new(user: impl Into<String>, password: Secret) -> Self {
        Self {
            user: user.into(),
            password,
            fault: RedirectFault::None,
            unknown_macs: BTreeSet::new(),
            latency: Duration::ZERO,
        }
    }
}

/// One call as the simulator saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimCall {
    /// The method, or `-` when the request was refused before the XML was read.
    pub method: String,
    /// Devices named in the call (the length of a list call's array); for `listDevices`, the
    /// providers named.
    pub devices: usize,
    pub status: u16,
    /// The XML-RPC fault string, when the call got one.
    pub fault: Option<String>,
}

/// Everything the connections share.
struct Shared {
    latency: Duration,
    user: String,
    password: Secret,
    fault: Mutex<RedirectFault>,
    registry: Mutex<Registry>,
    /// Authenticated calls so far, for [`RedirectFault::UnavailableAfter`].
    calls: Mutex<usize>,
    log: Mutex<Vec<SimCall>>,
    events: broadcast::Sender<SimCall>,
}

impl Shared {
    fn log(&self, call: SimCall) {
        let _ = self.events.send(call.clone());
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(call);
    }

    /// Whether the request carries the account's Basic credentials.
    fn authorised(&self, request: &Request<Incoming>) -> bool {
        let Some(encoded) = request
            .headers()
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Basic "))
        else {
            return false;
        };
        let Some(decoded) = BASE64_STANDARD
            .decode(encoded.trim())
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
        else {
            return false;
        };
        decoded
            .split_once(':')
            .is_some_and(|(user, password)| user == self.user && password == self.password.expose())
    }
}

/// Starts redirect simulators.
pub struct RedirectSim;

impl RedirectSim {
    /// Binds `bind` (port 0 picks a free one) and serves on the current tokio runtime until
    /// [`RunningRedirectSim::shutdown`] or drop.
    pub async fn start(
        bind: SocketAddr,
        config: RedirectSimConfig,
    ) -> io::Result<RunningRedirectSim> {
        let listener = TcpListener::bind(bind).await?;
        let addr = listener.local_addr()?;
        let (events, _) = broadcast::channel(1024);
        let shared = Arc::new(Shared {
            latency: config.latency,
            user: config.user,
            password: config.password,
            fault: Mutex::new(config.fault),
            registry: Mutex::new(Registry::with_unknown_macs(config.unknown_macs)),
            calls: Mutex::new(0),
            log: Mutex::new(Vec::new()),
            events,
        });
        let handlers = methods::handlers(&shared);
        let serving = shared.clone();
        let handle = ServerHandle::serve(listener, "redirect sim", move |stream, _| {
            connection(stream, serving.clone(), handlers.clone())
        });
        tracing::info!(%addr, "redirect sim listening");
        Ok(RunningRedirectSim {
            addr,
            shared,
            handle,
        })
    }

    /// [`start`](Self::start) for code without a runtime: the simulator gets its own, which
    /// lives as long as the [`RunningRedirectSim`]. Refuses inside a runtime, since it blocks.
    pub fn start_blocking(
        bind: SocketAddr,
        config: RedirectSimConfig,
    ) -> io::Result<RunningRedirectSim> {
        handle::start_blocking("redirect-sim", Self::start(bind, config), |running| {
            &mut running.handle
        })
    }
}

/// A simulator that is serving. Stops on [`shutdown`](Self::shutdown) or drop.
pub struct RunningRedirectSim {
    addr: SocketAddr,
    shared: Arc<Shared>,
    handle: ServerHandle,
}

impl std::fmt::Debug for RunningRedirectSim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningRedirectSim")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl RunningRedirectSim {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The endpoint, `http://127.0.0.1:PORT/apxml/rpc.do`; an unspecified bind address becomes
    /// loopback.
    pub fn url(&self) -> String {
        let ip = match self.addr {
            SocketAddr::V4(v4) if v4.ip().is_unspecified() => Ipv4Addr::LOCALHOST.into(),
            SocketAddr::V6(v6) if v6.ip().is_unspecified() => Ipv6Addr::LOCALHOST.into(),
            addr => addr.ip(),
        };
        format!("http://{}{RPC_PATH}", SocketAddr::new(ip, self.addr.port()))
    }

    /// Changes the fault from the next call on; the call count starts again at zero.
    pub fn set_fault(&self, fault: RedirectFault) {
        *self
            .shared
            .fault
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = fault;
        *self
            .shared
            .calls
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = 0;
    }

    /// Every registration, by MAC.
    pub fn registrations(&self) -> Vec<Registration> {
        self.shared
            .registry
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .all()
    }

    /// Every call so far, oldest first.
    pub fn calls(&self) -> Vec<SimCall> {
        self.shared
            .log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Calls as they are answered, for live logs.
    pub fn subscribe(&self) -> broadcast::Receiver<SimCall> {
        self.shared.events.subscribe()
    }

    /// Stops accepting, closes every connection and waits until the server task is gone.
    pub async fn shutdown(mut self) {
        self.handle.shutdown().await;
    }
}

/// One connection: XML-RPC over HTTP/1.1 through hyper.
async fn connection(stream: TcpStream, shared: Arc<Shared>, handlers: dxr_server::HandlerMap) {
    let service = service_fn(move |request| handle(shared.clone(), handlers.clone(), request));
    if let Err(error) = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .serve_connection(TokioIo::new(stream), service)
        .await
    {
        tracing::debug!(%error, "redirect sim: connection ended with an error");
    }
}

fn plain(status: StatusCode, body: &'static str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from_static(body.as_bytes())));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    response
}

/// The answer the malformed fault gives: cut off in the middle of the value.
const MALFORMED: &str =
    "<?xml version=\"1.0\"?><methodResponse><params><param><value><array><data><value><boolean>1";

async fn handle(
    shared: Arc<Shared>,
    handlers: dxr_server::HandlerMap,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    if !shared.latency.is_zero() {
        tokio::time::sleep(shared.latency).await;
    }
    if let Some(response) = refusal(&shared, &request) {
        shared.log(refused(response.status()));
        return Ok(response);
    }
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => String::from_utf8_lossy(&collected.to_bytes()).into_owned(),
        Err(_) => {
            shared.log(refused(StatusCode::PAYLOAD_TOO_LARGE));
            return Ok(plain(
                StatusCode::PAYLOAD_TOO_LARGE,
                "request too large or cut off\n",
            ));
        }
    };
    let (status, headers, answer) = dxr_server::server(handlers, &body, parts.headers).await;
    let mut response = Response::new(Full::new(Bytes::from(answer)));
    *response.status_mut() = status;
    *response.headers_mut() = headers;
    Ok(response)
}

/// A call that is answered without being read, as it is logged.
fn refused(status: StatusCode) -> SimCall {
    SimCall {
        method: "-".into(),
        devices: 0,
        status: status.as_u16(),
        fault: None,
    }
}

/// The answer to a request that is not an authorised call, or that a fault answers instead:
/// another path, no or wrong credentials, the service gone after N calls, a cut-off answer.
fn refusal(shared: &Shared, request: &Request<Incoming>) -> Option<Response<Full<Bytes>>> {
    if request.method() != Method::POST || request.uri().path() != RPC_PATH {
        return Some(plain(
            StatusCode::NOT_FOUND,
            "not found: XML-RPC calls are POSTed to /apxml/rpc.do\n",
        ));
    }
    if !shared.authorised(request) {
        let mut response = plain(StatusCode::UNAUTHORIZED, "authentication required\n");
        response.headers_mut().insert(
            WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"autoprov\""),
        );
        return Some(response);
    }
    let call_number = {
        let mut calls = shared.calls.lock().unwrap_or_else(PoisonError::into_inner);
        *calls += 1;
        *calls
    };
    match *shared.fault.lock().unwrap_or_else(PoisonError::into_inner) {
        RedirectFault::UnavailableAfter(limit) if call_number > limit => Some(plain(
            StatusCode::SERVICE_UNAVAILABLE,
            "<html><body>503 Service Unavailable</body></html>\n",
        )),
        RedirectFault::Malformed => {
            let mut response = plain(StatusCode::OK, MALFORMED);
            response
                .headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static("text/xml"));
            Some(response)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_read_as_the_command_line_writes_them() {
        assert_eq!(RedirectFault::parse("none"), Some(RedirectFault::None));
        assert_eq!(
            RedirectFault::parse("malformed"),
            Some(RedirectFault::Malformed)
        );
        assert_eq!(
            RedirectFault::parse("unavailable-after=3"),
            Some(RedirectFault::UnavailableAfter(3))
        );
        assert_eq!(RedirectFault::parse("unavailable-after=x"), None);
        assert_eq!(RedirectFault::parse("slow"), None);
    }
}
