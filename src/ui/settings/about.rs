//! The About section: which provdesk this is (version, target, build date), its licence, and
//! the data folder that holds the inventory, for a support ticket or a backup.

use egui::RichText;

use crate::build_info::{BUILD_DATE, LICENSE, TARGET, VERSION};
use crate::ui::widgets::status::StatusLine;

pub fn about(ui: &mut egui::Ui, status: &StatusLine) {
    ui.heading("About");
    egui::Grid::new("about_grid")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            row(ui, "Version", format!("provdesk {VERSION}"));
            row(ui, "Target", TARGET.to_string());
            row(ui, "Built", BUILD_DATE.to_string());
            row(ui, "Licence", LICENSE.to_string());
            let folder = status
                .db_path
                .as_ref()
                .and_then(|path| path.parent())
                .map(|dir| dir.display().to_string())
                .unwrap_or_else(|| "opening…".into());
            row(ui, "Data folder", folder);
        });
}

/// One line of the grid; the value is selectable so it can be copied into a ticket.
fn row(ui: &mut egui::Ui, name: &str, value: String) {
    ui.label(name);
    ui.add(egui::Label::new(RichText::new(value).monospace()).selectable(true));
    ui.end_row();
}
