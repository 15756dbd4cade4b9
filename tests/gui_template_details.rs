//! The Templates panel's smaller things (usability review 3, finding 11), driven through
//! AccessKit labels: Compare closes once its Restore put the version in the editor, a reset
//! version is labelled in plain text apart from the *Reset to default…* action, the reset
//! question says Serve switches too, the dividers catch the pointer 6 px either side, and a save
//! of the text already in use (saved elsewhere meanwhile, or a note alone) makes no version.

use crate::support::gui;
use crate::support::gui::shows_containing;
use crate::support::template_panel::{
    NAME, editor_text, open_templates_panel, save, type_in_editor, versions,
};

use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use gui::{App, click, shows, step_until, type_into};
use provdesk::inventory::Inventory;
use provdesk::templates::find_default;

fn text(version: &str) -> String {
    find_default(NAME).unwrap().text.replace(
        "The device applies",
        &format!("{version}: the device applies"),
    )
}

fn compare_version(harness: &mut App, row: &str) {
    harness.get_by_label_contains(row).click();
    harness.step();
    harness.step();
    click(harness, "Compare…");
}

#[test]
fn compare_closes_once_its_restore_put_the_version_in_the_editor() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    save(&db, &text("One"), "");
    save(&db, &text("Two"), "");
    let mut harness = open_templates_panel(&db, "edited v2");

    compare_version(&mut harness, "v1 · ");
    assert!(shows(&harness, "Compare provider-frame v1"));
    click(&mut harness, "Restore v1");
    assert_eq!(editor_text(&harness), text("One"));
    assert!(
        !shows(&harness, "Compare provider-frame v1"),
        "its Restore would do nothing more"
    );

    // Over unsaved edits it stays while the question is open, and goes with the edits.
    type_in_editor(&mut harness, "<!-- mine -->\n");
    compare_version(&mut harness, "v2 (in use) · ");
    click(&mut harness, "Restore v2");
    assert!(shows(&harness, "Restore version 2 of provider-frame?"));
    assert!(shows(&harness, "Compare provider-frame v2"));
    click(&mut harness, "Discard my edits");
    assert_eq!(editor_text(&harness), text("Two"));
    assert!(!shows(&harness, "Compare provider-frame v2"));
}

#[test]
fn a_reset_version_is_labelled_in_plain_words_apart_from_the_reset_action() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    save(&db, &text("One"), "");
    Inventory::open(&db).unwrap().reset_template(NAME).unwrap();
    let harness = open_templates_panel(&db, "default (reset in v2)");
    let labels: Vec<Role> = harness
        .query_all_by_label("reset to default")
        .map(|node| node.accesskit_node().role())
        .collect();
    assert_eq!(
        labels,
        [Role::Label],
        "one plain label, on the reset version"
    );
    assert!(
        harness.query_by_label("Reset to default").is_none(),
        "nothing reads like the action's name"
    );

    assert!(
        harness
            .get_by_label("Reset to default…")
            .accesskit_node()
            .is_disabled(),
        "the action is off while the reset version is in use: nothing to reset"
    );
}

#[test]
fn the_dividers_beside_the_editor_catch_the_pointer_six_points_either_side() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let harness = open_templates_panel(&db, "None saved: the built-in template is in use.");
    let widths: Vec<f32> = harness
        .query_all_by_role(Role::Splitter)
        .map(|splitter| splitter.rect().width())
        .filter(|width| *width >= 12.0)
        .collect();
    assert_eq!(
        widths.len(),
        2,
        "the list's and the side pane's edges, 12 wide: {widths:?}"
    );
}

#[test]
fn saving_the_text_a_version_saved_elsewhere_has_says_no_change() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    save(&db, &text("One"), "");
    let mut harness = open_templates_panel(&db, "edited v1");
    type_in_editor(&mut harness, "<!-- same -->\n");
    let edited = editor_text(&harness);
    // The CLI saves the same text before the window has noticed: saving it is no change, not
    // a refusal to overwrite v2.
    save(&db, &edited, "");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    step_until(&mut harness, "the answer to the save", |h| {
        shows_containing(h, "No change: provider-frame's text is already version 2")
    });
    assert_eq!(versions(&db).len(), 2, "no version 3");
    step_until(&mut harness, "the editor following v2", |h| {
        shows(h, "edited v2") && !shows(h, "provider-frame *")
    });
}

#[test]
fn a_note_alone_makes_no_version_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    save(&db, &text("One"), "");
    let mut harness = open_templates_panel(&db, "edited v1");
    type_into(&mut harness, "Note:", "same again");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    harness.step();
    assert!(shows_containing(
        &harness,
        "unchanged since the version in use. A note alone makes no version."
    ));
    assert_eq!(versions(&db).len(), 1);
}
