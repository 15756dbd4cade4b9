//! The Render… dialog: which devices (the preview device, one site, or all), the folder the
//! files go to, and optionally the htdigest file with its realm. The job runs on the worker, as
//! `provdesk render` does: everything is rendered and checked before any file is written. A
//! render uses the saved templates, so unsaved edits are saved first when the user says so.
//! The realm starts as Serve's, so a web server given these files and Serve on this laptop
//! ask the phones for the same one. The folder and the htdigest file follow the site chosen
//! (see `render_paths`) until the user types or picks one.

use std::path::{Path, PathBuf};

use egui::RichText;

use crate::device::{Device, Mac};
use crate::ops::render::RenderRequest;
use crate::templates::htdigest_inside;
use crate::ui::templates::Elsewhere;
use crate::ui::templates::events::RenderPath;
use crate::ui::templates::jobs;
use crate::ui::templates::render_paths::{
    Folders, ask_path, folder_for, htdigest_for, path_row, site_text,
};
use crate::ui::widgets::answers::Picked;
use crate::ui::widgets::dialog;
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
    /// The version the edits started from: saving is refused when another was saved since.
    pub base: Option<u32>,
    /// Why saving would refuse the text, when it would.
    pub blocked: Option<String>,
}

pub struct RenderDialog {
    /// The preview device, which "this device only" renders.
    device: Option<Mac>,
    /// The preview device's site, whose folder "this device only" starts in.
    device_site: Option<String>,
    /// Every site, with its device count, and the one chosen (the preview device's at first).
    sites: Vec<(String, usize)>,
    site: String,
    scope: Scope,
    unsaved: Option<Unsaved>,
    save_first: bool,
    folder: String,
    /// Folders of earlier renders, by site.
    folders: Folders,
    /// The site the folder and htdigest file were last filled in for.
    filled_for: Option<String>,
    /// The user typed or picked the folder: it no longer follows the site chosen.
    folder_chosen: bool,
    with_htdigest: bool,
    htdigest: String,
    htdigest_chosen: bool,
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
        let device_site = device.and_then(|d| d.site.clone());
        let scope = if device.is_some() {
            Scope::PreviewDevice
        } else {
            Scope::All
        };
        let filled_for = match scope {
            Scope::PreviewDevice => device_site.clone(),
            _ => None,
        };
        Self {
            device: device.map(|d| d.mac),
            folder: folder_for(filled_for.as_deref(), &Folders::new()),
            htdigest: htdigest_for(filled_for.as_deref()),
            filled_for,
            device_site,
            sites,
            site,
            scope,
            save_first: unsaved.as_ref().is_some_and(|u| u.blocked.is_none()),
            unsaved,
            folders: Folders::new(),
            folder_chosen: false,
            with_htdigest: false,
            htdigest_chosen: false,
            realm: elsewhere.serve_realm.to_string(),
            no_file_dialog: false,
            error: None,
            to_serve: false,
        }
    }

    /// Starts in the folder of the site's last render, when there was one: re-rendering goes
    /// to the same web server's folder far more often than to a new one.
    pub fn remembering(mut self, folders: &Folders) -> Self {
        self.folders = folders.clone();
        self.folder = folder_for(self.filled_for.as_deref(), &self.folders);
        self
    }

    /// The site the render is for, with the folder it goes to, to start there next time.
    pub fn remembered(&self) -> (Option<String>, String) {
        (self.chosen_site(), self.folder.trim().to_string())
    }

    /// The site the chosen devices are of (`None`: every device, or a device without one).
    fn chosen_site(&self) -> Option<String> {
        match self.scope {
            Scope::PreviewDevice => self.device_site.clone(),
            Scope::Site => Some(self.site.clone()),
            Scope::All => None,
        }
    }

    /// Fills in the folder and the htdigest file for the site chosen, unless the user chose
    /// them: a render for one site defaults to that site's own.
    fn follow_choice(&mut self) {
        let site = self.chosen_site();
        if site == self.filled_for {
            return;
        }
        if !self.folder_chosen {
            self.folder = folder_for(site.as_deref(), &self.folders);
        }
        if !self.htdigest_chosen {
            self.htdigest = htdigest_for(site.as_deref());
        }
        self.filled_for = site;
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
                RenderPath::Folder => {
                    self.folder = path;
                    self.folder_chosen = true;
                }
                RenderPath::Htdigest => {
                    self.htdigest = path;
                    self.htdigest_chosen = true;
                }
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
                self.follow_choice();
                self.unsaved_choice(ui);
                ui.add_space(4.0);
                self.folder_chosen |= path_row(ui, "Folder", &mut self.folder, || {
                    ask_path(worker, RenderPath::Folder);
                });
                ui.checkbox(&mut self.with_htdigest, "Also write an htdigest file")
                .on_hover_text(
                    "user:realm:HA1 lines for Apache or lighttpd: each device's MAC with its MAC \
                     password, and its digest user",
                );
                if self.with_htdigest {
                    self.htdigest_chosen |=
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
                            jobs::save_and_render(worker, version, unsaved.base, job);
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
