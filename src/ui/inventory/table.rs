//! The Inventory panel's table: virtualized rows drawn from the loaded window (a row not
//! loaded yet shows as loading), sortable headers, selection with Shift and Ctrl, and each
//! row's context menu.

use std::collections::BTreeSet;

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::cells::cells;
use super::{Anchor, Handoff, InventoryPanel, jobs};
use crate::device::Device;
use crate::inventory::SortKey;
use crate::ui::widgets::style::size;
use crate::ui::worker::Worker;

/// The table's columns: header text and the sort key it orders by.
const COLUMNS: [(&str, SortKey); 10] = [
    ("MAC", SortKey::Mac),
    ("MAC-ID", SortKey::MacId),
    ("Model", SortKey::Model),
    ("Site", SortKey::Site),
    ("Provider", SortKey::Provider),
    ("Redirect", SortKey::Redirect),
    ("Last fetch", SortKey::LastFetch),
    ("Last seen", SortKey::LastSeen),
    ("Firmware", SortKey::Firmware),
    ("SIP test", SortKey::SipTest),
];

/// What a row's context menu asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowAction {
    Edit,
    Delete,
    TestFetch,
    SipTest,
    Redirect,
}

/// What the table was asked in one frame, done once the table is drawn.
#[derive(Default)]
struct Asked {
    clicked: Option<(usize, egui::Modifiers)>,
    toggled: Option<i64>,
    double_clicked: Option<i64>,
    row_action: Option<(i64, RowAction)>,
    sort_by: Option<SortKey>,
}

impl InventoryPanel {
    pub(super) fn header_text(&self, title: &str, key: SortKey) -> String {
        if self.query.sort != key {
            return title.to_string();
        }
        let arrow = if self.query.descending { "⏷" } else { "⏶" };
        format!("{title} {arrow}")
    }

    pub(super) fn table(&mut self, ui: &mut egui::Ui, worker: &Worker) {
        let mut asked = Asked::default();
        // "5 min ago" in the fetch and seen columns stays true while the window is idle.
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_secs(30));
        // The rows drawn this frame: the first, and one past the last.
        let (mut first, mut end) = (usize::MAX, 0);
        let modifiers = ui.input(|i| i.modifiers);
        let weak = ui.visuals().weak_text_color();
        let now = chrono::Utc::now();
        let mut builder = TableBuilder::new(ui);
        if let Some(index) = self.scroll_to.take() {
            builder = builder.scroll_to_row(index, None);
        }
        builder
            .id_salt("inventory_table")
            .striped(true)
            .resizable(true)
            .sense(egui::Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::exact(28.0))
            // Sized so that every column, the last (SIP test) included, fits the window's
            // default 1280 px; each can be widened, and a narrower window scrolls sideways.
            .column(Column::initial(120.0).at_least(110.0))
            .column(Column::initial(130.0).at_least(120.0))
            .column(Column::initial(95.0).at_least(80.0))
            .column(Column::initial(90.0).at_least(60.0))
            .column(Column::initial(80.0).at_least(60.0))
            .column(Column::initial(80.0).at_least(60.0))
            // Last fetch: its time first, then a reason cut where the column ends (the hover
            // has it whole); unclipped, a long reason widened the table past the window.
            .column(Column::initial(130.0).at_least(60.0).clip(true))
            .column(Column::initial(80.0).at_least(60.0))
            .column(Column::initial(90.0).at_least(60.0))
            .column(Column::remainder().at_least(80.0))
            .min_scrolled_height(0.0)
            .auto_shrink([false, false])
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
                            asked.sort_by = Some(key);
                        }
                    });
                }
            })
            .body(|body| {
                body.rows(size::ROW, self.rows.total(), |mut row| {
                    let index = row.index();
                    first = first.min(index);
                    end = end.max(index + 1);
                    let Some(device) = self.rows.get(index) else {
                        loading_row(&mut row, weak);
                        return;
                    };
                    let is_selected = self.selected.contains(&device.id);
                    row.set_selected(is_selected);
                    row.col(|ui| {
                        if select_box(ui, device, is_selected) {
                            asked.toggled = Some(device.id);
                        }
                    });
                    cells(&mut row, device, weak, now);
                    let response = row.response();
                    response.context_menu(|ui| row_menu(ui, device, &mut asked));
                    if response.double_clicked() {
                        asked.double_clicked = Some(device.id);
                    } else if response.clicked() {
                        asked.clicked = Some((index, modifiers));
                    }
                });
            });
        if first < end {
            self.visible = first..end;
        }
        self.answer(asked, worker);
        self.load_visible(worker);
    }

    /// Does what the table was asked this frame.
    fn answer(&mut self, asked: Asked, worker: &Worker) {
        if let Some(key) = asked.sort_by {
            if self.query.sort == key {
                self.query.descending = !self.query.descending;
            } else {
                self.query.sort = key;
                self.query.descending = false;
            }
            self.refresh(worker);
        }
        if let Some(id) = asked.toggled
            && !self.selected.remove(&id)
        {
            self.selected.insert(id);
        }
        if let Some((index, modifiers)) = asked.clicked {
            self.click_row(index, modifiers, worker);
        }
        if let Some(id) = asked.double_clicked {
            self.selected = BTreeSet::from([id]);
            self.open_edit_form(id, worker);
        }
        if let Some((id, action)) = asked.row_action {
            self.row_action(id, action, worker);
        }
    }

    fn row_action(&mut self, id: i64, action: RowAction, worker: &Worker) {
        match action {
            RowAction::Edit => {
                self.selected = BTreeSet::from([id]);
                self.open_edit_form(id, worker);
            }
            RowAction::Delete => {
                let ids = if self.selected.contains(&id) {
                    self.selected.iter().copied().collect()
                } else {
                    vec![id]
                };
                self.confirm_delete = Some(ids);
            }
            RowAction::TestFetch => {
                self.handoff = self.rows.find(id).cloned().map(Handoff::TestFetch);
            }
            RowAction::SipTest => self.handoff = self.rows.find(id).cloned().map(Handoff::SipTest),
            RowAction::Redirect if self.selected.contains(&id) => {
                jobs::redirect(worker, self.selected.iter().copied().collect());
            }
            RowAction::Redirect => {
                self.redirect = self.rows.find(id).map(|device| vec![device.mac]);
            }
        }
    }

    /// Where the Shift-click range starts in the list shown now, if it is known.
    pub(super) fn anchor_index(&self) -> Option<usize> {
        let anchor = self.anchor?;
        if anchor.generation == self.shown_generation {
            return Some(anchor.index);
        }
        self.rows.position(anchor.id)
    }

    pub(super) fn click_row(&mut self, index: usize, modifiers: egui::Modifiers, worker: &Worker) {
        let Some(id) = self.rows.get(index).map(|d| d.id) else {
            return;
        };
        if modifiers.shift
            && let Some(anchor) = self.anchor_index()
        {
            let (from, to) = (anchor.min(index), anchor.max(index));
            if !modifiers.command {
                self.selected.clear();
            }
            match self.rows.span(from, to) {
                Some(rows) => self.selected.extend(rows.iter().map(|d| d.id)),
                None => jobs::range(worker, self.shown_generation, self.query.clone(), from, to),
            }
            return;
        }
        if modifiers.command {
            if !self.selected.remove(&id) {
                self.selected.insert(id);
            }
        } else {
            self.selected = BTreeSet::from([id]);
        }
        self.anchor = Some(Anchor {
            id,
            index,
            generation: self.shown_generation,
        });
    }
}

/// A row whose device is on its way: a dash in each column.
fn loading_row(row: &mut egui_extras::TableRow<'_, '_>, weak: egui::Color32) {
    row.col(|_| {});
    for _ in COLUMNS {
        row.col(|ui| {
            ui.label(RichText::new("…").color(weak));
        });
    }
}

/// The row's checkbox, named after its device for screen readers; says whether it was clicked.
fn select_box(ui: &mut egui::Ui, device: &Device, is_selected: bool) -> bool {
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
    response.clicked()
}

/// The device's columns after the checkbox; an empty value shows as a dash, a provider
/// inherited from the site in italics.
/// A cell's text, not selectable: a selectable label takes the click, and clicking a row's
/// text should select the row as clicking beside it does.
/// The row's context menu: copy the MAC in its notations, or act on the device.
fn row_menu(ui: &mut egui::Ui, device: &Device, asked: &mut Asked) {
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
    let mut act = |action| asked.row_action = Some((device.id, action));
    if ui.button("Test fetch").clicked() {
        act(RowAction::TestFetch);
    }
    if ui
        .button("SIP test…")
        .on_hover_text("Pick this device's SIP accounts in the SIP test panel")
        .clicked()
    {
        act(RowAction::SipTest);
    }
    if ui
        .button("Redirect server…")
        .on_hover_text("Pick this device (or the selected ones) in the Redirect panel")
        .clicked()
    {
        act(RowAction::Redirect);
    }
    if ui.button("Edit…").clicked() {
        act(RowAction::Edit);
    }
    if ui.button("Delete…").clicked() {
        act(RowAction::Delete);
    }
}
