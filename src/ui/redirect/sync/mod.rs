//! The Redirect panel's "Sync" tab: Plan (a dry run, drawn as a coloured table with counts),
//! Apply (asks first when it deregisters anything) with a progress bar, Cancel and each
//! device's result. The plan is never kept past an apply: Plan again rebuilds it from both
//! sides, which is also how a failed or cancelled run is finished.

use egui::RichText;

mod apply_view;
mod plan_view;

use crate::cancel::CancelFlag;
use crate::redirect::{Action, ApplyOptions, DeviceResult, PlanOptions, Progress, SyncPlan};
use crate::ui::widgets::dialog;
use crate::ui::widgets::style::signal;
use crate::words;

/// What the tab asks the panel to start.
pub enum SyncRequest {
    Plan(PlanOptions),
    Apply(Box<SyncPlan>, ApplyOptions),
    Cancel,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ApplyState {
    Running,
    Finished,
    Cancelled,
}

/// One apply and what came back so far.
struct ApplyRun {
    run: u64,
    state: ApplyState,
    progress: Progress,
    results: Vec<DeviceResult>,
    cancel: CancelFlag,
}

pub struct SyncTab {
    provider: String,
    batch_size: usize,
    deregister_unknown: bool,
    /// The newest plan or apply; answers to older ones are dropped.
    run: u64,
    planning: bool,
    plan: Option<SyncPlan>,
    /// The plan's warnings, found once when it arrives: a plan of 10,000 devices is shown
    /// every frame.
    plan_warnings: Vec<String>,
    plan_error: Option<String>,
    apply: Option<ApplyRun>,
    confirm_apply: bool,
}

impl Default for SyncTab {
    fn default() -> Self {
        Self {
            provider: String::new(),
            batch_size: ApplyOptions::default().batch_size,
            deregister_unknown: false,
            run: 0,
            planning: false,
            plan: None,
            plan_warnings: Vec::new(),
            plan_error: None,
            apply: None,
            confirm_apply: false,
        }
    }
}

impl SyncTab {
    /// The provider filter, also what Test connection lists.
    pub fn provider(&self) -> Option<String> {
        Some(self.provider.trim().to_string()).filter(|p| !p.is_empty())
    }

    pub fn busy(&self) -> bool {
        self.planning || self.applying()
    }

    pub fn applying(&self) -> bool {
        self.apply
            .as_ref()
            .is_some_and(|a| a.state == ApplyState::Running)
    }

    /// The run number the next job carries.
    pub fn next_run(&mut self) -> u64 {
        self.run += 1;
        self.run
    }

    pub fn planned(&mut self, run: u64, plan: Result<SyncPlan, String>) {
        if run != self.run {
            return;
        }
        self.planning = false;
        match plan {
            Ok(plan) => {
                self.plan_warnings = plan.warnings();
                self.plan = Some(plan);
                self.plan_error = None;
            }
            Err(error) => self.plan_error = Some(error),
        }
    }

    pub fn applying_started(&mut self, run: u64, total: usize, cancel: CancelFlag) {
        self.apply = Some(ApplyRun {
            run,
            state: ApplyState::Running,
            progress: Progress { done: 0, total },
            results: Vec::new(),
            cancel,
        });
    }

    pub fn planning_started(&mut self) {
        self.planning = true;
        self.plan_error = None;
    }

    pub fn applied(&mut self, run: u64, progress: Progress, results: Vec<DeviceResult>) {
        if let Some(apply) = self.apply.as_mut().filter(|a| a.run == run) {
            apply.progress = progress;
            apply.results.extend(results);
        }
    }

    /// Apply `run` ended; returns (succeeded, failed) counts when it is the current one.
    pub fn apply_ended(&mut self, run: u64, cancelled: bool) -> Option<(usize, usize)> {
        let apply = self
            .apply
            .as_mut()
            .filter(|a| a.run == run && a.state == ApplyState::Running)?;
        apply.state = if cancelled {
            ApplyState::Cancelled
        } else {
            ApplyState::Finished
        };
        // The plan is what was before the apply: rebuild it to see what is left.
        self.plan = None;
        // Failures first, in the order they came: one among thousands is not scrolled to.
        apply.results.sort_by_key(|result| result.outcome.is_ok());
        let failed = apply.results.iter().filter(|r| r.outcome.is_err()).count();
        Some((apply.results.len() - failed, failed))
    }

    /// Apply `run` could not start (no client): nothing was sent, so the plan still holds.
    /// Returns whether `run` was the current one.
    pub fn apply_failed(&mut self, run: u64, error: String) -> bool {
        if self.apply.as_ref().is_none_or(|a| a.run != run) {
            return false;
        }
        self.apply = None;
        self.plan_error = Some(error);
        true
    }

    /// Stops sending batches. Batches already sent still finish in the background and are
    /// recorded: a registration's answer carries the MAC password, which must not be lost.
    pub fn cancel(&mut self) -> bool {
        let Some(apply) = self
            .apply
            .as_mut()
            .filter(|a| a.state == ApplyState::Running)
        else {
            self.planning = false;
            return false;
        };
        apply.cancel.cancel();
        apply.state = ApplyState::Cancelled;
        self.plan = None;
        true
    }

    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<SyncRequest> {
        let busy = self.busy();
        self.options(ui);
        let mut request = self.buttons(ui, busy);
        if busy && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape)) {
            request = Some(SyncRequest::Cancel);
        }
        if let Some(error) = &self.plan_error {
            ui.add(
                egui::Label::new(
                    RichText::new(format!("✖ {error}")).color(signal(ui.visuals()).error),
                )
                .wrap(),
            );
        }
        ui.separator();
        if let Some(apply) = &self.apply {
            apply_view::show(ui, apply, self.plan.is_none());
            ui.separator();
        }
        if let Some(plan) = &self.plan {
            plan_view::show(ui, plan, &self.plan_warnings, self.deregister_unknown);
        } else if self.apply.is_none() && !self.planning {
            ui.label(
                RichText::new("Plan compares the inventory with the redirect server and shows what Apply would change.")
                    .weak(),
            );
        }
        if self.confirm_deregistration(ui) {
            request = self.apply_request();
        }
        request
    }

    /// The filter and the batch size: they shape the next Plan or Apply and start nothing.
    fn options(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            let label = ui.label("Provider");
            ui.add(
                egui::TextEdit::singleline(&mut self.provider)
                    .hint_text("all of the inventory's")
                    .desired_width(160.0),
            )
            .labelled_by(label.id)
            .on_hover_text("Only devices of this provider, and only its registrations");
            let label = ui.label("Batch size");
            ui.add(egui::DragValue::new(&mut self.batch_size).range(1..=1000))
                .labelled_by(label.id)
                .on_hover_text("Devices per list call");
            ui.checkbox(
                &mut self.deregister_unknown,
                "Include deregister of devices not in the inventory",
            );
        });
    }

    /// Plan, Apply and Cancel; Apply asks first when the plan deregisters anything.
    fn buttons(&mut self, ui: &mut egui::Ui, busy: bool) -> Option<SyncRequest> {
        let mut request = None;
        ui.horizontal(|ui| {
            if ui
                .add_enabled(!busy, egui::Button::new("Plan"))
                .on_hover_text("A dry run: compare the inventory with the server, change nothing")
                .clicked()
            {
                request = Some(SyncRequest::Plan(PlanOptions {
                    provider: self.provider(),
                    deregister_unknown: self.deregister_unknown,
                }));
            }
            let can_apply = !busy && self.plan.as_ref().is_some_and(SyncPlan::has_changes);
            if ui
                .add_enabled(can_apply, egui::Button::new("Apply"))
                .on_hover_text("Make the server say what the inventory says, in batches")
                .clicked()
            {
                if self
                    .plan
                    .as_ref()
                    .is_some_and(|p| p.count(Action::Deregister) > 0)
                {
                    self.confirm_apply = true;
                } else {
                    request = self.apply_request();
                }
            }
            if ui
                .add_enabled(busy, egui::Button::new("Cancel"))
                .on_hover_text("Stop; what the server answered so far is kept (Esc)")
                .clicked()
            {
                request = Some(SyncRequest::Cancel);
            }
            if self.planning {
                ui.add(egui::Spinner::new());
                ui.label("Planning…");
            }
        });
        request
    }

    fn apply_request(&mut self) -> Option<SyncRequest> {
        let plan = self.plan.clone()?;
        Some(SyncRequest::Apply(
            Box::new(plan),
            ApplyOptions {
                batch_size: self.batch_size.max(1),
                ..ApplyOptions::default()
            },
        ))
    }

    fn confirm_deregistration(&mut self, ui: &mut egui::Ui) -> bool {
        if !self.confirm_apply {
            return false;
        }
        let Some(plan) = &self.plan else {
            self.confirm_apply = false;
            return false;
        };
        let leaving: Vec<String> = plan
            .with_action(Action::Deregister)
            .map(|i| i.mac_id.clone())
            .collect();
        let button = egui::Button::new(
            RichText::new(format!(
                "Apply and deregister {}",
                words::count(leaving.len(), "device")
            ))
            .strong(),
        );
        let decision = dialog::confirm(ui, "redirect_apply_confirm", 420.0, button, true, |ui| {
            ui.heading("Apply deregisters devices");
            ui.label("These registrations are not in the inventory and will be removed:");
            egui::ScrollArea::vertical()
                .max_height(200.0)
                .show(ui, |ui| {
                    for mac_id in &leaving {
                        ui.label(RichText::new(mac_id).monospace());
                    }
                });
        });
        match decision {
            Some(confirmed) => {
                self.confirm_apply = false;
                confirmed
            }
            None => false,
        }
    }
}
