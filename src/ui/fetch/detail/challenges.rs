//! The challenges a response offered, as a table where the pane is wide enough for every
//! column, else one wrapped line per challenge with each value named: a grid in a narrow pane
//! cut its last columns off (the nonce, then the stale flag) where nobody saw them.

use egui::{RichText, TextStyle};

use super::section;
use crate::fetch::{ChallengeView, Step};
use crate::ui::widgets::style::signal;

const TITLES: [&str; 7] = ["", "Scheme", "Algorithm", "Realm", "qop", "stale", "nonce"];
/// The nonce's characters shown; the whole of it is on hover.
const NONCE_SHOWN: usize = 12;
const SPACING: f32 = 10.0;

/// Whether the device picked a challenge, and whether a request then answered it: a fetch
/// that ends first (a prompt nobody typed into) picked one it never answered.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pick {
    Other,
    Chosen,
    Answered,
}

/// One challenge's cells, in the order of [`TITLES`].
struct Row {
    pick: Pick,
    number: usize,
    cells: [String; 6],
    nonce: String,
}

impl Row {
    fn new(number: usize, challenge: &ChallengeView, pick: Pick) -> Self {
        let cells = match &challenge.digest {
            Some(d) => [
                challenge.scheme.clone(),
                d.algorithm
                    .as_ref()
                    .map_or_else(|name| name.clone(), |a| a.name().to_string()),
                d.realm.clone(),
                if d.qop.is_empty() {
                    "none".to_string()
                } else {
                    d.qop.join(", ")
                },
                if d.stale { "true" } else { "" }.to_string(),
                shorten(&d.nonce, NONCE_SHOWN),
            ],
            None => {
                let realm = challenge
                    .params
                    .iter()
                    .find(|(name, _)| name.eq_ignore_ascii_case("realm"))
                    .map_or("", |(_, value)| value.as_str());
                [
                    challenge.scheme.clone(),
                    String::new(),
                    realm.to_string(),
                    String::new(),
                    String::new(),
                    String::new(),
                ]
            }
        };
        let nonce = challenge
            .digest
            .as_ref()
            .map(|d| d.nonce.clone())
            .unwrap_or_default();
        Self {
            pick,
            number,
            cells,
            nonce,
        }
    }

    fn marker(&self) -> String {
        match self.pick {
            Pick::Answered => "✔ answered".to_string(),
            Pick::Chosen => "chosen, not answered".to_string(),
            Pick::Other => self.number.to_string(),
        }
    }
}

/// The step's challenges; `answered` is the one a later request answered.
pub(super) fn challenges(ui: &mut egui::Ui, step: &Step, answered: Option<usize>) {
    let colors = signal(ui.visuals());
    section(ui, "Challenges (WWW-Authenticate)");
    if let Some(error) = &step.challenge_error {
        ui.add(egui::Label::new(RichText::new(error).color(colors.error)).wrap());
    }
    let chosen = step.chosen.as_ref().and_then(|(index, _)| *index);
    let rows: Vec<Row> = step
        .challenges
        .iter()
        .enumerate()
        .map(|(index, challenge)| {
            let pick = if answered == Some(index) {
                Pick::Answered
            } else if chosen == Some(index) {
                Pick::Chosen
            } else {
                Pick::Other
            };
            Row::new(index + 1, challenge, pick)
        })
        .collect();
    if !rows.is_empty() {
        if table_width(ui, &rows) <= ui.available_width() {
            table(ui, step, &rows);
        } else {
            lines(ui, &rows);
        }
    }
    for problem in step.challenges.iter().filter_map(|c| c.problem.as_ref()) {
        ui.add(egui::Label::new(RichText::new(problem).color(colors.warning)).wrap());
    }
    if let Some((_, reason)) = &step.chosen {
        ui.add(egui::Label::new(RichText::new(format!("Why: {reason}"))).wrap());
    }
}

/// The width the grid needs: each column as wide as its widest cell, plus the spacing.
fn table_width(ui: &egui::Ui, rows: &[Row]) -> f32 {
    let body = TextStyle::Body.resolve(ui.style());
    let mono = TextStyle::Monospace.resolve(ui.style());
    let width = |text: &str, font: &egui::FontId| {
        ui.fonts_mut(|f| {
            f.layout_no_wrap(text.to_string(), font.clone(), egui::Color32::WHITE)
                .size()
                .x
        })
    };
    let mut columns: Vec<f32> = TITLES.iter().map(|title| width(title, &body)).collect();
    for row in rows {
        let marker = width(&row.marker(), &body);
        columns[0] = columns[0].max(marker);
        for (index, cell) in row.cells.iter().enumerate() {
            let font = if index == 5 { &mono } else { &body };
            columns[index + 1] = columns[index + 1].max(width(cell, font));
        }
    }
    columns.iter().sum::<f32>() + SPACING * (columns.len() as f32 - 1.0) + 8.0
}

fn marker(ui: &mut egui::Ui, row: &Row) {
    match row.pick {
        Pick::Answered => {
            ui.label(RichText::new(row.marker()).color(signal(ui.visuals()).ok))
                .on_hover_text("The challenge the device answered: the next request carries it");
        }
        Pick::Chosen => {
            ui.label(RichText::new(row.marker()).color(signal(ui.visuals()).warning))
                .on_hover_text(
                    "The challenge the device picked; no request answered it (see Why and the \
                     notes)",
                );
        }
        Pick::Other => {
            ui.label(row.marker());
        }
    }
}

fn nonce(ui: &mut egui::Ui, row: &Row, text: String) {
    ui.label(RichText::new(text).monospace())
        .on_hover_text(&row.nonce);
}

fn table(ui: &mut egui::Ui, step: &Step, rows: &[Row]) {
    egui::Grid::new(("challenge_grid", step.request.step))
        .striped(true)
        .spacing([SPACING, 4.0])
        .show(ui, |ui| {
            for title in TITLES {
                ui.label(RichText::new(title).strong());
            }
            ui.end_row();
            for row in rows {
                marker(ui, row);
                for cell in &row.cells[..5] {
                    ui.label(cell);
                }
                nonce(ui, row, row.cells[5].clone());
                ui.end_row();
            }
        });
}

/// One wrapped line per challenge, each value after its column's name.
fn lines(ui: &mut egui::Ui, rows: &[Row]) {
    for row in rows {
        ui.horizontal_wrapped(|ui| {
            marker(ui, row);
            for (title, cell) in TITLES[1..6].iter().zip(&row.cells[..5]) {
                if !cell.is_empty() {
                    ui.label(format!("{title}: {cell}"));
                }
            }
            if !row.cells[5].is_empty() {
                nonce(ui, row, format!("nonce: {}", row.cells[5]));
            }
        });
    }
}

fn shorten(text: &str, keep: usize) -> String {
    if text.chars().count() <= keep {
        text.to_string()
    } else {
        let head: String = text.chars().take(keep).collect();
        format!("{head}…")
    }
}
