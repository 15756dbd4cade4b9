//! Closing the window by its title bar while work would be lost: the close is held and the
//! window asks, naming what goes; with nothing unfinished it just closes.

use crate::support::gui;

use egui::{ViewportCommand, ViewportEvent, ViewportId};
use egui_kittest::kittest::Queryable;
use gui::{App, app, click, shows, step_until};

/// The title bar's ×, as the platform tells egui of it.
fn request_close(harness: &mut App) {
    harness
        .input_mut()
        .viewports
        .entry(ViewportId::ROOT)
        .or_default()
        .events
        .push(ViewportEvent::Close);
    harness.step();
}

/// The commands the last frame gave the window.
fn commands(harness: &App) -> Vec<ViewportCommand> {
    harness
        .output()
        .viewport_output
        .get(&ViewportId::ROOT)
        .map(|viewport| viewport.commands.clone())
        .unwrap_or_default()
}

fn opened(dir: &tempfile::TempDir) -> App {
    let mut harness = app(&dir.path().join("inventory.sqlite3"));
    step_until(&mut harness, "the empty inventory", |h| {
        shows(h, "📥 Import labels…")
    });
    harness
}

#[test]
fn with_nothing_unfinished_the_window_closes_without_a_question() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = opened(&dir);
    request_close(&mut harness);
    harness.step();
    assert!(!shows(&harness, "Close provdesk?"));
    assert!(!commands(&harness).contains(&ViewportCommand::CancelClose));
}

#[test]
fn scanned_labels_not_imported_hold_the_close_until_the_user_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = opened(&dir);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num2);
    harness.key_press(egui::Key::F2);
    step_until(&mut harness, "the scan field", |h| {
        h.query_by_label("Scan here").is_some()
    });
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "Scan here")
        .type_text("7C2F80820EC0");
    harness.key_press(egui::Key::Enter);
    step_until(&mut harness, "the scanned row", |h| {
        h.query_all_by_label_contains("7C2F80820EC0")
            .next()
            .is_some()
    });

    request_close(&mut harness);
    assert!(commands(&harness).contains(&ViewportCommand::CancelClose));
    step_until(&mut harness, "the question", |h| {
        shows(h, "Close provdesk?")
    });
    assert!(shows(&harness, "• 1 row in Import is not imported yet."));
    click(&mut harness, "Cancel");
    assert!(!shows(&harness, "Close provdesk?"), "back to work");
    assert!(!commands(&harness).contains(&ViewportCommand::Close));

    request_close(&mut harness);
    step_until(&mut harness, "the question again", |h| {
        shows(h, "Close provdesk?")
    });
    harness.get_by_label("Close anyway").click();
    harness.step();
    assert!(commands(&harness).contains(&ViewportCommand::Close));
}
