//! The Templates panel's middle: the editor with its save/reset/render buttons, the line
//! that says how the last render went, and the problems found in the text.

use std::collections::BTreeSet;

use egui::RichText;

use super::render::RenderDialog;
use super::{Draft, TemplatesPanel, editor, jobs};
use crate::device::Delivery;
use crate::templates::{DefaultTemplate, Located};
use crate::ui::widgets::dialog;
use crate::ui::widgets::status::StatusLine;
use crate::ui::widgets::style::signal;
use crate::ui::worker::Worker;
use crate::words;

impl TemplatesPanel {
    pub(super) fn centre(
        &mut self,
        ui: &mut egui::Ui,
        default: &'static DefaultTemplate,
        side_open: bool,
        worker: &Worker,
        status: &mut StatusLine,
    ) {
        let Some(draft) = self.drafts.get(self.selected) else {
            return;
        };
        let dirty = draft.dirty();
        ui.horizontal(|ui| {
            ui.heading(format!("{} template", default.name));
            if dirty {
                ui.label(RichText::new("unsaved changes").color(signal(ui.visuals()).warning));
            }
        });
        delivery_note(ui, default);
        let save = self.actions(ui, dirty, side_open);
        if let Some(result) = &self.last_render {
            let (color, text) = match result {
                Ok(text) => (signal(ui.visuals()).ok, text),
                Err(text) => (signal(ui.visuals()).error, text),
            };
            ui.add(egui::Label::new(RichText::new(text).color(color)).wrap());
        }
        if save {
            self.save(worker, status);
        }
        let Some(draft) = self.drafts.get_mut(self.selected) else {
            return;
        };
        let problem_lines: BTreeSet<usize> = draft
            .problems
            .iter()
            .filter_map(|p| p.at.map(|at| at.line))
            .collect();
        let goto = self.goto.take();
        // The problems take what they need, up to a third of the height; the editor the rest.
        let available = ui.available_height();
        let problems_height = match draft.problems.len() {
            0 => 30.0,
            n => (34.0 + 72.0 * n as f32).min((available / 3.0).max(80.0)),
        };
        let label = ui.label(RichText::new("Template text").small().weak());
        let editor_size = egui::vec2(
            ui.available_width(),
            (ui.available_height() - problems_height).max(120.0),
        );
        let id = egui::Id::unique(("template_editor", default.name));
        let output = ui
            .allocate_ui(editor_size, |ui| {
                editor::show(ui, id, label.id, &mut draft.text, &problem_lines, goto)
            })
            .inner;
        if output.cursor.is_some() {
            self.cursor = output.cursor;
        }
        if output.changed {
            draft.check(default);
        }
        egui::ScrollArea::vertical()
            .id_salt("template_problems_scroll")
            .max_height(problems_height)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                if let Some((line, column)) = problem_list(ui, &draft.problems) {
                    self.goto = Some(editor::char_index(&draft.text, line, column));
                }
            });
    }

    /// Save, Reset, Render and the switch of the side pane; whether Save was clicked.
    fn actions(&mut self, ui: &mut egui::Ui, dirty: bool, side_open: bool) -> bool {
        let mut save = false;
        ui.horizontal_wrapped(|ui| {
            save = ui
                .add_enabled(dirty, egui::Button::new(RichText::new("💾 Save as new version").strong()))
                .on_hover_text("Save the editor's text as the next version (Ctrl+S); an invalid template is refused")
                .on_disabled_hover_text("No changes to save")
                .clicked();
            if ui
                .button("Reset to default…")
                .on_hover_text("Go back to the built-in template; the saved versions stay in the history")
                .clicked()
            {
                self.confirm_reset = true;
            }
            let render_enabled = self.rendering.is_none();
            if ui
                .add_enabled(render_enabled, egui::Button::new("Render…"))
                .on_hover_text("Write the configuration files of the preview device or of all devices into a folder")
                .clicked()
            {
                self.render = Some(RenderDialog::new(self.preview.device()));
            }
            if ui
                .add(egui::Button::new("Variables and preview").selected(side_open))
                .on_hover_text("Show or hide the variables to insert and the preview for a device, beside the editor")
                .clicked()
            {
                self.side_open = Some(!side_open);
            }
            if let Some(phase) = self.rendering {
                ui.add(egui::Spinner::new());
                ui.label(phase);
            }
        });
        save
    }

    pub(super) fn reset_dialog(
        &mut self,
        ui: &mut egui::Ui,
        default: &'static DefaultTemplate,
        worker: &Worker,
        status: &mut StatusLine,
    ) {
        if !self.confirm_reset {
            return;
        }
        let colors = signal(ui.visuals());
        let button = egui::Button::new(
            RichText::new(format!("Reset {}", default.name)).color(colors.on_danger),
        )
        .fill(colors.danger);
        let dirty = self.drafts.get(self.selected).is_some_and(Draft::dirty);
        let decision = dialog::confirm(ui, "confirm_template_reset", 420.0, button, true, |ui| {
            ui.heading(format!("Reset {} to the built-in template?", default.name));
            ui.add_space(4.0);
            ui.label(
                "Renders use the built-in template again. The saved versions stay in the \
                 history, so you can load one and save it again.",
            );
            if dirty {
                ui.colored_label(
                    signal(ui.visuals()).warning,
                    "The editor's unsaved changes are discarded.",
                );
            }
        });
        match decision {
            Some(true) => {
                status.info(format!("Resetting {}…", default.name));
                jobs::reset(worker, default.name.to_string());
                self.confirm_reset = false;
            }
            Some(false) => self.confirm_reset = false,
            None => {}
        }
    }
}

/// Lists the problems; returns the (line, column) of the one clicked.
fn problem_list(ui: &mut egui::Ui, problems: &[Located]) -> Option<(usize, usize)> {
    let colors = signal(ui.visuals());
    if problems.is_empty() {
        ui.label(RichText::new("✔ No problems: the template is valid.").color(colors.ok));
        return None;
    }
    ui.label(
        RichText::new(format!(
            "✖ {}; click one to go to its line",
            words::count(problems.len(), "problem")
        ))
        .color(colors.error)
        .strong(),
    );
    let mut clicked = None;
    // Bounded and scrolled: an unknown variable's message lists every known one, and the
    // list ran under the status bar.
    egui::ScrollArea::vertical()
        .id_salt("template_problems")
        .max_height(ui.available_height().clamp(40.0, 150.0))
        .auto_shrink([false, true])
        .show(ui, |ui| {
            for problem in problems {
                let text = RichText::new(problem.to_string()).color(colors.error);
                let response = ui.add(egui::Button::selectable(false, text).wrap());
                if let Some(at) = problem.at
                    && response.clicked()
                {
                    clicked = Some((at.line, at.column));
                }
            }
        });
    clicked
}

/// How a file of this format reaches the device, where it is not by download (the DX800A's
/// restore file).
fn delivery_note(ui: &mut egui::Ui, default: &DefaultTemplate) {
    if let Delivery::LoadedByHand { how } = default.format.spec().delivery {
        ui.add(
            egui::Label::new(
                RichText::new(format!("Note: {how}")).color(signal(ui.visuals()).info),
            )
            .wrap(),
        );
    }
}
