//! A panel's own error line: what went wrong in this panel's last job, shown where the user
//! is looking, until they dismiss it or the next success clears it.

use egui::RichText;

use crate::ui::widgets::style::signal;

/// Shows `error`, if any, with a button that dismisses it. The reason and the fix often come
/// in the second half of the sentence, so the text wraps inside the banner instead of running
/// off the window, and the ✖ is placed first, at the right edge, so no text can push it out
/// of reach.
pub fn error(ui: &mut egui::Ui, error: &mut Option<String>) {
    let Some(text) = error.as_deref() else {
        return;
    };
    let color = signal(ui.visuals()).error;
    let mut dismissed = false;
    egui::Frame::group(ui.style())
        .stroke(egui::Stroke::new(1.0, color))
        .show(ui, |ui| {
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Min), |ui| {
                dismissed = ui
                    .small_button("✖")
                    .on_hover_text("Dismiss this message")
                    .clicked();
                // The room left of the ✖, filled from the left as text reads.
                ui.with_layout(egui::Layout::left_to_right(egui::Align::Min), |ui| {
                    ui.add(
                        egui::Label::new(RichText::new(format!("⚠ {text}")).color(color)).wrap(),
                    );
                });
            });
        });
    if dismissed {
        *error = None;
    }
}
