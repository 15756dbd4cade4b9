//! Per-model configuration templates: one simple variable syntax, values escaped for where they
//! stand, credential fields placed by the model catalogue, validation with line and column, and
//! the export of one file per device plus the htdigest file a web server checks them with.
//!
//! Installers must never hand-edit XML per device: a template is written once per format, the
//! catalogue says where each model keeps its digest credentials, and the renderer refuses a file
//! the device would not take (wrong MAC, password too long, the N720 rule) before it is written.

mod batch;
mod defaults;
mod diff;
mod error;
mod escape;
mod export;
mod htdigest;
mod htdigest_merge;
mod render;
mod settings;
mod syntax;
mod trial;
mod urls;
mod validate;
mod values;
mod variables;
mod version_note;

pub use batch::{BatchError, RenderedSet, render_set};
pub use defaults::{DEFAULT_TEMPLATES, DefaultTemplate, default_for, find_default};
pub use diff::{DiffLine, Hunk, LineKind, hunks, unified};
pub use error::{
    Located, Position, Problem, RenderError, RenderProblem, TemplateErrors, ValueProblem,
};
pub use export::{ExportError, Staged, htdigest_inside, stage};
pub use htdigest::{
    Htdigest, HtdigestProblem, generate_password, generate_password_for, generated_username,
    htdigest,
};
pub use htdigest_merge::{MergedHtdigest, merge_htdigest};
pub use render::{Refused, RenderedFile, Template, TemplateSet};
pub use settings::{RenderSettings, UnknownSetting};
pub use urls::file_name_for;
pub use variables::{VARIABLES, Variable, VariableSpec};
pub use version_note::{NOTE_MAX_CHARS, NoteError, RESET_NOTE, version_note};
