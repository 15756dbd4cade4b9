//! The test fetch's setup: which device (from the inventory, or typed in ad hoc), which model it
//! plays, the URL, and TLS. Turns the fields into a [`FetchSpec`] and checks it with the core's
//! own planning before anything is sent, so a mistake shows at once and starts no run.

use std::path::{Path, PathBuf};

use egui::RichText;

use crate::device::{
    CATALOGUE, Device, Mac, ModelSpec, default_model, mask_url_password, resolve_model,
};
use crate::fetch::{ClientIdentity, Credentials, FetchSpec};
use crate::secret::Secret;
use crate::ui::fetch::events::FetchEvent;
use crate::ui::remember::FetchSetting;
use crate::ui::widgets::answers::Found;
use crate::ui::widgets::device_picker::DevicePicker;
use crate::ui::widgets::fields::has_url_password;
use crate::ui::widgets::fields::{secret_field, text_field};
use crate::ui::widgets::style::signal;
use crate::ui::worker::Worker;

/// Where the device facts come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Inventory,
    AdHoc,
}

/// What the user asked for this frame.
pub enum SetupAction {
    None,
    /// Start a fetch of this spec; the MAC, when the device is an inventory one, gets the
    /// outcome stored.
    Start(Box<FetchSpec>, Option<Mac>),
    Cancel,
}

pub struct FetchSetup {
    source: Source,
    device: Option<Box<Device>>,
    picker: DevicePicker,
    mac: String,
    mac_password: Secret,
    username: String,
    password: Secret,
    reveal_mac_password: bool,
    reveal_password: bool,
    model: &'static ModelSpec,
    url: String,
    /// False while the URL carries a stored `user:pass@` the user has not asked to see.
    reveal_url: bool,
    accept_invalid_certs: bool,
    ca_file: String,
    client_cert: String,
    client_key: String,
    cert_password: Secret,
    reveal_cert_password: bool,
    /// Why the last Start did not start.
    pub error: Option<String>,
}

impl Default for FetchSetup {
    fn default() -> Self {
        Self {
            source: Source::AdHoc,
            device: None,
            picker: DevicePicker::new("fetch picker", |found| FetchEvent::Found(found).into()),
            mac: String::new(),
            mac_password: Secret::default(),
            username: String::new(),
            password: Secret::default(),
            reveal_mac_password: false,
            reveal_password: false,
            model: default_model(),
            url: String::new(),
            reveal_url: true,
            accept_invalid_certs: false,
            ca_file: String::new(),
            client_cert: String::new(),
            client_key: String::new(),
            cert_password: Secret::default(),
            reveal_cert_password: false,
            error: None,
        }
    }
}

impl FetchSetup {
    /// The ad-hoc setting the last run left; a device from the inventory is picked anew.
    pub fn from_remembered(setting: &FetchSetting) -> Self {
        Self {
            mac: setting.mac.clone(),
            username: setting.username.clone(),
            model: resolve_model(&setting.model).unwrap_or_else(|_| default_model()),
            url: setting.url.clone(),
            accept_invalid_certs: setting.accept_invalid_certs,
            ca_file: setting.ca_file.clone(),
            client_cert: setting.client_cert.clone(),
            client_key: setting.client_key.clone(),
            ..Self::default()
        }
    }

    /// The ad-hoc setting without its secrets: no password field, and a URL only when it
    /// carries no `user:pass@`.
    pub fn remembered(&self) -> FetchSetting {
        FetchSetting {
            url: if has_url_password(&self.url) {
                String::new()
            } else {
                self.url.clone()
            },
            model: self.model.name.to_string(),
            mac: self.mac.clone(),
            username: self.username.clone(),
            accept_invalid_certs: self.accept_invalid_certs,
            ca_file: self.ca_file.clone(),
            client_cert: self.client_cert.clone(),
            client_key: self.client_key.clone(),
        }
    }

    /// Fetch as this inventory device: its URL (masked if it holds a password) and model.
    pub fn choose_device(&mut self, device: Device) {
        self.source = Source::Inventory;
        self.url = device.effective_url().unwrap_or_default().to_string();
        self.reveal_url = !has_url_password(&self.url);
        self.model = device.model_spec().unwrap_or_else(default_model);
        self.device = Some(Box::new(device));
        self.error = None;
    }

    /// The device picker's matches for the query it sent last.
    pub fn found(&mut self, found: Found) {
        self.picker.found(found);
    }

    /// The fetch the fields describe, checked by the core's planning (URL, placeholders,
    /// credentials in the URL) without any I/O.
    pub fn spec(&self) -> Result<(FetchSpec, Option<Mac>), String> {
        let url = self.url.trim();
        if url.is_empty() {
            return Err(match self.source {
                Source::Inventory if self.device.is_some() => {
                    "This device has no provisioning URL, and its site has none either: enter the URL to fetch.".to_string()
                }
                _ => "Enter the provisioning URL to fetch, e.g. https://prov.example.com/%MACD.xml.".to_string(),
            });
        }
        let (mut spec, device) = match self.source {
            Source::Inventory => {
                let Some(device) = &self.device else {
                    return Err(
                        "Choose a device from the inventory, or switch to Ad hoc.".to_string()
                    );
                };
                // The URL and model fields may differ from the stored ones: they win.
                let mut chosen = device.as_ref().clone();
                chosen.url = Some(url.to_string());
                chosen.model = Some(self.model.name.to_string());
                let spec = FetchSpec::for_device(&chosen).map_err(|e| e.to_string())?;
                (spec, Some(device.mac))
            }
            Source::AdHoc => (self.ad_hoc(url)?, None),
        };
        spec.model = self.model;
        spec.tls.accept_invalid_certs = self.accept_invalid_certs;
        spec.tls.ca_file = given(&self.ca_file).map(PathBuf::from);
        spec.tls.client_identity = given(&self.client_cert).map(|cert| {
            if ClientIdentity::is_pkcs12(Path::new(cert)) {
                ClientIdentity::Pkcs12 {
                    path: cert.into(),
                    password: self.cert_password.clone(),
                }
            } else {
                ClientIdentity::Pem {
                    cert: cert.into(),
                    key: given(&self.client_key).unwrap_or(cert).into(),
                }
            }
        });
        spec.plan().map_err(|e| e.to_string())?;
        Ok((spec, device))
    }

    fn ad_hoc(&self, url: &str) -> Result<FetchSpec, String> {
        let mut spec = FetchSpec::ad_hoc(url, self.model);
        if let Some(mac) = given(&self.mac) {
            spec.mac = Some(Mac::parse(mac).map_err(|e| format!("MAC: {e}"))?);
        }
        if !self.mac_password.is_empty() {
            if spec.mac.is_none() {
                return Err(
                    "A MAC password needs the MAC it belongs to: enter the MAC too.".to_string(),
                );
            }
            spec.mac_password = Some(self.mac_password.clone());
        }
        match given(&self.username) {
            Some(user) => {
                spec.configured = Some(Credentials {
                    username: user.to_string(),
                    password: self.password.clone(),
                });
            }
            None if !self.password.is_empty() => {
                return Err("Enter the user name that goes with the password.".to_string());
            }
            None => {}
        }
        Ok(spec)
    }

    /// The setup form. `running` disables Start and enables Cancel.
    pub fn ui(&mut self, ui: &mut egui::Ui, worker: &Worker, running: bool) -> SetupAction {
        let mut action = SetupAction::None;
        let mut start = false;
        ui.heading("Test fetch");
        ui.label(
            RichText::new("Fetch a provisioning URL as the device would and see each digest step.")
                .weak(),
        );
        ui.add_space(8.0);
        ui.add_enabled_ui(!running, |ui| {
            ui.horizontal(|ui| {
                let before = self.source;
                ui.selectable_value(&mut self.source, Source::Inventory, "Inventory device");
                ui.selectable_value(&mut self.source, Source::AdHoc, "Ad hoc");
                if self.source != before {
                    self.error = None;
                    // Asked again each time: devices may have been added meanwhile.
                    if self.source == Source::Inventory && self.device.is_none() {
                        self.picker.search(worker);
                    }
                }
            });
            ui.add_space(4.0);
            match self.source {
                Source::Inventory => self.device_picker(ui, worker),
                Source::AdHoc => self.ad_hoc_fields(ui),
            }
            self.model_field(ui);
            start |= self.url_field(ui);
            self.tls_fields(ui);
        });
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let start_button = ui
                .add_enabled(
                    !running,
                    egui::Button::new(RichText::new("▶ Start").strong()),
                )
                .on_hover_text("Start the test fetch (Enter in the URL field)");
            start |= start_button.clicked();
            if ui
                .add_enabled(running, egui::Button::new("Cancel"))
                .on_hover_text("Stop the running fetch (Esc)")
                .clicked()
            {
                action = SetupAction::Cancel;
            }
        });
        if start && !running {
            match self.spec() {
                Ok((spec, device)) => {
                    self.error = None;
                    action = SetupAction::Start(Box::new(spec), device);
                }
                Err(error) => self.error = Some(error),
            }
        }
        if let Some(error) = &self.error {
            ui.add(egui::Label::new(RichText::new(error).color(signal(ui.visuals()).error)).wrap());
        }
        action
    }

    fn device_picker(&mut self, ui: &mut egui::Ui, worker: &Worker) {
        if let Some(device) = &self.device {
            let mut change = false;
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal(|ui| {
                    ui.label(RichText::new(device.mac.macd()).monospace().strong());
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        change = ui
                            .small_button("Change")
                            .on_hover_text("Pick another device")
                            .clicked();
                    });
                });
                let mut facts = Vec::new();
                if let Some(model) = &device.model {
                    facts.push(model.clone());
                }
                if let Some(site) = &device.site {
                    facts.push(format!("site {site}"));
                }
                if !facts.is_empty() {
                    ui.label(RichText::new(facts.join(" · ")).weak());
                }
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

    fn ad_hoc_fields(&mut self, ui: &mut egui::Ui) {
        text_field(ui, "MAC", &mut self.mac, "7C:2F:80:82:0E:C0");
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

    fn model_field(&mut self, ui: &mut egui::Ui) {
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

    /// The URL, masked while it carries a stored password. True when Enter was pressed in it.
    fn url_field(&mut self, ui: &mut egui::Ui) -> bool {
        let label = ui.label("Provisioning URL");
        if !self.reveal_url {
            // The device form's masked row has a fixed width; here it takes the panel's.
            let row = egui::vec2(ui.available_width(), ui.spacing().interact_size.y);
            ui.allocate_ui_with_layout(
                row,
                egui::Layout::right_to_left(egui::Align::Center),
                |ui| {
                    self.reveal_url = ui
                        .small_button("Show")
                        .on_hover_text("Show and edit the URL with its password")
                        .clicked();
                    let mut masked = mask_url_password(&self.url);
                    ui.add_enabled(
                        false,
                        egui::TextEdit::singleline(&mut masked).desired_width(ui.available_width()),
                    )
                    .labelled_by(label.id);
                },
            );
            return false;
        }
        let response = ui
            .add(
                egui::TextEdit::singleline(&mut self.url)
                    .hint_text("https://prov.example.com/%MACD.xml")
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id)
            .on_hover_text("%MACD, %MACC and %DVID are filled in as the device does");
        if response.changed() {
            self.error = None;
        }
        response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter))
    }

    fn tls_fields(&mut self, ui: &mut egui::Ui) {
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

/// A trimmed field's text, or `None` when empty.
fn given(text: &str) -> Option<&str> {
    Some(text.trim()).filter(|t| !t.is_empty())
}
