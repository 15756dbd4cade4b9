//! The Templates panel's versions, driven through AccessKit labels: a note typed beside Save is
//! stored with the version and listed, a reset is labelled as such, Compare shows the added and
//! removed lines, and Restore loads an older version as unsaved changes after asking whether
//! to discard the editor's edits (checked in the database the app's worker wrote).

use crate::support::gui;
use crate::support::gui::shows_containing;
use crate::support::template_panel::{
    NAME, editor_text, open_templates_panel, save, type_in_editor, versions,
};

use egui_kittest::kittest::Queryable;
use gui::{App, click, shows, step_until, text_field, type_into};
use provdesk::inventory::Inventory;
use provdesk::templates::find_default;

fn version_one_text() -> String {
    find_default(NAME)
        .unwrap()
        .text
        .replace("The device applies", "Version one: the device applies")
}

fn click_containing(harness: &mut App, text: &str) {
    harness.get_by_label_contains(text).click();
    harness.step();
    harness.step();
}

#[test]
fn a_note_typed_beside_save_is_stored_with_the_version_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    save(&db, &version_one_text(), "first frame");
    let mut harness = open_templates_panel(&db, "edited v1");
    assert!(shows(&harness, "first frame"), "the stored note is listed");

    type_in_editor(&mut harness, "<!-- checked on site -->\n");
    type_into(&mut harness, "Note:", "SIP port 5070 for Hotel Adler");
    click(&mut harness, "💾 Save as new version");
    step_until(&mut harness, "version 2 in the database", |_| {
        versions(&db).len() == 2
    });
    assert_eq!(versions(&db)[0].note, "SIP port 5070 for Hotel Adler");
    step_until(&mut harness, "the new version in the list", |h| {
        shows(h, "edited v2")
    });
    assert!(
        shows(&harness, "SIP port 5070 for Hotel Adler"),
        "listed under v2"
    );
    assert!(shows_containing(&harness, "v2 (in use) · "));
    assert_eq!(
        text_field(&harness, "Note:").value().unwrap_or_default(),
        "",
        "the note went with the version; the next one starts empty"
    );
}

#[test]
fn a_reset_version_is_labelled_reset_to_default() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    save(&db, &version_one_text(), "first frame");
    Inventory::open(&db).unwrap().reset_template(NAME).unwrap();
    let harness = open_templates_panel(&db, "default (reset in v2)");
    assert!(shows(&harness, "reset to default"), "the reset is labelled");
    assert_eq!(
        harness.query_all_by_label("reset to default").count(),
        1,
        "only the reset version carries the label"
    );
    assert!(shows(&harness, "first frame"), "v1 keeps its note");
    assert!(
        !shows(&harness, provdesk::templates::RESET_NOTE),
        "the stored note is not shown as if the user wrote it"
    );
}

#[test]
fn compare_shows_the_lines_added_and_removed_against_the_editor_or_the_version_before() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    save(&db, &version_one_text(), "");
    let mut harness = open_templates_panel(&db, "edited v1");
    type_in_editor(&mut harness, "<!-- checked on site -->\n");

    click_containing(&mut harness, "v1 (in use) · ");
    click(&mut harness, "Compare…");
    assert!(shows(&harness, "Compare provider-frame v1"));
    assert!(shows_containing(&harness, "+ <!-- checked on site -->"));
    assert!(shows(
        &harness,
        "1 line added, 0 lines removed, in 1 place."
    ));
    assert!(!shows_containing(&harness, "- <!--"), "nothing removed");

    click(&mut harness, "the version before (built-in)");
    assert!(shows_containing(&harness, "- <!-- The device applies"));
    assert!(shows_containing(
        &harness,
        "+ <!-- Version one: the device applies"
    ));
    assert!(shows(&harness, "1 line added, 1 line removed, in 1 place."));
    assert!(
        !shows_containing(&harness, "checked on site -->"),
        "the editor is not part of it"
    );

    click(&mut harness, "Close");
    assert!(!shows(&harness, "Compare provider-frame v1"));
}

#[test]
fn restore_asks_before_discarding_edits_and_saving_makes_a_new_version_on_top() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let one = version_one_text();
    save(&db, &one, "first frame");
    let two = one.replace("Version one", "Version two");
    save(&db, &two, "second frame");
    let mut harness = open_templates_panel(&db, "edited v2");
    type_in_editor(&mut harness, "<!-- mine -->\n");

    click_containing(&mut harness, "v1 · ");
    click(&mut harness, "Restore this version");
    assert!(shows(&harness, "Restore version 1 of provider-frame?"));
    click(&mut harness, "Cancel");
    assert!(!shows(&harness, "Restore version 1 of provider-frame?"));
    assert!(
        editor_text(&harness).ends_with("<!-- mine -->\n"),
        "edits kept"
    );

    click(&mut harness, "Restore this version");
    click(&mut harness, "Discard my edits");
    assert!(!shows(&harness, "Restore version 1 of provider-frame?"));
    assert_eq!(editor_text(&harness), one, "version 1 is in the editor");
    assert!(shows(&harness, "provider-frame *"), "as unsaved changes");
    assert_eq!(versions(&db).len(), 2, "nothing saved by restoring");
    assert_eq!(
        text_field(&harness, "Note:").value().unwrap_or_default(),
        "restored v1"
    );

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    step_until(&mut harness, "version 3 in the database", |_| {
        versions(&db).len() == 3
    });
    let stored = versions(&db);
    assert_eq!(stored[0].body.as_deref(), Some(one.as_str()));
    assert_eq!(stored[0].note, "restored v1");
    assert_eq!(
        stored[1].body.as_deref(),
        Some(two.as_str()),
        "history kept"
    );
}

#[test]
fn restore_without_edits_loads_the_version_without_asking() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let one = version_one_text();
    save(&db, &one, "");
    save(&db, &one.replace("Version one", "Version two"), "");
    let mut harness = open_templates_panel(&db, "edited v2");
    click_containing(&mut harness, "v1 · ");
    click(&mut harness, "Restore this version");
    assert!(!shows(&harness, "Restore version 1 of provider-frame?"));
    assert_eq!(editor_text(&harness), one);
    assert!(shows(&harness, "provider-frame *"));
}
