//! The desktop's file dialogs (through the XDG portal on Linux), asked off the UI thread. A
//! dialog that closes at once without an answer means no portal answered: the panel then
//! says so and offers drag-and-drop and a path field instead.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::sqlite_files::not_to_be_written;
use crate::ui::event::Event;
use crate::ui::widgets::answers::Picked;
use crate::ui::widgets::style::signal;
use crate::ui::worker::Worker;
use crate::words;

/// How soon a dialog that returns nothing counts as "no dialog was shown".
const NO_DIALOG_WITHIN: Duration = Duration::from_millis(400);

/// What to ask.
#[derive(Debug, Clone)]
pub enum Dialog {
    /// Files to open.
    Open {
        title: &'static str,
        filters: Vec<(&'static str, Vec<&'static str>)>,
    },
    /// Where to save a file called `suggested`.
    Save {
        title: &'static str,
        filter: (&'static str, &'static str),
        suggested: String,
    },
    Folder {
        title: &'static str,
    },
}

/// Shows the dialog; its answer comes back as the event `answer` makes of it. A dialog the
/// user cancelled sends nothing.
pub fn ask<E: Into<Event>>(
    worker: &Worker,
    dialog: Dialog,
    answer: impl FnOnce(Picked) -> E + Send + 'static,
) {
    let sink = worker.sink();
    worker.spawn(async move {
        let asked = Instant::now();
        let paths = show(dialog).await;
        match paths {
            Some(paths) if !paths.is_empty() => sink.send(answer(Picked::Paths(paths))),
            _ if asked.elapsed() < NO_DIALOG_WITHIN => sink.send(answer(Picked::NoDialog)),
            _ => {}
        }
    });
}

async fn show(dialog: Dialog) -> Option<Vec<PathBuf>> {
    let path = |file: rfd::FileHandle| file.path().to_path_buf();
    match dialog {
        Dialog::Open { title, filters } => {
            let mut dialog = rfd::AsyncFileDialog::new().set_title(title);
            for (name, extensions) in &filters {
                dialog = dialog.add_filter(*name, extensions);
            }
            dialog
                .pick_files()
                .await
                .map(|files| files.into_iter().map(path).collect())
        }
        Dialog::Save {
            title,
            filter: (name, extension),
            suggested,
        } => rfd::AsyncFileDialog::new()
            .set_title(title)
            .set_file_name(suggested)
            .add_filter(name, &[extension])
            .save_file()
            .await
            .map(|file| vec![path(file)]),
        Dialog::Folder { title } => rfd::AsyncFileDialog::new()
            .set_title(title)
            .pick_folder()
            .await
            .map(|file| vec![path(file)]),
    }
}

/// How long a path's check holds while it is not retyped: the check opens the file, so it is
/// not made on every frame, yet a file that becomes a database while the dialog is open is
/// caught before long.
const CHECK_HOLDS_FOR: f64 = 1.0;

/// The last path checked by [`refusal`], when, and what the check said.
#[derive(Clone)]
struct Checked {
    path: String,
    at: f64,
    refusal: Option<&'static str>,
}

/// Why a save dialog must not write at `path` as typed, if it must not: the inventory
/// provdesk has open, one of its journal files or any other SQLite database (see
/// [`not_to_be_written`]). Asked before the dialog is drawn, so that its Save button is
/// disabled and the row says why as soon as the path is typed, not once Save is pressed. The
/// save job checks again.
pub fn refusal(ctx: &egui::Context, path: &str) -> Option<&'static str> {
    let path = path.trim();
    if path.is_empty() {
        return None;
    }
    let id = egui::Id::unique("save_path_checked");
    let now = ctx.input(|i| i.time);
    let fresh = |checked: &Checked| checked.path == path && now - checked.at < CHECK_HOLDS_FOR;
    if let Some(checked) = ctx.data(|d| d.get_temp::<Checked>(id)).filter(fresh) {
        return checked.refusal;
    }
    let refusal = not_to_be_written(Path::new(path));
    let checked = Checked {
        path: path.to_string(),
        at: now,
        refusal,
    };
    ctx.data_mut(|d| d.insert_temp(id, checked));
    refusal
}

/// A save dialog's path row: *File*, the field, *Choose…* (which asks the desktop for `dialog`,
/// suggesting the field's file name), why the path typed must not be written (see
/// [`refusal`]) and, when no dialog answered before, the note to type the path instead.
pub fn save_path_row<E: Into<Event>>(
    ui: &mut egui::Ui,
    worker: &Worker,
    path: &mut String,
    no_file_dialog: bool,
    dialog: impl FnOnce(String) -> Dialog,
    answer: impl FnOnce(Picked) -> E + Send + 'static,
) {
    // The dialog's Save was enabled or not before the field took this frame's typing: a
    // verdict changed by it is drawn again at once, so that Save never lags behind it.
    let before = refusal(ui.ctx(), path);
    ui.horizontal(|ui| {
        let label = ui.label("File");
        ui.add(egui::TextEdit::singleline(path).desired_width(360.0))
            .labelled_by(label.id);
        if ui.button("Choose…").clicked() {
            let suggested = Path::new(path.trim())
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default();
            ask(worker, dialog(suggested), answer);
        }
    });
    let after = refusal(ui.ctx(), path);
    if after != before {
        ui.ctx().request_discard("a save path's check changed");
    }
    if let Some(reason) = after {
        ui.colored_label(
            signal(ui.visuals()).error,
            format!("{}.", words::sentence(reason)),
        );
    }
    if no_file_dialog {
        ui.colored_label(
            signal(ui.visuals()).warning,
            "No file dialog is available on this desktop; type the path above.",
        );
    }
}
