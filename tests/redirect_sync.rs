//! Sync against the simulator with a real inventory: plan, apply, re-run; the issue's "done
//! when" (250 devices in one apply, then all unchanged, then exactly one update); 503 half-way
//! with nothing lost; a refusal inside a list call; cancel; deregistering the unknown; the
//! next call sent while the last batch is recorded.

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use provdesk::cancel::CancelFlag;
use provdesk::device::{Mac, MacId, NewDevice, ProvisioningUrl};
use provdesk::inventory::{Inventory, RedirectUpdate, STATUS_REGISTERED};
use provdesk::ops::sync;
use provdesk::redirect::{
    Account, Action, ApplyOptions, ApplyReport, CANCELLED, CheckAnswer, DeviceAnswer,
    GigasetClient, ListAnswer, PlanOptions, RedirectError, RedirectService, RemoteDevice, SyncPlan,
    apply, build_plan,
};
use provdesk::secret::Secret;
use provdesk::sim::redirect::{
    RedirectFault, RedirectSim, RedirectSimConfig, RunningRedirectSim, mac_password_for,
};

const URL: &str = "http://p.example/%MACD.xml";
const NOT_MADE: u32 = 0xDEAD;

fn mac(n: u32) -> Mac {
    Mac::parse(&format!("7C2F80{n:06X}")).unwrap()
}

fn mac_id(n: u32) -> String {
    format!("{}-{:04X}", mac(n).macd(), n % 0x1_0000)
}

fn device(n: u32, url: &str) -> NewDevice {
    let mut device = NewDevice::with_mac(mac(n));
    device.mac_id = Some(MacId::parse(&mac_id(n)).unwrap());
    device.provider = Some("Daryna".into());
    device.url = Some(ProvisioningUrl::parse(url).unwrap());
    device
}

struct World {
    sim: RunningRedirectSim,
    client: GigasetClient,
    inventory: Inventory,
    _dir: tempfile::TempDir,
}

async fn world(devices: u32) -> World {
    let mut config = RedirectSimConfig::new("gigaset", Secret::new("aptest"));
    config.unknown_macs = BTreeSet::from([mac(NOT_MADE).macd()]);
    let sim = RedirectSim::start("127.0.0.1:0".parse().unwrap(), config)
        .await
        .unwrap();
    let account = Account::new(sim.url(), "gigaset", Secret::new("aptest"));
    let client = GigasetClient::new(&account, Duration::from_secs(10)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut inventory = Inventory::open(&dir.path().join("inventory.sqlite3")).unwrap();
    let new: Vec<NewDevice> = (1..=devices).map(|n| device(n, URL)).collect();
    inventory.add_devices(&new).unwrap();
    World {
        sim,
        client,
        inventory,
        _dir: dir,
    }
}

impl World {
    async fn plan(&self, options: &PlanOptions) -> SyncPlan {
        let devices = self.inventory.sync_devices().unwrap();
        build_plan(&self.client, &devices, options).await.unwrap()
    }

    /// Applies like the CLI and the GUI do: each batch recorded as it returns.
    async fn apply(&mut self, plan: &SyncPlan, cancel: &CancelFlag) -> ApplyReport {
        self.apply_with(plan, cancel, &ApplyOptions::default())
            .await
    }

    async fn apply_with(
        &mut self,
        plan: &SyncPlan,
        cancel: &CancelFlag,
        options: &ApplyOptions,
    ) -> ApplyReport {
        let inventory = &mut self.inventory;
        apply(&self.client, plan, options, cancel, |results, progress| {
            assert!(progress.done <= progress.total);
            let updates: Vec<_> = results
                .iter()
                .map(|r| (r.item.mac, r.inventory_update()))
                .collect();
            inventory.record_redirect(&updates).unwrap();
        })
        .await
    }

    fn calls_of(&self, method: &str) -> usize {
        self.sim
            .calls()
            .iter()
            .filter(|c| c.method == method)
            .count()
    }

    /// MACs the inventory records as registered.
    fn registered_in_inventory(&self) -> BTreeSet<String> {
        self.inventory
            .all_devices()
            .unwrap()
            .into_iter()
            .filter(|d| d.redirect.status.as_deref() == Some(STATUS_REGISTERED))
            .map(|d| d.mac.macd())
            .collect()
    }

    fn registered_on_server(&self) -> BTreeSet<String> {
        self.sim
            .registrations()
            .into_iter()
            .map(|r| r.mac)
            .collect()
    }
}

#[tokio::test]
async fn a_fresh_inventory_of_250_syncs_in_one_apply_then_all_unchanged_then_one_update() {
    let mut world = world(250).await;
    let plan = world.plan(&PlanOptions::default()).await;
    assert_eq!(plan.count(Action::Register), 250);
    assert_eq!(world.sim.calls().len(), 1, "one listDevices plans them all");
    let report = world.apply(&plan, &CancelFlag::default()).await;
    assert_eq!(report.failures().count(), 0);
    assert_eq!(report.succeeded(Action::Register).count(), 250);
    assert_eq!(
        world.calls_of("autoprov.registerDeviceList"),
        3,
        "batches of 100"
    );
    assert_eq!(world.calls_of("autoprov.registerDevice"), 0);
    assert_eq!(world.registered_on_server().len(), 250);
    assert_eq!(
        world.registered_in_inventory(),
        world.registered_on_server()
    );

    let stored = world.inventory.device_by_mac(mac(7)).unwrap().unwrap();
    assert_eq!(
        stored.mac_password.unwrap().expose(),
        mac_password_for(&mac_id(7)).unwrap(),
        "the MAC password from OK:<password> is kept"
    );
    assert_eq!(stored.redirect.url.as_deref(), Some(URL));

    let again = world.plan(&PlanOptions::default()).await;
    assert_eq!(again.count(Action::Unchanged), 250);
    assert!(!again.has_changes());

    let moved = world.inventory.device_by_mac(mac(42)).unwrap().unwrap();
    world
        .inventory
        .update_device(moved.id, &device(42, "https://new.example/%MACD.xml"))
        .unwrap();
    let one = world.plan(&PlanOptions::default()).await;
    assert_eq!(one.count(Action::Update), 1);
    assert_eq!(one.count(Action::Unchanged), 249);
    assert_eq!(one.count(Action::Register), 0);
    let update = one.with_action(Action::Update).next().unwrap();
    assert_eq!(update.mac, mac(42));
    assert_eq!(update.remote.as_ref().unwrap().url, URL);

    let report = world.apply(&one, &CancelFlag::default()).await;
    assert_eq!(report.succeeded(Action::Update).count(), 1);
    let server: HashMap<String, String> = world
        .sim
        .registrations()
        .into_iter()
        .map(|r| (r.mac, r.url))
        .collect();
    assert_eq!(server[&mac(42).macd()], "https://new.example/%MACD.xml");
    assert_eq!(server[&mac(41).macd()], URL);
    assert!(!world.plan(&PlanOptions::default()).await.has_changes());
}

#[tokio::test]
async fn a_503_half_way_loses_no_device_and_a_rerun_finishes() {
    let mut world = world(250).await;
    let plan = world.plan(&PlanOptions::default()).await;
    // From here on the server answers one more call, then only 503; one call at a time, so
    // the one answered is the first batch of 100.
    world.sim.set_fault(RedirectFault::UnavailableAfter(1));
    let one_at_a_time = ApplyOptions {
        concurrency: 1,
        ..ApplyOptions::default()
    };
    let report = world
        .apply_with(&plan, &CancelFlag::default(), &one_at_a_time)
        .await;
    assert_eq!(report.succeeded(Action::Register).count(), 100);
    let failures: Vec<_> = report.failures().collect();
    assert_eq!(failures.len(), 150);
    assert!(
        failures.iter().all(|f| f.code == "unavailable"),
        "{failures:?}"
    );
    assert_eq!(world.registered_on_server().len(), 100);
    assert_eq!(
        world.registered_in_inventory(),
        world.registered_on_server(),
        "every answered device is recorded"
    );
    let failed_mac = Mac::parse(&failures[0].mac).unwrap();
    let failed = world.inventory.device_by_mac(failed_mac).unwrap().unwrap();
    assert!(
        failed
            .redirect
            .error
            .as_deref()
            .unwrap()
            .starts_with("unavailable"),
        "{:?}",
        failed.redirect
    );

    world.sim.set_fault(RedirectFault::None);
    let rerun = world.plan(&PlanOptions::default()).await;
    assert_eq!(rerun.count(Action::Register), 150);
    assert_eq!(rerun.count(Action::Unchanged), 100);
    let report = world.apply(&rerun, &CancelFlag::default()).await;
    assert_eq!(report.failures().count(), 0);
    assert_eq!(world.registered_on_server().len(), 250);
    assert_eq!(world.registered_in_inventory().len(), 250);
    let healed = world.inventory.device_by_mac(failed_mac).unwrap().unwrap();
    assert_eq!(healed.redirect.error, None);
}

#[tokio::test]
async fn a_refusal_inside_a_list_call_fails_only_that_device() {
    let mut world = world(5).await;
    world.inventory.add_device(&device(NOT_MADE, URL)).unwrap();
    let plan = world.plan(&PlanOptions::default()).await;
    assert_eq!(plan.count(Action::Register), 6);
    let report = world.apply(&plan, &CancelFlag::default()).await;
    let failures: Vec<_> = report.failures().collect();
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].mac, mac(NOT_MADE).macd());
    assert_eq!(failures[0].code, "mac_not_exist");
    assert!(failures[0].message.contains("compare it with the label"));
    assert_eq!(report.succeeded(Action::Register).count(), 5);
    let refused = world
        .inventory
        .device_by_mac(mac(NOT_MADE))
        .unwrap()
        .unwrap();
    assert_eq!(refused.redirect.status, None);
    assert!(refused.redirect.error.unwrap().starts_with("mac_not_exist"));
}

#[tokio::test]
async fn a_device_under_another_provider_of_the_account_is_an_update_found_by_the_list() {
    let mut world = world(3).await;
    world
        .client
        .register(&mac_id(2), "http://old.example/", "Other")
        .await
        .unwrap();
    let plan = world.plan(&PlanOptions::default()).await;
    let update = plan.with_action(Action::Update).next().unwrap();
    assert_eq!(update.mac, mac(2));
    assert_eq!(update.remote.as_ref().unwrap().provider, "Other");
    assert_eq!(plan.count(Action::Register), 2);
    assert_eq!(world.calls_of("autoprov.listDevices"), 1);
    assert_eq!(
        world.calls_of("autoprov.checkDevice"),
        0,
        "no call per device"
    );
    let report = world.apply(&plan, &CancelFlag::default()).await;
    assert_eq!(report.failures().count(), 0);
    assert_eq!(world.calls_of("autoprov.checkDevice"), 0);
    let registration = world
        .sim
        .registrations()
        .into_iter()
        .find(|r| r.mac == mac(2).macd())
        .unwrap();
    assert_eq!(registration.provider, "Daryna");
    assert_eq!(registration.url, URL);
}

/// The simulator's client with what a test needs the real server to do differently: some
/// registrations hidden from `listDevices` (the real server lists only the account's own, as
/// if another provisioner held the rest), and a note taken as each `registerDeviceList` is
/// sent.
struct Intercepted<'a> {
    client: &'a GigasetClient,
    hidden: BTreeSet<String>,
    /// What `recorded` said at each `registerDeviceList`, when there is a `recorded`.
    recorded: Option<&'a AtomicUsize>,
    recorded_at_send: Mutex<Vec<usize>>,
}

impl<'a> Intercepted<'a> {
    fn new(client: &'a GigasetClient) -> Self {
        Self {
            client,
            hidden: BTreeSet::new(),
            recorded: None,
            recorded_at_send: Mutex::new(Vec::new()),
        }
    }
}

impl RedirectService for Intercepted<'_> {
    fn endpoint(&self) -> &str {
        self.client.endpoint()
    }
    async fn register(
        &self,
        mac_id: &str,
        url: &str,
        provider: &str,
    ) -> Result<DeviceAnswer, RedirectError> {
        self.client.register(mac_id, url, provider).await
    }
    async fn deregister(&self, mac_id: &str) -> Result<DeviceAnswer, RedirectError> {
        self.client.deregister(mac_id).await
    }
    async fn register_list(
        &self,
        mac_ids: &[String],
        url: &str,
        provider: &str,
    ) -> Result<ListAnswer, RedirectError> {
        if let Some(recorded) = self.recorded {
            let batches = recorded.load(Ordering::SeqCst);
            self.recorded_at_send.lock().unwrap().push(batches);
        }
        self.client.register_list(mac_ids, url, provider).await
    }
    async fn deregister_list(&self, mac_ids: &[String]) -> Result<ListAnswer, RedirectError> {
        self.client.deregister_list(mac_ids).await
    }
    async fn list(&self, providers: &[String]) -> Result<Vec<RemoteDevice>, RedirectError> {
        let mut listed = self.client.list(providers).await?;
        listed.retain(|device| !self.hidden.contains(&device.mac));
        Ok(listed)
    }
    async fn check(&self, mac_id: &str) -> Result<CheckAnswer, RedirectError> {
        self.client.check(mac_id).await
    }
}

#[tokio::test]
async fn a_device_registered_elsewhere_is_found_by_the_registering_call_then_checked_and_moved() {
    let mut world = world(200).await;
    // Two devices held by someone else: one elsewhere, one already as the inventory says.
    world
        .client
        .register(&mac_id(2), "http://elsewhere.example/", "Elsewhere")
        .await
        .unwrap();
    world
        .client
        .register(&mac_id(150), URL, "Daryna")
        .await
        .unwrap();
    let service = Intercepted {
        hidden: BTreeSet::from([mac(2).macd(), mac(150).macd()]),
        ..Intercepted::new(&world.client)
    };
    let devices = world.inventory.sync_devices().unwrap();
    let plan = build_plan(&service, &devices, &PlanOptions::default())
        .await
        .unwrap();
    assert_eq!(
        plan.count(Action::Register),
        200,
        "the list does not show them"
    );
    let inventory = &mut world.inventory;
    let report = apply(
        &service,
        &plan,
        &ApplyOptions::default(),
        &CancelFlag::default(),
        |results, progress| {
            assert!(progress.done <= progress.total);
            let updates: Vec<_> = results
                .iter()
                .map(|r| (r.item.mac, r.inventory_update()))
                .collect();
            inventory.record_redirect(&updates).unwrap();
        },
    )
    .await;
    assert_eq!(
        report.failures().count(),
        0,
        "{:?}",
        report.failures().collect::<Vec<_>>()
    );
    assert_eq!(report.results.len(), 200, "each device recorded once");
    assert_eq!(
        world.calls_of("autoprov.checkDevice"),
        2,
        "only the devices the registering call found in use"
    );
    let moved: Vec<_> = report.succeeded(Action::Update).collect();
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0].mac, mac(2));
    assert_eq!(moved[0].remote.as_ref().unwrap().provider, "Elsewhere");
    let server: HashMap<String, (String, String)> = world
        .sim
        .registrations()
        .into_iter()
        .map(|r| (r.mac, (r.provider, r.url)))
        .collect();
    assert_eq!(server.len(), 200);
    assert_eq!(
        server[&mac(2).macd()],
        ("Daryna".to_string(), URL.to_string())
    );
    assert_eq!(world.registered_in_inventory().len(), 200);
    let stored = world.inventory.device_by_mac(mac(2)).unwrap().unwrap();
    assert_eq!(
        stored.mac_password.unwrap().expose(),
        mac_password_for(&mac_id(2)).unwrap()
    );
}

#[tokio::test]
async fn a_cancelled_apply_sends_nothing_more_and_a_rerun_finishes() {
    let mut world = world(30).await;
    let plan = world.plan(&PlanOptions::default()).await;
    let cancel = CancelFlag::default();
    cancel.cancel();
    let report = world.apply(&plan, &cancel).await;
    assert!(report.cancelled);
    assert_eq!(report.failures().count(), 30);
    assert!(report.failures().all(|f| f.code == CANCELLED));
    assert_eq!(world.calls_of("autoprov.registerDeviceList"), 0);
    let rerun = world.plan(&PlanOptions::default()).await;
    let report = world.apply(&rerun, &CancelFlag::default()).await;
    assert_eq!(report.succeeded(Action::Register).count(), 30);
}

#[tokio::test]
async fn registrations_unknown_to_the_inventory_are_deregistered_only_when_asked() {
    let mut world = world(2).await;
    world
        .client
        .register("0001E3123456-AAAA", URL, "Daryna")
        .await
        .unwrap();
    let plan = world.plan(&PlanOptions::default()).await;
    assert_eq!(plan.remote_only, 1);
    assert_eq!(plan.count(Action::Deregister), 0);
    let asked = PlanOptions {
        deregister_unknown: true,
        ..PlanOptions::default()
    };
    let plan = world.plan(&asked).await;
    assert_eq!(plan.count(Action::Deregister), 1);
    let report = world.apply(&plan, &CancelFlag::default()).await;
    assert_eq!(report.succeeded(Action::Deregister).count(), 1);
    assert!(!world.registered_on_server().contains("0001E3123456"));
    assert_eq!(world.registered_on_server().len(), 2);
}

#[tokio::test]
async fn the_audit_log_names_the_mac_password_but_never_holds_it() {
    let mut world = world(3).await;
    let plan = world.plan(&PlanOptions::default()).await;
    world.apply(&plan, &CancelFlag::default()).await;
    let log = world.inventory.audit_log(100).unwrap();
    let registered: Vec<_> = log
        .iter()
        .filter(|e| e.action == "redirect.registered")
        .collect();
    // One batch, one provider and URL: one entry naming the three devices.
    assert_eq!(registered.len(), 1, "{registered:?}");
    let subjects: Vec<&str> = registered[0].subject.split(' ').collect();
    assert_eq!(
        subjects,
        (1..=3).map(|n| mac(n).macd()).collect::<Vec<_>>(),
        "{registered:?}"
    );
    for n in 1..=3 {
        let password = mac_password_for(&mac_id(n)).unwrap();
        assert!(log.iter().all(|e| !e.detail.contains(&password)));
    }
    assert!(registered[0].detail.contains("mac_password=set"));
}

#[tokio::test]
async fn a_provider_filter_limits_the_plan() {
    let mut world = world(2).await;
    let mut other = device(9, URL);
    other.provider = Some("Other".into());
    world.inventory.add_device(&other).unwrap();
    // As typed or pasted, with spaces around it: the same provider.
    for typed in ["Other", " Other\t"] {
        let plan = world
            .plan(&PlanOptions {
                provider: Some(typed.into()),
                ..PlanOptions::default()
            })
            .await;
        assert_eq!(plan.items.len(), 1, "{typed:?}");
        assert_eq!(plan.items[0].mac, mac(9));
    }
}

/// A device whose provider was cleared after it was registered: the plan leaves it out, as
/// it has no provider, but the server still sends the phone to the old URL. Nothing listed it.
#[tokio::test]
async fn a_left_out_device_the_server_holds_is_named_and_recorded() {
    let mut world = world(2).await;
    let plan = world.plan(&PlanOptions::default()).await;
    world.apply(&plan, &CancelFlag::default()).await;
    let stored = world.inventory.device_by_mac(mac(2)).unwrap().unwrap();
    let mut cleared = device(2, URL);
    cleared.provider = None;
    world.inventory.update_device(stored.id, &cleared).unwrap();

    let plan = world.plan(&PlanOptions::default()).await;
    assert_eq!(plan.items.len(), 1, "{:?}", plan.items);
    assert_eq!(plan.remote_only, 0, "the inventory holds it");
    let registered = &plan.left_out.registered;
    assert_eq!(registered.len(), 1, "{registered:?}");
    assert_eq!(registered[0].mac, mac(2));
    assert_eq!(registered[0].mac_id, mac_id(2));
    assert_eq!(registered[0].remote.provider, "Daryna");
    let warnings = plan.warnings().join("\n");
    assert!(
        warnings.contains(&format!(
            "1 device left out is registered on the server all the same: {} under Daryna with {URL}",
            mac(2).macd()
        )),
        "{warnings}"
    );
    assert!(
        warnings.contains(&format!("provdesk redirect deregister {}", mac_id(2))),
        "{warnings}"
    );

    world
        .inventory
        .record_redirect(&[(mac(2), RedirectUpdate::NotRegistered)])
        .unwrap();
    sync::apply_and_record(
        &world.client,
        &mut world.inventory,
        &plan,
        &ApplyOptions::default(),
        &mut |_, _| {},
        &CancelFlag::default(),
    )
    .await
    .unwrap();
    let recorded = world.inventory.device_by_mac(mac(2)).unwrap().unwrap();
    assert_eq!(
        recorded.redirect.status.as_deref(),
        Some("registered"),
        "what the plan saw on the server is kept"
    );
    assert_eq!(recorded.redirect.provider.as_deref(), Some("Daryna"));
}

#[tokio::test]
async fn an_update_whose_registration_fails_is_recorded_as_not_registered() {
    let mut world = world(2).await;
    let plan = world.plan(&PlanOptions::default()).await;
    world.apply(&plan, &CancelFlag::default()).await;
    let stored = world.inventory.device_by_mac(mac(1)).unwrap().unwrap();
    let mut renamed = device(1, URL);
    renamed.provider = Some("Bad!Name".into());
    world.inventory.update_device(stored.id, &renamed).unwrap();

    let plan = world.plan(&PlanOptions::default()).await;
    assert_eq!(plan.count(Action::Update), 1);
    let report = world.apply(&plan, &CancelFlag::default()).await;
    let failures: Vec<_> = report.failures().collect();
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].code, "name_invalid");
    let lost = world.inventory.device_by_mac(mac(1)).unwrap().unwrap();
    assert_eq!(lost.redirect.status.as_deref(), Some("not_registered"));
    assert!(lost.redirect.error.unwrap().starts_with("name_invalid"));
    assert!(!world.registered_on_server().contains(&mac(1).macd()));
}

#[tokio::test]
async fn a_plan_the_server_stops_answering_is_an_error_not_half_a_plan() {
    let world = world(5).await;
    // The plan's one call, listDevices, gets a 503.
    world.sim.set_fault(RedirectFault::UnavailableAfter(0));
    let devices = world.inventory.sync_devices().unwrap();
    let error = build_plan(&world.client, &devices, &PlanOptions::default())
        .await
        .unwrap_err();
    assert_eq!(error.code(), "unavailable", "{error}");
}

/// Recording a batch is off the sender's path: with one call in flight, the next call is
/// sent before the answered batch is written. Every batch is still written, and heard, in
/// the order of the calls.
#[tokio::test]
async fn the_next_call_is_sent_before_the_answered_batch_is_recorded() {
    let mut world = world(20).await;
    let plan = world.plan(&PlanOptions::default()).await;
    let recorded = AtomicUsize::new(0);
    let service = Intercepted {
        recorded: Some(&recorded),
        ..Intercepted::new(&world.client)
    };
    let options = ApplyOptions {
        batch_size: 5,
        concurrency: 1,
    };
    let mut heard = Vec::new();
    let report = sync::apply_and_record(
        &service,
        &mut world.inventory,
        &plan,
        &options,
        &mut |results, progress| {
            recorded.fetch_add(1, Ordering::SeqCst);
            heard.push((results.len(), progress.done));
        },
        &CancelFlag::default(),
    )
    .await
    .unwrap();
    assert_eq!(report.applied.succeeded(Action::Register).count(), 20);
    assert_eq!(*service.recorded_at_send.lock().unwrap(), [0, 0, 1, 2]);
    assert_eq!(heard, [(5, 5), (5, 10), (5, 15), (5, 20)]);
    assert_eq!(
        world.registered_in_inventory(),
        world.registered_on_server()
    );
}

/// A cancel while batches wait to be recorded: the answered ones are all written, the rest
/// are not sent, and the inventory says what the server has.
#[tokio::test]
async fn a_cancel_during_a_recorded_sync_leaves_the_inventory_as_the_server_is() {
    let mut world = world(40).await;
    let plan = world.plan(&PlanOptions::default()).await;
    let cancel = CancelFlag::default();
    let options = ApplyOptions {
        batch_size: 5,
        concurrency: 2,
    };
    let report = sync::apply_and_record(
        &world.client,
        &mut world.inventory,
        &plan,
        &options,
        &mut |_, _| cancel.cancel(),
        &cancel,
    )
    .await
    .unwrap();
    assert!(report.applied.cancelled);
    assert!(report.record_error.is_none());
    let on_server = world.registered_on_server();
    assert!(
        !on_server.is_empty() && on_server.len() < 40,
        "{on_server:?}"
    );
    assert_eq!(world.registered_in_inventory(), on_server);
    assert_eq!(
        report.applied.succeeded(Action::Register).count(),
        on_server.len()
    );
    assert!(report.applied.failures().all(|f| f.code == CANCELLED));
}

/// The GUI runs plans and applies as jobs on its tokio worker, which needs `Send` futures;
/// this fails to compile, not at run time, when that breaks.
#[test]
fn plan_and_apply_can_run_as_worker_jobs() {
    fn assert_send<T: Send>(_: &T) {}
    let account = Account::new("http://127.0.0.1:9/apxml/rpc.do", "u", Secret::new("p"));
    let client = GigasetClient::new(&account, Duration::from_secs(1)).unwrap();
    let devices = Vec::new();
    let plan_options = PlanOptions::default();
    let build = build_plan(&client, &devices, &plan_options);
    assert_send(&build);
    let plan = SyncPlan::default();
    let cancel = CancelFlag::default();
    let apply_options = ApplyOptions::default();
    let mut seen = 0;
    let applying = apply(&client, &plan, &apply_options, &cancel, |results, _| {
        seen += results.len()
    });
    assert_send(&applying);
    drop(applying);
    assert_eq!(seen, 0, "nothing runs until the future is polled");
}
