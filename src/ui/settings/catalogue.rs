//! The model catalogue as installers read it: one line per model, and for the chosen model
//! every fact with its source, unconfirmed facts marked with the reason.

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use crate::device::{CATALOGUE, FactRow, ModelSpec, Source};
use crate::ui::widgets::style::signal;

/// Which model's facts are open.
#[derive(Default)]
pub struct CatalogueView {
    selected: usize,
}

impl CatalogueView {
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        ui.heading("Model catalogue");
        ui.label(
            RichText::new(
                "What provdesk knows about each model and where each fact comes from. Pick a model to see its sources; unconfirmed facts are marked.",
            )
            .weak(),
        );
        ui.add_space(4.0);
        // On a narrow window the table scrolls sideways; Sources stays reachable.
        egui::ScrollArea::horizontal()
            .id_salt("catalogue_sideways")
            .show(ui, |ui| self.overview(ui));
        ui.add_space(8.0);
        if let Some(spec) = CATALOGUE.get(self.selected) {
            details(ui, spec);
        }
    }

    fn overview(&mut self, ui: &mut egui::Ui) {
        TableBuilder::new(ui)
            .id_salt("catalogue_table")
            .vscroll(false)
            .striped(true)
            .sense(egui::Sense::click())
            .column(Column::initial(190.0))
            .column(Column::initial(120.0))
            .column(Column::initial(440.0))
            .column(Column::remainder().at_least(160.0))
            .header(24.0, |mut header| {
                for title in ["Model", "Format", "Digest credential parameters", "Sources"] {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(22.0, CATALOGUE.len(), |mut row| {
                    let index = row.index();
                    let spec = &CATALOGUE[index];
                    row.set_selected(index == self.selected);
                    row.col(|ui| {
                        cell(ui, RichText::new(spec.name));
                    });
                    row.col(|ui| {
                        cell(ui, RichText::new(spec.config_format.spec().name));
                    });
                    row.col(|ui| {
                        let text = spec.credentials.map_or("in the URL".to_string(), |c| {
                            format!("{} / {}", c.username_param, c.password_param)
                        });
                        cell(ui, RichText::new(text).monospace().small());
                    });
                    row.col(|ui| {
                        source_summary(ui, spec);
                    });
                    if row.response().clicked() {
                        self.selected = index;
                    }
                });
            });
    }
}

/// "all documented", or how many facts are unconfirmed, in the warning colour.
fn source_summary(ui: &mut egui::Ui, spec: &ModelSpec) {
    let unconfirmed = spec
        .sourced()
        .filter(|sourced| sourced.source.is_unconfirmed())
        .count();
    if unconfirmed == 0 {
        cell(ui, RichText::new("all documented"));
    } else {
        let colour = signal(ui.visuals()).warning;
        cell(
            ui,
            RichText::new(format!("{unconfirmed} unconfirmed")).color(colour),
        );
    }
}

/// A table cell's text, which leaves the click to the row (selectable text would take it).
fn cell(ui: &mut egui::Ui, text: RichText) {
    ui.add(egui::Label::new(text).selectable(false));
}

fn details(ui: &mut egui::Ui, spec: &ModelSpec) {
    ui.strong(format!("{}: facts and sources", spec.name));
    if let Some(note) = spec.note {
        ui.label(RichText::new(note).italics());
    }
    egui::Grid::new("catalogue_facts")
        .num_columns(2)
        .striped(true)
        .spacing([14.0, 6.0])
        .show(ui, |ui| {
            for row in spec.facts() {
                ui.label(row.fact.label());
                ui.vertical(|ui| {
                    ui.set_max_width(ui.available_width());
                    ui.add(egui::Label::new(RichText::new(&row.value).monospace()).wrap());
                    source_cell(ui, &row);
                });
                ui.end_row();
            }
        });
}

fn source_cell(ui: &mut egui::Ui, row: &FactRow) {
    match row.source {
        Source::Document { title, address } if address.starts_with("https://") => {
            ui.hyperlink_to(RichText::new(format!("source: {title}")).small(), address)
                .on_hover_text(address);
        }
        Source::Document { title, address } => {
            ui.add(egui::Label::new(RichText::new(format!("source: {title}")).small()).wrap())
                .on_hover_text(address);
        }
        Source::Unconfirmed { why } => {
            let colour = signal(ui.visuals()).warning;
            let text = RichText::new(format!("⚠ unconfirmed: {why}"))
                .small()
                .color(colour);
            ui.add(egui::Label::new(text).wrap());
        }
        Source::Provdesk { why } => {
            let text = RichText::new(format!("provdesk's own: {why}"))
                .small()
                .weak();
            ui.add(egui::Label::new(text).wrap());
        }
    }
}
