//! The credential rollout in the Serve panel: start one for a site or the selected devices,
//! watch how many phones have fetched their new credentials, and enforce it once they have.
//! Starting asks the inventory first what it would do, and confirms with those facts (how many
//! devices, their models, that phones keep the old credentials until enforced), so that a
//! password too long for a model is refused before anything changed. *Generate* fills in a
//! password every model takes; *Enforce…* names the phones it would lock out ([`enforce`]);
//! *Cancel rollout…* goes back ([`cancel`]), and the tables say which rollouts go back
//! ([`table`]).

mod cancel;
mod enforce;
mod table;

use egui::RichText;

use crate::device::CATALOGUE;
use crate::inventory::{RolloutPlan, RolloutProgress};
use crate::secret::Secret;
use crate::templates::generate_password_for;
use crate::ui::serve::job::{self, Chosen};
use crate::ui::serve::targets::{Pick, ServeContext, picker};
use crate::ui::widgets::dialog;
use crate::ui::widgets::fields::{field_error, secret_field};
use crate::ui::widgets::style::signal;
use crate::ui::worker::Worker;
use crate::words;

#[derive(Default)]
pub struct RolloutSection {
    pub progress: Vec<RolloutProgress>,
    form_open: bool,
    /// Open the section on the next frame: a rollout was prepared from elsewhere.
    pub open_now: bool,
    pick: Pick,
    user: String,
    password: Secret,
    reveal: bool,
    enforce: enforce::Enforce,
    confirming_cancel: bool,
    /// The password was generated: say that it is to be kept, until it is edited.
    generated: bool,
    /// The rollout asked about, confirmed once the inventory says what it does.
    asked: Option<Asked>,
    /// Why the inventory refused the last rollout asked about.
    refusal: Option<String>,
    /// The progress was asked for since the panel opened or a rollout was prepared: one
    /// started from the CLI shows before anything is served.
    progress_asked: bool,
}

/// What was asked, kept as it was asked, so that the confirmation starts exactly that.
struct Asked {
    chosen: Chosen,
    user: String,
    password: Secret,
    plan: Option<RolloutPlan>,
}

impl RolloutSection {
    /// Takes the progress read. A rollout that appears where there was none (the first read
    /// after the window opened, or one started from the CLI) opens the section: egui keeps the
    /// open state the section had on its first frame, before the progress was read.
    pub fn took_progress(&mut self, progress: Vec<RolloutProgress>) {
        if self.progress.is_empty() && !progress.is_empty() {
            self.open_now = true;
        }
        self.progress = progress;
    }

    /// Fills the form for a rollout of `site` (its index among the sites) to `user`/`password`
    /// and opens it: Settings' *Start a rollout instead*. The user still starts it here.
    pub fn prepare(&mut self, site: usize, user: String, password: Secret) {
        self.pick = Pick::Site(site);
        self.user = user;
        self.password = password;
        self.reveal = false;
        self.generated = false;
        self.refusal = None;
        self.form_open = true;
        self.open_now = true;
        self.progress_asked = false;
    }

    /// The inventory's answer about the rollout asked about: its confirmation, or the refusal.
    pub fn on_plan(&mut self, plan: Result<RolloutPlan, String>) {
        match plan {
            Ok(plan) => {
                if let Some(asked) = self.asked.as_mut() {
                    asked.plan = Some(plan);
                }
            }
            Err(error) => {
                self.asked = None;
                self.refusal = Some(error);
            }
        }
    }

    /// Asks for the progress once after the panel opens or a rollout is prepared, before the
    /// section decides whether it starts open.
    pub fn ask_progress(&mut self, worker: &Worker) {
        if !std::mem::replace(&mut self.progress_asked, true) {
            job::load_rollout(worker);
        }
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, worker: &Worker, context: &ServeContext<'_>) {
        if self.progress.is_empty() {
            ui.label(
                RichText::new(
                    "New digest credentials without locking any phone out: the old ones are accepted until you enforce.",
                )
                .weak(),
            );
            ui.label(RichText::new("No rollout is on.").weak());
        } else {
            table::tables(ui, &self.progress);
            ui.horizontal(|ui| {
                self.enforce_button(ui, worker);
                self.cancel_button(ui);
            });
            self.confirm_enforce(ui, worker);
            cancel::confirm(ui, worker, &self.progress, &mut self.confirming_cancel);
        }
        let toggle = if self.form_open {
            "Hide the new rollout"
        } else {
            "Start a rollout…"
        };
        if ui.button(toggle).clicked() {
            self.form_open = !self.form_open;
        }
        if self.form_open {
            self.form(ui, worker, context);
        }
        self.confirm_start(ui, worker);
    }

    /// *Cancel rollout…*, off while every rollout is going back already: cancelling a way back
    /// would be a rollout to the cancelled credentials, which is a start.
    fn cancel_button(&mut self, ui: &mut egui::Ui) {
        let forward = self.progress.iter().any(|row| !row.is_back());
        if ui
            .add_enabled(forward, egui::Button::new("Cancel rollout…"))
            .on_hover_text("Go back to the old credentials, without locking out a phone that already took the new ones")
            .on_disabled_hover_text(
                "Already going back to the old credentials (the rollout was cancelled). Enforce once every phone is back; to go to the new credentials after all, start the rollout again.",
            )
            .clicked()
        {
            self.confirming_cancel = true;
        }
    }

    /// The confirmation of the rollout asked about, once the inventory said what it does.
    fn confirm_start(&mut self, ui: &mut egui::Ui, worker: &Worker) {
        let Some(Asked {
            chosen,
            user,
            plan: Some(plan),
            ..
        }) = &self.asked
        else {
            return;
        };
        let button = egui::Button::new(RichText::new("Start the rollout").strong());
        let decision = dialog::confirm(ui, "serve_start_rollout", 480.0, button, true, |ui| {
            ui.heading(match chosen {
                Chosen::Site(site) => format!("Start the rollout for site {site}?"),
                Chosen::Devices(ids) => format!(
                    "Start the rollout for the {} selected?",
                    words::count(ids.len(), "device")
                ),
            });
            ui.add_space(4.0);
            ui.label(start_facts(plan, user));
            ui.label(
                "Each phone takes the new credentials from its next file. Until you enforce, \
                 provdesk serve accepts its old ones too, and the table shows who has switched.",
            );
            if let Some(note) = plan.again_note() {
                ui.label(RichText::new(format!("{note}.")).color(signal(ui.visuals()).warning));
            }
            if !plan.own_credentials.is_empty() {
                let own = plan.own_credentials.len();
                ui.label(
                    RichText::new(format!(
                        "{} with credentials of {} own {} left alone.",
                        words::count(own, "device"),
                        words::agree(own, "its", "their"),
                        words::agree(own, "is", "are"),
                    ))
                    .weak(),
                );
            }
        });
        match decision {
            Some(true) => {
                if let Some(asked) = self.asked.take() {
                    job::start_rollout(worker, asked.chosen, asked.user, asked.password);
                }
                self.password = Secret::default();
                self.generated = false;
                self.form_open = false;
                self.reveal = false;
            }
            Some(false) => self.asked = None,
            None => {}
        }
    }

    fn form(&mut self, ui: &mut egui::Ui, worker: &Worker, context: &ServeContext<'_>) {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_max_width(520.0);
            ui.horizontal(|ui| {
                picker(
                    ui,
                    "serve_rollout_for",
                    "Roll out to",
                    &mut self.pick,
                    context,
                    None,
                );
            });
            let label = ui.label("New digest user");
            ui.add(egui::TextEdit::singleline(&mut self.user).desired_width(f32::INFINITY))
                .labelled_by(label.id);
            if secret_field(ui, "New digest password", &mut self.password, &mut self.reveal)
                .changed()
            {
                self.generated = false;
            }
            self.generate_row(ui);
            let chosen = self.pick.chosen(context);
            let ready = chosen.is_some()
                && !self.user.trim().is_empty()
                && !self.password.is_empty();
            let start = ui
                .add_enabled(
                    ready && self.asked.is_none(),
                    egui::Button::new("Start the rollout…"),
                )
                .on_hover_text("See which devices get the new credentials, then confirm")
                .on_disabled_hover_text(
                    "Pick a site or select devices in the Inventory, and give the new user and password",
                );
            if start.clicked()
                && let Some(chosen) = chosen
            {
                self.refusal = None;
                let user = self.user.trim().to_string();
                job::plan_rollout(worker, chosen.clone(), user.clone(), self.password.clone());
                self.asked = Some(Asked {
                    chosen,
                    user,
                    password: self.password.clone(),
                    plan: None,
                });
            }
            if let Some(refusal) = &self.refusal {
                field_error(ui, refusal);
            }
            if let Some(Chosen::Site(_)) = self.pick.chosen(context) {
                ui.label(
                    RichText::new("The site's credentials change; its devices with credentials of their own are left alone.")
                        .small()
                        .weak(),
                );
            }
        });
    }
}

impl RolloutSection {
    /// *Generate* and *Copy* under the password: a strong one that every model in the
    /// catalogue takes (so whichever devices are picked, the start is not refused for its
    /// length), from the operating system's generator. Shown masked like any password.
    fn generate_row(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            if ui
                .button("Generate")
                .on_hover_text("A random password of letters and digits that every model accepts")
                .clicked()
            {
                match generate_password_for(CATALOGUE.iter().map(Some)) {
                    Ok(password) => {
                        self.password = password;
                        self.reveal = false;
                        self.generated = true;
                        self.refusal = None;
                    }
                    Err(error) => {
                        self.refusal = Some(format!(
                            "No password was generated: the system's random generator failed ({error}); try again"
                        ));
                    }
                }
            }
            if ui
                .add_enabled(!self.password.is_empty(), egui::Button::new("Copy"))
                .on_hover_text("Copy the password to the clipboard")
                .clicked()
            {
                ui.ctx().copy_text(self.password.expose().to_string());
            }
            if self.generated {
                ui.label(
                    RichText::new(format!(
                        "Generated, {} characters: copy it or Show it and keep it where your team keeps secrets.",
                        self.password.char_len()
                    ))
                    .small()
                    .weak(),
                );
            }
        });
    }
}

/// `3 devices (2 × N510 IP PRO, 1 × Maxwell 3) will fetch files with user "hotel" and the new
/// password.`
fn start_facts(plan: &RolloutPlan, user: &str) -> String {
    if plan.devices == 0 {
        return format!(
            "No device takes these credentials yet: the site's change to user \"{user}\" reaches only devices added to it later."
        );
    }
    format!(
        "{} ({}) will fetch {} with user \"{user}\" and the new password.",
        words::count(plan.devices, "device"),
        plan.models_text(),
        words::agree(plan.devices, "its file", "their files"),
    )
}
