//! One request: which device it names, whether its credentials are that device's own, the file
//! rendered at this moment, and the event that tells the live log.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::header::{
    ALLOW, AUTHORIZATION, CONTENT_TYPE, HeaderValue, RETRY_AFTER, USER_AGENT, WWW_AUTHENTICATE,
};
use hyper::{Method, Request, Response, StatusCode};
use tokio::sync::mpsc;

use super::event::{ServeEvent, Verdict, now_at};
use super::gate::{DeviceKeys, Gate, Judgement, Refusal};
use super::lockout::Lockout;
use super::resolve::{Target, resolve};
use crate::device::{Device, Encoding, Mac, recognize_user_agent};
use crate::inventory::{Inventory, Sighting};
use crate::printable::printable;
use crate::templates::{RenderSettings, TemplateSet};

/// What every request shares.
pub(super) struct Shared {
    pub inventory: Mutex<Inventory>,
    pub gate: Gate,
    pub lockout: Option<Mutex<Lockout>>,
    pub events: mpsc::Sender<ServeEvent>,
    /// Serve only this site's devices.
    pub site: Option<String>,
    /// Connections open now, per client address.
    pub open: Mutex<HashMap<IpAddr, usize>>,
}

/// An answer before it becomes a hyper response.
struct Answer {
    status: StatusCode,
    verdict: Verdict,
    challenges: Vec<String>,
    content_type: &'static str,
    body: Vec<u8>,
    user: Option<String>,
    inventory_model: Option<String>,
    retry_after: Option<u64>,
}

impl Answer {
    fn plain(status: StatusCode, verdict: Verdict) -> Self {
        Self {
            body: format!("{status}\n").into_bytes(),
            status,
            verdict,
            challenges: Vec::new(),
            content_type: "text/plain; charset=utf-8",
            user: None,
            inventory_model: None,
            retry_after: None,
        }
    }
}

pub(super) async fn handle(
    shared: Arc<Shared>,
    peer: SocketAddr,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let started = Instant::now();
    let at = now_at();
    // Read as UTF-8, not as visible ASCII only: a phone may send its user name or model
    // beyond ASCII, and an Authorization dropped for that would be logged as none sent.
    let header = |name| {
        request
            .headers()
            .get(name)
            .map(|value: &HeaderValue| String::from_utf8_lossy(value.as_bytes()).into_owned())
    };
    let user_agent = header(USER_AGENT);
    let authorization = header(AUTHORIZATION);
    let method = request.method().clone();
    let target = request.uri().to_string();
    let phone = user_agent.as_deref().and_then(recognize_user_agent);
    let firmware = phone.as_ref().and_then(|phone| phone.firmware.clone());
    let resolved = resolve(&target, user_agent.as_deref());
    let device_mac = match resolved {
        Target::Device(mac) | Target::FolderFile(mac) => Some(mac),
        Target::FolderFileUnknown | Target::Unknown => None,
    };
    let locked = shared.lockout.as_ref().and_then(|lockout| {
        lockout
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .locked(peer.ip(), Instant::now())
    });
    let answer = if let Some(retry_after_s) = locked {
        let mut answer = Answer::plain(StatusCode::FORBIDDEN, Verdict::LockedOut { retry_after_s });
        answer.retry_after = Some(retry_after_s);
        answer
    } else if method != Method::GET {
        Answer::plain(StatusCode::METHOD_NOT_ALLOWED, Verdict::MethodNotAllowed)
    } else {
        let worker = shared.clone();
        let request = Asked {
            method: method.to_string(),
            target: target.clone(),
            authorization,
            at: at.clone(),
            firmware,
        };
        tokio::task::spawn_blocking(move || decide(&worker, resolved, &request))
            .await
            .unwrap_or_else(|error| {
                Answer::plain(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    Verdict::InventoryFailed {
                        why: error.to_string(),
                    },
                )
            })
    };
    let note = device_mac.and_then(|mac| count_for_lockout(&shared, peer, mac, &answer.verdict));
    let event = ServeEvent {
        at,
        client: peer,
        method: printable(method.as_str(), 16),
        target: printable(&target, 200),
        device: device_mac.map(|mac| mac.macd()),
        model: phone
            .as_ref()
            .map(|phone| phone.model.name.to_string())
            .or(answer.inventory_model.clone()),
        firmware: phone.and_then(|phone| phone.firmware),
        user: answer.user.clone(),
        verdict: answer.verdict.clone(),
        status: answer.status.as_u16(),
        bytes: answer.body.len(),
        millis: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        note,
    };
    // The log waits for room rather than losing a line; it is gone only when nobody reads.
    let _ = shared.events.send(event).await;
    Ok(response(answer))
}

/// A refused answer for `device` counts towards the client's lockout (when one is set), a
/// served request may clear it; the note says when a lockout starts.
fn count_for_lockout(
    shared: &Shared,
    peer: SocketAddr,
    device: Mac,
    verdict: &Verdict,
) -> Option<String> {
    let mut lockout = shared
        .lockout
        .as_ref()?
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    match verdict {
        Verdict::Served { .. } => {
            lockout.served(peer.ip(), device);
            None
        }
        Verdict::Refused {
            refusal:
                Refusal::WrongPassword { .. }
                | Refusal::UnknownUser { .. }
                | Refusal::PasswordAsUser { .. }
                | Refusal::MacPasswordUnknown { .. }
                | Refusal::WrongRealm { .. },
        } => lockout.refused(peer.ip(), device, Instant::now()),
        _ => None,
    }
}

fn response(answer: Answer) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(answer.body)));
    *response.status_mut() = answer.status;
    let headers = response.headers_mut();
    if let Ok(value) = answer.content_type.parse() {
        headers.insert(CONTENT_TYPE, value);
    }
    for value in answer.challenges.iter().filter_map(|c| c.parse().ok()) {
        headers.append(WWW_AUTHENTICATE, value);
    }
    if let Some(seconds) = answer.retry_after {
        headers.insert(RETRY_AFTER, seconds.into());
    }
    // RFC 9110 §15.5.6: a 405 names the methods that are served.
    if answer.verdict == Verdict::MethodNotAllowed {
        headers.insert(ALLOW, HeaderValue::from_static("GET"));
    }
    response
}

/// What the judging of a GET needs of the request.
struct Asked {
    method: String,
    target: String,
    authorization: Option<String>,
    /// When it came, RFC 3339 UTC, as the event says.
    at: String,
    /// What the User-Agent said.
    firmware: Option<String>,
}

/// The answer for a GET: find the device, judge its credentials, render its file, and note in
/// the inventory that the device asked.
fn decide(shared: &Shared, resolved: Target, asked: &Asked) -> Answer {
    let mac = match resolved {
        Target::Device(mac) | Target::FolderFile(mac) => mac,
        Target::FolderFileUnknown => {
            return Answer::plain(StatusCode::NOT_FOUND, Verdict::FolderFileUnknownPhone);
        }
        Target::Unknown => return Answer::plain(StatusCode::NOT_FOUND, Verdict::NoDevice),
    };
    let (device, templates) = match load(shared, mac) {
        Ok(Some(found)) => found,
        Ok(None) => {
            return Answer::plain(
                StatusCode::NOT_FOUND,
                Verdict::UnknownDevice { mac: mac.macd() },
            );
        }
        Err(why) => {
            return Answer::plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                Verdict::InventoryFailed { why },
            );
        }
    };
    if let Some(serving) = &shared.site
        && !device
            .site
            .as_deref()
            .is_some_and(|site| site.eq_ignore_ascii_case(serving))
    {
        return Answer::plain(
            StatusCode::NOT_FOUND,
            Verdict::OtherSite {
                serving: serving.clone(),
            },
        );
    }
    let authorization = asked.authorization.as_deref();
    let keys = DeviceKeys::of(&device);
    let judgement = shared.gate.judge(
        &asked.method,
        &asked.target,
        authorization,
        &keys,
        Instant::now(),
    );
    let mut answer = match judgement {
        Judgement::Pass { user, credential } => {
            let mut answer = render(&templates, &device, credential);
            answer.user = Some(user);
            answer
        }
        Judgement::Challenge { headers, refusal } => {
            let refusal = unless_a_password(shared, refusal, authorization);
            let mut answer = Answer::plain(StatusCode::UNAUTHORIZED, Verdict::Refused { refusal });
            answer.challenges = headers;
            answer
        }
        Judgement::BadRequest { refusal } => {
            Answer::plain(StatusCode::BAD_REQUEST, Verdict::Refused { refusal })
        }
    };
    let password_as_user = matches!(
        answer.verdict,
        Verdict::Refused {
            refusal: Refusal::PasswordAsUser { .. }
        }
    );
    if answer.user.is_none() && !password_as_user {
        answer.user = authorization.and_then(answered_user);
    }
    answer.inventory_model = device.model.clone();
    record(shared, mac, asked, &answer.verdict);
    answer
}

/// A user name no device has is quoted in the log, unless it is a password of another device
/// or site in the inventory (the device's own were compared by the gate): then it is said to
/// be one, unquoted.
fn unless_a_password(shared: &Shared, refusal: Refusal, authorization: Option<&str>) -> Refusal {
    if !matches!(refusal, Refusal::UnknownUser { .. }) {
        return refusal;
    }
    let Some(user) = authorization.and_then(raw_user) else {
        return refusal;
    };
    let held = shared
        .inventory
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .holds_password(&user);
    match held {
        Ok(true) => Refusal::PasswordAsUser { this_device: false },
        Ok(false) => refusal,
        // Unknown whether it is one: not quoted, in case.
        Err(error) => {
            tracing::warn!(%error, "provdesk serve: could not compare a user name with the stored passwords");
            Refusal::PasswordAsUser { this_device: false }
        }
    }
}

/// The user name as the phone sent it, digest or Basic, unescaped: to compare, never to show.
fn raw_user(authorization: &str) -> Option<String> {
    match crate::digest::DigestAnswer::parse(authorization) {
        Ok(answer) => Some(answer.username),
        Err(_) => match crate::digest::BasicHeader::parse(authorization.as_bytes()) {
            crate::digest::BasicHeader::Credentials { user, .. } => Some(user),
            _ => None,
        },
    }
}

/// Notes the request in the inventory (*Last seen*, *Firmware*, which credentials). A failure
/// to write it costs the phone nothing: it is logged and the file still goes out.
fn record(shared: &Shared, mac: Mac, asked: &Asked, verdict: &Verdict) {
    let credential = match verdict {
        Verdict::Served { credential } => Some(credential.code()),
        _ => None,
    };
    let sighting = Sighting {
        mac,
        at: &asked.at,
        firmware: asked.firmware.as_deref(),
        verdict: verdict.code(),
        credential,
    };
    let result = shared
        .inventory
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .record_sighting(&sighting);
    if let Err(error) = result {
        tracing::warn!(%error, mac = %mac.macd(), "provdesk serve: could not note the request in the inventory");
    }
}

/// The device and the templates in use now, read in one go.
fn load(shared: &Shared, mac: Mac) -> Result<Option<(Device, TemplateSet)>, String> {
    let inventory = shared
        .inventory
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    let Some(device) = inventory.device_by_mac(mac).map_err(|e| e.to_string())? else {
        return Ok(None);
    };
    let templates = inventory.template_set().map_err(|e| e.to_string())?;
    Ok(Some((device, templates)))
}

fn render(templates: &TemplateSet, device: &Device, credential: super::gate::Credential) -> Answer {
    match templates.render(device, &RenderSettings::default()) {
        Ok(file) => {
            let format = device.model_spec().map(|model| model.config_format.spec());
            let content_type = match format {
                Some(spec) if spec.xml && spec.encoding == Encoding::Latin1 => {
                    "application/xml; charset=ISO-8859-1"
                }
                Some(spec) if spec.xml => "application/xml; charset=utf-8",
                _ => "text/plain; charset=utf-8",
            };
            Answer {
                status: StatusCode::OK,
                verdict: Verdict::Served { credential },
                challenges: Vec::new(),
                content_type,
                body: file.bytes().to_vec(),
                user: None,
                inventory_model: None,
                retry_after: None,
            }
        }
        Err(error) => Answer::plain(
            StatusCode::INTERNAL_SERVER_ERROR,
            Verdict::RenderFailed {
                why: error.problem.to_string(),
            },
        ),
    }
}

/// The user a digest answer names, for the log.
fn answered_user(authorization: &str) -> Option<String> {
    crate::digest::DigestAnswer::parse(authorization)
        .ok()
        .map(|answer| printable(&answer.username, 80))
}
