//! The Templates panel's middle: the editor with its save/reset/render buttons, the line
//! that says how the last render went, and the problems found in the text.

use std::collections::BTreeSet;

use egui::RichText;

use super::render::{RenderDialog, Unsaved};
use super::{Draft, Elsewhere, TemplatesPanel, editor};
use crate::device::Delivery;
use crate::templates::{DefaultTemplate, Located, NOTE_MAX_CHARS};
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
        elsewhere: &Elsewhere,
        worker: &Worker,
        status: &mut StatusLine,
    ) {
        let Some(draft) = self.drafts.get(self.selected) else {
            return;
        };
        let dirty = draft.dirty();
        let blocked = save_blocked(draft);
        // The last render's line speaks of the text it was started from: after an edit, or on
        // another template, it would pass for the state of what the editor shows.
        let render_current = self
            .render_basis
            .as_ref()
            .is_some_and(|(index, text)| *index == self.selected && *text == draft.text);
        // Wrapped: at 1000 px beside the side pane a long name and "unsaved changes" ran
        // under the pane.
        ui.horizontal_wrapped(|ui| {
            ui.heading(format!("{} template", default.name));
            if dirty {
                ui.label(RichText::new("unsaved changes").color(signal(ui.visuals()).warning));
            }
        });
        delivery_note(ui, default);
        self.saved_elsewhere_line(ui, status);
        let (save, render) = self.actions(ui, dirty, blocked.clone(), side_open);
        if render && let Some(draft) = self.drafts.get(self.selected) {
            // Saving first would be refused too: the edits started from an older version.
            let stale = self.saved_elsewhere().map(|newest| {
                format!("Not while v{newest}, saved elsewhere, is newer than your edits: compare or load it first")
            });
            let unsaved = dirty.then(|| Unsaved {
                name: default.name,
                text: draft.text.clone(),
                note: draft.note.clone(),
                base: draft.base,
                blocked: blocked.or(stale),
            });
            self.render = Some(
                RenderDialog::new(self.preview.device(), elsewhere, unsaved)
                    .remembering(&self.render_folders),
            );
        }
        if let Some(last) = self.last_render.as_mut().filter(|_| render_current) {
            last.ui(ui, worker);
        }
        if save {
            self.save(worker, status);
        }
        let Some(draft) = self.drafts.get_mut(self.selected) else {
            return;
        };
        let listed = Listed::of(draft, self.preview.refused());
        let problem_lines: BTreeSet<usize> = listed
            .problems()
            .iter()
            .filter_map(|p| p.at.map(|at| at.line))
            .collect();
        let goto = self.goto.take();
        // The problems take what they need, up to a third of the height; the editor the rest.
        let available = ui.available_height();
        let problems_height = match listed.problems().len() {
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
            self.preview.refresh(default.format, draft.parsed.as_ref());
        }
        let listed = Listed::of(draft, self.preview.refused());
        egui::ScrollArea::vertical()
            .id_salt("template_problems_scroll")
            .max_height(problems_height)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                if let Some((line, column)) = problem_list(ui, &listed) {
                    self.goto = Some(editor::char_index(&draft.text, line, column));
                }
            });
    }

    /// Save, Reset, Render and the switch of the side pane; whether Save and Render were
    /// clicked. Save is off while nothing changed or `blocked` says why it would be refused.
    fn actions(
        &mut self,
        ui: &mut egui::Ui,
        dirty: bool,
        blocked: Option<String>,
        side_open: bool,
    ) -> (bool, bool) {
        let mut save = false;
        let mut render = false;
        ui.horizontal_wrapped(|ui| {
            let enabled = dirty && blocked.is_none();
            let note_only = self
                .drafts
                .get(self.selected)
                .is_some_and(|draft| !draft.note.trim().is_empty());
            let why_not = blocked.unwrap_or_else(|| {
                if note_only {
                    "No changes to save: the text is the version in use, and a note alone makes no version".to_string()
                } else {
                    "No changes to save".to_string()
                }
            });
            save = ui
                .add_enabled(
                    enabled,
                    egui::Button::new(RichText::new("💾 Save as new version").strong()),
                )
                .on_hover_text("Save the editor's text as the next version (Ctrl+S)")
                .on_disabled_hover_text(why_not)
                .clicked();
            save |= self.note_field(ui) && enabled;
            self.reset_button(ui);
            let render_enabled = self.rendering.is_none();
            if ui
                .add_enabled(render_enabled, egui::Button::new("Render…"))
                .on_hover_text("Write the configuration files of the preview device, of a site or of all devices into a folder")
                .clicked()
            {
                render = true;
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
        (save, render)
    }

    /// The note for the next version, beside Save; whether Enter was pressed in it (which
    /// saves, as Ctrl+S does).
    fn note_field(&mut self, ui: &mut egui::Ui) -> bool {
        let Some(draft) = self.drafts.get_mut(self.selected) else {
            return false;
        };
        let label = ui.label("Note:");
        let response = ui
            .add(
                egui::TextEdit::singleline(&mut draft.note)
                    .hint_text("optional, e.g. SIP port 5070 for Hotel Adler")
                    .char_limit(NOTE_MAX_CHARS)
                    .desired_width(250.0),
            )
            .labelled_by(label.id)
            .on_hover_text(
                "Saved with the next version and shown in the versions list, to tell versions apart",
            );
        response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter))
    }

    /// The Render… dialog while it is open: a job sent starts the progress line, the link to
    /// Serve asks the app for that panel.
    pub(super) fn render_dialog(
        &mut self,
        ui: &mut egui::Ui,
        worker: &Worker,
        status: &mut StatusLine,
    ) {
        let Some(render) = &mut self.render else {
            return;
        };
        let Some(sent) = render.ui(ui, worker) else {
            return;
        };
        if sent {
            self.rendering = Some("Starting…");
            self.last_render = None;
            self.render_basis = self
                .drafts
                .get(self.selected)
                .map(|draft| (self.selected, draft.text.clone()));
            let (site, folder) = render.remembered();
            self.render_folders.insert(site, folder);
            status.info("Rendering…");
        }
        self.to_serve = render.wants_serve();
        self.render = None;
    }
}

/// What the list under the editor shows, worst first.
enum Listed<'a> {
    /// The text's own problems: saving refuses them.
    Template(&'a [Located]),
    /// The text parses, but the files it renders for the sample devices would be refused:
    /// saving refuses these too.
    Files(&'a [Located]),
    /// Only the preview device's file would be refused, by its own data (a password too
    /// long, an account missing): said, but saving is the installer's call.
    Preview(String, &'a [Located]),
    Valid,
}

impl<'a> Listed<'a> {
    fn of(draft: &'a Draft, preview: Option<(String, &'a [Located])>) -> Self {
        if !draft.problems.is_empty() {
            Self::Template(&draft.problems)
        } else if !draft.refused.is_empty() {
            Self::Files(&draft.refused)
        } else if let Some((mac, problems)) = preview.filter(|_| draft.parsed.is_some()) {
            Self::Preview(mac, problems)
        } else {
            Self::Valid
        }
    }

    fn problems(&self) -> &'a [Located] {
        match self {
            Self::Template(problems) | Self::Files(problems) | Self::Preview(_, problems) => {
                problems
            }
            Self::Valid => &[],
        }
    }
}

/// Why Save would refuse the draft, for the button's hover; `None` when it would not.
fn save_blocked(draft: &Draft) -> Option<String> {
    if !draft.problems.is_empty() {
        Some(format!(
            "Not while the template has {}: fix those listed below the editor first",
            words::count(draft.problems.len(), "problem")
        ))
    } else if !draft.refused.is_empty() {
        Some(format!(
            "Not while the files it renders would be refused ({}): fix those listed below the editor first",
            words::count(draft.refused.len(), "problem")
        ))
    } else {
        None
    }
}

/// Lists the problems; returns the (line, column) of the one clicked.
fn problem_list(ui: &mut egui::Ui, listed: &Listed) -> Option<(usize, usize)> {
    let colors = signal(ui.visuals());
    let (heading, color) = match listed {
        Listed::Valid => {
            ui.label(RichText::new("✔ No problems: the template is valid.").color(colors.ok));
            return None;
        }
        Listed::Template(problems) => (
            format!(
                "✖ {}; click one to go to its line",
                words::count(problems.len(), "problem")
            ),
            colors.error,
        ),
        Listed::Files(problems) => (
            format!(
                "✖ The template parses, but the files it renders would be refused ({}); click one to go to its line",
                words::count(problems.len(), "problem")
            ),
            colors.error,
        ),
        Listed::Preview(mac, _) => (
            format!(
                "⚠ The template parses, but the file for {mac} would be refused; click a problem to go to its line"
            ),
            colors.warning,
        ),
    };
    ui.add(egui::Label::new(RichText::new(heading).color(color).strong()).wrap());
    let mut clicked = None;
    // Bounded and scrolled: an unknown variable's message lists every known one, and the
    // list ran under the status bar.
    egui::ScrollArea::vertical()
        .id_salt("template_problems")
        .max_height(ui.available_height().clamp(40.0, 150.0))
        .auto_shrink([false, true])
        .show(ui, |ui| {
            for problem in listed.problems() {
                let text = RichText::new(problem.to_string()).color(color);
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
