//! The test fetch's setup: which device (from the inventory, or typed in ad hoc), which model it
//! plays, the URL, and TLS. Turns the fields into a [`FetchSpec`] and checks it with the core's
//! own planning before anything is sent, so a mistake shows at once and starts no run.

use std::path::{Path, PathBuf};

use egui::RichText;

mod fields;

use crate::device::{Device, Mac, MaskedUrl, ModelSpec, default_model, resolve_model};
use crate::fetch::{ClientIdentity, Credentials, DEFAULT_TIMEOUT, FetchSpec, answer_timeout};
use crate::secret::Secret;
use crate::ui::fetch::events::FetchEvent;
use crate::ui::remember::FetchSetting;
use crate::ui::widgets::answers::Found;
use crate::ui::widgets::device_picker::{DevicePicker, Source};
use crate::ui::widgets::fields::has_url_password;
use crate::ui::widgets::style::signal;
use crate::ui::worker::Worker;

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
    /// The firmware the phone reports; empty for the catalogue's known one.
    firmware: String,
    /// The URL as the field shows it: a stored `user:pass@` masked until *Show*, and put back
    /// in where the mask still stands when the fetch starts.
    url: MaskedUrl,
    /// Seconds to wait for each answer; empty for the default.
    timeout: String,
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
            firmware: String::new(),
            url: MaskedUrl::default(),
            timeout: default_timeout(),
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
            firmware: setting.firmware.clone(),
            url: MaskedUrl::plain(setting.url.clone()),
            timeout: Some(setting.timeout.clone())
                .filter(|t| !t.trim().is_empty())
                .unwrap_or_else(default_timeout),
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
            // A masked URL is itself free of the password, but only stands for one: not kept.
            url: if self.url.is_masked() || has_url_password(self.url.text()) {
                String::new()
            } else {
                self.url.text().to_string()
            },
            timeout: self.timeout.trim().to_string(),
            model: self.model.name.to_string(),
            firmware: self.firmware.clone(),
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
        self.url = MaskedUrl::masked(device.effective_url().unwrap_or_default());
        self.model = device.model_spec().unwrap_or_else(default_model);
        self.device = Some(Box::new(device));
        self.error = None;
    }

    /// The inventory device picked, while the setup fetches as one.
    pub fn inventory_device(&self) -> Option<Device> {
        match self.source {
            Source::Inventory => self.device.as_deref().cloned(),
            Source::AdHoc => None,
        }
    }

    /// Ad hoc, filled from the picked device: its MAC, MAC password, digest user and password
    /// (its own, else its site's), so that one value can be changed and tried without
    /// retyping the rest. The model and URL fields are shared and stay; passwords stay masked.
    pub fn try_ad_hoc(&mut self) {
        let Some(device) = self.device.as_deref() else {
            return;
        };
        self.mac = device.mac.macc();
        self.mac_password = device.mac_password.clone().unwrap_or_default();
        self.username = device
            .effective_digest_username()
            .unwrap_or_default()
            .to_string();
        self.password = device
            .effective_digest_password()
            .cloned()
            .unwrap_or_default();
        self.reveal_mac_password = false;
        self.reveal_password = false;
        self.source = Source::AdHoc;
        self.error = None;
    }

    /// Asks for the picked device again, as the inventory holds it now.
    pub fn devices_changed(&self, worker: &Worker) {
        if let Some(mac) = self.device.as_ref().map(|d| d.mac) {
            worker.inventory_latest("fetch device reread", move |inventory, _| {
                let device = inventory.device_by_mac(mac).map_err(|e| e.to_string());
                FetchEvent::Reread(device.map(|found| found.map(Box::new)))
            });
        }
    }

    /// The picked device read again: its stored values replace the old copy; the URL and model
    /// fields follow only where the stored ones changed, so an edit made here stays.
    pub fn reread(&mut self, device: Box<Device>) {
        let Some(old) = self.device.as_deref().filter(|old| old.id == device.id) else {
            return;
        };
        if old.effective_url() != device.effective_url() {
            self.url = MaskedUrl::masked(device.effective_url().unwrap_or_default());
        }
        if old.model != device.model {
            self.model = device.model_spec().unwrap_or_else(default_model);
        }
        self.device = Some(device);
    }

    /// The device picker's matches for the query it sent last.
    pub fn found(&mut self, found: Found) {
        self.picker.found(found);
    }

    /// The fetch the fields describe, checked by the core's planning (URL, placeholders,
    /// credentials in the URL) without any I/O.
    pub fn spec(&self) -> Result<(FetchSpec, Option<Mac>), String> {
        let url = self.url.real().map_err(|e| sentence(&e.to_string()))?;
        let url = url.trim();
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
                let mut spec =
                    FetchSpec::for_device(&chosen).map_err(|e| sentence(&e.to_string()))?;
                // The model field stands in for a model the inventory lacks: said, as the CLI
                // says it, since every finding is then about that model's fetch.
                spec.model_assumed = device.model.is_none();
                (spec, Some(device.mac))
            }
            Source::AdHoc => (self.ad_hoc(url)?, None),
        };
        spec.model = self.model;
        spec.timeout = self.answer_timeout()?;
        spec.firmware = given(&self.firmware).map(str::to_string);
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
        spec.plan().map_err(|e| sentence(&e.to_string()))?;
        Ok((spec, device))
    }

    /// The timeout field as a duration: the default when empty, a decimal comma allowed.
    fn answer_timeout(&self) -> Result<std::time::Duration, String> {
        let text = self.timeout.trim();
        if text.is_empty() {
            return Ok(DEFAULT_TIMEOUT);
        }
        let seconds: f64 = text.replace(',', ".").parse().map_err(|_| {
            format!(
                "Timeout: \"{}\" is not a number of seconds; give e.g. {}.",
                crate::printable::printable(text, 20),
                default_timeout()
            )
        })?;
        answer_timeout(seconds).map_err(|e| format!("Timeout: {}", sentence(&e.to_string())))
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
            self.source_switch(ui, worker);
            ui.add_space(4.0);
            match self.source {
                Source::Inventory => self.device_picker(ui, worker),
                Source::AdHoc => self.ad_hoc_fields(ui),
            }
            self.model_field(ui);
            self.firmware_field(ui);
            start |= self.url_field(ui);
            start |= self.timeout_field(ui);
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
}

/// The core's error, worded for a command line's "error: …", as a sentence in the panel.
fn sentence(error: &str) -> String {
    let mut chars = error.chars();
    let mut text: String = chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    if !text.ends_with(['.', '!', '?']) {
        text.push('.');
    }
    text
}

/// The timeout field's first value: the CLI's `--timeout` default.
fn default_timeout() -> String {
    DEFAULT_TIMEOUT.as_secs().to_string()
}

/// A trimmed field's text, or `None` when empty.
fn given(text: &str) -> Option<&str> {
    Some(text.trim()).filter(|t| !t.is_empty())
}
