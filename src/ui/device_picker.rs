//! A search field over the inventory with the matching devices as buttons: the test fetch and
//! the template preview both pick "the device" this way. The query runs on the inventory job
//! queue; answers to older queries are ignored.

use egui::RichText;

use super::worker::{Command, Worker};
use crate::device::Device;

/// Which panel's picker a query belongs to, so each gets its own answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerId {
    Fetch,
    TemplatePreview,
}

pub struct DevicePicker {
    id: PickerId,
    search: String,
    /// The last query sent.
    generation: u64,
    /// The query whose answer `matches` holds.
    answered: u64,
    matches: Vec<Device>,
}

impl DevicePicker {
    pub fn new(id: PickerId) -> Self {
        Self {
            id,
            search: String::new(),
            generation: 0,
            answered: 0,
            matches: Vec::new(),
        }
    }

    /// Asks for devices matching the search (also when a panel is first shown).
    pub fn search(&mut self, worker: &Worker) {
        self.generation += 1;
        worker.send(Command::FindDevices {
            picker: self.id,
            generation: self.generation,
            search: self.search.trim().to_string(),
        });
    }

    /// The matches for a query; only the last one sent counts.
    pub fn found(&mut self, generation: u64, devices: Vec<Device>) {
        if generation == self.generation {
            self.matches = devices;
            self.answered = generation;
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
        if self.matches.is_empty() && self.answered == self.generation {
            ui.label(RichText::new(empty).weak());
        }
        picked
    }
}
