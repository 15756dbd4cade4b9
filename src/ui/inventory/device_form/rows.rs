//! The form's rows: one labelled field each, with its error under it.

use egui::RichText;

use super::DeviceForm;
use crate::device::{
    CATALOGUE, Field, FieldError, Mac, ProvisioningUrl, find_model, oui_hint, url_file_warning,
};
use crate::inventory::Site;
use crate::ui::widgets::fields::{
    grid_error_row, grid_label, masked_url, reveal_button, site_pick,
};
use crate::ui::widgets::style::signal;
use crate::words;

impl DeviceForm {
    pub(super) fn text_row(
        &mut self,
        ui: &mut egui::Ui,
        field: Field,
        hint: &str,
        errors: &[FieldError],
    ) {
        let error = self.error_for(field, errors);
        let label = grid_label(ui, field.label(), error.is_some());
        let focus = self.focus.take_if(|wanted| *wanted == field).is_some();
        if field == Field::Url && !self.reveal_url {
            self.reveal_url = masked_url(ui, &self.draft.url, label);
            ui.end_row();
            grid_error_row(ui, error);
            return;
        }
        let response = ui
            .add(
                egui::TextEdit::singleline(self.draft.field_mut(field))
                    .hint_text(hint)
                    .desired_width(320.0),
            )
            .labelled_by(label);
        if focus {
            response.request_focus();
        }
        ui.end_row();
        grid_error_row(ui, error);
        self.after_edit(field, &response);
    }

    /// What the MAC's prefix says once the MAC is valid: a Gigaset device, or a warning (never
    /// a refusal) when another maker's prefix sits under a Gigaset model.
    pub(super) fn mac_hint_row(&self, ui: &mut egui::Ui) {
        let Ok(mac) = Mac::parse(&self.draft.mac) else {
            return;
        };
        let hint = oui_hint(mac);
        let colours = signal(ui.visuals());
        let (text, colour) = match hint.warning(mac, find_model(&self.draft.model)) {
            Some(warning) => (format!("⚠ {warning}"), colours.warning),
            None if hint.is_gigaset() => (format!("✔ {}", hint.describe(mac)), colours.ok),
            None => (hint.describe(mac), ui.visuals().weak_text_color()),
        };
        ui.label("");
        ui.add(
            egui::Label::new(RichText::new(text).color(colour).small())
                .wrap_mode(egui::TextWrapMode::Wrap),
        );
        ui.end_row();
    }

    /// A warning (never a refusal) under a URL whose file provdesk's render and Serve cannot
    /// make (`…/.htaccess`, a folder): another server may provide it.
    pub(super) fn url_hint_row(&self, ui: &mut egui::Ui) {
        let Some(warning) = ProvisioningUrl::parse(self.draft.url.trim())
            .ok()
            .as_ref()
            .and_then(url_file_warning)
        else {
            return;
        };
        ui.label("");
        ui.add(
            egui::Label::new(
                RichText::new(format!("⚠ {}", words::sentence(&warning)))
                    .color(signal(ui.visuals()).warning)
                    .small(),
            )
            .wrap_mode(egui::TextWrapMode::Wrap),
        );
        ui.end_row();
    }

    pub(super) fn secret_row(&mut self, ui: &mut egui::Ui, field: Field, errors: &[FieldError]) {
        let error = self.error_for(field, errors);
        let label = grid_label(ui, field.label(), error.is_some());
        let reveal = match field {
            Field::MacPassword => self.reveal_mac_password,
            _ => self.reveal_digest_password,
        };
        let mut toggled = false;
        let response = ui
            .horizontal(|ui| {
                let response = ui
                    .add(
                        egui::TextEdit::singleline(self.draft.field_mut(field))
                            .password(!reveal)
                            .desired_width(282.0),
                    )
                    .labelled_by(label);
                toggled =
                    reveal_button(ui, reveal, &format!("the {}", field.label().to_lowercase()));
                response
            })
            .inner;
        if toggled {
            match field {
                Field::MacPassword => self.reveal_mac_password ^= true,
                _ => self.reveal_digest_password ^= true,
            }
        }
        ui.end_row();
        grid_error_row(ui, error);
        self.after_edit(field, &response);
    }

    pub(super) fn model_row(&mut self, ui: &mut egui::Ui, errors: &[FieldError]) {
        let error = self.error_for(Field::Model, errors);
        let label = grid_label(ui, Field::Model.label(), error.is_some());
        let before = self.draft.model.clone();
        let shown = if self.draft.model.is_empty() {
            "(none)".to_string()
        } else {
            self.draft.model.clone()
        };
        egui::ComboBox::from_id_salt("device_form_model")
            .selected_text(shown)
            .width(320.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut self.draft.model, String::new(), "(none)");
                for spec in CATALOGUE {
                    ui.selectable_value(&mut self.draft.model, spec.name.to_string(), spec.name);
                }
            })
            .response
            .labelled_by(label);
        ui.end_row();
        grid_error_row(ui, error);
        if self.draft.model != before {
            self.touched.insert(Field::Model);
            self.store_error = None;
        }
    }

    pub(super) fn site_row(&mut self, ui: &mut egui::Ui, sites: &[Site], errors: &[FieldError]) {
        let error = self.error_for(Field::Site, errors);
        let label = grid_label(ui, Field::Site.label(), error.is_some());
        let mut picked = None;
        let response = ui
            .horizontal(|ui| {
                let response = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.draft.site)
                            .hint_text("new or existing site")
                            .desired_width(282.0),
                    )
                    .labelled_by(label);
                if let Some(site) = site_pick(ui, sites) {
                    picked = Some(site.name.clone());
                }
                response
            })
            .inner;
        if let Some(name) = picked {
            self.draft.site = name;
            self.touched.insert(Field::Site);
        }
        ui.end_row();
        let site = self.draft.site.trim();
        if !site.is_empty() && !sites.iter().any(|s| s.name.eq_ignore_ascii_case(site)) {
            ui.label("");
            ui.label(RichText::new(format!("A new site \"{site}\" will be created.")).small());
            ui.end_row();
        }
        grid_error_row(ui, error);
        self.after_edit(Field::Site, &response);
    }
}
