//! The Import panel's preview: the summary line, and every row with its problems and the
//! button that takes it out.

use egui::RichText;
use egui_extras::{Column, TableBuilder, TableRow};

use super::ImportPanel;
use crate::inventory::OnExisting;
use crate::labels::{AsWritten, ImportRow, RowProblem, SourceRef};
use crate::ui::widgets::fields::cut_with_own_hover;
use crate::ui::widgets::status::StatusLine;
use crate::ui::widgets::style::signal;
use crate::words;

/// The width of the column of buttons that take a row out: the first, so that it is in view
/// however wide a row's problems make the table.
const REMOVE_WIDTH: f32 = 26.0;

impl ImportPanel {
    pub(super) fn summary(&self, ui: &mut egui::Ui) {
        let batch = self.preview.batch();
        let valid = batch.valid_count();
        let invalid = batch.invalid_count();
        ui.horizontal(|ui| {
            if self.preview.is_empty() {
                ui.label(RichText::new("Nothing to import yet.").weak());
                return;
            }
            ui.label(
                RichText::new(format!("{valid} valid"))
                    .color(signal(ui.visuals()).ok)
                    .strong(),
            );
            if !self.existing.is_empty() {
                ui.label(
                    RichText::new(format!(
                        "({} already in the inventory: {})",
                        self.existing.len(),
                        existing_text(self.on_existing)
                    ))
                    .color(signal(ui.visuals()).warning),
                );
            }
            ui.label("·");
            let invalid_text = RichText::new(format!("{invalid} invalid")).strong();
            ui.label(if invalid > 0 {
                invalid_text.color(signal(ui.visuals()).error)
            } else {
                invalid_text
            });
            let skipped = batch.skipped_lines();
            if skipped > 0 {
                ui.label("·");
                let text = format!("{} skipped (see Notes)", words::count(skipped, "line"));
                ui.label(RichText::new(text).strong()).on_hover_text(
                    "Lines with no MAC or MAC-ID in them: nothing of them is imported. Each is \
                     told under Notes.",
                );
            }
            let warnings = batch.warnings().count();
            if warnings > 0 {
                ui.label("·");
                ui.label(
                    RichText::new(format!("⚠ {}", words::count(warnings, "warning")))
                        .color(signal(ui.visuals()).warning),
                )
                .on_hover_text("Rows that import, but whose MAC is worth a look: see Status");
            }
            ui.label("·");
            ui.label(words::count(batch.notices.len(), "note"));
            ui.label("·");
            let names: Vec<&str> = self.preview.source_names().collect();
            ui.label(RichText::new(format!("from {}", names.join(", "))).weak());
        });
        if let Some(taken_out) = self.preview.taken_out_text() {
            ui.label(
                RichText::new(format!(
                    "{taken_out} · Undo (Ctrl+Z) takes back the newest removal or scan"
                ))
                .weak(),
            );
        }
        if !batch.notices.is_empty() {
            egui::CollapsingHeader::new(format!("Notes ({})", batch.notices.len()))
                .id_salt("import_notes")
                .show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .max_height(120.0)
                        .show(ui, |ui| {
                            for notice in &batch.notices {
                                ui.label(RichText::new(notice.to_string()).small());
                            }
                        });
                });
        }
    }

    /// The rows, each with its button to take it out; a click takes it out after the table.
    pub(super) fn rows_table(&mut self, ui: &mut egui::Ui, status: &mut StatusLine) {
        let mut remove = None;
        self.draw_rows(ui, &mut remove);
        if let Some(row) = remove {
            self.take_out(&row, status);
        }
    }

    fn draw_rows(&self, ui: &mut egui::Ui, remove: &mut Option<SourceRef>) {
        let batch = self.preview.batch();
        if batch.rows.is_empty() {
            return;
        }
        TableBuilder::new(ui)
            .id_salt("import_preview")
            .striped(true)
            .resizable(true)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            // Status, last, says why a row is invalid: the columns before it are clipped (a
            // supplier's long site widened them and pushed Status out of a laptop's window),
            // and their sum leaves Status 200 px in a 1000 px window.
            .column(Column::exact(REMOVE_WIDTH))
            .column(Column::initial(110.0).at_least(70.0).clip(true))
            .column(Column::initial(110.0).at_least(90.0).clip(true))
            .column(Column::initial(145.0).at_least(90.0).clip(true))
            .column(Column::initial(100.0).at_least(60.0).clip(true))
            .column(Column::initial(100.0).at_least(60.0).clip(true))
            .column(Column::remainder().at_least(200.0).clip(true))
            .min_scrolled_height(0.0)
            .auto_shrink([false, false])
            .header(24.0, |mut header| {
                for title in ["", "Source", "MAC", "MAC-ID", "Model", "Site", "Status"] {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(22.0, batch.rows.len(), |mut row| {
                    let item = &batch.rows[row.index()];
                    row.col(|ui| {
                        if self.remove_button(ui, item) {
                            *remove = Some(item.source.clone());
                        }
                    });
                    row.col(|ui| {
                        // An invalid row is marked red from its first cell: a photo's has no
                        // MAC to colour.
                        let source = RichText::new(item.source.short()).small();
                        let source = match item.outcome {
                            Ok(_) => source,
                            Err(_) => source.color(signal(ui.visuals()).error),
                        };
                        ui.label(source).on_hover_text(item.source.to_string());
                    });
                    match &item.outcome {
                        Ok(device) => {
                            row.col(|ui| {
                                ui.label(RichText::new(device.mac.macd()).monospace());
                            });
                            row.col(|ui| {
                                let id = device.mac_id.as_ref().map(ToString::to_string);
                                ui.label(RichText::new(id.unwrap_or_default()).monospace());
                            });
                            row.col(|ui| {
                                ui.label(device.model.map_or("", |m| m.name));
                            });
                            row.col(|ui| {
                                ui.label(device.site.as_deref().unwrap_or(""));
                            });
                            row.col(|ui| {
                                if self.existing.contains(&device.mac) {
                                    ui.label(
                                        RichText::new(format!(
                                            "already in the inventory: {}",
                                            existing_text(self.on_existing)
                                        ))
                                        .color(signal(ui.visuals()).warning),
                                    );
                                } else {
                                    ui.label(RichText::new("new").color(signal(ui.visuals()).ok));
                                }
                                if let Some(accounts) =
                                    device.sip_accounts.as_ref().filter(|a| !a.is_empty())
                                {
                                    ui.label(
                                        RichText::new(format!(
                                            "· {}",
                                            words::count(accounts.len(), "SIP account")
                                        ))
                                        .weak(),
                                    );
                                }
                                row_warnings(ui, &item.warnings);
                            });
                        }
                        Err(problems) => invalid_cells(&mut row, item, problems),
                    }
                });
            });
    }
}

/// An invalid row's cells: its MAC as written in the error colour, the rest of the row as
/// written, dimmed (what the user finds the label by), then every problem.
fn invalid_cells(row: &mut TableRow<'_, '_>, item: &ImportRow, problems: &[RowProblem]) {
    let row_mac = problems.first().map_or("", |p| p.row_mac.as_str());
    row.col(|ui| {
        ui.label(
            RichText::new(row_mac)
                .monospace()
                .color(signal(ui.visuals()).error),
        );
    });
    let written = item.written.as_deref();
    let text = |pick: fn(&AsWritten) -> &str| RichText::new(written.map_or("", pick)).weak();
    row.col(|ui| {
        ui.label(text(|w| &w.mac_id).monospace());
    });
    row.col(|ui| {
        ui.label(text(|w| &w.model));
    });
    row.col(|ui| {
        ui.label(text(|w| &w.site));
    });
    row.col(|ui| row_problems(ui, problems));
}

/// An invalid row's problems, every bad field's in the cell, and on hover each on its own line
/// with its column: a row with several is fixed in one pass.
fn row_problems(ui: &mut egui::Ui, problems: &[RowProblem]) {
    let reasons: Vec<&str> = problems.iter().map(|p| p.reason.as_str()).collect();
    let located: Vec<String> = problems
        .iter()
        .map(|p| match p.column {
            Some(column) => format!("column {column}: {}", p.reason),
            None => p.reason.clone(),
        })
        .collect();
    let text = RichText::new(reasons.join(" · ")).color(signal(ui.visuals()).error);
    ui.add(cut_with_own_hover(text))
        .on_hover_text(located.join("\n"));
}

/// A valid row's warnings after its status: the first in the cell (cut with "…" where the
/// column ends), all of them on hover.
fn row_warnings(ui: &mut egui::Ui, warnings: &[String]) {
    let Some(first) = warnings.first() else {
        return;
    };
    let text = RichText::new(format!("⚠ {first}")).color(signal(ui.visuals()).warning);
    ui.add(cut_with_own_hover(text))
        .on_hover_text(warnings.join("\n"));
}

/// What the chosen policy will do with a device already in the inventory.
fn existing_text(policy: OnExisting) -> &'static str {
    match policy {
        OnExisting::Skip => "will be skipped",
        OnExisting::Update => "will be updated",
        OnExisting::Error => "refuses the import",
    }
}

pub(super) fn policy_text(policy: OnExisting) -> &'static str {
    match policy {
        OnExisting::Skip => "skip and report",
        OnExisting::Update => "update with imported values",
        OnExisting::Error => "refuse the import",
    }
}
