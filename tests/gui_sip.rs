//! The SIP test panel (Ctrl+8) driven like a user, by AccessKit labels: fill in the ad-hoc
//! account, press Start, and watch the live arrows and the verdict come in from the registrar
//! simulator; a wrong password ends in the refusal with its code.

use crate::support::gui;

use egui_kittest::kittest::{NodeT, Queryable};
use gui::{App, app, click, right_click_row, shows, step_until, type_into};
use provdesk::sim::registrar::{RegistrarConfig, RegistrarSim, RunningRegistrar};

pub(crate) fn sip_panel(db: &std::path::Path) -> App {
    let mut harness = app(db);
    step_until(&mut harness, "the inventory", |h| {
        shows(h, "No devices yet")
    });
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num8);
    step_until(&mut harness, "the SIP panel", |h| {
        shows(h, "Test a SIP registration")
    });
    harness
}

fn fill(harness: &mut App, sim: &RunningRegistrar, password: &str) {
    type_into(harness, "Registrar", &sim.udp.to_string());
    type_into(harness, "Extension", "1001");
    type_password(harness, password);
    type_into(harness, "SIP domain", "provdesk.test");
}

/// A password field is a PasswordInput to AccessKit, not a TextInput.
pub(crate) fn type_password(harness: &mut App, text: &str) {
    let field = || egui::accesskit::Role::PasswordInput;
    harness
        .get_by_role_and_label(field(), "SIP password")
        .focus();
    harness.step();
    harness
        .get_by_role_and_label(field(), "SIP password")
        .type_text(text);
    harness.step();
}

/// The built-in registrar on a free loopback port.
fn registrar() -> RunningRegistrar {
    RegistrarSim::start_blocking("127.0.0.1".parse().unwrap(), RegistrarConfig::default()).unwrap()
}

/// The registrar, and the app's ad hoc form filled for it with this password.
pub(crate) fn filled(password: &str) -> (RunningRegistrar, tempfile::TempDir, App) {
    let sim = registrar();
    let dir = tempfile::tempdir().unwrap();
    let mut harness = sip_panel(&dir.path().join("inventory.sqlite3"));
    fill(&mut harness, &sim, password);
    (sim, dir, harness)
}

pub(crate) fn contains(harness: &App, text: &str) -> bool {
    harness.query_all_by_label_contains(text).next().is_some()
}

/// The verdict banner's title and code, each its own label as in Test fetch's banner (the
/// status line's "Registered [ok]" is not the banner).
pub(crate) fn verdict(harness: &App, title: &str, code: &str) -> bool {
    shows(harness, title) && shows(harness, code)
}

#[test]
fn an_ad_hoc_account_registers_with_live_arrows() {
    let (sim, _dir, mut harness) = filled("secret1001");
    click(&mut harness, "Start");
    step_until(&mut harness, "the verdict", |h| {
        verdict(h, "Registered", "ok")
    });
    assert!(contains(
        &harness,
        "-->  REGISTER sip:provdesk.test SIP/2.0"
    ));
    assert!(contains(&harness, "<--  SIP/2.0 401 Unauthorized"));
    assert!(contains(&harness, "<--  SIP/2.0 200 OK"));
    assert!(contains(&harness, "removed the test registration: 200 OK"));
    assert!(contains(&harness, "removed its registration again"));
    assert!(
        sim.bindings("1001").is_empty(),
        "{:?}",
        sim.bindings("1001")
    );
    assert!(!contains(&harness, "secret1001"));
}

#[test]
fn keep_the_registration_leaves_it_with_the_registrar() {
    let (sim, _dir, mut harness) = filled("secret1001");
    let keep = "Keep the registration (for a test call)";
    assert_eq!(
        harness.get_by_label(keep).accesskit_node().toggled(),
        Some(egui::accesskit::Toggled::False),
        "removing it is the default"
    );
    click(&mut harness, keep);
    click(&mut harness, "Start");
    step_until(&mut harness, "the verdict", |h| {
        verdict(h, "Registered", "ok")
    });
    assert!(contains(&harness, "kept the test registration as asked"));
    assert!(!contains(&harness, "removed the test registration"));
    assert_eq!(sim.bindings("1001").len(), 1);
}

#[test]
fn a_wrong_password_shows_credentials_rejected() {
    let (_sim, _dir, mut harness) = filled("wrong");
    click(&mut harness, "Start");
    step_until(&mut harness, "the verdict", |h| {
        shows(h, "credentials_rejected")
    });
    step_until(&mut harness, "Start to be clickable again", |h| {
        !h.get_by_label("Start").accesskit_node().is_disabled()
    });
    assert!(
        harness
            .get_by_label("Cancel")
            .accesskit_node()
            .is_disabled()
    );
}

/// A database holding an N510 whose account 1 registers with `sim` and account 2 has the wrong
/// password.
fn inventory_with_two_accounts(db: &std::path::Path, sim: &RunningRegistrar) {
    use provdesk::device::{Mac, NewDevice, SipAccount, SipTransport, find_model};
    use provdesk::inventory::Inventory;
    use provdesk::secret::Secret;

    let mut n510 = NewDevice::with_mac(Mac::parse("7C2F80820EC0").unwrap());
    n510.model = find_model("N510");
    n510.sip_accounts = Some(vec![
        SipAccount {
            index: 1,
            user: "1001".into(),
            password: Some(Secret::new("secret1001")),
            registrar: Some("127.0.0.1".into()),
            port: Some(sim.udp.port()),
            transport: Some(SipTransport::Udp),
            ..SipAccount::default()
        },
        SipAccount {
            index: 2,
            user: "1001".into(),
            password: Some(Secret::new("wrong")),
            registrar: Some("127.0.0.1".into()),
            port: Some(sim.udp.port()),
            ..SipAccount::default()
        },
    ]);
    Inventory::open(db).unwrap().add_device(&n510).unwrap();
}

/// The app on `db`, in the SIP panel, with the inventory's N510 7C2F80820EC0 picked.
fn app_with_the_n510_picked(db: &std::path::Path) -> App {
    let mut harness = app(db);
    step_until(&mut harness, "the inventory", |h| shows(h, "7C2F80820EC0"));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num8);
    step_until(&mut harness, "the SIP panel", |h| {
        shows(h, "Test a SIP registration")
    });
    click(&mut harness, "Inventory device");
    step_until(&mut harness, "the picker's matches", |h| {
        contains(h, "7C2F80820EC0 · N510 IP PRO")
    });
    harness
        .get_by_label_contains("7C2F80820EC0 · N510 IP PRO")
        .click();
    harness
}

#[test]
fn an_inventory_devices_account_is_tested_and_its_verdict_kept() {
    use provdesk::device::Mac;
    use provdesk::inventory::Inventory;

    let sim = registrar();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let mac = Mac::parse("7C2F80820EC0").unwrap();
    inventory_with_two_accounts(&db, &sim);

    let mut harness = app_with_the_n510_picked(&db);
    step_until(&mut harness, "the device's accounts", |h| {
        contains(h, "2 · 1001 @ 127.0.0.1")
    });
    click(&mut harness, "Start");
    step_until(&mut harness, "the verdict", |h| {
        verdict(h, "Registered", "ok")
    });
    let kept = |db: &std::path::Path| {
        Inventory::open(db)
            .unwrap()
            .device_by_mac(mac)
            .unwrap()
            .unwrap()
            .sip_test
            .status
    };
    step_until(&mut harness, "the verdict kept", |_| {
        kept(&db).as_deref() == Some("ok")
    });
    harness
        .query_all_by_label_contains("-->  REGISTER")
        .next()
        .expect("the first REGISTER's row")
        .click();
    step_until(&mut harness, "the REGISTER's headers", |h| {
        contains(h, "Expires: 60")
    });
    assert!(
        contains(
            &harness,
            "User-Agent: N510 IP PRO/42.245.00.000.000;7C2F80820EC0"
        ),
        "the registrar sees what the N510 sends"
    );

    harness
        .get_by_label_contains("2 · 1001 @ 127.0.0.1")
        .click();
    harness.step();
    click(&mut harness, "Start");
    step_until(&mut harness, "the second verdict", |h| {
        shows(h, "credentials_rejected")
    });
    step_until(&mut harness, "the refusal kept", |_| {
        kept(&db).as_deref() == Some("credentials_rejected")
    });
    assert!(!contains(&harness, "secret1001"));
}

#[test]
fn the_rows_menu_opens_the_devices_accounts_in_the_sip_panel() {
    let sim = registrar();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    inventory_with_two_accounts(&db, &sim);
    let mut harness = app(&db);
    step_until(&mut harness, "the device", |h| shows(h, "7C2F80820EC0"));
    right_click_row(&mut harness, "7C2F80820EC0");
    click(&mut harness, "SIP test…");
    step_until(&mut harness, "the SIP panel with the device", |h| {
        shows(h, "Test a SIP registration") && contains(h, "1 · 1001 @ 127.0.0.1")
    });
    click(&mut harness, "Start");
    step_until(&mut harness, "the verdict", |h| {
        verdict(h, "Registered", "ok")
    });
}

/// A device without a SIP account is no dead end: Start says why it waits, and the device's
/// form is one click away.
#[test]
fn a_device_without_an_account_leads_to_its_form() {
    use egui_kittest::kittest::NodeT;
    use provdesk::device::{Mac, NewDevice, find_model};
    use provdesk::inventory::Inventory;

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let mut device = NewDevice::with_mac(Mac::parse("7C2F80820EC0").unwrap());
    device.model = find_model("N510");
    Inventory::open(&db).unwrap().add_device(&device).unwrap();
    let mut harness = app_with_the_n510_picked(&db);
    step_until(&mut harness, "the device", |h| {
        shows(h, "➕ Add a SIP account…")
    });
    assert!(
        harness.get_by_label("Start").accesskit_node().is_disabled(),
        "nothing to test yet"
    );
    click(&mut harness, "➕ Add a SIP account…");
    step_until(&mut harness, "the device's form in the Inventory", |h| {
        shows(h, "➕ Add SIP account") && shows(h, "Save")
    });
}
