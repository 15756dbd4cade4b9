//! The sync plan: what to change on the redirect server so that it says what the inventory says.
//!
//! The plan is rebuilt from both sides every time, never kept: after a failed or cancelled
//! apply, the next plan simply contains what is still different.
//!
//! URLs are compared as **patterns**: the server stores the URL exactly as registered
//! (`http://p.example/%MACD.xml`) and the phone expands the placeholders itself, so the
//! inventory's effective URL pattern is compared, character for character, with the server's.
//! Providers are compared exactly too.
//!
//! One `listDevices` over the whole account is all the plan asks: a device listed under
//! another provider of the account is an update. A device registered by someone else is not
//! in that list; it is planned as a registration, and the apply learns of it from the
//! registering call's `mac_already_in_use` answer and asks `checkDevice` about those alone
//! (see [`super::apply`]). So a plan of 10,000 new devices is one call, not 10,001.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::Serialize;

use super::answer::RemoteDevice;
use super::code::ResultCode;
use super::service::{RedirectError, RedirectService};
use crate::device::{Mac, mask_url_password, names_this_computer};
use crate::inventory::{RedirectUpdate, SyncDevice};
use crate::printable::printable;

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

impl PlanItem {
    /// The MAC-ID, provider and URL as the faces show them: a deregistration's come from the
    /// server, so each is escaped and cut as [`super::answer::shown`] does, the URL masked.
    pub fn shown(&self) -> (String, String, String) {
        (
            super::answer::shown(&self.mac_id, 40),
            super::answer::shown(&self.provider, 60),
            super::answer::shown_url(&self.url),
        )
    }
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

/// How many MACs a left-out warning names; the count says the rest.
const NAMED: usize = 3;

/// The devices that lack one thing the server needs: how many, and the lowest few MACs to
/// name. Not every MAC: plans of 100,000 devices exist, and a warning names a few.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lacking {
    pub count: usize,
    /// At most [`NAMED`], sorted: the same devices are named whatever order the inventory
    /// reads them in.
    pub named: Vec<Mac>,
}

impl Lacking {
    fn add(&mut self, mac: Mac) {
        self.count += 1;
        if self.named.len() == NAMED {
            match self.named.last() {
                Some(last) if mac < *last => {
                    self.named.pop();
                }
                _ => return,
            }
        }
        let at = self.named.partition_point(|named| *named < mac);
        self.named.insert(at, mac);
    }
}

/// The inventory's devices the plan cannot sync, by what they lack: without a warning, a
/// plan of "21 to register" for 23 devices reads as every phone registered. A device that
/// lacks both is counted under both. Devices of other providers than the one asked for
/// ([`PlanOptions::provider`]) are left out on purpose and not counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LeftOut {
    /// Each device once, however much it lacks.
    pub devices: usize,
    /// No provider, neither its own nor its site's.
    pub no_provider: Lacking,
    /// No provisioning URL, neither its own nor its site's.
    pub no_url: Lacking,
    /// Left out, yet registered on the server all the same (through the portal, or before
    /// its provider was cleared), by MAC: what the server holds. The plan neither changes
    /// nor lists them, and they are no remote-only registrations, as the inventory holds them.
    pub registered: Vec<LeftRegistered>,
    /// Every device left out, with what the server calls it (its MAC-ID, else its MAC), until
    /// [`LeftOut::find_registered`] looks for them on the server.
    macs: Vec<(Mac, String)>,
}

/// A device left out of the plan that the server holds all the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftRegistered {
    pub mac: Mac,
    /// What the server is called with: the MAC-ID, else the plain MAC.
    pub mac_id: String,
    pub remote: RemoteDevice,
}

impl LeftOut {
    /// "2 left out", beside the plan's counts; none when every device is in the plan.
    pub fn counted(&self) -> Option<String> {
        (self.devices > 0).then(|| format!("{} left out", self.devices))
    }

    /// Keeps the left-out devices that `remote` (the account's list) holds.
    fn find_registered(&mut self, remote: &[RemoteDevice]) {
        let macs: HashMap<Mac, String> = std::mem::take(&mut self.macs).into_iter().collect();
        self.registered = remote
            .iter()
            .filter_map(|device| {
                let mac = device.parsed_mac()?;
                Some(LeftRegistered {
                    mac,
                    mac_id: macs.get(&mac)?.clone(),
                    remote: device.clone(),
                })
            })
            .collect();
        self.registered.sort_unstable_by_key(|device| device.mac);
    }

    /// One sentence per thing lacked, with the devices named and what to do, and one for
    /// those of them the server holds all the same.
    pub fn warnings(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        for (lacking, what, thing) in [
            (&self.no_provider, "no provider", "a provider"),
            (&self.no_url, "no provisioning URL", "a provisioning URL"),
        ] {
            if lacking.count == 0 {
                continue;
            }
            let n = lacking.count;
            warnings.push(format!(
                "{} {} not in the plan: {what}, {} ({}). Give {} {thing} (Inventory › Edit, or \
                 Set site… to a site that has one, or Settings › Sites and their defaults; \
                 `provdesk device site` or `provdesk site set` on the command line), then plan \
                 again.",
                crate::words::count(n, "device"),
                crate::words::agree(n, "is", "are"),
                crate::words::agree(n, "its own or its site's", "their own or their site's"),
                crate::words::some_of(lacking.named.iter().map(Mac::macd), n),
                crate::words::agree(n, "it or its site", "them or their site"),
            ));
        }
        warnings.extend(self.registered_warning());
        warnings
    }

    /// Without it, a device left out but registered shows nowhere: neither in the plan nor
    /// among the registrations the inventory does not hold.
    fn registered_warning(&self) -> Option<String> {
        let n = self.registered.len();
        let first = self.registered.first()?;
        let named = self.registered.iter().map(|device| {
            format!(
                "{} under {} with {}",
                device.mac.macd(),
                printable(&device.remote.provider, 60),
                printable(&mask_url_password(&device.remote.url), 120)
            )
        });
        let (it, it_is) = (
            crate::words::agree(n, "it", "them"),
            crate::words::agree(n, "it is", "they are"),
        );
        Some(format!(
            "{} left out {} registered on the server all the same: {}. The sync leaves {it} as \
             {it_is}. To sync {it}, give {it} what {} {} (see the warning above); if {} should \
             not be redirected, deregister {it} (Redirect › Devices, or `provdesk redirect \
             deregister {}`).",
            crate::words::count(n, "device"),
            crate::words::agree(n, "is", "are"),
            crate::words::some_of(named, n),
            crate::words::agree(n, "it", "they"),
            crate::words::agree(n, "lacks", "lack"),
            crate::words::agree(n, "it", "they"),
            first.mac_id,
        ))
    }
}

/// The plan: every device with a provider and URL, plus the remote-only ones when asked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncPlan {
    /// Sorted by action, then MAC.
    pub items: Vec<PlanItem>,
    /// Registered on the server under the providers looked at, but not in the inventory.
    /// They are deregistered only with [`PlanOptions::deregister_unknown`].
    pub remote_only: usize,
    /// In the inventory, but not in the plan for lack of a provider or URL.
    pub left_out: LeftOut,
}

impl SyncPlan {
    pub fn with_action(&self, action: Action) -> impl Iterator<Item = &PlanItem> {
        self.items.iter().filter(move |item| item.action == action)
    }

    pub fn count(&self, action: Action) -> usize {
        self.with_action(action).count()
    }

    /// What planning learned that the inventory should keep before anything is applied: the
    /// server's state of devices that stay unchanged.
    ///
    /// The left-out devices the server holds count too: the inventory should say that they
    /// are registered, and where to.
    pub fn observed_updates(&self) -> Vec<(Mac, RedirectUpdate)> {
        let unchanged = self
            .with_action(Action::Unchanged)
            .filter_map(|item| Some((item.mac, item.remote.as_ref()?)));
        let left_out = self
            .left_out
            .registered
            .iter()
            .map(|device| (device.mac, &device.remote));
        unchanged
            .chain(left_out)
            .map(|(mac, remote)| {
                (
                    mac,
                    RedirectUpdate::Registered {
                        provider: remote.provider.clone(),
                        url: remote.url.clone(),
                        date: Some(remote.date.clone()).filter(|d| !d.is_empty()),
                        mac_password: None,
                    },
                )
            })
            .collect()
    }

    /// The counts in words: "2 to register, 0 to update, 1 to deregister, 6 unchanged", and
    /// ", 2 left out" when devices of the inventory are not in the plan.
    pub fn summary(&self) -> String {
        let left_out = self
            .left_out
            .counted()
            .map(|counted| format!(", {counted}"))
            .unwrap_or_default();
        format!(
            "{} to register, {} to update, {} to deregister, {} unchanged{left_out}",
            self.count(Action::Register),
            self.count(Action::Update),
            self.count(Action::Deregister),
            self.count(Action::Unchanged),
        )
    }

    /// What the user should know before applying: the devices left out (first, as the
    /// counts do not show them), then one warning per URL the plan would register that names
    /// this computer, with how many devices would get it: the redirect server hands it to
    /// phones, which cannot reach it.
    pub fn warnings(&self) -> Vec<String> {
        let mut warnings = self.left_out.warnings();
        warnings.extend(self.loopback_warnings());
        warnings
    }

    fn loopback_warnings(&self) -> Vec<String> {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        let registered = self
            .items
            .iter()
            .filter(|item| matches!(item.action, Action::Register | Action::Update));
        for item in registered.filter(|item| names_this_computer(&item.url)) {
            *counts.entry(&item.url).or_default() += 1;
        }
        counts
            .into_iter()
            .map(|(url, count)| {
                format!(
                    "{} would be registered with {}, which names this computer: a phone given \
                     it asks itself and gets no file. Serve on an address of the local network \
                     and give {} that URL.",
                    crate::words::count(count, "device"),
                    mask_url_password(url),
                    crate::words::agree(count, "the device", "the devices")
                )
            })
            .collect()
    }

    /// Whether applying would change anything.
    pub fn has_changes(&self) -> bool {
        self.items
            .iter()
            .any(|item| item.action != Action::Unchanged)
    }
}

/// How to build a plan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanOptions {
    /// Only devices of this provider (their effective one), and only its registrations.
    pub provider: Option<String>,
    /// Plan a deregistration for registrations of the looked-at providers that are not in the
    /// inventory.
    pub deregister_unknown: bool,
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
/// of one provider when given, and those left out for lack of either. A device without a
/// MAC-ID is wanted: the server takes its plain MAC.
pub fn wanted(devices: &[SyncDevice], provider: Option<&str>) -> (Vec<Wanted>, LeftOut) {
    let mut wanted = Vec::with_capacity(devices.len());
    let mut left_out = LeftOut::default();
    fn given(text: Option<&str>) -> Option<&str> {
        text.map(str::trim).filter(|text| !text.is_empty())
    }
    for device in devices {
        let own_provider = given(device.provider.as_deref());
        let url = given(device.url.as_deref());
        // A device without a provider is of no provider asked for: it is left out below.
        if own_provider.is_some() && provider.is_some() && own_provider != provider {
            continue;
        }
        let (Some(own_provider), Some(url)) = (own_provider, url) else {
            left_out.devices += 1;
            let called = device.mac_id.clone().unwrap_or_else(|| device.mac.macd());
            left_out.macs.push((device.mac, called));
            if own_provider.is_none() {
                left_out.no_provider.add(device.mac);
            }
            if url.is_none() {
                left_out.no_url.add(device.mac);
            }
            continue;
        };
        wanted.push(Wanted {
            mac: device.mac,
            mac_id: device.mac_id.clone().unwrap_or_else(|| device.mac.macd()),
            provider: own_provider.to_string(),
            url: url.to_string(),
        });
    }
    (wanted, left_out)
}

/// Compares both sides. `remote` is the account's list (every provider); a wanted device
/// missing from it is planned for registration. `looked_at` are the providers whose
/// registrations unknown to the inventory count as remote-only; `inventory` is every MAC of
/// the inventory, so that a device the inventory holds is never remote-only.
pub fn compare(
    wanted: &[Wanted],
    remote: &[RemoteDevice],
    looked_at: &BTreeSet<String>,
    inventory: &HashSet<Mac>,
    deregister_unknown: bool,
) -> SyncPlan {
    let by_mac: HashMap<Mac, &RemoteDevice> = remote
        .iter()
        .filter_map(|device| Some((device.parsed_mac()?, device)))
        .collect();
    let mut plan = SyncPlan::default();
    plan.items.reserve(wanted.len());
    for device in wanted {
        let found = by_mac.get(&device.mac).copied();
        let action = match found {
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
            remote: found.cloned(),
        });
    }
    let mut unknown: Vec<(Mac, &RemoteDevice)> = by_mac
        .into_iter()
        .filter(|(mac, remote)| !inventory.contains(mac) && looked_at.contains(&remote.provider))
        .collect();
    plan.remote_only = unknown.len();
    if deregister_unknown {
        unknown.sort_unstable_by_key(|(mac, _)| *mac);
        plan.items.extend(
            unknown
                .into_iter()
                .map(|(mac, remote)| deregistration(mac, remote)),
        );
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

/// Builds the plan from the inventory's devices and the server: one `listDevices` over the
/// whole account, compared with the inventory. No call per device.
pub async fn build_plan<S: RedirectService>(
    service: &S,
    devices: &[SyncDevice],
    options: &PlanOptions,
) -> Result<SyncPlan, RedirectError> {
    // A name typed or pasted with spaces around it means that provider; an empty one, all.
    let provider = options
        .provider
        .as_deref()
        .map(str::trim)
        .filter(|provider| !provider.is_empty());
    let (wanted, left_out) = wanted(devices, provider);
    let looked_at: BTreeSet<String> = match provider {
        Some(provider) => BTreeSet::from([provider.to_string()]),
        None => {
            // Distinct first: 10,000 devices share a handful of providers.
            let distinct: BTreeSet<&str> = wanted.iter().map(|w| w.provider.as_str()).collect();
            distinct.into_iter().map(str::to_string).collect()
        }
    };
    // No provider at all means nothing to compare and nothing remote-only: no call.
    let remote = if looked_at.is_empty() {
        Vec::new()
    } else {
        service.list(&[]).await?
    };
    let inventory: HashSet<Mac> = devices.iter().map(|d| d.mac).collect();
    let mut left_out = left_out;
    left_out.find_registered(&remote);
    Ok(SyncPlan {
        left_out,
        ..compare(
            &wanted,
            &remote,
            &looked_at,
            &inventory,
            options.deregister_unknown,
        )
    })
}

/// One line per device for the CLI and logs; URLs with a password are masked.
pub fn describe_item(item: &PlanItem) -> String {
    let (mac_id, provider, url) = item.shown();
    match (item.action, &item.remote) {
        (Action::Update, Some(remote)) => {
            let now = remote.shown();
            format!(
                "update      {mac_id}  {provider} {url} (now {} {})",
                now.provider, now.url
            )
        }
        (action, _) => format!("{:<11} {mac_id}  {provider} {url}", action.name()),
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

    fn looked_at() -> BTreeSet<String> {
        BTreeSet::from(["Daryna".to_string()])
    }

    #[test]
    fn a_url_naming_this_computer_is_warned_of_once_with_its_count() {
        let item = |n: u32, action: Action, url: &str| PlanItem {
            mac: mac(n),
            mac_id: mac(n).macd(),
            action,
            provider: "Daryna".into(),
            url: url.into(),
            remote: None,
        };
        let plan = SyncPlan {
            items: vec![
                item(1, Action::Register, "http://127.0.0.1:8631/%MACD.xml"),
                item(2, Action::Update, "http://127.0.0.1:8631/%MACD.xml"),
                item(3, Action::Register, "http://192.168.1.20:8631/%MACD.xml"),
                item(4, Action::Deregister, "http://localhost/%MACD.xml"),
                item(5, Action::Unchanged, "http://localhost/%MACD.xml"),
            ],
            remote_only: 0,
            left_out: LeftOut::default(),
        };
        let warnings = plan.warnings();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0]
                .starts_with("2 devices would be registered with http://127.0.0.1:8631/%MACD.xml"),
            "{warnings:?}"
        );
    }

    fn sync_device(n: u32, provider: Option<&str>, url: Option<&str>) -> SyncDevice {
        SyncDevice {
            mac: mac(n),
            mac_id: Some(format!("{}-AB12", mac(n).macd())),
            provider: provider.map(str::to_string),
            url: url.map(str::to_string),
        }
    }

    #[test]
    fn devices_without_a_provider_or_url_are_left_out_under_each_thing_they_lack() {
        let devices = vec![
            sync_device(1, Some("Daryna"), Some("http://p/x")),
            sync_device(2, None, Some("http://p/x")),
            sync_device(3, Some("Daryna"), None),
            sync_device(4, None, None),
            sync_device(5, Some("  "), Some(" ")),
        ];
        let (wanted, left_out) = wanted(&devices, None);
        assert_eq!(wanted.len(), 1);
        assert_eq!(left_out.devices, 4);
        assert_eq!(left_out.no_provider.count, 3);
        assert_eq!(left_out.no_provider.named, vec![mac(2), mac(4), mac(5)]);
        assert_eq!(left_out.no_url.count, 3);
        assert_eq!(left_out.no_url.named, vec![mac(3), mac(4), mac(5)]);
        let plan = SyncPlan {
            left_out,
            ..SyncPlan::default()
        };
        assert_eq!(
            plan.summary(),
            "0 to register, 0 to update, 0 to deregister, 0 unchanged, 4 left out"
        );
        let warnings = plan.warnings();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(
            warnings[0].starts_with(
                "3 devices are not in the plan: no provider, their own or their site's \
                 (7C2F80000002, 7C2F80000004, 7C2F80000005). Give them or their site a provider"
            ),
            "{warnings:?}"
        );
        assert!(
            warnings[1].starts_with("3 devices are not in the plan: no provisioning URL"),
            "{warnings:?}"
        );
    }

    #[test]
    fn a_device_without_a_mac_id_is_planned_with_its_plain_mac() {
        let mut device = sync_device(1, Some("Daryna"), Some("http://p/x"));
        device.mac_id = None;
        let (wanted, left_out) = wanted(&[device], None);
        assert_eq!(wanted[0].mac_id, mac(1).macd());
        assert_eq!(left_out, LeftOut::default());
        assert_eq!(
            SyncPlan::default().summary(),
            "0 to register, 0 to update, 0 to deregister, 0 unchanged"
        );
    }

    #[test]
    fn devices_of_another_provider_than_the_one_asked_for_are_not_warned_of() {
        let devices = vec![
            sync_device(1, Some("Daryna"), Some("http://p/x")),
            sync_device(2, Some("Other"), None),
            sync_device(3, Some("Other"), Some("http://p/x")),
            sync_device(4, Some("Daryna"), None),
            sync_device(5, None, Some("http://p/x")),
        ];
        let (wanted, left_out) = wanted(&devices, Some("Daryna"));
        assert_eq!(wanted.len(), 1);
        assert_eq!(left_out.devices, 2, "{left_out:?}");
        assert_eq!(left_out.no_url.named, vec![mac(4)]);
        assert_eq!(
            left_out.no_provider.named,
            vec![mac(5)],
            "no provider is of no provider asked for"
        );
    }

    #[test]
    fn a_warning_names_the_lowest_three_macs_and_counts_the_rest() {
        let devices: Vec<SyncDevice> = (1..=5)
            .rev()
            .map(|n| sync_device(n, None, Some("http://p/x")))
            .collect();
        let (_, left_out) = wanted(&devices, None);
        assert_eq!(left_out.no_provider.count, 5);
        assert_eq!(left_out.no_provider.named, vec![mac(1), mac(2), mac(3)]);
        let warnings = left_out.warnings();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].contains("(7C2F80000001, 7C2F80000002, 7C2F80000003, …)"),
            "{warnings:?}"
        );
        let (_, one) = wanted(&devices[..1], None);
        assert!(
            one.warnings()[0].starts_with(
                "1 device is not in the plan: no provider, its own or its site's \
                 (7C2F80000005). Give it or its site a provider"
            ),
            "{:?}",
            one.warnings()
        );
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
        let plan = compare(&wanted, &remote, &looked_at(), &inventory, false);
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
        let asked = compare(&wanted, &remote, &looked_at(), &inventory, true);
        assert_eq!(asked.count(Action::Deregister), 1);
    }

    #[test]
    fn a_device_under_another_provider_of_the_account_is_an_update() {
        let wanted = vec![want(1, "http://p/x"), want(2, "http://p/x")];
        let remote = vec![remote(1, "Other", "http://p/x")];
        let inventory: HashSet<Mac> = wanted.iter().map(|w| w.mac).collect();
        let plan = compare(&wanted, &remote, &looked_at(), &inventory, true);
        assert_eq!(plan.items[0].action, Action::Register);
        assert_eq!(plan.items[0].mac, mac(2));
        assert_eq!(plan.items[1].action, Action::Update);
        assert_eq!(plan.items[1].remote.as_ref().unwrap().provider, "Other");
        assert_eq!(plan.items.len(), 2);
    }

    #[test]
    fn only_registrations_of_the_looked_at_providers_are_remote_only() {
        let remote = vec![
            remote(5, "Daryna", "http://p/x"),
            remote(6, "Other", "http://p/x"),
        ];
        let plan = compare(&[], &remote, &looked_at(), &HashSet::new(), true);
        assert_eq!(plan.remote_only, 1);
        assert_eq!(plan.items.len(), 1);
        assert_eq!(plan.items[0].mac, mac(5));
        assert_eq!(plan.items[0].action, Action::Deregister);
    }

    #[test]
    fn devices_of_the_inventory_are_never_remote_only() {
        let remote = vec![remote(5, "Daryna", "http://p/x")];
        let plan = compare(&[], &remote, &looked_at(), &HashSet::from([mac(5)]), true);
        assert_eq!(plan.remote_only, 0);
        assert!(plan.items.is_empty());
    }
}
