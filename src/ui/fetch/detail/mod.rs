//! The detail of one step of a test fetch: the request as sent, the digest it carries worked
//! out line by line in words, the response with its challenges and the device's choice, and
//! the body. Written for someone who never read RFC 7616: each value says what it is.

mod answer;
mod challenges;

use egui::{RichText, TextStyle};

use crate::fetch::{HeaderLine, ReceivedResponse, Step, Transcript, shown_headers};
use crate::ui::fetch::sequence::{is_cut, is_stale, millis, status_color};
use crate::ui::widgets::style::signal;

/// Shown text longer than this is cut in the view (a HAR export with bodies keeps what the core
/// kept): a label of megabytes would slow every frame.
const SHOWN_BODY: usize = 64 * 1024;

/// What the pane scrolls to when the selection has just changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScrollTo {
    Nothing,
    Top,
    Response,
}

/// Shows step `index`. `reveal` shows A1, HA1, the hashed string, the digest response and
/// cnonce and the passwords in the body in the clear; `running` says whether an answer may
/// still come.
pub fn show(
    ui: &mut egui::Ui,
    transcript: &Transcript,
    index: usize,
    reveal: &mut bool,
    scroll: ScrollTo,
    running: bool,
) {
    let Some(step) = transcript.steps.get(index) else {
        return;
    };
    if scroll == ScrollTo::Top {
        ui.scroll_to_cursor(Some(egui::Align::TOP));
    }
    ui.heading(format!(
        "Step {}: {}",
        index + 1,
        step.request.attempt.describe()
    ));
    ui.add_space(4.0);
    request(ui, step, *reveal);
    if let Some(answer) = &step.answer {
        ui.add_space(8.0);
        answer::answer_section(ui, transcript, answer, reveal);
    }
    ui.add_space(8.0);
    if scroll == ScrollTo::Response {
        ui.scroll_to_cursor(Some(egui::Align::TOP));
    }
    response(
        ui,
        step,
        transcript.answered_challenge(index),
        reveal,
        running,
    );
    let notes: Vec<&str> = transcript
        .notes
        .iter()
        .filter(|(at, _)| *at == Some(index))
        .map(|(_, text)| text.as_str())
        .collect();
    if !notes.is_empty() {
        ui.add_space(6.0);
        for note in notes {
            ui.add(egui::Label::new(RichText::new(format!("Note: {note}")).italics()).wrap());
        }
    }
}

fn section(ui: &mut egui::Ui, title: &str) {
    ui.label(RichText::new(title).strong().size(15.0));
}

fn mono(ui: &mut egui::Ui, text: impl Into<String>) {
    ui.add(egui::Label::new(RichText::new(text).monospace()).wrap());
}

fn headers(ui: &mut egui::Ui, lines: &[HeaderLine]) {
    let weak = ui.visuals().weak_text_color();
    for line in lines {
        let mut job = egui::text::LayoutJob::default();
        let font = TextStyle::Monospace.resolve(ui.style());
        job.append(
            &format!("{}: ", line.name),
            0.0,
            egui::TextFormat::simple(font.clone(), weak),
        );
        job.append(
            &line.value,
            0.0,
            egui::TextFormat::simple(font, ui.visuals().text_color()),
        );
        ui.add(egui::Label::new(job).wrap());
    }
}

fn request(ui: &mut egui::Ui, step: &Step, reveal: bool) {
    section(ui, "Request");
    mono(
        ui,
        format!("{} {} HTTP/1.1", step.request.method, step.request.target),
    );
    headers(ui, &shown_headers(&step.request.headers, reveal));
    ui.label(
        RichText::new(format!(
            "Sent {} after the start, to {}",
            millis(step.request.at),
            step.request.url
        ))
        .small()
        .weak(),
    );
}

fn response(
    ui: &mut egui::Ui,
    step: &Step,
    answered: Option<usize>,
    reveal: &mut bool,
    running: bool,
) {
    let colors = signal(ui.visuals());
    if let Some((kind, message)) = &step.error {
        section(ui, "No response");
        ui.add(egui::Label::new(RichText::new(format!("✖ {message}")).color(colors.error)).wrap());
        ui.label(
            RichText::new(format!("Kind: {}", kind.words()))
                .small()
                .weak(),
        );
        return;
    }
    let Some(response) = &step.response else {
        section(ui, "Response");
        let waiting = if running {
            "Waiting for the answer…"
        } else {
            "No answer came: the fetch ended (cancelled, or out of time) before it did."
        };
        ui.label(RichText::new(waiting).weak());
        return;
    };
    section(ui, "Response");
    let version = match response.http_version.as_str() {
        "HTTP/1.0" => "HTTP/1.0",
        "HTTP/2.0" => "HTTP/2",
        _ => "HTTP/1.1",
    };
    ui.label(
        RichText::new(format!(
            "{version} {} {}{}{}",
            response.status,
            response.reason,
            if is_stale(step) { " (stale nonce)" } else { "" },
            if is_cut(step) { " (body cut)" } else { "" }
        ))
        .monospace()
        .strong()
        .color(status_color(step, &colors)),
    );
    headers(ui, &shown_headers(&response.headers, *reveal));
    ui.label(
        RichText::new(format!(
            "Headers after {}, all of it after {} · {} bytes",
            millis(response.wait),
            millis(response.total),
            response.body_size
        ))
        .small()
        .weak(),
    );
    if !step.challenges.is_empty() || step.challenge_error.is_some() {
        ui.add_space(8.0);
        challenges::challenges(ui, step, answered);
    }
    if !response.body.is_empty() {
        ui.add_space(8.0);
        body(ui, step, response, reveal);
    }
}

/// The body as worked out once when it arrived (never re-indented per frame), cut at
/// [`SHOWN_BODY`]; its passwords (every password setting of the file, a URL's, one the fetch
/// knows) are masked until revealed.
fn body(ui: &mut egui::Ui, step: &Step, response: &ReceivedResponse, reveal: &mut bool) {
    // Whether the body is open in a window of its own, kept per step in egui's memory.
    let window = egui::Id::unique(("body_window", step.request.step));
    let mut open = ui
        .ctx()
        .data(|d| d.get_temp::<bool>(window))
        .unwrap_or(false);
    ui.horizontal_wrapped(|ui| {
        section(ui, "Body");
        if ui
            .small_button("Open in a window")
            .on_hover_text("The file the device gets, in a window of its own, to read it at full size")
            .clicked()
        {
            open = true;
        }
        if response.shown.masked.is_some() {
            let text = if *reveal {
                "Hide the passwords in the body"
            } else {
                "Reveal the passwords in the body"
            };
            if ui
                .small_button(text)
                .on_hover_text(
                    "The body holds passwords (its password settings, a URL's user:pass@, or one this fetch used): show them in the clear.",
                )
                .clicked()
            {
                *reveal = !*reveal;
            }
        }
    });
    if response.shown.masked.is_some() && !*reveal {
        ui.label(
            RichText::new("The body holds passwords: masked until revealed.")
                .small()
                .weak(),
        );
    }
    let text = response.shown.text(*reveal);
    let shown = &text[..text.floor_char_boundary(SHOWN_BODY)];
    if response.truncated || shown.len() < text.len() {
        ui.label(
            RichText::new(format!(
                "Showing the start of {} bytes; Save HAR… with bodies keeps what was received.",
                response.body_size
            ))
            .small()
            .weak(),
        );
    }
    // No wrapping: configuration lines stay lines, and the area scrolls sideways instead.
    egui::Frame::new()
        .fill(ui.visuals().code_bg_color)
        .corner_radius(4.0)
        .inner_margin(6)
        .show(ui, |ui| {
            egui::ScrollArea::both()
                .id_salt(("body", step.request.step))
                .max_height(260.0)
                .auto_shrink([false, true])
                .show(ui, |ui| {
                    ui.add(egui::Label::new(RichText::new(shown).monospace()).extend());
                });
        });
    body_window(ui.ctx(), window, &mut open, step, shown);
}

/// The body beside the panel, as large as the user makes it: in the step's detail it shares
/// a narrow pane with the request, the digest and the challenges. Masked as the detail is.
fn body_window(ctx: &egui::Context, id: egui::Id, open: &mut bool, step: &Step, shown: &str) {
    egui::Window::new(format!("Body of response {}", step.request.step + 1))
        .id(id)
        .open(open)
        .default_size([760.0, 520.0])
        .resizable(true)
        .show(ctx, |ui| {
            egui::ScrollArea::both()
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    ui.add(egui::Label::new(RichText::new(shown).monospace()).extend());
                });
        });
    ctx.data_mut(|d| d.insert_temp(id, *open));
}
