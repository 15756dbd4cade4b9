//! The Inventory panel's toolbar: add, edit, delete, export, undo, the search box and the
//! site filter, and their keyboard shortcuts.

use egui::RichText;

use super::dialogs::SiteFor;
use super::jobs;
use super::{ExportDialog, InventoryPanel};
use crate::device::DeviceDraft;
use crate::ui::inventory::device_form::{DeviceForm, FormMode};
use crate::ui::widgets::dialog;
use crate::ui::worker::Worker;

impl InventoryPanel {
    pub(super) fn shortcuts(&mut self, ui: &mut egui::Ui, worker: &Worker) {
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
        let dialog_open = self.confirm_delete.is_some() || self.export.is_some();
        if !typing && self.form.is_none() && !dialog_open {
            self.arrow_keys(ui, worker);
        }
    }

    /// Up and Down select the row above or below the last one clicked (the first row when
    /// none was) and bring it into view; Enter edits the one selected device.
    fn arrow_keys(&mut self, ui: &mut egui::Ui, worker: &Worker) {
        // Enter on a button the keyboard reached (Tab) belongs to that button.
        let button_focused = ui.memory(|m| m.focused().is_some());
        let (up, down, enter) = ui.input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp),
                i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown),
                !button_focused && i.consume_key(egui::Modifiers::NONE, egui::Key::Enter),
            )
        });
        let last = self.rows.total().checked_sub(1);
        if let (true, Some(last)) = (up || down, last) {
            let index = match (self.anchor_index(), down) {
                (Some(at), true) => (at + 1).min(last),
                (Some(at), false) => at.saturating_sub(1),
                (None, _) => 0,
            };
            self.click_row(index, egui::Modifiers::NONE, worker);
            self.scroll_to = Some(index);
        }
        if enter && self.selected.len() == 1 {
            let id = *self.selected.first().expect("one selected");
            self.open_edit_form(id, worker);
        }
    }

    pub(super) fn open_add_form(&mut self) {
        let draft = DeviceDraft {
            site: self.query.site.clone().unwrap_or_default(),
            ..DeviceDraft::default()
        };
        self.form = Some(DeviceForm::new(FormMode::Add, draft));
    }

    pub(super) fn undo_last(&mut self, worker: &Worker) {
        if let Some(devices) = self.undo.pop() {
            self.restoring = devices.iter().map(|d| d.id).collect();
            self.selected.clear();
            jobs::restore(worker, devices);
        }
    }

    /// The buttons, then the search and the site filter; where the device form leaves too
    /// little room beside the buttons, search and filter go on a row of their own instead of
    /// being squeezed until the filter is out of sight.
    pub(super) fn toolbar(&mut self, ui: &mut egui::Ui, worker: &Worker) {
        ui.horizontal_wrapped(|ui| {
            self.action_buttons(ui, worker);
            if left_in_row(ui) < SEARCH_MIN_WIDTH + SITE_FILTER_WIDTH {
                ui.end_row();
            } else {
                ui.separator();
            }
            self.search_and_filter(ui, worker);
        });
    }

    pub(super) fn action_buttons(&mut self, ui: &mut egui::Ui, worker: &Worker) {
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
            self.open_edit_form(id, worker);
        }
        if ui
            .add_enabled(!self.selected.is_empty(), egui::Button::new("Set site…"))
            .on_hover_text("Put the selected devices in a site, or take them out of theirs")
            .clicked()
        {
            self.site_for = Some(SiteFor::new(self.selected.iter().copied().collect()));
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
            .add_enabled(self.rows.total() > 0, egui::Button::new(export_text))
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

    pub(super) fn search_and_filter(&mut self, ui: &mut egui::Ui, worker: &Worker) {
        let search_width = (left_in_row(ui) - SITE_FILTER_WIDTH)
            .clamp(SEARCH_MIN_WIDTH, SEARCH_MAX_WIDTH)
            - SEARCH_LABEL_WIDTH;
        ui.horizontal(|ui| self.search_box(ui, worker, search_width));
        ui.horizontal(|ui| self.site_filter(ui, worker));
    }

    pub(super) fn search_box(&mut self, ui: &mut egui::Ui, worker: &Worker, width: f32) {
        let label = ui.label("Search");
        let search = ui
            .add(
                egui::TextEdit::singleline(&mut self.query.search)
                    .hint_text("MAC in any notation, MAC-ID, site, model, notes")
                    .desired_width(width),
            )
            .labelled_by(label.id)
            .on_hover_text("Ctrl+F");
        if std::mem::take(&mut self.focus_search) {
            search.request_focus();
        }
        if search.changed() {
            self.refresh(worker);
        }
        // Esc in the box clears it, as in a browser's find bar (egui only takes the focus away).
        let escaped = search.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Escape));
        if escaped && !self.query.search.is_empty() {
            self.query.search.clear();
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

    pub(super) fn site_filter(&mut self, ui: &mut egui::Ui, worker: &Worker) {
        let site_label = ui.label("Site");
        let current = self.query.site.clone();
        egui::ComboBox::from_id_salt("site_filter")
            .selected_text(current.as_deref().unwrap_or("All sites"))
            .width(SITE_COMBO_WIDTH)
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
}

/// The room left in the toolbar's current row, measured from the cursor: in a wrapping row,
/// `available_width` is the whole row's.
fn left_in_row(ui: &egui::Ui) -> f32 {
    ui.max_rect().right() - ui.cursor().left()
}

/// The site filter's combo box, and with its label and spacing the room the filter takes.
const SITE_COMBO_WIDTH: f32 = 180.0;
const SITE_FILTER_WIDTH: f32 = SITE_COMBO_WIDTH + 60.0;
/// The search field's width with its label and clear button: it gives way first, down to the
/// minimum where the hint is still readable.
const SEARCH_MIN_WIDTH: f32 = 240.0;
const SEARCH_MAX_WIDTH: f32 = 420.0;
const SEARCH_LABEL_WIDTH: f32 = 80.0;
