//! The sequence view: the device on the left, the server on the right, one arrow per request
//! and per response, drawn as the events arrive. Each arrow is also an accessible button
//! ("Request 2: GET /cfg/… with MAC / MAC password") so it can be clicked, tabbed to and found
//! by tests; Up/Down in the panel move the selection.

use egui::{Color32, Rect, Sense, pos2, vec2};

mod draw;

use crate::fetch::{Step, Transcript};
use crate::ui::widgets::style::Signal;
use draw::Canvas;

/// Which half of a step an arrow shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Request,
    /// The response, or the transport error in its place.
    Response,
}

/// One arrow of the sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arrow {
    pub step: usize,
    pub part: Part,
}

/// The arrows of a transcript, in order: every request, and every response or error so far.
pub fn arrows(transcript: &Transcript) -> Vec<Arrow> {
    transcript
        .steps
        .iter()
        .enumerate()
        .flat_map(|(step, s)| {
            let answered = s.response.is_some() || s.error.is_some();
            std::iter::once(Arrow {
                step,
                part: Part::Request,
            })
            .chain(answered.then_some(Arrow {
                step,
                part: Part::Response,
            }))
        })
        .collect()
}

const HEADER_HEIGHT: f32 = 48.0;
const ROW_HEIGHT: f32 = 52.0;

/// What the lanes are called.
pub struct Lanes<'a> {
    pub device: &'a str,
    pub server: &'a str,
}

/// Draws the sequence; a click on an arrow selects it. `waiting`: the seconds since a request
/// went out whose answer has not come, shown on the server's lane. `reveal_selected`: scroll the
/// selected arrow into view (it was chosen by keyboard or is the newest).
pub fn show(
    ui: &mut egui::Ui,
    transcript: &Transcript,
    lanes: &Lanes<'_>,
    waiting: Option<f64>,
    selected: &mut Option<Arrow>,
    reveal_selected: bool,
) {
    let arrows = arrows(transcript);
    let rows = arrows.len() + usize::from(waiting.is_some());
    let width = ui.available_width().max(320.0);
    let height = HEADER_HEIGHT + ROW_HEIGHT * rows as f32 + 16.0;
    let (rect, _) = ui.allocate_exact_size(vec2(width, height), Sense::hover());
    let canvas = Canvas::new(ui, rect, lanes);
    for (row, arrow) in arrows.iter().enumerate() {
        let row_rect = Rect::from_min_size(
            pos2(
                rect.left(),
                rect.top() + HEADER_HEIGHT + ROW_HEIGHT * row as f32,
            ),
            vec2(width, ROW_HEIGHT),
        );
        let Some(step) = transcript.steps.get(arrow.step) else {
            continue;
        };
        arrow_row(
            ui,
            &canvas,
            row_rect,
            step,
            *arrow,
            selected,
            reveal_selected,
        );
    }
    if let Some(elapsed) = waiting {
        let top = rect.top() + HEADER_HEIGHT + ROW_HEIGHT * arrows.len() as f32;
        let row_rect = Rect::from_min_size(pos2(rect.left(), top), vec2(width, ROW_HEIGHT));
        canvas.waiting(ui, row_rect, top + ROW_HEIGHT * 0.5, elapsed);
    }
}

/// One arrow as an accessible button: drawn, named, selected by a click or by focus (Tab).
fn arrow_row(
    ui: &mut egui::Ui,
    canvas: &Canvas,
    row_rect: Rect,
    step: &Step,
    arrow: Arrow,
    selected: &mut Option<Arrow>,
    reveal_selected: bool,
) {
    let response = ui.interact(
        row_rect,
        ui.scope_id()
            .with(("fetch_arrow", arrow.step, arrow.part == Part::Request)),
        Sense::click(),
    );
    let is_selected = *selected == Some(arrow);
    let name = accessible_name(step, arrow.part);
    response
        .widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, is_selected, &name));
    canvas.highlight(row_rect, &response, is_selected);
    canvas.arrow(row_rect, step, arrow.part, is_selected);
    let response = response.on_hover_text(format!("{name}\nClick for the details"));
    if response.clicked() {
        *selected = Some(arrow);
    }
    if response.gained_focus() {
        *selected = Some(arrow);
    }
    if is_selected && reveal_selected {
        response.scroll_to_me(None);
    }
}

/// What a screen reader (and a test) calls an arrow.
pub fn accessible_name(step: &Step, part: Part) -> String {
    let number = step.request.step + 1;
    match part {
        Part::Request => format!(
            "Request {number}: {} {} with {}",
            step.request.method,
            step.request.target,
            step.request.attempt.describe()
        ),
        Part::Response => match (&step.response, &step.error) {
            (Some(response), _) => {
                let stale = if is_stale(step) { " (stale nonce)" } else { "" };
                let cut = if is_cut(step) { " (body cut)" } else { "" };
                format!(
                    "Response {number}: {} {}{stale}{cut}",
                    response.status, response.reason
                )
            }
            (None, Some((kind, message))) => {
                format!("Request {number} failed, {}: {message}", kind.words())
            }
            (None, None) => format!("Response {number}: waiting"),
        },
    }
}

/// A 401 whose chosen challenge says `stale=true`: right credentials, expired nonce.
pub fn is_stale(step: &Step) -> bool {
    step.status() == Some(401)
        && step
            .chosen_challenge()
            .and_then(|c| c.digest.as_ref())
            .is_some_and(|d| d.stale)
}

/// A response whose body did not arrive whole (timed out, broke off, past the read bound,
/// short of its Content-Length): what came is kept, but a device would not get its file.
pub fn is_cut(step: &Step) -> bool {
    step.response
        .as_ref()
        .is_some_and(|response| response.incomplete.is_some())
}

/// The colour of a response: 2xx green, a 2xx whose body was cut red (the fetch's verdict is
/// `body_incomplete`, an error), 3xx blue, stale 401 amber, other errors red.
pub fn status_color(step: &Step, colors: &Signal) -> Color32 {
    match step.status() {
        Some(200..=299) if is_cut(step) => colors.error,
        Some(200..=299) => colors.ok,
        Some(300..=399) => colors.info,
        Some(401) if is_stale(step) => colors.warning,
        _ => colors.error,
    }
}

pub fn millis(duration: std::time::Duration) -> String {
    let ms = duration.as_secs_f64() * 1000.0;
    if ms >= 1000.0 {
        format!("{:.2} s", ms / 1000.0)
    } else {
        format!("{ms:.1} ms")
    }
}
