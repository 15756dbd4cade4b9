//! The Import panel: label files (dialog, drop or path), pasted text and a scan mode for a
//! barcode scanner, a preview with every problem on its row, and one transactional import.

use std::collections::{BTreeMap, HashSet};

use egui::{Color32, RichText};
use egui_extras::{Column, TableBuilder};

use super::device_form::ERROR_RED;
use super::status::StatusLine;
use super::worker::{Command, Event, Worker};
use crate::device::{CATALOGUE, Mac};
use crate::inventory::{ImportOptions, ImportReport, OnExisting, Site};
use crate::labels::{
    BatchDefaults, ImportBatch, ParsedSource, ScannedCode, classify, parse_text_source,
};

const OK_GREEN: Color32 = Color32::from_rgb(0x3C, 0xA5, 0x5C);
const AMBER: Color32 = Color32::from_rgb(0xD9, 0x9A, 0x2B);
/// How long the scan field flashes after a scan, in seconds.
const FLASH_SECONDS: f64 = 1.2;
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
}

/// What the running import took: sources by name, and how many scanned lines.
#[derive(Default)]
struct InImport {
    sources: Vec<String>,
    scanned: usize,
}

impl ImportPanel {
    /// Takes the worker's answers about label files and imports.
    pub fn on_event(&mut self, event: Event, status: &mut StatusLine) {
        match event {
            Event::SourceParsed { job, .. } | Event::ParseProgress { job, .. }
                if job < self.first_wanted_job => {}
            Event::SourceParsed { source, .. } => {
                status.info(format!(
                    "Read {}: {} row(s)",
                    source.name,
                    source.rows.len() + source.failures.len()
                ));
                self.sources.retain(|s| s.name != source.name);
                self.sources.push(source);
                self.revalidate();
            }
            Event::ParseProgress { job, done, total } => {
                if done < total {
                    self.parsing.insert(job, (done, total));
                } else {
                    self.parsing.remove(&job);
                }
            }
            Event::NoFileDialog => self.no_file_dialog = true,
            Event::ImportProgress { done, total } => self.importing = Some((done, total)),
            Event::Existing { generation, macs } if generation == self.generation => {
                self.existing = macs;
            }
            Event::Imported(report) => {
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
            Event::Failed {
                action: "import",
                error,
            } => {
                self.importing = None;
                status.error(format!("Import refused: {error}"));
            }
            _ => {}
        }
    }

    /// Files dropped on the window.
    pub fn add_files(&mut self, paths: Vec<std::path::PathBuf>, worker: &Worker) {
        if !paths.is_empty() {
            self.report = None;
            let total = paths.len();
            self.last_job = worker.parse_files(paths);
            self.parsing.insert(self.last_job, (0, total));
        }
    }

    fn defaults(&self) -> BatchDefaults {
        let given = |text: &str| (!text.trim().is_empty()).then(|| text.trim().to_string());
        BatchDefaults {
            site: given(&self.site),
            model: given(&self.model),
        }
    }

    fn revalidate(&mut self) {
        self.applied = self.defaults();
        self.batch = ImportBatch::from_sources(&self.sources, &self.applied);
        self.generation += 1;
        self.existing.clear();
    }

    /// Asks which valid rows are already in the inventory, once per re-validation.
    fn check_existing(&mut self, worker: &Worker) {
        if self.check_sent != self.generation && self.batch.valid_count() > 0 {
            self.check_sent = self.generation;
            worker.send(Command::CheckExisting {
                generation: self.generation,
                macs: self.batch.valid().map(|(_, d)| d.mac).collect(),
            });
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
            ui.menu_button("Pick", |ui| {
                for known in sites {
                    if ui.button(&known.name).clicked() {
                        self.site = known.name.clone();
                    }
                }
            });
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

    fn sources_row(&mut self, ui: &mut egui::Ui, worker: &Worker) {
        ui.horizontal_wrapped(|ui| {
            if ui
                .button("📂 Open files…")
                .on_hover_text("CSV, scanner text, or photos of labels (PNG, JPEG)")
                .clicked()
            {
                self.report = None;
                self.last_job = worker.pick_files();
            }
            let label = ui.label("or path");
            let path = ui
                .add(
                    egui::TextEdit::singleline(&mut self.path)
                        .hint_text("/home/me/labels.csv")
                        .desired_width(260.0),
                )
                .labelled_by(label.id);
            let enter = path.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui.button("Add file").clicked() || enter) && !self.path.trim().is_empty() {
                let path = std::path::PathBuf::from(self.path.trim());
                self.path.clear();
                self.add_files(vec![path], worker);
            }
            ui.separator();
            if ui
                .selectable_label(self.show_paste, "📋 Paste text")
                .clicked()
            {
                self.show_paste = !self.show_paste;
            }
            if ui
                .selectable_label(self.scan_mode, "🏷 Scan mode (F2)")
                .on_hover_text("A field that takes a barcode scanner's input, one label per line")
                .clicked()
            {
                self.scan_mode = !self.scan_mode;
                self.focus_scan = self.scan_mode;
            }
        });
        let hint = if self.no_file_dialog {
            RichText::new(
                "No file dialog is available on this desktop (no xdg-desktop-portal answered). \
                 Drop files on this window, or type a path above.",
            )
            .color(AMBER)
        } else {
            RichText::new("You can also drop CSV, text or photo files anywhere on this window.")
                .small()
                .weak()
        };
        ui.label(hint);
        if !self.parsing.is_empty() {
            let (done, total) = self
                .parsing
                .values()
                .fold((0, 0), |(d, t), (done, total)| (d + done, t + total));
            ui.add(
                egui::ProgressBar::new(done as f32 / total.max(1) as f32)
                    .text(format!("Reading file {} of {total}…", done + 1))
                    .desired_width(320.0),
            );
        }
    }

    fn paste_area(&mut self, ui: &mut egui::Ui) {
        ui.add_space(4.0);
        ui.label("Paste MACs and MAC-IDs, one per line, or CSV with a header:");
        let label = ui.label(RichText::new("Pasted text").small().weak());
        ui.add(
            egui::TextEdit::multiline(&mut self.paste)
                .desired_rows(5)
                .desired_width(f32::INFINITY)
                .font(egui::TextStyle::Monospace),
        )
        .labelled_by(label.id);
        if ui.button("Read pasted text").clicked() && !self.paste.trim().is_empty() {
            let name = format!("pasted text {}", self.sources.len() + 1);
            let looks_like_csv = self
                .paste
                .lines()
                .next()
                .is_some_and(|l| l.contains([',', ';', '\t']));
            let source = if looks_like_csv {
                crate::labels::parse_csv_source(&name, self.paste.as_bytes())
            } else {
                parse_text_source(&name, &self.paste)
            };
            self.paste.clear();
            self.sources.push(source);
            self.revalidate();
        }
    }

    fn scan_area(&mut self, ui: &mut egui::Ui) {
        let now = ui.input(|i| i.time);
        let flash = self
            .feedback
            .as_ref()
            .filter(|f| now - f.at < FLASH_SECONDS)
            .map(|f| if f.ok { OK_GREEN } else { ERROR_RED });
        if flash.is_some() {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(100));
        }
        let frame = egui::Frame::group(ui.style())
            .fill(flash.map_or(ui.visuals().extreme_bg_color, |c| c.gamma_multiply(0.25)))
            .stroke(egui::Stroke::new(
                2.0,
                flash.unwrap_or(ui.visuals().widgets.noninteractive.bg_stroke.color),
            ))
            .inner_margin(10.0);
        frame.show(ui, |ui| {
            ui.horizontal(|ui| {
                let label = ui.label(RichText::new("Scan here").strong());
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.scan_input)
                            .hint_text("point the scanner at a label")
                            .font(egui::TextStyle::Monospace)
                            .desired_width(320.0),
                    )
                    .labelled_by(label.id);
                if std::mem::take(&mut self.focus_scan) {
                    field.request_focus();
                }
                if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    self.take_scan(now);
                    field.request_focus();
                }
                ui.label(RichText::new(format!("{} code(s) scanned", self.scanned.len())).weak());
            });
            if let Some(feedback) = &self.feedback {
                let color = if feedback.ok { OK_GREEN } else { ERROR_RED };
                ui.label(RichText::new(&feedback.message).size(18.0).color(color));
            }
        });
    }

    /// Re-reads the scanned lines into the scanner source (pairs can span lines) and
    /// re-validates.
    fn rebuild_scan_session(&mut self) {
        self.sources.retain(|s| s.name != SCANNER);
        if !self.scanned.is_empty() {
            // Each scan is one line, so line N of the session is the N-th scan.
            self.sources
                .push(parse_text_source(SCANNER, &self.scanned.join("\n")));
        }
        self.revalidate();
    }

    /// Adds the scanned line to the scan session and says at once what it was.
    fn take_scan(&mut self, now: f64) {
        let line = std::mem::take(&mut self.scan_input);
        let line = line.trim();
        if line.is_empty() {
            return;
        }
        self.scanned.push(line.to_string());
        self.rebuild_scan_session();
        let line_number = self.scanned.len();
        let (ok, message) = self.scan_verdict(line_number, line);
        self.feedback = Some(ScanFeedback {
            ok,
            message,
            at: now,
        });
    }

    /// What the scan on `line_number` did, in the words shown beside the field.
    fn scan_verdict(&self, line_number: usize, line: &str) -> (bool, String) {
        let here = |file: &str, l: usize| file == SCANNER && l == line_number;
        if let Some((_, problem)) = self.batch.invalid().find(|(s, _)| here(&s.file, s.line)) {
            return (false, format!("✖ {}", problem.reason));
        }
        if let Some(notice) = self
            .batch
            .notices
            .iter()
            .find(|n| here(&n.source.file, n.source.line))
        {
            let ok = notice.message.contains("scanned again");
            return (
                ok,
                format!("{} {}", if ok { "↺" } else { "✖" }, notice.message),
            );
        }
        let device = match classify(line) {
            ScannedCode::Mac(mac) => self.batch.valid().find(|(_, d)| d.mac == mac),
            ScannedCode::MacId(id) => self.batch.valid().find(|(_, d)| d.mac == id.mac()),
            _ => None,
        };
        match device {
            Some((_, device)) => {
                let id = device
                    .mac_id
                    .as_ref()
                    .map(|id| format!("  ·  MAC-ID {id}"))
                    .unwrap_or_else(|| "  ·  waiting for its MAC-ID".to_string());
                (true, format!("✔ {}{id}", device.mac))
            }
            None => (false, format!("✖ \"{line}\" was not taken")),
        }
    }

    fn summary(&self, ui: &mut egui::Ui) {
        let valid = self.batch.valid_count();
        let invalid = self.batch.invalid_count();
        ui.horizontal(|ui| {
            if self.sources.is_empty() {
                ui.label(RichText::new("Nothing to import yet.").weak());
                return;
            }
            ui.label(
                RichText::new(format!("{valid} valid"))
                    .color(OK_GREEN)
                    .strong(),
            );
            if !self.existing.is_empty() {
                ui.label(
                    RichText::new(format!(
                        "({} already in the inventory: {})",
                        self.existing.len(),
                        existing_text(self.on_existing)
                    ))
                    .color(AMBER),
                );
            }
            ui.label("·");
            let invalid_text = RichText::new(format!("{invalid} invalid")).strong();
            ui.label(if invalid > 0 {
                invalid_text.color(ERROR_RED)
            } else {
                invalid_text
            });
            ui.label("·");
            ui.label(format!("{} note(s)", self.batch.notices.len()));
            ui.label("·");
            let names: Vec<&str> = self.sources.iter().map(|s| s.name.as_str()).collect();
            ui.label(RichText::new(format!("from {}", names.join(", "))).weak());
        });
        if !self.batch.notices.is_empty() {
            egui::CollapsingHeader::new(format!("Notes ({})", self.batch.notices.len()))
                .id_salt("import_notes")
                .show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .max_height(120.0)
                        .show(ui, |ui| {
                            for notice in &self.batch.notices {
                                ui.label(RichText::new(notice.to_string()).small());
                            }
                        });
                });
        }
    }

    fn preview(&self, ui: &mut egui::Ui) {
        if self.batch.rows.is_empty() {
            return;
        }
        TableBuilder::new(ui)
            .id_salt("import_preview")
            .striped(true)
            .resizable(true)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::initial(140.0).at_least(90.0).clip(true))
            .column(Column::initial(120.0))
            .column(Column::initial(150.0))
            .column(Column::initial(150.0))
            .column(Column::initial(120.0))
            .column(Column::remainder().at_least(120.0))
            .min_scrolled_height(0.0)
            .auto_shrink([false, false])
            .header(24.0, |mut header| {
                for title in ["Source", "MAC", "MAC-ID", "Model", "Site", "Status"] {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(22.0, self.batch.rows.len(), |mut row| {
                    let item = &self.batch.rows[row.index()];
                    row.col(|ui| {
                        ui.label(RichText::new(short_source(&item.source)).small())
                            .on_hover_text(item.source.to_string());
                    });
                    match &item.outcome {
                        Ok(device) => {
                            row.col(|ui| {
                                ui.label(RichText::new(device.mac.macd()).monospace());
                            });
                            row.col(|ui| {
                                let id = device.mac_id.as_ref().map(ToString::to_string);
                                ui.label(RichText::new(id.unwrap_or_default()).monospace());
                            });
                            row.col(|ui| {
                                ui.label(device.model.map_or("", |m| m.name));
                            });
                            row.col(|ui| {
                                ui.label(device.site.as_deref().unwrap_or(""));
                            });
                            row.col(|ui| {
                                if self.existing.contains(&device.mac) {
                                    ui.label(
                                        RichText::new(format!(
                                            "already in the inventory: {}",
                                            existing_text(self.on_existing)
                                        ))
                                        .color(AMBER),
                                    );
                                } else {
                                    ui.label(RichText::new("new").color(OK_GREEN));
                                }
                            });
                        }
                        Err(problem) => {
                            row.col(|ui| {
                                ui.label(
                                    RichText::new(&problem.row_mac).monospace().color(ERROR_RED),
                                );
                            });
                            for _ in 0..3 {
                                row.col(|_| {});
                            }
                            row.col(|ui| {
                                ui.label(RichText::new(&problem.reason).color(ERROR_RED))
                                    .on_hover_text(&problem.reason);
                            });
                        }
                    }
                });
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
        worker.send(Command::Import {
            batch: Box::new(self.batch.clone()),
            options: ImportOptions {
                on_existing: self.on_existing,
                skip_invalid: self.skip_invalid,
                dry_run: false,
            },
        });
    }

    fn actions(&mut self, ui: &mut egui::Ui, worker: &Worker) {
        ui.horizontal(|ui| {
            let valid = self.batch.valid_count();
            let invalid = self.batch.invalid_count();
            let text = format!("Import {valid} device(s)");
            if ui
                .add_enabled(
                    self.can_import(),
                    egui::Button::new(RichText::new(text).strong()),
                )
                .on_hover_text("Write all rows in one step (Ctrl+Enter)")
                .clicked()
            {
                self.start_import(worker);
            }
            if invalid > 0 {
                ui.checkbox(
                    &mut self.skip_invalid,
                    format!("Import the valid rows only, leave out {invalid} invalid"),
                );
            }
            if ui
                .add_enabled(!self.sources.is_empty(), egui::Button::new("Clear"))
                .clicked()
            {
                self.clear_sources();
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
                    .color(OK_GREEN),
                );
            } else if invalid > 0 && !self.skip_invalid {
                ui.colored_label(
                    ERROR_RED,
                    "Fix the rows marked in red, or import the valid rows only.",
                );
            }
        });
    }
}

/// `labels.csv:12` rather than the whole path, so the line number stays in view.
fn short_source(source: &crate::labels::SourceRef) -> String {
    let name = std::path::Path::new(&source.file)
        .file_name()
        .map_or_else(|| source.file.clone(), |n| n.to_string_lossy().into_owned());
    format!("{name}:{}", source.line)
}

/// What the chosen policy will do with a device already in the inventory.
fn existing_text(policy: OnExisting) -> &'static str {
    match policy {
        OnExisting::Skip => "will be skipped",
        OnExisting::Update => "will be updated",
        OnExisting::Error => "refuses the import",
    }
}

fn policy_text(policy: OnExisting) -> &'static str {
    match policy {
        OnExisting::Skip => "skip and report",
        OnExisting::Update => "update with imported values",
        OnExisting::Error => "refuse the import",
    }
}
