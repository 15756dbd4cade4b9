//! The Serve panel driven as an installer would, with a real client as the phone: start the
//! server on a port, see the phone's request and what it means, give the URL to a site, start
//! a credential rollout and enforce it behind its confirmation; the Inventory then shows when
//! the phone was last seen and its firmware.

use crate::support::gui;
use crate::support::gui::shows_containing;

use std::path::Path;

use egui::accesskit::{Role, Toggled};
use egui_kittest::kittest::{NodeT, Queryable};
use gui::{App, app, click, shows, step_until, text_field};
use provdesk::device::{CATALOGUE, Mac, MacPassword, NewDevice, find_model};
use provdesk::fetch::{FetchSpec, run_fetch};
use provdesk::inventory::Inventory;
use provdesk::secret::Secret;
use provdesk::serve::PhoneDiagnosis;

pub(crate) const MAC: &str = "7C2F80820EC0";
pub(crate) const MAC_PASSWORD: &str = "2EE3EECC82C4";

pub(crate) fn bench(db: &Path) {
    bench_with(db, Some(MAC_PASSWORD));
}

/// The N510 of site Bench, with this MAC password in the inventory (none: never registered).
fn bench_with(db: &Path, mac_password: Option<&str>) {
    let mut device = NewDevice::with_mac(Mac::parse(MAC).unwrap());
    device.model = find_model("N510");
    device.site = Some("Bench".into());
    device.mac_password = mac_password.map(|p| MacPassword::parse(p).unwrap());
    Inventory::open(db).unwrap().add_device(&device).unwrap();
}

/// A port nobody listens on right now.
pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The phone: provdesk's test fetch of the N510's ladder, on a thread of its own, answering
/// with `mac_password`.
fn phone_asks(port: u16, mac_password: &'static str) -> u16 {
    phone_of(MAC, port, mac_password)
}

/// The N510 of MAC `mac` asking the server on `port`; the status it got last.
pub(crate) fn phone_of(mac: &'static str, port: u16, mac_password: &'static str) -> u16 {
    std::thread::spawn(move || {
        let url = format!("http://127.0.0.1:{port}/%MACD.xml");
        let mut spec = FetchSpec::ad_hoc(url, &CATALOGUE[0]);
        spec.mac = Some(Mac::parse(mac).unwrap());
        spec.mac_password = Some(Secret::new(mac_password));
        spec.firmware = Some("42.250".into());
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let transcript = runtime
            .block_on(run_fetch(&spec, None, &mut |_| {}))
            .unwrap();
        transcript
            .steps
            .last()
            .and_then(|step| step.status())
            .unwrap()
    })
    .join()
    .unwrap()
}

pub(crate) fn start_serving(harness: &mut App, port: u16) {
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num6);
    step_until(harness, "the Serve panel", |h| shows(h, "Serve the phones"));
    text_field(harness, "Port").focus();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    text_field(harness, "Port").type_text(&port.to_string());
    harness.step();
    click(harness, "▶ Start");
    step_until(harness, "the server to listen", |h| {
        shows_containing(h, &format!("http://127.0.0.1:{port}/%MACD.xml"))
    });
}

/// The app serving the bench's N510 (with this MAC password in the inventory) on a free port.
fn serving_bench(mac_password: Option<&str>) -> (tempfile::TempDir, App, u16) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    bench_with(&db, mac_password);
    let mut harness = app(&db);
    step_until(&mut harness, "the inventory", |h| shows(h, MAC));
    let port = free_port();
    start_serving(&mut harness, port);
    (dir, harness, port)
}

#[test]
fn a_phone_served_by_the_panel_shows_its_verdict_and_the_url_goes_to_its_site() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    bench(&db);
    let mut harness = app(&db);
    step_until(&mut harness, "the inventory", |h| shows(h, MAC));
    let port = free_port();
    start_serving(&mut harness, port);
    let waiting = "None yet. Each request appears here as it comes: its answer, and why.";
    assert!(
        shows(&harness, waiting),
        "the empty log says what will come"
    );
    assert!(
        !shows_containing(&harness, "have neither a MAC password"),
        "its one device has its MAC password"
    );

    assert_eq!(phone_asks(port, MAC_PASSWORD), 200);
    step_until(&mut harness, "the phone's row", |h| {
        shows(h, "got its file") && shows_containing(h, "served: MAC / MAC password")
    });
    assert!(!shows(&harness, waiting));

    harness.get_by_role_and_label(Role::ComboBox, "For").click();
    // The sites load apart from the devices: wait for the site's entry, not a number of frames.
    step_until(&mut harness, "the site in the list", |h| {
        shows(h, "site Bench (1 device)")
    });
    click(&mut harness, "site Bench (1 device)");
    let before = Inventory::open(&db).unwrap().sites().unwrap()[0]
        .url_pattern
        .clone();
    click(&mut harness, "Use this URL");
    step_until(&mut harness, "the question", |h| {
        shows(h, "Use this laptop's URL?")
    });
    assert!(shows_containing(&harness, "Site Bench hands it out"));
    assert!(
        shows_containing(&harness, "This address is this laptop only"),
        "a loopback URL reaches no phone"
    );
    assert_eq!(
        Inventory::open(&db).unwrap().sites().unwrap()[0].url_pattern,
        before,
        "nothing changes before the user says yes"
    );
    click(&mut harness, "Yes, use it");
    step_until(&mut harness, "the URL to reach the site", |h| {
        shows_containing(h, "Site Bench now hands out")
    });
    let pattern = format!("http://127.0.0.1:{port}/%MACD.xml");
    let sites = Inventory::open(&db).unwrap().sites().unwrap();
    assert_eq!(sites[0].url_pattern.as_deref(), Some(pattern.as_str()));

    let firmware = Inventory::open(&db)
        .unwrap()
        .device_by_mac(Mac::parse(MAC).unwrap())
        .unwrap()
        .unwrap()
        .seen
        .firmware
        .expect("the server noted the firmware the phone's User-Agent named");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num1);
    step_until(&mut harness, "the Firmware column", |h| shows(h, &firmware));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num6);
    step_until(&mut harness, "the Serve panel", |h| shows(h, "■ Stop"));
    click(&mut harness, "■ Stop");
    step_until(&mut harness, "the server to stop", |h| {
        shows_containing(h, "Not serving")
    });
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err());
}

/// A device without credentials is named when serving starts. *Register with the redirect
/// server* acts on what *For* names, as *Use this URL* does: with a site picked and nothing
/// selected, it opens the Redirect panel with the site's devices.
#[test]
fn a_device_no_phone_can_pass_is_named_and_register_takes_the_picked_sites_devices() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    bench(&db);
    let mut other = NewDevice::with_mac(Mac::parse("7C2F80820ED1").unwrap());
    other.site = Some("Elsewhere".into());
    Inventory::open(&db).unwrap().add_device(&other).unwrap();
    let mut harness = app(&db);
    step_until(&mut harness, "the inventory", |h| shows(h, MAC));
    start_serving(&mut harness, free_port());
    step_until(
        &mut harness,
        "the warning of a device no phone can pass",
        |h| {
            shows_containing(
                h,
                "⚠ 1 of 2 devices has neither a MAC password nor a digest user and password, so its phone will be refused (7C2F80820ED1)",
            )
        },
    );
    click(&mut harness, "Register with the redirect server…");
    step_until(&mut harness, "the Redirect panel's device list", |h| {
        shows(h, "1 picked") && h.query_by_role_and_label(Role::CheckBox, MAC).is_some()
    });
    let picked = |harness: &App, mac: &str| {
        harness
            .get_by_role_and_label(Role::CheckBox, mac)
            .accesskit_node()
            .toggled()
            == Some(Toggled::True)
    };
    assert!(picked(&harness, MAC), "site Bench's device");
    assert!(!picked(&harness, "7C2F80820ED1"), "not another site's");
}

/// A phone that answers with its MAC while the inventory holds no MAC password for it (never
/// registered through provdesk) is told so, with the fix: not "not this device's user".
#[test]
fn a_phone_answering_with_its_mac_before_provdesk_knows_its_mac_password_is_told_why() {
    let (_dir, mut harness, port) = serving_bench(None);
    assert_eq!(phone_asks(port, MAC_PASSWORD), 401);
    let diagnosis = PhoneDiagnosis::MacPasswordUnknown.explain();
    step_until(&mut harness, "the phone's row", |h| shows(h, &diagnosis));
    assert!(diagnosis.contains("register it with the redirect server"));
    assert!(shows_containing(
        &harness,
        "answered as its MAC \"7C2F80820EC0\", but the inventory holds no MAC password for this device"
    ));
}

/// A phone that answers right and then gets 500 read "challenged; waiting for its answer", and
/// nothing warned at Start. The file here fails for a digest password longer than the N510
/// takes: said when serving starts, and on the phone's row after its request.
#[test]
fn a_file_that_cannot_be_rendered_is_said_at_start_and_on_the_phone_s_row() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let mut device = NewDevice::with_mac(Mac::parse(MAC).unwrap());
    device.model = find_model("N510");
    device.mac_password = Some(MacPassword::parse(MAC_PASSWORD).unwrap());
    device.digest_username = Some("hotel".into());
    device.digest_password = Some(Secret::new("x".repeat(62)));
    Inventory::open(&db).unwrap().add_device(&device).unwrap();
    let mut harness = app(&db);
    step_until(&mut harness, "the inventory", |h| shows(h, MAC));
    let port = free_port();
    start_serving(&mut harness, port);
    step_until(&mut harness, "the warning at start", |h| {
        shows_containing(
            h,
            "⚠ 1 of 1 device has a file that cannot be rendered, so its phone will get 500 (7C2F80820EC0:",
        )
    });
    assert_eq!(phone_asks(port, MAC_PASSWORD), 500);
    step_until(&mut harness, "the phone's row", |h| {
        shows_containing(h, "got 500: its file cannot be rendered")
    });
    assert!(shows_containing(
        &harness,
        "the N510 IP PRO accepts at most 50"
    ));
}

/// The cause and fix of a refused phone is longer than a line: in a small laptop's window its
/// cell wraps it whole, where it was cut (the rest on hover) while Firmware took room; hovering
/// it adds no second copy.
#[test]
fn a_long_diagnosis_wraps_whole_in_a_small_laptop_window() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    bench(&db);
    let mut harness = gui::app_sized(&db, gui::LAPTOP);
    step_until(&mut harness, "the inventory", |h| shows(h, MAC));
    let port = free_port();
    start_serving(&mut harness, port);
    assert_eq!(phone_asks(port, "000000000000"), 401);
    let diagnosis = PhoneDiagnosis::WrongPassword { user: MAC.into() }.explain();
    step_until(&mut harness, "the phone's row", |h| shows(h, &diagnosis));
    let cell = harness.get_by_label(&diagnosis).rect();
    let line = harness.get_by_label("Last seen").rect().height();
    assert!(gui::in_window(cell, gui::LAPTOP), "{cell:?}");
    assert!(
        cell.height() > 1.5 * line,
        "wrapped over more than one line of {line}: {cell:?}"
    );
    let firmware = harness.get_by_label("Firmware").rect();
    assert!(
        cell.width() > 3.0 * firmware.width(),
        "the diagnosis has the room, not Firmware: {cell:?} beside {firmware:?}"
    );
    harness.get_by_label(&diagnosis).hover();
    for _ in 0..5 {
        harness.step();
    }
    assert_eq!(harness.query_all_by_label(&diagnosis).count(), 1);
}

#[test]
fn a_rollout_started_in_the_panel_is_enforced_only_after_its_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    bench(&db);
    let mut harness = app(&db);
    step_until(&mut harness, "the inventory", |h| shows(h, MAC));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num6);
    step_until(&mut harness, "the Serve panel", |h| {
        shows(h, "Credential rollout")
    });
    click(&mut harness, "Credential rollout");
    click(&mut harness, "Start a rollout…");
    harness
        .get_by_role_and_label(Role::ComboBox, "Roll out to")
        .click();
    // The sites load apart from the devices: wait for the site's entry, not a number of frames.
    step_until(&mut harness, "the site in the list", |h| {
        shows(h, "site Bench (1 device)")
    });
    click(&mut harness, "site Bench (1 device)");
    gui::type_into(&mut harness, "New digest user", "provision-2027");
    harness
        .get_by_role_and_label(Role::PasswordInput, "New digest password")
        .focus();
    harness.step();
    harness
        .get_by_role_and_label(Role::PasswordInput, "New digest password")
        .type_text("n3w-pw");
    harness.step();
    click(&mut harness, "Start the rollout…");
    step_until(&mut harness, "the confirmation", |h| {
        shows(h, "Start the rollout for site Bench?")
    });
    assert!(shows_containing(
        &harness,
        "1 device (1 × N510 IP PRO) will fetch its file with user \"provision-2027\""
    ));
    // A phone switches at its next fetch; what lasts until enforce is accepting the old ones.
    assert!(shows_containing(
        &harness,
        "Each phone takes the new credentials from its next file. Until you enforce, provdesk serve accepts its old ones too"
    ));
    click(&mut harness, "Cancel");
    assert!(
        Inventory::open(&db)
            .unwrap()
            .rollout_progress()
            .unwrap()
            .is_empty(),
        "cancel starts nothing"
    );
    click(&mut harness, "Start the rollout…");
    step_until(&mut harness, "the confirmation", |h| {
        shows(h, "Start the rollout for site Bench?")
    });
    click(&mut harness, "Start the rollout");
    step_until(&mut harness, "the rollout's table", |h| {
        shows_containing(h, "Rollout started for 1 device") && shows(h, "Not seen since")
    });
    let inventory = Inventory::open(&db).unwrap();
    assert_eq!(inventory.rollout_progress().unwrap()[0].devices, 1);
    let device = inventory
        .device_by_mac(Mac::parse(MAC).unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(device.effective_digest_username(), Some("provision-2027"));

    click(&mut harness, "Enforce…");
    step_until(&mut harness, "the confirmation", |h| {
        shows_containing(h, "1 device has not fetched its new credentials yet")
    });
    click(&mut harness, "Cancel");
    assert_eq!(
        inventory.rollout_progress().unwrap().len(),
        1,
        "cancel keeps it"
    );
    click(&mut harness, "Enforce…");
    step_until(&mut harness, "the confirmation", |h| shows(h, "Enforce"));
    click(&mut harness, "Enforce");
    step_until(&mut harness, "the rollout to end", |h| {
        shows_containing(h, "Rollout enforced for 1 device")
    });
    assert!(inventory.rollout_progress().unwrap().is_empty());
}

/// The rollout form of the Serve panel on the Bench site, with this user and password typed.
fn rollout_form(harness: &mut App, user: &str, password: &str) {
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num6);
    step_until(harness, "the Serve panel", |h| {
        shows(h, "Credential rollout")
    });
    click(harness, "Credential rollout");
    click(harness, "Start a rollout…");
    harness
        .get_by_role_and_label(Role::ComboBox, "Roll out to")
        .click();
    step_until(harness, "the site in the list", |h| {
        shows(h, "site Bench (1 device)")
    });
    click(harness, "site Bench (1 device)");
    gui::type_into(harness, "New digest user", user);
    harness
        .get_by_role_and_label(Role::PasswordInput, "New digest password")
        .focus();
    harness.step();
    harness
        .get_by_role_and_label(Role::PasswordInput, "New digest password")
        .type_text(password);
    harness.step();
}

#[test]
fn a_rollout_password_too_long_for_the_n510_is_refused_in_the_form_before_any_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    bench(&db);
    let mut harness = app(&db);
    step_until(&mut harness, "the inventory", |h| shows(h, MAC));
    let long = "x".repeat(62);
    rollout_form(&mut harness, "provision-2027", &long);
    click(&mut harness, "Start the rollout…");
    step_until(&mut harness, "the refusal", |h| {
        shows_containing(h, "the N510 IP PRO accepts at most 50")
    });
    assert!(shows_containing(&harness, MAC), "names the device");
    assert!(!shows_containing(
        &harness,
        "Start the rollout for site Bench?"
    ));
    assert!(!shows_containing(&harness, &long));
    assert!(
        Inventory::open(&db)
            .unwrap()
            .rollout_progress()
            .unwrap()
            .is_empty()
    );
}

/// On a small laptop's window Stop and every setting stay in sight, the rows under the status
/// stay put when serving starts (the next click lands where it aimed), and a server on
/// loopback says phones cannot reach it instead of telling the installer to give them its URL.
#[test]
fn on_a_small_laptop_stop_stays_in_sight_and_loopback_says_phones_cannot_reach_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    bench(&db);
    let mut harness = gui::app_sized(&db, gui::LAPTOP);
    step_until(&mut harness, "the inventory", |h| shows(h, MAC));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num6);
    step_until(&mut harness, "the Serve panel", |h| shows(h, "▶ Start"));
    let in_sight = |harness: &App, label: &str| {
        gui::in_window(harness.get_by_label(label).rect(), gui::LAPTOP)
    };
    assert!(in_sight(&harness, "▶ Start"));
    assert!(in_sight(&harness, "Basic where the model takes it"));
    let rollout_before = harness.get_by_label("Credential rollout").rect();

    start_serving(&mut harness, free_port());
    assert!(
        in_sight(&harness, "■ Stop"),
        "the installer can stop serving"
    );
    let rollout_after = harness.get_by_label("Credential rollout").rect();
    assert!(
        (rollout_after.top() - rollout_before.top()).abs() < 1.0,
        "starting moved the rows below from {rollout_before:?} to {rollout_after:?}"
    );
    assert!(shows_containing(
        &harness,
        "Listening on this computer only: phones cannot reach 127.0.0.1."
    ));
    assert!(shows_containing(&harness, "To try it here, test-fetch"));
    assert!(!shows_containing(&harness, "Give phones the URL"));
    assert!(
        shows(&harness, "Use this URL") && shows(&harness, "⚠ this laptop only"),
        "the URL can still be handed out, flagged"
    );
}

/// A new start shows only its own phones: the last run's rows (a device deleted since, another
/// site served) would read as this run's.
#[test]
fn a_new_start_begins_with_no_phones_of_the_last_run() {
    let (_dir, mut harness, port) = serving_bench(Some(MAC_PASSWORD));
    assert_eq!(phone_asks(port, MAC_PASSWORD), 200);
    step_until(&mut harness, "the phone's row", |h| {
        shows(h, "got its file")
    });
    click(&mut harness, "■ Stop");
    step_until(&mut harness, "the server to stop", |h| {
        shows_containing(h, "Not serving")
    });
    assert!(
        shows(&harness, "got its file"),
        "kept while stopped, to read"
    );
    let again = free_port();
    start_serving(&mut harness, again);
    assert!(shows(&harness, "No phone has asked yet."));
    assert!(!shows(&harness, "got its file"));
}
