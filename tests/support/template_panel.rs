//! The Templates panel's tests: the provider-frame template's stored versions, written as
//! another connection would, and the panel opened on them.

use std::path::Path;

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use provdesk::inventory::{Inventory, TemplateVersion};

use super::gui::{App, app, shows, step_until};

pub const NAME: &str = "provider-frame";

/// Saves `body` as the template's next version, as `provdesk template save` does.
pub fn save(db: &Path, body: &str, note: &str) {
    Inventory::open(db)
        .unwrap()
        .save_template_version(NAME, body, note)
        .unwrap();
}

pub fn versions(db: &Path) -> Vec<TemplateVersion> {
    Inventory::open(db)
        .unwrap()
        .template_versions(NAME)
        .unwrap()
}

/// The app on the Templates panel (Ctrl+3), once it shows `state`.
pub fn open_templates_panel(db: &Path, state: &str) -> App {
    let mut harness = app(db);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num3);
    step_until(&mut harness, "the stored versions", |h| shows(h, state));
    harness
}

pub fn editor_text(harness: &App) -> String {
    harness
        .get_by_role_and_label(Role::MultilineTextInput, "Template text")
        .value()
        .unwrap_or_default()
}

/// Types at the editor's cursor, which starts at the end of the text.
pub fn type_in_editor(harness: &mut App, text: &str) {
    harness
        .get_by_role_and_label(Role::MultilineTextInput, "Template text")
        .focus();
    harness.step();
    harness
        .get_by_role_and_label(Role::MultilineTextInput, "Template text")
        .type_text(text);
    harness.step();
    harness.step();
}
