//! The Set site… dialog asked as an installer would: it opens on an empty field whose primary
//! button needs a name, so Enter does not take devices out of their site; that is a button of
//! its own; and a refused move keeps the dialog open with the reason inside it, whole, in a
//! small laptop's window.

use crate::support::gui;

use std::path::Path;

use egui_kittest::kittest::{NodeT, Queryable};
use gui::{App, app_sized, click, in_window, shows, step_until};
use provdesk::device::{Mac, NewDevice, find_model};
use provdesk::inventory::{Inventory, SiteDraft};
use provdesk::secret::Secret;

const MAC: &str = "7C2F80820EC0";

fn site_of(db: &Path) -> Option<String> {
    Inventory::open(db)
        .unwrap()
        .device_by_mac(Mac::parse(MAC).unwrap())
        .unwrap()
        .unwrap()
        .site
}

/// An N510 in site Lobby (no credentials of its own to lose), and site Longpw whose 60-character
/// password the N510 cannot take; the dialog open for it in a 1000 px window.
fn dialog_open() -> (tempfile::TempDir, std::path::PathBuf, App) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let mut inventory = Inventory::open(&db).unwrap();
    inventory
        .save_site(&SiteDraft {
            name: "Longpw".into(),
            digest_username: Some("long".into()),
            digest_password: Some(Secret::new("p".repeat(60))),
            ..SiteDraft::default()
        })
        .unwrap();
    let mut device = NewDevice::with_mac(Mac::parse(MAC).unwrap());
    device.model = find_model("N510");
    device.site = Some("Lobby".into());
    inventory.add_device(&device).unwrap();
    drop(inventory);
    let mut harness = app_sized(&db, gui::LAPTOP);
    step_until(&mut harness, "the devices", |h| shows(h, MAC));
    click(&mut harness, &format!("Select {MAC}"));
    click(&mut harness, "Set site…");
    step_until(&mut harness, "the dialog", |h| {
        shows(h, "Site for 1 device")
    });
    (dir, db, harness)
}

#[test]
fn enter_on_the_empty_field_moves_nothing_and_taking_out_is_its_own_button() {
    let (_dir, db, mut harness) = dialog_open();
    assert!(shows(&harness, "Move 1 device to a site"));
    harness.key_press(egui::Key::Enter);
    for _ in 0..20 {
        harness.step();
    }
    assert!(shows(&harness, "Site for 1 device"), "still open");
    assert_eq!(site_of(&db).as_deref(), Some("Lobby"));

    click(&mut harness, "Take 1 device out of their site");
    step_until(&mut harness, "the move", |h| !shows(h, "Site for 1 device"));
    step_until(&mut harness, "the device out of its site", |_| {
        site_of(&db).is_none()
    });
}

#[test]
fn a_refused_move_keeps_the_dialog_open_with_the_reason_inside_the_window() {
    let (_dir, db, mut harness) = dialog_open();
    gui::text_field(&harness, "Site").type_text("Longpw");
    step_until(&mut harness, "the button", |h| {
        shows(h, "Move 1 device to Longpw")
    });
    harness.key_press(egui::Key::Enter);
    step_until(&mut harness, "the refusal", |h| {
        h.query_all_by_label_contains("N510 IP PRO accepts at most 50")
            .next()
            .is_some()
    });
    assert!(
        shows(&harness, "Site for 1 device"),
        "the dialog stays open"
    );
    // The dialog's line (the status bar keeps the same words, cut short, behind it).
    let refusal = harness
        .query_all_by_label_contains("othing was moved to site \"Longpw\"")
        .filter(|node| {
            node.accesskit_node()
                .value()
                .is_some_and(|text| text.starts_with("⚠ Nothing was moved"))
        })
        .map(|node| node.rect())
        .collect::<Vec<_>>();
    assert_eq!(refusal.len(), 1, "one refusal inside the dialog");
    let rect = refusal[0];
    assert!(in_window(rect, gui::LAPTOP), "{rect:?}");
    assert!(rect.width() <= 470.0, "wrapped to the dialog: {rect:?}");
    assert!(!shows(&harness, "✖"), "no banner behind the dialog");
    assert_eq!(site_of(&db).as_deref(), Some("Lobby"));
}
