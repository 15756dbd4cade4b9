//! Drives the whole app through AccessKit labels, as a user would, against a real database.

use crate::support::gui;

use std::path::PathBuf;

use egui_kittest::kittest::{NodeT, Queryable};
use gui::{App, app, click, shows, step_until, text_field, type_into};
use provdesk::device::{Mac, NewDevice};
use provdesk::inventory::Inventory;

/// A database holding 7C2F80820EC0, and the app showing it.
fn app_with_one_device() -> (tempfile::TempDir, PathBuf, App) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    Inventory::open(&db)
        .unwrap()
        .add_device(&NewDevice::with_mac(Mac::parse("7C2F80820EC0").unwrap()))
        .unwrap();
    let mut harness = app(&db);
    step_until(&mut harness, "the device", |h| shows(h, "7C2F80820EC0"));
    (dir, db, harness)
}

/// Selects 7C2F80820EC0 and opens its edit form.
fn open_edit_form(harness: &mut App) {
    click(harness, "Select 7C2F80820EC0");
    click(harness, "Edit");
    step_until(harness, "the edit form", |h| shows(h, "Edit device"));
}

/// Opens an empty device form.
fn open_add_form(harness: &mut App) {
    harness
        .get_all_by_label("➕ Add device")
        .next()
        .expect("an Add device button")
        .click();
    step_until(harness, "the form", |h| shows(h, "Add device"));
}

fn add_device_through_form(harness: &mut App, mac: &str, mac_id: &str) {
    open_add_form(harness);
    type_into(harness, "MAC", mac);
    if !mac_id.is_empty() {
        type_into(harness, "MAC-ID", mac_id);
    }
    type_into(harness, "Site", "Hotel Adler");
    click(harness, "Save");
}

/// An empty inventory leads to where devices come from: the labels.
#[test]
fn the_empty_inventory_leads_to_the_import() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(&dir.path().join("inventory.sqlite3"));
    step_until(&mut harness, "the empty inventory", |h| {
        shows(h, "No devices yet")
    });
    assert!(!shows(&harness, "Import device labels"));
    click(&mut harness, "📥 Import labels…");
    step_until(&mut harness, "the Import panel", |h| {
        shows(h, "Import device labels")
    });
}

#[test]
fn add_find_search_delete_and_undo() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let mut harness = app(&db);
    step_until(&mut harness, "the empty inventory", |h| {
        shows(h, "No devices yet")
    });

    add_device_through_form(&mut harness, "7c:2f:80:82:0e:c0", "7C2F80820EC0-55DF");
    step_until(&mut harness, "the new device in the table", |h| {
        shows(h, "7C2F80820EC0") && !shows(h, "Save")
    });
    assert!(shows(&harness, "7C2F80820EC0-55DF"));
    assert!(shows(&harness, "Hotel Adler"));

    add_device_through_form(&mut harness, "00-01-E3-12-34-56", "");
    step_until(&mut harness, "the second device", |h| {
        shows(h, "0001E3123456")
    });

    type_into(&mut harness, "Search", "0e:c0");
    step_until(&mut harness, "the search to filter", |h| {
        shows(h, "7C2F80820EC0") && !shows(h, "0001E3123456")
    });
    click(&mut harness, "✖");
    step_until(&mut harness, "the search to clear", |h| {
        shows(h, "7C2F80820EC0") && shows(h, "0001E3123456")
    });
    type_into(&mut harness, "Search", "0e:c0");
    step_until(&mut harness, "the search to filter again", |h| {
        !shows(h, "0001E3123456")
    });
    harness.key_press(egui::Key::Escape);
    step_until(&mut harness, "Esc to clear the search", |h| {
        shows(h, "7C2F80820EC0") && shows(h, "0001E3123456")
    });
    assert_eq!(text_field(&harness, "Search").value().as_deref(), Some(""));

    click(&mut harness, "Select 7C2F80820EC0");
    click(&mut harness, "Delete 1…");
    step_until(&mut harness, "the confirmation", |h| {
        shows(h, "Delete 1 device?")
    });
    assert!(shows(
        &harness,
        "Its MAC password and credentials are removed from the inventory. You can undo this \
         until you close provdesk."
    ));
    assert!(
        shows(&harness, "7C2F80820EC0"),
        "nothing is deleted before confirming"
    );
    click(&mut harness, "Delete 1 device");
    step_until(&mut harness, "the device to go", |h| {
        !shows(h, "7C2F80820EC0") && shows(h, "0001E3123456")
    });

    click(&mut harness, "Undo");
    step_until(&mut harness, "undo to bring it back", |h| {
        shows(h, "7C2F80820EC0") && shows(h, "7C2F80820EC0-55DF")
    });
    assert!(
        shows(&harness, "2 devices · 1 selected"),
        "the restored device is selected again"
    );
    drop(harness);

    let inventory = Inventory::open(&db).unwrap();
    let restored = inventory
        .device_by_mac(Mac::parse("7C2F80820EC0").unwrap())
        .unwrap()
        .expect("the undone delete is in the database again");
    assert_eq!(restored.site.as_deref(), Some("Hotel Adler"));
}

#[test]
fn cancel_in_the_confirmation_deletes_nothing() {
    let (_dir, db, mut harness) = app_with_one_device();
    click(&mut harness, "Select 7C2F80820EC0");
    click(&mut harness, "Delete 1…");
    step_until(&mut harness, "the confirmation", |h| {
        shows(h, "Delete 1 device?")
    });
    click(&mut harness, "Cancel");
    step_until(&mut harness, "the dialog to close", |h| {
        !shows(h, "Delete 1 device?")
    });
    assert!(shows(&harness, "7C2F80820EC0"));
    drop(harness);
    assert_eq!(Inventory::open(&db).unwrap().device_count().unwrap(), 1);
}

#[test]
fn the_form_shows_errors_inline_and_refuses_a_duplicate() {
    let (_dir, db, mut harness) = app_with_one_device();
    open_add_form(&mut harness);

    type_into(&mut harness, "MAC", "7c2f8012");
    assert!(
        harness
            .query_by_label_contains("has 8 hex digits")
            .is_some(),
        "a short MAC is flagged while typing"
    );
    click(&mut harness, "Save");
    assert!(shows(&harness, "Add device"), "an invalid form stays open");

    text_field(&harness, "MAC").focus();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    text_field(&harness, "MAC").type_text("7C-2F-80-82-0E-C0");
    harness.step();
    harness.step();
    assert!(
        harness
            .query_by_label_contains("has 8 hex digits")
            .is_none(),
        "the message goes once the MAC is valid"
    );
    click(&mut harness, "Save");
    step_until(&mut harness, "the duplicate to be refused", |h| {
        h.query_all_by_label_contains("already in the inventory")
            .next()
            .is_some()
    });
    assert!(
        shows(&harness, "Add device"),
        "the form keeps what was typed"
    );
    drop(harness);
    assert_eq!(Inventory::open(&db).unwrap().device_count().unwrap(), 1);
}

#[test]
fn a_thousand_devices_list_and_filter() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    {
        let mut inventory = Inventory::open(&db).unwrap();
        let devices: Vec<NewDevice> = (0..1000u64)
            .map(|i| {
                let mac = Mac::parse(&format!("7C2F80{:06X}", 0x100000 + i)).unwrap();
                NewDevice::with_mac(mac)
            })
            .collect();
        inventory.add_devices(&devices).unwrap();
    }
    let mut harness = app(&db);
    step_until(&mut harness, "the list", |h| shows(h, "1000 devices"));
    assert!(shows(&harness, "7C2F80100000"));
    type_into(&mut harness, "Search", "7c2f80-1003e7");
    step_until(&mut harness, "one match", |h| {
        shows(h, "1 of 1000 devices shown")
    });
    assert!(shows(&harness, "7C2F801003E7"));
}

#[test]
fn edit_changes_a_device_in_place() {
    let (_dir, db, mut harness) = app_with_one_device();
    open_edit_form(&mut harness);
    assert_eq!(
        text_field(&harness, "MAC").value().as_deref(),
        Some("7C:2F:80:82:0E:C0"),
        "the form starts from the stored device"
    );
    type_into(&mut harness, "Notes", "spare handset");
    type_into(&mut harness, "Site", "Klinik Nord");
    click(&mut harness, "Save");
    step_until(&mut harness, "the edited row", |h| {
        shows(h, "Klinik Nord") && !shows(h, "Edit device")
    });
    drop(harness);
    let device = Inventory::open(&db)
        .unwrap()
        .device_by_mac(Mac::parse("7C2F80820EC0").unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(device.notes, "spare handset");
    assert_eq!(device.site.as_deref(), Some("Klinik Nord"));
}

#[test]
fn export_writes_the_selected_devices_in_the_import_format() {
    let (dir, db, mut harness) = app_with_one_device();
    Inventory::open(&db)
        .unwrap()
        .add_device(&NewDevice::with_mac(Mac::parse("7C2F80820EC1").unwrap()))
        .unwrap();
    harness.get_by_label("Search").focus();
    harness.step();
    harness.get_by_label("Search").type_text("7c");
    step_until(&mut harness, "both devices", |h| shows(h, "7C2F80820EC1"));
    click(&mut harness, "Select 7C2F80820EC1");
    click(&mut harness, "Export 1 as CSV…");
    step_until(&mut harness, "the export dialog", |h| {
        shows(h, "Export 1 device as CSV")
    });
    let target = dir.path().join("export.csv");
    text_field(&harness, "File").focus();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    text_field(&harness, "File").type_text(target.to_str().unwrap());
    harness.step();
    click(&mut harness, "Export 1");
    step_until(&mut harness, "the file", |_| target.exists());
    step_until(&mut harness, "the confirmation", |h| {
        h.query_all_by_label_contains("Exported 1 device")
            .next()
            .is_some()
    });
    let text = std::fs::read_to_string(&target).unwrap();
    assert_eq!(
        text,
        "MAC,MAC-ID,Model,Site,Provider,URL,Digest username,Notes\n7C2F80820EC1,,,,,,,\n"
    );
}

#[test]
fn site_defaults_set_in_settings_are_inherited() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let mut harness = app(&db);
    step_until(&mut harness, "the empty inventory", |h| {
        shows(h, "No devices yet")
    });
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num7);
    step_until(&mut harness, "the settings", |h| {
        shows(h, "Sites and their defaults")
    });
    type_into(&mut harness, "Site", "Hotel Adler");
    type_into(&mut harness, "Provider", "acme-voice");
    type_into(
        &mut harness,
        "Provisioning URL",
        "https://prov.example.com/%xyz",
    );
    assert!(
        harness
            .query_all_by_label_contains("starts no placeholder")
            .next()
            .is_some(),
        "a bad URL pattern is flagged"
    );
    text_field(&harness, "Provisioning URL").focus();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    text_field(&harness, "Provisioning URL").type_text("https://prov.example.com/%MACD.xml");
    harness.step();
    harness.step();
    click(&mut harness, "Create site");
    step_until(&mut harness, "the saved site", |h| {
        shows(h, "Saved site Hotel Adler")
    });

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num1);
    harness.step();
    add_device_through_form(&mut harness, "7C2F80820EC0", "");
    step_until(
        &mut harness,
        "the device with its inherited provider",
        |h| shows(h, "7C2F80820EC0") && shows(h, "acme-voice"),
    );
    open_edit_form(&mut harness);
    assert_eq!(
        text_field(&harness, "Provider")
            .accesskit_node()
            .placeholder(),
        Some("acme-voice (from site Hotel Adler)"),
        "the empty field shows what the site gives the device"
    );
    drop(harness);
    let device = Inventory::open(&db)
        .unwrap()
        .device_by_mac(Mac::parse("7C2F80820EC0").unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(device.provider, None, "the device keeps no copy");
    assert_eq!(device.effective_provider(), Some("acme-voice"));
    assert_eq!(
        device.effective_url(),
        Some("https://prov.example.com/%MACD.xml")
    );
}

#[test]
fn enter_saves_from_a_form_field_but_not_from_the_search_box() {
    let (_dir, db, mut harness) = app_with_one_device();
    open_add_form(&mut harness);
    type_into(&mut harness, "MAC", "7C2F80820EC1");
    type_into(&mut harness, "Search", "7c");
    harness.key_press(egui::Key::Enter);
    for _ in 0..20 {
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(
        shows(&harness, "Add device"),
        "Enter in the search box does not save the form"
    );

    text_field(&harness, "MAC").focus();
    harness.step();
    harness.key_press(egui::Key::Enter);
    step_until(&mut harness, "the saved device", |h| {
        !shows(h, "Add device") && shows(h, "7C2F80820EC1")
    });
    drop(harness);
    assert_eq!(Inventory::open(&db).unwrap().device_count().unwrap(), 2);
}

/// With the device form open beside the table, the search field and the site filter move to a
/// row of their own instead of being squeezed until the filter is out of sight.
#[test]
fn the_open_form_leaves_the_search_and_the_site_filter_in_sight() {
    let (_dir, _db, mut harness) = app_with_one_device();
    open_edit_form(&mut harness);
    let form_left = harness.get_by_label("Edit device").rect().left();
    let filter = harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Site")
        .rect();
    let search = text_field(&harness, "Search").rect();
    let add = harness.get_by_label("➕ Add device").rect();
    assert!(
        filter.right() <= form_left,
        "the filter ends at {} under the form at {form_left}",
        filter.right()
    );
    assert!(
        search.width() >= 150.0,
        "search squeezed to {}",
        search.width()
    );
    assert!(
        search.top() > add.bottom(),
        "search and filter on their own row"
    );
}

#[test]
fn editing_a_device_never_shows_its_url_password_unasked() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let mut device = NewDevice::with_mac(Mac::parse("7C2F80820EC0").unwrap());
    device.url = Some(
        provdesk::device::ProvisioningUrl::parse("https://hotel:UrlSecret9@prov.example.com/x")
            .unwrap(),
    );
    Inventory::open(&db).unwrap().add_device(&device).unwrap();
    let mut harness = app(&db);
    step_until(&mut harness, "the device", |h| shows(h, "7C2F80820EC0"));
    open_edit_form(&mut harness);
    let leaks: Vec<String> = harness
        .query_all_by(|node| {
            node.value().is_some_and(|v| v.contains("UrlSecret9"))
                || node.label().is_some_and(|l| l.contains("UrlSecret9"))
        })
        .map(|node| format!("{node:?}"))
        .collect();
    assert!(leaks.is_empty(), "{leaks:?}");
    assert!(
        harness
            .query_all_by_label_contains("hotel:••••••@prov.example.com")
            .next()
            .is_some()
            || harness
                .query_all_by(|n| n
                    .value()
                    .is_some_and(|v| v.contains("hotel:••••••@prov.example.com")))
                .next()
                .is_some(),
        "the URL shows masked"
    );
}

#[test]
fn the_form_adds_checks_and_removes_sip_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let mut n510 = NewDevice::with_mac(Mac::parse("7C2F80820EC0").unwrap());
    n510.model = provdesk::device::find_model("N510");
    Inventory::open(&db).unwrap().add_device(&n510).unwrap();
    let stored = |db: &PathBuf| {
        Inventory::open(db)
            .unwrap()
            .stored_sip_accounts(&Mac::parse("7C2F80820EC0").unwrap())
            .unwrap()
    };
    let mut harness = app(&db);
    step_until(&mut harness, "the device", |h| shows(h, "7C2F80820EC0"));
    open_edit_form(&mut harness);
    assert!(shows(&harness, "0 · the model has 6"));
    click(&mut harness, "➕ Add SIP account");
    type_into(&mut harness, "User", "1001");
    type_into(&mut harness, "Port", "5o60");
    click(&mut harness, "Save");
    assert!(shows(&harness, "Fix 1 field marked in red to save."));
    assert!(
        harness
            .query_all_by_label_contains("\"5o60\" is no port")
            .next()
            .is_some()
    );
    assert!(
        stored(&db).is_empty(),
        "nothing stored while a field is refused"
    );

    click(&mut harness, "Remove");
    click(&mut harness, "➕ Add SIP account");
    type_into(&mut harness, "User", "1001");
    let password = || egui::accesskit::Role::PasswordInput;
    harness
        .get_by_role_and_label(password(), "Password")
        .focus();
    harness.step();
    harness
        .get_by_role_and_label(password(), "Password")
        .type_text("sip-secret-7");
    harness.step();
    type_into(&mut harness, "Registrar", "pbx.example.com");
    click(&mut harness, "Save");
    step_until(&mut harness, "the form to close", |h| {
        !shows(h, "Edit device")
    });
    let accounts = stored(&db);
    assert_eq!(accounts.len(), 1, "{accounts:?}");
    assert_eq!(accounts[0].index, 1);
    assert_eq!(accounts[0].user, "1001");
    assert_eq!(accounts[0].registrar.as_deref(), Some("pbx.example.com"));
    assert_eq!(
        accounts[0].password.as_ref().map(|p| p.expose()),
        Some("sip-secret-7")
    );

    // The row is still selected.
    click(&mut harness, "Edit");
    step_until(&mut harness, "the edit form", |h| shows(h, "Edit device"));
    assert_eq!(
        text_field(&harness, "User").value().as_deref(),
        Some("1001")
    );
    assert!(
        !harness.query_all_by_value("sip-secret-7").any(|_| true),
        "the password opens masked"
    );
    click(&mut harness, "Remove");
    click(&mut harness, "Save");
    step_until(&mut harness, "the form to close", |h| {
        !shows(h, "Edit device")
    });
    assert!(stored(&db).is_empty(), "the removed account is gone");
}

#[test]
fn clicking_a_rows_text_selects_the_row() {
    let (_dir, _db, mut harness) = app_with_one_device();
    harness.get_by_label("7C2F80820EC0").click();
    step_until(&mut harness, "the row selected", |h| {
        shows(h, "1 device · 1 selected")
    });
}

#[test]
fn exporting_over_an_existing_file_says_so_before_replacing_it() {
    let (dir, _db, mut harness) = app_with_one_device();
    let target = dir.path().join("precious.csv");
    std::fs::write(&target, "precious").unwrap();
    click(&mut harness, "Export CSV…");
    step_until(&mut harness, "the export dialog", |h| {
        shows(h, "Export 1 device as CSV")
    });
    text_field(&harness, "File").focus();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    text_field(&harness, "File").type_text(target.to_str().unwrap());
    harness.step();
    step_until(&mut harness, "the warning", |h| {
        shows(h, "This file exists: exporting replaces what it holds.")
    });
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious");
    assert!(shows(&harness, "Replace it with 1"));
    text_field(&harness, "File").focus();
    harness.step();
    harness.key_press(egui::Key::Enter);
    step_until(&mut harness, "the new file", |_| {
        std::fs::read_to_string(&target)
            .unwrap()
            .starts_with("MAC,")
    });
}

/// The inventory's own path in the export dialog is refused there, before Export: the export
/// would have replaced every device and password with a CSV without passwords.
#[test]
fn exporting_over_the_open_inventory_is_refused_in_the_dialog() {
    let (_dir, db, mut harness) = app_with_one_device();
    click(&mut harness, "Export CSV…");
    step_until(&mut harness, "the export dialog", |h| {
        shows(h, "Export 1 device as CSV")
    });
    text_field(&harness, "File").focus();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    text_field(&harness, "File").type_text(db.to_str().unwrap());
    harness.step();
    step_until(&mut harness, "the refusal", |h| {
        shows(
            h,
            "It is the inventory provdesk has open (or one of its journal files), which saving \
             here would destroy; choose another file name.",
        )
    });
    assert!(!shows(
        &harness,
        "This file exists: exporting replaces what it holds."
    ));
    text_field(&harness, "File").focus();
    harness.step();
    harness.key_press(egui::Key::Enter);
    harness.run_steps(5);
    assert!(
        shows(&harness, "Export 1 device as CSV"),
        "Enter exports nothing"
    );
    assert_eq!(
        Inventory::open(&db).unwrap().device_count().unwrap(),
        1,
        "the inventory is whole"
    );
}

#[test]
fn esc_asks_before_it_throws_away_typed_edits() {
    let (_dir, db, mut harness) = app_with_one_device();
    open_edit_form(&mut harness);
    type_into(&mut harness, "Notes", "lobby");
    harness.key_press(egui::Key::Escape);
    step_until(&mut harness, "the question", |h| {
        shows(
            h,
            "Unsaved changes: Esc again or Discard changes closes without them.",
        )
    });
    assert!(shows(&harness, "Edit device"), "the form stays open");
    assert_eq!(
        text_field(&harness, "Notes").value().as_deref(),
        Some("lobby")
    );
    // The first Esc took the focus from the field: the second is pressed with none.
    harness.key_press(egui::Key::Escape);
    step_until(&mut harness, "the form closed", |h| {
        !shows(h, "Edit device")
    });
    drop(harness);
    let device = Inventory::open(&db)
        .unwrap()
        .device_by_mac(Mac::parse("7C2F80820EC0").unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(device.notes, "", "discarded, as asked");
}

#[test]
fn arrow_keys_move_the_selection_and_enter_edits() {
    let (_dir, db, mut harness) = app_with_one_device();
    let mut inventory = Inventory::open(&db).unwrap();
    for mac in ["7C2F80820EC1", "7C2F80820EC2"] {
        inventory
            .add_device(&NewDevice::with_mac(Mac::parse(mac).unwrap()))
            .unwrap();
    }
    drop(inventory);
    harness.get_by_label("Search").focus();
    harness.step();
    harness.get_by_label("Search").type_text("7c2f");
    step_until(&mut harness, "three devices", |h| shows(h, "7C2F80820EC2"));
    harness.get_by_label("7C2F80820EC0").click();
    step_until(&mut harness, "the first row selected", |h| {
        shows(h, "3 devices · 1 selected")
    });
    harness.key_press(egui::Key::ArrowDown);
    harness.key_press(egui::Key::ArrowDown);
    harness.step();
    harness.step();
    harness.key_press(egui::Key::ArrowUp);
    harness.step();
    harness.key_press(egui::Key::Enter);
    step_until(&mut harness, "the edit form of the middle device", |h| {
        shows(h, "Edit device")
    });
    assert_eq!(
        text_field(&harness, "MAC").value().as_deref(),
        Some("7C:2F:80:82:0E:C1")
    );
}

#[test]
fn after_enter_refuses_a_field_the_keyboard_is_back_in_it() {
    let (_dir, _db, mut harness) = app_with_one_device();
    open_add_form(&mut harness);
    type_into(&mut harness, "MAC", "7C2F80820E");
    harness.key_press(egui::Key::Enter);
    step_until(&mut harness, "the MAC's error", |h| {
        h.query_all_by_label_contains("10 hex digits")
            .next()
            .is_some()
    });
    harness.step();
    harness.event(egui::Event::Text("C1".into()));
    harness.step();
    assert_eq!(
        text_field(&harness, "MAC").value().as_deref(),
        Some("7C2F80820EC1"),
        "what is typed next goes into the refused field"
    );
}

#[test]
fn enter_in_a_site_field_saves_the_site() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let mut harness = app(&db);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num7);
    step_until(&mut harness, "the settings", |h| {
        shows(h, "Sites and their defaults")
    });
    type_into(&mut harness, "Site", "Hotel Adler");
    type_into(&mut harness, "Provider", "acme-voice");
    harness.key_press(egui::Key::Enter);
    step_until(&mut harness, "the saved site", |h| {
        shows(h, "Saved site Hotel Adler")
    });
    drop(harness);
    let sites = Inventory::open(&db).unwrap().sites().unwrap();
    assert_eq!(sites[0].provider.as_deref(), Some("acme-voice"));
}

/// Tab from a password goes to the next field, not to its Show button: typed values would
/// land one field off.
#[test]
fn tab_from_a_password_skips_its_show_button() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(&dir.path().join("inventory.sqlite3"));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num7);
    step_until(&mut harness, "the settings", |h| {
        shows(h, "Sites and their defaults")
    });
    harness
        .get_by_role_and_label(egui::accesskit::Role::PasswordInput, "Digest password")
        .focus();
    harness.step();
    harness.key_press(egui::Key::Tab);
    harness.step();
    let focused = harness
        .query_by(|node| node.is_focused())
        .expect("something has the focus");
    assert_eq!(
        focused.accesskit_node().role(),
        egui::accesskit::Role::TextInput,
        "{focused:?}"
    );
}

/// A failed test fetch reads as failed in the table, with how long ago; a good one as ok.
#[test]
fn the_last_fetch_shows_its_result_and_how_long_ago() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let mut inventory = Inventory::open(&db).unwrap();
    for (mac, status) in [
        ("7C2F80820EC0", "credentials_rejected"),
        ("7C2F80820EC1", "200"),
    ] {
        let mac = Mac::parse(mac).unwrap();
        inventory.add_device(&NewDevice::with_mac(mac)).unwrap();
        inventory
            .record_fetch(mac, status, "the server refused both attempts")
            .unwrap();
    }
    // Hostile-input review 4, finding 11: a 200 whose file broke off is no "ok".
    let cut = Mac::parse("7C2F80820EC2").unwrap();
    inventory.add_device(&NewDevice::with_mac(cut)).unwrap();
    inventory
        .record_fetch(cut, "200", "body_incomplete")
        .unwrap();
    drop(inventory);
    let mut harness = app(&db);
    step_until(&mut harness, "the devices", |h| shows(h, "7C2F80820EC2"));
    assert!(shows(&harness, "just now · credentials rejected"));
    assert!(shows(&harness, "just now · ok"));
    assert!(shows(&harness, "just now · body incomplete"));
}

/// Devices imported without a site move to one together: select them, Set site…, type, Enter.
#[test]
fn selected_devices_move_to_a_site_in_one_step() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let mut inventory = Inventory::open(&db).unwrap();
    for mac in ["7C2F80820EC0", "7C2F80820EC1", "7C2F80820EC2"] {
        inventory
            .add_device(&NewDevice::with_mac(Mac::parse(mac).unwrap()))
            .unwrap();
    }
    drop(inventory);
    let mut harness = app(&db);
    step_until(&mut harness, "the devices", |h| shows(h, "7C2F80820EC2"));
    click(&mut harness, "Select 7C2F80820EC0");
    click(&mut harness, "Select 7C2F80820EC1");
    click(&mut harness, "Set site…");
    step_until(&mut harness, "the dialog", |h| {
        shows(h, "Site for 2 devices")
    });
    text_field(&harness, "Site").type_text("Hotel Adler");
    step_until(&mut harness, "the button to name the site", |h| {
        shows(h, "Move 2 devices to Hotel Adler")
    });
    harness.key_press(egui::Key::Enter);
    step_until(&mut harness, "the move", |h| {
        shows(h, "Moved 2 devices to site Hotel Adler.")
    });
    drop(harness);
    let sites = Inventory::open(&db).unwrap().sites().unwrap();
    assert_eq!(sites.len(), 1);
    assert_eq!(
        (sites[0].name.as_str(), sites[0].device_count),
        ("Hotel Adler", 2)
    );
}

/// A URL whose file provdesk's render and Serve cannot make (a hidden file) gets a warning
/// under the field, in the render's words, and is saved all the same: another server may
/// provide it.
#[test]
fn a_url_naming_a_hidden_file_is_warned_about_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let mut harness = app(&db);
    harness.step();
    open_add_form(&mut harness);
    type_into(&mut harness, "MAC", "7C2F80820EC0");
    let warning = "⚠ The file name \".htaccess\" from this URL starts with '.'";
    assert!(!gui::shows_containing(&harness, warning));
    type_into(
        &mut harness,
        "Provisioning URL",
        "http://prov.example.com/cfg/.htaccess",
    );
    assert!(gui::shows_containing(&harness, warning));
    assert!(gui::shows_containing(
        &harness,
        "keep the URL only if another server provides the file"
    ));
    click(&mut harness, "Save");
    step_until(&mut harness, "the device saved", |h| {
        !shows(h, "Add device") && shows(h, "7C2F80820EC0")
    });
    let stored = Inventory::open(&db)
        .unwrap()
        .device_by_mac(Mac::parse("7C2F80820EC0").unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.url.as_deref(),
        Some("http://prov.example.com/cfg/.htaccess")
    );
}
