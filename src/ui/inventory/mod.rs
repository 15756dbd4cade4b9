//! The Inventory panel: search, site filter, a virtualized sortable table, the add/edit form,
//! bulk delete behind a confirmation, and undo. The table holds only the rows around the
//! screen ([`window`]); the total, the selection and its actions work on ids.

mod cells;
mod device_form;
mod dialogs;
pub mod events;
mod jobs;
mod sip_accounts_form;
mod sites;
mod table;
mod toolbar;
mod window;

use std::collections::BTreeSet;
use std::ops::Range;

use crate::device::{Device, Mac};
use crate::inventory::{DeviceQuery, Site};
use crate::ui::remember::Sort;
use crate::ui::widgets::answers::Picked;
use crate::ui::widgets::banner;
use crate::ui::widgets::status::StatusLine;
use crate::ui::worker::Worker;
use crate::words;
use device_form::{DeviceForm, FormAction, FormMode};
use events::InventoryEvent;
use window::RowWindow;

/// How many deletions can be undone, newest first.
const UNDO_DEPTH: usize = 20;

#[derive(Default)]
pub struct InventoryPanel {
    query: DeviceQuery,
    generation: u64,
    /// The generation whose answer is shown; less than `generation` while a query is running.
    shown_generation: u64,
    rows: RowWindow,
    /// The rows on screen in the last frame.
    visible: Range<usize>,
    selected: BTreeSet<i64>,
    /// The device last clicked without Shift, where a Shift-click range starts.
    anchor: Option<Anchor>,
    /// A row the arrow keys moved to, for the table to bring into view.
    scroll_to: Option<usize>,
    form: Option<DeviceForm>,
    confirm_delete: Option<Vec<i64>>,
    /// The selected devices' new site, while its dialog is open.
    site_for: Option<dialogs::SiteFor>,
    undo: Vec<Vec<Device>>,
    /// Devices an undo is bringing back, selected once they are in the list again.
    restoring: Vec<i64>,
    inventory_total: usize,
    sites: Vec<Site>,
    focus_search: bool,
    export: Option<ExportDialog>,
    /// A device whose row menu asked for another panel; the app takes it there.
    handoff: Option<Handoff>,
    /// Devices to pick in the Redirect panel, asked for from a row's menu.
    redirect: Option<Vec<Mac>>,
    /// The last failure of this panel's jobs.
    error: Option<String>,
}

/// A device a row's menu sends to another panel, or the empty inventory's way to Import.
pub enum Handoff {
    TestFetch(Device),
    SipTest(Device),
    Import,
}

/// Where a Shift-click range starts: the device, and its row in the list it was clicked in
/// (the list changes with every search, so the row counts only in that one).
#[derive(Debug, Clone, Copy)]
struct Anchor {
    id: i64,
    index: usize,
    generation: u64,
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

    /// Asks for the device list again with the current search, filter and sort: the rows
    /// around the ones on screen, and which selected devices it no longer shows.
    pub fn refresh(&mut self, worker: &Worker) {
        self.generation += 1;
        let selected = self.selected.iter().chain(&self.restoring).copied();
        jobs::query(
            worker,
            self.generation,
            self.query.clone(),
            RowWindow::around(&self.visible),
            selected.collect(),
        );
    }

    /// Asks for the rows on screen when they are not loaded (nor on their way).
    fn load_visible(&mut self, worker: &Worker) {
        if self.loading() {
            return; // the new list brings them
        }
        if let Some(rows) = self.rows.wanted(self.visible.clone()) {
            jobs::query(
                worker,
                self.generation,
                self.query.clone(),
                rows,
                Vec::new(),
            );
        }
    }

    pub fn loading(&self) -> bool {
        self.shown_generation < self.generation
    }

    pub fn selected_count(&self) -> usize {
        self.selected.len()
    }

    /// The ids of the selected devices, loaded on screen or not.
    pub fn selected_ids(&self) -> Vec<i64> {
        self.selected.iter().copied().collect()
    }

    /// Picks the selected devices in the Redirect panel (the app switches to it when the MACs
    /// arrive, as for a row's "Redirect server…").
    /// Picks these devices in the Redirect panel.
    pub fn send_to_redirect(&self, worker: &Worker, ids: Vec<i64>) {
        jobs::redirect(worker, ids);
    }

    /// Picks the site's devices in the Redirect panel.
    pub fn send_site_to_redirect(&self, worker: &Worker, site: String) {
        jobs::redirect_site(worker, site);
    }

    pub fn shown_count(&self) -> usize {
        self.rows.total()
    }

    /// The sites, as of the last change.
    pub fn sites(&self) -> &[Site] {
        &self.sites
    }

    /// All devices in the inventory, as of the last list.
    pub fn inventory_total(&self) -> usize {
        self.inventory_total
    }

    /// The device a row's "Test fetch" or "SIP test…" asked for, once.
    pub fn take_handoff(&mut self) -> Option<Handoff> {
        self.handoff.take()
    }

    /// The devices a row's "Redirect server…" asked to pick in the Redirect panel.
    pub fn take_redirect(&mut self) -> Option<Vec<Mac>> {
        self.redirect.take()
    }

    /// Takes the worker's answers that concern the inventory. A change to the devices is
    /// followed by the app's reload of every view of them, this table's included.
    pub fn on_event(&mut self, event: InventoryEvent, worker: &Worker, status: &mut StatusLine) {
        match event {
            InventoryEvent::Devices {
                generation,
                offset,
                page,
                inventory_total,
                unmatched,
            } if generation >= self.shown_generation => {
                if generation > self.shown_generation {
                    self.selected.extend(std::mem::take(&mut self.restoring));
                    for id in unmatched {
                        self.selected.remove(&id);
                    }
                }
                self.shown_generation = generation;
                self.inventory_total = inventory_total;
                self.rows.fill(offset, page.devices, page.total);
            }
            // An answer to a query that a newer answer already replaced.
            InventoryEvent::Devices { .. } => {}
            InventoryEvent::Range { generation, ids } if generation == self.shown_generation => {
                self.selected.extend(ids);
            }
            InventoryEvent::Range { .. } => {}
            InventoryEvent::ToEdit(device) => {
                self.form = Some(DeviceForm::edit(&device));
            }
            InventoryEvent::ToRedirect(macs) => self.redirect = Some(macs),
            InventoryEvent::Added(device) => {
                status.info(format!("Added {}", device.mac));
                self.form = None;
            }
            InventoryEvent::Updated(device) => {
                status.info(format!("Saved {}", device.mac));
                self.form = None;
                self.rows.replace(*device);
            }
            InventoryEvent::Deleted(devices) => {
                status.info(format!(
                    "Deleted {}. Undo with Ctrl+Z.",
                    words::count(devices.len(), "device")
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
                status.info(format!("Restored {}.", words::count(count, "device")));
            }
            InventoryEvent::SiteSet { count, site } => {
                let devices = words::count(count, "device");
                status.info(match site {
                    Some(site) => format!("Moved {devices} to site {}.", site.trim()),
                    None => format!("Took {devices} out of their site."),
                });
            }
            InventoryEvent::SiteMoveChecked { site, locked } => {
                self.on_move_checked(site, locked, worker, status);
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
                status.info(format!(
                    "Exported {} to {}",
                    words::count(count, "device"),
                    path.display()
                ));
            }
            InventoryEvent::SaveFailed(error) => self.save_failed(error, false, status),
            InventoryEvent::ChangedElsewhere(error) => self.save_failed(error, true, status),
            InventoryEvent::Failed { action, error } => {
                self.error = Some(format!("Could not {action}: {error}"));
                status.error(format!("Could not {action}: {error}"));
            }
        }
    }

    /// The form's save failed: the form says why; with Reload when the device changed
    /// elsewhere since the form was opened.
    fn save_failed(&mut self, error: String, changed_elsewhere: bool, status: &mut StatusLine) {
        status.error(format!("Could not save the device: {error}"));
        if let Some(form) = self.form.as_mut() {
            form.saving = false;
            form.changed_elsewhere = changed_elsewhere;
            form.store_error = Some(error);
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
            if self.rows.total() == 0 && !self.loading() {
                self.empty_state(ui);
            } else {
                // Below the columns' least widths (a small laptop, the form open beside), the
                // table scrolls sideways instead of dropping its last columns.
                egui::ScrollArea::horizontal()
                    .id_salt("inventory_sideways")
                    .show(ui, |ui| self.table(ui, worker));
            }
        });
        self.delete_dialog(ui, worker, status);
        self.site_dialog(ui, worker, status);
        self.export_dialog(ui, worker);
    }

    /// Opens the form on the device, as another panel asks.
    pub fn edit(&mut self, id: i64, worker: &Worker) {
        self.open_edit_form(id, worker);
    }

    /// Opens the form on the device; one whose row is not loaded is read first.
    fn open_edit_form(&mut self, id: i64, worker: &Worker) {
        match self.rows.find(id) {
            Some(device) => {
                self.form = Some(DeviceForm::edit(device));
            }
            None => jobs::edit(worker, id),
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
                match (form.mode, form.base.clone()) {
                    (FormMode::Edit(_), Some(base)) => jobs::update(worker, *device, base),
                    _ => jobs::add(worker, *device),
                }
            }
            FormAction::Reload => {
                if let FormMode::Edit(id) = form.mode {
                    jobs::edit(worker, id);
                }
            }
        }
    }

    fn empty_state(&mut self, ui: &mut egui::Ui) {
        ui.add_space(60.0);
        ui.vertical_centered(|ui| {
            if self.query.search.trim().is_empty() && self.query.site.is_none() {
                ui.heading("No devices yet");
                ui.label(
                    "Import the labels of the phones (CSV, pasted or scanned text, photos), or \
                     add a device by hand.",
                );
                ui.add_space(8.0);
                if ui.button("📥 Import labels…").clicked() {
                    self.handoff = Some(Handoff::Import);
                }
                if ui.button("➕ Add device").clicked() {
                    self.open_add_form();
                }
            } else {
                ui.heading("No device matches");
                ui.label("Try a shorter search or another site.");
            }
        });
    }
}
