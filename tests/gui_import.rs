//! The Import panel driven by keyboard and AccessKit labels, against a real database.

use std::path::Path;
use std::time::Duration;

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use provdesk::device::Mac;
use provdesk::inventory::Inventory;
use provdesk::ui::ProvdeskApp;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");

fn app(db: &Path) -> Harness<'static, ProvdeskApp> {
    let db = db.to_path_buf();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| ProvdeskApp::new(&cc.egui_ctx, db).expect("worker starts"));
    harness.step();
    harness
}

fn step_until(
    harness: &mut Harness<'static, ProvdeskApp>,
    what: &str,
    condition: impl Fn(&Harness<'static, ProvdeskApp>) -> bool,
) {
    for _ in 0..1000 {
        harness.step();
        if condition(harness) {
            harness.step();
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("timed out waiting for {what}");
}

fn shows(harness: &Harness<'static, ProvdeskApp>, label: &str) -> bool {
    harness.query_all_by_label(label).next().is_some()
}

fn shows_part(harness: &Harness<'static, ProvdeskApp>, part: &str) -> bool {
    harness.query_all_by_label_contains(part).next().is_some()
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
    let mut harness = app(&db);
    step_until(&mut harness, "the inventory", |h| {
        shows(h, "No devices yet")
    });
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num2);
    step_until(&mut harness, "the import panel", |h| {
        shows(h, "Import device labels")
    });
    let path = Path::new(DATA).join("bad_rows.csv");
    let field = harness.get_by_role_and_label(egui::accesskit::Role::TextInput, "or path");
    field.focus();
    harness.step();
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "or path")
        .type_text(path.to_str().unwrap());
    harness.step();
    harness.get_by_label("Add file").click();
    step_until(&mut harness, "the preview", |h| shows(h, "4 invalid"));
    assert!(shows(&harness, "2 valid"));
    assert!(shows_part(&harness, "has 10 hex digits"));
    assert!(shows_part(&harness, "\"N999\""));
    assert!(
        harness
            .get_by_label("Import 2 device(s)")
            .accesskit_node()
            .is_disabled(),
        "nothing is imported while rows are invalid"
    );
    harness
        .get_by_label("Import the valid rows only, leave out 4 invalid")
        .click();
    harness.step();
    harness.step();
    harness.get_by_label("Import 2 device(s)").click();
    step_until(&mut harness, "the import", |h| {
        shows_part(h, "Done: 2 added")
    });
    drop(harness);
    assert_eq!(Inventory::open(&db).unwrap().device_count().unwrap(), 2);
}
