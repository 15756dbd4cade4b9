//! The Redirect panel driven through AccessKit labels against the in-process redirect
//! simulator on a real socket. The account is kept in a user-only file in a temp folder
//! (`AccountStore::file_only`), never in the user's keyring.

use crate::support::gui;
use crate::support::gui::shows_containing;

use std::net::TcpListener;
use std::path::Path;

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable};
use gui::{App, click, right_click_row, shows, step_until, text_field, type_into};
use provdesk::device::{Mac, MacId, NewDevice, ProvisioningUrl};
use provdesk::inventory::{Inventory, STATUS_NOT_REGISTERED, STATUS_REGISTERED};
use provdesk::redirect::{Account, AccountStore};
use provdesk::secret::Secret;
use provdesk::sim::redirect::{
    RedirectSim, RedirectSimConfig, RunningRedirectSim, mac_password_for,
};
use provdesk::ui::ProvdeskApp;

const USER: &str = "gigaset";
const PASSWORD: &str = "aptest";
const URL: &str = "http://p.example/%MACD.xml";

fn mac(n: u32) -> Mac {
    Mac::parse(&format!("7C2F80{n:06X}")).unwrap()
}

fn mac_id(n: u32) -> String {
    format!("{}-00A{n}", mac(n).macd())
}

fn device(n: u32, url: &str) -> NewDevice {
    let mut device = NewDevice::with_mac(mac(n));
    device.mac_id = Some(MacId::parse(&mac_id(n)).unwrap());
    device.provider = Some("Daryna".into());
    device.url = Some(ProvisioningUrl::parse(url).unwrap());
    device
}

fn sim() -> RunningRedirectSim {
    let config = RedirectSimConfig::new(USER, Secret::new(PASSWORD));
    RedirectSim::start_blocking("127.0.0.1:0".parse().unwrap(), config).unwrap()
}

/// A data folder with an inventory of devices 1..=`devices`.
fn folder(devices: u32) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let mut inventory = Inventory::open(&db).unwrap();
    let new: Vec<NewDevice> = (1..=devices).map(|n| device(n, URL)).collect();
    inventory.add_devices(&new).unwrap();
    (dir, db)
}

/// The app on `db` with the account kept in `dir`'s file, on the Inventory panel.
fn start(dir: &Path, db: &Path) -> App {
    let (dir, db) = (dir.to_path_buf(), db.to_path_buf());
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| {
            ProvdeskApp::with_account_store(cc, db, AccountStore::file_only(&dir))
                .expect("worker starts")
        });
    harness.step();
    harness
}

/// The app on the Redirect panel, once the device picker is filled.
fn open(dir: &Path, db: &Path, devices: u32) -> App {
    let mut harness = start(dir, db);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num4);
    step_until(&mut harness, "the Redirect panel", |h| {
        shows(h, "Provisioner account") && (devices == 0 || shows(h, &mac_id(devices)))
    });
    harness
}

/// The app with the simulator's account already saved, as a returning user has it.
fn open_with_account(sim: &RunningRedirectSim, devices: u32) -> (tempfile::TempDir, App) {
    let (dir, db) = folder(devices);
    AccountStore::file_only(dir.path())
        .save(&Account::new(sim.url(), USER, Secret::new(PASSWORD)))
        .unwrap();
    let harness = open(dir.path(), &db, devices);
    (dir, harness)
}

/// Like [`open_with_account`], on an inventory of device 1 and `more`, once the picker shows
/// device `last`.
fn open_with_more(
    sim: &RunningRedirectSim,
    more: &[NewDevice],
    last: u32,
) -> (tempfile::TempDir, App) {
    let (dir, db) = folder(1);
    Inventory::open(&db).unwrap().add_devices(more).unwrap();
    AccountStore::file_only(dir.path())
        .save(&Account::new(sim.url(), USER, Secret::new(PASSWORD)))
        .unwrap();
    let harness = open(dir.path(), &db, last);
    (dir, harness)
}

/// Device `n` with its MAC-ID and nothing else: no provider, no URL.
fn bare(n: u32) -> NewDevice {
    let mut device = NewDevice::with_mac(mac(n));
    device.mac_id = Some(MacId::parse(&mac_id(n)).unwrap());
    device
}

/// Replaces a text field's content.
fn retype(harness: &mut App, field: &str, text: &str) {
    text_field(harness, field).focus();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.step();
    type_into(harness, field, text);
}

fn password_field(harness: &App) -> egui_kittest::Node<'_> {
    harness.get_by_role_and_label(egui::accesskit::Role::PasswordInput, "Password")
}

/// Replaces the masked password field's content.
fn type_password(harness: &mut App, text: &str) {
    password_field(harness).focus();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.step();
    password_field(harness).type_text(text);
    harness.step();
}

fn wait_for(harness: &mut App, text: &str) {
    step_until(harness, text, |h| shows_containing(h, text));
}

/// Waits until the picker shows `count` devices with this redirect status, which it does once
/// the inventory has recorded the server's answers.
fn wait_for_status(harness: &mut App, status: &str, count: usize) {
    step_until(harness, status, |h| {
        h.query_all_by_label(status).count() == count
    });
}

fn pick(harness: &mut App, devices: impl IntoIterator<Item = u32>) {
    for n in devices {
        click(harness, &mac_id(n));
    }
}

fn registered(db: &Path, n: u32) -> (Option<String>, Option<String>) {
    let device = Inventory::open(db)
        .unwrap()
        .device_by_mac(mac(n))
        .unwrap()
        .unwrap();
    (
        device.redirect.status,
        device.mac_password.map(|p| p.expose().to_string()),
    )
}

#[test]
fn the_account_is_saved_to_a_private_file_and_tested() {
    let sim = sim();
    let (dir, db) = folder(0);
    let mut harness = open(dir.path(), &db, 0);
    retype(&mut harness, "Endpoint", &sim.url());
    type_into(&mut harness, "Provisioner user", USER);
    type_password(&mut harness, PASSWORD);
    assert!(
        !shows(&harness, PASSWORD),
        "the password is masked while typed"
    );
    click(&mut harness, "Save account");
    wait_for(&mut harness, "readable only by you");
    assert!(
        shows_containing(
            &harness,
            "⚠ No keyring service answered, so the redirect password is kept in"
        ),
        "the core's warning about the file is shown"
    );
    assert!(
        !shows_containing(&harness, "The password is kept in"),
        "where the password went is said once"
    );
    assert!(
        !shows_containing(&harness, "PROVDESK_NO_KEYRING"),
        "the keyring's own words stay out of the panel"
    );
    let saved = AccountStore::file_only(dir.path()).load().unwrap().unwrap();
    assert_eq!(saved.endpoint, sim.url());
    assert_eq!(saved.user, USER);
    assert_eq!(saved.password.expose(), PASSWORD);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let file = AccountStore::file_only(dir.path());
        let mode = std::fs::metadata(file.file_path())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "only the user can read the file");
    }

    click(&mut harness, "Test connection");
    wait_for(&mut harness, "Connected to");
    assert!(shows_containing(&harness, "the server accepts the account"));

    type_password(&mut harness, "wrong-password");
    click(&mut harness, "Test connection");
    wait_for(&mut harness, "Test connection failed");
    assert!(
        shows_containing(
            &harness,
            "check the provisioner user name and password Gigaset gave you"
        ),
        "a refused account says what to do"
    );
}

#[test]
fn register_three_then_the_plan_is_unchanged_until_a_url_changes() {
    let sim = sim();
    let (dir, mut harness) = open_with_account(&sim, 3);
    let db = dir.path().join("inventory.sqlite3");
    pick(&mut harness, 1..=3);
    assert!(shows(&harness, "3 picked"));
    click(&mut harness, "Register");
    wait_for(&mut harness, "Register: 3 devices, 0 failed");
    assert!(shows_containing(
        &harness,
        "its MAC password is kept in the inventory"
    ));
    wait_for_status(&mut harness, "registered", 3);
    for n in 1..=3 {
        let (status, password) = registered(&db, n);
        assert_eq!(status.as_deref(), Some(STATUS_REGISTERED));
        assert_eq!(password, mac_password_for(&mac_id(n)), "device {n}");
    }
    assert_eq!(sim.registrations().len(), 3);
    assert!(
        !shows_containing(&harness, &mac_password_for(&mac_id(1)).unwrap()),
        "MAC passwords are not shown"
    );

    click(&mut harness, "Sync");
    click(&mut harness, "Plan");
    wait_for(&mut harness, "3 unchanged");
    assert!(shows(&harness, "0 to register"));
    assert!(shows(
        &harness,
        "The server already says what the inventory says."
    ));

    let mut inventory = Inventory::open(&db).unwrap();
    let id = inventory.device_by_mac(mac(2)).unwrap().unwrap().id;
    inventory
        .update_device(id, &device(2, "http://p.example/new/%MACD.xml"))
        .unwrap();
    click(&mut harness, "Plan");
    wait_for(&mut harness, "2 unchanged");
    assert!(shows(&harness, "1 to update"));
    assert!(shows(&harness, "0 to register"));

    click(&mut harness, "Apply");
    wait_for(&mut harness, "Applied: 1 device changed, 0 failed");
    let now = sim.registrations();
    let moved = now.iter().find(|r| r.mac == mac(2).macd()).unwrap();
    assert_eq!(moved.url, "http://p.example/new/%MACD.xml");
    click(&mut harness, "Plan");
    wait_for(&mut harness, "3 unchanged");
}

#[test]
fn deregister_asks_first_and_cancel_in_the_question_changes_nothing() {
    let sim = sim();
    let (dir, mut harness) = open_with_account(&sim, 2);
    let db = dir.path().join("inventory.sqlite3");
    pick(&mut harness, 1..=2);
    click(&mut harness, "Register");
    wait_for(&mut harness, "Register: 2 devices, 0 failed");

    click(&mut harness, "Deregister…");
    assert!(shows(&harness, "Remove these registrations?"));
    assert!(
        shows(&harness, &mac(1).macd()),
        "the question lists the MACs"
    );
    assert!(shows(&harness, &mac(2).macd()));
    click(&mut harness, "Cancel");
    assert!(!shows(&harness, "Remove these registrations?"));
    assert_eq!(sim.registrations().len(), 2, "nothing was deregistered");

    click(&mut harness, "Deregister…");
    click(&mut harness, "Deregister 2 devices");
    wait_for(&mut harness, "Deregister: 2 devices, 0 failed");
    assert!(sim.registrations().is_empty());
    wait_for_status(&mut harness, "not registered", 2);
    for n in 1..=2 {
        assert_eq!(registered(&db, n).0.as_deref(), Some(STATUS_NOT_REGISTERED));
    }

    click(&mut harness, "Check");
    wait_for(&mut harness, "Check: 2 devices, 0 failed");
    assert!(shows_containing(
        &harness,
        "not registered on the redirect server"
    ));
}

#[test]
fn cancel_stops_an_apply_the_server_never_answers() {
    let sim = sim();
    let (dir, mut harness) = open_with_account(&sim, 3);
    let db = dir.path().join("inventory.sqlite3");
    click(&mut harness, "Sync");
    click(&mut harness, "Plan");
    wait_for(&mut harness, "3 to register");

    // The same plan applied to a server that accepts the connection and never answers.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!(
        "http://127.0.0.1:{}/apxml/rpc.do",
        silent.local_addr().unwrap().port()
    );
    retype(&mut harness, "Endpoint", &endpoint);
    click(&mut harness, "Apply");
    wait_for(&mut harness, "Applying: 0 of 3 devices done");
    let (_held, _) = silent.accept().unwrap();
    click(&mut harness, "Cancel");
    wait_for(&mut harness, "Cancelled after 0 of 3 devices");
    assert!(shows_containing(&harness, "Plan again to see what is left"));
    assert!(sim.registrations().is_empty());
    for n in 1..=3 {
        assert_eq!(registered(&db, n).0, None, "device {n} is untouched");
    }
}

#[test]
fn the_remote_list_marks_registrations_the_inventory_does_not_hold() {
    let sim = sim();
    let (_dir, mut harness) = open_with_account(&sim, 1);
    pick(&mut harness, [1]);
    click(&mut harness, "Register");
    wait_for(&mut harness, "Register: 1 device, 0 failed");
    // Somebody else registered a device this inventory does not know.
    let stranger = Account::new(sim.url(), USER, Secret::new(PASSWORD));
    let client =
        provdesk::redirect::GigasetClient::new(&stranger, std::time::Duration::from_secs(5))
            .unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime
        .block_on(provdesk::redirect::RedirectService::register(
            &client,
            "7C2F800000AA-1111",
            URL,
            "Daryna",
        ))
        .unwrap();

    click(&mut harness, "Remote list");
    type_into(&mut harness, "Provider to list", "Daryna");
    click(&mut harness, "List");
    wait_for(&mut harness, "2 registrations, 1 not in the inventory");
    assert!(shows(&harness, "7C2F800000AA"));
    assert!(shows(&harness, "not in the inventory"));
    assert!(shows(&harness, "in the inventory"));
}

#[test]
fn a_503_half_way_fails_some_devices_in_words_and_a_rerun_finishes_them() {
    let sim = sim();
    let (dir, db) = folder(0);
    let mut inventory = Inventory::open(&db).unwrap();
    // One URL each: one registerDeviceList call each, so the server can fail some of them.
    let new: Vec<NewDevice> = (1..=3)
        .map(|n| device(n, &format!("http://p.example/{n}/%MACD.xml")))
        .collect();
    inventory.add_devices(&new).unwrap();
    AccountStore::file_only(dir.path())
        .save(&Account::new(sim.url(), USER, Secret::new(PASSWORD)))
        .unwrap();
    let mut harness = open(dir.path(), &db, 3);
    click(&mut harness, "Sync");
    click(&mut harness, "Plan");
    wait_for(&mut harness, "3 to register");

    sim.set_fault(provdesk::sim::redirect::RedirectFault::UnavailableAfter(1));
    click(&mut harness, "Apply");
    wait_for(&mut harness, "Applied: 1 device changed, 2 failed");
    assert!(
        shows_containing(&harness, "try again later"),
        "a 503 says what to do"
    );
    assert!(shows_containing(
        &harness,
        "The failed devices are listed first"
    ));
    let top = |part: &str| {
        harness
            .query_all_by_label_contains(part)
            .map(|node| node.rect().top())
            .fold(f32::MAX, f32::min)
    };
    assert!(
        top("try again later") < top("done; MAC password stored"),
        "the failures come before the success"
    );
    assert_eq!(sim.registrations().len(), 1);

    sim.set_fault(provdesk::sim::redirect::RedirectFault::None);
    click(&mut harness, "Plan");
    wait_for(&mut harness, "1 unchanged");
    assert!(shows(&harness, "2 to register"));
    click(&mut harness, "Apply");
    wait_for(&mut harness, "Applied: 2 devices changed, 0 failed");
    // The inventory queue records each batch's answers just after the panel hears of them.
    step_until(&mut harness, "the answers recorded", |_| {
        (1..=3).all(|n| registered(&db, n).0.as_deref() == Some(STATUS_REGISTERED))
    });
    for n in 1..=3 {
        assert_eq!(
            registered(&db, n).1,
            mac_password_for(&mac_id(n)),
            "device {n}"
        );
    }
}

#[test]
fn an_inventory_row_menu_picks_the_device_in_the_redirect_panel() {
    let sim = sim();
    let (dir, db) = folder(2);
    AccountStore::file_only(dir.path())
        .save(&Account::new(sim.url(), USER, Secret::new(PASSWORD)))
        .unwrap();
    let mut harness = start(dir.path(), &db);
    let mac_text = mac(2).macd();
    step_until(&mut harness, "the device", |h| shows(h, &mac_text));
    right_click_row(&mut harness, &mac_text);
    click(&mut harness, "Redirect server…");
    step_until(&mut harness, "the Redirect panel", |h| shows(h, "1 picked"));
    click(&mut harness, "Check");
    wait_for(&mut harness, "Check: 1 device, 0 failed");
    assert!(shows(&harness, &mac_id(2)), "the result names the device");
    assert!(shows_containing(
        &harness,
        "not registered on the redirect server"
    ));
    wait_for_status(&mut harness, "not registered", 1);
    assert_eq!(
        registered(&db, 1).0,
        None,
        "the other device was not checked"
    );
}

/// One meaning in both faces: a device the server does not know is "not registered" after a
/// deregistration, which is what was asked, so it counts as done (as `provdesk redirect
/// deregister` does, see cli_redirect.rs).
#[test]
fn deregistering_a_device_the_server_does_not_know_succeeds() {
    let sim = sim();
    let (dir, mut harness) = open_with_account(&sim, 1);
    let db = dir.path().join("inventory.sqlite3");
    pick(&mut harness, [1]);
    click(&mut harness, "Deregister…");
    click(&mut harness, "Deregister 1 device");
    wait_for(&mut harness, "Deregister: 1 device, 0 failed");
    assert!(shows_containing(
        &harness,
        "was not registered; nothing to remove"
    ));
    wait_for_status(&mut harness, "not registered", 1);
    assert_eq!(registered(&db, 1).0.as_deref(), Some(STATUS_NOT_REGISTERED));
}

/// Linux connects 0.0.0.0 to this machine, so the simulator on 127.0.0.1 answers there while
/// the address is not a loopback one: plain http:// to it needs the lab switch.
#[cfg(target_os = "linux")]
#[test]
fn plain_http_to_another_address_needs_the_lab_switch_and_warns() {
    let sim = sim();
    let (dir, db) = folder(0);
    let mut harness = open(dir.path(), &db, 0);
    let endpoint = sim.url().replace("127.0.0.1", "0.0.0.0");
    retype(&mut harness, "Endpoint", &endpoint);
    type_into(&mut harness, "Provisioner user", USER);
    type_password(&mut harness, PASSWORD);
    assert!(!shows_containing(&harness, "in clear"), "off by default");

    click(&mut harness, "Test connection");
    wait_for(&mut harness, "Test connection failed");
    assert!(shows_containing(&harness, "Use https://"), "names https");
    assert!(sim.calls().is_empty(), "nothing was sent");

    click(&mut harness, "Allow plain http:// (lab only)");
    assert!(
        shows_containing(&harness, "in clear"),
        "the warning is shown"
    );
    click(&mut harness, "Test connection");
    wait_for(&mut harness, "Connected to");
    assert_eq!(sim.calls().len(), 1);
}

/// A device without a provider or URL cannot be registered: with only such devices picked,
/// Register is off (its hover says why); one registrable device among them turns it on.
#[test]
fn register_is_off_while_no_picked_device_has_a_provider_and_url() {
    let sim = sim();
    let (_dir, mut harness) = open_with_more(&sim, &[bare(2)], 2);
    let register_off = |h: &App| h.get_by_label("Register").accesskit_node().is_disabled();
    assert!(register_off(&harness), "nothing picked");
    pick(&mut harness, [2]);
    assert!(shows(&harness, "1 picked"));
    assert!(
        register_off(&harness),
        "the one picked has no provider or URL"
    );
    pick(&mut harness, [1]);
    assert!(
        !register_off(&harness),
        "one of the two picked can register"
    );
    pick(&mut harness, [1]);
    assert!(register_off(&harness), "unpicked again");
    click(&mut harness, "Pick all shown");
    assert!(!register_off(&harness));
    click(&mut harness, "Pick none");
    assert!(register_off(&harness));
}

/// A picked device whose URL names this computer is registrable, but reaches no phone: the
/// tab says so beside Register, for as long as one is picked.
#[test]
fn a_picked_loopback_url_is_warned_of_beside_register() {
    let sim = sim();
    let local = device(2, "http://127.0.0.1:8631/%MACD.xml");
    let (_dir, mut harness) = open_with_more(&sim, &[local], 2);
    let warning = "⚠ 1 picked would be registered with a URL naming this computer: a phone given it asks itself";
    pick(&mut harness, [1]);
    assert!(!shows(&harness, warning), "its URL reaches phones");
    pick(&mut harness, [2]);
    assert!(shows(&harness, warning));
    pick(&mut harness, [2]);
    assert!(!shows(&harness, warning), "unpicked again");
}

/// After an apply the plan is gone, and its results take the tab's height: twenty results are
/// all in sight, not the first ten over an empty half of the window.
#[test]
fn an_applys_results_fill_the_tab_once_the_plan_is_gone() {
    let sim = sim();
    let label = |n: u32| format!("{}-{n:04X}", mac(n).macd());
    let more: Vec<NewDevice> = (2..=20)
        .map(|n| {
            let mut new = NewDevice::with_mac(mac(n));
            new.mac_id = Some(MacId::parse(&label(n)).unwrap());
            new.provider = Some("Daryna".into());
            new.url = Some(ProvisioningUrl::parse(URL).unwrap());
            new
        })
        .collect();
    let (_dir, mut harness) = open_with_more(&sim, &more, 1);
    click(&mut harness, "Sync");
    click(&mut harness, "Plan");
    wait_for(&mut harness, "20 to register");
    click(&mut harness, "Apply");
    wait_for(&mut harness, "Applied: 20 devices changed, 0 failed");
    assert!(shows(&harness, &mac_id(1)));
    assert!(shows(&harness, &label(20)), "the last result is in sight");
}

/// Devices without a provider or URL are not in the plan: the summary counts them beside the
/// actions, and the warning names them and says where to fix them, above the table, while
/// Apply stays where it was.
#[test]
fn the_plan_names_the_devices_it_leaves_out() {
    let sim = sim();
    let mut no_provider = bare(2);
    no_provider.url = Some(ProvisioningUrl::parse(URL).unwrap());
    let (_dir, mut harness) = open_with_more(&sim, &[no_provider, bare(3)], 3);
    click(&mut harness, "Sync");
    let apply_at = harness.get_by_label("Apply").rect();
    click(&mut harness, "Plan");
    wait_for(&mut harness, "1 to register");
    assert!(shows(&harness, "2 left out"));
    let no_provider = format!(
        "⚠ 2 devices are not in the plan: no provider, their own or their site's ({}, {}). \
         Give them or their site a provider",
        mac(2).macd(),
        mac(3).macd()
    );
    assert!(shows_containing(&harness, &no_provider));
    let no_url = format!(
        "⚠ 1 device is not in the plan: no provisioning URL, its own or its site's ({}). \
         Give it or its site a provisioning URL",
        mac(3).macd()
    );
    assert!(shows_containing(&harness, &no_url));
    assert_eq!(harness.get_by_label("Apply").rect(), apply_at);
}
