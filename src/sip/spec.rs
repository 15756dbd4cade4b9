//! What a SIP test is asked to do: the registrar, the account and the options. Built from the
//! CLI's flags, the GUI's ad-hoc form, or an inventory [`SipAccount`].

use std::path::PathBuf;
use std::time::Duration;

use thiserror::Error;

use crate::device::{SipAccount, SipTransport};
use crate::secret::Secret;

use super::message::SipMethod;
use super::timers::UdpTimers;

/// How the registrar's certificate is checked over TLS; the same choices as the test fetch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SipTlsOptions {
    /// Trust only the CA certificates in this PEM file (a PBX with its own CA).
    pub ca_file: Option<PathBuf>,
    /// Accept any certificate (`--insecure`): for a PBX with a self-signed certificate.
    pub insecure: bool,
}

/// One SIP test.
#[derive(Debug, Clone)]
pub struct SipTestSpec {
    pub method: SipMethod,
    /// Registrar or proxy: a host name (looked up with SRV, then A/AAAA) or an IP address.
    pub registrar: String,
    /// `None`: the port from SRV, else the transport's default.
    pub port: Option<u16>,
    pub transport: SipTransport,
    /// The extension.
    pub user: String,
    /// The digest user, where it differs from the extension.
    pub auth_user: Option<String>,
    pub password: Secret,
    /// The SIP domain; `None` uses the registrar's name.
    pub domain: Option<String>,
    /// The registration interval asked for, in seconds.
    pub expires: u32,
    /// Leave the registration in place after a 2xx (to place a test call to this computer);
    /// by default the test removes it again, as it may stand beside a real phone's.
    pub keep: bool,
    /// The `User-Agent` to send: an inventory device's own, so the registrar sees what the
    /// phone sends (providers filter and template by it); `None` sends provdesk's.
    pub user_agent: Option<String>,
    pub udp_timers: UdpTimers,
    /// How long a TCP or TLS connection may take to open.
    pub connect_timeout: Duration,
    pub tls: SipTlsOptions,
}

/// Why a spec cannot be made; each says what to fill in.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SipSpecError {
    #[error("account {index} has no registrar: set one on the account or the site's default")]
    NoRegistrar { index: u8 },
    #[error("account {index} has no user (extension): fill in the account's user")]
    NoUser { index: u8 },
    #[error(
        "{0:?} is not HOST or HOST:PORT (an IPv6 address goes in brackets: [2001:db8::1]:5060)"
    )]
    BadRegistrar(String),
}

impl SipTestSpec {
    /// The registration interval asked for when none is given: a minute, the minimum most
    /// registrars take (Kamailio's and Asterisk's default `Min-Expires`), so a binding whose
    /// removal fails lapses soon instead of ringing a dead contact for an hour.
    pub const DEFAULT_EXPIRES: u32 = 60;

    /// A REGISTER test of `user` at `registrar` with the defaults: UDP timers of RFC 3261,
    /// the domain from the registrar's name, the certificate checked against the system.
    pub fn new(registrar: &str, transport: SipTransport, user: &str, password: Secret) -> Self {
        Self {
            method: SipMethod::Register,
            registrar: registrar.to_string(),
            port: None,
            transport,
            user: user.to_string(),
            auth_user: None,
            password,
            domain: None,
            expires: Self::DEFAULT_EXPIRES,
            keep: false,
            user_agent: None,
            udp_timers: UdpTimers::RFC3261,
            connect_timeout: Duration::from_secs(10),
            tls: SipTlsOptions::default(),
        }
    }

    /// The test of an inventory account. Its registrar, port and transport must already be
    /// filled (from the site's defaults where the account leaves them). `password` is the
    /// account's, or one typed for this test when the inventory holds none.
    pub fn from_account(account: &SipAccount, password: Secret) -> Result<Self, SipSpecError> {
        let registrar = account
            .registrar
            .as_deref()
            .filter(|r| !r.trim().is_empty())
            .ok_or(SipSpecError::NoRegistrar {
                index: account.index,
            })?;
        if account.user.trim().is_empty() {
            return Err(SipSpecError::NoUser {
                index: account.index,
            });
        }
        let (host, port) = split_host_port(registrar)?;
        let mut spec = Self::new(
            &host,
            account.transport.unwrap_or_default(),
            &account.user,
            password,
        );
        // A port written into the registrar (`pbx:5080`) is the one the user meant; the
        // account's own (or its transport's default) otherwise.
        spec.port = port.or(account.port);
        spec.auth_user = account
            .auth_user
            .clone()
            .filter(|a| !a.is_empty() && *a != account.user);
        Ok(spec)
    }

    /// The user name the digest is computed for.
    pub fn digest_user(&self) -> &str {
        self.auth_user.as_deref().unwrap_or(&self.user)
    }

    /// The SIP domain: the one given, else the registrar's name.
    pub fn domain(&self) -> &str {
        self.domain.as_deref().unwrap_or(&self.registrar)
    }
}

/// Splits `HOST[:PORT]` (`[v6]:port` for IPv6; a bare IPv6 address has no port).
pub fn split_host_port(text: &str) -> Result<(String, Option<u16>), SipSpecError> {
    let text = text.trim();
    let bad = || SipSpecError::BadRegistrar(text.to_string());
    if let Some(rest) = text.strip_prefix('[') {
        let (host, after) = rest.split_once(']').ok_or_else(bad)?;
        let port = match after.strip_prefix(':') {
            Some(port) => Some(port.parse().map_err(|_| bad())?),
            None if after.is_empty() => None,
            None => return Err(bad()),
        };
        return Ok((host.to_string(), port));
    }
    if text.parse::<std::net::Ipv6Addr>().is_ok() {
        return Ok((text.to_string(), None));
    }
    match text.rsplit_once(':') {
        Some((host, port)) if !host.is_empty() => {
            Ok((host.to_string(), Some(port.parse().map_err(|_| bad())?)))
        }
        Some(_) => Err(bad()),
        None if text.is_empty() || text.contains(char::is_whitespace) => Err(bad()),
        None => Ok((text.to_string(), None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registrars_split_into_host_and_port() {
        assert_eq!(
            split_host_port("pbx.example:5070").unwrap(),
            ("pbx.example".into(), Some(5070))
        );
        assert_eq!(
            split_host_port("[::1]:5060").unwrap(),
            ("::1".into(), Some(5060))
        );
        assert_eq!(split_host_port("::1").unwrap(), ("::1".into(), None));
        assert!(split_host_port("pbx:port").is_err());
        assert!(split_host_port("").is_err());
    }

    #[test]
    fn an_account_becomes_a_spec_or_says_what_is_missing() {
        let mut account = SipAccount {
            index: 2,
            user: "1001".into(),
            auth_user: Some("acct-7".into()),
            transport: Some(SipTransport::Tcp),
            ..SipAccount::default()
        };
        let missing = SipTestSpec::from_account(&account, Secret::new("pw")).unwrap_err();
        assert_eq!(missing, SipSpecError::NoRegistrar { index: 2 });
        account.registrar = Some("pbx.example:5080".into());
        let spec = SipTestSpec::from_account(&account, Secret::new("pw")).unwrap();
        assert_eq!(spec.port, Some(5080));
        assert_eq!(spec.digest_user(), "acct-7");
        assert_eq!(spec.domain(), "pbx.example");
        assert_eq!(spec.transport, SipTransport::Tcp);
    }
}
