//! The Serve panel: the laptop as the phones' provisioning server. Pick where to listen, start,
//! give phones the URL it shows, and watch every phone's requests with the reason for each
//! answer and, per phone, what its requests say together.

mod add_phone;
mod advanced;
mod controls;
mod coverage;
pub mod events;
mod job;
mod listen;
mod listening;
mod log;
mod rollout;
mod targets;

use std::collections::{BTreeSet, VecDeque};
use std::net::SocketAddr;

use egui::RichText;

use crate::secret::Secret;

use crate::serve::{ListenChoice, PhoneBook, ServeEvent, listen_choices};
use crate::ui::remember::ServeSetting;
use crate::ui::widgets::answers::Picked;
use crate::ui::widgets::banner;
use crate::ui::widgets::status::StatusLine;
use crate::ui::worker::Worker;
use add_phone::AddPhoneForm;
use advanced::Advanced;
use coverage::Coverage;
use events::ServePanelEvent;
pub use job::Chosen;
use job::ServeHandle;
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
    /// Site only, lock-out, nonce lifetime, JSON log.
    advanced: Advanced,
    /// What Start applied of [`Advanced`], said under the URL while serving.
    applied: Option<String>,
    /// *Only phones with problems*.
    only_problems: bool,
    /// *Add to inventory* asking for a phone's site and model.
    adding: Option<AddPhoneForm>,
    /// The phones added since they asked, by MAC.
    added: BTreeSet<String>,
    /// The frame the panel was last drawn in: a gap means it was switched to, and it then
    /// opens at its top, where Start and Stop are.
    drawn_at: Option<u64>,
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
    /// The panel as it was left: where it listened, port, realm, HTTPS, Basic and the
    /// *Advanced* settings.
    pub fn new(setting: ServeSetting) -> Self {
        let choices = listen_choices();
        let advanced = Advanced::new(&setting);
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
            advanced,
            applied: None,
            only_problems: false,
            adding: None,
            added: BTreeSet::new(),
            drawn_at: None,
        }
    }

    /// What the next run starts with.
    pub fn remembered(&self) -> ServeSetting {
        let mut setting = ServeSetting {
            listen: listen::kind_of(self.choices.get(self.choice)),
            port: self.port.clone(),
            realm: self.realm.clone(),
            https: self.https,
            basic: self.basic,
            ..ServeSetting::default()
        };
        self.advanced.remember(&mut setting);
        setting
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

    /// Another process changed the inventory: the rollout's progress (and an open Enforce…
    /// question) is read again, since the CLI may have started, moved or ended a rollout.
    pub fn changed_elsewhere(&mut self, worker: &Worker) {
        job::load_rollout(worker);
        self.rollout.enforce_changed_elsewhere(worker);
    }

    pub fn on_event(&mut self, event: ServePanelEvent, worker: &Worker, status: &mut StatusLine) {
        match event {
            ServePanelEvent::Started { addr, url_pattern } => {
                self.started(addr, url_pattern, worker, status);
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
                self.adding = None;
                self.added.insert(mac.clone());
                status.info(format!(
                    "Added {mac} to the inventory; its next request gets a challenge instead of 404"
                ));
            }
            ServePanelEvent::Added(Err(error)) => {
                let error = format!("Could not add the phone: {error}");
                match self.adding.as_mut() {
                    Some(form) => {
                        form.adding = false;
                        form.error = Some(error);
                    }
                    None => self.error = Some(error),
                }
            }
            ServePanelEvent::LogFailed(error) => {
                self.error = Some(format!("Serving goes on without the JSON log: {error}"));
            }
            ServePanelEvent::LogFile(Picked::Paths(paths)) => {
                if let Some(path) = paths.first() {
                    self.advanced.log_json = path.display().to_string();
                }
            }
            ServePanelEvent::LogFile(Picked::NoDialog) => {
                self.error = Some(
                    "No file dialog could be shown: type the JSON log's path in its field.".into(),
                );
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
            event @ (ServePanelEvent::RolloutPlanned(_)
            | ServePanelEvent::Rollout(_)
            | ServePanelEvent::EnforceFacts(_)) => self.rollout_read(event),
            ServePanelEvent::Stopped { error } => {
                self.handle = None;
                self.listening = None;
                self.fingerprint = None;
                self.applied = None;
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

    /// What the inventory said of the rollout: a plan asked about, the progress, or the facts
    /// for the Enforce… question.
    fn rollout_read(&mut self, event: ServePanelEvent) {
        match event {
            ServePanelEvent::RolloutPlanned(plan) => self.rollout.on_plan(plan),
            ServePanelEvent::Rollout(Ok((progress, directions))) => {
                self.rollout.took_progress(progress);
                self.phones.set_rollouts(directions);
            }
            ServePanelEvent::EnforceFacts(Ok((progress, pending))) => {
                self.rollout.took_enforce_facts(progress, pending);
            }
            ServePanelEvent::EnforceFacts(Err(error)) => {
                self.rollout.enforce_failed();
                self.error = Some(format!("Could not read the rollout's progress: {error}"));
            }
            ServePanelEvent::Rollout(Err(error)) => {
                self.error = Some(format!("Could not read the rollout's progress: {error}"));
            }
            _ => {}
        }
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        worker: &Worker,
        context: &ServeContext<'_>,
    ) -> Option<ServeRequest> {
        let mut request = None;
        let frame = ui.ctx().cumulative_frame_nr();
        let switched_to = self.drawn_at.is_none_or(|at| at + 1 < frame);
        self.drawn_at = Some(frame);
        egui::CentralPanel::default().show(ui, |ui| {
            // A short window scrolls the panel; the request log keeps a readable height.
            let mut area = egui::ScrollArea::vertical()
                .id_salt("serve_panel_scroll")
                .auto_shrink([false, false]);
            if switched_to {
                area = area.vertical_scroll_offset(0.0);
            }
            area.show(ui, |ui| request = self.sections(ui, worker, context));
        });
        self.add_phone_dialog(ui, worker, context);
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
        self.controls(ui, worker, context.sites);
        ui.add_space(6.0);
        let request = self.status_block(ui, worker, context);
        ui.add_space(6.0);
        self.rollout.ask_progress(worker);
        egui::CollapsingHeader::new("Credential rollout")
            .id_salt("serve_rollout_section")
            .open(std::mem::take(&mut self.rollout.open_now).then_some(true))
            .show(ui, |ui| self.rollout.ui(ui, worker, context));
        ui.add_space(8.0);
        let asked = log::phones_table(
            ui,
            &self.phones,
            &mut self.selected,
            &mut self.only_problems,
            &self.added,
        );
        if let Some(phone) = asked {
            let site = self.coverage.site();
            self.adding = Some(AddPhoneForm::new(phone.device, phone.model, site));
        }
        ui.add_space(8.0);
        let selected = self
            .selected
            .as_deref()
            .and_then(|device| self.phones.phones().find(|phone| phone.device == device));
        log::requests(ui, &self.log, selected);
        request
    }

    /// *Add to inventory*'s question, while it is open.
    fn add_phone_dialog(&mut self, ui: &egui::Ui, worker: &Worker, context: &ServeContext<'_>) {
        let Some(form) = self.adding.as_mut() else {
            return;
        };
        match form.ui(ui, context.sites) {
            Some(Some(phone)) => job::add_phone(worker, phone),
            Some(None) => self.adding = None,
            None => {}
        }
    }
}
