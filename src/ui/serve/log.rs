//! The Serve panel's two views: the phones seen, one row each with what their requests say,
//! and the requests themselves, newest last, for one phone or all.

use std::collections::VecDeque;

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use crate::serve::{PhoneBook, PhoneDiagnosis, ServeEvent};
use crate::ui::widgets::fields::cut_with_own_hover;
use crate::ui::widgets::style::signal;

/// A phone not in the inventory the user chose to add, with the model its User-Agent named.
pub struct AddPhone {
    pub device: String,
    pub model: Option<String>,
}

/// The phones seen, problems first; a click on a row shows only its requests (again: all).
/// Returns the phone whose *Add to inventory* was clicked.
pub fn phones_table(
    ui: &mut egui::Ui,
    phones: &PhoneBook,
    selected: &mut Option<String>,
) -> Option<AddPhone> {
    ui.strong("Phones seen");
    let rows = phones.by_attention();
    if rows.is_empty() {
        ui.label(RichText::new("No phone has asked yet.").weak());
        return None;
    }
    let mut add = None;
    let colours = signal(ui.visuals());
    TableBuilder::new(ui)
        .id_salt("serve_phones")
        .striped(true)
        .sense(egui::Sense::click())
        .max_scroll_height(180.0)
        // Narrow enough together for a 1000-point window; each cell cuts what does not fit.
        .column(Column::initial(110.0).clip(true))
        .column(Column::initial(150.0).clip(true))
        .column(Column::initial(110.0).clip(true))
        .column(Column::initial(75.0))
        .column(Column::initial(65.0))
        .column(Column::remainder().at_least(160.0).clip(true))
        .header(22.0, |mut header| {
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
            body.rows(22.0, rows.len(), |mut row| {
                let phone = rows[row.index()];
                row.set_selected(selected.as_deref() == Some(phone.device.as_str()));
                let colour = match &phone.diagnosis {
                    PhoneDiagnosis::Served => colours.ok,
                    PhoneDiagnosis::Waiting => colours.info,
                    here if here.fault_is_here() => colours.error,
                    _ => colours.warning,
                };
                let time = phone.last_seen.get(11..19).unwrap_or(&phone.last_seen);
                for text in [
                    RichText::new(&phone.device).monospace(),
                    RichText::new(phone.model.as_deref().unwrap_or("–")),
                    RichText::new(phone.firmware.as_deref().unwrap_or("–")).small(),
                    RichText::new(time),
                    RichText::new(phone.requests.to_string()),
                ] {
                    row.col(|ui| {
                        ui.add(egui::Label::new(text).selectable(false));
                    });
                }
                row.col(|ui| {
                    ui.horizontal(|ui| {
                        if phone.diagnosis == PhoneDiagnosis::UnknownDevice
                            && ui
                                .small_button("Add to inventory")
                                .on_hover_text("Add this MAC, with the model its User-Agent names")
                                .clicked()
                        {
                            add = Some(AddPhone {
                                device: phone.device.clone(),
                                model: phone.model.clone(),
                            });
                        }
                        let text = RichText::new(phone.diagnosis.explain()).color(colour);
                        ui.add(cut_with_own_hover(text).selectable(false))
                            .on_hover_text(phone.diagnosis.explain());
                    });
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

/// The requests, newest last, each with its answer and the reason.
pub fn requests(ui: &mut egui::Ui, log: &VecDeque<ServeEvent>, phone: Option<&str>) {
    match phone {
        Some(device) => ui.strong(format!(
            "Requests of {device} (click its row again for all)"
        )),
        None => ui.strong("Requests"),
    };
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
