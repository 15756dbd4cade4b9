//! *Save trace…*: where the SIP trace goes, asked in a modal the way Test fetch asks for a
//! HAR: a path field filled with a name in the documents folder, *Choose…* for the desktop's
//! dialog, and a note to type the path where no dialog is available.

use std::path::PathBuf;

use egui::RichText;

use super::SipPanel;
use super::events::SipPanelEvent;
use super::job;
use crate::ui::widgets::dialog;
use crate::ui::widgets::file_dialog::{self, Dialog};
use crate::ui::worker::Worker;

/// The dialog's state while it is open.
pub(super) struct SaveTrace {
    pub path: String,
    /// *Choose…* found no file dialog on this desktop.
    pub no_file_dialog: bool,
}

impl SaveTrace {
    pub fn new(path: String) -> Self {
        Self {
            path,
            no_file_dialog: false,
        }
    }
}

impl SipPanel {
    pub(super) fn save_dialog(&mut self, ui: &mut egui::Ui, worker: &Worker) {
        let Some(save) = self.save.as_mut() else {
            return;
        };
        let ready =
            !save.path.trim().is_empty() && file_dialog::refusal(ui.ctx(), &save.path).is_none();
        let button = egui::Button::new("Save trace");
        let decision = dialog::confirm_on_enter(ui, "sip_save_trace", 520.0, button, ready, |ui| {
            ui.heading("Save the SIP trace");
            ui.label(
                RichText::new(
                    "Every message sent and received, in order, as text for the provider, \
                     readable by you only. The digest answer's response and cnonce are masked, \
                     as the panel shows them; no password is in it.",
                )
                .weak(),
            );
            ui.add_space(6.0);
            file_dialog::save_path_row(
                ui,
                worker,
                &mut save.path,
                save.no_file_dialog,
                |suggested| Dialog::Save {
                    title: "Save the SIP trace",
                    filter: ("Text", "txt"),
                    suggested,
                },
                SipPanelEvent::TracePath,
            );
        });
        match decision {
            Some(true) => {
                if let Some(run) = &self.run {
                    let path = PathBuf::from(save.path.trim());
                    job::save_trace(worker, run.transcript.clone(), path);
                }
                self.save = None;
            }
            Some(false) => self.save = None,
            None => {}
        }
    }
}
