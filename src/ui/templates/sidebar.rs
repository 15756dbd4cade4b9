//! The Templates panel's left side: the templates with their models and state, then the
//! selected one's saved versions.

use egui::RichText;

use super::compare::Compare;
use super::{Draft, TemplatesPanel};
use crate::inventory::TemplateVersion;
use crate::templates::DEFAULT_TEMPLATES;
use crate::ui::widgets::status::StatusLine;
use crate::ui::widgets::style::signal;

impl TemplatesPanel {
    /// The templates with their models and state, then the selected one's versions.
    pub(super) fn list(&mut self, ui: &mut egui::Ui, status: &mut StatusLine) {
        ui.heading("Templates");
        ui.label(RichText::new("One per configuration format.").weak());
        ui.add_space(6.0);
        for (index, default) in DEFAULT_TEMPLATES.iter().enumerate() {
            let versions = self
                .histories
                .get(index)
                .map_or(&[][..], |h| &h.versions[..]);
            let dirty = self.drafts.get(index).is_some_and(Draft::dirty);
            let name = if dirty {
                format!("{} *", default.name)
            } else {
                default.name.to_string()
            };
            let response = ui
                .add(
                    egui::Button::selectable(self.selected == index, RichText::new(name).strong())
                        .min_size(egui::vec2(ui.available_width(), 26.0)),
                )
                .on_hover_text(if dirty {
                    "Unsaved changes"
                } else {
                    "Edit this template"
                });
            if response.clicked() && self.selected != index {
                self.selected = index;
                self.cursor = None;
            }
            ui.label(RichText::new(default.models().join(", ")).small());
            let state = state_text(versions);
            let color = if versions.first().is_some_and(|v| v.body.is_some()) {
                signal(ui.visuals()).info
            } else {
                ui.visuals().weak_text_color()
            };
            ui.label(RichText::new(state).small().color(color));
            ui.add_space(6.0);
        }
        ui.separator();
        self.versions(ui, status);
    }

    pub(super) fn versions(&mut self, ui: &mut egui::Ui, status: &mut StatusLine) {
        let default = &DEFAULT_TEMPLATES[self.selected.min(DEFAULT_TEMPLATES.len() - 1)];
        ui.label(RichText::new(format!("Versions of {}", default.name)).strong());
        let versions = self
            .histories
            .get(self.selected)
            .map_or(&[][..], |h| &h.versions[..]);
        if versions.is_empty() {
            ui.label(
                RichText::new("None saved: the built-in template is in use.")
                    .small()
                    .weak(),
            );
            return;
        }
        let mut chosen = None;
        let mut action = None;
        for (position, version) in versions.iter().enumerate() {
            let number = version.version;
            let is_chosen = self.versions.chosen == Some((self.selected, number));
            let in_use = if position == 0 { " (in use)" } else { "" };
            let text = format!("v{number}{in_use} · {}", when(&version.created_at));
            let response = ui
                .add(
                    egui::Button::selectable(is_chosen, RichText::new(text).small())
                        .min_size(egui::vec2(ui.available_width(), 0.0)),
                )
                .on_hover_text("Choose this version to compare it with the editor or restore it");
            if response.clicked() {
                chosen = Some(number);
            }
            version_note(ui, version);
            if is_chosen {
                action = version_actions(ui, number).or(action);
            }
            ui.add_space(2.0);
        }
        if let Some(number) = chosen {
            self.versions.chosen = Some((self.selected, number));
        }
        match action {
            Some(Action::Compare(number)) => {
                self.versions.compare = Some(Compare::new(self.selected, number));
            }
            Some(Action::Restore(number)) => self.restore(self.selected, number, status),
            None => {}
        }
    }
}

/// What the chosen version's buttons ask for.
enum Action {
    Compare(u32),
    Restore(u32),
}

/// The chosen version's buttons.
fn version_actions(ui: &mut egui::Ui, number: u32) -> Option<Action> {
    let mut action = None;
    ui.horizontal_wrapped(|ui| {
        if ui
            .small_button("Compare…")
            .on_hover_text("Show the lines this version and the editor's text differ in")
            .clicked()
        {
            action = Some(Action::Compare(number));
        }
        if ui
            .small_button("Restore this version")
            .on_hover_text(
                "Load this version into the editor; saving it makes a new version on top, the history stays as it is",
            )
            .clicked()
        {
            action = Some(Action::Restore(number));
        }
    });
    action
}

/// Under a version: "reset to default" for a reset, else the installer's note if any.
fn version_note(ui: &mut egui::Ui, version: &TemplateVersion) {
    if version.is_reset() {
        // Plain weak text, indented as a note: framed, it passed for a button, next to the
        // *Reset to default…* action.
        egui::Frame::new()
            .inner_margin(egui::Margin {
                left: 8,
                ..egui::Margin::ZERO
            })
            .show(ui, |ui| {
                ui.label(RichText::new("reset to default").small().italics().weak())
                    .on_hover_text("This version went back to the built-in template");
            });
    } else if !version.shown_note().is_empty() {
        // Indented as the version's own text is inside its button.
        egui::Frame::new()
            .inner_margin(egui::Margin {
                left: 8,
                ..egui::Margin::ZERO
            })
            .show(ui, |ui| {
                ui.add(egui::Label::new(RichText::new(version.shown_note()).small()).wrap());
            });
    }
}

/// A stored UTC time ("2026-12-07T20:45:10Z") as the list shows it: "2026-12-07 20:45 UTC".
fn when(created_at: &str) -> String {
    match created_at
        .split_once('T')
        .and_then(|(date, time)| Some((date, time.get(..5)?)))
    {
        Some((date, minutes)) => format!("{date} {minutes} UTC"),
        None => created_at.to_string(),
    }
}

/// "default", "edited v3", or "default (reset in v4)".
fn state_text(versions: &[TemplateVersion]) -> String {
    match versions.first() {
        None => "default".to_string(),
        Some(TemplateVersion {
            version,
            body: Some(_),
            ..
        }) => format!("edited v{version}"),
        Some(TemplateVersion { version, .. }) => format!("default (reset in v{version})"),
    }
}
