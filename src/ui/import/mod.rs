//! The Import panel: label files (dialog, drop or path), pasted text and a scan mode for a
//! barcode scanner, a preview with every problem on its row (each row can be taken out, and
//! Ctrl+Z takes back the last removal or scan), and one transactional import. What the rows
//! are, and what taking one out changes, is the core's [`Preview`]; the panel shows it.

use std::collections::{BTreeMap, HashSet};

use egui::RichText;

mod edits;
pub mod events;
mod jobs;
mod preview;
mod sources;

use crate::device::{CATALOGUE, Mac};
use crate::inventory::{ImportOptions, ImportReport, OnExisting, Site};
use crate::labels::{BatchDefaults, InImport, Preview};
use crate::ui::widgets::answers::Picked;
use crate::ui::widgets::banner;
use crate::ui::widgets::fields::site_pick;
use crate::ui::widgets::status::StatusLine;
use crate::ui::widgets::style::signal;
use crate::ui::worker::Worker;
use crate::words;
use events::ImportEvent;
use preview::policy_text;

/// What the last scan did, shown large beside the scan field.
struct ScanFeedback {
    ok: bool,
    message: String,
    at: f64,
}

#[derive(Default)]
pub struct ImportPanel {
    /// The rows: files, texts and the scan session, what was taken out, and the batch.
    preview: Preview,
    site: String,
    model: String,
    on_existing: OnExisting,
    paste: String,
    show_paste: bool,
    path: String,
    scan_mode: bool,
    scan_input: String,
    feedback: Option<ScanFeedback>,
    focus_scan: bool,
    /// Files read and files to read, per running file job.
    parsing: BTreeMap<u64, (usize, usize)>,
    /// The newest file job started; a Clear drops the answers of it and older ones.
    last_job: u64,
    first_wanted_job: u64,
    importing: Option<(usize, usize)>,
    report: Option<ImportReport>,
    no_file_dialog: bool,
    /// The preview's revision last asked about; answers about older batches are ignored.
    check_sent: u64,
    /// Valid rows whose MAC the inventory already holds, as the last answer said.
    existing: HashSet<Mac>,
    in_import: InImport,
    /// The last failure of this panel's jobs.
    error: Option<String>,
}

impl ImportPanel {
    /// Rows in the preview, not imported yet, for the question before closing.
    pub fn waiting(&self) -> usize {
        self.preview.batch().rows.len()
    }

    /// Takes the worker's answers about label files and imports.
    pub fn on_event(&mut self, event: ImportEvent, worker: &Worker, status: &mut StatusLine) {
        match event {
            ImportEvent::FilesPicked(Picked::Paths(paths)) => self.add_files(paths, worker),
            ImportEvent::FilesPicked(Picked::NoDialog) => self.no_file_dialog = true,
            ImportEvent::SourceParsed { job, .. }
            | ImportEvent::Unreadable { job, .. }
            | ImportEvent::ParseProgress { job, .. }
                if job < self.first_wanted_job => {}
            ImportEvent::Unreadable { error, .. } => self.error = Some(error.to_string()),
            ImportEvent::SourceParsed { source, .. } => {
                status.info(format!(
                    "Read {}: {}",
                    source.name,
                    words::count(source.rows.len() + source.failures.len(), "row")
                ));
                self.preview.add_file(source);
                self.report = None;
            }
            ImportEvent::ParseProgress { job, done, total } => {
                if done < total {
                    self.parsing.insert(job, (done, total));
                } else {
                    self.parsing.remove(&job);
                }
            }
            ImportEvent::ImportProgress { done, total } => self.importing = Some((done, total)),
            ImportEvent::Existing { generation, macs } => {
                if generation == self.preview.revision() {
                    self.existing = macs;
                }
            }
            ImportEvent::Imported(report) => {
                status.info(format!(
                    "Imported: {} added, {} updated, {} already present",
                    report.added,
                    report.updated,
                    report.skipped_existing.len()
                ));
                self.importing = None;
                self.report = Some(report);
                self.preview
                    .forget_imported(&std::mem::take(&mut self.in_import));
                self.feedback = None;
            }
            ImportEvent::Failed { action, error } => {
                self.importing = None;
                self.error = Some(format!("Could not {action}: {error}"));
                status.error(format!("Could not {action}: {error}"));
            }
        }
    }

    /// Files dropped on the window.
    pub fn add_files(&mut self, paths: Vec<std::path::PathBuf>, worker: &Worker) {
        if !paths.is_empty() {
            self.report = None;
            let total = paths.len();
            self.last_job += 1;
            self.parsing.insert(self.last_job, (0, total));
            jobs::read_files(worker, self.last_job, paths);
        }
    }

    fn defaults(&self) -> BatchDefaults {
        let given = |text: &str| (!text.trim().is_empty()).then(|| text.trim().to_string());
        BatchDefaults {
            site: given(&self.site),
            model: given(&self.model),
        }
    }

    /// Asks which valid rows are already in the inventory, once per batch. Until the answer
    /// comes, the MACs known to be there still are (a row taken out changes no other row's).
    fn check_existing(&mut self, worker: &Worker) {
        let revision = self.preview.revision();
        if self.check_sent != revision {
            self.check_sent = revision;
            let macs: HashSet<Mac> = self.preview.batch().valid().map(|(_, d)| d.mac).collect();
            self.existing.retain(|mac| macs.contains(mac));
            if !macs.is_empty() {
                jobs::check_existing(worker, revision, macs.into_iter().collect());
            }
        }
    }

    fn clear_sources(&mut self) {
        self.first_wanted_job = self.last_job + 1;
        self.parsing.clear();
        self.preview.clear();
        self.feedback = None;
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        worker: &Worker,
        sites: &[Site],
        status: &mut StatusLine,
    ) {
        self.shortcuts(ui, worker, status);
        self.check_existing(worker);
        egui::Panel::bottom("import_actions")
            .resizable(false)
            .show(ui, |ui| {
                ui.add_space(6.0);
                self.actions(ui, worker, status);
                ui.add_space(6.0);
            });
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading("Import device labels");
            banner::error(ui, &mut self.error);
            ui.add_space(4.0);
            self.defaults_row(ui, sites);
            ui.add_space(6.0);
            self.sources_row(ui, worker);
            if self.show_paste {
                self.paste_area(ui);
            }
            if self.scan_mode {
                self.scan_area(ui);
            }
            ui.add_space(6.0);
            self.summary(ui);
            ui.add_space(4.0);
            self.rows_table(ui, status);
        });
    }

    fn shortcuts(&mut self, ui: &mut egui::Ui, worker: &Worker, status: &mut StatusLine) {
        let undo_is_ours = self.undo_is_ours(ui);
        let (toggle_scan, import, undo) = ui.input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::NONE, egui::Key::F2),
                i.consume_key(egui::Modifiers::COMMAND, egui::Key::Enter),
                undo_is_ours
                    && !i.modifiers.shift
                    && i.consume_key(egui::Modifiers::COMMAND, egui::Key::Z),
            )
        });
        if undo {
            self.undo(status);
        }
        if toggle_scan {
            self.scan_mode = !self.scan_mode;
            self.focus_scan = self.scan_mode;
        }
        if import && self.can_import() {
            self.start_import(worker);
        }
    }

    fn defaults_row(&mut self, ui: &mut egui::Ui, sites: &[Site]) {
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Site for rows without one");
            let site = ui
                .add(
                    egui::TextEdit::singleline(&mut self.site)
                        .hint_text("none")
                        .desired_width(180.0),
                )
                .labelled_by(label.id);
            if let Some(known) = site_pick(ui, sites) {
                self.site = known.name.clone();
            }
            let label = ui.label("Model");
            egui::ComboBox::from_id_salt("import_model")
                .selected_text(if self.model.is_empty() {
                    "none"
                } else {
                    &self.model
                })
                .width(200.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.model, String::new(), "none");
                    for spec in CATALOGUE {
                        ui.selectable_value(&mut self.model, spec.name.to_string(), spec.name);
                    }
                })
                .response
                .labelled_by(label.id);
            let label = ui.label("Devices already in the inventory");
            egui::ComboBox::from_id_salt("import_existing")
                .selected_text(policy_text(self.on_existing))
                .show_ui(ui, |ui| {
                    for policy in [OnExisting::Skip, OnExisting::Update, OnExisting::Error] {
                        ui.selectable_value(&mut self.on_existing, policy, policy_text(policy));
                    }
                })
                .response
                .labelled_by(label.id);
            // Typing a site re-validates when the field is left, not on every key.
            if !site.has_focus() {
                self.preview.set_defaults(self.defaults());
            }
        });
    }

    fn can_import(&self) -> bool {
        let batch = self.preview.batch();
        self.importing.is_none()
            && batch.valid_count() > 0
            && (batch.invalid_count() == 0 || self.preview.leave_out_invalid())
    }

    fn start_import(&mut self, worker: &Worker) {
        // A site typed but not yet left (Ctrl+Enter in the field) still counts.
        self.preview.set_defaults(self.defaults());
        self.in_import = self.preview.in_import();
        self.importing = Some((0, self.preview.batch().valid_count()));
        self.report = None;
        self.error = None;
        jobs::write(
            worker,
            self.preview.batch().clone(),
            ImportOptions {
                on_existing: self.on_existing,
                skip_invalid: self.preview.leave_out_invalid(),
                dry_run: false,
            },
        );
    }

    fn actions(&mut self, ui: &mut egui::Ui, worker: &Worker, status: &mut StatusLine) {
        ui.horizontal(|ui| {
            let invalid = self.preview.batch().invalid_count();
            // The count the import will write: devices already there are not, when skipped.
            let skipped = match self.on_existing {
                OnExisting::Skip => self.existing.len(),
                OnExisting::Update | OnExisting::Error => 0,
            };
            let written = self.preview.batch().valid_count().saturating_sub(skipped);
            let text = format!("Import {}", words::count(written, "device"));
            if ui
                .add_enabled(
                    self.can_import() && written > 0,
                    egui::Button::new(RichText::new(text).strong()),
                )
                .on_hover_text("Write all rows in one step (Ctrl+Enter)")
                .on_disabled_hover_text(
                    "Nothing to write: fix the invalid rows, or every valid one is already in \
                     the inventory (choose to update them)",
                )
                .clicked()
            {
                self.start_import(worker);
            }
            if ui
                .add_enabled(!self.preview.is_empty(), egui::Button::new("Clear"))
                .clicked()
            {
                self.clear_sources();
            }
            self.undo_button(ui, status);
            if invalid > 0 {
                let mut agreed = self.preview.leave_out_invalid();
                let label = format!("Import the valid rows only, leave out {invalid} invalid");
                if ui.checkbox(&mut agreed, label).changed() {
                    self.preview.set_leave_out_invalid(agreed);
                }
            }
            if let Some((done, total)) = self.importing {
                ui.add(
                    egui::ProgressBar::new(done as f32 / total.max(1) as f32)
                        .text(format!("Importing {done} of {total}…"))
                        .desired_width(260.0),
                );
            } else if let Some(report) = &self.report {
                let skipped = report.skipped_existing.len();
                ui.label(
                    RichText::new(format!(
                        "Done: {} added, {} updated, {skipped} already in the inventory{}",
                        report.added,
                        report.updated,
                        if skipped > 0 {
                            " (left as they were)"
                        } else {
                            ""
                        }
                    ))
                    .color(signal(ui.visuals()).ok),
                );
            } else if invalid > 0 && !self.preview.leave_out_invalid() {
                let hint = RichText::new(
                    "Fix the rows marked in red (their Status says why), or import the valid rows only.",
                )
                .color(signal(ui.visuals()).error);
                ui.add(egui::Label::new(hint).wrap());
            }
        });
    }
}
