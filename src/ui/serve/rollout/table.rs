//! The rollouts' progress as tables: one for those going forward to new credentials, one for
//! those going back after a cancel. A rollout back counts the same things with the meanings
//! turned round, so it gets its own heading and column names ("Back", "On cancelled") and the
//! time it was cancelled, instead of a "0 switched" under "New digest credentials" that reads
//! as if the cancel did nothing.

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use crate::inventory::{RolloutDirection, RolloutProgress};
use crate::ui::widgets::style::signal;

/// The tables for `progress`, forward first, each under what it means.
pub(super) fn tables(ui: &mut egui::Ui, progress: &[RolloutProgress]) {
    for direction in [RolloutDirection::Forward, RolloutDirection::Back] {
        let rows: Vec<&RolloutProgress> = progress
            .iter()
            .filter(|row| row.direction == direction)
            .collect();
        if rows.is_empty() {
            continue;
        }
        let back = direction == RolloutDirection::Back;
        let heading = if back {
            "Going back to the old credentials after a cancel: each phone takes them from its next file, and the cancelled ones stay accepted until you enforce."
        } else {
            "New digest credentials: each phone takes them from its next file, and the old ones stay accepted until you enforce."
        };
        ui.label(RichText::new(heading).strong());
        table(ui, &rows, back);
        ui.add_space(4.0);
    }
}

fn table(ui: &mut egui::Ui, rows: &[&RolloutProgress], back: bool) {
    let colours = signal(ui.visuals());
    let titles: &[&str] = if back {
        &[
            "Site",
            "Cancelled",
            "Devices",
            "Back",
            "On cancelled",
            "Not seen since",
        ]
    } else {
        &["Site", "Devices", "Switched", "On old", "Not seen since"]
    };
    let mut builder = TableBuilder::new(ui)
        .id_salt(if back {
            "serve_rollout_back"
        } else {
            "serve_rollout"
        })
        .striped(true)
        .max_scroll_height(120.0)
        .column(Column::initial(160.0));
    if back {
        builder = builder.column(Column::initial(130.0));
    }
    builder
        .columns(Column::initial(90.0), 3)
        .column(Column::remainder().at_least(110.0))
        .header(22.0, |mut header| {
            for title in titles {
                header.col(|ui| {
                    ui.strong(*title);
                });
            }
        })
        .body(|mut body| {
            for row in rows {
                body.row(22.0, |mut cells| {
                    let done = row.switched == row.devices;
                    cells.col(|ui| {
                        ui.label(row.site_name());
                    });
                    if back {
                        cells.col(|ui| {
                            ui.label(row.cancelled().unwrap_or_else(|| "—".into()));
                        });
                    }
                    cells.col(|ui| {
                        ui.label(row.devices.to_string());
                    });
                    cells.col(|ui| {
                        let colour = if done { colours.ok } else { colours.info };
                        ui.label(RichText::new(row.switched.to_string()).color(colour));
                    });
                    cells.col(|ui| {
                        ui.label(row.on_old.to_string());
                    });
                    cells.col(|ui| {
                        ui.label(row.unseen().to_string());
                    });
                });
            }
        });
}
