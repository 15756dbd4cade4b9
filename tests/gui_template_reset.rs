//! The Templates panel's *Reset to default…*: off, and saying why, while the built-in text is
//! in use; over an edited version it makes a reset version; over unsaved edits to the built-in
//! text it only discards them, with no version (checked in the database the worker wrote).

use crate::support::gui;
use crate::support::template_panel::{NAME, editor_text, open_templates_panel, versions};

use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use gui::{App, click, shows, shows_containing, step_until};
use provdesk::inventory::Inventory;
use provdesk::templates::find_default;

fn builtin() -> &'static str {
    find_default(NAME).unwrap().text
}

fn reset_off(harness: &App) -> bool {
    harness
        .get_by_label("Reset to default…")
        .accesskit_node()
        .is_disabled()
}

#[test]
fn reset_is_off_while_the_built_in_text_is_in_use_and_makes_one_version_over_an_edit() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let edited = builtin().replace("The device applies", "Edited: the device applies");
    assert_ne!(edited, builtin());
    Inventory::open(&db)
        .unwrap()
        .save_template_version(NAME, &edited, "edited")
        .unwrap();
    let mut harness = open_templates_panel(&db, "edited v1");
    assert!(!reset_off(&harness), "an edited version is in use");
    click(&mut harness, "Reset to default…");
    assert!(shows_containing(
        &harness,
        "and so does Serve if it is running: each phone gets it at its next fetch"
    ));
    click(&mut harness, &format!("Reset {NAME}"));
    step_until(&mut harness, "the reset version", |h| {
        shows(h, "default (reset in v2)")
    });
    let stored = versions(&db);
    assert_eq!(stored.len(), 2);
    assert!(stored[0].is_reset());
    assert_eq!(editor_text(&harness), builtin());
    assert!(reset_off(&harness), "nothing left to reset");
    harness.get_by_label("Reset to default…").hover();
    step_until(&mut harness, "the disabled button saying why", |h| {
        shows_containing(
            h,
            "The built-in template is in use already: nothing to reset",
        )
    });
}

#[test]
fn reset_over_unsaved_edits_to_the_built_in_text_discards_them_and_makes_no_version() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let mut harness = open_templates_panel(&db, "None saved: the built-in template is in use.");
    assert!(reset_off(&harness), "the built-in template is in use");
    harness
        .get_by_role_and_label(Role::MultilineTextInput, "Template text")
        .focus();
    harness.step();
    harness
        .get_by_role_and_label(Role::MultilineTextInput, "Template text")
        .type_text("<!-- trying -->\n");
    harness.step();
    harness.step();
    assert_ne!(editor_text(&harness), builtin());
    assert!(!reset_off(&harness), "it can discard the edits");
    click(&mut harness, "Reset to default…");
    assert!(shows_containing(
        &harness,
        "The built-in template is in use already, so no version is made"
    ));
    assert!(shows(
        &harness,
        "The editor's unsaved changes are discarded."
    ));
    click(&mut harness, &format!("Reset {NAME}"));
    step_until(&mut harness, "the edits discarded", |h| {
        editor_text(h) == builtin()
    });
    step_until(&mut harness, "no change said", |h| {
        shows_containing(
            h,
            "No change: provider-frame already uses the built-in template",
        )
    });
    assert!(versions(&db).is_empty(), "no version was made");
    assert!(reset_off(&harness));
}
