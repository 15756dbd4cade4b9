//! What the versions list keeps between frames: the version chosen in it, the Compare window,
//! and a Restore waiting for the answer to "discard my edits?". A version is named by its
//! template's index and its number, so a reload of the histories never leaves a stale copy.

use super::TemplatesPanel;
use super::compare::Compare;
use crate::inventory::TemplateVersion;
use crate::templates::DEFAULT_TEMPLATES;
use crate::ui::widgets::dialog;
use crate::ui::widgets::status::StatusLine;
use crate::ui::widgets::style::signal;

#[derive(Default)]
pub(super) struct VersionsState {
    /// The version whose Compare and Restore buttons show: (template index, version number).
    pub(super) chosen: Option<(usize, u32)>,
    pub(super) compare: Option<Compare>,
    /// A Restore asked over unsaved edits, until the user answers.
    pub(super) ask_restore: Option<(usize, u32)>,
}

impl TemplatesPanel {
    /// Version `number` of template `index`, and the one before it (`None`: it is the first,
    /// the built-in template came before).
    pub(super) fn version_and_previous(
        &self,
        index: usize,
        number: u32,
    ) -> Option<(&TemplateVersion, Option<&TemplateVersion>)> {
        let versions = &self.histories.get(index)?.versions;
        let position = versions.iter().position(|v| v.version == number)?;
        Some((&versions[position], versions.get(position + 1)))
    }

    /// Loads version `number` into the editor as unsaved changes, after asking when the editor
    /// holds edits that restoring would lose.
    pub(super) fn restore(&mut self, index: usize, number: u32, status: &mut StatusLine) {
        let Some((version, _)) = self.version_and_previous(index, number) else {
            return;
        };
        let text = version.text().to_string();
        let Some(draft) = self.drafts.get(index) else {
            return;
        };
        if draft.dirty() && draft.text != text {
            self.versions.ask_restore = Some((index, number));
        } else {
            self.load_version(index, number, text, status);
        }
    }

    fn load_version(&mut self, index: usize, number: u32, text: String, status: &mut StatusLine) {
        let Some(draft) = self.drafts.get_mut(index) else {
            return;
        };
        draft.text = text;
        // The user chose this text with the versions in view: the edit starts from the newest.
        draft.base = self
            .histories
            .get(index)
            .and_then(|history| history.versions.first())
            .map(|v| v.version);
        self.selected = index;
        self.cursor = None;
        if draft.dirty() {
            draft.note = format!("restored v{number}");
            status.info(format!(
                "Version {number} is in the editor, not saved yet: Save as new version (Ctrl+S) makes it the version in use; the history is kept."
            ));
        } else {
            status.info(format!(
                "Version {number} is in the editor: it is the version in use."
            ));
        }
    }

    /// The question before a Restore would replace unsaved edits.
    pub(super) fn restore_dialog(&mut self, ui: &mut egui::Ui, status: &mut StatusLine) {
        let Some((index, number)) = self.versions.ask_restore else {
            return;
        };
        let name = DEFAULT_TEMPLATES.get(index).map_or("", |d| d.name);
        let button = dialog::danger_button(ui, "Discard my edits");
        let decision = dialog::confirm(ui, "confirm_template_restore", 420.0, button, true, |ui| {
            ui.heading(format!("Restore version {number} of {name}?"));
            ui.add_space(4.0);
            ui.label(format!(
                "The editor holds changes to {name} that are not saved. Restoring version \
                 {number} replaces them, and they are not kept anywhere."
            ));
            ui.colored_label(
                signal(ui.visuals()).warning,
                "Cancel keeps your edits; save them first to keep them as a version.",
            );
        });
        match decision {
            Some(true) => {
                self.versions.ask_restore = None;
                // A Compare window it was asked from has done its job.
                self.versions.compare = None;
                let text = self
                    .version_and_previous(index, number)
                    .map(|(version, _)| version.text().to_string());
                if let Some(text) = text {
                    self.load_version(index, number, text, status);
                }
            }
            Some(false) => {
                self.versions.ask_restore = None;
                status.info("Restore cancelled: your edits are still in the editor.");
            }
            None => {}
        }
    }
}
