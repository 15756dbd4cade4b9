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

/// What the run decided before any request: credentials in the URL, rungs it must skip,
/// catalogue facts no document confirms.
fn notes_of(transcript: &Transcript) -> Vec<String> {
    transcript
        .notes
        .iter()
        .filter(|(step, _)| step.is_none())
        .map(|(_, text)| format!("Note: {text}"))
        .chain(
            transcript
                .skipped
                .iter()
                .map(|(attempt, reason)| format!("Skipped {}: {reason}", attempt.describe())),
        )
        .collect()
}

/// The one note kept out of the fold: a device without a model was fetched as another.
pub(super) fn model_assumed(ui: &mut egui::Ui, transcript: &Transcript) {
    if !transcript.setting.model_assumed {
        return;
    }
    let text = format!(
        "⚠ No model in the inventory: fetched as the {} would. Set the device's model to test \
         the phone it is.",
        transcript.setting.model
    );
    let color = signal(ui.visuals()).warning;
    ui.add(egui::Label::new(RichText::new(text).color(color)).wrap());
}

/// Whether the notes are open: remembered for the session, so they stay open for the next run.
fn notes_open(ui: &egui::Ui) -> bool {
    ui.data(|d| d.get_temp(egui::Id::unique(NOTES_OPEN)))
        .unwrap_or(false)
}

const NOTES_OPEN: &str = "fetch_notes_open";

/// The notes folded to one button in the toolbar ("⏵ 3 notes"): five of them above the
/// exchange left it little room in a small window.
fn notes_toggle(ui: &mut egui::Ui, count: usize) {
    if count == 0 {
        return;
    }
    let open = notes_open(ui);
    let arrow = if open { "⏷" } else { "⏵" };
    let noun = if count == 1 { "note" } else { "notes" };
    if ui
        .selectable_label(open, format!("{arrow} {count} {noun}"))
        .on_hover_text(
            "What the run decided before the first request: credentials in the URL, steps it \
             skipped, catalogue facts no document confirms",
        )
        .clicked()
    {
        ui.data_mut(|d| d.insert_temp(egui::Id::unique(NOTES_OPEN), !open));
    }
}

/// The notes under the toolbar, while they are open: a fifth of the height at most, where
/// they scroll, so that opening them leaves the exchange its room.
pub(super) fn notes(ui: &mut egui::Ui, transcript: &Transcript) {
    if !notes_open(ui) {
        return;
    }
    let weak = ui.visuals().weak_text_color();
    egui::ScrollArea::vertical()
        .id_salt("fetch_notes_scroll")
        .max_height((ui.available_height() * 0.2).max(48.0))
        .auto_shrink([false, true])
        .show(ui, |ui| {
            for note in notes_of(transcript) {
                ui.add(egui::Label::new(RichText::new(note).small().color(weak)).wrap());
            }
        });
}

/// Save HAR…, Save JSON…, Copy as curl, the notes' fold, in the caller's row. Returns the file a Save button asked for.
pub(super) fn toolbar(ui: &mut egui::Ui, run: &Run, status: &mut StatusLine) -> Option<FetchFile> {
    let mut save = None;
    let has_steps = !run.transcript.steps.is_empty();
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
    notes_toggle(ui, notes_of(&run.transcript).len());
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
