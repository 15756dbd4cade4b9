//! Closing the window while work would be lost or stopped: the title bar's × asks first.
//! Template edits live only in the editor until saved; a server that stops leaves the phones
//! at a site without their files; labels scanned but not imported are a box to scan again.

use crate::ui::import::ImportPanel;
use crate::ui::redirect::RedirectPanel;
use crate::ui::serve::ServePanel;
use crate::ui::templates::TemplatesPanel;
use crate::ui::widgets::dialog;
use crate::words;

/// What closing the window now would lose or stop, one sentence each.
pub fn unfinished(
    templates: &TemplatesPanel,
    serve: &ServePanel,
    import: &ImportPanel,
    redirect: &RedirectPanel,
) -> Vec<String> {
    let mut open: Vec<String> = templates
        .unsaved()
        .into_iter()
        .map(|name| format!("The template {name} has edits not saved: they are lost."))
        .collect();
    if let Some(addr) = serve.serving() {
        open.push(format!(
            "Phones are served on {addr}: a phone that asks once provdesk is closed gets no file."
        ));
    }
    let waiting = import.waiting();
    if waiting > 0 {
        open.push(format!(
            "{} in Import {} not imported yet.",
            words::count(waiting, "row"),
            words::agree(waiting, "is", "are")
        ));
    }
    if redirect.applying() {
        open.push(
            "A sync is being applied: the batches not sent yet are not sent (run the sync again later)."
                .into(),
        );
    }
    open
}

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
