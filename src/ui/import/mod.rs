//! The Import panel: label files (dialog, drop or path), pasted text and a scan mode for a
//! barcode scanner, a preview with every problem on its row, and one transactional import.

use std::collections::{BTreeMap, HashSet};

use egui::RichText;

pub mod events;
mod jobs;
mod preview;
mod sources;

use crate::device::{CATALOGUE, Mac};
use crate::inventory::{ImportOptions, ImportReport, OnExisting, Site};
use crate::labels::{BatchDefaults, ImportBatch, ParsedSource};
use crate::ui::widgets::answers::Picked;
use crate::ui::widgets::banner;
use crate::ui::widgets::fields::site_pick;
use crate::ui::widgets::status::StatusLine;
use crate::ui::widgets::style::signal;
use crate::ui::worker::Worker;
use crate::words;
use events::ImportEvent;
use preview::policy_text;

/// The scanner's source name in the preview and the audit log.
const SCANNER: &str = "scanner";

/// What the last scan did, shown large beside the scan field.
struct ScanFeedback {
    ok: bool,
    message: String,
    at: f64,
}

#[derive(Default)]
pub struct ImportPanel {
    /// Parsed files and texts, in the order they were added; the scan session is one of them.
    sources: Vec<ParsedSource>,
    site: String,
    model: String,
    /// The defaults `batch` was validated with; a change re-validates.
    applied: BatchDefaults,
    batch: ImportBatch,
    on_existing: OnExisting,
    skip_invalid: bool,
    paste: String,
    show_paste: bool,
    path: String,
    scan_mode: bool,
    scan_input: String,
    scanned: Vec<String>,
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
    /// Bumped on every re-validation; answers about older batches are ignored.
    generation: u64,
    check_sent: u64,
    /// Valid rows whose MAC the inventory already holds, as of `generation`.
    existing: HashSet<Mac>,
    in_import: InImport,
    /// The last failure of this panel's jobs.
    error: Option<String>,
}

/// What the running import took: sources by name, and how many scanned lines.
#[derive(Default)]
struct InImport {
    sources: Vec<String>,
    scanned: usize,
}

impl ImportPanel {
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
                self.add_source(source);
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
                if generation == self.generation {
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
                self.remove_imported();
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

    /// A file or text read: it replaces one of the same name, and the last import's "Done"
    /// no longer describes what is shown.
    fn add_source(&mut self, source: ParsedSource) {
        self.sources.retain(|s| s.name != source.name);
        self.sources.push(source);
        self.report = None;
        self.revalidate();
    }

    fn revalidate(&mut self) {
        let invalid_before = self.batch.invalid_count();
        self.applied = self.defaults();
        self.batch = ImportBatch::from_sources(&self.sources, &self.applied);
        self.generation += 1;
        self.existing.clear();
        // "Leave out the invalid rows" was agreed to for the rows shown then, not for others.
        if self.batch.invalid_count() != invalid_before {
            self.skip_invalid = false;
        }
    }

    /// Asks which valid rows are already in the inventory, once per re-validation.
    fn check_existing(&mut self, worker: &Worker) {
        if self.check_sent != self.generation && self.batch.valid_count() > 0 {
            self.check_sent = self.generation;
            let macs = self.batch.valid().map(|(_, d)| d.mac).collect();
            jobs::check_existing(worker, self.generation, macs);
        }
    }

    /// Drops what the finished import wrote, keeping files and scans added meanwhile.
    fn remove_imported(&mut self) {
        let done = std::mem::take(&mut self.in_import);
        self.sources
            .retain(|s| s.name == SCANNER || !done.sources.contains(&s.name));
        self.scanned.drain(..done.scanned.min(self.scanned.len()));
        self.feedback = None;
        self.rebuild_scan_session();
    }

    fn clear_sources(&mut self) {
        self.first_wanted_job = self.last_job + 1;
        self.parsing.clear();
        self.sources.clear();
        self.scanned.clear();
        self.feedback = None;
        self.revalidate();
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, worker: &Worker, sites: &[Site]) {
        self.shortcuts(ui, worker);
        self.check_existing(worker);
        egui::Panel::bottom("import_actions")
            .resizable(false)
            .show(ui, |ui| {
                ui.add_space(6.0);
                self.actions(ui, worker);
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
            self.preview(ui);
        });
    }

    fn shortcuts(&mut self, ui: &mut egui::Ui, worker: &Worker) {
        let (toggle_scan, import) = ui.input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::NONE, egui::Key::F2),
                i.consume_key(egui::Modifiers::COMMAND, egui::Key::Enter),
            )
        });
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
            if !site.has_focus() && self.defaults() != self.applied {
                self.revalidate();
            }
        });
    }

    fn can_import(&self) -> bool {
        self.importing.is_none()
            && self.batch.valid_count() > 0
            && (self.batch.invalid_count() == 0 || self.skip_invalid)
    }

    fn start_import(&mut self, worker: &Worker) {
        // A site typed but not yet left (Ctrl+Enter in the field) still counts.
        if self.defaults() != self.applied {
            self.revalidate();
        }
        self.in_import = InImport {
            sources: self.sources.iter().map(|s| s.name.clone()).collect(),
            scanned: self.scanned.len(),
        };
        self.importing = Some((0, self.batch.valid_count()));
        self.report = None;
        self.error = None;
        jobs::write(
            worker,
            self.batch.clone(),
            ImportOptions {
                on_existing: self.on_existing,
                skip_invalid: self.skip_invalid,
                dry_run: false,
            },
        );
    }

    fn actions(&mut self, ui: &mut egui::Ui, worker: &Worker) {
        ui.horizontal(|ui| {
            let invalid = self.batch.invalid_count();
            // The count the import will write: devices already there are not, when skipped.
            let skipped = match self.on_existing {
                OnExisting::Skip => self.existing.len(),
                OnExisting::Update | OnExisting::Error => 0,
            };
            let written = self.batch.valid_count().saturating_sub(skipped);
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
                .add_enabled(!self.sources.is_empty(), egui::Button::new("Clear"))
                .clicked()
            {
                self.clear_sources();
            }
            if invalid > 0 {
                ui.checkbox(
                    &mut self.skip_invalid,
                    format!("Import the valid rows only, leave out {invalid} invalid"),
                );
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
            } else if invalid > 0 && !self.skip_invalid {
                ui.colored_label(
                    signal(ui.visuals()).error,
                    "Fix the rows marked in red, or import the valid rows only.",
                );
            }
        });
    }
}
