//! The Templates panel's jobs: loading, saving and resetting templates, rendering files from
//! the inventory and removing the old ones a render found; each answers with a
//! [`TemplatesEvent`].

use crate::cancel::CancelFlag;
use crate::inventory::{Inventory, SaveOutcome, TemplateStoreError};
use std::path::PathBuf;

use crate::ops::render::{self as ops_render, RenderRequest, StaleFile, render};
use crate::templates::DEFAULT_TEMPLATES;
use crate::ui::templates::events::{TemplateHistory, TemplatesEvent};
use crate::ui::worker::{EventSink, Worker};

fn failed(action: &'static str) -> impl Fn(TemplateStoreError) -> TemplatesEvent {
    move |error| TemplatesEvent::Failed {
        action,
        error: error.to_string(),
    }
}

pub fn load(worker: &Worker) {
    worker.inventory(|inventory, _| {
        histories(inventory)
            .map(TemplatesEvent::Loaded)
            .unwrap_or_else(failed("load the templates"))
    });
}

/// Saves `body` as the next version of template `name` with the user's `note` (both
/// validated again by the store), over `base`, the version the edit started from: refused when
/// another was saved since.
pub fn save(worker: &Worker, name: String, (body, note): (String, String), base: Option<u32>) {
    worker.inventory(move |inventory, _| {
        match inventory.save_template_version_over(&name, &body, &note, base) {
            Ok(outcome) => saved(outcome),
            Err(error @ TemplateStoreError::ChangedElsewhere { .. }) => {
                TemplatesEvent::SavedElsewhere(error.to_string())
            }
            Err(error) => failed("save the template")(error),
        }
    });
}

fn saved(outcome: SaveOutcome) -> TemplatesEvent {
    match outcome {
        SaveOutcome::Saved(version) => TemplatesEvent::Saved(version),
        SaveOutcome::Unchanged(unchanged) => TemplatesEvent::Unchanged(unchanged),
    }
}

/// Goes back to the built-in template, as a new version; none when it is in use already.
pub fn reset(worker: &Worker, name: String) {
    worker.inventory(move |inventory, _| match inventory.reset_template(&name) {
        Ok(SaveOutcome::Saved(version)) => TemplatesEvent::Reset(version),
        Ok(SaveOutcome::Unchanged(unchanged)) => TemplatesEvent::ResetUnchanged(unchanged),
        Err(error) => failed("reset the template")(error),
    });
}

/// Renders and writes as `provdesk render` does.
pub fn render_files(worker: &Worker, request: RenderRequest) {
    worker.inventory(move |inventory, sink| rendered(inventory, sink, &request));
}

fn rendered(
    inventory: &mut Inventory,
    sink: &EventSink,
    request: &RenderRequest,
) -> TemplatesEvent {
    let mut progress = |p: crate::ops::Progress| sink.send(TemplatesEvent::RenderProgress(p.stage));
    render(inventory, request, &mut progress, &CancelFlag::default())
        .map(|report| TemplatesEvent::Rendered(Box::new(report)))
        .unwrap_or_else(|error| TemplatesEvent::RenderFailed(error.to_string()))
}

/// Saves the editor's text as the next version over `base`, the version the edits started
/// from, then renders with it: one job, so nothing is rendered with the old version when the
/// save is refused (another version saved since, by the CLI or another window, included).
pub fn save_and_render(
    worker: &Worker,
    (name, body, note): (&'static str, String, String),
    base: Option<u32>,
    request: RenderRequest,
) {
    worker.inventory(move |inventory, sink| {
        match inventory.save_template_version_over(name, &body, &note, base) {
            // The text in use is the editor's either way: render it.
            Ok(outcome) => sink.send(saved(outcome)),
            Err(error @ TemplateStoreError::ChangedElsewhere { .. }) => {
                return TemplatesEvent::SavedElsewhere(format!("{error}; nothing was rendered"));
            }
            Err(error) => {
                return TemplatesEvent::RenderFailed(format!(
                    "{name} was not saved, so nothing was rendered: {error}"
                ));
            }
        }
        rendered(inventory, sink, &request)
    });
}

/// Removes the old device files the user confirmed, off the UI thread.
pub fn remove_stale(worker: &Worker, folder: PathBuf, files: Vec<StaleFile>) {
    let sink = worker.sink();
    worker.spawn_blocking(move || {
        sink.send(TemplatesEvent::StaleRemoved(ops_render::remove_stale(
            &folder, &files,
        )));
    });
}

fn histories(inventory: &Inventory) -> Result<Vec<TemplateHistory>, TemplateStoreError> {
    DEFAULT_TEMPLATES
        .iter()
        .map(|default| {
            Ok(TemplateHistory {
                name: default.name,
                versions: inventory.template_versions(default.name)?,
            })
        })
        .collect()
}
