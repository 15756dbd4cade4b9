//! The Serve panel: the laptop as the phones' provisioning server. Pick where to listen, start,
//! give phones the URL it shows, and watch every phone's requests with the reason for each
//! answer and, per phone, what its requests say together.

mod coverage;
pub mod events;
mod job;
mod listen;
mod listening;
mod log;
mod rollout;
mod targets;

use std::collections::VecDeque;
use std::net::SocketAddr;

use egui::RichText;

use crate::secret::Secret;

use crate::serve::{
    ListenChoice, PhoneBook, ServeConfig, ServeEvent, TlsIdentity, TlsSource, listen_choices,
};
use crate::ui::remember::ServeSetting;
use crate::ui::widgets::banner;
use crate::ui::widgets::status::StatusLine;
use crate::ui::worker::Worker;
use coverage::Coverage;
use events::ServePanelEvent;
pub use job::Chosen;
use job::{ServeHandle, start_serving};
use rollout::RolloutSection;
use targets::Pick;
pub use targets::ServeContext;

/// Requests kept for the log; older ones scroll away.
const LOG_LINES: usize = 2000;

pub struct ServePanel {
    choices: Vec<ListenChoice>,
    choice: usize,
    port: String,
    realm: String,
    /// Serve HTTPS with the self-signed certificate kept beside the inventory.
    https: bool,
    /// Take HTTP Basic from models that accept it.
    basic: bool,
    /// The certificate's SHA-256 fingerprint while serving HTTPS.
    fingerprint: Option<String>,
    handle: Option<ServeHandle>,
    /// Listening address and the URL to give phones, once started.
    listening: Option<(SocketAddr, String)>,
    phones: PhoneBook,
    log: VecDeque<ServeEvent>,
    /// The phone whose requests the log shows; all when `None`.
    selected: Option<String>,
    error: Option<String>,
    /// Who *Use this URL* is for.
    url_pick: Pick,
    /// *Use this URL* clicked, waiting for the user to confirm.
    confirm_url: Option<Chosen>,
    rollout: RolloutSection,
    /// A phone asked since the Inventory last looked (its *Last seen* changed).
    seen_since_reload: bool,
    /// While serving: the devices no phone can get its file for, as of the last change.
    coverage: Coverage,
}

/// What the panel asks of the app, which knows the other panels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServeRequest {
    /// Pick these devices (the selected ones, or a site's) in the Redirect panel, to register
    /// them with the URL they now have.
    Register(Chosen),
}

impl Default for ServePanel {
    fn default() -> Self {
        Self::new(ServeSetting::default())
    }
}

impl ServePanel {
    /// The panel as it was left: where it listened, port, realm, HTTPS and Basic.
    pub fn new(setting: ServeSetting) -> Self {
        let choices = listen_choices();
        Self {
            choice: listen::choice_for(setting.listen, &choices),
            choices,
            port: setting.port,
            realm: setting.realm,
            https: setting.https,
            basic: setting.basic,
            fingerprint: None,
            handle: None,
            listening: None,
            phones: PhoneBook::default(),
            log: VecDeque::new(),
            selected: None,
            error: None,
            url_pick: Pick::default(),
            confirm_url: None,
            rollout: RolloutSection::default(),
            seen_since_reload: false,
            coverage: Coverage::default(),
        }
    }

    /// What the next run starts with.
    pub fn remembered(&self) -> ServeSetting {
        ServeSetting {
            listen: listen::kind_of(self.choices.get(self.choice)),
            port: self.port.clone(),
            realm: self.realm.clone(),
            https: self.https,
            basic: self.basic,
        }
    }
}

impl ServePanel {
    /// The realm Serve announces (or would): what files rendered for a web server should use,
    /// so phones answer both alike. The shared default while the field is empty.
    pub fn realm(&self) -> &str {
        match self.realm.trim() {
            "" => crate::serve::DEFAULT_REALM,
            realm => realm,
        }
    }

    /// Where the panel serves phones, while it does.
    pub fn serving(&self) -> Option<SocketAddr> {
        self.listening.as_ref().map(|(addr, _)| *addr)
    }

    /// Whether a phone asked since the last call: the Inventory's *Last seen* and *Firmware*
    /// columns are then worth reading again.
    pub fn take_seen(&mut self) -> bool {
        std::mem::take(&mut self.seen_since_reload)
    }

    /// Opens the rollout form filled for site number `site` of the sites shown (Settings' *Start
    /// a rollout instead*).
    pub fn prepare_rollout(&mut self, site: usize, user: String, password: Secret) {
        self.rollout.prepare(site, user, password);
    }

    /// The inventory or a template changed: while serving, which devices no phone can get its
    /// file for is found again.
    pub fn devices_changed(&mut self, worker: &Worker) {
        if self.listening.is_some() {
            self.coverage.ask(worker);
        }
    }

    pub fn on_event(&mut self, event: ServePanelEvent, worker: &Worker, status: &mut StatusLine) {
        match event {
            ServePanelEvent::Started { addr, url_pattern } => {
                status.info(format!("Serving the inventory on {addr}"));
                self.listening = Some((addr, url_pattern));
                job::load_rollout(worker);
                self.coverage.ask(worker);
            }
            ServePanelEvent::Coverage(Ok(gaps)) => self.coverage.credentials_checked(&gaps),
            ServePanelEvent::Coverage(Err(error)) => {
                self.error = Some(format!("Could not check the devices' credentials: {error}"));
            }
            ServePanelEvent::FilesTried {
                check,
                failures: Ok(failures),
            } => self.coverage.files_tried(check, &failures),
            ServePanelEvent::FilesTried {
                failures: Err(error),
                ..
            } => {
                self.error = Some(format!("Could not try the devices' files: {error}"));
            }
            ServePanelEvent::Request(event) => {
                self.seen_since_reload |= event.device.is_some();
                if matches!(event.verdict, crate::serve::Verdict::Served { .. })
                    && !self.rollout.progress.is_empty()
                {
                    job::load_rollout(worker);
                }
                self.phones.record(&event);
                if self.log.len() == LOG_LINES {
                    self.log.pop_front();
                }
                self.log.push_back(*event);
            }
            ServePanelEvent::Added(Ok(mac)) => {
                status.info(format!(
                    "Added {mac} to the inventory; its next request gets a challenge instead of 404"
                ));
            }
            ServePanelEvent::Added(Err(error)) => {
                self.error = Some(format!("Could not add the phone: {error}"));
            }
            ServePanelEvent::UrlUsed(Ok(done)) | ServePanelEvent::RolloutChanged(Ok(done)) => {
                status.info(done);
                job::load_rollout(worker);
            }
            ServePanelEvent::UrlUsed(Err(error)) => {
                self.error = Some(format!("Could not give the URL: {error}"));
            }
            ServePanelEvent::RolloutChanged(Err(error)) => {
                self.error = Some(format!("Rollout: {error}"));
            }
            ServePanelEvent::RolloutPlanned(plan) => self.rollout.on_plan(plan),
            ServePanelEvent::Rollout(Ok(progress)) => self.rollout.progress = progress,
            ServePanelEvent::Rollout(Err(error)) => {
                self.error = Some(format!("Could not read the rollout's progress: {error}"));
            }
            ServePanelEvent::Stopped { error } => {
                self.handle = None;
                self.listening = None;
                self.fingerprint = None;
                self.coverage.clear();
                if let Some(error) = error {
                    status.error(format!("Could not serve: {error}"));
                    self.error = Some(format!("Could not serve: {error}"));
                } else {
                    status.info("Stopped serving");
                }
            }
        }
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        worker: &Worker,
        context: &ServeContext<'_>,
    ) -> Option<ServeRequest> {
        let mut request = None;
        egui::CentralPanel::default().show(ui, |ui| {
            // A short window scrolls the panel; the request log keeps a readable height.
            egui::ScrollArea::vertical()
                .id_salt("serve_panel_scroll")
                .auto_shrink([false, false])
                .show(ui, |ui| request = self.sections(ui, worker, context));
        });
        request
    }

    fn sections(
        &mut self,
        ui: &mut egui::Ui,
        worker: &Worker,
        context: &ServeContext<'_>,
    ) -> Option<ServeRequest> {
        ui.heading("Serve the phones");
        ui.label(
            RichText::new(
                "The laptop as the provisioning server: each device gets its file, rendered now, behind digest with its own credentials.",
            )
            .weak(),
        );
        banner::error(ui, &mut self.error);
        ui.add_space(6.0);
        self.controls(ui, worker);
        ui.add_space(6.0);
        let request = self.status_block(ui, worker, context);
        ui.add_space(6.0);
        self.rollout.ask_progress(worker);
        egui::CollapsingHeader::new("Credential rollout")
            .id_salt("serve_rollout_section")
            .default_open(!self.rollout.progress.is_empty())
            .open(std::mem::take(&mut self.rollout.open_now).then_some(true))
            .show(ui, |ui| self.rollout.ui(ui, worker, context));
        ui.add_space(8.0);
        if let Some(phone) = log::phones_table(ui, &self.phones, &mut self.selected) {
            job::add_phone(worker, phone);
        }
        ui.add_space(8.0);
        log::requests(ui, &self.log, self.selected.as_deref());
        request
    }

    /// Start or Stop first, where a narrow window cannot push it out of sight; the settings
    /// after it wrap, each label kept with its field.
    fn controls(&mut self, ui: &mut egui::Ui, worker: &Worker) {
        let running = self.handle.is_some();
        ui.horizontal_wrapped(|ui| {
            if running {
                if ui
                    .button("■ Stop")
                    .on_hover_text("Stop serving; phones asking now get no answer")
                    .clicked()
                    && let Some(handle) = self.handle.as_mut()
                {
                    handle.stop();
                }
            } else if ui
                .button(RichText::new("▶ Start").strong())
                .on_hover_text("Serve the inventory's devices on this address")
                .clicked()
            {
                self.start(worker);
            }
            ui.add_space(8.0);
            keep_together(ui, 370.0);
            let label = ui.label("Listen on");
            let selected = self
                .choices
                .get(self.choice)
                .map_or(String::new(), |c| c.label.clone());
            ui.add_enabled_ui(!running, |ui| {
                egui::ComboBox::from_id_salt("serve_address")
                    .selected_text(selected)
                    .width(300.0)
                    .show_ui(ui, |ui| {
                        for (index, choice) in self.choices.iter().enumerate() {
                            ui.selectable_value(&mut self.choice, index, &choice.label);
                        }
                    })
                    .response
                    .labelled_by(label.id);
            });
            keep_together(ui, 100.0);
            let label = ui.label("Port");
            let port = egui::TextEdit::singleline(&mut self.port).desired_width(60.0);
            ui.add_enabled(!running, port).labelled_by(label.id);
            keep_together(ui, 170.0);
            let label = ui.label("Realm");
            let realm = egui::TextEdit::singleline(&mut self.realm).desired_width(120.0);
            ui.add_enabled(!running, realm).labelled_by(label.id);
            ui.add_enabled(!running, egui::Checkbox::new(&mut self.https, "HTTPS"))
                .on_hover_text(
                    "A self-signed certificate made on first use and kept beside the inventory",
                );
            let basic = egui::Checkbox::new(&mut self.basic, "Basic where the model takes it");
            ui.add_enabled(!running, basic).on_hover_text(
                "Also take HTTP Basic from models that accept it (DE series). The password then travels in clear: use HTTPS, or a bench only",
            );
        });
    }

    fn start(&mut self, worker: &Worker) {
        let Ok(port) = self.port.trim().parse::<u16>() else {
            self.error = Some(format!(
                "Port \"{}\" is not a port number: give one from 1 to 65535, e.g. 8631.",
                self.port.trim()
            ));
            return;
        };
        let Some(choice) = self.choices.get(self.choice) else {
            return;
        };
        let realm = self.realm.trim();
        if realm.is_empty() {
            self.error = Some("Give the digest realm phones answer for, e.g. provdesk.".into());
            return;
        }
        self.error = None;
        let tls = if self.https {
            let source = TlsSource::beside_inventory(worker.db_path());
            match TlsIdentity::load(&source, &[choice.ip]) {
                Ok(identity) => Some(identity),
                Err(error) => {
                    self.error = Some(format!("Could not set up HTTPS: {error}"));
                    return;
                }
            }
        } else {
            None
        };
        self.fingerprint = tls.as_ref().map(|identity| identity.fingerprint.clone());
        let config = ServeConfig {
            realm: realm.to_string(),
            tls,
            basic: self.basic,
            ..ServeConfig::default()
        };
        self.handle = Some(start_serving(
            worker,
            SocketAddr::new(choice.ip, port),
            config,
        ));
    }
}

/// Ends the row unless `width` more fits on it, so a label does not end one row while its
/// field starts the next.
fn keep_together(ui: &mut egui::Ui, width: f32) {
    if ui.available_size_before_wrap().x < width {
        ui.end_row();
    }
}
