//! The Test fetch panel's verdict: the diagnosis banner with every finding and its fix, the
//! notes of the run, and the toolbar that copies or saves the exchange.

use egui::RichText;

use super::sequence::Part;
use super::{Run, RunState};
use crate::fetch::{Diagnosis, Severity, Shell, Step, Transcript, to_curl};
use crate::ops::fetch::FetchFile;
use crate::ui::widgets::status::StatusLine;
use crate::ui::widgets::style::signal;

pub(super) fn empty_state(ui: &mut egui::Ui) {
    ui.add_space(60.0);
    ui.vertical_centered(|ui| {
        ui.heading("No fetch yet");
        ui.label("Choose an inventory device or enter one ad hoc, then press Start (or Enter in the URL field).");
        ui.label(
            RichText::new(
                "Each request and response appears as an arrow as it happens; the diagnosis says \
                 why a 401 loops and what to change.",
            )
            .weak(),
        );
    });
}

/// "provdesk-fetch-7C2F80820EC0.har", or the host's name for an ad hoc fetch.
pub(super) fn suggested_name(run: &Run, file: FetchFile) -> String {
    let subject = run
        .transcript
        .setting
        .mac
        .clone()
        .unwrap_or_else(|| run.server_label.replace(':', "-"));
    format!("provdesk-fetch-{subject}.{}", file.extension())
}

/// The banner above the sequence: progress while running, the diagnosis when done.
pub(super) fn show(ui: &mut egui::Ui, run: &Run) {
    let colors = signal(ui.visuals());
    match &run.state {
        RunState::Running => {
            ui.horizontal(|ui| {
                ui.add(egui::Spinner::new());
                let sent = run.transcript.steps.len();
                let ladder = run.transcript.setting.ladder.len().max(sent);
                let text = if sent == 0 {
                    "Starting…".to_string()
                } else {
                    format!("Request {sent} of up to {ladder}")
                };
                ui.label(RichText::new(text).strong());
                ui.label(RichText::new("Esc cancels").weak().small());
            });
        }
        RunState::Cancelled => finding_frame(
            ui,
            colors.warning,
            "⏹",
            "Cancelled",
            "The fetch was stopped before it ended. Nothing was stored with the device.",
            None,
            None,
        ),
        RunState::Failed(error) => finding_frame(
            ui,
            colors.error,
            "✖",
            "The fetch could not start",
            error,
            Some("Check the TLS file paths and the URL, then Start again."),
            None,
        ),
        RunState::Finished => {
            let diagnosis = run.transcript.diagnosis();
            if let Some(main) = diagnosis.first() {
                diagnosis_frame(ui, main);
            }
            for more in diagnosis.iter().skip(1) {
                ui.add_space(4.0);
                more_finding(ui, more);
            }
        }
    }
}

fn severity_look(
    severity: Severity,
    colors: &crate::ui::widgets::style::Signal,
) -> (egui::Color32, &'static str) {
    match severity {
        Severity::Ok => (colors.ok, "✔"),
        Severity::Info => (colors.info, "ℹ"),
        Severity::Warning => (colors.warning, "⚠"),
        Severity::Error => (colors.error, "✖"),
    }
}

fn diagnosis_frame(ui: &mut egui::Ui, finding: &Diagnosis) {
    let (color, icon) = severity_look(finding.severity, &signal(ui.visuals()));
    finding_frame(
        ui,
        color,
        icon,
        &finding.title,
        &finding.message,
        finding.fix_to_show(),
        Some(finding.code.as_str()),
    );
}

/// A coloured frame: icon and title in bold, the message, the fix, the code small.
fn finding_frame(
    ui: &mut egui::Ui,
    color: egui::Color32,
    icon: &str,
    title: &str,
    message: &str,
    fix: Option<&str>,
    code: Option<&str>,
) {
    egui::Frame::new()
        .fill(color.gamma_multiply(0.14))
        .stroke(egui::Stroke::new(1.5, color))
        .corner_radius(6.0)
        .inner_margin(egui::Margin::symmetric(12, 8))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                ui.label(RichText::new(icon).color(color).size(18.0).strong());
                ui.add(egui::Label::new(RichText::new(title).strong().size(16.0)).wrap());
                if let Some(code) = code {
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        ui.label(RichText::new(code).monospace().small().weak())
                            .on_hover_text("The finding's code, as in the JSON report");
                    });
                }
            });
            ui.add(egui::Label::new(message).wrap());
            if let Some(fix) = fix {
                ui.add(egui::Label::new(RichText::new(format!("Fix: {fix}")).strong()).wrap());
            }
        });
}

fn more_finding(ui: &mut egui::Ui, finding: &Diagnosis) {
    let (color, icon) = severity_look(finding.severity, &signal(ui.visuals()));
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(icon).color(color).strong());
        ui.label(RichText::new(&finding.title).strong());
        ui.label(
            RichText::new(finding.code.as_str())
                .monospace()
                .small()
                .weak(),
        );
    });
    ui.add(egui::Label::new(RichText::new(&finding.message).small()).wrap());
    if let Some(fix) = finding.fix_to_show() {
        ui.add(egui::Label::new(RichText::new(format!("Fix: {fix}")).small()).wrap());
    }
}

/// What the run decided before any request: credentials in the URL, rungs it must skip.
pub(super) fn notes(ui: &mut egui::Ui, transcript: &Transcript) {
    let weak = ui.visuals().weak_text_color();
    for (_, text) in transcript.notes.iter().filter(|(step, _)| step.is_none()) {
        ui.add(egui::Label::new(RichText::new(format!("Note: {text}")).small().color(weak)).wrap());
    }
    for (attempt, reason) in &transcript.skipped {
        ui.add(
            egui::Label::new(
                RichText::new(format!("Skipped {}: {reason}", attempt.describe()))
                    .small()
                    .color(weak),
            )
            .wrap(),
        );
    }
}

/// Save HAR…, Save JSON…, Copy as curl. Returns the file a Save button asked for.
pub(super) fn toolbar(ui: &mut egui::Ui, run: &Run, status: &mut StatusLine) -> Option<FetchFile> {
    let mut save = None;
    let has_steps = !run.transcript.steps.is_empty();
    ui.horizontal(|ui| {
        if ui
            .add_enabled(has_steps, egui::Button::new("Save HAR…"))
            .on_hover_text("Every request and response as a HAR 1.2 file")
            .clicked()
        {
            save = Some(FetchFile::Har);
        }
        if ui
            .add_enabled(has_steps, egui::Button::new("Save JSON…"))
            .on_hover_text("The report with the diagnosis, as provdesk fetch --json")
            .clicked()
        {
            save = Some(FetchFile::Json);
        }
        let step = run.selected.and_then(|a| run.transcript.steps.get(a.step));
        copy_as_curl(ui, run, step, status);
        if let Some(arrow) = run.selected {
            let what = match arrow.part {
                Part::Request => "request",
                Part::Response => "response",
            };
            ui.label(
                RichText::new(format!("Selected: {what} {}", arrow.step + 1))
                    .small()
                    .weak(),
            );
        }
    });
    save
}

/// *Copy as curl*, for the shell the command is pasted into: this platform's first.
fn copy_as_curl(ui: &mut egui::Ui, run: &Run, step: Option<&Step>, status: &mut StatusLine) {
    let posix = (Shell::Posix, "for bash, zsh (Linux, macOS)");
    let powershell = (Shell::PowerShell, "for PowerShell (Windows)");
    let shells = if Shell::native() == Shell::PowerShell {
        [powershell, posix]
    } else {
        [posix, powershell]
    };
    ui.add_enabled_ui(step.is_some(), |ui| {
        ui.menu_button("Copy as curl", |ui| {
            for (shell, label) in shells {
                if ui.button(label).clicked()
                    && let Some(step) = step
                {
                    ui.ctx().copy_text(to_curl(step, &run.tls, shell));
                    status.info(format!(
                        "Copied a curl command for request {}; it asks for the password itself.",
                        step.request.step + 1
                    ));
                    ui.close();
                }
            }
        })
        .response
        .on_hover_text(
            "A curl command that repeats the selected request, with the fetch's TLS options; curl asks for the password",
        );
    });
}
