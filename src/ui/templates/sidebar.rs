//! The Templates panel's left side: the templates with their models and state, then the
//! selected one's saved versions.

use egui::RichText;

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
        let mut load = None;
        for (position, version) in versions.iter().enumerate() {
            let what = match &version.body {
                Some(_) => version.note.clone(),
                None => "reset to the built-in template".to_string(),
            };
            let in_use = if position == 0 { " (in use)" } else { "" };
            let text = format!("v{}{in_use} · {}", version.version, version.created_at);
            let response = ui
                .add(
                    egui::Button::selectable(false, RichText::new(text).small())
                        .min_size(egui::vec2(ui.available_width(), 0.0)),
                )
                .on_hover_text(format!("{what}. Click to load it into the editor."));
            if response.clicked() {
                load = Some(version.clone());
            }
        }
        if let (Some(version), Some(draft)) = (load, self.drafts.get_mut(self.selected)) {
            draft.text = version.body.unwrap_or_else(|| default.text.to_string());
            status.info(format!(
                "Loaded version {} into the editor; Save as new version (Ctrl+S) to use it again.",
                version.version
            ));
        }
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
