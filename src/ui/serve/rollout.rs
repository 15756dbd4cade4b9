//! The credential rollout in the Serve panel: start one for a site or the selected devices,
//! watch how many phones have fetched their new credentials, and enforce it once they have.

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use crate::inventory::RolloutProgress;
use crate::secret::Secret;
use crate::ui::serve::job::{self, Chosen};
use crate::ui::serve::targets::{Pick, ServeContext, picker};
use crate::ui::widgets::dialog;
use crate::ui::widgets::fields::secret_field;
use crate::ui::widgets::style::signal;
use crate::ui::worker::Worker;
use crate::words;

#[derive(Default)]
pub struct RolloutSection {
    pub progress: Vec<RolloutProgress>,
    form_open: bool,
    pick: Pick,
    user: String,
    password: Secret,
    reveal: bool,
    confirming_enforce: bool,
}

impl RolloutSection {
    pub fn ui(&mut self, ui: &mut egui::Ui, worker: &Worker, context: &ServeContext<'_>) {
        ui.label(
            RichText::new(
                "New digest credentials without locking any phone out: the old ones are accepted until you enforce.",
            )
            .weak(),
        );
        if self.progress.is_empty() {
            ui.label(RichText::new("No rollout is on.").weak());
        } else {
            self.table(ui);
            let pending: usize = self.progress.iter().map(RolloutProgress::pending).sum();
            if ui
                .button("Enforce…")
                .on_hover_text("Accept only the new credentials from now on")
                .clicked()
            {
                self.confirming_enforce = true;
            }
            self.confirm_enforce(ui, worker, pending);
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
    }

    fn table(&self, ui: &mut egui::Ui) {
        let colours = signal(ui.visuals());
        TableBuilder::new(ui)
            .id_salt("serve_rollout")
            .striped(true)
            .max_scroll_height(120.0)
            .column(Column::initial(160.0))
            .columns(Column::initial(90.0), 3)
            .column(Column::remainder().at_least(110.0))
            .header(22.0, |mut header| {
                for title in ["Site", "Devices", "Switched", "On old", "Not seen since"] {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|mut body| {
                for row in &self.progress {
                    body.row(22.0, |mut cells| {
                        let done = row.switched == row.devices;
                        cells.col(|ui| {
                            ui.label(row.site.as_deref().unwrap_or("(no site)"));
                        });
                        cells.col(|ui| {
                            ui.label(row.devices.to_string());
                        });
                        cells.col(|ui| {
                            let colour = if done { colours.ok } else { colours.info };
                            ui.label(RichText::new(row.switched.to_string()).color(colour));
                        });
                        cells.col(|ui| {
                            ui.label(row.on_old.to_string());
                        });
                        cells.col(|ui| {
                            ui.label(row.unseen().to_string());
                        });
                    });
                }
            });
    }

    fn confirm_enforce(&mut self, ui: &mut egui::Ui, worker: &Worker, pending: usize) {
        if !self.confirming_enforce {
            return;
        }
        let button = egui::Button::new(RichText::new("Enforce").strong());
        let decision = dialog::confirm(ui, "serve_enforce_rollout", 440.0, button, true, |ui| {
            ui.heading("Enforce the rollout?");
            if pending == 0 {
                ui.label("Every device has fetched its new credentials. The old ones will be refused from now on.");
            } else {
                ui.label(
                    RichText::new(format!(
                        "{} {} not fetched {} new credentials yet. {} will be refused until someone gives {} the new ones by hand.",
                        words::count(pending, "device"),
                        words::agree(pending, "has", "have"),
                        words::agree(pending, "its", "their"),
                        words::agree(pending, "It", "They"),
                        words::agree(pending, "it", "them"),
                    ))
                    .color(signal(ui.visuals()).warning),
                );
            }
        });
        match decision {
            Some(true) => {
                self.confirming_enforce = false;
                job::enforce_rollout(worker);
            }
            Some(false) => self.confirming_enforce = false,
            None => {}
        }
    }

    fn form(&mut self, ui: &mut egui::Ui, worker: &Worker, context: &ServeContext<'_>) {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_max_width(520.0);
            ui.horizontal(|ui| {
                picker(ui, "serve_rollout_for", "Roll out to", &mut self.pick, context);
            });
            let label = ui.label("New digest user");
            ui.add(egui::TextEdit::singleline(&mut self.user).desired_width(f32::INFINITY))
                .labelled_by(label.id);
            secret_field(ui, "New digest password", &mut self.password, &mut self.reveal);
            let chosen = self.pick.chosen(context);
            let ready = chosen.is_some()
                && !self.user.trim().is_empty()
                && !self.password.is_empty();
            let start = ui
                .add_enabled(ready, egui::Button::new("Start the rollout"))
                .on_disabled_hover_text(
                    "Pick a site or select devices in the Inventory, and give the new user and password",
                );
            if start.clicked()
                && let Some(chosen) = chosen
            {
                job::start_rollout(
                    worker,
                    chosen,
                    self.user.trim().to_string(),
                    std::mem::take(&mut self.password),
                );
                self.form_open = false;
                self.reveal = false;
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
