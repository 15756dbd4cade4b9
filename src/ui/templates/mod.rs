//! The Templates panel: the templates (one per configuration format) and their versions on the
//! left, the editor with its problems in the middle, the variables and a live preview on the
//! right. Validation runs on every edit, with a trial render for a sample device of each model
//! that reads the template and the preview device's render, so the list under the editor never
//! calls valid what a phone would refuse (all fast, no I/O); saving, resetting and rendering
//! are inventory jobs on the worker.

mod centre;
mod compare;
mod divider;
mod draft;
mod editor;
mod elsewhere;
pub mod events;
mod jobs;
mod preview;
mod render;
mod render_paths;
mod reset;
mod result;
mod sidebar;
mod versions;

use crate::inventory::{Site, TemplateVersion};
use crate::templates::{DEFAULT_TEMPLATES, DefaultTemplate};
use crate::ui::widgets::banner;
use crate::ui::widgets::status::StatusLine;
use crate::ui::worker::Worker;
use crate::words;
use draft::Draft;
use events::{TemplateHistory, TemplatesEvent};
use preview::Preview;
use render::RenderDialog;
use result::LastRender;
use versions::VersionsState;

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
    /// The last render's result, kept in view beside the status bar's copy while the editor
    /// shows the template and text it was started from (`render_basis`).
    last_render: Option<LastRender>,
    render_basis: Option<(usize, String)>,
    /// The folder the last render was sent to, where the next Render… dialog starts.
    render_folders: render_paths::Folders,
    /// The preview picker's list is up to date with the inventory.
    searched: bool,
    /// The last failure of loading, saving or resetting.
    error: Option<String>,
    /// Whether the variables and preview show beside the editor, once the user chose; until
    /// then they show when the panel is wide enough ([`SIDE_BESIDE`]).
    side_open: Option<bool>,
    /// The Render… dialog's link to Serve was followed: the app shows the Serve panel.
    to_serve: bool,
    /// The chosen version, the Compare window and a Restore waiting for an answer.
    versions: VersionsState,
}

/// Below this panel width the variables and preview start hidden: beside the list they left
/// the editor narrower than a template's lines.
const SIDE_BESIDE: f32 = 1050.0;

/// The side pane's widest, as a share of the panel.
const SIDE_AT_MOST: f32 = 0.6;

/// What the editor keeps however wide the side pane is dragged.
const EDITOR_AT_LEAST: f32 = 360.0;

/// What the Templates panel takes from the rest of the app.
pub struct Elsewhere<'a> {
    /// Every site with its device count, for the Render… dialog's site choice.
    pub sites: &'a [Site],
    /// The realm Serve announces, the Render… dialog's htdigest realm until the user changes it.
    pub serve_realm: &'a str,
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
            render_basis: None,
            render_folders: render_paths::Folders::new(),
            searched: false,
            error: None,
            side_open: None,
            to_serve: false,
            versions: VersionsState::default(),
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

impl TemplatesPanel {
    /// The templates whose editor holds changes not saved, for the question before closing.
    pub fn unsaved(&self) -> Vec<&'static str> {
        DEFAULT_TEMPLATES
            .iter()
            .zip(&self.drafts)
            .filter(|(_, draft)| draft.dirty())
            .map(|(default, _)| default.name)
            .collect()
    }

    /// Takes the worker's answers that concern templates.
    pub fn on_event(&mut self, event: TemplatesEvent, worker: &Worker, status: &mut StatusLine) {
        match event {
            TemplatesEvent::Loaded(histories) => {
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
                    if !draft.dirty() {
                        draft.base = history.versions.first().map(|v| v.version);
                    }
                }
                self.histories = histories;
            }
            TemplatesEvent::Saved(version) => {
                status.info(format!(
                    "Saved {} as version {}: renders use it from now on.",
                    version.name, version.version
                ));
                if let Some(draft) = self.draft_named(&version.name) {
                    draft.in_use = version.body.clone().unwrap_or_default();
                    draft.base = Some(version.version);
                    draft.note.clear();
                }
                jobs::load(worker);
            }
            TemplatesEvent::Unchanged(unchanged) => {
                status.info(format!(
                    "No change: {}'s text is already {}, the one in use, so no version was made (a note alone makes none).",
                    unchanged.name,
                    unchanged.in_use()
                ));
                jobs::load(worker);
            }
            TemplatesEvent::Reset(version) => {
                self.on_reset(&version, status);
                jobs::load(worker);
            }
            TemplatesEvent::ResetUnchanged(unchanged) => {
                self.on_reset_unchanged(&unchanged, status);
                jobs::load(worker);
            }
            TemplatesEvent::Found(found) => self.preview.found(found),
            TemplatesEvent::RenderProgress(stage) => self.rendering = Some(stage),
            TemplatesEvent::Rendered(report) => {
                self.rendering = None;
                let last = LastRender::written(&report);
                status.info(last.message());
                self.last_render = Some(last);
            }
            TemplatesEvent::RenderFailed(error) => {
                self.rendering = None;
                self.last_render =
                    Some(LastRender::failed(format!("Nothing was written: {error}")));
                status.error(format!("Could not render: {error}"));
            }
            TemplatesEvent::OpenFolderFailed(why) => {
                status.error(format!("Could not open the folder: {why}"));
                if let Some(last) = &mut self.last_render {
                    last.open_failed(why);
                }
            }
            TemplatesEvent::StaleRemoved(removed) => {
                result::say_removed(&removed, status);
                if let Some(last) = &mut self.last_render {
                    last.removed(&removed);
                }
            }
            TemplatesEvent::RenderPath(which, picked) => {
                if let Some(render) = &mut self.render {
                    render.picked(which, picked);
                }
            }
            TemplatesEvent::SavedElsewhere(error) => {
                // The list and versions are read again, so the line over the editor offers
                // the newer version to compare or load. *Save and render* ends here too.
                self.rendering = None;
                self.error = Some(format!("Could not save the template: {error}"));
                status.error(format!("Could not save the template: {error}"));
                jobs::load(worker);
            }
            TemplatesEvent::Failed { action, error } => {
                self.error = Some(format!("Could not {action}: {error}"));
                status.error(format!("Could not {action}: {error}"));
            }
        }
    }

    /// Loads every template's versions in the background.
    pub fn start(&self, worker: &Worker) {
        jobs::load(worker);
    }

    /// Another process changed the inventory: a template saved from the CLI, a script or
    /// another window shows in the list, and in the editor when it holds no unsaved edits.
    pub fn changed_elsewhere(&mut self, worker: &Worker) {
        jobs::load(worker);
    }

    /// Devices were added, changed or removed: the preview picker asks again when next shown.
    pub fn devices_changed(&mut self) {
        self.searched = false;
    }

    fn draft_named(&mut self, name: &str) -> Option<&mut Draft> {
        let index = DEFAULT_TEMPLATES.iter().position(|d| d.name == name)?;
        self.drafts.get_mut(index)
    }

    /// The panel; `elsewhere` holds what the Render… dialog takes from other panels.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        worker: &Worker,
        elsewhere: &Elsewhere,
        status: &mut StatusLine,
    ) {
        if !self.searched {
            self.searched = true;
            self.preview.search(worker);
        }
        let default = &DEFAULT_TEMPLATES[self.selected.min(DEFAULT_TEMPLATES.len() - 1)];
        if let Some(draft) = self.drafts.get_mut(self.selected) {
            draft.check(default);
            self.preview.refresh(default.format, draft.parsed.as_ref());
        }
        self.shortcuts(ui, worker, status);
        let width = ui.available_width();
        let shown = self.side_open.unwrap_or(width >= SIDE_BESIDE);
        let mut side_open = shown;
        // The list takes at most a quarter of the width. The side pane may be dragged to 60 %,
        // for reading a rendered file's long lines, as long as the editor keeps
        // [`EDITOR_AT_LEAST`]; egui keeps the width dragged to between runs.
        let mut insert = None;
        let (list, side) = divider::wider_grab(ui, |ui| {
            let list = egui::Panel::left("templates_list")
                .resizable(true)
                .default_size(200.0)
                .min_size(160.0)
                .max_size((width * 0.25).max(160.0))
                .show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("templates_list_scroll")
                        .show(ui, |ui| self.list(ui, status));
                });
            let side = egui::Panel::right("templates_side")
                .resizable(true)
                .default_size(340.0)
                .min_size(240.0)
                .max_size(
                    (width * SIDE_AT_MOST)
                        .min(ui.available_width() - EDITOR_AT_LEAST)
                        .max(240.0),
                )
                .show_collapsible(ui, &mut side_open, |ui| {
                    insert = preview::variables(ui);
                    ui.separator();
                    let template = self
                        .drafts
                        .get(self.selected)
                        .and_then(|d| d.parsed.as_ref());
                    self.preview.ui(ui, worker, default.format, template);
                });
            (list.response.rect, side.map(|side| side.response.rect))
        });
        if side_open != shown {
            // Dragged shut past its smallest size: it stays shut until shown again.
            self.side_open = Some(side_open);
        }
        if let (Some(name), Some(draft)) = (insert, self.drafts.get_mut(self.selected)) {
            let at = self.cursor.unwrap_or(draft.text.chars().count());
            let after = editor::insert_at(&mut draft.text, at, &format!("{{{{{name}}}}}"));
            self.goto = Some(after);
        }
        egui::CentralPanel::default().show(ui, |ui| {
            banner::error(ui, &mut self.error);
            self.centre(ui, default, side_open, elsewhere, worker, status);
        });
        divider::grip(ui, list.right(), list);
        if let Some(side) = side {
            divider::grip(ui, side.left(), side);
        }
        self.reset_dialog(ui, worker, status);
        self.compare_window(ui, status);
        self.restore_dialog(ui, status);
        self.render_dialog(ui, worker, status);
        if let Some(last) = &mut self.last_render {
            last.confirm_ui(ui, worker);
        }
    }

    /// Whether the Render… dialog's link to Serve was followed since the last call.
    pub fn take_serve(&mut self) -> bool {
        std::mem::take(&mut self.to_serve)
    }

    fn shortcuts(&mut self, ui: &mut egui::Ui, worker: &Worker, status: &mut StatusLine) {
        if self.confirm_reset || self.render.is_some() || self.versions.ask_restore.is_some() {
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
        if !draft.blocking().is_empty() {
            status.error(format!(
                "Not saved: {} has {}; fix those listed below the editor (click one to go there), then save again.",
                default.name,
                words::count(draft.blocking().len(), "problem")
            ));
            return;
        }
        if !draft.dirty() {
            let note = if draft.note.trim().is_empty() {
                ""
            } else {
                " A note alone makes no version."
            };
            status.info(format!(
                "Nothing to save: {} is unchanged since the version in use.{note}",
                default.name
            ));
            return;
        }
        status.info(format!("Saving {}…", default.name));
        jobs::save(
            worker,
            default.name.to_string(),
            (draft.text.clone(), draft.note.clone()),
            draft.base,
        );
    }
}
