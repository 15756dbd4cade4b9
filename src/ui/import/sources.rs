//! Where the Import panel's rows come from: files (dialog, path, drop), pasted text, and the
//! scan field that takes a barcode scanner's input one label per line.

use egui::RichText;

use super::{ImportPanel, ScanFeedback, jobs};
use crate::ui::widgets::style::signal;
use crate::ui::worker::Worker;
use crate::words;

/// How long the scan field flashes after a scan, in seconds.
const FLASH_SECONDS: f64 = 1.2;

/// The path field's example, in the platform's own form.
const EXAMPLE_PATH: &str = if cfg!(windows) {
    r"C:\Users\me\labels.csv"
} else {
    "/home/me/labels.csv"
};

impl ImportPanel {
    pub(super) fn sources_row(&mut self, ui: &mut egui::Ui, worker: &Worker) {
        ui.horizontal_wrapped(|ui| {
            if ui
                .button("📂 Open files…")
                .on_hover_text("CSV, scanner text, or photos of labels (PNG, JPEG)")
                .clicked()
            {
                self.report = None;
                jobs::pick_files(worker);
            }
            let label = ui.label("or path");
            let path = ui
                .add(
                    egui::TextEdit::singleline(&mut self.path)
                        .hint_text(EXAMPLE_PATH)
                        .desired_width(260.0),
                )
                .labelled_by(label.id);
            let enter = path.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui.button("Add file").clicked() || enter) && !self.path.trim().is_empty() {
                let path = std::path::PathBuf::from(self.path.trim());
                // A mistyped path stays in the field to be corrected; the error says what is wrong.
                if path.exists() {
                    self.path.clear();
                }
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
            .color(signal(ui.visuals()).warning)
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

    pub(super) fn paste_area(&mut self, ui: &mut egui::Ui) {
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
            self.preview.add_pasted(&self.paste);
            self.paste.clear();
            self.report = None;
        }
    }

    pub(super) fn scan_area(&mut self, ui: &mut egui::Ui) {
        let now = ui.input(|i| i.time);
        let flash = self
            .feedback
            .as_ref()
            .filter(|f| now - f.at < FLASH_SECONDS)
            .map(|f| {
                if f.ok {
                    signal(ui.visuals()).ok
                } else {
                    signal(ui.visuals()).error
                }
            });
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
                            .id(scan_field_id())
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
                ui.label(
                    RichText::new(format!(
                        "{} scanned",
                        words::count(self.preview.scans_kept(), "code")
                    ))
                    .weak(),
                );
            });
            if let Some(feedback) = &self.feedback {
                let color = if feedback.ok {
                    signal(ui.visuals()).ok
                } else {
                    signal(ui.visuals()).error
                };
                ui.label(RichText::new(&feedback.message).size(18.0).color(color));
            }
        });
    }

    /// Adds the scanned line to the preview's scan session and says at once what it was.
    pub(super) fn take_scan(&mut self, now: f64) {
        let line = std::mem::take(&mut self.scan_input);
        if let Some(verdict) = self.preview.scan(&line) {
            self.report = None;
            self.feedback = Some(ScanFeedback {
                ok: verdict.ok,
                message: verdict.message,
                at: now,
            });
        }
    }
}

/// The scan field's id, fixed so that the Ctrl+Z shortcut can tell when it has the focus.
pub(super) fn scan_field_id() -> egui::Id {
    egui::Id::unique("import_scan_field")
}
