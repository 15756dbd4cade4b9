//! The right side of the Test fetch panel: the verdict (at most a share of the height, scrolling
//! beyond it), the ways to the fix and the toolbar with the notes folded in on top, then
//! the sequence with the selected step's detail beside it, and the Up/Down keys that move the
//! selection.

use egui::RichText;

use super::detail::{self, ScrollTo};
use super::sequence::{self, Lanes, Part};
use super::{FetchPanel, Run, RunState, SaveDialog, verdict};
use crate::fetch::ExportOptions;
use crate::ui::widgets::banner;
use crate::ui::widgets::dialog;
use crate::ui::widgets::status::StatusLine;

/// The share of the height the verdict (the banner and any further finding) takes at most
/// before it scrolls: the exchange and the step's detail under it are what is read, and at
/// 1000×700 the verdict, its notes and the toolbar left them a strip of some 150 points.
const VERDICT_SHARE: f32 = 0.35;
/// The verdict's least height, where the window is very low: the banner's title and cause.
const VERDICT_MIN: f32 = 96.0;

impl FetchPanel {
    pub(super) fn results(&mut self, ui: &mut egui::Ui, status: &mut StatusLine) {
        banner::error(ui, &mut self.error);
        if self.run.is_none() {
            verdict::empty_state(ui);
            return;
        }
        let cap = (ui.available_height() * VERDICT_SHARE).max(VERDICT_MIN);
        egui::ScrollArea::vertical()
            .id_salt("fetch_verdict_scroll")
            .max_height(cap)
            .auto_shrink([false, true])
            .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::VisibleWhenNeeded)
            .show(ui, |ui| {
                if let Some(run) = &self.run {
                    verdict::show(ui, run, self.own_serve.as_ref());
                }
            });
        if let Some(run) = &self.run {
            verdict::model_assumed(ui, &run.transcript);
        }
        ui.add_space(4.0);
        // The ways to the fix first, in sight under a verdict that scrolls, then the tools, in
        // one row where the width allows: each row taken is the exchange's.
        let mut save = None;
        ui.horizontal_wrapped(|ui| {
            if self.fix_buttons(ui) {
                ui.separator();
            }
            if let Some(run) = &self.run {
                save = verdict::toolbar(ui, run, status);
            }
        });
        let Some(run) = self.run.as_mut() else {
            return;
        };
        if let Some(file) = save {
            self.save = Some(SaveDialog {
                file,
                path: dialog::default_save_path(&verdict::suggested_name(run, file)),
                no_file_dialog: false,
                options: ExportOptions {
                    bodies: false,
                    reveal_secrets: run.reveal_secrets,
                },
            });
        }
        verdict::notes(ui, &run.transcript);
        ui.separator();
        if run.transcript.steps.is_empty() {
            return;
        }
        detail_pane(ui, run);
        sequence_pane(ui, run);
    }
}

impl Run {
    /// Up or Down: the arrow before or after the selected one (the newest when none is).
    /// Following resumes only on the newest arrow of a running fetch.
    pub(super) fn step_selection(&mut self, up: bool) {
        let arrows = sequence::arrows(&self.transcript);
        let current = self
            .selected
            .and_then(|s| arrows.iter().position(|a| *a == s));
        let next = match (current, up) {
            (None, _) => arrows.len().checked_sub(1),
            (Some(i), true) => Some(i.saturating_sub(1)),
            (Some(i), false) => Some((i + 1).min(arrows.len().saturating_sub(1))),
        };
        if let Some(next) = next {
            self.selected = arrows.get(next).copied();
            self.follow = next + 1 == arrows.len() && self.state == RunState::Running;
            self.reveal_selection = true;
        }
    }
}

impl Run {
    /// The seconds the newest request has waited for its answer by `now` (egui's clock),
    /// counted from the first frame that drew it waiting; `None` when no answer is awaited.
    fn waited(&mut self, now: f64) -> Option<f64> {
        let awaited = self.state == RunState::Running
            && self
                .transcript
                .steps
                .last()
                .is_some_and(|s| s.response.is_none() && s.error.is_none());
        let step = self
            .transcript
            .steps
            .len()
            .checked_sub(1)
            .filter(|_| awaited)?;
        let since = match self.waiting_since {
            Some((waiting, since)) if waiting == step => since,
            _ => {
                self.waiting_since = Some((step, now));
                now
            }
        };
        Some(now - since)
    }
}

/// The width the sequence needs for its lanes and their labels.
const SEQUENCE: f32 = 360.0;
/// Narrower than this, the detail goes under the sequence instead of covering its server lane.
const BESIDE: f32 = 680.0;

fn detail_pane(ui: &mut egui::Ui, run: &mut Run) {
    let selected_step = run.selected.map(|a| a.step);
    // A newly selected response opens the pane at the response, a request at the top.
    let scroll = match run.selected {
        Some(arrow) if run.detail_shows != run.selected => match arrow.part {
            Part::Request => ScrollTo::Top,
            Part::Response => ScrollTo::Response,
        },
        _ => ScrollTo::Nothing,
    };
    if run.detail_shows != run.selected {
        // Secrets are revealed for one step at a time, never carried to the next.
        run.reveal_secrets = false;
        run.detail_shows = run.selected;
    }
    let show = |ui: &mut egui::Ui| {
        egui::ScrollArea::vertical()
            .id_salt("fetch_detail_scroll")
            .show(ui, |ui| match selected_step {
                Some(step) => {
                    let running = run.state == RunState::Running;
                    let reveal = &mut run.reveal_secrets;
                    detail::show(ui, &run.transcript, step, reveal, scroll, running)
                }
                None => {
                    ui.label(
                        RichText::new(
                            "Click an arrow (or use the Up and Down keys) to see its details.",
                        )
                        .weak(),
                    );
                }
            });
    };
    let width = ui.available_width();
    if width < BESIDE {
        let height = ui.available_height();
        egui::Panel::bottom("fetch_detail_below")
            .resizable(true)
            .default_size(height * 0.5)
            .min_size(120.0)
            .max_size((height * 0.75).max(120.0))
            .show(ui, show);
    } else {
        egui::Panel::right("fetch_detail")
            .resizable(true)
            .default_size((width * 0.48).max(340.0))
            .min_size(BESIDE - SEQUENCE)
            .max_size(width - SEQUENCE)
            .show(ui, show);
    }
}

fn sequence_pane(ui: &mut egui::Ui, run: &mut Run) {
    egui::CentralPanel::no_frame().show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("fetch_sequence_scroll")
            .show(ui, |ui| {
                let before = run.selected;
                let waiting = run.waited(ui.input(|i| i.time));
                sequence::show(
                    ui,
                    &run.transcript,
                    &Lanes {
                        device: run.model,
                        server: &run.server_label,
                    },
                    waiting,
                    &mut run.selected,
                    std::mem::take(&mut run.reveal_selection),
                );
                if run.selected != before {
                    run.follow = false;
                }
            });
    });
}
