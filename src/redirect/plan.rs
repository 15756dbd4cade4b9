//! The sync plan: what to change on the redirect server so that it says what the inventory says.
//!
//! The plan is rebuilt from both sides every time, never kept: after a failed or cancelled
//! apply, the next plan simply contains what is still different.
//!
//! URLs are compared as **patterns**: the server stores the URL exactly as registered
//! (`http://p.example/%MACD.xml`) and the phone expands the placeholders itself, so the
//! inventory's effective URL pattern is compared, character for character, with the server's.
//! Providers are compared exactly too.

use std::collections::{BTreeMap, HashMap, HashSet};

use futures_util::{StreamExt as _, stream};
use serde::Serialize;

use super::answer::{CheckAnswer, RemoteDevice};
use super::code::ResultCode;
use super::service::{RedirectError, RedirectService};
use crate::device::{Device, Mac, mask_url_password};
use crate::inventory::RedirectUpdate;

/// What to do with one device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Not on the server: register it.
    Register,
    /// On the server with another URL or provider: deregister, then register.
    Update,
    /// On the server, not in the inventory, and the user asked to remove such devices.
    Deregister,
    /// The server already says what the inventory says.
    Unchanged,
}

impl Action {
    pub fn name(self) -> &'static str {
        match self {
            Self::Register => "register",
            Self::Update => "update",
            Self::Deregister => "deregister",
            Self::Unchanged => "unchanged",
        }
    }
}

/// One device of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanItem {
    pub mac: Mac,
    /// What the server is called with: the MAC-ID, else the plain MAC.
    pub mac_id: String,
    pub action: Action,
    /// The provider and URL pattern wanted (for a deregistration, the server's).
    pub provider: String,
    pub url: String,
    /// What the server holds now, when it holds the device.
    pub remote: Option<RemoteDevice>,
}

/// A device the plan or the apply could not handle, with the reason as a sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceFailure {
    pub mac: String,
    pub code: String,
    pub message: String,
}

impl DeviceFailure {
    pub fn from_code(mac: Mac, code: &ResultCode) -> Self {
        Self {
            mac: mac.macd(),
            code: code.code().to_string(),
            message: code.to_string(),
        }
    }

    pub fn from_error(mac: Mac, error: &RedirectError) -> Self {
        Self {
            mac: mac.macd(),
            code: error.code().to_string(),
            message: error.to_string(),
        }
    }
}

/// The plan: every device with a provider and URL, plus the remote-only ones when asked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncPlan {
    /// Sorted by action, then MAC.
    pub items: Vec<PlanItem>,
    /// Devices whose state could not be learned (e.g. the server calls the MAC-ID invalid).
    pub failed: Vec<DeviceFailure>,
    /// Registered on the server under the providers looked at, but not in the inventory.
    /// They are deregistered only with [`PlanOptions::deregister_unknown`].
    pub remote_only: usize,
}

impl SyncPlan {
    pub fn with_action(&self, action: Action) -> impl Iterator<Item = &PlanItem> {
        self.items.iter().filter(move |item| item.action == action)
    }

    pub fn count(&self, action: Action) -> usize {
        self.with_action(action).count()
    }

    /// What planning learned that the inventory should keep before anything is applied: the
    /// server's state of devices that stay unchanged, and the error of devices whose state
    /// could not be learned.
    pub fn observed_updates(&self) -> Vec<(Mac, RedirectUpdate)> {
        let unchanged = self.with_action(Action::Unchanged).filter_map(|item| {
            let remote = item.remote.as_ref()?;
            Some((
                item.mac,
                RedirectUpdate::Registered {
                    provider: remote.provider.clone(),
                    url: remote.url.clone(),
                    date: Some(remote.date.clone()).filter(|d| !d.is_empty()),
                    mac_password: None,
                },
            ))
        });
        let failed = self.failed.iter().filter_map(|failure| {
            Some((
                Mac::parse(&failure.mac).ok()?,
                RedirectUpdate::Failed {
                    error: format!("{}: {}", failure.code, failure.message),
                },
            ))
        });
        unchanged.chain(failed).collect()
    }

    /// The counts in words: "2 to register, 0 to update, 1 to deregister, 6 unchanged, 0 failed".
    pub fn summary(&self) -> String {
        format!(
            "{} to register, {} to update, {} to deregister, {} unchanged, {} failed",
            self.count(Action::Register),
            self.count(Action::Update),
            self.count(Action::Deregister),
            self.count(Action::Unchanged),
            self.failed.len()
        )
    }

    /// Whether applying would change anything.
    pub fn has_changes(&self) -> bool {
        self.items
            .iter()
            .any(|item| item.action != Action::Unchanged)
    }
}

/// How to build a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanOptions {
    /// Only devices of this provider (their effective one), and only its registrations.
    pub provider: Option<String>,
    /// Plan a deregistration for registrations of the looked-at providers that are not in the
    /// inventory.
    pub deregister_unknown: bool,
    /// Ask `checkDevice` about devices missing from the list, which finds devices registered
    /// under another provider (an update, not a registration that would fail with
    /// `mac_already_in_use`) and MAC-IDs the server refuses.
    pub check_missing: bool,
    /// Checks in flight at once.
    pub concurrency: usize,
}

impl Default for PlanOptions {
    fn default() -> Self {
        Self {
            provider: None,
            deregister_unknown: false,
            check_missing: true,
            concurrency: 4,
        }
    }
}

/// A device the inventory wants registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted {
    pub mac: Mac,
    pub mac_id: String,
    pub provider: String,
    pub url: String,
}

/// The inventory's side: devices with an effective provider and URL (site defaults count),
/// of one provider when given.
pub fn wanted(devices: &[Device], provider: Option<&str>) -> Vec<Wanted> {
    devices
        .iter()
        .filter_map(|device| {
            let wanted_provider = device.effective_provider()?.trim();
            let url = device.effective_url()?.trim();
            if wanted_provider.is_empty() || url.is_empty() {
                return None;
            }
            if provider.is_some_and(|p| p != wanted_provider) {
                return None;
            }
            Some(Wanted {
                mac: device.mac,
                mac_id: device
                    .mac_id
                    .as_ref()
                    .map_or_else(|| device.mac.macd(), ToString::to_string),
                provider: wanted_provider.to_string(),
                url: url.to_string(),
            })
        })
        .collect()
}

/// Compares both sides. `remote` is the list for the providers looked at; `checked` holds the
/// `checkDevice` answers for wanted devices missing from it (a wanted device neither listed nor
/// checked is planned for registration); `inventory` is every MAC of the inventory, so that
/// only registrations of devices the inventory does not know at all count as remote-only.
pub fn compare(
    wanted: &[Wanted],
    remote: &[RemoteDevice],
    checked: &HashMap<Mac, CheckAnswer>,
    inventory: &HashSet<Mac>,
    deregister_unknown: bool,
) -> SyncPlan {
    let by_mac: BTreeMap<Mac, &RemoteDevice> = remote
        .iter()
        .filter_map(|device| Some((device.parsed_mac()?, device)))
        .collect();
    let mut plan = SyncPlan::default();
    for device in wanted {
        let found = by_mac.get(&device.mac).map(|r| (*r).clone()).or_else(|| {
            match checked.get(&device.mac) {
                Some(CheckAnswer::Registered(remote)) => Some(remote.clone()),
                _ => None,
            }
        });
        if found.is_none()
            && let Some(CheckAnswer::Refused(code)) = checked.get(&device.mac)
            && !matches!(code, ResultCode::MacNotFound(_))
        {
            plan.failed.push(DeviceFailure::from_code(device.mac, code));
            continue;
        }
        let action = match &found {
            None => Action::Register,
            Some(remote) if remote.url == device.url && remote.provider == device.provider => {
                Action::Unchanged
            }
            Some(_) => Action::Update,
        };
        plan.items.push(PlanItem {
            mac: device.mac,
            mac_id: device.mac_id.clone(),
            action,
            provider: device.provider.clone(),
            url: device.url.clone(),
            remote: found,
        });
    }
    for (mac, remote) in &by_mac {
        if inventory.contains(mac) {
            continue;
        }
        plan.remote_only += 1;
        if deregister_unknown {
            plan.items.push(deregistration(*mac, remote));
        }
    }
    plan.items.sort_by_key(|item| (item.action, item.mac));
    plan
}

/// Deregistering a device the server has and the inventory does not.
fn deregistration(mac: Mac, remote: &RemoteDevice) -> PlanItem {
    PlanItem {
        mac,
        mac_id: mac.macd(),
        action: Action::Deregister,
        provider: remote.provider.clone(),
        url: remote.url.clone(),
        remote: Some(remote.clone()),
    }
}

/// Builds the plan from the inventory's devices and the server: one `listDevices` for the
/// providers involved, then `checkDevice` for the devices missing from it.
pub async fn build_plan<S: RedirectService>(
    service: &S,
    devices: &[Device],
    options: &PlanOptions,
) -> Result<SyncPlan, RedirectError> {
    let wanted = wanted(devices, options.provider.as_deref());
    let providers: Vec<String> = match &options.provider {
        Some(provider) => vec![provider.clone()],
        None => wanted
            .iter()
            .map(|w| w.provider.clone())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect(),
    };
    // No provider at all means nothing to compare; listing without a provider would list the
    // whole account instead.
    let remote = if providers.is_empty() {
        Vec::new()
    } else {
        service.list(&providers).await?
    };
    let listed: HashSet<Mac> = remote.iter().filter_map(RemoteDevice::parsed_mac).collect();
    let mut checked = HashMap::new();
    if options.check_missing {
        // Owned items: a closure over borrowed ones would make this future not `Send`
        // (rustc cannot prove the closure general over their lifetimes), and the GUI runs it
        // on its worker.
        let missing: Vec<(Mac, String)> = wanted
            .iter()
            .filter(|w| !listed.contains(&w.mac))
            .map(|w| (w.mac, w.mac_id.clone()))
            .collect();
        let mut answers = stream::iter(missing)
            .map(|(mac, mac_id)| async move { (mac, service.check(&mac_id).await) })
            .buffer_unordered(options.concurrency.max(1));
        while let Some((mac, answer)) = answers.next().await {
            checked.insert(mac, answer?);
        }
    }
    let inventory: HashSet<Mac> = devices.iter().map(|d| d.mac).collect();
    Ok(compare(
        &wanted,
        &remote,
        &checked,
        &inventory,
        options.deregister_unknown,
    ))
}

/// One line per device for the CLI and logs; URLs with a password are masked.
pub fn describe_item(item: &PlanItem) -> String {
    let url = mask_url_password(&item.url);
    match (item.action, &item.remote) {
        (Action::Update, Some(remote)) => format!(
            "update      {}  {} {} (now {} {})",
            item.mac_id,
            item.provider,
            url,
            remote.provider,
            mask_url_password(&remote.url)
        ),
        (action, _) => format!(
            "{:<11} {}  {} {}",
            action.name(),
            item.mac_id,
            item.provider,
            url
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mac(n: u32) -> Mac {
        Mac::parse(&format!("7C2F80{n:06X}")).unwrap()
    }

    fn want(n: u32, url: &str) -> Wanted {
        Wanted {
            mac: mac(n),
            mac_id: format!("{}-AB{:02}", mac(n).macd(), n % 100),
            provider: "Daryna".into(),
            url: url.into(),
        }
    }

    fn remote(n: u32, provider: &str, url: &str) -> RemoteDevice {
        RemoteDevice {
            mac: mac(n).macd(),
            provider: provider.into(),
            url: url.into(),
            date: "2026-11-25 10:00".into(),
        }
    }

    #[test]
    fn each_difference_has_its_action() {
        let wanted = vec![
            want(1, "http://p/%MACD.xml"),
            want(2, "http://p/%MACD.xml"),
            want(3, "http://p/new/%MACD.xml"),
        ];
        let remote = vec![
            remote(2, "Daryna", "http://p/%MACD.xml"),
            remote(3, "Daryna", "http://p/old/%MACD.xml"),
            remote(9, "Daryna", "http://p/%MACD.xml"),
        ];
        let inventory: HashSet<Mac> = wanted.iter().map(|w| w.mac).collect();
        let plan = compare(&wanted, &remote, &HashMap::new(), &inventory, false);
        let actions: Vec<(Action, Mac)> = plan.items.iter().map(|i| (i.action, i.mac)).collect();
        assert_eq!(
            actions,
            vec![
                (Action::Register, mac(1)),
                (Action::Update, mac(3)),
                (Action::Unchanged, mac(2))
            ]
        );
        assert_eq!(plan.remote_only, 1);
        let asked = compare(&wanted, &remote, &HashMap::new(), &inventory, true);
        assert_eq!(asked.count(Action::Deregister), 1);
    }

    #[test]
    fn a_device_under_another_provider_is_an_update_and_refusals_fail() {
        let wanted = vec![
            want(1, "http://p/x"),
            want(2, "http://p/x"),
            want(3, "http://p/x"),
        ];
        let checked = HashMap::from([
            (
                mac(1),
                CheckAnswer::Registered(remote(1, "Other", "http://p/x")),
            ),
            (mac(2), CheckAnswer::Refused(ResultCode::MacNotFound(None))),
            (mac(3), CheckAnswer::Refused(ResultCode::MacNotExist(None))),
        ]);
        let plan = compare(&wanted, &[], &checked, &HashSet::new(), false);
        assert_eq!(plan.items[0].action, Action::Register);
        assert_eq!(plan.items[0].mac, mac(2));
        assert_eq!(plan.items[1].action, Action::Update);
        assert_eq!(plan.failed.len(), 1);
        assert_eq!(plan.failed[0].code, "mac_not_exist");
    }

    #[test]
    fn devices_of_the_inventory_are_never_remote_only() {
        let remote = vec![remote(5, "Daryna", "http://p/x")];
        let plan = compare(
            &[],
            &remote,
            &HashMap::new(),
            &HashSet::from([mac(5)]),
            true,
        );
        assert_eq!(plan.remote_only, 0);
        assert!(plan.items.is_empty());
    }
}
