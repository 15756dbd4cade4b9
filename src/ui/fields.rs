//! Labelled form fields the panels share.

use crate::secret::Secret;

/// A one-line text field under its label, as wide as the panel.
pub fn text_field(ui: &mut egui::Ui, label: &str, value: &mut String, hint: &str) {
    let label = ui.label(label);
    ui.add(
        egui::TextEdit::singleline(value)
            .hint_text(hint)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(label.id);
}

/// A password field under its label, masked unless the user shows it; returns the field's
/// response. The button goes in first from the right, so the field takes exactly the room
/// left and the panel never grows.
pub fn secret_field(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut Secret,
    reveal: &mut bool,
) -> egui::Response {
    let label_response = ui.label(label);
    let row = egui::vec2(ui.available_width(), ui.spacing().interact_size.y);
    ui.allocate_ui_with_layout(
        row,
        egui::Layout::right_to_left(egui::Align::Center),
        |ui| {
            let eye = if *reveal { "Hide" } else { "Show" };
            if ui
                .small_button(eye)
                .on_hover_text(format!("{eye} the {}", label.to_lowercase()))
                .clicked()
            {
                *reveal = !*reveal;
            }
            ui.add(
                egui::TextEdit::singleline(value.expose_mut())
                    .password(!*reveal)
                    .desired_width(ui.available_width()),
            )
            .labelled_by(label_response.id)
        },
    )
    .inner
}
