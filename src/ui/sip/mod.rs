//! The SIP test panel: the ad-hoc account form on the left; on the right the verdict, the
//! trace's Copy and Save, and the live sequence of messages. The test runs on the worker; its
//! events arrive tagged with the run's number, so a cancelled run's stragglers are dropped.

mod device;
pub mod events;
mod form;
mod job;
mod results;
mod save;
mod sequence;

use std::time::{Duration, Instant};

use crate::cancel::CancelFlag;
use crate::device::{Device, Mac};
use crate::sip::{SipEvent, SipSeverity, SipTestSpec, SipTranscript};
use crate::ui::widgets::answers::Picked;
use crate::ui::widgets::device_picker::Source;
use crate::ui::widgets::form_panel::form_panel;
use crate::ui::widgets::status::StatusLine;
use crate::ui::worker::Worker;
use events::SipPanelEvent;
use form::{FormAction, SipForm};
use save::SaveTrace;

/// One test and what came back so far.
struct Run {
    id: u64,
    transcript: SipTranscript,
    cancel: Option<CancelFlag>,
    /// How long the test waits for each answer: the countdown starts from it.
    give_up: Duration,
    /// When the request now waiting for its final answer went out, as this panel heard it.
    waiting_since: Option<Instant>,
    /// *Stop waiting* was pressed: the verdict is on its way, the button and countdown go.
    stopping: bool,
    /// `1001@pbx.example.com`: what the test is of, for the trace's file name.
    subject: String,
}

impl Run {
    /// The countdown follows the request in flight: it starts when one goes out and stops at
    /// its final answer.
    fn follow(&mut self, event: &SipEvent) {
        match event {
            SipEvent::Sent(_) => self.waiting_since = Some(Instant::now()),
            SipEvent::Received(received) if received.status.is_some_and(|s| s >= 200) => {
                self.waiting_since = None;
            }
            SipEvent::Finished(_) => self.waiting_since = None,
            _ => {}
        }
    }
}

#[derive(Default)]
pub struct SipPanel {
    form: SipForm,
    run: Option<Run>,
    last_run_id: u64,
    /// *Save trace…*'s dialog, while it is open.
    save: Option<SaveTrace>,
}

impl SipPanel {
    /// A device whose Inventory form the user asked for (to give it a SIP account).
    pub fn take_edit(&mut self) -> Option<i64> {
        self.form.device.take_edit()
    }

    pub fn running(&self) -> bool {
        self.run.as_ref().is_some_and(|r| r.cancel.is_some())
    }

    /// From the inventory's row menu: this device's accounts, ready to test.
    pub fn pick_device(&mut self, device: Device) {
        self.form.source = Source::Inventory;
        self.form.error = None;
        self.form.device.pick(device);
    }

    fn start(
        &mut self,
        spec: SipTestSpec,
        device: Option<Mac>,
        worker: &Worker,
        status: &mut StatusLine,
    ) {
        self.last_run_id += 1;
        let id = self.last_run_id;
        let subject = format!("{}@{}", spec.user, spec.registrar);
        status.info(format!("SIP test of {subject}…"));
        let give_up = spec.udp_timers.total;
        let cancel = job::start(worker, id, spec, device);
        self.run = Some(Run {
            id,
            transcript: SipTranscript::default(),
            cancel: Some(cancel),
            give_up,
            waiting_since: None,
            stopping: false,
            subject,
        });
    }

    fn cancel(&mut self, status: &mut StatusLine) {
        if let Some(cancel) = self.run.as_mut().and_then(|r| r.cancel.take()) {
            cancel.cancel();
            status.info("SIP test cancelled.");
        }
    }

    /// *Stop waiting*: the test ends with the verdict its silence earns, not as cancelled.
    fn stop_waiting(&mut self, status: &mut StatusLine) {
        if let Some(run) = self.run.as_mut()
            && let Some(cancel) = &run.cancel
        {
            cancel.stop_waiting();
            run.stopping = true;
            status.info("Stopped waiting for the registrar…");
        }
    }

    /// Takes the worker's answers that concern the SIP test.
    pub fn on_event(&mut self, event: SipPanelEvent, status: &mut StatusLine) {
        match event {
            SipPanelEvent::Live { run, event } => {
                if let Some(current) = self.run.as_mut().filter(|r| r.id == run) {
                    if let SipEvent::Finished(verdict) = event.as_ref()
                        && let Some(main) = verdict.findings.first()
                    {
                        let said =
                            format!("SIP test finished: {} [{}]", main.title, main.code.as_str());
                        // A failed test is an error of its panel: kept in sight, marked red,
                        // when it ends while the installer is elsewhere.
                        if main.severity == SipSeverity::Error {
                            status.error(said);
                        } else {
                            status.info(said);
                        }
                    }
                    current.follow(&event);
                    current.transcript.push(*event);
                }
            }
            SipPanelEvent::Ended { run } => {
                if let Some(current) = self.run.as_mut().filter(|r| r.id == run) {
                    current.cancel = None;
                    current.waiting_since = None;
                }
            }
            SipPanelEvent::Found(found) => self.form.device.found(found),
            // The Inventory's SIP test column shows it; the status keeps the verdict.
            SipPanelEvent::Recorded(_) => {}
            SipPanelEvent::RecordFailed(error) => {
                status.error(format!(
                    "Could not keep the SIP test with the device: {error}"
                ));
            }
            SipPanelEvent::TracePath(picked) => {
                if let Some(save) = self.save.as_mut() {
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
            SipPanelEvent::TraceSaved(path) => {
                status.info(format!("Saved the SIP trace {}", path.display()));
            }
            SipPanelEvent::TraceFailed(error) => {
                status.error(format!("Could not save the SIP trace: {error}"));
            }
        }
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, worker: &Worker, status: &mut StatusLine) {
        let running = self.running();
        if running
            && self.save.is_none()
            && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape))
        {
            self.cancel(status);
        }
        let mut action = FormAction::None;
        form_panel(ui, "sip_form", 300.0, |ui| {
            action = self.form.ui(ui, worker, running);
        });
        match action {
            FormAction::Start(spec, device) => self.start(*spec, device, worker, status),
            FormAction::Cancel => self.cancel(status),
            FormAction::None => {}
        }
        egui::CentralPanel::default().show(ui, |ui| self.results(ui, status));
        self.save_dialog(ui, worker);
    }
}
