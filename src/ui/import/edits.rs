//! Taking a row out of the preview and taking it back: each row's remove button, the Undo
//! button and Ctrl+Z. What a removal or an undo changes is the core's
//! ([`crate::labels::Preview::take_out`], [`crate::labels::Preview::undo`]); this file asks
//! for it and says what happened.

use super::ImportPanel;
use super::sources::scan_field_id;
use crate::labels::{Edit, ImportRow, Origin, SourceRef};
use crate::ui::widgets::status::StatusLine;

impl ImportPanel {
    /// Whether Ctrl+Z is the panel's: when no text field has the focus, so a field's own undo
    /// keeps working while the user types. The scan field is the exception while it is empty:
    /// its last text went into the rows as a scan, so there Ctrl+Z takes that scan back
    /// rather than putting its text back in the field (which Enter would scan again).
    pub(super) fn undo_is_ours(&self, ui: &egui::Ui) -> bool {
        let idle_scan_field =
            self.scan_input.is_empty() && ui.memory(|m| m.has_focus(scan_field_id()));
        !ui.ctx().text_edit_focused() || idle_scan_field
    }

    /// Takes back the newest removal or scan, and says which.
    pub(super) fn undo(&mut self, status: &mut StatusLine) {
        let Some(edit) = self.preview.undo() else {
            return;
        };
        self.report = None;
        self.feedback = None;
        self.focus_scan = self.scan_mode;
        status.info(match edit {
            Edit::Scanned(text) => format!("Took the last scan back out: {text}"),
            Edit::TookOut { name, .. } => format!("Put {name} back into the import"),
        });
    }

    /// Takes the row at `row` out of the preview. In scan mode the scan field gets the focus
    /// back, so the next label can be scanned at once.
    pub(super) fn take_out(&mut self, row: &SourceRef, status: &mut StatusLine) {
        if let Some(name) = self.preview.take_out(row) {
            self.report = None;
            self.feedback = None;
            self.focus_scan = self.scan_mode;
            status.info(format!(
                "Took {name} out of the import; Ctrl+Z puts it back"
            ));
        }
    }

    /// The Undo button beside Clear: what Ctrl+Z does, for the mouse, naming what it would
    /// take back.
    pub(super) fn undo_button(&mut self, ui: &mut egui::Ui, status: &mut StatusLine) {
        let hover = match self.preview.last_edit() {
            Some(Edit::Scanned(text)) => format!("Take the last scan back out: {text} (Ctrl+Z)"),
            Some(Edit::TookOut { name, .. }) => format!("Put {name} back (Ctrl+Z)"),
            None => "Nothing to undo: a removed row or a scan can be taken back".to_string(),
        };
        let enabled = self.preview.last_edit().is_some();
        let button = ui.add_enabled(enabled, egui::Button::new("Undo"));
        if button
            .on_hover_text(&hover)
            .on_disabled_hover_text(&hover)
            .clicked()
        {
            self.undo(status);
        }
    }

    /// A row's "×", named after the row for screen readers; says whether it was clicked.
    pub(super) fn remove_button(&self, ui: &mut egui::Ui, item: &ImportRow) -> bool {
        let name = item.name();
        let from_file = self.preview.origin(&item.source.file) == Some(Origin::File);
        let response = ui
            .add(egui::Button::new("×").small().frame_when_inactive(false))
            .on_hover_ui(|ui| {
                ui.label(if from_file {
                    "Take this row out of the import (Ctrl+Z puts it back). The file is not \
                     changed."
                } else {
                    "Take this row out of the import (Ctrl+Z puts it back)."
                });
            });
        response.widget_info(|| {
            egui::WidgetInfo::labeled(
                egui::Role::Button,
                true,
                format!("Remove {name} from the import"),
            )
        });
        response.clicked()
    }
}
