//! The Render… dialog: which devices (the preview device, one site, or all), the folder the
//! files go to, and optionally the htdigest file with its realm. The job runs on the worker, as
//! `provdesk render` does: everything is rendered and checked before any file is written. A
//! render uses the saved templates, so unsaved edits are saved first when the user says so.
//! The realm starts as Serve's, so a web server given these files and Serve on this laptop
//! ask the phones for the same one.

use std::path::{Path, PathBuf};

use egui::RichText;

use crate::device::{Device, Mac};
use crate::ops::render::RenderRequest;
use crate::templates::htdigest_inside;
use crate::ui::templates::Elsewhere;
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
    /// The chosen site's: one customer's files, where "all" mixes in every other's.
    Site,
    All,
}

/// The selected template's unsaved edits when the dialog opened: a render uses the saved
/// version, which the editor no longer shows.
pub struct Unsaved {
    pub name: &'static str,
    pub text: String,
    /// The note the user wrote for the version saving makes.
    pub note: String,
    /// Why saving would refuse the text, when it would.
    pub blocked: Option<String>,
}

pub struct RenderDialog {
    /// The preview device, which "this device only" renders.
    device: Option<Mac>,
    /// Every site, with its device count, and the one chosen (the preview device's at first).
    sites: Vec<(String, usize)>,
    site: String,
    scope: Scope,
    unsaved: Option<Unsaved>,
    save_first: bool,
    folder: String,
    with_htdigest: bool,
    htdigest: String,
    realm: String,
    no_file_dialog: bool,
    error: Option<String>,
    /// The link to Serve was clicked: the dialog closes and the app shows Serve.
    to_serve: bool,
}

impl RenderDialog {
    pub fn new(device: Option<&Device>, elsewhere: &Elsewhere, unsaved: Option<Unsaved>) -> Self {
        let sites: Vec<(String, usize)> = elsewhere
            .sites
            .iter()
            .map(|site| (site.name.clone(), site.device_count))
            .collect();
        let site = device
            .and_then(|d| d.site.clone())
            .or_else(|| sites.first().map(|(name, _)| name.clone()))
            .unwrap_or_default();
        Self {
            device: device.map(|d| d.mac),
            sites,
            site,
            scope: if device.is_some() {
                Scope::PreviewDevice
            } else {
                Scope::All
            },
            save_first: unsaved.as_ref().is_some_and(|u| u.blocked.is_none()),
            unsaved,
            folder: dialog::default_save_path("provdesk-configs"),
            with_htdigest: false,
            htdigest: dialog::default_save_path("provdesk.htdigest"),
            realm: elsewhere.serve_realm.to_string(),
            no_file_dialog: false,
            error: None,
            to_serve: false,
        }
    }

    /// Starts in the folder of the last render, when there was one: re-rendering goes to the
    /// same web server's folder far more often than to a new one.
    pub fn in_folder(mut self, folder: Option<&str>) -> Self {
        if let Some(folder) = folder {
            self.folder = folder.to_string();
        }
        self
    }

    /// The folder the files go to.
    pub fn folder(&self) -> &str {
        self.folder.trim()
    }

    /// Whether the dialog closed for the link to Serve.
    pub fn wants_serve(&self) -> bool {
        self.to_serve
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
            site: (self.scope == Scope::Site).then(|| self.site.clone()),
            out: PathBuf::from(folder),
            htdigest,
            ..RenderRequest::default()
        })
    }

    /// The devices to render: the preview device, one site's, or all.
    fn scope_choice(&mut self, ui: &mut egui::Ui) {
        if let Some(mac) = self.device {
            ui.radio_value(
                &mut self.scope,
                Scope::PreviewDevice,
                format!("Only the preview device {mac}"),
            );
        }
        if !self.sites.is_empty() {
            ui.horizontal(|ui| {
                let radio = ui.radio_value(&mut self.scope, Scope::Site, "The devices of the site");
                let shown = match self.sites.iter().find(|(name, _)| *name == self.site) {
                    Some((name, count)) => site_text(name, *count),
                    None => self.site.clone(),
                };
                let mut picked = false;
                egui::ComboBox::from_id_salt("render_site")
                    .selected_text(shown)
                    .width(260.0)
                    .show_ui(ui, |ui| {
                        for (name, count) in &self.sites {
                            picked |= ui
                                .selectable_value(
                                    &mut self.site,
                                    name.clone(),
                                    site_text(name, *count),
                                )
                                .clicked();
                        }
                    })
                    .response
                    .labelled_by(radio.id);
                if picked {
                    self.scope = Scope::Site;
                }
            });
        }
        ui.radio_value(&mut self.scope, Scope::All, "All devices in the inventory");
    }

    /// The line that sends an installer who means to serve phones from this laptop to Serve,
    /// which renders each file when the phone asks and needs none of these.
    fn serve_instead(&mut self, ui: &mut egui::Ui) {
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new("To serve phones from this laptop you do not need to render:")
                    .color(signal(ui.visuals()).info),
            );
            if ui
                .link("use Serve")
                .on_hover_text("Close this dialog and open the Serve panel")
                .clicked()
            {
                self.to_serve = true;
            }
        });
    }

    /// The unsaved edits, and whether to save them first; the button's text.
    fn unsaved_choice(&mut self, ui: &mut egui::Ui) {
        let Some(unsaved) = &self.unsaved else {
            return;
        };
        let warning = signal(ui.visuals()).warning;
        ui.add(
            egui::Label::new(
                RichText::new(format!(
                    "{} has unsaved changes: a render uses the saved version.",
                    unsaved.name
                ))
                .color(warning),
            )
            .wrap(),
        );
        match &unsaved.blocked {
            None => {
                ui.checkbox(&mut self.save_first, "Save them as a new version first");
            }
            Some(why) => {
                ui.add_enabled(
                    false,
                    egui::Checkbox::new(&mut self.save_first, "Save them as a new version first"),
                );
                ui.add(egui::Label::new(RichText::new(why).small().weak()).wrap());
            }
        }
    }

    /// Shows the dialog. `Some(true)`: the job was sent; `Some(false)`: cancelled.
    pub fn ui(&mut self, ui: &egui::Ui, worker: &Worker) -> Option<bool> {
        let saving = self.save_first && self.unsaved.is_some();
        let action = if saving { "Save and render" } else { "Render" };
        let button = egui::Button::new(RichText::new(action).strong());
        let decision =
            dialog::confirm_on_enter(ui, "template_render_dialog", 560.0, button, true, |ui| {
                ui.heading("Render configuration files");
                self.serve_instead(ui);
                ui.label(
                    RichText::new(
                        "One file per device, named as the device asks for it, with the saved \
                         templates, for your web server. Nothing is written unless every file \
                         renders.",
                    )
                    .weak(),
                );
                ui.add_space(6.0);
                self.scope_choice(ui);
                self.unsaved_choice(ui);
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
        if self.to_serve {
            return Some(false);
        }
        match decision {
            Some(true) => match self.job() {
                Ok(job) => {
                    match self.unsaved.take().filter(|_| saving) {
                        Some(unsaved) => {
                            let version = (unsaved.name, unsaved.text, unsaved.note);
                            jobs::save_and_render(worker, version, job);
                        }
                        None => jobs::render_files(worker, job),
                    }
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

/// "Hotel Adler (29 devices)".
fn site_text(name: &str, devices: usize) -> String {
    format!("{name} ({})", crate::words::count(devices, "device"))
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
