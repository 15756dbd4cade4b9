//! A phone's SIP account, as the inventory keeps it, the templates place it and the SIP test
//! registers it. It lives in device/ because inventory, templates and sip/ all read it and
//! device/ sits below each of them.

use std::fmt;
use std::str::FromStr;

use thiserror::Error;

use super::model::ModelSpec;
use super::text::{NAME_MAX, line_problem};
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

/// What a site gives the SIP accounts of its devices where they leave a value open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SipDefaults {
    pub registrar: Option<String>,
    pub port: Option<u16>,
    pub transport: Option<SipTransport>,
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

    /// The account as the device uses it: registrar, port and transport it leaves open taken
    /// from its site's defaults, and the port, where neither gives one, the transport's
    /// default (RFC 3261 §19.1.2), so an effective account always has a port and a transport.
    pub fn effective(&self, site: &SipDefaults) -> SipAccount {
        let transport = self.transport.or(site.transport).unwrap_or_default();
        SipAccount {
            registrar: self.registrar.clone().or_else(|| site.registrar.clone()),
            port: Some(
                self.port
                    .or(site.port)
                    .unwrap_or_else(|| transport.default_port()),
            ),
            transport: Some(transport),
            ..self.clone()
        }
    }

    /// Every rule the account breaks, each naming the field and what to do; empty when it is
    /// fine. `limit` is the number of accounts the device's model has ([`sip_account_limit`]).
    pub fn problems(&self, limit: u8) -> Vec<SipFieldError> {
        let mut found = Vec::new();
        if self.index == 0 || self.index > limit {
            found.push(SipFieldError::new(
                SipField::Index,
                self.index,
                format!("account {} does not exist: the model has accounts 1 to {limit}; pick one of them", self.index),
            ));
        }
        if self.user.trim().is_empty() {
            found.push(SipFieldError::new(
                SipField::User,
                self.index,
                "is empty: give the extension (the user part of the SIP address)".into(),
            ));
        }
        if self.port == Some(0) {
            found.push(SipFieldError::new(
                SipField::Port,
                self.index,
                "0 is no port: give 1 to 65535, or leave it empty for the default".into(),
            ));
        }
        let texts = [
            (SipField::User, Some(self.user.as_str())),
            (SipField::AuthUser, self.auth_user.as_deref()),
            (
                SipField::Password,
                self.password.as_ref().map(Secret::expose),
            ),
            (SipField::DisplayName, self.display_name.as_deref()),
            (SipField::Registrar, self.registrar.as_deref()),
            (SipField::OutboundProxy, self.outbound_proxy.as_deref()),
        ];
        for (field, text) in texts {
            if let Some(message) = text.and_then(|text| text_problem(field, text)) {
                found.push(SipFieldError::new(field, self.index, message));
            }
        }
        for (field, host) in [
            (SipField::Registrar, self.registrar.as_deref()),
            (SipField::OutboundProxy, self.outbound_proxy.as_deref()),
        ] {
            if let Some(host) = host.filter(|host| host.chars().any(char::is_whitespace)) {
                found.push(SipFieldError::new(
                    field,
                    self.index,
                    format!(
                        "{:?} holds a blank: give a host name or address, without the port",
                        host.chars().take(40).collect::<String>()
                    ),
                ));
            }
        }
        found
    }
}

/// The longest value provdesk keeps for each text field, in characters: a host name's
/// longest form (RFC 1035) for hosts, [`NAME_MAX`] for the rest.
pub const SIP_HOST_MAX: usize = 253;
pub const SIP_TEXT_MAX: usize = NAME_MAX;

fn text_problem(field: SipField, text: &str) -> Option<String> {
    let max = match field {
        SipField::Registrar | SipField::OutboundProxy => SIP_HOST_MAX,
        _ => SIP_TEXT_MAX,
    };
    line_problem(text, max)
}

/// How many SIP accounts a device of `model` has; a device without a model may use every
/// index an account can have.
pub fn sip_account_limit(model: Option<&ModelSpec>) -> u8 {
    model.map_or(u8::MAX, |model| model.sip_accounts)
}

/// The fields of a SIP account, for error messages, form labels and CSV columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SipField {
    Index,
    User,
    AuthUser,
    Password,
    DisplayName,
    Registrar,
    Port,
    Transport,
    OutboundProxy,
}

impl SipField {
    /// The fields a user fills in, in the order forms and CSV files show them.
    pub const EDITABLE: [SipField; 8] = [
        SipField::User,
        SipField::AuthUser,
        SipField::Password,
        SipField::Registrar,
        SipField::Port,
        SipField::Transport,
        SipField::DisplayName,
        SipField::OutboundProxy,
    ];

    /// The field's name in CSV columns (`sip1_user`), template variables (`sip_user_1`) and
    /// command-line options.
    pub fn key(self) -> &'static str {
        match self {
            SipField::Index => "account",
            SipField::User => "user",
            SipField::AuthUser => "auth_user",
            SipField::Password => "password",
            SipField::DisplayName => "display_name",
            SipField::Registrar => "registrar",
            SipField::Port => "port",
            SipField::Transport => "transport",
            SipField::OutboundProxy => "outbound_proxy",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SipField::Index => "account",
            SipField::User => "user",
            SipField::AuthUser => "authentication user",
            SipField::Password => "password",
            SipField::DisplayName => "display name",
            SipField::Registrar => "registrar",
            SipField::Port => "port",
            SipField::Transport => "transport",
            SipField::OutboundProxy => "outbound proxy",
        }
    }
}

/// One refused field of one account, with the reason and what to do.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub struct SipFieldError {
    pub field: SipField,
    pub index: u8,
    pub message: String,
}

impl fmt::Display for SipFieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.field {
            // The message already says which account.
            SipField::Index => write!(f, "SIP {}", self.message),
            field => write!(
                f,
                "SIP account {} {}: {}",
                self.index,
                field.label(),
                self.message
            ),
        }
    }
}

impl SipFieldError {
    pub fn new(field: SipField, index: u8, message: String) -> Self {
        Self {
            field,
            index,
            message,
        }
    }
}

/// An account as typed in a form, a CSV row or on the command line: every field is text,
/// empty means "not set".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SipAccountDraft {
    pub user: String,
    pub auth_user: String,
    pub password: Secret,
    pub display_name: String,
    pub registrar: String,
    pub port: String,
    pub transport: String,
    pub outbound_proxy: String,
}

fn non_empty(text: &str) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

impl SipAccountDraft {
    /// The text of one field (the password's through [`SipAccountDraft::password`]).
    pub fn field_mut(&mut self, field: SipField) -> Option<&mut String> {
        Some(match field {
            SipField::User => &mut self.user,
            SipField::AuthUser => &mut self.auth_user,
            SipField::Password => self.password.expose_mut(),
            SipField::DisplayName => &mut self.display_name,
            SipField::Registrar => &mut self.registrar,
            SipField::Port => &mut self.port,
            SipField::Transport => &mut self.transport,
            SipField::OutboundProxy => &mut self.outbound_proxy,
            SipField::Index => return None,
        })
    }

    /// The text of one field. Not the password, which is a `Secret` read from its own field,
    /// nor the index, which no draft holds: both give "".
    pub fn text(&self, field: SipField) -> &str {
        match field {
            SipField::User => &self.user,
            SipField::AuthUser => &self.auth_user,
            SipField::DisplayName => &self.display_name,
            SipField::Registrar => &self.registrar,
            SipField::Port => &self.port,
            SipField::Transport => &self.transport,
            SipField::OutboundProxy => &self.outbound_proxy,
            SipField::Password | SipField::Index => "",
        }
    }

    /// The draft of a stored account, for an edit form.
    pub fn of(account: &SipAccount) -> Self {
        Self {
            user: account.user.clone(),
            auth_user: account.auth_user.clone().unwrap_or_default(),
            password: account.password.clone().unwrap_or_default(),
            display_name: account.display_name.clone().unwrap_or_default(),
            registrar: account.registrar.clone().unwrap_or_default(),
            port: account.port.map(|p| p.to_string()).unwrap_or_default(),
            transport: account
                .transport
                .map(|t| t.as_str().to_string())
                .unwrap_or_default(),
            outbound_proxy: account.outbound_proxy.clone().unwrap_or_default(),
        }
    }

    /// The account numbered `index`, checked against the model's `limit`; every refused field
    /// at once.
    pub fn validate(&self, index: u8, limit: u8) -> Result<SipAccount, Vec<SipFieldError>> {
        let mut found = Vec::new();
        let port = match self.port.trim() {
            "" => None,
            text => match text.parse::<u16>() {
                Ok(port) => Some(port),
                Err(_) => {
                    found.push(SipFieldError::new(
                        SipField::Port,
                        index,
                        format!("{:?} is no port: give a number from 1 to 65535, or leave it empty for the default", text.chars().take(20).collect::<String>()),
                    ));
                    None
                }
            },
        };
        let transport = match self.transport.trim() {
            "" => None,
            text => match text.parse::<SipTransport>() {
                Ok(transport) => Some(transport),
                Err(error) => {
                    found.push(SipFieldError::new(
                        SipField::Transport,
                        index,
                        format!("{error}, or leave it empty for the site's default"),
                    ));
                    None
                }
            },
        };
        let account = SipAccount {
            index,
            registrar: non_empty(&self.registrar),
            port,
            transport,
            user: self.user.trim().to_string(),
            auth_user: non_empty(&self.auth_user),
            password: (!self.password.is_empty()).then(|| self.password.clone()),
            display_name: non_empty(&self.display_name),
            outbound_proxy: non_empty(&self.outbound_proxy),
        };
        found.extend(account.problems(limit));
        if found.is_empty() {
            Ok(account)
        } else {
            Err(found)
        }
    }

    /// Nothing typed: a form's empty account is dropped, not refused.
    pub fn is_blank(&self) -> bool {
        [
            &self.user,
            &self.auth_user,
            &self.display_name,
            &self.registrar,
            &self.port,
            &self.transport,
            &self.outbound_proxy,
        ]
        .iter()
        .all(|text| text.trim().is_empty())
            && self.password.is_empty()
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

    #[test]
    fn effective_accounts_take_the_sites_defaults_and_the_transports_port() {
        let own = SipAccount {
            index: 1,
            user: "1001".into(),
            port: Some(5070),
            ..SipAccount::default()
        };
        let site = SipDefaults {
            registrar: Some("pbx.example.com".into()),
            port: None,
            transport: Some(SipTransport::Tls),
        };
        let effective = own.effective(&site);
        assert_eq!(effective.registrar.as_deref(), Some("pbx.example.com"));
        assert_eq!(effective.port, Some(5070), "the account's own port wins");
        assert_eq!(effective.transport, Some(SipTransport::Tls));
        let bare = SipAccount { port: None, ..own };
        assert_eq!(bare.effective(&site).port, Some(5061));
    }

    #[test]
    fn drafts_are_refused_with_every_field_named() {
        let draft = SipAccountDraft {
            user: " 1001 ".into(),
            port: "70000".into(),
            transport: "sctp".into(),
            registrar: "pbx example".into(),
            display_name: "x".repeat(SIP_TEXT_MAX + 1),
            ..SipAccountDraft::default()
        };
        let errors = draft.validate(7, 6).unwrap_err();
        let fields: Vec<SipField> = errors.iter().map(|e| e.field).collect();
        for field in [
            SipField::Index,
            SipField::Port,
            SipField::Transport,
            SipField::Registrar,
            SipField::DisplayName,
        ] {
            assert!(fields.contains(&field), "{field:?} in {errors:?}");
        }
        let ok = SipAccountDraft {
            user: " 1001 ".into(),
            password: Secret::new("pw"),
            ..SipAccountDraft::default()
        }
        .validate(1, 6)
        .unwrap();
        assert_eq!(ok.user, "1001");
        assert_eq!(ok.registrar, None);
        assert!(SipAccountDraft::default().is_blank());
        assert!(!SipAccountDraft::of(&ok).is_blank());
    }
}
