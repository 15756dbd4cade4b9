//! The Test fetch panel's verdict: the diagnosis banner with every finding and its fix, the
//! notes of the run, and the toolbar that copies or saves the exchange.

use egui::RichText;

use super::sequence::Part;
use super::{Run, RunState};
use crate::fetch::{Diagnosis, OwnServe, Severity, Shell, Step, Transcript, to_curl};
use crate::ops::fetch::FetchFile;
use crate::ui::widgets::finding::Finding;
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

/// The banner above the sequence: progress while running, the diagnosis when done. A server
/// error from provdesk's own Serve (`own`) points at the Serve panel's log.
pub(super) fn show(ui: &mut egui::Ui, run: &Run, own: Option<&OwnServe>) {
    let colors = signal(ui.visuals());
    match &run.state {
        RunState::Running => {
            ui.horizontal(|ui| {
                // Not a spinner, which repaints every frame: the waiting arrow below counts the
                // seconds, once a second.
                ui.label(RichText::new("⏳").color(colors.info));
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
        RunState::Cancelled => Finding {
            color: colors.warning,
            icon: "⏹",
            title: "Cancelled",
            message: "The fetch was stopped before it ended. Nothing was stored with the device.",
            fix: None,
            code: None,
        }
        .banner(ui),
        RunState::Failed(error) => Finding {
            color: colors.error,
            icon: "✖",
            title: "The fetch could not start",
            message: error,
            fix: Some("Check the TLS file paths and the URL, then Start again."),
            code: None,
        }
        .banner(ui),
        RunState::Finished => {
            let diagnosis = run.transcript.diagnosis();
            if let Some(main) = diagnosis.first() {
                let url = run.transcript.steps.last().map(|s| s.request.url.as_str());
                let own_fix = own.zip(url).and_then(|(own, url)| own.fix(main, url));
                let mut banner = finding(ui, main);
                if let Some(fix) = own_fix.as_deref() {
                    banner.fix = Some(fix);
                }
                banner.banner(ui);
            }
            for more in diagnosis.iter().skip(1) {
                ui.add_space(4.0);
                finding(ui, more).line(ui);
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

/// A diagnosis as the verdict banner shows it.
fn finding<'a>(ui: &egui::Ui, diagnosis: &'a Diagnosis) -> Finding<'a> {
    let (color, icon) = severity_look(diagnosis.severity, &signal(ui.visuals()));
    Finding {
        color,
        icon,
        title: &diagnosis.title,
        message: &diagnosis.message,
        fix: diagnosis.fix_to_show(),
        code: Some(diagnosis.code.as_str()),
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
