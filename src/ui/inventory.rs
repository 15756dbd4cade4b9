//! The Inventory panel: search, site filter, a virtualized sortable table, the add/edit form,
//! bulk delete behind a confirmation, and undo.

use std::collections::BTreeSet;

use egui::{Color32, RichText};
use egui_extras::{Column, TableBuilder};

use super::device_form::{DeviceForm, FormAction, FormMode};
use super::dialog;
use super::status::StatusLine;
use super::worker::{Command, Event, SaveKind, Worker};
use crate::device::{Device, DeviceDraft, Mac};
use crate::inventory::{DeviceQuery, Site, SortKey};

const ROW_HEIGHT: f32 = 24.0;
/// How many deletions can be undone, newest first.
const UNDO_DEPTH: usize = 20;

/// The table's columns: header text and the sort key it orders by.
const COLUMNS: [(&str, SortKey); 7] = [
    ("MAC", SortKey::Mac),
    ("MAC-ID", SortKey::MacId),
    ("Model", SortKey::Model),
    ("Site", SortKey::Site),
    ("Provider", SortKey::Provider),
    ("Redirect", SortKey::Redirect),
    ("Last fetch", SortKey::LastFetch),
];

/// What a row's context menu asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowAction {
    Edit,
    Delete,
    TestFetch,
    Redirect,
}

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
}

/// The export dialog: where to write, and whether a file dialog is available.
struct ExportDialog {
    path: String,
    no_file_dialog: bool,
}

impl InventoryPanel {
    /// Asks for the device list again with the current search, filter and sort.
    pub fn refresh(&mut self, worker: &Worker) {
        self.generation += 1;
        worker.send(Command::Query {
            generation: self.generation,
            query: self.query.clone(),
        });
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

    /// Takes the worker's answers that concern the inventory.
    pub fn on_event(&mut self, event: Event, worker: &Worker, status: &mut StatusLine) {
        match event {
            Event::Devices {
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
            Event::Added(device) => {
                status.info(format!("Added {}", device.mac));
                self.form = None;
                self.after_change(worker);
            }
            Event::Updated(device) => {
                status.info(format!("Saved {}", device.mac));
                self.form = None;
                self.after_change(worker);
            }
            Event::Deleted(devices) => {
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
                self.after_change(worker);
            }
            Event::Restored(count) => {
                status.info(format!("Restored {count} device(s)."));
                self.after_change(worker);
            }
            Event::Sites(sites) => self.sites = sites,
            Event::SavePathPicked {
                kind: SaveKind::DevicesCsv,
                path,
            } => {
                if let Some(export) = &mut self.export {
                    export.path = path.display().to_string();
                }
            }
            Event::NoFileDialog => {
                if let Some(export) = &mut self.export {
                    export.no_file_dialog = true;
                }
            }
            Event::Exported { path, count } => {
                status.info(format!("Exported {count} device(s) to {}", path.display()));
            }
            Event::Failed { action, error } => {
                match self.form.as_mut().filter(|f| f.saving) {
                    Some(form) if action == "add device" || action == "save device" => {
                        form.saving = false;
                        form.store_error = Some(error.clone());
                    }
                    _ => {}
                }
                status.error(format!("Could not {action}: {error}"));
            }
            _ => {}
        }
    }

    fn after_change(&mut self, worker: &Worker) {
        self.refresh(worker);
        worker.send(Command::LoadSites);
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
                    worker.pick_save_path(SaveKind::DevicesCsv, "provdesk-devices.csv".into());
                }
            });
            if export.no_file_dialog {
                ui.colored_label(
                    Color32::from_rgb(0xD9, 0x9A, 0x2B),
                    "No file dialog is available on this desktop; type the path above.",
                );
            }
        });
        match decision {
            Some(true) => {
                let path = std::path::PathBuf::from(export.path.trim());
                worker.export_csv(self.export_selection(), path);
                self.export = None;
            }
            Some(false) => self.export = None,
            None => {}
        }
    }

    fn shortcuts(&mut self, ui: &mut egui::Ui, worker: &Worker) {
        let typing = ui.ctx().text_edit_focused();
        let (new, find, undo, delete) = ui.input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::COMMAND, egui::Key::N),
                i.consume_key(egui::Modifiers::COMMAND, egui::Key::F),
                !typing && i.consume_key(egui::Modifiers::COMMAND, egui::Key::Z),
                !typing && i.consume_key(egui::Modifiers::NONE, egui::Key::Delete),
            )
        });
        if new {
            self.open_add_form();
        }
        if find {
            self.focus_search = true;
        }
        if undo {
            self.undo_last(worker);
        }
        if delete && !self.selected.is_empty() && self.form.is_none() {
            self.confirm_delete = Some(self.selected.iter().copied().collect());
        }
    }

    fn open_add_form(&mut self) {
        let draft = DeviceDraft {
            site: self.query.site.clone().unwrap_or_default(),
            ..DeviceDraft::default()
        };
        self.form = Some(DeviceForm::new(FormMode::Add, draft));
    }

    fn undo_last(&mut self, worker: &Worker) {
        if let Some(devices) = self.undo.pop() {
            self.restoring = devices.iter().map(|d| d.id).collect();
            self.selected.clear();
            worker.send(Command::Restore(devices));
        }
    }

    fn toolbar(&mut self, ui: &mut egui::Ui, worker: &Worker) {
        ui.horizontal_wrapped(|ui| {
            self.action_buttons(ui, worker);
            ui.separator();
            self.search_and_filter(ui, worker);
        });
    }

    fn action_buttons(&mut self, ui: &mut egui::Ui, worker: &Worker) {
        if ui
            .button(RichText::new("➕ Add device").strong())
            .on_hover_text("Add a device by hand (Ctrl+N)")
            .clicked()
        {
            self.open_add_form();
        }
        let edit_target = (self.selected.len() == 1)
            .then(|| self.selected.first().copied())
            .flatten();
        if ui
            .add_enabled(edit_target.is_some(), egui::Button::new("Edit"))
            .on_hover_text("Edit the selected device (double-click a row)")
            .clicked()
            && let Some(id) = edit_target
        {
            self.open_edit_form(id);
        }
        let delete_text = match self.selected.len() {
            0 => "Delete…".to_string(),
            n => format!("Delete {n}…"),
        };
        if ui
            .add_enabled(!self.selected.is_empty(), egui::Button::new(delete_text))
            .on_hover_text("Delete the selected devices (Del)")
            .clicked()
        {
            self.confirm_delete = Some(self.selected.iter().copied().collect());
        }
        let export_text = match self.selected.len() {
            0 => "Export CSV…".to_string(),
            n => format!("Export {n} as CSV…"),
        };
        if ui
            .add_enabled(!self.devices.is_empty(), egui::Button::new(export_text))
            .on_hover_text(
                "Write the selected devices, or all shown, to a CSV file that Import reads back",
            )
            .clicked()
        {
            self.export = Some(ExportDialog {
                path: dialog::default_save_path("provdesk-devices.csv"),
                no_file_dialog: false,
            });
        }
        if ui
            .add_enabled(!self.undo.is_empty(), egui::Button::new("Undo"))
            .on_hover_text("Bring back the last deleted devices (Ctrl+Z)")
            .clicked()
        {
            self.undo_last(worker);
        }
    }

    fn search_and_filter(&mut self, ui: &mut egui::Ui, worker: &Worker) {
        ui.horizontal(|ui| self.search_box(ui, worker));
        ui.horizontal(|ui| self.site_filter(ui, worker));
    }

    fn search_box(&mut self, ui: &mut egui::Ui, worker: &Worker) {
        let label = ui.label("Search");
        let search = ui
            .add(
                egui::TextEdit::singleline(&mut self.query.search)
                    .hint_text("MAC in any notation, MAC-ID, site, model, notes")
                    .desired_width(320.0),
            )
            .labelled_by(label.id)
            .on_hover_text("Ctrl+F");
        if std::mem::take(&mut self.focus_search) {
            search.request_focus();
        }
        if search.changed() {
            self.refresh(worker);
        }
        if !self.query.search.is_empty()
            && ui
                .small_button("✖")
                .on_hover_text("Clear the search")
                .clicked()
        {
            self.query.search.clear();
            self.refresh(worker);
        }
    }

    fn site_filter(&mut self, ui: &mut egui::Ui, worker: &Worker) {
        let site_label = ui.label("Site");
        let current = self.query.site.clone();
        egui::ComboBox::from_id_salt("site_filter")
            .selected_text(current.as_deref().unwrap_or("All sites"))
            .width(180.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut self.query.site, None, "All sites");
                for site in &self.sites {
                    let text = format!("{} ({})", site.name, site.device_count);
                    ui.selectable_value(&mut self.query.site, Some(site.name.clone()), text);
                }
            })
            .response
            .labelled_by(site_label.id);
        if self.query.site != current {
            self.refresh(worker);
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
                    FormMode::Add => worker.send(Command::Add(*device)),
                    FormMode::Edit(id) => worker.send(Command::Update {
                        id,
                        device: *device,
                    }),
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

    fn header_text(&self, title: &str, key: SortKey) -> String {
        if self.query.sort != key {
            return title.to_string();
        }
        let arrow = if self.query.descending { "⏷" } else { "⏶" };
        format!("{title} {arrow}")
    }

    fn table(&mut self, ui: &mut egui::Ui, worker: &Worker) {
        let mut clicked: Option<(usize, egui::Modifiers)> = None;
        let mut toggled: Option<i64> = None;
        let mut double_clicked: Option<i64> = None;
        let mut context_action: Option<(i64, RowAction)> = None;
        let mut sort_by: Option<SortKey> = None;
        let modifiers = ui.input(|i| i.modifiers);
        let weak = ui.visuals().weak_text_color();

        let mut builder = TableBuilder::new(ui)
            .id_salt("inventory_table")
            .striped(true)
            .resizable(true)
            .sense(egui::Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::exact(28.0))
            .column(Column::initial(130.0).at_least(110.0))
            .column(Column::initial(160.0).at_least(120.0))
            .column(Column::initial(170.0).at_least(80.0))
            .column(Column::initial(140.0).at_least(60.0))
            .column(Column::initial(130.0).at_least(60.0))
            .column(Column::initial(100.0).at_least(60.0))
            .column(Column::remainder().at_least(80.0))
            .min_scrolled_height(0.0);
        builder = builder.auto_shrink([false, false]);
        builder
            .header(26.0, |mut header| {
                header.col(|_| {});
                for (title, key) in COLUMNS {
                    header.col(|ui| {
                        let text = RichText::new(self.header_text(title, key)).strong();
                        if ui
                            .add(egui::Button::new(text).frame(false))
                            .on_hover_text(format!("Sort by {title}"))
                            .clicked()
                        {
                            sort_by = Some(key);
                        }
                    });
                }
            })
            .body(|body| {
                body.rows(ROW_HEIGHT, self.devices.len(), |mut row| {
                    let index = row.index();
                    let device = &self.devices[index];
                    let is_selected = self.selected.contains(&device.id);
                    row.set_selected(is_selected);
                    row.col(|ui| {
                        let mut checked = is_selected;
                        let response = ui.checkbox(&mut checked, "");
                        response.widget_info(|| {
                            egui::WidgetInfo::selected(
                                egui::Role::CheckBox,
                                true,
                                is_selected,
                                format!("Select {}", device.mac),
                            )
                        });
                        if response.clicked() {
                            toggled = Some(device.id);
                        }
                    });
                    let dash = || RichText::new("—").color(weak);
                    let text_or_dash = |value: Option<&str>| match value {
                        Some(v) if !v.is_empty() => RichText::new(v),
                        _ => dash(),
                    };
                    row.col(|ui| {
                        ui.label(RichText::new(device.mac.macd()).monospace());
                    });
                    row.col(|ui| {
                        let id = device.mac_id.as_ref().map(ToString::to_string);
                        ui.label(text_or_dash(id.as_deref()).monospace());
                    });
                    row.col(|ui| {
                        ui.label(text_or_dash(device.model.as_deref()));
                    });
                    row.col(|ui| {
                        ui.label(text_or_dash(device.site.as_deref()));
                    });
                    row.col(|ui| {
                        let own = device.provider.is_some();
                        let text = text_or_dash(device.effective_provider());
                        let response = ui.label(if own { text } else { text.italics() });
                        if !own && device.effective_provider().is_some() {
                            response.on_hover_text("Inherited from the site");
                        }
                    });
                    row.col(|ui| {
                        redirect_badge(ui, device.redirect.status.as_deref());
                    });
                    row.col(|ui| {
                        ui.label(text_or_dash(device.fetch.at.as_deref()));
                    });
                    let response = row.response();
                    response.context_menu(|ui| {
                        if ui.button("Copy MAC").clicked() {
                            ui.ctx().copy_text(device.mac.macd());
                        }
                        if ui.button("Copy MAC with colons").clicked() {
                            ui.ctx().copy_text(device.mac.macc());
                        }
                        if let Some(mac_id) = &device.mac_id
                            && ui.button("Copy MAC-ID").clicked()
                        {
                            ui.ctx().copy_text(mac_id.to_string());
                        }
                        ui.separator();
                        if ui.button("Test fetch").clicked() {
                            context_action = Some((device.id, RowAction::TestFetch));
                        }
                        if ui
                            .button("Redirect server…")
                            .on_hover_text(
                                "Pick this device (or the selected ones) in the Redirect panel",
                            )
                            .clicked()
                        {
                            context_action = Some((device.id, RowAction::Redirect));
                        }
                        if ui.button("Edit…").clicked() {
                            context_action = Some((device.id, RowAction::Edit));
                        }
                        if ui.button("Delete…").clicked() {
                            context_action = Some((device.id, RowAction::Delete));
                        }
                    });
                    if response.double_clicked() {
                        double_clicked = Some(device.id);
                    } else if response.clicked() {
                        clicked = Some((index, modifiers));
                    }
                });
            });

        if let Some(key) = sort_by {
            if self.query.sort == key {
                self.query.descending = !self.query.descending;
            } else {
                self.query.sort = key;
                self.query.descending = false;
            }
            self.refresh(worker);
        }
        if let Some(id) = toggled
            && !self.selected.remove(&id)
        {
            self.selected.insert(id);
        }
        if let Some((index, modifiers)) = clicked {
            self.click_row(index, modifiers);
        }
        if let Some(id) = double_clicked {
            self.selected = BTreeSet::from([id]);
            self.open_edit_form(id);
        }
        match context_action {
            Some((id, RowAction::Edit)) => {
                self.selected = BTreeSet::from([id]);
                self.open_edit_form(id);
            }
            Some((id, RowAction::Delete)) => {
                let ids = if self.selected.contains(&id) {
                    self.selected.iter().copied().collect()
                } else {
                    vec![id]
                };
                self.confirm_delete = Some(ids);
            }
            Some((id, RowAction::TestFetch)) => {
                self.test_fetch = self.devices.iter().find(|d| d.id == id).cloned();
            }
            Some((id, RowAction::Redirect)) => {
                let chosen = |d: &&Device| {
                    if self.selected.contains(&id) {
                        self.selected.contains(&d.id)
                    } else {
                        d.id == id
                    }
                };
                self.redirect = Some(self.devices.iter().filter(chosen).map(|d| d.mac).collect());
            }
            None => {}
        }
    }

    fn click_row(&mut self, index: usize, modifiers: egui::Modifiers) {
        let Some(id) = self.devices.get(index).map(|d| d.id) else {
            return;
        };
        let anchor_index = self
            .anchor
            .and_then(|anchor| self.devices.iter().position(|d| d.id == anchor));
        if modifiers.shift
            && let Some(anchor) = anchor_index
        {
            let (from, to) = (anchor.min(index), anchor.max(index));
            if !modifiers.command {
                self.selected.clear();
            }
            self.selected
                .extend(self.devices[from..=to].iter().map(|d| d.id));
            return;
        }
        if modifiers.command {
            if !self.selected.remove(&id) {
                self.selected.insert(id);
            }
        } else {
            self.selected = BTreeSet::from([id]);
        }
        self.anchor = Some(id);
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
        let delete = egui::Button::new(
            RichText::new(format!("Delete {} device(s)", ids.len())).color(Color32::WHITE),
        )
        .fill(Color32::from_rgb(0xB0, 0x2A, 0x2A));
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
                worker.send(Command::Delete(ids));
                self.confirm_delete = None;
            }
            Some(false) => self.confirm_delete = None,
            None => {}
        }
    }
}

fn redirect_badge(ui: &mut egui::Ui, status: Option<&str>) {
    let (text, color) = match status {
        None | Some("") => {
            ui.label(RichText::new("—").color(ui.visuals().weak_text_color()));
            return;
        }
        Some("registered") => ("registered", Color32::from_rgb(0x3C, 0xA5, 0x5C)),
        Some("not_registered") => ("not registered", Color32::from_rgb(0xD9, 0x9A, 0x2B)),
        Some(other) if other.contains("error") => (other, Color32::from_rgb(0xE0, 0x4F, 0x4F)),
        Some(other) => (other, Color32::from_rgb(0xD9, 0x9A, 0x2B)),
    };
    let (rect, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
    ui.painter().circle_filled(rect.center(), 4.0, color);
    ui.label(RichText::new(text).color(color));
}
