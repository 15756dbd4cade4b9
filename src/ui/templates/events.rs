//! What the Templates panel's jobs answer, and the jobs: loading, saving and resetting
//! templates, and rendering files from the inventory.

use crate::inventory::{TemplateVersion, Unchanged};
use crate::ops::render::{Removed, RenderReport};
use crate::ui::widgets::answers::Found;
use crate::ui::widgets::answers::Picked;

/// One template and its saved versions, newest first.
#[derive(Debug, Clone)]
pub struct TemplateHistory {
    pub name: &'static str,
    pub versions: Vec<TemplateVersion>,
}

/// Which path of the Render… dialog a file dialog answers for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenderPath {
    Folder,
    Htdigest,
}

#[derive(Debug)]
pub enum TemplatesEvent {
    /// Every template's versions (after a load, a save or a reset).
    Loaded(Vec<TemplateHistory>),
    Saved(TemplateVersion),
    /// The text saved is the one in use (saved elsewhere since, say): no version was made.
    Unchanged(Unchanged),
    Reset(TemplateVersion),
    /// A reset found the built-in text in use: no version was made.
    ResetUnchanged(Unchanged),
    /// The preview picker's matches.
    Found(Found),
    /// A render's stage, for the progress line.
    RenderProgress(&'static str),
    /// What the render wrote (boxed: by far the largest event).
    Rendered(Box<RenderReport>),
    /// The render wrote nothing: why.
    RenderFailed(String),
    /// The file manager could not open the rendered folder: why.
    OpenFolderFailed(String),
    /// The old device files the user chose to remove, removed (or why not).
    StaleRemoved(Removed),
    /// A file dialog of the Render… dialog answered.
    RenderPath(RenderPath, Picked),
    /// A save was refused: another version was saved since the edit started (why, in words).
    SavedElsewhere(String),
    /// Loading, saving or resetting failed: what, and why.
    Failed {
        action: &'static str,
        error: String,
    },
}
