//! Taking rows out of the Import panel's preview by their remove buttons (found by their
//! AccessKit labels) and taking that back with Ctrl+Z; the summary's skipped lines.

use crate::support::gui;

use egui_kittest::kittest::{NodeT, Queryable};
use gui::{App, app, shows, step_until};
use provdesk::device::{Mac, NewDevice};
use provdesk::inventory::Inventory;

fn shows_part(harness: &App, part: &str) -> bool {
    harness.query_all_by_label_contains(part).next().is_some()
}

fn import_panel(harness: &mut App) {
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num2);
    step_until(harness, "the import panel", |h| {
        shows(h, "Import device labels")
    });
}

/// Opens scan mode and scans `lines`, each followed by Enter, as a scanner types them.
fn scan(harness: &mut App, lines: &[&str]) {
    if harness.query_by_label("Scan here").is_none() {
        harness.key_press(egui::Key::F2);
        step_until(harness, "the scan field", |h| {
            h.query_by_label("Scan here")
                .is_some_and(|field| field.is_focused())
        });
    }
    for line in lines {
        type_in_scan_field(harness, line);
        harness.key_press(egui::Key::Enter);
        harness.step();
        harness.step();
    }
}

fn type_in_scan_field(harness: &mut App, text: &str) {
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "Scan here")
        .type_text(text);
    harness.step();
}

fn remove(harness: &mut App, name: &str) {
    harness
        .get_by_label(&format!("Remove {name} from the import"))
        .click();
    harness.step();
    harness.step();
}

fn undo(harness: &mut App) {
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.step();
    harness.step();
}

/// Whether the "valid rows only" box is ticked; the label names the invalid count.
fn valid_only_ticked(harness: &App, invalid: usize) -> bool {
    let label = format!("Import the valid rows only, leave out {invalid} invalid");
    harness.get_by_label(&label).accesskit_node().toggled() == Some(egui::accesskit::Toggled::True)
}

/// The label of the phone on the next desk, scanned by mistake: its × takes it out, the scan
/// field keeps the focus for the next label, and Ctrl+Z there (the field empty) puts the row
/// back, then takes the newest scan back out. With text in the field, Ctrl+Z is the field's.
#[test]
fn a_wrong_scan_is_removed_and_ctrl_z_takes_back_removals_and_scans() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let mut harness = app(&db);
    import_panel(&mut harness);
    scan(
        &mut harness,
        &["7C2F80A1B200", "7C2F80A1B20B", "7C2F80A1B216"],
    );
    assert!(shows(&harness, "3 valid"));

    remove(&mut harness, "7C2F80A1B20B");
    assert!(shows(&harness, "2 valid"));
    assert!(shows(&harness, "Import 2 devices"));
    assert!(shows(&harness, "2 codes scanned"));
    assert!(shows(
        &harness,
        "1 row taken out of the import · Undo (Ctrl+Z) takes back the newest removal or scan"
    ));
    assert!(shows_part(&harness, "Took 7C2F80A1B20B out of the import"));
    assert!(
        harness.get_by_label("Scan here").is_focused(),
        "the next label can be scanned at once"
    );

    undo(&mut harness);
    assert!(shows(&harness, "3 valid"));
    assert!(shows_part(
        &harness,
        "Put 7C2F80A1B20B back into the import"
    ));
    assert!(!shows_part(&harness, "taken out of the import"));

    undo(&mut harness);
    assert!(shows(&harness, "2 valid"));
    assert!(shows_part(
        &harness,
        "Took the last scan back out: 7C2F80A1B216"
    ));
    assert!(
        harness
            .query_by_label("Remove 7C2F80A1B216 from the import")
            .is_none()
    );

    type_in_scan_field(&mut harness, "7C2F");
    undo(&mut harness);
    assert!(
        shows(&harness, "2 valid"),
        "the field's own undo, not the rows'"
    );
    harness.key_press(egui::Key::Escape);
    harness.step();

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Enter);
    step_until(&mut harness, "the import", |h| {
        shows_part(h, "Done: 2 added")
    });
    drop(harness);
    let inventory = Inventory::open(&db).unwrap();
    assert_eq!(inventory.device_count().unwrap(), 2);
    let next_desk = Mac::parse("7C2F80A1B20B").unwrap();
    assert!(inventory.device_by_mac(next_desk).unwrap().is_some());
}

/// A label scanned twice is one row with a note; taking the row out takes the note with it.
#[test]
fn a_rescan_note_goes_with_its_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(&dir.path().join("inventory.sqlite3"));
    import_panel(&mut harness);
    scan(
        &mut harness,
        &["7C2F80A1B200", "7C2F80A1B200", "7C2F80A1B20B"],
    );
    assert!(shows(&harness, "1 note"));
    remove(&mut harness, "7C2F80A1B200");
    assert!(shows(&harness, "1 valid"));
    assert!(shows(&harness, "0 notes"));
    assert!(shows(&harness, "1 code scanned"));
}

/// A file's rows: taking out the first of two rows with one MAC lets the second stand, the
/// invalid rows having changed asks again whether to leave them out, a row the inventory
/// holds no longer says so once it is out, and the file is said to stay as it is.
#[test]
fn removing_file_rows_updates_duplicates_conflicts_and_the_invalid_agreement() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let in_inventory = NewDevice::with_mac(Mac::parse("7C2F80A1B203").unwrap());
    Inventory::open(&db)
        .unwrap()
        .add_device(&in_inventory)
        .unwrap();
    let csv = dir.path().join("labels.csv");
    std::fs::write(
        &csv,
        "MAC,Model\n\
         7C2F80A1B200,N510\n\
         7C2F80A1B2,N510\n\
         7C2F80A1B200,Maxwell 3\n\
         7C2F80A1B203,N510\n",
    )
    .unwrap();
    let mut harness = app(&db);
    step_until(&mut harness, "the inventory", |h| shows(h, "1 device"));
    crate::gui_import::add_file_by_path(&mut harness, &csv);
    step_until(&mut harness, "the check against the inventory", |h| {
        shows(h, "(1 already in the inventory: will be skipped)")
    });
    assert!(shows(&harness, "2 invalid"));
    assert!(
        harness
            .query_by_label("Remove 7C2F80A1B200 (labels.csv:4) from the import")
            .is_some(),
        "a duplicate is named with its place"
    );
    harness
        .get_by_label("Import the valid rows only, leave out 2 invalid")
        .click();
    harness.step();
    assert!(valid_only_ticked(&harness, 2));

    remove(&mut harness, "7C2F80A1B200");
    assert!(shows(&harness, "1 invalid"), "line 4 is no duplicate now");
    assert!(shows(&harness, "2 valid"));
    assert!(
        !valid_only_ticked(&harness, 1),
        "other invalid rows: asked again"
    );
    assert!(shows(
        &harness,
        "1 row taken out of the import; the file labels.csv is not changed · Undo (Ctrl+Z) \
         takes back the newest removal or scan"
    ));

    remove(&mut harness, "7C2F80A1B203");
    assert!(shows(&harness, "1 valid"));
    assert!(!shows_part(
        &harness,
        "already in the inventory: will be skipped"
    ));

    undo(&mut harness);
    step_until(&mut harness, "the check against the inventory", |h| {
        shows(h, "(1 already in the inventory: will be skipped)")
    });
    harness.get_by_label("Undo").click();
    harness.step();
    harness.step();
    assert!(shows(&harness, "2 invalid"));
    assert!(!valid_only_ticked(&harness, 2));
    assert!(!shows_part(&harness, "taken out of the import"));
    assert!(
        harness.get_by_label("Undo").accesskit_node().is_disabled(),
        "nothing left to undo"
    );
}

/// Lines that held no MAC or MAC-ID are named in the summary, not only under Notes; blank
/// lines are not counted.
#[test]
fn the_summary_names_the_skipped_lines() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("scans.txt");
    std::fs::write(&text, "7C2F80A1B200\njunk\n\nS/N 1234567800\n").unwrap();
    let mut harness = app(&dir.path().join("inventory.sqlite3"));
    crate::gui_import::add_file_by_path(&mut harness, &text);
    step_until(&mut harness, "the preview", |h| shows(h, "1 valid"));
    assert!(shows(&harness, "0 invalid"));
    assert!(shows(&harness, "2 lines skipped (see Notes)"));
    assert!(shows(&harness, "Notes (2)"));
}
