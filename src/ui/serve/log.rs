//! The Serve panel's two views: the phones seen, one row each with what their requests say,
//! and the requests themselves, newest last, for one phone or all.

use std::collections::{BTreeSet, VecDeque};

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use crate::serve::{Phone, PhoneBook, PhoneDiagnosis, ServeEvent};
use crate::ui::widgets::fields::cut_with_own_hover;
use crate::ui::widgets::style::signal;
use crate::words;

/// A phone not in the inventory the user chose to add, with the model its User-Agent named
/// (the dialog that asks for its site and model starts from it).
pub struct AddPhone {
    pub device: String,
    pub model: Option<String>,
}

/// The phones seen, problems first, or only those with problems; a click on a row shows only
/// its requests (again: all). Returns the phone whose *Add to inventory* was clicked.
pub fn phones_table(
    ui: &mut egui::Ui,
    phones: &PhoneBook,
    selected: &mut Option<String>,
    only_problems: &mut bool,
    added: &BTreeSet<String>,
) -> Option<AddPhone> {
    let all = phones.by_attention();
    ui.horizontal(|ui| {
        ui.strong("Phones seen");
        ui.add_space(12.0);
        ui.checkbox(only_problems, "Only phones with problems")
            .on_hover_text(
                "Hide the phones that got their file or are answering a first challenge",
            );
    });
    if all.is_empty() {
        ui.label(RichText::new("No phone has asked yet.").weak());
        return None;
    }
    let rows: Vec<_> = all
        .iter()
        .copied()
        .filter(|phone| !*only_problems || phone.diagnosis.is_problem())
        .collect();
    if rows.is_empty() {
        ui.label(
            RichText::new(format!(
                "No phone has a problem: {} got {} file or {} waiting for {} answer.",
                words::count(all.len(), "phone"),
                words::agree(all.len(), "its", "their"),
                words::agree(all.len(), "is", "are"),
                words::agree(all.len(), "its", "their"),
            ))
            .weak(),
        );
        return None;
    }
    table(ui, &rows, selected, added)
}

/// The fixed columns' widths: narrow, each cutting what does not fit (the whole model and
/// firmware on hover; a firmware is rarely read whole), so that what the requests say gets the
/// rest of the window, and wraps there.
const FIXED: [f32; 5] = [110.0, 105.0, 70.0, 64.0, 62.0];
/// A one-line row.
const ROW: f32 = 22.0;
/// What *Add to inventory* takes of the diagnosis cell, with a margin.
const ADD_BUTTON: f32 = 130.0;

/// Each row's height: the diagnosis wrapped at the width its column gets (what the fixed
/// columns and the spacing between the six leave), a spacing narrower, so that no line is cut.
fn row_heights(ui: &egui::Ui, rows: &[&Phone]) -> Vec<f32> {
    let spacing = ui.spacing().item_spacing.x;
    let wide =
        ui.available_width() - FIXED.iter().sum::<f32>() - (FIXED.len() as f32 + 1.0) * spacing;
    let font = egui::TextStyle::Body.resolve(ui.style());
    rows.iter()
        .map(|phone| {
            let button = if phone.diagnosis == PhoneDiagnosis::UnknownDevice {
                ADD_BUTTON
            } else {
                0.0
            };
            let width = (wide - button).max(120.0);
            let text = ui.painter().layout(
                phone.diagnosis.explain(),
                font.clone(),
                egui::Color32::PLACEHOLDER,
                width,
            );
            (text.size().y + 6.0).max(ROW)
        })
        .collect()
}

/// `added`: the phones added to the inventory since their last request, whose row still says
/// what that request did; they show so instead of *Add to inventory* (a second add fails).
fn table(
    ui: &mut egui::Ui,
    rows: &[&Phone],
    selected: &mut Option<String>,
    added: &BTreeSet<String>,
) -> Option<AddPhone> {
    let mut add = None;
    let visuals = ui.visuals().clone();
    let heights = row_heights(ui, rows);
    let mut builder = TableBuilder::new(ui)
        .id_salt("serve_phones")
        .striped(true)
        .sense(egui::Sense::click())
        .max_scroll_height(260.0)
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center));
    for width in FIXED {
        builder = builder.column(Column::exact(width).clip(true));
    }
    builder
        .column(Column::remainder().at_least(200.0).clip(true))
        .header(ROW, |mut header| {
            for title in [
                "Device",
                "Model",
                "Firmware",
                "Last seen",
                "Requests",
                "What its requests say",
            ] {
                header.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.heterogeneous_rows(heights.into_iter(), |mut row| {
                let phone = rows[row.index()];
                row.set_selected(selected.as_deref() == Some(phone.device.as_str()));
                let time = phone.last_seen.get(11..19).unwrap_or(&phone.last_seen);
                let model = phone.model.as_deref().unwrap_or("–");
                let firmware = phone.firmware.as_deref().unwrap_or("–");
                for (text, whole) in [
                    (RichText::new(&phone.device).monospace(), None),
                    (RichText::new(model), Some(model)),
                    (RichText::new(firmware).small(), Some(firmware)),
                    (RichText::new(time), None),
                    (RichText::new(phone.requests.to_string()), None),
                ] {
                    row.col(|ui| {
                        let cell = ui.add(cut_with_own_hover(text).selectable(false));
                        if let Some(whole) = whole {
                            cell.on_hover_text(whole);
                        }
                    });
                }
                row.col(|ui| {
                    if phone.diagnosis == PhoneDiagnosis::UnknownDevice {
                        add = add.take().or_else(|| add_button(ui, phone, added));
                    }
                    let colour = diagnosis_colour(&phone.diagnosis, &visuals);
                    let text = RichText::new(phone.diagnosis.explain()).color(colour);
                    ui.add(egui::Label::new(text).wrap().selectable(false));
                });
                if row.response().clicked() {
                    *selected = if selected.as_deref() == Some(phone.device.as_str()) {
                        None
                    } else {
                        Some(phone.device.clone())
                    };
                }
            });
        });
    add
}

/// The requests, newest last, each with its answer and the reason; for one phone, what its
/// requests say first, whole and wrapped, as its row may cut it.
pub fn requests(ui: &mut egui::Ui, log: &VecDeque<ServeEvent>, phone: Option<&Phone>) {
    match phone {
        Some(phone) => {
            ui.strong(format!(
                "Requests of {} (click its row again for all)",
                phone.device
            ));
            let colour = diagnosis_colour(&phone.diagnosis, ui.visuals());
            ui.add(egui::Label::new(RichText::new(phone.diagnosis.explain()).color(colour)).wrap());
        }
        None => {
            ui.strong("Requests");
        }
    }
    let phone = phone.map(|phone| phone.device.as_str());
    if log.is_empty() {
        ui.label(
            RichText::new("None yet. Each request appears here as it comes: its answer, and why.")
                .weak(),
        );
        return;
    }
    let colours = signal(ui.visuals());
    egui::ScrollArea::vertical()
        .id_salt("serve_requests")
        .stick_to_bottom(true)
        .auto_shrink([false, false])
        // Readable on a short window, where the panel scrolls to show it.
        .min_scrolled_height(200.0)
        .show(ui, |ui| {
            for event in log
                .iter()
                .filter(|event| phone.is_none() || event.device.as_deref() == phone)
            {
                let colour = match event.status {
                    200..=299 => colours.ok,
                    401 => colours.warning,
                    _ => colours.error,
                };
                if phone.is_some() {
                    exchange(ui, event, colour);
                    continue;
                }
                ui.horizontal_wrapped(|ui| {
                    let time = event.at.get(11..23).unwrap_or(&event.at);
                    ui.label(RichText::new(time).monospace().weak());
                    ui.label(RichText::new(event.status_text()).monospace().color(colour));
                    ui.label(RichText::new(event.request_text()).monospace());
                    ui.label(RichText::new(event.client.to_string()).small().weak());
                    if let Some(user) = &event.user {
                        ui.label(RichText::new(format!("user \"{user}\"")).small());
                    }
                    ui.label(event.verdict.explain());
                    if let Some(note) = &event.note {
                        ui.label(RichText::new(note).color(colours.warning));
                    }
                });
            }
        });
}

/// *Add to inventory* for a phone the inventory lacks, or that it was added since it asked.
fn add_button(ui: &mut egui::Ui, phone: &Phone, added: &BTreeSet<String>) -> Option<AddPhone> {
    if added.contains(&phone.device) {
        ui.label(RichText::new("✔ added").weak())
            .on_hover_text("In the inventory now: its next request gets a challenge");
        return None;
    }
    ui.small_button("Add to inventory")
        .on_hover_text("Add this MAC: asks for its site and model first")
        .clicked()
        .then(|| AddPhone {
            device: phone.device.clone(),
            model: phone.model.clone(),
        })
}

/// Red where the laptop failed the phone, amber where the phone is refused.
fn diagnosis_colour(diagnosis: &PhoneDiagnosis, visuals: &egui::Visuals) -> egui::Color32 {
    let colours = signal(visuals);
    match diagnosis {
        PhoneDiagnosis::Served => colours.ok,
        PhoneDiagnosis::Waiting => colours.info,
        here if here.fault_is_here() => colours.error,
        _ => colours.warning,
    }
}

/// One request of the chosen phone as the test fetch draws an exchange: the phone's request
/// with the user it answered as, then the laptop's answer with its reason.
fn exchange(ui: &mut egui::Ui, event: &ServeEvent, colour: egui::Color32) {
    let time = event.at.get(11..23).unwrap_or(&event.at);
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(time).monospace().weak());
        ui.label(RichText::new("phone → laptop").monospace());
        ui.label(RichText::new(event.request_text()).monospace());
        match &event.user {
            Some(user) => ui.label(format!("answering as \"{user}\"")),
            None => ui.label(RichText::new("no credentials").weak()),
        };
    });
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(" ".repeat(12)).monospace());
        ui.label(RichText::new("laptop → phone").monospace());
        ui.label(
            RichText::new(format!(
                "{} ({} bytes, {} ms)",
                event.status_text(),
                event.bytes,
                event.millis
            ))
            .monospace()
            .color(colour),
        );
        ui.label(event.verdict.explain());
    });
    if let Some(note) = &event.note {
        ui.label(RichText::new(note).color(signal(ui.visuals()).warning));
    }
    ui.separator();
}
