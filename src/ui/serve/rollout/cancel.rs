//! Cancelling the rollouts shown, for one started by mistake: the confirmation says how many
//! phones may already hold the new credentials and that those stay accepted for them (their
//! next file carries the old ones again), so a cancel never locks a phone out.

use egui::RichText;

use crate::inventory::{RolloutProgress, RolloutScope};
use crate::ui::serve::events::ServePanelEvent;
use crate::ui::widgets::dialog;
use crate::ui::widgets::style::signal;
use crate::ui::worker::Worker;
use crate::words;

/// Shows the confirmation while `open`; confirmed, cancels every rollout on the worker.
pub(super) fn confirm(
    ui: &mut egui::Ui,
    worker: &Worker,
    progress: &[RolloutProgress],
    open: &mut bool,
) {
    if !*open {
        return;
    }
    // A rollout already going back is left as it is: the question counts those going forward.
    let forward = || progress.iter().filter(|row| !row.is_back());
    let devices: usize = forward().map(|row| row.devices).sum();
    let switched: usize = forward().map(|row| row.switched).sum();
    let may_hold: usize = forward().map(|row| row.may_hold_new).sum();
    let back: usize = progress
        .iter()
        .filter(|row| row.is_back())
        .map(|row| row.devices)
        .sum();
    let button = egui::Button::new(RichText::new("Cancel the rollout").strong());
    let decision = dialog::confirm_or(
        ui,
        "serve_cancel_rollout",
        480.0,
        button,
        "Keep the rollout",
        |ui| {
            ui.heading("Cancel the rollout?");
            ui.add_space(4.0);
            ui.label(format!(
                "{} in the rollout go back to the credentials {} had before it; a site rolled out as a whole gets its old ones back too.",
                words::count(devices, "device"),
                words::agree(devices, "it", "they"),
            ));
            let (said, kept) = consequence(devices, switched, may_hold);
            ui.label(said)
                .on_hover_text("A phone learns credentials only from a file it fetched");
            if !kept.is_empty() {
                ui.label(RichText::new(kept).color(signal(ui.visuals()).warning));
            }
            if back > 0 {
                ui.label(
                    RichText::new(format!(
                        "{} going back already (cancelled before) {} left as {}.",
                        words::count(back, "device"),
                        words::agree(back, "is", "are"),
                        words::agree(back, "it is", "they are"),
                    ))
                    .weak(),
                );
            }
        },
    );
    match decision {
        Some(true) => {
            *open = false;
            cancel_rollout(worker);
        }
        Some(false) => *open = false,
        None => {}
    }
}

/// What happens to the phones of `devices`: the sentence about those that switched or
/// fetched, and (when any may hold the new credentials) what the cancel does for them.
fn consequence(devices: usize, switched: usize, may_hold: usize) -> (String, String) {
    if may_hold == 0 {
        return (
            "No phone has fetched a file with the new credentials yet: they are forgotten now."
                .into(),
            String::new(),
        );
    }
    let fetched = may_hold.saturating_sub(switched);
    let others = devices.saturating_sub(may_hold);
    let mut said = format!(
        "{} already switched to the new credentials",
        words::count(switched, "phone") + words::agree(switched, " has", " have"),
    );
    if fetched > 0 {
        said.push_str(&format!(
            " and {fetched} more may hold them (a file carrying them was fetched)"
        ));
    }
    said.push('.');
    if others > 0 {
        said.push_str(&format!(
            " For the other {} the new ones are forgotten now.",
            words::count(others, "device")
        ));
    }
    (
        said,
        format!(
            "So that none is locked out, the new credentials stay accepted for {} while {} next file carries the old ones again: the table shows {} going back to the old credentials, to enforce once {} switched back.",
            words::agree(may_hold, "that device", "those devices"),
            words::agree(may_hold, "its", "their"),
            words::agree(may_hold, "it", "them"),
            words::agree(may_hold, "it has", "they have"),
        ),
    )
}

/// Cancels every rollout; the panel hears what was done, or why not.
fn cancel_rollout(worker: &Worker) {
    worker.inventory(|inventory, _| {
        ServePanelEvent::RolloutChanged(
            inventory
                .cancel_rollout(&RolloutScope::All)
                .map(|done| format!("Rollout cancelled: {}", done.summary()))
                .map_err(|e| e.to_string()),
        )
    });
}
