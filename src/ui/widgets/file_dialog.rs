//! The desktop's file dialogs (through the XDG portal on Linux), asked off the UI thread. A
//! dialog that closes at once without an answer means no portal answered: the panel then
//! says so and offers drag-and-drop and a path field instead.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::ui::widgets::style::signal;

use crate::ui::event::Event;
use crate::ui::widgets::answers::Picked;
use crate::ui::worker::Worker;

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

/// A save dialog's path row: *File*, the field, *Choose…* (which asks the desktop for `dialog`,
/// suggesting the field's file name) and, when no dialog answered before, the note to type
/// the path instead.
pub fn save_path_row<E: Into<Event>>(
    ui: &mut egui::Ui,
    worker: &Worker,
    path: &mut String,
    no_file_dialog: bool,
    dialog: impl FnOnce(String) -> Dialog,
    answer: impl FnOnce(Picked) -> E + Send + 'static,
) {
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
    if no_file_dialog {
        ui.colored_label(
            signal(ui.visuals()).warning,
            "No file dialog is available on this desktop; type the path above.",
        );
    }
}
