//! Where the Import panel's rows come from: files (dialog, path, drop), pasted text, and the
//! scan field that takes a barcode scanner's input one label per line.

use egui::RichText;

use super::{ImportPanel, SCANNER, ScanFeedback, jobs};
use crate::labels::{ScannedCode, classify, parse_text_source};
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
            let name = format!("pasted text {}", self.sources.len() + 1);
            let source = crate::labels::parse_pasted(&name, &self.paste);
            self.paste.clear();
            self.add_source(source);
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
                        words::count(self.scanned.len(), "code")
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

    /// Re-reads the scanned lines into the scanner source (pairs can span lines) and
    /// re-validates.
    pub(super) fn rebuild_scan_session(&mut self) {
        self.sources.retain(|s| s.name != SCANNER);
        if !self.scanned.is_empty() {
            // Each scan is one line, so line N of the session is the N-th scan.
            self.sources
                .push(parse_text_source(SCANNER, &self.scanned.join("\n")));
        }
        self.revalidate();
    }

    /// Adds the scanned line to the scan session and says at once what it was.
    pub(super) fn take_scan(&mut self, now: f64) {
        let line = std::mem::take(&mut self.scan_input);
        let line = line.trim();
        if line.is_empty() {
            return;
        }
        self.scanned.push(line.to_string());
        self.report = None;
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
    pub(super) fn scan_verdict(&self, line_number: usize, line: &str) -> (bool, String) {
        let here = |file: &str, l: usize| file == SCANNER && l == line_number;
        let problems: Vec<&str> = self
            .batch
            .invalid()
            .filter(|(s, _)| here(&s.file, s.line))
            .map(|(_, problem)| problem.reason.as_str())
            .collect();
        if !problems.is_empty() {
            return (false, format!("✖ {}", problems.join(" · ")));
        }
        // A serial number read with the device says nothing against the scan.
        if let Some(notice) = self.batch.notices.iter().find(|n| {
            here(&n.source.file, n.source.line) && !n.message.starts_with("serial number")
        }) {
            let ok = notice.message.contains("scanned again");
            return (
                ok,
                format!("{} {}", if ok { "↺" } else { "✖" }, notice.message),
            );
        }
        let mac = match classify(line) {
            ScannedCode::Mac(mac) => Some(mac),
            ScannedCode::MacId(id) => Some(id.mac()),
            ScannedCode::Fields(fields) => fields.mac_id.as_ref().map(|id| id.mac()).or(fields.mac),
            _ => None,
        };
        let device = mac.and_then(|mac| self.batch.valid().find(|(_, d)| d.mac == mac));
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
}
