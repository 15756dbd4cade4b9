//! The Test fetch panel's modals: the device's prompt for credentials, and where to save a
//! HAR or JSON file.

use std::path::PathBuf;

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
    pub(super) fn manual_dialog(&mut self, ui: &mut egui::Ui) {
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

    pub(super) fn save_dialog(&mut self, ui: &mut egui::Ui, worker: &Worker) {
        let Some(save) = self.save.as_mut() else {
            return;
        };
        let ready = !save.path.trim().is_empty();
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
                ui.horizontal(|ui| {
                    let label = ui.label("File");
                    ui.add(egui::TextEdit::singleline(&mut save.path).desired_width(360.0))
                        .labelled_by(label.id);
                    if ui.button("Choose…").clicked() {
                        let name = PathBuf::from(save.path.trim())
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default();
                        let file = save.file;
                        file_dialog::ask(
                            worker,
                            Dialog::Save {
                                title: match file {
                                    FetchFile::Har => "Save the test fetch as HAR",
                                    FetchFile::Json => "Save the test fetch report as JSON",
                                },
                                filter: (file.name(), file.extension()),
                                suggested: name,
                            },
                            move |picked| FetchEvent::SavePath(file, picked),
                        );
                    }
                });
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
