//! *Reset to default…*: off, and saying why, while the built-in text is in use and the editor
//! holds nothing else (a reset would make a version that changes nothing); with unsaved edits
//! over the built-in text it only discards them. The question first, then the job, whose
//! answer is a new version or "no change".

use egui::RichText;

use super::{Draft, TemplatesPanel, jobs};
use crate::inventory::{TemplateVersion, Unchanged};
use crate::templates::{DEFAULT_TEMPLATES, DefaultTemplate};
use crate::ui::widgets::dialog;
use crate::ui::widgets::status::StatusLine;
use crate::ui::widgets::style::signal;
use crate::ui::worker::Worker;
use crate::words;

/// Where the selected template stands against its built-in text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    /// Another text is in use: a reset makes a version.
    Edited,
    /// The built-in text is in use and the editor shows it: nothing to reset.
    Builtin,
    /// The built-in text is in use, the editor has unsaved edits: a reset only discards them.
    BuiltinWithEdits,
}

impl Standing {
    fn of(draft: &Draft, default: &DefaultTemplate) -> Self {
        match (draft.in_use == default.text, draft.dirty()) {
            (false, _) => Self::Edited,
            (true, false) => Self::Builtin,
            (true, true) => Self::BuiltinWithEdits,
        }
    }
}

impl TemplatesPanel {
    fn standing(&self) -> Option<(Standing, &'static DefaultTemplate)> {
        let default = DEFAULT_TEMPLATES.get(self.selected)?;
        let draft = self.drafts.get(self.selected)?;
        Some((Standing::of(draft, default), default))
    }

    /// The *Reset to default…* button beside Save; a click asks first.
    pub(super) fn reset_button(&mut self, ui: &mut egui::Ui) {
        let standing = self.standing().map(|(standing, _)| standing);
        let hover = match standing {
            Some(Standing::BuiltinWithEdits) => {
                "The built-in template is in use already: this discards the editor's unsaved edits; no version is made"
            }
            _ => "Go back to the built-in template; the saved versions stay in the history",
        };
        let enabled = standing.is_some_and(|standing| standing != Standing::Builtin);
        if ui
            .add_enabled(enabled, egui::Button::new("Reset to default…"))
            .on_hover_text(hover)
            .on_disabled_hover_text(
                "The built-in template is in use already: nothing to reset (a reset would make a version that changes nothing)",
            )
            .clicked()
        {
            self.confirm_reset = true;
        }
    }

    pub(super) fn reset_dialog(
        &mut self,
        ui: &mut egui::Ui,
        worker: &Worker,
        status: &mut StatusLine,
    ) {
        if !self.confirm_reset {
            return;
        }
        let Some((standing, default)) = self.standing() else {
            self.confirm_reset = false;
            return;
        };
        let colors = signal(ui.visuals());
        let button = egui::Button::new(
            RichText::new(format!("Reset {}", default.name)).color(colors.on_danger),
        )
        .fill(colors.danger);
        let dirty = standing != Standing::Builtin
            && self.drafts.get(self.selected).is_some_and(Draft::dirty);
        let decision = dialog::confirm(ui, "confirm_template_reset", 420.0, button, true, |ui| {
            ui.heading(format!("Reset {} to the built-in template?", default.name));
            ui.add_space(4.0);
            ui.label(if standing == Standing::Edited {
                "Renders use the built-in template again, and so does Serve if it is running: \
                 each phone gets it at its next fetch. The saved versions stay in the history: \
                 choose one and \"Restore this version\" to use it again."
            } else {
                "The built-in template is in use already, so no version is made and no phone \
                 gets another file."
            });
            if dirty {
                ui.colored_label(
                    signal(ui.visuals()).warning,
                    "The editor's unsaved changes are discarded.",
                );
            }
        });
        match decision {
            Some(true) => {
                status.info(format!("Resetting {}…", default.name));
                jobs::reset(worker, default.name.to_string());
                self.confirm_reset = false;
            }
            Some(false) => self.confirm_reset = false,
            None => {}
        }
    }

    /// A reset made a version: the editor shows the built-in text, now in use.
    pub(super) fn on_reset(&mut self, version: &TemplateVersion, status: &mut StatusLine) {
        status.info(format!(
            "{} is back to the built-in template (version {}); older versions stay in its history.",
            version.name, version.version
        ));
        if let Some(default) = DEFAULT_TEMPLATES.iter().find(|d| d.name == version.name)
            && let Some(draft) = self.draft_named(&version.name)
        {
            draft.text = default.text.to_string();
            draft.in_use = default.text.to_string();
            draft.base = Some(version.version);
        }
    }

    /// A reset found the built-in text in use: no version; the edits the question said it
    /// discards are discarded.
    pub(super) fn on_reset_unchanged(&mut self, unchanged: &Unchanged, status: &mut StatusLine) {
        status.info(words::sentence(&unchanged.reset_words()));
        if let Some(draft) = self.draft_named(&unchanged.name) {
            draft.text = draft.in_use.clone();
        }
    }
}
