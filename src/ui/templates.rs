//! The Templates panel: the templates (one per configuration format) and their versions on the
//! left, the editor with its problems in the middle, the variables and a live preview on the
//! right. Validation runs on every edit (it is fast and needs no I/O); saving, resetting and
//! rendering are inventory jobs on the worker.

use std::collections::BTreeSet;

use egui::RichText;

use super::dialog;
use super::status::StatusLine;
use super::style::signal;
use super::templates_editor;
use super::templates_preview::{self, Preview};
use super::templates_render::RenderDialog;
use super::worker::{Command, Event, TemplateHistory, Worker};
use crate::inventory::TemplateVersion;
use crate::templates::{DEFAULT_TEMPLATES, DefaultTemplate, Located, Template};

/// One template's text in the editor and the text of the version in use.
struct Draft {
    text: String,
    /// What is in use: the newest saved body, or the built-in text.
    in_use: String,
    /// The text `problems` were found in.
    checked: Option<String>,
    problems: Vec<Located>,
    /// The parsed template when the text is valid, for the preview.
    parsed: Option<Template>,
}

impl Draft {
    fn new(text: String) -> Self {
        Self {
            in_use: text.clone(),
            text,
            checked: None,
            problems: Vec::new(),
            parsed: None,
        }
    }

    fn dirty(&self) -> bool {
        self.text != self.in_use
    }

    /// Validates the text when it changed since the last check.
    fn check(&mut self, default: &DefaultTemplate) {
        if self.checked.as_deref() == Some(self.text.as_str()) {
            return;
        }
        match Template::parse(default.name, default.format, &self.text, None) {
            Ok(template) => {
                self.problems.clear();
                self.parsed = Some(template);
            }
            Err(errors) => {
                self.problems = errors.0;
                self.parsed = None;
            }
        }
        self.checked = Some(self.text.clone());
    }
}

pub struct TemplatesPanel {
    /// Per template in [`DEFAULT_TEMPLATES`] order; empty until the worker answered.
    histories: Vec<TemplateHistory>,
    drafts: Vec<Draft>,
    selected: usize,
    preview: Preview,
    /// The cursor (character index) while the editor had focus, where variables go.
    cursor: Option<usize>,
    /// Put the cursor here on the next frame.
    goto: Option<usize>,
    confirm_reset: bool,
    render: Option<RenderDialog>,
    /// The running render's phase.
    rendering: Option<&'static str>,
    /// The last render's result, kept in view beside the status bar's copy.
    last_render: Option<Result<String, String>>,
    /// The preview picker's list is up to date with the inventory.
    searched: bool,
}

impl Default for TemplatesPanel {
    fn default() -> Self {
        Self {
            histories: Vec::new(),
            drafts: DEFAULT_TEMPLATES
                .iter()
                .map(|default| Draft::new(default.text.to_string()))
                .collect(),
            selected: 0,
            preview: Preview::default(),
            cursor: None,
            goto: None,
            confirm_reset: false,
            render: None,
            rendering: None,
            last_render: None,
            searched: false,
        }
    }
}

/// The text in use according to a template's newest version.
fn text_in_use(default: &DefaultTemplate, versions: &[TemplateVersion]) -> String {
    match versions.first().and_then(|v| v.body.as_ref()) {
        Some(body) => body.clone(),
        None => default.text.to_string(),
    }
}

/// "default", "edited v3", or "default (reset in v4)".
fn state_text(versions: &[TemplateVersion]) -> String {
    match versions.first() {
        None => "default".to_string(),
        Some(TemplateVersion {
            version,
            body: Some(_),
            ..
        }) => format!("edited v{version}"),
        Some(TemplateVersion { version, .. }) => format!("default (reset in v{version})"),
    }
}

impl TemplatesPanel {
    /// Takes the worker's answers that concern templates.
    pub fn on_event(&mut self, event: Event, worker: &Worker, status: &mut StatusLine) {
        match event {
            Event::Templates(histories) => {
                for (draft, (default, history)) in self
                    .drafts
                    .iter_mut()
                    .zip(DEFAULT_TEMPLATES.iter().zip(&histories))
                {
                    let in_use = text_in_use(default, &history.versions);
                    // Unsaved edits stay; an untouched editor follows the version in use.
                    if !draft.dirty() {
                        draft.text = in_use.clone();
                    }
                    draft.in_use = in_use;
                }
                self.histories = histories;
            }
            Event::TemplateSaved(version) => {
                status.info(format!(
                    "Saved {} as version {}: renders use it from now on.",
                    version.name, version.version
                ));
                if let Some(draft) = self.draft_named(&version.name) {
                    draft.in_use = version.body.clone().unwrap_or_default();
                }
                worker.send(Command::LoadTemplates);
            }
            Event::TemplateReset(version) => {
                status.info(format!(
                    "{} is back to the built-in template (version {}); older versions stay in its history.",
                    version.name, version.version
                ));
                if let Some(default) = DEFAULT_TEMPLATES.iter().find(|d| d.name == version.name)
                    && let Some(draft) = self.draft_named(&version.name)
                {
                    draft.text = default.text.to_string();
                    draft.in_use = default.text.to_string();
                }
                worker.send(Command::LoadTemplates);
            }
            Event::FoundDevices {
                generation,
                devices,
                ..
            } => self.preview.found(generation, devices),
            Event::RenderProgress(phase) => self.rendering = Some(phase),
            Event::Rendered(outcome) => {
                self.rendering = None;
                let mut message = format!(
                    "Rendered {} file(s) into {}",
                    outcome.files,
                    outcome.out.display()
                );
                if let Some((path, users)) = &outcome.htdigest {
                    message.push_str(&format!("; wrote {} with {users} user(s)", path.display()));
                }
                if !outcome.without_credentials.is_empty() {
                    message.push_str(&format!(
                        "; no htdigest line for {} (no MAC password or digest credentials)",
                        outcome.without_credentials.join(", ")
                    ));
                }
                status.info(message.clone());
                self.last_render = Some(Ok(message));
            }
            Event::SavePathPicked { kind, path } => {
                if let Some(render) = &mut self.render {
                    render.picked(kind, &path);
                }
            }
            Event::NoFileDialog => {
                if let Some(render) = &mut self.render {
                    render.no_file_dialog();
                }
            }
            Event::Failed { action, error } => {
                if action == "render" {
                    self.rendering = None;
                    self.last_render = Some(Err(format!("Nothing was written: {error}")));
                }
                status.error(format!("Could not {action}: {error}"));
            }
            _ => {}
        }
    }

    /// Devices were added, changed or removed: the preview picker asks again when next shown.
    pub fn devices_changed(&mut self) {
        self.searched = false;
    }

    fn draft_named(&mut self, name: &str) -> Option<&mut Draft> {
        let index = DEFAULT_TEMPLATES.iter().position(|d| d.name == name)?;
        self.drafts.get_mut(index)
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, worker: &Worker, status: &mut StatusLine) {
        if !self.searched {
            self.searched = true;
            self.preview.search(worker);
        }
        let default = &DEFAULT_TEMPLATES[self.selected.min(DEFAULT_TEMPLATES.len() - 1)];
        if let Some(draft) = self.drafts.get_mut(self.selected) {
            draft.check(default);
        }
        self.shortcuts(ui, worker, status);
        egui::Panel::left("templates_list")
            .resizable(true)
            .default_size(240.0)
            .min_size(200.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("templates_list_scroll")
                    .show(ui, |ui| self.list(ui, status));
            });
        let mut insert = None;
        egui::Panel::right("templates_side")
            .resizable(true)
            .default_size(420.0)
            .min_size(320.0)
            .show(ui, |ui| {
                insert = templates_preview::variables(ui);
                ui.separator();
                let template = self
                    .drafts
                    .get(self.selected)
                    .and_then(|d| d.parsed.as_ref());
                self.preview.ui(ui, worker, default.format, template);
            });
        if let (Some(name), Some(draft)) = (insert, self.drafts.get_mut(self.selected)) {
            let at = self.cursor.unwrap_or(draft.text.chars().count());
            let after =
                templates_editor::insert_at(&mut draft.text, at, &format!("{{{{{name}}}}}"));
            self.goto = Some(after);
        }
        egui::CentralPanel::default().show(ui, |ui| self.centre(ui, default, worker, status));
        self.reset_dialog(ui, default, worker, status);
        if let Some(render) = &mut self.render
            && let Some(done) = render.ui(ui, worker)
        {
            if done {
                self.rendering = Some("Starting…");
                self.last_render = None;
                status.info("Rendering…");
            }
            self.render = None;
        }
    }

    fn shortcuts(&mut self, ui: &mut egui::Ui, worker: &Worker, status: &mut StatusLine) {
        if self.confirm_reset || self.render.is_some() {
            return;
        }
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::S)) {
            self.save(worker, status);
        }
    }

    fn save(&mut self, worker: &Worker, status: &mut StatusLine) {
        let default = &DEFAULT_TEMPLATES[self.selected.min(DEFAULT_TEMPLATES.len() - 1)];
        let Some(draft) = self.drafts.get_mut(self.selected) else {
            return;
        };
        draft.check(default);
        if !draft.problems.is_empty() {
            status.error(format!(
                "Not saved: {} has {} problem(s); fix those listed below the editor (click one to go there), then save again.",
                default.name,
                draft.problems.len()
            ));
            return;
        }
        if !draft.dirty() {
            status.info(format!(
                "Nothing to save: {} is unchanged since the version in use.",
                default.name
            ));
            return;
        }
        status.info(format!("Saving {}…", default.name));
        worker.send(Command::SaveTemplate {
            name: default.name.to_string(),
            body: draft.text.clone(),
        });
    }

    /// The templates with their models and state, then the selected one's versions.
    fn list(&mut self, ui: &mut egui::Ui, status: &mut StatusLine) {
        ui.heading("Templates");
        ui.label(RichText::new("One per configuration format.").weak());
        ui.add_space(6.0);
        for (index, default) in DEFAULT_TEMPLATES.iter().enumerate() {
            let versions = self
                .histories
                .get(index)
                .map_or(&[][..], |h| &h.versions[..]);
            let dirty = self.drafts.get(index).is_some_and(Draft::dirty);
            let name = if dirty {
                format!("{} *", default.name)
            } else {
                default.name.to_string()
            };
            let response = ui
                .add(
                    egui::Button::selectable(self.selected == index, RichText::new(name).strong())
                        .min_size(egui::vec2(ui.available_width(), 26.0)),
                )
                .on_hover_text(if dirty {
                    "Unsaved changes"
                } else {
                    "Edit this template"
                });
            if response.clicked() && self.selected != index {
                self.selected = index;
                self.cursor = None;
            }
            ui.label(RichText::new(default.models().join(", ")).small());
            let state = state_text(versions);
            let color = if versions.first().is_some_and(|v| v.body.is_some()) {
                signal(ui.visuals()).info
            } else {
                ui.visuals().weak_text_color()
            };
            ui.label(RichText::new(state).small().color(color));
            ui.add_space(6.0);
        }
        ui.separator();
        self.versions(ui, status);
    }

    fn versions(&mut self, ui: &mut egui::Ui, status: &mut StatusLine) {
        let default = &DEFAULT_TEMPLATES[self.selected.min(DEFAULT_TEMPLATES.len() - 1)];
        ui.label(RichText::new(format!("Versions of {}", default.name)).strong());
        let versions = self
            .histories
            .get(self.selected)
            .map_or(&[][..], |h| &h.versions[..]);
        if versions.is_empty() {
            ui.label(
                RichText::new("None saved: the built-in template is in use.")
                    .small()
                    .weak(),
            );
            return;
        }
        let mut load = None;
        for (position, version) in versions.iter().enumerate() {
            let what = match &version.body {
                Some(_) => version.note.clone(),
                None => "reset to the built-in template".to_string(),
            };
            let in_use = if position == 0 { " (in use)" } else { "" };
            let text = format!("v{}{in_use} · {}", version.version, version.created_at);
            let response = ui
                .add(
                    egui::Button::selectable(false, RichText::new(text).small())
                        .min_size(egui::vec2(ui.available_width(), 0.0)),
                )
                .on_hover_text(format!("{what}. Click to load it into the editor."));
            if response.clicked() {
                load = Some(version.clone());
            }
        }
        if let (Some(version), Some(draft)) = (load, self.drafts.get_mut(self.selected)) {
            draft.text = version.body.unwrap_or_else(|| default.text.to_string());
            status.info(format!(
                "Loaded version {} into the editor; Save as new version (Ctrl+S) to use it again.",
                version.version
            ));
        }
    }

    fn centre(
        &mut self,
        ui: &mut egui::Ui,
        default: &'static DefaultTemplate,
        worker: &Worker,
        status: &mut StatusLine,
    ) {
        let Some(draft) = self.drafts.get(self.selected) else {
            return;
        };
        let dirty = draft.dirty();
        let mut save = false;
        ui.horizontal(|ui| {
            ui.heading(format!("{} template", default.name));
            if dirty {
                ui.label(RichText::new("unsaved changes").color(signal(ui.visuals()).warning));
            }
        });
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
                self.render = Some(RenderDialog::new(self.preview.device().map(|d| d.mac)));
            }
            if let Some(phase) = self.rendering {
                ui.add(egui::Spinner::new());
                ui.label(phase);
            }
        });
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
                templates_editor::show(ui, id, label.id, &mut draft.text, &problem_lines, goto)
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
                    self.goto = Some(templates_editor::char_index(&draft.text, line, column));
                }
            });
    }

    fn reset_dialog(
        &mut self,
        ui: &mut egui::Ui,
        default: &'static DefaultTemplate,
        worker: &Worker,
        status: &mut StatusLine,
    ) {
        if !self.confirm_reset {
            return;
        }
        let button = egui::Button::new(
            RichText::new(format!("Reset {}", default.name)).color(egui::Color32::WHITE),
        )
        .fill(egui::Color32::from_rgb(0xB0, 0x2A, 0x2A));
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
                worker.send(Command::ResetTemplate(default.name.to_string()));
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
            "✖ {} problem(s); click one to go to its line",
            problems.len()
        ))
        .color(colors.error)
        .strong(),
    );
    let mut clicked = None;
    for problem in problems {
        let text = RichText::new(problem.to_string()).color(colors.error);
        let response = ui.add(egui::Button::selectable(false, text).wrap());
        if let Some(at) = problem.at
            && response.clicked()
        {
            clicked = Some((at.line, at.column));
        }
    }
    clicked
}
