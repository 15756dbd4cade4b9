//! The window follows what the CLI (here the core, through a connection of its own) does to
//! templates and rollouts while it is open: a template saved elsewhere shows in the Templates
//! panel, and in the editor when it holds no edits; edits are kept under a line that offers the
//! newer version, and a save built on the older text (or a Save and render) is refused instead
//! of undoing it. Serve's
//! rollout table follows a rollout started or enforced elsewhere, and *Enforce…* reads the
//! progress again and names the phones it would lock out.

use crate::support::gui;
use crate::support::gui::shows_containing;
use crate::support::rollout::bench;
use crate::support::template_panel::{NAME, versions};

use std::path::Path;

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use gui::{App, app, click, shows, step_until};
use provdesk::device::Mac;
use provdesk::inventory::{Inventory, RolloutScope, Sighting};
use provdesk::secret::Secret;
use provdesk::templates::find_default;

fn text_with(line: &str) -> String {
    find_default(NAME)
        .unwrap()
        .text
        .replace("The device applies", &format!("{line}: the device applies"))
}

/// What `provdesk template save` does meanwhile.
fn cli_saves(db: &Path, body: &str) {
    Inventory::open(db)
        .unwrap()
        .save_template_version(NAME, body, "from the CLI")
        .unwrap();
}

fn editor_text(harness: &App) -> String {
    harness
        .get_by_role_and_label(Role::MultilineTextInput, "Template text")
        .value()
        .unwrap_or_default()
}

fn templates_panel(db: &Path, state: &str) -> App {
    let mut harness = app(db);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num3);
    step_until(&mut harness, "the stored versions", |h| {
        shows_containing(h, state)
    });
    harness
}

fn type_in_editor(harness: &mut App, text: &str) {
    let editor = || (Role::MultilineTextInput, "Template text");
    harness
        .get_by_role_and_label(editor().0, editor().1)
        .focus();
    harness.step();
    harness
        .get_by_role_and_label(editor().0, editor().1)
        .type_text(text);
    harness.step();
    harness.step();
}

#[test]
fn a_template_saved_elsewhere_shows_in_the_list_and_the_untouched_editor() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let mut harness = templates_panel(&db, "None saved: the built-in template is in use.");
    let theirs = text_with("From the CLI");
    cli_saves(&db, &theirs);
    step_until(&mut harness, "the CLI's version, unasked", |h| {
        shows(h, "edited v1") && editor_text(h) == theirs
    });
    assert!(shows(&harness, "from the CLI"), "its note is listed");
    assert!(
        !shows_containing(&harness, "was saved elsewhere"),
        "no edits were in the way"
    );
}

#[test]
fn edits_stay_under_a_line_offering_the_version_saved_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    cli_saves(&db, &text_with("Version one"));
    let mut harness = templates_panel(&db, "edited v1");
    type_in_editor(&mut harness, "<!-- mine -->\n");
    let mine = editor_text(&harness);
    cli_saves(&db, &text_with("Version two"));
    step_until(&mut harness, "the line over the editor", |h| {
        shows_containing(h, "v2 was saved elsewhere") && shows(h, "edited v2")
    });
    assert_eq!(editor_text(&harness), mine, "the edits are kept");

    click(&mut harness, "Render…");
    step_until(&mut harness, "the Render dialog", |h| {
        shows_containing(h, "has unsaved changes: a render uses the saved version")
    });
    assert!(
        shows_containing(
            &harness,
            "Not while v2, saved elsewhere, is newer than your edits"
        ),
        "Save and render is not offered over the newer version"
    );
    click(&mut harness, "Cancel");
    for _ in 0..3 {
        harness.step();
    }

    click(&mut harness, "Compare");
    step_until(&mut harness, "the Compare window", |h| {
        shows(h, "Compare provider-frame v2")
    });
}

#[test]
fn a_save_over_a_version_saved_elsewhere_is_refused_and_load_it_brings_that_version() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    cli_saves(&db, &text_with("Version one"));
    let mut harness = templates_panel(&db, "edited v1");
    // Away from the window (in the terminal), so it does not notice the CLI's save first.
    harness.input_mut().focused = false;
    harness.step();
    type_in_editor(&mut harness, "<!-- mine -->\n");
    let theirs = text_with("Version two");
    cli_saves(&db, &theirs);
    click(&mut harness, "💾 Save as new version");
    step_until(&mut harness, "the refusal and the line", |h| {
        shows_containing(
            h,
            "Could not save the template: template \"provider-frame\" was not saved: version 2 was saved elsewhere",
        ) && shows_containing(h, "v2 was saved elsewhere since your edits began")
    });
    let stored = versions(&db);
    assert_eq!(stored.len(), 2, "nothing saved over it");
    assert_eq!(stored[0].body.as_deref(), Some(theirs.as_str()));
    assert!(editor_text(&harness).contains("<!-- mine -->"), "kept");

    click(&mut harness, "Load it");
    step_until(&mut harness, "the question", |h| {
        shows(h, "Restore version 2 of provider-frame?")
    });
    click(&mut harness, "Discard my edits");
    assert_eq!(editor_text(&harness), theirs);
    assert!(!shows_containing(&harness, "was saved elsewhere since"));

    // The closed question's modal layer holds the input for a few more frames.
    for _ in 0..3 {
        harness.step();
    }
    type_in_editor(&mut harness, "<!-- on top of v2 -->\n");
    click(&mut harness, "💾 Save as new version");
    step_until(&mut harness, "version 3", |_| versions(&db).len() == 3);
    let newest = versions(&db).remove(0).body.unwrap();
    assert!(newest.contains("Version two") && newest.contains("<!-- on top of v2 -->"));
}

const MAC: &str = "7C2F80820EC0";
const OTHER: &str = "7C2F80820EC1";

fn start_rollout(inventory: &mut Inventory) {
    inventory
        .start_rollout(
            &RolloutScope::Site("Bench".into()),
            "bench2",
            &Secret::new("new-pw"),
        )
        .unwrap();
}

fn serve_panel(db: &Path) -> App {
    let mut harness = app(db);
    step_until(&mut harness, "the inventory", |h| shows(h, MAC));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num6);
    step_until(&mut harness, "the Serve panel", |h| {
        shows(h, "Credential rollout")
    });
    harness
}

#[test]
fn the_rollout_table_follows_a_rollout_started_and_enforced_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let mut cli = bench(&db, &[MAC, OTHER]);
    let mut harness = serve_panel(&db);
    click(&mut harness, "Credential rollout");
    step_until(&mut harness, "the empty section", |h| {
        shows(h, "No rollout is on.")
    });
    start_rollout(&mut cli);
    step_until(&mut harness, "the CLI's rollout, unasked", |h| {
        shows(h, "Cancel rollout…") && shows(h, "Bench")
    });
    cli.enforce_rollout(&RolloutScope::All).unwrap();
    step_until(&mut harness, "the rollout gone", |h| {
        shows(h, "No rollout is on.") && !shows(h, "Cancel rollout…")
    });
}

#[test]
fn enforce_reads_the_progress_again_and_names_the_phones_it_would_lock_out() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let mut cli = bench(&db, &[MAC, OTHER]);
    start_rollout(&mut cli);
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE devices SET rollout_started_at = '2000-01-01T00:00:00.000Z'",
            [],
        )
        .unwrap();
    let mut harness = serve_panel(&db);
    step_until(&mut harness, "the rollout's table", |h| {
        shows(h, "Enforce…")
    });
    // Away from the window, so only Enforce… reads what the phone did meanwhile.
    harness.input_mut().focused = false;
    harness.step();
    cli.record_sighting(&Sighting {
        mac: Mac::parse(MAC).unwrap(),
        at: "2001-01-01T00:00:00.000Z",
        firmware: None,
        verdict: "served",
        credential: Some("configured"),
    })
    .unwrap();
    click(&mut harness, "Enforce…");
    step_until(&mut harness, "the question", |h| {
        shows(h, "Enforce the rollout?")
    });
    assert!(shows_containing(
        &harness,
        "1 device has not fetched its new credentials yet"
    ));
    assert!(shows(&harness, OTHER), "names the phone it would lock out");
    assert!(
        !shows_containing(&harness, MAC),
        "the switched phone is not named"
    );
    click(&mut harness, "Cancel");
    assert!(!shows(&harness, "Enforce the rollout?"));
    assert_eq!(cli.rollout_pending().unwrap().len(), 1, "nothing enforced");
}
