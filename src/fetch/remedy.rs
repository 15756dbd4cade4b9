//! Where a fetch's fix is made: the findings whose fix is a setting provdesk holds (the
//! credentials, the URL) lead to the device's form or its site's, and an ad hoc fetch that
//! got the file names the credentials that did it, so they can be kept. Decided here, once,
//! so that the window only draws the way there.

use super::events::{Attempt, Transcript};
use super::finding::{Code, Diagnosis};
use super::spec::{Credentials, FetchSpec};
use crate::device::{Device, Mac};

/// The setting of a device a finding's fix changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixedIn {
    /// The MAC password or the digest user name and password.
    Credentials,
    /// The provisioning URL: host, port, path.
    Url,
}

impl FixedIn {
    /// The setting a finding's fix changes, where provdesk holds it; `None` where the fix is on
    /// the server or the network (and for a success, which needs none).
    pub fn of(code: Code) -> Option<Self> {
        match code {
            Code::CredentialsRejected
            | Code::NoCredentials
            | Code::ManualEntryTimedOut
            | Code::MacPasswordUnknown
            | Code::LockoutSuspected => Some(Self::Credentials),
            Code::NotFound
            | Code::ConnectionFailed
            | Code::RedirectOtherHost
            | Code::RequestNotBuilt
            | Code::ProtocolError
            | Code::UnexpectedStatus => Some(Self::Url),
            _ => None,
        }
    }
}

/// The ways to the fix after a fetch of an inventory device: its form, and its site's
/// defaults where the device takes the setting to change from its site.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FixRoutes {
    /// The device's form holds what to change.
    pub device: bool,
    /// The site whose defaults the device takes what to change from.
    pub site: Option<String>,
}

impl FixRoutes {
    /// The routes for a fetch of `device` that ended in `diagnosis`. A MAC password is the
    /// device's own, never its site's. `own_serve_failed`: provdesk's own Serve answered with
    /// the server error; it renders a device's file by its model, so for a device without one
    /// the model in its form is the fix.
    pub fn for_device(diagnosis: &[Diagnosis], device: &Device, own_serve_failed: bool) -> Self {
        let codes = || diagnosis.iter().map(|d| d.code);
        let fixed_in = |setting| codes().any(|code| FixedIn::of(code) == Some(setting));
        let credentials = fixed_in(FixedIn::Credentials);
        let url = fixed_in(FixedIn::Url);
        let site_credentials = codes().any(|code| {
            FixedIn::of(code) == Some(FixedIn::Credentials) && code != Code::MacPasswordUnknown
        });
        let from_site =
            (site_credentials && device.credentials_from_site()) || (url && device.url_from_site());
        let model_missing = own_serve_failed && device.model.is_none();
        Self {
            device: credentials || url || model_missing,
            site: device.site.clone().filter(|_| from_site),
        }
    }

    pub fn any(&self) -> bool {
        self.device || self.site.is_some()
    }
}

/// The configured credentials that got the file, and the MAC they were tried for: what an
/// ad hoc fetch proved, to keep with the inventory device of that MAC. `None` unless the
/// request that succeeded answered with the configured credentials (not the MAC password,
/// not none, not ones typed on the device) and the fetch had a MAC.
pub fn proven_credentials(spec: &FetchSpec, transcript: &Transcript) -> Option<(Mac, Credentials)> {
    let mac = spec.mac?;
    let granted = transcript
        .steps
        .iter()
        .find(|step| step.response.as_ref().is_some_and(|r| r.is_success()))?;
    if granted.request.attempt != Attempt::Configured {
        return None;
    }
    let credentials = spec.plan().ok()?.configured?;
    let used = granted.answer.as_ref()?;
    (used.username == credentials.username && !credentials.password.is_empty())
        .then_some((mac, credentials))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fetch::finding::Severity;
    use crate::secret::Secret;

    fn finding(code: Code) -> Diagnosis {
        Diagnosis {
            code,
            severity: Severity::Error,
            title: String::new(),
            message: String::new(),
            fix: String::new(),
        }
    }

    fn device(site: Option<&str>, own_user: bool, own_url: bool) -> Device {
        Device {
            site: site.map(str::to_string),
            digest_username: own_user.then(|| "own".to_string()),
            digest_password: own_user.then(|| Secret::new("own-pw")),
            url: own_url.then(|| "http://h.example/%MACD.xml".to_string()),
            ..Device::bare(1, Mac::parse("7C2F80820EC0").unwrap())
        }
    }

    #[test]
    fn rejected_credentials_lead_to_the_device_and_the_site_it_takes_them_from() {
        let rejected = [finding(Code::CredentialsRejected)];
        let hotel = Some("Hotel".to_string());
        let routes = FixRoutes::for_device(&rejected, &device(Some("Hotel"), false, true), false);
        assert_eq!(
            routes,
            FixRoutes {
                device: true,
                site: hotel.clone()
            }
        );
        let own = FixRoutes::for_device(&rejected, &device(Some("Hotel"), true, false), false);
        assert_eq!(own.site, None, "own credentials: the site is not the fix");
        assert!(own.device);
        let alone = FixRoutes::for_device(&rejected, &device(None, false, false), false);
        assert_eq!(alone.site, None);

        let not_found = [finding(Code::NotFound)];
        let routes = FixRoutes::for_device(&not_found, &device(Some("Hotel"), true, false), false);
        assert_eq!(routes.site, hotel, "the URL is the site's");
        let mac_password = [finding(Code::MacPasswordUnknown)];
        let routes =
            FixRoutes::for_device(&mac_password, &device(Some("Hotel"), false, true), false);
        assert!(
            routes.device && routes.site.is_none(),
            "a MAC password is the device's own"
        );
    }

    #[test]
    fn a_success_or_a_server_fault_leads_nowhere() {
        for code in [Code::Ok, Code::ServerError, Code::TlsError, Code::StaleLoop] {
            let routes = FixRoutes::for_device(
                &[finding(code)],
                &device(Some("Hotel"), false, false),
                false,
            );
            assert!(!routes.any(), "{code:?}");
        }
    }

    #[test]
    fn own_serve_failing_a_device_without_a_model_leads_to_its_form_only() {
        let failed = [finding(Code::ServerError)];
        let mut bare = device(Some("Hotel"), false, false);
        bare.model = None;
        let routes = FixRoutes::for_device(&failed, &bare, true);
        assert_eq!(
            routes,
            FixRoutes {
                device: true,
                site: None
            },
            "the model is the device's own"
        );
        assert!(
            !FixRoutes::for_device(&failed, &bare, false).any(),
            "another server's 500 is not about provdesk's model"
        );
        let mut modelled = bare.clone();
        modelled.model = Some("N510 IP PRO".to_string());
        assert!(!FixRoutes::for_device(&failed, &modelled, true).any());
    }
}
