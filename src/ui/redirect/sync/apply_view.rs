//! An apply as it runs: a title and a progress bar, then each device's result as its batch
//! answers.

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::{ApplyRun, ApplyState};
use crate::redirect::{DeviceResult, Progress};
use crate::ui::widgets::style::{Signal, signal};
use crate::words;

pub(super) fn show(ui: &mut egui::Ui, apply: &ApplyRun, plan_gone: bool) {
    let colors = signal(ui.visuals());
    let Progress { done, total } = apply.progress;
    let fraction = if total == 0 {
        1.0
    } else {
        done as f32 / total as f32
    };
    let failed = apply.results.iter().filter(|r| r.outcome.is_err()).count();
    let title = match apply.state {
        ApplyState::Running => {
            format!("Applying: {done} of {} done", words::count(total, "device"))
        }
        ApplyState::Finished => format!(
            "Applied: {} changed, {failed} failed",
            words::count(apply.results.len() - failed, "device")
        ),
        ApplyState::Cancelled => format!(
            "Cancelled after {done} of {}; what the server answered is recorded",
            words::count(total, "device")
        ),
    };
    ui.label(RichText::new(title).strong());
    ui.add(
        egui::ProgressBar::new(fraction)
            .show_percentage()
            .animate(apply.state == ApplyState::Running),
    );
    if apply.state != ApplyState::Running && plan_gone && (failed > 0 || done < total) {
        let advice = if failed > 0 {
            "The failed devices are listed first, each with the server's answer and what to do; \
             then Plan again and Apply."
        } else {
            "Plan again to see what is left, then Apply to finish it."
        };
        ui.label(RichText::new(advice).color(colors.warning));
    }
    if apply.results.is_empty() {
        return;
    }
    // With no plan below it, the results take the rest of the tab.
    let height = if plan_gone {
        (ui.available_height() - 2.0 * ROW_HEIGHT).max(RESULTS_HEIGHT)
    } else {
        RESULTS_HEIGHT
    };
    results_table(ui, &apply.results, &colors, height);
}

const ROW_HEIGHT: f32 = 22.0;
/// The results' height above a plan.
const RESULTS_HEIGHT: f32 = 220.0;

fn results_table(ui: &mut egui::Ui, results: &[DeviceResult], colors: &Signal, height: f32) {
    TableBuilder::new(ui)
        .id_salt("redirect_apply_results")
        .striped(true)
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::initial(90.0))
        .column(Column::initial(170.0))
        .column(Column::remainder().at_least(200.0).clip(true))
        .max_scroll_height(height)
        .auto_shrink([false, true])
        .header(ROW_HEIGHT, |mut header| {
            for title in ["Action", "MAC-ID", "Result"] {
                header.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(ROW_HEIGHT, results.len(), |mut row| {
                let result = &results[row.index()];
                let (color, text) = match &result.outcome {
                    Ok(Some(_)) => (colors.ok, "done; MAC password stored".to_string()),
                    Ok(None) => (colors.ok, "done".to_string()),
                    Err(failure) => (colors.error, failure.message.clone()),
                };
                row.col(|ui| {
                    ui.label(result.item.action.name());
                });
                row.col(|ui| {
                    ui.label(RichText::new(&result.item.mac_id).monospace().color(color));
                });
                row.col(|ui| {
                    ui.label(RichText::new(&text).color(color))
                        .on_hover_text(&text);
                });
            });
        });
}
