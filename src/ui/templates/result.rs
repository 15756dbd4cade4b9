//! The line under the editor that says how the last render went, with what comes next: open
//! the folder in the file manager (or, when that fails, its path to copy), and remove the
//! device files an earlier render left there for devices not written this time, which a web
//! server serving the folder would go on handing out. Removing asks first, with the list:
//! files of devices gone from the inventory ticked, files of other sites' phones still in it
//! apart and unticked, since in a folder the sites share they are current.

use std::path::PathBuf;

use egui::RichText;

use crate::ops::render::{Removed, RenderReport, StaleFile, Whose};
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
    /// Each with whether it is ticked for removal.
    stale: Vec<(StaleFile, bool)>,
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
            stale: report
                .stale
                .iter()
                .map(|file| (file.clone(), file.removed_by_default()))
                .collect(),
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
            Ok(text) if self.old_count() > 0 => format!("{text}; {}", self.stale_text()),
            Ok(text) | Err(text) => text.clone(),
        }
    }

    /// "2 device files of an earlier render are still in the folder".
    fn stale_text(&self) -> String {
        let count = self.old_count();
        format!(
            "{} of an earlier render {} still in the folder",
            words::count(count, "device file"),
            words::agree(count, "is", "are")
        )
    }

    /// The stale files removing takes unless asked otherwise: not other sites' phones'.
    fn old_count(&self) -> usize {
        self.stale
            .iter()
            .filter(|(file, _)| file.removed_by_default())
            .count()
    }

    fn outside_count(&self) -> usize {
        self.stale.len() - self.old_count()
    }

    pub fn open_failed(&mut self, why: String) {
        self.open_failed = Some(why);
    }

    /// The removal answered: the files that stayed are offered again.
    pub fn removed(&mut self, removed: &Removed) {
        self.removing = false;
        self.removed += removed.removed.len();
        self.stale
            .retain(|(file, _)| !removed.removed.contains(&file.file_name));
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
            let (old, outside) = (self.old_count(), self.outside_count());
            if old > 0 || outside > 0 {
                let text = if old > 0 {
                    format!("Remove {}…", words::count(old, "old file"))
                } else {
                    format!("Review {} of other devices…", words::count(outside, "file"))
                };
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
                if old > 0 {
                    ui.label(RichText::new(self.stale_text()).color(colors.warning));
                }
                if outside > 0 {
                    ui.label(RichText::new(outside_text(outside)).weak());
                }
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

    /// The question before removing the old files, with their names: the old ones ticked,
    /// other devices' files apart and unticked.
    pub fn confirm_ui(&mut self, ui: &egui::Ui, worker: &Worker) {
        if !self.confirm_remove {
            return;
        }
        let Some(folder) = self.folder.clone() else {
            self.confirm_remove = false;
            return;
        };
        let ticked = self.stale.iter().filter(|(_, ticked)| *ticked).count();
        let count = words::count(ticked, "file");
        let button = dialog::danger_button(ui, format!("Remove {count}"));
        let stale = &mut self.stale;
        let decision = dialog::confirm(
            ui,
            "confirm_stale_removal",
            560.0,
            button,
            ticked > 0,
            |ui| {
                ui.heading(format!("Remove {count} of an earlier render?"));
                ui.add(
                    egui::Label::new(format!(
                        "{} holds these device files, which this render did not write: a web \
                         server serving the folder would still hand them out. Only the ticked \
                         ones go; nothing else in the folder is touched.",
                        folder.display()
                    ))
                    .wrap(),
                );
                ui.add_space(4.0);
                egui::ScrollArea::vertical()
                    .id_salt("stale_files")
                    .max_height(240.0)
                    .show(ui, |ui| stale_list(ui, stale));
            },
        );
        match decision {
            Some(true) => {
                self.confirm_remove = false;
                self.removing = true;
                let files = self
                    .stale
                    .iter()
                    .filter(|(_, ticked)| *ticked)
                    .map(|(file, _)| file.clone())
                    .collect();
                jobs::remove_stale(worker, folder, files);
            }
            Some(false) => {
                // A tick given and then cancelled is not kept for the next time.
                self.confirm_remove = false;
                for (file, ticked) in &mut self.stale {
                    *ticked = file.removed_by_default();
                }
            }
            None => {}
        }
    }
}

/// The stale files with a tick each: the old ones first, then, apart, those of devices this
/// render was not for, which may be current.
fn stale_list(ui: &mut egui::Ui, stale: &mut [(StaleFile, bool)]) {
    let (old, outside): (Vec<_>, Vec<_>) = stale
        .iter_mut()
        .partition(|(file, _)| file.removed_by_default());
    for (file, ticked) in old {
        ui.horizontal(|ui| {
            ui.checkbox(ticked, RichText::new(&file.file_name).monospace());
            ui.label(RichText::new(whose(&file.whose)).small().weak());
        });
    }
    if outside.is_empty() {
        return;
    }
    ui.add_space(6.0);
    ui.add(
        egui::Label::new(
            RichText::new(
                "Devices still in the inventory that this render was not for: in a folder the \
                 sites share these files are current. Tick one only if its phone left this site.",
            )
            .strong(),
        )
        .wrap(),
    );
    for (file, ticked) in outside {
        ui.horizontal(|ui| {
            ui.checkbox(ticked, RichText::new(&file.file_name).monospace());
            ui.label(RichText::new(whose(&file.whose)).small().weak());
        });
    }
}

/// "2 files of devices outside this render left alone".
fn outside_text(count: usize) -> String {
    format!(
        "{} of devices outside this render left alone",
        words::count(count, "file")
    )
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
fn whose(whose: &Whose) -> String {
    match whose {
        Whose::Gone => "device no longer in the inventory".to_string(),
        Whose::Renamed => "device rendered now under another name".to_string(),
        Whose::Outside { site: Some(site) } => format!("device of site {site}"),
        Whose::Outside { site: None } => "device without a site".to_string(),
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
        if !htdigest.kept.is_empty() {
            message.push_str(&format!(
                ", keeping the lines of {} of other devices",
                words::count(htdigest.kept.len(), "user")
            ));
        }
        if !htdigest.dropped.is_empty() {
            message.push_str(&format!(
                "; dropped {} no device logs in as any more: {}",
                words::count(htdigest.dropped.len(), "user"),
                htdigest.dropped.join(", ")
            ));
        }
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
