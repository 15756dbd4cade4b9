//! The line under the editor that says how the last render went, with what comes next: open
//! the folder in the file manager (or, when that fails, its path to copy), and remove the
//! device files an earlier render left there for devices not written this time, which a web
//! server serving the folder would go on handing out. Removing asks first, with the list.

use std::path::PathBuf;

use egui::RichText;

use crate::ops::render::{Removed, RenderReport, StaleFile};
use crate::ui::templates::events::TemplatesEvent;
use crate::ui::templates::jobs;
use crate::ui::widgets::status::StatusLine;
use crate::ui::widgets::style::signal;
use crate::ui::widgets::{dialog, open_folder};
use crate::ui::worker::Worker;
use crate::words;

/// The last render's outcome and what it offers.
pub struct LastRender {
    /// What was written, or why nothing was.
    outcome: Result<String, String>,
    /// The folder written; `None` when nothing was.
    folder: Option<PathBuf>,
    stale: Vec<StaleFile>,
    confirm_remove: bool,
    removing: bool,
    /// How many old files the user removed since.
    removed: usize,
    /// Why the file manager did not open the folder.
    open_failed: Option<String>,
}

impl LastRender {
    pub fn written(report: &RenderReport) -> Self {
        Self {
            outcome: Ok(summary(report)),
            folder: Some(report.out.clone()),
            stale: report.stale.clone(),
            confirm_remove: false,
            removing: false,
            removed: 0,
            open_failed: None,
        }
    }

    pub fn failed(message: String) -> Self {
        Self {
            outcome: Err(message),
            folder: None,
            stale: Vec::new(),
            confirm_remove: false,
            removing: false,
            removed: 0,
            open_failed: None,
        }
    }

    /// The outcome's words, for the status bar.
    pub fn message(&self) -> String {
        match &self.outcome {
            Ok(text) if !self.stale.is_empty() => format!("{text}; {}", self.stale_text()),
            Ok(text) | Err(text) => text.clone(),
        }
    }

    /// "2 device files of an earlier render are still in the folder".
    fn stale_text(&self) -> String {
        let count = self.stale.len();
        format!(
            "{} of an earlier render {} still in the folder",
            words::count(count, "device file"),
            words::agree(count, "is", "are")
        )
    }

    pub fn open_failed(&mut self, why: String) {
        self.open_failed = Some(why);
    }

    /// The removal answered: the files that stayed are offered again.
    pub fn removed(&mut self, removed: &Removed) {
        self.removing = false;
        self.removed += removed.removed.len();
        self.stale
            .retain(|file| !removed.removed.contains(&file.file_name));
    }

    /// The outcome, and after a render that wrote: Open folder and the offer to remove old
    /// files.
    pub fn ui(&mut self, ui: &mut egui::Ui, worker: &Worker) {
        let colors = signal(ui.visuals());
        let (color, text) = match &self.outcome {
            Ok(text) => (colors.ok, text),
            Err(text) => (colors.error, text),
        };
        ui.add(egui::Label::new(RichText::new(text).color(color)).wrap());
        let Some(folder) = self.folder.clone() else {
            return;
        };
        ui.horizontal_wrapped(|ui| {
            if ui
                .button("Open folder")
                .on_hover_text(format!("Show {} in the file manager", folder.display()))
                .clicked()
            {
                self.open_failed = None;
                open_folder::open(worker, folder.clone(), TemplatesEvent::OpenFolderFailed);
            }
            if !self.stale.is_empty() {
                let text = format!("Remove {}…", words::count(self.stale.len(), "old file"));
                if ui
                    .add_enabled(!self.removing, egui::Button::new(text))
                    .on_hover_text(
                        "Device files an earlier render left in this folder for devices not \
                         rendered now: a web server serving the folder would still hand them out",
                    )
                    .clicked()
                {
                    self.confirm_remove = true;
                }
                ui.label(RichText::new(self.stale_text()).color(colors.warning));
            } else if self.removed > 0 {
                ui.label(
                    RichText::new(format!(
                        "Removed {} of an earlier render.",
                        words::count(self.removed, "old file")
                    ))
                    .weak(),
                );
            }
        });
        if let Some(why) = &self.open_failed {
            let path = folder.display().to_string();
            ui.add(
                egui::Label::new(
                    RichText::new(format!(
                        "Could not open the folder: {why}. Open it yourself:"
                    ))
                    .color(colors.error),
                )
                .wrap(),
            );
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(&path).monospace());
                if ui
                    .small_button("Copy")
                    .on_hover_text("Copy the folder's path")
                    .clicked()
                {
                    ui.ctx().copy_text(path.clone());
                }
            });
        }
    }

    /// The question before removing the old files, with their names.
    pub fn confirm_ui(&mut self, ui: &egui::Ui, worker: &Worker) {
        if !self.confirm_remove {
            return;
        }
        let Some(folder) = self.folder.clone() else {
            self.confirm_remove = false;
            return;
        };
        let count = words::count(self.stale.len(), "file");
        let button = dialog::danger_button(ui, format!("Remove {count}"));
        let stale = &self.stale;
        let decision = dialog::confirm(ui, "confirm_stale_removal", 560.0, button, true, |ui| {
            ui.heading(format!("Remove {count} of an earlier render?"));
            ui.add(
                egui::Label::new(format!(
                    "{} holds these device files, which this render did not write: a web server \
                     serving the folder would still hand them out. Nothing else in the folder is \
                     touched.",
                    folder.display()
                ))
                .wrap(),
            );
            ui.add_space(4.0);
            egui::ScrollArea::vertical()
                .id_salt("stale_files")
                .max_height(240.0)
                .show(ui, |ui| {
                    for file in stale {
                        ui.horizontal(|ui| {
                            ui.label(RichText::new(&file.file_name).monospace());
                            ui.label(RichText::new(whose(file)).small().weak());
                        });
                    }
                });
        });
        match decision {
            Some(true) => {
                self.confirm_remove = false;
                self.removing = true;
                jobs::remove_stale(worker, folder, self.stale.clone());
            }
            Some(false) => self.confirm_remove = false,
            None => {}
        }
    }
}

/// What the removal did, for the status bar (also when another render has started since).
pub fn say_removed(removed: &Removed, status: &mut StatusLine) {
    let folder = removed.folder.display();
    let count = words::count(removed.removed.len(), "old device file");
    if removed.failed.is_empty() {
        status.info(format!("Removed {count} from {folder}."));
    } else {
        let why: Vec<String> = removed
            .failed
            .iter()
            .map(|(name, why)| format!("{name}: {why}"))
            .collect();
        status.error(format!(
            "Removed {count} from {folder}; could not remove {}",
            why.join("; ")
        ));
    }
}

/// Why the device's file was not written this time.
fn whose(file: &StaleFile) -> &'static str {
    if file.in_inventory {
        "device in the inventory, not in this render"
    } else {
        "device no longer in the inventory"
    }
}

/// "Rendered 3 files into /srv/prov; wrote … with 4 users", for the status bar and the
/// panel.
fn summary(report: &RenderReport) -> String {
    let mut message = format!(
        "Rendered {} into {}",
        words::count(report.files.len(), "file"),
        report.out.display()
    );
    if let Some(htdigest) = &report.htdigest {
        message.push_str(&format!(
            "; wrote {} with {}",
            htdigest.path.display(),
            words::count(htdigest.users, "user")
        ));
        if !htdigest.without_credentials.is_empty() {
            let macs: Vec<String> = htdigest
                .without_credentials
                .iter()
                .map(|mac| mac.macd())
                .collect();
            message.push_str(&format!(
                "; no htdigest line for {} (no MAC password or digest credentials)",
                macs.join(", ")
            ));
        }
    }
    message
}
