//! Renaming and deleting a site in Settings → Sites, driven through AccessKit labels: the rename
//! dialog (Enter renames, Esc cancels), the delete confirmation with what the devices lose
//! (Enter does not delete), and the Inventory following both.

use crate::support::gui;

use std::path::{Path, PathBuf};

use egui_kittest::kittest::{NodeT, Queryable};
use gui::{App, app, click, shows, step_until, text_field, type_into};
use provdesk::device::{Mac, NewDevice};
use provdesk::inventory::{Inventory, SiteDraft};
use provdesk::secret::Secret;

/// "Hotel Alder" (provider, URL with a password, digest password) with 7C2F80820EC0 and EC1,
/// "Lobby" with none, and EC2 without a site; the app on the Settings panel.
fn app_with_sites() -> (tempfile::TempDir, PathBuf, App) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let mut inventory = Inventory::open(&db).unwrap();
    for (name, provider) in [("Hotel Alder", Some("acme-voice")), ("Lobby", None)] {
        inventory
            .save_site(&SiteDraft {
                name: name.into(),
                provider: provider.map(Into::into),
                url_pattern: provider
                    .map(|_| "https://prov:UrlSecret@prov.example.com/%MACD.xml".into()),
                digest_password: provider.map(|_| Secret::new("SiteSecret")),
                ..SiteDraft::default()
            })
            .unwrap();
    }
    for (mac, site) in [
        ("7C2F80820EC0", Some("Hotel Alder")),
        ("7C2F80820EC1", Some("Hotel Alder")),
        ("7C2F80820EC2", None),
    ] {
        let mut device = NewDevice::with_mac(Mac::parse(mac).unwrap());
        device.site = site.map(Into::into);
        inventory.add_device(&device).unwrap();
    }
    drop(inventory);
    let mut harness = app(&db);
    step_until(&mut harness, "the devices", |h| shows(h, "7C2F80820EC2"));
    settings(&mut harness);
    (dir, db, harness)
}

fn settings(harness: &mut App) {
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num7);
    step_until(harness, "the settings", |h| {
        shows(h, "Sites and their defaults")
    });
}

/// Names the site in the editor, which loads its values.
fn pick(harness: &mut App, site: &str) {
    type_into(harness, "Site", site);
    step_until(harness, "the site's values", |h| {
        h.query_all_by_label_contains("Save site (")
            .next()
            .is_some()
    });
}

fn site_names(db: &Path) -> Vec<String> {
    Inventory::open(db)
        .unwrap()
        .sites()
        .unwrap()
        .into_iter()
        .map(|site| site.name)
        .collect()
}

/// Replaces the whole text of the rename dialog's field.
fn new_name(harness: &mut App, name: &str) {
    text_field(harness, "New name").focus();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    text_field(harness, "New name").type_text(name);
    harness.step();
    harness.step();
}

/// Clicks a site action once it is on: it waits for the site list the worker sends after
/// every change.
fn click_action(harness: &mut App, label: &str) {
    step_until(harness, label, |h| {
        !h.get_by_label(label).accesskit_node().is_disabled()
    });
    click(harness, label);
}

fn rename_enabled(harness: &App) -> bool {
    !harness
        .get_by_label("Rename")
        .accesskit_node()
        .is_disabled()
}

#[test]
fn rename_refuses_a_taken_name_cancels_on_esc_and_renames_on_enter() {
    let (_dir, db, mut harness) = app_with_sites();
    assert!(
        harness
            .get_by_label("Rename site…")
            .accesskit_node()
            .is_disabled(),
        "no site to rename yet"
    );
    pick(&mut harness, "hotel alder");
    click_action(&mut harness, "Rename site…");
    step_until(&mut harness, "the rename dialog", |h| {
        shows(h, "Rename site Hotel Alder")
    });
    new_name(&mut harness, "LOBBY");
    assert!(
        shows(
            &harness,
            "Another site is called Lobby (names are compared ignoring case): pick another name"
        ),
        "a taken name is refused as it is typed"
    );
    assert!(!rename_enabled(&harness));
    new_name(&mut harness, "  ");
    assert!(shows(&harness, "The name is empty: give the site a name"));
    assert!(!rename_enabled(&harness));
    harness.key_press(egui::Key::Escape);
    step_until(&mut harness, "the dialog to close", |h| {
        !shows(h, "Rename site Hotel Alder")
    });
    assert_eq!(
        site_names(&db),
        ["Hotel Alder", "Lobby"],
        "Esc renames nothing"
    );

    click_action(&mut harness, "Rename site…");
    step_until(&mut harness, "the rename dialog", |h| {
        shows(h, "Rename site Hotel Alder")
    });
    new_name(&mut harness, "Hotel Adler");
    assert!(rename_enabled(&harness));
    harness.key_press(egui::Key::Enter);
    step_until(&mut harness, "the rename", |h| {
        shows(h, "Renamed site Hotel Alder to Hotel Adler")
    });
    assert_eq!(
        text_field(&harness, "Site").value().as_deref(),
        Some("Hotel Adler"),
        "the editor shows the new name"
    );
    assert_eq!(site_names(&db), ["Hotel Adler", "Lobby"]);
    let device = Inventory::open(&db)
        .unwrap()
        .device_by_mac(Mac::parse("7C2F80820EC0").unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(device.site.as_deref(), Some("Hotel Adler"));
    assert_eq!(device.effective_provider(), Some("acme-voice"));
}

/// A name corrected in the editor's field would make a second site on save: the editor says
/// so, and Rename takes the corrected name along.
#[test]
fn a_name_corrected_in_the_field_is_offered_as_the_rename() {
    let (_dir, db, mut harness) = app_with_sites();
    pick(&mut harness, "Hotel Alder");
    text_field(&harness, "Site").focus();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    text_field(&harness, "Site").type_text("Hotel Adler");
    harness.step();
    harness.step();
    assert!(shows(
        &harness,
        "Create site adds a new site beside Hotel Alder; to give Hotel Alder this name instead, use Rename site…"
    ));
    click_action(&mut harness, "Rename site…");
    step_until(&mut harness, "the rename dialog", |h| {
        shows(h, "Rename site Hotel Alder")
    });
    assert_eq!(
        text_field(&harness, "New name").value().as_deref(),
        Some("Hotel Adler")
    );
    click(&mut harness, "Rename");
    step_until(&mut harness, "the rename", |h| {
        shows(h, "Renamed site Hotel Alder to Hotel Adler")
    });
    assert_eq!(site_names(&db), ["Hotel Adler", "Lobby"]);
}

#[test]
fn delete_says_what_the_devices_lose_and_waits_for_a_click() {
    let (_dir, db, mut harness) = app_with_sites();
    pick(&mut harness, "Hotel Alder");
    click_action(&mut harness, "Delete site…");
    step_until(&mut harness, "the confirmation", |h| {
        shows(h, "Delete site Hotel Alder?")
    });
    let said = "2 devices in Hotel Alder lose the provider acme-voice, the provisioning URL \
                https://prov:••••••@prov.example.com/%MACD.xml and the digest password •••••• \
                they inherit from it, and stay in the inventory without a site.";
    assert!(
        shows(&harness, said),
        "the core's facts, the secrets masked"
    );
    assert!(
        harness
            .query_all_by_label_contains("Secret")
            .next()
            .is_none()
    );
    harness.key_press(egui::Key::Enter);
    for _ in 0..10 {
        harness.step();
    }
    assert!(
        shows(&harness, "Delete site Hotel Alder?"),
        "Enter does not delete"
    );
    click(&mut harness, "Cancel");
    step_until(&mut harness, "the dialog to close", |h| {
        !shows(h, "Delete site Hotel Alder?")
    });
    assert_eq!(site_names(&db), ["Hotel Alder", "Lobby"]);

    click_action(&mut harness, "Delete site…");
    step_until(&mut harness, "the confirmation", |h| {
        shows(h, "Delete Hotel Alder")
    });
    click(&mut harness, "Delete Hotel Alder");
    step_until(&mut harness, "the delete", |h| {
        shows(
            h,
            "Deleted site Hotel Alder; 2 devices are now without a site.",
        )
    });
    assert_eq!(
        text_field(&harness, "Site").value().as_deref(),
        Some(""),
        "the editor no longer holds the deleted site's values"
    );
    assert_eq!(site_names(&db), ["Lobby"]);
    let devices = Inventory::open(&db).unwrap().all_devices().unwrap();
    assert_eq!(devices.len(), 3, "the devices stay");
    assert!(
        devices
            .iter()
            .all(|d| d.site.is_none() && d.effective_provider().is_none())
    );
}

#[test]
fn an_empty_site_is_deleted_with_a_plain_confirmation() {
    let (_dir, db, mut harness) = app_with_sites();
    pick(&mut harness, "Lobby");
    click_action(&mut harness, "Delete site…");
    step_until(&mut harness, "the confirmation", |h| {
        shows(
            h,
            "No device is in Lobby, so deleting it changes no device.",
        )
    });
    click(&mut harness, "Delete Lobby");
    step_until(&mut harness, "the delete", |h| {
        shows(h, "Deleted site Lobby.")
    });
    assert_eq!(site_names(&db), ["Hotel Alder"]);
}

/// The Inventory's site filter and column, and its site lists, follow a rename and a delete.
#[test]
fn the_inventory_follows_a_renamed_then_deleted_site() {
    let (_dir, _db, mut harness) = app_with_sites();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num1);
    harness.step();
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Site")
        .click();
    step_until(&mut harness, "the site list", |h| {
        shows(h, "Hotel Alder (2)")
    });
    click(&mut harness, "Hotel Alder (2)");
    step_until(&mut harness, "the filter", |h| {
        shows(h, "2 of 3 devices shown")
    });

    settings(&mut harness);
    pick(&mut harness, "Hotel Alder");
    click_action(&mut harness, "Rename site…");
    step_until(&mut harness, "the rename dialog", |h| {
        shows(h, "Rename site Hotel Alder")
    });
    new_name(&mut harness, "Hotel Adler");
    click(&mut harness, "Rename");
    step_until(&mut harness, "the rename", |h| {
        shows(h, "Renamed site Hotel Alder to Hotel Adler")
    });
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num1);
    step_until(&mut harness, "the renamed site in the table", |h| {
        h.query_all_by_label("Hotel Adler").count() >= 2 && shows(h, "2 of 3 devices shown")
    });
    assert!(!shows(&harness, "Hotel Alder"));

    settings(&mut harness);
    click_action(&mut harness, "Delete site…");
    step_until(&mut harness, "the confirmation", |h| {
        shows(h, "Delete Hotel Adler")
    });
    click(&mut harness, "Delete Hotel Adler");
    step_until(&mut harness, "the delete", |h| {
        shows(
            h,
            "Deleted site Hotel Adler; 2 devices are now without a site.",
        )
    });
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num1);
    step_until(
        &mut harness,
        "all devices, the filter gone with its site",
        |h| shows(h, "3 devices") && !shows(h, "Hotel Adler"),
    );
}

/// A device deleted before its site was renamed, then deleted, comes back by undo without
/// bringing the old site back: first in the renamed site, then in none.
#[test]
fn undo_after_a_rename_or_a_delete_brings_no_old_site_back() {
    let (_dir, db, mut harness) = app_with_sites();
    let delete_device = |harness: &mut App, mac: &str| {
        harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num1);
        step_until(harness, "the device", |h| shows(h, mac));
        click(harness, &format!("Select {mac}"));
        click(harness, "Delete 1…");
        click(harness, "Delete 1 device");
        step_until(harness, "the device to go", |h| !shows(h, mac));
    };
    let undo = |harness: &mut App, mac: &str| {
        harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num1);
        step_until(harness, "the inventory", |h| shows(h, "Undo"));
        click(harness, "Undo");
        step_until(harness, "undo", |h| shows(h, mac));
    };
    let site_of = |mac: &str| {
        Inventory::open(&db)
            .unwrap()
            .device_by_mac(Mac::parse(mac).unwrap())
            .unwrap()
            .unwrap()
            .site
    };

    delete_device(&mut harness, "7C2F80820EC0");
    settings(&mut harness);
    pick(&mut harness, "Hotel Alder");
    click_action(&mut harness, "Rename site…");
    new_name(&mut harness, "Hotel Adler");
    click(&mut harness, "Rename");
    step_until(&mut harness, "the rename", |h| {
        shows(h, "Renamed site Hotel Alder to Hotel Adler")
    });
    undo(&mut harness, "7C2F80820EC0");
    assert_eq!(site_of("7C2F80820EC0").as_deref(), Some("Hotel Adler"));
    assert_eq!(site_names(&db), ["Hotel Adler", "Lobby"]);

    click(&mut harness, "Select 7C2F80820EC0"); // undo selected it again
    delete_device(&mut harness, "7C2F80820EC1");
    settings(&mut harness);
    click_action(&mut harness, "Delete site…");
    step_until(&mut harness, "the confirmation", |h| {
        shows(h, "Delete Hotel Adler")
    });
    click(&mut harness, "Delete Hotel Adler");
    step_until(&mut harness, "the delete", |h| {
        shows(
            h,
            "Deleted site Hotel Adler; 1 device is now without a site.",
        )
    });
    undo(&mut harness, "7C2F80820EC1");
    assert_eq!(site_of("7C2F80820EC1"), None);
    assert_eq!(site_names(&db), ["Lobby"]);
}
