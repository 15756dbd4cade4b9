//! One HTTP request in, one answer out: faults that act before authentication, then the
//! authenticator's verdict, then the file.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use http_body_util::{BodyExt as _, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{
    AUTHORIZATION, CONTENT_TYPE, HOST, HeaderMap, LOCATION, RETRY_AFTER, WWW_AUTHENTICATE,
};
use hyper::{Request, Response, StatusCode};
use tokio::sync::broadcast;

use super::LoggedRequest;
use super::auth::{AuthRequest, AuthState, Authenticator, Verdict};
use super::fault::{Fault, LOCKOUT_SECONDS};
use super::files;
use crate::secret::MASK;

/// Largest request body read (configuration uploads are small; this is a test server).
const MAX_BODY: usize = 1 << 20;
/// Requests kept for [`super::RunningSim::requests`]; the oldest go first.
const MAX_LOGGED: usize = 10_000;
/// The path prefix [`Fault::Redirect`] sends clients to.
const REDIRECTED: &str = "/redirected";

/// Everything the connections of one simulator share.
#[derive(Debug)]
pub(super) struct Shared {
    pub auth: Authenticator,
    pub fault: Fault,
    pub files: BTreeMap<String, Vec<u8>>,
    /// Canonical, so confinement checks compare like with like.
    pub dir: Option<PathBuf>,
    pub scheme: &'static str,
    pub port: u16,
    pub state: Mutex<State>,
    pub log: Mutex<VecDeque<LoggedRequest>>,
    pub events: broadcast::Sender<LoggedRequest>,
}

#[derive(Debug, Default)]
pub(super) struct State {
    auth: AuthState,
    /// Rejected answers per client address, for [`Fault::Lockout`].
    rejections: HashMap<IpAddr, u32>,
}

/// Who is on the other end of a connection.
#[derive(Debug)]
pub(super) struct Peer {
    pub addr: SocketAddr,
    pub client_cert_cn: Option<String>,
}

/// An answer before it becomes a hyper response.
struct Answer {
    status: StatusCode,
    headers: Vec<(hyper::header::HeaderName, String)>,
    body: Vec<u8>,
    content_type: &'static str,
    why: String,
}

impl Answer {
    fn plain(status: StatusCode, why: impl Into<String>) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: format!("{status}\n").into_bytes(),
            content_type: "text/plain; charset=utf-8",
            why: why.into(),
        }
    }
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn record(&self, entry: LoggedRequest) {
        tracing::info!(
            peer = %entry.peer,
            method = %entry.method,
            target = %entry.target,
            status = ?entry.status,
            why = %entry.why,
            "provisioning sim"
        );
        let _ = self.events.send(entry.clone());
        let mut log = self.log.lock().unwrap_or_else(PoisonError::into_inner);
        if log.len() >= MAX_LOGGED {
            log.pop_front();
        }
        log.push_back(entry);
    }
}

/// Answers one request; under [`Fault::Timeout`] the future never completes, which keeps
/// the connection open until the client gives up or the simulator stops.
pub(super) async fn handle(
    shared: Arc<Shared>,
    peer: Arc<Peer>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = request.into_parts();
    let mut entry = LoggedRequest {
        peer: peer.addr,
        method: parts.method.to_string(),
        target: parts.uri.to_string(),
        headers: logged_headers(&parts.headers),
        status: None,
        why: String::new(),
        client_cert_cn: peer.client_cert_cn.clone(),
    };
    let answer = match Limited::new(body, MAX_BODY).collect().await {
        Ok(body) => decide(&shared, &peer, &parts, &entry.target, &body.to_bytes()).await,
        Err(_) => Some(Answer::plain(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body unreadable or over 1 MiB",
        )),
    };
    let Some(answer) = answer else {
        entry.why = "fault timeout: never answered".into();
        shared.record(entry);
        return std::future::pending().await;
    };
    entry.status = Some(answer.status.as_u16());
    entry.why = answer.why;
    shared.record(entry);
    let mut response = Response::new(Full::new(Bytes::from(answer.body)));
    *response.status_mut() = answer.status;
    let headers = response.headers_mut();
    for (name, value) in answer.headers {
        if let Ok(value) = value.parse() {
            headers.append(name, value);
        }
    }
    if let Ok(value) = answer.content_type.parse() {
        headers.insert(CONTENT_TYPE, value);
    }
    Ok(response)
}

/// The answer, or `None` for "never answer".
async fn decide(
    shared: &Shared,
    peer: &Peer,
    parts: &hyper::http::request::Parts,
    target: &str,
    body: &[u8],
) -> Option<Answer> {
    let ip = peer.addr.ip();
    if let ControlFlow::Break(answer) = server_fault(shared, ip) {
        return answer;
    }
    let path = parts.uri.path();
    if !files::path_is_acceptable(path) {
        return Some(Answer::plain(
            StatusCode::BAD_REQUEST,
            "path with . or .. segments refused",
        ));
    }
    let path = match shared.fault {
        Fault::Redirect | Fault::RedirectOtherHost => match path.strip_prefix(REDIRECTED) {
            Some(rest) if rest.starts_with('/') => rest,
            _ => return Some(redirect(shared, parts)),
        },
        _ => path,
    };
    let request = AuthRequest {
        method: parts.method.as_str(),
        target,
        authorization: parts.headers.get(AUTHORIZATION).map(|v| v.as_bytes()),
        body,
    };
    Some(respond(shared, judge(shared, ip, &request), path).await)
}

/// The faults that answer before the request is looked at: a lockout, a server error, or
/// silence (`Break(None)`).
fn server_fault(shared: &Shared, ip: IpAddr) -> ControlFlow<Option<Answer>> {
    let rejections = shared.state().rejections.get(&ip).copied().unwrap_or(0);
    match shared.fault {
        Fault::Lockout { after } if rejections >= after => ControlFlow::Break(Some(Answer::plain(
            StatusCode::FORBIDDEN,
            format!("fault lockout: {ip} locked out after {after} rejected answers"),
        ))),
        Fault::LockoutSaid { after } if rejections >= after => {
            ControlFlow::Break(Some(refusal(shared.fault, ip)))
        }
        Fault::RateLimited | Fault::Maintenance => {
            ControlFlow::Break(Some(refusal(shared.fault, ip)))
        }
        Fault::ServerError => ControlFlow::Break(Some(Answer::plain(
            StatusCode::INTERNAL_SERVER_ERROR,
            "fault server-error",
        ))),
        Fault::Timeout => ControlFlow::Break(None),
        _ => ControlFlow::Continue(()),
    }
}

/// The refusals that say why, in a page and a `Retry-After`, as servers and their lockout and
/// rate-limit modules answer.
fn refusal(fault: Fault, ip: IpAddr) -> Answer {
    let (status, retry_after, body) = match fault {
        Fault::RateLimited => (
            StatusCode::TOO_MANY_REQUESTS,
            30,
            format!("Rate limit exceeded: too many requests from {ip}. Slow down.\n"),
        ),
        Fault::Maintenance => (
            StatusCode::SERVICE_UNAVAILABLE,
            120,
            "<html><head><title>503 Service Unavailable</title></head><body><h1>Down for maintenance</h1><p>The provisioning server is being upgraded and will be back shortly.</p></body></html>\n".to_string(),
        ),
        _ => (
            StatusCode::FORBIDDEN,
            LOCKOUT_SECONDS,
            format!("<html><head><title>403 Forbidden</title></head><body><h1>Forbidden</h1><p>Client {ip} locked after too many failed authentication attempts. Try again later.</p></body></html>\n"),
        ),
    };
    Answer {
        status,
        headers: vec![(RETRY_AFTER, retry_after.to_string())],
        body: body.into_bytes(),
        content_type: "text/html; charset=utf-8",
        why: format!("fault {fault}: {status} with Retry-After: {retry_after}"),
    }
}

/// Judges the credentials and counts a wrong answer towards the client's lockout.
fn judge(shared: &Shared, ip: IpAddr, request: &AuthRequest<'_>) -> Verdict {
    let mut state = shared.state();
    let verdict = shared.auth.judge(&mut state.auth, request, Instant::now());
    if matches!(verdict, Verdict::Unauthorized { rejected: true, .. }) {
        *state.rejections.entry(ip).or_default() += 1;
    }
    verdict
}

/// The response to a verdict: the challenge, the refusal, or the file.
async fn respond(shared: &Shared, verdict: Verdict, path: &str) -> Answer {
    match verdict {
        Verdict::BadRequest { why } => Answer::plain(StatusCode::BAD_REQUEST, why),
        Verdict::Unauthorized {
            challenges, why, ..
        } => Answer {
            headers: challenges
                .into_iter()
                .map(|challenge| (WWW_AUTHENTICATE, challenge))
                .collect(),
            ..Answer::plain(StatusCode::UNAUTHORIZED, why)
        },
        Verdict::Pass { .. } if shared.fault == Fault::NotFound => {
            Answer::plain(StatusCode::NOT_FOUND, "fault not-found")
        }
        Verdict::Pass { user } => {
            match files::lookup(&shared.files, shared.dir.as_deref(), path).await {
                Some(body) => Answer {
                    status: StatusCode::OK,
                    headers: Vec::new(),
                    body,
                    content_type: files::content_type(path),
                    why: format!("served to {user}"),
                },
                None => Answer::plain(StatusCode::NOT_FOUND, format!("no file {path}")),
            }
        }
    }
}

/// `302` to `/redirected/<path>`: on the host the client asked for, or under
/// [`Fault::RedirectOtherHost`] on the other name of this machine, same port.
fn redirect(shared: &Shared, parts: &hyper::http::request::Parts) -> Answer {
    let asked = parts
        .headers
        .get(HOST)
        .and_then(|host| host.to_str().ok())
        .map_or_else(|| format!("127.0.0.1:{}", shared.port), str::to_string);
    let host = if shared.fault == Fault::RedirectOtherHost {
        let other = if host_name(&asked) == "127.0.0.1" {
            "localhost"
        } else {
            "127.0.0.1"
        };
        format!("{other}:{}", shared.port)
    } else {
        asked
    };
    let query = parts
        .uri
        .query()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    let location = format!(
        "{}://{host}{REDIRECTED}{}{query}",
        shared.scheme,
        parts.uri.path()
    );
    Answer {
        headers: vec![(LOCATION, location.clone())],
        ..Answer::plain(
            StatusCode::FOUND,
            format!("fault {}: to {location}", shared.fault),
        )
    }
}

/// `host` of `host:port`, brackets of an IPv6 literal kept.
fn host_name(authority: &str) -> &str {
    match authority.rsplit_once(':') {
        Some((host, port)) if !host.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => authority,
    }
}

/// The request headers for the log. A digest `Authorization` holds no password and is kept
/// as sent; Basic credentials are the password in base64, so they are masked.
fn logged_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            let text = String::from_utf8_lossy(value.as_bytes()).into_owned();
            let masked = name == AUTHORIZATION
                && text
                    .get(..6)
                    .is_some_and(|scheme| scheme.eq_ignore_ascii_case("basic "));
            let text = if masked {
                format!("Basic {MASK}")
            } else {
                text
            };
            (name.to_string(), text)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_never_reach_the_log() {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, "basic dTpw".parse().unwrap());
        headers.insert(HOST, "127.0.0.1:1".parse().unwrap());
        let logged = logged_headers(&headers);
        assert!(logged.contains(&("authorization".into(), format!("Basic {MASK}"))));
        assert!(logged.contains(&("host".into(), "127.0.0.1:1".into())));
        let mut digest = HeaderMap::new();
        digest.insert(AUTHORIZATION, "Digest username=\"u\"".parse().unwrap());
        assert_eq!(logged_headers(&digest)[0].1, "Digest username=\"u\"");
    }

    #[test]
    fn host_names_without_ports() {
        assert_eq!(host_name("127.0.0.1:8080"), "127.0.0.1");
        assert_eq!(host_name("localhost"), "localhost");
        assert_eq!(host_name("[::1]:80"), "[::1]");
    }
}
