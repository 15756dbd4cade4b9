//! What a test fetch is asked to do: the URL as the device holds it, who the device is, and how
//! it talks TLS. Turning that into the first request (placeholders expanded, `user:pass@` taken
//! out of the URL and honoured or not as the model does) happens here, before any I/O.

use std::path::{Path, PathBuf};
use std::time::Duration;

use thiserror::Error;

use crate::device::{
    AuthAttempt, Device, DeviceFacts, FETCH_FACTS, Fact, Mac, ModelSpec, ProvisioningUrl,
    UrlCredentials, UrlError, default_model, firmware_at_least, firmware_checks, mask_url_password,
    percent_decode, resolve_model,
};
use crate::printable::printable;
use crate::secret::Secret;

/// A user name and password the device answers a challenge with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub username: String,
    pub password: Secret,
}

impl Credentials {
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Self {
        Self {
            username: username.into(),
            password: Secret::new(password),
        }
    }
}

/// A client certificate, for servers that tell devices apart by certificate (BroadWorks R22+).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientIdentity {
    /// A PEM certificate (chain) and its PEM private key; both may be the same file.
    Pem { cert: PathBuf, key: PathBuf },
    /// A PKCS#12 (.p12/.pfx) bundle and its password.
    Pkcs12 { path: PathBuf, password: Secret },
}

impl ClientIdentity {
    /// Whether a certificate file is a PKCS#12 bundle (.p12/.pfx) rather than PEM, by its name.
    pub fn is_pkcs12(path: &Path) -> bool {
        path.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("p12") || e.eq_ignore_ascii_case("pfx"))
    }
}

/// TLS settings. Certificates are verified unless the user turns that off, as the device's own
/// "accept all certificates" setting does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsOptions {
    pub accept_invalid_certs: bool,
    /// Extra trusted CA certificates (PEM), for servers with a private CA.
    pub ca_file: Option<PathBuf>,
    pub client_identity: Option<ClientIdentity>,
}

/// How long a fetch waits for one whole answer unless told otherwise: the CLI's `--timeout`
/// default and the panel's first value.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// The longest wait for one answer: a device gives up on a provisioning server long before.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(3600);

/// The wait for one answer from `seconds`, as the user gives it: above zero and at most
/// [`MAX_TIMEOUT`]. A NaN, an infinity or a negative number is refused, never a panic.
pub fn answer_timeout(seconds: f64) -> Result<Duration, SetupError> {
    Duration::try_from_secs_f64(seconds)
        .ok()
        .filter(|d| !d.is_zero() && *d <= MAX_TIMEOUT)
        .ok_or(SetupError::Timeout {
            seconds: seconds.to_string(),
        })
}

/// Everything a test fetch needs to know.
#[derive(Debug, Clone)]
pub struct FetchSpec {
    /// The provisioning URL as configured: placeholders and `user:pass@` allowed.
    pub url: String,
    pub mac: Option<Mac>,
    /// The MAC password the redirect server gave this device.
    pub mac_password: Option<Secret>,
    /// The digest credentials configured on the device.
    pub configured: Option<Credentials>,
    /// The passwords of the device's SIP accounts. The fetch never sends them, but the file it
    /// fetches is the one that carries them to the device (`S_SIP_PASSWORD_1`), so a body
    /// shows them masked, like the fetch's own passwords, until the user reveals it.
    pub sip_passwords: Vec<Secret>,
    pub model: &'static ModelSpec,
    /// The inventory device has no model: `model` is the default, played in its place, and a
    /// note says so (its User-Agent, algorithms and ladder may not be the device's).
    pub model_assumed: bool,
    /// The device ID for `%DVID`; the model's from the catalogue when not given.
    pub dvid: Option<String>,
    /// The firmware the device runs, in its own numbering (`83.V2.53.0`): it goes into the
    /// User-Agent, and features the firmware predates are left out as the device would. When
    /// unknown, the catalogue's known firmware is sent and the minimums are named in a note.
    pub firmware: Option<String>,
    pub tls: TlsOptions,
    /// The longest wait for one whole answer, headers and body.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// The body kept and shown; the rest is counted, not stored.
    pub body_limit: usize,
}

impl FetchSpec {
    /// An ad hoc fetch of `url` as `model` would do it, with nothing else known yet.
    pub fn ad_hoc(url: impl Into<String>, model: &'static ModelSpec) -> Self {
        Self {
            url: url.into(),
            mac: None,
            mac_password: None,
            configured: None,
            sip_passwords: Vec::new(),
            model,
            model_assumed: false,
            dvid: None,
            firmware: None,
            tls: TlsOptions::default(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: Duration::from_secs(5),
            body_limit: 1024 * 1024,
        }
    }

    /// A fetch as this inventory device would do it: its URL, MAC password and credentials,
    /// with the site's defaults filled in.
    pub fn for_device(device: &Device) -> Result<Self, SetupError> {
        let url = device
            .effective_url()
            .ok_or(SetupError::NoUrl {
                mac: device.mac.macd(),
            })?
            .to_string();
        let (model, model_assumed) = match device.model.as_deref() {
            Some(name) => (
                resolve_model(name).map_err(|e| SetupError::Model(e.to_string()))?,
                false,
            ),
            None => (default_model(), true),
        };
        let configured = match (
            device.effective_digest_username(),
            device.effective_digest_password(),
        ) {
            (Some(user), Some(password)) => Some(Credentials {
                username: user.to_string(),
                password: password.clone(),
            }),
            (Some(user), None) => Some(Credentials::new(user, "")),
            _ => None,
        };
        let mut spec = Self::ad_hoc(url, model);
        spec.model_assumed = model_assumed;
        spec.mac = Some(device.mac);
        spec.mac_password = device.mac_password.clone();
        spec.configured = configured;
        spec.sip_passwords = Self::sip_passwords_of(device);
        Ok(spec)
    }

    /// The passwords of `device`'s SIP accounts, for [`FetchSpec::sip_passwords`].
    fn sip_passwords_of(device: &Device) -> Vec<Secret> {
        device
            .sip_accounts
            .iter()
            .filter_map(|account| account.password.clone())
            .collect()
    }

    /// Expands the URL and decides which credentials each rung of the ladder uses.
    pub fn plan(&self) -> Result<FetchPlan, SetupError> {
        if let Some(firmware) = self.firmware.as_deref()
            && firmware.chars().any(char::is_control)
        {
            return Err(SetupError::FirmwareControl {
                firmware: printable(firmware, 80),
            });
        }
        let pattern = ProvisioningUrl::parse(&self.url).map_err(SetupError::Url)?;
        let expanded = match self.mac {
            Some(mac) => pattern.expand(&DeviceFacts {
                mac,
                dvid: self.dvid.as_deref().or(self.model.dvid),
            }),
            None => {
                if let Some(placeholder) = pattern.placeholders().find(|p| p.needs_mac()) {
                    return Err(SetupError::PlaceholderWithoutMac {
                        placeholder: placeholder.token(),
                    });
                }
                pattern.expand_without_device()
            }
        };
        let mut url = reqwest::Url::parse(&expanded).map_err(|e| SetupError::BadUrl {
            url: mask_url_password(&expanded),
            reason: e.to_string(),
        })?;
        let mut notes = Vec::new();
        if self.model_assumed {
            notes.push(format!(
                "The device has no model in the inventory, so it was fetched as the {} would (its User-Agent, digest algorithms and steps): set its model (Edit device…) for a fetch as it does it.",
                self.model.name
            ));
        }
        let mut configured = self.configured.clone();
        if let Some(user) = pattern.username() {
            let (from_url, note) = self.url_credentials(user, &pattern);
            notes.push(note);
            configured = from_url.or(configured);
            let _ = url.set_username("");
            let _ = url.set_password(None);
        }
        notes.extend(self.firmware_notes());
        let used: Vec<Fact> = FETCH_FACTS
            .iter()
            .copied()
            .filter(|fact| pattern.username().is_some() || *fact != Fact::UrlCredentials)
            .collect();
        notes.extend(self.model.unconfirmed_note(&used));
        let mac_credentials = match (self.mac, &self.mac_password) {
            (Some(mac), Some(password)) if !password.is_empty() => Some(Credentials {
                username: mac.macd(),
                password: password.clone(),
            }),
            _ => None,
        };
        Ok(FetchPlan {
            url,
            user_agent: self.user_agent(),
            notes,
            mac_credentials,
            configured,
        })
    }

    /// The User-Agent the model sends (`N510 IP PRO/42.245.00.000.000;7C2F80820EC0`), with the
    /// given firmware or the catalogue's known one; provdesk's own where the model's is unknown.
    pub fn user_agent(&self) -> String {
        match self.model.user_agent {
            Some(shape) => shape.header(
                self.firmware.as_deref().unwrap_or(shape.known_firmware),
                self.mac.map(|mac| mac.macd()).as_deref(),
            ),
            None => format!(
                "provdesk/{} (test fetch as {})",
                env!("CARGO_PKG_VERSION"),
                self.model.name
            ),
        }
    }

    /// The catalogue's firmware minimums this model's firmware does not meet (or that cannot
    /// be compared with it); nothing when the firmware is not given.
    fn firmware_notes(&self) -> Option<String> {
        let firmware = self.firmware.as_deref()?;
        let sentences: Vec<String> = firmware_checks(self.model, firmware)
            .iter()
            .filter(|check| check.met != Some(true))
            .map(|check| check.sentence(firmware))
            .collect();
        (!sentences.is_empty()).then(|| format!("{}: {}.", self.model.name, sentences.join("; ")))
    }

    /// The credentials `user:pass@` in the URL gives, where the model reads them (they then
    /// stand for the configured ones), and a note saying what the device does with them.
    fn url_credentials(
        &self,
        user: &str,
        pattern: &ProvisioningUrl,
    ) -> (Option<Credentials>, String) {
        if let (UrlCredentials::FromFirmware(minimum), Some(firmware)) =
            (self.model.url_credentials, self.firmware.as_deref())
            && firmware_at_least(firmware, minimum) == Some(false)
        {
            let note = format!(
                "The URL carries credentials for \"{user}\", but a {} on firmware {firmware} reads them only from {minimum} on; they are left out as the device would.",
                self.model.name
            );
            return (None, note);
        }
        if matches!(self.model.url_credentials, UrlCredentials::No) {
            let note = format!(
                "The URL carries credentials for \"{user}\", but the {} does not read credentials from its URL; they are left out as the device would.",
                self.model.name
            );
            return (None, note);
        }
        let password = pattern.password().cloned().unwrap_or_default();
        let note = format!(
            "The URL carries credentials for \"{user}\"; the {} uses them as its configured digest credentials{}.",
            self.model.name,
            match self.model.url_credentials {
                UrlCredentials::FromFirmware(version) => format!(" (firmware {version} or later)"),
                _ => String::new(),
            }
        );
        let credentials = Credentials {
            username: percent_decode(user),
            password: Secret::new(percent_decode(password.expose())),
        };
        (Some(credentials), note)
    }
}

/// The first request and the credentials for each rung, worked out before the fetch starts.
#[derive(Debug, Clone)]
pub struct FetchPlan {
    /// The URL the device requests, placeholders expanded and without `user:pass@`.
    pub url: reqwest::Url,
    /// The User-Agent header, as the model sends it.
    pub user_agent: String,
    /// What the planning decided that the user should know.
    pub notes: Vec<String>,
    pub mac_credentials: Option<Credentials>,
    pub configured: Option<Credentials>,
}

impl FetchPlan {
    /// The credentials a rung answers with; `None` for the anonymous rung and for rungs whose
    /// credentials are unknown (manual entry is asked for when reached).
    pub fn credentials(&self, attempt: AuthAttempt) -> Option<&Credentials> {
        match attempt {
            AuthAttempt::MacPassword => self.mac_credentials.as_ref(),
            AuthAttempt::Configured => self.configured.as_ref(),
            AuthAttempt::Anonymous | AuthAttempt::Manual => None,
        }
    }
}

/// Why a fetch cannot start.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SetupError {
    #[error(
        "device {mac} has no provisioning URL, and its site has none either; give the URL to fetch, or set one on the device (its form in Inventory) or its site (`provdesk site set --url`)"
    )]
    NoUrl { mac: String },
    #[error("{0}")]
    Url(UrlError),
    #[error(
        "the URL uses {placeholder}, which needs the device's MAC; choose a device or enter its MAC"
    )]
    PlaceholderWithoutMac { placeholder: &'static str },
    #[error("{url} is not a URL the HTTP client can request: {reason}")]
    BadUrl { url: String, reason: String },
    #[error("{0}")]
    Model(String),
    #[error(
        "a timeout of {seconds} s is out of range: give the seconds to wait for each answer, more than 0 and at most 3600 (one hour)"
    )]
    Timeout { seconds: String },
    /// The firmware goes into the User-Agent header, which cannot carry a line break.
    #[error(
        "the firmware \"{firmware}\" holds a control character (a line break, a tab…), which the User-Agent header it goes into cannot carry; give the firmware as the phone reports it, e.g. 42.245.00.000.000"
    )]
    FirmwareControl { firmware: String },
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::find_model;

    fn spec(url: &str, model: &str) -> FetchSpec {
        FetchSpec::ad_hoc(url, find_model(model).unwrap())
    }

    #[test]
    fn placeholders_expand_and_need_a_mac() {
        let mut fetch = spec("https://prov.example.com/cfg/%MACD.xml", "N510");
        assert_eq!(
            fetch.plan().unwrap_err(),
            SetupError::PlaceholderWithoutMac {
                placeholder: "%MACD"
            }
        );
        fetch.mac = Some(Mac::parse("7c:2f:80:82:0e:c0").unwrap());
        fetch.mac_password = Some(Secret::new("123456789012"));
        let plan = fetch.plan().unwrap();
        assert_eq!(
            plan.url.as_str(),
            "https://prov.example.com/cfg/7C2F80820EC0.xml"
        );
        let mac = plan.credentials(AuthAttempt::MacPassword).unwrap();
        assert_eq!(mac.username, "7C2F80820EC0");
        assert_eq!(mac.password.expose(), "123456789012");
    }

    #[test]
    fn url_credentials_follow_the_model() {
        let spectralink = spec("http://prov%40x:p%3Ass@h.example/kws.xml", "Spectralink")
            .plan()
            .unwrap();
        assert_eq!(spectralink.url.as_str(), "http://h.example/kws.xml");
        let configured = spectralink.configured.unwrap();
        assert_eq!(configured.username, "prov@x");
        assert_eq!(configured.password.expose(), "p:ss");

        let n510 = spec("http://u:secret@h.example/a.xml", "N510")
            .plan()
            .unwrap();
        assert_eq!(n510.url.as_str(), "http://h.example/a.xml");
        assert!(n510.configured.is_none());
        assert!(n510.notes[0].contains("does not read credentials"));
        assert!(!n510.notes[0].contains("secret"));
    }

    #[test]
    fn a_device_fetch_knows_its_sip_passwords() {
        let device = Device {
            url: Some("http://h.example/%MACD.xml".into()),
            sip_accounts: vec![
                crate::device::SipAccount {
                    index: 1,
                    user: "1001".into(),
                    password: Some(Secret::new("SipPw-K7m2")),
                    ..Default::default()
                },
                crate::device::SipAccount {
                    index: 2,
                    user: "1002".into(),
                    ..Default::default()
                },
            ],
            ..Device::bare(1, Mac::parse("7C2F80820EC0").unwrap())
        };
        let spec = FetchSpec::for_device(&device).unwrap();
        let passwords: Vec<&str> = spec.sip_passwords.iter().map(Secret::expose).collect();
        assert_eq!(passwords, ["SipPw-K7m2"]);
    }

    /// A device without a model is fetched as the default model, and the notes say so.
    #[test]
    fn a_device_without_a_model_is_said_to_be_played_as_the_default() {
        let bare = Device {
            url: Some("http://h.example/%MACD.xml".into()),
            ..Device::bare(1, Mac::parse("7C2F80820EC0").unwrap())
        };
        let plan = FetchSpec::for_device(&bare).unwrap().plan().unwrap();
        let expected = format!(
            "The device has no model in the inventory, so it was fetched as the {} would",
            default_model().name
        );
        assert!(
            plan.notes.iter().any(|n| n.starts_with(&expected)),
            "{:?}",
            plan.notes
        );
        let known = Device {
            model: Some("N720".into()),
            ..bare
        };
        let plan = FetchSpec::for_device(&known).unwrap().plan().unwrap();
        assert!(!plan.notes.iter().any(|n| n.contains("has no model")));
    }

    #[test]
    fn a_firmware_with_a_line_break_is_refused_before_any_request() {
        let mut fetch = spec("http://h.example/a.xml", "N510");
        fetch.firmware = Some("42.245\r\nX-Injected: 1".into());
        let error = fetch.plan().unwrap_err().to_string();
        assert!(
            error.contains(r"42.245\r\nX-Injected: 1") && error.contains("control character"),
            "{error}"
        );
        fetch.firmware = Some("42.245.00.000.000".into());
        assert!(fetch.plan().is_ok());
    }

    #[test]
    fn a_timeout_is_above_zero_and_at_most_an_hour() {
        assert_eq!(answer_timeout(2.5), Ok(Duration::from_millis(2500)));
        assert_eq!(answer_timeout(3600.0), Ok(MAX_TIMEOUT));
        for seconds in [0.0, -1.0, 3600.5, f64::NAN, f64::INFINITY, 1e20] {
            let error = answer_timeout(seconds).unwrap_err().to_string();
            assert!(error.contains("at most 3600"), "{seconds}: {error}");
        }
    }

    #[test]
    fn an_empty_mac_password_is_no_mac_rung() {
        let mut fetch = spec("http://h.example/a.xml", "N510");
        fetch.mac = Some(Mac::parse("7C2F80820EC0").unwrap());
        fetch.mac_password = Some(Secret::new(""));
        assert!(fetch.plan().unwrap().mac_credentials.is_none());
    }
}
