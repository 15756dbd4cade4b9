//! The Inventory panel: search, site filter, a virtualized sortable table, the add/edit form,
//! bulk delete behind a confirmation, and undo.

mod device_form;
pub mod events;
mod jobs;
mod table;
mod toolbar;

use std::collections::BTreeSet;

use egui::RichText;

use crate::device::{Device, Mac};
use crate::inventory::{DeviceQuery, Site};
use crate::ui::remember::Sort;
use crate::ui::widgets::answers::Picked;
use crate::ui::widgets::banner;
use crate::ui::widgets::dialog;
use crate::ui::widgets::file_dialog::{self, Dialog};
use crate::ui::widgets::status::StatusLine;
use crate::ui::widgets::style::signal;
use crate::ui::worker::Worker;
use device_form::{DeviceForm, FormAction, FormMode};
use events::InventoryEvent;

/// How many deletions can be undone, newest first.
const UNDO_DEPTH: usize = 20;

#[derive(Default)]
pub struct InventoryPanel {
    query: DeviceQuery,
    generation: u64,
    /// The generation whose answer is shown; less than `generation` while a query is running.
    shown_generation: u64,
    devices: Vec<Device>,
    selected: BTreeSet<i64>,
    /// The device last clicked without Shift, where a Shift-click range starts. An id, not a
    /// row index, because the list changes under it with every search.
    anchor: Option<i64>,
    form: Option<DeviceForm>,
    confirm_delete: Option<Vec<i64>>,
    undo: Vec<Vec<Device>>,
    /// Devices an undo is bringing back, selected once they are in the list again.
    restoring: Vec<i64>,
    inventory_total: usize,
    sites: Vec<Site>,
    focus_search: bool,
    export: Option<ExportDialog>,
    /// A device whose row menu asked for a test fetch; the app takes it to the fetch panel.
    test_fetch: Option<Device>,
    /// Devices to pick in the Redirect panel, asked for from a row's menu.
    redirect: Option<Vec<Mac>>,
    /// The last failure of this panel's jobs.
    error: Option<String>,
}

/// The export dialog: where to write, and whether a file dialog is available.
struct ExportDialog {
    path: String,
    no_file_dialog: bool,
}

impl InventoryPanel {
    /// A panel sorted as the last run left it.
    pub fn new(sort: Sort) -> Self {
        let mut panel = Self::default();
        panel.query.sort = sort.key;
        panel.query.descending = sort.descending;
        panel
    }

    /// The table's order, for the next run.
    pub fn sort(&self) -> Sort {
        Sort {
            key: self.query.sort,
            descending: self.query.descending,
        }
    }

    /// Asks for the device list again with the current search, filter and sort.
    pub fn refresh(&mut self, worker: &Worker) {
        self.generation += 1;
        jobs::query(worker, self.generation, self.query.clone());
    }

    pub fn loading(&self) -> bool {
        self.shown_generation < self.generation
    }

    pub fn selected_count(&self) -> usize {
        self.selected.len()
    }

    pub fn shown_count(&self) -> usize {
        self.devices.len()
    }

    /// The sites, as of the last change.
    pub fn sites(&self) -> &[Site] {
        &self.sites
    }

    /// All devices in the inventory, as of the last list.
    pub fn inventory_total(&self) -> usize {
        self.inventory_total
    }

    /// The device a row's "Test fetch" asked for, once.
    pub fn take_test_fetch(&mut self) -> Option<Device> {
        self.test_fetch.take()
    }

    /// The devices a row's "Redirect server…" asked to pick in the Redirect panel.
    pub fn take_redirect(&mut self) -> Option<Vec<Mac>> {
        self.redirect.take()
    }

    /// Takes the worker's answers that concern the inventory. A change to the devices is
    /// followed by the app's reload of every view of them, this table's included.
    pub fn on_event(&mut self, event: InventoryEvent, _worker: &Worker, status: &mut StatusLine) {
        match event {
            InventoryEvent::Devices {
                generation,
                page,
                inventory_total,
            } if generation >= self.shown_generation => {
                self.shown_generation = generation;
                self.inventory_total = inventory_total;
                let present: BTreeSet<i64> = page.devices.iter().map(|d| d.id).collect();
                self.selected.extend(std::mem::take(&mut self.restoring));
                self.selected.retain(|id| present.contains(id));
                self.devices = page.devices;
            }
            // An answer to a query that a newer answer already replaced.
            InventoryEvent::Devices { .. } => {}
            InventoryEvent::Added(device) => {
                status.info(format!("Added {}", device.mac));
                self.form = None;
            }
            InventoryEvent::Updated(device) => {
                status.info(format!("Saved {}", device.mac));
                self.form = None;
            }
            InventoryEvent::Deleted(devices) => {
                status.info(format!(
                    "Deleted {} device(s). Undo with Ctrl+Z.",
                    devices.len()
                ));
                for device in &devices {
                    self.selected.remove(&device.id);
                }
                self.undo.push(devices);
                if self.undo.len() > UNDO_DEPTH {
                    self.undo.remove(0);
                }
            }
            InventoryEvent::Restored(count) => {
                status.info(format!("Restored {count} device(s)."));
            }
            InventoryEvent::Sites(sites) => self.sites = sites,
            InventoryEvent::ExportPath(picked) => {
                if let Some(export) = &mut self.export {
                    match picked {
                        Picked::Paths(paths) => {
                            if let Some(path) = paths.first() {
                                export.path = path.display().to_string();
                            }
                        }
                        Picked::NoDialog => export.no_file_dialog = true,
                    }
                }
            }
            InventoryEvent::Exported { path, count } => {
                status.info(format!("Exported {count} device(s) to {}", path.display()));
            }
            InventoryEvent::SaveFailed(error) => {
                if let Some(form) = self.form.as_mut() {
                    form.saving = false;
                    form.store_error = Some(error.clone());
                }
                status.error(format!("Could not save the device: {error}"));
            }
            InventoryEvent::Failed { action, error } => {
                self.error = Some(format!("Could not {action}: {error}"));
                status.error(format!("Could not {action}: {error}"));
            }
        }
    }

    /// The devices or sites changed: list them again.
    pub fn reload(&mut self, worker: &Worker) {
        self.refresh(worker);
        jobs::load_sites(worker);
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, worker: &Worker, status: &mut StatusLine) {
        self.shortcuts(ui, worker);
        if self.form.is_some() {
            egui::Panel::right("device_form_panel")
                .resizable(true)
                .default_size(480.0)
                .min_size(420.0)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical().show(ui, |ui| self.form_ui(ui, worker));
                });
        }
        egui::CentralPanel::default().show(ui, |ui| {
            self.toolbar(ui, worker);
            banner::error(ui, &mut self.error);
            ui.add_space(4.0);
            if self.devices.is_empty() && !self.loading() {
                self.empty_state(ui);
            } else {
                self.table(ui, worker);
            }
        });
        self.delete_dialog(ui, worker, status);
        self.export_dialog(ui, worker);
    }

    /// The devices an export writes: the selected ones, else all shown.
    fn export_selection(&self) -> Vec<Device> {
        if self.selected.is_empty() {
            self.devices.clone()
        } else {
            self.devices
                .iter()
                .filter(|d| self.selected.contains(&d.id))
                .cloned()
                .collect()
        }
    }

    fn export_dialog(&mut self, ui: &mut egui::Ui, worker: &Worker) {
        let Some(export) = self.export.as_mut() else {
            return;
        };
        let count = if self.selected.is_empty() {
            self.devices.len()
        } else {
            self.selected.len()
        };
        let ready = !export.path.trim().is_empty();
        let button = egui::Button::new(format!("Export {count}"));
        let decision = dialog::confirm(ui, "export_dialog", 520.0, button, ready, |ui| {
            ui.heading(format!("Export {count} device(s) as CSV"));
            ui.label(
                RichText::new(
                    "MAC, MAC-ID, model, site, provider, URL, digest user name and notes. \
                     No passwords: a password inside a URL is masked.",
                )
                .weak(),
            );
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                let label = ui.label("File");
                ui.add(egui::TextEdit::singleline(&mut export.path).desired_width(360.0))
                    .labelled_by(label.id);
                if ui.button("Choose…").clicked() {
                    file_dialog::ask(
                        worker,
                        Dialog::Save {
                            title: "Export devices as CSV",
                            filter: ("CSV", "csv"),
                            suggested: "provdesk-devices.csv".into(),
                        },
                        InventoryEvent::ExportPath,
                    );
                }
            });
            if export.no_file_dialog {
                ui.colored_label(
                    signal(ui.visuals()).warning,
                    "No file dialog is available on this desktop; type the path above.",
                );
            }
        });
        match decision {
            Some(true) => {
                let path = std::path::PathBuf::from(export.path.trim());
                jobs::export(worker, self.export_selection(), path);
                self.export = None;
            }
            Some(false) => self.export = None,
            None => {}
        }
    }

    fn open_edit_form(&mut self, id: i64) {
        if let Some(device) = self.devices.iter().find(|d| d.id == id) {
            self.form = Some(DeviceForm::new(FormMode::Edit(id), device.to_draft()));
        }
    }

    fn form_ui(&mut self, ui: &mut egui::Ui, worker: &Worker) {
        let Some(form) = self.form.as_mut() else {
            return;
        };
        match form.show(ui, &self.sites) {
            FormAction::None => {}
            FormAction::Cancel => self.form = None,
            FormAction::Save(device) => {
                form.saving = true;
                match form.mode {
                    FormMode::Add => jobs::add(worker, *device),
                    FormMode::Edit(id) => jobs::update(worker, id, *device),
                }
            }
        }
    }

    fn empty_state(&mut self, ui: &mut egui::Ui) {
        ui.add_space(60.0);
        ui.vertical_centered(|ui| {
            if self.query.search.trim().is_empty() && self.query.site.is_none() {
                ui.heading("No devices yet");
                ui.label("Add a device by hand, or import labels from a CSV file or a scanner.");
                ui.add_space(8.0);
                if ui.button("➕ Add device").clicked() {
                    self.open_add_form();
                }
            } else {
                ui.heading("No device matches");
                ui.label("Try a shorter search or another site.");
            }
        });
    }

    fn delete_dialog(&mut self, ui: &mut egui::Ui, worker: &Worker, status: &mut StatusLine) {
        let Some(ids) = self.confirm_delete.clone() else {
            return;
        };
        let macs: Vec<String> = self
            .devices
            .iter()
            .filter(|d| ids.contains(&d.id))
            .map(|d| d.mac.macd())
            .collect();
        let colors = signal(ui.visuals());
        let delete = egui::Button::new(
            RichText::new(format!("Delete {} device(s)", ids.len())).color(colors.on_danger),
        )
        .fill(colors.danger);
        let decision = dialog::confirm(ui, "confirm_delete", 380.0, delete, true, |ui| {
            ui.heading(format!("Delete {} device(s)?", ids.len()));
            ui.add_space(4.0);
            for mac in macs.iter().take(8) {
                ui.label(RichText::new(mac).monospace());
            }
            if macs.len() > 8 {
                ui.label(format!("… and {} more", macs.len() - 8));
            }
            ui.add_space(4.0);
            ui.label(
                "Their MAC passwords and credentials are removed from the inventory. \
                 You can undo this until you close provdesk.",
            );
        });
        match decision {
            Some(true) => {
                status.info(format!("Deleting {} device(s)…", ids.len()));
                jobs::delete(worker, ids);
                self.confirm_delete = None;
            }
            Some(false) => self.confirm_delete = None,
            None => {}
        }
    }
}
