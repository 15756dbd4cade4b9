//! What the simulated registrar answers to one request: the registrar's side of RFC 3261
//! §10.3 with digest, and the faults. Pure apart from the nonce book; the request is outside
//! data, so nothing here panics on any input.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::{Mutex, PoisonError};

use crate::digest::{DigestAnswer, expected_response, random_cnonce, responses_match, stored_ha1};
use crate::sip::{SipMessage, StartLine, header_param};

use super::{RegistrarConfig, RegistrarFault};

/// The registrar's state: the nonces it has handed out, and its location table.
#[derive(Debug)]
pub struct Registrar {
    pub config: RegistrarConfig,
    nonces: Mutex<HashSet<String>>,
    /// Address of record (`sip:1001@domain`) → contact URI → interval granted, in seconds.
    /// Nothing expires by the clock: the tests ask what a client left behind.
    bindings: Mutex<HashMap<String, BTreeMap<String, u32>>>,
}

/// A response: status, reason and the headers that are not copied from the request.
struct Reply {
    status: u16,
    reason: &'static str,
    extra: Vec<(&'static str, String)>,
}

impl Reply {
    fn new(status: u16, reason: &'static str) -> Self {
        Self {
            status,
            reason,
            extra: Vec::new(),
        }
    }

    fn with(mut self, name: &'static str, value: String) -> Self {
        self.extra.push((name, value));
        self
    }
}

impl Registrar {
    pub fn new(config: RegistrarConfig) -> Self {
        Self {
            config,
            nonces: Mutex::default(),
            bindings: Mutex::default(),
        }
    }

    /// The contact URIs bound to the address of record with this user part, in order.
    pub fn bindings(&self, user: &str) -> Vec<String> {
        let table = self.bindings.lock().unwrap_or_else(PoisonError::into_inner);
        table
            .iter()
            .filter(|(aor, _)| user_of(aor) == user)
            .flat_map(|(_, contacts)| contacts.keys().cloned())
            .collect()
    }

    /// Adds, refreshes or removes (interval 0, or `*` for all) the request's binding, as
    /// RFC 3261 §10.3 step 6–7 has it; the bindings the address of record keeps afterwards.
    fn bind(&self, request: &SipMessage, contact: &str, expires: u32) -> Vec<(String, u32)> {
        let aor = request
            .header("To")
            .map(uri_of)
            .unwrap_or_default()
            .to_string();
        let mut table = self.bindings.lock().unwrap_or_else(PoisonError::into_inner);
        let contacts = table.entry(aor).or_default();
        match (contact.trim(), expires) {
            // No Contact: a query, which changes nothing (§10.2.3).
            ("", _) => {}
            ("*", 0) => contacts.clear(),
            (_, 0) => {
                contacts.remove(uri_of(contact));
            }
            _ => {
                contacts.insert(uri_of(contact).to_string(), expires);
            }
        }
        contacts.iter().map(|(c, e)| (c.clone(), *e)).collect()
    }

    /// The response bytes to `request` from `peer`, or `None` where the registrar stays
    /// silent (the silence fault, a response sent to us, an unreadable request).
    pub fn answer(&self, request: &SipMessage, peer: SocketAddr) -> Option<Vec<u8>> {
        let StartLine::Request { method, .. } = &request.start else {
            return None;
        };
        if self.config.fault == RegistrarFault::Silence {
            return None;
        }
        let reply = match method.as_str() {
            "OPTIONS" => Reply::new(200, "OK").with("Allow", "REGISTER, OPTIONS".to_string()),
            "REGISTER" => self.register(request),
            _ => {
                Reply::new(405, "Method Not Allowed").with("Allow", "REGISTER, OPTIONS".to_string())
            }
        };
        Some(render(request, peer, &reply))
    }

    fn register(&self, request: &SipMessage) -> Reply {
        match self.config.fault {
            RegistrarFault::NotFound => return Reply::new(404, "Not Found"),
            RegistrarFault::ServerError => return Reply::new(500, "Server Internal Error"),
            _ => {}
        }
        let proxy = self.config.fault == RegistrarFault::ProxyAuth;
        let header = if proxy {
            "Proxy-Authorization"
        } else {
            "Authorization"
        };
        let Some(value) = request.header(header) else {
            return self.challenge(&self.config.realm, false);
        };
        let Ok(answer) = DigestAnswer::parse(value) else {
            return Reply::new(400, "Bad Request");
        };
        if !self.issued(&answer.nonce) || self.config.fault == RegistrarFault::StaleLoop {
            return self.challenge(&self.config.realm, true);
        }
        if self.config.fault == RegistrarFault::WrongRealm {
            return self.challenge(&format!("other.{}", self.config.realm), false);
        }
        if !self.verifies(&answer) {
            return self.challenge(&self.config.realm, false);
        }
        self.registered(request)
    }

    /// After a valid answer: the faults that come after authentication, else 200.
    fn registered(&self, request: &SipMessage) -> Reply {
        let contact = request.header("Contact").unwrap_or_default().to_string();
        let expires = request
            .header("Expires")
            .or_else(|| header_param(&contact, "expires"))
            .and_then(|e| e.trim().parse::<u32>().ok())
            .unwrap_or(3600);
        match self.config.fault {
            RegistrarFault::Forbidden => Reply::new(403, "Forbidden"),
            // RFC 3261 §10.3 step 7: never for 0, which removes a binding.
            RegistrarFault::TooBrief { min_expires } if expires > 0 && expires < min_expires => {
                Reply::new(423, "Interval Too Brief").with("Min-Expires", min_expires.to_string())
            }
            _ => {
                let kept = self.bind(request, &contact, expires);
                let reply = kept
                    .into_iter()
                    .fold(Reply::new(200, "OK"), |reply, (uri, e)| {
                        reply.with("Contact", format!("<{uri}>;expires={e}"))
                    });
                reply.with("Expires", expires.to_string())
            }
        }
    }

    fn verifies(&self, answer: &DigestAnswer) -> bool {
        let Ok(algorithm) = answer.algorithm.clone() else {
            return false;
        };
        let Some((_, password)) = self
            .config
            .users
            .iter()
            .find(|(user, _)| *user == answer.username)
        else {
            return false;
        };
        let ha1 = stored_ha1(algorithm, &answer.username, &self.config.realm, password);
        let expected = expected_response(answer, algorithm, &ha1, "REGISTER", b"");
        answer.realm == self.config.realm && responses_match(&answer.response, &expected)
    }

    fn issued(&self, nonce: &str) -> bool {
        self.nonces
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(nonce)
    }

    fn challenge(&self, realm: &str, stale: bool) -> Reply {
        let nonce = random_cnonce();
        self.nonces
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(nonce.clone());
        let proxy = self.config.fault == RegistrarFault::ProxyAuth;
        let value = format!(
            "Digest realm=\"{realm}\", nonce=\"{nonce}\", qop=\"auth\", algorithm={}{}",
            self.config.algorithm,
            if stale { ", stale=true" } else { "" }
        );
        if proxy {
            Reply::new(407, "Proxy Authentication Required").with("Proxy-Authenticate", value)
        } else {
            Reply::new(401, "Unauthorized").with("WWW-Authenticate", value)
        }
    }
}

/// The URI of a `To` or `Contact` value: inside `<…>`, else up to the first `;`.
fn uri_of(value: &str) -> &str {
    let value = value.trim();
    match (value.find('<'), value.find('>')) {
        (Some(start), Some(end)) if start < end => &value[start + 1..end],
        _ => value.split(';').next().unwrap_or_default(),
    }
}

/// The user part of a `sip:user@host` URI.
fn user_of(uri: &str) -> &str {
    let rest = uri.split_once(':').map_or(uri, |(_, rest)| rest);
    rest.split_once('@').map_or("", |(user, _)| user)
}

/// The response: `Via`s copied with `received`/`rport` filled in on the top one (RFC 3581),
/// `From`, `To` (with a tag), `Call-ID` and `CSeq` copied, then the reply's own headers.
fn render(request: &SipMessage, peer: SocketAddr, reply: &Reply) -> Vec<u8> {
    let mut text = format!("SIP/2.0 {} {}\r\n", reply.status, reply.reason);
    for (index, via) in request.headers_named("Via").enumerate() {
        let via = if index == 0 {
            let rport = via.replace(";rport;", &format!(";rport={};", peer.port()));
            let rport = match rport.strip_suffix(";rport") {
                Some(start) => format!("{start};rport={}", peer.port()),
                None => rport,
            };
            format!("{rport};received={}", peer.ip())
        } else {
            via.to_string()
        };
        let _ = write!(text, "Via: {via}\r\n");
    }
    for name in ["From", "To", "Call-ID", "CSeq"] {
        if let Some(value) = request.header(name) {
            let tagged = if name == "To" && header_param(value, "tag").is_none() {
                format!("{value};tag={}", &random_cnonce()[..12])
            } else {
                value.to_string()
            };
            let _ = write!(text, "{name}: {tagged}\r\n");
        }
    }
    for (name, value) in &reply.extra {
        let _ = write!(text, "{name}: {value}\r\n");
    }
    text.push_str("Server: provdesk registrar simulator\r\nContent-Length: 0\r\n\r\n");
    text.into_bytes()
}
