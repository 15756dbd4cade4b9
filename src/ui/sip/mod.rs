//! The SIP test panel: the ad-hoc account form on the left; on the right the verdict and the
//! live sequence of messages. The test runs on the worker; its events arrive tagged with the
//! run's number, so a cancelled run's stragglers are dropped.

mod device;
pub mod events;
mod form;
mod job;
mod sequence;

use crate::cancel::CancelFlag;
use crate::device::{Device, Mac};
use crate::sip::{SipEvent, SipTestSpec, SipTranscript};
use crate::ui::widgets::device_picker::Source;
use crate::ui::widgets::form_panel::form_panel;
use crate::ui::widgets::status::StatusLine;
use crate::ui::worker::Worker;
use events::SipPanelEvent;
use form::{FormAction, SipForm};

/// One test and what came back so far.
struct Run {
    id: u64,
    transcript: SipTranscript,
    cancel: Option<CancelFlag>,
}

#[derive(Default)]
pub struct SipPanel {
    form: SipForm,
    run: Option<Run>,
    last_run_id: u64,
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
        status.info(format!("SIP test of {}@{}…", spec.user, spec.registrar));
        let cancel = job::start(worker, id, spec, device);
        self.run = Some(Run {
            id,
            transcript: SipTranscript::default(),
            cancel: Some(cancel),
        });
    }

    fn cancel(&mut self, status: &mut StatusLine) {
        if let Some(cancel) = self.run.as_mut().and_then(|r| r.cancel.take()) {
            cancel.cancel();
            status.info("SIP test cancelled.");
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
                        status.info(format!(
                            "SIP test finished: {} [{}]",
                            main.title,
                            main.code.as_str()
                        ));
                    }
                    current.transcript.push(*event);
                }
            }
            SipPanelEvent::Ended { run } => {
                if let Some(current) = self.run.as_mut().filter(|r| r.id == run) {
                    current.cancel = None;
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
        }
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, worker: &Worker, status: &mut StatusLine) {
        let running = self.running();
        if running && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape)) {
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
        egui::CentralPanel::default().show(ui, |ui| self.results(ui));
    }

    fn results(&self, ui: &mut egui::Ui) {
        let Some(run) = &self.run else {
            ui.weak("Pick an inventory device's account or type one, and press Start: the REGISTER, the registrar's answers and the digest show here as they happen.");
            return;
        };
        if let Some(verdict) = run.transcript.verdict() {
            sequence::verdict(ui, verdict);
        } else if run.cancel.is_some() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Waiting for the registrar…");
            });
        }
        ui.separator();
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .stick_to_bottom(true)
            .show(ui, |ui| sequence::rows(ui, &run.transcript.events));
    }
}
