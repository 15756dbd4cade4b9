//! The Test fetch panel's modals: the device's prompt for credentials with the time it stays
//! open, and where to save a HAR or JSON file.

use std::path::PathBuf;
use std::time::Duration;

use egui::RichText;

use super::{FetchPanel, events::FetchEvent, job};
use crate::fetch::Credentials;
use crate::ops::fetch::FetchFile;
use crate::ui::widgets::dialog;
use crate::ui::widgets::fields::secret_field;
use crate::ui::widgets::file_dialog::{self, Dialog};
use crate::ui::widgets::style::signal;
use crate::ui::worker::Worker;

impl FetchPanel {
    /// The device's prompt for credentials, counting down to the moment the device closes it;
    /// then it says so and offers to start again. True when *Start again* was clicked.
    pub(super) fn manual_dialog(&mut self, ui: &mut egui::Ui) -> bool {
        let Some(prompt) = self.manual.as_mut() else {
            return false;
        };
        let model = self.run.as_ref().map_or("device", |r| r.model);
        let open_for = self
            .run
            .as_ref()
            .map_or(Duration::from_secs(60), |r| r.prompt_open);
        let now = ui.input(|i| i.time);
        let opened = *prompt.opened_at.get_or_insert(now);
        let left = open_for.as_secs_f64() - (now - opened);
        prompt.closed |= left <= 0.0;
        if prompt.closed {
            return self.closed_prompt(ui, model, open_for);
        }
        // Once a second, for the countdown: not every frame.
        ui.ctx()
            .request_repaint_after(Duration::from_secs_f64(left.fract().max(0.05)));
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
            ui.label(
                RichText::new(format!(
                    "The phone closes this prompt in {} s",
                    left.ceil() as u64
                ))
                .color(signal(ui.visuals()).warning),
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
        false
    }

    /// The device closed its prompt: what that means, *Start again* or *Close*.
    fn closed_prompt(&mut self, ui: &mut egui::Ui, model: &str, open_for: Duration) -> bool {
        let mut again = false;
        let mut close = false;
        let modal =
            egui::Modal::new(egui::Id::unique("fetch_manual_closed")).show(ui.ctx(), |ui| {
                ui.set_width(420.0);
                ui.heading(format!("The {model} has closed its prompt"));
                ui.add(
                    egui::Label::new(format!(
                        "Nothing was typed for {} s, so the phone closed its entry for credentials \
                     and its fetch ends, as a real one's would.",
                        open_for.as_secs()
                    ))
                    .wrap(),
                );
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    again = ui
                        .button(RichText::new("Start again").strong())
                        .on_hover_text("Fetch again with the same setup; the phone asks anew")
                        .clicked();
                    close = ui.button("Close").clicked();
                });
            });
        if again || close || modal.should_close() {
            self.manual = None;
        }
        again
    }

    pub(super) fn save_dialog(&mut self, ui: &mut egui::Ui, worker: &Worker) {
        let Some(save) = self.save.as_mut() else {
            return;
        };
        let ready =
            !save.path.trim().is_empty() && file_dialog::refusal(ui.ctx(), &save.path).is_none();
        let button = egui::Button::new(format!("Save {}", save.file.name()));
        let decision =
            dialog::confirm_on_enter(ui, "fetch_save_dialog", 520.0, button, ready, |ui| {
                ui.heading(match save.file {
                    FetchFile::Har => "Save the exchange as HAR",
                    FetchFile::Json => "Save the report as JSON",
                });
                ui.label(
                    RichText::new(match save.file {
                        FetchFile::Har => {
                            "Every request and response, for a browser's HAR viewer or a support \
                         ticket, readable by you only. Passwords are not in it; Basic \
                         credentials and digest answers are masked; bodies only if ticked."
                        }
                        FetchFile::Json => {
                            "Steps, challenges, digests (without HA1) and the diagnosis, as \
                         provdesk fetch --json writes them."
                        }
                    })
                    .weak(),
                );
                ui.add_space(6.0);
                let file = save.file;
                file_dialog::save_path_row(
                    ui,
                    worker,
                    &mut save.path,
                    save.no_file_dialog,
                    |suggested| Dialog::Save {
                        title: match file {
                            FetchFile::Har => "Save the test fetch as HAR",
                            FetchFile::Json => "Save the test fetch report as JSON",
                        },
                        filter: (file.name(), file.extension()),
                        suggested,
                    },
                    move |picked| FetchEvent::SavePath(file, picked),
                );
                if save.file == FetchFile::Har {
                    ui.checkbox(
                        &mut save.options.bodies,
                        "Include the response bodies (configuration files often hold passwords)",
                    );
                }
                ui.checkbox(
                    &mut save.options.reveal_secrets,
                    "Reveal secrets: the digest response and cnonce, and passwords in bodies",
                )
                .on_hover_text(
                    "Off, they are masked: with them, a short password (a MAC password whose first \
                 characters are on the label) can be guessed offline.",
                );
            });
        match decision {
            Some(true) => {
                if let Some(run) = &self.run {
                    job::save(
                        worker,
                        run.transcript.clone(),
                        save.file,
                        save.options,
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
