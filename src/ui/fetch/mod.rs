//! The Test fetch panel: the setup on the left; on the right the diagnosis banner, the live
//! sequence of requests and responses, and the detail of the selected step. The fetch runs on
//! the worker; its events arrive tagged with the run's number, so a cancelled run's stragglers
//! are dropped.

mod detail;
mod dialogs;
pub mod events;
mod fixes;
mod job;
mod results;
mod sequence;
mod setup;
mod verdict;

use crate::device::{Device, Mac};
use crate::fetch::{Event as Exchange, ExportOptions, FetchSpec, FixRoutes, OwnServe, Transcript};
use crate::ops::fetch::{CredentialOffer, FetchFile};
use crate::secret::Secret;
use crate::ui::remember::FetchSetting;
use crate::ui::widgets::answers::Picked;
use crate::ui::widgets::form_panel::form_panel;
use crate::ui::widgets::status::StatusLine;
use crate::ui::worker::Worker;
use events::FetchEvent;
use job::FetchHandle;
use sequence::Arrow;
use setup::{FetchSetup, SetupAction};

#[derive(Debug, Clone, PartialEq, Eq)]
enum RunState {
    Running,
    Finished,
    Cancelled,
    /// The fetch could not start (TLS files, …): why.
    Failed(String),
}

/// One fetch: what it is about and what came back so far.
struct Run {
    id: u64,
    transcript: Transcript,
    state: RunState,
    handle: Option<FetchHandle>,
    server_label: String,
    model: &'static str,
    /// The TLS options it ran with, for *Copy as curl*.
    tls: crate::fetch::TlsOptions,
    /// How long the device keeps its prompt for credentials open.
    prompt_open: std::time::Duration,
    /// When (egui's clock) the request now awaited was first drawn waiting, for the elapsed
    /// time beside it: the step and the time.
    waiting_since: Option<(usize, f64)>,
    selected: Option<Arrow>,
    /// Keep selecting the newest arrow until the user picks one.
    follow: bool,
    /// Scroll the selection into view on the next frame.
    reveal_selection: bool,
    /// The arrow the detail pane was scrolled for.
    detail_shows: Option<Arrow>,
    reveal_secrets: bool,
    /// The inventory device fetched as; `None` for an ad hoc fetch.
    device: Option<Box<Device>>,
    /// Where the banner leads to the fix, once the fetch of an inventory device ended.
    routes: FixRoutes,
    /// Credentials this ad hoc fetch proved that an inventory device does not hold yet.
    offer: Option<CredentialOffer>,
}

/// Where the user asked to go from the banner: the app opens that panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchHandoff {
    /// The device's form in the Inventory.
    EditDevice(i64),
    /// The site's defaults in Settings › Sites.
    EditSite(String),
}

/// The device's prompt for credentials, as the panel's modal.
struct ManualPrompt {
    attempt_no: u8,
    tries: u8,
    username: String,
    password: Secret,
    reveal: bool,
    focus: bool,
    /// When the dialog first showed (egui's clock): the countdown runs from there.
    opened_at: Option<f64>,
    /// The device's time ran out before an answer: its prompt is closed and its fetch ends.
    closed: bool,
}

/// Where a HAR or JSON file goes.
struct SaveDialog {
    file: FetchFile,
    path: String,
    no_file_dialog: bool,
    /// Bodies (HAR) and secrets in the clear: both off unless ticked.
    options: ExportOptions,
}

#[derive(Default)]
pub struct FetchPanel {
    setup: FetchSetup,
    run: Option<Run>,
    last_run_id: u64,
    manual: Option<ManualPrompt>,
    save: Option<SaveDialog>,
    /// The last failure of saving or recording a fetch.
    error: Option<String>,
    /// The credentials the user asked to keep, held for the confirmation.
    keep: Option<CredentialOffer>,
    handoff: Option<FetchHandoff>,
    /// provdesk's own Serve while it runs, from the app: a 500 it gave is explained by its log.
    own_serve: Option<OwnServe>,
}

impl FetchPanel {
    /// A panel set up as the last run left it.
    pub fn new(setting: FetchSetting) -> Self {
        Self {
            setup: FetchSetup::from_remembered(&setting),
            ..Self::default()
        }
    }

    /// The setting to remember for the next run, without secrets.
    pub fn remembered(&self) -> FetchSetting {
        self.setup.remembered()
    }

    /// The Serve panel's listener and its log's word on the fetched phone, each frame.
    pub fn serve_running(&mut self, own: Option<OwnServe>) {
        self.own_serve = own;
    }

    /// The MAC (without colons) the shown fetch played, for the Serve panel's log.
    pub fn fetched_mac(&self) -> Option<&str> {
        self.run.as_ref()?.transcript.setting.mac.as_deref()
    }

    pub fn running(&self) -> bool {
        self.run
            .as_ref()
            .is_some_and(|r| r.state == RunState::Running)
    }

    /// The inventory's devices changed: the picked device is read again, so that a fetch
    /// after *Edit device…* uses what the form saved.
    pub fn devices_changed(&self, worker: &Worker) {
        self.setup.devices_changed(worker);
    }

    /// From the inventory's row menu: fetch as this device now.
    pub fn start_for_device(&mut self, device: Device, worker: &Worker, status: &mut StatusLine) {
        if self.running() {
            status.error("A test fetch is running: cancel it first (Esc).");
            return;
        }
        self.setup.choose_device(device);
        match self.setup.spec() {
            Ok((spec, mac)) => self.start(spec, mac, worker, status),
            Err(error) => self.setup.error = Some(error),
        }
    }

    fn start(
        &mut self,
        spec: FetchSpec,
        device: Option<Mac>,
        worker: &Worker,
        status: &mut StatusLine,
    ) {
        self.last_run_id += 1;
        let id = self.last_run_id;
        let server_label = spec
            .plan()
            .map(|plan| {
                let url = plan.url;
                format!(
                    "{}:{}",
                    url.host_str().unwrap_or("?"),
                    url.port_or_known_default().unwrap_or(0)
                )
            })
            .unwrap_or_default();
        let model = spec.model.name;
        let tls = spec.tls.clone();
        let prompt_open = spec.model.manual_entry.idle_timeout();
        let fetched_as = device.and(self.setup.inventory_device()).map(Box::new);
        let handle = job::start(worker, id, spec, device);
        status.info(format!("Test fetch of {server_label} as {model}…"));
        self.manual = None;
        self.run = Some(Run {
            id,
            transcript: Transcript::default(),
            state: RunState::Running,
            handle: Some(handle),
            server_label,
            model,
            tls,
            prompt_open,
            waiting_since: None,
            selected: None,
            follow: true,
            reveal_selection: false,
            detail_shows: None,
            reveal_secrets: false,
            device: fetched_as,
            routes: FixRoutes::default(),
            offer: None,
        });
    }

    /// The fetch the setup describes, again: after the device closed its prompt.
    fn start_again(&mut self, worker: &Worker, status: &mut StatusLine) {
        self.cancel(status);
        match self.setup.spec() {
            Ok((spec, mac)) => self.start(spec, mac, worker, status),
            Err(error) => self.setup.error = Some(error),
        }
    }

    fn cancel(&mut self, status: &mut StatusLine) {
        let Some(run) = self.run.as_mut().filter(|r| r.state == RunState::Running) else {
            return;
        };
        if let Some(handle) = run.handle.take() {
            handle.cancel();
        }
        run.state = RunState::Cancelled;
        self.manual = None;
        status.info("Test fetch cancelled.");
    }

    /// Takes the worker's answers that concern the test fetch.
    pub fn on_event(&mut self, event: FetchEvent, status: &mut StatusLine) {
        match event {
            FetchEvent::Live { run, event } => self.on_fetch_event(run, &event, status),
            FetchEvent::Ended { run, error } => self.ended(run, error, status),
            // The app refreshes the inventory, whose "Last fetch" column shows it.
            FetchEvent::Recorded(_) => {}
            FetchEvent::Offer { run, offer } => self.offered(run, offer),
            FetchEvent::Kept(mac) => self.kept(mac, status),
            FetchEvent::Found(found) => self.setup.found(found),
            FetchEvent::Reread(Ok(Some(device))) => self.setup.reread(device),
            FetchEvent::Reread(Ok(None)) => {}
            FetchEvent::Reread(Err(error)) => {
                self.error = Some(format!("Could not read the device again: {error}"));
            }
            FetchEvent::SavePath(file, picked) => {
                if let Some(save) = self.save.as_mut().filter(|s| s.file == file) {
                    match picked {
                        Picked::Paths(paths) => {
                            if let Some(path) = paths.first() {
                                save.path = path.display().to_string();
                            }
                        }
                        Picked::NoDialog => save.no_file_dialog = true,
                    }
                }
            }
            FetchEvent::Saved { path, file } => {
                status.info(format!("Saved the {} file {}", file.name(), path.display()));
            }
            FetchEvent::Failed { action, error } => {
                self.error = Some(format!("Could not {action}: {error}"));
                status.error(format!("Could not {action}: {error}"));
            }
        }
    }

    fn ended(&mut self, run: u64, error: Option<String>, status: &mut StatusLine) {
        let Some(current) = self
            .run
            .as_mut()
            .filter(|r| r.id == run && r.state == RunState::Running)
        else {
            return;
        };
        current.handle = None;
        // Unanswered, the prompt ended with the fetch because the device's time ran out: the
        // dialog says so and offers to start again, where it used to vanish.
        match self.manual.as_mut() {
            Some(prompt) if error.is_none() => prompt.closed = true,
            _ => self.manual = None,
        }
        match error {
            Some(error) => {
                status.error(format!("The test fetch could not start: {error}"));
                current.state = RunState::Failed(error);
            }
            None => {
                current.state = RunState::Finished;
                current.find_routes(self.own_serve.as_ref());
                if let Some(main) = current.transcript.diagnosis().first() {
                    let said = format!(
                        "Test fetch finished: {} [{}]",
                        main.title,
                        main.code.as_str()
                    );
                    // A failed test is an error of its panel: kept in sight, marked red, when
                    // it ends while the installer is elsewhere.
                    if main.severity == crate::fetch::Severity::Error {
                        status.error(said);
                    } else {
                        status.info(said);
                    }
                }
            }
        }
    }

    fn on_fetch_event(&mut self, id: u64, event: &Exchange, status: &mut StatusLine) {
        let Some(run) = self
            .run
            .as_mut()
            .filter(|r| r.id == id && r.state == RunState::Running)
        else {
            return;
        };
        run.transcript.apply(event);
        if let Exchange::ManualEntry { attempt_no, tries } = event {
            // Said in the status bar too, for a user on another panel (the device waits 60 s).
            status.info(format!(
                "The {} asks for credentials on its display: answer in Test fetch (Ctrl+5).",
                run.model
            ));
            self.manual = Some(ManualPrompt {
                attempt_no: *attempt_no,
                tries: *tries,
                username: String::new(),
                password: Secret::default(),
                reveal: false,
                focus: true,
                opened_at: None,
                closed: false,
            });
        }
        if run.follow {
            run.selected = sequence::arrows(&run.transcript).last().copied();
            run.reveal_selection = true;
        }
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, worker: &Worker, status: &mut StatusLine) {
        self.shortcuts(ui, status);
        let running = self.running();
        let mut action = SetupAction::None;
        form_panel(ui, "fetch_setup", 300.0, |ui| {
            action = self.setup.ui(ui, worker, running);
        });
        match action {
            SetupAction::Start(spec, device) => self.start(*spec, device, worker, status),
            SetupAction::Cancel => self.cancel(status),
            SetupAction::None => {}
        }
        egui::CentralPanel::default().show(ui, |ui| self.results(ui, status));
        if self.manual_dialog(ui) {
            self.start_again(worker, status);
        }
        self.save_dialog(ui, worker);
        self.keep_dialog(ui, worker);
    }

    fn shortcuts(&mut self, ui: &mut egui::Ui, status: &mut StatusLine) {
        if self.manual.is_some() || self.save.is_some() || self.keep.is_some() {
            return;
        }
        let typing = ui.ctx().text_edit_focused();
        let running = self.running();
        let (escape, up, down) = ui.input_mut(|i| {
            (
                running && i.consume_key(egui::Modifiers::NONE, egui::Key::Escape),
                !typing && i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp),
                !typing && i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown),
            )
        });
        if escape {
            self.cancel(status);
        }
        if let Some(run) = &mut self.run
            && (up || down)
        {
            run.step_selection(up);
        }
    }
}
