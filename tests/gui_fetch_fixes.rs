//! Review item 9: the Test fetch leads to the fix. A fetch of an inventory device whose
//! credentials are refused offers *Edit device…* (and *Edit site…* where the device takes them
//! from its site); *Try ad hoc from this device* copies the device into Ad hoc, passwords
//! masked; an ad hoc fetch that gets the file with other credentials offers to save them to
//! the device, behind a confirmation. Against the provisioning simulator.

use crate::support::gui;
use crate::support::gui::shows_containing;

use std::collections::BTreeMap;
use std::path::Path;

use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use gui::{App, app, click, shows, step_until, text_field};
use provdesk::device::{Mac, NewDevice, ProvisioningUrl, find_model};
use provdesk::inventory::{Inventory, SiteDraft};
use provdesk::secret::Secret;
use provdesk::sim::provisioning::{Fault, ProvisioningSim, RunningSim, SimConfig, SimUser};

const MAC: &str = "7C2F80820EC0";
const USER: &str = "prov";
const RIGHT: &str = "Right-Pw-4711";
const WRONG: &str = "Wrong-Pw-0815";

/// A server that hands the device's file to `prov` / [`RIGHT`] only.
pub(crate) fn server() -> RunningSim {
    ProvisioningSim::start_blocking(
        "127.0.0.1:0".parse().unwrap(),
        SimConfig {
            users: vec![SimUser::password(USER, Secret::new(RIGHT))],
            files: BTreeMap::from([(format!("/cfg/{MAC}.xml"), b"<ProviderFrame/>".to_vec())]),
            fault: Fault::None,
            ..SimConfig::default()
        },
    )
    .expect("the simulator starts")
}

/// An N510 with the server's URL and digest user `prov` with `password`: its own, or (when
/// `site` is true) from site Hotel.
pub(crate) fn inventory_with(db: &Path, sim: &RunningSim, password: &str, site: bool) {
    let mut inventory = Inventory::open(db).unwrap();
    let mut device = NewDevice::with_mac(Mac::parse(MAC).unwrap());
    device.model = find_model("N510");
    device.url = Some(ProvisioningUrl::parse(&sim.url("/cfg/%MACD.xml")).unwrap());
    if site {
        inventory
            .save_site(&SiteDraft {
                name: "Hotel".into(),
                digest_username: Some(USER.into()),
                digest_password: Some(Secret::new(password)),
                ..SiteDraft::default()
            })
            .unwrap();
        device.site = Some("Hotel".into());
    } else {
        device.digest_username = Some(USER.into());
        device.digest_password = Some(Secret::new(password));
    }
    inventory.add_device(&device).unwrap();
}

/// The Test fetch panel with the inventory's N510 picked.
fn device_picked(db: &Path) -> App {
    let mut harness = app(db);
    pick_the_n510(&mut harness);
    harness
}

/// Opens the Test fetch panel and picks the inventory's N510 there.
pub(crate) fn pick_the_n510(harness: &mut App) {
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num5);
    step_until(harness, "the fetch panel", |h| shows(h, "No fetch yet"));
    click(harness, "Inventory device");
    step_until(harness, "the picker's match", |h| {
        shows_containing(h, "7C2F80820EC0 · N510 IP PRO")
    });
    // With a site, the match names it too.
    harness
        .query_all_by_label_contains("7C2F80820EC0 · N510 IP PRO")
        .next()
        .unwrap()
        .click();
    harness.step();
    harness.step();
}

fn fetch(harness: &mut App, code: &str) {
    click(harness, "▶ Start");
    step_until(harness, code, |h| shows(h, code));
}

/// Whether any widget's label or value holds `text`.
fn anywhere(harness: &App, text: &str) -> bool {
    harness
        .query_all_by(|node| {
            node.value().is_some_and(|v| v.contains(text))
                || node.label().is_some_and(|l| l.contains(text))
        })
        .next()
        .is_some()
}

#[test]
fn refused_credentials_from_the_site_lead_to_the_device_form_and_the_site() {
    let sim = server();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    inventory_with(&db, &sim, WRONG, true);
    let mut harness = device_picked(&db);
    fetch(&mut harness, "credentials_rejected");
    assert!(shows(&harness, "Edit site…"), "the password is the site's");
    click(&mut harness, "Edit device…");
    step_until(&mut harness, "the device's form", |h| {
        shows(h, "Edit device")
    });
    assert_eq!(
        text_field(&harness, "MAC").value().as_deref(),
        Some("7C:2F:80:82:0E:C0"),
        "the form is the fetched device's"
    );

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num5);
    step_until(&mut harness, "the fetch again", |h| shows(h, "Edit site…"));
    click(&mut harness, "Edit site…");
    step_until(&mut harness, "the site in Settings", |h| {
        shows(h, "Sites and their defaults")
    });
    assert_eq!(
        text_field(&harness, "Site").value().as_deref(),
        Some("Hotel")
    );
    assert_eq!(
        text_field(&harness, "Digest user name").value().as_deref(),
        Some(USER),
        "the site's values are loaded"
    );
}

#[test]
fn a_fetch_that_worked_or_own_credentials_offer_no_way_that_is_not_the_fix() {
    let sim = server();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    inventory_with(&db, &sim, RIGHT, false);
    let mut harness = device_picked(&db);
    fetch(&mut harness, "ok");
    assert!(!shows(&harness, "Edit device…"), "a 200 needs no fix");
    assert!(!shows(&harness, "Edit site…"));

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    inventory_with(&db, &sim, WRONG, false);
    let mut harness = device_picked(&db);
    fetch(&mut harness, "credentials_rejected");
    assert!(shows(&harness, "Edit device…"));
    assert!(
        !shows(&harness, "Edit site…"),
        "the device's own credentials are not the site's"
    );
}

/// Replaces the text of the password field with this label.
pub(crate) fn retype_password(harness: &mut App, label: &str, text: &str) {
    harness
        .get_by_role_and_label(Role::PasswordInput, label)
        .focus();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_role_and_label(Role::PasswordInput, label)
        .type_text(text);
    harness.step();
}

/// The loop the banner closes: refused, *Edit device…*, the password corrected and saved in
/// the form, back to Test fetch, Start: the device's new password is the one sent.
#[test]
fn a_password_corrected_in_the_form_is_the_one_the_next_fetch_sends() {
    let sim = server();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    inventory_with(&db, &sim, WRONG, false);
    let mut harness = device_picked(&db);
    fetch(&mut harness, "credentials_rejected");
    click(&mut harness, "Edit device…");
    step_until(&mut harness, "the device's form", |h| {
        shows(h, "Edit device")
    });
    retype_password(&mut harness, "Digest password", RIGHT);
    click(&mut harness, "Save");
    step_until(&mut harness, "the form closed", |h| {
        !shows(h, "Edit device")
    });
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num5);
    step_until(&mut harness, "the fetch again", |h| {
        shows(h, "Edit device…")
    });
    for _ in 0..10 {
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    fetch(&mut harness, "ok");
}

/// *Try ad hoc from this device*, the password corrected, Start: the ad hoc fetch's window.
fn ad_hoc_with_the_right_password(db: &Path) -> App {
    let mut harness = device_picked(db);
    click(&mut harness, "Try ad hoc from this device");
    retype_password(&mut harness, "Password", RIGHT);
    fetch(&mut harness, "ok");
    harness
}

#[test]
fn try_ad_hoc_copies_the_device_with_its_password_masked() {
    let sim = server();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    inventory_with(&db, &sim, WRONG, false);
    let mut harness = device_picked(&db);
    click(&mut harness, "Try ad hoc from this device");
    assert_eq!(
        text_field(&harness, "MAC").value().as_deref(),
        Some("7C:2F:80:82:0E:C0")
    );
    assert_eq!(
        text_field(&harness, "User name").value().as_deref(),
        Some(USER)
    );
    assert_eq!(
        text_field(&harness, "Provisioning URL").value(),
        Some(sim.url("/cfg/%MACD.xml")),
        "the URL stays"
    );
    assert!(!anywhere(&harness, WRONG), "the copied password is masked");
    // Show beside the password (the first is the MAC password's) reveals it on purpose.
    harness.query_all_by_label("Show").nth(1).unwrap().click();
    harness.step();
    harness.step();
    assert_eq!(
        text_field(&harness, "Password").value().as_deref(),
        Some(WRONG),
        "revealed on purpose"
    );
    harness.get_by_label("Hide").click();
    harness.step();
    harness.step();
    assert!(!anywhere(&harness, WRONG), "masked again");
    fetch(&mut harness, "credentials_rejected");
    assert!(
        shows_containing(&harness, "Refused: the configured user \"prov\""),
        "the copied password is the one sent"
    );
}

#[test]
fn an_ad_hoc_success_saves_its_credentials_to_the_device_once_confirmed() {
    let sim = server();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    inventory_with(&db, &sim, WRONG, false);
    let stored = || {
        let device = Inventory::open(&db)
            .unwrap()
            .device_by_mac(Mac::parse(MAC).unwrap())
            .unwrap()
            .unwrap();
        device.digest_password.unwrap().expose().to_string()
    };
    let mut harness = ad_hoc_with_the_right_password(&db);
    let save = "Save these credentials to 7C2F80820EC0…";
    step_until(&mut harness, "the offer", |h| shows(h, save));
    assert!(!anywhere(&harness, RIGHT), "no password in the clear");

    click(&mut harness, save);
    assert!(shows_containing(&harness, "still holds the old ones"));
    assert!(shows_containing(&harness, "rollout"));
    // The setup's Cancel (of a running fetch) is there too, disabled.
    harness
        .query_all_by_label("Cancel")
        .find(|button| !button.accesskit_node().is_disabled())
        .unwrap()
        .click();
    harness.step();
    harness.step();
    assert!(!shows(&harness, "Save credentials"), "the question is gone");
    assert_eq!(stored(), WRONG, "Cancel writes nothing");

    click(&mut harness, save);
    click(&mut harness, "Save credentials");
    step_until(&mut harness, "the credentials kept", |_| stored() == RIGHT);
    step_until(&mut harness, "the offer gone", |h| !shows(h, save));
}

#[test]
fn credentials_the_device_already_holds_are_not_offered() {
    let sim = server();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    inventory_with(&db, &sim, RIGHT, false);
    let mut harness = device_picked(&db);
    click(&mut harness, "Try ad hoc from this device");
    fetch(&mut harness, "ok");
    for _ in 0..20 {
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(!shows_containing(&harness, "Save these credentials"));
}

#[test]
fn the_ad_hoc_hints_and_errors_read_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(&dir.path().join("inventory.sqlite3"));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num5);
    step_until(&mut harness, "the fetch panel", |h| {
        shows(h, "No fetch yet")
    });
    assert_eq!(
        text_field(&harness, "MAC").accesskit_node().placeholder(),
        Some("e.g. 7C:2F:80:…"),
        "the MAC's hint says it is an example"
    );
    gui::type_into(
        &mut harness,
        "Provisioning URL",
        "http://prov.example.com/%MACD.xml",
    );
    click(&mut harness, "▶ Start");
    assert!(shows(
        &harness,
        "The URL uses %MACD, which needs the device's MAC; choose a device or enter its MAC."
    ));
}
