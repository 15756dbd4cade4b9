//! The digest computation of RFC 7616 §3.4, with every intermediate kept for the log.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::algorithm::{Algorithm, Qop, hex};
use super::challenge::DigestChallenge;
use crate::secret::{MASK, Secret};

/// What the client answers with.
#[derive(Debug, Clone)]
pub struct DigestInput<'a> {
    pub username: &'a str,
    pub password: &'a Secret,
    pub method: &'a str,
    /// The request-target exactly as sent: path and query.
    pub uri: &'a str,
    /// The request body, for `auth-int`.
    pub body: &'a [u8],
    pub cnonce: &'a str,
    pub nc: u32,
}

/// Every value of one digest computation. Anything that contains the password or HA1 (which
/// is as good as the password) is a [`Secret`].
#[derive(Clone)]
pub struct DigestComputation {
    pub algorithm: Algorithm,
    pub qop: Option<Qop>,
    pub realm: String,
    pub nonce: String,
    pub cnonce: String,
    /// The nonce count as sent, eight hex digits.
    pub nc: String,
    pub uri: String,
    /// `username:realm:password`, or its `-sess` form.
    pub a1: Secret,
    pub ha1: Secret,
    /// `method:uri`, or `method:uri:H(body)` for `auth-int`.
    pub a2: String,
    pub ha2: String,
    /// The exact string hashed into the response; it starts with HA1.
    pub response_input: Secret,
    pub response: String,
    /// The `username` field as sent: plain, or `H(username:realm)` with `userhash`.
    pub username_field: String,
    /// Sent as `username*` (RFC 8187) because the name is not plain ASCII.
    pub username_extended: bool,
    pub userhash: bool,
    pub opaque: Option<String>,
}

/// The response masked too: with the nonce and cnonce beside it, it is enough for an offline
/// guess of a short password (a MAC password has 12 digits), so a `{:?}` in a log must not
/// carry it.
impl std::fmt::Debug for DigestComputation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DigestComputation")
            .field("algorithm", &self.algorithm)
            .field("qop", &self.qop)
            .field("realm", &self.realm)
            .field("nonce", &self.nonce)
            .field("cnonce", &self.cnonce)
            .field("nc", &self.nc)
            .field("uri", &self.uri)
            .field("a1", &self.a1)
            .field("ha1", &self.ha1)
            .field("a2", &self.a2)
            .field("ha2", &self.ha2)
            .field("response_input", &self.response_input)
            .field("response", &MASK)
            .field("username_field", &self.username_field)
            .field("username_extended", &self.username_extended)
            .field("userhash", &self.userhash)
            .field("opaque", &self.opaque)
            .finish()
    }
}

impl DigestComputation {
    /// The response input with HA1 masked, for logs and screenshots.
    pub fn response_input_masked(&self) -> String {
        match self.response_input.expose().split_once(':') {
            Some((_, rest)) => format!("{MASK}:{rest}"),
            None => MASK.to_string(),
        }
    }

    /// The `Authorization` header value.
    pub fn authorization(&self) -> String {
        let mut header = String::from("Digest ");
        if self.username_extended {
            let _ = write!(header, "username*={}", self.username_field);
        } else {
            let _ = write!(header, "username=\"{}\"", quote(&self.username_field));
        }
        let _ = write!(
            header,
            ", realm=\"{}\", nonce=\"{}\", uri=\"{}\", algorithm={}",
            quote(&self.realm),
            quote(&self.nonce),
            quote(&self.uri),
            self.algorithm
        );
        match self.qop {
            Some(qop) => {
                let _ = write!(
                    header,
                    ", qop={qop}, nc={}, cnonce=\"{}\"",
                    self.nc,
                    quote(&self.cnonce)
                );
            }
            // RFC 2617 sends a cnonce only with qop, but a -sess A1 hashes it: without it
            // the server could not check the answer.
            None if self.algorithm.is_session() => {
                let _ = write!(header, ", cnonce=\"{}\"", quote(&self.cnonce));
            }
            None => {}
        }
        let _ = write!(header, ", response=\"{}\"", self.response);
        if let Some(opaque) = &self.opaque {
            let _ = write!(header, ", opaque=\"{}\"", quote(opaque));
        }
        if self.userhash {
            header.push_str(", userhash=true");
        }
        header
    }
}

/// Escapes `"` and `\` for a quoted-string.
fn quote(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"")
}

/// `UTF-8''…` percent-encoding of RFC 8187 for `username*`.
fn ext_value(value: &str) -> String {
    let mut out = String::from("UTF-8''");
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// Picks the qop to answer with: `auth` when offered, else `auth-int`, else none.
pub fn choose_qop(challenge: &DigestChallenge) -> Option<Qop> {
    if challenge.qop.contains(&Qop::Auth) {
        Some(Qop::Auth)
    } else {
        challenge.qop.first().copied()
    }
}

/// Computes the answer to `challenge` with `algorithm` (the challenge's own, already known to
/// be one RFC 7616 defines) and `qop`.
pub fn compute(
    challenge: &DigestChallenge,
    algorithm: Algorithm,
    qop: Option<Qop>,
    input: &DigestInput<'_>,
) -> DigestComputation {
    let h = |data: &str| algorithm.hash_hex(data.as_bytes());
    let secret_part = format!(
        "{}:{}:{}",
        input.username,
        challenge.realm,
        input.password.expose()
    );
    let a1 = if algorithm.is_session() {
        format!("{}:{}:{}", h(&secret_part), challenge.nonce, input.cnonce)
    } else {
        secret_part
    };
    let ha1 = h(&a1);
    let a2 = match qop {
        Some(Qop::AuthInt) => format!(
            "{}:{}:{}",
            input.method,
            input.uri,
            algorithm.hash_hex(input.body)
        ),
        _ => format!("{}:{}", input.method, input.uri),
    };
    let ha2 = h(&a2);
    let nc = format!("{:08x}", input.nc);
    let response_input = match qop {
        Some(qop) => format!(
            "{ha1}:{}:{nc}:{}:{qop}:{ha2}",
            challenge.nonce, input.cnonce
        ),
        None => format!("{ha1}:{}:{ha2}", challenge.nonce),
    };
    let response = h(&response_input);
    let (username_field, username_extended) = username_field(challenge, algorithm, input.username);
    DigestComputation {
        algorithm,
        qop,
        realm: challenge.realm.clone(),
        nonce: challenge.nonce.clone(),
        cnonce: input.cnonce.to_string(),
        nc,
        uri: input.uri.to_string(),
        a1: Secret::new(a1),
        ha1: Secret::new(ha1),
        a2,
        ha2,
        response_input: Secret::new(response_input),
        response,
        username_field,
        username_extended,
        userhash: challenge.userhash,
        opaque: challenge.opaque.clone(),
    }
}

/// How the user name is sent (RFC 7616 §3.4.4): hashed where the server asks for userhash,
/// as `username*` (RFC 8187) where it cannot stand in a quoted string, else as it is. `true`
/// for `username*`.
fn username_field(
    challenge: &DigestChallenge,
    algorithm: Algorithm,
    username: &str,
) -> (String, bool) {
    let plain_ascii = username
        .chars()
        .all(|c| c.is_ascii() && !c.is_ascii_control() && c != '"' && c != '\\');
    if challenge.userhash {
        let hashed = algorithm.hash_hex(format!("{username}:{}", challenge.realm).as_bytes());
        (hashed, false)
    } else if plain_ascii {
        (username.to_string(), false)
    } else {
        (ext_value(username), true)
    }
}

/// Counts requests per nonce, as `nc` must (RFC 7616 §3.4): 1 for a nonce's first use.
#[derive(Debug, Default)]
pub struct NonceCounter {
    counts: HashMap<String, u32>,
}

impl NonceCounter {
    pub fn next(&mut self, nonce: &str) -> u32 {
        let count = self.counts.entry(nonce.to_string()).or_insert(0);
        *count += 1;
        *count
    }
}

/// A fresh client nonce: 16 random bytes as hex.
pub fn random_cnonce() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        // No system randomness: fall back to the clock, still unique per request.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        bytes = nanos.to_le_bytes();
    }
    hex(&bytes)
}
