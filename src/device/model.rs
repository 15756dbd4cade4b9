//! What a model row is.
//!
//! Everything that differs between an N510, a Maxwell 3 or a DE900 lives in one row of data
//! (`catalogue.rs`), so the template renderer, the test fetch and the UI read the same facts and
//! adding a model is adding a row. Every fact names its source (`source.rs`).

use serde::Serialize;

use super::format::ConfigFormat;
use super::source::Sourced;
use crate::digest::Algorithm;

/// Product family, which decides the provisioning platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Family {
    /// N510 / N720: the Gigaset "ProviderFrame" XML platform.
    NSeries,
    /// N610 / N670 / N870: multicell DECT on the "provisioning 1.1" platform.
    NMulticell,
    Maxwell,
    DeSeries,
    Dx,
    Spectralink,
    Generic,
}

/// Where the model's HTTP digest credentials go in its configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CredentialParams {
    pub username_param: &'static str,
    pub password_param: &'static str,
    /// Longest value the device accepts, in characters; `None` where no limit is documented.
    pub max_len: Option<usize>,
}

/// A parameter and the value it must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ParamValue {
    pub param: &'static str,
    pub value: &'static str,
}

/// One rung of the credential ladder a device climbs after a `401`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum AuthAttempt {
    /// The first request, without credentials.
    Anonymous,
    /// User name = the 12-digit MAC, password = the MAC password from the redirect server.
    MacPassword,
    /// The digest user name and password configured on the device.
    Configured,
    /// Credentials typed on the device's display.
    Manual,
}

/// What the device offers when every configured credential was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ManualEntry {
    /// The fetch fails.
    None,
    /// The user types credentials on the display.
    Display {
        tries: u8,
        /// The entry closes this long after the last key press.
        idle_timeout_s: u16,
        from_firmware: &'static str,
    },
    /// A notification opens the same entry (Maxwell 10).
    Notification { tries: u8 },
    /// One manual try; an empty entry also tries once; credentials are kept only on success.
    OneTry { from_firmware: &'static str },
}

impl ManualEntry {
    /// How long the entry stays open without a key press: the model's own where the catalogue
    /// knows it, else the 60 s the display phones use. The fetch ends its wait then, and the
    /// panel counts down to it.
    pub fn idle_timeout(&self) -> std::time::Duration {
        match self {
            ManualEntry::Display { idle_timeout_s, .. } => {
                std::time::Duration::from_secs((*idle_timeout_s).into())
            }
            _ => std::time::Duration::from_secs(60),
        }
    }
}

/// Whether `http(s)://user:pass@host/…` in the provisioning URL is honoured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum UrlCredentials {
    No,
    FromFirmware(&'static str),
    Always,
}

/// How the model's User-Agent looks: `{product}/{firmware};{MAC}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct UserAgentShape {
    /// The text before the `/`, as the phone sends it: `N510 IP PRO`, `Gigaset N870 IP PRO`.
    pub product: &'static str,
    /// A firmware the model is known to report, in its own numbering; a test fetch plays it.
    pub known_firmware: &'static str,
}

impl UserAgentShape {
    /// The User-Agent the phone sends, with its MAC when one is known.
    pub fn header(&self, firmware: &str, mac: Option<&str>) -> String {
        match mac {
            Some(mac) => format!("{}/{firmware};{mac}", self.product),
            None => format!("{}/{firmware}", self.product),
        }
    }
}

/// The facts of one model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ModelSpec {
    /// The catalogue name, as stored and shown: `N510 IP PRO`.
    pub name: &'static str,
    pub family: Family,
    /// Other spellings accepted on input; matching ignores case, blanks, `-` and `_`.
    pub aliases: &'static [&'static str],
    pub config_format: ConfigFormat,
    pub credentials: Option<CredentialParams>,
    pub auth_ladder: &'static [AuthAttempt],
    /// Digest algorithms the device answers with, in no particular order.
    pub digest_algorithms: &'static [Algorithm],
    pub manual_entry: ManualEntry,
    /// HTTP Basic is accepted (DE series: for testing only). Gigaset devices otherwise do digest only.
    pub basic_accepted: bool,
    pub url_credentials: UrlCredentials,
    /// First firmware with digest support, where documented.
    pub min_digest_firmware: Option<&'static str>,
    /// The `productID` of a provisioning 1.1 file's root element; `None` for other formats.
    pub product_id: Option<&'static str>,
    /// The `PROFILE_NAME` a ProviderFrame file must carry: with another one the device changes
    /// nothing.
    pub profile_name: Option<&'static str>,
    /// A parameter that must hold a value before the device takes the digest password from its
    /// configuration (N720: `I_PHONE_SYSTEM` = 5). Templates write it beside the credentials and
    /// the validator refuses a file that sets it otherwise.
    pub password_requires: Option<ParamValue>,
    /// The device ID the phone puts in `%DVID` (`82/1`): models that share a productID are told
    /// apart by it.
    pub dvid: Option<&'static str>,
    pub user_agent: Option<UserAgentShape>,
    /// The file the device asks for first when its URL names a folder (`provisioning.xml`),
    /// before `<MAC>.xml`.
    pub folder_file: Option<&'static str>,
    /// How many SIP accounts (lines, connections) the device holds, numbered from 1.
    pub sip_accounts: u8,
    /// Where the device reads its SIP accounts in its configuration file; `None` where
    /// provdesk writes none (the file carries no SIP settings).
    pub sip_params: Option<SipParams>,
    /// A model-specific rule, in words, for people.
    pub note: Option<&'static str>,
    /// Where each of the facts above comes from (see [`ModelSpec::facts`]), in groups a family
    /// shares.
    pub sources: &'static [&'static [Sourced]],
}

/// A value of one of the device's SIP accounts, as a configuration file places it: what a
/// model's SIP parameter holds and what a template's `sip_{key}_{n}` variable names, so the
/// two cannot drift apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum AccountField {
    /// The extension (the user part of the address of record).
    User,
    /// The digest user: the authentication user, else the extension.
    AuthUser,
    Password,
    /// The display name, else the extension.
    DisplayName,
    Registrar,
    Port,
    Transport,
    OutboundProxy,
    /// `1` for every account written: the file names only the accounts the device has.
    Active,
}

impl AccountField {
    pub const ALL: [AccountField; 9] = [
        AccountField::User,
        AccountField::AuthUser,
        AccountField::Password,
        AccountField::DisplayName,
        AccountField::Registrar,
        AccountField::Port,
        AccountField::Transport,
        AccountField::OutboundProxy,
        AccountField::Active,
    ];

    /// The middle of a template variable's name: `sip_{key}_{n}`.
    pub fn key(self) -> &'static str {
        match self {
            AccountField::User => "user",
            AccountField::AuthUser => "auth_user",
            AccountField::Password => "password",
            AccountField::DisplayName => "display_name",
            AccountField::Registrar => "registrar",
            AccountField::Port => "port",
            AccountField::Transport => "transport",
            AccountField::OutboundProxy => "outbound_proxy",
            AccountField::Active => "active",
        }
    }
}

/// One SIP parameter of an account: its name with `#` where the account's number goes, the
/// `class` a ProviderFrame element carries, and what it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SipParam {
    pub pattern: &'static str,
    pub class: &'static str,
    pub value: AccountField,
}

/// Where a model reads its SIP accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SipParams {
    /// How many digits the account's number takes in a name (`SipAccount.00001.…`: 5); 0 for
    /// no padding.
    pub number_width: usize,
    pub params: &'static [SipParam],
}

impl SipParams {
    /// The parameter's name for account `index`.
    pub fn name(&self, param: &SipParam, index: u8) -> String {
        let number = format!("{index:0width$}", width = self.number_width);
        param.pattern.replace('#', &number)
    }
}
