//! The Render… dialog: which devices, the folder the files go to, and optionally the htdigest
//! file with its realm. The job runs on the worker, as `provdesk render` does: everything is
//! rendered and checked before any file is written.

use std::path::{Path, PathBuf};

use egui::RichText;

use crate::device::{Device, Mac};
use crate::ops::render::RenderRequest;
use crate::templates::htdigest_inside;
use crate::ui::templates::events::{RenderPath, TemplatesEvent};
use crate::ui::templates::jobs;
use crate::ui::widgets::answers::Picked;
use crate::ui::widgets::dialog;
use crate::ui::widgets::file_dialog::{self, Dialog};
use crate::ui::widgets::style::signal;
use crate::ui::worker::Worker;

/// Which devices a render writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    PreviewDevice,
    /// The preview device's site: one customer's files, where "all" mixes in every other's.
    PreviewSite,
    All,
}

pub struct RenderDialog {
    /// The preview device, which "this device only" renders, and its site.
    device: Option<Mac>,
    site: Option<String>,
    scope: Scope,
    folder: String,
    with_htdigest: bool,
    htdigest: String,
    realm: String,
    no_file_dialog: bool,
    error: Option<String>,
}

impl RenderDialog {
    pub fn new(device: Option<&Device>) -> Self {
        Self {
            device: device.map(|d| d.mac),
            site: device.and_then(|d| d.site.clone()),
            scope: if device.is_some() {
                Scope::PreviewDevice
            } else {
                Scope::All
            },
            folder: dialog::default_save_path("provdesk-configs"),
            with_htdigest: false,
            htdigest: dialog::default_save_path("provdesk.htdigest"),
            realm: String::new(),
            no_file_dialog: false,
            error: None,
        }
    }

    /// What a file dialog answered for one of the paths.
    pub fn picked(&mut self, which: RenderPath, picked: Picked) {
        let path = match picked {
            Picked::Paths(paths) => paths.first().map(|p| p.display().to_string()),
            Picked::NoDialog => {
                self.no_file_dialog = true;
                None
            }
        };
        if let Some(path) = path {
            match which {
                RenderPath::Folder => self.folder = path,
                RenderPath::Htdigest => self.htdigest = path,
            }
        }
    }

    /// The job the fields describe, or what is missing.
    fn job(&self) -> Result<RenderRequest, String> {
        let folder = self.folder.trim();
        if folder.is_empty() {
            return Err("Enter the folder to write the files to.".to_string());
        }
        let htdigest = if self.with_htdigest {
            let path = self.htdigest.trim();
            let realm = self.realm.trim();
            if path.is_empty() {
                return Err("Enter where to write the htdigest file.".to_string());
            }
            if realm.is_empty() {
                return Err(
                    "Enter the realm your web server announces (its AuthName / auth.require realm)."
                        .to_string(),
                );
            }
            Some((PathBuf::from(path), realm.to_string()))
        } else {
            None
        };
        Ok(RenderRequest {
            devices: self
                .device
                .filter(|_| self.scope == Scope::PreviewDevice)
                .map(|mac| vec![mac]),
            site: self
                .site
                .clone()
                .filter(|_| self.scope == Scope::PreviewSite),
            out: PathBuf::from(folder),
            htdigest,
            ..RenderRequest::default()
        })
    }

    /// The devices to render: the preview device, its site, or all.
    fn scope_choice(&mut self, ui: &mut egui::Ui) {
        let Some(mac) = self.device else {
            ui.label("All devices in the inventory (choose a preview device to render one, or its site).");
            return;
        };
        ui.radio_value(
            &mut self.scope,
            Scope::PreviewDevice,
            format!("Only the preview device {mac}"),
        );
        if let Some(site) = &self.site {
            ui.radio_value(
                &mut self.scope,
                Scope::PreviewSite,
                format!("The devices of its site, {site}"),
            );
        }
        ui.radio_value(&mut self.scope, Scope::All, "All devices in the inventory");
    }

    /// Shows the dialog. `Some(true)`: the job was sent; `Some(false)`: cancelled.
    pub fn ui(&mut self, ui: &egui::Ui, worker: &Worker) -> Option<bool> {
        let button = egui::Button::new(RichText::new("Render").strong());
        let decision =
            dialog::confirm_on_enter(ui, "template_render_dialog", 560.0, button, true, |ui| {
                ui.heading("Render configuration files");
                ui.label(
                    RichText::new(
                        "One file per device, named as the device asks for it, with the templates \
                     in use (save your edits first). Nothing is written unless every file renders.",
                    )
                    .weak(),
                );
                ui.add_space(6.0);
                self.scope_choice(ui);
                ui.add_space(4.0);
                path_row(ui, "Folder", &mut self.folder, || {
                    ask_path(worker, RenderPath::Folder);
                });
                ui.checkbox(&mut self.with_htdigest, "Also write an htdigest file")
                .on_hover_text(
                    "user:realm:HA1 lines for Apache or lighttpd: each device's MAC with its MAC \
                     password, and its digest user",
                );
                if self.with_htdigest {
                    path_row(ui, "htdigest file", &mut self.htdigest, || {
                        ask_path(worker, RenderPath::Htdigest);
                    });
                    ui.horizontal(|ui| {
                        let label = ui.label("Realm");
                        ui.add(
                            egui::TextEdit::singleline(&mut self.realm)
                                .hint_text("as the web server announces it")
                                .desired_width(360.0),
                        )
                        .labelled_by(label.id);
                    });
                    if htdigest_inside(
                        Path::new(self.htdigest.trim()),
                        Path::new(self.folder.trim()),
                    ) {
                        ui.colored_label(
                        signal(ui.visuals()).warning,
                        "The htdigest file is inside the folder, so the web server may serve it: \
                         keep it outside the document root.",
                    );
                    }
                }
                if self.no_file_dialog {
                    ui.colored_label(
                        signal(ui.visuals()).warning,
                        "No file dialog is available on this desktop; type the path above.",
                    );
                }
                if let Some(error) = &self.error {
                    ui.colored_label(signal(ui.visuals()).error, error);
                }
            });
        match decision {
            Some(true) => match self.job() {
                Ok(job) => {
                    jobs::render_files(worker, job);
                    Some(true)
                }
                Err(error) => {
                    self.error = Some(error);
                    None
                }
            },
            other => other,
        }
    }
}

fn ask_path(worker: &Worker, which: RenderPath) {
    let dialog = match which {
        RenderPath::Folder => Dialog::Folder {
            title: "Render the configuration files into",
        },
        RenderPath::Htdigest => Dialog::Save {
            title: "Write the htdigest file",
            filter: ("htdigest", "htdigest"),
            suggested: "provdesk.htdigest".into(),
        },
    };
    file_dialog::ask(worker, dialog, move |picked| {
        TemplatesEvent::RenderPath(which, picked)
    });
}

fn path_row(ui: &mut egui::Ui, label: &str, path: &mut String, choose: impl FnOnce()) {
    ui.horizontal(|ui| {
        let label = ui.label(label);
        ui.add(egui::TextEdit::singleline(path).desired_width(360.0))
            .labelled_by(label.id);
        if ui.button("Choose…").clicked() {
            choose();
        }
    });
}
