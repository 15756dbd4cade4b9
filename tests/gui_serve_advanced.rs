//! The Serve panel's *Advanced* settings (what `provdesk serve` takes besides the address),
//! applied at Start and kept across a restart; *Only phones with problems*; and *Add to
//! inventory*, which asks for the phone's site and model before it adds anything. A real
//! client plays the phone against the port the panel serves.

use crate::gui_serve::{MAC, MAC_PASSWORD, bench, free_port, phone_of, start_serving};
use crate::support::gui;
use crate::support::gui::shows_containing;

use std::collections::HashMap;
use std::path::Path;

use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use gui::{App, click, shows, step_until, text_field};
use provdesk::device::{Mac, MacPassword, NewDevice, find_model};
use provdesk::inventory::Inventory;
use provdesk::serve::PhoneDiagnosis;
use provdesk::ui::ProvdeskApp;

/// A device of site Lobby, with the same MAC password as the bench's.
pub(crate) const LOBBY: &str = "7C2F80820ED1";
/// A phone the inventory does not hold.
const STRANGER: &str = "7C2F80820EE2";

fn lobby(db: &Path) {
    let mut device = NewDevice::with_mac(Mac::parse(LOBBY).unwrap());
    device.model = find_model("N510");
    device.site = Some("Lobby".into());
    device.mac_password = Some(MacPassword::parse(MAC_PASSWORD).unwrap());
    Inventory::open(db).unwrap().add_device(&device).unwrap();
}

/// The bench's N510 and the Lobby's in a fresh inventory: its folder, and the file.
pub(crate) fn bench_and_lobby() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    bench(&db);
    lobby(&db);
    (dir, db)
}

/// The app on `db`, once it shows the bench's N510.
fn app_showing_the_bench(db: &Path) -> App {
    let mut harness = gui::app(db);
    step_until(&mut harness, "the inventory", |h| shows(h, MAC));
    harness
}

/// What eframe keeps between runs, in memory.
#[derive(Default)]
struct Memory(HashMap<String, String>);

impl eframe::Storage for Memory {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }

    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_string(), value);
    }

    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }

    fn flush(&mut self) {}
}

/// The app on `db` started with what `kept` holds, as after a restart.
fn app_with(db: &Path, kept: &'static Memory) -> App {
    let db = db.to_path_buf();
    let mut harness = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| {
            cc.storage = Some(kept);
            ProvdeskApp::new(cc, db).expect("worker starts")
        });
    harness.step();
    harness
}

/// Replaces what the field labelled `label` holds with `text`.
fn replace(harness: &mut App, label: &str, text: &str) {
    text_field(harness, label).focus();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    text_field(harness, label).type_text(text);
    harness.step();
    harness.step();
}

/// The Serve panel with *Advanced* open.
pub(crate) fn open_advanced(harness: &mut App) {
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num6);
    step_until(harness, "the Serve panel", |h| shows(h, "Advanced"));
    click(harness, "Advanced");
}

pub(crate) fn pick_site_only(harness: &mut App, site: &str) {
    harness
        .get_by_role_and_label(Role::ComboBox, "Serve only site")
        .click();
    step_until(harness, "the sites in the list", |h| shows(h, site));
    click(harness, site);
}

/// Site only, nonce lifetime and the JSON log, set in *Advanced*, are what the server runs
/// with: the Lobby's phone gets 404 saying which site is served, each request lands in the
/// file, the line under the URL says so, and the settings are off while serving.
#[test]
fn advanced_settings_are_applied_at_start_and_off_while_serving() {
    let (dir, db) = bench_and_lobby();
    let log = dir.path().join("requests.jsonl");
    let mut harness = app_showing_the_bench(&db);
    open_advanced(&mut harness);
    pick_site_only(&mut harness, "Bench");
    replace(&mut harness, "Nonce lifetime", "120");
    replace(&mut harness, "JSON log file", &log.display().to_string());
    let port = free_port();
    start_serving(&mut harness, port);
    assert!(shows_containing(&harness, "Serving with site Bench only"));
    assert!(
        shows_containing(
            &harness,
            &format!("Serving the inventory on 127.0.0.1:{port} with site Bench only")
        ),
        "the status bar, once: not 'with Serving with'"
    );
    assert!(shows_containing(&harness, "nonces good for 120 s"));
    assert!(shows_containing(&harness, "JSON log"));
    let site_only = harness.get_by_role_and_label(Role::ComboBox, "Serve only site");
    assert!(
        site_only.accesskit_node().is_disabled(),
        "the server took it at Start"
    );

    assert_eq!(phone_of(LOBBY, port, MAC_PASSWORD), 404);
    let other_site = PhoneDiagnosis::OtherSite {
        serving: "Bench".into(),
    }
    .explain();
    step_until(&mut harness, "the Lobby phone's row", |h| {
        shows(h, &other_site)
    });
    assert_eq!(phone_of(MAC, port, MAC_PASSWORD), 200, "the Bench's phone");
    step_until(&mut harness, "the Bench phone's row", |h| {
        shows(h, "got its file")
    });
    let lines = std::fs::read_to_string(&log).unwrap();
    assert!(
        lines.contains(&format!("\"device\":\"{LOBBY}\"")),
        "{lines}"
    );
    assert!(lines.contains(&format!("\"device\":\"{MAC}\"")), "{lines}");
    assert!(!lines.contains(MAC_PASSWORD), "never a password: {lines}");
}

/// What *Advanced* held comes back after a restart, and Start applies it again: site only,
/// and the lock-out after three refused answers.
#[test]
fn advanced_settings_are_kept_across_a_restart() {
    let (_dir, db) = bench_and_lobby();
    let kept: &'static mut Memory = Box::leak(Box::default());
    let mut first = app_showing_the_bench(&db);
    open_advanced(&mut first);
    pick_site_only(&mut first, "Bench");
    click(&mut first, "Lock a client out after");
    replace(&mut first, "refused answers, for", "3");
    eframe::App::save(first.state_mut(), kept);
    drop(first);

    let mut again = app_with(&db, kept);
    // It opens where it was left: on the Serve panel.
    step_until(&mut again, "the Serve panel", |h| {
        shows_containing(h, "Advanced (site Bench only, lock-out after 3)")
    });
    let port = free_port();
    start_serving(&mut again, port);
    assert!(shows_containing(
        &again,
        "Serving with site Bench only · lock-out after 3 refused answers for 300 s"
    ));
    assert_eq!(phone_of(LOBBY, port, MAC_PASSWORD), 404, "site only again");
    // Each wrong answer counts; after the third, the client is locked out.
    let statuses: Vec<u16> = (0..4)
        .map(|_| phone_of(MAC, port, "000000000000"))
        .collect();
    assert_eq!(statuses, [401, 401, 401, 403], "locked out after three");
    let locked = PhoneDiagnosis::LockedOut.explain();
    step_until(&mut again, "the locked-out row", |h| shows(h, &locked));
}

/// With many phones booting, *Only phones with problems* leaves the refused ones.
#[test]
fn only_phones_with_problems_hides_the_served_ones() {
    let (_dir, db) = bench_and_lobby();
    let mut harness = app_showing_the_bench(&db);
    let port = free_port();
    start_serving(&mut harness, port);
    assert_eq!(phone_of(MAC, port, MAC_PASSWORD), 200);
    assert_eq!(phone_of(LOBBY, port, "000000000000"), 401);
    let wrong = PhoneDiagnosis::WrongPassword { user: LOBBY.into() }.explain();
    step_until(&mut harness, "both rows", |h| {
        shows(h, "got its file") && shows(h, &wrong)
    });
    click(&mut harness, "Only phones with problems");
    assert!(
        !shows(&harness, "got its file"),
        "the served phone is hidden"
    );
    assert!(!shows(&harness, MAC));
    assert!(shows(&harness, &wrong) && shows(&harness, LOBBY));
    click(&mut harness, "Only phones with problems");
    assert!(shows(&harness, MAC), "all again");
}

/// *Add to inventory* asks for the site (the one served) and the model (what the phone's
/// User-Agent names) before it adds; an error stays in the question, which can then be sent
/// again or cancelled.
#[test]
fn add_to_inventory_asks_for_site_and_model_and_says_why_it_could_not() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    bench(&db);
    let mut harness = app_showing_the_bench(&db);
    open_advanced(&mut harness);
    pick_site_only(&mut harness, "Bench");
    let port = free_port();
    start_serving(&mut harness, port);
    assert_eq!(phone_of(STRANGER, port, MAC_PASSWORD), 404);
    step_until(&mut harness, "the stranger's row", |h| {
        shows(h, "Add to inventory")
    });
    click(&mut harness, "Add to inventory");
    step_until(&mut harness, "the question", |h| {
        shows(h, &format!("Add {STRANGER} to the inventory?"))
    });
    let site = text_field(&harness, "Site");
    assert_eq!(site.accesskit_node().value().as_deref(), Some("Bench"));
    let model = harness.get_by_role_and_label(Role::ComboBox, "Model");
    assert_eq!(
        model.accesskit_node().value().as_deref(),
        Some("N510 IP PRO"),
        "what its User-Agent names"
    );
    let stranger = Mac::parse(STRANGER).unwrap();
    let held = || {
        Inventory::open(&db)
            .unwrap()
            .device_by_mac(stranger)
            .unwrap()
    };
    assert!(held().is_none(), "nothing is added before the user says so");

    // Added meanwhile elsewhere (the command line): the inventory refuses a second one.
    let mut elsewhere = NewDevice::with_mac(stranger);
    elsewhere.site = Some("Lobby".into());
    Inventory::open(&db)
        .unwrap()
        .add_device(&elsewhere)
        .unwrap();
    click(&mut harness, "Add");
    step_until(&mut harness, "the refusal in the question", |h| {
        shows_containing(h, "Could not add the phone")
    });
    assert!(shows(
        &harness,
        &format!("Add {STRANGER} to the inventory?")
    ));
    Inventory::open(&db)
        .unwrap()
        .delete_devices(&[held().unwrap().id])
        .unwrap();
    click(&mut harness, "Add");
    step_until(&mut harness, "the phone added", |h| {
        shows_containing(h, &format!("Added {STRANGER} to the inventory"))
    });
    assert!(!shows(
        &harness,
        &format!("Add {STRANGER} to the inventory?")
    ));
    assert!(
        shows(&harness, "✔ added") && !shows(&harness, "Add to inventory"),
        "its row, as of its last request, offers no second add"
    );
    let added = held().unwrap();
    assert_eq!(added.site.as_deref(), Some("Bench"));
    assert_eq!(added.model.as_deref(), Some("N510 IP PRO"));
}

/// The panel scrolled down in a small window and left: back on it, Stop is in sight again,
/// where the old scroll position hid it.
#[test]
fn the_panel_opens_at_its_top_when_switched_to() {
    let (_dir, db) = bench_and_lobby();
    let mut harness = gui::app_sized(&db, gui::LAPTOP);
    step_until(&mut harness, "the inventory", |h| shows(h, MAC));
    open_advanced(&mut harness);
    click(&mut harness, "Credential rollout");
    let port = free_port();
    start_serving(&mut harness, port);
    assert_eq!(phone_of(MAC, port, MAC_PASSWORD), 200);
    assert_eq!(phone_of(LOBBY, port, "000000000000"), 401);
    let served = "served: MAC / MAC password from the redirect server";
    step_until(&mut harness, "the request", |h| shows(h, served));
    let in_sight =
        |harness: &App| gui::in_window(harness.get_by_label("■ Stop").rect(), gui::LAPTOP);
    assert!(in_sight(&harness));
    // The log's heading (after the table's column of that name) is in the panel's own
    // scroll area, not in a table's or the log's.
    let heading = harness.query_all_by_label("Requests").last().unwrap();
    heading.scroll_to_me();
    for _ in 0..3 {
        harness.step();
    }
    assert!(!in_sight(&harness), "scrolled down, Stop is out of sight");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num1);
    for _ in 0..3 {
        harness.step();
    }
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num6);
    step_until(&mut harness, "the Serve panel", |h| shows(h, "■ Stop"));
    assert!(in_sight(&harness), "back on the panel, Stop is in sight");
}

/// A site picked to serve alone and deleted since (with the CLI, or in Settings) would turn
/// every phone away: Start says so, names the sites there are, and serves nothing.
#[test]
fn a_site_deleted_since_it_was_picked_stops_the_start() {
    let (_dir, db) = bench_and_lobby();
    let mut harness = app_showing_the_bench(&db);
    open_advanced(&mut harness);
    pick_site_only(&mut harness, "Lobby");
    Inventory::open(&db)
        .unwrap()
        .delete_site("Lobby", provdesk::inventory::SiteDevices::Release)
        .unwrap();
    click(&mut harness, "▶ Start");
    step_until(&mut harness, "the refusal", |h| {
        shows_containing(
            h,
            "no site named \"Lobby\" in the inventory (sites: Bench): pick one of them to serve alone, or serve every site",
        )
    });
    assert!(shows(&harness, "▶ Start"), "not serving");
}

/// A site typed with a typo would create a site without URL or credentials: the question says
/// so and its button says it creates one; an existing site in other case is that site.
#[test]
fn add_to_inventory_says_when_the_site_typed_is_a_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    bench(&db);
    let mut harness = app_showing_the_bench(&db);
    let port = free_port();
    start_serving(&mut harness, port);
    assert_eq!(phone_of(STRANGER, port, MAC_PASSWORD), 404);
    step_until(&mut harness, "the stranger's row", |h| {
        shows(h, "Add to inventory")
    });
    click(&mut harness, "Add to inventory");
    step_until(&mut harness, "the question", |h| {
        shows(h, &format!("Add {STRANGER} to the inventory?"))
    });
    replace(&mut harness, "Site", "Benhc");
    assert!(shows_containing(
        &harness,
        "No site is called \"Benhc\": adding creates it, without URL or credentials."
    ));
    assert!(shows(&harness, "Add and create site Benhc"));
    replace(&mut harness, "Site", "bench");
    assert!(!shows_containing(&harness, "No site is called"));
    assert!(shows(&harness, "Add"), "the existing site, in other case");
}
