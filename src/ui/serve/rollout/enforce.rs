//! *Enforce…*: the progress is read again before the question is asked (the table may be
//! behind what the CLI or a script did), and the question names the phones the old
//! credentials would be refused to, with a red button while there are any.

use egui::RichText;

use super::RolloutSection;
use crate::device::Mac;
use crate::inventory::RolloutProgress;
use crate::ui::serve::job;
use crate::ui::widgets::dialog;
use crate::ui::widgets::style::signal;
use crate::ui::worker::Worker;
use crate::words;

/// MACs named one by one in the question; the rest are counted.
const NAMED: usize = 10;

/// Where the Enforce… question is.
#[derive(Default)]
pub(super) enum Enforce {
    #[default]
    Closed,
    /// Asked: the progress and the devices not switched are being read.
    Reading,
    /// Asking, with the devices enforcing would lock out as last read.
    Confirm(Vec<Mac>),
}

impl RolloutSection {
    /// *Enforce…*: reads again, then asks. Off while reading.
    pub(super) fn enforce_button(&mut self, ui: &mut egui::Ui, worker: &Worker) {
        let reading = matches!(self.enforce, Enforce::Reading);
        if ui
            .add_enabled(!reading, egui::Button::new("Enforce…"))
            .on_hover_text("Accept only the new credentials from now on")
            .on_disabled_hover_text("Reading which devices have switched…")
            .clicked()
        {
            self.enforce = Enforce::Reading;
            job::load_enforce(worker);
        }
    }

    /// The inventory changed elsewhere: an open question is read again, so its names follow.
    pub fn enforce_changed_elsewhere(&self, worker: &Worker) {
        if matches!(self.enforce, Enforce::Confirm(_)) {
            job::load_enforce(worker);
        }
    }

    /// The progress and the devices not switched, read for the question: the question opens
    /// (or follows) unless it was closed meanwhile or no rollout is on any more.
    pub fn took_enforce_facts(&mut self, progress: Vec<RolloutProgress>, pending: Vec<Mac>) {
        self.took_progress(progress);
        if matches!(self.enforce, Enforce::Closed) {
            return;
        }
        self.enforce = if self.progress.is_empty() {
            Enforce::Closed
        } else {
            Enforce::Confirm(pending)
        };
    }

    /// Reading failed: nothing is asked.
    pub fn enforce_failed(&mut self) {
        self.enforce = Enforce::Closed;
    }

    pub(super) fn confirm_enforce(&mut self, ui: &mut egui::Ui, worker: &Worker) {
        let Enforce::Confirm(pending) = &self.enforce else {
            return;
        };
        let button = if pending.is_empty() {
            egui::Button::new(RichText::new("Enforce").strong())
        } else {
            dialog::danger_button(ui, "Enforce")
        };
        let back = !self.progress.is_empty() && self.progress.iter().all(|row| row.is_back());
        let decision = dialog::confirm(ui, "serve_enforce_rollout", 440.0, button, true, |ui| {
            ui.heading(if back {
                "Enforce the way back?"
            } else {
                "Enforce the rollout?"
            });
            if pending.is_empty() && back {
                ui.label("Every device is back on the old credentials. The cancelled ones will be refused from now on.");
            } else if pending.is_empty() {
                ui.label("Every device has fetched its new credentials. The old ones will be refused from now on.");
            } else {
                ui.label(
                    RichText::new(locked_out(pending.len(), back))
                        .color(signal(ui.visuals()).warning),
                );
                ui.label(named(pending));
            }
        });
        match decision {
            Some(true) => {
                self.enforce = Enforce::Closed;
                job::enforce_rollout(worker);
            }
            Some(false) => self.enforce = Enforce::Closed,
            None => {}
        }
    }
}

/// `2 devices have not fetched their new credentials yet. They will be refused …`; going
/// `back`, not come back to the old ones.
fn locked_out(pending: usize, back: bool) -> String {
    let (lag, which) = if back {
        ("come back to the old", "old")
    } else {
        (
            words::agree(pending, "fetched its new", "fetched their new"),
            "new",
        )
    };
    format!(
        "{} {} not {lag} credentials yet. {} will be refused until someone gives {} the {which} ones by hand:",
        words::count(pending, "device"),
        words::agree(pending, "has", "have"),
        words::agree(pending, "It", "They"),
        words::agree(pending, "it", "them"),
    )
}

/// The first [`NAMED`] MACs, then how many more: `7C2F80000001, 7C2F80000002 and 3 more`.
fn named(macs: &[Mac]) -> String {
    let shown = macs
        .iter()
        .take(NAMED)
        .map(Mac::macd)
        .collect::<Vec<_>>()
        .join(", ");
    match macs.len().saturating_sub(NAMED) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn macs(count: usize) -> Vec<Mac> {
        (0..count)
            .map(|i| Mac::parse(&format!("7C2F800000{i:02X}")).unwrap())
            .collect()
    }

    #[test]
    fn up_to_ten_macs_are_named_and_the_rest_counted() {
        assert_eq!(named(&macs(2)), "7C2F80000000, 7C2F80000001");
        let twelve = named(&macs(12));
        assert!(twelve.starts_with("7C2F80000000, "), "{twelve}");
        assert!(twelve.contains("7C2F80000009 and 2 more"), "{twelve}");
        assert!(!twelve.contains("7C2F8000000A"), "{twelve}");
    }
}
