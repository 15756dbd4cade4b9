//! A device as the user types it (`DeviceDraft`), as validated (`NewDevice`) and as stored
//! (`Device`).
//!
//! The draft keeps raw text so the form and the CLI can show every field's error at once; the
//! validated type cannot hold an invalid MAC, MAC-ID or URL.

use serde::Serialize;

use super::lookup::resolve_model;
use super::mac::{Mac, MacId, MacPassword};
use super::model::ModelSpec;
use super::sip_account::{SipAccount, SipDefaults, SipTransport};
use super::text::{NAME_MAX, line_problem, notes_problem};
use super::url::{ProvisioningUrl, mask_url_password};
use crate::secret::Secret;

/// The fields of a device, for error messages and form labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Field {
    Mac,
    MacId,
    MacPassword,
    Model,
    Site,
    Provider,
    Url,
    DigestUsername,
    DigestPassword,
    Notes,
}

impl Field {
    pub fn label(self) -> &'static str {
        match self {
            Field::Mac => "MAC",
            Field::MacId => "MAC-ID",
            Field::MacPassword => "MAC password",
            Field::Model => "Model",
            Field::Site => "Site",
            Field::Provider => "Provider",
            Field::Url => "Provisioning URL",
            Field::DigestUsername => "Digest user name",
            Field::DigestPassword => "Digest password",
            Field::Notes => "Notes",
        }
    }
}

/// One refused field with the reason, which already names the offending value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: Field,
    pub message: String,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field.label(), self.message)
    }
}

/// A device as typed: every field is text, empty means "not set".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeviceDraft {
    pub mac: String,
    pub mac_id: String,
    pub mac_password: Secret,
    pub model: String,
    pub site: String,
    pub provider: String,
    pub url: String,
    pub digest_username: String,
    pub digest_password: Secret,
    pub notes: String,
}

/// A validated device, ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDevice {
    pub mac: Mac,
    pub mac_id: Option<MacId>,
    pub mac_password: Option<MacPassword>,
    pub model: Option<&'static ModelSpec>,
    pub site: Option<String>,
    pub provider: Option<String>,
    pub url: Option<ProvisioningUrl>,
    pub digest_username: Option<String>,
    pub digest_password: Option<Secret>,
    pub notes: String,
    /// The device's SIP accounts when the source gives them (the form, a CSV with `sipN_*`
    /// columns); `None` leaves the stored accounts as they are.
    pub sip_accounts: Option<Vec<SipAccount>>,
}

impl NewDevice {
    /// A device known only by its MAC.
    pub fn with_mac(mac: Mac) -> Self {
        Self {
            mac,
            mac_id: None,
            mac_password: None,
            model: None,
            site: None,
            provider: None,
            url: None,
            digest_username: None,
            digest_password: None,
            notes: String::new(),
            sip_accounts: None,
        }
    }
}

fn non_empty(text: &str) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

impl DeviceDraft {
    /// The text of one field, for editors and parsers that fill fields by name.
    pub fn field_mut(&mut self, field: Field) -> &mut String {
        match field {
            Field::Mac => &mut self.mac,
            Field::MacId => &mut self.mac_id,
            Field::Model => &mut self.model,
            Field::Site => &mut self.site,
            Field::Provider => &mut self.provider,
            Field::Url => &mut self.url,
            Field::DigestUsername => &mut self.digest_username,
            Field::Notes => &mut self.notes,
            Field::MacPassword => self.mac_password.expose_mut(),
            Field::DigestPassword => self.digest_password.expose_mut(),
        }
    }

    /// Validates every field and returns all errors, so a form can mark each one at once.
    pub fn validate(&self) -> Result<NewDevice, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut fail = |field: Field, message: String| errors.push(FieldError { field, message });

        let mac = Mac::parse(&self.mac)
            .map_err(|e| fail(Field::Mac, e.to_string()))
            .ok();
        let mac_id = self
            .parse_mac_id(mac)
            .map_err(|e| fail(Field::MacId, e))
            .ok()
            .flatten();
        let mac_password = match non_empty(self.mac_password.expose()) {
            None => None,
            Some(text) => MacPassword::parse(&text)
                .map_err(|e| fail(Field::MacPassword, e.to_string()))
                .ok(),
        };
        let model = match non_empty(&self.model) {
            None => None,
            Some(text) => resolve_model(&text)
                .map_err(|e| fail(Field::Model, e.to_string()))
                .ok(),
        };
        let url = match non_empty(&self.url) {
            None => None,
            Some(text) => ProvisioningUrl::parse(&text)
                .map_err(|e| fail(Field::Url, e.to_string()))
                .ok(),
        };
        let digest_username = non_empty(&self.digest_username);
        let digest_password =
            (!self.digest_password.expose().is_empty()).then(|| self.digest_password.clone());
        for (field, message) in
            too_long(model, digest_username.as_deref(), digest_password.as_ref())
        {
            fail(field, message);
        }
        for (field, text) in [
            (Field::Site, &self.site),
            (Field::Provider, &self.provider),
            (Field::DigestUsername, &self.digest_username),
        ] {
            if let Some(problem) = line_problem(text.trim(), NAME_MAX) {
                fail(field, problem);
            }
        }
        if let Some(problem) = notes_problem(self.notes.trim()) {
            fail(Field::Notes, problem);
        }

        match (errors.is_empty(), mac) {
            (true, Some(mac)) => Ok(NewDevice {
                mac,
                mac_id,
                mac_password,
                model,
                site: non_empty(&self.site),
                provider: non_empty(&self.provider),
                url,
                digest_username,
                digest_password,
                notes: self.notes.trim().to_string(),
                sip_accounts: None,
            }),
            _ => Err(errors),
        }
    }

    /// The MAC-ID, if one was typed, checked against the MAC.
    fn parse_mac_id(&self, mac: Option<Mac>) -> Result<Option<MacId>, String> {
        let Some(text) = non_empty(&self.mac_id) else {
            return Ok(None);
        };
        let id = MacId::parse(&text).map_err(|e| e.to_string())?;
        if let Some(mac) = mac {
            id.check_belongs_to(mac).map_err(|e| e.to_string())?;
        }
        Ok(Some(id))
    }
}

/// The digest credentials that are longer than the model accepts, with what to say about each
/// (the password only by its length). The one rule for every way credentials reach a device:
/// its own, its site's, a rollout's.
pub fn too_long(
    model: Option<&ModelSpec>,
    user: Option<&str>,
    password: Option<&Secret>,
) -> Vec<(Field, String)> {
    let Some((model, limit)) = model.and_then(|m| Some((m, m.credentials?.max_len?))) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    if let Some(user) = user
        && user.chars().count() > limit
    {
        found.push((
            Field::DigestUsername,
            format!(
                "user name \"{user}\" has {} characters; the {} accepts at most {limit}",
                user.chars().count(),
                model.name
            ),
        ));
    }
    if let Some(password) = password
        && password.char_len() > limit
    {
        found.push((
            Field::DigestPassword,
            format!(
                "password has {} characters; the {} accepts at most {limit}",
                password.char_len(),
                model.name
            ),
        ));
    }
    found
}

/// Defaults a site hands to its devices.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteDefaults {
    pub provider: Option<String>,
    pub url: Option<String>,
    pub digest_username: Option<String>,
    pub digest_password: Option<Secret>,
    /// The registrar, port and transport of the site's SIP accounts, where an account leaves
    /// them open.
    pub sip_registrar: Option<String>,
    pub sip_port: Option<u16>,
    pub sip_transport: Option<SipTransport>,
}

/// What the redirect server last said about a device.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RedirectState {
    /// `registered`, `not_registered`, `error`…; `None` before the first check.
    pub status: Option<String>,
    pub provider: Option<String>,
    pub url: Option<String>,
    pub date: Option<String>,
    pub checked_at: Option<String>,
    pub error: Option<String>,
}

/// The outcome of the last test fetch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FetchState {
    /// The final HTTP status or diagnosis code, e.g. `200` or `credentials_rejected`.
    pub status: Option<String>,
    pub at: Option<String>,
    pub diagnosis: Option<String>,
}

/// What `provdesk serve` last saw of the device: when it asked, the firmware its User-Agent
/// named, the verdict, and which of its credentials it used when it was served.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeenState {
    pub at: Option<String>,
    pub firmware: Option<String>,
    /// The verdict code, e.g. `served` or `wrong_password`.
    pub verdict: Option<String>,
    /// `mac_password`, `configured` or `old_configured`, from the last request it was served.
    pub credential: Option<String>,
}

/// A credential rollout in progress on the device: its configured credentials are the new
/// ones (they are in the file it downloads), and the old ones are still accepted until the
/// rollout is enforced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RolloutState {
    /// When the rollout to the device's present credentials started; `None` when there is none.
    pub started_at: Option<String>,
    pub old_username: Option<String>,
    pub old_password: Option<Secret>,
    /// Credentials configured between the old ones and the present ones, by rollouts started
    /// again before being enforced: a phone may hold any of them, so each is still accepted.
    pub interim: Vec<(String, Secret)>,
    /// When a cancel turned the rollout round: the present credentials are the old ones
    /// again, and those the cancelled rollout gave are the ones still accepted.
    pub cancelled_at: Option<String>,
}

impl RolloutState {
    pub fn is_on(&self) -> bool {
        self.started_at.is_some()
    }

    /// A rollout back to the old credentials, after a cancel.
    pub fn is_back(&self) -> bool {
        self.is_on() && self.cancelled_at.is_some()
    }
}

/// The outcome of the last SIP registration test.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SipTestState {
    /// The verdict, e.g. `ok` or `credentials_rejected`.
    pub status: Option<String>,
    pub at: Option<String>,
    pub diagnosis: Option<String>,
}

/// A device as stored in the inventory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub id: i64,
    pub mac: Mac,
    pub mac_id: Option<MacId>,
    pub mac_password: Option<Secret>,
    /// The catalogue name; kept as text so a database written by a newer catalogue still opens.
    pub model: Option<String>,
    pub site: Option<String>,
    pub provider: Option<String>,
    pub url: Option<String>,
    pub digest_username: Option<String>,
    pub digest_password: Option<Secret>,
    pub notes: String,
    pub site_defaults: SiteDefaults,
    pub redirect: RedirectState,
    pub fetch: FetchState,
    pub seen: SeenState,
    pub rollout: RolloutState,
    pub sip_test: SipTestState,
    /// The device's SIP accounts as stored, ordered by index; what the device leaves open
    /// comes from its site ([`Device::effective_sip_accounts`]).
    pub sip_accounts: Vec<SipAccount>,
    pub created_at: String,
    pub updated_at: String,
}

impl Device {
    /// A device with only its id and MAC, every other column empty: where a device is built
    /// rather than read (samples, benches, tests), the base for `..Device::bare(id, mac)`, so
    /// a new column is added here once instead of at every such place.
    pub fn bare(id: i64, mac: Mac) -> Self {
        Self {
            id,
            mac,
            mac_id: None,
            mac_password: None,
            model: None,
            site: None,
            provider: None,
            url: None,
            digest_username: None,
            digest_password: None,
            notes: String::new(),
            site_defaults: SiteDefaults::default(),
            redirect: RedirectState::default(),
            fetch: FetchState::default(),
            seen: SeenState::default(),
            rollout: RolloutState::default(),
            sip_test: SipTestState::default(),
            sip_accounts: Vec::new(),
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    pub fn model_spec(&self) -> Option<&'static ModelSpec> {
        self.model.as_deref().and_then(super::lookup::find_model)
    }

    /// The User-Agent this device sends, where its model's shape is known: with the firmware
    /// it last reported to the provisioning server (the catalogue's known one before that, or
    /// when the reported one holds anything but printable text) and its MAC. Gigaset phones
    /// send the same one in SIP and HTTP, bar the HTTP-only `;Handset=` count (Gigaset
    /// wiki, "FAQ Nx70 - User agent"), so a test that plays the device uses it for both.
    pub fn user_agent(&self) -> Option<String> {
        let shape = self.model_spec()?.user_agent?;
        let reported = self
            .seen
            .firmware
            .as_deref()
            .filter(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_graphic()));
        Some(shape.header(
            reported.unwrap_or(shape.known_firmware),
            Some(&self.mac.macd()),
        ))
    }

    /// The provider the device uses: its own, else its site's.
    pub fn effective_provider(&self) -> Option<&str> {
        self.provider
            .as_deref()
            .or(self.site_defaults.provider.as_deref())
    }

    /// The provisioning URL pattern the device uses: its own, else its site's.
    pub fn effective_url(&self) -> Option<&str> {
        self.url.as_deref().or(self.site_defaults.url.as_deref())
    }

    pub fn effective_digest_username(&self) -> Option<&str> {
        self.digest_username
            .as_deref()
            .or(self.site_defaults.digest_username.as_deref())
    }

    pub fn effective_digest_password(&self) -> Option<&Secret> {
        self.digest_password
            .as_ref()
            .or(self.site_defaults.digest_password.as_ref())
    }

    /// Whether the device answers with its site's digest credentials, or would once the site
    /// has them: it belongs to a site and lacks its own user name or password. Then a wrong
    /// password is corrected at the site, for every device that takes it.
    pub fn credentials_from_site(&self) -> bool {
        self.site.is_some() && (self.digest_username.is_none() || self.digest_password.is_none())
    }

    /// Whether the device requests its site's provisioning URL: it belongs to a site and has
    /// no URL of its own.
    pub fn url_from_site(&self) -> bool {
        self.site.is_some() && self.url.is_none()
    }

    /// The MAC password a server checks the phone's first digest answer against (user: the
    /// MAC), when the redirect server has issued one.
    pub fn usable_mac_password(&self) -> Option<&Secret> {
        self.mac_password.as_ref().filter(|p| !p.is_empty())
    }

    /// The configured digest user and password (own, else the site's), when both are set: a
    /// user without a password, or the reverse, is no credential a server can check.
    pub fn digest_credentials(&self) -> Option<(&str, &Secret)> {
        let user = self.effective_digest_username()?;
        let password = self.effective_digest_password()?;
        (!user.is_empty() && !password.is_empty()).then_some((user, password))
    }

    /// The SIP accounts as the device uses them: site defaults filled in, ordered by index.
    pub fn effective_sip_accounts(&self) -> Vec<SipAccount> {
        let site = SipDefaults {
            registrar: self.site_defaults.sip_registrar.clone(),
            port: self.site_defaults.sip_port,
            transport: self.site_defaults.sip_transport,
        };
        self.sip_accounts
            .iter()
            .map(|account| account.effective(&site))
            .collect()
    }

    /// The draft an edit form starts from: the device's own values, not the inherited ones.
    pub fn to_draft(&self) -> DeviceDraft {
        DeviceDraft {
            mac: self.mac.macc(),
            mac_id: self
                .mac_id
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            mac_password: self.mac_password.clone().unwrap_or_default(),
            model: self.model.clone().unwrap_or_default(),
            site: self.site.clone().unwrap_or_default(),
            provider: self.provider.clone().unwrap_or_default(),
            url: self.url.clone().unwrap_or_default(),
            digest_username: self.digest_username.clone().unwrap_or_default(),
            digest_password: self.digest_password.clone().unwrap_or_default(),
            notes: self.notes.clone(),
        }
    }

    /// The public view of a device for `--json` and exports: effective values, URL password
    /// masked, no secrets.
    pub fn summary(&self) -> DeviceSummary {
        DeviceSummary {
            mac: self.mac.macd(),
            mac_id: self.mac_id.as_ref().map(ToString::to_string),
            model: self.model.clone(),
            site: self.site.clone(),
            provider: self.effective_provider().map(str::to_string),
            url: self.effective_url().map(mask_url_password),
            digest_username: self.effective_digest_username().map(str::to_string),
            has_mac_password: self.mac_password.is_some(),
            has_digest_password: self.effective_digest_password().is_some(),
            notes: self.notes.clone(),
            redirect_status: self.redirect.status.clone(),
            fetch_status: self.fetch.status.clone(),
            fetch_diagnosis: self.fetch.diagnosis.clone(),
            last_seen: self.seen.at.clone(),
            firmware: self.seen.firmware.clone(),
            seen_verdict: self.seen.verdict.clone(),
            in_rollout: self.rollout.is_on(),
            sip_test: self.sip_test.status.clone(),
            created_at: self.created_at.clone(),
            updated_at: self.updated_at.clone(),
        }
    }
}

/// What `devices --json` prints for one device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceSummary {
    pub mac: String,
    pub mac_id: Option<String>,
    pub model: Option<String>,
    pub site: Option<String>,
    pub provider: Option<String>,
    pub url: Option<String>,
    pub digest_username: Option<String>,
    pub has_mac_password: bool,
    pub has_digest_password: bool,
    pub notes: String,
    pub redirect_status: Option<String>,
    pub fetch_status: Option<String>,
    /// The main diagnosis code of the last test fetch (`ok`, `credentials_rejected`…).
    pub fetch_diagnosis: Option<String>,
    /// When `provdesk serve` last had a request from it, and what the phone said of itself.
    pub last_seen: Option<String>,
    pub firmware: Option<String>,
    pub seen_verdict: Option<String>,
    /// Its old digest credentials are still accepted (a credential rollout is on).
    pub in_rollout: bool,
    /// The verdict of the last SIP registration test (`ok`, `credentials_rejected`…).
    pub sip_test: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_devices_user_agent_is_its_models_with_its_firmware_and_mac() {
        let mac = Mac::parse("7C2F80820EC0").unwrap();
        let mut device = Device {
            model: Some("N870 IP PRO".into()),
            ..Device::bare(1, mac)
        };
        let shape = device.model_spec().unwrap().user_agent.unwrap();
        assert_eq!(
            device.user_agent().unwrap(),
            format!("{}/{};7C2F80820EC0", shape.product, shape.known_firmware)
        );
        device.seen.firmware = Some("83.V2.53.0".into());
        assert!(
            device
                .user_agent()
                .unwrap()
                .ends_with("/83.V2.53.0;7C2F80820EC0")
        );
        device.seen.firmware = Some("1\r\nX-Injected: 1".into());
        assert!(device.user_agent().unwrap().contains(shape.known_firmware));
        device.model = None;
        assert_eq!(device.user_agent(), None);
    }

    fn draft() -> DeviceDraft {
        DeviceDraft {
            mac: "7c:2f:80:82:0e:c0".into(),
            mac_id: "7C2F80820EC0-55DF".into(),
            model: "n510 ip pro".into(),
            ..DeviceDraft::default()
        }
    }

    #[test]
    fn a_good_draft_validates_to_normalised_values() {
        let device = draft().validate().unwrap();
        assert_eq!(device.mac.macd(), "7C2F80820EC0");
        assert_eq!(device.model.unwrap().name, "N510 IP PRO");
        assert_eq!(device.mac_id.unwrap().to_string(), "7C2F80820EC0-55DF");
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let bad = DeviceDraft {
            mac_id: "7C2F80820EC1-55DF".into(),
            model: "N999".into(),
            url: "http://h/%x".into(),
            mac_password: Secret::new("short"),
            ..draft()
        };
        let fields: Vec<Field> = bad
            .validate()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            vec![Field::MacId, Field::MacPassword, Field::Model, Field::Url]
        );
    }

    #[test]
    fn credential_length_follows_the_model() {
        let long = DeviceDraft {
            digest_username: "u".repeat(51),
            digest_password: Secret::new("p".repeat(51)),
            ..draft()
        };
        let errors = long.validate().unwrap_err();
        assert_eq!(errors.len(), 2);
        assert!(errors[0].message.contains("at most 50"), "{}", errors[0]);
        assert!(!errors[1].message.contains("ppp"), "password leaked");
        let generic = DeviceDraft {
            model: "Generic".into(),
            ..long
        };
        assert!(generic.validate().is_ok());
    }

    #[test]
    fn url_errors_never_show_a_password() {
        let bad = DeviceDraft {
            url: "http://u:topsecret@h/%q".into(),
            ..draft()
        };
        let errors = bad.validate().unwrap_err();
        assert!(!errors[0].message.contains("topsecret"), "{}", errors[0]);
    }
}
