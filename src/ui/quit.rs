//! Closing the window while work would be lost or stopped: the title bar's × asks first.
//! Template edits live only in the editor until saved; a server that stops leaves the phones
//! at a site without their files; labels scanned but not imported are a box to scan again.

use crate::ui::widgets::dialog;

#[derive(Default)]
pub struct CloseGuard {
    /// What closing would lose or stop, while the question is open.
    asking: Option<Vec<String>>,
    /// The user said close anyway: the next request goes through.
    allowed: bool,
}

impl CloseGuard {
    /// Whether the window is asked to close, and may not close without asking.
    pub fn requested(&self, ctx: &egui::Context) -> bool {
        !self.allowed && ctx.input(|i| i.viewport().close_requested())
    }

    /// Holds the close while `unfinished` names anything, and asks.
    pub fn hold(&mut self, ctx: &egui::Context, unfinished: Vec<String>) {
        if !unfinished.is_empty() {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.asking = Some(unfinished);
        }
    }

    /// The question, while it is open. Enter does not close: the window is what goes.
    pub fn show(&mut self, ui: &egui::Ui) {
        let Some(open) = &self.asking else {
            return;
        };
        let close = dialog::danger_button(ui, "Close anyway");
        let decision = dialog::confirm(ui, "close_anyway", 460.0, close, true, |ui| {
            ui.heading("Close provdesk?");
            ui.add_space(4.0);
            for item in open {
                ui.label(format!("• {item}"));
            }
        });
        match decision {
            Some(true) => {
                self.allowed = true;
                self.asking = None;
                ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Some(false) => self.asking = None,
            None => {}
        }
    }
}
