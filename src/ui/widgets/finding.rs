//! How a test's verdict looks, the same in Test fetch and the SIP test: the main finding as a
//! coloured banner (icon, title, the cause, the fix, the code small on the right), any further
//! finding as a smaller entry under it.

use egui::RichText;

use crate::ui::widgets::style::BANNER_TINT;

/// One finding as the faces show it, whatever test it comes from.
pub struct Finding<'a> {
    /// The severity's colour (see [`crate::ui::widgets::style::signal`]).
    pub color: egui::Color32,
    pub icon: &'a str,
    pub title: &'a str,
    /// The cause, with the values seen.
    pub message: &'a str,
    pub fix: Option<&'a str>,
    /// The stable code, as in the JSON report.
    pub code: Option<&'a str>,
}

impl Finding<'_> {
    /// The banner: a frame in the colour, icon and title in bold, the message, the fix.
    pub fn banner(&self, ui: &mut egui::Ui) {
        let color = self.color;
        egui::Frame::new()
            .fill(color.gamma_multiply(BANNER_TINT))
            .stroke(egui::Stroke::new(1.5, color))
            .corner_radius(6.0)
            .inner_margin(egui::Margin::symmetric(12, 8))
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal_top(|ui| {
                    ui.label(RichText::new(self.icon).color(color).size(18.0).strong());
                    // The title wraps short of the code, which keeps its place on the right: the
                    // title used to run under the code, and both past the frame, in a narrow window.
                    let code = self
                        .code
                        .map(|code| RichText::new(code).monospace().small().weak());
                    let code_width = code.as_ref().map_or(0.0, |code| {
                        let small = egui::TextStyle::Small.resolve(ui.style()).size;
                        let font = egui::FontId::monospace(small);
                        let galley = ui.fonts_mut(|f| {
                            f.layout_no_wrap(code.text().to_string(), font, egui::Color32::WHITE)
                        });
                        galley.size().x + 2.0 * ui.spacing().item_spacing.x
                    });
                    let title_width = (ui.available_width() - code_width).max(80.0);
                    ui.allocate_ui(egui::vec2(title_width, 0.0), |ui| {
                        ui.add(
                            egui::Label::new(RichText::new(self.title).strong().size(16.0)).wrap(),
                        );
                    });
                    if let Some(code) = code {
                        ui.with_layout(egui::Layout::right_to_left(egui::Align::Min), |ui| {
                            ui.add(egui::Label::new(code).wrap())
                                .on_hover_text("The finding's code, as in the JSON report");
                        });
                    }
                });
                ui.add(egui::Label::new(self.message).wrap());
                if let Some(fix) = self.fix {
                    ui.add(egui::Label::new(RichText::new(format!("Fix: {fix}")).strong()).wrap());
                }
            });
    }

    /// A further finding under the banner: icon, title and code on one line, then the message
    /// and the fix in small type.
    pub fn line(&self, ui: &mut egui::Ui) {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(self.icon).color(self.color).strong());
            ui.label(RichText::new(self.title).strong());
            if let Some(code) = self.code {
                ui.label(RichText::new(code).monospace().small().weak());
            }
        });
        ui.add(egui::Label::new(RichText::new(self.message).small()).wrap());
        if let Some(fix) = self.fix {
            ui.add(egui::Label::new(RichText::new(format!("Fix: {fix}")).small()).wrap());
        }
    }
}
