//! A phone's SIP account, as the inventory keeps it, the templates place it and the SIP test
//! registers it. It lives in device/ because inventory, templates and sip/ all read it and
//! device/ sits below each of them.

use std::fmt;
use std::str::FromStr;

use thiserror::Error;

use crate::secret::Secret;

/// How SIP messages travel to the registrar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SipTransport {
    #[default]
    Udp,
    Tcp,
    Tls,
}

impl SipTransport {
    pub const ALL: [SipTransport; 3] = [SipTransport::Udp, SipTransport::Tcp, SipTransport::Tls];

    /// The lower-case name used in the database, CSV files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            SipTransport::Udp => "udp",
            SipTransport::Tcp => "tcp",
            SipTransport::Tls => "tls",
        }
    }

    /// The port a registrar listens on when none is given (RFC 3261 §19.1.2).
    pub fn default_port(self) -> u16 {
        match self {
            SipTransport::Udp | SipTransport::Tcp => 5060,
            SipTransport::Tls => 5061,
        }
    }
}

impl fmt::Display for SipTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A transport name that is none of udp, tcp or tls.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown SIP transport {0:?}: use udp, tcp or tls")]
pub struct UnknownTransport(pub String);

impl FromStr for SipTransport {
    type Err = UnknownTransport;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        SipTransport::ALL
            .into_iter()
            .find(|transport| transport.as_str().eq_ignore_ascii_case(text.trim()))
            .ok_or_else(|| UnknownTransport(text.to_owned()))
    }
}

/// One SIP account of a device, as stored: `None` where the device leaves the value to its
/// site's defaults (registrar, transport) or the account does not use it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SipAccount {
    /// The account's number as the model counts them (1 = the first account, `S_SIP_…_1`).
    pub index: u8,
    /// Registrar or proxy host name or address.
    pub registrar: Option<String>,
    pub port: Option<u16>,
    pub transport: Option<SipTransport>,
    /// The extension / user part of the address of record.
    pub user: String,
    /// The digest user name, where the provider's differs from the extension.
    pub auth_user: Option<String>,
    pub password: Option<Secret>,
    pub display_name: Option<String>,
    pub outbound_proxy: Option<String>,
}

impl SipAccount {
    /// The user name the digest answer is computed for: the authentication user when one is
    /// set, else the extension.
    pub fn digest_user(&self) -> &str {
        self.auth_user.as_deref().unwrap_or(&self.user)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transports_parse_in_any_case_and_refuse_others() {
        assert_eq!("UDP".parse::<SipTransport>(), Ok(SipTransport::Udp));
        assert_eq!(" tls ".parse::<SipTransport>(), Ok(SipTransport::Tls));
        assert!("sctp".parse::<SipTransport>().is_err());
        assert_eq!(SipTransport::Tls.default_port(), 5061);
    }

    #[test]
    fn digest_user_prefers_the_authentication_user() {
        let mut account = SipAccount {
            user: "1001".into(),
            ..SipAccount::default()
        };
        assert_eq!(account.digest_user(), "1001");
        account.auth_user = Some("acct-77".into());
        assert_eq!(account.digest_user(), "acct-77");
    }
}
