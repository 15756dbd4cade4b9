//! The setup's fields: inventory or ad hoc, the inventory device's card or the picker, the
//! ad-hoc facts, the model played, the URL (its stored password masked, the rest editable),
//! the timeout and TLS.

use std::path::Path;

use egui::RichText;

use super::FetchSetup;
use crate::device::{CATALOGUE, MaskedUrl};
use crate::fetch::ClientIdentity;
use crate::ui::widgets::device_picker::{Source, device_card, source_switch};
use crate::ui::widgets::fields::{has_url_password, secret_field, text_field};
use crate::ui::worker::Worker;

impl FetchSetup {
    /// Inventory device or Ad hoc.
    pub(super) fn source_switch(&mut self, ui: &mut egui::Ui, worker: &Worker) {
        if source_switch(ui, &mut self.source) {
            self.error = None;
            // Asked again each time: devices may have been added meanwhile.
            if self.source == Source::Inventory && self.device.is_none() {
                self.picker.search(worker);
            }
        }
    }

    pub(super) fn device_picker(&mut self, ui: &mut egui::Ui, worker: &Worker) {
        if let Some(device) = &self.device {
            let change = device_card(ui, device, |ui| {
                let mac_password = if device.mac_password.is_some() {
                    "MAC password known"
                } else {
                    "no MAC password"
                };
                let user = match device.effective_digest_username() {
                    Some(user) => format!("digest user \"{user}\""),
                    None => "no digest user".to_string(),
                };
                ui.label(RichText::new(format!("{mac_password} · {user}")).small());
            });
            if change {
                self.device = None;
                self.picker.search(worker);
            }
            if ui
                .button("Try ad hoc from this device")
                .on_hover_text(
                    "Copies this device's MAC, digest user and passwords into Ad hoc (the model \
                     and URL stay), to try another value without retyping the rest",
                )
                .clicked()
            {
                self.try_ad_hoc();
            }
            ui.add_space(4.0);
            return;
        }
        let picked = self.picker.ui(
            ui,
            worker,
            "Find device",
            "Fetch as this device",
            "No device matches.",
        );
        if let Some(device) = picked {
            self.choose_device(device);
        }
        ui.add_space(4.0);
    }

    pub(super) fn ad_hoc_fields(&mut self, ui: &mut egui::Ui) {
        text_field(ui, "MAC", &mut self.mac, "e.g. 7C:2F:80:…");
        secret_field(
            ui,
            "MAC password",
            &mut self.mac_password,
            &mut self.reveal_mac_password,
        );
        text_field(
            ui,
            "User name",
            &mut self.username,
            "configured digest user",
        );
        secret_field(
            ui,
            "Password",
            &mut self.password,
            &mut self.reveal_password,
        );
    }

    pub(super) fn model_field(&mut self, ui: &mut egui::Ui) {
        let label = ui.label("Model");
        egui::ComboBox::from_id_salt("fetch_model")
            .selected_text(self.model.name)
            .width(ui.available_width())
            .show_ui(ui, |ui| {
                for spec in CATALOGUE {
                    ui.selectable_value(&mut self.model, spec, spec.name);
                }
            })
            .response
            .labelled_by(label.id)
            .on_hover_text("The model whose credential ladder and digest algorithms are played");
    }

    /// The phone's firmware, which goes into its User-Agent and decides what it supports.
    pub(super) fn firmware_field(&mut self, ui: &mut egui::Ui) {
        let hint = self
            .model
            .user_agent
            .map_or("as the phone reports it", |shape| shape.known_firmware);
        text_field(ui, "Firmware", &mut self.firmware, hint);
    }

    /// The URL, its stored password masked until *Show*, editable all the same: the mask
    /// stands for the stored password until typed over. It wraps over as many lines as it
    /// needs, as wide as the column, so host, port and path are in sight while edited: one
    /// line showed no more than `http://admin:••••••@127.0.0.1:870`. Enter starts, as in a
    /// one-line field, and no line break gets into the URL. True when Enter was pressed in it.
    pub(super) fn url_field(&mut self, ui: &mut egui::Ui) -> bool {
        let label = ui
            .horizontal(|ui| {
                let label = ui.label("Provisioning URL");
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    self.show_hide_url(ui)
                });
                label
            })
            .inner;
        // Its own id: the Show/Hide button beside the label comes and goes as the user types.
        let response = ui
            .add(
                egui::TextEdit::multiline(self.url.text_mut())
                    .id_salt("fetch_url")
                    .hint_text("https://prov.example.com/%MACD.xml")
                    .desired_rows(1)
                    .desired_width(f32::INFINITY)
                    .return_key(None),
            )
            .labelled_by(label.id)
            .on_hover_text(
                "%MACD, %MACC and %DVID are filled in as the device does. A masked \
                 password stays the stored one; type over the mask to use another.",
            );
        if response.changed() {
            // A pasted URL may end in a line break; no URL holds one.
            self.url
                .text_mut()
                .retain(|c| !matches!(c, '\n' | '\r' | '\t'));
            self.error = None;
        }
        let enter = response.has_focus()
            && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Enter));
        if enter {
            response.surrender_focus();
        }
        enter
    }

    /// *Show* while the URL's password is masked, *Hide* while one shows.
    fn show_hide_url(&mut self, ui: &mut egui::Ui) {
        if self.url.is_masked() {
            if ui
                .small_button("Show")
                .on_hover_text("Show the URL's password")
                .clicked()
            {
                self.url.reveal();
            }
        } else if has_url_password(self.url.text())
            && ui
                .small_button("Hide")
                .on_hover_text("Mask the URL's password again")
                .clicked()
        {
            self.url = MaskedUrl::masked(self.url.text());
        }
    }

    /// Seconds to wait for each answer, as the CLI's `--timeout`. True when Enter was pressed.
    pub(super) fn timeout_field(&mut self, ui: &mut egui::Ui) -> bool {
        let label = ui.label("Timeout (s)");
        let response = ui
            .add(
                egui::TextEdit::singleline(&mut self.timeout)
                    .hint_text("seconds per answer")
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id)
            .on_hover_text(
                "How long to wait for each answer, headers and body, before the fetch gives up \
                 (provdesk fetch --timeout)",
            );
        if response.changed() {
            self.error = None;
        }
        response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter))
    }

    pub(super) fn tls_fields(&mut self, ui: &mut egui::Ui) {
        let any_set =
            self.accept_invalid_certs || !self.ca_file.is_empty() || !self.client_cert.is_empty();
        egui::CollapsingHeader::new("TLS")
            .default_open(any_set)
            .show(ui, |ui| {
                ui.checkbox(&mut self.accept_invalid_certs, "Accept all certificates")
                    .on_hover_text(
                        "Like the device's own \"accept all certificates\" setting: for servers \
                         with a self-signed certificate",
                    );
                text_field(ui, "CA file", &mut self.ca_file, "PEM file of a private CA");
                text_field(
                    ui,
                    "Client certificate",
                    &mut self.client_cert,
                    "PEM or .p12/.pfx file",
                );
                if ClientIdentity::is_pkcs12(Path::new(self.client_cert.trim())) {
                    secret_field(
                        ui,
                        "Certificate password",
                        &mut self.cert_password,
                        &mut self.reveal_cert_password,
                    );
                } else if !self.client_cert.trim().is_empty() {
                    text_field(
                        ui,
                        "Private key",
                        &mut self.client_key,
                        "PEM key; empty if in the certificate file",
                    );
                }
            });
    }
}
