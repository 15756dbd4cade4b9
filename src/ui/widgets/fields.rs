//! Labelled form fields the panels share.

use egui::RichText;

use crate::device::mask_url_password;
use crate::secret::Secret;
use crate::ui::widgets::style::signal;

/// The label column of a form grid, the same in each grid of one form so that their fields
/// line up (wide enough for "Authentication user").
pub const FORM_LABEL_WIDTH: f32 = 124.0;

/// A form grid's label cell, red while its field is refused; returns its id for
/// `labelled_by`.
pub fn grid_label(ui: &mut egui::Ui, text: &str, refused: bool) -> egui::Id {
    let mut text = RichText::new(text);
    if refused {
        text = text.color(signal(ui.visuals()).error);
    }
    ui.label(text).id
}

/// A field's reason for refusing its value, in the form grid's row under it.
pub fn grid_error_row(ui: &mut egui::Ui, message: Option<&str>) {
    if let Some(message) = message {
        ui.label("");
        field_error(ui, message);
        ui.end_row();
    }
}

/// Why a field (or a group of fields) is refused: small, red, wrapped.
pub fn field_error(ui: &mut egui::Ui, message: &str) {
    ui.add(
        egui::Label::new(
            RichText::new(message)
                .color(signal(ui.visuals()).error)
                .small(),
        )
        .wrap_mode(egui::TextWrapMode::Wrap),
    );
}

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
            if reveal_button(ui, *reveal, &format!("the {}", label.to_lowercase())) {
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

/// The Show/Hide button beside a password (`what` it shows); returns whether it was clicked.
/// Clicked only, not a Tab stop: an installer tabbing from the password to the next field
/// typed the next value into the button's place and every later value one field off.
pub fn reveal_button(ui: &mut egui::Ui, revealed: bool, what: &str) -> bool {
    let eye = if revealed { "Hide" } else { "Show" };
    ui.add(egui::Button::new(eye).small().sense(egui::Sense::CLICK))
        .on_hover_text(format!("{eye} {what}"))
        .clicked()
}

/// Whether a URL carries `user:pass@`, so that it opens masked.
pub fn has_url_password(url: &str) -> bool {
    mask_url_password(url) != url
}

/// A stored URL shown read-only with its password masked, and a Show button; returns whether
/// Show was clicked.
pub fn masked_url(ui: &mut egui::Ui, url: &str, label: egui::Id) -> bool {
    ui.horizontal(|ui| {
        let mut masked = mask_url_password(url);
        ui.add_enabled(
            false,
            egui::TextEdit::singleline(&mut masked).desired_width(282.0),
        )
        .labelled_by(label);
        ui.small_button("Show")
            .on_hover_text("Show and edit the URL with its password")
            .clicked()
    })
    .inner
}

/// A label cut with "…" where its cell ends, for a caller that adds a hover text saying at
/// least as much: egui's own tooltip of the cut text would stack a second one under it.
pub fn cut_with_own_hover(text: impl Into<egui::WidgetText>) -> egui::Label {
    egui::Label::new(text)
        .truncate()
        .show_tooltip_when_elided(false)
}

/// The "Pick" menu beside a site name field; returns the site picked. With no site yet it is
/// off and says how one comes to be, where it opened an empty menu.
pub fn site_pick<'s>(
    ui: &mut egui::Ui,
    sites: &'s [crate::inventory::Site],
) -> Option<&'s crate::inventory::Site> {
    let mut picked = None;
    ui.add_enabled_ui(!sites.is_empty(), |ui| {
        ui.menu_button("Pick", |ui| {
            for site in sites {
                let text = format!(
                    "{} ({})",
                    site.name,
                    crate::words::count(site.device_count, "device")
                );
                if ui.button(text).clicked() {
                    picked = Some(site);
                }
            }
        })
        .response
        .on_hover_text("Pick an existing site")
        .on_disabled_hover_text("No sites yet: type a name, and saving creates the site");
    });
    picked
}
