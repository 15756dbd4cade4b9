//! A panel's own error line: what went wrong in this panel's last job, shown where the user
//! is looking, until they dismiss it or the next success clears it.

use egui::RichText;

use crate::ui::widgets::style::signal;

/// Shows `error`, if any, with a button that dismisses it.
pub fn error(ui: &mut egui::Ui, error: &mut Option<String>) {
    let Some(text) = error.as_deref() else {
        return;
    };
    let color = signal(ui.visuals()).error;
    let mut dismissed = false;
    egui::Frame::group(ui.style())
        .stroke(egui::Stroke::new(1.0, color))
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new(format!("⚠ {text}")).color(color));
                dismissed = ui
                    .small_button("✖")
                    .on_hover_text("Dismiss this message")
                    .clicked();
            });
        });
    if dismissed {
        *error = None;
    }
}
