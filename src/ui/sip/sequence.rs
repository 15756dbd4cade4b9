//! The live sequence: one row per message, arrow pointing the way it went (--> to the
//! registrar, <-- back), resends and digest computations between them, and the verdict on top.

use egui::RichText;

use crate::sip::{Binding, SipEvent, SipSeverity, SipVerdict};
use crate::ui::widgets::finding::Finding;
use crate::ui::widgets::style::signal;

/// The verdict as Test fetch shows its own: the main finding as the coloured banner, any
/// further one (the registration left behind, a registrar's minimum) under it.
pub fn verdict(ui: &mut egui::Ui, verdict: &SipVerdict) {
    let colors = signal(ui.visuals());
    for (index, finding) in verdict.findings.iter().enumerate() {
        let (color, icon) = match finding.severity {
            SipSeverity::Ok => (colors.ok, "✔"),
            SipSeverity::Warning => (colors.warning, "⚠"),
            SipSeverity::Error => (colors.error, "✖"),
        };
        let shown = Finding {
            color,
            icon,
            title: &finding.title,
            message: &finding.message,
            fix: Some(&finding.fix),
            code: Some(finding.code.as_str()),
        };
        if index == 0 {
            shown.banner(ui);
        } else {
            ui.add_space(4.0);
            shown.line(ui);
        }
    }
}

/// The rows of the events so far; a message row opens to its headers.
pub fn rows(ui: &mut egui::Ui, events: &[SipEvent]) {
    for (index, event) in events.iter().enumerate() {
        match event {
            SipEvent::Sent(sent) => {
                egui::CollapsingHeader::new(
                    RichText::new(format!("-->  {}", sent.start_line)).monospace(),
                )
                .id_salt(("sip-row", index))
                .show(ui, |ui| headers(ui, &sent.headers));
            }
            SipEvent::Received(received) => {
                egui::CollapsingHeader::new(
                    RichText::new(format!("<--  {}", received.start_line)).monospace(),
                )
                .id_salt(("sip-row", index))
                .show(ui, |ui| headers(ui, &received.headers));
            }
            SipEvent::Retransmitted { send, at, .. } => {
                ui.label(
                    RichText::new(format!(
                        "again: resent (send {send}) at {}",
                        crate::words::duration(*at)
                    ))
                    .weak(),
                );
            }
            SipEvent::Digest(step) => {
                egui::CollapsingHeader::new(format!(
                    "🔑  digest for {:?}, realm {:?}",
                    step.username, step.realm
                ))
                .id_salt(("sip-row", index))
                .show(ui, |ui| {
                    for line in &step.words {
                        ui.label(RichText::new(line).monospace().small());
                    }
                });
            }
            SipEvent::Dns(step) => {
                ui.label(RichText::new(format!("DNS {}: {}", step.query, step.note)).weak());
            }
            SipEvent::Connected {
                local,
                remote,
                transport,
            } => {
                ui.label(RichText::new(format!("{transport} {local} to {remote}")).weak());
            }
            SipEvent::Binding(binding) => {
                let colors = signal(ui.visuals());
                let (mark, color) = match binding {
                    Binding::Left { .. } => ("⚠", colors.warning),
                    Binding::Removed { .. } | Binding::Kept { .. } => ("✔", colors.ok),
                };
                ui.label(RichText::new(format!("{mark}  {}", binding.describe())).color(color));
            }
            SipEvent::Timers { text } | SipEvent::Note { text } => {
                ui.label(RichText::new(text).weak().small());
            }
            SipEvent::Started { .. } | SipEvent::Finished(_) => {}
        }
    }
}

fn headers(ui: &mut egui::Ui, headers: &[crate::sip::SipHeader]) {
    for header in headers {
        ui.label(
            RichText::new(format!("{}: {}", header.name, header.value))
                .monospace()
                .small(),
        );
    }
}
