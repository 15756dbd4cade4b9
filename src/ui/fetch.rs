//! The Test fetch panel: the setup on the left; on the right the diagnosis banner, the live
//! sequence of requests and responses, and the detail of the selected step. The fetch runs on
//! the worker; its events arrive tagged with the run's number, so a cancelled run's stragglers
//! are dropped.

use std::path::PathBuf;

use egui::RichText;

use super::dialog;
use super::fetch_detail::{self, ScrollTo};
use super::fetch_job::{FetchFile, FetchHandle};
use super::fetch_sequence::{self, Arrow, Lanes, Part};
use super::fetch_setup::{FetchSetup, SetupAction};
use super::fields::secret_field;
use super::status::StatusLine;
use super::style::signal;
use super::worker::{Event, SaveKind, Worker};
use crate::device::{Device, Mac};
use crate::fetch::{
    Credentials, Diagnosis, Event as FetchEvent, FetchSpec, Severity, Transcript, to_curl,
};
use crate::secret::Secret;

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
    insecure: bool,
    selected: Option<Arrow>,
    /// Keep selecting the newest arrow until the user picks one.
    follow: bool,
    /// Scroll the selection into view on the next frame.
    reveal_selection: bool,
    /// The arrow the detail pane was scrolled for.
    detail_shows: Option<Arrow>,
    reveal_secrets: bool,
}

/// The device's prompt for credentials, as the panel's modal.
struct ManualPrompt {
    attempt_no: u8,
    tries: u8,
    username: String,
    password: Secret,
    reveal: bool,
    focus: bool,
}

/// Where a HAR or JSON file goes.
struct SaveDialog {
    file: FetchFile,
    path: String,
    no_file_dialog: bool,
}

#[derive(Default)]
pub struct FetchPanel {
    setup: FetchSetup,
    run: Option<Run>,
    last_run_id: u64,
    manual: Option<ManualPrompt>,
    save: Option<SaveDialog>,
}

impl FetchPanel {
    pub fn running(&self) -> bool {
        self.run
            .as_ref()
            .is_some_and(|r| r.state == RunState::Running)
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
        let insecure = spec.tls.accept_invalid_certs;
        let handle = worker.start_fetch(id, spec, device);
        status.info(format!("Test fetch of {server_label} as {model}…"));
        self.manual = None;
        self.run = Some(Run {
            id,
            transcript: Transcript::default(),
            state: RunState::Running,
            handle: Some(handle),
            server_label,
            model,
            insecure,
            selected: None,
            follow: true,
            reveal_selection: false,
            detail_shows: None,
            reveal_secrets: false,
        });
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
    pub fn on_event(&mut self, event: Event, status: &mut StatusLine) {
        match event {
            Event::Fetch { run, event } => self.on_fetch_event(run, &event, status),
            Event::FetchEnded { run, error } => {
                let Some(current) = self
                    .run
                    .as_mut()
                    .filter(|r| r.id == run && r.state == RunState::Running)
                else {
                    return;
                };
                current.handle = None;
                self.manual = None;
                match error {
                    Some(error) => {
                        status.error(format!("The test fetch could not start: {error}"));
                        current.state = RunState::Failed(error);
                    }
                    None => {
                        current.state = RunState::Finished;
                        if let Some(main) = current.transcript.diagnosis().first() {
                            status.info(format!(
                                "Test fetch finished: {} [{}]",
                                main.title,
                                main.code.as_str()
                            ));
                        }
                    }
                }
            }
            Event::FoundDevices {
                generation,
                devices,
                ..
            } => self.setup.found(generation, devices),
            Event::SavePathPicked {
                kind: SaveKind::Fetch(file),
                path,
            } => {
                if let Some(save) = self.save.as_mut().filter(|s| s.file == file) {
                    save.path = path.display().to_string();
                }
            }
            Event::NoFileDialog => {
                if let Some(save) = &mut self.save {
                    save.no_file_dialog = true;
                }
            }
            Event::FetchSaved { path, file } => {
                status.info(format!("Saved the {} file {}", file.name(), path.display()));
            }
            _ => {}
        }
    }

    fn on_fetch_event(&mut self, id: u64, event: &FetchEvent, status: &mut StatusLine) {
        let Some(run) = self
            .run
            .as_mut()
            .filter(|r| r.id == id && r.state == RunState::Running)
        else {
            return;
        };
        run.transcript.apply(event);
        if let FetchEvent::ManualEntry { attempt_no, tries } = event {
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
            });
        }
        if run.follow {
            run.selected = fetch_sequence::arrows(&run.transcript).last().copied();
            run.reveal_selection = true;
        }
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, worker: &Worker, status: &mut StatusLine) {
        self.shortcuts(ui, status);
        let running = self.running();
        let mut action = SetupAction::None;
        egui::Panel::left("fetch_setup")
            .resizable(true)
            .default_size(300.0)
            .min_size(260.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        action = self.setup.ui(ui, worker, running);
                    });
            });
        match action {
            SetupAction::Start(spec, device) => self.start(*spec, device, worker, status),
            SetupAction::Cancel => self.cancel(status),
            SetupAction::None => {}
        }
        egui::CentralPanel::default().show(ui, |ui| self.results(ui, status));
        self.manual_dialog(ui);
        self.save_dialog(ui, worker);
    }

    fn shortcuts(&mut self, ui: &mut egui::Ui, status: &mut StatusLine) {
        if self.manual.is_some() || self.save.is_some() {
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
            let arrows = fetch_sequence::arrows(&run.transcript);
            let current = run
                .selected
                .and_then(|s| arrows.iter().position(|a| *a == s));
            let next = match (current, up) {
                (None, _) => arrows.len().checked_sub(1),
                (Some(i), true) => Some(i.saturating_sub(1)),
                (Some(i), false) => Some((i + 1).min(arrows.len().saturating_sub(1))),
            };
            if let Some(next) = next {
                run.selected = arrows.get(next).copied();
                run.follow = next + 1 == arrows.len() && run.state == RunState::Running;
                run.reveal_selection = true;
            }
        }
    }

    fn results(&mut self, ui: &mut egui::Ui, status: &mut StatusLine) {
        let Some(run) = self.run.as_mut() else {
            empty_state(ui);
            return;
        };
        banner(ui, run);
        notes(ui, &run.transcript);
        ui.add_space(4.0);
        if let Some(file) = toolbar(ui, run, status) {
            self.save = Some(SaveDialog {
                file,
                path: dialog::default_save_path(&suggested_name(run, file)),
                no_file_dialog: false,
            });
        }
        ui.separator();
        if run.transcript.steps.is_empty() {
            return;
        }
        let selected_step = run.selected.map(|a| a.step);
        // A newly selected response opens the pane at the response, a request at the top.
        let scroll = match run.selected {
            Some(arrow) if run.detail_shows != run.selected => match arrow.part {
                Part::Request => ScrollTo::Top,
                Part::Response => ScrollTo::Response,
            },
            _ => ScrollTo::Nothing,
        };
        if run.detail_shows != run.selected {
            // Secrets are revealed for one step at a time, never carried to the next.
            run.reveal_secrets = false;
            run.detail_shows = run.selected;
        }
        let detail_width = (ui.available_width() * 0.48).max(340.0);
        egui::Panel::right("fetch_detail")
            .resizable(true)
            .default_size(detail_width)
            .min_size(320.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("fetch_detail_scroll")
                    .show(ui, |ui| match selected_step {
                        Some(step) => {
                            fetch_detail::show(
                                ui,
                                &run.transcript,
                                step,
                                &mut run.reveal_secrets,
                                scroll,
                            )
                        }
                        None => {
                            ui.label(
                                RichText::new("Click an arrow (or use the Up and Down keys) to see its details.")
                                    .weak(),
                            );
                        }
                    });
            });
        egui::CentralPanel::no_frame().show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("fetch_sequence_scroll")
                .show(ui, |ui| {
                    let before = run.selected;
                    let waiting = run.state == RunState::Running
                        && run
                            .transcript
                            .steps
                            .last()
                            .is_some_and(|s| s.response.is_none() && s.error.is_none());
                    fetch_sequence::show(
                        ui,
                        &run.transcript,
                        &Lanes {
                            device: run.model,
                            server: &run.server_label,
                        },
                        waiting,
                        &mut run.selected,
                        std::mem::take(&mut run.reveal_selection),
                    );
                    if run.selected != before {
                        run.follow = false;
                    }
                });
        });
    }

    fn manual_dialog(&mut self, ui: &mut egui::Ui) {
        let Some(prompt) = self.manual.as_mut() else {
            return;
        };
        let model = self.run.as_ref().map_or("device", |r| r.model);
        let mut answer: Option<Option<Credentials>> = None;
        let modal = egui::Modal::new(egui::Id::unique("fetch_manual_entry")).show(ui.ctx(), |ui| {
            ui.set_width(420.0);
            ui.heading(format!(
                "The {model} asks for credentials on its display (try {} of {})",
                prompt.attempt_no, prompt.tries
            ));
            ui.add(
                egui::Label::new(
                    RichText::new(
                        "Type what an installer would type on the device. Cancel is the \
                         device's Back key: the fetch ends.",
                    )
                    .weak(),
                )
                .wrap(),
            );
            ui.add_space(6.0);
            let label = ui.label("User name on the device");
            let user = ui
                .add(egui::TextEdit::singleline(&mut prompt.username).desired_width(f32::INFINITY))
                .labelled_by(label.id);
            if std::mem::take(&mut prompt.focus) {
                user.request_focus();
            }
            let password = secret_field(
                ui,
                "Password on the device",
                &mut prompt.password,
                &mut prompt.reveal,
            );
            let enter = (user.lost_focus() || password.lost_focus())
                && ui.input(|i| i.key_pressed(egui::Key::Enter));
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.button(RichText::new("Try").strong()).clicked() || enter {
                    answer = Some(Some(Credentials {
                        username: prompt.username.trim().to_string(),
                        password: prompt.password.clone(),
                    }));
                }
                if ui.button("Cancel").clicked() {
                    answer = Some(None);
                }
            });
        });
        if modal.should_close() && answer.is_none() {
            answer = Some(None);
        }
        if let Some(answer) = answer {
            self.manual = None;
            if let Some(handle) = self.run.as_ref().and_then(|r| r.handle.as_ref()) {
                handle.answer(answer);
            }
        }
    }

    fn save_dialog(&mut self, ui: &mut egui::Ui, worker: &Worker) {
        let Some(save) = self.save.as_mut() else {
            return;
        };
        let ready = !save.path.trim().is_empty();
        let button = egui::Button::new(format!("Save {}", save.file.name()));
        let decision = dialog::confirm(ui, "fetch_save_dialog", 520.0, button, ready, |ui| {
            ui.heading(match save.file {
                FetchFile::Har => "Save the exchange as HAR",
                FetchFile::Json => "Save the report as JSON",
            });
            ui.label(
                RichText::new(match save.file {
                    FetchFile::Har => {
                        "Every request and response, for a browser's HAR viewer or a support \
                         ticket. Passwords are not in it; Basic credentials are masked."
                    }
                    FetchFile::Json => {
                        "Steps, challenges, digests (without HA1) and the diagnosis, as \
                         provdesk fetch --json writes them."
                    }
                })
                .weak(),
            );
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                let label = ui.label("File");
                ui.add(egui::TextEdit::singleline(&mut save.path).desired_width(360.0))
                    .labelled_by(label.id);
                if ui.button("Choose…").clicked() {
                    let name = PathBuf::from(save.path.trim())
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    worker.pick_save_path(SaveKind::Fetch(save.file), name);
                }
            });
            if save.no_file_dialog {
                ui.colored_label(
                    signal(ui.visuals()).warning,
                    "No file dialog is available on this desktop; type the path above.",
                );
            }
        });
        match decision {
            Some(true) => {
                if let Some(run) = &self.run {
                    worker.save_fetch(
                        run.transcript.clone(),
                        save.file,
                        PathBuf::from(save.path.trim()),
                    );
                }
                self.save = None;
            }
            Some(false) => self.save = None,
            None => {}
        }
    }
}

fn empty_state(ui: &mut egui::Ui) {
    ui.add_space(60.0);
    ui.vertical_centered(|ui| {
        ui.heading("No fetch yet");
        ui.label("Choose an inventory device or enter one ad hoc, then press Start (or Enter in the URL field).");
        ui.label(
            RichText::new(
                "Each request and response appears as an arrow as it happens; the diagnosis says \
                 why a 401 loops and what to change.",
            )
            .weak(),
        );
    });
}

/// "provdesk-fetch-7C2F80820EC0.har", or the host's name for an ad hoc fetch.
fn suggested_name(run: &Run, file: FetchFile) -> String {
    let subject = run
        .transcript
        .setting
        .mac
        .clone()
        .unwrap_or_else(|| run.server_label.replace(':', "-"));
    format!("provdesk-fetch-{subject}.{}", file.extension())
}

/// The banner above the sequence: progress while running, the diagnosis when done.
fn banner(ui: &mut egui::Ui, run: &Run) {
    let colors = signal(ui.visuals());
    match &run.state {
        RunState::Running => {
            ui.horizontal(|ui| {
                ui.add(egui::Spinner::new());
                let sent = run.transcript.steps.len();
                let ladder = run.transcript.setting.ladder.len().max(sent);
                let text = if sent == 0 {
                    "Starting…".to_string()
                } else {
                    format!("Request {sent} of up to {ladder}")
                };
                ui.label(RichText::new(text).strong());
                ui.label(RichText::new("Esc cancels").weak().small());
            });
        }
        RunState::Cancelled => finding_frame(
            ui,
            colors.warning,
            "⏹",
            "Cancelled",
            "The fetch was stopped before it ended. Nothing was stored with the device.",
            None,
            None,
        ),
        RunState::Failed(error) => finding_frame(
            ui,
            colors.error,
            "✖",
            "The fetch could not start",
            error,
            Some("Check the TLS file paths and the URL, then Start again."),
            None,
        ),
        RunState::Finished => {
            let diagnosis = run.transcript.diagnosis();
            if let Some(main) = diagnosis.first() {
                diagnosis_frame(ui, main);
            }
            for more in diagnosis.iter().skip(1) {
                ui.add_space(4.0);
                more_finding(ui, more);
            }
        }
    }
}

fn severity_look(
    severity: Severity,
    colors: &super::style::Signal,
) -> (egui::Color32, &'static str) {
    match severity {
        Severity::Ok => (colors.ok, "✔"),
        Severity::Info => (colors.info, "ℹ"),
        Severity::Warning => (colors.warning, "⚠"),
        Severity::Error => (colors.error, "✖"),
    }
}

fn diagnosis_frame(ui: &mut egui::Ui, finding: &Diagnosis) {
    let (color, icon) = severity_look(finding.severity, &signal(ui.visuals()));
    finding_frame(
        ui,
        color,
        icon,
        &finding.title,
        &finding.message,
        Some(&finding.fix),
        Some(finding.code.as_str()),
    );
}

/// A coloured frame: icon and title in bold, the message, the fix, the code small.
fn finding_frame(
    ui: &mut egui::Ui,
    color: egui::Color32,
    icon: &str,
    title: &str,
    message: &str,
    fix: Option<&str>,
    code: Option<&str>,
) {
    egui::Frame::new()
        .fill(color.gamma_multiply(0.14))
        .stroke(egui::Stroke::new(1.5, color))
        .corner_radius(6.0)
        .inner_margin(egui::Margin::symmetric(12, 8))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                ui.label(RichText::new(icon).color(color).size(18.0).strong());
                ui.add(egui::Label::new(RichText::new(title).strong().size(16.0)).wrap());
                if let Some(code) = code {
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        ui.label(RichText::new(code).monospace().small().weak())
                            .on_hover_text("The finding's code, as in the JSON report");
                    });
                }
            });
            ui.add(egui::Label::new(message).wrap());
            if let Some(fix) = fix {
                ui.add(egui::Label::new(RichText::new(format!("Fix: {fix}")).strong()).wrap());
            }
        });
}

fn more_finding(ui: &mut egui::Ui, finding: &Diagnosis) {
    let (color, icon) = severity_look(finding.severity, &signal(ui.visuals()));
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(icon).color(color).strong());
        ui.label(RichText::new(&finding.title).strong());
        ui.label(
            RichText::new(finding.code.as_str())
                .monospace()
                .small()
                .weak(),
        );
    });
    ui.add(egui::Label::new(RichText::new(&finding.message).small()).wrap());
    ui.add(egui::Label::new(RichText::new(format!("Fix: {}", finding.fix)).small()).wrap());
}

/// What the run decided before any request: credentials in the URL, rungs it must skip.
fn notes(ui: &mut egui::Ui, transcript: &Transcript) {
    let weak = ui.visuals().weak_text_color();
    for (_, text) in transcript.notes.iter().filter(|(step, _)| step.is_none()) {
        ui.add(egui::Label::new(RichText::new(format!("Note: {text}")).small().color(weak)).wrap());
    }
    for (attempt, reason) in &transcript.skipped {
        ui.add(
            egui::Label::new(
                RichText::new(format!("Skipped {}: {reason}", attempt.describe()))
                    .small()
                    .color(weak),
            )
            .wrap(),
        );
    }
}

/// Save HAR…, Save JSON…, Copy as curl. Returns the file a Save button asked for.
fn toolbar(ui: &mut egui::Ui, run: &Run, status: &mut StatusLine) -> Option<FetchFile> {
    let mut save = None;
    let has_steps = !run.transcript.steps.is_empty();
    ui.horizontal(|ui| {
        if ui
            .add_enabled(has_steps, egui::Button::new("Save HAR…"))
            .on_hover_text("Every request and response as a HAR 1.2 file")
            .clicked()
        {
            save = Some(FetchFile::Har);
        }
        if ui
            .add_enabled(has_steps, egui::Button::new("Save JSON…"))
            .on_hover_text("The report with the diagnosis, as provdesk fetch --json")
            .clicked()
        {
            save = Some(FetchFile::Json);
        }
        let step = run.selected.and_then(|a| run.transcript.steps.get(a.step));
        let copy = ui
            .add_enabled(step.is_some(), egui::Button::new("Copy as curl"))
            .on_hover_text(
                "A curl command that repeats the selected request; curl asks for the password",
            );
        if copy.clicked()
            && let Some(step) = step
        {
            ui.ctx().copy_text(to_curl(step, run.insecure));
            status.info(format!(
                "Copied a curl command for request {}; it asks for the password itself.",
                step.request.step + 1
            ));
        }
        if let Some(arrow) = run.selected {
            let what = match arrow.part {
                Part::Request => "request",
                Part::Response => "response",
            };
            ui.label(
                RichText::new(format!("Selected: {what} {}", arrow.step + 1))
                    .small()
                    .weak(),
            );
        }
    });
    save
}
