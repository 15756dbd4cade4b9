//! Usability review 3, finding 7 and the rest of 12: the Test fetch readable in a small window.
//! At 1000×700 the verdict, its notes and the toolbar took the top 330 points and the exchange
//! and the step's detail shared what was left; at 1400 the URL field showed no more than
//! `http://admin:••••••@127.0.0.1:870`. And a 500 from provdesk's own Serve for a device
//! without a model offered no way to the fix, which is the device's model.

use crate::gui_fetch_fixes::{inventory_with, pick_the_n510, server};
use crate::gui_serve::{free_port, start_serving};
use crate::support::gui;
use crate::support::gui::shows_containing;

use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use gui::{
    App, LAPTOP, app, app_sized, click, in_window, shows, step_until, text_field, type_into,
};
use provdesk::device::{Mac, MacPassword, NewDevice};
use provdesk::inventory::Inventory;
use provdesk::secret::Secret;

const MAC: &str = "7C2F80820EC0";

/// The review's case at 1000×700: an N510 whose password is refused and whose MAC password
/// provdesk does not know, so the banner has a second finding, *Edit device…* and a note.
#[test]
fn at_1000_by_700_the_exchange_gets_most_of_the_height_and_the_notes_fold() {
    let sim = server();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    inventory_with(&db, &sim, "Wrong-Pw-0815", false);
    let mut harness = app_sized(&db, LAPTOP);
    pick_the_n510(&mut harness);
    click(&mut harness, "▶ Start");
    step_until(&mut harness, "the diagnosis", |h| {
        shows(h, "credentials_rejected")
    });
    assert!(shows(&harness, "mac_password_unknown"), "a second finding");

    let toolbar = harness.get_by_label("Save HAR…").rect();
    assert!(
        toolbar.bottom() <= 0.45 * LAPTOP.y,
        "the verdict and the toolbar end at {toolbar:?}: the exchange under them gets most of the height"
    );
    let edit = harness.get_by_label("Edit device…").rect();
    assert!(
        in_window(edit, LAPTOP),
        "the way to the fix stays in sight: {edit:?}"
    );
    let selected = harness.get_by_label("Response 2: 401 Unauthorized").rect();
    assert!(
        in_window(selected, LAPTOP),
        "the last arrow is in sight: {selected:?}"
    );

    // The skipped MAC-password step is a note, folded into the toolbar's "⏵ N notes".
    let skipped = "Skipped MAC / MAC password";
    assert!(!shows_containing(&harness, skipped), "folded");
    let fold = notes_fold(&harness);
    assert!(fold.starts_with('⏵'), "{fold}");
    click(&mut harness, &fold);
    assert!(shows_containing(&harness, skipped), "open");
    let fold = notes_fold(&harness);
    assert!(fold.starts_with('⏷'), "{fold}");
    click(&mut harness, &fold);
    assert!(!shows_containing(&harness, skipped), "folded again");
}

/// The label of the notes' fold in the toolbar: "⏵ 1 note", "⏷ 3 notes"…
fn notes_fold(harness: &App) -> String {
    harness
        .query_all_by_label_contains(" note")
        .filter_map(|node| node.accesskit_node().label())
        .find(|label| label.ends_with(" note") || label.ends_with(" notes"))
        .expect("the notes' fold")
}

/// The URL a field shows whole: it wraps over lines as wide as the column, and Enter in it
/// starts the fetch, as in a one-line field, without a line break in the URL.
#[test]
fn a_long_url_wraps_in_sight_and_enter_still_starts() {
    let sim = server();
    let dir = tempfile::tempdir().unwrap();
    let size = egui::vec2(1400.0, 900.0);
    let mut harness = app_sized(&dir.path().join("inventory.sqlite3"), size);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num5);
    step_until(&mut harness, "the fetch panel", |h| {
        shows(h, "No fetch yet")
    });
    let url = sim.url("/provisioning/customers/hotel-adler/building-b/7C2F80820EC0.xml");
    type_into(&mut harness, "Provisioning URL", &url);
    let field = text_field(&harness, "Provisioning URL");
    assert_eq!(
        field.accesskit_node().role(),
        Role::MultilineTextInput,
        "it wraps"
    );
    let rect = field.rect();
    let row = text_field(&harness, "Timeout (s)").rect().height();
    assert!(
        rect.height() >= 1.8 * row,
        "the {}-character URL takes more than one line: {rect:?}",
        url.len()
    );
    let column = text_field(&harness, "Timeout (s)").rect();
    assert!(
        rect.width() >= column.width() - 1.0,
        "as wide as the column: {rect:?} against the timeout's {column:?}"
    );

    text_field(&harness, "Provisioning URL").focus();
    harness.step();
    harness.key_press(egui::Key::Enter);
    step_until(&mut harness, "the fetch Enter started", |h| {
        shows_containing(h, "Test fetch finished")
    });
    assert_eq!(
        text_field(&harness, "Provisioning URL").value(),
        Some(url),
        "no line break got into the URL"
    );
}

#[test]
fn own_serve_failing_a_device_without_a_model_offers_edit_device() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    // No model: Serve cannot render its file, so 500 ("it has no model: set one").
    let mut device = NewDevice::with_mac(Mac::parse(MAC).unwrap());
    device.mac_password = Some(MacPassword::parse("2EE3EECC82C4").unwrap());
    device.digest_username = Some("hotel".into());
    device.digest_password = Some(Secret::new("Hotel-Pw-1"));
    Inventory::open(&db).unwrap().add_device(&device).unwrap();
    let mut harness = app(&db);
    step_until(&mut harness, "the inventory", |h| shows(h, MAC));
    let port = free_port();
    start_serving(&mut harness, port);

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num5);
    step_until(&mut harness, "the fetch panel", |h| {
        shows(h, "No fetch yet")
    });
    click(&mut harness, "Inventory device");
    step_until(&mut harness, "the picker's match", |h| shows(h, MAC));
    harness
        .query_all_by_label(MAC)
        .find(|node| node.accesskit_node().role() != Role::TextInput)
        .unwrap()
        .click();
    harness.step();
    harness.step();
    type_into(
        &mut harness,
        "Provisioning URL",
        &format!("http://127.0.0.1:{port}/%MACD.xml"),
    );
    click(&mut harness, "▶ Start");
    step_until(&mut harness, "the diagnosis", |h| shows(h, "server_error"));
    step_until(&mut harness, "the way to the fix", |h| {
        shows(h, "Edit device…")
    });
    assert!(
        shows_containing(
            &harness,
            "No model in the inventory: fetched as the N510 IP PRO would"
        ),
        "the one note kept out of the fold"
    );
    click(&mut harness, "Edit device…");
    step_until(&mut harness, "the device's form", |h| {
        shows(h, "Edit device")
    });
    assert_eq!(
        text_field(&harness, "MAC").value().as_deref(),
        Some("7C:2F:80:82:0E:C0"),
        "the form is the fetched device's, where its model is set"
    );
}
