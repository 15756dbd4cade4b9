//! A search field over the inventory with the matching devices as buttons: the test fetch and
//! the template preview both pick "the device" this way. The query runs on the inventory job
//! queue; answers to older queries are ignored.

use egui::RichText;

use crate::device::Device;
use crate::inventory::DeviceQuery;
use crate::ui::event::Event;
use crate::ui::widgets::answers::Found;
use crate::ui::widgets::style::signal;
use crate::ui::worker::Worker;

/// Where a panel's device or account comes from: the inventory, or typed in ad hoc.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Source {
    Inventory,
    #[default]
    AdHoc,
}

/// The *Inventory device* / *Ad hoc* switch; says whether the user changed it this frame.
/// Each side keeps its own fields, so switching back loses nothing.
pub fn source_switch(ui: &mut egui::Ui, source: &mut Source) -> bool {
    let before = *source;
    ui.horizontal(|ui| {
        ui.selectable_value(source, Source::Inventory, "Inventory device");
        ui.selectable_value(source, Source::AdHoc, "Ad hoc");
    });
    *source != before
}

/// How many matches the picker lists; more means the search should be sharper.
const PICKER_LIMIT: usize = 8;

pub struct DevicePicker {
    /// Names the picker's queries, so that only the last of a burst runs.
    kind: &'static str,
    /// Wraps the answer in the owning panel's event.
    answer: fn(Found) -> Event,
    search: String,
    /// The last query sent.
    generation: u64,
    /// The query whose answer `matches` holds.
    answered: u64,
    matches: Vec<Device>,
    /// Why the last query found nothing, when it failed.
    error: Option<String>,
}

impl DevicePicker {
    pub fn new(kind: &'static str, answer: fn(Found) -> Event) -> Self {
        Self {
            kind,
            answer,
            search: String::new(),
            generation: 0,
            answered: 0,
            matches: Vec::new(),
            error: None,
        }
    }

    /// Asks for devices matching the search (also when a panel is first shown).
    pub fn search(&mut self, worker: &Worker) {
        self.generation += 1;
        let (generation, answer) = (self.generation, self.answer);
        let query = DeviceQuery {
            search: self.search.trim().to_string(),
            limit: Some(PICKER_LIMIT),
            ..DeviceQuery::default()
        };
        worker.inventory_latest(self.kind, move |inventory, _| {
            answer(Found {
                generation,
                devices: inventory
                    .query_devices(&query)
                    .map(|page| page.devices)
                    .map_err(|e| e.to_string()),
            })
        });
    }

    /// The matches for a query; only the last one sent counts.
    pub fn found(&mut self, found: Found) {
        if found.generation == self.generation {
            match found.devices {
                Ok(devices) => {
                    self.matches = devices;
                    self.error = None;
                }
                Err(error) => {
                    self.matches.clear();
                    self.error = Some(error);
                }
            }
            self.answered = found.generation;
        }
    }

    /// The labelled search field and one button per match; returns the device clicked.
    /// `hover` says what picking does, `empty` what to do when nothing matches.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        worker: &Worker,
        label: &str,
        hover: &str,
        empty: &str,
    ) -> Option<Device> {
        let label = ui.label(label);
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut self.search)
                    .hint_text("MAC, MAC-ID, site, model")
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        if field.changed() {
            self.search(worker);
        }
        let mut picked = None;
        for device in &self.matches {
            let mut text = device.mac.macd();
            for part in [&device.model, &device.site].into_iter().flatten() {
                text.push_str(&format!(" · {part}"));
            }
            if ui
                .add(
                    egui::Button::selectable(false, text)
                        .min_size(egui::vec2(ui.available_width(), 0.0)),
                )
                .on_hover_text(hover)
                .clicked()
            {
                picked = Some(device.clone());
            }
        }
        if let Some(error) = &self.error {
            ui.colored_label(
                signal(ui.visuals()).error,
                format!("Could not search: {error}"),
            );
        } else if self.matches.is_empty() && self.answered == self.generation {
            ui.label(RichText::new(empty).weak());
        }
        picked
    }
}

/// The picked device as a card: its MAC with a *Change* button, its model and site, and what
/// `details` adds. Returns whether *Change* was clicked.
pub fn device_card(
    ui: &mut egui::Ui,
    device: &Device,
    details: impl FnOnce(&mut egui::Ui),
) -> bool {
    let mut change = false;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal(|ui| {
            ui.label(RichText::new(device.mac.macd()).monospace().strong());
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                change = ui
                    .small_button("Change")
                    .on_hover_text("Pick another device")
                    .clicked();
            });
        });
        let mut facts = Vec::new();
        if let Some(model) = &device.model {
            facts.push(model.clone());
        }
        if let Some(site) = &device.site {
            facts.push(format!("site {site}"));
        }
        if !facts.is_empty() {
            ui.label(RichText::new(facts.join(" · ")).weak());
        }
        details(ui);
    });
    change
}
