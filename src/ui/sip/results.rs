//! The right side of the SIP test panel: the verdict banner (or, while the registrar is
//! silent, how long the test still waits, and a button to stop), the trace's *Copy trace* and
//! *Save trace…*, and the live sequence.

use std::time::Duration;

use egui::RichText;

use super::save::SaveTrace;
use super::{Run, SipPanel, sequence};
use crate::ui::widgets::dialog;
use crate::ui::widgets::status::StatusLine;
use crate::words;

impl SipPanel {
    pub(super) fn results(&mut self, ui: &mut egui::Ui, status: &mut StatusLine) {
        let Some(run) = &self.run else {
            ui.weak("Pick an inventory device's account or type one, and press Start: the REGISTER, the registrar's answers and the digest show here as they happen.");
            return;
        };
        let mut stop = false;
        if let Some(verdict) = run.transcript.verdict() {
            sequence::verdict(ui, verdict);
        } else if run.cancel.is_some() {
            stop = waiting(ui, run);
        }
        ui.add_space(4.0);
        let save = toolbar(ui, run, status);
        ui.separator();
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .stick_to_bottom(true)
            .show(ui, |ui| sequence::rows(ui, &run.transcript.events));
        if save {
            self.save = Some(SaveTrace::new(dialog::default_save_path(&file_name(
                &run.subject,
            ))));
        }
        if stop {
            self.stop_waiting(status);
        }
    }
}

/// "⏳ Waiting for the registrar… 23 s left" and, while a request waits for its answer, *Stop
/// waiting*; true when it was pressed. The countdown changes once a second, so the panel asks
/// for a frame then, not every frame (a spinner would).
fn waiting(ui: &mut egui::Ui, run: &Run) -> bool {
    ui.horizontal(|ui| {
        ui.label(RichText::new("⏳").size(16.0));
        let text = match run.waiting_since.filter(|_| !run.stopping) {
            Some(since) => {
                let left = run.give_up.saturating_sub(since.elapsed());
                let fraction = left - Duration::from_secs(left.as_secs());
                let next = if fraction.is_zero() {
                    Duration::from_secs(1)
                } else {
                    fraction
                };
                ui.ctx().request_repaint_after(next);
                let seconds = left.as_secs() + u64::from(!fraction.is_zero());
                format!("Waiting for the registrar… {seconds} s left")
            }
            None => "Waiting for the registrar…".to_string(),
        };
        ui.label(RichText::new(text).strong());
        let stop = run.waiting_since.is_some()
            && !run.stopping
            && ui
                .button("Stop waiting")
                .on_hover_text(
                    "Ends the test now as if its give-up time had run out: the verdict is \
                     \"no answer\", with how long it waited and how many sends went out",
                )
                .clicked();
        ui.label(RichText::new("Esc cancels").weak().small());
        stop
    })
    .inner
}

/// *Copy trace* and *Save trace…*, once a message went out; true when Save was pressed.
fn toolbar(ui: &mut egui::Ui, run: &Run, status: &mut StatusLine) -> bool {
    let messages = run.transcript.message_count();
    ui.horizontal(|ui| {
        let copy = ui
            .add_enabled(messages > 0, egui::Button::new("Copy trace"))
            .on_hover_text(
                "Every SIP message sent and received, in order, as text for the provider; the \
                 digest answer's response and cnonce masked as shown here",
            );
        if copy.clicked() {
            ui.ctx().copy_text(run.transcript.trace());
            status.info(format!(
                "Copied the SIP trace: {}, the digest answer masked.",
                words::count(messages, "message")
            ));
        }
        ui.add_enabled(messages > 0, egui::Button::new("Save trace…"))
            .on_hover_text("The same trace as a text file")
            .clicked()
    })
    .inner
}

/// `provdesk-sip-1001-pbx.example.com.txt`: the test's subject with what no file name should
/// hold (`@`, `:`, brackets, slashes) made dashes.
fn file_name(subject: &str) -> String {
    let safe: String = subject
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("provdesk-sip-{safe}.txt")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_file_name_holds_no_separator_or_colon() {
        assert_eq!(
            super::file_name("1001@[2001:db8::1]"),
            "provdesk-sip-1001--2001-db8--1-.txt"
        );
        assert_eq!(
            super::file_name("1001@../../etc"),
            "provdesk-sip-1001-..-..-etc.txt"
        );
    }
}
