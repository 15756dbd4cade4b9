//! The line over the editor when a newer version of its template was saved elsewhere (the CLI,
//! a script, another window) while the editor holds unsaved edits: the edits stay, and the
//! line offers the newer version to compare with them or to load. Without it the installer
//! would only learn of it from the refused save.

use egui::RichText;

use super::TemplatesPanel;
use super::compare::Compare;
use crate::ui::widgets::status::StatusLine;
use crate::ui::widgets::style::signal;

impl TemplatesPanel {
    /// The newest version of the selected template, when the editor's unsaved edits started
    /// from an older one (or from the built-in template).
    pub(super) fn saved_elsewhere(&self) -> Option<u32> {
        let draft = self.drafts.get(self.selected)?;
        let newest = self.histories.get(self.selected)?.versions.first()?.version;
        (draft.dirty() && draft.base != Some(newest)).then_some(newest)
    }

    /// "v3 was saved elsewhere — Compare / Load it", while it is so.
    pub(super) fn saved_elsewhere_line(&mut self, ui: &mut egui::Ui, status: &mut StatusLine) {
        let Some(newest) = self.saved_elsewhere() else {
            return;
        };
        let (mut compare, mut load) = (false, false);
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(format!(
                    "v{newest} was saved elsewhere since your edits began:"
                ))
                .color(signal(ui.visuals()).warning),
            );
            compare = ui
                .button("Compare")
                .on_hover_text(format!("What your edits change against v{newest}"))
                .clicked();
            load = ui
                .button("Load it")
                .on_hover_text(format!(
                    "Put v{newest} in the editor in place of your edits (asks first)"
                ))
                .clicked();
        });
        if compare {
            self.versions.chosen = Some((self.selected, newest));
            self.versions.compare = Some(Compare::new(self.selected, newest));
        }
        if load {
            self.restore(self.selected, newest, status);
        }
    }
}
